"""The calls a page's first view makes, where more than one place needs them.

The Overview page draws from the functions here and the cache warm-up (:mod:`dashboard.warmup`)
calls :func:`overview_frames`, which makes the same calls, so the warm-up fills exactly the cache entries the page reads. Pages are
scripts (Streamlit runs them), so what both share lives here, in an importable module.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.context import Filters, call, metric_filters

#: Overview's KPI cards, in order.
OVERVIEW_KPIS = ("service_level", "asa_s", "abandon_rate", "response_rate_24h", "csat", "aht_s")
#: the registry's "contacts" base count is the denominator of the repeat-contact rate
OVERVIEW_VOLUME = "repeat_contact_rate"


def _window(f: Filters) -> dict[str, Any]:
    return dict(start=f.start, end=f.end, filters=metric_filters(f))


def overview_totals(f: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Overview's cards: volume and the KPIs over the window (``period="all"``) and by day."""
    from ops.sla import metric_table

    names = (OVERVIEW_VOLUME, *OVERVIEW_KPIS)
    return (
        call(metric_table, names, period="all", **_window(f)),
        call(metric_table, names, period="day", **_window(f)),
    )


def overview_by_channel(f: Filters) -> pd.DataFrame:
    """Daily volume by channel."""
    from ops.sla import metric_table

    return call(metric_table, (OVERVIEW_VOLUME,), period="day", by=("channel",), **_window(f))


def overview_by_center(f: Filters) -> pd.DataFrame:
    """Volume by center x channel over the window."""
    from ops.sla import metric_table

    by = ("center", "channel")
    return call(metric_table, (OVERVIEW_VOLUME,), period="all", by=by, **_window(f))


def overview_sl(f: Filters) -> pd.DataFrame:
    """Daily service level by center."""
    from ops.sla import metric_table

    return call(metric_table, ("service_level",), period="day", by=("center",), **_window(f))


def overview_frames(f: Filters) -> None:
    """Every call of Overview's first view (the cache warm-up's step for Overview)."""
    overview_totals(f)
    overview_by_channel(f)
    overview_by_center(f)
    overview_sl(f)
