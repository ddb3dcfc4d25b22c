"""SLA early warning: where each contract line will land this period, and what it still takes.

Vendor managers learn after the month closes that a line was missed and a penalty is due; the data
to see it coming is already in the store. For every contract line in force at ``as_of`` this module
answers, on the center's own clock:

- **so far**: the line's value over its period up to ``as_of`` with the counts behind it (the
  registry formula through the compliance engine's grouped query, so the same number compliance
  reports for a closed period);
- **projected**: the period-end value if the remaining time runs (a) at the rate so far (for a
  ratio that is the value so far) and (b) at the last 4 weeks' rate by weekday x interval, on the
  remaining volume, with a band from the volume's range;
- **remaining volume**: from the newest stored forecast run that existed at ``as_of`` and has
  rows of the line's center and queues through the end of its month (else the newest with rows on
  some remaining days, the others at the same-weekday volume; :func:`_pick_run`), its daily
  ``yhat``, ``yhat_lo``, ``yhat_hi`` spread over the remaining intervals with the last 4 weeks'
  weekday x interval profile; without one, the last 4 weeks' same-weekday volume (band: their
  lowest and highest week). The method is named on every line;
- **required rest-of-period value** (:func:`required_rest_of_period`) and whether it is still
  reachable; for service-level lines the agents per interval the staffing engine
  (:mod:`ops.staffing.planning`, Erlang A) needs for that value over the stored schedule, as FTE
  and cost;
- **projected penalty or credit** from the contract's tiers (:func:`ops.sla.compliance.penalty_statement`)
  with the arithmetic, at the projection and at both ends of its band;
- **intraday watch** for today: intervals below target, contacts waiting now, agents needed now.

"As of" is an instant: the store is read as it was known then (:class:`KnownAtReader`): contacts
created before it, outcomes (answer, abandon, resolution, first response, survey) only when they
happened before it (a contact's survey scores: when the contact had ended), so a backtest on history sees what a live store would have shown.

Metrics that can be projected are the additive ratio and mean metrics of contacts, surveys and QA
evaluations (service levels, abandon and response rates, CSAT top-2 share, CES and QA means, ...).
Counts, quantiles (median/p90 response times), % intervals meeting SL, occupancy (two tables) and
backlog are shown so far where they can be, and say plainly that they are not projected.
"""

from __future__ import annotations

import calendar as _cal
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

import ibis
import numpy as np
import pandas as pd
from pydantic import BaseModel

from ops.errors import ConfigError
from ops.sla.compliance import (
    ADDITIVE_KINDS,
    LineIdentity,
    PenaltyStatement,
    _Job,
    _line_values,
    fmt_value,
    penalty_statement,
    shortfall_points,
)
from ops.sla.contracts import AlertRules, Contract, ContractLine, stored_contracts
from ops.sla.metrics import MetricContext
from ops.sla.registry import METRICS, Metric, MetricParams
from ops.sla.sources import as_timestamp_literal, bot_contained_expr

RATE_WEEKS = 4  # the "last 4 weeks" of the rate profile and the same-weekday volume
PROFILE_DAYS = 7 * RATE_WEEKS
INTERVAL_MINUTES = 30
FTE_HOURS_PER_WEEK = 40.0
DEFAULT_SHRINKAGE = 0.30
PROJECTABLE_SOURCES = ("contacts", "surveys", "qa")

VolumeMethod = Literal["forecast", "same_weekday", "none"]
RequiredStatus = Literal["needed", "secured", "not_reachable", "final", "unknown"]
Risk = Literal["at_risk", "watch", "on_track", "missed", "met", "unknown"]


# --- the arithmetic ------------------------------------------------------------------------------
def required_rest_of_period(
    target: float,
    done_num: float,
    done_den: float,
    remaining_den: float,
    *,
    scale: float = 1.0,
) -> float | None:
    """The value the remaining contacts must reach for the period to end exactly on target.

    For a metric ``value = scale x num / den`` with ``done_num / done_den`` so far and
    ``remaining_den`` denominator units still to come (contacts offered, responses, evaluations)::

        required = (target / scale x (done_den + remaining_den) - done_num) / remaining_den x scale

    i.e. ``required = (target x (done_den + remaining_den) - done_num) / remaining_den`` for a
    plain ratio (scale 1). Example: 600 of 1,000 expected contacts offered, 450 answered within
    20 s (75 %): the remaining 400 need (0.8 x 1,000 - 450) / 400 = 87.5 % for an 80 % month.

    The same formula serves "higher is better" metrics (service level, response rate, CSAT as the
    top-2 share, CES and QA means over their sums: the rest must reach *at least* ``required``)
    and "lower is better" ones (abandon rate, ASA: the rest may reach *at most* ``required``);
    :func:`requirement_status` reads it by direction. None when nothing remains
    (``remaining_den <= 0``): the period's value is final.
    """
    if remaining_den <= 0:
        return None
    t = target / scale
    return (t * (done_den + remaining_den) - done_num) / remaining_den * scale


def value_range(metric: Metric) -> tuple[float, float]:
    """The values a metric can take (a ratio 0-1, CES 1-7, QA 0-100, NPS -100-100, seconds >= 0)."""
    if metric.target_range is not None:
        return metric.target_range
    return (0.0, 1.0) if metric.unit == "ratio" else (0.0, float("inf"))


def requirement_status(required: float | None, direction: str, bounds: tuple[float, float]) -> str:
    """``needed``, ``secured`` (even the worst possible rest keeps the target), ``not_reachable``
    (even the best possible rest cannot save it: above 100 % for an SL, below 0 % abandons for
    an abandon rate) or ``final`` (nothing remains)."""
    if required is None:
        return "final"
    lo, hi = bounds
    tol = 1e-12
    if direction == "lower":
        if required < lo - tol:
            return "not_reachable"
        return "secured" if required >= hi - tol else "needed"
    if required > hi + tol:
        return "not_reachable"
    return "secured" if required <= lo + tol else "needed"


def projected_value(
    done_num: float, done_den: float, remaining_num: float, remaining_den: float, scale: float = 1.0
) -> float | None:
    """``scale x (done_num + remaining_num) / (done_den + remaining_den)``; None with no denominator."""
    den = done_den + remaining_den
    if den <= 0:
        return None
    return scale * (done_num + remaining_num) / den


# --- the store as known at an instant --------------------------------------------------------------
class KnownAtReader:
    """A reader whose tables hold what was known at ``as_of`` (a naive UTC instant).

    ``contacts``: created before ``as_of``; answer, abandon, resolution and the first-response
    fields kept only when they happened before it (a call still waiting at ``as_of`` has no
    outcome yet, a ticket answered later is still unanswered). A contact's survey scores (``csat``,
    ``ces``) have no time of their own in the data model, and a survey is sent when the contact
    ends: they are kept only when the contact had ended before ``as_of``, its ``resolved_at``, or
    without one the end of its handling (``answered_at`` + ``handle_s``); a contact with neither
    keeps no score. ``surveys``, ``qa_evaluations`` and ``interval_stats``: rows before ``as_of``.
    Schedules are plans and stay whole. Everything else delegates to the wrapped reader, whose
    scope (a vendor's own center) still applies.
    """

    def __init__(self, reader: Any, as_of: datetime) -> None:
        self.inner = reader
        self.as_of = as_of
        self.scope = getattr(reader, "scope", None)
        self._tables: dict[str, Any] = {}

    def table(self, name: str) -> Any:
        if name not in self._tables:
            self._tables[name] = self._known(name, self.inner.table(name))
        return self._tables[name]

    def _known(self, name: str, t: Any) -> Any:
        cut = as_timestamp_literal(self.as_of)
        if name == "contacts":
            t = t.filter(t.created_at < cut)

            def after(col: Any) -> Any:
                return (col.notnull() & (col >= cut)).fill_null(False)

            answered_later = after(t.answered_at)
            abandoned_later = after(t.abandoned_at)
            resolved_later = after(t.resolved_at)
            # the survey comes when the contact ends: resolved, else answered + handled
            handled_end = t.answered_at.epoch_seconds() + t.handle_s
            ended = ibis.ifelse(
                t.resolved_at.notnull(),
                t.resolved_at < cut,
                (handled_end < cut.epoch_seconds()).fill_null(False),
            )
            later = ~ended

            def unless(cond: Any, col: Any) -> Any:
                return ibis.ifelse(cond, ibis.null(col.type()), col)

            return t.mutate(
                answered_at=unless(answered_later, t.answered_at),
                abandoned_at=unless(abandoned_later, t.abandoned_at),
                wait_s=unless(answered_later | abandoned_later, t.wait_s),
                handle_s=unless(answered_later, t.handle_s),
                first_response_business_s=unless(answered_later, t.first_response_business_s),
                resolved_at=unless(resolved_later, t.resolved_at),
                resolution_business_s=unless(resolved_later, t.resolution_business_s),
                reopened=unless(resolved_later, t.reopened),
                csat=unless(later, t.csat),
                ces=unless(later, t.ces),
            )
        if name == "surveys":
            return t.filter(t.responded_at < cut)
        if name == "qa_evaluations":
            return t.filter(t.evaluated_at < cut)
        if name == "interval_stats":
            return t.filter(t.interval_start < cut)
        return t

    def execute(self, expr: Any) -> pd.DataFrame:
        return self.inner.execute(expr)

    def execute_prepared(self, key: Any, build: Any) -> pd.DataFrame:
        run = getattr(self.inner, "execute_prepared", None)
        if run is None:
            return self.inner.execute(build())
        return run(("known_at", self.as_of, key), build)

    def tables_digest(self, *names: str) -> str:
        digest = getattr(self.inner, "tables_digest", None)
        return digest(*names) if digest is not None else ""

    def centers(self) -> pd.DataFrame:
        return self.inner.centers()


