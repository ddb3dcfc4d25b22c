"""The weekly QA review sample: reproducible, order-independent, stratified, oversampling."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ops.errors import CcopsError
from ops.qa import review_sample, sample_contacts
from ops.qa.sampling import allocate, allocate_per_agent, parse_iso_week


def test_parse_iso_week():
    assert parse_iso_week("2026-W43") == (date(2026, 10, 19), date(2026, 10, 26))
    assert parse_iso_week("2026-W01") == (date(2025, 12, 29), date(2026, 1, 5))
    with pytest.raises(CcopsError):
        parse_iso_week("2026-43")
    with pytest.raises(CcopsError):
        parse_iso_week("2026-W54")


def test_allocate_largest_remainder_by_hand():
    # quotas 6/10*5 = 3, 3/10*5 = 1.5, 1/10*5 = 0.5 -> floors 3, 1, 0; one seat left, the two
    # remainders tie at .5 and go by name: email before voice
    got = allocate(pd.Series({"chat": 6, "voice": 3, "email": 1}), 5)
    assert got.to_dict() == {"chat": 3, "voice": 1, "email": 1}
    # never more than a stratum has; total capped by what exists
    assert allocate(pd.Series({"chat": 1, "voice": 1}), 5).to_dict() == {"chat": 1, "voice": 1}


def _week_contacts(
    n_chat: int, n_voice: int, agent: str = "A1", low_every: int = 0
) -> pd.DataFrame:
    t0 = datetime(2026, 10, 19, 9)
    rows = []
    for i in range(n_chat + n_voice):
        rows.append(
            {
                "contact_id": f"{agent}-{i:04d}",
                "agent_id": agent,
                "center_id": "SEOUL",
                "channel": "chat" if i < n_chat else "voice",
                "created_local": t0 + timedelta(minutes=i),
                "csat": 1.0 if low_every and i % low_every == 0 else 5.0,
                "handle_s": 300.0,
            }
        )
    return pd.DataFrame(rows)


def test_sample_is_stratified_by_the_agents_channel_mix():
    df = pd.concat([_week_contacts(80, 20, "A1"), _week_contacts(10, 30, "A2")])
    s = sample_contacts(df, "2026-W43", per_agent=10)
    counts = s.groupby(["agent_id", "channel"]).size().to_dict()
    # A1: 80/20 -> 8 chat, 2 voice; A2: 10/30 -> 2.5/7.5 -> floors 2, 7, tie .5/.5 -> chat
    assert counts == {("A1", "chat"): 8, ("A1", "voice"): 2, ("A2", "chat"): 3, ("A2", "voice"): 7}
    assert s["contact_id"].is_unique


def test_sample_is_reproducible_and_order_independent():
    df = _week_contacts(200, 50, "A1", low_every=7)
    a = sample_contacts(df, "2026-W43", per_agent=12)
    shuffled = df.sample(frac=1.0, random_state=3)
    b = sample_contacts(shuffled, "2026-W43", per_agent=12)
    pd.testing.assert_frame_equal(a, b)
    c = sample_contacts(df, "2026-W44", per_agent=12)
    assert set(a["contact_id"]) != set(c["contact_id"])
    d = sample_contacts(df, "2026-W43", per_agent=12, seed=1)
    assert set(a["contact_id"]) != set(d["contact_id"])


def test_low_csat_contacts_are_oversampled():
    # 10 % low-CSAT in the population; weight 3 makes roughly 3 x .1 / (3 x .1 + .9) = 25 % of
    # a small sample low-CSAT (inclusion is a bit lower for large samples without replacement)
    df = _week_contacts(1000, 0, "A1", low_every=10)
    s = sample_contacts(df, "2026-W43", per_agent=100)
    low_share = float((s["csat"] <= 2).mean())
    assert low_share > 0.17
    assert set(s.loc[s["csat"] <= 2, "reason"]) == {"low_csat"}
    assert np.allclose(s.loc[s["csat"] <= 2, "weight"], 3.0)


def test_long_handle_weight_and_both():
    df = _week_contacts(20, 0, "A1", low_every=0)
    df.loc[df.index[:2], "handle_s"] = 2000.0  # above the p90 (300 + .1 x 1700 = 470)
    df.loc[df.index[0], "csat"] = 2.0
    s = sample_contacts(df, "2026-W43", per_agent=20)
    by_id = s.set_index("contact_id")
    assert by_id.loc["A1-0000", "reason"] == "both" and by_id.loc["A1-0000", "weight"] == 6.0
    assert by_id.loc["A1-0001", "reason"] == "long_handle"


def test_review_sample_from_store_skips_evaluated_contacts(empty_store):
    df = _week_contacts(6, 0, "A1")
    df["queue_id"] = "Q"
    df["created_at"] = df["created_local"] - timedelta(hours=9)
    df["handled_by"] = "agent"
    ev = pd.DataFrame(
        [{"evaluation_id": "E", "contact_id": "A1-0000", "agent_id": "A1", "center_id": "SEOUL",
          "evaluator_id": "Q", "form_id": "standard", "form_version": 1,
          "evaluated_at": datetime(2026, 10, 20)}]
    )  # fmt: skip
    with empty_store.write() as cur:
        empty_store.append_df("contacts", df, cur)
        empty_store.append_df("qa_evaluations", ev, cur)
    s = review_sample(empty_store.reader(), "2026-W43", per_agent=10)
    assert len(s) == 5 and "A1-0000" not in set(s["contact_id"])
    assert review_sample(empty_store.reader(), "2026-W44", per_agent=10).empty


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["chat", "email", "inapp", "voice"]), st.integers(1, 40),
                    min_size=1),
    st.integers(1, 30),
)  # fmt: skip
def test_vectorised_allocation_equals_the_single_agent_rule(counts: dict, per_agent: int):
    s = pd.Series(counts).sort_index()
    single = allocate(s, per_agent)
    both = allocate_per_agent(
        pd.concat({"A": s, "B": s}).rename_axis(["agent_id", "channel"]), per_agent
    )
    assert both.loc["A"].to_dict() == single.to_dict() == both.loc["B"].to_dict()
    assert single.sum() == min(per_agent, s.sum()) and (single <= s).all()
