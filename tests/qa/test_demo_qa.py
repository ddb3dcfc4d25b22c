"""QA and VOC on the simulated demo (tests/conftest.py ``demo_store``: 56 days, scale 0.25, seed 7).

The simulator (ops/simulate/world.py ``QA_EVALUATORS``) gives the four in-house evaluators a
leniency of +8 (QA-KIM), +2 (QA-LEE), -3 (QA-PARK) and -8 (QA-CHOI) points, and each vendor's own
QA evaluator is lenient on its own agents (ops/simulate/people.py), so calibration must rank them in
that order and the audit gap of both vendor centers must be negative.
"""

from __future__ import annotations

import pytest

from ops.qa import audit_gap, calibration_report, evaluation_scores, qa_scorecard, review_sample
from ops.qa.sampling import iso_week_label
from ops.voc import automation_candidates, event_impact, tag_report
from ops.voc.tags import data_last_day, last_complete_period


@pytest.fixture(scope="module")
def reader(demo_store):
    return demo_store.reader()


@pytest.fixture(scope="module")
def calibration_demo():
    """A longer, sparser demo (120 days at scale 0.05, seed 7: three monthly calibration sessions,
    30 contacts). The shared 56-day fixture holds a single session of 10 contacts, too few to
    separate evaluators 5 points apart (PARK -3 vs CHOI -8) from item-scale noise."""
    from datetime import date

    from ops.simulate import build_demo
    from ops.store import Store

    store = Store.open(":memory:")
    build_demo(store, seed=7, days=120, end=date(2026, 10, 31), scale=0.05)
    yield store
    store.close()


def test_demo_leniency_ranking(calibration_demo):
    rep = calibration_report(calibration_demo.reader())
    len_ = rep["leniency"].set_index("evaluator_id")
    assert len_.index.tolist() == ["QA-KIM", "QA-LEE", "QA-PARK", "QA-CHOI"]
    assert (len_["n_units"] == 30).all()
    # leave-one-out expectation: offset minus the mean of the other three offsets, e.g. KIM
    # 8 - (2 - 3 - 8) / 3 = 11; CHOI -8 - (8 + 2 - 3) / 3 = -10.33. Item scales clip at their
    # ends, which pulls the estimates inwards: 4 points of slack.
    offsets = {"QA-KIM": 8.0, "QA-LEE": 2.0, "QA-PARK": -3.0, "QA-CHOI": -8.0}
    for ev, off in offsets.items():
        others = [v for k, v in offsets.items() if k != ev]
        assert len_.loc[ev, "leniency"] == pytest.approx(off - sum(others) / 3, abs=4)
    assert len(rep["agreement"]) == 10  # nine items + the evaluation score


def test_demo_fixture_calibration_report(reader):
    rep = calibration_report(reader)
    assert rep["leniency"]["evaluator_id"].iloc[0] == "QA-KIM"
    assert set(rep["spread"]["item_id"]) >= {"empathy", "clarity", "knowledge_accuracy"}


def test_demo_vendor_self_qa_is_more_lenient_than_the_audit(reader):
    gap = audit_gap(reader).set_index("center_id")
    assert set(gap.index) == {"BUSAN", "MANILA"}
    assert (gap["gap"] < 0).all()
    assert (gap["n_agents"] > 0).all()


def test_demo_scores_and_scorecards(reader):
    sc = evaluation_scores(reader)
    assert len(sc) > 100 and sc["score"].between(0, 100).all()
    assert (sc.loc[sc["critical_fail"], "score"] == 0).all()
    by_center = qa_scorecard(reader, "center")
    assert set(by_center["center_id"]) == {"SEOUL", "BUSAN", "MANILA"}
    assert by_center["n_evaluations"].sum() == len(sc)


def test_demo_review_sample_and_voc(reader):
    last = data_last_day(reader)
    week = iso_week_label(last_complete_period(last, "week"))
    s = review_sample(reader, week, per_agent=4)
    assert len(s) > 0 and s.groupby("agent_id").size().max() <= 4
    rep = tag_report(reader, "week", level=1)
    assert rep["share"].sum() == pytest.approx(1.0)
    cand = automation_candidates(reader, top=5)
    assert len(cand) == 5 and (cand["fte_saved"] >= 0).all()
    imp = event_impact(reader)
    assert len(imp) >= 1 and (imp["ratio"] > 1).any()


def test_demo_qa_vs_outcomes(reader):
    from ops.qa import qa_outcome_correlation, qa_outcomes_by_agent

    by_agent = qa_outcomes_by_agent(reader)
    assert by_agent["agent_id"].is_unique and len(by_agent) > 10
    corr = qa_outcome_correlation(by_agent, min_evaluations=3, min_responses=5)
    assert set(corr["outcome"]) == {"csat", "ces"}
    assert (corr["n_agents"] > 0).all()
