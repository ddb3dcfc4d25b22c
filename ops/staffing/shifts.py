"""Shift recommendation: how many agents to start on each shift pattern, at least cost.

Why: a requirement per interval is not a schedule; people work whole shifts with breaks. This
module turns a requirement curve into start counts per shift pattern with an integer program
solved by HiGHS (``scipy.optimize.milp``).

Model: slots of ``slot_s`` seconds (the requirement's interval). A pattern (e.g. 8 h work + 60 min
unpaid break, or 4 h + 30 min; Korean Labor Standards Act art. 54 asks 30 min per 4 h and 60 min
per 8 h worked) started at slot ``s`` covers the slots of its span except its break, which sits in the
middle of the shift. Variables ``x[p, s] >= 0`` integers (agents starting pattern p at slot s);
minimise ``sum cost_p * x[p, s]`` subject to ``sum_{p,s covering t} x[p, s] >= requirement_t`` for
every slot ``t``. Shifts start every ``start_every_s`` (30 min by default) and lie inside the day, or
wrap around midnight when ``wrap=True`` (24-hour centers).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from ops.errors import StaffingError


@dataclass(frozen=True)
class ShiftPattern:
    """A shift: paid work seconds, an unpaid break in the middle, and a cost per paid hour factor."""

    name: str
    work_s: int
    break_s: int
    cost_factor: float = 1.0  # relative cost of one paid hour (part-time premium, night pay, ...)

    @property
    def span_s(self) -> int:
        return self.work_s + self.break_s


DEFAULT_PATTERNS = (
    ShiftPattern("8h", 8 * 3600, 3600),
    ShiftPattern("4h", 4 * 3600, 1800, cost_factor=1.05),
)


@dataclass(frozen=True)
class ShiftPlan:
    """The solved plan: starts per pattern/slot, the coverage it gives, cost and solve time."""

    starts: pd.DataFrame  # pattern, start_slot, start_offset_s, agents, break_start_offset_s
    coverage: pd.DataFrame  # slot, requirement, scheduled, over
    cost: float
    paid_hours: float
    solve_time_s: float
    status: str

    @property
    def covers_every_interval(self) -> bool:
        return bool((self.coverage["scheduled"] >= self.coverage["requirement"] - 1e-9).all())


def _pattern_cover(
    pattern: ShiftPattern, start: int, n_slots: int, slot_s: int, wrap: bool
) -> np.ndarray | None:
    span = pattern.span_s // slot_s
    work = pattern.work_s // slot_s
    brk = pattern.break_s // slot_s
    if span * slot_s != pattern.span_s or brk * slot_s != pattern.break_s:
        raise StaffingError(
            f"Shift {pattern.name!r}: work and break must be whole multiples of the {slot_s} s slot."
        )
    if not wrap and start + span > n_slots:
        return None
    # Break in the middle of the worked time: first half of work, break, second half.
    first = (work + 1) // 2
    slots = [s for s in range(span) if not (first <= s < first + brk)]
    return (start + np.array(slots)) % n_slots


def recommend_shifts(
    requirement: ArrayLike,
    *,
    slot_s: int = 1800,
    patterns: tuple[ShiftPattern, ...] = DEFAULT_PATTERNS,
    start_every_s: int = 1800,
    hourly_cost: float = 1.0,
    wrap: bool = False,
    time_limit_s: float = 60.0,
) -> ShiftPlan:
    """Agents to start on each pattern and start time so every slot's requirement is covered.

    ``requirement``: agents needed per slot (scheduled, i.e. after shrinkage; fractional values are
    rounded up with a float tolerance). Cost of a plan = ``sum agents * work hours * cost_factor *
    hourly_cost``. Returns a :class:`ShiftPlan`; raises :class:`StaffingError` when no pattern fits
    or HiGHS finds no solution in ``time_limit_s``.
    """
    from ops.staffing.erlang import ceil_tolerant

    req = ceil_tolerant(np.asarray(requirement, dtype=float))
    if req.ndim != 1 or req.size == 0:
        raise StaffingError("requirement must be a non-empty list of agents per slot.")
    if np.any(req < 0) or not np.all(np.isfinite(req)):
        raise StaffingError("requirement must be finite and >= 0 in every slot.")
    if start_every_s % slot_s:
        raise StaffingError("start_every_s must be a multiple of slot_s.")
    n = req.size
    step = start_every_s // slot_s
    cols: list[tuple[ShiftPattern, int, np.ndarray]] = []
    for p in patterns:
        for s in range(0, n, step):
            cover = _pattern_cover(p, s, n, slot_s, wrap)
            if cover is not None:
                cols.append((p, s, cover))
    if not cols:
        raise StaffingError("No shift pattern fits in the horizon; add shorter patterns or wrap.")
    rows, colidx = [], []
    for j, (_, _, cover) in enumerate(cols):
        rows.extend(cover.tolist())
        colidx.extend([j] * cover.size)
    a = csr_matrix((np.ones(len(rows)), (rows, colidx)), shape=(n, len(cols)))
    covered = np.asarray(a.sum(axis=1)).ravel() > 0
    if np.any((req > 0) & ~covered):
        bad = int(np.flatnonzero((req > 0) & ~covered)[0])
        raise StaffingError(f"Slot {bad} needs agents but no shift pattern can cover it.")
    cost = np.array([p.work_s / 3600.0 * p.cost_factor * hourly_cost for p, _, _ in cols])
    t0 = time.perf_counter()
    res = milp(
        c=cost,
        constraints=LinearConstraint(a, lb=req, ub=np.inf),
        integrality=np.ones(len(cols)),
        bounds=Bounds(0, np.inf),
        options={"time_limit": time_limit_s, "disp": False},
    )
    elapsed = time.perf_counter() - t0
    if res.x is None:
        raise StaffingError(f"Shift plan not found: {res.message}")
    x = np.round(res.x).astype(np.int64)
    starts = pd.DataFrame(
        [
            {
                "pattern": p.name,
                "start_slot": s,
                "start_offset_s": s * slot_s,
                "agents": int(x[j]),
                "break_start_offset_s": (s + (p.work_s // slot_s + 1) // 2) % n * slot_s,
                "work_hours": p.work_s / 3600.0,
            }
            for j, (p, s, _) in enumerate(cols)
            if x[j] > 0
        ],
        columns=[
            "pattern",
            "start_slot",
            "start_offset_s",
            "agents",
            "break_start_offset_s",
            "work_hours",
        ],
    )
    scheduled = a @ x
    coverage = pd.DataFrame(
        {
            "slot": np.arange(n),
            "offset_s": np.arange(n) * slot_s,
            "requirement": req.astype(np.int64),
            "scheduled": scheduled.astype(np.int64),
            "over": (scheduled - req).astype(np.int64),
        }
    )
    paid = float(sum(x[j] * p.work_s / 3600.0 for j, (p, _, _) in enumerate(cols)))
    return ShiftPlan(
        starts=starts,
        coverage=coverage,
        cost=float(cost @ x),
        paid_hours=paid,
        solve_time_s=elapsed,
        status=str(res.message),
    )