# --- results ---------------------------------------------------------------------------------------
class LineStaffing(BaseModel):
    """What a service-level line's rest of period takes in agents, by the staffing engine."""

    required_sl: float
    threshold_s: float
    shrinkage: float
    model: str
    intervals: int  # remaining pool intervals sized
    intervals_short: int  # of them with fewer productive agents scheduled than needed
    intervals_without_schedule: int
    extra_agent_hours: float  # scheduled agent-hours to add (productive gap / (1 - shrinkage))
    extra_fte: float  # extra_agent_hours over the remaining days at 40 h a week
    extra_cost: float
    currency: str
    hourly_cost: float
    peak_extra_agents: float
    schedule_sl: float | None  # Erlang A on the stored schedule and the remaining volume
    schedule_projected: float | None  # the period's value with the rest at schedule_sl
    by_interval: list[dict[str, Any]]  # intervals short: interval, needed, scheduled, extra


class LineProjection(LineIdentity):
    label_ko: str
    scope: str
    period: str
    unit: str
    direction: str
    target: float
    as_of_local: datetime
    window_start: date
    window_end: date
    days_elapsed: float  # of the window, up to as_of (fractional: today counts by the hour)
    days_total: int
    projectable: bool
    reason: str | None = None
    reason_ko: str | None = None
    done_num: float | None = None
    done_den: float | None = None
    value_so_far: float | None = None  # also the projection at the month-to-date rate (a)
    volume_method: VolumeMethod = "none"
    forecast_run_id: str | None = None
    forecast_as_of: date | None = None
    remaining_volume: float | None = None  # contacts still to come (forecast units)
    remaining_volume_lo: float | None = None
    remaining_volume_hi: float | None = None
    remaining_den: float | None = None  # the metric's denominator units still to come
    remaining_rate: float | None = None  # the last 4 weeks' rate on the remaining intervals
    projected: float | None = None  # (b) the last 4 weeks' weekday x interval rate
    projected_lo: float | None = None  # the band: (b) at both ends of the volume range
    projected_hi: float | None = None
    projected_shortfall_pt: float | None = None
    required: float | None = None
    required_status: RequiredStatus = "unknown"
    month_projected: float | None = None  # a day/week line's month value (its penalty basis)
    month_so_far: float | None = None  # a day/week line's month-to-date value (so-far penalty)
    risk: Risk = "unknown"
    reasons: list[str] = []
    rules: AlertRules = AlertRules()
    staffing: LineStaffing | None = None
    notes: list[str] = []
    notes_ko: list[str] = []


class IntradayInterval(BaseModel):
    interval_start: datetime
    num: float
    den: float
    value: float | None
    below_target: bool


class IntradayLine(BaseModel):
    """Today so far for one service-level line, and what the current interval needs."""

    center_id: str
    contract_id: str
    version: int
    line_no: int
    label: str
    label_ko: str
    target: float
    threshold_s: float
    as_of_local: datetime
    day_num: float
    day_den: float
    day_value: float | None
    intervals: list[IntradayInterval]
    intervals_below: int
    missed_contacts: float  # not within T in the intervals below target
    waiting_now: int  # contacts in queue at as_of (no answer or abandon yet)
    oldest_wait_s: float | None
    current_interval: datetime
    expected_contacts_now: float | None
    agents_needed_now: float | None  # productive agents the line's target needs this interval
    agents_scheduled_now: float | None
    agents_short_now: float | None


class ProjectedStatement(BaseModel):
    """A contract's month statement at the projected values (not an invoice)."""

    center_id: str
    contract_id: str
    version: int
    month: str
    currency: str
    statement: PenaltyStatement
    penalty_low: float  # at the better end of every line's band
    penalty_high: float  # at the worse end
    net_low: float
    net_high: float
    so_far_net: float  # if the month ended at as_of: every line on its month to date
    text: list[str]
    text_ko: list[str]


class CurrencyTotals(BaseModel):
    """The projected statements of one currency added up (amounts in that currency)."""

    currency: str
    penalty: float  # sum of the statements' penalty_total (after each contract's cap)
    penalty_low: float
    penalty_high: float
    net: float  # sum of the net adjustments (bonus - penalty)


class EarlyWarning(BaseModel):
    as_of: datetime  # UTC
    as_of_local: dict[str, datetime]  # per center
    lines: list[LineProjection]
    statements: list[ProjectedStatement]
    intraday: list[IntradayLine]
    rules: AlertRules
    notes: list[str]
    notes_ko: list[str]

    def lines_frame(self) -> pd.DataFrame:
        rows = []
        for ln in self.lines:
            d = ln.model_dump(exclude={"staffing", "rules", "notes", "notes_ko"})
            d["reasons"] = ",".join(ln.reasons)
            s = ln.staffing
            d["extra_fte"] = None if s is None else s.extra_fte
            d["extra_cost"] = None if s is None else s.extra_cost
            d["schedule_projected"] = None if s is None else s.schedule_projected
            rows.append(d)
        return pd.DataFrame(rows)

    def penalty_by_currency(self, centers: Sequence[str] | None = None) -> list[CurrencyTotals]:
        """The projected statements' totals per currency, by currency code (amounts in different
        currencies are never added up); ``centers``: only those centers' statements."""
        out: dict[str, CurrencyTotals] = {}
        for st in self.statements:
            if centers is not None and st.center_id not in centers:
                continue
            tot = out.setdefault(st.currency, CurrencyTotals(
                currency=st.currency, penalty=0.0, penalty_low=0.0, penalty_high=0.0, net=0.0
            ))  # fmt: skip
            tot.penalty += st.statement.penalty_total
            tot.penalty_low += st.penalty_low
            tot.penalty_high += st.penalty_high
            tot.net += st.statement.net_adjustment
        return [out[c] for c in sorted(out)]

    def at_risk(self) -> list[LineProjection]:
        """Lines at risk (or already missed): what `ccops sla watch` alerts on."""
        return [ln for ln in self.lines if ln.risk in ("at_risk", "missed")]


# --- line plan -----------------------------------------------------------------------------------
@dataclass
class _Spec:
    idx: int
    contract: Contract
    line_no: int
    line: ContractLine
    metric: Metric
    a_local: datetime
    win: tuple[date, date]
    month: tuple[date, date]
    projectable: bool
    reason: tuple[str, str] | None
    queues: list[str]
    live_queues: list[str]
    rules: AlertRules
    arrays: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def a_day(self) -> date:
        return self.a_local.date()


def _local_instant(as_of: datetime, segs: Sequence[tuple[datetime, int]] | None) -> datetime:
    """``as_of`` (naive UTC) on a center's clock (its timezone's offset segments)."""
    off = 0
    for start, o in segs or ():
        if as_of >= start:
            off = o
    return as_of + timedelta(seconds=off)


def _month_of(d: date) -> tuple[date, date]:
    return d.replace(day=1), d.replace(day=_cal.monthrange(d.year, d.month)[1])


def _period_window(d: date, period: str) -> tuple[date, date]:
    if period == "day":
        return d, d
    if period == "week":
        mon = d - timedelta(days=d.weekday())
        return mon, mon + timedelta(days=6)
    return _month_of(d)


def _clip(w: tuple[date, date], c: Contract) -> tuple[date, date]:
    lo = max(w[0], c.effective_from)
    hi = min(w[1], c.effective_to) if c.effective_to else w[1]
    return lo, hi


_NOT_PROJECTED = {
    "quantile": (
        "a median or percentile cannot be added up from counts, so it is shown so far and not "
        "projected",
        "중앙값·백분위 지표는 건수로 합산할 수 없어 현재까지 값만 보여 주고 예측하지 않습니다",
    ),
    "count": (
        "a count has no rate to project; shown so far",
        "건수 지표는 예측할 비율이 없어 현재까지 값만 보여 줍니다",
    ),
    "intervals": (
        "judged per interval (share of intervals meeting SL): not projected; see the intraday watch",
        "구간별로 판정하는 지표(SL 달성 구간 비율)라 예측하지 않습니다. 당일 모니터링을 보세요",
    ),
    "backlog": (
        "backlog is a state at the period end, not a rate: not projected",
        "미처리 잔량은 기간 말의 상태이지 비율이 아니므로 예측하지 않습니다",
    ),
    "two_sources": (
        "handle time over scheduled time comes from two tables: not projected; shown so far",
        "처리 시간과 근무 시간이 서로 다른 표에서 와서 예측하지 않고 현재까지 값만 보여 줍니다",
    ),
    "interval_period": (
        "judged per interval: not projected; see the intraday watch",
        "구간별로 판정하는 항목이라 예측하지 않습니다. 당일 모니터링을 보세요",
    ),
}


