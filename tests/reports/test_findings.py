"""Findings: known answers on hand-made frames and on the hand-made store (tinystore.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ops.reports.findings import (
    Finding,
    event_volume_findings,
    merge_events,
    missed_sl_findings,
    rank_findings,
    shortfall_window,
    tag_surge_findings,
)
from ops.store import Scope

CENTERS = pd.DataFrame(
    [{"center_id": "MANILA", "name": "Manila", "name_ko": "마닐라"}]
)  # fmt: skip


def test_missed_sl_on_the_hand_made_store(tiny_store):
    """tinystore.py: Manila misses voice SL on 6 of 30 days, every short call between 02:00 and 04:00."""
    from ops.reports import monthly_findings

    found = monthly_findings(tiny_store, Scope.all(), "2026-09")
    missed = [f for f in found if f.kind == "missed_sl"]
    assert len(missed) == 1
    f = missed[0]
    assert f.center_id == "MANILA"
    assert "Manila missed voice SL on 6 of 30 days" in f.text_en
    assert "all between 02:00 and 04:00" in f.text_en
    assert "30일 중 6일" in f.text_ko and "02:00~04:00" in f.text_ko
    assert f.evidence["missed_days"] == 6 and f.evidence["days"] == 30
    assert f.evidence["missed_dates"] == [f"2026-09-{d:02d}" for d in (3, 8, 12, 17, 21, 26)]
    # The daily contract line judges the day at 80 %: shortfall per missed day = 0.8 x 60 - 20 = 28.
    assert abs(f.evidence["shortfall_contacts"] - 6 * 28) < 1e-9
    # 168 contacts of the 3,600 in scope.
    assert abs(f.effect - 168 / 3600) < 1e-12
    # Seoul never misses: no finding about it.
    assert all(x.center_id != "SEOUL" for x in found)


def test_vendor_findings_use_only_its_center(tiny_store):
    from ops.reports import monthly_findings

    seoul = monthly_findings(tiny_store, Scope.centers("SEOUL"), "2026-09")
    assert all("Manila" not in f.text_en and "MANILA" not in str(f.evidence) for f in seoul)
    manila = monthly_findings(tiny_store, Scope.centers("MANILA"), "2026-09")
    # The Manila-only scope sees 1,800 contacts, so the same shortfall weighs twice as much.
    f = next(f for f in manila if f.kind == "missed_sl")
    assert abs(f.effect - 168 / 1800) < 1e-12


def test_shortfall_window_wraps_midnight():
    # 23:00 and 00:00 hold all of it: the narrowest window is 23:00-01:00.
    assert shortfall_window({23: 5.0, 0: 5.0}) == (23, 2, 1.0)
    # 80 % rule: 8 of 10 in 02:00-03:00, the rest at 15:00 -> one hour holds 80 %.
    assert shortfall_window({2: 8.0, 15: 2.0}) == (2, 1, 0.8)
    assert shortfall_window({}) is None


def test_missed_sl_partial_window_sentence():
    days = [date(2026, 9, d) for d in range(1, 11)]
    daily = pd.DataFrame(
        {"center_id": "MANILA", "channel": "voice", "day": days,
         "sl_num": [50] * 8 + [30, 30], "sl_den": 60, "target": 0.8}
    )  # fmt: skip
    # Missed days 9 and 10: 9 shortfall contacts at 02:00 each day, 3 at 14:00 on day 10.
    iv = pd.DataFrame(
        {"center_id": "MANILA", "channel": "voice",
         "interval_local": [datetime(2026, 9, 9, 2), datetime(2026, 9, 10, 2), datetime(2026, 9, 10, 14)],
         "sl_num": [1, 1, 5], "sl_den": [12.5, 12.5, 10]}
    )  # fmt: skip
    (f,) = missed_sl_findings(daily, iv, CENTERS, 1000.0)
    # shortfalls: 0.8*12.5-1 = 9 (twice) and 0.8*10-5 = 3 -> 02:00-03:00 holds 18/21 = 86 %.
    assert "2 of 10 days" in f.text_en
    assert "86% of the shortfall between 02:00 and 03:00" in f.text_en
    assert f.evidence["window_share"] == round(18 / 21, 4)


def _volumes(days: list[date], per_day: dict[date, float]) -> pd.DataFrame:
    return pd.DataFrame({"day": days, "contacts": [per_day.get(d, 100.0) for d in days]})


def test_event_week_volume_and_sl():
    """A Chuseok-like week at 142 contacts a day after four normal weeks of 100: +42 %."""
    start = date(2026, 8, 31)  # a Monday
    days = [start + timedelta(days=i) for i in range(42)]
    week = [date(2026, 9, 28) + timedelta(days=i) for i in range(7)]  # Mon 28 Sep - Sun 4 Oct
    vol = _volumes(days, dict.fromkeys(week, 142.0))
    sl = pd.DataFrame({"day": days, "sl_num": [90.0 if d in week else 95.0 for d in days],
                       "sl_den": [127.0 if d in week else 100.0 for d in days]})  # fmt: skip
    events = pd.DataFrame(
        [{"event_id": "E1", "kind": "holiday", "name": "Chuseok", "name_ko": "추석",
          "start_date": date(2026, 9, 30), "end_date": date(2026, 10, 2)}]
    )  # fmt: skip
    (f,) = event_volume_findings(vol, sl, events, date(2026, 9, 1), date(2026, 9, 30), 3000.0, 0.8)
    assert f.text_en.startswith("Chuseok week (2026-09-28–10-04) volume +42% vs the 4 normal weeks")
    # SL over the week = 7*90 / (7*127) = 70.9 % -> "fell to 71%".
    assert "live SL fell to 71% (target 80%)" in f.text_en
    assert "추석 주간" in f.text_ko and "+42%" in f.text_ko
    # extra contacts = 7 * 42 = 294 over 3,000 in the month.
    assert abs(f.effect - 294 / 3000) < 1e-12
    assert f.evidence["baseline_weeks_back"] == [1, 2, 3, 4]


def test_event_baseline_skips_other_event_weeks():
    start = date(2026, 8, 3)
    days = [start + timedelta(days=i) for i in range(70)]
    week = [date(2026, 9, 28) + timedelta(days=i) for i in range(7)]
    campaign = [date(2026, 9, 14) + timedelta(days=i) for i in range(7)]
    vol = _volumes(days, {**dict.fromkeys(week, 150.0), **dict.fromkeys(campaign, 300.0)})
    events = pd.DataFrame(
        [{"event_id": "E1", "kind": "holiday", "name": "Chuseok", "name_ko": "추석",
          "start_date": date(2026, 9, 30), "end_date": date(2026, 9, 30)},
         {"event_id": "E2", "kind": "campaign", "name": "Sale", "name_ko": "세일",
          "start_date": date(2026, 9, 15), "end_date": date(2026, 9, 16)}]
    )  # fmt: skip
    found = event_volume_findings(
        vol, pd.DataFrame(), events, date(2026, 9, 1), date(2026, 9, 30), 5000.0, None
    )
    chuseok = next(f for f in found if f.evidence["event"] == "Chuseok")
    # Week 2 back is the campaign week: skipped, so weeks 1, 3, 4, 5 (all 100/day) are the base.
    assert chuseok.evidence["baseline_weeks_back"] == [1, 3, 4, 5]
    assert chuseok.evidence["change"] == 0.5


def test_merge_events_joins_holiday_days_under_the_short_name():
    ev = pd.DataFrame(
        [{"kind": "holiday", "name": "The day preceding Chuseok", "name_ko": "추석 전날",
          "start_date": date(2026, 9, 24), "end_date": date(2026, 9, 24)},
         {"kind": "holiday", "name": "Chuseok", "name_ko": "추석",
          "start_date": date(2026, 9, 25), "end_date": date(2026, 9, 25)},
         {"kind": "holiday", "name": "The second day of Chuseok", "name_ko": "추석 다음날",
          "start_date": date(2026, 9, 26), "end_date": date(2026, 9, 26)},
         {"kind": "campaign", "name": "Sale", "name_ko": "세일",
          "start_date": date(2026, 9, 26), "end_date": date(2026, 9, 27)}]
    )  # fmt: skip
    m = merge_events(ev)
    hol = m[m["kind"] == "holiday"].iloc[0]
    assert len(m) == 2
    assert (hol["name"], hol["name_ko"]) == ("Chuseok", "추석")
    assert (hol["start_date"], hol["end_date"]) == (date(2026, 9, 24), date(2026, 9, 26))


def test_tag_surge_with_outage_cause():
    weeks = [date(2026, 10, 5), date(2026, 10, 12)]
    rows = []
    for w, refund, other in ((weeks[0], 10, 990), (weeks[1], 31, 969)):
        rows += [
            {"week": w, "tag_id": "PAY-REFUND-DELAY", "path": "결제/환불/지연",
             "path_en": "Payment/Refund/Delayed", "contacts": refund},
            {"week": w, "tag_id": "DLV", "path": "배송", "path_en": "Delivery", "contacts": other},
        ]  # fmt: skip
    events = pd.DataFrame(
        [{"kind": "outage", "name": "Payment gateway outage", "name_ko": "결제 장애",
          "start_date": date(2026, 10, 12), "end_date": date(2026, 10, 12),
          "tag_id": "PAY-REFUND-DELAY"}]
    )  # fmt: skip
    (f,) = tag_surge_findings(
        pd.DataFrame(rows), events, date(2026, 10, 1), date(2026, 10, 31), 4000.0
    )
    # 31 / 10 = 3.1x; all contacts flat (1000 -> 1000) so the excess is 21.
    assert "'Payment/Refund/Delayed' contacts up 3.1× week over week (10 → 31" in f.text_en
    assert "since the 2026-10-12 outage (Payment gateway outage)" in f.text_en
    assert "3.1배" in f.text_ko and "결제 장애" in f.text_ko
    assert abs(f.effect - 21 / 4000) < 1e-12


def test_tag_growth_explained_by_volume_is_not_a_surge():
    rows = [
        {"week": date(2026, 10, 5), "tag_id": "A", "path": "가", "path_en": "A", "contacts": 20},
        {"week": date(2026, 10, 5), "tag_id": "B", "path": "나", "path_en": "B", "contacts": 80},
        {"week": date(2026, 10, 12), "tag_id": "A", "path": "가", "path_en": "A", "contacts": 40},
        {"week": date(2026, 10, 12), "tag_id": "B", "path": "나", "path_en": "B", "contacts": 160},
    ]
    # Everything doubled: A's 2x is the overall growth, not a tag surge.
    assert (
        tag_surge_findings(
            pd.DataFrame(rows), pd.DataFrame(), date(2026, 10, 1), date(2026, 10, 31), 1000.0
        )
        == []
    )


def _f(kind: str, effect: float, text: str) -> Finding:
    return Finding(kind=kind, text_en=text, text_ko=text, effect=effect)


def test_rank_findings_one_per_kind_first():
    fs = [
        _f("tag_surge", 0.09, "t1"),
        _f("tag_surge", 0.08, "t2"),
        _f("missed_sl", 0.01, "m1"),
        _f("event_volume", 0.02, "e1"),
        _f("tag_surge", 0.07, "t3"),
    ]
    assert [f.text_en for f in rank_findings(fs, 3)] == ["t1", "e1", "m1"]
    assert [f.text_en for f in rank_findings(fs, 4)] == ["t1", "t2", "e1", "m1"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.floats(0, 1)), max_size=8))
def test_rank_findings_is_deterministic(items):
    fs = [_f(k, e, f"{k}{i}") for i, (k, e) in enumerate(items)]
    once = rank_findings(fs, 3)
    assert once == rank_findings(list(reversed(fs)), 3)
    assert len(once) == min(3, len(fs))
    assert len({f.kind for f in once}) == min(len({f.kind for f in fs}), len(once))


def test_contract_breach_finding_on_the_hand_made_store(tiny_store):
    """tinystore.py: Manila's monthly voice SL 86.7 % vs 95 % costs 10 % of a 10,000,000 KRW fee."""
    from ops.reports import monthly_findings

    found = monthly_findings(tiny_store, Scope.all(), "2026-09")
    (f,) = [f for f in found if f.kind == "contract_breach"]
    assert f.center_id == "MANILA"
    assert f.text_en == (
        "Manila missed 1 contract line in 2026-09: Service level 20s voice 86.7% vs 95.0% "
        "— penalty 1,000,000 KRW."
    )
    assert "패널티 1,000,000 KRW" in f.text_ko
    assert "서비스 레벨(전화) 86.7%(목표 95.0%)" in f.text_ko
    # 1,800 calls judged x (0.95 - 1560/1800) / 0.95, over 3,600 contacts.
    assert abs(f.effect - 1800 * (0.95 - 1560 / 1800) / 0.95 / 3600) < 1e-12
    # Ranked by effect: the missed days (168 / 3600) come before the contract line (~0.0439).
    assert [x.kind for x in found] == ["missed_sl", "contract_breach"]


def test_scope_ko():
    from ops.reports.findings import scope_ko

    assert scope_ko("voice / vip") == "전화 / VIP"
    assert scope_ko("voice,chat") == "전화,채팅"
    assert scope_ko("all") == ""


def test_breach_period_ko():
    from ops.labels import breach_period_ko

    assert breach_period_ko("day 2026-11-04") == "일 2026-11-04"
    assert breach_period_ko("week 2026-11-02") == "주 2026-11-02"
    assert breach_period_ko("2026-11") == "2026-11"  # a month is written as is
    assert breach_period_ko("2026-11-04 10:00") == "2026-11-04 10:00"  # an interval too
