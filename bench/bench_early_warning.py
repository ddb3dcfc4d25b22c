"""Benchmark and backtest of the SLA early warning (``ccops sla watch``) on the demo.

Backtest: for each of the last ``--months`` complete months, the projection is run as of the end
of every day of the month (23:59:59 in ``--tz``, each center on its own clock) with the store read
as known then (``ops.sla.early_warning.KnownAtReader``). Each monthly contract line's projected
met/missed is compared with the month's final outcome from ``ops.sla.compliance`` (the month
closed, every outcome known). Printed per day of month: the lines judged, the hit rate of the
projection (the last 4 weeks' weekday x interval rate on the remaining volume) and, as a
baseline, of the month so far (the "rate so far" projection), and the share of lines whose volume
came from a stored forecast run (the rest: same-weekday volume). Days 10 and 20 are repeated at
the end.

Timing: ``early_warning`` at the latest data as ``ccops sla watch`` runs it (staffing and intraday
included) against ``compliance`` of the same month, in the same process, interleaved, medians of
``--repeat`` rounds after one warm-up each, as a ratio. Also: the watch at a new as-of each round
(15 minutes later each time, as a cron job on a live store sees it: the queries are compiled
again), and both commands end to end in fresh processes (imports and compiles included).

    .venv/bin/python bench/bench_early_warning.py --db data/ccops.duckdb
    .venv/bin/python bench/bench_early_warning.py --db data/ccops.duckdb --months 2 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from ops.calendar import last_complete_period, period_shift  # noqa: E402
from ops.sla.compliance import compliance, shortfall_points  # noqa: E402
from ops.sla.early_warning import early_warning, latest_contact  # noqa: E402
from ops.store import Store  # noqa: E402


def _month_days(first: date) -> list[date]:
    nxt = period_shift(first, "month", 1)
    return [first + timedelta(days=i) for i in range((nxt - first).days)]


def _end_of_day_utc(d: date, tz: ZoneInfo) -> datetime:
    local = datetime.combine(d, datetime.min.time()).replace(hour=23, minute=59, second=59)
    return local.replace(tzinfo=tz).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def backtest(reader, months: list[date], tz: ZoneInfo) -> pd.DataFrame:  # noqa: ANN001
    """One row per (month, day, monthly line): projected met, so-far met, final met, method."""
    rows = []
    for first in months:
        month = f"{first:%Y-%m}"
        final = compliance(reader, month=month)
        outcome = {
            (r.center_id, r.contract_id, r.version, r.line_no): bool(r.met)
            for r in final.lines
            if r.period == "month" and r.met is not None and not r.partial
        }
        t0 = time.perf_counter()
        for d in _month_days(first):
            rep = early_warning(reader, as_of=_end_of_day_utc(d, tz), staffing=False,
                                intraday=False)  # fmt: skip
            for ln in rep.lines:
                key = (ln.center_id, ln.contract_id, ln.version, ln.line_no)
                if ln.period != "month" or key not in outcome or ln.projected is None:
                    continue
                so_far = ln.value_so_far
                rows.append({
                    "month": month, "day": d.day, "center_id": ln.center_id,
                    "line_no": ln.line_no, "metric": ln.metric, "method": ln.volume_method,
                    "final_met": outcome[key],
                    "projected_met": shortfall_points(ln.metric, ln.projected, ln.target) <= 1e-9,
                    "so_far_met": None if so_far is None
                    else shortfall_points(ln.metric, so_far, ln.target) <= 1e-9,
                })  # fmt: skip
        print(f"  {month}: {len(_month_days(first))} as-of days in {time.perf_counter() - t0:.0f} s",
              flush=True)  # fmt: skip
    return pd.DataFrame(rows)


def hit_rates(bt: pd.DataFrame) -> pd.DataFrame:
    bt = bt.assign(
        hit=bt["projected_met"] == bt["final_met"],
        hit_so_far=bt["so_far_met"] == bt["final_met"],
        forecast=bt["method"] == "forecast",
    )
    return (
        bt.groupby("day")
        .agg(lines=("hit", "size"), hit_rate=("hit", "mean"),
             so_far_hit_rate=("hit_so_far", "mean"), forecast_share=("forecast", "mean"))
        .reset_index()
    )  # fmt: skip


def _median_interleaved(fns: dict[str, object], repeat: int) -> dict[str, float]:
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            fn()  # type: ignore[operator]
            times[k].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def _cli_seconds(args: list[str], repeat: int) -> float:
    exe = Path(sys.executable).with_name("ccops")
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([str(exe), *args], capture_output=True, check=False)
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="data/ccops.duckdb")
    ap.add_argument("--months", type=int, default=6, help="complete months to backtest")
    ap.add_argument("--repeat", type=int, default=5, help="timing rounds (median)")
    ap.add_argument("--tz", default="Asia/Seoul", help="clock of 'the end of each day'")
    ap.add_argument("--skip-backtest", action="store_true")
    a = ap.parse_args()
    tz = ZoneInfo(a.tz)
    with Store.open(a.db, read_only=True) as store:
        reader = store.reader()
        n = int(store.query("SELECT count(*) AS n FROM contacts")["n"].iloc[0])
        newest = latest_contact(reader)
        assert newest is not None, "no contacts"
        last_local = newest.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz).date()
        print(f"{a.db}: {n:,} contacts, latest {newest:%Y-%m-%d %H:%M} UTC")

        if not a.skip_backtest:
            last = last_complete_period(last_local, "month")
            months = [period_shift(last, "month", -i) for i in range(a.months - 1, -1, -1)]
            print(f"backtest as of the end of every day of {months[0]:%Y-%m} .. {last:%Y-%m}:")
            bt = backtest(reader, months, tz)
            table = hit_rates(bt)
            with pd.option_context("display.width", 120, "display.max_rows", 40):
                print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
            for day in (10, 20):
                r = table[table["day"] == day].iloc[0]
                print(f"day {day}: hit rate {r.hit_rate:.1%} of {int(r.lines)} month-lines "
                      f"(month so far: {r.so_far_hit_rate:.1%}; volume from a stored forecast "
                      f"for {r.forecast_share:.0%})")  # fmt: skip
            by_metric = bt.assign(hit=bt["projected_met"] == bt["final_met"])
            by_metric = by_metric[by_metric["day"].isin([10, 20])]
            print("hit rate at days 10 and 20 by metric:")
            print(by_metric.groupby(["metric", "day"])["hit"].agg(["size", "mean"]).to_string())

        month = f"{last_local:%Y-%m}"
        t0 = time.perf_counter()
        early_warning(reader)
        cold_watch = time.perf_counter() - t0
        t0 = time.perf_counter()
        compliance(reader, month=month)
        cold_comp = time.perf_counter() - t0
        med = _median_interleaved(
            {"watch": lambda: early_warning(reader),
             "compliance": lambda: compliance(reader, month=month)},
            a.repeat,
        )  # fmt: skip
        step = iter(range(1, 1000))
        fresh = _median_interleaved(
            {"watch_new_as_of": lambda: early_warning(
                reader, as_of=newest - timedelta(minutes=15 * next(step)))},
            a.repeat,
        )  # fmt: skip
    print(f"first call in this process: watch {cold_watch:.2f} s, compliance {month} "
          f"{cold_comp:.2f} s")  # fmt: skip
    print(f"warm (median of {a.repeat}, interleaved): watch {med['watch']:.2f} s, compliance "
          f"{month} {med['compliance']:.2f} s, ratio watch/compliance "
          f"{med['watch'] / med['compliance']:.1f}x")  # fmt: skip
    print(f"watch at a new as-of each round (compiles again): {fresh['watch_new_as_of']:.2f} s, "
          f"{fresh['watch_new_as_of'] / med['compliance']:.1f}x the warm compliance")  # fmt: skip
    cli_watch = _cli_seconds(
        ["sla", "watch", "--db", a.db, "--format", "json"], max(a.repeat // 2, 1)
    )
    cli_comp = _cli_seconds(["sla", "compliance", "--db", a.db, "--month", month, "--format",
                             "json"], max(a.repeat // 2, 1))  # fmt: skip
    print(f"fresh processes (imports and compiles included): `ccops sla watch` {cli_watch:.2f} s, "
          f"`ccops sla compliance --month {month}` {cli_comp:.2f} s, ratio "
          f"{cli_watch / cli_comp:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
