"""The executive summary as data: KPI cards, vendor ranking, breaches, penalties, outlook, findings.

One pydantic model feeds the dashboard's Executive page, the PDF and the XLSX, so the three always
show the same numbers. The traffic-light rule lives here (:func:`kpi_status`) because it is a
presentation rule, not a metric definition: metric values and targets come from the engines.
"""

from __future__ import annotations

import math
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from ops.reports.findings import Finding

Direction = Literal["higher", "lower", "two_sided"]
Unit = Literal["ratio", "seconds", "score", "index", "currency", "count"]


# how the ranking's attainment is computed, in words for the page and the PDF
ATTAINMENT_NOTE = (
    "Attainment averages, over a center's contract lines, the share of each line's periods met "
    "this month: a monthly line counts 0 or 100%, a daily line the share of its days met. Lines "
    "met in every period counts the lines with no missed period."
)
ATTAINMENT_NOTE_KO = (
    "달성률은 센터의 계약 항목마다 이번 달 기간 중 목표를 달성한 비율을 구해 평균한 값입니다. "
    "월 단위 항목은 0% 또는 100%, 일 단위 항목은 목표를 달성한 날의 비율입니다. "
    "전 기간 달성 항목은 미달한 기간이 하나도 없는 항목 수입니다."
)


class KpiStatus(StrEnum):
    green = "green"
    amber = "amber"
    red = "red"
    none = "none"  # no value or no target


STATUS_RULE = (
    "green: meets the target; amber: misses it by at most the KPI's amber band; red: misses it by "
    "more. For two-sided KPIs (volume vs forecast): green within one band of the target, amber "
    "within two, red beyond. No value or no target: no status."
)
STATUS_RULE_KO = (
    "초록: 목표 달성, 주황: 허용 범위(앰버 밴드) 이내로 미달, 빨강: 그 이상 미달. 양방향 지표(예측 대비 "
    "인입량)는 목표에서 밴드 1배 이내 초록, 2배 이내 주황, 그 밖은 빨강. 값이나 목표가 없으면 상태 없음."
)


def kpi_status(
    value: float | None, target: float | None, direction: Direction, amber_band: float
) -> KpiStatus:
    """Traffic light of a KPI against its target.

    ``higher``: shortfall = target − value; ``lower``: shortfall = value − target.
    green when shortfall ≤ 0, amber when 0 < shortfall ≤ amber_band, red otherwise.
    ``two_sided``: distance = |value − target|; green ≤ amber_band, amber ≤ 2 × amber_band, red beyond.
    A tiny tolerance (1e-9) keeps a value exactly on a boundary on the kinder side.
    """
    if value is None or target is None or not math.isfinite(value) or not math.isfinite(target):
        return KpiStatus.none
    eps = 1e-9
    if direction == "two_sided":
        d = abs(value - target)
        if d <= amber_band + eps:
            return KpiStatus.green
        if d <= 2 * amber_band + eps:
            return KpiStatus.amber
        return KpiStatus.red
    shortfall = target - value if direction == "higher" else value - target
    if shortfall <= eps:
        return KpiStatus.green
    if shortfall <= amber_band + eps:
        return KpiStatus.amber
    return KpiStatus.red


class TrendPoint(BaseModel):
    month: str  # YYYY-MM
    value: float | None = None


class Kpi(BaseModel):
    """One KPI card: value for the month against its target, with the last months for a sparkline."""

    name: str
    label_en: str
    label_ko: str
    unit: Unit
    direction: Direction
    value: float | None = None
    target: float | None = None
    target_source: str = ""
    amber_band: float = 0.0
    status: KpiStatus = KpiStatus.none
    numerator: float | None = None
    denominator: float | None = None
    trend: list[TrendPoint] = Field(default_factory=list)
    formula: str = ""
    source: str = ""
    note: str | None = None


class CenterInfo(BaseModel):
    center_id: str
    name: str
    name_ko: str | None = None
    kind: str
    vendor_name: str | None = None
    currency: str | None = None


class VendorRank(BaseModel):
    """A center's contract attainment for the month (see ``ATTAINMENT_NOTE``): the mean over its
    contract lines of the share of each line's periods met; ``lines_met`` of ``lines_total``
    lines were met in every period."""

    rank: int
    center_id: str
    name: str
    name_ko: str | None = None
    kind: str
    lines_met: int
    lines_total: int
    attainment: float | None = None
    penalty: float = 0.0
    currency: str | None = None


class Breach(BaseModel):
    """A contract line missed in the month; actual, target and margin in the metric's unit
    (fractions for ratios), margin > 0 = better than target."""

    center_id: str
    contract_id: str | None = None
    metric: str
    label: str = ""
    label_ko: str = ""
    scope: str = ""
    period: str = ""
    actual: float | None = None
    target: float | None = None
    margin: float | None = None
    unit: str = ""
    penalty: float = 0.0


class PenaltyStatement(BaseModel):
    """A vendor's penalty/credit statement for the month, with the arithmetic as text lines."""

    center_id: str
    name: str
    month: str
    currency: str | None = None
    monthly_fee: float | None = None
    penalty: float = 0.0
    bonus: float = 0.0
    net: float = 0.0
    lines: list[str] = Field(default_factory=list)
    # the same lines worded in Korean (ops.sla.statement_ko: the same amounts)
    lines_ko: list[str] = Field(default_factory=list)


# Correlation assumed between the forecast errors of the days and series added into one outlook
# week: the week's P10-P90 band (ops.reports.executive.weekly_band).
OUTLOOK_BAND_CORRELATION = 0.5


class OutlookWeek(BaseModel):
    """One week ahead: forecast contacts (stored run) and the staffing plan: the contacts it
    assumed, required FTE, scheduled FTE and the gap (scheduled − required; negative = short)."""

    week_start: date
    #: Σ daily yhat; forecast_lo/hi: its P10-P90 band from executive.weekly_band (not Σ quantiles)
    forecast_contacts: float | None = None
    forecast_lo: float | None = None
    forecast_hi: float | None = None
    plan_contacts: float | None = None
    required_fte: float | None = None
    scheduled_fte: float | None = None
    gap_fte: float | None = None


class UpcomingEvent(BaseModel):
    start_date: date
    end_date: date
    kind: str
    name: str
    name_ko: str | None = None
    center_id: str | None = None
    expected_effect: float | None = None


class DailyPoint(BaseModel):
    """One center's day: contacts and live-channel service level (for the month's chart)."""

    day: date
    center_id: str
    contacts: int = 0
    service_level: float | None = None


class ExecutiveSummary(BaseModel):
    """Everything the Executive page and the monthly report show, for one scope and month."""

    month: str
    month_start: date
    month_end: date
    scope_label: str
    center_ids: list[str]
    centers: list[CenterInfo] = Field(default_factory=list)
    currency: str | None = None
    contacts: int = 0
    kpis: list[Kpi] = Field(default_factory=list)
    status_rule: str = STATUS_RULE
    status_rule_ko: str = STATUS_RULE_KO
    vendor_ranking: list[VendorRank] = Field(default_factory=list)
    breaches: list[Breach] = Field(default_factory=list)
    penalties: list[PenaltyStatement] = Field(default_factory=list)
    outlook: list[OutlookWeek] = Field(default_factory=list)
    recent_scheduled_fte: float | None = None
    upcoming: list[UpcomingEvent] = Field(default_factory=list)
    daily: list[DailyPoint] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    # the same notes in Korean, in the same order
    notes_ko: list[str] = Field(default_factory=list)

    def kpi(self, name: str) -> Kpi:
        for k in self.kpis:
            if k.name == name:
                return k
        raise KeyError(name)
