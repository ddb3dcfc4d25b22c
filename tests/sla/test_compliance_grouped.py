"""Compliance lines of every period length, scope and version on one hand-made month.

Compliance computes additive lines (ratios, counts, means) from one query grouped by day/interval,
center and scope keys, then sums the groups inside each line's center, scope and effective dates;
quantile lines use a filtered aggregate. Every expected value below is counted by hand.

Rows (SEOUL, Seoul time; T = 20 s, abandons under 5 s are short and not offered):
- Mon 2026-11-02 10:00-10:09, queue V1 voice/general: the DESIGN.md ten calls, answered waits
  0, 5, 12, 18, 25, 40 (4 within 20 s), abandoned 3 (short), 15, 30, 60 -> SL 4 / 9;
- Tue 2026-11-03 11:00-11:01, queue V2 voice/vip: answered waits 5 and 30 -> SL 1 / 2;
- Mon 2026-11-09 10:00-10:01, queue V1: answered wait 10, abandoned wait 8 -> SL 1 / 2;
- email tickets of sla_fixtures (created 11-02, 11-03 and 11-06).
Contract C v1 is in force 11-01..11-03, v2 from 11-04.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sla_fixtures import TEN_CALLS, TICKETS, call, load

from ops.sla import MetricParams
from ops.sla.compliance import compliance
from ops.sla.contracts import chain_versions, parse_contract
from ops.store import Store

VIP = [
    call("v0", "2026-11-03 11:00:00", wait=5, answered=True, queue="V2", segment="vip"),
    call("v1", "2026-11-03 11:01:00", wait=30, answered=True, queue="V2", segment="vip"),
]
LATER = [
    call("l0", "2026-11-09 10:00:00", wait=10, answered=True),
    call("l1", "2026-11-09 10:01:00", wait=8, answered=False),
]
V1 = {
    "contract_id": "C", "center_id": "SEOUL", "version": 1, "effective_from": "2026-11-01",
    "monthly_fee": 1_000_000, "currency": "KRW",
    "metrics": [
        {"metric": "service_level", "target": 0.8, "threshold": "20s", "scope": {"queue": "V1"},
         "period": "week"},
        {"metric": "service_level", "target": 0.8, "threshold": "20s",
         "scope": {"channel": "voice"}, "period": "day"},
        {"metric": "offered", "target": 1, "scope": {"channel": "voice"}, "period": "month"},
        {"metric": "frt_median_s", "target": 20000, "scope": {"channel": "email"},
         "period": "month"},
        {"metric": "service_level", "target": 0.8, "threshold": "20s",
         "scope": {"channel": "voice"}, "period": "interval"},
        {"metric": "service_level", "target": 0.9, "threshold": "10s",
         "scope": {"channel": "voice", "segment": "vip"}, "period": "month"},
    ],
}  # fmt: skip
V2 = {**V1, "version": 2, "effective_from": "2026-11-04",
      "metrics": [{"metric": "service_level", "target": 0.5, "threshold": "20s",
                   "scope": {"channel": "voice"}, "period": "month"}]}  # fmt: skip


@pytest.fixture(scope="module")
def report():
    store = Store.open(":memory:")
    load(store, TEN_CALLS + VIP + LATER + TICKETS)
    cs = chain_versions([parse_contract(V1), parse_contract(V2)])
    return compliance(store.reader(), month="2026-11", contracts=cs,
                      params=MetricParams(as_of=datetime(2026, 11, 10)))  # fmt: skip


def _rows(report, version: int, line_no: int) -> list[tuple]:
    return sorted(
        (r.period_start, r.num, r.den, r.actual)
        for r in report.lines
        if r.version == version and r.line_no == line_no
    )


def test_week_line_sums_its_queue_within_the_version(report):
    # v1 ends 11-03: the week of Mon 11-02 holds only the ten V1 calls (11-09 is v2's)
    assert _rows(report, 1, 0) == [(date(2026, 11, 2), 4, 9, pytest.approx(4 / 9))]


def test_day_line_per_day_of_the_version(report):
    # 11-02: 4 / 9; 11-03: the two VIP calls, 1 / 2; no voice on 11-01
    assert _rows(report, 1, 1) == [
        (date(2026, 11, 2), 4, 9, pytest.approx(4 / 9)),
        (date(2026, 11, 3), 1, 2, 0.5),
    ]


def test_count_line_and_quantile_line(report):
    # offered voice 11-01..11-03 = 9 + 2
    assert _rows(report, 1, 2) == [(date(2026, 11, 1), 11, None, 11)]
    # responded email tickets created 11-01..11-03: six answered after 3 h (10,800 s), two after
    # about 27 h -> median of eight = 10,800 s over 8 responded
    ((_, num, den, actual),) = _rows(report, 1, 3)
    assert (den, actual) == (8, 10_800)


def test_interval_line(report):
    assert _rows(report, 1, 4) == [
        (datetime(2026, 11, 2, 10, 0), 4, 9, pytest.approx(4 / 9)),
        (datetime(2026, 11, 3, 11, 0), 1, 2, 0.5),
    ]


def test_segment_line_with_its_own_threshold(report):
    # VIP voice within 10 s: wait 5 in, 30 out -> 1 / 2 vs 90 %
    ((_, num, den, actual),) = _rows(report, 1, 5)
    assert (num, den, actual) == (1, 2, 0.5)


def test_second_version_judges_the_rest_of_the_month(report):
    # v2 from 11-04: the 11-09 calls, answered 10 s (in) and abandoned 8 s (offered) -> 1 / 2
    assert _rows(report, 2, 0) == [(date(2026, 11, 1), 1, 2, 0.5)]
    (met,) = [r.met for r in report.lines if r.version == 2]
    assert met is True
    stm = {s.version: s for s in report.statements}
    assert set(stm) == {1, 2}
    # v1's monthly actuals feed its statement: line 2 (offered, count) = 11
    assert stm[1].lines[2].actual == 11
