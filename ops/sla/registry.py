"""The metric registry: every contact-center metric of DESIGN.md, defined once.

A metric is a ratio ``numerator / denominator`` (or a count, or a quantile) over a small vocabulary
of *base aggregates* (offered, answered within T, responded within N business hours, ...). Each data
source (per-contact rows, ACD ``interval_stats`` counts, schedules, surveys, QA evaluations) supplies
the base aggregates as Ibis expressions (see :mod:`ops.sla.sources`), so one formula here gives the
same number from contacts or from interval reports, on DuckDB or on Spark. The SLA engine, the
dashboard, contracts and the docs all read :data:`METRICS`.

Every metric reports ``value``, ``<name>_num`` and ``<name>_den`` so a manager can defend a number:
"service level 44.4 % = 4 answered within 20 s / 9 offered (short abandons removed)".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from ops.errors import ConfigError

SLVariant = Literal[
    "default", "answered_only", "abandons_within_t_excluded", "abandons_within_t_success"
]
SL_VARIANTS: tuple[str, ...] = (
    "default",
    "answered_only",
    "abandons_within_t_excluded",
    "abandons_within_t_success",
)
DEFAULT_RESPONSE_HOURS = (3, 6, 16, 24)


class MetricParams(BaseModel):
    """Parameters every metric may read; contracts override them per line."""

    threshold_s: float = Field(default=20.0, gt=0, description="Answer threshold T in seconds (SL)")
    short_abandon_s: float = Field(
        default=5.0, ge=0, description="Abandons with wait < this are removed"
    )
    sl_variant: SLVariant = Field(
        default="default", description="Service-level denominator variant"
    )
    sl_target: float = Field(
        default=0.8, ge=0, le=1, description="SL target for % intervals meeting SL"
    )
    response_hours: float = Field(default=24.0, gt=0, description="N for response rate within N h")
    interval_minutes: int = Field(
        default=30, gt=0, le=60, description="Interval length for 'interval'"
    )
    as_of: datetime | None = Field(
        default=None,
        description="UTC instant deadlines are checked at (default: the latest contact)",
    )
    calendar: Literal["center", "24x7"] = Field(
        default="center", description="Response-time clock: the center's business hours, or 24x7"
    )


# Formula builders take (base, params) and return an Ibis scalar aggregate expression.
Builder = Callable[[Any, MetricParams], Any]


@dataclass(frozen=True)
class Metric:
    """One metric: identity, presentation and its formula over base aggregates.

    ``kind``: ``ratio`` (value = num / den x scale), ``count`` (value = num; den empty),
    ``mean`` (value = sum / n), ``quantile`` (value from ``value``; den = the count behind it).
    ``source`` names the base-aggregate family; ``den_source`` when the denominator comes from
    another table (occupancy: handle time from contacts over productive time from schedules).
    """

    name: str
    label_en: str
    label_ko: str
    unit: str  # ratio | seconds | count | score | points
    direction: Literal["higher", "lower", "none"]
    default_target: float | None
    formula: str
    kind: Literal["ratio", "count", "mean", "quantile"]
    source: str
    num: Builder | None = None
    den: Builder | None = None
    value: Builder | None = None
    den_source: str | None = None
    scale: float = 1.0
    group: str = "live"  # live | async | customer | other | quality
    threshold_unit: str | None = None  # 's' for SL-like, 'h' for response rates
    fixed_params: dict[str, Any] = field(default_factory=dict)
    interval_stats: bool = False  # can also be computed from interval_stats counts
    target_range: tuple[float, float] | None = None

    def params(self, params: MetricParams | None) -> MetricParams:
        """``params`` with this metric's fixed parameters applied (e.g. response_rate_16h)."""
        p = params or MetricParams()
        return p.model_copy(update=self.fixed_params) if self.fixed_params else p

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label_en": self.label_en,
            "label_ko": self.label_ko,
            "unit": self.unit,
            "direction": self.direction,
            "default_target": self.default_target,
            "kind": self.kind,
            "group": self.group,
            "formula": self.formula,
        }


def _sl_num(variant: str) -> Builder:
    def f(b: Any, p: MetricParams) -> Any:
        v = variant or p.sl_variant
        if v == "abandons_within_t_success":
            return b.answered_within_t() + b.abandoned_within_t()
        return b.answered_within_t()

    return f


def _sl_den(variant: str) -> Builder:
    def f(b: Any, p: MetricParams) -> Any:
        v = variant or p.sl_variant
        if v == "answered_only":
            return b.answered()
        if v == "abandons_within_t_excluded":
            return b.offered() - b.abandoned_within_t()
        return b.offered()

    return f


