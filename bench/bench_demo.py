"""Benchmark: build the simulated demo center and report time, rows/s, DB size and peak memory.

Baseline measured in the same run: copying the finished ``contacts`` table into a fresh DuckDB
file (``CREATE TABLE AS SELECT``), i.e. the cost of just writing those rows. The ratio says how much
the simulation (arrivals, Erlang A planning, FCFS queue simulation, QA, surveys) adds on top.

    .venv/bin/python bench/bench_demo.py                 # default demo: 730 days, scale 1
    .venv/bin/python bench/bench_demo.py --scale 5       # ~10M contacts
    .venv/bin/python bench/bench_demo.py --days 56 --scale 0.25

Timings on a shared machine are noisy; report them as measured.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ops.simulate import build_demo  # noqa: E402
from ops.store import Store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--end", type=date.fromisoformat, default=date(2026, 10, 31))
    ap.add_argument("--keep", type=Path, default=None, help="write the demo here and keep it")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="ccops-bench-")
    path = args.keep or Path(tmp) / "demo.duckdb"
    if path.exists():
        path.unlink()
    t0 = time.perf_counter()
    with Store.open(path) as store:
        s = build_demo(store, seed=args.seed, days=args.days, end=args.end, scale=args.scale)
        counts = store.table_summary().set_index("table")["rows"]
    build_s = time.perf_counter() - t0
    size_mb = path.stat().st_size / 1e6
    rows = int(counts.sum())

    copy_path = Path(tmp) / "copy.duckdb"
    t1 = time.perf_counter()
    with Store.open(copy_path, migrate=False) as dst:
        cur = dst.cursor()
        cur.execute(f"ATTACH '{path}' AS src (READ_ONLY)")
        cur.execute("CREATE TABLE contacts_copy AS SELECT * FROM src.contacts")
        cur.execute("DETACH src")
    copy_s = time.perf_counter() - t1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"demo: days={args.days} scale={args.scale} seed={args.seed} end={s.end}")
    print(f"contacts            {s.contacts:>12,}")
    print(f"all rows            {rows:>12,}")
    print(f"build               {build_s:>10.1f} s   ({s.contacts / build_s:,.0f} contacts/s)")
    print(f"baseline copy       {copy_s:>10.1f} s   (write the same contacts into a new file)")
    print(f"ratio build / copy  {build_s / copy_s:>10.1f} x")
    print(f"database size       {size_mb:>10.0f} MB")
    print(f"peak RSS            {peak_mb:>10.0f} MB")
    print(f"cpu count           {os.cpu_count():>10}")
    if args.keep is None:
        for p in (path, copy_path):
            p.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
