"""Vendors: the vendor (BPO) manager's page. Did each outsourced center keep its contract, what does
that cost or earn it this month, how does it compare with our own center, and what would a tighter
target cost?

The "This month" block on top is the early warning (``ops.sla.early_warning``: projection, required
rest of month, projected penalty per line). Contract results and penalty statements come from
``ops.sla.compliance.compliance``; the
comparison from ``ops.sla.metric_table`` grouped by center kind; the what-if from
``ops.sla.negotiation.what_if`` (Erlang staffing on the center's recent volumes).
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard.components.charts import STATUS_COLORS, show
from dashboard.components.page import month_select, page_start
from dashboard.components.tables import data_table
from dashboard.components.this_month import this_month
from dashboard.context import (
    call,
    center_names,
    get_filters,
    guarded,
    metric_filters,
    metric_label,
)
from dashboard.i18n import (
    channel_name,
    current_lang,
    fmt_int,
    fmt_money,
    fmt_num,
    fmt_pct,
    fmt_value,
    fmt_value_vs,
    t,
    weekday_labels,
)
from dashboard.pages_common import month_choices
from ops.errors import ConfigError
from ops.sla.statement_ko import provisional_ko, statement_lines_ko

# margins to target in points, shown to two decimals (the downloads keep full precision)
MARGIN_FORMAT = {"margin_pt": st.column_config.NumberColumn(format="%.2f")}
COMPARE = ("service_level", "asa_s", "abandon_rate", "aht_s", "csat", "ces", "qa_score",
           "repeat_contact_rate")  # fmt: skip


def render() -> None:
    from ops.sla.compliance import compliance

    opts = page_start("vendors")
    if opts is None:
        return
    names = center_names()
    centers = opts["centers"]
    f = get_filters()
    in_filter = [c for c in centers["center_id"] if not f.centers or c in f.centers]
    # where each line will land this month, before last month's scorecards
    with st.container(key="vendors_this_month"):
        this_month("vendors_month_block", centers=in_filter)
    month = month_select(opts, "vendors_month")
    months = month_choices(opts["first_day"], opts["last_day"])  # for the 6-month trend

    tab_score, tab_pen, tab_cmp, tab_neg = st.tabs(
        [t("vendors.tab.scorecard"), t("vendors.tab.penalty"), t("vendors.tab.compare"),
         t("vendors.tab.whatif")],
        key="vendors_tab", on_change="rerun",
    )  # fmt: skip
    # Only the open tab runs its queries (st.tabs with on_change="rerun" reports .open).
    if tab_score.open or tab_pen.open:
        try:
            report = call(compliance, month=month)
        except ConfigError as e:
            (tab_score if tab_score.open else tab_pen).info(e.message)
            return
        if tab_score.open:
            with tab_score:
                trend_months = months[months.index(month) : months.index(month) + 6][::-1]
                trend = call(compliance, start_month=trend_months[0], end_month=month)
                _scorecards(report, trend, names, in_filter)
        else:
            with tab_pen:
                _penalties(report, names, in_filter)
    if tab_cmp.open:
        with tab_cmp:
            _compare(f, names)
    if tab_neg.open:
        with tab_neg:
            _negotiation(centers, names)


def _worded(lines: pd.DataFrame) -> pd.DataFrame:
    """Contract-line rows to show: label, scope and period in the UI language (the engine's
    ``label_ko``; channel names from ``ops.labels``). The ids stay in their own columns."""
    out = lines.copy()
    ko = out.pop("label_ko") if "label_ko" in out else None
    if current_lang() != "ko" or out.empty:
        return out
    from ops.labels import scope_ko

    if ko is not None:
        out["label"] = [k or e for k, e in zip(ko, out["label"], strict=True)]
    out["scope"] = [scope_ko(str(s)) or t("filters.all") for s in out["scope"]]
    out["period"] = [t(f"sla.period.{p}") for p in out["period"]]
    return out


def _scorecards(report, trend, names: dict, in_filter: list[str]) -> None:  # noqa: ANN001
    lines = report.lines_frame()
    if lines.empty:
        st.info(t("app.empty_selection"))
        return
    lines = lines[lines["center_id"].isin(in_filter)]
    summary = pd.DataFrame(report.summary)
    if not summary.empty:
        summary = summary[summary["center_id"].isin(in_filter)]
        per_center = summary.groupby("center_id", as_index=False)[["met", "periods"]].sum()
        per_center["center"] = per_center["center_id"].map(names)
        per_center["share"] = per_center["met"] / per_center["periods"]
        fig = px.bar(
            per_center.sort_values("share"), x="share", y="center", orientation="h",
            text=per_center.sort_values("share")["share"].map(fmt_pct),
            labels={"share": t("vendors.periods_met"), "center": t("col.center")},
        )  # fmt: skip
        fig.update_xaxes(tickformat=".0%", range=[0, 1.05])
        show(fig, "vendors_attainment", title=t("vendors.attainment_title"),
             height=90 + 45 * len(per_center))  # fmt: skip
    monthly = lines[lines["period"] == "month"].copy()
    monthly["center"] = monthly["center_id"].map(names)
    monthly["status"] = monthly["met"].map({True: t("kpi.ok"), False: t("kpi.bad")})
    monthly["actual_text"] = [
        fmt_value_vs(v, g, u)
        for v, g, u in zip(monthly["actual"], monthly["target"], monthly["unit"], strict=False)
    ]
    monthly["target_text"] = [
        fmt_value(v, u) for v, u in zip(monthly["target"], monthly["unit"], strict=False)
    ]
    monthly = _worded(monthly)
    cols = ["center", "center_id", "contract_id", "version", "label", "scope", "actual_text",
            "target_text", "status", "margin_pt", "num", "den", "actual", "target"]  # fmt: skip
    st.subheader(t("vendors.lines_title"))
    data_table(monthly[cols], key="vendors_lines", file_stem=f"contract_lines_{report.months[0]}",
               column_config=MARGIN_FORMAT)  # fmt: skip
    breaches = lines[(lines["met"] == False) & (lines["period"] != "month")].copy()  # noqa: E712
    if not breaches.empty:
        # the same readable columns as the monthly lines first, the raw values after them
        breaches["center"] = breaches["center_id"].map(names)
        breaches["actual_text"] = [
            fmt_value_vs(v, g, u)
            for v, g, u in zip(
                breaches["actual"], breaches["target"], breaches["unit"], strict=False
            )
        ]
        breaches["target_text"] = [
            fmt_value(v, u) for v, u in zip(breaches["target"], breaches["unit"], strict=False)
        ]
        first = ["center", "label", "period", "period_start", "actual_text", "target_text",
                 "margin_pt", "num", "den"]  # fmt: skip
        breaches = _worded(breaches)
        breaches = breaches[first + [c for c in breaches.columns if c not in first]]
        st.subheader(t("vendors.period_breaches"))
        data_table(
            breaches.sort_values(["center", "label", "period_start"]),
            key="vendors_breaches", file_stem="contract_breaches", column_config=MARGIN_FORMAT,
        )  # fmt: skip

    if trend is not None:
        tl = trend.lines_frame()
        tl = tl[(tl["period"] == "month") & tl["center_id"].isin(in_filter)].copy()
        if not tl.empty:
            st.subheader(t("vendors.trend_title"))
            ids = sorted(tl["center_id"].unique())
            who = st.selectbox(t("col.center"), ids, format_func=lambda c: names.get(c, c),
                               key="vendors_trend_center")  # fmt: skip
            tl = tl[tl["center_id"] == who]
            tl["line"] = _worded(tl)["label"]
            fig = px.line(
                tl, x="period_start", y="margin_pt", color="line", markers=True,
                labels={"period_start": t("col.date"), "margin_pt": t("vendors.margin"),
                        "line": t("vendors.line")},
            )  # fmt: skip
            fig.add_hline(y=0, line_dash="dash", line_color=STATUS_COLORS["bad"])
            fig.update_xaxes(dtick="M1", tickformat="%Y-%m")
            show(fig, "vendors_trend", height=380)


def _penalties(report, names: dict, in_filter: list[str]) -> None:  # noqa: ANN001
    statements = [s for s in report.statements if s.center_id in in_filter]
    if not statements:
        st.caption(t("exec.no_penalties"))
        return
    for s in statements:
        with st.container(border=True):
            st.markdown(
                f"**{names.get(s.center_id, s.center_id)}** · {s.contract_id} v{s.version} · {s.month}"
            )
            c = st.columns(4)
            c[0].metric(t("vendors.fee"), fmt_money(s.monthly_fee, s.currency))
            c[1].metric(t("vendors.penalty"), fmt_money(s.penalty_total, s.currency))
            c[2].metric(t("vendors.bonus"), fmt_money(s.bonus_total, s.currency))
            c[3].metric(t("vendors.net"), fmt_money(s.net_adjustment, s.currency))
            table = pd.DataFrame([ln.model_dump() for ln in s.lines])
            ko_label = table.pop("label_ko")
            if current_lang() == "ko":  # the line's Korean label and arithmetic (same amounts)
                table["label"] = [k or e for k, e in zip(ko_label, table["label"], strict=True)]
                table["text"] = statement_lines_ko(s)[: len(table)]
            money = st.column_config.NumberColumn(format="localized")
            data_table(table, key=f"vendors_stmt_{s.center_id}_{s.contract_id}_{s.version}",
                       column_config={"penalty": money, "bonus": money,
                                      "shortfall_pt": MARGIN_FORMAT["margin_pt"]},
                       file_stem=f"penalty_statement_{s.center_id}_{s.month}")  # fmt: skip
            with st.expander(t("vendors.arithmetic")):
                ko_lines = [*provisional_ko(s), *statement_lines_ko(s)]
                for line in ko_lines if current_lang() == "ko" else s.text:
                    st.text(line)


def _compare(f, names: dict) -> None:  # noqa: ANN001
    from ops.sla import get_metric, metric_table

    window = {"start": f.start, "end": f.end, "filters": metric_filters(f, with_queue=False)}
    by_kind = call(metric_table, COMPARE, period="all", by=("center_kind",), **window)
    by_center = call(metric_table, COMPARE, period="all", by=("center",), **window)
    if by_kind.empty:
        st.info(t("app.empty_selection"))
        return
    rows = []
    for frame, key in ((by_kind, "center_kind"), (by_center, "center_id")):
        for r in frame.to_dict(orient="records"):
            if key == "center_kind":
                label = t(f"vendors.kind.{r[key]}") if r[key] in ("in_house", "vendor") else "–"
            else:
                label = names.get(r[key], r[key])
            row = {t("col.center"): label}
            for m in COMPARE:
                row[metric_label(m)] = fmt_value(r.get(m), get_metric(m).unit)
            rows.append(row)
    st.caption(t("vendors.compare_help"))
    data_table(pd.DataFrame(rows), key="vendors_compare", file_stem="inhouse_vs_vendor")
    ratio = [m for m in COMPARE if get_metric(m).unit == "ratio"]
    long = by_center.melt(
        id_vars=["center_id"], value_vars=ratio, var_name="metric", value_name="value"
    )
    long["center"] = long["center_id"].map(names)
    long["metric"] = long["metric"].map(metric_label)
    fig = px.bar(long, x="metric", y="value", color="center", barmode="group",
                 labels={"metric": t("col.metric"), "value": t("col.value"), "center": t("col.center")})  # fmt: skip
    fig.update_yaxes(tickformat=".0%")
    show(fig, "vendors_compare_chart", height=360)


def _negotiation(centers: pd.DataFrame, names: dict) -> None:
    from ops.sla.negotiation import what_if

    st.caption(t("vendors.whatif_help"))
    ids = list(centers.sort_values("kind", ascending=False)["center_id"])  # vendors first
    c1, c2, c3 = st.columns(3)
    center = c1.selectbox(
        t("col.center"), ids, format_func=lambda c: names.get(c, c), key="vendors_wi_center"
    )
    lang = current_lang()  # captured: AppTest calls format_func outside the script run
    channel = c2.selectbox(t("col.channel"), ["voice", "chat"], key="vendors_wi_channel",
                           format_func=lambda c: channel_name(c, lang))  # fmt: skip
    threshold = c3.number_input(t("vendors.threshold"), min_value=5, max_value=300, value=20, step=5,
                                key="vendors_wi_threshold")  # fmt: skip
    c4, c5, c6 = st.columns(3)
    target = c4.slider(
        t("vendors.target"), 0.60, 0.98, 0.85, 0.01, format="%.2f", key="vendors_wi_target"
    )
    weeks = c5.slider(t("vendors.weeks"), 1, 12, 4, key="vendors_wi_weeks")
    shrinkage = c6.slider(t("vendors.shrinkage"), 0.0, 0.6, 0.30, 0.05, key="vendors_wi_shrink")
    res = call(what_if, center=center, target=float(target), threshold=float(threshold),
               channel=channel, weeks=int(weeks), shrinkage=float(shrinkage))  # fmt: skip
    cur = res.currency
    k = st.columns(4)
    k[0].metric(t("vendors.current_fte"), fmt_num(res.current_fte, 1),
                help=t("vendors.current_target", target=fmt_pct(res.current_target) if res.current_target else "–"))  # fmt: skip
    k[1].metric(t("vendors.proposed_fte"), fmt_num(res.proposed_fte, 1),
                delta=None if res.extra_fte is None else f"{res.extra_fte:+.1f} FTE", delta_color="inverse")  # fmt: skip
    k[2].metric(t("vendors.extra_cost"), fmt_money(res.extra_monthly_cost, cur))
    k[3].metric(t("vendors.months_met"),
                f"{fmt_int(res.months_met_proposed)} / {fmt_int(res.months_measured)}")  # fmt: skip
    left, right = st.columns(2)
    if res.cost_curve:
        curve = pd.DataFrame([p.model_dump() for p in res.cost_curve])
        fig = px.line(curve, x="target", y="monthly_cost", markers=True, hover_data=["fte"],
                      labels={"target": t("vendors.target"), "monthly_cost": t("vendors.monthly_cost")})  # fmt: skip
        fig.update_xaxes(tickformat=".0%")
        fig.add_vline(x=target, line_dash="dash", line_color=STATUS_COLORS["warn"])
        if res.current_target:
            fig.add_vline(x=res.current_target, line_dash="dot", line_color=STATUS_COLORS["ok"])
        with left:
            show(fig, "vendors_cost_curve", title=t("vendors.cost_curve"), height=340)
    if res.attainment:
        att = pd.DataFrame([a.model_dump() for a in res.attainment])
        # a month the data covers only partly is grey: shown, not counted
        att["status"] = att["met_proposed"].map({True: "ok", False: "bad"}).fillna("none")
        att.loc[att["partial"], "status"] = "none"
        fig = px.bar(att, x="month", y="actual", color="status",
                     color_discrete_map={k or "none": v for k, v in STATUS_COLORS.items()},
                     labels={"month": t("exec.month"), "actual": metric_label(res.metric)})  # fmt: skip
        fig.add_hline(y=target, line_dash="dash", line_color=STATUS_COLORS["warn"])
        fig.update_yaxes(tickformat=".0%")
        fig.update_layout(showlegend=False)
        with right:
            show(fig, "vendors_attainment_hist", title=t("vendors.history"), height=340)
    if res.extra_by_interval:
        ex = pd.DataFrame(res.extra_by_interval)
        days = weekday_labels()
        en_days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        ex["weekday"] = (
            ex["weekday"].map(dict(zip(en_days, days, strict=True))).fillna(ex["weekday"])
        )
        grid = ex.pivot_table(index="weekday", columns="time", values="extra", aggfunc="first")
        grid = grid.reindex([d for d in days if d in grid.index])
        fig = go.Figure(go.Heatmap(z=grid.values, x=list(grid.columns), y=list(grid.index),
                                   colorscale="Oranges", colorbar={"title": t("vendors.extra_agents")}))  # fmt: skip
        fig.update_yaxes(autorange="reversed")
        show(fig, "vendors_extra_heatmap", title=t("vendors.extra_where"), height=300)
    for note in res.notes_ko if current_lang() == "ko" else res.notes:
        st.caption(f"ⓘ {note}")


guarded(render, "vendors")