def service_level_parts(b: Any, p: MetricParams) -> tuple[Any, Any]:
    """(numerator, denominator) of the SL variant in ``p`` over base aggregates ``b``."""
    return _sl_num("")(b, p), _sl_den("")(b, p)


_SL_DOC = {
    "default": "answered within T / (offered - short abandons)  [abandons count against]",
    "answered_only": "answered within T / answered",
    "abandons_within_t_excluded": (
        "answered within T / (offered - short abandons - abandoned within T)"
    ),
    "abandons_within_t_success": (
        "(answered within T + abandoned within T) / (offered - short abandons)"
    ),
}

_METRICS: list[Metric] = []


def _add(m: Metric) -> Metric:
    _METRICS.append(m)
    return m


# ---- live -------------------------------------------------------------------------------
_add(Metric("offered", "Offered", "인입", "count", "none", None,
            "answered + abandoned, short abandons (wait < short_abandon_s) removed",
            "count", "contacts", num=lambda b, p: b.offered(), interval_stats=True))  # fmt: skip
_add(Metric("answered", "Answered", "응대", "count", "none", None,
            "contacts answered by an agent (live queues)",
            "count", "contacts", num=lambda b, p: b.answered(), interval_stats=True))  # fmt: skip
_add(Metric("abandoned", "Abandoned", "포기", "count", "none", None,
            "abandoned before an answer, short abandons removed",
            "count", "contacts", num=lambda b, p: b.abandoned(), interval_stats=True))  # fmt: skip
_add(Metric("short_abandons", "Short abandons", "단기 포기", "count", "none", None,
            "abandoned with wait < short_abandon_s (removed from offered and abandoned)",
            "count", "contacts", num=lambda b, p: b.short_abandoned(), interval_stats=True))  # fmt: skip
for _variant, _suffix in (
    ("", ""),
    ("answered_only", "_answered_only"),
    ("abandons_within_t_excluded", "_abandons_excluded"),
    ("abandons_within_t_success", "_abandons_success"),
):
    _add(
        Metric(
            "service_level" + _suffix,
            "Service level" + (f" ({_variant.replace('_', ' ')})" if _variant else ""),
            "서비스 레벨" + (f" ({_variant})" if _variant else ""),
            "ratio",
            "higher",
            0.8,
            (
                _SL_DOC[_variant]
                if _variant
                else _SL_DOC["default"] + " (the default variant; sl_variant selects another)"
            )
            + "; within T means wait <= threshold_s",
            "ratio",
            "contacts",
            num=_sl_num(_variant),
            den=_sl_den(_variant),
            interval_stats=True,
            threshold_unit="s",
            target_range=(0.0, 1.0),
        )
    )
_add(Metric("asa_s", "Average speed of answer", "평균 응답 속도", "seconds", "lower", 20.0,
            "sum of waits of answered / answered", "mean", "contacts",
            num=lambda b, p: b.wait_answered_s(), den=lambda b, p: b.answered(),
            interval_stats=True, target_range=(0.0, 86_400.0)))  # fmt: skip
_add(Metric("abandon_rate", "Abandon rate", "포기율", "ratio", "lower", 0.05,
            "abandoned / offered (short abandons removed from both)", "ratio", "contacts",
            num=lambda b, p: b.abandoned(), den=lambda b, p: b.offered(),
            interval_stats=True, target_range=(0.0, 1.0)))  # fmt: skip
_add(Metric("aht_s", "Average handle time", "평균 처리 시간", "seconds", "lower", 300.0,
            "sum of handle_s (talk + hold + wrap) / contacts handled by an agent", "mean",
            "contacts", num=lambda b, p: b.handle_s(), den=lambda b, p: b.handled(),
            interval_stats=True, target_range=(0.0, 86_400.0)))  # fmt: skip
_add(Metric("occupancy", "Occupancy", "점유율", "ratio", "none", 0.85,
            "handle seconds of agent-handled contacts / (productive seconds in schedules x the "
            "queue's concurrency: a chat agent at concurrency 2 has two seats)", "ratio",
            "contacts", num=lambda b, p: b.handle_s(), den=lambda b, p: b.capacity_s(),
            den_source="schedules", target_range=(0.0, 1.0)))  # fmt: skip
_add(Metric("pct_intervals_meeting_sl", "% intervals meeting SL", "SL 달성 구간 비율", "ratio",
            "higher", 0.8,
            "intervals (interval_minutes) with SL >= sl_target / intervals with offered > 0",
            "ratio", "intervals", num=lambda b, p: b.intervals_met(),
            den=lambda b, p: b.intervals_n(), interval_stats=True, threshold_unit="s",
            target_range=(0.0, 1.0)))  # fmt: skip

