"""VOC: the CX lead's page. What are customers contacting us about, what is rising, who comes back,
how much do bots and self-service absorb, and what should we automate next?

All of it comes from ``ops.voc`` (tag reports and hierarchy, top movers, repeat flags, the support
funnel, automation candidates with FTE saved, anomaly days); the page lays it out.
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard import queries
from dashboard.components.charts import STATUS_COLORS, show
from dashboard.components.page import page_start
from dashboard.components.tables import data_table
from dashboard.context import call, guarded
from dashboard.context import get_filters as _filters
from dashboard.i18n import current_lang, fmt_date, fmt_int, fmt_num, fmt_pct, t

STAGE_KEYS = ("notices", "bot", "contained", "handed_off", "direct")


def render() -> None:
    from ops.voc import tag_hierarchy, tag_period_volume, tag_report, top_movers

    opts = page_start("voc")
    if opts is None:
        return
    f = _filters()
    ko = current_lang() == "ko"
    c1, c2 = st.columns(2)
    period = c1.segmented_control(t("voc.period"), ("week", "month"), default="week", required=True,
                                  key="voc_period", format_func=lambda p: t(f"sla.period.{p}"))  # fmt: skip
    level = c2.segmented_control(t("voc.level"), (1, 2, 3), default=3, required=True, key="voc_level",
                                 format_func=lambda lv: t("voc.level_n", n=lv))  # fmt: skip

    left, right = st.columns([3, 2])
    hier = call(tag_hierarchy, f.start, f.end)
    if hier.empty:
        st.info(t("app.empty_selection"))
        return
    with left:
        kind = st.segmented_control(t("voc.chart"), ("sunburst", "treemap"), default="sunburst",
                                    required=True, key="voc_chart",
                                    format_func=lambda k: t(f"voc.chart.{k}"))  # fmt: skip
        trace = go.Sunburst if kind == "sunburst" else go.Treemap
        fig = go.Figure(trace(ids=hier["id"], parents=hier["parent"],
                              labels=hier["label"] if ko else hier["label_en"].fillna(hier["label"]),
                              values=hier["value"], branchvalues="total", maxdepth=3))  # fmt: skip
        fig.update_layout(margin={"t": 10, "l": 0, "r": 0, "b": 0})
        show(fig, "voc_hierarchy", height=460)
    report = call(tag_report, period, int(level), as_of=f.end)
    movers = top_movers(report, 10) if len(report) else report
    with right:
        st.markdown(f"**{t('voc.movers', period=t(f'sla.period.{period}'))}**")
        compared = len(movers) and movers["change"].notna().any()
        if len(movers) and "comparison" in movers:
            note = str(movers["comparison"].iloc[0])
            days = {
                "days": int(movers["days"].iloc[0]),
                "prev_days": int(movers["prev_days"].iloc[0]),
            }
            if note.startswith("not compared"):
                st.info(t("voc.not_compared", period=t(f"sla.period.{period}"), **days))
            elif note.startswith("per day"):
                st.caption(t("voc.per_day", **days))
        if compared:
            name = movers["path"] if ko else movers["path_en"].fillna(movers["path"])
            fig = px.bar(movers.assign(name=name), x="change", y="name", orientation="h",
                         color=movers["change"] > 0,
                         color_discrete_map={True: STATUS_COLORS["bad"], False: STATUS_COLORS["ok"]},
                         hover_data=["volume", "prev_volume", "change_pct"],
                         labels={"change": t("voc.change"), "name": ""})  # fmt: skip
            fig.update_layout(showlegend=False)
            fig.update_yaxes(autorange="reversed")
            show(fig, "voc_movers", height=440)
        elif not len(movers):
            st.caption(t("app.empty_selection"))
    with st.expander(t("voc.report_table", n=fmt_int(len(report)))):
        data_table(report, key="voc_report_tbl", file_stem=f"tag_report_{period}_L{level}")
    new = report[report["is_new"]] if "is_new" in report else report.iloc[0:0]
    if len(new):
        st.warning(
            t(
                "voc.new_tags",
                tags=", ".join((new["path"] if ko else new["path_en"]).astype(str).head(8)),
            )
        )

    trend = call(tag_period_volume, period, 1, f.start, f.end)
    whole = trend[trend["days"] == trend["period_days"]] if len(trend) else trend
    partial_only = False
    if len(whole):  # weeks or months cut by the date range would read as drops: left out
        cut = sorted(set(trend["period_start"]) - set(whole["period_start"]))
        trend = whole
    else:  # no whole period in the range: all are shown, and said to be partial
        cut = sorted(set(trend["period_start"])) if len(trend) else []
        partial_only = True
    if len(trend):
        trend = trend.assign(
            tag=trend["level1"] if ko else trend["level1_en"].fillna(trend["level1"])
        )
        fig = px.area(trend, x="period_start", y="volume", color="tag",
                      labels={"period_start": t("col.date"), "volume": t("col.contacts"), "tag": ""})  # fmt: skip
        show(fig, "voc_trend", title=t("voc.trend_title"), height=340)
        if cut:
            st.caption(
                t(
                    "voc.partial_shown" if partial_only else "voc.partial_periods",
                    period=t(f"sla.period.{period}"),
                    starts=", ".join(fmt_date(pd.Timestamp(p)) for p in cut),
                )
            )

    tab_rep, tab_funnel, tab_auto, tab_anom = st.tabs(
        [t("voc.tab.repeat"), t("voc.tab.funnel"), t("voc.tab.automation"), t("voc.tab.anomalies")],
        key="voc_tab",
        on_change="rerun",
    )
    if tab_rep.open:
        with tab_rep:
            _repeats(f)
    if tab_funnel.open:
        with tab_funnel:
            _funnel(f)
    if tab_auto.open:
        with tab_auto:
            _automation(f, ko)
    if tab_anom.open:
        with tab_anom:
            _anomalies(f, ko)


def _repeats(f) -> None:  # noqa: ANN001
    from ops.voc import contact_flags

    by = st.selectbox(t("qa.by"), ("channel", "center", "tag", "segment"), key="voc_rep_by",
                      format_func=lambda b: t(f"voc.by.{b}"))  # fmt: skip
    flags = call(contact_flags, by, f.start, f.end)
    if flags.empty:
        st.caption(t("app.empty_selection"))
        return
    key = flags.columns[0]
    fig = go.Figure(go.Bar(
        x=flags[key].astype(str), y=flags["repeat_rate"],
        error_y={"type": "data", "symmetric": False, "array": flags["repeat_rate_hi"] - flags["repeat_rate"],
                 "arrayminus": flags["repeat_rate"] - flags["repeat_rate_lo"]},
        text=[fmt_pct(v) for v in flags["repeat_rate"]],
    ))  # fmt: skip
    fig.update_yaxes(tickformat=".0%")
    show(fig, "voc_repeat_chart", title=t("voc.repeat_title"), height=320)
    st.caption(t("voc.repeat_help"))
    data_table(flags, key="voc_repeat_tbl", file_stem=f"repeat_contacts_by_{by}")


def _funnel(f) -> None:  # noqa: ANN001
    from ops.voc import funnel_stages, support_funnel

    fun = call(support_funnel, None, f.start, f.end)
    if fun.empty or not fun["contacts"].sum():
        st.caption(t("app.empty_selection"))
        return
    notices = call(queries.events_between, f.start, f.end)
    notices = (
        notices[notices["kind"].isin(["campaign", "outage", "known_issue"])]
        if len(notices)
        else notices
    )
    stages = funnel_stages(fun.iloc[0], notices=len(notices))
    stages["stage"] = [t(f"voc.stage.{k}") for k in STAGE_KEYS[: len(stages)]]
    c1, c2 = st.columns([3, 2])
    fig = go.Figure(
        go.Funnel(y=stages["stage"], x=stages["contacts"], textinfo="value+percent initial")
    )
    with c1:
        show(fig, "voc_funnel", title=t("voc.funnel_title"), height=360)
    row = fun.iloc[0]
    with c2:
        st.metric(t("voc.containment"), fmt_pct(row["containment"]),
                  help=f"{fmt_pct(row['containment_lo'])} – {fmt_pct(row['containment_hi'])}")  # fmt: skip
        st.metric(t("voc.handoff"), fmt_pct(row["hand_off_rate"]))
        st.metric(t("voc.agent_share"), fmt_pct(row["agent_share"]))
    by_channel = call(support_funnel, "channel", f.start, f.end)
    data_table(by_channel, key="voc_funnel_tbl", file_stem="support_funnel_by_channel")


def _automation(f, ko: bool) -> None:  # noqa: ANN001
    from ops.voc import automation_candidates

    cand = call(automation_candidates, f.start, f.end)
    if cand.empty:
        st.caption(t("app.empty_selection"))
        return
    k = st.columns(2)
    k[0].metric(t("voc.fte_saved"), fmt_num(cand["fte_saved"].sum(), 1))
    k[1].metric(t("voc.hours_saved"), fmt_num(cand["hours_saved_week"].sum(), 0))
    name = cand["path"] if ko else cand["path_en"].fillna(cand["path"])
    top = cand.assign(name=name).head(15)
    fig = px.bar(top, x="fte_saved", y="name", orientation="h", color="score",
                 labels={"fte_saved": t("voc.fte_saved"), "name": "", "score": t("voc.score")},
                 hover_data=["agent_contacts", "template_rate", "handle_mean_s"])  # fmt: skip
    fig.update_yaxes(autorange="reversed")
    show(fig, "voc_candidates", title=t("voc.candidates_title"), height=80 + 28 * len(top))
    st.caption(str(cand["fte_method"].iloc[0]) if "fte_method" in cand else "")
    data_table(cand, key="voc_cand_tbl", file_stem="automation_candidates")


def _anomalies(f, ko: bool) -> None:  # noqa: ANN001
    from ops.voc import anomaly_flags

    flags = call(anomaly_flags, 1, f.start, f.end)
    if flags.empty:
        st.success(t("voc.no_anomalies"))
        return
    flags = flags.assign(tag=flags["level1"] if ko else flags["level1_en"].fillna(flags["level1"]))
    fig = px.scatter(flags, x="day", y="tag", size=(flags["volume"] - flags["baseline"]).abs().clip(lower=1),
                     color="direction", hover_data=["volume", "baseline", "z", "events"],
                     labels={"day": t("col.date"), "tag": ""})  # fmt: skip
    show(fig, "voc_anomalies", title=t("voc.anomaly_title"), height=320)
    data_table(pd.DataFrame(flags), key="voc_anom_tbl", file_stem="voc_anomaly_days")


guarded(render, "voc")
