"""Staffing: the workforce planner's page. How many agents per interval, where is the schedule short,
what does a headcount buy, which shifts cover it and whom to hire before the peak?

Everything comes from ``ops.staffing``: the plan on the store (requirements with Erlang A/C, coverage
vs the stored schedule, the gap table), the Erlang calculator, the shift MILP and the hiring plan.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard.components.charts import SERIES_COLORS, STATUS_COLORS, show
from dashboard.components.page import page_start
from dashboard.components.planning_text import schedule_gap_text, volume_basis_text
from dashboard.components.tables import data_table
from dashboard.context import (
    call,
    call_pure,
    center_names,
    get_filters,
    guarded,
)
from dashboard.i18n import fmt_date, fmt_int, fmt_num, fmt_pct, fmt_seconds, t

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _monday_on_or_after(d: date) -> date:
    return d + timedelta(days=(7 - d.weekday()) % 7)


def render() -> None:
    from ops.staffing.planning import PlanTargets, plan

    opts = page_start("staffing")
    if opts is None:
        return
    f = get_filters()
    names = center_names()
    last = opts["last_day"]
    default_start = _monday_on_or_after(last - timedelta(days=27))
    with st.container(border=True):
        c = st.columns(6)
        start = c[0].date_input(
            t("staff.start"), value=default_start, key="staff_start", format="YYYY-MM-DD"
        )
        weeks = c[1].number_input(t("staff.weeks"), 1, 8, 2, key="staff_weeks")
        target = c[2].slider(t("staff.target_sl"), 0.5, 0.99, 0.8, 0.01, key="staff_target")
        answer = c[3].number_input(t("staff.answer_s"), 5, 300, 20, 5, key="staff_answer")
        shrink = c[4].slider(t("staff.shrinkage"), 0.0, 0.6, 0.3, 0.05, key="staff_shrink")
        erlang_a = c[5].toggle(t("staff.erlang_a"), value=True, key="staff_erlang_a")
    targets = PlanTargets(target_sl=float(target), answer_s=float(answer), shrinkage=float(shrink),
                          use_patience=bool(erlang_a))  # fmt: skip
    centers = list(f.centers) or None
    result = call(plan, start, int(weeks), centers=centers, targets=targets)
    st.caption(t("staff.volume_source", source=volume_basis_text(result, names)))
    for gap in result.get("schedule_gaps", []):
        st.warning(schedule_gap_text(gap, names), icon=":material/event_busy:")
    cov: pd.DataFrame = result["coverage"]
    if cov.empty:
        st.info(t("app.empty_selection"))
        return
    if f.queues:
        cov = cov[cov["queue_id"].isin(f.queues)]
    if f.channels:
        cov = cov[cov["channel"].isin(f.channels)]

    tab_req, tab_gap, tab_calc, tab_shift, tab_hire = st.tabs(
        [t("staff.tab.req"), t("staff.tab.gap"), t("staff.tab.calc"), t("staff.tab.shifts"),
         t("staff.tab.hiring")],
        key="staff_tab", on_change="rerun",
    )  # fmt: skip
    if tab_req.open:
        with tab_req:
            _requirements(cov, names)
    if tab_gap.open:
        with tab_gap:
            _gap(cov)
    if tab_calc.open:
        with tab_calc:
            _calculator()
    if tab_shift.open:
        with tab_shift:
            _shifts(result["requirements"], names, float(shrink))
    if tab_hire.open:
        with tab_hire:
            _hiring(result["requirements"])


def _pool_label(names: dict, center: str, queue: str) -> str:
    return f"{names.get(center, center)} · {queue}"


def _requirements(cov: pd.DataFrame, names: dict) -> None:
    # busiest pool first (the default choice): the one a planner looks at first
    size = cov.groupby(["center_id", "queue_id"], as_index=False)["calls"].sum()
    pools = size.sort_values(["calls", "center_id", "queue_id"], ascending=[False, True, True])
    keys = [f"{r.center_id}|{r.queue_id}" for r in pools.itertuples()]
    pick = st.selectbox(t("staff.pool"), keys, key="staff_pool",
                        format_func=lambda k: _pool_label(names, *k.split("|")))  # fmt: skip
    cid, qid = pick.split("|")
    one = cov[(cov["center_id"] == cid) & (cov["queue_id"] == qid)].sort_values("interval_local")
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=one["interval_local"], y=one["raw_agents"], name=t("staff.required"),
                             line={"color": SERIES_COLORS[1], "shape": "hv"}))  # fmt: skip
    fig.add_trace(go.Scatter(x=one["interval_local"], y=one["productive_agents"],
                             name=t("staff.productive"), line={"color": SERIES_COLORS[0], "shape": "hv"}))  # fmt: skip
    fig.add_trace(go.Bar(x=one["interval_local"], y=one["gap_productive"], name=t("staff.gap"),
                         marker_color=np.where(one["gap_productive"] < 0, STATUS_COLORS["bad"],
                                               STATUS_COLORS["ok"]), opacity=0.35))  # fmt: skip
    show(fig, "staff_req_chart", title=t("staff.req_title"), height=380)
    under = int((one["status"] == "under").sum())
    st.caption(t("staff.under_count", n=fmt_int(under), total=fmt_int(len(one))))
    data_table(one, key="staff_req_tbl", file_stem=f"requirements_{cid}_{qid}")


def _gap(cov: pd.DataFrame) -> None:
    from ops.staffing.planning import gap_table

    tab = call_pure(gap_table, cov)
    if tab.empty:
        st.caption(t("app.empty_selection"))
        return
    days = [t(f"weekday.{WEEKDAY_KEYS.index(d)}") for d in tab.columns]
    z = tab.to_numpy().T
    lim = float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0
    fig = go.Figure(go.Heatmap(z=z, x=list(tab.index), y=days, colorscale="RdBu", zmid=0,
                               zmin=-lim, zmax=lim, colorbar={"title": t("staff.agents")},
                               hovertemplate="%{y} %{x}: %{z:.1f}<extra></extra>"))  # fmt: skip
    fig.update_yaxes(autorange="reversed")
    show(fig, "staff_gap_heatmap", title=t("staff.gap_title"), height=340)
    st.caption(t("staff.gap_help"))
    out = tab.reset_index()
    data_table(out, key="staff_gap_tbl", file_stem="gap_by_weekday_time")


def _calculator() -> None:
    from ops.staffing import erlang_a, erlang_c, required_agents

    st.caption(t("staff.calc_help"))
    c = st.columns(4)
    calls = c[0].number_input(t("staff.calls"), 0.0, 10_000.0, 120.0, 10.0, key="staff_calc_calls")
    aht = c[1].number_input(t("staff.aht"), 10.0, 7200.0, 300.0, 10.0, key="staff_calc_aht")
    interval = c[2].selectbox(t("staff.interval"), [900, 1800, 3600], index=1, key="staff_calc_iv",
                              format_func=lambda s: fmt_seconds(s))  # fmt: skip
    agents = c[3].number_input(t("staff.agents_in"), 1, 2000, 25, 1, key="staff_calc_agents")
    d = st.columns(4)
    answer = d[0].number_input(t("staff.answer_s"), 1.0, 600.0, 20.0, 5.0, key="staff_calc_answer")
    model = d[1].segmented_control(t("staff.model"), ["C", "A"], default="C", required=True,
                                   key="staff_calc_model", format_func=lambda m: f"Erlang {m}")  # fmt: skip
    patience = d[2].number_input(t("staff.patience"), 1.0, 3600.0, 120.0, 10.0, key="staff_calc_patience",
                                 disabled=model != "A")  # fmt: skip
    target = d[3].slider(t("staff.target_sl"), 0.5, 0.99, 0.8, 0.01, key="staff_calc_target")
    kw = {"answer_s": float(answer)}
    if model == "A":
        m = call_pure(
            erlang_a,
            float(calls),
            float(interval),
            float(aht),
            float(agents),
            float(patience),
            **kw,
        )
    else:
        m = call_pure(erlang_c, float(calls), float(interval), float(aht), float(agents), **kw)
    k = st.columns(5)
    k[0].metric(t("staff.traffic"), fmt_num(m.traffic, 2) + " E")
    k[1].metric(t("exec.sl"), fmt_pct(m.service_level))
    k[2].metric("ASA", fmt_seconds(m.asa_s))
    k[3].metric(t("staff.abandon"), fmt_pct(m.abandon_rate))
    k[4].metric(t("staff.occupancy"), fmt_pct(m.occupancy))
    req_kw = dict(target_sl=float(target), answer_s=float(answer))
    if model == "A":
        req_kw["patience_s"] = float(patience)
    req = call_pure(required_agents, [float(calls)], float(interval), [float(aht)], **req_kw)
    need = float(req["raw_agents"].iloc[0])
    st.info(t("staff.need", n=fmt_num(need, 0), target=fmt_pct(target), answer=fmt_seconds(answer)))
    lo = max(1, int(np.floor(m.traffic)) + 1 if model == "C" else 1)
    grid = np.arange(lo, max(lo + 5, int(need * 1.6) + 2))
    if model == "A":
        curve = call_pure(
            erlang_a,
            float(calls),
            float(interval),
            float(aht),
            grid.astype(float),
            float(patience),
            **kw,
        )
    else:
        curve = call_pure(
            erlang_c, float(calls), float(interval), float(aht), grid.astype(float), **kw
        )
    cf = pd.DataFrame({"agents": grid, "service_level": np.atleast_1d(curve.service_level),
                       "asa_s": np.atleast_1d(curve.asa_s)})  # fmt: skip
    fig = px.line(cf, x="agents", y="service_level", markers=True, hover_data=["asa_s"],
                  labels={"agents": t("staff.agents_in"), "service_level": t("exec.sl")})  # fmt: skip
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    fig.add_hline(y=target, line_dash="dash", line_color=STATUS_COLORS["bad"])
    fig.add_vline(x=agents, line_dash="dot", line_color=SERIES_COLORS[1])
    show(fig, "staff_calc_curve", title=t("staff.curve_title"), height=320)


def _shifts(req: pd.DataFrame, names: dict, shrinkage: float) -> None:
    from ops.staffing import combine_requirements
    from ops.staffing.shifts import recommend_shifts

    if req.empty:
        st.caption(t("app.empty_selection"))
        return
    st.caption(t("staff.shift_help"))
    ids = sorted(req["center_id"].unique())
    c1, c2 = st.columns(2)
    cid = c1.selectbox(
        t("col.center"), ids, format_func=lambda c: names.get(c, c), key="staff_shift_center"
    )
    days = sorted(pd.to_datetime(req["interval_local"]).dt.date.unique())
    day = c2.selectbox(t("staff.day"), days, format_func=fmt_date, key="staff_shift_day")
    one = req[(req["center_id"] == cid) & (pd.to_datetime(req["interval_local"]).dt.date == day)]
    parts = [g[["interval_local", "raw_agents"]] for _, g in one.groupby("queue_id")]
    if not parts:
        st.caption(t("app.empty_selection"))
        return
    total = call_pure(combine_requirements, parts, shrinkage=shrinkage, on="interval_local")
    grid = pd.date_range(pd.Timestamp(day), periods=48, freq="30min")
    need = total.set_index("interval_local")["scheduled_agents"].reindex(grid, fill_value=0.0)
    shift_plan = call_pure(recommend_shifts, need.to_numpy(float), slot_s=1800, time_limit_s=20.0)
    k = st.columns(3)
    k[0].metric(t("staff.paid_hours"), fmt_num(shift_plan.paid_hours, 1))
    k[1].metric(t("staff.starts"), fmt_int(shift_plan.starts["agents"].sum()))
    k[2].metric(
        t("staff.covered"), t("kpi.ok") if shift_plan.covers_every_interval else t("kpi.bad")
    )
    cov = shift_plan.coverage.copy()
    cov["time"] = [g.strftime("%H:%M") for g in grid[: len(cov)]]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=cov["time"], y=cov["scheduled"], name=t("staff.planned"), opacity=0.6))
    fig.add_trace(go.Scatter(x=cov["time"], y=cov["requirement"], name=t("staff.required"),
                             line={"shape": "hv", "color": STATUS_COLORS["bad"]}))  # fmt: skip
    show(fig, "staff_shift_chart", title=t("staff.shift_title", day=fmt_date(day)), height=320)
    starts = shift_plan.starts.copy()
    if "start_offset_s" in starts:
        starts["start"] = [(pd.Timestamp(day) + pd.Timedelta(seconds=int(s))).strftime("%H:%M")
                           for s in starts["start_offset_s"]]  # fmt: skip
    data_table(starts, key="staff_shift_tbl", file_stem=f"shifts_{cid}_{day}")


def _hiring(req: pd.DataFrame) -> None:
    from ops.staffing.hiring import hiring_plan, weekly_fte

    if req.empty:
        st.caption(t("app.empty_selection"))
        return
    st.caption(t("staff.hiring_help"))
    need = call_pure(weekly_fte, req)
    base = float(need.mean()) if len(need) else 0.0
    c = st.columns(4)
    peak = c[0].slider(t("staff.peak_uplift"), 0, 100, 25, 5, key="staff_hire_peak", format="%d%%")
    until = c[1].number_input(t("staff.until_peak"), 1, 52, 8, key="staff_hire_until")
    length = c[2].number_input(t("staff.peak_weeks"), 1, 26, 4, key="staff_hire_len")
    headcount = c[3].number_input(
        t("staff.headcount"), 0.0, 5000.0, round(base, 1), 1.0, key="staff_hire_hc"
    )
    d = st.columns(3)
    lead = d[0].number_input(t("staff.lead"), 0, 26, 2, key="staff_hire_lead")
    train = d[1].number_input(t("staff.training"), 0, 26, 2, key="staff_hire_train")
    attr = d[2].slider(
        t("staff.attrition"), 0.0, 0.05, 0.01, 0.005, key="staff_hire_attr", format="%.3f"
    )
    # The plan's mean weekly need until the peak, then the need raised by the uplift.
    values = [base] * int(until) + [base * (1 + peak / 100.0)] * int(length)
    weeks = pd.date_range(pd.Timestamp(need.index[0]), periods=len(values), freq="7D", name="week")
    series = pd.Series(values, index=weeks, name="need_fte")
    hp = call_pure(hiring_plan, series, float(headcount), lead_weeks=int(lead),
                   training_weeks=int(train), weekly_attrition=float(attr))  # fmt: skip
    frame = hp.frame
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=frame["week"], y=frame["need_fte"], name=t("staff.need_fte"),
                             line={"shape": "hv", "color": STATUS_COLORS["bad"]}))  # fmt: skip
    fig.add_trace(
        go.Bar(
            x=frame["week"], y=frame["productive_fte"], name=t("staff.productive_fte"), opacity=0.6
        )
    )
    fig.add_trace(
        go.Bar(x=frame["week"], y=frame["hires_decided"], name=t("staff.hires"), opacity=0.9)
    )
    fig.update_layout(barmode="overlay")
    show(fig, "staff_hiring_chart", title=t("staff.hiring_title"), height=320)
    k = st.columns(2)
    k[0].metric(t("staff.total_hires"), fmt_int(hp.total_hires))
    k[1].metric(t("staff.uncovered"), fmt_num(hp.uncovered_fte_weeks, 1))
    data_table(frame, key="staff_hire_tbl", file_stem="hiring_plan")


guarded(render, "staffing")
