"""Agents for asynchronous work (email, tickets, KakaoTalk, in-app messages left waiting).

Why: async contacts are not answered in seconds but within a response-time target in business hours
(e.g. 3 business hours). What matters is the backlog: contacts that arrive at night or on a holiday
wait for the next open hour, and the team must clear what is waiting fast enough that nothing
exceeds the target. Erlang does not apply; a fluid backlog model does.

Method (documented in README "Staffing"):

1. Time runs in business time: only open intervals count. Contacts arriving in closed intervals are
   carried over as a lump at the start of the next open interval (their response clock starts then,
   as the business-hours response metric does).
2. Work = contacts * handle seconds. With ``c`` agents working FIFO the backlog of work (agent-seconds)
   follows Lindley's recursion per open interval ``k``: ``peak_k = B_{k-1} + lump_k`` (at the start)
   and ``B_k = max(0, peak_k + spread_k - c * interval_s)`` (at the end), arrivals during the
   interval being spread evenly. The backlog is largest at an interval boundary.
3. The last contact in a backlog ``B`` is answered after about ``B / c + handle_s`` business seconds,
   so the target holds when ``max_k max(peak_k, B_k) <= c * (response_s - handle_s)``.
4. The minimal ``c`` (agents, constant over open hours: level staffing) meeting 3 is found by
   bisection; the left side falls and the right side rises with ``c``, so it is unique.
5. The plan is ``max(c, workload)`` with ``workload = work / open seconds``: below the average
   workload the backlog left at the end of the horizon would grow from one period to the next (a
   3-hour target could otherwise be "met" on a single day by leaving its last hours' work to the
   morning after).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ops.errors import StaffingError


@dataclass(frozen=True)
class BacklogPlan:
    """Level agents for async work and the per-interval backlog it leaves.

    ``agents``: agents needed during every open interval (fractional; apply shrinkage and round
    once, with the other queues, via :func:`ops.staffing.combine_requirements`).
    ``workload_agents``: work / open time, the floor under any plan; ``deadline_agents``: the level
    that meets the response target alone (step 4). ``frame``: per interval
    ``open, arrivals, carried_in, work_s, workload_agents, agents, backlog_contacts,
    response_s_est`` (backlog at the interval end and the response time its last contact sees).
    """

    agents: float
    workload_agents: float
    deadline_agents: float
    max_response_s: float
    frame: pd.DataFrame


def _backlog(
    lump: np.ndarray, spread: np.ndarray, capacity: float, initial: float
) -> tuple[np.ndarray, np.ndarray]:
    """Peaks (interval starts) and ends of the work backlog for capacity per interval.

    The end backlog follows Lindley's recursion ``b_k = max(0, b_(k−1) + x_k)``, x_k = lump_k +
    spread_k − capacity, b_0 = ``initial``; its closed form ``b_k = S_k − min(−b_0, min_(j≤k) S_j)``
    (S the running sum of x) is one cumulative sum and one running minimum instead of a Python
    loop; the peak is the previous end plus the interval's lump.
    """
    x = np.asarray(lump, dtype=float) + np.asarray(spread, dtype=float) - capacity
    if not x.size:
        return np.empty(0), np.empty(0)
    s = np.cumsum(x)
    end = np.maximum(s - np.minimum(np.minimum.accumulate(s), -float(initial)), 0.0)
    before = np.concatenate(([float(initial)], end[:-1]))
    return before + lump, end


def backlog_agents(
    arrivals: ArrayLike,
    open_mask: ArrayLike,
    *,
    interval_s: float,
    handle_s: float,
    response_s: float,
    initial_backlog: float = 0.0,
) -> BacklogPlan:
    """Agents needed so every async contact gets its first response within ``response_s``.

    ``arrivals``: contacts per interval (all intervals, open or closed, in time order);
    ``open_mask``: True where the team works (business hours); ``handle_s``: mean handle seconds
    per contact; ``response_s``: target in business seconds; ``initial_backlog``: contacts waiting at
    the start. See the module docstring for the method. Raises :class:`StaffingError` when the
    target is shorter than one handle time or nothing is open.
    """
    arr = np.asarray(arrivals, dtype=float)
    is_open = np.asarray(open_mask, dtype=bool)
    if arr.shape != is_open.shape:
        raise StaffingError("arrivals and open_mask must have one value per interval each.")
    if np.any(arr < 0) or not np.all(np.isfinite(arr)):
        raise StaffingError("arrivals must be finite and >= 0.")
    if not handle_s > 0 or not interval_s > 0:
        raise StaffingError("handle_s and interval_s must be > 0 seconds.")
    if not response_s > handle_s:
        raise StaffingError(
            f"response_s ({response_s:g}) must exceed handle_s ({handle_s:g}): a reply cannot be "
            "faster than the work it takes."
        )
    if not is_open.any():
        raise StaffingError("No open interval: async work needs business hours to be answered.")
    # Carry-over: closed-hour arrivals join the next open interval as a lump at its start.
    carried = np.zeros_like(arr)
    pending = float(initial_backlog)
    spread = np.zeros_like(arr)
    for i in range(arr.size):
        if is_open[i]:
            carried[i] = pending
            spread[i] = arr[i]
            pending = 0.0
        else:
            pending += arr[i]
    open_idx = np.flatnonzero(is_open)
    lump = carried[open_idx] * handle_s
    flow = spread[open_idx] * handle_s
    total_work = float(lump.sum() + flow.sum())
    open_seconds = open_idx.size * interval_s
    workload = total_work / open_seconds
    slack = response_s - handle_s

    def ok(c: float) -> bool:
        peak, end = _backlog(lump, flow, c * interval_s, 0.0)
        return max(peak.max(initial=0.0), end.max(initial=0.0)) <= c * slack * (1 + 1e-12)

    lo, hi = 0.0, max(total_work / slack, workload, 1e-9) * (1 + 1e-9)
    if total_work == 0:
        hi = 0.0
    else:
        for _ in range(100):
            mid = 0.5 * (lo + hi)
            if ok(mid):
                hi = mid
            else:
                lo = mid
            if hi - lo <= 1e-10 * hi:
                break
    deadline_level = hi
    level = max(deadline_level, workload)
    capacity = level * interval_s
    peak, end = _backlog(lump, flow, capacity, 0.0) if level > 0 else (lump, lump)
    frame = pd.DataFrame(
        {
            "open": is_open,
            "arrivals": arr,
            "carried_in": carried,
            "work_s": (carried + spread) * handle_s,
            "workload_agents": np.where(is_open, (carried + spread) * handle_s / interval_s, 0.0),
            "agents": np.where(is_open, level, 0.0),
            "backlog_contacts": np.nan,
            "response_s_est": np.nan,
        }
    )
    frame.loc[open_idx, "backlog_contacts"] = end / handle_s
    if level > 0:
        frame.loc[open_idx, "response_s_est"] = np.maximum(peak, end) / level + handle_s
    max_resp = float(frame["response_s_est"].max()) if level > 0 else 0.0
    return BacklogPlan(
        agents=float(level),
        workload_agents=workload,
        deadline_agents=float(deadline_level),
        max_response_s=max_resp,
        frame=frame,
    )
