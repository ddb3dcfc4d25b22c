"""A small, vectorised Erlang A (M/M/n+M) used by the demo planner to size its own schedule.

The real staffing engine lives in ``ops/staffing``; the simulator keeps its own copy so that the demo
does not depend on code written in parallel (and so the demo's planner is a fixed, documented model).

Model (Palm / Erlang A; Garnett, Mandelbaum & Reiman 2002; Mandelbaum & Zeltyn 2007): Poisson
arrivals at rate ``lam`` per second, ``n`` servers with exponential service at rate ``mu`` per second,
customers with exponential patience at rate ``theta`` per second, FCFS. With ``a = lam/theta`` and
``b = n*mu/theta``, the density of the *offered* wait V (the wait a customer with infinite patience
would have) for v > 0 is

    f_V(v) = pi_n * n*mu * exp(-n*mu*v) * exp(a * (1 - exp(-theta*v)))

(sum over queue positions j of the hypoexponential density with rates n*mu + i*theta, i = 0..j, whose
``exp(-theta*V)`` is Beta(b, j+1)), which integrates to closed forms in the regularised lower incomplete
gamma function P(s, x):

    P(V > s)  = w * P(b, a*exp(-theta*s)) / P(b, a)          with w = P(V > 0)
    P(served, V <= t) = (1 - w) + w * (b/a) * (P(b+1, a) - P(b+1, a*exp(-theta*t))) / P(b, a)
    w = S / (R + S),  S = e^a a^-b Gamma(b+1) P(b, a),  R = P(Pois(lam/mu) <= n-1) / Pois(n; lam/mu)

A customer abandons when patience < V, so P(abandon within s) = int_0^s theta e^{-theta x} P(V > x) dx.
"""

from __future__ import annotations

import numpy as np
from scipy import special

# Gauss-Legendre nodes for the short-abandon integral (smooth integrand: 16 nodes are plenty).
_GL_X, _GL_W = np.polynomial.legendre.leggauss(16)


def _log_wait_ratio(
    lam: np.ndarray, mu: np.ndarray, theta: np.ndarray, n: np.ndarray
) -> np.ndarray:
    """log(S / R): w = P(V > 0) = 1 / (1 + exp(-this))."""
    r = lam / mu
    a = lam / theta
    b = n * mu / theta
    with np.errstate(divide="ignore", invalid="ignore"):
        log_pmf_n = n * np.log(r) - r - special.gammaln(n + 1)
        log_cdf = np.log(special.gammaincc(n, r))  # P(Pois(r) <= n-1)
        log_s = a - b * np.log(a) + special.gammaln(b + 1) + np.log(special.gammainc(b, a))
    return log_s - (log_cdf - log_pmf_n)


def erlang_a(
    lam: np.ndarray | float,
    mu: np.ndarray | float,
    theta: np.ndarray | float,
    n: np.ndarray | float,
    answer_s: float = 20.0,
    short_abandon_s: float = 0.0,
) -> dict[str, np.ndarray]:
    """Steady-state Erlang A probabilities per element (arrays broadcast).

    Returns ``p_wait`` = P(V > 0), ``p_served_within`` = P(answered with wait <= answer_s),
    ``p_abandon`` = P(abandon), ``p_abandon_short`` = P(abandon with wait < short_abandon_s).
    Rates are per second. ``n == 0`` gives no service (everyone abandons). The incomplete-gamma
    form is accurate while ``lam / theta`` stays below ~1e5 (mean patience up to about a day at
    the demo's rates); beyond that it underflows and a ValueError says so.
    """
    lam, mu, theta, n = np.broadcast_arrays(
        np.asarray(lam, float),
        np.asarray(mu, float),
        np.asarray(theta, float),
        np.asarray(n, float),
    )
    out_shape = lam.shape
    lam, mu, theta, n = (x.ravel() for x in (lam, mu, theta, n))
    p_wait = np.ones_like(lam)
    p_within = np.zeros_like(lam)
    p_aband = np.ones_like(lam)
    p_short = 1.0 - np.exp(-theta * short_abandon_s)
    ok = (n > 0) & (lam > 0)
    idle = (n > 0) & (lam <= 0)
    p_wait[idle], p_within[idle], p_aband[idle], p_short[idle] = 0.0, 1.0, 0.0, 0.0
    if ok.any():
        la, m, th, nn = lam[ok], mu[ok], theta[ok], n[ok]
        a = la / th
        b = nn * m / th
        w = special.expit(_log_wait_ratio(la, m, th, nn))
        p_b_a = special.gammainc(b, a)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = (b / a) / p_b_a
        p_b1_a = special.gammainc(b + 1, a)
        with np.errstate(divide="ignore", invalid="ignore"):
            within = (1 - w) + w * ratio * (
                p_b1_a - special.gammainc(b + 1, a * np.exp(-th * answer_s))
            )
            served = (1 - w) + w * ratio * p_b1_a
        # P(b, a) underflows only when a << b, i.e. lam << n*mu: then nobody waits (w ~ 0)
        light = p_b_a == 0
        w = np.where(light, 0.0, w)
        within = np.where(light, 1.0, within)
        served = np.where(light, 1.0, served)
        if not (np.isfinite(within).all() and np.isfinite(served).all()):
            raise ValueError(
                "erlang_a: incomplete gamma underflow (patience far longer than the waits); "
                "use an Erlang C model for such rows"
            )
        p_wait[ok] = w
        p_within[ok] = np.clip(within, 0.0, 1.0)
        p_aband[ok] = np.clip(1.0 - served, 0.0, 1.0)
        if short_abandon_s > 0:
            # int_0^s theta e^{-theta x} P(V > x) dx by Gauss-Legendre on [0, s]
            xs = 0.5 * short_abandon_s * (_GL_X + 1.0)
            ws = 0.5 * short_abandon_s * _GL_W
            tail = (
                special.gammainc(b[:, None], a[:, None] * np.exp(-th[:, None] * xs))
                / p_b_a[:, None]
            )
            dens = th[:, None] * np.exp(-th[:, None] * xs) * w[:, None] * tail
            p_short[ok] = np.where(light, 0.0, np.nan_to_num(dens) @ ws)
        else:
            p_short[ok] = 0.0
    return {
        "p_wait": p_wait.reshape(out_shape),
        "p_served_within": p_within.reshape(out_shape),
        "p_abandon": p_aband.reshape(out_shape),
        "p_abandon_short": np.broadcast_to(p_short, lam.shape).reshape(out_shape),
    }


def required_servers(
    lam: np.ndarray,
    mu: np.ndarray | float,
    theta: np.ndarray | float,
    target: np.ndarray | float,
    answer_s: float,
    max_servers: int = 2000,
) -> np.ndarray:
    """Smallest n with P(answered within answer_s) >= target, per element; 0 where lam == 0.

    Service level here is the planner's simple one (answered within T / offered).
    """
    lam = np.asarray(lam, float)
    mu = np.broadcast_to(np.asarray(mu, float), lam.shape)
    theta = np.broadcast_to(np.asarray(theta, float), lam.shape)
    target = np.broadcast_to(np.asarray(target, float), lam.shape)
    n = np.where(lam > 0, np.maximum(1.0, np.floor(lam / mu * 0.85)), 0.0)
    todo = np.flatnonzero(lam > 0)
    while todo.size:
        sl = erlang_a(lam[todo], mu[todo], theta[todo], n[todo], answer_s)["p_served_within"]
        short = sl < target[todo]
        todo = todo[short & (n[todo] < max_servers)]
        n[todo] += 1
    return n.astype(np.int64)