def _why_not(m: Metric, line: ContractLine) -> tuple[str, str] | None:
    if line.period == "interval":
        return _NOT_PROJECTED["interval_period"]
    if m.source == "backlog":
        return _NOT_PROJECTED["backlog"]
    if m.source == "intervals":
        return _NOT_PROJECTED["intervals"]
    if m.kind == "quantile":
        return _NOT_PROJECTED["quantile"]
    if m.kind == "count":
        return _NOT_PROJECTED["count"]
    if m.den_source is not None or m.source not in PROJECTABLE_SOURCES:
        return _NOT_PROJECTED["two_sources"]
    return None


def _line_queues(
    line: ContractLine, center: str, queues: pd.DataFrame, *, segment: bool = True
) -> tuple[list[str], list[str]]:
    """The center's queues a line covers (all its queues / the live ones).

    Channel and queue scopes select queues; a segment scope keeps the queues of that segment when
    the queues table names segments (VIP lines have their own queues), else all of the channel's.
    Volume is forecast per center x queue, so these are the series a line's volume comes from.
    """
    q = queues.copy()
    if line.scope.channel:
        q = q[q["channel"].isin(line.scope.channel)]
    if line.scope.queue:
        q = q[q["queue_id"].isin(line.scope.queue)]
    if segment and line.scope.segment and "segment" in q.columns:
        seg = q[q["segment"].isin(line.scope.segment)]
        if len(seg):
            q = seg
    ids = sorted(q["queue_id"].dropna().astype(str))
    live = sorted(q.loc[q["mode"] == "live", "queue_id"].dropna().astype(str))
    return ids, live


# --- time grids --------------------------------------------------------------------------------------
def _weekday(days: np.ndarray) -> np.ndarray:
    """Monday = 0 for datetime64[D] values (1970-01-01 was a Thursday)."""
    return (days.astype("datetime64[D]").astype("int64") + 3) % 7


def _slots_per_day(minutes: int) -> int:
    return 24 * 60 // minutes


def _slot_of(per: np.ndarray, minutes: int) -> tuple[np.ndarray, np.ndarray]:
    """(day, slot index) of local interval starts."""
    day = per.astype("datetime64[D]")
    mins = (per - day.astype("datetime64[ns]")).astype("timedelta64[m]").astype("int64")
    return day, mins // minutes


def _profile(
    per: np.ndarray, values: np.ndarray, lo: date, hi: date, minutes: int, days_per_wd: np.ndarray
) -> np.ndarray:
    """(7, slots) mean per day of ``values`` on local days ``lo`` <= day < ``hi`` by weekday."""
    out = np.zeros((7, _slots_per_day(minutes)))
    sel = (per >= np.datetime64(lo, "ns")) & (per < np.datetime64(hi, "ns"))
    if sel.any():
        day, slot = _slot_of(per[sel], minutes)
        np.add.at(out, (_weekday(day), slot), np.nan_to_num(values[sel]))
    return out / np.maximum(days_per_wd, 1)[:, None]


def _days_per_weekday(lo: date, hi: date) -> np.ndarray:
    """How many local days ``lo`` <= day < ``hi`` fall on each weekday."""
    n = np.zeros(7)
    d = lo
    while d < hi:
        n[d.weekday()] += 1
        d += timedelta(days=1)
    return n


