"""Overview: the first page after sign-in. Is the store live, how much came in, how was service?

Volume by channel and center and service level by day come from the SLA engine's metric table
(``ops.sla.metric_table``, one definition per metric); the page only lays them out.
"""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboard.components.charts import show, target_line
from dashboard.components.kpi import kpi_row, status_of
from dashboard.components.page import page_start
from dashboard.components.tables import data_table
from dashboard.context import (
    center_names,
    get_filters,
    guarded,
    metric_formula,
    metric_label,
    service,
)
from dashboard.i18n import channel_name, fmt_date, fmt_value, t
from dashboard.page_data import OVERVIEW_KPIS as KPIS
from dashboard.page_data import OVERVIEW_VOLUME as VOLUME
from dashboard.page_data import (
    overview_by_center,
    overview_by_channel,
    overview_sl,
    overview_totals,
)


def render() -> None:
    opts = page_start("overview")
    if opts is None:
        return
    f = get_filters()
    st.caption(t("overview.window", start=fmt_date(f.start), end=fmt_date(f.end)))
    metric_table = service("ops.sla", "metric_table")
    if metric_table is None:
        cols = st.columns(3)
        cols[0].metric(t("overview.contacts_loaded"), f"{opts['contacts']:,}")
        cols[1].metric(t("overview.centers"), len(opts["centers"]))
        cols[2].metric(t("overview.queues"), len(opts["queues"]))
        return
    from ops.sla import get_metric

    # the same calls the cache warm-up makes (dashboard.page_data, dashboard.warmup)
    total, daily = overview_totals(f)
    if total.empty or not total[f"{VOLUME}_den"].sum():
        st.info(t("app.empty_selection"))
        return
    row = total.iloc[0]
    cards = [
        {
            "label": t("overview.volume"),
            "value": fmt_value(row[f"{VOLUME}_den"], "count"),
            "spark": daily[f"{VOLUME}_den"].tolist(),
            "help": t("overview.volume_help"),
        }
    ]
    for name in KPIS:
        m = get_metric(name)
        cards.append(
            {
                "label": metric_label(name),
                "value": fmt_value(row[name], m.unit),
                "target": fmt_value(m.default_target, m.unit)
                if m.default_target is not None
                else None,
                "status": status_of(row[name], m.default_target, m.direction, name),
                "spark": daily[name].tolist(),
                "help": metric_formula(name),
            }
        )
    kpi_row(cards, per_row=4)

    names = center_names()
    by_channel = overview_by_channel(f).rename(columns={f"{VOLUME}_den": "contacts"})
    by_channel["channel"] = by_channel["channel"].map(channel_name)
    fig = px.area(
        by_channel, x="period", y="contacts", color="channel",
        labels={"period": t("col.date"), "contacts": t("col.contacts"), "channel": t("col.channel")},
    )  # fmt: skip
    show(fig, "overview_by_channel", title=t("overview.by_channel"), height=340)

    left, right = st.columns(2)
    by_center = overview_by_center(f)
    by_center["center"] = by_center["center_id"].map(names).fillna(by_center["center_id"])
    by_center["channel"] = by_center["channel"].map(channel_name)
    fig = px.bar(
        by_center, x="center", y=f"{VOLUME}_den", color="channel",
        labels={"center": t("col.center"), f"{VOLUME}_den": t("col.contacts"),
                "channel": t("col.channel")},
    )  # fmt: skip
    with left:
        show(fig, "overview_by_center", title=t("overview.by_center"), height=360)
    sl = overview_sl(f)
    sl["center"] = sl["center_id"].map(names).fillna(sl["center_id"])
    fig = px.line(
        sl, x="period", y="service_level", color="center", markers=True,
        labels={"period": t("col.date"), "service_level": metric_label("service_level"),
                "center": t("col.center")},
    )  # fmt: skip
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    target_line(fig, get_metric("service_level").default_target, t("col.target"))
    with right:
        show(fig, "overview_sl_by_day", title=t("overview.sl_by_day"), height=360)

    st.subheader(t("overview.table"))
    # a center-day with no live contacts (closed) has no service level: no row for it
    table = sl.loc[sl["service_level_den"].fillna(0) > 0,
                   ["period", "center_id", "center", "service_level", "service_level_num",
                    "service_level_den"]]  # fmt: skip
    data_table(table, key="overview_sl", file_stem="service_level_by_day")


guarded(render, "overview")