# ---- async ------------------------------------------------------------------------------
_add(Metric("frt_mean_s", "First response time (mean, calendar)", "첫 응답 시간 (평균)",
            "seconds", "lower", None, "sum of wait_s of responded async contacts / responded",
            "mean", "contacts", num=lambda b, p: b.frt_sum(), den=lambda b, p: b.responded(),
            group="async"))  # fmt: skip
_add(Metric("frt_median_s", "First response time (median, calendar)", "첫 응답 시간 (중앙값)",
            "seconds", "lower", None, "median wait_s of responded async contacts; den = responded",
            "quantile", "contacts", value=lambda b, p: b.frt_quantile(0.5),
            den=lambda b, p: b.responded(), group="async"))  # fmt: skip
_add(Metric("frt_p90_s", "First response time (p90, calendar)", "첫 응답 시간 (90%)",
            "seconds", "lower", None, "90th percentile wait_s of responded async contacts",
            "quantile", "contacts", value=lambda b, p: b.frt_quantile(0.9),
            den=lambda b, p: b.responded(), group="async"))  # fmt: skip
_add(Metric("frt_business_mean_s", "First response time (mean, business)",
            "첫 응답 시간 (평균, 영업시간)", "seconds", "lower", None,
            "sum of first_response_business_s / responded (center business hours and holidays)",
            "mean", "contacts", num=lambda b, p: b.frt_business_sum(),
            den=lambda b, p: b.responded_business(), group="async"))  # fmt: skip
_add(Metric("frt_business_median_s", "First response time (median, business)",
            "첫 응답 시간 (중앙값, 영업시간)", "seconds", "lower", None,
            "median first_response_business_s of responded async contacts", "quantile",
            "contacts", value=lambda b, p: b.frt_business_quantile(0.5),
            den=lambda b, p: b.responded_business(), group="async"))  # fmt: skip
_add(Metric("frt_business_p90_s", "First response time (p90, business)",
            "첫 응답 시간 (90%, 영업시간)", "seconds", "lower", None,
            "90th percentile first_response_business_s of responded async contacts", "quantile",
            "contacts", value=lambda b, p: b.frt_business_quantile(0.9),
            den=lambda b, p: b.responded_business(), group="async"))  # fmt: skip


def _rr_num(b: Any, p: MetricParams) -> Any:
    return b.responded_within(p.response_hours)


def _rr_den(b: Any, p: MetricParams) -> Any:
    return b.response_due(p.response_hours)


_RR_DOC = (
    "responded within {h} business hours / (responded + unanswered whose deadline has passed "
    "at as_of); unanswered contacts still before their deadline are left out"
)
_add(Metric("response_rate", "Response rate within N business hours", "N시간 내 응답률", "ratio",
            "higher", 0.9, _RR_DOC.format(h="N (response_hours)"), "ratio", "contacts",
            num=_rr_num, den=_rr_den, group="async", threshold_unit="h",
            target_range=(0.0, 1.0)))  # fmt: skip
for _h in DEFAULT_RESPONSE_HOURS:
    _add(
        Metric(
            f"response_rate_{_h}h",
            f"Response rate within {_h} business hours",
            f"{_h}시간 내 응답률",
            "ratio",
            "higher",
            0.9,
            _RR_DOC.format(h=_h),
            "ratio",
            "contacts",
            num=_rr_num,
            den=_rr_den,
            group="async",
            fixed_params={"response_hours": float(_h)},
            target_range=(0.0, 1.0),
        )
    )
_add(Metric("resolution_time_s", "Resolution time (mean, calendar)", "해결 시간 (평균)", "seconds",
            "lower", None, "sum of (resolved_at - created_at) / resolved contacts", "mean",
            "contacts", num=lambda b, p: b.resolution_sum(), den=lambda b, p: b.resolved(),
            group="async"))  # fmt: skip
_add(Metric("resolution_business_s", "Resolution time (mean, business)", "해결 시간 (영업시간)",
            "seconds", "lower", None,
            "sum of resolution_business_s / resolved contacts with a business time", "mean",
            "contacts", num=lambda b, p: b.resolution_business_sum(),
            den=lambda b, p: b.resolved_business(), group="async"))  # fmt: skip
