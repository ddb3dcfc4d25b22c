"""Repeat contacts at the 7-day boundary, contact flags, the support funnel and event impact."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from voc_fixtures import contact_rows, seed_voc

from ops.voc import contact_flags, event_impact, flag_repeats, support_funnel
from ops.voc.funnel import funnel_stages

T0 = pd.Timestamp("2026-10-01 09:00")


def _raw(rows):
    return pd.DataFrame(rows, columns=["contact_id", "customer_id", "level1", "created_at"])


def test_repeat_window_boundary():
    # Convention: "within 7 days" is inclusive (like wait <= T): elapsed <= 604 800 s.
    df = _raw(
        [
            ("a1", "u1", "결제", T0),
            ("a2", "u1", "결제", T0 + pd.Timedelta("6d23h")),  # 6d23h after a1 -> repeat
            ("a3", "u1", "결제", T0 + pd.Timedelta("6d23h") + pd.Timedelta("7d0h1s")),  # not
            ("b1", "u2", "결제", T0),
            ("b2", "u2", "결제", T0 + pd.Timedelta("7d")),  # exactly 7 days -> repeat
            ("c1", "u3", "결제", T0),
            ("c2", "u3", "배송", T0 + pd.Timedelta("1h")),  # other level-1 tag -> not
            ("d1", None, "결제", T0),
            ("d2", None, "결제", T0 + pd.Timedelta("1h")),  # no customer -> never a repeat
            ("e1", "u5", None, T0),
            ("e2", "u5", None, T0 + pd.Timedelta("1h")),  # no tag -> never a repeat
        ]
    )
    got = flag_repeats(df)
    assert dict(zip(df["contact_id"], got, strict=True)) == {
        "a1": False, "a2": True, "a3": False, "b1": False, "b2": True, "c1": False, "c2": False,
        "d1": False, "d2": False, "e1": False, "e2": False,
    }  # fmt: skip


def test_repeat_is_against_the_latest_earlier_contact_and_order_free():
    df = _raw(
        [
            ("x3", "u1", "결제", T0 + pd.Timedelta("12d")),  # 6 days after x2 -> repeat
            ("x1", "u1", "결제", T0),
            ("x2", "u1", "결제", T0 + pd.Timedelta("6d")),  # repeat of x1
        ]
    )
    got = flag_repeats(df)
    assert got.tolist() == [True, False, True]
    assert got.index.tolist() == df.index.tolist()


def _contact(i, customer, tag, when, **kw):
    return {
        "contact_id": f"k{i}", "channel": "chat", "queue_id": "Q", "center_id": "SEOUL",
        "customer_id": customer, "tag_id": tag, "created_at": when - timedelta(hours=9),
        "created_local": when, "handled_by": "agent", **kw,
    }  # fmt: skip


def test_contact_flags_stored_and_recomputed(empty_store):
    d = datetime(2026, 10, 5, 10)
    rows = [
        _contact(0, "u1", "T1", d, is_repeat=False, segment="vip", is_urgent=True),
        _contact(1, "u1", "T2", d + timedelta(days=2), is_repeat=True, segment="general"),
        _contact(2, "u1", "T3", d + timedelta(days=3), is_repeat=False, segment="general"),
        _contact(3, "u2", "T1", d, is_repeat=False, segment="vip"),
    ]
    seed_voc(empty_store, rows)
    r = empty_store.reader()
    f = contact_flags(r).iloc[0]
    assert f["contacts"] == 4 and f["repeats"] == 1 and f["repeat_rate"] == pytest.approx(0.25)
    assert f["urgent_share"] == pytest.approx(0.25) and f["vip_share"] == pytest.approx(0.5)
    assert f["repeat_source"] == "stored"
    # T1 and T2 share level 1 (결제): k1 is a repeat of k0 by the window rule as well
    g = contact_flags(r, recompute=True).iloc[0]
    assert g["repeats"] == 1 and g["repeat_source"] == "computed"
    by_tag = contact_flags(r, "tag").set_index("level1_en")
    assert by_tag.loc["Payment", "contacts"] == 3 and by_tag.loc["Payment", "repeats"] == 1


def test_support_funnel_by_hand(empty_store):
    d = datetime(2026, 10, 5, 10)
    rows = (
        [_contact(i, None, "T3", d, via_bot=True, handled_by="bot") for i in range(4)]
        + [_contact(i, None, "T3", d, via_bot=True, handled_by="agent") for i in range(4, 6)]
        + [_contact(i, None, "T3", d, via_bot=False, handled_by="agent") for i in range(6, 9)]
        + [_contact(9, None, "T3", d, via_bot=None, handled_by="self_serve")]
    )
    seed_voc(empty_store, rows)
    f = support_funnel(empty_store.reader()).iloc[0]
    # started in bot: 4 + 2 + 1 (self-serve with via_bot empty) = 7; contained 5; handed off 2
    assert (f["contacts"], f["started_in_bot"], f["contained"], f["handed_off"]) == (10, 7, 5, 2)
    assert f["direct_to_agent"] == 3
    assert f["containment"] == pytest.approx(5 / 7) and f["hand_off_rate"] == pytest.approx(2 / 7)
    assert f["agent_share"] == pytest.approx(0.5)
    st = funnel_stages(f, notices=1)
    assert st["contacts"].tolist() == [1, 7, 5, 2, 3]


def test_funnel_containment_equals_the_sla_registry(empty_store):
    # A contact that ended in the bot started there even when via_bot says False (the registry's
    # bot_containment rule, one definition): 2 bot-ended (one via_bot False), 1 handed off
    # -> started 3, contained 2, containment 2 / 3 in the funnel and in ops.sla alike.
    from ops.sla import metric_table

    d = datetime(2026, 10, 5, 10)
    rows = [
        _contact(0, None, "T3", d, via_bot=True, handled_by="bot"),
        _contact(1, None, "T3", d, via_bot=False, handled_by="bot"),
        _contact(2, None, "T3", d, via_bot=True, handled_by="agent"),
        _contact(3, None, "T3", d, via_bot=False, handled_by="agent"),
    ]
    seed_voc(empty_store, rows)
    f = support_funnel(empty_store.reader()).iloc[0]
    assert (f["started_in_bot"], f["contained"], f["handed_off"]) == (3, 2, 1)
    m = metric_table(empty_store.reader(), ["bot_containment"], period="all").iloc[0]
    assert (m.bot_containment_num, m.bot_containment_den) == (f["contained"], f["started_in_bot"])


def test_outage_shows_in_its_tag_volume(empty_store):
    rows: list[dict] = []
    start = datetime(2026, 10, 1)
    # T3: 2 contacts a day for 28 days before the outage, 10 a day during it (3 days)
    for day in range(28):
        rows += contact_rows(start + timedelta(days=day), "T3", 2, len(rows))
    for day in range(28, 31):
        rows += contact_rows(start + timedelta(days=day), "T3", 10, len(rows), via_bot=True,
                             handled_by="bot")  # fmt: skip
    rows += contact_rows(start + timedelta(days=29), "T1", 7, len(rows))  # other tag: ignored
    ev = [{"event_id": "O1", "kind": "outage", "name": "Tracking down", "tag_id": "T3",
           "start_date": date(2026, 10, 29), "end_date": date(2026, 10, 31)}]  # fmt: skip
    seed_voc(empty_store, rows, ev)
    imp = event_impact(empty_store.reader()).iloc[0]
    assert imp["event_days"] == 3 and imp["event_contacts"] == 30
    assert imp["baseline_daily"] == pytest.approx(2.0)
    assert imp["excess"] == pytest.approx(30 - 2 * 3)
    assert imp["ratio"] == pytest.approx(5.0)
    assert imp["containment"] == pytest.approx(1.0)


def test_outage_baseline_uses_only_days_with_data(empty_store):
    rows: list[dict] = []
    start = datetime(2026, 10, 1)
    for day in range(10):  # data starts 10 days before the outage: 3 a day
        rows += contact_rows(start + timedelta(days=day), "T3", 3, len(rows))
    rows += contact_rows(start + timedelta(days=10), "T3", 12, len(rows))
    ev = [{"event_id": "O2", "kind": "known_issue", "name": "Tracking lag", "tag_id": "T3",
           "start_date": date(2026, 10, 11), "end_date": date(2026, 10, 11)}]  # fmt: skip
    seed_voc(empty_store, rows, ev)
    imp = event_impact(empty_store.reader(), baseline_days=28).iloc[0]
    # 30 contacts over the 10 days that exist, not over 28 days
    assert imp["baseline_days"] == 10 and imp["baseline_daily"] == pytest.approx(3.0)
    assert imp["ratio"] == pytest.approx(4.0) and imp["excess"] == pytest.approx(9.0)
