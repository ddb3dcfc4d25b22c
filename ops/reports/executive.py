"""The executive summary service: one page that says whether we keep our promises, at what cost,
and what is coming.

``executive_summary(store, scope, month)`` assembles, for the centers the scope allows:
KPI cards (service level, ASA, abandon rate, response rate within N h, CSAT, CES, NPS, QA score, cost
per contact, volume vs forecast) against targets with a traffic light and the last six months; the
vendor ranking by contract attainment; the month's breaches and penalty statements; the next weeks'
forecast and holidays; and three plain-language findings. Every metric value comes from the SLA
registry (:func:`ops.sla.metric_table`) and contract results from :func:`ops.sla.compliance.compliance`;
a section whose engine has no data says so in ``notes`` instead of guessing.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from ops.errors import CcopsError
from ops.reports import sources as src
from ops.reports.findings import (
    Finding,
    contract_breach_findings,
    event_volume_findings,
    merge_events,
    missed_sl_findings,
    rank_findings,
    tag_surge_findings,
)
from ops.reports.model import (
    OUTLOOK_BAND_CORRELATION,
    Breach,
    CenterInfo,
    DailyPoint,
    ExecutiveSummary,
    Kpi,
    OutlookWeek,
    PenaltyStatement,
    TrendPoint,
    UpcomingEvent,
    VendorRank,
    kpi_status,
)
from ops.store.scope import Scope

log = logging.getLogger(__name__)

TREND_MONTHS = 6
OUTLOOK_WEEKS = 8
DEFAULT_RESPONSE_HOURS = 16


@dataclass(frozen=True)
class KpiSpec:
    """A KPI card: which registry metric it shows and how wide its amber band is (metric units)."""

    name: str
    metric: str | None
    amber_band: float


# Amber bands: how far below target still counts as "near" (5 SL points, 10 s of ASA, 2 abandon
# points, 0.3 CES points, 10 NPS points, 5 QA points). Cost per contact: 10 % of its target;
# volume vs forecast: 5 % either side is green, 10 % amber.
KPI_SPECS: tuple[KpiSpec, ...] = (
    KpiSpec("service_level", "service_level", 0.05),
    KpiSpec("asa_s", "asa_s", 10.0),
    KpiSpec("abandon_rate", "abandon_rate", 0.02),
    KpiSpec("response_rate", "response_rate", 0.05),
    KpiSpec("csat", "csat", 0.05),
    KpiSpec("ces", "ces", 0.3),
    KpiSpec("nps", "nps", 10.0),
    KpiSpec("qa_score", "qa_score", 5.0),
    KpiSpec("cost_per_contact", None, 0.10),
    KpiSpec("volume_vs_forecast", None, 0.05),
)
_UNIT = {"points": "index"}


def executive_summary(
    store: Any,
    scope: Scope | None,
    month: str,
    *,
    response_hours: int = DEFAULT_RESPONSE_HOURS,
    with_staffing: bool = True,
) -> ExecutiveSummary:
    """The executive summary of ``month`` (YYYY-MM) for the centers ``scope`` allows.

    ``store``: an open :class:`ops.store.Store`; all reads go through ``store.reader(scope)``.
    ``response_hours``: N of the "response rate within N business hours" card (default 16).
    ``with_staffing``: add required/scheduled FTE to the outlook (runs the staffing plan for the
    next weeks, the slowest part; a page can skip it).
    Raises :class:`ops.errors.ScopeError` when the scope sees no center.
    """
    scope = scope or Scope.all()
    reader = store.reader(scope)
    first, last = src.month_bounds(month)
    centers = reader.centers()
    if centers.empty:
        from ops.errors import ScopeError

        raise ScopeError(
            f"No center visible in scope {scope.label!r}; check the user's center or load data."
        )
    notes = NoteList()
    currencies = sorted(c for c in centers["currency"].dropna().unique())
    months = src.previous_months(month, TREND_MONTHS)
    trend_first = src.month_bounds(months[0])[0]
    per_month = src.contacts_per_month(reader, trend_first, last)

    summary = ExecutiveSummary(
        month=month,
        month_start=first,
        month_end=last,
        scope_label=scope.label,
        center_ids=sorted(centers["center_id"]),
        centers=[
            CenterInfo(
                center_id=r["center_id"],
                name=r.get("name") or r["center_id"],
                name_ko=_opt(r.get("name_ko")),
                kind=r.get("kind") or "",
                vendor_name=_opt(r.get("vendor_name")),
                currency=_opt(r.get("currency")),
            )
            for r in centers.to_dict(orient="records")
        ],
        currency=currencies[0] if len(currencies) == 1 else None,
        contacts=int(per_month.get(month, 0)),
    )
    if summary.contacts == 0:
        notes.add(
            f"No contacts in {month} for {scope.label}.",
            f"{month}에 상담이 없습니다 ({_scope_ko(scope.label)}).",
        )

    from ops.sla import MetricContext

    # One context for every metric query of the summary: queues, centers, calendars and as_of
    # are read once instead of once per query.
    ctx = MetricContext(reader)
    # The staffing plan of the outlook is the slowest independent part: it runs on a worker thread
    # (its own DuckDB cursor) while this thread computes the rest; its result is used unchanged.
    pending_plan = _start_outlook_plan(reader, last) if with_staffing else None
    contracts = _contracts(reader, notes)
    compliance = _compliance(reader, month, contracts, notes, ctx)
    summary.kpis = _kpis(
        store, reader, scope, month, months, per_month, contracts, response_hours, notes, ctx
    )
    if compliance is not None:
        summary.vendor_ranking, summary.breaches, summary.penalties = _contract_sections(
            compliance, centers, month
        )
    summary.daily = _daily(reader, first, last, notes, ctx)
    summary.outlook = _outlook(reader, last, notes, with_staffing, pending_plan)
    # The month's last four weeks of schedules, as FTE a week: what the outlook's need compares to.
    recent = src.scheduled_hours(reader, last - timedelta(days=27), last)
    summary.recent_scheduled_fte = recent / 4 / FTE_HOURS_PER_WEEK if recent > 0 else None
    summary.upcoming = _upcoming(reader, centers, last)
    summary.findings = monthly_findings(
        store, scope, month, contracts, context=ctx, compliance_report=compliance
    )
    summary.notes, summary.notes_ko = list(notes), list(notes.ko)
    return summary


class NoteList(list):
    """The summary's notes in English (the list itself) and, in step, in Korean (``ko``)."""

    def __init__(self) -> None:
        super().__init__()
        self.ko: list[str] = []

    def add(self, en: str, ko: str) -> None:
        self.append(en)
        self.ko.append(ko)


