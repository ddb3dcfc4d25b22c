"""KPI card: value, target, traffic-light status and a trend sparkline.

The status comes from the service (the SLA engine knows each metric's direction and target); the card
only colors it. Sparklines are ``st.metric``'s own ``chart_data``.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard.i18n import t

_BADGE = {"ok": ("green", "kpi.ok"), "warn": ("orange", "kpi.warn"), "bad": ("red", "kpi.bad")}


def kpi_card(
    label: str,
    value: str,
    *,
    target: str | None = None,
    status: str | None = None,
    spark: Sequence[float] | None = None,
    delta: str | None = None,
    help: str | None = None,
) -> None:
    """One bordered card. ``status`` is ``ok`` | ``warn`` | ``bad`` | None (no target)."""
    with st.container(border=True):
        st.metric(
            label,
            value,
            delta=delta,
            delta_color="off" if delta is None else "normal",
            help=help,
            chart_data=[float(v) for v in spark if v == v] if spark is not None else None,
            chart_type="line",
        )
        color, key = _BADGE.get(status or "", ("gray", "kpi.no_target"))
        text = t(key)
        if target:
            text += " · " + t("kpi.target", target=target)
        st.badge(text, color=color)


_STATUS = {"green": "ok", "amber": "warn", "red": "bad"}


def status_of(
    value: float | None, target: float | None, direction: str, metric: str | None = None
) -> str | None:
    """Traffic light (``ok`` | ``warn`` | ``bad`` | None) by the reports' one rule
    (:func:`ops.reports.kpi_status`), with the KPI's amber band where the reports define one and
    5 % of the target otherwise."""
    from ops.reports import KPI_SPECS, kpi_status

    if direction not in ("higher", "lower") or value is None or target is None:
        return None
    bands = {k.metric or k.name: k.amber_band for k in KPI_SPECS}
    band = bands.get(metric or "", abs(target) * 0.05)
    return _STATUS.get(str(kpi_status(float(value), float(target), direction, band)))


def status_from_report(status: str) -> str | None:
    """A reports ``KpiStatus`` value as a card status."""
    return _STATUS.get(str(status))


def kpi_row(cards: list[dict], per_row: int = 4) -> None:
    """Lay out ``kpi_card`` keyword dicts in rows of ``per_row``."""
    for i in range(0, len(cards), per_row):
        cols = st.columns(per_row)
        for col, card in zip(cols, cards[i : i + per_row], strict=False):
            with col:
                kpi_card(**card)
