"""Erlang C and Erlang A: published values, independent references and invariants."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ctmc import reference  # noqa: E402
from des import simulate_mmnm  # noqa: E402

from ops.errors import StaffingError  # noqa: E402
from ops.staffing import (  # noqa: E402
    ceil_tolerant,
    erlang_a,
    erlang_b,
    erlang_c,
    required_agents,
    service_level_for,
    wait_quantile,
)

REFERENCE_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
PUBLISHED = REFERENCE_DIR / "erlang_published.json"


def _published_cases() -> list[dict]:
    if not PUBLISHED.exists():
        return []
    return json.loads(PUBLISHED.read_text())["cases"]


@pytest.mark.skipif(
    not PUBLISHED.exists(),
    reason=f"{PUBLISHED} is absent (CI clones shared/ beside the repo); published cases not run",
)
@pytest.mark.parametrize("case", _published_cases(), ids=lambda c: c["id"])
def test_published_case(case: dict) -> None:
    inp, exp = case["inputs"], case["expected"]
    calls, interval_s, aht_s = inp["calls"], inp["interval_s"], inp["aht_s"]
    answer_s = inp.get("answer_target_s", 20)
    if case["kind"] == "metrics" and case["model"] == "C":
        # Tolerance stated: abs 5e-7 on probabilities, rel 1e-6 on ASA.
        m = erlang_c(calls, interval_s, aht_s, inp["agents"], answer_s=answer_s)
        assert m.traffic == pytest.approx(exp["traffic_erlangs"], abs=1e-12)
        assert m.p_wait == pytest.approx(exp["p_wait"], abs=5e-7)
        assert m.service_level == pytest.approx(exp["service_level"], abs=5e-7)
        assert m.occupancy == pytest.approx(exp["occupancy"], abs=5e-7)
        assert m.asa_s == pytest.approx(exp["asa_s"], rel=1e-6)
    elif case["kind"] == "staffing_sl":
        req = required_agents(
            calls,
            interval_s,
            aht_s,
            target_sl=inp["target_sl"],
            answer_s=answer_s,
            max_occupancy=inp.get("max_occupancy"),
            shrinkage=inp.get("shrinkage", 0.0),
        ).iloc[0]
        assert req["raw_agents"] == exp["raw_agents"]
        assert req["scheduled_agents"] == exp["agents_with_shrinkage"]
        assert req["service_level"] == pytest.approx(exp["service_level"], abs=5e-7)
        assert req["occupancy"] == pytest.approx(exp["occupancy"], abs=5e-7)
        assert req["p_wait"] == pytest.approx(exp["p_wait"], abs=5e-7)
    elif case["kind"] == "metrics" and case["model"] == "A":
        # Published to 2 s.f.: abandon within 0.001, ASA within 0.1 s, occupancy within 0.005.
        m = erlang_a(calls, interval_s, aht_s, inp["agents"], inp["patience_s"], answer_s=answer_s)
        assert m.abandon_rate == pytest.approx(exp["p_abandon"], abs=0.001)
        assert m.mean_wait_all_s == pytest.approx(exp["asa_all_s"], abs=0.1)
        assert m.occupancy == pytest.approx(exp["occupancy"], abs=0.005)
        recalled = case.get("expected_recalled", {})
        if "mean_queue" in recalled:
            # Recalled (not printed) value "about 3": only checked to the nearest integer.
            assert round(m.queue_length) == recalled["mean_queue"]
        if "wait_p90_s" in recalled:
            # Recalled 90th percentile of the wait, 12.5 s: checked to half a second.
            p90 = wait_quantile(
                calls, interval_s, aht_s, inp["agents"], 0.9, patience_s=inp["patience_s"]
            )
            assert p90 == pytest.approx(recalled["wait_p90_s"], abs=0.5)
    else:
        pytest.fail(f"unknown case kind {case['kind']!r} / model {case['model']!r}")


def test_erlang_b_hand_values() -> None:
    # B(1, 1) = 1/(1+1) = 0.5; B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2; B(0, A) = 1.
    assert erlang_b(1, 1) == pytest.approx(0.5, abs=1e-15)
    assert erlang_b(2, 1) == pytest.approx(0.2, abs=1e-15)
    assert erlang_b(0, 3.0) == 1.0


def test_erlang_c_hand_calculation_two_agents() -> None:
    # A = 1 erlang (20 calls * 90 s / 1800 s), N = 2: B = 0.2, C = 2*0.2 / (2 - 1*(1-0.2)) = 1/3.
    # SL(20 s) = 1 - (1/3) exp(-(2-1)*20/90); ASA = (1/3) * 90 / (2-1) = 30 s; Lq = (1/3)*1/1.
    m = erlang_c(20, 1800, 90, 2, answer_s=20)
    assert m.p_wait == pytest.approx(1 / 3, abs=1e-14)
    assert m.service_level == pytest.approx(1 - np.exp(-20 / 90) / 3, abs=1e-14)
    assert m.asa_s == pytest.approx(30.0, rel=1e-13)
    assert m.queue_length == pytest.approx(1 / 3, rel=1e-13)
    assert m.occupancy == pytest.approx(0.5)


def test_vectorised_equals_scalar() -> None:
    agents = np.array([11, 12, 13, 14])
    vec = erlang_c(100, 1800, 180, agents)
    for i, n in enumerate(agents):
        assert vec.service_level[i] == erlang_c(100, 1800, 180, int(n)).service_level
    a = erlang_a(np.array([100.0, 300.0]), 1800, 180, np.array([12, 30]), 90.0)
    assert a.abandon_rate[1] == pytest.approx(erlang_a(300, 1800, 180, 30, 90.0).abandon_rate)


CTMC_CASES = [
    (48 / 60, 60, 50, 120),  # Mandelbaum-Zeltyn example
    (100 / 1800, 180, 9, 60),  # overloaded without abandonment (A = 10 > 9)
    (1 / 6, 180, 28, 200),
    (0.5, 300, 120, 30),
    (1 / 6, 180, 20, 180),
]


@pytest.mark.parametrize("lam,aht,n,pat", CTMC_CASES)
def test_erlang_a_matches_birth_death_chain(lam: float, aht: float, n: int, pat: float) -> None:
    ref = reference(lam, aht, n, pat, t=20.0, s0=5.0)
    m = erlang_a(lam * 1800, 1800, aht, n, pat, answer_s=20, short_abandon_s=5).as_dict()
    for key, value in ref.items():
        assert m[key] == pytest.approx(value, rel=1e-8, abs=1e-10), key


@given(
    n=st.integers(1, 25),
    load=st.floats(0.3, 1.6),
    aht=st.floats(30, 600),
    pat=st.floats(10, 900),
)
@settings(max_examples=25, deadline=None)
def test_abandon_equals_mean_wait_over_patience(
    n: int, load: float, aht: float, pat: float
) -> None:
    # P(abandon) = theta * E[wait of all]; E[wait] = Lq / lambda from the numerically solved chain
    # (independent of the closed form for P(abandon)).
    lam = load * n / aht
    ref = reference(lam, aht, n, pat, t=20.0)
    m = erlang_a(lam * 3600, 3600, aht, n, pat)
    assert m.abandon_rate == pytest.approx(ref["mean_wait_all_s"] / pat, rel=1e-8, abs=1e-12)


def test_erlang_a_matches_simulation() -> None:
    # 200k simulated calls per case; compare within 5 batch-means standard errors.
    for seed, (lam, aht, n, pat) in enumerate([(100 / 1800, 180, 9, 60), (0.5, 300, 120, 30)]):
        sim = simulate_mmnm(lam, aht, n, pat, n_calls=200_000, seed=11 + seed)
        exact = erlang_a(lam * 1800, 1800, aht, n, pat, answer_s=20, short_abandon_s=5).as_dict()
        for key, (est, se) in sim.items():
            assert se < 0.02 * max(1.0, abs(est)), (key, se)  # the test has power
            assert abs(est - exact[key]) < 5 * se + 1e-9, (key, est, exact[key], se)
        # The identity itself on simulated calls: abandon rate ~ mean wait / mean patience.
        assert sim["abandon_rate"][0] == pytest.approx(
            sim["mean_wait_all_s"][0] / pat, abs=5 * sim["abandon_rate"][1]
        )


@given(
    n=st.integers(1, 400),
    util=st.floats(0.05, 0.97),
    aht=st.floats(20, 900),
    t=st.floats(0, 120),
)
@settings(max_examples=60, deadline=None)
def test_huge_patience_tends_to_erlang_c(n: int, util: float, aht: float, t: float) -> None:
    calls = util * n * 3600 / aht
    c = erlang_c(calls, 3600, aht, n, answer_s=t)
    a = erlang_a(calls, 3600, aht, n, 1e7 * aht, answer_s=t)
    assert a.p_wait == pytest.approx(c.p_wait, abs=2e-4)
    assert a.service_level == pytest.approx(c.service_level, abs=2e-4)
    assert a.abandon_rate < 1e-4
    exact_inf = erlang_a(calls, 3600, aht, n, np.inf, answer_s=t)
    assert exact_inf.service_level == c.service_level


@given(
    n=st.integers(1, 300),
    over=st.floats(1.0, 5.0),
    aht=st.floats(20, 900),
    pat=st.floats(5, 600),
)
@settings(max_examples=40, deadline=None)
def test_overload_erlang_c_waits_while_erlang_a_stays_finite(
    n: int, over: float, aht: float, pat: float
) -> None:
    calls = over * n * 3600 / aht  # traffic >= servers
    c = erlang_c(calls, 3600, aht, n)
    assert c.p_wait == 1.0 and c.service_level == 0.0 and np.isinf(c.asa_s)
    a = erlang_a(calls, 3600, aht, n, pat)
    for v in a.as_dict().values():
        if isinstance(v, float):
            assert np.isfinite(v)
    # Throughput cannot exceed n/aht, so at least 1 - n/A abandon.
    assert a.abandon_rate >= 1 - 1 / over - 1e-9
    assert 0 <= a.service_level <= 1


@given(
    n=st.integers(1, 200),
    util=st.floats(0.05, 1.5),
    aht=st.floats(20, 900),
    t=st.floats(0, 300),
    pat=st.one_of(st.none(), st.floats(5, 3000)),
)
@settings(max_examples=80, deadline=None)
def test_more_agents_never_lower_sl_or_raise_asa(
    n: int, util: float, aht: float, t: float, pat: float | None
) -> None:
    calls = util * n * 1800 / aht
    agents = np.arange(1, n + 40)
    m = service_level_for(agents, calls, 1800, aht, answer_s=t, patience_s=pat)
    sl = m["service_level"].to_numpy()
    assert np.all((sl >= 0) & (sl <= 1))
    assert np.all(np.diff(sl) >= -1e-12)
    asa = m["asa_s"].to_numpy()
    finite = np.isfinite(asa)
    assert np.all(np.diff(asa[finite]) <= 1e-9 * np.maximum(1, asa[finite][:-1]))
    assert np.all(np.diff(m["p_wait"].to_numpy()) <= 1e-12)
    if pat is not None:
        assert np.all(np.diff(m["abandon_rate"].to_numpy()) <= 1e-12)


def test_patience_equal_to_aht_is_the_infinite_server_queue() -> None:
    # With patience = AHT every caller leaves at rate mu whether served or waiting: the number in
    # the system is Poisson(A) (M/M/inf), so P(wait > 0) = P(X >= N) and
    # P(abandon) = E[(X - N)+] / A. Checked at thousands of agents (numerical stability).
    a_erl, n = 4900.0, 4970
    m = erlang_a(a_erl * 1800 / 180, 1800, 180, n, 180.0)
    x = np.arange(0, 8000)
    pmf = stats.poisson.pmf(x, a_erl)
    assert m.p_wait == pytest.approx(stats.poisson.sf(n - 1, a_erl), rel=1e-9)
    assert m.abandon_rate == pytest.approx(
        float(np.sum(np.maximum(x - n, 0) * pmf)) / a_erl, rel=1e-8
    )


def test_halfin_whitt_limit_for_thousands_of_agents() -> None:
    # Square-root staffing N = A + beta sqrt(A): P(wait) -> [1 + beta Phi(beta)/phi(beta)]^-1
    # (Halfin & Whitt 1981); at A = 4900 the finite-size error is below 0.01.
    a_erl, beta = 4900.0, 1.0
    n = int(a_erl + beta * np.sqrt(a_erl))
    limit = 1 / (1 + beta * stats.norm.cdf(beta) / stats.norm.pdf(beta))
    c = erlang_c(a_erl * 1800 / 180, 1800, 180, n)
    assert c.p_wait == pytest.approx(limit, abs=0.01)
    big = erlang_c(np.full(3, 2e5), 1800, 180, np.array([20_001, 20_200, 21_000]))
    assert np.all(np.isfinite(big.service_level)) and np.all(np.diff(big.service_level) > 0)


def test_zero_calls_and_zero_agents() -> None:
    m = erlang_c(0, 1800, 180, 0)
    assert m.service_level == 1.0 and m.p_wait == 0.0
    a = erlang_a(10, 1800, 180, 0, 60.0, short_abandon_s=5)
    assert a.abandon_rate == 1.0 and a.service_level == 0.0
    assert a.mean_wait_all_s == pytest.approx(60.0)  # everyone waits out their patience
    assert a.abandon_short_rate == pytest.approx(1 - np.exp(-5 / 60))


def test_ceil_tolerant_shrinkage_case() -> None:
    # 84 / 0.7 = 120.00000000000001 in binary floating point; 120 agents are enough.
    assert 84 / 0.7 > 120
    assert ceil_tolerant(84 / 0.7) == 120
    assert ceil_tolerant(120.5) == 121
    assert ceil_tolerant(120.000001) == 121  # a real excess still rounds up


def test_bad_inputs_raise_staffing_errors() -> None:
    with pytest.raises(StaffingError, match="aht_s"):
        erlang_c(10, 1800, 0, 3)
    with pytest.raises(StaffingError, match="patience_s"):
        erlang_a(10, 1800, 180, 3, 0)
    with pytest.raises(StaffingError, match="calls"):
        erlang_c(-1, 1800, 180, 3)


def test_wait_quantile_erlang_c_closed_form_and_erlang_a_chain() -> None:
    # Erlang C, published case N = 13: P(W > u) = 0.2852705 exp(-(13 - 10) u / 180) = 0.1
    # -> u = 180 ln(2.852705) / 3 = 62.896 s.
    assert wait_quantile(100, 1800, 180, 13, 0.9) == pytest.approx(
        180 * np.log(2.852705) / 3, rel=1e-6
    )
    assert wait_quantile(100, 1800, 180, 30, 0.9) == 0.0  # P(wait) < 10 %
    assert np.isinf(wait_quantile(100, 1800, 180, 9, 0.9))  # overload
    # Erlang A: at the returned quantile the birth-death chain's P(wait > u) is 1 - q.
    for lam, aht, n, pat in CTMC_CASES[:3]:
        u = wait_quantile(lam * 1800, 1800, aht, n, 0.8, patience_s=pat)
        ref = reference(lam, aht, n, pat, t=20.0, u=u)
        assert ref["p_wait_gt_u"] == pytest.approx(0.2, abs=1e-7)