def _scope_ko(label: str) -> str:
    return "전체 센터" if label == "all centers" else label


def _volume_basis_ko(basis: dict | None) -> str:
    """Where the outlook's staffing volume came from (``plan_volume_basis``), in Korean."""
    if not basis:
        return "최근 실적"
    if basis.get("kind") == "forecast":
        return f"저장된 예측 실행 {basis.get('run_id')}"
    if basis.get("kind") == "last_year":
        return f"작년 같은 주 실적 ({basis.get('from')} .. {basis.get('to')})"
    return "최근 실적"


def _opt(v: Any) -> str | None:
    return None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


# --------------------------------------------------------------------------------------------
# Contracts and compliance
# --------------------------------------------------------------------------------------------
def _contracts(reader: Any, notes: NoteList) -> list[Any]:
    try:
        from ops.sla.contracts import stored_contracts
    except ImportError:
        notes.add(
            "SLA contracts are not available in this build (ops.sla.contracts).",
            "이 빌드에는 SLA 계약 기능(ops.sla.contracts)이 없습니다.",
        )
        return []
    try:
        return list(stored_contracts(reader))
    except CcopsError as e:
        notes.add(f"SLA contracts could not be read: {e}", f"SLA 계약을 읽지 못했습니다: {e}")
        return []


def _compliance(reader: Any, month: str, contracts: list[Any], notes: NoteList, ctx: Any) -> Any:
    if not contracts:
        notes.add(
            "No SLA contracts in the database for this scope: vendor ranking, breaches and "
            "penalties are empty (load them with `ccops sla load`).",
            "이 범위에 대한 SLA 계약이 데이터베이스에 없어 센터 순위, 위반, 패널티가 비어 있습니다 "
            "(`ccops sla load`로 불러오세요).",
        )
        return None
    try:
        from ops.sla.compliance import compliance
    except ImportError:
        notes.add(
            "Contract compliance is not available in this build (ops.sla.compliance).",
            "이 빌드에는 계약 준수 기능(ops.sla.compliance)이 없습니다.",
        )
        return None
    try:
        return compliance(reader, month=month, contracts=contracts, context=ctx)
    except CcopsError as e:
        notes.add(
            f"Contract compliance for {month} failed: {e}", f"{month} 계약 준수 계산 실패: {e}"
        )
        return None


def _contract_sections(
    report: Any, centers: pd.DataFrame, month: str
) -> tuple[list[VendorRank], list[Breach], list[PenaltyStatement]]:
    """Ranking, breaches and statements from one compliance report.

    Attainment of a center = mean over its contract lines of the share of the line's periods met
    in the month (a monthly line counts 0 or 1, a daily line the share of days met), so each
    promise weighs the same. ``lines_met`` counts lines met in every period. Ranking: attainment
    descending, then penalty ascending, then center id.
    """
    names = {r["center_id"]: r for r in centers.to_dict(orient="records")}
    first, last = src.month_bounds(month)
    lines = [
        r
        for r in report.lines
        if r.met is not None and first <= pd.Timestamp(r.period_start).date() <= last
    ]
    penalties = {s.center_id: 0.0 for s in report.statements}
    currency: dict[str, str] = {}
    statements: list[PenaltyStatement] = []
    from ops.sla.statement_ko import (  # ops.sla is there: the report came from it
        provisional_ko,
        statement_lines_ko,
    )

    for s in report.statements:
        if s.month != month:
            continue
        penalties[s.center_id] = penalties.get(s.center_id, 0.0) + s.penalty_total
        currency[s.center_id] = s.currency
        c = names.get(s.center_id, {})
        statements.append(
            PenaltyStatement(
                center_id=s.center_id,
                name=str(c.get("name") or s.vendor or s.center_id),
                month=s.month,
                currency=s.currency,
                monthly_fee=s.monthly_fee,
                penalty=s.penalty_total,
                bonus=s.bonus_total,
                net=s.net_adjustment,
                lines=[f"{s.contract_id} v{s.version}", *s.text],
                lines_ko=[
                    f"{s.contract_id} v{s.version}",
                    *provisional_ko(s),
                    *statement_lines_ko(s),
                ],
            )  # fmt: skip
        )
    per_line: dict[tuple[str, str, int, int], list[bool]] = {}
    for r in lines:
        per_line.setdefault((r.center_id, r.contract_id, r.version, r.line_no), []).append(
            bool(r.met)
        )
    by_center: dict[str, list[float]] = {}
    for (cid, *_), mets in per_line.items():
        by_center.setdefault(cid, []).append(sum(mets) / len(mets))
    ranking = []
    for cid, shares in by_center.items():
        c = names.get(cid, {})
        ranking.append(
            VendorRank(
                rank=0,
                center_id=cid,
                name=str(c.get("name") or cid),
                name_ko=_opt(c.get("name_ko")),
                kind=str(c.get("kind") or ""),
                lines_met=sum(1 for x in shares if x >= 1.0 - 1e-12),
                lines_total=len(shares),
                attainment=sum(shares) / len(shares),
                penalty=penalties.get(cid, 0.0),
                currency=currency.get(cid) or _opt(c.get("currency")),
            )
        )
    ranking.sort(key=lambda v: (-(v.attainment or 0.0), v.penalty, v.center_id))
    for i, v in enumerate(ranking, start=1):
        v.rank = i
    breaches = []
    stmt_line_penalty = {
        (s.center_id, s.contract_id, s.version, sl.line_no): sl.penalty
        for s in report.statements
        if s.month == month
        for sl in s.lines
    }
    for r in lines:
        if r.met:
            continue
        ps = pd.Timestamp(r.period_start)
        period = (
            month
            if r.period == "month"
            else ps.strftime("%Y-%m-%d %H:%M")
            if r.period == "interval"
            else f"{r.period} {ps.date().isoformat()}"
        )
        breaches.append(
            Breach(
                center_id=r.center_id,
                contract_id=r.contract_id,
                metric=r.metric,
                label=r.label,
                label_ko=r.label_ko,
                scope=r.scope,
                period=period,
                actual=r.actual,
                target=r.target,
                # compliance reports margins in points (percentage points for ratios); the
                # report keeps every number of a row in the metric's own unit.
                margin=(
                    None
                    if r.margin_pt is None
                    else r.margin_pt / 100.0
                    if r.unit == "ratio"
                    else r.margin_pt
                ),
                unit=_UNIT.get(r.unit, r.unit),
                penalty=(
                    stmt_line_penalty.get((r.center_id, r.contract_id, r.version, r.line_no), 0.0)
                    if r.period == "month"
                    else 0.0
                ),
            )
        )
    breaches.sort(
        key=lambda b: (-b.penalty, b.margin if b.margin is not None else 0.0, b.center_id, b.period)
    )
    return ranking, breaches, statements


