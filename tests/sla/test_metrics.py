"""Metric values from hand-calculated examples (DESIGN.md 'Metric definitions')."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sla_fixtures import AS_OF_UTC, TEN_CALLS, TICKETS, call, load

from ops.errors import ConfigError
from ops.sla import METRICS, MetricParams, explain, formula, metric_table
from ops.store import Store

SL_ALL = [
    "service_level", "service_level_answered_only", "service_level_abandons_excluded",
    "service_level_abandons_success",
]  # fmt: skip


def test_ten_call_example_all_variants(sla_store):
    # DESIGN.md: answered waits 0, 5, 12, 18, 25, 40; abandoned 3, 15, 30, 60; T 20 s, short 5 s.
    # The 3 s abandon is short: offered 9, answered 6, abandoned 3 (15 s within T).
    df = metric_table(sla_store.reader(), ["offered", "answered", "abandoned", "short_abandons",
                      *SL_ALL, "asa_s", "abandon_rate", "aht_s"], period="all",
                      filters={"channel": "voice"})  # fmt: skip
    r = df.iloc[0]
    assert (r.offered, r.answered, r.abandoned, r.short_abandons) == (9, 6, 3, 1)
    assert (r.service_level_num, r.service_level_den) == (4, 9)  # 44.4 %
    assert (r.service_level_answered_only_num, r.service_level_answered_only_den) == (4, 6)
    assert (r.service_level_abandons_excluded_num, r.service_level_abandons_excluded_den) == (4, 8)
    assert (r.service_level_abandons_success_num, r.service_level_abandons_success_den) == (5, 9)
    assert r.service_level == pytest.approx(4 / 9)
    # ASA = (0+5+12+18+25+40)/6 = 100/6; abandon rate 3/9; AHT 300 s each
    assert r.asa_s == pytest.approx(100 / 6)
    assert r.abandon_rate == pytest.approx(3 / 9)
    assert r.aht_s == 300


def test_sl_variant_parameter_and_thresholds(sla_store):
    p = MetricParams(threshold_s=10, short_abandon_s=0, sl_variant="answered_only")
    r = metric_table(sla_store.reader(), ["service_level"], period="all",
                     filters={"channel": "voice"}, params=p).iloc[0]  # fmt: skip
    # T 10 s: answered within = 0, 5 -> 2 of 6 answered
    assert (r.service_level_num, r.service_level_den) == (2, 6)
    p = MetricParams(threshold_s=10, short_abandon_s=0)
    r = metric_table(sla_store.reader(), ["service_level", "abandoned"], period="all",
                     filters={"channel": "voice"}, params=p).iloc[0]  # fmt: skip
    # no short abandons: offered 10, within 10 s = 2
    assert (r.service_level_num, r.service_level_den, r.abandoned) == (2, 10, 4)


def test_response_rate_six_of_nine(sla_store):
    # 6 in time, 2 late, 1 unanswered past its deadline, 1 pending (created Fri 15:00 KST, as_of
    # Fri 17:00 KST: 2 of its 6 business hours used) -> 6 / 9.
    r = metric_table(sla_store.reader(), ["response_rate_6h", "response_rate_16h"], period="all",
                     filters={"channel": "email"}, params=MetricParams(as_of=AS_OF_UTC)).iloc[0]  # fmt: skip
    assert (r.response_rate_6h_num, r.response_rate_6h_den) == (6, 9)
    # 16 h: the late ones took ~12 business hours -> 8 in time of 9 due
    assert (r.response_rate_16h_num, r.response_rate_16h_den) == (8, 9)


def test_pending_becomes_due_after_its_deadline(sla_store):
    # as_of Mon 2026-11-09 11:00 KST: t9 (Fri 15:00) has had 3 + 2 = 5 business hours -> pending;
    # at 12:00 it has 6 -> overdue, counted against: 6 / 10.
    rr = "response_rate_6h"
    for as_of, den in ((datetime(2026, 11, 9, 2, 0), 9), (datetime(2026, 11, 9, 3, 0), 10)):
        r = metric_table(sla_store.reader(), [rr], period="all", filters={"channel": "email"},
                         params=MetricParams(as_of=as_of)).iloc[0]  # fmt: skip
        assert (r[rr + "_num"], r[rr + "_den"]) == (6, den)


def test_first_response_times(sla_store):
    r = metric_table(sla_store.reader(), ["frt_business_mean_s", "frt_business_median_s"],
                     period="all", filters={"channel": "email"}).iloc[0]  # fmt: skip
    # business: six x 3 h, then 12 h - 360 s and 12 h - 420 s
    total = 6 * 10800 + (43200 - 360) + (43200 - 420)
    assert r.frt_business_mean_s == pytest.approx(total / 8)
    assert r.frt_business_mean_s_den == 8
    assert r.frt_business_median_s == 10800


def _store_with(contacts, **tables):
    store = Store.open(":memory:")
    load(store, contacts, **tables)
    return store


def test_customer_metrics_arithmetic():
    csat = [5, 4, 3, 2, 5]  # top-2-box: 3 of 5 = 60 %
    ces = [7, 6, 5, 7, None]  # mean 25/4 = 6.25; >= 6: 3 of 4
    rows = [call(f"x{i}", f"2026-11-02 11:{i:02d}:00", wait=1, answered=True, csat=c, ces=e,
                 is_repeat=(i == 0), handled_by="bot" if i == 1 else "agent", via_bot=i in (1, 2))
            for i, (c, e) in enumerate(zip(csat, ces, strict=True))]  # fmt: skip
    nps = pd.DataFrame({"survey_id": [f"s{i}" for i in range(8)], "kind": "nps",
                        "score": [10, 9, 9, 8, 7, 6, 3, 0], "center_id": "SEOUL", "channel": "voice",
                        "responded_at": datetime(2026, 11, 2, 3)})  # fmt: skip
    store = _store_with(rows, surveys=nps)
    r = metric_table(store.reader(), ["csat", "ces", "ces_high_share", "nps", "repeat_contact_rate",
                     "bot_containment"], period="all", by=["center"]).iloc[0]  # fmt: skip
    assert (r.csat_num, r.csat_den) == (3, 5)
    assert r.ces == pytest.approx(25 / 4)
    assert (r.ces_high_share_num, r.ces_high_share_den) == (3, 4)
    # NPS: promoters 3 (10, 9, 9), detractors 3 (6, 3, 0) of 8 -> 0; num = 3 - 3
    assert (r.nps_num, r.nps_den, r.nps) == (0, 8, 0)
    assert (r.repeat_contact_rate_num, r.repeat_contact_rate_den) == (1, 5)
    # bot: started in bot = x1 (handled by bot) and x2 (via_bot, handed off) -> 1 / 2
    assert (r.bot_containment_num, r.bot_containment_den) == (1, 2)
    nps2 = nps.assign(score=[10, 10, 10, 9, 8, 7, 6, 5])  # 4 promoters, 2 detractors / 8 = 25
    store2 = _store_with(rows, surveys=nps2)
    assert metric_table(store2.reader(), ["nps"], period="all").iloc[0].nps == pytest.approx(25)


def test_interval_stats_parity(sla_store):
    # The same ten calls as an ACD interval report (raw counts, short abandons included).
    ist = pd.DataFrame([{
        "interval_start": datetime(2026, 11, 2, 1, 0), "interval_local": datetime(2026, 11, 2, 10, 0),
        "interval_s": 1800, "queue_id": "V1", "center_id": "SEOUL", "offered": 10, "answered": 6,
        "answered_within_t": 4, "abandoned": 4, "abandoned_short": 1, "abandoned_within_t": 2,
        "threshold_s": 20.0, "handle_s_total": 1800.0, "wait_s_total": 100.0}])  # fmt: skip
    store = _store_with(TEN_CALLS, interval_stats=ist)
    ms = ["offered", "answered", "abandoned", *SL_ALL, "asa_s", "abandon_rate", "aht_s",
          "pct_intervals_meeting_sl"]  # fmt: skip
    a = metric_table(store.reader(), ms, period="day", by=["center", "channel", "queue"])
    b = metric_table(store.reader(), ms, period="day", by=["center", "channel", "queue"],
                     source="interval_stats")  # fmt: skip
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    with pytest.raises(ConfigError, match="T = \\[20.0\\]"):
        metric_table(store.reader(), ["service_level"], source="interval_stats",
                     params=MetricParams(threshold_s=30))  # fmt: skip


def test_grouping_periods_and_filters(sla_store):
    df = metric_table(sla_store.reader(), ["offered", "service_level"], period="interval",
                      by=["center_kind", "mode"], filters={"center": "SEOUL"})  # fmt: skip
    live = df[df["mode"] == "live"]
    # 10:00-10:09 local -> one 30-minute interval
    assert list(live["period"]) == [pd.Timestamp("2026-11-02 10:00")]
    assert live.iloc[0].center_kind == "in_house"
    week = metric_table(sla_store.reader(), ["offered"], period="week", by=["center"])
    assert str(week.iloc[0].period) == "2026-11-02"  # ISO week starts Monday
    assert week["offered"].sum() == 9
    with pytest.raises(ConfigError, match="Unknown metric"):
        metric_table(sla_store.reader(), ["sl"])
    with pytest.raises(ConfigError, match="cannot be grouped"):
        metric_table(sla_store.reader(), ["nps"], by=["queue"])


def test_every_metric_has_definition_and_formula():
    for m in METRICS.values():
        assert m.formula and m.label_en and m.label_ko and m.unit
        assert m.name in formula(m.name)
    r = pd.Series({"service_level": 4 / 9, "service_level_num": 4, "service_level_den": 9})
    assert explain(r, "service_level").startswith("service_level = 44.4% = 4 / 9")


_call = st.tuples(st.floats(0, 120), st.booleans())


@settings(max_examples=25, deadline=None)
@given(st.lists(_call, min_size=1, max_size=25), st.floats(0, 20))
def test_sl_in_unit_interval_and_monotone(calls, extra_wait):
    # "before" rows in SEOUL; the same rows plus one call answered within T in BUSAN
    rows = [call(f"h{i}", f"2026-11-02 10:{i:02d}:00", wait=w, answered=a)
            for i, (w, a) in enumerate(calls)]  # fmt: skip
    after = [{**r, "contact_id": "b" + r["contact_id"], "center_id": "BUSAN"} for r in rows]
    after.append(call("hx", "2026-11-02 10:59:00", wait=extra_wait, answered=True, center="BUSAN"))
    store = _store_with(rows + after)
    df = metric_table(store.reader(), SL_ALL, period="all", by=["center"]).set_index("center_id")
    store.close()
    for m in SL_ALL:
        sa, sb = df.loc["SEOUL", m], df.loc["BUSAN", m]
        assert pd.isna(sa) or 0 <= sa <= 1
        assert 0 <= sb <= 1
        if not pd.isna(sa):
            assert sb >= sa - 1e-12  # an answered-in-time call never lowers SL


def test_ticket_fixture_is_consistent():
    assert len(TICKETS) == 10


def test_response_rate_on_a_24x7_clock(sla_store):
    # as_of Fri 2026-11-06 22:00 KST. Business clock: t9 (Fri 15:00) has had 15:00-18:00 = 3 of its
    # 6 business hours -> pending, 6/9. 24x7 clock: 7 calendar hours -> overdue, 6/10.
    as_of = datetime(2026, 11, 6, 13, 0)
    rr = "response_rate_6h"
    for clock, den in (("center", 9), ("24x7", 10)):
        r = metric_table(sla_store.reader(), [rr], period="all", filters={"channel": "email"},
                         params=MetricParams(as_of=as_of, calendar=clock)).iloc[0]  # fmt: skip
        assert (r[rr + "_num"], r[rr + "_den"]) == (6, den)


def test_pct_intervals_occupancy_and_backlog():
    # Interval 10:00-10:30: the ten calls, SL 4/9 < 80 %; interval 11:00: two calls answered at
    # once, SL 2/2. -> 1 of 2 intervals meets 80 %.
    quick = [call(f"q{i}", f"2026-11-02 11:0{i}:00", wait=0, answered=True) for i in range(2)]
    # occupancy: handle 8 x 300 s = 2,400 s over productive 3,600 + 1,200 s = 0.5
    sched = pd.DataFrame({"center_id": "SEOUL", "queue_id": "V1", "interval_s": 1800,
                          "interval_start": [datetime(2026, 11, 2, 1), datetime(2026, 11, 2, 2)],
                          "interval_local": [datetime(2026, 11, 2, 10), datetime(2026, 11, 2, 11)],
                          "scheduled_s": [3600.0, 1800.0], "productive_s": [3600.0, 1200.0]})  # fmt: skip
    # backlog: 8 tickets Mon, t8 Tue, t9 Fri; t0-t5 resolved Tue 12:00 KST -> Mon 8, Tue 3, Fri 4
    resolved = datetime(2026, 11, 3, 3)
    tickets = [{**t, "resolved_at": resolved} if t["contact_id"] in {f"t{i}" for i in range(6)}
               else t for t in TICKETS]  # fmt: skip
    store = _store_with(TEN_CALLS + quick + tickets, schedules=sched)
    r = store.reader()
    pct = metric_table(r, ["pct_intervals_meeting_sl", "occupancy"], period="day",
                       by=["center"], filters={"channel": "voice"}).iloc[0]  # fmt: skip
    assert (pct.pct_intervals_meeting_sl_num, pct.pct_intervals_meeting_sl_den) == (1, 2)
    assert (pct.occupancy_num, pct.occupancy_den) == (2400, 4800)
    bl = metric_table(r, ["backlog"], period="day", by=["center"], filters={"channel": "email"})
    assert dict(zip(bl.period.astype(str), bl.backlog, strict=True)) == {
        "2026-11-02": 8, "2026-11-03": 3, "2026-11-06": 4}  # fmt: skip
    store.close()


def test_occupancy_divides_by_concurrency():
    # Chat queue C1 has concurrency 2: two chats of 600 s handled in one productive 1,200 s
    # -> occupancy 1,200 / (1,200 x 2) = 0.5 (not 1.0). Voice V1 (concurrency empty = 1):
    # one call of 300 s over 600 productive s -> 0.5. Together: 1,500 / (2,400 + 600) = 0.5.
    chats = [call(f"h{i}", f"2026-11-02 10:0{i}:00", wait=2, answered=True, queue="C1",
                  handle=600) for i in range(2)]  # fmt: skip
    voice = [call("v0", "2026-11-02 10:05:00", wait=2, answered=True)]
    sched = pd.DataFrame({"center_id": "SEOUL", "queue_id": ["C1", "V1"], "interval_s": 1800,
                          "interval_start": datetime(2026, 11, 2, 1),
                          "interval_local": datetime(2026, 11, 2, 10),
                          "scheduled_s": 1800.0, "productive_s": [1200.0, 600.0]})  # fmt: skip
    store = _store_with(chats + voice, schedules=sched)
    by_q = metric_table(store.reader(), ["occupancy"], period="all", by=["queue"])
    got = dict(zip(by_q.queue_id, zip(by_q.occupancy_num, by_q.occupancy_den, strict=True),
                   strict=True))  # fmt: skip
    assert got == {"C1": (1200, 2400), "V1": (300, 600)}
    total = metric_table(store.reader(), ["occupancy"], period="all").iloc[0]
    assert (total.occupancy_num, total.occupancy_den, total.occupancy) == (1500, 3000, 0.5)
    store.close()


def _qa_rows(evaluation_id: str, evaluated_at: datetime, scores: dict[str, float]) -> tuple:
    ev = {"evaluation_id": evaluation_id, "agent_id": "a1", "center_id": "SEOUL",
          "evaluator_id": "q1", "form_id": "standard", "form_version": 1,
          "evaluated_at": evaluated_at}  # fmt: skip
    items = [{"evaluation_id": evaluation_id, "center_id": "SEOUL", "item_id": k, "score": v,
              "is_na": False} for k, v in scores.items()]  # fmt: skip
    return ev, items


# data/qa_forms/standard_v1.yaml at its best (weights sum to 100)
QA_BEST = {"greeting": 1, "empathy": 5, "clarity": 5, "conciseness": 5, "knowledge_accuracy": 20,
           "identity_check": 1, "logging": 1, "correct_tag": 1, "resolution_offered": 1}  # fmt: skip


def test_qa_score_line_by_hand_and_local_month_boundary():
    # A: everything at its best -> 100. C: empathy 3 on 1-5 = 50 (weight 15), the rest 100
    # -> (100 x 100 - 15 x 50) / 100 = 92.5. B: identity_check (critical) failed -> 0.
    # A at 2026-10-10; C at 2026-09-30 15:30 UTC = 2026-10-01 00:30 KST -> October;
    # B at 2026-09-30 14:00 UTC = 23:00 KST -> September. A calibration evaluation is left out.
    evs, items = [], []
    for eid, at, sc in (
        ("A", datetime(2026, 10, 10, 3), QA_BEST),
        ("C", datetime(2026, 9, 30, 15, 30), {**QA_BEST, "empathy": 3}),
        ("B", datetime(2026, 9, 30, 14), {**QA_BEST, "identity_check": 0}),
        ("K", datetime(2026, 10, 11, 3), {**QA_BEST, "greeting": 0}),
    ):
        ev, it = _qa_rows(eid, at, sc)
        evs.append(ev)
        items += it
    evs[-1]["calibration_session_id"] = "cal-1"
    store = _store_with([], qa_evaluations=pd.DataFrame(evs), qa_item_scores=pd.DataFrame(items))
    m = metric_table(store.reader(), ["qa_score"], period="month", by=["center"])
    got = {str(r.period): (r.qa_score_num, r.qa_score_den, r.qa_score) for r in m.itertuples()}
    assert got == {"2026-09-01": (0, 1, 0), "2026-10-01": (192.5, 2, 96.25)}
    # start/end are local dates too: October alone holds A and C
    oct_only = metric_table(store.reader(), ["qa_score"], period="all", start="2026-10-01",
                            end="2026-10-31").iloc[0]  # fmt: skip
    assert (oct_only.qa_score_num, oct_only.qa_score_den) == (192.5, 2)
    store.close()


def test_survey_periods_use_the_center_local_day():
    # NPS 10 at 2026-09-30 15:30 UTC (= 2026-10-01 00:30 KST, SEOUL) belongs to October 1st;
    # NPS 0 at 2026-09-30 14:00 UTC (23:00 KST) to September 30th. MANILA (UTC+8): NPS 9 at
    # 2026-09-30 15:30 UTC = 23:30 local -> September 30th.
    nps = pd.DataFrame({"survey_id": ["s1", "s2", "s3"], "kind": "nps", "score": [10, 0, 9],
                        "center_id": ["SEOUL", "SEOUL", "MANILA"], "channel": "voice",
                        "responded_at": [datetime(2026, 9, 30, 15, 30), datetime(2026, 9, 30, 14),
                                         datetime(2026, 9, 30, 15, 30)]})  # fmt: skip
    store = _store_with([], surveys=nps)
    m = metric_table(store.reader(), ["nps"], period="day", by=["center"])
    got = {(str(r.period), r.center_id): (r.nps_num, r.nps_den) for r in m.itertuples()}
    assert got == {("2026-09-30", "MANILA"): (1, 1), ("2026-09-30", "SEOUL"): (-1, 1),
                   ("2026-10-01", "SEOUL"): (1, 1)}  # fmt: skip
    store.close()
