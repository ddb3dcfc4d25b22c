"""Plotly helpers with one look: a Korean-capable font, compact margins, readable hover labels.

Pages build figures with plotly express and pass them through :func:`show`, which applies the ccops
template, so Hangul renders in the browser and in exported images alike.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

FONT_FAMILY = "Noto Sans CJK KR, Noto Sans KR, Malgun Gothic, Apple SD Gothic Neo, sans-serif"
STATUS_COLORS = {"ok": "#2e7d32", "warn": "#f9a825", "bad": "#c62828", None: "#9e9e9e"}
SERIES_COLORS = ["#1f6feb", "#e8590c", "#2f9e44", "#9c36b5", "#0ca678", "#f08c00", "#d6336c"]

pio.templates["ccops"] = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT_FAMILY, "size": 13},
        colorway=SERIES_COLORS,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0, "title": {"text": ""}},
    )
)
#: plotly's own template with ccops' on top, merged once and made the default of every figure of
#: the process: a figure then gets it when built (plotly express and ``go.Figure`` alike), where
#: naming "plotly+ccops" on each figure merged and validated both templates again, figure by
#: figure (a third of a warm Overview rerun's time went there).
TEMPLATE = "ccops_plotly"
pio.templates[TEMPLATE] = pio.templates.merge_templates("plotly", "ccops")
pio.templates.default = TEMPLATE


# date axes read 2026-11-23 in both languages (ISO, like the tables), not "Oct 4"
DATE_TICKS = [
    {"dtickrange": [None, 86_400_000], "value": "%m-%d %H:%M"},
    {"dtickrange": [86_400_000, None], "value": "%Y-%m-%d"},
]


def _is_dates(values: object) -> bool:
    try:
        first = next(iter(v for v in values if v is not None))  # type: ignore[attr-defined]
    except (StopIteration, TypeError):
        return False
    return isinstance(first, (date, datetime, np.datetime64, pd.Timestamp)) or (
        isinstance(first, str) and len(first) >= 10 and first[4] == "-" and first[7] == "-"
    )


def style(fig: go.Figure, *, title: str | None = None, height: int | None = None) -> go.Figure:
    """Apply the ccops template (font, colors, margins, ISO date ticks) and optional title/height.

    Legends sit under the plot so they never collide with the title; date x axes lose their
    (obvious) title to make room for it.
    """
    if fig.layout.template.layout.font.family != FONT_FAMILY:  # built before the default was set
        fig.update_layout(template=TEMPLATE)
    fig.update_layout(font_family=FONT_FAMILY)
    if any(getattr(tr, "x", None) is not None and _is_dates(tr.x) for tr in fig.data):
        fig.update_xaxes(tickformatstops=DATE_TICKS, title_text="")
    if title is not None:
        fig.update_layout(
            title={"text": title, "font": {"size": 15}, "y": 0.98, "yanchor": "top", "x": 0},
            margin={"t": 45},
        )
    if height is not None:
        fig.update_layout(height=height)
    return fig


def show(fig: go.Figure, key: str, *, title: str | None = None, height: int | None = None) -> Any:
    """Draw a styled figure full width."""
    return st.plotly_chart(
        style(fig, title=title, height=height),
        key=key,
        config={"displaylogo": False, "locale": "ko" if _is_ko() else "en"},
    )


def _is_ko() -> bool:
    from dashboard.i18n import current_lang

    return current_lang() == "ko"


def target_line(fig: go.Figure, target: float | None, label: str) -> go.Figure:
    """A dashed horizontal line at ``target``."""
    if target is not None:
        fig.add_hline(
            y=target,
            line_dash="dash",
            line_color=STATUS_COLORS["bad"],
            annotation_text=label,
            annotation_position="top left",
        )
    return fig


LABEL_ROW_PX = 13  # vertical step between rows of band labels (10 px font)
LABEL_PLOT_PX = 900  # the plot area's width a label's length is measured against


def label_width_px(label: str) -> float:
    """Rough drawn width of a 10 px label: 6 px per Latin character, 10 per Hangul or other
    wide character."""
    return sum(6.0 if ord(ch) < 0x1100 else 10.0 for ch in str(label))


def label_rows(starts: list[pd.Timestamp], labels: list[str], span_days: int) -> list[int]:
    """Row (0 = top) of each band label on a date axis ``span_days`` wide, so that no two labels
    overlap: each label, left-aligned at its start date, takes the first row whose previous label
    ends before it. Labels in start order; the result follows the input order."""
    px_per_day = LABEL_PLOT_PX / max(span_days, 1)
    order = sorted(range(len(starts)), key=lambda i: starts[i])
    row_ends: list[pd.Timestamp] = []
    out = [0] * len(starts)
    for i in order:
        end = starts[i] + pd.Timedelta(days=(label_width_px(labels[i]) + 8) / px_per_day)
        row = next((k for k, e in enumerate(row_ends) if e <= starts[i]), len(row_ends))
        if row == len(row_ends):
            row_ends.append(end)
        else:
            row_ends[row] = end
        out[i] = row
    return out
