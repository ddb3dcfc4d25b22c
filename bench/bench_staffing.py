"""Staffing benchmark: a year of 15-minute intervals for one queue.

Prints (1) Erlang C required agents with shrinkage and an occupancy cap, vectorised, against a loop
of pyworkforce's ErlangC over the same 35,040 intervals (speed ratio and every differing interval
with its reason), and (2) Erlang A over the same year: the measures at a given headcount in one
call, and the full required-agents search with patience.

Run: ``.venv/bin/python bench/bench_staffing.py`` (``--quick`` times pyworkforce on a sample and
extrapolates). Timings are wall-clock on whatever else the machine is doing: report them as measured.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from ops.staffing import erlang_a, required_agents

INTERVAL_S = 900
AHT_S = 240.0
TARGET_SL, ANSWER_S = 0.8, 20.0
SHRINKAGE, MAX_OCC = 0.3, 0.85
PATIENCE_S = 120.0


def year_of_volume(seed: int = 7) -> np.ndarray:
    """Calls per 15 minutes for 365 days: intraday double peak, weekly and seasonal shape, noise."""
    rng = np.random.default_rng(seed)
    n = 365 * 96
    slot = np.arange(n) % 96
    day = np.arange(n) // 96
    hour = slot / 4.0
    intraday = 0.15 + np.exp(-((hour - 10.5) ** 2) / 4.0) + 0.8 * np.exp(-((hour - 15) ** 2) / 6.0)
    weekly = np.array([1.15, 1.05, 1.0, 1.0, 0.95, 0.6, 0.45])[day % 7]
    season = (
        1 + 0.25 * np.sin(2 * np.pi * day / 365.0) + np.where((day > 250) & (day < 260), 0.6, 0)
    )
    lam = 120 * intraday * weekly * season
    return np.maximum(1, rng.poisson(lam)).astype(float)


def pyworkforce_loop(calls: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    from pyworkforce.queuing import ErlangC

    raw = np.empty(calls.size, dtype=np.int64)
    sched = np.empty(calls.size, dtype=np.int64)
    t0 = time.perf_counter()
    for i, c in enumerate(calls):
        r = ErlangC(
            transactions=c, aht=AHT_S / 60, asa=ANSWER_S / 60, interval=INTERVAL_S / 60,
            shrinkage=SHRINKAGE,
        ).required_positions(service_level=TARGET_SL, max_occupancy=MAX_OCC)  # fmt: skip
        raw[i], sched[i] = r["raw_positions"], r["positions"]
    return raw, sched, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="time pyworkforce on 3,504 intervals")
    args = ap.parse_args()
    calls = year_of_volume()
    n = calls.size
    print(f"Volume: {n:,} intervals of {INTERVAL_S // 60} min, {calls.sum():,.0f} calls, AHT {AHT_S:g} s, "
          f"target {TARGET_SL:.0%}/{ANSWER_S:g}s, shrinkage {SHRINKAGE:.0%}, max occupancy {MAX_OCC:.0%}")  # fmt: skip

    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        ours = required_agents(calls, INTERVAL_S, AHT_S, target_sl=TARGET_SL, answer_s=ANSWER_S,
                               max_occupancy=MAX_OCC, shrinkage=SHRINKAGE)  # fmt: skip
        runs.append(time.perf_counter() - t0)
    t_ours = float(np.median(runs))
    print(f"ccops required_agents (Erlang C, vectorised): {t_ours:.3f} s (median of 5 runs)")

    sample = np.arange(0, n, 10) if args.quick else np.arange(n)
    pw_raw, pw_sched, t_pw = pyworkforce_loop(calls[sample])
    t_pw_full = t_pw * n / sample.size
    label = "extrapolated from every 10th interval" if args.quick else "all intervals"
    print(f"pyworkforce ErlangC loop: {t_pw_full:.2f} s ({label})")
    print(f"speed-up: {t_pw_full / t_ours:.1f}x")

    raw = ours["raw_agents"].to_numpy()[sample]
    sched = ours["scheduled_agents"].to_numpy()[sample]
    a = calls[sample] * AHT_S / INTERVAL_S
    diff_raw = raw != pw_raw
    diff_sched = (sched != pw_sched) & ~diff_raw
    start_bug = diff_raw & (raw < np.round(a + 1))
    intensity = calls[sample] / (INTERVAL_S / 60) * (AHT_S / 60)  # pyworkforce's own float
    occ_x = intensity / MAX_OCC
    occ_bug = diff_raw & ~start_bug & (pw_raw == np.ceil(occ_x)) & (occ_x - np.floor(occ_x) < 1e-9)
    x = raw / (1 - SHRINKAGE)
    shrink_bug = diff_sched & (pw_sched == sched + 1) & (np.abs(x - np.round(x)) < 1e-9)
    unexplained = (diff_raw & ~start_bug & ~occ_bug) | (diff_sched & ~shrink_bug)
    print(f"intervals compared: {sample.size:,}; identical raw and scheduled agents: "
          f"{int((~diff_raw & ~diff_sched).sum()):,}")  # fmt: skip
    print(f"  differing scheduled agents, pyworkforce ceil(raw/(1-s)) without float tolerance "
          f"(e.g. 84/0.7 -> 121): {int(shrink_bug.sum())}")  # fmt: skip
    print(f"  differing raw agents, pyworkforce occupancy cap ceil(A/occ) without tolerance: "
          f"{int(occ_bug.sum())}")  # fmt: skip
    print(f"  differing raw agents, pyworkforce search starting at round(A+1) above the minimum: "
          f"{int(start_bug.sum())}")  # fmt: skip
    print(f"  unexplained differences: {int(unexplained.sum())}")
    if shrink_bug.any():
        i = int(np.flatnonzero(shrink_bug)[0])
        print(f"  example: raw {raw[i]} / 0.7 = {raw[i] / 0.7!r} -> pyworkforce {pw_sched[i]}, "
              f"ccops {sched[i]}")  # fmt: skip

    # Erlang A over the same year.
    agents = ours["raw_agents"].to_numpy().astype(float)
    t0 = time.perf_counter()
    m = erlang_a(calls, INTERVAL_S, AHT_S, agents, PATIENCE_S, answer_s=ANSWER_S, short_abandon_s=5)
    t_a = time.perf_counter() - t0
    print(f"Erlang A measures (SL, abandon, ASA, short abandons) for {n:,} intervals: {t_a:.3f} s "
          f"(mean SL {np.mean(m.service_level):.3f}, mean abandon {np.mean(m.abandon_rate):.4f})")  # fmt: skip
    t0 = time.perf_counter()
    ra = required_agents(calls, INTERVAL_S, AHT_S, target_sl=TARGET_SL, answer_s=ANSWER_S,
                         max_occupancy=MAX_OCC, shrinkage=SHRINKAGE, patience_s=PATIENCE_S)  # fmt: skip
    t_ra = time.perf_counter() - t0
    print(f"Erlang A required_agents search for {n:,} intervals: {t_ra:.3f} s "
          f"({int(ra['raw_agents'].sum() - ours['raw_agents'].sum()):+,} agent-intervals vs Erlang C)")  # fmt: skip
    big = erlang_a(np.full(1000, 60_000.0), 1800, 300, np.linspace(9000, 11000, 1000), 180.0)
    print(f"Erlang A at 9,000-11,000 agents: finite {bool(np.all(np.isfinite(big.service_level)))}, "
          f"monotone {bool(np.all(np.diff(big.service_level) >= -1e-12))}")  # fmt: skip


if __name__ == "__main__":
    main()
