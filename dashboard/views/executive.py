"""Executive summary: one page for the C-level. Are we keeping our promises, what does it cost, what
is coming?

The "This month" block on top is the SLA early warning (lines at risk or to watch, projected
penalty) for the month in progress. Everything below it is one :class:`ops.reports.ExecutiveSummary` built by
``ops.reports.executive_summary(store, <user's scope>, month)``, the same object the monthly PDF and
Excel report render, so the page and its downloads always agree (and a vendor user's download holds
only its own center).
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard.columns import number_column
from dashboard.components.charts import show
from dashboard.components.kpi import kpi_row, status_from_report
from dashboard.components.page import month_select, page_start
from dashboard.components.tables import data_table
from dashboard.components.this_month import this_month
from dashboard.context import call_store, guarded
from dashboard.i18n import (
    METRIC_FORMULA_KO,
    current_lang,
    fmt_date,
    fmt_int,
    fmt_money,
    fmt_pct,
    fmt_value,
    fmt_value_vs,
    t,
)

# shares as percentages, money and contact counts with thousands separators, FTE to one decimal
# (the downloads keep the numbers as they are)
RANK_FORMAT = {
    "attainment": number_column(None, "percent"),
    "penalty": st.column_config.NumberColumn(format="localized"),
}
OUTLOOK_FORMAT = {
    **{c: st.column_config.NumberColumn(format="%,.0f")
       for c in ("forecast_contacts", "forecast_lo", "forecast_hi", "plan_contacts")},
    **{c: st.column_config.NumberColumn(format="%.1f")
       for c in ("required_fte", "scheduled_fte", "gap_fte")},
}  # fmt: skip


def _breach_rows(breaches, names: dict, ko: bool) -> pd.DataFrame:  # noqa: ANN001
    """The month's missed contract lines to read: center, line, scope and period in the UI
    language, actual and target formatted in the metric's unit; ids and raw values after them."""
    from ops.labels import breach_period_ko, scope_ko

    rows = []
    for b in breaches:
        rows.append(
            {
                "center": names.get(b.center_id, b.center_id),
                "label": (b.label_ko if ko and b.label_ko else b.label) or b.metric,
                "scope": (scope_ko(b.scope) or t("filters.all")) if ko else b.scope,
                "period": breach_period_ko(b.period) if ko else b.period,
                "actual_text": fmt_value_vs(b.actual, b.target, b.unit),
                "target_text": fmt_value(b.target, b.unit),
                "penalty": b.penalty,
                "center_id": b.center_id,
                "contract_id": b.contract_id,
                "metric": b.metric,
                "actual": b.actual,
                "target": b.target,
                "margin": b.margin,
                "unit": b.unit,
            }
        )
    return pd.DataFrame(rows)


def _kpi_formula(k, ko: bool) -> str:  # noqa: ANN001
    """A KPI card's formula: the registry metric's Korean wording in the Korean UI."""
    if ko and k.name in METRIC_FORMULA_KO:
        return METRIC_FORMULA_KO[k.name]
    return str(k.formula)