_add(Metric("reopen_rate", "Reopen rate", "재오픈율", "ratio", "lower", 0.05,
            "resolved contacts reopened / resolved contacts", "ratio", "contacts",
            num=lambda b, p: b.reopened(), den=lambda b, p: b.resolved(), group="async",
            target_range=(0.0, 1.0)))  # fmt: skip
_add(Metric("backlog", "Backlog at period end", "미처리 잔량", "count", "lower", None,
            "async agent contacts created before the period end and not resolved (or abandoned) "
            "by it", "count", "backlog", num=lambda b, p: b.backlog(), group="async"))  # fmt: skip

# ---- customer ---------------------------------------------------------------------------
_add(Metric("csat", "CSAT (top-2-box)", "고객 만족도 (CSAT)", "ratio", "higher", 0.85,
            "responses of 4 or 5 / responses 1-5 (contacts.csat)", "ratio", "contacts",
            num=lambda b, p: b.csat_top2(), den=lambda b, p: b.csat_n(), group="customer",
            target_range=(0.0, 1.0)))  # fmt: skip
_add(Metric("ces", "CES (mean, 1-7)", "고객 노력 점수 (CES)", "score", "higher", 6.5,
            "sum of CES scores / responses (contacts.ces, 1-7 scale)", "mean", "contacts",
            num=lambda b, p: b.ces_sum(), den=lambda b, p: b.ces_n(), group="customer",
            target_range=(1.0, 7.0)))  # fmt: skip
_add(Metric("ces_high_share", "CES share >= 6", "CES 6점 이상 비율", "ratio", "higher", 0.8,
            "responses of 6 or 7 / CES responses", "ratio", "contacts",
            num=lambda b, p: b.ces_high(), den=lambda b, p: b.ces_n(), group="customer",
            target_range=(0.0, 1.0)))  # fmt: skip
_add(Metric("nps", "NPS", "순추천지수 (NPS)", "points", "higher", 30.0,
            "100 x (promoters 9-10 - detractors 0-6) / responses (surveys kind 'nps'); "
            "num = promoters - detractors", "ratio", "surveys",
            num=lambda b, p: b.nps_net(), den=lambda b, p: b.nps_n(), scale=100.0,
            group="customer", target_range=(-100.0, 100.0)))  # fmt: skip
_add(Metric("qa_score", "QA score", "QA 점수", "score", "higher", 85.0,
            "mean evaluation score: sum(weight x item score 0-100) / sum(weight) over items not "
            "N/A; a failed critical item makes the evaluation 0 (ops.qa.scoring)", "mean", "qa",
            num=lambda b, p: b.qa_sum(), den=lambda b, p: b.qa_n(), group="quality",
            target_range=(0.0, 100.0)))  # fmt: skip
_add(Metric("repeat_contact_rate", "Repeat contact rate", "재문의율", "ratio", "lower", 0.1,
            "contacts flagged is_repeat (same customer, same level-1 tag within 7 days) / contacts",
            "ratio", "contacts", num=lambda b, p: b.repeats(), den=lambda b, p: b.contacts(),
            group="other", target_range=(0.0, 1.0)))  # fmt: skip
_add(Metric("bot_containment", "Bot containment", "봇 자체 해결률", "ratio", "higher", 0.3,
            "handled_by in (bot, self_serve) / contacts started in the bot (via_bot or handled "
            "there)", "ratio", "contacts", num=lambda b, p: b.bot_contained(),
            den=lambda b, p: b.bot_started(), group="other",
            target_range=(0.0, 1.0)))  # fmt: skip

METRICS: dict[str, Metric] = {m.name: m for m in _METRICS}

DEFAULT_REPORT_METRICS: tuple[str, ...] = (
    "offered",
    "answered",
    "abandoned",
    "service_level",
    "asa_s",
    "abandon_rate",
    "aht_s",
    "frt_business_mean_s",
    "response_rate_16h",
    "csat",
    "ces",
)


def get_metric(name: str) -> Metric:
    """The registered metric ``name`` (ConfigError listing the known names otherwise)."""
    try:
        return METRICS[name]
    except KeyError:
        raise ConfigError(
            f"Unknown metric {name!r}; known metrics: {', '.join(sorted(METRICS))}"
        ) from None


def formula(name: str) -> str:
    """Human-readable formula of a metric (what the dashboard's 'how is this computed' shows)."""
    m = get_metric(name)
    return f"{m.name} [{m.unit}, {m.direction} is better]: {m.formula}"


def list_metrics() -> list[dict[str, Any]]:
    """Every metric's definition as plain dicts (for docs, the dashboard and `ccops sla metrics`)."""
    return [m.describe() for m in _METRICS]
