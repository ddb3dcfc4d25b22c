"""Automation candidate score and savings, and anomaly bands, by hand."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from voc_fixtures import contact_rows, seed_voc

from ops.voc import anomaly_flags, automation_candidates, flag_anomalies, fte_for_hours
from ops.voc.candidates import score_candidates


def test_fte_for_hours_by_hand():
    # 40 h x (1 - 0.30) x 0.85 = 23.8 productive hours per FTE-week
    assert float(fte_for_hours(23.8)) == pytest.approx(1.0)
    assert float(fte_for_hours(10, paid_hours=40, shrinkage=0.0, occupancy=1.0)) == 0.25


def test_score_candidates_by_hand():
    stats = pd.DataFrame(
        {
            "agent_contacts": [100, 50],
            "is_simple": [True, False],
            "template_rate": [0.8, 0.9],
            "handle_mean_s": [200.0, 100.0],
            "handle_sd_s": [50.0, 100.0],
        }
    )
    s = score_candidates(stats, complex_weight=0.25)
    # tag 0: 1.0 x 1 x 0.8 x 1/(1 + 0.25) = 0.64; tag 1: 0.5 x 0.25 x 0.9 x 1/(1 + 1) = 0.05625
    assert s["score"].tolist() == pytest.approx([0.64, 0.05625])


def test_automation_candidates_from_store(empty_store):
    rows: list[dict] = []
    day = datetime(2026, 10, 1)
    for d in range(14):  # two weeks
        when = day + timedelta(days=d)
        # T2 (simple): 10/day, 8 with a template, handle 300 s each
        for i, r in enumerate(contact_rows(when, "T2", 10, len(rows))):
            r.update(handle_s=300.0, template_id="tpl" if i < 8 else None)
            rows.append(r)
        # T1 (not simple): 5/day, no template
        for r in contact_rows(when, "T1", 5, len(rows)):
            r.update(handle_s=600.0)
            rows.append(r)
    seed_voc(empty_store, rows)
    c = automation_candidates(empty_store.reader(), datetime(2026, 10, 1).date(),
                              datetime(2026, 10, 14).date())  # fmt: skip
    top = c.iloc[0]
    assert top["tag_id"] == "T2" and top["rank"] == 1
    assert top["template_rate"] == pytest.approx(0.8)
    assert top["score"] == pytest.approx(1.0 * 1.0 * 0.8 * 1.0)  # CV 0
    # T2 agent hours per week: 70 contacts x 300 s / 3600 = 5.8333 h; saved x 0.8 = 4.6667 h
    assert top["agent_hours_week"] == pytest.approx(70 * 300 / 3600)
    assert top["hours_saved_week"] == pytest.approx(70 * 300 / 3600 * 0.8)
    assert top["fte_saved"] == pytest.approx(70 * 300 / 3600 * 0.8 / 23.8)
    assert "shrinkage" in top["fte_method"]
    assert c.set_index("tag_id").loc["T1", "score"] == 0.0  # never templated


def _daily(values: list[int], start: str = "2026-09-07") -> pd.DataFrame:
    days = pd.date_range(start, periods=len(values), freq="D")
    return pd.DataFrame({"day": days, "tag": "X", "volume": values})


def test_flag_anomalies_by_hand():
    vals = [10] * 35
    vals[30] = 40  # baseline 10 (same weekday, 4 weeks), sigma = max(0, sqrt(10), 1) = 3.162
    vals[31] = 15  # |15 - 10| = 5 < 4 x 3.162 -> inside the band
    out = flag_anomalies(_daily(vals), ["tag"], weeks=4, k=4.0, min_excess=5)
    flagged = out[out["is_anomaly"]]
    assert flagged["day"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-07"]
    row = flagged.iloc[0]
    assert row["baseline"] == 10 and row["z"] == pytest.approx(30 / np.sqrt(10))
    assert row["band_hi"] == pytest.approx(10 + 4 * np.sqrt(10))
    assert row["basis"] == "weekday" and row["baseline_days"] == 4
    # Series starts Mon 7 Sep. Until 3 same weekdays exist, a day is scored on >= 3 earlier days
    # of its class (Mon-Fri or Sat-Sun): Mon-Wed of week 1 have 0-2 weekdays before them, Sat 12
    # and Sun 13 have 0 and 1 weekend days before them, Sat 19 has 2 (12th, 13th); Sun 20 has 3.
    unscored = out.index[out["baseline"].isna()].tolist()
    assert unscored == [0, 1, 2, 5, 6, 12]
    assert (out.loc[3:20, "basis"].drop([5, 6, 12]) == "day class").all()
    assert (out.loc[21:, "basis"] == "weekday").all()


def test_weekday_aware_baseline_does_not_flag_a_regular_monday_peak():
    week = [50, 10, 10, 10, 10, 10, 10]  # Mondays are always busy
    out = flag_anomalies(_daily(week * 6), ["tag"], weeks=4)
    assert not out["is_anomaly"].any()


def test_anomaly_flags_from_store_name_the_event(empty_store):
    rows: list[dict] = []
    start = datetime(2026, 9, 1)
    for d in range(42):
        n = 40 if d == 38 else 8
        rows += contact_rows(start + timedelta(days=d), "T3", n, len(rows))
    ev = [{"event_id": "O1", "kind": "outage", "name": "Tracking down", "tag_id": "T3",
           "start_date": (start + timedelta(days=38)).date(),
           "end_date": (start + timedelta(days=38)).date()}]  # fmt: skip
    seed_voc(empty_store, rows, ev)
    fl = anomaly_flags(empty_store.reader(), level=1)
    assert len(fl) == 1
    assert fl.iloc[0]["day"] == pd.Timestamp(start + timedelta(days=38))
    assert fl.iloc[0]["level1_en"] == "Delivery" and fl.iloc[0]["events"] == "Tracking down"


def test_every_voc_view_handles_an_empty_store(empty_store):
    from ops.voc import contact_flags, event_impact, support_funnel, tag_hierarchy, tag_report

    r = empty_store.reader()
    assert anomaly_flags(r, 1).empty and "z" in anomaly_flags(r, 1).columns
    assert automation_candidates(r).empty and "fte_saved" in automation_candidates(r).columns
    assert tag_report(r).empty and tag_hierarchy(r).empty and event_impact(r).empty
    assert contact_flags(r, "tag").empty
    assert support_funnel(r).iloc[0]["contacts"] == 0
