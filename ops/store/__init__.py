"""The ccops store: DuckDB schema, migrations, connections/cursors, scoped Ibis readers.

This package is the only place in ccops that imports duckdb and runs SQL.
"""

from ops.store.db import Store
from ops.store.reader import ScopedReader
from ops.store.schema import ALL_TABLES, TABLES, Column, Table
from ops.store.scope import Scope

__all__ = ["ALL_TABLES", "TABLES", "Column", "ScopedReader", "Scope", "Store", "Table"]
