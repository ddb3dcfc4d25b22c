"""Scoped, read-only access to the store's tables as Ibis expressions.

Every table that has a ``center_id`` comes back filtered to the reader's scope; tables without one
(queues, tags, events, forecasts) are shared reference data. Forecast rows carry ``center_id`` where
they belong to one center and are filtered too. Domain services receive a reader, never a raw
connection, so scoping cannot be forgotten.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from ops.errors import CcopsError, StoreError
from ops.store.schema import SCOPED_TABLES, TABLES
from ops.store.scope import Scope

if TYPE_CHECKING:
    from ops.store.compiled import CompiledSqlCache


class ReaderStore(Protocol):
    """What a :class:`ScopedReader` uses of its store; :class:`ops.store.db.Store` is one.

    A protocol, not an import of ``Store``: ``ops.store.db`` imports this module to hand out
    readers (:meth:`ops.store.db.Store.reader`), so this module does not import it back.
    """

    @property
    def prepared(self) -> CompiledSqlCache: ...

    def ibis(self) -> Any: ...

    def ibis_table(self, name: str) -> Any: ...

    def cursor(self) -> Any: ...

    def statements(self) -> OrderedDict[str, None]: ...

    def derived(self, key: Any, compute: Any) -> Any: ...


class ScopedReader:
    """Ibis tables of one store, filtered to one scope."""

    def __init__(self, store: ReaderStore, scope: Scope) -> None:
        self.store = store
        self.scope = scope

    def table(self, name: str) -> Any:
        """The Ibis table ``name``, filtered to the scope's centers."""
        if name not in TABLES:
            raise StoreError(f"Unknown table {name!r}; known: {', '.join(sorted(TABLES))}")
        t = self.store.ibis_table(name)
        ids = self.scope.center_ids
        if ids is not None and (name in SCOPED_TABLES or name == "forecasts"):
            t = t.filter(t.center_id.isin(sorted(ids)))
        elif ids is not None and name == "events":
            # an event without a center (a public holiday, a company-wide outage) concerns everyone
            t = t.filter(t.center_id.isnull() | t.center_id.isin(sorted(ids)))
        return t

    def __getattr__(self, name: str) -> Any:
        if name in TABLES:
            return self.table(name)
        raise AttributeError(name)

    def execute(self, expr: Any) -> pd.DataFrame:
        """Run an Ibis expression built from this reader's tables and return pandas."""
        try:
            return expr.execute()
        except Exception as e:  # Ibis wraps DuckDB errors in several types
            raise StoreError(f"Query failed: {str(e).splitlines()[0]}") from e

    def execute_prepared(self, key: Any, build: Callable[[], Any]) -> pd.DataFrame:
        """Run the Ibis expression ``build()`` returns, building it only the first time.

        ``key`` must name everything the expression depends on besides the reader's scope (which
        is added here): the table contents do not matter (the SQL runs afresh every time), the
        literals baked into it do (dates, thresholds, timezones, queue lists). The result equals
        ``execute(build())``. The plan may come from an earlier process
        (:class:`ops.store.compiled.PlanDisk`, keyed by the same key, ccops' code, the settings
        and the database's columns), so a key must name its literals' values, not only where
        they come from.
        """
        from ops.store.compiled import PreparedQuery

        ids = self.scope.center_ids
        full = ("prepared", None if ids is None else tuple(sorted(ids)), key)
        plan = self.store.prepared.get(full)
        backend = self.store.ibis()
        if plan is None:
            disk_of = getattr(self.store, "plan_disk", None)
            disk = disk_of() if disk_of is not None else None
            plan = disk.load(full) if disk is not None else None
            if plan is None:
                expr = build()
                try:
                    plan = PreparedQuery(expr, backend.compile(expr))
                except Exception as e:  # noqa: BLE001 - Ibis raises many types
                    raise StoreError(f"Query failed: {str(e).splitlines()[0]}") from e
                if disk is not None:
                    disk.save(full, plan)
            self.store.prepared.put(full, plan)
        try:
            return plan.run(backend, self.store.cursor(), self.store.statements())
        except Exception as e:  # noqa: BLE001 - DuckDB/pyarrow raise many types
            raise StoreError(f"Query failed: {str(e).splitlines()[0]}") from e

    def tables_digest(self, *names: str) -> str:
        """One digest of the whole contents of small reference tables (centers, queues, forms).

        A cache key, never shown: it changes when any row or column of those tables changes. It
        is computed over every center (not only the scope's), which can only make a key change
        more often. One query, whatever the number of tables.
        """
        for name in names:
            if name not in TABLES:
                raise StoreError(f"Unknown table {name!r}")
        parts = [
            f"(SELECT md5(coalesce(string_agg(CAST(r AS VARCHAR), chr(10) ORDER BY "
            f"CAST(r AS VARCHAR)), '')) FROM {name} AS r)"
            for name in names
        ]

        def compute() -> str:
            try:
                row = self.store.cursor().execute("SELECT " + ", ".join(parts)).fetchall()[0]
            except Exception as e:  # noqa: BLE001 - DuckDB raises many types
                raise StoreError(f"Query failed: {str(e).splitlines()[0]}") from e
            return "/".join(str(x) for x in row)

        # the same tables give the same digest until the next write transaction
        return self.store.derived(("tables_digest", names), compute)

    def centers(self) -> pd.DataFrame:
        """The centers this scope may see."""
        return self.execute(self.table("centers").order_by("center_id"))


def run_prepared(reader: Any, key: Any, build: Callable[[], Any]) -> pd.DataFrame:
    """``reader.execute_prepared(key, build)`` when the reader caches prepared queries, else
    ``reader.execute(build())`` (another engine's reader, e.g. Spark).

    ``key`` may be a function returning the key: it is only called for a caching reader (a
    context fingerprint costs queries another engine should not run). Errors other than ccops'
    own become :class:`StoreError`.
    """
    try:
        run = getattr(reader, "execute_prepared", None)
        if run is None:
            return reader.execute(build())
        return run(key() if callable(key) else key, build)
    except CcopsError:
        raise
    except Exception as e:  # noqa: BLE001 - backends raise many types
        raise StoreError(f"Query failed: {str(e).splitlines()[0]}") from e
