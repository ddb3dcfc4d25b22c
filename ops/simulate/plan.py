"""The demo's workforce plan and what actually happened to it.

Planning (what a WFM team would do): per pool (queue x center) and 30-minute interval, the agents
required for the forecast agent-contact rate. Live pools: the smallest number of servers for which
Erlang A (``ops.simulate.erlang``) meets the queue's target (e.g. 80 % within 20 s), divided by the
chat concurrency and rounded up; at least one agent while the pool is open. Async pools: one flat
headcount per week, the week's work (arrivals plus the backlog built while closed) spread evenly
over its open time at 85 % occupancy, so Mondays carry the weekend backlog into Tuesday. Scheduled
time is the requirement grossed up for 27 % planned shrinkage (the real shrinkage runs a little
higher, as it usually does).

Reality (so some days miss SLA for a reason): daily absence per center (mean 9-12 %), aux/break
time per interval (18-26 %), understaffed weeks (a vendor losing agents after Seollal/Chuseok, Manila
short during Black Friday, a Seoul training week), thin Manila cover 02:00-04:00 KST on a quarter of
the nights, and outages that were never in the forecast. Productive agents are whole numbers:
``productive_s / interval_s`` is exactly the number of agents serving (x concurrency = servers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from ops.simulate import world
from ops.simulate.demand import Demand, Event
from ops.simulate.erlang import required_servers
from ops.simulate.timegrid import INTERVAL_S, SLOTS_PER_DAY, Horizon

PLANNED_SHRINKAGE = 0.27
ASYNC_OCCUPANCY = 0.85
ABSENCE_MEAN = {"SEOUL": 0.09, "BUSAN": 0.12, "MANILA": 0.11}


@dataclass
class Pool:
    """One queue served by one center."""

    index: int
    queue: world.QueueDef
    center: world.CenterDef
    qi: int
    ci: int
    aht_s: float  # true mean handle time in this pool (before the small tag factor)
    agents: np.ndarray  # productive agents per interval (int)
    scheduled_s: np.ndarray
    staffed_s: np.ndarray

    @property
    def servers(self) -> np.ndarray:
        return self.agents * self.queue.concurrency


def make_pools() -> list[Pool]:
    pools: list[Pool] = []
    for qi, q in enumerate(world.QUEUES):
        for cid in q.served_by:
            ci = world.CENTER_INDEX[cid]
            c = world.CENTERS[ci]
            pools.append(
                Pool(
                    len(pools),
                    q,
                    c,
                    qi,
                    ci,
                    q.aht_s * c.aht_factor,
                    np.zeros(0, np.int64),
                    np.zeros(0),
                    np.zeros(0),
                )  # fmt: skip
            )
    return pools


def staffing_gaps(h: Horizon, demand: Demand, rng: np.random.Generator) -> list[Event]:
    """Understaffed weeks: after each Seollal/Chuseok (BUSAN), Black Friday (MANILA), one SEOUL week."""
    out: list[Event] = []
    lunar = sorted(
        e.end for e in demand.events if e.kind == "holiday" and e.effect == world.LUNAR_DAY_FACTOR
    )
    # the first day after each Seollal/Chuseok block (consecutive lunar holidays)
    block_ends = [
        d for i, d in enumerate(lunar) if i + 1 == len(lunar) or (lunar[i + 1] - d).days > 1
    ]
    for end in block_ends:
        s = end + timedelta(days=1)
        out.append(
            Event("other", "BUSAN attrition after holiday bonus", "부산 센터 명절 후 퇴사 공백",
                  s, s + timedelta(days=9), (), 0.78, "BUSAN",
                  "Vendor lost agents after the holiday bonus; hires still in training")
        )  # fmt: skip
    for e in demand.events:
        if e.kind == "campaign" and e.name.startswith("Black Friday"):
            out.append(Event("other", "MANILA short-staffed in peak", "마닐라 센터 피크 인력 부족",
                             e.start, e.start + timedelta(days=6), (), 0.8, "MANILA",
                             "Vendor could not add night agents for the sale"))  # fmt: skip
    day = int(rng.integers(0, max(1, h.days - 7)))
    s = h.start + timedelta(days=day)
    out.append(Event("other", "SEOUL new-hire training week", "서울 신입 교육 주간", s,
                     s + timedelta(days=6), (), 0.85, "SEOUL",
                     "Experienced agents pulled into new-hire training"))  # fmt: skip
    return [e for e in out if e.end >= h.start and e.start <= h.end]


def plan_and_staff(
    h: Horizon,
    demand: Demand,
    route: np.ndarray,
    rng: np.random.Generator,
) -> tuple[list[Pool], list[Event]]:
    """Requirement, schedule and realised productive agents for every pool."""
    n = h.n_intervals
    day_of = np.arange(n) // SLOTS_PER_DAY
    week_of = (day_of + h.start.weekday()) // 7  # Monday-based weeks (the grid runs in KST)
    pools = make_pools()
    gaps = staffing_gaps(h, demand, rng)
    nc = len(world.CENTERS)
    mean_absence = np.array([[ABSENCE_MEAN[c.center_id]] for c in world.CENTERS])
    absence = np.clip(mean_absence + rng.normal(0, 0.04, size=(nc, h.days)), 0.0, 0.3)
    gap_factor = np.ones((nc, h.days))
    for e in gaps:
        ci = world.CENTER_INDEX[e.center_id or "SEOUL"]
        a = max(0, (e.start - h.start).days)
        b = min(h.days, (e.end - h.start).days + 1)
        gap_factor[ci, a:b] = e.effect
    # thin Manila nights: 02:00-04:00 KST on ~25 % of nights
    slot = np.arange(n) % SLOTS_PER_DAY
    thin_night = rng.random(h.days) < 0.25
    thin = np.where((slot >= 4) & (slot < 8) & thin_night[day_of], 0.5, 1.0)
    for p in pools:
        q = p.queue
        bot_keep = 1.0 - q.bot_share * demand.containment[p.qi]
        lam_cnt = demand.planned[p.qi] * bot_keep[day_of] * route[p.qi, p.ci]
        open_ = route[p.qi, p.ci] > 0 if q.mode == "live" else _open(p, h)
        if q.mode == "live":
            srv = required_servers(
                lam_cnt / INTERVAL_S, 1.0 / p.aht_s, 1.0 / q.patience_s, q.sl_target, q.answer_s
            )
            need = np.ceil(srv / q.concurrency)
        else:
            need = _async_need(lam_cnt, open_, p.aht_s, week_of)
        need = np.where(open_, np.maximum(need, 1.0), 0.0)
        scheduled = need / (1 - PLANNED_SHRINKAGE) * gap_factor[p.ci, day_of]
        aux = rng.uniform(0.18, 0.26, size=n)
        expect = scheduled * (1 - absence[p.ci, day_of]) * (1 - aux)
        if p.center.center_id == "MANILA":
            expect = expect * thin
        agents = np.floor(expect + rng.random(n)).astype(np.int64)
        agents = np.where(open_, np.maximum(agents, 1), 0)
        staffed = agents / (1 - aux)
        p.agents = agents
        p.staffed_s = staffed * INTERVAL_S
        p.scheduled_s = np.maximum(scheduled, staffed) * INTERVAL_S
    return pools, gaps


def _open(p: Pool, h: Horizon) -> np.ndarray:
    """The pool's center is open (its business calendar) in each demo interval."""
    return h.open_mask(p.center.calendar(), p.center.utc_offset_h)[: h.n_intervals]