def render() -> None:
    from ops.reports import executive_summary, summary_to_pdf, summary_to_xlsx

    opts = page_start("executive")
    if opts is None:
        return
    with st.container(key="exec_this_month"):
        this_month("exec_month_block", compact=True)
    month = month_select(opts, "exec_month")
    summary = call_store(executive_summary, month)
    ko = current_lang() == "ko"
    cur = summary.currency

    # downloads first: the C-level often only wants the file
    c1, c2, _ = st.columns([1, 1, 4])
    lang = "ko" if ko else "en"
    c1.download_button(
        t("exec.download_pdf"), data=lambda: summary_to_pdf(summary, lang),
        file_name=f"ccops_{month}.pdf", mime="application/pdf", key="exec_pdf",
        icon=":material/picture_as_pdf:", on_click="ignore",
    )  # fmt: skip
    c2.download_button(
        t("exec.download_xlsx"), data=lambda: summary_to_xlsx(summary),
        file_name=f"ccops_{month}.xlsx", key="exec_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:", on_click="ignore",
    )  # fmt: skip
    st.caption(
        t("exec.scope_line", month=month, contacts=fmt_int(summary.contacts),
          scope=t("scope.all") if summary.scope_label == "all centers" else summary.scope_label)
    )  # fmt: skip

    # --- findings ----------------------------------------------------------------------------
    if summary.findings:
        st.subheader(t("exec.findings"))
        for fnd in summary.findings[:3]:
            st.markdown(f"- {fnd.text_ko if ko else fnd.text_en}")

    # --- KPI cards -----------------------------------------------------------------------------
    st.subheader(t("exec.kpis"))
    cards = []
    for k in summary.kpis:
        cards.append(
            {
                "label": k.label_ko if ko else k.label_en,
                "value": fmt_value(k.value, k.unit, currency=cur),
                "target": fmt_value(k.target, k.unit, currency=cur)
                if k.target is not None
                else None,
                "status": status_from_report(k.status),
                "spark": [p.value for p in k.trend if p.value is not None],
                "help": "\n\n".join(
                    x for x in (_kpi_formula(k, ko), k.note or "", k.target_source) if x
                ),
            }
        )
    kpi_row(cards, per_row=5)
    st.caption(summary.status_rule_ko if ko else summary.status_rule)

    # --- month by day --------------------------------------------------------------------------
    names = {c.center_id: (c.name_ko if ko and c.name_ko else c.name) for c in summary.centers}
    if summary.daily:
        daily = pd.DataFrame([p.model_dump() for p in summary.daily])
        daily["center"] = daily["center_id"].map(names)
        left, right = st.columns(2)
        fig = px.bar(
            daily, x="day", y="contacts", color="center",
            labels={"day": t("col.date"), "contacts": t("col.contacts"), "center": t("col.center")},
        )  # fmt: skip
        with left:
            show(fig, "exec_daily_contacts", title=t("exec.daily_contacts"), height=320)
        fig = px.line(
            daily, x="day", y="service_level", color="center", markers=True,
            labels={"day": t("col.date"), "service_level": t("exec.sl"), "center": t("col.center")},
        )  # fmt: skip
        fig.update_yaxes(tickformat=".0%")
        with right:
            show(fig, "exec_daily_sl", title=t("exec.daily_sl"), height=320)

    # --- vendors, breaches, penalties --------------------------------------------------------------
    st.subheader(t("exec.ranking"))
    if summary.vendor_ranking:
        rank = pd.DataFrame([r.model_dump() for r in summary.vendor_ranking])
        rank["center"] = rank["center_id"].map(names)
        fig = px.bar(
            rank.sort_values("attainment"), x="attainment", y="center", orientation="h",
            text=rank.sort_values("attainment")["attainment"].map(fmt_pct),
            labels={"attainment": t("exec.attainment"), "center": t("col.center")},
        )  # fmt: skip
        fig.update_xaxes(tickformat=".0%", range=[0, 1.05])
        show(fig, "exec_ranking", height=60 + 50 * len(rank))
        shown = pd.DataFrame(
            {
                "rank": rank["rank"],
                "center": rank["center"],
                "kind": [
                    t(f"kind.{k}") if k in ("in_house", "vendor") else k for k in rank["kind"]
                ],
                "lines_met": rank["lines_met"],
                "lines_total": rank["lines_total"],
                "attainment": rank["attainment"],
                "penalty": rank["penalty"],
                "currency": rank["currency"],
                "center_id": rank["center_id"],
            }
        )
        from ops.reports.model import ATTAINMENT_NOTE, ATTAINMENT_NOTE_KO

        st.caption(ATTAINMENT_NOTE_KO if current_lang() == "ko" else ATTAINMENT_NOTE)
        data_table(shown, key="exec_rank_tbl", file_stem=f"vendor_ranking_{month}",
                   column_config=RANK_FORMAT)  # fmt: skip
    else:
        st.caption(t("exec.no_contracts"))

    left, right = st.columns(2)
    with left:
        st.subheader(t("exec.breaches"))
        if summary.breaches:
            data_table(_breach_rows(summary.breaches, names, ko), key="exec_breaches",
                       file_stem=f"breaches_{month}", column_config=RANK_FORMAT)  # fmt: skip
        else:
            st.success(t("exec.no_breaches"))
    with right:
        st.subheader(t("exec.penalties"))
        if summary.penalties:
            for p in summary.penalties:
                with st.container(border=True):
                    st.markdown(
                        f"**{names.get(p.center_id, p.name)}** — "
                        + t("exec.net", net=fmt_money(p.net, p.currency))
                    )
                    st.caption(
                        t("exec.penalty_line", penalty=fmt_money(p.penalty, p.currency),
                          bonus=fmt_money(p.bonus, p.currency),
                          fee=fmt_money(p.monthly_fee, p.currency))
                    )  # fmt: skip
                    for line in p.lines_ko if ko and p.lines_ko else p.lines:
                        st.text(line)
        else:
            st.caption(t("exec.no_penalties"))

    # --- outlook -------------------------------------------------------------------------------
    st.subheader(t("exec.outlook"))
    if summary.outlook:
        out = pd.DataFrame([w.model_dump() for w in summary.outlook])
        fig = go.Figure()
        if out["forecast_hi"].notna().any():
            fig.add_trace(go.Scatter(
                x=list(out["week_start"]) + list(out["week_start"])[::-1],
                y=list(out["forecast_hi"]) + list(out["forecast_lo"])[::-1],
                fill="toself", line={"width": 0}, name=t("exec.interval"), opacity=0.25,
            ))  # fmt: skip
        fig.add_trace(
            go.Scatter(x=out["week_start"], y=out["forecast_contacts"], name=t("exec.forecast"),
                       mode="lines+markers")
        )  # fmt: skip
        if out["gap_fte"].notna().any():
            fig.add_trace(go.Bar(x=out["week_start"], y=out["gap_fte"], name=t("exec.gap_fte"),
                                 yaxis="y2", opacity=0.5))  # fmt: skip
            fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "title": "FTE"})
        show(fig, "exec_outlook", title=t("exec.outlook_title"), height=320)
        data_table(out, key="exec_outlook_tbl", file_stem=f"outlook_{month}",
                   column_config=OUTLOOK_FORMAT)  # fmt: skip
    else:
        st.caption(t("exec.no_outlook"))
    if summary.upcoming:
        st.markdown(f"**{t('exec.upcoming')}**")
        for ev in summary.upcoming:
            name = ev.name_ko if ko and ev.name_ko else ev.name
            span = fmt_date(ev.start_date)
            if ev.end_date != ev.start_date:
                span += f" – {fmt_date(ev.end_date)}"
            effect = (
                f" ({t('exec.effect', pct=fmt_pct(ev.expected_effect - 1))})"
                if ev.expected_effect
                else ""
            )
            st.markdown(f"- {span} · {name}{effect}")
    notes = (
        summary.notes_ko if ko and len(summary.notes_ko) == len(summary.notes) else summary.notes
    )
    for note in notes:
        st.caption(f"ⓘ {note}")


guarded(render, "executive")
