"""Demand: the time-varying arrival rate of every queue, the events that move it, and routing.

rate(queue, interval) = daily base x scale x intraday shape (KST, per channel) x weekday shape
x yearly seasonality x trend x holiday effect, and the tag mix of each day is the queue's base mix
with campaigns (+45-80 % on their tags) and outages (3-10x on one tag) applied, so the queue's
volume rises by exactly the extra demand of those tags. Rates are constant within a 30-minute
interval (arrivals are a piecewise-homogeneous Poisson process).

The planner's forecast (used to size the schedule) is the same model without the outages (they are
not known in advance) and with only 60 % of the surge before/after Seollal and Chuseok.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import holidays as holidays_lib
import numpy as np

from ops.simulate import world
from ops.simulate.timegrid import SLOTS_PER_DAY, Horizon

LUNAR_WORDS = ("Korean New Year", "Chuseok")


@dataclass(frozen=True)
class Event:
    kind: str
    name: str
    name_ko: str
    start: date
    end: date
    tag_ids: tuple[str, ...]
    effect: float
    center_id: str | None = None
    notes: str | None = None


def _intraday(channel: str) -> np.ndarray:
    """48 half-hour weights with mean 1, linearly interpolated between hour centres."""
    h = np.asarray(world.INTRADAY_KST[channel], dtype=float)
    centres = np.arange(24) + 0.5
    x = np.arange(48) / 2 + 0.25
    w = np.interp(x, np.concatenate([[centres[-1] - 24], centres, [centres[0] + 24]]),
                  np.concatenate([[h[-1]], h, [h[0]]]))  # fmt: skip
    return w / w.mean()


def _seasonality(days: np.ndarray) -> np.ndarray:
    """Monthly factor interpolated by day of year (``days`` = dates)."""
    doy = np.array([d.timetuple().tm_yday for d in days], dtype=float)
    mid = np.array([15, 45, 74, 105, 135, 166, 196, 227, 258, 288, 319, 349], dtype=float)
    m = np.asarray(world.MONTHLY)
    return np.interp(doy, np.concatenate([[mid[-1] - 365], mid, [mid[0] + 365]]),
                     np.concatenate([[m[-1]], m, [m[0]]]))  # fmt: skip


def holiday_factors(h: Horizon) -> tuple[np.ndarray, np.ndarray]:
    """Actual and planned (forecast) demand factor per demo day from Korean holidays."""
    dates = [h.start + timedelta(days=i) for i in range(h.days)]
    actual = np.ones(h.days)
    hol = h.holidays
    lunar = {d for d, n in hol.items() if any(w in n for w in LUNAR_WORDS)}
    index = {d: i for i, d in enumerate(dates)}
    for d in hol:
        if d in index:
            actual[index[d]] = world.LUNAR_DAY_FACTOR if d in lunar else world.HOLIDAY_DAY_FACTOR
    surge = np.ones(h.days)
    # blocks of consecutive lunar days: surges before and after
    blocks: list[list[date]] = []
    for d in sorted(lunar):
        if blocks and (d - blocks[-1][-1]).days <= 1:
            blocks[-1].append(d)
        else:
            blocks.append([d])
    for b in blocks:
        # the last business days before the block (customers chase deliveries before the break)
        d = b[0]
        for f in world.LUNAR_BEFORE:
            d -= timedelta(days=1)
            while d in hol or d.weekday() >= 5:
                d -= timedelta(days=1)
            if d in index:
                surge[index[d]] *= f
        after = b[-1]
        for f in world.LUNAR_AFTER:
            after += timedelta(days=1)
            while after in hol:
                after += timedelta(days=1)
            if after in index:
                surge[index[after]] *= f
    planned = actual * (1 + (surge - 1) * 0.6)
    return actual * surge, planned


def build_events(h: Horizon, rng: np.random.Generator) -> list[Event]:
    """Holidays, campaigns and outages inside the horizon (deterministic for the generator)."""
    events: list[Event] = []
    ko = holidays_lib.KR(years=range(h.start.year, h.end.year + 1), language="ko")
    for d, name in sorted(h.holidays.items()):
        if h.start <= d <= h.end:
            lunar = any(w in name for w in LUNAR_WORDS)
            events.append(
                Event("holiday", name, ko.get(d, name), d, d, (),
                      world.LUNAR_DAY_FACTOR if lunar else world.HOLIDAY_DAY_FACTOR)
            )  # fmt: skip
    lunar_first: dict[str, list[date]] = {"seollal": [], "chuseok": []}
    for d, name in sorted(h.holidays.items()):
        key = "seollal" if "Korean New Year" in name else "chuseok" if "Chuseok" in name else None
        if key and not any(abs((d - x).days) <= 3 for x in lunar_first[key]):
            lunar_first[key].append(d)
    for c in world.CAMPAIGNS:
        starts: list[date] = []
        if c.anchor in lunar_first:
            starts = [d + timedelta(days=c.offset_days) for d in lunar_first[c.anchor]]
        else:
            mm, dd = (int(x) for x in c.anchor.split("-"))
            years = range(h.start.year, h.end.year + 1)
            if c.key in ("spring", "summer"):  # only in the most recent year
                years = range(h.end.year, h.end.year + 1)
            starts = [date(y, mm, dd) + timedelta(days=c.offset_days) for y in years]
        for s in starts:
            e = s + timedelta(days=c.length_days - 1)
            if e >= h.start and s <= h.end:
                tags = tuple(world.tag_id(p) for p in c.tags)
                events.append(Event("campaign", f"{c.name} {s.year}", f"{c.name_ko} {s.year}",
                                    s, e, tags, c.uplift,
                                    notes="tags: " + ", ".join(tags)))  # fmt: skip
    n_out = max(1, round(5 * h.days / 730))
    order = rng.permutation(len(world.OUTAGES))
    seg = h.days / n_out
    for i in range(n_out):
        o = world.OUTAGES[order[i % len(order)]]
        for _ in range(50):
            day = int(i * seg + rng.uniform(0.15, 0.85) * seg)
            s = h.start + timedelta(days=day)
            if s not in h.holidays and s.weekday() < 5:
                break
        e = min(h.end, s + timedelta(days=o.length_days - 1))
        events.append(Event("outage", o.name, o.name_ko, s, e, (world.tag_id(o.tag),), o.uplift,
                            notes="known issue: unplanned, not in the staffing forecast"))  # fmt: skip
    return events


@dataclass
class Demand:
    """Per queue x grid interval: expected arrivals (actual and planned) and daily tag mixes."""

    horizon: Horizon
    expected: np.ndarray  # (queues, n_intervals) expected arrivals per interval, actual
    planned: np.ndarray  # same, the planner's forecast
    tag_cdf: np.ndarray  # (queues, days, tags) cumulative tag distribution per day, actual
    containment: np.ndarray  # (queues, days) expected share contained by bot/self-serve, planned
    events: list[Event]


def build_demand(h: Horizon, scale: float, rng: np.random.Generator) -> Demand:
    """Rates for every queue over the horizon (see the module docstring for the formula)."""
    events = build_events(h, rng)
    dates = np.array([h.start + timedelta(days=i) for i in range(h.days)])
    dow = np.array([d.weekday() for d in dates])
    season = _seasonality(dates)
    trend = (1 + world.TREND_PER_YEAR) ** ((np.arange(h.days) - (h.days - 1)) / 365.0)
    hol_actual, hol_planned = holiday_factors(h)
    n_tags = len(world.TAGS)
    tag_w = np.array([t.weight for t in world.TAGS])
    l1 = np.array([t.l1_code for t in world.TAGS])
    simple = np.array([t.is_simple for t in world.TAGS])
    # per-day tag multipliers from campaigns (planned and actual) and outages (actual only)
    mult_plan = np.ones((h.days, n_tags))
    for e in events:
        if e.kind not in ("campaign", "outage"):
            continue
        a = max(0, (e.start - h.start).days)
        b = min(h.days, (e.end - h.start).days + 1)
        for tid in e.tag_ids:
            j = world.TAG_INDEX[tid]
            if e.kind == "campaign":
                mult_plan[a:b, j] *= e.effect
    mult_act = mult_plan.copy()
    for e in events:
        if e.kind == "outage":
            a = max(0, (e.start - h.start).days)
            b = min(h.days, (e.end - h.start).days + 1)
            for tid in e.tag_ids:
                mult_act[a:b, world.TAG_INDEX[tid]] *= e.effect
    nq = len(world.QUEUES)
    expected = np.zeros((nq, h.n_intervals))
    planned = np.zeros((nq, h.n_intervals))
    tag_cdf = np.zeros((nq, h.days, n_tags))
    containment = np.zeros((nq, h.days))
    for qi, q in enumerate(world.QUEUES):
        base = np.array([q.level1_mix.get(c, 0.0) for c in l1]) * tag_w
        sums = {c: base[l1 == c].sum() for c in set(l1)}
        # normalise so each level-1 family gets the weight in level1_mix
        base = np.array(
            [
                b / sums[c] * q.level1_mix.get(c, 0.0) if sums[c] > 0 else 0.0
                for b, c in zip(base, l1, strict=True)
            ]
        )
        base = base / base.sum()
        w_act = base[None, :] * mult_act
        w_plan = base[None, :] * mult_plan
        day_act = w_act.sum(1)
        day_plan = w_plan.sum(1)
        cdf = np.cumsum(w_act / day_act[:, None], axis=1)
        cdf[:, -1] = 1.0
        tag_cdf[qi] = cdf
        containment[qi] = (w_plan / day_plan[:, None] * np.where(simple, 0.6, 0.2)).sum(1)
        weekly = np.asarray(world.WEEKLY[q.channel])[dow]
        daily = q.daily * scale * weekly * season * trend
        shape = _intraday(q.channel) / SLOTS_PER_DAY
        expected[qi] = (daily * hol_actual * day_act)[:, None].repeat(SLOTS_PER_DAY, 1).ravel() * (
            np.tile(shape, h.days)
        )
        planned[qi] = (daily * hol_planned * day_plan)[:, None].repeat(SLOTS_PER_DAY, 1).ravel() * (
            np.tile(shape, h.days)
        )
    return Demand(h, expected, planned, tag_cdf, containment, events)


def routing(h: Horizon, open_masks: np.ndarray) -> np.ndarray:
    """(queues, centers, n_intervals) share of a queue's agent contacts routed to each center.

    Live queues: weights among the serving centers open in the interval (all zero when none is open:
    the line is closed). Async queues: when no serving center is open, the contact waits for the
    centers that open next (their weights at that next open interval).
    """
    n = h.n_intervals
    nq, nc = len(world.QUEUES), len(world.CENTERS)
    out = np.zeros((nq, nc, n))
    for qi, q in enumerate(world.QUEUES):
        w = np.zeros((nc, n))
        for cid, weight in q.served_by.items():
            ci = world.CENTER_INDEX[cid]
            w[ci] = open_masks[ci, :n] * weight
        tot = w.sum(0)
        share = np.divide(w, tot, out=np.zeros_like(w), where=tot > 0)
        if q.mode == "async":
            idx = np.where(tot > 0, np.arange(n), n)
            nxt = np.minimum.accumulate(idx[::-1])[::-1]
            has = nxt < n
            filled = np.zeros_like(share)
            filled[:, has] = share[:, nxt[has]]
            # after the last open interval of the horizon: the first serving center's next opening
            share = filled
            if (~has).any():
                first = world.CENTER_INDEX[next(iter(q.served_by))]
                share[first, ~has] = 1.0
        out[qi] = share
    return out
