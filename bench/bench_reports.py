"""Benchmark: the monthly executive report (summary, XLSX, PDF) on a demo database.

Baselines measured in the same run:
- summary: one ``metric_table`` call for the month's live KPIs of all centers, i.e. the cost of a
  single registry query; the ratio says how many such queries' worth the whole summary costs
  (compliance, findings, forecasts, outlook staffing plan). The outlook's staffing plan
  (``ops.staffing.planning.plan`` for 8 weeks) is timed alone too: the summary runs it on a worker
  thread beside the rest, so "with staffing" minus "without" is what it still adds;
- PDF: Chromium printing a one-line HTML page (browser start + print), the floor any
  HTML-to-PDF report pays; the ratio says what charts, layout and fonts add.
Summary timings: median and best of --repeat warm runs (the first call, with imports, is shown as
"cold"), wall clock and process CPU (all threads, DuckDB's included). On a shared, loaded machine
wall time waits for CPU: compare ratios within one run and look at CPU time too.

    .venv/bin/python bench/bench_reports.py                      # builds a 56-day demo (scale 0.25)
    .venv/bin/python bench/bench_reports.py --db /tmp/perf_demo.duckdb --month 2026-10 --repeat 5
    .venv/bin/python bench/bench_reports.py --db data/ccops.duckdb --no-pdf

Timings on a shared machine are noisy; report them as measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
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


def repeated(n: int, fn, *a, **kw):  # noqa: ANN001, ANN002, ANN003, ANN201
    """``n`` warm runs: (last result, [(wall s, process CPU s), ...])."""
    runs, out = [], None
    for _ in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn(*a, **kw)
        runs.append((time.perf_counter() - t0, time.process_time() - c0))
    return out, runs


def fmt_runs(runs: list[tuple[float, float]], base: float) -> str:
    walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
    med = statistics.median(walls)
    return (
        f"median {med:6.2f} s, best {min(walls):6.2f} s, CPU median {statistics.median(cpus):6.2f} s"
        f"  = {med / base:5.1f}x baseline"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=None, help="existing database (default: build one)")
    ap.add_argument("--month", default="2026-10")
    ap.add_argument("--center", default=None, help="also time a vendor-scoped report")
    ap.add_argument("--repeat", type=int, default=3, help="warm runs per summary variant")
    ap.add_argument("--no-pdf", action="store_true", help="skip the XLSX/chart/PDF part")
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

    # Cold: the first summary in this process (imports, first queries); then warm runs.
    summary, t_cold = timed(executive_summary, store, scope, args.month)
    metric_table(reader, ["service_level"], period="month", start=first, end=last)
    _, base_runs = repeated(
        args.repeat, metric_table, reader, ["service_level", "asa_s", "abandon_rate"],
        period="month", start=first, end=last,
    )  # fmt: skip
    t_base = statistics.median(r[0] for r in base_runs)
    from ops.staffing.planning import PlanTargets, plan

    w0 = m1 + timedelta(days=1)
    w0 += timedelta(days=(7 - w0.weekday()) % 7)
    _, plan_runs = repeated(args.repeat, plan, reader, w0, 8, targets=PlanTargets())
    summary, sum_runs = repeated(args.repeat, executive_summary, store, scope, args.month)
    _, fast_runs = repeated(
        args.repeat, executive_summary, store, scope, args.month, with_staffing=False
    )

    print(f"database {db}, month {args.month}, {summary.contacts:,} contacts, scope all centers; "
          f"{args.repeat} warm runs each; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")  # fmt: skip
    print(f"baseline metric_table (3 live KPIs, month)   median {t_base:6.2f} s")
    print(f"outlook staffing plan alone (8 weeks)        {fmt_runs(plan_runs, t_base)}")
    print(f"executive_summary, first call (cold)         {t_cold:6.2f} s")
    print(f"executive_summary (with staffing outlook)    {fmt_runs(sum_runs, t_base)}")
    print(f"executive_summary (with_staffing=False)      {fmt_runs(fast_runs, t_base)}")
    if args.center:
        sc = Scope.centers(args.center)
        executive_summary(store, sc, args.month)
        _, c_runs = repeated(args.repeat, executive_summary, store, sc, args.month)
        print(f"executive_summary for {args.center:<8s}            {fmt_runs(c_runs, t_base)}")
    if not args.no_pdf:
        xlsx, t_xlsx = timed(summary_to_xlsx, summary)
        figs = build_figures(summary)
        charts, t_charts_cold = timed(figures_to_svg, figs)
        _, t_charts_warm = timed(figures_to_svg, figs)
        page = summary_to_html(summary, charts)
        pdf, t_print = timed(html_to_pdf, page)
        _, t_print_base = timed(html_to_pdf, "<html><body><p>ccops</p></body></html>")
        (tmp / "report.pdf").write_bytes(pdf)
        (tmp / "report.xlsx").write_bytes(xlsx)
        print(f"XLSX render                                  {t_xlsx:6.2f} s  ({len(xlsx) / 1024:.0f} KiB)")  # fmt: skip
        print(f"charts via kaleido, first (browser start)    {t_charts_cold:6.2f} s")
        print(f"charts via kaleido, browser running          {t_charts_warm:6.2f} s")
        print(f"baseline Chromium print of a one-line page   {t_print_base:6.2f} s")
        print(f"Chromium print of the report                 {t_print:6.2f} s  = "
              f"{t_print / t_print_base:5.1f}x baseline")  # fmt: skip
        print(f"PDF {len(pdf) / 1024:.0f} KiB; files in {tmp}")
    store.close()


if __name__ == "__main__":
    main()
