"""Benchmark: the SLA engine on 10M contacts against hand-written DuckDB SQL and pandas.

(a) ``sla report`` by day x center x channel for two years (offered, answered, abandoned, service
    level, ASA, abandon rate, AHT) -- ``ops.sla.metric_table``; (a2) daily service level alone by
    center x channel (the aggregation the issue's reference figure measured);
(b) a month's compliance for all centers (every contract line, penalty statements) --
    ``ops.sla.compliance.compliance``.
Baselines in the same run: the same aggregation written by hand in DuckDB SQL, and in pandas on a
frame already in memory (load time not counted). Times are the median of --repeat warm runs;
ccops and its hand SQL run in turn within each round (the machine's speed drifts).

    .venv/bin/python bench/bench_sla.py                        # synthetic 10M rows in /tmp
    .venv/bin/python bench/bench_sla.py --rows 2000000         # smaller
    .venv/bin/python bench/bench_sla.py --db /tmp/sla10m.duckdb  # an existing demo DB (ccops demo --scale 5)

The synthetic store: 730 days ending 2026-10-31, 3 centers (SEOUL, BUSAN, MANILA), 15 queues over
5 channels, rows in creation order, waits/abandons/handle times drawn from hash-based randoms.
Timings on a shared 2-core machine are noisy; they are reported as measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from ops.sla.compliance import compliance  # noqa: E402
from ops.sla.contracts import CONTRACTS_DIR, load_contracts  # noqa: E402
from ops.sla.metrics import metric_table  # noqa: E402
from ops.store import Store  # noqa: E402

REPORT_METRICS = ["offered", "answered", "abandoned", "service_level", "asa_s", "abandon_rate",
                  "aht_s"]  # fmt: skip
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def build_synthetic(path: Path, rows: int) -> None:
    import json

    cal = {"timezone": "Asia/Seoul", "weekly": {d: [["09:00", "18:00"]] for d in WEEKDAYS},
           "holidays": "KR"}  # fmt: skip
    centers = pd.DataFrame(
        [
            {"center_id": "SEOUL", "name": "Seoul", "kind": "in_house", "timezone": "Asia/Seoul",
             "hourly_cost": 30000.0, "currency": "KRW", "calendar_json": json.dumps(cal)},
            {"center_id": "BUSAN", "name": "Busan", "kind": "vendor", "timezone": "Asia/Seoul",
             "hourly_cost": 25000.0, "currency": "KRW", "calendar_json": json.dumps(cal)},
            {"center_id": "MANILA", "name": "Manila", "kind": "vendor", "timezone": "Asia/Manila",
             "hourly_cost": 12000.0, "currency": "KRW",
             "calendar_json": json.dumps({**cal, "timezone": "Asia/Manila", "holidays": None})},
        ]
    )  # fmt: skip
    chans = [("voice", "live"), ("chat", "live"), ("inapp", "live"), ("email", "async"),
             ("kakaotalk", "async")]  # fmt: skip
    queues = pd.DataFrame(
        [{"queue_id": f"{c.upper()}_{s.upper()}_{i}", "name": f"{c} {s}", "channel": c, "mode": m,
          "segment": s, "concurrency": 2 if c == "chat" else 1}
         for i, (c, m) in enumerate(chans) for s in ("general", "vip", "biz")]
    )  # fmt: skip
    with Store.open(path) as store:
        with store.write() as cur:
            store.append_df("centers", centers, cur)
            store.append_df("queues", queues, cur)
            cur.execute(
                f"""
                INSERT INTO contacts (contact_id, channel, queue_id, center_id, segment,
                    created_at, created_local, answered_at, abandoned_at, wait_s, handle_s,
                    handled_by, csat, ces, first_response_business_s, resolved_at)
                WITH base AS (
                  SELECT i,
                    TIMESTAMP '2024-11-01 00:00:00' + to_seconds(i * (730 * 86400 // {rows})) AS ts,
                    hash(i) AS h1, hash(i * 7 + 3) AS h2, hash(i * 13 + 5) AS h3
                  FROM range({rows}) t(i)
                ), q AS (
                  SELECT *, ['voice','voice','voice','chat','inapp','email','kakaotalk'][
                      1 + (h1 % 7)::INT] AS channel,
                    ['general','general','general','vip','biz'][1 + (h2 % 5)::INT] AS segment,
                    ['SEOUL','SEOUL','BUSAN','MANILA'][1 + (h3 % 4)::INT] AS center_id,
                    (h2 % 1000) / 1000.0 AS u, (h3 % 1000) / 1000.0 AS v
                  FROM base
                )
                SELECT 'c' || i, channel,
                  upper(channel) || '_' || upper(segment) || '_' ||
                    (CASE channel WHEN 'voice' THEN 0 WHEN 'chat' THEN 1 WHEN 'inapp' THEN 2
                     WHEN 'email' THEN 3 ELSE 4 END)::VARCHAR,
                  center_id, segment, ts,
                  ts + CASE WHEN center_id = 'MANILA' THEN INTERVAL 8 HOUR ELSE INTERVAL 9 HOUR END,
                  CASE WHEN channel IN ('email','kakaotalk') THEN ts + to_seconds((u * 30000)::BIGINT)
                       WHEN v < 0.92 THEN ts + to_seconds((u * 60)::BIGINT) END,
                  CASE WHEN channel NOT IN ('email','kakaotalk') AND v >= 0.92
                       THEN ts + to_seconds((u * 90)::BIGINT) END,
                  CASE WHEN channel IN ('email','kakaotalk') THEN (u * 30000)::BIGINT
                       WHEN v < 0.92 THEN (u * 60)::BIGINT ELSE (u * 90)::BIGINT END,
                  120 + v * 600, 'agent',
                  CASE WHEN i % 10 = 0 THEN 1 + (h1 % 5)::INT END,
                  CASE WHEN i % 12 = 0 THEN 1 + (h2 % 7)::INT END,
                  CASE WHEN channel IN ('email','kakaotalk') THEN u * 20000 END,
                  CASE WHEN channel IN ('email','kakaotalk') THEN ts + INTERVAL 2 DAY END
                FROM q
                """
            )
        load_contracts(store, CONTRACTS_DIR)


HAND_REPORT_SQL = """
SELECT CAST(created_local AS DATE) AS period, center_id, channel,
  count(*) FILTER (WHERE live AND answered_at IS NOT NULL) AS answered,
  count(*) FILTER (WHERE live AND answered_at IS NULL AND abandoned_at IS NOT NULL
                   AND coalesce(wait_s, 1e18) >= 5) AS abandoned,
  count(*) FILTER (WHERE live AND answered_at IS NOT NULL AND coalesce(wait_s, 1e18) <= 20)
    AS answered_within_t,
  sum(wait_s) FILTER (WHERE live AND answered_at IS NOT NULL) AS wait_sum,
  sum(handle_s) FILTER (WHERE agent AND answered_at IS NOT NULL AND handle_s IS NOT NULL)
    AS handle_sum,
  count(*) FILTER (WHERE agent AND answered_at IS NOT NULL AND handle_s IS NOT NULL) AS handled
FROM (
  SELECT *, (handled_by IS NULL OR handled_by = 'agent') AS agent,
         queue_id IN (SELECT queue_id FROM queues WHERE mode = 'live')
         AND (handled_by IS NULL OR handled_by = 'agent') AS live
  FROM contacts
)
GROUP BY ALL
"""

# The reference aggregation: daily service level (20 s, short abandons under 5 s not
# offered) by center x channel, live agent-handled contacts.
HAND_SL_SQL = """
SELECT CAST(created_local AS DATE) AS period, center_id, channel,
  count(*) FILTER (WHERE live AND answered_at IS NOT NULL AND coalesce(wait_s, 1e18) <= 20) AS num,
  count(*) FILTER (WHERE live AND (answered_at IS NOT NULL
                   OR (abandoned_at IS NOT NULL AND coalesce(wait_s, 1e18) >= 5))) AS den
FROM (
  SELECT *, queue_id IN (SELECT queue_id FROM queues WHERE mode = 'live')
         AND (handled_by IS NULL OR handled_by = 'agent') AS live
  FROM contacts
)
GROUP BY ALL
"""

HAND_MONTH_SQL = """
SELECT center_id, channel, segment,
  count(*) FILTER (WHERE live AND answered_at IS NOT NULL AND coalesce(wait_s, 1e18) <= 20) AS awt20,
  count(*) FILTER (WHERE live AND answered_at IS NOT NULL AND coalesce(wait_s, 1e18) <= 10) AS awt10,
  count(*) FILTER (WHERE live AND answered_at IS NOT NULL AND coalesce(wait_s, 1e18) <= 30) AS awt30,
  count(*) FILTER (WHERE live AND (answered_at IS NOT NULL OR (abandoned_at IS NOT NULL
                   AND coalesce(wait_s, 1e18) >= 5))) AS offered,
  count(*) FILTER (WHERE live AND answered_at IS NULL AND abandoned_at IS NOT NULL
                   AND coalesce(wait_s, 1e18) >= 5) AS abandoned,
  count(*) FILTER (WHERE NOT live AND answered_at IS NOT NULL
                   AND coalesce(first_response_business_s, wait_s) <= 16 * 3600) AS rr16,
  count(*) FILTER (WHERE NOT live AND answered_at IS NOT NULL) AS responded,
  sum(ces) FILTER (WHERE ces BETWEEN 1 AND 7) AS ces_sum,
  count(*) FILTER (WHERE ces BETWEEN 1 AND 7) AS ces_n,
  count(*) FILTER (WHERE csat BETWEEN 4 AND 5) AS csat_top2,
  count(*) FILTER (WHERE csat BETWEEN 1 AND 5) AS csat_n
FROM (
  SELECT *, queue_id IN (SELECT queue_id FROM queues WHERE mode = 'live')
         AND (handled_by IS NULL OR handled_by = 'agent') AS live
  FROM contacts
  WHERE created_local >= TIMESTAMP '{first}' AND created_local < TIMESTAMP '{after}'
)
GROUP BY ALL
"""


# What compliance computes, written by hand: every contract line's counts for the month by day x
# center x channel x segment (daily lines need the day; monthly lines sum the days), the response
# rates at 16/6/24 h with pending contacts (unanswered, deadline not yet passed) left out of the
# denominator, the QA score per center, the data's coverage per center (partial months) and the
# latest contact (as of). Cutoffs here are calendar hours before as_of (ccops uses business hours:
# the same per-row work, one CASE per center).
HAND_COMPLIANCE_SQL = [
    """
SELECT CAST(created_local AS DATE) AS day, center_id, channel, segment,
  count(*) FILTER (WHERE live AND ans AND w <= 20) AS awt20,
  count(*) FILTER (WHERE live AND ans AND w <= 10) AS awt10,
  count(*) FILTER (WHERE live AND ans AND w <= 30) AS awt30,
  count(*) FILTER (WHERE live AND (ans OR (abandoned_at IS NOT NULL AND w >= 5))) AS offered,
  count(*) FILTER (WHERE live AND NOT ans AND abandoned_at IS NOT NULL AND w >= 5) AS abandoned,
  count(*) FILTER (WHERE async AND ans AND coalesce(first_response_business_s, w) <= 16 * 3600)
    AS rr16,
  count(*) FILTER (WHERE async AND (ans OR created_at <= TIMESTAMP '{as_of}' - INTERVAL 16 HOUR))
    AS rr16_den,
  count(*) FILTER (WHERE async AND ans AND coalesce(first_response_business_s, w) <= 6 * 3600)
    AS rr6,
  count(*) FILTER (WHERE async AND (ans OR created_at <= TIMESTAMP '{as_of}' - INTERVAL 6 HOUR))
    AS rr6_den,
  count(*) FILTER (WHERE async AND ans AND coalesce(first_response_business_s, w) <= 24 * 3600)
    AS rr24,
  count(*) FILTER (WHERE async AND (ans OR created_at <= TIMESTAMP '{as_of}' - INTERVAL 24 HOUR))
    AS rr24_den,
  sum(ces) FILTER (WHERE ces BETWEEN 1 AND 7) AS ces_sum,
  count(*) FILTER (WHERE ces BETWEEN 1 AND 7) AS ces_n,
  count(*) FILTER (WHERE csat BETWEEN 4 AND 5) AS csat_top2,
  count(*) FILTER (WHERE csat BETWEEN 1 AND 5) AS csat_n
FROM (
  SELECT *, answered_at IS NOT NULL AS ans, coalesce(wait_s, 1e18) AS w,
    queue_id IN (SELECT queue_id FROM queues WHERE mode = 'live')
      AND (handled_by IS NULL OR handled_by = 'agent') AS live,
    queue_id NOT IN (SELECT queue_id FROM queues WHERE mode = 'live')
      AND (handled_by IS NULL OR handled_by = 'agent') AND abandoned_at IS NULL AS async
  FROM contacts
  WHERE created_local >= TIMESTAMP '{first}' AND created_local < TIMESTAMP '{after}'
)
GROUP BY ALL
""",
    # the QA score as DESIGN.md defines it (each item 0-100 by its scale, weighted mean over the
    # items not N/A, 0 when a critical item fails or the evaluator flagged it), from the forms'
    # stored definitions, by evaluation then by center x local day
    """
WITH items AS (
  SELECT f.form_id, f.version AS form_version, i ->> 'id' AS item_id, i ->> 'scale' AS scale,
    CAST(i ->> 'weight' AS DOUBLE) AS weight, CAST(i ->> 'max_points' AS DOUBLE) AS max_points,
    coalesce(CAST(i ->> 'critical' AS BOOLEAN), FALSE) AS critical,
    CASE i ->> 'scale' WHEN '1-5' THEN 1.0 ELSE 0.0 END AS lo,
    CASE i ->> 'scale' WHEN 'yes_no' THEN 1.0 WHEN '1-5' THEN 5.0
      ELSE CAST(i ->> 'max_points' AS DOUBLE) END AS hi
  FROM qa_forms f,
    unnest(CAST(json_extract(f.definition_json, '$.sections[*].items[*]') AS JSON[])) AS u(i)
), ev AS (
  SELECT evaluation_id, center_id, form_id, form_version, critical_fail,
    evaluated_at + to_seconds({qa_offset}) AS local_ts
  FROM qa_evaluations
  WHERE calibration_session_id IS NULL
    AND evaluated_at >= TIMESTAMP '{first}' - INTERVAL 1 DAY
    AND evaluated_at < TIMESTAMP '{after}' + INTERVAL 1 DAY
), scored AS (
  SELECT ev.evaluation_id, any_value(ev.center_id) AS center_id, any_value(ev.local_ts) AS local_ts,
    bool_or(coalesce(ev.critical_fail, FALSE))
      OR bool_or(it.critical AND NOT s.na AND s.score = it.lo) AS crit,
    sum(it.weight * (s.score - it.lo) / (it.hi - it.lo) * 100) FILTER (WHERE NOT s.na) AS wx,
    sum(it.weight) FILTER (WHERE NOT s.na) AS w
  FROM ev
  JOIN (SELECT *, coalesce(is_na, FALSE) OR score IS NULL AS na FROM qa_item_scores) s
    USING (evaluation_id)
  JOIN items it ON it.form_id = ev.form_id AND it.form_version = ev.form_version
    AND it.item_id = s.item_id
  GROUP BY ev.evaluation_id
)
SELECT center_id, CAST(local_ts AS DATE) AS day,
  sum(CASE WHEN crit THEN 0.0 ELSE wx / w END) FILTER (WHERE w > 0) AS qa_sum,
  count(*) FILTER (WHERE w > 0) AS qa_n
FROM scored WHERE local_ts >= TIMESTAMP '{first}' AND local_ts < TIMESTAMP '{after}'
GROUP BY ALL
""",
    """
SELECT center_id, min(created_local) AS lo, max(created_local) AS hi FROM contacts
WHERE created_local >= TIMESTAMP '{first}' - INTERVAL 7 DAY AND created_local < TIMESTAMP '{after}'
GROUP BY ALL
""",
    "SELECT max(created_at) AS as_of FROM contacts",
]


def utc_offset_s(tz: str, day: str) -> int:
    """Seconds east of UTC of ``tz`` on ``day`` (the hand SQL's fixed offset per center)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    off = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(tz)).utcoffset()
    return int(off.total_seconds()) if off is not None else 0


BEST: dict[int, float] = {}
CPU: dict[int, float] = {}


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median of ``repeat`` warm runs (the best run is kept in BEST for the noisy-machine note).

    The median process CPU time (all threads: DuckDB's workers and Python) goes to CPU: on a loaded
    machine wall time mostly waits for a core, CPU time is what the work costs.
    """
    fn()  # warm
    times, cpus, out = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    BEST[id(fn)] = min(times)
    CPU[id(fn)] = statistics.median(cpus)
    return statistics.median(times), out


def timed_together(*fns, repeat: int) -> list[tuple[float, object]]:
    """Like :func:`timed` for several functions, run in turn within each round (ccops, then the
    hand SQL, then ccops again...): on a shared machine whose speed drifts by the minute, both
    sides then see the same moments, so their ratio is not the drift's."""
    for fn in fns:
        fn()  # warm
    times: list[list[float]] = [[] for _ in fns]
    cpus: list[list[float]] = [[] for _ in fns]
    outs: list[object] = [None] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t0, c0 = time.perf_counter(), time.process_time()
            outs[i] = fn()
            times[i].append(time.perf_counter() - t0)
            cpus[i].append(time.process_time() - c0)
    for i, fn in enumerate(fns):
        BEST[id(fn)] = min(times[i])
        CPU[id(fn)] = statistics.median(cpus[i])
    return [(statistics.median(t), o) for t, o in zip(times, outs, strict=True)]


def best(fn) -> float:
    return BEST.get(id(fn), float("nan"))


def cpu(fn) -> float:
    return CPU.get(id(fn), float("nan"))


def pandas_report(df: pd.DataFrame, live_ids: set[str]) -> pd.DataFrame:
    live = df["queue_id"].isin(live_ids) & (df["handled_by"].isna() | (df["handled_by"] == "agent"))
    ans = df["answered_at"].notna()
    w = df["wait_s"].fillna(1e18)
    x = pd.DataFrame(
        {
            "period": df["created_local"].dt.floor("D"),
            "center_id": df["center_id"],
            "channel": df["channel"],
            "answered": live & ans,
            "abandoned": live & ~ans & df["abandoned_at"].notna() & (w >= 5),
            "awt": live & ans & (w <= 20),
            "wait": df["wait_s"].where(live & ans, 0.0),
            "handle": df["handle_s"].where(ans, 0.0),
        }
    )
    return x.groupby(["period", "center_id", "channel"], sort=False).sum()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=None, help="existing ccops database to use")
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--month", default="2026-09")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-pandas", action="store_true", help="skip the pandas baseline (RAM)")
    args = ap.parse_args()

    path = args.db or Path(f"/tmp/ccops-bench-sla-{args.rows}.duckdb")
    if not path.exists():
        t0 = time.perf_counter()
        build_synthetic(path, args.rows)
        print(f"built synthetic store {path} ({args.rows:,} contacts) in "
              f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
    with Store.open(path) as store:
        if store.query("SELECT count(*) AS n FROM sla_contracts").n[0] == 0:
            load_contracts(store, CONTRACTS_DIR)
        n = int(store.query("SELECT count(*) AS n FROM contacts").n[0])
        lo, hi = store.query("SELECT min(created_local) AS a, max(created_local) AS b FROM contacts").iloc[0]  # fmt: skip
        print(f"store {path}: {n:,} contacts, {lo} .. {hi}")
        reader = store.reader()
        cur = store.cursor()

        # (a) report day x center x channel, whole history
        def ccops_report() -> pd.DataFrame:
            return metric_table(reader, REPORT_METRICS, period="day", by=["center", "channel"])

        def sql_report() -> pd.DataFrame:
            return cur.execute(HAND_REPORT_SQL).df()

        (t_ccops, df), (t_sql, hand) = timed_together(ccops_report, sql_report, repeat=args.repeat)
        print(f"(a) report day x center x channel: {len(df):,} rows")
        live_rows = df[df["offered"] > 0]
        assert int(live_rows["service_level_num"].sum()) == int(hand["answered_within_t"].sum())
        line = (
            f"    ccops {t_ccops:.3f} s | hand SQL {t_sql:.3f} s | ccops/SQL {t_ccops / t_sql:.2f}x"
        )
        if not args.no_pandas:
            live_ids = set(store.query("SELECT queue_id FROM queues WHERE mode = 'live'").queue_id)
            frame = cur.execute(
                "SELECT created_local, center_id, channel, queue_id, handled_by, answered_at, "
                "abandoned_at, wait_s, handle_s FROM contacts"
            ).df()
            t_pd, _ = timed(lambda: pandas_report(frame, live_ids), max(1, args.repeat - 1))
            line += f" | pandas {t_pd:.3f} s ({t_pd / t_sql:.1f}x SQL)"
            del frame
        print(line)
        print(f"    best of {args.repeat}: ccops {best(ccops_report):.3f} s | hand SQL "
              f"{best(sql_report):.3f} s")  # fmt: skip
        print(f"    CPU median: ccops {cpu(ccops_report):.3f} s | hand SQL {cpu(sql_report):.3f} s"
              f" | ccops/SQL {cpu(ccops_report) / cpu(sql_report):.2f}x")  # fmt: skip

        # (a2) the reference: daily SL alone by center x channel
        def ccops_sl() -> pd.DataFrame:
            return metric_table(reader, ["service_level"], period="day", by=["center", "channel"])

        def sql_sl() -> pd.DataFrame:
            return cur.execute(HAND_SL_SQL).df()

        (t_sl, sl), (t_sl_sql, sl_hand) = timed_together(ccops_sl, sql_sl, repeat=args.repeat)
        assert int(sl["service_level_num"].sum()) == int(sl_hand["num"].sum())
        print(f"(a2) daily service level alone by center x channel: ccops {t_sl:.3f} s | hand SQL "
              f"{t_sl_sql:.3f} s | ccops/SQL {t_sl / t_sl_sql:.2f}x | CPU ccops {cpu(ccops_sl):.3f} s"
              f" hand {cpu(sql_sl):.3f} s")  # fmt: skip

        # (b) a month's compliance, every center and contract line
        y, m = (int(x) for x in args.month.split("-"))
        first = f"{y:04d}-{m:02d}-01"
        after = f"{y + (m == 12):04d}-{m % 12 + 1:02d}-01"
        sql = HAND_MONTH_SQL.format(first=first, after=after)

        def ccops_month() -> object:
            return compliance(reader, month=args.month)

        def sql_month() -> pd.DataFrame:
            return cur.execute(sql).df()

        as_of = cur.execute("SELECT max(created_at) FROM contacts").fetchall()[0][0]
        # each center's UTC offset in seconds (the synthetic and demo centers keep no DST)
        offsets = cur.execute(
            "SELECT center_id, timezone FROM centers ORDER BY center_id"
        ).fetchall()
        qa_offset = (
            "CASE center_id "
            + " ".join(f"WHEN '{c}' THEN {utc_offset_s(tz, first)}" for c, tz in offsets)
            + " ELSE 0 END"
        )
        full_sql = [
            q.format(first=first, after=after, as_of=as_of, qa_offset=qa_offset)
            for q in HAND_COMPLIANCE_SQL
        ]

        def sql_month_full() -> list[pd.DataFrame]:
            return [cur.execute(q).df() for q in full_sql]

        # the hand QA query gives ccops' QA score (the same evaluations, the same mean)
        from ops.qa.scoring import evaluation_scores

        hand_qa = sql_month_full()[1]
        last = (pd.Timestamp(after) - pd.Timedelta(days=1)).date()
        scores = evaluation_scores(reader, first, last)["score"].dropna()
        assert int(hand_qa["qa_n"].sum()) == len(scores), (hand_qa["qa_n"].sum(), len(scores))
        assert abs(hand_qa["qa_sum"].sum() / hand_qa["qa_n"].sum() - scores.mean()) < 1e-9

        (t_comp, rep), (t_full, _), (t_sql2, _) = timed_together(
            ccops_month, sql_month_full, sql_month, repeat=args.repeat
        )
        print(f"(b) compliance {args.month}: {len(rep.lines)} line results, "
              f"{len(rep.statements)} statements")  # fmt: skip
        line = (
            f"    ccops {t_comp:.3f} s | hand SQL (every line: day x center x channel x segment, "
            f"3 response-rate windows, QA, coverage, as-of) {t_full:.3f} s | ccops/SQL "
            f"{t_comp / t_full:.2f}x\n"
            f"    narrow hand SQL (monthly counts by center x channel x segment only) "
            f"{t_sql2:.3f} s | ccops/narrow {t_comp / t_sql2:.2f}x"
        )
        if not args.no_pandas:
            month = cur.execute(
                "SELECT center_id, channel, segment, queue_id, handled_by, answered_at, "
                "abandoned_at, wait_s, ces, csat FROM contacts WHERE created_local >= ? AND "
                "created_local < ?", [first, after]
            ).df()  # fmt: skip
            live_ids = set(store.query("SELECT queue_id FROM queues WHERE mode = 'live'").queue_id)

            def pandas_month() -> pd.DataFrame:
                live = month["queue_id"].isin(live_ids)
                ans = month["answered_at"].notna()
                w = month["wait_s"].fillna(1e18)
                x = month[["center_id", "channel", "segment"]].assign(
                    awt20=live & ans & (w <= 20), awt10=live & ans & (w <= 10),
                    awt30=live & ans & (w <= 30),
                    offered=live & (ans | (month["abandoned_at"].notna() & (w >= 5))),
                    ces=month["ces"], csat_top2=month["csat"].between(4, 5),
                )  # fmt: skip
                return x.groupby(["center_id", "channel", "segment"], sort=False).sum()

            t_pd2, _ = timed(pandas_month, args.repeat)
            line += f" | pandas {t_pd2:.3f} s"
        print(line)
        print(f"    best of {args.repeat}: ccops {best(ccops_month):.3f} s | hand SQL "
              f"{best(sql_month_full):.3f} s | narrow {best(sql_month):.3f} s")  # fmt: skip
        print(f"    CPU median: ccops {cpu(ccops_month):.3f} s | hand SQL "
              f"{cpu(sql_month_full):.3f} s | ccops/SQL "
              f"{cpu(ccops_month) / cpu(sql_month_full):.2f}x")  # fmt: skip
        print(f"targets (issue 17): report and compliance each <= 1.15x their hand SQL in this run "
              f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")  # fmt: skip


if __name__ == "__main__":
    main()
