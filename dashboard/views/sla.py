"""SLA vs actual: the contact-center manager's page. Where and when did we miss, and why?

Every number comes from ``ops.sla.metric_table`` with its numerator and denominator beside it and the
registry formula on screen. A missed day drills down to its intervals, and an interval to the
contacts behind it (the raw rows, downloadable).
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard import queries
from dashboard.components.charts import STATUS_COLORS, show, target_line
from dashboard.components.kpi import status_of
from dashboard.components.page import page_start
from dashboard.components.tables import data_table
from dashboard.components.this_month import intraday_watch
from dashboard.context import (
    call,
    center_names,
    get_filters,
    guarded,
    metric_filters,
    metric_formula,
    metric_label,
    metric_parameters,
)
from dashboard.i18n import channel_name, fmt_date, fmt_int, fmt_value, t, weekday_labels

METRIC_CHOICES = (
    "service_level",
    "asa_s",
    "abandon_rate",
    "pct_intervals_meeting_sl",
    "aht_s",
    "response_rate_3h",
    "response_rate_6h",
    "response_rate_16h",
    "response_rate_24h",
    "frt_business_mean_s",
    "reopen_rate",
)
DIMENSIONS = ("center", "center_kind", "channel", "queue", "segment")
PERIODS = ("day", "week", "month")


def _axis(m) -> dict:  # noqa: ANN001
    return {"tickformat": ".0%"} if m.unit == "ratio" else {}


def render() -> None:
    from ops.sla import get_metric, metric_table
    from ops.sla.metrics import finish_metric_frame

    opts = page_start("sla")
    if opts is None:
        return
    tab_actual, tab_intra = st.tabs(
        [t("sla.tab.actual"), t("sla.tab.intraday")], key="sla_tab", on_change="rerun"
    )
    # only the open tab runs its queries (st.tabs with on_change="rerun" reports .open)
    if tab_intra.open:
        with tab_intra:
            intraday_watch(opts)
    if tab_actual.open:
        with tab_actual:
            _actual(get_metric, metric_table, finish_metric_frame)


def _actual(get_metric, metric_table, finish_metric_frame) -> None:  # noqa: ANN001
    """The SLA vs actual view: trend, totals, heatmap, drill-down."""
    f = get_filters()
    flt = metric_filters(f)
    c1, c2, c3 = st.columns([2, 2, 1])
    metric = c1.selectbox(
        t("sla.metric"), METRIC_CHOICES, format_func=metric_label, key="sla_metric"
    )
    dim = c2.segmented_control(
        t("sla.by"), DIMENSIONS, format_func=lambda d: t(f"sla.dim.{d}"), key="sla_dim",
        default="center", required=True,
    )  # fmt: skip
    period = c3.selectbox(
        t("sla.period"), PERIODS, format_func=lambda p: t(f"sla.period.{p}"), key="sla_period"
    )
    m = get_metric(metric)
    target = m.default_target
    values = metric_parameters(m.name)
    formula = metric_formula(m.name)
    st.caption(
        t("sla.formula_values", formula=formula, values=values)
        if values
        else t("sla.formula", formula=formula)
    )

    window = {"start": f.start, "end": f.end, "filters": flt}
    table = call(metric_table, (metric,), period=period, by=(dim,), **window)
    if table.empty or not (table[f"{metric}_den"].fillna(0).sum() or table[metric].notna().any()):
        st.info(t("app.empty_selection"))
        return
    key_col = table.columns[1]
    if key_col == "center_id":
        table["label"] = table[key_col].map(center_names()).fillna(table[key_col])
    elif key_col == "channel":
        table["label"] = table[key_col].map(channel_name)
    else:
        table["label"] = table[key_col].astype(str)
    fig = px.line(
        table, x="period", y=metric, color="label", markers=True,
        labels={"period": t("col.date"), metric: metric_label(metric), "label": t(f"sla.dim.{dim}")},
        hover_data={f"{metric}_num": ":,.0f", f"{metric}_den": ":,.0f"},
    )  # fmt: skip
    fig.update_yaxes(**_axis(m))
    target_line(fig, target, t("sla.target_line", target=fmt_value(target, m.unit)))
    show(fig, "sla_trend", title=t("sla.trend_title", metric=metric_label(metric)), height=380)

    totals = call(metric_table, (metric,), period="all", by=(dim,), **window)
    totals["status"] = [
        t(f"kpi.{s}") if (s := status_of(v, target, m.direction, metric)) else t("kpi.no_target")
        for v in totals[metric]
    ]
    # the group's name first, as in the chart's legend (the id stays in its own column)
    key = key_col  # the same group column as the trend's
    if key in ("center_id", "channel") and key in totals.columns:
        names = center_names() if key == "center_id" else None
        label = (
            totals[key].map(names).fillna(totals[key]) if names else totals[key].map(channel_name)
        )
        totals.insert(0, "name", label)
    st.subheader(t("sla.by_title", dim=t(f"sla.dim.{dim}")))
    data_table(
        totals,
        key="sla_totals",
        file_stem=f"sla_{metric}_by_{dim}",
        # the name column takes the dimension's header; a channel's id column says it is the id
        column_config={"name": t(f"sla.dim.{dim}")}
        | ({"channel": t("col.channel_id")} if "name" in totals and key == "channel" else {}),
    )

    _heatmap(metric, m, window, finish_metric_frame)
    _drilldown(metric, m, target, flt, window)


def _heatmap(metric: str, m, window: dict, finish) -> None:  # noqa: ANN001
    """Weekday x time-of-day: interval numerators and denominators summed per cell, and the value
    recomputed by the engine's own ``finish_metric_frame`` (the metric's one definition)."""
    from ops.sla import metric_table

    st.subheader(t("sla.heatmap"))
    if m.kind not in ("ratio", "mean"):
        st.caption(t("sla.heatmap_na"))
        return
    iv = call(metric_table, (metric,), period="interval", **window)
    if iv.empty:
        st.caption(t("app.empty_selection"))
        return
    ts = pd.to_datetime(iv["period"])
    iv = iv.assign(weekday=ts.dt.weekday, time=ts.dt.strftime("%H:%M"))
    cells = iv.groupby(["weekday", "time"], as_index=False)[
        [f"{metric}_num", f"{metric}_den"]
    ].sum()
    cells = finish(cells, [m], ["weekday", "time"])
    grid = cells.pivot(index="weekday", columns="time", values=metric).reindex(range(7))
    grid.index = weekday_labels()
    fig = go.Figure(
        go.Heatmap(
            z=grid.values, x=list(grid.columns), y=list(grid.index),
            colorscale="RdYlGn" if m.direction == "higher" else "RdYlGn_r",
            colorbar={"tickformat": ".0%" if m.unit == "ratio" else ""},
            hovertemplate="%{y} %{x}: %{z:.3f}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed")
    show(fig, "sla_heatmap", height=320)
    st.caption(t("sla.heatmap_help"))


def _drilldown(metric: str, m, target: float | None, flt: dict, window: dict) -> None:  # noqa: ANN001
    from ops.sla import metric_table

    st.subheader(t("sla.drill"))
    daily = call(metric_table, (metric,), period="day", **window)
    daily = daily[daily[f"{metric}_den"].fillna(0) > 0] if f"{metric}_den" in daily else daily
    if daily.empty:
        st.caption(t("app.empty_selection"))
        return
    daily["status"] = [status_of(v, target, m.direction, metric) for v in daily[metric]]
    missed = daily[daily["status"].isin(["bad", "warn"])]
    pool = missed if not missed.empty else daily
    worst_first = pool.sort_values(metric, ascending=m.direction == "higher")
    days = [pd.Timestamp(d).date() for d in worst_first["period"]]
    st.caption(
        t("sla.missed_days", missed=fmt_int(len(missed)), days=fmt_int(len(daily)))
        if target is not None
        else t("sla.no_target_days")
    )
    values = dict(zip(days, worst_first[metric], strict=False))
    day = st.selectbox(
        t("sla.pick_day"), days, key="sla_day",
        format_func=lambda d: f"{fmt_date(d)} · {fmt_value(values.get(d), m.unit)}",
    )  # fmt: skip
    if day is None:
        return
    iv = call(metric_table, (metric,), period="interval", start=day, end=day, filters=flt)
    iv = iv[iv[f"{metric}_den"].fillna(0) > 0] if f"{metric}_den" in iv else iv
    if iv.empty:
        st.caption(t("app.empty_selection"))
        return
    iv["status"] = [status_of(v, target, m.direction, metric) or "none" for v in iv[metric]]
    fig = px.bar(
        iv, x="period", y=metric, color="status",
        color_discrete_map={k or "none": c for k, c in STATUS_COLORS.items()},
        labels={"period": t("sla.interval"), metric: metric_label(metric)},
        hover_data={f"{metric}_num": ":,.0f", f"{metric}_den": ":,.0f"},
    )  # fmt: skip
    fig.update_yaxes(**_axis(m))
    fig.update_layout(showlegend=False)
    target_line(fig, target, t("col.target"))
    show(fig, "sla_day_intervals", title=t("sla.day_title", day=fmt_date(day)), height=320)
    data_table(iv.drop(columns=["status"]), key="sla_intervals", file_stem=f"sla_{metric}_{day}")

    order = iv.sort_values(metric, ascending=m.direction == "higher")["period"].tolist()
    slot = st.selectbox(
        t("sla.pick_interval"), order, key="sla_interval",
        format_func=lambda p: pd.Timestamp(p).strftime("%H:%M"),
    )  # fmt: skip
    if slot is None:
        return
    start = pd.Timestamp(slot)
    minutes = 30
    mode = m.group if m.group in ("live", "async") else None
    contacts = call(
        queries.contacts_between, start, start + timedelta(minutes=minutes), flt, mode=mode
    )
    st.caption(
        t("sla.contacts_in" + (f"_{mode}" if mode else ""), n=fmt_int(len(contacts)),
          start=start.strftime("%Y-%m-%d %H:%M"), minutes=minutes)
    )  # fmt: skip
    data_table(contacts, key="sla_contacts", file_stem=f"contacts_{start:%Y%m%d_%H%M}")


guarded(render, "sla")
