"""QA: the QA lead's page. Who scores how, which items are weak, do evaluators agree, who needs
coaching, and which contacts to review next week?

Everything comes from ``ops.qa`` (one QA score definition: weighted item scores, 0 on a failed
critical item): scorecards with confidence intervals, trends, item weaknesses, calibration (leniency
and agreement), the in-house audit gap, the coaching list and the weekly review sample.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard import queries
from dashboard.components.charts import STATUS_COLORS, show
from dashboard.components.page import page_start
from dashboard.components.tables import data_table
from dashboard.context import call, center_names, get_filters, guarded
from dashboard.i18n import current_lang, fmt_int, fmt_num, t

GROUPS = ("center", "vendor", "team", "agent", "evaluator_org")


def render() -> None:
    from ops.qa import qa_scorecard, qa_trend

    opts = page_start("qa")
    if opts is None:
        return
    f = get_filters()
    names = center_names()
    centers = list(f.centers) or None
    by = st.segmented_control(
        t("qa.by"), GROUPS, default="center", required=True, key="qa_by",
        format_func=lambda g: t(f"qa.group.{g}"),
    )  # fmt: skip
    card = call(qa_scorecard, by, f.start, f.end, centers=centers)
    if card.empty:
        st.info(t("qa.no_evaluations"))
        return
    target = float(card["target"].iloc[0])
    key = {"center": "center_id", "vendor": "vendor", "team": "team", "agent": "agent_id",
           "evaluator_org": "evaluator_org"}[by]  # fmt: skip
    label_col = key if key in card else card.columns[0]
    card = card.copy()
    card["label"] = (
        card[label_col].map(names).fillna(card[label_col]) if by == "center" else card[label_col]
    )
    top = card.sort_values("mean_score").head(40)
    fig = go.Figure(
        go.Bar(
            x=top["mean_score"], y=top["label"].astype(str), orientation="h",
            error_x={"type": "data", "symmetric": False,
                     "array": top["ci_high"] - top["mean_score"],
                     "arrayminus": top["mean_score"] - top["ci_low"]},
            marker_color=[STATUS_COLORS["ok"] if v >= target else STATUS_COLORS["bad"] for v in top["mean_score"]],
            text=[fmt_num(v, 1) for v in top["mean_score"]], textposition="inside",
        )
    )  # fmt: skip
    fig.add_vline(x=target, line_dash="dash", annotation_text=t("col.target"))
    show(fig, "qa_scorecard_chart", title=t("qa.scorecard_title", target=fmt_num(target, 0)),
         height=max(260, 28 * len(top) + 80))  # fmt: skip
    shown = _readable(card.drop(columns=["label"]))
    data_table(shown, key="qa_scorecard_tbl", file_stem=f"qa_scorecard_by_{by}")

    trend = call(qa_trend, "week", "center", f.start - timedelta(days=56), f.end)
    if not trend.empty:
        if centers:
            trend = trend[trend["center_id"].isin(centers)]
        trend = trend.assign(center=trend["center_id"].map(names))
        fig = px.line(trend, x="period_start", y="mean_score", color="center", markers=True,
                      labels={"period_start": t("col.date"), "mean_score": t("qa.mean_score"),
                              "center": t("col.center")})  # fmt: skip
        fig.add_hline(y=target, line_dash="dash", line_color=STATUS_COLORS["bad"])
        show(fig, "qa_trend_chart", title=t("qa.trend_title"), height=320)

    tab_items, tab_cal, tab_coach, tab_sample = st.tabs(
        [t("qa.tab.items"), t("qa.tab.calibration"), t("qa.tab.coaching"), t("qa.tab.sample")],
        key="qa_tab",
        on_change="rerun",
    )
    if tab_items.open:
        with tab_items:
            _items(f, names)
    if tab_cal.open:
        with tab_cal:
            _calibration(f)
    if tab_coach.open:
        with tab_coach:
            _coaching(f)
    if tab_sample.open:
        with tab_sample:
            _sample(f, opts)


def _readable(df: pd.DataFrame) -> pd.DataFrame:
    """A QA table as people read it: center kinds as words (자체 센터 / 협력사), item names in the
    UI language (the forms' ``name_ko`` in Korean); ids stay in their own columns."""
    if "center_kind" in df:
        df = df.assign(
            center_kind=[
                t(f"kind.{k}") if k in ("in_house", "vendor") else k for k in df["center_kind"]
            ]
        )
    if current_lang() != "ko" or "item_name" not in df or "item_id" not in df:
        return df
    ko = call(queries.qa_item_names_ko)
    return df.assign(
        item_name=[ko.get(str(i), n) for i, n in zip(df["item_id"], df["item_name"], strict=True)]
    )


def _items(f, names: dict) -> None:  # noqa: ANN001
    from ops.qa import item_weaknesses

    by = st.selectbox(t("qa.by"), ("center", "team", "agent", "vendor"), key="qa_items_by",
                      format_func=lambda g: t(f"qa.group.{g}"))  # fmt: skip
    weak = call(item_weaknesses, by, f.start, f.end)
    if weak.empty:
        st.caption(t("app.empty_selection"))
        return
    if f.centers and "center_id" in weak:
        weak = weak[weak["center_id"].isin(f.centers)]
    weak = _readable(weak)
    show_cols = [c for c in ("center_id", "team", "agent_id", "vendor") if c in weak.columns]
    weak = weak.assign(
        group=weak[show_cols[0]].map(names).fillna(weak[show_cols[0]]) if show_cols else ""
    )
    top = weak.head(15)
    fig = px.bar(top, x="gap_vs_form", y=top["group"].astype(str) + " · " + top["item_name"],
                 orientation="h", labels={"gap_vs_form": t("qa.gap_vs_form"), "y": ""},
                 hover_data=["item_mean", "form_mean", "n"])  # fmt: skip
    fig.update_yaxes(autorange="reversed")
    show(fig, "qa_items_chart", title=t("qa.items_title"), height=80 + 26 * len(top))
    data_table(
        weak.drop(columns=["group"]), key="qa_items_tbl", file_stem=f"qa_item_weaknesses_{by}"
    )


def _calibration(f) -> None:  # noqa: ANN001
    from ops.qa import audit_gap, calibration_report

    rep = call(calibration_report, f.start - timedelta(days=56), f.end)
    len_ = rep["leniency"]
    if len_.empty:
        st.caption(t("qa.no_calibration"))
    else:
        fig = go.Figure(
            go.Bar(
                x=len_["leniency"], y=len_["evaluator_id"], orientation="h",
                error_x={"type": "data", "symmetric": False, "array": len_["ci_high"] - len_["leniency"],
                         "arrayminus": len_["leniency"] - len_["ci_low"]},
            )
        )  # fmt: skip
        fig.add_vline(x=0, line_dash="dash")
        fig.update_yaxes(autorange="reversed")
        show(fig, "qa_leniency_chart", title=t("qa.leniency_title"), height=80 + 40 * len(len_))
        st.caption(t("qa.leniency_help"))
        data_table(len_, key="qa_leniency_tbl", file_stem="qa_evaluator_leniency")
        st.subheader(t("qa.agreement"))
        data_table(rep["agreement"], key="qa_agreement_tbl", file_stem="qa_agreement")
        st.subheader(t("qa.spread"))
        data_table(_readable(rep["spread"]), key="qa_spread_tbl", file_stem="qa_item_spread")
    gap = call(audit_gap, f.start - timedelta(days=56), f.end)
    st.subheader(t("qa.audit_gap"))
    st.caption(t("qa.audit_gap_help"))
    if gap.empty:
        st.caption(t("app.empty_selection"))
    else:
        data_table(gap, key="qa_audit_tbl", file_stem="qa_audit_gap")


def _coaching(f) -> None:  # noqa: ANN001
    from ops.qa import coaching_list

    c1, c2 = st.columns(2)
    item_target = c1.slider(t("qa.item_target"), 40, 95, 70, 5, key="qa_coach_target")
    weeks = c2.slider(t("qa.weeks_below"), 1, 8, 3, key="qa_coach_weeks")
    coach = call(coaching_list, item_target=float(item_target), weeks=int(weeks), end=f.end)
    if f.centers and len(coach):
        coach = coach[coach["center_id"].isin(f.centers)]
    st.caption(t("qa.coaching_help", n=fmt_int(len(coach)), weeks=weeks, target=item_target))
    data_table(_readable(coach), key="qa_coach_tbl", file_stem="qa_coaching_list")


def _sample(f, opts: dict) -> None:  # noqa: ANN001
    from ops.qa import review_sample

    last = opts["last_day"]
    weeks = []
    d = last
    for _ in range(8):
        y, w, _ = d.isocalendar()
        weeks.append(f"{y}-W{w:02d}")
        d -= timedelta(days=7)
    c1, c2 = st.columns(2)
    week = c1.selectbox(t("qa.week"), weeks, key="qa_sample_week")
    per_agent = c2.slider(t("qa.per_agent"), 1, 20, 5, key="qa_sample_n")
    sample = call(review_sample, week, int(per_agent), centers=list(f.centers) or None)
    st.caption(t("qa.sample_help", n=fmt_int(len(sample))))
    data_table(sample, key="qa_sample_tbl", file_stem=f"qa_review_sample_{week}")


guarded(render, "qa")
