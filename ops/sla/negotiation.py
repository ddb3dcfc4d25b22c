"""Negotiation what-ifs: what a proposed SLA target costs, and how often it would have been met.

For a live-channel service-level target (e.g. voice 80/20 -> 85/20) the center's recent interval
volumes and handle times (from the metric engine) are staffed with the staffing engine
(:func:`ops.staffing.required_agents`, Erlang C) at the current and the proposed target: each queue
is its own pool (it must meet the target itself), pools add up per interval and shrinkage is applied
once to the sum (:func:`ops.staffing.combine_requirements`). The difference is the extra agents per
interval; agent-hours scale to a month (x 365.25/12 / days observed) and to FTE (hours per FTE-month)
and cost (``centers.hourly_cost``). A cost curve repeats this over a range of targets, so the marginal
cost of each SL point shows. Historical attainment replays the proposed target (and threshold)
against the center's monthly actuals of the last 12 months.

Async response-rate targets get the historical attainment only: their staffing depends on backlog
policy the staffing engine models separately.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from ops.calendar import last_complete_period, period_shift
from ops.errors import ConfigError
from ops.sla.compliance import covered_days, data_spans
from ops.sla.contracts import stored_contracts
from ops.sla.metrics import MetricContext, metric_table
from ops.sla.registry import MetricParams, get_metric

FTE_HOURS_PER_MONTH = 40.0 * 52 / 12  # 173.3 paid hours of one full-time agent per month
DAYS_PER_MONTH = 365.25 / 12


class CostPoint(BaseModel):
    target: float
    agent_hours_per_month: float
    fte: float
    monthly_cost: float


class Attainment(BaseModel):
    month: str
    actual: float | None
    num: float
    den: float
    met_proposed: bool | None
    met_current: bool | None
    # the data covers only part of the month (the current month, or data starting inside it):
    # shown, not counted in months_met_* / months_measured
    partial: bool = False


class WhatIfResult(BaseModel):
    center_id: str
    metric: str
    channel: str | None
    threshold: float
    proposed_target: float
    current_target: float | None
    current_threshold: float | None
    currency: str
    hourly_cost: float
    weeks: int
    days_observed: int
    shrinkage: float
    current_fte: float | None
    proposed_fte: float | None
    extra_fte: float | None
    extra_agents_mean: float | None  # per open interval, scheduled agents
    extra_agents_peak: float | None
    current_monthly_cost: float | None
    proposed_monthly_cost: float | None
    extra_monthly_cost: float | None
    extra_by_interval: list[dict[str, Any]]
    cost_curve: list[CostPoint]
    attainment: list[Attainment]
    months_met_proposed: int
    months_met_current: int | None
    months_measured: int
    notes: list[str]
    notes_ko: list[str] = []  # the same notes in Korean, in step

    def summary_frame(self) -> pd.DataFrame:
        d = self.model_dump(
            exclude={"extra_by_interval", "cost_curve", "attainment", "notes", "notes_ko"}
        )
        return pd.DataFrame([d])


def _current_line(reader: Any, center: str, metric: str, channel: str | None) -> Any:
    try:
        contracts = stored_contracts(reader, center)
    except Exception:  # noqa: BLE001 - no contracts table content is fine here
        return None
    for c in sorted(contracts, key=lambda c: c.effective_from, reverse=True):
        for line in c.metrics:
            if line.metric != metric or line.period != "month":
                continue
            if channel and line.scope.channel and channel not in line.scope.channel:
                continue
            if line.scope.segment and "vip" in line.scope.segment:
                continue
            return line
    return None


def interval_volumes(
    reader: Any,
    center: str,
    channel: str | None,
    start: Any,
    end: Any,
    context: MetricContext | None = None,
) -> pd.DataFrame:
    """Per live queue and local interval: offered contacts and AHT (engine-side aggregation)."""
    filters: dict[str, Any] = {"center_id": center, "mode": "live"}
    if channel:
        filters["channel"] = channel
    df = metric_table(
        reader, ["offered", "aht_s"], period="interval", by=["queue_id"], filters=filters,
        start=start, end=end, context=context,
    )  # fmt: skip
    return df[["period", "queue_id", "offered", "aht_s"]]


def _staff(
    vols: pd.DataFrame,
    concurrency: dict[str, int],
    target: float,
    answer_s: float,
    shrinkage: float,
    interval_s: float,
) -> pd.DataFrame:
    """Scheduled agents per interval: each queue sized on its own, combined, shrinkage once."""
    from ops.staffing import combine_requirements, required_agents

    parts = []
    for qid, g in vols.groupby("queue_id"):
        aht = g["aht_s"].fillna(g["aht_s"].mean()).fillna(300.0).clip(lower=1.0)
        req = required_agents(
            g["offered"].to_numpy(dtype=float), interval_s, aht.to_numpy(dtype=float),
            target_sl=target, answer_s=answer_s, concurrency=concurrency.get(str(qid), 1) or 1,
        )  # fmt: skip
        parts.append(
            pd.DataFrame({"period": g["period"].to_numpy(), "raw_agents": req["raw_agents"]})
        )
    if not parts:
        return pd.DataFrame(columns=["period", "raw_agents", "scheduled_agents"])
    return combine_requirements(parts, shrinkage=shrinkage, on="period")


def what_if(
    reader: Any,
    *,
    center: str,
    metric: str = "service_level",
    target: float,
    threshold: float = 20.0,
    channel: str | None = "voice",
    weeks: int = 4,
    shrinkage: float = 0.30,
    curve_targets: Sequence[float] | None = None,
    fte_hours_per_month: float = FTE_HOURS_PER_MONTH,
) -> WhatIfResult:
    """Agents, FTE and monthly cost of a proposed target vs the current one; cost curve; attainment.

    ``threshold`` is T in seconds for service_level and N business hours for response_rate.
    Monthly cost = extra scheduled agent-hours per month x ``centers.hourly_cost``.
    """
    m = get_metric(metric)
    if metric not in ("service_level", "response_rate"):
        raise ConfigError("what-ifs support service_level and response_rate targets")
    if not 0 < target < 1:
        raise ConfigError(f"target must be between 0 and 1, got {target!r}")
    ctx = MetricContext(reader)
    centers = ctx.centers
    row = centers[centers.center_id == center]
    if row.empty:
        raise ConfigError(f"Unknown center {center!r}; known: {', '.join(centers.center_id)}")
    cinfo = reader.execute(
        reader.table("centers")
        .filter(lambda t: t.center_id == center)
        .select("hourly_cost", "currency")
    )
    hourly = float(cinfo["hourly_cost"].iloc[0] or 0.0)
    currency = str(cinfo["currency"].iloc[0] or "")
    as_of = ctx.as_of
    if as_of is None:
        raise ConfigError("No contacts in the database to base a what-if on.")
    end = as_of.date()
    start = end - timedelta(days=7 * weeks - 1)
    line = _current_line(reader, center, metric, channel if metric == "service_level" else None)
    cur_target = line.target if line is not None else None
    cur_p = line.params() if line is not None else None
    cur_threshold = (
        None
        if cur_p is None
        else (cur_p.threshold_s if metric == "service_level" else cur_p.response_hours)
    )
    notes: list[str] = []
    notes_ko: list[str] = []

    def note(en: str, ko: str) -> None:
        notes.append(en)
        notes_ko.append(ko)

    if line is None:
        note(
            "No current contract line for this metric; cost is shown for the proposal only.",
            "이 지표의 현재 계약 항목이 없어 제안 목표의 비용만 표시합니다.",
        )

    # --- historical attainment: the last 12 complete months (and the month so far, shown) ----
    # months are judged on local days: the data's last local day can be a day past as_of's UTC one
    spans = data_spans(ctx, period_shift(end.replace(day=1), "month", -13), end + timedelta(days=1))
    last_day = max([end, *(hi for _, hi in spans.values())])
    first_month = period_shift(last_complete_period(last_day, "month"), "month", -11)
    span = spans.get(center)
    p = (
        MetricParams(threshold_s=threshold)
        if metric == "service_level"
        else MetricParams(response_hours=threshold)
    )
    filters = {"center_id": center}
    if channel:
        filters["channel"] = channel
    hist = metric_table(reader, [metric], period="month", filters=filters, start=first_month,
                        end=last_day, params=p, context=None)  # fmt: skip
    cur_hist = None
    if cur_target is not None and cur_threshold is not None and cur_threshold != threshold:
        cp = (
            MetricParams(threshold_s=cur_threshold)
            if metric == "service_level"
            else MetricParams(response_hours=cur_threshold)
        )
        cur_hist = metric_table(reader, [metric], period="month", filters=filters,
                                start=first_month, end=last_day, params=cp)  # fmt: skip
    att: list[Attainment] = []
    for r in hist.itertuples(index=False):
        m0 = pd.Timestamp(str(r.period)).date().replace(day=1)
        m1 = period_shift(m0, "month", 1) - timedelta(days=1)
        partial = covered_days(span, m0, m1) < (m1 - m0).days + 1
        actual = getattr(r, metric)
        cur_actual = actual
        if cur_hist is not None:
            hit = cur_hist[cur_hist.period == r.period]
            cur_actual = hit[metric].iloc[0] if len(hit) else np.nan
        att.append(
            Attainment(
                month=str(r.period)[:7], actual=None if pd.isna(actual) else float(actual),
                num=float(getattr(r, f"{metric}_num")), den=float(getattr(r, f"{metric}_den")),
                met_proposed=None if pd.isna(actual) else bool(actual >= target - 1e-12),
                met_current=None if cur_target is None or pd.isna(cur_actual)
                else bool(cur_actual >= cur_target - 1e-12),
                partial=partial,
            )
        )  # fmt: skip
    measured = [a for a in att if a.met_proposed is not None and not a.partial]
    for a in att:
        if a.partial:
            note(
                f"{a.month}: the data covers only part of the month; shown, not counted in the "
                "months met.",
                f"{a.month}: 데이터가 월의 일부만 포함합니다. 표시하되 달성 월 수에는 넣지 않습니다.",
            )

    # --- staffing -------------------------------------------------------------------------
    extra_by_interval: list[dict[str, Any]] = []
    curve: list[CostPoint] = []
    cur_fte = prop_fte = extra_fte = mean_extra = peak_extra = None
    cur_cost = prop_cost = extra_cost = None
    days = (end - start).days + 1
    if metric == "service_level":
        vols = interval_volumes(reader, center, channel, start, end, context=ctx)
        q = reader.execute(reader.table("queues").select("queue_id", "concurrency"))
        conc = {
            str(k): int(v) for k, v in zip(q.queue_id, q.concurrency, strict=False) if pd.notna(v)
        }
        iv = ctx.params.interval_minutes * 60.0
        scale = DAYS_PER_MONTH / days

        def monthly(target_sl: float, answer_s: float) -> tuple[pd.DataFrame, float]:
            req = _staff(vols, conc, target_sl, answer_s, shrinkage, iv)
            hours = float(req["scheduled_agents"].sum()) * iv / 3600.0 * scale
            return req, hours

        prop_req, prop_hours = monthly(target, threshold)
        prop_fte = prop_hours / fte_hours_per_month
        prop_cost = prop_hours * hourly
        if cur_target is not None and cur_threshold is not None:
            cur_req, cur_hours = monthly(cur_target, cur_threshold)
            cur_fte = cur_hours / fte_hours_per_month
            cur_cost = cur_hours * hourly
            extra_fte = prop_fte - cur_fte
            extra_cost = prop_cost - cur_cost
            both = prop_req.merge(cur_req, on="period", suffixes=("_proposed", "_current"))
            both["extra"] = both["scheduled_agents_proposed"] - both["scheduled_agents_current"]
            mean_extra = float(both["extra"].mean()) if len(both) else 0.0
            peak_extra = float(both["extra"].max()) if len(both) else 0.0
            ts = pd.to_datetime(both["period"])
            # a week profile Monday first (the volume window may start on any weekday)
            prof = (
                both.assign(
                    _wd=ts.dt.weekday,
                    weekday=ts.dt.day_name().str[:3],
                    time=ts.dt.strftime("%H:%M"),
                )  # fmt: skip
                .groupby(["_wd", "weekday", "time"], sort=True)[
                    ["scheduled_agents_current", "scheduled_agents_proposed", "extra"]
                ]
                .mean()
                .reset_index()
                .drop(columns="_wd")
            )
            extra_by_interval = [
                {str(k): v for k, v in r.items()} for r in prof.to_dict(orient="records")
            ]
        targets = list(curve_targets) if curve_targets else [0.70, 0.75, 0.80, 0.85, 0.90, 0.95]
        for tg in sorted(set([*targets, target])):
            _, h = monthly(tg, threshold)
            curve.append(
                CostPoint(target=tg, agent_hours_per_month=h, fte=h / fte_hours_per_month,
                          monthly_cost=h * hourly)
            )  # fmt: skip
        note(
            f"Staffed with Erlang C per live queue on {days} days of volume ({start}..{end}), "
            f"shrinkage {shrinkage:.0%}, {fte_hours_per_month:.1f} h per FTE-month.",
            f"실시간 큐별 Erlang C 인력 산정: {days}일 물량 ({start}..{end}), "
            f"비근무율(shrinkage) {shrinkage:.0%}, FTE 1명당 월 {fte_hours_per_month:.1f}시간.",
        )
    else:
        note(
            f"{m.label_en}: historical attainment only (async staffing needs a backlog policy).",
            f"{m.label_ko}: 과거 달성 여부만 표시합니다 (비동기 인력 산정에는 적체 처리 정책이 "
            "필요합니다).",
        )
    return WhatIfResult(
        center_id=center, metric=metric, channel=channel, threshold=threshold,
        proposed_target=target, current_target=cur_target, current_threshold=cur_threshold,
        currency=currency, hourly_cost=hourly, weeks=weeks, days_observed=days,
        shrinkage=shrinkage, current_fte=cur_fte, proposed_fte=prop_fte, extra_fte=extra_fte,
        extra_agents_mean=mean_extra, extra_agents_peak=peak_extra,
        current_monthly_cost=cur_cost, proposed_monthly_cost=prop_cost,
        extra_monthly_cost=extra_cost, extra_by_interval=extra_by_interval, cost_curve=curve,
        attainment=att, months_met_proposed=sum(1 for a in measured if a.met_proposed),
        months_met_current=None if cur_target is None
        else sum(1 for a in measured if a.met_current),
        months_measured=len(measured), notes=notes, notes_ko=notes_ko,
    )  # fmt: skip
