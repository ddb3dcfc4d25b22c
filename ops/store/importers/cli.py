"""``ccops import`` and ``ccops export``: top-level commands registered by :func:`register`.

Heavy imports (DuckDB, pandas) happen inside the commands so ``ccops --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ops.output import Format

DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db", help="DuckDB database file (default: CCOPS_DB_PATH or data/ccops.duckdb)."
    ),
]


def import_cmd(
    file: Annotated[Path, typer.Argument(help="CSV, Parquet or XLSX file to import.")],
    db: DbOpt = None,
    profile: Annotated[
        str,
        typer.Option(
            help="canonical, or a vendor profile: zendesk, freshdesk, chatwoot, channelio, intercom, "
            "genesys, connect, cisco, wfm, qa_sheet, survey, korean_helpdesk (see data/mappings/)."
        ),
    ] = "canonical",
    table: Annotated[
        str | None,
        typer.Option(
            help="Target table for canonical files (contacts, interval_stats, schedules, ...)."
        ),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="Custom column-mapping YAML (see data/mappings/).")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="File encoding (utf-8, cp949/euc-kr); default: detected.")
    ] = None,
    center: Annotated[
        str | None,
        typer.Option(
            "--center", help="Center of rows without one; naive times are its local time."
        ),
    ] = None,
    password: Annotated[
        str | None, typer.Option(help="Password of a password-protected XLSX.")
    ] = None,
    delimiter: Annotated[
        str | None, typer.Option(help="CSV delimiter (default: detected).")
    ] = None,
    user: Annotated[str | None, typer.Option(help="Who imports (default: the OS user).")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and count without writing.")
    ] = False,
    format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Import FILE into the store: validated, atomic, idempotent; prints the summary.

    Exits non-zero when no row was accepted.
    """
    from ops.cli_common import db_path
    from ops.output import emit
    from ops.store import Store
    from ops.store.importers import import_file

    path = db_path(db)
    if not path.exists() and not dry_run:
        # importing into a new store is legitimate (a first import), but a mistyped --db should
        # not go unnoticed
        typer.echo(f"Note: no database at {path}; creating a new one.", err=True)
    with Store.open(path, read_only=dry_run and path.exists()) as store:
        summary = import_file(
            store,
            file,
            profile=profile,
            table=table,
            mapping=mapping,
            encoding=encoding,
            center_id=center,
            password=password,
            dry_run=dry_run,
            user=user,
            delimiter=delimiter,
        )
    _emit_summary(summary, format, emit)
    if summary.accepted == 0:
        raise typer.Exit(2)


def _emit_summary(summary: Any, fmt: Format, emit: Any) -> None:
    if fmt is Format.json:
        emit(summary, fmt)
        return
    head = {
        k: getattr(summary, k)
        for k in ("file", "table", "profile", "status", "rows_read", "accepted", "inserted",
                  "updated", "duplicates", "rejected", "seconds")
    }  # fmt: skip
    head["created_centers"] = ", ".join(summary.created_centers)
    head["created_queues"] = ", ".join(summary.created_queues)
    if fmt is Format.table:
        import pandas as pd

        vertical = pd.DataFrame({"": list(head), "value": [str(v) for v in head.values()]})
        emit(vertical, fmt, title=f"import {summary.run_id}")
    else:
        emit(head, fmt)
    if summary.rejected_rows:
        import pandas as pd

        emit(
            pd.DataFrame([r.model_dump() for r in summary.rejected_rows]),
            fmt,
            title="first rejected rows",
        )
    if summary.ignored_columns and fmt is Format.table:
        for col, why in summary.ignored_columns.items():
            typer.echo(f"ignored column {col!r}: {why}")


def export_cmd(
    db: DbOpt = None,
    table: Annotated[str, typer.Option(help="Table to export.")] = "contacts",
    out: Annotated[
        Path, typer.Option(help="Output file: .csv (UTF-8 BOM), .parquet or .xlsx.")
    ] = Path("contacts.csv"),
    center: Annotated[
        str | None, typer.Option("--center", help="Only this center's rows (scoped tables).")
    ] = None,
) -> None:
    """Export a table as a canonical file (re-importable with `ccops import --table`)."""
    from ops.cli_common import db_path
    from ops.store import Scope, Store
    from ops.store.export import export_table

    with Store.open(db_path(db), read_only=True) as store:
        n = export_table(store, table, out, scope=Scope.centers(center) if center else None)
    typer.echo(f"Wrote {n:,} rows of {table} to {out}")


def register(app: typer.Typer) -> None:
    """Attach ``import`` and ``export`` to the top-level ``ccops`` app."""
    app.command("import")(import_cmd)
    app.command("export")(export_cmd)
