"""Peak-season planning: when to hire, and how much volume to send to vendors instead.

Why: Seollal, Chuseok and campaign peaks need people who take weeks to recruit and train, while
agents keep leaving every week. A planner needs "how many to hire, decided in which week", and for
what hiring cannot cover in time (or should not, because the peak is short), which vendor takes it at
what cost.

* :func:`hiring_plan`: weekly FTE need vs in-house productive headcount. Hires decided in week ``d``
  start training in ``d + lead_weeks`` and become productive in ``d + lead_weeks + training_weeks``;
  everybody (trainees too) leaves at ``weekly_attrition``. Hiring is decided as late as possible
  (cheapest: no idle payroll before it is needed) and earlier when a weekly hiring cap binds; need
  that no hire can reach in time is reported as ``uncovered_fte`` (vendor, overtime).
* :func:`split_volume`: a linear program (HiGHS via ``scipy.optimize.linprog``) sending each week's
  workload to centers at least cost within their capacity: cost of one workload hour at a center is
  ``hourly_cost / (occupancy * (1 - shrinkage))`` (paid hours per handled hour).
* :func:`weekly_fte`: FTE per week from interval requirements.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.optimize import linprog

from ops.errors import StaffingError
from ops.staffing.erlang import ceil_tolerant


def weekly_fte(
    requirements: pd.DataFrame,
    *,
    interval_column: str = "interval_local",
    agents_column: str = "scheduled_agents",
    interval_s: float = 1800.0,
    hours_per_fte: float = 40.0,
) -> pd.Series:
    """FTE per week (weeks start Monday): ``sum(agents * interval_s / 3600) / hours_per_fte``."""
    ts = pd.to_datetime(requirements[interval_column])
    week = (ts - pd.to_timedelta(ts.dt.weekday, unit="D")).dt.normalize()
    hours = requirements[agents_column].astype(float) * interval_s / 3600.0
    return (hours.groupby(week).sum() / hours_per_fte).rename("need_fte")


@dataclass(frozen=True)
class HiringPlan:
    """Weekly plan: ``frame`` columns ``week, need_fte, productive_fte, trainees, hires_decided,
    hires_starting, gap_fte, uncovered_fte``; totals in ``total_hires`` and ``uncovered_fte_weeks``."""

    frame: pd.DataFrame
    total_hires: int
    uncovered_fte_weeks: float


def _simulate(
    hires: np.ndarray, headcount: float, lead: int, train: int, attr: float
) -> tuple[np.ndarray, np.ndarray]:
    """Productive FTE and trainees per week for hires decided per week."""
    n = hires.size
    keep = 1.0 - attr
    productive = np.zeros(n)
    trainees = np.zeros(n)
    p = float(headcount)
    for w in range(n):
        p *= keep if w > 0 else 1.0
        d = w - lead - train
        if d >= 0:
            p += hires[d] * keep**train
        productive[w] = p
        # In training during week w: decided in (w - lead - train, w - lead].
        lo, hi = max(0, w - lead - train + 1), w - lead
        if hi >= lo:
            ages = w - lead - np.arange(lo, hi + 1)
            trainees[w] = float(np.sum(hires[lo : hi + 1] * keep**ages))
    return productive, trainees


def hiring_plan(
    need_fte: ArrayLike | pd.Series,
    headcount: float,
    *,
    lead_weeks: int,
    training_weeks: int,
    weekly_attrition: float,
    max_hires_per_week: int | None = None,
) -> HiringPlan:
    """Hires per decision week so productive FTE meets ``need_fte`` every week (see module docs).

    ``need_fte``: FTE needed per week from now (a Series keeps its index as ``week``);
    ``headcount``: productive FTE today. Expected values: attrition thins every cohort by
    ``(1 - weekly_attrition)`` per week, hires are whole people.
    """
    need = np.asarray(need_fte, dtype=float)
    if need.ndim != 1 or need.size == 0 or np.any(~np.isfinite(need)) or np.any(need < 0):
        raise StaffingError("need_fte must be a non-empty list of FTE >= 0 per week.")
    if lead_weeks < 0 or training_weeks < 0:
        raise StaffingError("lead_weeks and training_weeks must be >= 0.")
    if not 0 <= weekly_attrition < 1:
        raise StaffingError(f"weekly_attrition must be in [0, 1), got {weekly_attrition!r}")
    if max_hires_per_week is not None and max_hires_per_week < 0:
        raise StaffingError("max_hires_per_week must be >= 0.")
    n = need.size
    delay = lead_weeks + training_weeks
    keep = 1.0 - weekly_attrition
    hires = np.zeros(n)
    cap = np.inf if max_hires_per_week is None else float(max_hires_per_week)
    for w in range(n):
        productive, _ = _simulate(hires, headcount, lead_weeks, training_weeks, weekly_attrition)
        short = need[w] - productive[w]
        d = w - delay
        while short > 1e-9 and d >= 0:
            # One hire decided in week d adds keep**train at graduation and keep**(w - d - delay) more.
            per_hire = keep**training_weeks * keep ** (w - d - delay)
            room = cap - hires[d]
            if room > 0:
                add = min(room, float(ceil_tolerant(short / per_hire)))
                hires[d] += add
                short -= add * per_hire
            d -= 1
    productive, trainees = _simulate(hires, headcount, lead_weeks, training_weeks, weekly_attrition)
    starting = np.zeros(n)
    if lead_weeks < n:
        starting[lead_weeks:] = hires[: n - lead_weeks]
    index = need_fte.index if isinstance(need_fte, pd.Series) else pd.RangeIndex(n)
    frame = pd.DataFrame(
        {
            "week": index,
            "need_fte": need,
            "productive_fte": productive,
            "trainees": trainees,
            "hires_decided": hires.astype(np.int64),
            "hires_starting": starting.astype(np.int64),
            "gap_fte": productive - need,
            "uncovered_fte": np.maximum(need - productive, 0.0),
        }
    )
    # Rounding noise below 1e-9 FTE is not a shortfall.
    frame.loc[frame["uncovered_fte"] < 1e-9, "uncovered_fte"] = 0.0
    return HiringPlan(
        frame=frame,
        total_hires=int(hires.sum()),
        uncovered_fte_weeks=float(frame["uncovered_fte"].sum()),
    )


def split_volume(
    workload_hours: ArrayLike | pd.Series,
    centers: pd.DataFrame,
) -> pd.DataFrame:
    """Least-cost split of weekly workload hours between centers within capacity (LP, HiGHS).

    ``centers`` columns: ``center_id``, ``hourly_cost`` (per paid agent hour), ``capacity_hours``
    (paid agent hours per week the center can give; a scalar per center), optional ``occupancy``
    (default 0.85) and ``shrinkage`` (default 0.3), optional ``min_share`` (a contractual minimum
    share of each week's workload, default 0). Decision ``x[c, w]`` = workload hours; paid hours =
    ``x / (occupancy (1 - shrinkage))``; minimise ``sum cost * paid hours`` s.t. ``sum_c x[c, w] +
    unserved[w] = workload[w]``, paid hours <= capacity, ``x >= min_share * workload``; unserved
    work costs 1000x the dearest center, so it only appears when capacity runs out. Returns one row
    per week and center: ``week, center_id, workload_hours, paid_hours, cost`` plus a row
    ``center_id = "UNSERVED"`` where capacity ran out.
    """
    work = np.asarray(workload_hours, dtype=float)
    if work.ndim != 1 or np.any(work < 0) or not np.all(np.isfinite(work)):
        raise StaffingError("workload_hours must be a list of hours >= 0 per week.")
    for col in ("center_id", "hourly_cost", "capacity_hours"):
        if col not in centers.columns:
            raise StaffingError(f"centers needs a {col!r} column.")
    c = centers.reset_index(drop=True)
    occ = c["occupancy"].to_numpy(float) if "occupancy" in c else np.full(len(c), 0.85)
    shr = c["shrinkage"].to_numpy(float) if "shrinkage" in c else np.full(len(c), 0.3)
    share = c["min_share"].to_numpy(float) if "min_share" in c else np.zeros(len(c))
    eff = occ * (1.0 - shr)
    if np.any(~(eff > 0)):
        raise StaffingError("occupancy must be > 0 and shrinkage < 1 for every center.")
    if share.sum() > 1 + 1e-9:
        raise StaffingError("min_share of the centers adds up to more than 1.")
    hourly = c["hourly_cost"].to_numpy(float)
    cost_per_work = hourly / eff
    nc, nw = len(c), work.size
    penalty = 1000.0 * max(float(cost_per_work.max()), 1.0)
    # Variables: x[c, w] (row-major), then unserved[w].
    obj = np.concatenate([np.repeat(cost_per_work, nw), np.full(nw, penalty)])
    a_eq = np.zeros((nw, nc * nw + nw))
    for w in range(nw):
        a_eq[w, [ci * nw + w for ci in range(nc)]] = 1.0
        a_eq[w, nc * nw + w] = 1.0
    cap_work = c["capacity_hours"].to_numpy(float) * eff
    lower = np.concatenate([np.outer(share, work).ravel(), np.zeros(nw)])
    upper = np.concatenate([np.repeat(cap_work, nw), np.full(nw, np.inf)])
    if np.any(lower[: nc * nw] > upper[: nc * nw] + 1e-9):
        raise StaffingError("A center's min_share exceeds its capacity in some week.")
    res = linprog(
        obj, A_eq=a_eq, b_eq=work, bounds=list(zip(lower, upper, strict=True)), method="highs"
    )
    if res.status != 0:
        raise StaffingError(f"Volume split not solved: {res.message}")
    x = res.x[: nc * nw].reshape(nc, nw)
    unserved = res.x[nc * nw :]
    weeks = workload_hours.index if isinstance(workload_hours, pd.Series) else pd.RangeIndex(nw)
    rows = []
    for w in range(nw):
        for ci in range(nc):
            paid = x[ci, w] / eff[ci]
            rows.append(
                {
                    "week": weeks[w],
                    "center_id": c.loc[ci, "center_id"],
                    "workload_hours": x[ci, w],
                    "paid_hours": paid,
                    "cost": paid * hourly[ci],
                }
            )
        if unserved[w] > 1e-9:
            rows.append(
                {
                    "week": weeks[w],
                    "center_id": "UNSERVED",
                    "workload_hours": unserved[w],
                    "paid_hours": np.nan,
                    "cost": np.nan,
                }
            )
    return pd.DataFrame(rows)
