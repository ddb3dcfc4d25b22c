"""Import throughput: canonical contacts CSV and Parquet through ``import_file`` vs a pandas baseline.

Generates a synthetic canonical contacts file (default 2M rows, 1% bad rows), then measures, in the
same run and on the same file:

- ``import_file`` on CSV and on Parquet into a fresh on-disk store (end to end: read, validate,
  upsert, derived fields, commit), reporting rows/s, CPU seconds and the import's peak RSS;
- a re-import of the same CSV (idempotent path: every row compared, nothing written);
- DuckDB alone: the CSV read into a typed on-disk table with no validation (the engine's ceiling),
  with the file's row order kept and without (parallel write: the true ceiling);
- a baseline: ``pandas.read_csv`` + the same core validation rules vectorised in pandas
  (types, required fields, ranges, channel) with no writing at all.

Usage: ``python bench/bench_import.py [--rows 2000000] [--keep DIR] [--skip-baseline]``. Each
import runs in a fresh process (its own peak RSS) and prints its per-stage wall/CPU breakdown.
Timings on a shared machine are noisy; the ratios against the baseline measured in the same run,
and the CPU seconds, are what to compare.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_file(path: Path, rows: int) -> None:
    """A canonical contacts CSV with realistic columns; ~1% rows break one rule."""
    import duckdb

    con = duckdb.connect()
    con.execute(
        f"""
        COPY (
          SELECT
            'C' || lpad(CAST(i AS VARCHAR), 9, '0') AS contact_id,
            'bench' AS source,
            CAST(i AS VARCHAR) AS source_id,
            CASE WHEN i % 997 = 0 THEN 'fax'
                 ELSE ['voice','chat','email','kakaotalk','inapp'][1 + i % 5] END AS channel,
            'Q' || (i % 15) AS queue_id,
            ['SEOUL','BUSAN','MANILA'][1 + i % 3] AS center_id,
            'A' || (i % 400) AS agent_id,
            'U' || (hash(i) % {max(rows // 3, 1)}) AS customer_id,
            CASE WHEN i % 10 = 0 THEN 'vip' ELSE 'general' END AS segment,
            1 + i % 3 AS priority,
            strftime(TIMESTAMP '2026-01-01' + to_seconds(i * 13 % 31536000), '%Y-%m-%d %H:%M:%S')
              AS created_at,
            CASE WHEN i % 9 = 0 THEN NULL ELSE strftime(TIMESTAMP '2026-01-01'
              + to_seconds(i * 13 % 31536000 + i % 240), '%Y-%m-%d %H:%M:%S') END AS answered_at,
            CASE WHEN i % 9 = 0 THEN strftime(TIMESTAMP '2026-01-01'
              + to_seconds(i * 13 % 31536000 + 30), '%Y-%m-%d %H:%M:%S') END AS abandoned_at,
            CASE WHEN i % 1009 = 0 THEN -5 WHEN i % 9 = 0 THEN 30 ELSE i % 240 END AS wait_s,
            CASE WHEN i % 9 = 0 THEN NULL ELSE 120 + i % 600 END AS handle_s,
            CASE WHEN i % 9 = 0 THEN NULL ELSE strftime(TIMESTAMP '2026-01-01'
              + to_seconds(i * 13 % 31536000 + 900 + i % 7200), '%Y-%m-%d %H:%M:%S') END
              AS resolved_at,
            'false' AS reopened,
            ['결제/환불','배송/지연','계정/로그인','상품/문의'][1 + i % 4] AS tag_id,
            'agent' AS handled_by,
            CASE WHEN i % 1013 = 0 THEN '9' WHEN i % 4 = 0 THEN CAST(1 + i % 5 AS VARCHAR) END
              AS csat,
            CASE WHEN i % 7 = 0 THEN CAST(1 + i % 7 AS VARCHAR) END AS ces
          FROM range(1, {rows} + 1) t(i)
        ) TO '{path}' (FORMAT csv, HEADER true)
        """
    )
    # Parquet exports are typed: let DuckDB infer the types (timestamps stay naive, i.e. local)
    con.execute(
        f"COPY (SELECT * FROM read_csv('{path}')) TO '{path.with_suffix('.parquet')}' "
        "(FORMAT parquet)"
    )


def pandas_baseline(path: Path) -> tuple[float, int]:
    """pandas.read_csv + the core rules (types, required, ranges, channel); returns (s, accepted)."""
    import pandas as pd

    from ops.store.schema import CHANNELS

    t0 = time.perf_counter()
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    bad = pd.Series(False, index=df.index)
    for c in ("contact_id", "channel", "queue_id", "center_id", "created_at"):
        bad |= df[c].isna()
    ts = {}
    for c in ("created_at", "answered_at", "abandoned_at", "resolved_at"):
        ts[c] = pd.to_datetime(df[c], errors="coerce", format="%Y-%m-%d %H:%M:%S")
        bad |= df[c].notna() & ts[c].isna()
    for c in ("wait_s", "handle_s", "csat", "ces", "priority"):
        num = pd.to_numeric(df[c], errors="coerce")
        bad |= df[c].notna() & num.isna()
        if c in ("wait_s", "handle_s"):
            bad |= num < 0
        if c == "csat":
            bad |= (num < 1) | (num > 5)
        if c == "ces":
            bad |= (num < 1) | (num > 7)
    bad |= ts["answered_at"] < ts["created_at"]
    bad |= ~df["channel"].isin(CHANNELS)
    accepted = int((~bad).sum())
    return time.perf_counter() - t0, accepted


def _import_in_child(db: Path, path: Path) -> tuple[float, float, object, float]:
    from ops.store import Store
    from ops.store.importers import import_file

    with Store.open(db) as store:
        t0, c0 = time.perf_counter(), time.process_time()
        s = import_file(store, path)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return wall, cpu, s, peak_rss_mb()


def timed_import(db: Path, path: Path) -> tuple[float, float, object, float]:
    """(wall s, CPU s, summary, peak RSS MB) of one ``import_file`` into the store at ``db``.

    Runs in a fresh process, so the peak RSS is the import's own (not the file generator's)."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_import_in_child, (db, path))


def _ceiling_in_child(db: Path, path: Path, preserve_order: bool) -> tuple[float, float, float]:
    import duckdb

    con = duckdb.connect(str(db))
    con.execute(f"SET preserve_insertion_order = {'true' if preserve_order else 'false'}")
    reader = (
        f"read_parquet('{path}')"
        if path.suffix == ".parquet"
        else f"read_csv('{path}', header = true)"
    )
    t0, c0 = time.perf_counter(), time.process_time()
    con.execute(f"CREATE TABLE raw AS SELECT * FROM {reader}")
    con.close()
    return time.perf_counter() - t0, time.process_time() - c0, peak_rss_mb()


def engine_ceiling(db: Path, path: Path, preserve_order: bool) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of DuckDB alone: the file (CSV, or Parquet by its suffix) ->
    typed table in a new on-disk database.

    No validation, no time zones, no derived fields, no staging, no upsert: the least any import
    into an on-disk DuckDB store can cost on this machine. ``preserve_order=False`` lets DuckDB
    write in parallel without keeping the file's row order (the true ceiling; an import that
    reports rejected rows by line number needs the order somewhere). Fresh process, like the
    imports."""
    import multiprocessing

    if db.exists():
        db.unlink()
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_ceiling_in_child, (db, path, preserve_order))


def print_stages(label: str, summary: object) -> None:
    """The per-stage wall/CPU breakdown recorded by the importer."""
    stages = getattr(summary, "stage_seconds", {}) or {}
    parts = [f"{k} {v['wall']:.2f}/{v['cpu']:.2f}" for k, v in stages.items()]
    print(f"  {label} stages (wall/CPU s): " + ", ".join(parts))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--keep", type=Path, default=None, help="Keep the generated files here.")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds (medians)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ccops-bench-import-"))
    try:
        csv = tmp / "contacts.csv"
        t0 = time.perf_counter()
        make_file(csv, args.rows)
        print(
            f"generated {args.rows:,} rows ({csv.stat().st_size / 1e6:.0f} MB CSV, "
            f"{csv.with_suffix('.parquet').stat().st_size / 1e6:.0f} MB Parquet) in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        pq = csv.with_suffix(".parquet")
        # interleaved rounds: ccops and DuckDB alone in turn on each format (the machine drifts)
        rounds: dict[str, list[tuple[float, float]]] = {k: [] for k in ("csv", "pq", "dcsv", "dpq")}
        for _ in range(args.rounds):
            for db in (tmp / "csv.duckdb", tmp / "pq.duckdb"):
                db.unlink(missing_ok=True)
            t_csv, c_csv, s_csv, rss_csv = timed_import(tmp / "csv.duckdb", csv)
            rounds["csv"].append((t_csv, c_csv))
            t_ce, c_ce, rss_ce = engine_ceiling(tmp / "ceiling.duckdb", csv, True)
            rounds["dcsv"].append((t_ce, c_ce))
            t_pq, c_pq, s_pq, rss_pq = timed_import(tmp / "pq.duckdb", pq)
            rounds["pq"].append((t_pq, c_pq))
            t_cp, c_cp, rss_cp = engine_ceiling(tmp / "ceiling.duckdb", pq, True)
            rounds["dpq"].append((t_cp, c_cp))
        t_re, c_re, s_re, _ = timed_import(tmp / "csv.duckdb", csv)

        def med(k: str, i: int) -> float:
            return statistics.median(r[i] for r in rounds[k])

        t_csv, c_csv, t_pq, c_pq = med("csv", 0), med("csv", 1), med("pq", 0), med("pq", 1)
        print(
            f"ccops CSV     : {t_csv:6.2f} s wall {c_csv:6.2f} s CPU  {args.rows / t_csv:>11,.0f} "
            f"rows/s  accepted {s_csv.accepted:,} rejected {s_csv.rejected:,}  "
            f"peak RSS {rss_csv:,.0f} MB"
        )
        print_stages("CSV (last round)", s_csv)
        print(
            f"ccops CSV again: {t_re:6.2f} s wall {c_re:6.2f} s CPU  {args.rows / t_re:>11,.0f} "
            f"rows/s  duplicates {s_re.duplicates:,} inserted {s_re.inserted:,} (idempotent path)"
        )
        print_stages("CSV again", s_re)
        print(
            f"ccops Parquet : {t_pq:6.2f} s wall {c_pq:6.2f} s CPU  {args.rows / t_pq:>11,.0f} "
            f"rows/s  accepted {s_pq.accepted:,}  peak RSS {rss_pq:,.0f} MB"
        )
        print_stages("Parquet (last round)", s_pq)
        for k, label, mine in (("dcsv", "CSV", (t_csv, c_csv)), ("dpq", "Parquet", (t_pq, c_pq))):
            t_d, c_d = med(k, 0), med(k, 1)
            print(
                f"DuckDB alone ({label} -> typed table, no validation, file order kept): "
                f"{t_d:6.2f} s wall {c_d:6.2f} s CPU  {args.rows / t_d:>11,.0f} rows/s"
            )
            print(
                f"  ccops {label} throughput / DuckDB alone's: {t_d / mine[0]:.2f}x wall, "
                f"{c_d / mine[1]:.2f}x CPU (median of {args.rounds} interleaved round(s); "
                f"per round wall: "
                + ", ".join(
                    f"{d[0] / c[0]:.2f}" for c, d in zip(rounds[k[1:]], rounds[k], strict=True)
                )
                + ")"
            )
        t_ce, c_ce, rss_ce = engine_ceiling(tmp / "ceiling.duckdb", csv, False)
        print(
            f"DuckDB alone (CSV, row order not kept, parallel write): {t_ce:6.2f} s wall "
            f"{c_ce:6.2f} s CPU  {args.rows / t_ce:>11,.0f} rows/s  peak RSS {rss_ce:,.0f} MB"
        )
        if not args.skip_baseline:
            c0 = time.process_time()
            t_pd, acc_pd = pandas_baseline(csv)
            c_pd = time.process_time() - c0  # (this process only: the imports ran in children)
            print(
                f"pandas baseline (read_csv + validate, no write): {t_pd:6.2f} s wall "
                f"{c_pd:6.2f} s CPU  "
                f"{args.rows / t_pd:>11,.0f} rows/s  accepted {acc_pd:,}  "
                f"peak RSS {peak_rss_mb():,.0f} MB"
            )
            print(
                f"ratio vs pandas baseline (wall): CSV {t_pd / t_csv:.2f}x, Parquet "
                f"{t_pd / t_pq:.2f}x; (CPU): CSV {c_pd / c_csv:.2f}x, Parquet {c_pd / c_pq:.2f}x "
                "(>1 = ccops faster, although ccops also writes and commits)"
            )
        print("(shared 2-core machine: timings are noisy)")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(csv, args.keep / csv.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
