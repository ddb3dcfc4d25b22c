"""Forecast: the workforce planner's page. How many contacts are coming, how sure are we, and how
good were our past forecasts?

Stored runs come from ``ops.forecasting.service`` (forecast vs actual, accuracy by horizon, the model
chosen per series, intraday spread); scenarios from ``ops.forecasting`` when available. Holidays and
events are marked on the chart. Admins and managers can store a new run from here.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard import queries, services
from dashboard.columns import with_labels
from dashboard.components.charts import LABEL_ROW_PX, SERIES_COLORS, label_rows, show
from dashboard.components.page import page_start
from dashboard.components.tables import data_table
from dashboard.context import (
    call,
    call_store,
    center_names,
    current_user,
    get_filters,
    get_store,
    guarded,
    service,
)
from dashboard.i18n import current_lang, fmt_date, fmt_int, fmt_pct, t

HISTORY_DAYS = 56


def render() -> None:
    opts = page_start("forecast")
    if opts is None:
        return
    runs = call_store(services.forecast_runs)
    _run_button(runs)
    if runs.empty:
        st.info(t("forecast.no_runs"))
        return
    labels = {
        r.run_id: f"{fmt_date(pd.Timestamp(r.created_at))} · as of {r.as_of} · {r.model} · {r.run_id}"
        for r in runs.itertuples()
    }
    run_id = st.selectbox(
        t("forecast.run"), list(labels), format_func=labels.get, key="forecast_run"
    )
    fva = call_store(services.forecast_vs_actual, run_id)
    if fva.empty:
        st.info(t("forecast.no_series"))
        return
    f = get_filters()
    if f.centers:
        fva = fva[fva["center_id"].isin(f.centers)]
    if f.queues:
        fva = fva[fva["queue_id"].isin(f.queues)]
    if fva.empty:
        st.info(t("app.empty_selection"))
        return
    names = center_names()
    totals = fva.groupby("series_id")["yhat"].sum().sort_values(ascending=False)
    series = st.selectbox(
        t("forecast.series"), list(totals.index), key="forecast_series",
        format_func=lambda s: f"{names.get(s.split('|')[0], s.split('|')[0])} · {s.split('|')[-1]}",
    )  # fmt: skip
    one = fva[fva["series_id"] == series].sort_values("ds")
    center_id = one["center_id"].iloc[0]
    first_fc = pd.Timestamp(one["ds"].min())
    hist_start = (first_fc - timedelta(days=HISTORY_DAYS)).date()
    hist = call_store(services.volume_history, hist_start, opts["last_day"])
    hist = hist[hist["series_id"] == series]

    _history_chart(one, hist, center_id, hist_start)
    _accuracy(run_id, series)
    _scenario(one)
    _intraday(run_id, series)


def _run_button(runs: pd.DataFrame) -> None:
    if current_user().role not in ("admin", "manager"):
        return
    with st.expander(t("forecast.new_run")):
        horizon = st.slider(t("forecast.horizon"), 7, 120, 56, 7, key="forecast_horizon")
        if st.button(t("forecast.run_now"), key="forecast_run_now", type="primary"):
            with st.spinner(t("forecast.running")):
                run_id = services.run_forecast(get_store(), _scope(), int(horizon))
            st.cache_data.clear()
            st.success(t("forecast.stored", run_id=run_id))


def _scope():  # noqa: ANN202
    from dashboard.context import current_scope

    return current_scope()


def _history_chart(one: pd.DataFrame, hist: pd.DataFrame, center_id: str, hist_start) -> None:  # noqa: ANN001
    fig = go.Figure()
    band = one.dropna(subset=["yhat_lo", "yhat_hi"])
    if len(band):
        fig.add_trace(go.Scatter(
            x=list(band["ds"]) + list(band["ds"])[::-1],
            y=list(band["yhat_hi"]) + list(band["yhat_lo"])[::-1],
            fill="toself", line={"width": 0}, fillcolor="rgba(232,89,12,0.18)",
            name=t("forecast.interval"), hoverinfo="skip",
        ))  # fmt: skip
    fig.add_trace(go.Scatter(x=hist["ds"], y=hist["y"], name=t("forecast.actual"),
                             line={"color": SERIES_COLORS[0]}))  # fmt: skip
    fig.add_trace(go.Scatter(x=one["ds"], y=one["yhat"], name=t("forecast.forecast"),
                             line={"color": SERIES_COLORS[1], "dash": "dash"}))  # fmt: skip
    if one["actual"].notna().any():
        fig.add_trace(go.Scatter(x=one["ds"], y=one["actual"], name=t("forecast.actual_after"),
                                 mode="markers", marker={"color": SERIES_COLORS[0], "size": 6}))  # fmt: skip
    end = pd.Timestamp(one["ds"].max()).date()
    ko = current_lang() == "ko"
    hol = call_store(services.holidays, hist_start, end)
    hol = hol[hol["center_id"] == center_id]
    for r in hol.itertuples():
        fig.add_vrect(x0=pd.Timestamp(r.date), x1=pd.Timestamp(r.date) + timedelta(days=1),
                      fillcolor="#9c36b5", opacity=0.12, line_width=0)  # fmt: skip
    ev = call(queries.events_between, hist_start, end)
    ev = ev[ev["center_id"].isna() | (ev["center_id"] == center_id)] if len(ev) else ev
    marked = [r for r in ev.itertuples() if r.kind != "holiday"]
    labels = [r.name_ko if ko and isinstance(r.name_ko, str) else r.name for r in marked]
    starts = [pd.Timestamp(r.start_date) for r in marked]
    span_days = max((pd.Timestamp(end) - pd.Timestamp(hist_start)).days, 1)
    on_row = label_rows(starts, labels, span_days)
    for r, label, row in zip(marked, labels, on_row, strict=True):
        fig.add_vrect(x0=pd.Timestamp(r.start_date), x1=pd.Timestamp(r.end_date) + timedelta(days=1),
                      fillcolor="#f08c00", opacity=0.12, line_width=0,
                      annotation_text=label, annotation_position="top left",
                      annotation_font_size=10, annotation_yshift=-LABEL_ROW_PX * row)  # fmt: skip
    show(fig, "forecast_chart", title=t("forecast.chart_title"), height=420)
    st.caption(t("forecast.marks"))
    rows = [
        {"date": pd.Timestamp(r.date), "kind": "holiday", "name": r.name} for r in hol.itertuples()
    ]
    rows += [
        {
            "date": r.start_date,
            "kind": r.kind,
            "name": r.name_ko if ko and isinstance(r.name_ko, str) else r.name,
        }
        for r in ev.itertuples()
    ]
    if rows:
        with st.expander(t("forecast.events", n=len(rows))):
            events = pd.DataFrame(rows).sort_values("date")
            st.dataframe(events, hide_index=True, column_config=with_labels(events, None))
    # forecasts show to one decimal (dashboard.columns); the downloads keep full precision
    data_table(
        one, key="forecast_rows", file_stem=f"forecast_{one['series_id'].iloc[0].replace('|', '_')}"
    )


def _accuracy(run_id: str, series: str) -> None:
    st.subheader(t("forecast.accuracy"))
    acc = call_store(services.forecast_accuracy, run_id)
    models = call_store(services.forecast_models, run_id)
    left, right = st.columns(2)
    if acc.empty:
        left.caption(t("forecast.no_actuals"))
    else:
        sel = acc[acc["series_id"].isin([series, "ALL"])].copy()
        sel["which"] = sel["series_id"].map(
            {series: t("forecast.this_series"), "ALL": t("forecast.all_series")}
        )
        fig = px.bar(sel, x="bucket", y="wape", color="which", barmode="group",
                     labels={"bucket": t("forecast.horizon_days"), "wape": "WAPE", "which": ""},
                     hover_data=["mape", "bias", "mase", "n"])  # fmt: skip
        fig.update_yaxes(tickformat=".0%")
        with left:
            show(fig, "forecast_accuracy", title=t("forecast.accuracy_title"), height=320)
        with right:
            st.caption(t("forecast.wape_help"))
            data_table(acc, key="forecast_acc_tbl", file_stem=f"forecast_accuracy_{run_id}")
    st.subheader(t("forecast.models"))
    data_table(models, key="forecast_models_tbl", file_stem=f"forecast_models_{run_id}")


def _scenario(one: pd.DataFrame) -> None:
    """Uplift a date range by a percentage (campaign, peak) through the forecasting scenario API."""
    apply_uplift = service("ops.forecasting", "apply_uplift")
    if apply_uplift is None:
        return
    st.subheader(t("forecast.scenario"))
    lo, hi = pd.Timestamp(one["ds"].min()).date(), pd.Timestamp(one["ds"].max()).date()
    c1, c2 = st.columns(2)
    dates = c1.date_input(t("forecast.scenario_dates"), value=(lo, min(hi, lo + timedelta(days=6))),
                          min_value=lo, max_value=hi, key="forecast_sc_dates", format="YYYY-MM-DD")  # fmt: skip
    pct = c2.slider(t("forecast.uplift"), -50, 200, 20, 5, key="forecast_sc_pct", format="%d%%")
    if not (isinstance(dates, (tuple, list)) and len(dates) == 2):
        return
    frame = one[["series_id", "ds", "yhat", "yhat_lo", "yhat_hi"]].reset_index(drop=True)
    scen = apply_uplift(frame, start=dates[0], end=dates[1], pct=float(pct))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=frame["ds"], y=frame["yhat"], name=t("forecast.baseline")))
    fig.add_trace(go.Scatter(x=scen["ds"], y=scen["yhat"], name=t("forecast.with_scenario"),
                             line={"dash": "dot"}))  # fmt: skip
    show(fig, "forecast_scenario", height=300)
    delta = float(scen["yhat"].sum() - frame["yhat"].sum())
    st.caption(
        t(
            "forecast.scenario_delta",
            delta=fmt_int(delta),
            pct=fmt_pct(delta / max(frame["yhat"].sum(), 1)),
        )
    )
    data_table(scen, key="forecast_sc_tbl", file_stem="forecast_scenario")


def _intraday(run_id: str, series: str) -> None:
    st.subheader(t("forecast.intraday"))
    iv = call_store(services.forecast_intervals, run_id)
    iv = iv[iv["series_id"] == series]
    if iv.empty:
        st.caption(t("forecast.no_series"))
        return
    days = sorted(pd.to_datetime(iv["ds"]).dt.date.unique())
    day = st.selectbox(t("forecast.day"), days, format_func=fmt_date, key="forecast_iv_day")
    d = iv[pd.to_datetime(iv["ds"]).dt.date == day]
    fig = px.bar(d, x="ds", y="yhat", labels={"ds": t("sla.interval"), "yhat": t("forecast.forecast")},
                 error_y=d["yhat_hi"] - d["yhat"], error_y_minus=d["yhat"] - d["yhat_lo"])  # fmt: skip
    show(
        fig, "forecast_intraday", title=t("forecast.intraday_title", day=fmt_date(day)), height=320
    )
    data_table(d, key="forecast_iv_tbl", file_stem=f"intraday_{series.replace('|', '_')}_{day}")


guarded(render, "forecast")
