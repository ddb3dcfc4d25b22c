"""Independent reference for M/M/N+M: the birth-death chain solved numerically (truncated).

Used only by tests. Nothing here uses the closed forms of ``ops.staffing.erlang``: the stationary
distribution comes from the balance equations, and the tagged caller's fate from the matrix
exponential of the phase-type chain (# ahead -> ... -> served, abandoning at rate theta).
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import expm, solve


def stationary(lam: float, mu: float, theta: float, n: int, tail: float = 1e-16) -> np.ndarray:
    """pi_k, k = 0..n+K, from the birth-death balance pi_{k} * lam = pi_{k+1} * death(k+1)."""
    logp = [0.0]
    k = 0
    while True:
        k += 1
        death = min(k, n) * mu + max(k - n, 0) * theta
        logp.append(logp[-1] + np.log(lam) - np.log(death))
        if k > n + 5 and logp[-1] - max(logp) < np.log(tail) and death > lam:
            break
    p = np.exp(np.array(logp) - max(logp))
    return p / p.sum()


def reference(
    lam: float,
    aht_s: float,
    n: int,
    patience_s: float,
    t: float,
    s0: float = 0.0,
    u: float | None = None,
) -> dict[str, float]:
    mu, theta = 1.0 / aht_s, 1.0 / patience_s
    pi = stationary(lam, mu, theta, n)
    kmax = pi.size - 1
    lq = float(sum(max(k - n, 0) * pi[k] for k in range(kmax + 1)))
    p_wait = float(pi[n:].sum())
    # Tagged caller: transient states i = # ahead (0..K); absorbing: served, abandoned.
    big_k = kmax - n
    size = big_k + 1
    q = np.zeros((size, size))
    served = np.zeros(size)
    for i in range(size):
        out = n * mu + i * theta + theta  # servers free up / someone ahead leaves / own abandonment
        q[i, i] = -out
        if i > 0:
            q[i, i - 1] = n * mu + i * theta
        else:
            served[i] = n * mu
    alpha = pi[n:]
    p_served_after_wait = float(alpha @ solve(-q, served))
    p_abandon = p_wait - p_served_after_wait

    def served_by(time: float) -> float:
        # Augment with an absorbing 'served' state to read P(served by time).
        m = np.zeros((size + 1, size + 1))
        m[:size, :size] = q
        m[:size, size] = served
        e = expm(m * time)
        return float(alpha @ e[:size, size])

    def abandoned_by(time: float) -> float:
        m = np.zeros((size + 1, size + 1))
        m[:size, :size] = q
        m[:size, size] = theta
        e = expm(m * time)
        return float(alpha @ e[:size, size])

    sl = (1.0 - p_wait) + served_by(t)
    # E[T 1{served}] = alpha Q^-2 r for the transient generator Q.
    x1 = solve(-q, served)
    mean_wait_served = float(alpha @ solve(-q, x1))
    extra = {}
    if u is not None:
        # P(wait of an offered caller > u) = P(waits) - P(served by u) - P(abandoned by u).
        extra["p_wait_gt_u"] = p_wait - served_by(u) - abandoned_by(u)
    return extra | {
        "p_wait": p_wait,
        "abandon_rate": p_abandon,
        "mean_wait_all_s": lq / lam,
        "service_level": sl,
        "service_level_answered": sl / (1.0 - p_abandon),
        "asa_s": mean_wait_served / (1.0 - p_abandon),
        "abandon_short_rate": abandoned_by(s0) if s0 > 0 else 0.0,
        "occupancy": (1.0 - p_abandon) * lam / (n * mu),
    }