@dataclass
class _Remaining:
    """The rest of a window after ``as_of``: its days, and each day's share of its profile.

    ``days``: local dates from as_of's day to the window end; ``first_slot``/``first_frac``: the
    slot as_of falls in and the part of it still to come (today only)."""

    days: list[date]
    first_slot: int
    first_frac: float

    @staticmethod
    def of(a_local: datetime, end: date, minutes: int) -> _Remaining:
        if a_local.date() > end:
            return _Remaining([], 0, 0.0)
        mins = a_local.hour * 60 + a_local.minute + a_local.second / 60 + a_local.microsecond / 6e7
        slot = int(mins // minutes)
        frac = 1.0 - (mins - slot * minutes) / minutes
        days = [a_local.date() + timedelta(days=i) for i in range((end - a_local.date()).days + 1)]
        return _Remaining(days, slot, frac)

    def day_weights(self, prof: np.ndarray) -> np.ndarray:
        """Per remaining day: the profile's total still to come that day (today: its rest)."""
        out = np.zeros(len(self.days))
        for i, d in enumerate(self.days):
            row = prof[d.weekday()]
            if i == 0:
                out[i] = row[self.first_slot] * self.first_frac + row[self.first_slot + 1 :].sum()
            else:
                out[i] = row.sum()
        return out


# --- forecasts ---------------------------------------------------------------------------------------
def _runs(reader: Any) -> pd.DataFrame:
    from ops.store.reader import run_prepared

    df = run_prepared(
        reader, ("early_warning.runs",),
        lambda: reader.table("forecast_runs").select("run_id", "created_at", "params_json"),
    )  # fmt: skip
    if df.empty:
        return pd.DataFrame(columns=["run_id", "created_at", "as_of"])

    def as_of(p: Any) -> date | None:
        try:
            v = json.loads(p or "{}").get("as_of")
            return date.fromisoformat(str(v)[:10]) if v else None
        except (ValueError, TypeError):
            return None

    df["as_of"] = df["params_json"].map(as_of)
    df["created_at"] = pd.to_datetime(df["created_at"])
    return df.drop(columns="params_json")


def _eligible_runs(runs: pd.DataFrame, a_day: date, as_of: datetime) -> pd.DataFrame:
    """The runs that existed at ``as_of`` and were made from history before ``a_day``, newest
    (``created_at``, then ``run_id``) first."""
    ok = runs[
        runs["as_of"].notna()
        & (runs["as_of"] < a_day)
        & (runs["created_at"] <= pd.Timestamp(as_of))
    ]
    return ok.sort_values(["created_at", "run_id"], ascending=False)


def _pick_run(
    candidates: list[tuple[pd.Series, pd.DataFrame]], queues: Sequence[str], days: Sequence[date]
) -> tuple[pd.Series, pd.DataFrame, bool] | None:
    """The run a line's remaining volume comes from, and whether it covers every remaining day.

    ``candidates``: the eligible runs newest first, each with its rows of the line's center. The
    newest run with rows of the line's queues on every day of ``days`` (the rest of the period);
    else the newest with rows of them on some of those days; else None (same-weekday volume).
    The rows returned are those of the line's queues."""
    want = set(days)
    partial = None
    for run, rows in candidates:
        r = rows[rows["queue_id"].isin(queues) & rows["ds"].isin(want)]
        if r.empty:
            continue
        if want <= set(r["ds"]):
            return run, r, True
        if partial is None:
            partial = (run, r, False)
    return partial


# --- the service ---------------------------------------------------------------------------------------
def early_warning(
    reader: Any,
    *,
    as_of: datetime | None = None,
    center: str | None = None,
    contracts: Sequence[Contract] | None = None,
    rules: AlertRules | None = None,
    center_rules: dict[str, AlertRules] | None = None,
    staffing: bool = True,
    intraday: bool = True,
    shrinkage: float = DEFAULT_SHRINKAGE,
) -> EarlyWarning:
    """Projection, requirement, penalty and risk of every contract line in force at ``as_of``.

    ``as_of``: a naive UTC instant (default: the latest contact in the reader's scope). Each
    center's period is the one holding ``as_of`` on its own clock. ``contracts``: default the
    stored ones (scoped by the reader). ``rules``: the alert rules (an alerts file's defaults;
    ``center_rules`` its per-center overrides); contracts and lines override them.
    ``staffing``/``intraday``: skip the Erlang requirement or today's watch (the backtest).
    """
    base_ctx = MetricContext(reader)
    if as_of is None:
        as_of = base_ctx.as_of
        if as_of is None:
            raise ConfigError(
                "No contacts in the database to warn about; import or build the demo."
            )
    as_of = pd.Timestamp(as_of).to_pydatetime().replace(tzinfo=None)
    known = KnownAtReader(reader, as_of)
    ctx = MetricContext(known, MetricParams(as_of=as_of, interval_minutes=INTERVAL_MINUTES))
    minutes = INTERVAL_MINUTES
    pool = list(contracts) if contracts is not None else stored_contracts(reader, center)
    if center:
        pool = [c for c in pool if c.center_id == center]
    if not pool:
        raise ConfigError(
            "No SLA contracts" + (f" for center {center}" if center else "")
            + " in the database; load them with `ccops sla load`."
        )  # fmt: skip
    base_rules = rules or AlertRules()
    queues = ctx.queues
    segs = ctx.utc_offsets
    specs: list[_Spec] = []
    for c in pool:
        a_local = _local_instant(as_of, segs.get(c.center_id))
        if not c.in_force(a_local.date()):
            continue
        crules = base_rules.merged((center_rules or {}).get(c.center_id)).merged(c.alerts)
        for i, line in enumerate(c.metrics):
            m = METRICS[line.metric]
            win = _clip(_period_window(a_local.date(), line.period), c)
            month = _clip(_month_of(a_local.date()), c)
            qs, live = _line_queues(line, c.center_id, queues)
            why = _why_not(m, line)
            specs.append(
                _Spec(len(specs), c, i, line, m, a_local, win, month, why is None, why, qs, live,
                      crules.merged(line.alerts))
            )  # fmt: skip
    notes: list[str] = []
    notes_ko: list[str] = []
    if not specs:
        raise ConfigError(f"No contract is in force at {as_of:%Y-%m-%d %H:%M} UTC.")
    latest = base_ctx.as_of
    if latest is not None and as_of - latest > timedelta(hours=1):
        notes.append(
            f"The data ends at {latest:%Y-%m-%d %H:%M} UTC, before as-of {as_of:%Y-%m-%d %H:%M}: "
            "contacts after it are missing from the period so far."
        )
        notes_ko.append(
            f"데이터가 {latest:%Y-%m-%d %H:%M} UTC에 끝나 기준 시각 {as_of:%Y-%m-%d %H:%M}보다 "
            "이릅니다. 그 이후 상담은 현재까지 실적에 없습니다."
        )

    # one grouped query per source: interval parts of every additive line from the profile's
    # first day (or its period's, if earlier) to as_of's day
    _fill_arrays(ctx, specs, minutes)

    hist = _history(ctx, specs, minutes)
    pivots = _volume_pivots(hist, specs)
    for s in specs:
        _choose_queues(s, pivots, queues)
    runs = _runs(reader) if any(s.projectable for s in specs) else pd.DataFrame()
    fc = _forecast_rows(reader, specs, runs, as_of)

    lines: list[LineProjection] = []
    factors: dict[int, _Factors] = {}
    shared: dict[tuple[Any, ...], _Factors] = {}  # lines of one center on the same queues
    for s in specs:
        f = None
        if s.projectable:
            fkey = (s.contract.center_id, tuple(s.queues), s.a_day, max(s.win[1], s.month[1]))
            if fkey not in shared:
                shared[fkey] = _factors(s, pivots, fc)
            f = shared[fkey]
        if f is not None:
            factors[s.idx] = f
        lines.append(_project_line(s, f, minutes))
    sdata: _StaffingData | None = None
    if staffing or intraday:
        sdata = _StaffingData.read(known, specs, hist, minutes)
        if staffing:
            items = [
                (s, ln, factors.get(s.idx))
                for s, ln in zip(specs, lines, strict=True)
                if _is_sl_line(s) and ln.required_status == "needed" and ln.required is not None
            ]
            _staffing_all(items, sdata, shrinkage, minutes)
    for ln in lines:
        _judge(ln)
    intra = [
        _intraday(s, ln, factors.get(s.idx), sdata, minutes)
        for s, ln in zip(specs, lines, strict=True)
        if intraday and sdata is not None and _is_sl_line(s) and "period" in s.arrays
    ]
    statements = _statements(specs, lines, as_of)
    return EarlyWarning(
        as_of=as_of,
        as_of_local={s.contract.center_id: s.a_local for s in specs},
        lines=lines, statements=statements, intraday=intra, rules=base_rules,
        notes=notes, notes_ko=notes_ko,
    )  # fmt: skip


def _is_sl_line(s: _Spec) -> bool:
    return s.metric.name.startswith("service_level") and bool(s.live_queues)


def _fill_arrays(ctx: MetricContext, specs: list[_Spec], minutes: int) -> None:
    """Each spec's interval ``period``/``num``/``den`` arrays (additive lines) or its period-to-date
    ``num``/``den``/``value`` (the others), through the compliance engine."""
    additive = [
        s for s in specs if s.metric.kind in ADDITIVE_KINDS and s.metric.source not in
        ("intervals", "backlog") and s.line.period != "interval"
    ]  # fmt: skip
    if additive:
        jobs = []
        for s in additive:
            first = min(s.win[0], s.month[0], s.a_day - timedelta(days=PROFILE_DAYS))
            jobs.append(_Job(s.idx, s.contract, s.line_no, s.line, first, s.a_day))
        first = min(j.first for j in jobs)
        last = max(j.last for j in jobs)
        vals = _line_values(ctx, jobs, "interval", first, last)
        for s in additive:
            v = vals[s.idx]
            s.arrays = {
                "period": np.asarray(v["period"], dtype="datetime64[ns]"),
                "num": np.nan_to_num(np.asarray(v["num"], dtype=float)),
                "den": np.nan_to_num(np.asarray(v["den"], dtype=float)),
            }
    others = [
        s for s in specs if s not in additive and s.metric.source != "backlog"
        and s.line.period != "interval"
    ]  # fmt: skip
    for period in ("day", "week", "month"):
        group = [s for s in others if s.line.period == period]
        if not group:
            continue
        for s, got in _period_to_date(ctx, group, period, lambda s: s.win[0]):
            s.arrays.update(got)
    # a day/week line's month so far: compliance judges its penalty on the month's value
    group = [s for s in others if s.line.period != "month"]
    if group:
        for s, got in _period_to_date(ctx, group, "month", lambda s: s.month[0]):
            s.arrays.update({"month_" + k: v for k, v in got.items()})


def _period_to_date(
    ctx: MetricContext, group: list[_Spec], period: str, start: Any
) -> list[tuple[_Spec, dict[str, np.ndarray]]]:
    """``value``/``num``/``den`` of each spec's ``period`` starting on ``start(spec)`` up to its
    as-of day, through the compliance engine (one query for the group); specs without data are
    left out."""
    jobs = [_Job(s.idx, s.contract, s.line_no, s.line, start(s), s.a_day) for s in group]
    vals = _line_values(ctx, jobs, period, min(j.first for j in jobs), max(j.last for j in jobs))
    out = []
    for s in group:
        v = vals[s.idx]
        hit = np.asarray(v["period"], dtype="datetime64[ns]") == np.datetime64(start(s), "ns")
        if hit.any():
            out.append((s, {
                "value": np.asarray(v["actual"], dtype=float)[hit],
                "num": np.asarray(v["num"], dtype=float)[hit],
                "den": np.asarray(v["den"], dtype=float)[hit],
            }))  # fmt: skip
    return out


def _history(ctx: MetricContext, specs: list[_Spec], minutes: int) -> pd.DataFrame:
    """The profile weeks per center, queue and local half hour, in one query:

    - ``n``: contacts offered to agents, the forecast's volume (``ops.forecasting.service``: not
      contained by a bot or self-serve flow, counted at ``created_local``), so stored daily
      forecasts and history are in the same units;
    - for live queues, the registry's base aggregates staffing's ``interval_counts`` reads
      (:class:`ops.sla.sources.ContactsBase`): ``arrivals`` = offered + short abandons (Erlang A
      models them), ``handled`` / ``handle_s`` (AHT), ``abandoned_all`` and ``wait_all`` (the
      patience estimate of ``ops.staffing.planning.patience_estimates``).
    """
    from ops.sla.metrics import _prepare
    from ops.sla.sources import ContactsBase

    days = [s.a_day for s in specs]
    lo = min(days) - timedelta(days=PROFILE_DAYS)
    hi = max(days) - timedelta(days=1)
    p = ctx.params.model_copy(update={"interval_minutes": minutes})

    def build() -> Any:
        t, keys = _prepare(ctx, "contacts", "interval", ["center_id", "queue_id"], {}, lo, hi)
        b = ContactsBase(t, p)
        return t.group_by(**keys).aggregate(
            n=t.count(where=~bot_contained_expr(t)),
            arrivals=b.offered() + b.short_abandoned(),
            handled=b.handled(),
            handle_s=b.handle_s(),
            abandoned_all=b.abandoned() + b.short_abandoned(),
            wait_all=b.wait_answered_s() + b.wait_abandoned_all_s(),
        )

    df = ctx._prepared(lambda: ("early_warning.history", lo, hi, minutes, ctx.fingerprint), build)
    df["period"] = pd.to_datetime(df["period"])
    return df


def _forecast_rows(
    reader: Any, specs: list[_Spec], runs: pd.DataFrame, as_of: datetime
) -> dict[str, list[tuple[pd.Series, pd.DataFrame]]]:
    """Per center: the eligible runs (:func:`_eligible_runs`) that hold rows of that center for the
    rest of the period of its lines, newest first, each with those daily rows (``queue_id, ds,
    yhat, yhat_lo, yhat_hi``), in one query. A run without rows of the center is not listed, so
    nothing downstream names a run that forecasts only other centers."""
    from ops.store.reader import run_prepared

    out: dict[str, list[tuple[pd.Series, pd.DataFrame]]] = {}
    if runs is None or runs.empty:
        return out
    by_center: dict[str, list[_Spec]] = {}
    for s in specs:
        if s.projectable:
            by_center.setdefault(s.contract.center_id, []).append(s)
    for cid, group in by_center.items():
        ok = _eligible_runs(runs, group[0].a_day, as_of)
        if ok.empty:
            continue
        lo = min(s.a_day for s in group)
        hi = max(max(s.win[1], s.month[1]) for s in group)
        rids = tuple(str(r) for r in ok["run_id"])

        def build(
            rids: tuple[str, ...] = rids, cid: str = cid, lo: date = lo, hi: date = hi
        ) -> Any:
            f = reader.table("forecasts")
            f = f.filter(
                f.run_id.isin(list(rids)) & (f.center_id == cid)
                & (f.ds >= pd.Timestamp(lo)) & (f.ds <= pd.Timestamp(hi))
            )  # fmt: skip
            return f.select("run_id", "queue_id", "ds", "yhat", "yhat_lo", "yhat_hi")

        rows = run_prepared(reader, ("early_warning.forecasts", rids, cid, lo, hi), build)
        rows["ds"] = pd.to_datetime(rows["ds"]).dt.date
        by_run = {str(k): g.drop(columns="run_id") for k, g in rows.groupby("run_id")}
        cands = [(run, by_run[str(run["run_id"])]) for _, run in ok.iterrows()
                 if str(run["run_id"]) in by_run]  # fmt: skip
        if cands:
            out[cid] = cands
    return out


@dataclass
class _Factors:
    """Per remaining day of a line's month: the volume relative to its same-weekday volume.

    ``mid``/``lo``/``hi``: the forecast's yhat / yhat_lo / yhat_hi over the same-weekday volume of
    the line's queues (method ``forecast``), or 1 with the lowest and highest of the last 4 weeks
    (``same_weekday``). ``same_weekday``: (7,) mean daily volume of the line's queues."""

    days: list[date]
    mid: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    same_weekday: np.ndarray
    cover: np.ndarray  # (7,) days of each weekday in the profile weeks with data
    method: VolumeMethod
    run_id: str | None = None
    run_as_of: date | None = None
    note: tuple[str, str] | None = None

    def on(self, days: list[date]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        pos = {d: i for i, d in enumerate(self.days)}
        idx = [pos[d] for d in days]
        return self.mid[idx], self.lo[idx], self.hi[idx]


def _volume_pivots(hist: pd.DataFrame, specs: list[_Spec]) -> dict[str, pd.DataFrame]:
    """Per center: its 28 profile days x queue contacts (the forecast's volume), zeros where none."""
    out: dict[str, pd.DataFrame] = {}
    a_day = {s.contract.center_id: s.a_day for s in specs}
    if hist.empty:
        return out
    daily = (
        hist.assign(day=hist["period"].dt.date).groupby(["center_id", "day", "queue_id"])["n"].sum()
    )
    for cid, g in daily.groupby(level="center_id"):
        day = a_day.get(str(cid))
        if day is None:
            continue
        days = [day - timedelta(days=PROFILE_DAYS - i) for i in range(PROFILE_DAYS)]
        piv = g.droplevel("center_id").unstack("queue_id", fill_value=0)
        out[str(cid)] = piv.reindex(index=days, fill_value=0.0).fillna(0.0).astype(float)
    return out


def _choose_queues(s: _Spec, pivots: dict[str, pd.DataFrame], queues: pd.DataFrame) -> None:
    """A segment-scoped line whose segment queues carry no volume at its center (the segment's
    contacts arrive in the channel's general queues there) takes the channel's queues instead."""
    piv = pivots.get(s.contract.center_id)
    used = set(piv.columns[(piv > 0).any(axis=0)]) if piv is not None else set()
    if s.line.scope.segment and not used & set(s.queues):
        s.queues, s.live_queues = _line_queues(s.line, s.contract.center_id, queues, segment=False)


def _factors(
    s: _Spec,
    pivots: dict[str, pd.DataFrame],
    fc: dict[str, list[tuple[pd.Series, pd.DataFrame]]],
) -> _Factors:
    """The line's volume factors per remaining day of its month (:class:`_Factors`): from the run
    :func:`_pick_run` chooses, on the days it forecasts; the same-weekday volume on the others."""
    lo_day = s.a_day - timedelta(days=PROFILE_DAYS)
    end = max(s.win[1], s.month[1])
    days = [s.a_day + timedelta(days=i) for i in range(max((end - s.a_day).days + 1, 0))]
    hist = [lo_day + timedelta(days=i) for i in range(PROFILE_DAYS)]
    piv = pivots.get(s.contract.center_id)
    if piv is None:
        piv = pd.DataFrame(0.0, index=hist, columns=[])
    piv = piv[[q for q in s.queues if q in piv.columns]]
    total = piv.to_numpy(float).sum(axis=1) if piv.shape[1] else np.zeros(PROFILE_DAYS)
    # weekdays are averaged from the first day with data (a young center is not diluted)
    seen = np.flatnonzero(total > 0)
    start = int(seen[0]) if len(seen) else 0
    wds = np.array([d.weekday() for d in hist])
    cover = np.bincount(wds[start:], minlength=7).astype(float)

    def same_weekday(x: np.ndarray) -> np.ndarray:
        return np.bincount(wds[start:], weights=x[start:], minlength=7) / np.maximum(cover, 1)

    same = same_weekday(total)
    ones = np.ones(len(days))
    if not days:
        return _Factors(days, ones, ones, ones, same, cover, "none")
    day_wd = np.array([d.weekday() for d in days], dtype=int)
    # the same-weekday factors: 1, the band each weekday's lowest and highest week of the last 4
    # over their mean
    weekly = [total[start:][wds[start:] == k] for k in range(7)]
    lo_w = np.array([w.min() if len(w) else 0.0 for w in weekly])
    hi_w = np.array([w.max() if len(w) else 0.0 for w in weekly])
    base = same[day_wd]
    with np.errstate(divide="ignore", invalid="ignore"):
        lo_r = np.minimum(np.where(base > 0, lo_w[day_wd] / np.where(base > 0, base, 1), 1.0), 1.0)
        hi_r = np.maximum(np.where(base > 0, hi_w[day_wd] / np.where(base > 0, base, 1), 1.0), 1.0)
    picked = _pick_run(fc.get(s.contract.center_id, []), s.queues, days)
    if picked is None:
        method: VolumeMethod = "same_weekday" if same.sum() > 0 else "none"
        return _Factors(days, ones, lo_r, hi_r, same, cover, method)
    run, r, full = picked
    # the same-weekday volume of exactly the queues the run forecasts
    cols = [q for q in sorted(set(r["queue_id"])) if q in piv.columns]
    sw = same_weekday(piv[cols].to_numpy(float).sum(axis=1) if cols else np.zeros(PROFILE_DAYS))
    g = r.groupby("ds")[["yhat", "yhat_lo", "yhat_hi"]].sum().reindex(days)
    on_run = g["yhat"].notna().to_numpy()
    fbase = sw[day_wd]
    with np.errstate(divide="ignore", invalid="ignore"):

        def ratio(col: str) -> np.ndarray:
            vals = g[col].to_numpy(float)
            return np.where(fbase > 0, vals / np.where(fbase > 0, fbase, 1), 0.0)

        mid, lo, hi = ratio("yhat"), ratio("yhat_lo"), ratio("yhat_hi")
    mid = np.where(on_run, mid, 1.0)
    lo = np.where(on_run, np.minimum(lo, mid), lo_r)
    hi = np.where(on_run, np.maximum(hi, mid), hi_r)
    note = None
    if not full:
        n_on = int(on_run.sum())
        note = (
            f"No stored forecast run covers these queues through {end}; run {run['run_id']} (as of "
            f"{run['as_of']}) gives {n_on} of the {len(days)} remaining days, the others use the "
            "same-weekday volume of the last 4 weeks.",
            f"{end}까지 이 큐를 모두 포함하는 저장된 예측이 없어 예측 {run['run_id']} "
            f"({run['as_of']} 기준)으로 남은 {len(days)}일 중 {n_on}일을 계산하고, 나머지는 최근 "
            "4주 같은 요일 물량을 씁니다.",
        )
    return _Factors(days, mid, lo, hi, sw, cover, "forecast", str(run["run_id"]), run["as_of"],
                    note=note)  # fmt: skip


@dataclass
class _Window:
    """A line's numbers over one window: so far, and the expected rest at the profile's rates."""

    done_num: float
    done_den: float
    rem_num: tuple[float, float, float]  # at mid, lo, hi volume
    rem_den: tuple[float, float, float]
    rem_volume: tuple[float, float, float]
    remaining: _Remaining


def _window_numbers(s: _Spec, w: tuple[date, date], f: _Factors | None, minutes: int) -> _Window:
    per, num, den = s.arrays["period"], s.arrays["num"], s.arrays["den"]
    a64 = np.datetime64(s.a_local, "ns")
    done = (per >= np.datetime64(w[0], "ns")) & (per < a64)
    lo_day = s.a_day - timedelta(days=PROFILE_DAYS)
    # days of each weekday the profile averages over (from the data's first day when the
    # history is shorter than 4 weeks, so a young line is not diluted)
    cover = f.cover if f is not None else _days_per_weekday(lo_day, s.a_day)
    pnum = _profile(per, num, lo_day, s.a_day, minutes, cover)
    pden = _profile(per, den, lo_day, s.a_day, minutes, cover)
    rem = _Remaining.of(s.a_local, w[1], minutes)
    zero = (0.0, 0.0, 0.0)
    if not rem.days or f is None:
        return _Window(float(num[done].sum()), float(den[done].sum()), zero, zero, zero, rem)
    wn, wd = rem.day_weights(pnum), rem.day_weights(pden)
    full = np.array([pden[d.weekday()].sum() for d in rem.days])
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(full > 0, wd / np.where(full > 0, full, 1), 0.0)
    base_vol = np.array([f.same_weekday[d.weekday()] for d in rem.days]) * share
    mids, los, his = f.on(rem.days)

    def tot(x: np.ndarray) -> tuple[float, float, float]:
        return float((x * mids).sum()), float((x * los).sum()), float((x * his).sum())

    return _Window(
        float(num[done].sum()), float(den[done].sum()), tot(wn), tot(wd), tot(base_vol), rem
    )


def _so_far(m: Metric, w: _Window) -> float | None:
    """A window's value up to as-of: the count itself, or ``scale x done_num / done_den``."""
    if m.kind == "count":
        return w.done_num
    return projected_value(w.done_num, w.done_den, 0.0, 0.0, m.scale)


def _project_line(s: _Spec, f: _Factors | None, minutes: int) -> LineProjection:
    m, line, c = s.metric, s.line, s.contract
    days_total = (s.win[1] - s.win[0]).days + 1
    start_dt = datetime.combine(s.win[0], datetime.min.time())
    elapsed = min(max((s.a_local - start_dt).total_seconds() / 86400.0, 0.0), float(days_total))
    out = LineProjection(
        center_id=c.center_id, contract_id=c.contract_id, version=c.version, line_no=s.line_no,
        metric=m.name, label=line.describe(), label_ko=line.describe("ko"),
        scope=line.scope.label(), period=line.period, unit=m.unit, direction=m.direction,
        target=line.target, as_of_local=s.a_local, window_start=s.win[0], window_end=s.win[1],
        days_elapsed=round(elapsed, 4), days_total=days_total, projectable=s.projectable,
        reason=s.reason[0] if s.reason else None, reason_ko=s.reason[1] if s.reason else None,
        rules=s.rules,
    )  # fmt: skip
    if not s.arrays:
        return out
    if "period" not in s.arrays:  # not additive: the period (and the month) so far only
        if "value" in s.arrays:
            v, n, d = (float(s.arrays[k][0]) for k in ("value", "num", "den"))
            out.value_so_far = None if np.isnan(v) else v
            out.done_num = None if np.isnan(n) else n
            out.done_den = None if np.isnan(d) else d
        if "month_value" in s.arrays:
            mv = float(s.arrays["month_value"][0])
            out.month_so_far = None if np.isnan(mv) else mv
        return out
    w = _window_numbers(s, s.win, f, minutes)
    out.done_num, out.done_den = w.done_num, w.done_den
    out.value_so_far = _so_far(m, w)
    if line.period != "month":
        # the month to date, as compliance judges a day/week line's penalty
        out.month_so_far = _so_far(m, _window_numbers(s, s.month, f, minutes))
    if not s.projectable or f is None:
        return out
    out.volume_method = f.method if w.remaining.days else "none"
    out.forecast_run_id, out.forecast_as_of = f.run_id, f.run_as_of
    if f.note:
        out.notes.append(f.note[0])
        out.notes_ko.append(f.note[1])
    if not w.remaining.days:
        out.remaining_den = 0.0
        out.remaining_volume = 0.0
        out.projected = out.projected_lo = out.projected_hi = out.value_so_far
        out.required_status = "final"
    else:
        out.remaining_volume, out.remaining_volume_lo, out.remaining_volume_hi = w.rem_volume
        out.remaining_den = w.rem_den[0]
        if w.rem_den[0] > 0:
            out.remaining_rate = m.scale * w.rem_num[0] / w.rem_den[0]
        vals = [
            projected_value(w.done_num, w.done_den, n, d, m.scale)
            for n, d in zip(w.rem_num, w.rem_den, strict=True)
        ]
        out.projected = vals[0]
        band = [v for v in vals if v is not None]
        out.projected_lo = min(band) if band else None
        out.projected_hi = max(band) if band else None
        if w.rem_den[0] > 0:
            out.required = required_rest_of_period(
                line.target, w.done_num, w.done_den, w.rem_den[0], scale=m.scale
            )
            out.required_status = requirement_status(out.required, m.direction, value_range(m))  # type: ignore[assignment]
        elif out.volume_method == "none":
            out.notes.append("No contacts in the last 4 weeks to estimate the rest of the period.")
            out.notes_ko.append("최근 4주에 상담이 없어 남은 기간을 추정할 수 없습니다.")
        else:
            out.required_status = "final"
    if out.projected is not None:
        out.projected_shortfall_pt = shortfall_points(m.name, out.projected, line.target)
    if line.period != "month" and s.month != s.win:
        mw = _window_numbers(s, s.month, f, minutes)
        out.month_projected = projected_value(
            mw.done_num, mw.done_den, mw.rem_num[0], mw.rem_den[0], m.scale
        )
    return out


def _judge(ln: LineProjection) -> None:
    """Risk and its reasons from the line's alert rules (see :class:`AlertRules`)."""
    m = METRICS[ln.metric]
    r = ln.rules
    if ln.projected is None:
        ln.risk = "unknown"
        return
    short = shortfall_points(m.name, ln.projected, ln.target)
    if ln.required_status == "final":
        ln.risk = "met" if short <= 1e-9 else "missed"
        if ln.risk == "missed":
            ln.reasons = ["missed"]
        return
    reasons = []
    if ln.required_status == "not_reachable":
        reasons.append("not_reachable")
    if short > r.projected_shortfall_pt + 1e-9:
        reasons.append("projected_miss")
    req = ln.required
    if (
        req is not None
        and r.required_above is not None
        and m.unit == "ratio"
        and m.direction == "higher"
        and req > r.required_above + 1e-12
    ):
        reasons.append("required_above")
    if req is not None and r.required_margin_pt is not None and ln.required_status == "needed":
        if -shortfall_points(m.name, req, ln.target) > r.required_margin_pt + 1e-9:
            reasons.append("required_margin")
    ln.reasons = reasons
    if reasons:
        ln.risk = "at_risk"
        return
    worse_end = ln.projected_lo if m.direction != "lower" else ln.projected_hi
    must_beat = (
        req is not None
        and ln.required_status == "needed"
        and (shortfall_points(m.name, req, ln.target) < -1e-9)
    )
    band_miss = worse_end is not None and shortfall_points(m.name, worse_end, ln.target) > 1e-9
    ln.risk = "watch" if (short > 1e-9 or band_miss or must_beat) else "on_track"


# --- staffing ------------------------------------------------------------------------------------------
@dataclass
class _StaffingData:
    """The last 4 weeks' per-queue arrivals, AHT and patience, and the stored schedule ahead."""

    call_prof: dict[tuple[str, str], np.ndarray]
    aht: dict[tuple[str, str], float]
    patience: pd.DataFrame
    schedule: pd.DataFrame
    span: pd.DataFrame
    queues: pd.DataFrame
    centers: pd.DataFrame
    cost: dict[str, tuple[float, str]]
    waiting: pd.DataFrame

    @staticmethod
    def read(
        known: KnownAtReader, specs: list[_Spec], hist: pd.DataFrame, minutes: int
    ) -> _StaffingData:
        from ops.staffing.planning import patience_estimates, schedule_intervals, schedule_span
        from ops.store.reader import run_prepared

        sl = [s for s in specs if _is_sl_line(s)]
        centers = sorted({s.contract.center_id for s in sl})
        ctx = MetricContext(known)
        cinfo = run_prepared(
            known, ("early_warning.centers",),
            lambda: known.table("centers").select(
                "center_id", "kind", "timezone", "calendar_json", "hourly_cost", "currency"
            ),
        )  # fmt: skip
        cost = {
            str(c): (float(h) if pd.notna(h) else 0.0, str(cur or ""))
            for c, h, cur in zip(
                cinfo["center_id"], cinfo["hourly_cost"], cinfo["currency"], strict=True
            )
        }
        empty = pd.DataFrame()
        if not sl:
            return _StaffingData({}, {}, empty, empty, empty, ctx.queues, cinfo, cost, empty)
        a_lo = min(s.a_day for s in sl)
        a_hi = max(s.a_day for s in sl)
        end = max(s.win[1] for s in sl) + timedelta(days=1)
        call_prof: dict[tuple[str, str], np.ndarray] = {}
        aht: dict[tuple[str, str], float] = {}
        a_day = {s.contract.center_id: s.a_day for s in sl}
        q = ctx.queues
        live = set(q.loc[q["mode"] == "live", "queue_id"].dropna().astype(str))
        counts = hist[hist["queue_id"].isin(live) & hist["center_id"].isin(centers)]
        for (cid, qid), rows in counts.groupby(["center_id", "queue_id"]):
            day = a_day[str(cid)]
            lo = day - timedelta(days=PROFILE_DAYS)
            per = rows["period"].to_numpy(dtype="datetime64[ns]")
            call_prof[(str(cid), str(qid))] = _profile(
                per, rows["arrivals"].to_numpy(float), lo, day, minutes,
                _days_per_weekday(lo, day),
            )  # fmt: skip
            h = float(rows["handled"].sum())
            aht[(str(cid), str(qid))] = float(rows["handle_s"].sum()) / h if h else np.nan
        # patience per center x channel, by staffing's own estimate over the same counts
        pc = counts.merge(q[["queue_id", "channel", "mode"]], on="queue_id", how="left").rename(
            columns={"abandoned_all": "abandoned", "wait_all": "wait_sum_all_s",
                     "arrivals": "offered"}
        )  # fmt: skip
        patience = patience_estimates(pc) if len(pc) else empty
        schedule = schedule_intervals(known, a_lo, end, centers=centers)
        span = schedule_span(known, centers=centers)
        waiting = _waiting_now(known, min(s.a_day for s in sl), a_hi, known.as_of)
        return _StaffingData(call_prof, aht, patience, schedule, span, ctx.queues, cinfo, cost,
                             waiting)  # fmt: skip


def _waiting_now(known: KnownAtReader, first: date, last: date, as_of: datetime) -> pd.DataFrame:
    """Live contacts offered to agents that have neither an answer nor an abandon at ``as_of``
    (created in the 4 hours before it), per center and queue, with the oldest one's wait."""
    from ops.sla.metrics import _prepare
    from ops.store.reader import run_prepared

    ctx = MetricContext(known, MetricParams(as_of=as_of))
    lo = first - timedelta(days=1)

    def build() -> Any:
        t, _ = _prepare(ctx, "contacts", "all", [], {}, lo, last)
        t = t.filter(
            t._live & ~t._ans & t.abandoned_at.isnull()
            & (t.created_at >= as_timestamp_literal(as_of - timedelta(hours=4)))
        )  # fmt: skip
        return t.group_by(["center_id", "queue_id"]).aggregate(
            waiting=t.count(), oldest=t.created_at.min()
        )

    df = run_prepared(known, ("early_warning.waiting", lo, last), build)
    if len(df):
        df["oldest_wait_s"] = (
            pd.Timestamp(as_of) - pd.to_datetime(df["oldest"])
        ).dt.total_seconds()
    return df


def _remaining_volume_frame(
    s: _Spec,
    f: _Factors | None,
    sdata: _StaffingData,
    w: tuple[date, date],
    minutes: int,
    only: datetime | None = None,
) -> pd.DataFrame:
    """Expected arrivals per live queue and remaining interval of ``w`` (the last 4 weeks' weekday
    x interval arrivals times the day's volume factor), with each interval's still-to-come share
    ``weight`` (the interval as_of falls in counts only for its rest). Intervals that expect no
    contacts are left out; ``only``: just that interval."""
    rem = _Remaining.of(s.a_local, w[1], minutes)
    if not rem.days:
        return pd.DataFrame()
    n = _slots_per_day(minutes)
    mids = f.on(rem.days)[0] if f is not None else np.ones(len(rem.days))
    # the remaining (day, slot) grid, as_of's own slot first
    day_i = np.repeat(np.arange(len(rem.days)), n)
    slot = np.tile(np.arange(n), len(rem.days))
    keep = (day_i > 0) | (slot >= rem.first_slot)
    day_i, slot = day_i[keep], slot[keep]
    weight = np.where((day_i == 0) & (slot == rem.first_slot), rem.first_frac, 1.0)
    d64 = np.array([np.datetime64(d, "ns") for d in rem.days])
    start = d64[day_i] + (slot * minutes).astype("timedelta64[m]")
    wd = np.array([d.weekday() for d in rem.days])[day_i]
    if only is not None:
        sel = start == np.datetime64(only, "ns")
        day_i, slot, weight, start, wd = day_i[sel], slot[sel], weight[sel], start[sel], wd[sel]
    frames = []
    cid = s.contract.center_id
    for q in s.live_queues:
        prof = sdata.call_prof.get((cid, q))
        if prof is None:
            continue
        calls = prof[wd, slot] * mids[day_i]
        nz = calls > 0
        if not nz.any():
            continue
        frames.append(
            pd.DataFrame({
                "center_id": cid, "queue_id": q, "interval_local": start[nz], "calls": calls[nz],
                "aht_s": sdata.aht.get((cid, q), np.nan), "weight": weight[nz],
            })
        )  # fmt: skip
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def _staffing_all(
    items: list[tuple[_Spec, LineProjection, _Factors | None]],
    sdata: _StaffingData,
    shrinkage: float,
    minutes: int,
) -> None:
    """For each service-level line: agents per remaining interval for its required SL (Erlang A
    with the center x channel patience, each queue its own pool:
    ``ops.staffing.planning.requirements``) against the stored schedule's productive agents
    (``coverage``), and what the schedule itself delivers (``schedule_delivers``). The lines'
    requirements are compared with the schedule in one pass (``ln.staffing`` is set)."""
    from ops.staffing.planning import PlanTargets, coverage, requirements, schedule_delivers

    parts = []
    for k, (s, ln, f) in enumerate(items):
        req_sl = float(ln.required or 0.0)
        vol = _remaining_volume_frame(s, f, sdata, s.win, minutes)
        if vol.empty or not 0 < req_sl < 1:
            continue
        targets = PlanTargets(
            target_sl=req_sl, answer_s=s.line.params().threshold_s, shrinkage=shrinkage,
            use_patience=True, interval_s=minutes * 60,
        )  # fmt: skip
        req = requirements(vol.drop(columns="weight"), sdata.queues, sdata.centers, targets,
                           sdata.patience if len(sdata.patience) else None)  # fmt: skip
        req = req.merge(
            vol[["queue_id", "interval_local", "weight"]], on=["queue_id", "interval_local"]
        )
        parts.append(req.assign(_item=k, _answer_s=targets.answer_s))
    if not parts:
        return
    req = pd.concat(parts, ignore_index=True)
    sched = sdata.schedule
    keys = req[["center_id", "queue_id"]].drop_duplicates()
    sched = sched.merge(keys, on=["center_id", "queue_id"])
    sched = sched[
        (sched["interval_local"] >= req["interval_local"].min())
        & (sched["interval_local"] <= req["interval_local"].max())
    ]
    cov = coverage(req, sched, sdata.span)
    cov = cov[cov["_item"].notna()]  # schedule rows outside every line's remaining intervals
    delivered = []
    for answer_s in sorted(set(cov["_answer_s"].astype(float))):
        t = PlanTargets(answer_s=answer_s, interval_s=minutes * 60)
        delivered.append(schedule_delivers(cov[cov["_answer_s"] == answer_s], t))
    cov = pd.concat(delivered)
    iv_h = minutes / 60.0
    for item in sorted(set(cov["_item"].astype(int))):
        g = cov[cov["_item"] == item]
        s, ln, _ = items[item]
        stored = g["schedule_stored"].to_numpy(bool)
        short = np.where(stored, np.maximum(-g["gap_productive"].to_numpy(float), 0.0), 0.0)
        weight = g["weight"].to_numpy(float)
        extra_hours = float((short * weight).sum()) * iv_h / (1.0 - shrinkage)
        rem_days = max(ln.days_total - ln.days_elapsed, 1e-9)
        hourly, cur = sdata.cost.get(s.contract.center_id, (0.0, ""))
        per_iv = (
            g.assign(short=short, needed=g["raw_agents"], have=g["productive_agents"])
            .groupby("interval_local", as_index=False)[["needed", "have", "short"]]
            .sum()
        )
        short_iv = per_iv[per_iv["short"] > 0]
        by_interval = [
            {"interval_local": pd.Timestamp(t).to_pydatetime(), "needed": n, "scheduled": h,
             "extra": x}
            for t, n, h, x in zip(
                short_iv["interval_local"], short_iv["needed"].astype(float),
                short_iv["have"].astype(float), short_iv["short"].astype(float), strict=True,
            )
        ]  # fmt: skip
        sl = g["schedule_service_level"].to_numpy(float)
        ok = ~np.isnan(sl)
        w = g["calls"].fillna(0.0).to_numpy(float) * weight
        sched_sl = (
            float((sl[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() and w[ok].sum() > 0 else None
        )
        sched_proj = None
        if sched_sl is not None and ln.remaining_den and ln.done_den is not None:
            sched_proj = projected_value(
                ln.done_num or 0.0, ln.done_den, sched_sl * ln.remaining_den, ln.remaining_den
            )
        no_sched = int((~stored).sum())
        if no_sched:
            ln.notes.append(
                f"{no_sched} of the {len(g)} remaining queue intervals have no stored schedule: "
                "they are sized but not compared."
            )
            ln.notes_ko.append(
                f"남은 큐 구간 {len(g)}개 중 {no_sched}개는 저장된 근무표가 없어 필요 인원만 "
                "계산하고 비교하지 않았습니다."
            )
        ln.staffing = LineStaffing(
            required_sl=float(ln.required or 0.0), threshold_s=float(g["_answer_s"].iloc[0]),
            shrinkage=shrinkage,
            model="Erlang A (patience per center x channel)" if len(sdata.patience) else "Erlang C",
            intervals=len(g), intervals_short=int((short > 0).sum()),
            intervals_without_schedule=no_sched, extra_agent_hours=extra_hours,
            extra_fte=extra_hours / (FTE_HOURS_PER_WEEK * rem_days / 7.0),
            extra_cost=extra_hours * hourly, currency=cur, hourly_cost=hourly,
            peak_extra_agents=float(per_iv["short"].max()) if len(per_iv) else 0.0,
            schedule_sl=sched_sl, schedule_projected=sched_proj, by_interval=by_interval,
        )  # fmt: skip


# --- intraday --------------------------------------------------------------------------------------------
def _intraday(
    s: _Spec, ln: LineProjection, f: _Factors | None, sdata: _StaffingData, minutes: int
) -> IntradayLine:
    """Today's intervals of a service-level line up to as_of, and the current interval's need."""
    from ops.staffing.planning import PlanTargets, requirements

    per, num, den = s.arrays["period"], s.arrays["num"], s.arrays["den"]
    day0 = np.datetime64(s.a_day, "ns")
    sel = (per >= day0) & (per < np.datetime64(s.a_local, "ns")) & (den > 0)
    m = s.metric
    ivs = []
    for p_, n_, d_ in zip(per[sel], num[sel], den[sel], strict=True):
        v = m.scale * n_ / d_
        ivs.append(
            IntradayInterval(interval_start=pd.Timestamp(p_).to_pydatetime(), num=float(n_),
                             den=float(d_), value=float(v),
                             below_target=shortfall_points(m.name, v, s.line.target) > 1e-9)
        )  # fmt: skip
    dn, dd = float(num[sel].sum()), float(den[sel].sum())
    below = [iv for iv in ivs if iv.below_target]
    w = sdata.waiting
    cid = s.contract.center_id
    if len(w):
        w = w[(w["center_id"] == cid) & w["queue_id"].isin(s.live_queues)]
    current = datetime.combine(s.a_day, datetime.min.time()) + timedelta(
        minutes=(s.a_local.hour * 60 + s.a_local.minute) // minutes * minutes
    )
    p = s.line.params()
    vol = _remaining_volume_frame(s, f, sdata, (s.a_day, s.a_day), minutes, only=current)
    need = have = expected = gap = None
    if len(vol) and vol["calls"].sum() > 0 and 0 < s.line.target < 1:
        targets = PlanTargets(target_sl=s.line.target, answer_s=p.threshold_s,
                              interval_s=minutes * 60)  # fmt: skip
        req = requirements(vol.drop(columns="weight"), sdata.queues, sdata.centers, targets,
                           sdata.patience if len(sdata.patience) else None)  # fmt: skip
        sch = sdata.schedule
        sch = sch[(sch["center_id"] == cid) & (sch["interval_local"] == current)]
        have_q = sch.groupby("queue_id")["productive_agents"].sum()
        need_q = req.groupby("queue_id")["raw_agents"].sum()
        expected = float(vol["calls"].sum())
        need = float(need_q.sum())
        have = float(have_q.reindex(need_q.index).fillna(0.0).sum()) if len(sch) else None
        if have is not None:
            gap = float(np.maximum(need_q - have_q.reindex(need_q.index).fillna(0.0), 0).sum())
    return IntradayLine(
        center_id=cid, contract_id=s.contract.contract_id, version=s.contract.version,
        line_no=s.line_no, label=ln.label, label_ko=ln.label_ko, target=s.line.target,
        threshold_s=p.threshold_s, as_of_local=s.a_local, day_num=dn, day_den=dd,
        day_value=m.scale * dn / dd if dd > 0 else None, intervals=ivs,
        intervals_below=len(below), missed_contacts=float(sum(iv.den - iv.num for iv in below)),
        waiting_now=int(w["waiting"].sum()) if len(w) else 0,
        oldest_wait_s=float(w["oldest_wait_s"].max()) if len(w) else None,
        current_interval=current, expected_contacts_now=expected, agents_needed_now=need,
        agents_scheduled_now=have, agents_short_now=gap,
    )  # fmt: skip


# --- penalties -------------------------------------------------------------------------------------------
def _statements(
    specs: list[_Spec], lines: list[LineProjection], as_of: datetime
) -> list[ProjectedStatement]:
    """Each contract's month statement at the projected values, at both band ends and so far."""
    from ops.sla.statement_ko import statement_lines_ko

    out = []
    by_contract: dict[tuple[str, int], list[tuple[_Spec, LineProjection]]] = {}
    for s, ln in zip(specs, lines, strict=True):
        by_contract.setdefault((s.contract.contract_id, s.contract.version), []).append((s, ln))
    for pairs in by_contract.values():
        c = pairs[0][0].contract
        if c.monthly_fee <= 0:
            continue
        a_local = pairs[0][0].a_local
        m0, m1 = _month_of(a_local.date())
        month = f"{m0.year:04d}-{m0.month:02d}"
        mid: dict[int, float | None] = {}
        best: dict[int, float | None] = {}
        worst: dict[int, float | None] = {}
        so_far: dict[int, float | None] = {}
        unprojected: dict[int, str] = {}
        for s, ln in pairs:
            i = s.line_no
            # every line on its month so far, as compliance judges a closed month
            so_far[i] = ln.value_so_far if s.line.period == "month" else ln.month_so_far
            if not s.projectable:
                unprojected[i] = ln.reason or "not projected"
                mid[i] = best[i] = worst[i] = None
                continue
            if s.line.period == "month":
                v, lo, hi = ln.projected, ln.projected_lo, ln.projected_hi
            else:
                v = lo = hi = ln.month_projected
            mid[i] = v
            low_better = METRICS[s.metric.name].direction == "lower"
            best[i], worst[i] = (lo, hi) if low_better else (hi, lo)
        st = penalty_statement(c, month, mid)
        st_best = penalty_statement(c, month, best)
        st_worst = penalty_statement(c, month, worst)
        st_now = penalty_statement(c, month, so_far)
        ko = statement_lines_ko(st)
        text = list(st.text)
        for i, why in unprojected.items():
            label = c.metrics[i].describe()
            text[i] = f"{label}: not projected ({why}): not assessed"
            ko[i] = f"{c.metrics[i].describe('ko')}: 예측하지 않음: 평가하지 않음"
        elapsed = (a_local - datetime.combine(m0, datetime.min.time())).total_seconds() / 86400
        days = (m1 - m0).days + 1
        head = (
            f"PROJECTED for {month} as of {a_local:%Y-%m-%d %H:%M} ({elapsed:.1f} of {days} "
            "days): an estimate, not an invoice."
        )
        head_ko = (
            f"{month} 예상 명세 ({a_local:%Y-%m-%d %H:%M} 기준, {days}일 중 {elapsed:.1f}일 경과): "
            "청구서가 아닌 추정치입니다."
        )
        out.append(
            ProjectedStatement(
                center_id=c.center_id, contract_id=c.contract_id, version=c.version, month=month,
                currency=c.currency, statement=st,
                penalty_low=min(st_best.penalty_total, st_worst.penalty_total),
                penalty_high=max(st_best.penalty_total, st_worst.penalty_total),
                net_low=min(st_best.net_adjustment, st_worst.net_adjustment),
                net_high=max(st_best.net_adjustment, st_worst.net_adjustment),
                so_far_net=st_now.net_adjustment, text=[head, *text], text_ko=[head_ko, *ko],
            )
        )  # fmt: skip
    return out


def describe_line(ln: LineProjection, lang: str = "en") -> str:
    """One sentence for a line: so far, projected with its band, and what the rest needs."""
    ko = lang == "ko"
    label = ln.label_ko if ko and ln.label_ko else ln.label
    f = lambda v: fmt_value(ln.metric, v)  # noqa: E731
    if not ln.projectable:
        why = ln.reason_ko if ko else ln.reason
        return f"{label}: {f(ln.value_so_far)}" + (f" ({why})" if why else "")
    band = f"{f(ln.projected_lo)}–{f(ln.projected_hi)}"
    if ko:
        text = (
            f"{label}: 현재 {f(ln.value_so_far)}, 예상 {f(ln.projected)} ({band}), "
            f"목표 {f(ln.target)}"
        )
    else:
        text = (
            f"{label}: so far {f(ln.value_so_far)}, projected {f(ln.projected)} ({band}) vs "
            f"{f(ln.target)} target"
        )
    if ln.required_status == "not_reachable":
        text += "; 더 이상 달성할 수 없음" if ko else "; no longer reachable"
    elif ln.required_status == "needed" and ln.required is not None:
        lower = ln.direction == "lower"
        if ko:
            text += f"; 남은 기간 {'최대' if lower else '최소'} {f(ln.required)} 필요"
        else:
            text += f"; the rest needs {'at most' if lower else 'at least'} {f(ln.required)}"
    elif ln.required_status == "secured":
        text += "; 이미 확보됨" if ko else "; already secured"
    return text


def now_utc() -> datetime:
    """The current instant as naive UTC (the store's convention)."""
    return datetime.now(UTC).replace(tzinfo=None)


def latest_contact(reader: Any) -> datetime | None:
    """The newest contact's creation instant in the reader's scope (naive UTC): the default
    as-of, "now" on a live store."""
    return MetricContext(reader).as_of
