"""Erlang C and Erlang A queueing measures, vectorised over intervals.

Why this module exists: every staffing number ccops shows (agents needed, the SL a schedule gives, the
cost of a tighter target) comes from these two models, so they must be exact, fast over a year of
intervals at once, and stable for centers from one agent to thousands.

Models (one interval = one steady-state queue):

* **Erlang C** (M/M/N): Poisson arrivals ``lambda = calls / interval_s``, exponential handle time with
  mean ``aht_s``, ``N`` servers, nobody abandons. Traffic ``A = lambda * aht_s`` erlangs.
* **Erlang A** (M/M/N+M): the same plus exponential patience with mean ``patience_s``; a caller whose
  wait would exceed their patience abandons. Formulas from Mandelbaum & Zeltyn, "The Erlang-A model"
  (and Garnett, Mandelbaum & Reiman 2002), written with the regularised incomplete gamma function:
  with ``x = N * patience_s / aht_s`` and ``y = lambda * patience_s``,
  ``S = x * y**-x * e**y * gamma_lower(x, y)`` (the queue part of the birth-death chain) and Erlang B
  ``E = B(N, A)``: ``P(wait > 0) = E*S / (1 - E + E*S)``,
  ``P(abandon) = E*(1/rho + (1 - 1/rho)*S) / (1 - E + E*S)`` with ``rho = A/N``, and
  ``mean wait (all) = P(abandon) * patience_s``. The offered-wait density on the waiting part is
  ``N*mu * exp(-N*mu*s + y*(1 - e**(-theta*s)))`` (derived from the chain; it integrates to ``S``),
  which gives closed forms for answered-within-t and short abandons.

Numerics: everything is computed in log space from ``scipy.special.gammaln``/``gammainc``/
``gammaincc``; where a regularised gamma value would underflow (very large or very lightly loaded
pools) the same quantity is summed from its convergent series or continued fraction instead. No
factorials, no recursion over agents, so 5,000 agents cost the same as 5.

Non-integer servers (e.g. 12.4 agents from scheduled seconds / interval seconds) use the standard
continuous extension of the Erlang formulas through the gamma function.

Overload: in Erlang C, ``A >= N`` has no steady state (the queue grows without bound): we report
``p_wait = 1``, ``service_level = 0``, ``asa_s = inf``, ``queue_length = inf``, ``occupancy = 1``.
Erlang A always has a steady state (abandonment bounds the queue) and stays finite.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammainc, gammaincc, gammaln

from ops.errors import StaffingError

FloatArray = NDArray[np.float64]

# Below this a regularised gamma value is recomputed from its series / continued fraction instead of
# taking its log (float64 keeps ~1e-308, but relative accuracy of tiny results degrades earlier).
_TINY = 1e-250
_SERIES_EPS = 1e-17
_SERIES_MAX_TERMS = 200_000
_HUGE_SHAPE = 2e5
# Traffic below this (erlangs) is treated as no traffic: a call every few thousand years.
_NEGLIGIBLE_TRAFFIC = 1e-12


def traffic_erlangs(calls: ArrayLike, interval_s: ArrayLike, aht_s: ArrayLike) -> Any:
    """Offered load in erlangs: ``A = calls * aht_s / interval_s`` (calls per interval, seconds)."""
    return (
        np.asarray(calls, dtype=float)
        * np.asarray(aht_s, dtype=float)
        / np.asarray(interval_s, dtype=float)
    )


def ceil_tolerant(x: ArrayLike, rel_tol: float = 1e-9) -> Any:
    """Ceiling that ignores float noise: ``ceil(x - rel_tol * max(1, |x|))``.

    ``84 / 0.7`` is ``120.00000000000001`` in binary floating point; a plain ceil gives 121 agents, this
    gives 120. Values more than ``rel_tol`` (relative) above an integer still round up.
    """
    a = np.asarray(x, dtype=float)
    return np.ceil(a - rel_tol * np.maximum(1.0, np.abs(a))) + 0.0  # + 0.0 turns -0.0 into 0.0


# --------------------------------------------------------------------------- special functions


def _log_lower_gamma_scaled(s: FloatArray, z: FloatArray) -> FloatArray:
    """``log(gamma_lower(s, z) * z**-s * e**z) = log(sum_j z**j / (s (s+1) ... (s+j)))``, s > 0.

    Equals ``log(1F1(1; s+1; z) / s)``. From ``gammainc`` when the regularised value is not tiny,
    else from the series (which then converges fast because z is well below s).
    """
    s, z = np.broadcast_arrays(np.asarray(s, dtype=float), np.asarray(z, dtype=float))
    out = np.empty(s.shape, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        p = gammainc(s, z)
        # scipy's gammainc loses relative accuracy in the lower tail for a > ~5e5 (measured: 2e-8 at
        # 5e5, 1e-2 at 5e6), which only happens with patience hundreds of times the AHT.
        direct = (p > _TINY) & ((s <= _HUGE_SHAPE) | (z >= s))
        out[direct] = (
            gammaln(s[direct]) + np.log(p[direct]) - s[direct] * np.log(z[direct]) + z[direct]
        )
    rest = ~direct
    small = rest & (s <= _HUGE_SHAPE)
    if small.any():
        out[small] = np.log(_lower_series(s[small], z[small]))
    for i in np.flatnonzero(rest & ~small):
        out.flat[i] = _log_lower_series_chunked(float(s.flat[i]), float(z.flat[i]))
    return out


def _log_lower_series_chunked(s: float, z: float) -> float:
    """log of the same series for one huge ``s`` (z < s): terms by cumulative sums of logs."""
    log_ratio = np.log(z) - np.log(s) if z > 0 else -np.inf
    if not np.isfinite(log_ratio):
        return float(-np.log(s))
    total = -np.inf
    last = 0.0  # log of the current term relative to the first (1/s)
    start = 1
    chunk = 8192
    while True:
        j = np.arange(start, start + chunk, dtype=float)
        logs = last + np.cumsum(log_ratio - np.log1p(j / s))
        total = np.logaddexp(total, np.logaddexp.reduce(logs))
        last = float(logs[-1])
        start += chunk
        if last < np.logaddexp(total, 0.0) - 45.0:
            break
        if start > 50_000_000:  # pragma: no cover - only for absurd inputs
            raise StaffingError("Erlang A series did not converge; check patience_s and aht_s.")
    return float(np.logaddexp(0.0, total) - np.log(s))


def _lower_series(s: FloatArray, z: FloatArray) -> FloatArray:
    """``sum_j z**j / (s (s+1) ... (s+j))`` for z well below s (vectorised, masked convergence)."""
    term = 1.0 / s
    total = term.copy()
    active = np.ones(s.shape, dtype=bool)
    j = 0
    while active.any():
        j += 1
        if j > _SERIES_MAX_TERMS:  # pragma: no cover - only for absurd inputs
            raise StaffingError("Erlang A series did not converge; check patience_s and aht_s.")
        idx = np.flatnonzero(active)
        term[idx] = term[idx] * z[idx] / (s[idx] + j)
        total[idx] += term[idx]
        active[idx] = term[idx] > _SERIES_EPS * total[idx]
    return total


def _log_upper_gamma_scaled_cf(s: FloatArray, a: FloatArray) -> FloatArray:
    """``log(gamma_upper(s, a) * a**-s * e**a)`` by Lentz's continued fraction, for a > s + 1."""
    fpmin = 1e-300
    b = a + 1.0 - s
    c = np.full(s.shape, 1.0 / fpmin)
    d = 1.0 / b
    h = d.copy()
    active = np.ones(s.shape, dtype=bool)
    for i in range(1, 10_000):
        an = -i * (i - s)
        b = b + 2.0
        d = an * d + b
        d = np.where(np.abs(d) < fpmin, fpmin, d)
        c = b + an / c
        c = np.where(np.abs(c) < fpmin, fpmin, c)
        d = 1.0 / d
        delta = d * c
        h = np.where(active, h * delta, h)
        active &= np.abs(delta - 1.0) > 1e-16
        if not active.any():
            break
    return np.log(h)