# --------------------------------------------------------------------------------------------
# KPIs
# --------------------------------------------------------------------------------------------


def _contract_target(
    contracts: list[Any], scope: Scope, metric: str, last: date
) -> tuple[float, str] | None:
    """The target of a one-center scope's contract line for ``metric`` over all its contacts."""
    if scope.center_ids is None or len(scope.center_ids) != 1:
        return None
    (cid,) = tuple(scope.center_ids)
    for c in contracts:
        if c.center_id != cid or not c.in_force(last):
            continue
        for line in c.metrics:
            if line.metric == metric and line.scope.label() == "all" and line.period == "month":
                return float(line.target), f"contract {c.contract_id} v{c.version}"
    return None


def _kpis(
    store: Any,
    reader: Any,
    scope: Scope,
    month: str,
    months: list[str],
    per_month: dict[str, int],
    contracts: list[Any],
    response_hours: int,
    notes: NoteList,
    ctx: Any,
) -> list[Kpi]:
    from ops.sla import get_metric, metric_table

    first, last = src.month_bounds(month)
    trend_first = src.month_bounds(months[0])[0]
    rr_metric = f"response_rate_{response_hours}h"
    try:
        get_metric(rr_metric)
        rr_params: dict[str, Any] = {}
    except CcopsError:
        rr_metric = "response_rate"
        rr_params = {"response_hours": float(response_hours)}

    # One metric_table call per data source so a source without data cannot sink the others.
    groups = [
        (["service_level", "asa_s", "abandon_rate", rr_metric, "csat", "ces"], rr_params),
        (["nps"], {}),
        (["qa_score"], {}),
    ]
    values: dict[str, dict[str, tuple[float | None, float | None, float | None]]] = {}
    for metrics, params in groups:
        try:
            df = metric_table(
                reader,
                metrics,
                period="month",
                start=trend_first,
                end=last,
                params=params,
                context=ctx,
            )
        except CcopsError as e:
            notes.add(f"{', '.join(metrics)}: {e}", f"{', '.join(metrics)}: {e}")
            continue
        for row in df.to_dict(orient="records"):
            mo = src.month_label(row["period"])
            for name in metrics:
                v = row.get(name)
                values.setdefault(name, {})[mo] = (
                    None if v is None or pd.isna(v) else float(v),
                    _num(row.get(f"{name}_num")),
                    _num(row.get(f"{name}_den")),
                )

    out: list[Kpi] = []
    for spec in KPI_SPECS:
        if spec.metric is None:
            continue
        metric = rr_metric if spec.name == "response_rate" else spec.metric
        m = get_metric(metric)
        series = values.get(metric, {})
        val, num, den = series.get(month, (None, None, None))
        ct = _contract_target(contracts, scope, metric, last)
        target, target_source = ct if ct else (m.default_target, "registry default")
        label_en, label_ko = m.label_en, m.label_ko
        if spec.name == "response_rate" and rr_metric == "response_rate":
            label_en = f"Response rate within {response_hours} business hours"
            label_ko = f"{response_hours}시간 내 응답률"
        note = None
        if val is None:
            note = "no data this month"
        out.append(
            Kpi(
                name=spec.name if spec.name != "response_rate" else metric,
                label_en=label_en,
                label_ko=label_ko,
                unit=_UNIT.get(m.unit, m.unit),  # type: ignore[arg-type]
                direction="lower" if m.direction == "lower" else "higher",
                value=val,
                target=target,
                target_source=target_source,
                amber_band=spec.amber_band,
                status=kpi_status(
                    val, target, "lower" if m.direction == "lower" else "higher", spec.amber_band
                ),
                numerator=num,
                denominator=den,
                trend=[TrendPoint(month=mo, value=series.get(mo, (None,))[0]) for mo in months],
                formula=m.formula,
                source=f"ops.sla.metric_table('{metric}')",
                note=note,
            )
        )
    out.append(_cost_per_contact(reader, months, per_month, notes))
    out.append(_volume_vs_forecast(store, reader, months, notes))
    return out