def _async_need(
    lam_cnt: np.ndarray, open_: np.ndarray, aht_s: float, week_of: np.ndarray
) -> np.ndarray:
    """Agents per open interval of an async pool: one flat headcount per week.

    The week's work (its arrivals, and the backlog built while the pool was closed before each
    open stretch) over the week's open time at ``ASYNC_OCCUPANCY``, rounded up: the same number of
    agents every open interval of the week, as email/KakaoTalk teams are rostered. Mondays carry
    the weekend's backlog, so their work exceeds the flat headcount and spills into Tuesday: the
    short response windows (KakaoTalk within 6 business hours) are missed on some Mondays.
    """
    n = len(lam_cnt)
    starts = open_ & ~np.concatenate([[False], open_[:-1]])
    run_id = np.cumsum(starts)  # id of the current/most recent open stretch
    # closed intervals belong to the next stretch
    nxt = np.where(open_, run_id, run_id + 1)
    n_runs = int(run_id.max()) + 1 if n else 0
    work = np.bincount(nxt, weights=lam_cnt * aht_s, minlength=n_runs + 2)
    # each stretch's week: the week of its first open interval
    # (work after the last stretch has no stretch in the horizon and is left out)
    run_week = np.zeros(n_runs + 2, dtype=np.int64)
    has_stretch = np.zeros(n_runs + 2, dtype=bool)
    run_week[run_id[starts]] = week_of[starts]
    has_stretch[run_id[starts]] = True
    open_s = np.bincount(
        week_of, weights=open_.astype(float) * INTERVAL_S, minlength=int(week_of.max()) + 1
    )
    week_work = np.bincount(
        run_week[has_stretch], weights=work[has_stretch], minlength=len(open_s)
    )[: len(open_s)]
    per = np.divide(
        week_work, open_s * ASYNC_OCCUPANCY, out=np.zeros_like(open_s), where=open_s > 0
    )
    return np.where(open_, np.ceil(per[week_of]), 0.0)
