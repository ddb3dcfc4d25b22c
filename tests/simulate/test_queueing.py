"""The pool simulator, the planner's Erlang A, business seconds and repeat flags, on hand cases."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ops.simulate import world
from ops.simulate.build import _is_repeat
from ops.simulate.erlang import erlang_a, required_servers
from ops.simulate.queueing import PoolState, simulate_pool
from ops.simulate.timegrid import BusinessClock, Horizon

US = 1_000_000


def _sim(servers, arrivals, patience, handle):
    state = PoolState(np.asarray(servers, dtype=np.int64))
    return simulate_pool(
        state, np.asarray(arrivals, float), np.asarray(patience, float), np.asarray(handle, float)
    )


# --- hand-calculated cases (interval = 1800 s) --------------------------------------------------


def test_single_server_fcfs():
    # one server; arrivals 0, 10, 20 with handle 15: starts 0, 15, 30 (waits 0, 5, 10)
    s = _sim([1], [0, 10, 20], [100, 100, 100], [15, 15, 15])
    assert s.tolist() == [0, 15, 30]


def test_impatient_customer_abandons_and_takes_no_server():
    # the third customer would start at 30 but leaves after 3 s; the fourth (at 25) then starts at 30
    s = _sim([1], [0, 10, 20, 25], [100, 100, 3, 100], [15, 15, 15, 15])
    assert s[:2].tolist() == [0, 15]
    assert math.isnan(s[2])
    assert s[3] == 30


def test_closed_pool_waits_for_the_next_boundary():
    # no server in interval 0, one from 1800: a customer at 1700 with patience 200 starts at 1800;
    # with patience 50 it abandons
    assert _sim([0, 1], [1700], [200], [10]).tolist() == [1800]
    assert math.isnan(_sim([0, 1], [1700], [50], [10])[0])


def test_shrinking_pool_keeps_the_longest_busy_servers():
    # 2 servers, then 1 from 1800. Customers at 0 and 1 hold both servers until 3000 and 3001.
    # At 1800 the earliest-free server (free at 3000) leaves; a customer at 1900 waits for 3001.
    s = _sim([2, 1], [0, 1, 1900], [10, 10, math.inf], [3000, 3000, 10])
    assert s.tolist() == [0, 1, 3001]


def test_growing_pool_serves_at_the_boundary():
    # 1 server busy until 5000; a second server arrives at 1800 and takes the waiting customer
    s = _sim([1, 2], [0, 100], [1e9, 1e9], [5000, 10])
    assert s.tolist() == [0, 1800]


def test_async_work_waits_past_the_end_of_the_schedule():
    # infinite patience, schedule ends after one interval: work arriving later stays pending
    s = _sim([1], [10, 2000], [math.inf, math.inf], [5, 5])
    assert s[0] == 10
    assert math.isnan(s[1])


def test_state_carries_over_between_calls():
    state = PoolState(np.array([1], dtype=np.int64))
    a = simulate_pool(state, np.array([0.0]), np.array([100.0]), np.array([50.0]))
    b = simulate_pool(state, np.array([10.0]), np.array([100.0]), np.array([5.0]))
    assert a.tolist() == [0] and b.tolist() == [50]


@settings(max_examples=60, deadline=None)
@given(
    servers=st.lists(st.integers(0, 4), min_size=1, max_size=6),
    n=st.integers(1, 60),
    seed=st.integers(0, 10_000),
)
def test_simulator_invariants(servers, n, seed):
    rng = np.random.default_rng(seed)
    horizon = 1800 * len(servers)
    t = np.sort(rng.uniform(0, horizon, n))
    pat = rng.exponential(300, n)
    hdl = rng.exponential(400, n)
    s = _sim(servers, t, pat, hdl)
    served = ~np.isnan(s)
    assert (s[served] >= t[served]).all()
    assert (s[served] - t[served] <= pat[served] + 1e-9).all()
    # a server only starts work while the pool has servers in that interval
    k = np.minimum((s[served] // 1800).astype(int), len(servers) - 1)
    assert (np.asarray(servers)[k] > 0).all()
    # at any start, customers in service never exceed the largest pool so far (a removed server
    # finishes its customer, so only earlier, larger pools can leave extra customers in service)
    starts, ends = s[served], s[served] + hdl[served]
    for start, kk in zip(starts, k, strict=True):
        in_service = ((starts <= start) & (ends > start)).sum()
        assert 1 <= in_service <= max(servers[: kk + 1])


# --- steady state: the simulator against the closed form ----------------------------------------


def test_constant_pool_matches_erlang_a():
    """A long run with a constant rate and staff reproduces Erlang A (the honesty at its core)."""
    rng = np.random.default_rng(11)
    lam, aht, patience, n = 100 / 1800, 180.0, 150.0, 11
    k = 1500
    count = rng.poisson(lam * 1800 * k)
    t = np.sort(rng.uniform(0, 1800 * k, count))
    s = _sim(np.full(k, n), t, rng.exponential(patience, count), rng.exponential(aht, count))
    within = (~np.isnan(s) & (s - t <= 20)).mean()
    expected = erlang_a(lam, 1 / aht, 1 / patience, n, 20)["p_served_within"]
    assert within == pytest.approx(float(expected), abs=0.01)
    assert np.isnan(s).mean() == pytest.approx(
        float(erlang_a(lam, 1 / aht, 1 / patience, n)["p_abandon"]), abs=0.006
    )


# Published cases (also in the project's shared reference file erlang_published.json):
# - Mandelbaum & Zeltyn, "The Erlang-A model" example: 48 calls/min, mean service 1 min, mean
#   patience 2 min, 50 agents -> about 3.1 % abandon.
# - Call Centre Helper "Erlang C Formula - Made Simple With an Easy Worked Example" (100 calls per
#   30 min, AHT 180 s, 20 s target), per-agent table as printed by CRAN package ErlangC 0.1.0:
#   agents -> (P(wait), service level).
MZ_ABANDON = 0.031
CCH = {11: (0.6821182, 0.3896138), 12: (0.4493882, 0.640158), 13: (0.2852705, 0.7955948)}


def test_planner_erlang_a_reproduces_published_cases():
    res = erlang_a(48 / 60, 1 / 60, 1 / 120, 50)
    assert float(res["p_abandon"]) == pytest.approx(MZ_ABANDON, abs=1e-3)
    # Erlang C limit (patience 1e5 s, far longer than any wait)
    for agents, (p_wait, sl) in CCH.items():
        r = erlang_a(100 / 1800, 1 / 180, 1e-5, agents, 20)
        assert float(r["p_served_within"]) == pytest.approx(sl, abs=6e-3)
        assert float(r["p_wait"]) == pytest.approx(p_wait, abs=6e-3)


def test_required_servers_is_the_smallest_meeting_target():
    lam = np.array([100 / 1800, 0.0, 0.3])
    n = required_servers(lam, 1 / 180, 1 / 150, 0.8, 20)
    assert n[1] == 0
    for i in (0, 2):
        hi = erlang_a(lam[i], 1 / 180, 1 / 150, n[i], 20)["p_served_within"]
        lo = erlang_a(lam[i], 1 / 180, 1 / 150, n[i] - 1, 20)["p_served_within"]
        assert hi >= 0.8 > lo


@settings(max_examples=40, deadline=None)
@given(lam=st.floats(0.001, 1.0), n=st.integers(1, 60), aht=st.floats(30, 900))
def test_more_agents_never_lower_service_level(lam, n, aht):
    a = erlang_a(lam, 1 / aht, 1 / 150, n, 20)["p_served_within"]
    b = erlang_a(lam, 1 / aht, 1 / 150, n + 1, 20)["p_served_within"]
    assert 0 <= a <= b + 1e-12 <= 1 + 1e-9


# --- business seconds --------------------------------------------------------------------------


def test_business_seconds_over_a_weekend_and_holiday():
    # horizon starts Monday 2026-09-21 00:00 KST; SEOUL is open Mon-Fri 09-18 except KR holidays.
    # 2026-09-24..26 are Chuseok holidays (holidays.KR: "The day preceding Chuseok", "Chuseok",
    # "The second day of Chuseok"), so Thu 24 and Fri 25 are closed.
    h = Horizon(end=date(2026, 10, 4), days=14)
    seoul = next(c for c in world.CENTERS if c.center_id == "SEOUL")
    clock = BusinessClock(h.open_mask(seoul.calendar(), 9))
    day = 86400
    wed_17 = 2 * day + 17 * 3600
    mon_10 = 7 * day + 10 * 3600
    # Wed 17:00-18:00 (1 h) + Mon 09:00-10:00 (1 h); Thu/Fri holidays, Sat/Sun closed
    assert clock.between(np.array([wed_17]), np.array([mon_10]))[0] == 7200
    # Monday 08:00 -> 08:30 is before opening
    assert clock.between(np.array([8 * 3600]), np.array([8.5 * 3600]))[0] == 0


def test_manila_split_shift_in_kst():
    # MANILA: 17:00-24:00 and 00:00-08:00 Manila time = 18:00-09:00 KST, every day
    h = Horizon(end=date(2026, 9, 22), days=2)
    manila = next(c for c in world.CENTERS if c.center_id == "MANILA")
    mask = h.open_mask(manila.calendar(), 8)[: h.n_intervals]
    kst_slot = np.arange(h.n_intervals) % 48
    assert mask[kst_slot < 18].all()  # 00:00-09:00 KST
    assert not mask[(kst_slot >= 18) & (kst_slot < 36)].any()  # 09:00-18:00 KST
    assert mask[kst_slot >= 36].all()  # 18:00-24:00 KST


# --- repeat flag ---------------------------------------------------------------------------------


def test_is_repeat_hand_case():
    # DESIGN.md: same customer, same level-1 tag, within 7 days of an earlier contact.
    day = 86400 * US
    empty = {
        "t_us": np.zeros(0, np.int64),
        "l1": np.zeros(0, np.int64),
        "cust": np.zeros(0, np.int64),
    }
    t = np.array([0, 2 * day, 3 * day, 12 * day, 13 * day, 20 * day + 1], dtype=np.int64)
    l1 = np.array([1, 1, 2, 1, 1, 1])
    cust = np.array([5, 5, 5, 5, 6, 5])
    # 0: first; 1: 2 days after 0 (repeat); 2: other tag; 3: 10 days after 1 (no);
    # 4: other customer; 5: 8 days + 1 us after 3 (no)
    assert _is_repeat(empty, t, l1, cust).tolist() == [False, True, False, False, False, False]
    # exactly 7 days counts as within; an earlier contact in the carried-over tail counts too
    tail = {"t_us": np.array([-7 * day]), "l1": np.array([1]), "cust": np.array([5])}
    assert _is_repeat(tail, t[:1], l1[:1], cust[:1]).tolist() == [True]


def test_stored_business_seconds_agree_with_the_staffing_grid(demo_store):
    """first_response_business_s (ops.calendar, the canonical helper) equals business time on the
    simulator's own open-interval grid, so staffing and SLA clocks are the same calendar."""
    from datetime import datetime as dt

    h = Horizon(end=date(2026, 10, 31), days=56)
    rows = demo_store.query(
        "SELECT center_id, created_at, answered_at, first_response_business_s FROM contacts "
        "WHERE first_response_business_s IS NOT NULL USING SAMPLE 3000 ROWS"
    )
    t0 = dt.combine(h.start, dt.min.time()) - timedelta(hours=9)
    for c in world.CENTERS:
        sub = rows[rows.center_id == c.center_id]
        if not len(sub):
            continue
        clock = BusinessClock(h.open_mask(c.calendar(), c.utc_offset_h))
        a = (sub.created_at - t0).dt.total_seconds().to_numpy()
        b = (sub.answered_at - t0).dt.total_seconds().to_numpy()
        np.testing.assert_allclose(clock.between(a, b), sub.first_response_business_s, atol=1e-3)
