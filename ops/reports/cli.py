"""``ccops report``: the monthly executive report as PDF or XLSX, and the summary as data.

The same functions serve the dashboard's Executive page downloads, so a file produced here for
``--center BUSAN`` holds exactly what a Busan vendor user can download.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from ops.cli_common import DbOption, db_path
from ops.errors import CcopsError
from ops.output import Format, emit

app = typer.Typer(help="Monthly executive report (PDF/XLSX) and summary.", no_args_is_help=True)

MonthOpt = Annotated[
    str | None,
    typer.Option("--month", help="Month to report, YYYY-MM (default: the latest full month)."),
]
CenterOpt = Annotated[
    str | None,
    typer.Option(
        "--center", help="Only this center (a vendor's own report); default: all centers."
    ),
]


def _scope(center: str | None):  # noqa: ANN202 - Scope
    from ops.store import Scope

    return Scope.centers(center) if center else Scope.all()


def _open(db: Path | None):  # noqa: ANN202 - Store
    from ops.store import Store

    return Store.open(db_path(db), read_only=True)


def _month(store, center: str | None, month: str | None) -> str:  # noqa: ANN001
    """``month``, or the latest complete month of data in scope (as ``sla compliance`` does)."""
    if month:
        return month
    from ops.sla.compliance import default_month
    from ops.sla.metrics import MetricContext

    return default_month(MetricContext(store.reader(_scope(center))))


def _check_center(store, center: str | None) -> None:  # noqa: ANN001
    if center is None:
        return
    known = store.reader().centers()["center_id"].tolist()
    if center not in known:
        raise CcopsError(f"Unknown center {center!r}; known: {', '.join(known) or '(none)'}.")


@app.command()
def monthly(
    out: Annotated[
        Path, typer.Option("--out", help="Output file: .pdf or .xlsx (chosen by the suffix).")
    ],
    month: MonthOpt = None,
    db: DbOption = None,
    center: CenterOpt = None,
    lang: Annotated[
        str, typer.Option("--lang", help="PDF language: en, ko or both (XLSX has both).")
    ] = "both",
) -> None:
    """Write the monthly executive report (KPIs, findings, vendor ranking, breaches, penalty
    statements, outlook) to --out as PDF or XLSX."""
    from ops.reports.executive import executive_summary
    from ops.reports.pdf import summary_to_pdf
    from ops.reports.xlsx import summary_to_xlsx

    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise CcopsError(f"--out must end in .pdf or .xlsx, got {out.name!r}.")
    if lang not in ("en", "ko", "both"):
        raise CcopsError(f"--lang must be en, ko or both, got {lang!r}.")
    t0 = time.perf_counter()
    with _open(db) as store:
        _check_center(store, center)
        month = _month(store, center, month)
        summary = executive_summary(store, _scope(center), month)
    t1 = time.perf_counter()
    data = summary_to_pdf(summary, lang) if suffix == ".pdf" else summary_to_xlsx(summary)  # type: ignore[arg-type]
    t2 = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    typer.echo(
        f"Wrote {out} ({len(data) / 1024:.0f} KiB) for {summary.scope_label}, {month}: "
        f"{len(summary.kpis)} KPIs, {len(summary.findings)} findings, "
        f"{len(summary.breaches)} breaches, {len(summary.penalties)} penalty statements "
        f"(summary {t1 - t0:.1f} s, render {t2 - t1:.1f} s)."
    )
    for note in summary.notes:
        typer.echo(f"note: {note}", err=True)


@app.command()
def summary(
    month: MonthOpt = None,
    db: DbOption = None,
    center: CenterOpt = None,
    format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Print the executive summary: KPI table (table/csv) or the whole summary (json)."""
    import pandas as pd

    from ops.reports.executive import executive_summary

    with _open(db) as store:
        _check_center(store, center)
        month = _month(store, center, month)
        s = executive_summary(store, _scope(center), month)
    if format is Format.json:
        emit(s, format)
        return
    rows = [
        {"kpi": k.name, "label": k.label_en, "value": k.value, "target": k.target,
         "status": k.status.value, "unit": k.unit}
        for k in s.kpis
    ]  # fmt: skip
    emit(pd.DataFrame(rows), format, title=f"{s.scope_label} — {month}")
    if format is Format.table:
        for i, f in enumerate(s.findings, start=1):
            typer.echo(f"{i}. {f.text_en}")
