"""Compliance reuses its prepared queries only while what they bake in is unchanged.

The compliance queries are built once and their SQL re-run (``ScopedReader.execute_prepared``);
the SQL holds literals read from the store (the pending cutoffs from ``as_of`` and each center's
business calendar). Editing a calendar or loading newer data must give the numbers a fresh
process would compute. Expected values are counted by hand from ``sla_fixtures.TICKETS``: six
emails answered within 6 business hours, two late, t8 overdue, t9 created Fri 2026-11-06 15:00
Seoul and unanswered.
"""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
from sla_fixtures import TICKETS, call, load

from ops.sla import MetricParams
from ops.sla.compliance import compliance
from ops.sla.contracts import parse_contract
from ops.store import Store

CONTRACT = parse_contract(
    {"contract_id": "E", "center_id": "SEOUL", "version": 1, "effective_from": "2026-11-01",
     "metrics": [{"metric": "response_rate", "target": 0.9, "threshold": "6h",
                  "scope": {"channel": "email"}, "period": "month"}]}
)  # fmt: skip


def _rr(store: Store, params: MetricParams | None = None) -> tuple[float, float]:
    rep = compliance(store.reader(), month="2026-11", contracts=[CONTRACT], params=params)
    (line,) = rep.lines
    return line.num, line.den


def test_a_calendar_edit_changes_the_pending_cutoff():
    store = Store.open(":memory:")
    load(store, TICKETS)
    # as_of Sat 2026-11-07 01:00 Seoul. Mon-Fri 09-18: t9 (Fri 15:00) has used 3 of its 6
    # business hours -> pending, left out: 6 / 9
    params = MetricParams(as_of=datetime(2026, 11, 6, 16, 0))
    assert _rr(store, params) == (6, 9)
    hits = store.prepared.hits
    assert _rr(store, params) == (6, 9)  # the prepared queries again
    assert store.prepared.hits > hits
    seoul_24x7 = {"timezone": "Asia/Seoul", "weekly": {
        d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}  # fmt: skip
    with store.write() as cur:
        cur.execute(
            "UPDATE centers SET calendar_json = ? WHERE center_id = 'SEOUL'",
            [json.dumps(seoul_24x7)],
        )
    # open 24x7: 10 hours since t9 was created -> overdue, in the denominator: 6 / 10
    assert _rr(store, params) == (6, 10)


def test_newer_data_moves_as_of():
    store = Store.open(":memory:")
    load(store, TICKETS)
    # as_of defaults to the latest contact: t9 itself (Fri 15:00) -> t9 pending, 6 / 9
    assert _rr(store) == (6, 9)
    # a call on Mon 11-09 13:00 Seoul: t9's 6 business hours (Fri 15-18, Mon 09-12) are over
    with store.write() as cur:
        store.append_df(
            "contacts",
            pd.DataFrame([call("n0", "2026-11-09 13:00:00", wait=5, answered=True)]),
            cur,
        )
    assert _rr(store) == (6, 10)


def test_another_thread_runs_the_prepared_qa_query(demo_store):
    """The QA score query joins an in-memory table (form items): a prepared copy run from a new
    thread (a new dashboard session) registers it on that thread's cursor and gives the same
    numbers as a fresh build."""
    from concurrent.futures import ThreadPoolExecutor

    def qa_lines() -> list[tuple]:
        rep = compliance(demo_store.reader())
        return sorted(
            (r.center_id, str(r.period_start), r.num, r.den)
            for r in rep.lines
            if r.metric == "qa_score"
        )

    first = qa_lines()
    assert first and all(den > 0 for *_, den in first)  # the demo has QA evaluations
    hits = demo_store.prepared.hits
    with ThreadPoolExecutor(max_workers=1) as pool:
        again = pool.submit(qa_lines).result()
    assert demo_store.prepared.hits > hits  # served by the prepared queries
    assert again == first
    demo_store.prepared._sql.clear()  # built from scratch: the same numbers
    assert qa_lines() == first
