"""Options and helpers shared by the ``ccops`` commands (``ops.cli`` and the domain CLIs).

Every command takes the same ``--db`` and ``--format`` options; the read-only sub-apps (``ccops qa``,
``ccops voc``) also take the same ``--from``/``--to`` day options, open the store read-only with the
same "no database" message and print frames the same way. Keeping that in one place means the
options and error messages cannot drift apart between commands. This module sits below ``ops.cli``,
which loads the domain CLIs: they import from here, never from ``ops.cli``, so imports run one way.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ops.config import get_settings
from ops.errors import CcopsError
from ops.output import Format, emit

if TYPE_CHECKING:
    from ops.store import Store
    from ops.store.reader import ScopedReader

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db", help="DuckDB database file (default: CCOPS_DB_PATH or data/ccops.duckdb)."
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
FromOption = Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last day (inclusive), YYYY-MM-DD.")]


def db_path(db: Path | None) -> Path:
    """The database path from the option, else the settings."""
    return db if db is not None else get_settings().db_path


def parse_day(value: str | None, option: str) -> date | None:
    """``value`` as a date (ISO ``YYYY-MM-DD``), None when absent; CcopsError naming ``option``."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise CcopsError(f"{option} must be a date YYYY-MM-DD, got {value!r}") from e


def open_read_only(db: Path | None) -> tuple[Store, ScopedReader]:
    """The store at ``--db`` (or the settings' path) opened read-only, and an unscoped reader."""
    from ops.store import Store

    path = db_path(db)
    if not Path(path).exists():
        raise CcopsError(f"No database at {path}. Build one with `ccops demo --db {path}`.")
    store = Store.open(path, read_only=True)
    return store, store.reader()


def emit_view(df: Any, fmt: Format, title: str, table_columns: list[str] | None = None) -> None:
    """JSON and CSV get every column; the terminal table shows ``table_columns`` (those present)."""
    if fmt is Format.table and table_columns is not None and hasattr(df, "columns"):
        df = df[[c for c in table_columns if c in df.columns]]
    emit(df, fmt, title=title)
