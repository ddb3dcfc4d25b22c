"""SLA engine: metric registry, metric tables, contracts, compliance, penalties and what-ifs."""

from __future__ import annotations

from ops.sla.metrics import BackendReader, MetricContext, explain, metric_formulas, metric_table
from ops.sla.registry import (
    DEFAULT_REPORT_METRICS,
    METRICS,
    Metric,
    MetricParams,
    formula,
    get_metric,
    list_metrics,
)

__all__ = [
    "DEFAULT_REPORT_METRICS",
    "METRICS",
    "BackendReader",
    "Metric",
    "MetricContext",
    "MetricParams",
    "explain",
    "formula",
    "get_metric",
    "list_metrics",
    "metric_formulas",
    "metric_table",
]
