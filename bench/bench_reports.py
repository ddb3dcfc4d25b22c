"""Benchmark: the monthly executive report (summary, XLSX, PDF) on a demo database.

Baselines measured in the same run:
- summary: one ``metric_table`` call for the month's live KPIs of all centers, i.e. the cost of a
  single registry query; the ratio says how many such queries' worth the whole summary costs
  (compliance, findings, forecasts, outlook staffing plan);
- PDF: Chromium printing a one-line HTML page (browser start + print), the floor any
  HTML-to-PDF report pays; the ratio says what charts, layout and fonts add.

    .venv/bin/python bench/bench_reports.py                      # builds a 56-day demo (scale 0.25)
    .venv/bin/python bench/bench_reports.py --db data/ccops.duckdb --month 2026-10

Timings on a shared machine are noisy; report them as measured.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ops.reports.executive import executive_summary  # noqa: E402
from ops.reports.pdf import build_figures, figures_to_svg, html_to_pdf, summary_to_html  # noqa: E402
from ops.reports.sources import month_bounds  # noqa: E402
from ops.reports.xlsx import summary_to_xlsx  # noqa: E402
from ops.sla import metric_table  # noqa: E402
from ops.store import Scope, Store  # noqa: E402


def timed(fn, *a, **kw):  # noqa: ANN001, ANN002, ANN003, ANN201
    t0 = time.perf_counter()
    out = fn(*a, **kw)
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=None, help="existing database (default: build one)")
    ap.add_argument("--month", default="2026-10")
    ap.add_argument("--center", default=None, help="also time a vendor-scoped report")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ccops-bench-reports-"))
    if args.db is None:
        from ops.simulate import build_demo
        from ops.sla.contracts import load_contracts

        path = tmp / "demo.duckdb"
        with Store.open(path) as st:
            build_demo(st, seed=7, days=56, end=date(2026, 10, 31), scale=0.25)
            load_contracts(st)
        db = path
    else:
        db = args.db
    store = Store.open(db, read_only=True)
    scope = Scope.all()
    reader = store.reader(scope)
    m0, m1 = month_bounds(args.month)
    first, last = m0.isoformat(), m1.isoformat()

    # Warm DuckDB and imports once, then measure.
    metric_table(reader, ["service_level"], period="month", start=first, end=last)
    _, t_base = timed(
        metric_table, reader, ["service_level", "asa_s", "abandon_rate"], period="month",
        start=first, end=last,
    )  # fmt: skip
    summary, t_sum = timed(executive_summary, store, scope, args.month)
    _, t_sum_fast = timed(executive_summary, store, scope, args.month, with_staffing=False)
    xlsx, t_xlsx = timed(summary_to_xlsx, summary)
    figs = build_figures(summary)
    charts, t_charts_cold = timed(figures_to_svg, figs)
    _, t_charts_warm = timed(figures_to_svg, figs)
    page = summary_to_html(summary, charts)
    pdf, t_print = timed(html_to_pdf, page)
    _, t_print_base = timed(html_to_pdf, "<html><body><p>ccops</p></body></html>")
    (tmp / "report.pdf").write_bytes(pdf)
    (tmp / "report.xlsx").write_bytes(xlsx)

    print(f"database {db}, month {args.month}, {summary.contacts:,} contacts, scope all centers")
    print(f"baseline metric_table (3 live KPIs, month)   {t_base:7.2f} s")
    print(
        f"executive_summary (with staffing outlook)    {t_sum:7.2f} s  = {t_sum / t_base:5.1f}x baseline"
    )
    print(
        f"executive_summary (with_staffing=False)      {t_sum_fast:7.2f} s  = {t_sum_fast / t_base:5.1f}x baseline"
    )
    print(
        f"XLSX render                                  {t_xlsx:7.2f} s  ({len(xlsx) / 1024:.0f} KiB)"
    )
    print(f"charts via kaleido, first (browser start)    {t_charts_cold:7.2f} s")
    print(f"charts via kaleido, browser running          {t_charts_warm:7.2f} s")
    print(f"baseline Chromium print of a one-line page   {t_print_base:7.2f} s")
    print(
        f"Chromium print of the report                 {t_print:7.2f} s  = {t_print / t_print_base:5.1f}x baseline"
    )
    print(f"PDF {len(pdf) / 1024:.0f} KiB; files in {tmp}")
    if args.center:
        sc = Scope.centers(args.center)
        s2, t2 = timed(executive_summary, store, sc, args.month)
        print(
            f"executive_summary for {args.center}            {t2:7.2f} s  = {t2 / t_base:5.1f}x baseline"
        )
    store.close()


if __name__ == "__main__":
    main()
