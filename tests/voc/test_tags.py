"""Tag report: volumes, shares, WoW / MoM changes, new tags and the hierarchy, by hand."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from voc_fixtures import contact_rows, seed_voc

from ops.voc import new_tags, tag_hierarchy, tag_period_volume, tag_report, top_movers
from ops.voc.tags import last_complete_period


def test_last_complete_period():
    # 2026-10-31 is a Saturday: its week (Mon 26th) is incomplete -> the week of the 19th
    assert last_complete_period(date(2026, 10, 31), "week") == date(2026, 10, 19)
    assert last_complete_period(date(2026, 10, 25), "week") == date(2026, 10, 19)  # Sunday
    assert last_complete_period(date(2026, 10, 31), "month") == date(2026, 10, 1)
    assert last_complete_period(date(2026, 10, 30), "month") == date(2026, 9, 1)


@pytest.fixture()
def tag_store(empty_store):
    rows: list[dict] = []

    def add(day, tag, n):
        rows.extend(contact_rows(day, tag, n, len(rows)))

    # week of Mon 12 Oct: T1 10, T2 4
    add(datetime(2026, 10, 12), "T1", 6)
    add(datetime(2026, 10, 18), "T1", 4)
    add(datetime(2026, 10, 14), "T2", 4)
    # week of Mon 19 Oct: T1 15, T2 2, T3 3 (new: never seen before)
    add(datetime(2026, 10, 19), "T1", 15)
    add(datetime(2026, 10, 25), "T2", 2)
    add(datetime(2026, 10, 21), "T3", 3)
    # Monday 26 Oct: an incomplete week, left out of the weekly report
    add(datetime(2026, 10, 26), "T1", 50)
    # September: T1 5, T2 1
    add(datetime(2026, 9, 10), "T1", 5)
    add(datetime(2026, 9, 11), "T2", 1)
    seed_voc(empty_store, rows)
    return empty_store


def test_week_over_week_by_hand(tag_store):
    rep = tag_report(tag_store.reader(), "week", level=3).set_index("path_en")
    assert set(rep["period_start"]) == {date(2026, 10, 19)}
    t1 = rep.loc["Payment/Refund/Delayed"]
    assert (t1["volume"], t1["prev_volume"], t1["change"]) == (15, 10, 5)
    assert t1["change_pct"] == pytest.approx(0.5)
    assert t1["share"] == pytest.approx(15 / 20)
    t2 = rep.loc["Payment/Refund/Cancel"]
    assert (t2["change"], t2["change_pct"]) == (-2, pytest.approx(-0.5))
    t3 = rep.loc["Delivery/Tracking/Where"]
    assert t3["is_new"] and np.isnan(t3["change_pct"]) and t3["prev_volume"] == 0
    assert not t1["is_new"]
    assert new_tags(rep.reset_index())["path_en"].tolist() == ["Delivery/Tracking/Where"]
    assert rep["share"].sum() == pytest.approx(1.0)


def test_period_volume_says_how_many_days_each_period_covers(tag_store):
    """A trend over Wed 14 Oct .. Mon 26 Oct: the week of the 12th is cut by the window (14th-18th,
    5 of 7 days), the week of the 19th is whole, the week of the 26th has one day (the data ends on
    the 26th). Volumes count the window's contacts only."""
    vol = tag_period_volume(tag_store.reader(), "week", 3, date(2026, 10, 14), date(2026, 10, 26))
    weeks = vol.groupby("period_start").agg(
        volume=("volume", "sum"), days=("days", "first"), period_days=("period_days", "first")
    )
    by_start = {pd.Timestamp(k).date(): tuple(v) for k, v in weeks.iterrows()}
    assert by_start == {
        date(2026, 10, 12): (4 + 4, 5, 7),  # T2 on the 14th, T1 on the 18th (not the 12th's 6)
        date(2026, 10, 19): (15 + 2 + 3, 7, 7),
        date(2026, 10, 26): (50, 1, 7),
    }


def test_level_one_and_month_over_month(tag_store):
    lvl1 = tag_report(tag_store.reader(), "week", level=1).set_index("level1_en")
    # Payment = T1 + T2: 17 now vs 14 before
    assert (lvl1.loc["Payment", "volume"], lvl1.loc["Payment", "prev_volume"]) == (17, 14)
    assert lvl1.loc["Payment", "path"] == "결제"
    # data ends Mon 26 Oct, so October is incomplete: the month report compares Sep with Aug
    sep = tag_report(tag_store.reader(), "month", level=1)
    assert set(sep["period_start"]) == {date(2026, 9, 1)}
    oct_ = tag_report(tag_store.reader(), "month", level=1, as_of=date(2026, 10, 31))
    pay = oct_.set_index("level1_en").loc["Payment"]
    # October: T1 6+4+15+50, T2 4+2 = 81 over 31 days; September: 6, but the data starts on
    # 10 Sep, so September is covered on 21 of 30 days (>= half): compared per day,
    # 6 / 21 a day carried to 31 days = 8.857; change 81 - 8.857 = 72.14; +814.5 %
    assert (pay["volume"], pay["prev_volume"], pay["days"], pay["prev_days"]) == (81, 6, 31, 21)
    assert pay["prev_comparable"] == pytest.approx(6 * 31 / 21)
    assert pay["change"] == pytest.approx(81 - 6 * 31 / 21)
    assert pay["change_pct"] == pytest.approx((81 / 31) / (6 / 21) - 1)
    assert pay["comparison"].startswith("per day")


def test_top_movers_orders_by_absolute_change(tag_store):
    rep = tag_report(tag_store.reader(), "week", level=3)
    mv = top_movers(rep, n=3, min_volume=1)
    assert mv["change"].tolist() == [5, 3, -2]


def test_hierarchy_values_add_up(tag_store):
    h = tag_hierarchy(tag_store.reader()).set_index("id")
    assert h.loc["결제", "value"] == h.loc["결제/환불", "value"]
    assert (
        h.loc["결제/환불", "value"]
        == h.loc["결제/환불/지연", "value"] + h.loc["결제/환불/취소", "value"]
    )
    assert h.loc["결제/환불/지연", "parent"] == "결제/환불" and h.loc["결제", "parent"] == ""
    assert h.loc["배송/조회/위치", "label_en"] == "Where"
    assert h.loc["결제/환불/지연", "value"] == 6 + 4 + 15 + 50 + 5
    total = h[h["level"] == 1]["value"].sum()
    assert total == 90


def test_nothing_is_new_without_history(empty_store):
    seed_voc(empty_store, contact_rows(datetime(2026, 10, 19), "T1", 3, 0)
             + contact_rows(datetime(2026, 10, 25), "T2", 2, 3))  # fmt: skip
    rep = tag_report(empty_store.reader(), "week")
    assert len(rep) == 2 and not rep["is_new"].any()
