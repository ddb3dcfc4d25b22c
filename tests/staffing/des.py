"""A small discrete-event simulation of the M/M/N+M queue (FCFS, exponential patience).

Used only by tests to cross-check the closed-form Erlang A measures. FCFS makes the simulation exact
without an event calendar: a caller is served by the earliest-free server if that server frees up
before the caller's patience runs out; a caller who abandons never takes a server.
"""

from __future__ import annotations

import heapq

import numpy as np


def simulate_mmnm(
    arrival_rate: float,
    aht_s: float,
    servers: int,
    patience_s: float,
    n_calls: int,
    seed: int,
    answer_s: float = 20.0,
    short_abandon_s: float = 5.0,
    n_batches: int = 20,
) -> dict[str, tuple[float, float]]:
    """(estimate, batch-means standard error) of each measure over ``n_calls`` simulated calls.

    The first 5% of calls are discarded as warm-up (the queue starts empty).
    """
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1.0 / arrival_rate, n_calls))
    service = rng.exponential(aht_s, n_calls)
    patience = rng.exponential(patience_s, n_calls)
    free = [0.0] * servers
    heapq.heapify(free)
    wait = np.empty(n_calls)
    answered = np.empty(n_calls, dtype=bool)
    for i in range(n_calls):
        t = arrivals[i]
        f = free[0]
        w = f - t if f > t else 0.0
        if w > patience[i]:
            wait[i] = patience[i]
            answered[i] = False
        else:
            wait[i] = w
            answered[i] = True
            heapq.heapreplace(free, t + w + service[i])
    warm = n_calls // 20
    wait, answered = wait[warm:], answered[warm:]
    within = answered & (wait <= answer_s)
    short = ~answered & (wait < short_abandon_s)
    batches = np.array_split(np.arange(wait.size), n_batches)

    def stat(fn):
        vals = np.array([fn(b) for b in batches])
        return float(fn(np.arange(wait.size))), float(vals.std(ddof=1) / np.sqrt(n_batches))

    return {
        "p_wait": stat(lambda b: np.mean(wait[b] > 0)),
        "abandon_rate": stat(lambda b: np.mean(~answered[b])),
        "service_level": stat(lambda b: np.mean(within[b])),
        "service_level_answered": stat(lambda b: within[b].sum() / answered[b].sum()),
        "service_level_excl_short": stat(lambda b: within[b].sum() / (b.size - short[b].sum())),
        "abandon_short_rate": stat(lambda b: np.mean(short[b])),
        "asa_s": stat(lambda b: wait[b][answered[b]].mean()),
        "mean_wait_all_s": stat(lambda b: wait[b].mean()),
    }
