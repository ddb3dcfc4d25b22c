"""Agents needed per interval for a service target, the reverse calculation, and combining queues.

Why: a planner asks "how many people do I schedule at 10:30 on Monday?" for every interval of the
year at once. ``required_agents`` answers it for arrays of intervals with one vectorised search (no
Python loop over intervals), turns raw agents into scheduled agents with a float-tolerant shrinkage
ceiling, and reports what that headcount achieves. ``combine_requirements`` adds queues up without
rounding each queue first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ops.errors import StaffingError
from ops.staffing.erlang import ceil_tolerant, erlang

FloatArray = NDArray[np.float64]

REQUIREMENT_COLUMNS = (
    "calls",
    "interval_s",
    "aht_s",
    "traffic_erlangs",
    "raw_agents",
    "servers",
    "scheduled_agents",
    "p_wait",
    "service_level",
    "asa_s",
    "abandon_rate",
    "occupancy",
    "queue_length",
    "binding",
)


def scheduled_from_raw(raw_agents: ArrayLike, shrinkage: ArrayLike = 0.0) -> Any:
    """Scheduled agents = ``ceil(raw / (1 - shrinkage))`` with a float tolerance (84/0.7 -> 120)."""
    s = np.asarray(shrinkage, dtype=float)
    if np.any((s < 0) | (s >= 1)):
        raise StaffingError(f"shrinkage must be in [0, 1), got {shrinkage!r}")
    return ceil_tolerant(np.asarray(raw_agents, dtype=float) / (1.0 - s))


class _Targets:
    """The targets of one requirement call, checked once."""

    def __init__(
        self,
        target_sl: float | None,
        answer_s: float,
        target_asa_s: float | None,
        max_abandon: float | None,
        max_occupancy: float | None,
        patience_s: Any,
    ) -> None:
        if target_sl is not None and not 0 <= target_sl <= 1:
            raise StaffingError(f"target_sl must be between 0 and 1, got {target_sl!r}")
        if target_sl is not None and target_sl >= 1:
            raise StaffingError("target_sl must be below 1 (no finite headcount answers everyone).")
        if answer_s < 0:
            raise StaffingError(f"answer_s must be >= 0 seconds, got {answer_s!r}")
        if target_asa_s is not None and not target_asa_s > 0:
            raise StaffingError(f"target_asa_s must be > 0 seconds, got {target_asa_s!r}")
        if max_abandon is not None:
            if patience_s is None:
                raise StaffingError(
                    "max_abandon needs patience_s (Erlang A); Erlang C assumes nobody abandons."
                )
            if not 0 < max_abandon < 1:
                raise StaffingError(f"max_abandon must be in (0, 1), got {max_abandon!r}")
        if max_occupancy is not None and not 0 < max_occupancy <= 1:
            raise StaffingError(f"max_occupancy must be in (0, 1], got {max_occupancy!r}")
        if target_sl is None and target_asa_s is None and max_abandon is None:
            raise StaffingError(
                "Give a target: target_sl (with answer_s), target_asa_s or max_abandon."
            )
        self.target_sl = target_sl
        self.answer_s = answer_s
        self.target_asa_s = target_asa_s
        self.max_abandon = max_abandon
        self.max_occupancy = max_occupancy

    def failures(self, m: Any) -> dict[str, NDArray[np.bool_]]:
        """Which constraint fails, per interval, for measures ``m``."""
        out: dict[str, NDArray[np.bool_]] = {}
        tol = 1e-12
        if self.target_sl is not None:
            out["service_level"] = np.atleast_1d(m.service_level) < self.target_sl - tol
        if self.target_asa_s is not None:
            out["asa"] = ~(np.atleast_1d(m.asa_s) <= self.target_asa_s + tol)
        if self.max_abandon is not None:
            out["abandon"] = ~(np.atleast_1d(m.abandon_rate) <= self.max_abandon + tol)
        if self.max_occupancy is not None:
            out["occupancy"] = np.atleast_1d(m.occupancy) > self.max_occupancy + tol
        return out

    def ok(self, m: Any) -> NDArray[np.bool_]:
        fails = self.failures(m)
        bad = np.zeros(np.atleast_1d(m.traffic).shape, dtype=bool)
        for f in fails.values():
            bad |= f
        return ~bad


def _broadcast(n: int, v: Any) -> FloatArray:
    return np.broadcast_to(np.asarray(v, dtype=float), (n,)).astype(float)


def _square_root_staffing(
    traffic: FloatArray, target_sl: float, t_over_aht: FloatArray
) -> FloatArray:
    """Servers ``A + beta sqrt(A)`` from the Halfin-Whitt approximation of Erlang C's SL.

    ``SL ~ 1 - P(wait) exp(-beta sqrt(A) t / aht)`` with ``P(wait) = 1 / (1 + beta Phi / phi)``;
    ``beta`` by bisection. Only a starting point: the exact search certifies the result.
    """
    from scipy.special import ndtr

    lo = np.zeros_like(traffic)
    hi = np.full_like(traffic, 8.0)
    root = np.sqrt(traffic)
    for _ in range(24):
        beta = 0.5 * (lo + hi)
        phi = np.exp(-0.5 * beta * beta) / np.sqrt(2 * np.pi)
        p_wait = 1.0 / (1.0 + beta * ndtr(beta) / phi)
        sl = 1.0 - p_wait * np.exp(-beta * root * t_over_aht)
        ok = sl >= target_sl
        hi = np.where(ok, beta, hi)
        lo = np.where(ok, lo, beta)
    return traffic + hi * root


def _erlang_c_walk(
    traffic: FloatArray,
    k: FloatArray,
    aht: FloatArray,
    lower: FloatArray,
    busy: NDArray[np.bool_],
    targets: _Targets,
    calls: FloatArray,
    answer_s: float,
    occupancy_bound: NDArray[np.bool_],
) -> dict[str, Any]:
    """Minimal agents for Erlang C by walking up from ``lower`` with the Erlang B recurrence.

    ``B(n+1) = A B(n) / (n + 1 + A B(n))``; at whole agents (servers = agents * k) the targets are
    checked with ``C = n B / (n - A (1 - B))``, ``SL = 1 - C exp(-(n - A) t / aht)``,
    ``ASA = C aht / (n - A)``, ``occupancy = A / n``, ``Lq = C A / (n - A)``. Returns the agents, the
    measures there and the binding target (the one failing one agent below).
    """
    from ops.staffing.erlang import log_erlang_b

    size = traffic.size
    out: dict[str, Any] = {
        "raw": np.zeros(size),
        "p_wait": np.zeros(size),
        "service_level": np.ones(size),
        "asa_s": np.zeros(size),
        "occupancy": np.zeros(size),
        "queue_length": np.zeros(size),
        "binding": np.full(size, "none", dtype=object),
    }
    idx = np.flatnonzero(busy)
    if not idx.size:
        return out
    names = np.array(["service_level", "asa", "occupancy"], dtype=object)
    code = np.zeros(size, dtype=np.int8)
    a = traffic[idx]
    kk = k[idx]
    tt = answer_s / aht[idx]
    ahti = aht[idx]
    n = lower[idx] * kk
    b = np.exp(log_erlang_b(n, a))
    limit = a + 60.0 * np.sqrt(a + 1.0) + 1000.0 * kk
    tol = 1e-12
    # The target that failed at the previous whole-agent check (binding when the next one holds).
    last_fail = np.where(occupancy_bound[idx], 2, 0 if targets.target_sl is not None else 1)
    last_fail = last_fail.astype(np.int8)
    active = np.arange(idx.size)
    while active.size:
        na, aa, ba = n[active], a[active], b[active]
        whole = np.abs(na / kk[active] - np.round(na / kk[active])) < 1e-9
        gap = na - aa
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            c = np.minimum(np.maximum(na * ba / (na - aa * (1.0 - ba)), 0.0), 1.0)
            sl = np.maximum(1.0 - c * np.exp(-gap * tt[active]), 0.0)
            asa = c * ahti[active] / gap
            occ = aa / na
        stable = whole & (gap > 1e-9 * na)
        fail_sl = (sl < targets.target_sl - tol) if targets.target_sl is not None else ~stable
        fail_asa = (
            ~(asa <= targets.target_asa_s + tol)
            if targets.target_asa_s is not None
            else np.zeros_like(stable)
        )
        fail_occ = (
            occ > targets.max_occupancy + tol
            if targets.max_occupancy is not None
            else np.zeros_like(stable)
        )
        ok = stable & ~fail_sl & ~fail_asa & ~fail_occ
        done = active[ok]
        i = idx[done]
        out["raw"][i] = np.round(n[done] / kk[done])
        out["p_wait"][i] = c[ok]
        out["service_level"][i] = sl[ok]
        out["asa_s"][i] = asa[ok]
        out["occupancy"][i] = occ[ok]
        out["queue_length"][i] = c[ok] * aa[ok] / gap[ok]
        code[i] = last_fail[done]
        checked = stable & ~ok
        if checked.any():
            last_fail[active[checked]] = np.where(
                fail_occ[checked], 2, np.where(fail_asa[checked], 1, 0)
            )
        active = active[~ok]
        if not active.size:
            break
        over = n[active] + 1 > limit[active]
        if over.any():
            bad = int(idx[active[over][0]])
            raise StaffingError(
                f"No headcount up to {int(limit[active[over][0]] / kk[active[over][0]])} agents "
                f"meets the target in interval {bad} (calls {calls[bad]:g}); relax the target."
            )
        ab = a[active] * b[active]
        n[active] += 1.0
        b[active] = ab / (n[active] + ab)
    out["binding"][idx] = names[code[idx]]
    return out


def _bisect(
    idx: NDArray[np.intp], lo: FloatArray, raw: FloatArray, targets: _Targets, measures
) -> None:
    """Shrink ``(lo, raw]`` (lo fails, raw holds) to adjacent integers, in place, all at once."""
    done = idx
    while done.size:
        active = done[raw[done] - lo[done] > 1]
        if not active.size:
            break
        mid = np.floor((lo[active] + raw[active]) / 2.0)
        ok_mid = targets.ok(measures(active, mid))
        raw[active[ok_mid]] = mid[ok_mid]
        lo[active[~ok_mid]] = mid[~ok_mid]
        done = active


def required_agents(
    calls: ArrayLike,
    interval_s: ArrayLike,
    aht_s: ArrayLike,
    *,
    target_sl: float | None = None,
    answer_s: float = 20.0,
    target_asa_s: float | None = None,
    max_abandon: float | None = None,
    max_occupancy: float | None = None,
    shrinkage: ArrayLike = 0.0,
    patience_s: ArrayLike | None = None,
    concurrency: ArrayLike = 1,
) -> pd.DataFrame:
    """Minimal agents per interval meeting every given target; one row per interval.

    Model: Erlang C, or Erlang A when ``patience_s`` (mean patience, seconds) is given. Targets
    (all optional, at least one of the first three): ``service_level >= target_sl`` with threshold
    ``answer_s``; ASA of answered ``<= target_asa_s``; ``abandon_rate <= max_abandon`` (Erlang A only);
    ``occupancy <= max_occupancy``. Chat: ``servers = agents * concurrency``, so the result is
    ``ceil(minimal servers / concurrency)`` agents. Scheduled agents =
    ``ceil(raw_agents / (1 - shrinkage))`` with a 1e-9 relative tolerance (84/0.7 = 120, not 121).

    Search: every measure is monotone in agents, so all intervals are searched at once: start at the
    lower bound (``floor(A/k) + 1`` for Erlang C, ``ceil(A / (k * max_occupancy))`` with an occupancy
    cap), double the step until the targets hold, then bisect. Intervals with no calls need 0 agents.

    Columns: ``calls, interval_s, aht_s, traffic_erlangs, raw_agents, servers, scheduled_agents,
    p_wait, service_level, asa_s, abandon_rate, occupancy, queue_length, binding`` (the target that
    sets the headcount: ``service_level``, ``asa``, ``abandon``, ``occupancy``, or ``none``).
    """
    targets = _Targets(target_sl, answer_s, target_asa_s, max_abandon, max_occupancy, patience_s)
    calls_a = np.atleast_1d(np.asarray(calls, dtype=float))
    size = int(np.broadcast_shapes(calls_a.shape, np.shape(interval_s), np.shape(aht_s))[0])
    calls_a = _broadcast(size, calls_a)
    iv = _broadcast(size, interval_s)
    aht = _broadcast(size, aht_s)
    k = _broadcast(size, concurrency)
    pat = None if patience_s is None else _broadcast(size, patience_s)
    if np.any(k < 1):
        raise StaffingError(f"concurrency must be >= 1, got {concurrency!r}")
    if np.any(~np.isfinite(calls_a)) or np.any(calls_a < 0):
        raise StaffingError("calls must be finite and >= 0 in every interval.")
    if np.any(~(aht > 0)) or np.any(~(iv > 0)):
        raise StaffingError("aht_s and interval_s must be > 0.")
    traffic = calls_a * aht / iv

    def measures(idx: NDArray[np.intp], agents: FloatArray) -> Any:
        return erlang(
            calls_a[idx],
            iv[idx],
            aht[idx],
            agents,
            patience_s=None if pat is None else pat[idx],
            answer_s=answer_s,
            concurrency=k[idx],
            compute_asa=target_asa_s is not None,
        )

    lower = np.zeros(size)
    busy = traffic >= 1e-12  # below: no traffic, as in the Erlang functions
    lower[busy] = 1.0
    if pat is None:
        lower[busy] = np.floor(traffic[busy] / k[busy] + 1e-12) + 1.0
    if max_occupancy is not None and pat is None:
        # Erlang C occupancy is A / N; Erlang A's is the carried load A (1 - abandon) / N, which
        # this bound would overstate, so it only serves Erlang C.
        lower[busy] = np.maximum(
            lower[busy], ceil_tolerant(traffic[busy] / (k[busy] * max_occupancy))
        )
    if pat is None:
        # Erlang C: one incomplete-gamma evaluation at the lower bound, then walk up with the
        # Erlang B recurrence (cheap, stable upwards) until every target holds.
        occ_bound = np.zeros(size, dtype=bool)
        if max_occupancy is not None:
            occ_bound = lower > np.floor(traffic / k + 1e-12) + 1.0
        walk = _erlang_c_walk(traffic, k, aht, lower, busy, targets, calls_a, answer_s, occ_bound)
        raw = walk["raw"]
        return _requirement_frame(
            calls_a, iv, aht, traffic, raw, k, shrinkage,
            p_wait=walk["p_wait"], service_level=walk["service_level"], asa_s=walk["asa_s"],
            abandon_rate=np.zeros(size), occupancy=walk["occupancy"],
            queue_length=walk["queue_length"], binding=walk["binding"],
        )  # fmt: skip
    # Erlang A. Start from a square-root-staffing guess (Halfin-Whitt) so most intervals are settled by
    # two evaluations: the guess holds and one agent less does not.
    guess = lower.copy()
    if target_sl is not None and busy.any():
        b = np.flatnonzero(busy)
        servers = _square_root_staffing(traffic[b], target_sl, answer_s / aht[b])
        guess[b] = np.maximum(lower[b], np.ceil(servers / k[b] - 1e-9))
    raw = guess.copy()
    lo = lower - 1.0  # below the lower bound: known to fail
    todo = np.flatnonzero(busy)
    if todo.size:
        ok = targets.ok(measures(todo, guess[todo]))
        holds, todo = todo[ok], todo[~ok]
        lo[todo] = guess[todo]
        cand = holds[raw[holds] - 1.0 > lo[holds]]
        if cand.size:
            ok_less = targets.ok(measures(cand, raw[cand] - 1.0))
            lo[cand[~ok_less]] = raw[cand[~ok_less]] - 1.0
            raw[cand[ok_less]] -= 1.0
            # Gallop down (2, 4, 8 agents below) until a count fails, then bisect that bracket.
            down = cand[ok_less]
            step = np.full(size, 2.0)
            while down.size:
                trial = raw[down] - step[down]
                down = down[trial > lo[down]]
                if not down.size:
                    break
                ok_t = targets.ok(measures(down, raw[down] - step[down]))
                lo[down[~ok_t]] = raw[down[~ok_t]] - step[down[~ok_t]]
                raw[down[ok_t]] -= step[down[ok_t]]
                step[down[ok_t]] *= 2.0
                down = down[ok_t]
            _bisect(cand[ok_less], lo, raw, targets, measures)
    # Exponential search upwards for the rest: lo fails, try lo + step until it holds, then bisect.
    step = np.maximum(1.0, np.ceil(np.sqrt(traffic / k)))
    limit = traffic / k + 60.0 * np.sqrt(traffic / k + 1.0) + 1000.0
    while todo.size:
        hi = lo[todo] + step[todo]
        if np.any(hi > limit[todo]):
            bad = todo[hi > limit[todo]][0]
            raise StaffingError(
                f"No headcount up to {int(limit[bad])} agents meets the target in interval {bad} "
                f"(calls {calls_a[bad]:g}, aht_s {aht[bad]:g}); relax the target."
            )
        ok = targets.ok(measures(todo, hi))
        raw[todo[ok]] = hi[ok]
        lo[todo[~ok]] = hi[~ok]
        step[todo[~ok]] *= 2.0
        _bisect(todo[ok], lo, raw, targets, measures)
        todo = todo[~ok]

    final = erlang(
        calls_a,
        iv,
        aht,
        raw,
        patience_s=pat,
        answer_s=answer_s,
        concurrency=k,
    )
    binding = np.full(size, "none", dtype=object)
    prev_idx = np.flatnonzero((raw >= 1) & busy)
    if prev_idx.size:
        fails = targets.failures(measures(prev_idx, raw[prev_idx] - 1.0))
        for name in ("occupancy", "abandon", "asa", "service_level"):
            if name in fails:
                binding[prev_idx[fails[name]]] = name
    return _requirement_frame(
        calls_a, iv, aht, traffic, raw, k, shrinkage,
        p_wait=np.atleast_1d(final.p_wait), service_level=np.atleast_1d(final.service_level),
        asa_s=np.atleast_1d(final.asa_s), abandon_rate=np.atleast_1d(final.abandon_rate),
        occupancy=np.atleast_1d(final.occupancy), queue_length=np.atleast_1d(final.queue_length),
        binding=binding,
    )  # fmt: skip


def _requirement_frame(
    calls: Any,
    interval_s: Any,
    aht_s: Any,
    traffic: Any,
    raw: NDArray,
    k: Any,
    shrinkage: Any,
    *,
    p_wait: Any,
    service_level: Any,
    asa_s: Any,
    abandon_rate: Any,
    occupancy: Any,
    queue_length: Any,
    binding: Any,
) -> pd.DataFrame:
    """The requirement table both solvers (Erlang C walk, Erlang A search) return: the inputs, raw
    agents with ``servers = raw * concurrency`` and ``scheduled_agents`` after shrinkage, then the
    measures at that headcount."""
    return pd.DataFrame(
        {
            "calls": calls,
            "interval_s": interval_s,
            "aht_s": aht_s,
            "traffic_erlangs": traffic,
            "raw_agents": raw.astype(np.int64),
            "servers": raw * k,
            "scheduled_agents": scheduled_from_raw(raw, shrinkage).astype(np.int64),
            "p_wait": p_wait,
            "service_level": service_level,
            "asa_s": asa_s,
            "abandon_rate": abandon_rate,
            "occupancy": occupancy,
            "queue_length": queue_length,
            "binding": binding,
        }
    )


def service_level_for(
    agents: ArrayLike,
    calls: ArrayLike,
    interval_s: ArrayLike,
    aht_s: ArrayLike,
    *,
    answer_s: float = 20.0,
    patience_s: ArrayLike | None = None,
    shrinkage: ArrayLike = 0.0,
    concurrency: ArrayLike = 1,
    short_abandon_s: float = 0.0,
) -> pd.DataFrame:
    """What a headcount achieves (the reverse calculation); one row per interval.

    ``agents`` are scheduled agents; the productive ones are ``agents * (1 - shrinkage)`` (kept
    fractional: 10 scheduled at 30% shrinkage are 7.0 productive agents on average, and the Erlang
    formulas are evaluated at the non-integer server count by their gamma-function extension), and
    servers = productive agents * concurrency. Erlang A when ``patience_s`` is given, else Erlang C.
    Columns are those of :meth:`QueueMeasures.to_frame` plus ``agents``.
    """
    s = np.asarray(shrinkage, dtype=float)
    if np.any((s < 0) | (s >= 1)):
        raise StaffingError(f"shrinkage must be in [0, 1), got {shrinkage!r}")
    productive = np.asarray(agents, dtype=float) * (1.0 - s)
    m = erlang(
        calls,
        interval_s,
        aht_s,
        productive,
        patience_s=patience_s,
        answer_s=answer_s,
        short_abandon_s=short_abandon_s,
        concurrency=concurrency,
    )
    df = m.to_frame()
    df.insert(1, "agents", np.broadcast_to(np.asarray(agents, dtype=float), len(df)))
    return df


def pool_queues(
    calls: Sequence[ArrayLike] | Mapping[str, ArrayLike],
    aht_s: Sequence[ArrayLike] | Mapping[str, ArrayLike],
) -> tuple[FloatArray, FloatArray]:
    """Combine queues answered by ONE shared pool of agents into one Erlang queue per interval.

    Pooling rule: calls add up, and the pooled AHT is the workload-weighted mean
    ``sum(calls_q * aht_q) / sum(calls_q)`` (so the pooled traffic equals the sum of the queues'
    traffics). Size the pool once on the result: pooling never needs more agents than separate pools.
    Returns ``(calls, aht_s)`` arrays; intervals with no calls get the plain mean AHT.
    """
    cs = list(calls.values()) if isinstance(calls, Mapping) else list(calls)
    hs = list(aht_s.values()) if isinstance(aht_s, Mapping) else list(aht_s)
    if len(cs) != len(hs) or not cs:
        raise StaffingError("pool_queues needs the same number (>= 1) of call and AHT series.")
    c = np.array([np.asarray(x, dtype=float) for x in cs])
    h = np.array([np.broadcast_to(np.asarray(x, dtype=float), c.shape[1:]) for x in hs])
    total = c.sum(axis=0)
    work = (c * h).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(total > 0, work / np.where(total > 0, total, 1.0), h.mean(axis=0))
    return total, aht


def combine_requirements(
    parts: Sequence[pd.DataFrame] | Mapping[str, pd.DataFrame],
    *,
    shrinkage: float = 0.0,
    on: str | Sequence[str] | None = None,
    agents_column: str = "raw_agents",
) -> pd.DataFrame:
    """Add the requirements of SEPARATE pools (or async work) and apply shrinkage once, at the end.

    Rule (never round per queue before combining):

    * queues served by the same agents are one pool: combine their volumes with :func:`pool_queues`
      and size the pool once (this function is not for them);
    * separate live pools each need a whole number of servers, so their integer ``raw_agents`` add up;
      async work contributes fractional agents (workload / available time) that add up unrounded;
    * shrinkage is applied once to the sum: ``scheduled = ceil(sum(raw) / (1 - shrinkage))``, never
      ``sum(ceil(raw_q / (1 - shrinkage)))``, which overstaffs by up to one agent per queue.

    ``parts`` are frames with ``agents_column`` and (optionally) the key columns ``on`` (e.g.
    ``interval_start``); without ``on`` rows are aligned by position. Returns the key columns,
    ``raw_agents`` (the sum, possibly fractional) and ``scheduled_agents``.
    """
    frames = list(parts.values()) if isinstance(parts, Mapping) else list(parts)
    if not frames:
        raise StaffingError("combine_requirements needs at least one requirement frame.")
    for i, f in enumerate(frames):
        if agents_column not in f.columns:
            raise StaffingError(f"requirement frame {i} has no {agents_column!r} column.")
    if on is None:
        n = len(frames[0])
        if any(len(f) != n for f in frames):
            raise StaffingError("Without `on`, requirement frames must have the same length.")
        total = np.sum([f[agents_column].to_numpy(dtype=float) for f in frames], axis=0)
        out = pd.DataFrame({"raw_agents": total})
    else:
        keys = [on] if isinstance(on, str) else list(on)
        stacked = pd.concat([f[[*keys, agents_column]] for f in frames], ignore_index=True)
        out = (
            stacked.groupby(keys, as_index=False)[[agents_column]]
            .sum()
            .rename(columns={agents_column: "raw_agents"})
        )
    out["scheduled_agents"] = scheduled_from_raw(out["raw_agents"].to_numpy(), shrinkage).astype(
        np.int64
    )
    return out


def cost_of_agents(
    agents: ArrayLike, interval_s: ArrayLike, hourly_cost: float | ArrayLike
) -> float:
    """Cost of a staffing profile: ``sum(agents * interval_s / 3600) * hourly_cost`` (currency units).

    ``agents`` are scheduled (paid) agents per interval; ``hourly_cost`` the fully loaded cost of one
    agent hour (``centers.hourly_cost``).
    """
    hours = np.asarray(agents, dtype=float) * np.asarray(interval_s, dtype=float) / 3600.0
    return float(np.sum(hours * np.asarray(hourly_cost, dtype=float)))


def requirement_cost(
    volumes: pd.DataFrame,
    *,
    hourly_cost: float,
    interval_s: float = 1800.0,
    target_sl: float | None = 0.8,
    answer_s: float = 20.0,
    target_asa_s: float | None = None,
    max_abandon: float | None = None,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
    patience_s: float | None = None,
    concurrency: int = 1,
) -> dict[str, Any]:
    """Agents and cost a center needs for its interval volumes at a target (SLA what-ifs).

    ``volumes`` has ``calls`` and ``aht_s`` per interval (e.g. a center's recent weeks). Returns
    ``{"requirements": frame, "agent_hours": ..., "cost": ...}`` where cost = scheduled agent hours
    * ``hourly_cost``.
    """
    for col in ("calls", "aht_s"):
        if col not in volumes.columns:
            raise StaffingError(f"volumes needs a {col!r} column (calls and mean handle seconds).")
    req = required_agents(
        volumes["calls"].to_numpy(dtype=float),
        interval_s,
        volumes["aht_s"].fillna(0).clip(lower=1.0).to_numpy(dtype=float),
        target_sl=target_sl,
        answer_s=answer_s,
        target_asa_s=target_asa_s,
        max_abandon=max_abandon,
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
        patience_s=patience_s,
        concurrency=concurrency,
    )
    req.index = volumes.index
    hours = float((req["scheduled_agents"] * interval_s / 3600.0).sum())
    return {
        "requirements": req,
        "agent_hours": hours,
        "cost": cost_of_agents(req["scheduled_agents"], interval_s, hourly_cost),
    }
