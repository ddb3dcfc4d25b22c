"""CSAT, CES, NPS and response rates by hand; Wilson interval against published values."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from ops.qa import survey_metrics, wilson_interval
from ops.qa.stats import nps_frame, t_interval


@pytest.mark.parametrize(
    ("k", "n", "lo", "hi"),
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion",
        # Statistics in Medicine 17:857-872, Table II, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_newcombe_1998(k, n, lo, hi):
    got = wilson_interval(k, n)
    assert got[0] == pytest.approx(lo, abs=5e-5)
    assert got[1] == pytest.approx(hi, abs=5e-5)


def test_t_interval_by_hand():
    # mean 6.2, sd of [7,6,5,7,6] = sqrt(0.7) = 0.83666, t(.975, 4) = 2.776445
    lo, hi = t_interval(6.2, 0.7**0.5, 5)
    assert hi - 6.2 == pytest.approx(2.776445 * 0.83666 / 5**0.5, rel=1e-5)
    assert lo == pytest.approx(6.2 - (hi - 6.2))


def test_t_frame_is_cut_to_the_scale():
    from ops.qa.stats import t_frame

    # QA scores 100, 100, 0 (0-100): mean 66.67, sd 57.735, t(.975, 2) = 4.302653,
    # half = 4.302653 * 57.735 / sqrt(3) = 143.4 -> -76.8..210.1 unbounded, 0..100 on the scale
    args = (pd.Series([200 / 3]), pd.Series([57.735027]), pd.Series([3]))
    raw = t_frame(*args)
    assert raw["hi"].iloc[0] == pytest.approx(200 / 3 + 4.302653 * 57.735027 / 3**0.5, rel=1e-5)
    cut = t_frame(*args, bounds=(0, 100))
    assert (cut["lo"].iloc[0], cut["hi"].iloc[0]) == (0.0, 100.0)


def test_nps_interval_by_hand():
    # 5 promoters, 3 detractors of 10: NPS 20; var = (.5 + .3 - .2^2) / 10 = .076
    f = nps_frame(pd.Series([5]), pd.Series([3]), pd.Series([10]))
    assert f["nps"].iloc[0] == pytest.approx(20.0)
    half = 1.959964 * 0.076**0.5 * 100
    assert f["lo"].iloc[0] == pytest.approx(20 - half, rel=1e-5)
    assert f["hi"].iloc[0] == pytest.approx(20 + half, rel=1e-5)


def _seed(store):
    t0 = datetime(2026, 10, 5, 1)
    csat = [5, 4, 3, 5, 1, 2, 4, 5]  # chat, all agent-handled; top-2-box 5/8
    ces = [7, 6, 5, 7, 6, None, None, None]  # mean 6.2, share >= 6: 4/5
    rows = []
    for i, (c, e) in enumerate(zip(csat, ces, strict=True)):
        rows.append(dict(contact_id=f"c{i}", channel="chat", queue_id="Q", center_id="SEOUL",
                         agent_id="A1", created_at=t0 + timedelta(minutes=i),
                         created_local=t0 + timedelta(hours=9, minutes=i), handled_by="agent",
                         csat=c, ces=e))  # fmt: skip
    # two more agent-handled chats without a response, and a bot chat with a response
    for i in (8, 9):
        rows.append(dict(contact_id=f"c{i}", channel="chat", queue_id="Q", center_id="SEOUL",
                         agent_id="A1", created_at=t0, created_local=t0 + timedelta(hours=9),
                         handled_by="agent"))  # fmt: skip
    rows.append(dict(contact_id="c10", channel="chat", queue_id="Q", center_id="SEOUL",
                     created_at=t0, created_local=t0 + timedelta(hours=9), handled_by="bot",
                     csat=1))  # fmt: skip
    nps = [10, 9, 9, 8, 7, 6, 0, 10, 3, 9]  # promoters 5, detractors 3 -> NPS 20
    sv = pd.DataFrame(
        {
            "survey_id": [f"s{i}" for i in range(len(nps))],
            "kind": "nps",
            "score": nps,
            "center_id": "SEOUL",
            "channel": "chat",
            "responded_at": t0,
        }
    )
    with store.write() as cur:
        store.append_df("contacts", pd.DataFrame(rows), cur)
        store.append_df("surveys", sv, cur)


def test_survey_metrics_by_channel_by_hand(empty_store):
    _seed(empty_store)
    m = survey_metrics(empty_store.reader(), "channel").set_index("channel").loc["chat"]
    # CSAT counts every 1-5 response (bot included): top-2 = 5 of 9
    assert m["csat_n"] == 9
    assert m["csat"] == pytest.approx(5 / 9)
    lo, hi = wilson_interval(5, 9)
    assert (m["csat_lo"], m["csat_hi"]) == pytest.approx((lo, hi))
    # response rate: 8 responses on 10 agent-handled contacts
    assert m["handled_contacts"] == 10 and m["response_rate"] == pytest.approx(0.8)
    assert m["ces_n"] == 5 and m["ces"] == pytest.approx(6.2)
    assert m["ces_share_6plus"] == pytest.approx(0.8)
    assert not m["ces_meets_target"] and m["ces_target"] == 6.5
    assert m["nps_n"] == 10 and m["nps"] == pytest.approx(20.0)
    total = survey_metrics(empty_store.reader(), None).iloc[0]
    assert total["csat_n"] == 9 and total["nps"] == pytest.approx(20.0)
    # a day with no contacts gives zero counts and empty metrics, not an error
    empty = survey_metrics(empty_store.reader(), "channel", "2027-01-01", "2027-01-02")
    assert empty["csat_n"].sum() == 0


def test_qa_outcome_correlation_by_hand():
    from ops.qa import qa_outcome_correlation

    by_agent = pd.DataFrame(
        {
            "agent_id": ["a", "b", "c", "d", "e"],
            "n_evaluations": [5, 5, 5, 5, 1],
            "qa_mean": [70.0, 80.0, 90.0, 100.0, 10.0],
            "csat_n": [20, 20, 20, 20, 20],
            "csat": [0.6, 0.7, 0.8, 0.9, 0.0],  # exactly linear in QA for a-d
            "ces_n": [20, 20, 20, 5, 20],
            "ces": [6.0, 5.0, 4.0, 7.0, 1.0],
        }
    )
    out = qa_outcome_correlation(by_agent, min_evaluations=3, min_responses=10).set_index("outcome")
    # agent e has too few evaluations; d too few CES responses
    assert out.loc["csat", "n_agents"] == 4 and out.loc["csat", "pearson_r"] == pytest.approx(1.0)
    assert out.loc["csat", "spearman_rho"] == pytest.approx(1.0)
    assert out.loc["ces", "n_agents"] == 3 and out.loc["ces", "pearson_r"] == pytest.approx(-1.0)
