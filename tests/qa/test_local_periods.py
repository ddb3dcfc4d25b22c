"""QA periods are the center's local days (like contacts.created_local), not UTC days.

SEOUL is UTC+9: an evaluation at 2026-09-30 15:30 UTC is 2026-10-01 00:30 in Seoul (October);
one at 2026-09-30 14:00 UTC is 23:00 Seoul time (still September).
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
from qa_fixtures import PERFECT, seed_qa

from ops.qa import evaluation_scores, qa_trend
from ops.sla import metric_table


@pytest.fixture()
def boundary_store(empty_store):
    evs = [
        dict(evaluation_id="OCT", agent_id="A1", center_id="SEOUL", evaluator_id="Q1",
             evaluator_org="in_house", evaluated_at=datetime(2026, 9, 30, 15, 30)),
        dict(evaluation_id="SEP", agent_id="A1", center_id="SEOUL", evaluator_id="Q1",
             evaluator_org="in_house", evaluated_at=datetime(2026, 9, 30, 14, 0)),
    ]  # fmt: skip
    # OCT: perfect -> 100; SEP: greeting 0 (weight 10 of 100) -> 90
    seed_qa(empty_store, evs, {"OCT": PERFECT, "SEP": {**PERFECT, "greeting": 0}})
    return empty_store


def test_evaluation_dates_are_local(boundary_store):
    r = boundary_store.reader()
    out = evaluation_scores(r, "2026-10-01", "2026-10-31")
    assert out["evaluation_id"].tolist() == ["OCT"]
    assert out["evaluated_local"].iloc[0] == pd.Timestamp("2026-10-01 00:30")
    assert evaluation_scores(r, "2026-09-30", "2026-09-30")["evaluation_id"].tolist() == ["SEP"]


def test_qa_trend_and_sla_qa_score_agree_on_the_month(boundary_store):
    r = boundary_store.reader()
    trend = qa_trend(r, "month", by=None)
    got = dict(zip(trend["period_start"].astype(str), trend["mean_score"], strict=True))
    assert got == {"2026-09-01": pytest.approx(90.0), "2026-10-01": pytest.approx(100.0)}
    sla = metric_table(r, ["qa_score"], period="month")
    assert dict(zip(sla["period"].astype(str), sla["qa_score"], strict=True)) == {
        "2026-09-01": pytest.approx(90.0),
        "2026-10-01": pytest.approx(100.0),
    }
