"""Scorecards, trends, item weaknesses, coaching list and audit gap on hand-made evaluations.

Scores by the demo form (see test_forms_and_scoring.py): PERFECT = 100; greeting 0 -> 90;
empathy 2 -> 88.75 (item score 25); empathy 3 + resolution N/A -> 8250/90 = 91.667.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from qa_fixtures import PERFECT, seed_qa

from ops.qa import audit_gap, coaching_list, item_weaknesses, qa_scorecard, qa_trend

MON = datetime(2026, 10, 5, 2)  # a Monday (UTC)


def _ev(eid, agent, center, when, evaluator="Q1", org="in_house"):
    return dict(evaluation_id=eid, agent_id=agent, center_id=center, evaluator_id=evaluator,
                evaluator_org=org, evaluated_at=when)  # fmt: skip


@pytest.fixture()
def qa_store(empty_store):
    w = timedelta(weeks=1)
    evs, items = [], {}

    def add(eid, agent, center, when, scores, **kw):
        evs.append(_ev(eid, agent, center, when, **kw))
        items[eid] = scores

    # A1 (SEOUL/T1): empathy 2 in three consecutive weeks -> coaching on empathy
    for i in range(3):
        add(f"A1w{i}", "A1", "SEOUL", MON + i * w, {**PERFECT, "empathy": 2})
    # A2 (SEOUL/T1): empathy 2 in weeks 0 and 2, perfect in week 1 -> streak of 1 only
    add("A2w0", "A2", "SEOUL", MON, {**PERFECT, "empathy": 2})
    add("A2w1", "A2", "SEOUL", MON + w, PERFECT)
    add("A2w2", "A2", "SEOUL", MON + 2 * w, {**PERFECT, "empathy": 2})
    # B1 (BUSAN vendor) in October: in-house audit 91.667, vendor self-scores 100 and 90
    add("B1a", "B1", "BUSAN", MON, {**PERFECT, "empathy": 3, "resolution_offered": None})
    add("B1v1", "B1", "BUSAN", MON + timedelta(days=1), PERFECT, evaluator="V1", org="vendor")
    add("B1v2", "B1", "BUSAN", MON + timedelta(days=2), {**PERFECT, "greeting": 0},
        evaluator="V1", org="vendor")  # fmt: skip
    # B2: vendor-only evaluation -> not in the audit gap (no in-house audit of B2)
    add("B2v", "B2", "BUSAN", MON, {**PERFECT, "identity_check": 0}, evaluator="V1", org="vendor")
    seed_qa(empty_store, evs, items)
    return empty_store


def test_scorecard_by_agent_and_center(qa_store):
    r = qa_store.reader()
    by_agent = qa_scorecard(r, "agent").set_index("agent_id")
    assert by_agent.loc["A1", "mean_score"] == pytest.approx(88.75)
    assert by_agent.loc["A1", "n_evaluations"] == 3
    # A2: (88.75 + 100 + 88.75) / 3
    assert by_agent.loc["A2", "mean_score"] == pytest.approx((88.75 * 2 + 100) / 3)
    assert by_agent.loc["A2", "pass_rate"] == pytest.approx(1.0)  # all >= 85
    assert by_agent.loc["B2", "critical_fail_rate"] == 1.0 and by_agent.loc["B2", "mean_score"] == 0
    by_center = qa_scorecard(r, "center").set_index("center_id")
    # SEOUL: 5 x 88.75 + 100 over 6
    assert by_center.loc["SEOUL", "mean_score"] == pytest.approx((5 * 88.75 + 100) / 6)
    # BUSAN: 91.667, 100, 90, 0 -> three of four reach 85
    assert by_center.loc["BUSAN", "mean_score"] == pytest.approx((8250 / 90 + 100 + 90 + 0) / 4)
    assert by_center.loc["BUSAN", "pass_rate"] == pytest.approx(0.75)
    lo, hi = by_center.loc["SEOUL", ["ci_low", "ci_high"]]
    assert lo < by_center.loc["SEOUL", "mean_score"] < hi
    vendors = qa_scorecard(r, "vendor").set_index("vendor")
    assert set(vendors.index) == {"BusanCo", "in-house"}
    team = qa_scorecard(r, "team").set_index("team")
    assert team.loc["T1", "n_agents"] == 2


def test_trend_by_week(qa_store):
    tr = qa_trend(qa_store.reader(), "week", by="center")
    seoul = tr[tr["center_id"] == "SEOUL"].set_index("period_start")["mean_score"]
    assert seoul.tolist() == pytest.approx([88.75, (88.75 + 100) / 2, 88.75])
    assert str(seoul.index[0].date()) == "2026-10-05"


def test_item_weaknesses_by_team(qa_store):
    wk = item_weaknesses(qa_store.reader(), by="team")
    t1 = wk[wk["team"] == "T1"].set_index("item_id")
    # T1 empathy: five evaluations at 25 and one at 100 -> 37.5
    assert t1.loc["empathy", "item_mean"] == pytest.approx(37.5)
    # T1 form mean: weighted mean of all non-N/A item scores = mean raw score (88.75 x5, 100)
    assert t1.loc["empathy", "form_mean"] == pytest.approx((5 * 88.75 + 100) / 6)
    assert wk.iloc[0]["item_id"] == "empathy"  # weakest first


def test_coaching_list_needs_consecutive_weeks(qa_store):
    r = qa_store.reader()
    cl = coaching_list(r, item_target=70, weeks=3)
    assert cl[["agent_id", "item_id"]].values.tolist() == [["A1", "empathy"]]
    assert cl.iloc[0]["weeks_below"] == 3 and cl.iloc[0]["streak_mean"] == pytest.approx(25.0)
    one = coaching_list(r, item_target=70, weeks=1)
    assert set(one["agent_id"]) == {"A1", "A2"}  # A2's latest week is below target
    assert coaching_list(r, item_target=70, weeks=4).empty


def test_audit_gap_same_agents_same_period(qa_store):
    gap = audit_gap(qa_store.reader())
    assert len(gap) == 1
    g = gap.iloc[0]
    assert g["center_id"] == "BUSAN" and g["n_agents"] == 1
    assert g["n_in_house"] == 1 and g["n_vendor"] == 2  # B2's vendor-only row is excluded
    assert g["in_house_mean"] == pytest.approx(8250 / 90)
    assert g["vendor_mean"] == pytest.approx(95.0)
    assert g["gap"] == pytest.approx(8250 / 90 - 95.0)


def test_every_qa_view_handles_an_empty_store(empty_store):
    from ops.qa import calibration_report, evaluation_scores, review_sample, survey_metrics

    r = empty_store.reader()
    assert evaluation_scores(r).empty and "score" in evaluation_scores(r).columns
    for frame in (qa_scorecard(r), qa_trend(r, "month"), item_weaknesses(r), coaching_list(r),
                  audit_gap(r), review_sample(r, "2026-W43")):  # fmt: skip
        assert frame.empty
    assert all(f.empty for f in calibration_report(r).values())
    assert survey_metrics(r, "tag").empty
