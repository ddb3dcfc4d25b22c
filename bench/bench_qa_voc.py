"""QA and VOC service timings on a simulated store, as ratios to plain scans measured in the same run.

Builds a demo store (``build_demo``; default 180 days at scale 1) unless ``--db`` points at an
existing one, then times each public service (best of ``--repeat`` runs) and prints it next to two
baselines measured on the same store in the same run:

- ``scan``: one Ibis ``group_by(tag_id).count()`` over all contacts (one full scan in DuckDB);
- ``qa_scan``: one Ibis mean of raw item scores per evaluation (join + group, no form logic).

Usage: ``python bench/bench_qa_voc.py [--days 180] [--scale 1.0] [--db FILE] [--repeat 2]``.
The machine may be shared with other jobs: timings are noisy; compare the ratios.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def best_of(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=180)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--db", type=Path, default=None, help="use this existing store")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()

    from ops import qa, voc
    from ops.qa.sampling import iso_week_label
    from ops.store import Store
    from ops.voc.tags import data_last_day, last_complete_period

    tmp = None
    if args.db is None:
        from ops.simulate import build_demo

        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "bench.duckdb"
        t0 = time.perf_counter()
        with Store.open(path) as s:
            build_demo(s, seed=7, days=args.days, end=date(2026, 10, 31), scale=args.scale)
        print(
            f"built demo ({args.days} days, scale {args.scale}) in {time.perf_counter() - t0:.1f} s"
        )
    else:
        path = args.db
    store = Store.open(path, read_only=True)
    r = store.reader()
    sizes = store.query(
        "SELECT (SELECT count(*) FROM contacts) AS contacts, "
        "(SELECT count(*) FROM qa_evaluations) AS evaluations, "
        "(SELECT count(*) FROM qa_item_scores) AS item_scores"
    ).iloc[0]
    print(
        f"store: {int(sizes['contacts']):,} contacts, {int(sizes['evaluations']):,} evaluations, "
        f"{int(sizes['item_scores']):,} item scores"
    )

    c = r.table("contacts")
    it = r.table("qa_item_scores")

    def scan() -> Any:
        return r.execute(c.group_by("tag_id").aggregate(n=c.count()))

    def qa_scan() -> Any:
        return r.execute(it.group_by("evaluation_id").aggregate(m=it.score.mean()))

    week = iso_week_label(last_complete_period(data_last_day(r), "week"))
    cases: list[tuple[str, str, Callable[[], Any]]] = [
        ("qa.evaluation_scores", "qa_scan", lambda: qa.evaluation_scores(r)),
        ("qa.qa_scorecard(agent)", "qa_scan", lambda: qa.qa_scorecard(r, "agent")),
        ("qa.item_weaknesses(team)", "qa_scan", lambda: qa.item_weaknesses(r, "team")),
        ("qa.coaching_list", "qa_scan", lambda: qa.coaching_list(r)),
        ("qa.audit_gap", "qa_scan", lambda: qa.audit_gap(r)),
        ("qa.calibration_report", "qa_scan", lambda: qa.calibration_report(r)),
        ("qa.review_sample(week)", "scan", lambda: qa.review_sample(r, week, 5)),
        ("qa.survey_metrics(channel)", "scan", lambda: qa.survey_metrics(r, "channel")),
        ("voc.tag_report(week, 3)", "scan", lambda: voc.tag_report(r, "week", 3)),
        ("voc.tag_hierarchy", "scan", lambda: voc.tag_hierarchy(r)),
        ("voc.contact_flags(tag)", "scan", lambda: voc.contact_flags(r, "tag")),
        ("voc.contact_flags(recompute)", "scan",
         lambda: voc.contact_flags(r, None, recompute=True)),
        ("voc.support_funnel(channel)", "scan", lambda: voc.support_funnel(r, "channel")),
        ("voc.event_impact", "scan", lambda: voc.event_impact(r)),
        ("voc.automation_candidates", "scan", lambda: voc.automation_candidates(r)),
        ("voc.anomaly_flags(level 3)", "scan", lambda: voc.anomaly_flags(r, 3)),
    ]  # fmt: skip
    base = {"scan": best_of(scan, args.repeat), "qa_scan": best_of(qa_scan, args.repeat)}
    print(f"baseline scan (contacts by tag)      {base['scan'] * 1000:9.1f} ms")
    print(f"baseline qa_scan (mean item score)   {base['qa_scan'] * 1000:9.1f} ms")
    print(f"{'service':36s} {'ms':>9s}  {'x baseline':>10s}")
    for name, b, fn in cases:
        t = best_of(fn, args.repeat)
        print(f"{name:36s} {t * 1000:9.1f}  {t / base[b]:9.1f}x {b}")
    store.close()
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