def _log_upper_gamma(s: FloatArray, z: FloatArray) -> FloatArray:
    """``log Gamma_upper(s, z)`` (not regularised), s > 0, z > 0; CF where ``Q(s, z)`` underflows."""
    out = np.empty(s.shape, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        q = gammaincc(s, z)
        direct = q > _TINY
        out[direct] = gammaln(s[direct]) + np.log(q[direct])
        rest = ~direct
        if rest.any():
            out[rest] = (
                -z[rest] + s[rest] * np.log(z[rest]) + _log_upper_gamma_scaled_cf(s[rest], z[rest])
            )
    return out


def log_erlang_b(servers: ArrayLike, traffic: ArrayLike) -> FloatArray:
    """log of Erlang B ``B(N, A) = (A**N / N!) / sum_{k<=N} A**k / k!`` (blocking probability).

    Written as Poisson pmf / cdf: ``N ln A - A - lnGamma(N+1) - ln Q(N+1, A)`` with the regularised
    upper gamma ``Q``; for ``A`` far above ``N`` (``Q`` underflows) ``1/B = A * CF`` from the continued
    fraction of the upper gamma. ``B(0, A) = 1``; ``B(N, 0) = 0`` for N > 0.
    """
    n, a = np.broadcast_arrays(
        np.atleast_1d(np.asarray(servers, dtype=float)),
        np.atleast_1d(np.asarray(traffic, dtype=float)),
    )
    out = np.zeros(n.shape, dtype=float)
    pos = (n > 0) & (a > 0)
    out[(n > 0) & (a <= 0)] = -np.inf
    if pos.any():
        nn, aa = n[pos], a[pos]
        with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
            q = gammaincc(nn + 1.0, aa)
            val = np.empty(nn.shape)
            direct = q > _TINY
            val[direct] = (
                nn[direct] * np.log(aa[direct])
                - aa[direct]
                - gammaln(nn[direct] + 1.0)
                - np.log(q[direct])
            )
            rest = ~direct
            if rest.any():
                val[rest] = -(
                    np.log(aa[rest]) + _log_upper_gamma_scaled_cf(nn[rest] + 1.0, aa[rest])
                )
        out[pos] = np.minimum(val, 0.0)
    return out


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class QueueMeasures:
    """Steady-state measures of one interval (or arrays of them, one value per interval).

    Units: probabilities in [0, 1], times in seconds, traffic in erlangs, queue length in contacts.
    ``service_level`` = answered within ``answer_s`` / offered; ``service_level_answered`` = answered
    within ``answer_s`` / answered; ``service_level_excl_short`` = answered within ``answer_s`` /
    (offered - abandons with wait < ``short_abandon_s``), the DESIGN default variant. ``asa_s`` is the
    mean wait of answered contacts (DESIGN's ASA); ``mean_wait_all_s`` the mean wait of all offered
    contacts, abandoned ones counted until they hang up. For Erlang C all three SLs coincide and
    abandon rates are zero.
    """

    model: str
    traffic: Any
    servers: Any
    p_wait: Any
    service_level: Any
    service_level_answered: Any
    service_level_excl_short: Any
    asa_s: Any
    mean_wait_all_s: Any
    abandon_rate: Any
    abandon_short_rate: Any
    occupancy: Any
    queue_length: Any

    def to_frame(self) -> pd.DataFrame:
        """One row per interval."""
        data = {
            f.name: np.atleast_1d(getattr(self, f.name)) for f in fields(self) if f.name != "model"
        }
        df = pd.DataFrame(data)
        df.insert(0, "model", self.model)
        return df

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _prep(*arrays: ArrayLike) -> tuple[bool, list[FloatArray]]:
    scalar = all(np.ndim(a) == 0 for a in arrays)
    out = np.broadcast_arrays(*[np.atleast_1d(np.asarray(a, dtype=float)) for a in arrays])
    return scalar, [np.array(o, dtype=float) for o in out]


def _finish(scalar: bool, model: str, **values: FloatArray) -> QueueMeasures:
    if scalar:
        conv = {k: float(v[0]) for k, v in values.items()}
        return QueueMeasures(model=model, **conv)
    return QueueMeasures(model=model, **values)


def _check_inputs(calls: FloatArray, interval_s: FloatArray, aht_s: FloatArray, agents: FloatArray):
    if np.any(~np.isfinite(calls)) or np.any(calls < 0):
        raise StaffingError("calls must be finite and >= 0 in every interval.")
    if np.any(~(interval_s > 0)):
        raise StaffingError("interval_s must be > 0.")
    if np.any(~(aht_s > 0)):
        raise StaffingError("aht_s must be > 0 (mean handle time in seconds).")
    if np.any(~np.isfinite(agents)) or np.any(agents < 0):
        raise StaffingError("agents must be finite and >= 0.")


# --------------------------------------------------------------------------- Erlang C


def erlang_c(
    calls: ArrayLike,
    interval_s: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    *,
    answer_s: ArrayLike = 20.0,
    concurrency: ArrayLike = 1,
) -> QueueMeasures:
    """Erlang C (M/M/N) measures per interval.

    ``A = calls * aht_s / interval_s``; ``N = agents * concurrency`` servers;
    ``C = N B / (N - A (1 - B))`` with Erlang B ``B`` (probability of waiting);
    ``SL(t) = 1 - C exp(-(N - A) t / aht_s)``; ``ASA = C aht_s / (N - A)``;
    ``Lq = C A / (N - A)``; ``occupancy = A / N``. Overload (``A >= N``): ``p_wait = 1``, ``SL = 0``,
    ``ASA = Lq = inf``, ``occupancy = 1`` (no steady state). Zero calls: ``SL = 1``, everything else 0.
    Scalars give floats; arrays give one value per interval.
    """
    scalar, (calls_a, iv, aht, ag, t, k) = _prep(
        calls, interval_s, aht_s, agents, answer_s, concurrency
    )
    _check_inputs(calls_a, iv, aht, ag)
    a = calls_a * aht / iv
    a = np.where(a < _NEGLIGIBLE_TRAFFIC, 0.0, a)
    n = ag * k
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        stable = n - a > 1e-9 * n  # traffic within float noise of N is overload too
        b = np.exp(log_erlang_b(np.where(stable, n, 1.0), np.where(stable, a, 0.0)))
        c = np.where(stable, n * b / (n - a * (1.0 - b)), 1.0)
        c = np.where(a <= 0, 0.0, np.clip(c, 0.0, 1.0))
        gap = np.where(stable, n - a, 1.0)
        sl = np.where(stable, 1.0 - c * np.exp(-gap * t / aht), 0.0)
        sl = np.where(a <= 0, 1.0, np.clip(sl, 0.0, 1.0))
        asa = np.where(stable, c * aht / gap, np.inf)
        asa = np.where(a <= 0, 0.0, asa)
        lq = np.where(stable, c * a / gap, np.inf)
        lq = np.where(a <= 0, 0.0, lq)
        occ = np.where(stable, a / np.where(n > 0, n, 1.0), 1.0)
        occ = np.where(a <= 0, 0.0, occ)
    zeros = np.zeros_like(a)
    return _finish(
        scalar,
        "C",
        traffic=a,
        servers=n,
        p_wait=c,
        service_level=sl,
        service_level_answered=sl,
        service_level_excl_short=sl,
        asa_s=asa,
        mean_wait_all_s=asa,
        abandon_rate=zeros,
        abandon_short_rate=zeros,
        occupancy=occ,
        queue_length=lq,
    )


# --------------------------------------------------------------------------- Erlang A


@dataclass
class _ErlangAState:
    """Intermediate log quantities of the M/M/N+M chain (internal)."""

    x: FloatArray  # N * patience / aht
    y: FloatArray  # lambda * patience
    theta: FloatArray  # 1 / patience
    log_e: FloatArray  # log Erlang B
    log_s: FloatArray  # log S (queue part)
    log_d: FloatArray  # log(1 - E + E S)


def _erlang_a_state(
    a: FloatArray, n: FloatArray, aht: FloatArray, pat: FloatArray
) -> _ErlangAState:
    theta = 1.0 / pat
    x = n * pat / aht
    y = a * pat / aht
    log_e = log_erlang_b(n, a)
    log_s = np.log(x) + _log_lower_gamma_scaled(x, y)
    with np.errstate(divide="ignore"):
        log_1me = np.log1p(-np.exp(log_e))
    log_d = np.logaddexp(log_1me, log_e + log_s)
    return _ErlangAState(x, y, theta, log_e, log_s, log_d)


def _log_p_v_greater(st: _ErlangAState, u: FloatArray, *, answered: bool) -> FloatArray:
    """log P(offered wait V > u) (``answered=False``) or log P(V > u and patience > V) (True).

    From the waiting-part density ``theta x exp(-theta x s + y (1 - e^{-theta s}))`` (times E/D):
    ``P(V > u) = E/D * x * exp(G(x, z) - x theta u + y (1 - e^{-theta u}))`` and
    ``P(V > u, answered) = E/D * x * exp(G(x+1, z) - (x+1) theta u + y (1 - e^{-theta u}))`` with
    ``z = y e^{-theta u}`` and ``G`` = :func:`_log_lower_gamma_scaled`.
    """
    s = st.x + (1.0 if answered else 0.0)
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        tu = st.theta * u
        z = st.y * np.exp(-tu)
        finite = np.isfinite(tu)
        g = np.full(s.shape, -np.inf)
        if finite.any():
            g[finite] = _log_lower_gamma_scaled(s[finite], z[finite])
        val = st.log_e - st.log_d + np.log(st.x) + g - s * tu + st.y * (-np.expm1(-tu))
    return np.where(finite, val, -np.inf)


def _dlog_lower_gamma_scaled_ds(s: FloatArray, z: FloatArray) -> FloatArray:
    """d/ds of :func:`_log_lower_gamma_scaled` by a 5-point central difference."""
    h = 1e-3 * np.sqrt(s + 1.0)
    h = np.minimum(h, 0.25 * s)
    f = _log_lower_gamma_scaled
    return (-f(s + 2 * h, z) + 8 * f(s + h, z) - 8 * f(s - h, z) + f(s - 2 * h, z)) / (12 * h)


def erlang_a(
    calls: ArrayLike,
    interval_s: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    patience_s: ArrayLike,
    *,
    answer_s: ArrayLike = 20.0,
    short_abandon_s: ArrayLike = 0.0,
    concurrency: ArrayLike = 1,
    compute_asa: bool = True,
) -> QueueMeasures:
    """Erlang A (M/M/N+M, exponential patience with mean ``patience_s``) measures per interval.

    ``compute_asa=False`` skips the ASA of answered contacts (``asa_s`` is NaN), about halving the
    cost; searches that do not target ASA use it.

    Exact closed forms (Mandelbaum & Zeltyn), see the module docstring; with ``x = N patience/aht``,
    ``y = calls patience / interval_s``, ``S``, Erlang B ``E`` and ``D = 1 - E + E S``:

    * ``p_wait = E S / D``; ``abandon_rate = E (1/rho + (1 - 1/rho) S) / D``, ``rho = A / N``;
    * ``mean_wait_all_s = abandon_rate * patience_s`` (P(abandon) = theta * E[wait]);
    * ``service_level = P(no wait) + P(waited, answered) - P(answered after answer_s)`` (answered
      within t / offered);
      ``service_level_answered`` divides answered-within-t by ``1 - abandon_rate``;
    * ``abandon_short_rate`` = P(abandon with wait < short_abandon_s)
      ``= abandon_rate + P(V > s0, answered) - e^{-theta s0} P(V > s0)``;
    * ``asa_s`` (answered) ``= P(waited, answered) * (-dG/ds at s = x+1) / theta / (1 - abandon_rate)``
      (derivative of the Laplace transform of the offered wait);
    * ``occupancy = A (1 - abandon_rate) / N``; ``queue_length = lambda * mean_wait_all_s`` (Little).

    ``patience_s = inf`` gives Erlang C exactly. Zero agents: everyone abandons.
    """
    scalar, (calls_a, iv, aht, ag, pat, t, s0, k) = _prep(
        calls, interval_s, aht_s, agents, patience_s, answer_s, short_abandon_s, concurrency
    )
    _check_inputs(calls_a, iv, aht, ag)
    if np.any(~(pat > 0)):
        raise StaffingError("patience_s must be > 0 (mean patience in seconds; inf = Erlang C).")
    n = ag * k
    a = calls_a * aht / iv
    a = np.where(a < _NEGLIGIBLE_TRAFFIC, 0.0, a)
    calls_a = np.where(a > 0, calls_a, 0.0)
    inf_pat = np.isinf(pat)
    c_res = erlang_c(calls_a, iv, aht, n, answer_s=t) if inf_pat.any() else None

    res = {
        name: np.zeros_like(a)
        for name in (
            "p_wait",
            "service_level",
            "service_level_answered",
            "service_level_excl_short",
            "asa_s",
            "mean_wait_all_s",
            "abandon_rate",
            "abandon_short_rate",
            "occupancy",
            "queue_length",
        )
    }
    # No calls: nothing waits, SL = 1.
    for key in ("service_level", "service_level_answered", "service_level_excl_short"):
        res[key][:] = 1.0
    # Agents but no servers: all abandon after their patience.
    none = (n <= 0) & (a > 0) & ~inf_pat
    res["p_wait"][none] = 1.0
    res["abandon_rate"][none] = 1.0
    res["abandon_short_rate"][none] = -np.expm1(-s0[none] / pat[none])
    res["service_level"][none] = 0.0
    res["service_level_answered"][none] = np.nan
    res["service_level_excl_short"][none] = 0.0
    res["asa_s"][none] = np.nan
    res["mean_wait_all_s"][none] = pat[none]
    res["queue_length"][none] = calls_a[none] / iv[none] * pat[none]

    m = (n > 0) & (a > 0) & ~inf_pat
    if m.any():
        st = _erlang_a_state(a[m], n[m], aht[m], pat[m])
        rho = a[m] / n[m]
        p_wait = np.exp(st.log_e + st.log_s - st.log_d)
        e_over_d = np.exp(st.log_e - st.log_d)
        p_ab = np.clip(e_over_d / rho + (1.0 - 1.0 / rho) * p_wait, 0.0, 1.0)
        p_ans_after_t = np.exp(_log_p_v_greater(st, t[m], answered=True))
        # P(waited and answered) = P(V > 0, answered); answered within t = no wait + the waited ones
        # answered by t. Summed this way (not 1 - abandon - late) tiny SLs keep their precision.
        p_ans_waited = np.exp(_log_p_v_greater(st, np.zeros_like(st.x), answered=True))
        p_nowait = np.exp(np.log1p(-np.exp(st.log_e)) - st.log_d)
        within = np.maximum(p_ans_waited - p_ans_after_t, 0.0)
        deep = st.y * np.exp(-st.theta * t[m]) > st.x + 1.0
        if deep.any():
            # Overloaded: both terms are ~1 and their difference tiny; use the upper incomplete
            # gamma form x y^-(x+1) e^y (Gamma(x+1, z_t) - Gamma(x+1, y)) for relative precision.
            xs, ys, zs = st.x[deep], st.y[deep], (st.y * np.exp(-st.theta * t[m]))[deep]
            lu_z = _log_upper_gamma(xs + 1.0, zs)
            lu_y = _log_upper_gamma(xs + 1.0, ys)
            with np.errstate(divide="ignore", invalid="ignore"):
                log_diff = lu_z + np.log1p(-np.exp(np.minimum(lu_y - lu_z, 0.0)))
                within[deep] = np.exp(
                    (st.log_e - st.log_d)[deep]
                    + np.log(xs)
                    - (xs + 1.0) * np.log(ys)
                    + ys
                    + log_diff
                )
        sl = np.clip(p_nowait + within, 0.0, 1.0)
        answered = 1.0 - p_ab
        with np.errstate(invalid="ignore", divide="ignore"):
            sl_ans = np.where(answered > 0, np.clip(sl / answered, 0.0, 1.0), np.nan)
        # Short abandons (wait < s0): P(tau < min(V, s0)).
        s0m = s0[m]
        p_short = np.zeros_like(p_ab)
        has_s0 = s0m > 0
        if has_s0.any():
            sub = _ErlangAState(*(getattr(st, f.name)[has_s0] for f in fields(st)))
            pv = np.exp(_log_p_v_greater(sub, s0m[has_s0], answered=False))
            pva = np.exp(_log_p_v_greater(sub, s0m[has_s0], answered=True))
            p_short[has_s0] = np.clip(
                p_ab[has_s0] + pva - np.exp(-sub.theta * s0m[has_s0]) * pv, 0.0, p_ab[has_s0]
            )
        with np.errstate(invalid="ignore", divide="ignore"):
            sl_excl = np.clip(sl / (1.0 - p_short), 0.0, 1.0)
        # ASA of answered: E[V e^{-theta V}] = -(x/theta) d/ds exp(G(s, y)) at s = x + 1.
        if compute_asa:
            dg = _dlog_lower_gamma_scaled_ds(st.x + 1.0, st.y)
            with np.errstate(invalid="ignore", divide="ignore"):
                asa = np.where(answered > 0, p_ans_waited * (-dg) / st.theta / answered, np.nan)
        else:
            asa = np.full_like(p_ab, np.nan)
        res["p_wait"][m] = p_wait
        res["abandon_rate"][m] = p_ab
        res["abandon_short_rate"][m] = p_short
        res["service_level"][m] = sl
        res["service_level_answered"][m] = sl_ans
        res["service_level_excl_short"][m] = sl_excl
        res["asa_s"][m] = np.where(np.isnan(asa), np.nan, np.maximum(asa, 0.0))
        res["mean_wait_all_s"][m] = p_ab * pat[m]
        res["occupancy"][m] = np.minimum(a[m] * answered / n[m], 1.0)
        res["queue_length"][m] = calls_a[m] / iv[m] * p_ab * pat[m]

    if c_res is not None:
        for key in res:
            res[key][inf_pat] = np.atleast_1d(getattr(c_res, key))[inf_pat]
    return _finish(scalar, "A", traffic=a, servers=n, **res)


def erlang(
    calls: ArrayLike,
    interval_s: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    *,
    patience_s: ArrayLike | None = None,
    answer_s: ArrayLike = 20.0,
    short_abandon_s: ArrayLike = 0.0,
    concurrency: ArrayLike = 1,
    compute_asa: bool = True,
) -> QueueMeasures:
    """Erlang A when ``patience_s`` is given, else Erlang C (same arguments and outputs)."""
    if patience_s is None:
        return erlang_c(
            calls, interval_s, aht_s, agents, answer_s=answer_s, concurrency=concurrency
        )
    return erlang_a(
        calls,
        interval_s,
        aht_s,
        agents,
        patience_s,
        answer_s=answer_s,
        short_abandon_s=short_abandon_s,
        concurrency=concurrency,
        compute_asa=compute_asa,
    )


def erlang_b(servers: ArrayLike, traffic: ArrayLike) -> Any:
    """Erlang B blocking probability ``B(N, A)`` (lost-calls model), scalars or arrays."""
    out = np.exp(log_erlang_b(servers, traffic))
    return float(out[0]) if np.ndim(servers) == 0 and np.ndim(traffic) == 0 else out


def wait_quantile(
    calls: ArrayLike,
    interval_s: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    q: float = 0.9,
    *,
    patience_s: ArrayLike | None = None,
    concurrency: ArrayLike = 1,
) -> Any:
    """The ``q`` quantile of the wait of all offered contacts, seconds (0 when ``P(wait > 0) <= 1-q``).

    Erlang C: ``P(W > u) = C exp(-(N - A) u / aht)`` so ``u = aht ln(C / (1 - q)) / (N - A)`` (inf in
    overload). Erlang A: the wait of a caller is ``min(V, patience)``, ``P(W > u) = P(V > u) e^{-u /
    patience}`` from the offered-wait distribution; solved by bisection on ``[0, -ln(1-q) patience]``.
    """
    if not 0 < q < 1:
        raise StaffingError(f"q must be in (0, 1), got {q!r}")
    if patience_s is None:
        mc = erlang_c(calls, interval_s, aht_s, agents, concurrency=concurrency)
        scalar, (c, a, n, aht) = _prep(mc.p_wait, mc.traffic, mc.servers, aht_s)
        with np.errstate(divide="ignore", invalid="ignore"):
            u = np.where(c > 1 - q, aht * np.log(c / (1 - q)) / np.where(n > a, n - a, 1.0), 0.0)
            u = np.where((n - a <= 1e-9 * n) & (a > 0), np.inf, u)
        return float(u[0]) if scalar else u
    scalar, (calls_a, iv, aht, ag, pat, k) = _prep(
        calls, interval_s, aht_s, agents, patience_s, concurrency
    )
    n = ag * k
    a = calls_a * aht / iv
    out = np.zeros_like(a)
    mask = (n > 0) & (a > _NEGLIGIBLE_TRAFFIC) & np.isfinite(pat)
    out[(n <= 0) & (a > _NEGLIGIBLE_TRAFFIC)] = -np.log(1 - q) * pat[(n <= 0) & (a > 0)]
    if mask.any():
        st = _erlang_a_state(a[mask], n[mask], aht[mask], pat[mask])

        def tail(u: FloatArray) -> FloatArray:
            return np.exp(_log_p_v_greater(st, u, answered=False)) * np.exp(-u / pat[mask])

        lo = np.zeros(int(mask.sum()))
        hi = -np.log(1 - q) * pat[mask]
        need = tail(lo) > 1 - q
        for _ in range(50):
            mid = 0.5 * (lo + hi)
            above = tail(mid) > 1 - q
            lo = np.where(above, mid, lo)
            hi = np.where(above, hi, mid)
        out[mask] = np.where(need, hi, 0.0)
    if np.any(np.isinf(pat)):
        inf_rows = np.isinf(pat)
        out[inf_rows] = np.atleast_1d(
            wait_quantile(
                calls_a[inf_rows],
                iv[inf_rows],
                aht[inf_rows],
                ag[inf_rows],
                q,
                concurrency=k[inf_rows],
            )  # fmt: skip
        )
    return float(out[0]) if scalar else out