def _num(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _cost_per_contact(
    reader: Any, months: list[str], per_month: dict[str, int], notes: NoteList
) -> Kpi:
    """Cost per contact = Σ_center (scheduled agent hours × hourly_cost) ÷ contacts, per month.

    Target: the mean of the previous three months' values (a run-rate budget); amber band 10 % of it.
    """
    first = src.month_bounds(months[0])[0]
    last = src.month_bounds(months[-1])[1]
    cost = src.agent_cost_per_month(reader, first, last)
    currencies = sorted(cost["currency"].dropna().unique()) if not cost.empty else []
    values: dict[str, tuple[float | None, float, float]] = {}
    if len(currencies) > 1:
        notes.add(
            "Cost per contact is not shown: centers are paid in different currencies "
            f"({', '.join(currencies)}).",
            f"센터별 통화가 달라({', '.join(currencies)}) 건당 비용을 표시하지 않습니다.",
        )
    else:
        by_month = cost.groupby("month")["cost"].sum() if not cost.empty else pd.Series(dtype=float)
        for mo in months:
            n_mo = float(per_month.get(mo, 0))
            c_mo = float(by_month.get(mo, 0.0))
            values[mo] = (c_mo / n_mo if n_mo > 0 and c_mo > 0 else None, c_mo, n_mo)
    cur_month = months[-1]
    val, c, n = values.get(cur_month, (None, 0.0, 0.0))
    prev = [v for mo in months[-4:-1] if (v := values.get(mo, (None, 0.0, 0.0))[0]) is not None]
    target = sum(prev) / len(prev) if prev else None
    band = 0.10 * target if target is not None else 0.0
    if val is None and not cost.empty:
        notes.add(
            "Cost per contact: no schedules or no contacts this month.",
            "건당 비용: 이번 달 근무표 또는 상담이 없습니다.",
        )
    return Kpi(
        name="cost_per_contact",
        label_en="Cost per contact",
        label_ko="건당 비용",
        unit="currency",
        direction="lower",
        value=val,
        target=target,
        target_source=f"mean of the {len(prev)} previous month(s)" if prev else "none (no history)",
        amber_band=band,
        status=kpi_status(val, target, "lower", band),
        numerator=c or None,
        denominator=n or None,
        trend=[TrendPoint(month=mo, value=values.get(mo, (None,))[0]) for mo in months],
        formula="Σ over centers (scheduled agent hours from schedules × centers.hourly_cost) ÷ contacts",
        source="schedules, centers.hourly_cost, contacts",
        note=None if val is not None else "no data this month",
    )


def _volume_vs_forecast(store: Any, reader: Any, months: list[str], notes: NoteList) -> Kpi:
    """Volume vs forecast = Σ actual ÷ Σ forecast over the month's days that have actuals.

    Both from :func:`ops.forecasting.service.forecast_vs_actual` (the forecasting engine's volume
    definition: contacts offered to agents), on the run :func:`sources.pick_forecast_run` picks:
    the latest made before the month, else the latest covering it.
    """
    fva_fn: Any
    try:
        from ops.forecasting.service import forecast_vs_actual as fva_fn
    except ImportError:
        fva_fn = None
    values: dict[str, tuple[float | None, float, float]] = {}
    info_month: dict[str, Any] = {}
    if fva_fn is None:
        notes.add(
            "Volume vs forecast: the forecasting engine is not available in this build.",
            "예측 대비 인입량: 이 빌드에는 수요 예측 엔진이 없습니다.",
        )
    else:
        bounds = [src.month_bounds(mo) for mo in months]
        picks = src.pick_forecast_runs(reader, bounds)
        by_run: dict[str, Any] = {}  # one forecast_vs_actual per run, however many months it covers
        for mo, (first, last), info in zip(months, bounds, picks, strict=True):
            if info is None:
                continue
            try:
                if info["run_id"] not in by_run:
                    by_run[info["run_id"]] = fva_fn(store, info["run_id"], reader.scope)
                fva = by_run[info["run_id"]]
            except CcopsError as e:
                notes.add(f"Volume vs forecast for {mo}: {e}", f"{mo} 예측 대비 인입량: {e}")
                continue
            days = pd.to_datetime(fva["ds"]).dt.date
            m = fva[(days >= first) & (days <= last) & fva["actual"].notna()]
            a, f = float(m["actual"].sum()), float(m["yhat"].sum())
            values[mo] = (a / f if f > 0 else None, a, f)
            info_month[mo] = info
    cur = months[-1]
    val, a, f = values.get(cur, (None, 0.0, 0.0))
    info = info_month.get(cur)
    if info is None and fva_fn is not None:
        notes.add(
            f"Volume vs forecast: no stored forecast run covers {cur} "
            "(store one with `ccops forecast run`).",
            f"예측 대비 인입량: {cur}을 포함하는 저장된 예측이 없습니다 "
            "(`ccops forecast run`으로 저장하세요).",
        )
    elif info is not None and not info.get("before_period"):
        notes.add(
            f"Volume vs forecast for {cur} uses run {info['run_id']} (as of {info['as_of']}), "
            "which saw part of the month: no earlier run covers it.",
            f"{cur} 예측 대비 인입량은 예측 실행 {info['run_id']}({info['as_of']} 기준)을 씁니다. "
            "이 실행은 그달의 일부 실적을 본 뒤에 만들어졌습니다 (더 이른 실행이 없음).",
        )
    return Kpi(
        name="volume_vs_forecast",
        label_en="Volume vs forecast",
        label_ko="예측 대비 인입량",
        unit="ratio",
        direction="two_sided",
        value=val,
        target=1.0,
        target_source="forecast = 100 %",
        amber_band=0.05,
        status=kpi_status(val, 1.0, "two_sided", 0.05),
        numerator=a or None,
        denominator=f or None,
        trend=[TrendPoint(month=mo, value=values.get(mo, (None,))[0]) for mo in months],
        formula="contacts offered to agents ÷ forecast of the same series and days "
        "(ops.forecasting forecast_vs_actual)",
        source=f"forecast run {info['run_id']} (as of {info['as_of']})" if info else "forecasts",
        note=None if val is not None else "no stored forecast for this month",
    )


# --------------------------------------------------------------------------------------------
# Daily chart, outlook, upcoming events
# --------------------------------------------------------------------------------------------
def _daily(reader: Any, first: date, last: date, notes: NoteList, ctx: Any) -> list[DailyPoint]:
    from ops.sla import metric_table

    vol = src.contacts_per_day(reader, first, last, by_center=True)
    try:
        sl = metric_table(
            reader,
            ["service_level"],
            period="day",
            by=["center"],
            start=first,
            end=last,
            context=ctx,
        )
    except CcopsError as e:
        notes.add(f"Daily service level: {e}", f"일별 서비스 레벨: {e}")
        sl = pd.DataFrame(columns=["period", "center_id", "service_level"])
    sl = sl.rename(columns={"period": "day"})
    if not sl.empty:
        sl["day"] = pd.to_datetime(sl["day"]).dt.date
    df = vol.merge(sl[["day", "center_id", "service_level"]], on=["day", "center_id"], how="outer")
    out = []
    for r in df.sort_values(["day", "center_id"]).to_dict(orient="records"):
        slv = r.get("service_level")
        out.append(
            DailyPoint(
                day=r["day"],
                center_id=r["center_id"],
                contacts=int(r["contacts"]) if not pd.isna(r.get("contacts")) else 0,
                service_level=None if slv is None or pd.isna(slv) else float(slv),
            )
        )
    return out


FTE_HOURS_PER_WEEK = 40.0  # paid hours of one full-time agent a week (as ops.sla.negotiation)


def _outlook_start(month_end: date) -> date:
    """The first Monday after the month (the outlook's first week)."""
    start = month_end + timedelta(days=1)
    return start + timedelta(days=(7 - start.weekday()) % 7)


def _start_outlook_plan(reader: Any, month_end: date) -> Future[Any] | None:
    """Start :func:`ops.staffing.planning.plan` for the outlook weeks on a worker thread."""
    try:
        from ops.staffing.planning import PlanTargets, plan
    except ImportError:
        return None
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ccops-outlook-plan")
    try:
        return pool.submit(
            plan, reader, _outlook_start(month_end), OUTLOOK_WEEKS, targets=PlanTargets()
        )
    finally:
        pool.shutdown(wait=False)


def weekly_band(
    yhat: Any, lo: Any, hi: Any, rho: float = OUTLOOK_BAND_CORRELATION
) -> tuple[float, float | None, float | None]:
    """The total of several daily forecasts and its P10-P90 band, from the daily bands.

    Adding the daily P10s and P90s gives the band of the total only if every day's error were the
    same draw (correlation 1): it overstates the range. Each day/series i has a lower half-width
    ``d_i = yhat_i - lo_i`` and an upper one ``u_i = hi_i - yhat_i`` (P10 and P90 are the same
    number of standard deviations, z = 1.2816, from the point forecast under a normal
    approximation, so z cancels). With a common correlation ``rho`` between the errors:

        half-width of the total = sqrt((1 - rho) · Σ d_i² + rho · (Σ d_i)²)

    (variance of a sum of equicorrelated terms), and likewise for the upper side;
    ``total = Σ yhat_i``, ``total_lo = max(total - lower half-width, 0)``,
    ``total_hi = total + upper half-width``. ``rho = 1`` reproduces the added bands (the widest),
    ``rho = 0`` independent days (the narrowest). The outlook uses rho = 0.5: forecast errors of the
    days of a week move together (a level error persists) but not completely. Returns
    ``(total, total_lo, total_hi)``; the band is None when a day has no band.
    """
    y = pd.to_numeric(pd.Series(yhat), errors="coerce").to_numpy(float)
    lo_ = pd.to_numeric(pd.Series(lo), errors="coerce").to_numpy(float)
    hi_ = pd.to_numeric(pd.Series(hi), errors="coerce").to_numpy(float)
    total = float(y.sum())
    if not 0.0 <= rho <= 1.0:
        raise ValueError(f"rho must be in [0, 1], got {rho!r}")
    if len(y) == 0 or pd.isna(lo_).any() or pd.isna(hi_).any():
        return total, None, None

    def half(d: Any) -> float:
        d = d.clip(min=0.0)
        return float(((1.0 - rho) * (d**2).sum() + rho * d.sum() ** 2) ** 0.5)

    return total, max(total - half(y - lo_), 0.0), total + half(hi_ - y)


def _outlook(
    reader: Any,
    month_end: date,
    notes: NoteList,
    with_staffing: bool = True,
    pending_plan: Future[Any] | None = None,
) -> list[OutlookWeek]:
    """Weeks (Monday-Sunday) after the month: forecast contacts from the latest stored run, and
    the agents the staffing plan needs against the stored schedule.

    forecast_contacts = Σ yhat over the week's days and series; forecast_lo/hi = its P10-P90 band
    combined from the daily bands by :func:`weekly_band` (correlation 0.5 between days and series,
    not the sum of the daily quantiles). required_fte = Σ over intervals of requirement agents
    (after shrinkage) × interval hours ÷ 40 h; scheduled_fte likewise from the stored schedule, and
    gap = scheduled − required (negative = short), only for weeks the stored schedule covers in
    full (every day of the week, every pool of the plan): a week scheduled in part would compare a
    few days of roster with a full week of need. Requirements come from
    :func:`ops.staffing.planning.plan`.
    """
    w0 = _outlook_start(month_end)
    w_last = w0 + timedelta(days=7 * OUTLOOK_WEEKS - 1)
    weeks: dict[date, OutlookWeek] = {}
    try:
        fc, info = src.stored_forecast(reader, w0, w_last)
    except CcopsError as e:
        notes.add(
            f"Outlook: stored forecasts could not be read: {e}",
            f"향후 전망: 저장된 예측을 읽지 못했습니다: {e}",
        )
        fc, info = pd.DataFrame(), {}
    if fc.empty:
        notes.add(
            f"Outlook: no stored forecast covers {w0.isoformat()} – {w_last.isoformat()} "
            "(store one with `ccops forecast run`).",
            f"향후 전망: {w0.isoformat()} – {w_last.isoformat()} 기간을 포함하는 저장된 예측이 "
            "없습니다 (`ccops forecast run`으로 저장하세요).",
        )
    else:
        fc = fc.copy()
        fc["week"] = [d - timedelta(days=d.weekday()) for d in fc["day"]]
        for wk, g in fc.groupby("week", sort=True):
            week = pd.Timestamp(str(wk)).date()
            if g["day"].nunique() < 7:
                continue  # a week the run covers only in part would understate volume
            total, lo, hi = weekly_band(g["yhat"], g["yhat_lo"], g["yhat_hi"])
            weeks[week] = OutlookWeek(
                week_start=week, forecast_contacts=total, forecast_lo=lo, forecast_hi=hi
            )
        if len(weeks) < 4:
            notes.add(
                f"Outlook: the stored forecast (run {info.get('run_id')}) covers only "
                f"{len(weeks)} full week(s).",
                f"향후 전망: 저장된 예측(실행 {info.get('run_id')})이 온전한 {len(weeks)}주만 "
                "포함합니다.",
            )
        if any(w.forecast_lo is not None for w in weeks.values()):
            notes.add(
                "Outlook: a week's P10–P90 combines the daily P10–P90 bands of the forecast assuming "
                f"a correlation of {OUTLOOK_BAND_CORRELATION:g} between the errors of its days and "
                "series: half-width = √((1−ρ)·Σd² + ρ·(Σd)²), d = a day's distance from its forecast "
                "to its P10 (or P90). Adding the daily bands (ρ = 1) would overstate the range.",
                "향후 전망: 주간 P10–P90 구간은 일별 예측 구간을 합친 것으로, 날짜와 시계열 사이 오차 "
                f"상관을 {OUTLOOK_BAND_CORRELATION:g}로 가정합니다: 반폭 = √((1−ρ)·Σd² + ρ·(Σd)²), "
                "d = 하루의 예측값과 P10(또는 P90)의 거리. 일별 구간을 그대로 더하면(ρ = 1) 범위가 "
                "과대평가됩니다.",
            )
    if with_staffing:
        _outlook_staffing(reader, w0, weeks, notes, pending_plan)
    return [weeks[w] for w in sorted(weeks)]


def _scheduled_days(span: pd.DataFrame | None, pools: pd.DataFrame, week: date) -> list[int]:
    """Days of ``week`` (Mon-Sun) inside each pool's stored schedule (one number per pool)."""
    bounds = {}
    if span is not None and not span.empty:
        bounds = {
            (str(r["center_id"]), str(r["queue_id"])): (r["first_day"], r["last_day"])
            for r in span.to_dict(orient="records")
        }
    days = [week + timedelta(days=i) for i in range(7)]
    out = []
    for cid, qid in zip(pools["center_id"], pools["queue_id"], strict=True):
        lo, hi = bounds.get((str(cid), str(qid)), (None, None))
        out.append(0 if lo is None else sum(1 for d in days if lo <= d <= hi))
    return out


def _outlook_staffing(
    reader: Any,
    w0: date,
    weeks: dict[date, OutlookWeek],
    notes: NoteList,
    pending_plan: Future[Any] | None = None,
) -> None:
    try:
        from ops.staffing.planning import PlanTargets, plan
    except ImportError:
        notes.add(
            "Outlook: staffing planning is not available in this build (ops.staffing).",
            "향후 전망: 이 빌드에는 인력 계획 기능(ops.staffing)이 없습니다.",
        )
        return
    targets = PlanTargets()
    try:
        if pending_plan is not None:
            p = pending_plan.result()
        else:
            p = plan(reader, w0, OUTLOOK_WEEKS, targets=targets)
    except CcopsError as e:
        notes.add(f"Outlook: no staffing plan ({e}).", f"향후 전망: 인력 계획 없음 ({e}).")
        return
    cov = p["coverage"]
    if cov.empty:
        return
    span = p.get("schedule_span")
    hours = targets.interval_s / 3600.0
    ts = pd.to_datetime(cov["interval_local"])
    cov = cov.assign(week=[(d - timedelta(days=d.weekday())) for d in ts.dt.date])
    agg = cov.groupby("week")[["required_agents", "rostered_agents", "calls"]].sum()
    no_schedule, partial = [], []
    for week, r in agg.iterrows():
        if week < w0:
            continue
        ow = weeks.setdefault(week, OutlookWeek(week_start=week))
        ow.required_fte = float(r["required_agents"]) * hours / FTE_HOURS_PER_WEEK
        ow.plan_contacts = float(r["calls"])
        pools = cov.loc[cov["week"] == week, ["center_id", "queue_id"]].drop_duplicates()
        covered = _scheduled_days(span, pools, week)
        if covered and min(covered) == 7:
            ow.scheduled_fte = float(r["rostered_agents"]) * hours / FTE_HOURS_PER_WEEK
            ow.gap_fte = ow.scheduled_fte - ow.required_fte
        elif covered and max(covered) > 0:
            partial.append((week, min(covered), max(covered)))
        else:
            no_schedule.append(week)
    notes.add(
        f"Outlook staffing: requirements at {targets.target_sl:.0%} within {targets.answer_s:g} s, "
        f"{targets.shrinkage:.0%} shrinkage, for volume from the {p['volume_source']}.",
        f"향후 인력: 필요 인력은 {targets.answer_s:g}초 이내 {targets.target_sl:.0%} 응대, 비가동률 "
        f"{targets.shrinkage:.0%} 기준이며 물량은 {_volume_basis_ko(p.get('volume_basis'))}입니다.",
    )
    if partial:
        parts = ", ".join(
            f"{w.isoformat()} ({lo} of 7 days)"
            if lo == hi
            else f"{w.isoformat()} ({lo}–{hi} of 7 days, by queue)"
            for w, lo, hi in partial
        )
        parts_ko = ", ".join(
            f"{w.isoformat()} (7일 중 {lo}일)"
            if lo == hi
            else f"{w.isoformat()} (큐별 7일 중 {lo}–{hi}일)"
            for w, lo, hi in partial
        )
        notes.add(
            f"Outlook staffing: the stored schedule covers only part of the week of {parts}, so "
            "neither scheduled FTE nor a gap is shown for it: gaps are shown only for weeks the "
            "schedule covers in full (every day, every queue), never a part-week roster against a "
            "full week's requirement.",
            f"향후 인력: 저장된 근무표가 {parts_ko} 주의 일부만 포함하므로 편성 FTE와 과부족을 "
            "표시하지 않습니다. 과부족은 근무표가 모든 날과 모든 큐를 포함하는 주에만 표시합니다.",
        )
    if no_schedule:
        notes.add(
            f"Outlook staffing: no stored schedule for {len(no_schedule)} of the weeks, so no gap "
            "is shown for them (import schedules to see it).",
            f"향후 인력: {len(no_schedule)}개 주에 저장된 근무표가 없어 과부족을 표시하지 않습니다 "
            "(근무표를 가져오면 보입니다).",
        )


def _concat_events(*frames: pd.DataFrame) -> pd.DataFrame:
    """Stack event frames (stored events, public holidays) on the columns the report reads."""
    cols = ["event_id", "kind", "name", "name_ko", "start_date", "end_date", "center_id",
            "tag_id", "expected_effect"]  # fmt: skip
    keep = [f.reindex(columns=cols).astype(object) for f in frames if not f.empty]
    if not keep:
        return pd.DataFrame(columns=cols)
    return pd.concat(keep, ignore_index=True)


def _upcoming(reader: Any, centers: pd.DataFrame, month_end: date) -> list[UpcomingEvent]:
    first = month_end + timedelta(days=1)
    last = month_end + timedelta(days=7 * OUTLOOK_WEEKS)
    ev = src.scoped_events(reader, first, last)
    hol = src.public_holidays(centers, first, last)
    if not hol.empty and not ev.empty:
        have = {(r["start_date"], r["kind"]) for r in ev.to_dict(orient="records")}
        hol = hol[[(d, "holiday") not in have for d in hol["start_date"]]]
    both = _concat_events(ev, hol)
    if both.empty:
        return []
    allev = merge_events(both)
    out = []
    for r in allev.to_dict(orient="records"):
        eff = r.get("expected_effect")
        out.append(
            UpcomingEvent(
                start_date=r["start_date"],
                end_date=r["end_date"],
                kind=r["kind"],
                name=r["name"],
                name_ko=_opt(r.get("name_ko")),
                center_id=_opt(r.get("center_id")),
                expected_effect=None if eff is None or pd.isna(eff) else float(eff),
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# Findings
# --------------------------------------------------------------------------------------------
def _sl_line(contracts: list[Any], center_id: str, channel: str, day: date) -> Any:
    """The contract line judging a center's SL on a channel: a daily line first, then monthly."""
    best = None
    for c in contracts:
        if c.center_id != center_id or not c.in_force(day):
            continue
        for line in c.metrics:
            if line.metric != "service_level":
                continue
            chans = line.scope.channel
            if chans and channel not in chans:
                continue
            if line.scope.segment or line.scope.queue:
                continue  # a VIP-only line does not judge the whole channel
            rank = (0 if line.period == "day" else 1, 0 if chans else 1)
            if best is None or rank < best[0]:
                best = (rank, line)
    return best[1] if best else None


def monthly_findings(
    store: Any,
    scope: Scope | None,
    month: str,
    contracts: list[Any] | None = None,
    n: int = 3,
    *,
    context: Any = None,
    compliance_report: Any = None,
) -> list[Finding]:
    """The ``n`` largest plain-language findings of ``month`` for the scope (see ops.reports.findings).

    Service level comes from :func:`ops.sla.metric_table` with each center's contract threshold
    and target for the channel (a daily SL line first, else the monthly one, else the registry
    default of 80 % within 20 s). ``context``: an ``ops.sla.MetricContext`` on the same reader to
    share; ``compliance_report``: the month's ``ops.sla.compliance`` result when already computed
    (the executive summary passes both).
    """
    from ops.sla import MetricContext, MetricParams, get_metric, metric_table

    scope = scope or Scope.all()
    reader = store.reader(scope) if context is None else context.reader
    ctx = context or MetricContext(reader)
    first, last = src.month_bounds(month)
    centers = reader.centers()
    if contracts is None:
        contracts = _contracts(reader, NoteList())
    month_contacts = float(src.contacts_per_month(reader, first, last).get(month, 0))
    found: list[Finding] = []
    default_target = float(get_metric("service_level").default_target or 0.8)

    # Service level per interval, center and channel with the default parameters, from the week
    # before the month to its end: one query whose sums (SL counts add up) give the live pairs of
    # the month, the daily and interval frames of pairs judged with default parameters, and the
    # daily SL around events. Pairs whose contract line has other parameters (threshold, variant,
    # short abandons) share one more interval query per parameter set.
    rename = {"service_level_num": "sl_num", "service_level_den": "sl_den"}
    default_params = MetricParams.model_validate({})
    try:
        iv_all = metric_table(reader, ["service_level"], period="interval", by=["center", "channel"],
                              start=first - timedelta(days=7), end=last, params=default_params,
                              context=ctx)  # fmt: skip
    except CcopsError as e:
        log.info("findings: no live SL (%s)", e)
        iv_all = pd.DataFrame(columns=["period", "center_id", "channel", *rename])
    iv_all = iv_all.rename(columns={"period": "interval_local", **rename})
    iv_day = pd.to_datetime(iv_all["interval_local"]).dt.date
    in_month = ((iv_day >= first) & (iv_day <= last)).to_numpy()
    month_iv = iv_all[in_month]
    live = (
        month_iv.groupby(["center_id", "channel"], sort=True, dropna=False)[["sl_den"]]
        .sum()
        .reset_index()
        if len(month_iv)
        else pd.DataFrame(columns=["center_id", "channel", "sl_den"])
    )
    groups: dict[str, tuple[MetricParams, dict[tuple[str, str], float]]] = {}
    for r in live.to_dict(orient="records"):
        if not r.get("sl_den"):
            continue
        cid, ch = r["center_id"], r["channel"]
        line = _sl_line(contracts, cid, ch, last)
        params = line.params() if line is not None else default_params
        target = float(line.target) if line is not None else default_target
        key = params.model_dump_json()
        groups.setdefault(key, (params, {}))[1][(cid, ch)] = target
    daily_frames, interval_frames = [], []
    for key, (params, pairs) in groups.items():
        if key == default_params.model_dump_json():
            iv = month_iv
        else:
            flt = {
                "center": sorted({c for c, _ in pairs}),
                "channel": sorted({h for _, h in pairs}),
            }
            iv = metric_table(reader, ["service_level"], period="interval", by=["center", "channel"],
                              filters=flt, start=first, end=last, params=params, context=ctx)  # fmt: skip
            iv = iv.rename(columns={"period": "interval_local", **rename})
        keep_i = [(c, h) in pairs for c, h in zip(iv["center_id"], iv["channel"], strict=True)]
        iv = iv[keep_i]
        d = _daily_from_intervals(iv)
        d["target"] = [pairs[(c, h)] for c, h in zip(d["center_id"], d["channel"], strict=True)]
        daily_frames.append(d)
        interval_frames.append(iv)
    if daily_frames:
        found += missed_sl_findings(
            pd.concat(daily_frames, ignore_index=True),
            pd.concat(interval_frames, ignore_index=True),
            centers,
            month_contacts,
        )

    # Volume around events of the month.
    vol_first = first - timedelta(days=63)
    vol = src.contacts_per_day(reader, vol_first, last)
    dsl = _daily_from_intervals(iv_all, by=[])
    ev = src.scoped_events(reader, vol_first, last)
    hol = src.public_holidays(centers, vol_first, last)
    if not hol.empty and not ev.empty:
        have = {(r["start_date"], r["kind"]) for r in ev.to_dict(orient="records")}
        hol = hol[[(d, "holiday") not in have for d in hol["start_date"]]]
    events = _concat_events(ev, hol)
    found += event_volume_findings(vol, dsl, events, first, last, month_contacts, default_target)

    # Tag surges week over week.
    tags = src.weekly_tag_counts(reader, first - timedelta(days=14), last)
    found += tag_surge_findings(tags, ev, first, last, month_contacts)

    # Monthly contract lines missed, with their penalties.
    report = compliance_report
    if report is None and contracts:
        report = _compliance(reader, month, contracts, NoteList(), ctx)
    if report is not None:
        found += contract_breach_findings(
            *_breach_frames(report, month), centers, month, month_contacts
        )
    return rank_findings(found, n)


def _daily_from_intervals(iv: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """Daily SL counts from interval rows: Σ sl_num and Σ sl_den per local day (and ``by`` keys).

    The same numbers as a daily metric_table (a day's answered-within-T and SL denominator are the
    sums over its intervals); days with rows but no live contact keep sl_den = 0.
    """
    keys = ["center_id", "channel"] if by is None else by
    if iv.empty:
        return pd.DataFrame(columns=["day", *keys, "sl_num", "sl_den"])
    day = pd.to_datetime(iv["interval_local"]).dt.date.rename("day")
    out = (
        iv.groupby([day, *[iv[k] for k in keys]], sort=True, dropna=False)[["sl_num", "sl_den"]]
        .sum()
        .reset_index()
    )
    return out


def _breach_frames(report: Any, month: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The month's monthly-period line results and statements of a compliance report as frames."""
    from ops.sla import get_metric

    first, last = src.month_bounds(month)
    rows = []
    for r in report.lines:
        if r.period != "month" or r.met is None or r.actual is None:
            continue
        if not first <= pd.Timestamp(r.period_start).date() <= last:
            continue
        rows.append(
            {"center_id": r.center_id, "label": r.label, "label_ko": get_metric(r.metric).label_ko,
             "scope": r.scope, "metric": r.metric, "unit": r.unit, "actual": r.actual,
             "target": r.target, "den": r.den, "met": r.met}
        )  # fmt: skip
    stm = [
        {"center_id": s.center_id, "penalty_total": s.penalty_total,
         "net_adjustment": s.net_adjustment, "currency": s.currency}
        for s in report.statements
        if s.month == month
    ]  # fmt: skip
    return pd.DataFrame(rows), pd.DataFrame(stm)
