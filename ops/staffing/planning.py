"""Staffing on the store: requirements per queue and interval, coverage vs schedules, delivered SL.

Why: the planner's questions are about their own data: "with next month's volume, how many agents
per interval per queue and center, where is the schedule short or long, and what SL does the
schedule we have actually buy?" Contacts and schedules are aggregated in DuckDB through the scoped
reader's Ibis tables; only per-interval frames come back to pandas for the Erlang math.

Frames (column names are the constants below):

* interval counts: ``center_id, queue_id, channel, mode, interval_local, offered, answered,
  answered_within_t, abandoned, abandoned_short, wait_sum_all_s, handle_sum_s, handled`` from
  contacts handled by agents (bot/self-serve containment never reached a queue), taken from the
  SLA registry's base aggregates (:func:`interval_counts`);
* schedule: ``center_id, queue_id, interval_local, interval_s, productive_agents, scheduled_agents``
  (agent-seconds / interval seconds);
* volume: ``center_id, queue_id, interval_local, calls, aht_s`` (a forecast or history).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from ops.errors import StaffingError
from ops.staffing.backlog import backlog_agents
from ops.staffing.erlang import erlang
from ops.staffing.requirements import required_agents, scheduled_from_raw

CENTER, QUEUE, CHANNEL, MODE = "center_id", "queue_id", "channel", "mode"
INTERVAL = "interval_local"
POOL_KEYS = [CENTER, QUEUE]
VOLUME_COLUMNS = (CENTER, QUEUE, INTERVAL, "calls", "aht_s")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _ts(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


# --------------------------------------------------------------------------- reading the store


def interval_counts(
    reader: Any,
    start: date,
    end: date,
    *,
    interval_s: int = 1800,
    answer_s: float = 20.0,
    short_abandon_s: float = 5.0,
    centers: list[str] | None = None,
) -> pd.DataFrame:
    """Agent contacts per center, queue and local interval in ``[start, end)`` (aggregated in DuckDB).

    The counts are the SLA registry's base aggregates (:func:`ops.sla.metrics.base_counts`), so the
    within-T, short-abandon and population rules are the ones every SL report uses; a change there
    changes the plan too. Planning's own convention on top: ``offered`` and ``abandoned`` here
    INCLUDE the short abandons (the Erlang A fit models them: ``expected_short``), and
    ``abandoned_short`` says how many; the registry's offered = ``offered - abandoned_short``.
    ``answered_within_t``: answered with wait <= ``answer_s``; ``wait_sum_all_s`` sums the waits of
    answered AND abandoned contacts (the exposure for the patience estimate); ``handle_sum_s`` /
    ``handled`` is the registry's AHT. Every queue mode is counted (async queues with the same
    answered/abandoned rules: their handled volume), ``mode`` comes from ``queues``.
    """
    from ops.sla.metrics import base_counts
    from ops.sla.registry import MetricParams

    if interval_s % 60 or not 60 <= interval_s <= 3600 or 3600 % interval_s:
        raise StaffingError(f"interval_s must divide an hour in whole minutes, got {interval_s!r}")
    params = MetricParams(
        threshold_s=answer_s, short_abandon_s=short_abandon_s, interval_minutes=interval_s // 60
    )
    b = base_counts(
        reader,
        period="interval",
        by=[CENTER, QUEUE, CHANNEL],
        filters={CENTER: list(centers)} if centers else None,
        start=start,
        end=end - timedelta(days=1),
        params=params,
        every_queue_live=True,
    )
    df = pd.DataFrame(
        {
            CENTER: b[CENTER],
            QUEUE: b[QUEUE],
            CHANNEL: b[CHANNEL],
            INTERVAL: pd.to_datetime(b["period"]),
            "offered": b["offered"] + b["short_abandoned"],
            "answered": b["answered"],
            "answered_within_t": b["answered_within_t"],
            "abandoned": b["abandoned"] + b["short_abandoned"],
            "abandoned_short": b["short_abandoned"],
            "wait_sum_all_s": b["wait_answered_s"] + b["wait_abandoned_all_s"],
            "handle_sum_s": b["handle_s"],
            "handled": b["handled"],
        }
    )
    q = reader.execute(reader.table("queues").select(QUEUE, MODE))
    df = df.merge(q, on=QUEUE, how="left")
    return df.sort_values([CENTER, QUEUE, INTERVAL]).reset_index(drop=True)


def schedule_intervals(
    reader: Any, start: date, end: date, *, centers: list[str] | None = None
) -> pd.DataFrame:
    """Productive and scheduled agents per center, queue and local interval in ``[start, end)``."""
    from ibis import _

    s = reader.table("schedules").filter(
        (_.interval_local >= _ts(start)) & (_.interval_local < _ts(end))
    )
    if centers:
        s = s.filter(_.center_id.isin(centers))
    expr = s.group_by([CENTER, QUEUE, INTERVAL, "interval_s"]).aggregate(
        productive_s=_.productive_s.fill_null(0.0).sum(),
        scheduled_s=_.scheduled_s.sum(),
    )
    df = reader.execute(expr)
    df[INTERVAL] = pd.to_datetime(df[INTERVAL])
    df["productive_agents"] = df["productive_s"] / df["interval_s"]
    df["scheduled_agents"] = df["scheduled_s"] / df["interval_s"]
    return df.drop(columns=["productive_s", "scheduled_s"])


def patience_estimates(
    counts: pd.DataFrame, by: tuple[str, ...] = (CENTER, CHANNEL)
) -> pd.DataFrame:
    """Mean patience per group by maximum likelihood for exponential patience with censoring.

    Every contact exposes its wait to abandonment: answered ones are censored observations, abandoned
    ones complete ones, so ``theta_hat = abandoned / sum(wait of all)`` and
    ``patience_s = sum(wait of all) / abandoned`` (inf when nobody abandoned). Live queues only.
    """
    live = counts[counts[MODE] == "live"] if MODE in counts.columns else counts
    g = live.groupby(list(by), as_index=False)[["abandoned", "wait_sum_all_s", "offered"]].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        g["patience_s"] = np.where(
            g["abandoned"] > 0, g["wait_sum_all_s"] / g["abandoned"].clip(lower=1), np.inf
        )
    return g


# --------------------------------------------------------------------------- Erlang on frames


def smoothed_calls(grid: pd.DataFrame) -> pd.Series:
    """Arrival-rate estimate per row: mean offered of the pool at the same local time of day over the
    month's days of the same day type (Mon-Fri, Sat, Sun), zero-count intervals included.

    Why not the interval's own count: a Poisson count used as the rate overstates congestion (busy
    intervals get both more weight and a higher modelled abandon rate; Erlang is convex in load).
    Measured on an M/M/2+M pool with 4 calls per 30 min: SL 88.0 % simulated, 88.1 % from the rate,
    83.1 % from the per-interval counts.
    """
    ts = pd.to_datetime(grid[INTERVAL])
    wd = ts.dt.weekday
    keys = pd.DataFrame(
        {
            CENTER: grid[CENTER].to_numpy(),
            QUEUE: grid[QUEUE].to_numpy(),
            "month": ts.dt.to_period("M").astype(str).to_numpy(),
            "daytype": np.where(wd < 5, "wk", np.where(wd == 5, "sat", "sun")),
            "slot": ts.dt.strftime("%H:%M").to_numpy(),
        }
    )
    return grid["offered"].groupby([keys[c] for c in keys.columns]).transform("mean")


def schedule_service_level(
    counts: pd.DataFrame,
    schedule: pd.DataFrame,
    queues: pd.DataFrame,
    patience: pd.DataFrame,
    *,
    answer_s: float = 20.0,
    short_abandon_s: float = 5.0,
    aht_by: tuple[str, ...] = (CENTER, QUEUE),
    rate: str = "smoothed",
) -> pd.DataFrame:
    """Erlang A prediction of what the schedule delivers, per live pool and interval.

    Servers = productive agents x the queue's concurrency; arrival rate = :func:`smoothed_calls`
    (``rate="smoothed"``) or the interval's own count (``rate="interval"``, biased, see there);
    AHT = mean handle of answered contacts over ``aht_by`` (per pool by default: a per-interval mean
    of two or three calls is too noisy for a convex model); patience from
    :func:`patience_estimates` per center x channel. Returns one row per pool interval (scheduled or
    with contacts) with ``model_*`` measures and expected counts ``expected_within_t``,
    ``expected_short``, ``expected_abandoned`` (offered x the model's rates), so that any aggregate
    SL is ``sum(expected_within_t) / sum(offered - expected_short)`` (DESIGN default variant).
    """
    if rate not in ("smoothed", "interval"):
        raise StaffingError(f"rate must be 'smoothed' or 'interval', got {rate!r}")
    live_q = queues.loc[queues[MODE] == "live", [QUEUE, CHANNEL, "concurrency"]]
    live = counts[counts[QUEUE].isin(live_q[QUEUE])]
    sched = schedule[schedule[QUEUE].isin(live_q[QUEUE])]
    aht = live.groupby(list(aht_by), as_index=False)[["handle_sum_s", "handled"]].sum()
    aht["aht_s"] = aht["handle_sum_s"] / aht["handled"].clip(lower=1)
    count_cols = [
        "offered",
        "answered",
        "answered_within_t",
        "abandoned",
        "abandoned_short",
        "wait_sum_all_s",
        "handle_sum_s",
    ]
    df = sched[[CENTER, QUEUE, INTERVAL, "interval_s", "productive_agents"]].merge(
        live[[CENTER, QUEUE, INTERVAL, *count_cols]], on=[CENTER, QUEUE, INTERVAL], how="outer"
    )
    df[count_cols] = df[count_cols].fillna(0)
    df = df.merge(live_q, on=QUEUE, how="left")
    df = df.merge(aht[[*aht_by, "aht_s"]], on=list(aht_by), how="left")
    df = df.merge(patience[[CENTER, CHANNEL, "patience_s"]], on=[CENTER, CHANNEL], how="left")
    df["interval_s"] = df["interval_s"].fillna(1800.0)
    df["productive_agents"] = df["productive_agents"].fillna(0.0)
    df["concurrency"] = df["concurrency"].fillna(1).clip(lower=1)
    df["patience_s"] = df["patience_s"].fillna(np.inf)
    df["aht_s"] = df["aht_s"].fillna(df["aht_s"].median()).fillna(300.0).clip(lower=1.0)
    df["rate_calls"] = smoothed_calls(df) if rate == "smoothed" else df["offered"]
    m = erlang(
        df["rate_calls"].to_numpy(float),
        df["interval_s"].to_numpy(float),
        df["aht_s"].to_numpy(float),
        df["productive_agents"].to_numpy(float),
        patience_s=df["patience_s"].to_numpy(float),
        answer_s=answer_s,
        short_abandon_s=short_abandon_s,
        concurrency=df["concurrency"].to_numpy(float),
    )
    offered = df["offered"].to_numpy(float)
    df["model_service_level"] = np.atleast_1d(m.service_level)
    df["model_abandon_rate"] = np.atleast_1d(m.abandon_rate)
    df["model_asa_s"] = np.atleast_1d(m.asa_s)
    df["model_occupancy"] = np.atleast_1d(m.occupancy)
    df["expected_within_t"] = offered * np.atleast_1d(m.service_level)
    df["expected_short"] = offered * np.atleast_1d(m.abandon_short_rate)
    df["expected_abandoned"] = offered * np.atleast_1d(m.abandon_rate)
    return df.sort_values([CENTER, QUEUE, INTERVAL]).reset_index(drop=True)


def compare_service_level(pred: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Observed vs predicted SL (default variant) and abandon rate per group of ``by``."""
    g = pred.groupby(by, as_index=False, observed=True)[
        [
            "offered",
            "answered_within_t",
            "abandoned",
            "abandoned_short",
            "expected_within_t",
            "expected_short",
            "expected_abandoned",
        ]
    ].sum()
    g["observed_sl"] = g["answered_within_t"] / (g["offered"] - g["abandoned_short"])
    g["predicted_sl"] = g["expected_within_t"] / (g["offered"] - g["expected_short"])
    g["observed_abandon"] = (g["abandoned"] - g["abandoned_short"]) / (
        g["offered"] - g["abandoned_short"]
    )
    g["predicted_abandon"] = (g["expected_abandoned"] - g["expected_short"]) / (
        g["offered"] - g["expected_short"]
    )
    g["sl_gap_points"] = 100 * (g["predicted_sl"] - g["observed_sl"])
    return g


# --------------------------------------------------------------------------- business hours


def open_mask(
    calendar_json: str | None, intervals: pd.Series, interval_s: int = 1800
) -> np.ndarray:
    """True where a local interval start lies in the center's weekly hours (not a closed date).

    ``calendar_json`` is ``centers.calendar_json``; holidays named by country code are closed via
    :mod:`ops.calendar`. None/empty: always open.
    """
    ts = pd.to_datetime(intervals)
    if not calendar_json:
        return np.ones(len(ts), dtype=bool)
    from ops.calendar import BusinessCalendar

    cal = BusinessCalendar.from_json(calendar_json)
    data = json.loads(calendar_json)
    weekly = data.get("weekly", {})
    secs = (ts.dt.hour * 3600 + ts.dt.minute * 60 + ts.dt.second).to_numpy()
    wd = ts.dt.weekday.to_numpy()
    out = np.zeros(len(ts), dtype=bool)
    for i, name in enumerate(WEEKDAYS):
        sel = wd == i
        for a, b in weekly.get(name, []):
            ha, ma = (int(x) for x in a.split(":"))
            hb, mb = (int(x) for x in b.split(":"))
            out |= sel & (secs >= ha * 3600 + ma * 60) & (secs < hb * 3600 + mb * 60)
    if len(ts):
        closed = cal.closed_days(ts.min().date(), ts.max().date())
        if closed:
            out &= ~ts.dt.date.isin(closed).to_numpy()
    return out


# --------------------------------------------------------------------------- requirements


@dataclass(frozen=True)
class PlanTargets:
    """Targets and planning factors for requirements (one set for all queues)."""

    target_sl: float = 0.8
    answer_s: float = 20.0
    max_occupancy: float | None = None
    shrinkage: float = 0.3
    use_patience: bool = True  # Erlang A with the estimated patience; False = Erlang C
    async_response_s: float = 3 * 3600.0
    interval_s: int = 1800


def requirements(
    volume: pd.DataFrame,
    queues: pd.DataFrame,
    centers: pd.DataFrame,
    targets: PlanTargets,
    patience: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Agents needed per center, queue and local interval for ``volume``.

    Live queues: :func:`required_agents` (Erlang A with the center x channel patience estimate when
    ``targets.use_patience`` and one exists, else Erlang C; chat concurrency from ``queues``). Async
    queues: :func:`backlog_agents` per pool over the whole horizon with the center's business hours,
    the level agents applied to open intervals. ``raw_agents`` stays unrounded for async work;
    ``scheduled_agents`` applies shrinkage per pool and interval (sum ``raw_agents`` and use
    :func:`combine_requirements` to total several pools).
    """
    missing = [c for c in VOLUME_COLUMNS if c not in volume.columns]
    if missing:
        raise StaffingError(
            f"volume frame misses column(s) {missing}; expected {list(VOLUME_COLUMNS)}"
        )
    v = volume.merge(queues[[QUEUE, CHANNEL, MODE, "concurrency"]], on=QUEUE, how="left")
    v["concurrency"] = v["concurrency"].fillna(1).clip(lower=1)
    v["aht_s"] = v["aht_s"].fillna(v["aht_s"].median()).fillna(300.0).clip(lower=1.0)
    if patience is not None and targets.use_patience:
        v = v.merge(patience[[CENTER, CHANNEL, "patience_s"]], on=[CENTER, CHANNEL], how="left")
    else:
        v["patience_s"] = np.inf
    v["patience_s"] = v["patience_s"].fillna(np.inf)
    parts = []
    live = v[v[MODE] != "async"]
    if len(live):
        req = required_agents(
            live["calls"].to_numpy(float),
            targets.interval_s,
            live["aht_s"].to_numpy(float),
            target_sl=targets.target_sl,
            answer_s=targets.answer_s,
            max_occupancy=targets.max_occupancy,
            shrinkage=targets.shrinkage,
            patience_s=live["patience_s"].to_numpy(float),
            concurrency=live["concurrency"].to_numpy(float),
        )
        out = live[
            [CENTER, QUEUE, CHANNEL, MODE, INTERVAL, "calls", "aht_s", "concurrency", "patience_s"]
        ].reset_index(drop=True)
        out["raw_agents"] = req["raw_agents"].to_numpy(float)
        out["scheduled_agents"] = req["scheduled_agents"].to_numpy(float)
        out["service_level"] = req["service_level"].to_numpy()
        out["occupancy"] = req["occupancy"].to_numpy()
        parts.append(out)
    cal = dict(
        zip(centers[CENTER], centers.get("calendar_json", pd.Series(dtype=str)), strict=False)
    )
    for (cid, qid), g0 in v[v[MODE] == "async"].groupby([CENTER, QUEUE]):
        # A complete time grid: intervals without contacts still count as open (or closed) time.
        first = pd.Timestamp(g0[INTERVAL].min()).normalize()
        last = pd.Timestamp(g0[INTERVAL].max()).normalize() + pd.Timedelta(days=1)
        grid = pd.date_range(first, last, freq=f"{targets.interval_s}s", inclusive="left")
        g = g0.set_index(INTERVAL).reindex(grid)
        g.index.name = INTERVAL
        g = g.reset_index()
        g[CENTER], g[QUEUE] = str(cid), str(qid)
        g[CHANNEL], g[MODE] = str(g0[CHANNEL].iloc[0]), "async"
        g["calls"] = g["calls"].fillna(0.0)
        g["aht_s"] = g["aht_s"].fillna(float(g0["aht_s"].mean()))
        is_open = open_mask(cal.get(cid), g[INTERVAL], targets.interval_s)
        if not is_open.any() or g["calls"].sum() == 0:
            continue
        aht = float(np.average(g["aht_s"], weights=g["calls"] + 1e-9))
        plan = backlog_agents(
            g["calls"].to_numpy(float),
            is_open,
            interval_s=targets.interval_s,
            handle_s=aht,
            response_s=max(targets.async_response_s, aht * 1.01),
        )
        out = g[[CENTER, QUEUE, CHANNEL, MODE, INTERVAL, "calls", "aht_s"]].reset_index(drop=True)
        out["concurrency"], out["patience_s"] = 1.0, np.inf
        out["raw_agents"] = plan.frame["agents"].to_numpy()
        out["scheduled_agents"] = scheduled_from_raw(out["raw_agents"], targets.shrinkage)
        out["service_level"] = np.nan
        out["occupancy"] = np.where(
            out["raw_agents"] > 0,
            plan.frame["workload_agents"].to_numpy()
            / out["raw_agents"].where(out["raw_agents"] > 0, 1),
            np.nan,
        )
        parts.append(out)
    if not parts:
        return pd.DataFrame(
            columns=[*VOLUME_COLUMNS, CHANNEL, MODE, "raw_agents", "scheduled_agents"]
        )
    return pd.concat(parts, ignore_index=True).sort_values([CENTER, QUEUE, INTERVAL])


NO_SCHEDULE = "no schedule"


def schedule_span(reader: Any, *, centers: list[str] | None = None) -> pd.DataFrame:
    """First and last local day with stored schedule rows per center and queue (whole store).

    Columns ``center_id, queue_id, first_day, last_day`` (dates). A day between the two without rows
    is a day the stored roster leaves empty (a closed day: zero agents); a day outside them has no
    stored schedule at all.
    """
    from ibis import _

    s = reader.table("schedules")
    if centers:
        s = s.filter(_.center_id.isin(centers))
    expr = s.group_by([CENTER, QUEUE]).aggregate(
        first=_.interval_local.min(), last=_.interval_local.max()
    )
    df = reader.execute(expr)
    out = pd.DataFrame(
        {
            CENTER: df[CENTER].astype(str),
            QUEUE: df[QUEUE].astype(str),
            "first_day": pd.to_datetime(df["first"]).dt.date,
            "last_day": pd.to_datetime(df["last"]).dt.date,
        }
    )
    return out.sort_values([CENTER, QUEUE]).reset_index(drop=True)


def _span_of_frame(schedule: pd.DataFrame) -> pd.DataFrame:
    """:func:`schedule_span` of a schedule frame (its own first and last day per pool)."""
    if schedule.empty:
        return pd.DataFrame(columns=[CENTER, QUEUE, "first_day", "last_day"])
    day = pd.to_datetime(schedule[INTERVAL]).dt.date
    out = (
        schedule.assign(_day=day)
        .groupby(POOL_KEYS)["_day"]
        .agg(first_day="min", last_day="max")
        .reset_index()
    )
    return pd.DataFrame(out)


def coverage(
    req: pd.DataFrame, schedule: pd.DataFrame, span: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Requirement vs schedule per pool and interval: ``gap = schedule - requirement`` (+ over, - under).

    Columns (agents are heads present in the interval, i.e. agent-seconds / interval seconds):

    * ``raw_agents``: productive agents the target needs (Erlang / backlog), before shrinkage;
    * ``required_agents``: ``raw_agents`` grossed up for shrinkage: heads to schedule;
    * ``productive_agents`` / ``rostered_agents``: productive and scheduled agents of the stored
      schedule;
    * ``gap_productive = productive_agents - raw_agents``,
      ``gap_scheduled = rostered_agents - required_agents``;
    * ``schedule_stored``: whether a schedule is stored for the pool on that local day: the day lies
      between the pool's first and last scheduled day of ``span`` (:func:`schedule_span`; default:
      the days of ``schedule`` itself);
    * ``status``: ``under`` / ``over`` / ``ok`` from ``gap_productive``, or ``no schedule`` where
      none is stored: there the schedule columns and gaps are NaN, not a roster of zero agents.
    """
    span = _span_of_frame(schedule) if span is None else span
    req = req.rename(columns={"scheduled_agents": "required_agents"})
    df = req.merge(
        schedule[[CENTER, QUEUE, INTERVAL, "productive_agents", "scheduled_agents"]].rename(
            columns={"scheduled_agents": "rostered_agents"}
        ),
        on=[CENTER, QUEUE, INTERVAL],
        how="outer",
    )
    for c in ("raw_agents", "required_agents", "productive_agents", "rostered_agents"):
        df[c] = df[c].fillna(0.0)
    day = pd.to_datetime(df[INTERVAL]).dt.date
    sp = df[POOL_KEYS].merge(span[[*POOL_KEYS, "first_day", "last_day"]], on=POOL_KEYS, how="left")
    first = sp["first_day"].to_numpy(object)
    last = sp["last_day"].to_numpy(object)
    days = day.to_numpy(object)
    stored = np.array(
        [
            f is not None and not pd.isna(f) and f <= d <= la
            for f, la, d in zip(first, last, days, strict=True)
        ],
        dtype=bool,
    )
    df["schedule_stored"] = stored
    df.loc[~stored, ["productive_agents", "rostered_agents"]] = np.nan
    df["gap_scheduled"] = df["rostered_agents"] - df["required_agents"]
    df["gap_productive"] = df["productive_agents"] - df["raw_agents"]
    df["status"] = np.where(
        ~stored,
        NO_SCHEDULE,
        np.where(
            df["gap_productive"] < -1e-9,
            "under",
            np.where(df["gap_productive"] > 1e-9, "over", "ok"),
        ),
    )
    return df.sort_values([CENTER, QUEUE, INTERVAL]).reset_index(drop=True)


def _day_ranges(days: list[date]) -> str:
    """``2026-11-24 .. 2026-11-30, 2026-12-03`` for a sorted list of days."""
    parts: list[str] = []
    i = 0
    while i < len(days):
        j = i
        while j + 1 < len(days) and days[j + 1] == days[j] + timedelta(days=1):
            j += 1
        parts.append(
            days[i].isoformat() if i == j else f"{days[i].isoformat()} .. {days[j].isoformat()}"
        )
        i = j + 1
    return ", ".join(parts)


def schedule_gaps(
    cov: pd.DataFrame, span: pd.DataFrame, start: date, end: date
) -> list[dict[str, Any]]:
    """Per center with plan days in ``[start, end)`` outside a pool's stored schedule: the facts.

    Keys: ``center_id``, ``pools_short`` and ``pools`` (queues of the center lacking a schedule on
    some plan day, and all its queues in the plan), ``days`` (the missing days as ranges, e.g.
    ``2026-12-07 .. 2026-12-13``), ``n_missing``, ``n_days``, ``stored_from``/``stored_to`` (the
    center's stored schedules, None when it has none). ``span``: :func:`schedule_span`; a pool's
    day is covered when it lies between the pool's first and last stored schedule day.
    """
    if cov.empty:
        return []
    n_days = (end - start).days
    window = [start + timedelta(days=i) for i in range(n_days)]
    bounds = {
        (str(r[CENTER]), str(r[QUEUE])): (r["first_day"], r["last_day"])
        for r in span.to_dict(orient="records")
    }
    out: list[dict[str, Any]] = []
    pools = cov[POOL_KEYS].drop_duplicates().sort_values(POOL_KEYS)
    for cid, g in pools.groupby(CENTER, sort=True):
        missing_by_pool = {}
        for qid in g[QUEUE]:
            lo, hi = bounds.get((str(cid), str(qid)), (None, None))
            missing_by_pool[qid] = [d for d in window if lo is None or not lo <= d <= hi]
        missing = sorted({d for v in missing_by_pool.values() for d in v})
        if not missing:
            continue
        stored = [v for k, v in bounds.items() if k[0] == cid]
        out.append(
            {
                "center_id": str(cid),
                "pools_short": sum(1 for v in missing_by_pool.values() if v),
                "pools": len(g),
                "days": _day_ranges(missing),
                "n_missing": len(missing),
                "n_days": n_days,
                "stored_from": min(v[0] for v in stored) if stored else None,
                "stored_to": max(v[1] for v in stored) if stored else None,
            }
        )
    return out


def schedule_notes(cov: pd.DataFrame, span: pd.DataFrame, start: date, end: date) -> list[str]:
    """One sentence per center of :func:`schedule_gaps` (empty when every day is covered)."""
    return gap_sentences(schedule_gaps(cov, span, start, end))


def gap_sentences(gaps: list[dict[str, Any]]) -> list[str]:
    """The English sentence of each :func:`schedule_gaps` entry."""
    notes = []
    for gap in gaps:
        short, total = gap["pools_short"], gap["pools"]
        which = "all queues" if short == total else f"{short} of its {total} queues"
        have = (
            f"; stored schedules run {gap['stored_from']} .. {gap['stored_to']}"
            if gap["stored_from"] is not None
            else "; no schedule is stored for it at all"
        )
        notes.append(
            f"No stored schedule for {gap['center_id']} ({which}) on {gap['days']} "
            f"({gap['n_missing']} of {gap['n_days']} plan days{have}): those intervals have status "
            f"'{NO_SCHEDULE}', no gap and no schedule SL. Import schedules to compare."
        )
    return notes


def schedule_delivers(cov: pd.DataFrame, targets: PlanTargets) -> pd.DataFrame:
    """Add what the rostered schedule would deliver on the plan's volume (live queues).

    Erlang A at ``productive_agents`` x concurrency with the pool's patience estimate (Erlang C when
    none): ``schedule_service_level`` (answered within T / offered) and ``schedule_abandon_rate``.
    Async rows and rows without a stored schedule (``schedule_stored`` False) get NaN; intervals
    without volume get 1.0 / 0.0.
    """
    out = cov.copy()
    out["schedule_service_level"] = np.nan
    out["schedule_abandon_rate"] = np.nan
    live = (out[MODE] == "live").to_numpy() if MODE in out.columns else np.zeros(len(out), bool)
    if "schedule_stored" in out.columns:
        live &= out["schedule_stored"].to_numpy(bool)  # no roster stored: nothing to evaluate
    if not live.any():
        return out
    rows = out[live]
    calls = rows["calls"].fillna(0.0).to_numpy(float)
    aht = rows["aht_s"].fillna(rows["aht_s"].median()).fillna(300.0).clip(lower=1.0)
    m = erlang(
        calls,
        targets.interval_s,
        aht.to_numpy(float),
        rows["productive_agents"].to_numpy(float),
        patience_s=rows["patience_s"].fillna(np.inf).to_numpy(float),
        answer_s=targets.answer_s,
        concurrency=rows["concurrency"].fillna(1.0).clip(lower=1.0).to_numpy(float),
        compute_asa=False,
    )
    out.loc[live, "schedule_service_level"] = np.atleast_1d(m.service_level)
    out.loc[live, "schedule_abandon_rate"] = np.atleast_1d(m.abandon_rate)
    return out


def gap_table(cov: pd.DataFrame, value: str = "gap_productive") -> pd.DataFrame:
    """Weekday x time-of-day table of the mean gap (rows: HH:MM, columns: mon..sun).

    Intervals without a stored schedule (gap NaN) are left out of the mean, not counted as zero.
    """
    ts = pd.to_datetime(cov[INTERVAL])
    df = pd.DataFrame(
        {
            "weekday": ts.dt.weekday.map(dict(enumerate(WEEKDAYS))),
            "time": ts.dt.strftime("%H:%M"),
            "value": cov[value],
        }
    )
    # Sum over pools within an interval first, then average over the weeks.
    per = (
        df.assign(day=ts.dt.date)
        .groupby(["day", "weekday", "time"], as_index=False)["value"]
        .sum(min_count=1)
    )
    tab = per.pivot_table(index="time", columns="weekday", values="value", aggfunc="mean")
    return tab.reindex(columns=[d for d in WEEKDAYS if d in tab.columns]).sort_index()


# --------------------------------------------------------------------------- volume for a plan


def _history_volume(counts: pd.DataFrame) -> pd.DataFrame:
    v = counts.copy()
    v["calls"] = v["offered"].astype(float)
    # AHT as the registry defines it: handle seconds / contacts handled (with a handle time)
    v["aht_s"] = v["handle_sum_s"] / v["handled"].where(v["handled"] > 0)
    # Per-pool mean AHT where the interval had no handled contact.
    pool_aht = v.groupby(POOL_KEYS)["handle_sum_s"].transform("sum") / v.groupby(POOL_KEYS)[
        "handled"
    ].transform("sum").clip(lower=1)
    v["aht_s"] = v["aht_s"].fillna(pool_aht)
    return v[[CENTER, QUEUE, INTERVAL, "calls", "aht_s"]]


AHT_PRIOR_CALLS = 20.0


def _weekly_profile(counts: pd.DataFrame) -> pd.DataFrame:
    """Calls and AHT per pool, weekday and time of day summed over a history window.

    AHT per slot is shrunk toward the pool's mean AHT as if ``AHT_PRIOR_CALLS`` calls at the pool
    mean had been seen (``(work + 20 * pool_aht) / (handled + 20)``): a slot mean of a handful of
    calls is noise, and the Erlang formulas turn noisy AHT into extra agents.
    """
    v = counts.copy()
    ts = pd.to_datetime(v[INTERVAL])
    v["dow"], v["tod"] = ts.dt.weekday, ts - ts.dt.normalize()
    prof = v.groupby([CENTER, QUEUE, "dow", "tod"], as_index=False)[
        ["offered", "handled", "handle_sum_s"]
    ].sum()
    pool = v.groupby(POOL_KEYS)[["handled", "handle_sum_s"]].sum()
    pool_aht = (pool["handle_sum_s"] / pool["handled"].where(pool["handled"] > 0)).rename(
        "pool_aht"
    )
    prof = prof.join(pool_aht, on=POOL_KEYS)
    prof["pool_aht"] = prof["pool_aht"].fillna(300.0)
    prof["aht_s"] = (prof["handle_sum_s"] + AHT_PRIOR_CALLS * prof["pool_aht"]) / (
        prof["handled"] + AHT_PRIOR_CALLS
    )
    prof["calls"] = prof["offered"].astype(float)
    return prof[[CENTER, QUEUE, "dow", "tod", "calls", "aht_s"]]


def _forecast_volume(
    reader: Any, start: date, end: date, *, centers: list[str] | None = None
) -> tuple[pd.DataFrame, str, dict[str, Any]] | None:
    """Interval volume from the newest stored forecast run covering ``[start, end)``, or None."""
    from ibis import _

    f = reader.table("forecasts").filter(
        (_.ds >= _ts(start)) & (_.ds < _ts(end)) & _.queue_id.notnull() & _.center_id.notnull()
    )
    if centers:
        f = f.filter(_.center_id.isin(centers))
    runs = reader.table("forecast_runs").select("run_id", "created_at")
    latest = f.join(runs, "run_id").order_by(_.created_at.desc()).select("run_id", "created_at")
    top = reader.execute(latest.limit(1))
    if top.empty:
        return None
    run_id, created = str(top.iloc[0]["run_id"]), top.iloc[0]["created_at"]
    fc = reader.execute(f.filter(_.run_id == run_id).select(CENTER, QUEUE, "ds", "yhat"))
    fc["day"] = pd.to_datetime(fc["ds"]).dt.normalize()
    if fc["day"].nunique() < 0.9 * (end - start).days:
        return None
    h_start = start - timedelta(days=28)
    hist = interval_counts(reader, h_start, start, centers=centers)
    if hist.empty:
        return None
    prof = _weekly_profile(hist)
    prof["share"] = prof["calls"] / prof.groupby([CENTER, QUEUE, "dow"])["calls"].transform("sum")
    fc["dow"] = fc["day"].dt.weekday
    out = fc.merge(prof[[CENTER, QUEUE, "dow", "tod", "share", "aht_s"]], on=[CENTER, QUEUE, "dow"])
    out[INTERVAL] = out["day"] + out["tod"]
    out["calls"] = out["yhat"].clip(lower=0) * out["share"]
    src = (
        f"stored forecast run {run_id} (created {created}), spread by the weekday x time profile "
        f"of {h_start} .. {start - timedelta(days=1)}"
    )
    cols = [CENTER, QUEUE, INTERVAL, "calls", "aht_s"]
    basis = {"kind": "forecast", "run_id": run_id, "created": str(created),
             "profile_from": h_start, "profile_to": start - timedelta(days=1)}  # fmt: skip
    return out[cols].sort_values([CENTER, QUEUE, INTERVAL]).reset_index(drop=True), src, basis


def contact_days(reader: Any) -> pd.DataFrame:
    """First and last local day with contacts per center the reader sees (whole store).

    Columns ``center_id, first_day, last_day``: the days the store's contact data covers, so a
    history mean can leave out weeks before a center's data starts or after the store's ends.
    """
    from ibis import _

    c = reader.table("contacts")
    df = reader.execute(
        c.group_by(CENTER).aggregate(first=_.created_local.min(), last=_.created_local.max())
    )
    return pd.DataFrame(
        {
            CENTER: df[CENTER].astype(str),
            "first_day": pd.to_datetime(df["first"]).dt.date,
            "last_day": pd.to_datetime(df["last"]).dt.date,
        }
    ).sort_values(CENTER, ignore_index=True)


@dataclass(frozen=True)
class HistoryBasis:
    """Which days a center's history mean averages: ``weeks`` full weeks ``first .. last``, or
    (``weeks == 0``) the ``days`` days with data when not one full week has data."""

    center_id: str
    weeks: int
    days: int
    first: date
    last: date


def history_mean_profile(
    hist: pd.DataFrame,
    start: date,
    n_weeks: int,
    data_days: pd.DataFrame,
    closed: dict[str, set[date]] | None = None,
) -> tuple[pd.DataFrame, list[HistoryBasis]]:
    """Mean calls per pool, weekday and time of day over the history weeks that have data.

    ``closed`` (per center: holidays and closed dates) are left out of the mean: a Chuseok Monday
    is not a Monday's demand, so a weekday's divisor counts only its ordinary days.

    The history window is the ``n_weeks`` 7-day blocks before ``start``
    (``[start - 7k, start - 7k + 7)``, k = 1..n_weeks). A block counts for a center only when the
    store's contact data covers all of it: it starts on or after the center's first contact day and
    ends on or before the last contact day of the store (``data_days``, :func:`contact_days`).
    calls(pool, weekday, time) = Σ calls in the counted blocks ÷ N, N = the number of counted blocks
    (weeks before the data starts are NOT zeros: averaging them in understates volume). A week
    with data and no contact in a slot still counts as zero there. A center without one full week
    of data: the mean per weekday over the days with data (Σ ÷ number of such weekdays). AHT as
    :func:`_weekly_profile` over the same days.
    """
    h_start = start - timedelta(days=7 * n_weeks)
    firsts = dict(zip(data_days[CENTER], data_days["first_day"], strict=True))
    store_last = max(data_days["last_day"]) if len(data_days) else start - timedelta(days=1)
    store_last = min(store_last, start - timedelta(days=1))
    day = pd.to_datetime(hist[INTERVAL]).dt.date
    parts, basis = [], []
    for cid, g in hist.assign(_day=day).groupby(CENTER, sort=True):
        first = max(firsts.get(str(cid), h_start), h_start)
        blocks = [
            (start - timedelta(days=7 * k), start - timedelta(days=7 * k - 6))
            for k in range(1, n_weeks + 1)
        ]
        full = [(b0, b1) for b0, b1 in blocks if b0 >= first and b1 <= store_last]
        off = (closed or {}).get(str(cid), set())
        if full:
            lo, hi = min(b[0] for b in full), max(b[1] for b in full)
            keep = g[(g["_day"] >= lo) & (g["_day"] <= hi)]
            days_in = [b0 + timedelta(days=i) for b0, _ in full for i in range(7)]
            basis.append(HistoryBasis(str(cid), len(full), 7 * len(full), lo, hi))
        else:
            lo, hi = first, store_last
            if lo > hi:
                continue
            keep = g[(g["_day"] >= lo) & (g["_day"] <= hi)]
            days_in = [lo + timedelta(days=i) for i in range((hi - lo).days + 1)]
            basis.append(HistoryBasis(str(cid), 0, len(days_in), lo, hi))
        divisor: dict[int, float] = {}
        for d in days_in:
            if d not in off:
                divisor[d.weekday()] = divisor.get(d.weekday(), 0.0) + 1.0
        if off:
            keep = keep[~keep["_day"].isin(off)]
        if keep.empty:
            continue
        prof = _weekly_profile(keep.drop(columns="_day"))
        prof = prof[prof["dow"].isin(list(divisor))]
        prof["calls"] = prof["calls"] / prof["dow"].map(divisor)
        parts.append(prof)
    cols = [CENTER, QUEUE, "dow", "tod", "calls", "aht_s"]
    prof = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    return prof, basis


def _basis_sentence(basis: list[HistoryBasis], n_weeks: int, data_days: pd.DataFrame) -> str:
    """Where a history-mean volume came from, in one sentence."""

    def one(b: HistoryBasis) -> str:
        if b.weeks:
            return f"{b.weeks} full week(s) with data ({b.first} .. {b.last})"
        return f"{b.days} day(s) with data, less than a full week ({b.first} .. {b.last})"

    kinds = {(b.weeks, b.days, b.first, b.last) for b in basis}
    if len(kinds) == 1:
        text = f"mean of the {one(basis[0])} by weekday and time"
    else:
        text = "mean of the weeks with data by weekday and time: " + "; ".join(
            f"{b.center_id} {one(b)}" for b in basis
        )
    if any(b.weeks < n_weeks for b in basis) and len(data_days):
        starts = ", ".join(
            f"{r[CENTER]} {r['first_day']}"
            for r in data_days.to_dict(orient="records")
            if r[CENTER] in {b.center_id for b in basis}
        )
        text += (
            f"; the other weeks of the {n_weeks}-week window have no or partial data and are left "
            f"out, not counted as zero (contacts start: {starts})"
        )
    return text


def plan_volume(
    reader: Any, start: date, weeks: int, *, centers: list[str] | None = None
) -> tuple[pd.DataFrame, str]:
    """Interval volume for ``weeks`` weeks from ``start`` and a sentence saying where it came from
    (see :func:`plan_volume_basis`)."""
    volume, sentence, _ = plan_volume_basis(reader, start, weeks, centers=centers)
    return volume, sentence


def plan_volume_basis(
    reader: Any, start: date, weeks: int, *, centers: list[str] | None = None
) -> tuple[pd.DataFrame, str, dict[str, Any]]:
    """Interval volume for ``weeks`` weeks from ``start``, the sentence saying where it came from
    and the same facts as a dict (``kind``: forecast | last_year | history, with their dates) for
    a caller that words it in another language.

    Order: the latest stored forecast run (``ccops forecast run``: daily volume per center x queue)
    when it covers the plan's days, spread over the day by each pool's weekday x time-of-day share of
    the last 4 weeks; else the same weeks of the previous year (364 days back, same weekdays) when the
    store has history for at least 90 % of those days; else the mean weekday x time-of-day volume
    over the full weeks with data among the last ``max(weeks, 4)`` weeks before ``start``
    (:func:`history_mean_profile`), repeated over the plan's days.
    """
    end = start + timedelta(days=7 * weeks)
    stored = _forecast_volume(reader, start, end, centers=centers)
    if stored is not None:
        return stored
    ly_start, ly_end = start - timedelta(days=364), end - timedelta(days=364)
    ly = interval_counts(reader, ly_start, ly_end, centers=centers)
    days_ly = pd.to_datetime(ly[INTERVAL]).dt.date.nunique() if len(ly) else 0
    if days_ly >= 0.9 * 7 * weeks:
        v = _history_volume(ly)
        v[INTERVAL] = v[INTERVAL] + pd.Timedelta(days=364)
        v, closed, closed_days = _without_closed_days(reader, v, start, end)
        facts_ly = {"kind": "last_year", "from": ly_start, "to": ly_end - timedelta(days=1),
                    "closed": closed_days}  # fmt: skip
        sentence = f"same weeks last year ({ly_start} .. {ly_end - timedelta(days=1)}){closed}"
        return v, sentence, facts_ly
    n_hist = max(weeks, 4)
    h_start = start - timedelta(days=7 * n_hist)
    hist = interval_counts(reader, h_start, start, centers=centers)
    if hist.empty:
        raise StaffingError(
            f"No history before {start} to plan from (looked at {h_start} .. {start}); import "
            "contacts or store a forecast first."
        )
    # Mean of each weekday x time-of-day over the history weeks with data: one week's raw counts
    # are Poisson noise, and Erlang turns noise into extra agents.
    data_days = contact_days(reader)
    from ops.calendar import center_calendars

    hist_closed = {
        c: cal.closed_days(h_start, start - timedelta(days=1))
        for c, cal in center_calendars(reader.centers()).items()
    }
    prof, basis = history_mean_profile(hist, start, n_hist, data_days, hist_closed)
    if prof.empty:
        raise StaffingError(
            f"No day with contact data in {h_start} .. {start - timedelta(days=1)} to plan from; "
            "import contacts or store a forecast first."
        )
    days = pd.DataFrame({"day": pd.date_range(pd.Timestamp(start), periods=7 * weeks, freq="D")})
    days["dow"] = days["day"].dt.weekday
    out = prof.merge(days, on="dow")
    out[INTERVAL] = out["day"] + out["tod"]
    out, closed, closed_days = _without_closed_days(
        reader, out[[CENTER, QUEUE, INTERVAL, "calls", "aht_s"]], start, end
    )
    starts = {
        str(r[CENTER]): r["first_day"]
        for r in data_days.to_dict(orient="records")
        if r[CENTER] in {b.center_id for b in basis}
    }
    facts = {
        "kind": "history",
        "basis": [
            {"center_id": b.center_id, "weeks": b.weeks, "days": b.days, "first": b.first,
             "last": b.last}
            for b in basis
        ],
        "window_weeks": n_hist,
        "partial": bool(any(b.weeks < n_hist for b in basis) and len(data_days)),
        "starts": starts,
        "closed": closed_days,
    }  # fmt: skip
    return (
        out.sort_values([CENTER, QUEUE, INTERVAL]),
        _basis_sentence(basis, n_hist, data_days) + closed,
        facts,
    )


def _without_closed_days(
    reader: Any, volume: pd.DataFrame, start: date, end: date
) -> tuple[pd.DataFrame, str, dict[str, list[date]]]:
    """``volume`` with no calls on a center's holidays and closed dates in ``start`` .. ``end``.

    History-based plans repeat a weekday's profile, so a Monday that is a (substitute) holiday would
    otherwise get a normal Monday's volume while the center is closed; a forecast run already knows
    its holidays. Returns the frame, a clause for the volume sentence naming the days, and the
    days per center.
    """
    from ops.calendar import center_calendars

    cals = center_calendars(reader.centers())
    last = end - timedelta(days=1)
    closed = {c: cal.closed_days(start, last) for c, cal in cals.items()}
    closed = {c: d for c, d in closed.items() if d}
    if not closed or volume.empty:
        return volume, "", {}
    day = pd.to_datetime(volume[INTERVAL]).dt.date
    hit = np.array(
        [d in closed.get(str(c), ()) for c, d in zip(volume[CENTER], day, strict=True)], dtype=bool
    )
    if not hit.any():
        return volume, "", {}
    volume = volume.copy()
    volume.loc[hit, "calls"] = 0.0
    names = "; ".join(
        f"{c} {', '.join(str(d) for d in sorted(days))}" for c, days in sorted(closed.items())
    )
    days = {c: sorted(d) for c, d in sorted(closed.items())}
    return volume, f"; no volume on the centers' holidays and closed dates ({names})", days


def plan(
    reader: Any,
    start: date,
    weeks: int,
    *,
    centers: list[str] | None = None,
    targets: PlanTargets | None = None,
) -> dict[str, Any]:
    """Requirements, coverage vs the stored schedule, the gap table and the source of the volume.

    Returns ``{"volume_source", "requirements", "coverage", "gap_table", "patience",
    "schedule_span", "schedule_notes", "schedule_gaps"}``: ``coverage`` marks the days without a stored schedule
    (``status == "no schedule"``, see :func:`coverage`); ``schedule_span`` is
    :func:`schedule_span` and ``schedule_notes`` says, per center, which plan days have none.
    """
    if weeks < 1:
        raise StaffingError(f"weeks must be >= 1, got {weeks!r}")
    targets = targets or PlanTargets()
    volume, source, volume_basis = plan_volume_basis(reader, start, weeks, centers=centers)
    queues = reader.execute(reader.table("queues"))
    center_df = reader.centers()
    if centers:
        center_df = center_df[center_df[CENTER].isin(centers)]
    # Patience from the most recent weeks of history before the plan.
    hist = interval_counts(
        reader, start - timedelta(days=7 * max(weeks, 4)), start, centers=centers
    )
    patience = patience_estimates(hist) if len(hist) else None
    req = requirements(volume, queues, center_df, targets, patience)
    end = start + timedelta(days=7 * weeks)
    sched = schedule_intervals(reader, start, end, centers=centers)
    span = schedule_span(reader, centers=centers)
    cov = coverage(req, sched, span)
    cov = schedule_delivers(cov, targets)
    gaps = schedule_gaps(cov, span, start, end)
    return {
        "volume_source": source,
        "volume_basis": volume_basis,
        "requirements": req,
        "coverage": cov,
        "gap_table": gap_table(cov) if len(cov) else pd.DataFrame(),
        "patience": patience,
        "schedule_span": span,
        "schedule_notes": gap_sentences(gaps),
        "schedule_gaps": gaps,
    }
