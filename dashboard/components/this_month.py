"""The "This month" block (Vendors and Executive pages) and the intraday watch (SLA page).

Both draw one :class:`ops.sla.early_warning.EarlyWarning` built by
``ops.sla.alerts.watch_report`` on the signed-in user's scoped reader (a vendor user's block and
its download hold only its own center's lines). Nothing is computed here: the rows below only
word the model's fields in the UI language.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboard.components.charts import STATUS_COLORS, show, target_line
from dashboard.components.tables import data_table
from dashboard.context import call, center_names
from dashboard.i18n import current_lang, fmt_int, fmt_money, fmt_num, fmt_value, t
from ops.config import get_settings

# the risk of a line as a traffic light (kpi status) and its label key
RISK_STATUS = {"at_risk": "bad", "missed": "bad", "watch": "warn", "on_track": "ok", "met": "ok",
               "unknown": None}  # fmt: skip
RISK_ORDER = {"missed": 0, "at_risk": 1, "watch": 2, "on_track": 3, "met": 4, "unknown": 5}
_CELL = {"bad": "background-color: #fdecea; color: #b71c1c",
         "warn": "background-color: #fff4d6; color: #8a5a00",
         "ok": "background-color: #e8f5e9; color: #1b5e20"}  # fmt: skip


def _alerts_file() -> str | None:
    f = get_settings().alerts_file
    return str(f) if f else None


def report(as_of: datetime | None = None, *, staffing: bool = True) -> Any:
    """The early warning for the user's scope (cached per scope and arguments)."""
    from ops.sla.alerts import watch_report

    return call(watch_report, as_of=as_of, alerts_file=_alerts_file(), staffing=staffing)


def _required_text(ln: Any) -> str:
    if ln.required_status == "not_reachable":
        return t("month.not_reachable")
    if ln.required_status == "secured":
        return t("month.secured")
    if ln.required_status == "final":
        return t("month.final")
    if ln.required is None:
        return "–"
    word = "month.at_most" if ln.direction == "lower" else "month.at_least"
    return t(word, value=fmt_value(ln.required, ln.unit))


def line_rows(
    rep: Any, centers: list[str] | None = None, at_risk_only: bool = False
) -> pd.DataFrame:
    """One row per contract line: status, center, line, so far, projected (band), required rest,
    projected penalty and the staffing gap, worded; the raw values after them."""
    ko = current_lang() == "ko"
    names = center_names()
    pen = {(st_.contract_id, st_.version, ln.line_no): (ln.penalty, st_.currency)
           for st_ in rep.statements for ln in st_.statement.lines}  # fmt: skip
    rows = []
    for ln in sorted(rep.lines, key=lambda x: (RISK_ORDER[x.risk], x.center_id, x.line_no)):
        if centers is not None and ln.center_id not in centers:
            continue
        if at_risk_only and ln.risk not in ("at_risk", "missed", "watch"):
            continue
        p = pen.get((ln.contract_id, ln.version, ln.line_no))
        u = ln.unit
        band = (
            f"{fmt_value(ln.projected_lo, u)} – {fmt_value(ln.projected_hi, u)}"
            if ln.projected is not None
            else ""
        )
        rows.append({
            "status": t(f"month.risk.{ln.risk}"),
            "center": names.get(ln.center_id, ln.center_id),
            "label": ln.label_ko if ko and ln.label_ko else ln.label,
            "period": t(f"sla.period.{ln.period}"),
            "so_far": fmt_value(ln.value_so_far, u),
            "projected_text": fmt_value(ln.projected, u) if ln.projected is not None
            else (ln.reason_ko if ko else ln.reason) or "–",
            "band": band,
            "target_text": fmt_value(ln.target, u),
            "required_text": _required_text(ln),
            "projected_penalty": p[0] if p else None,
            "extra_fte": ln.staffing.extra_fte if ln.staffing else None,
            "volume_method": t(f"month.volume.{ln.volume_method}"),
            "reasons": ", ".join(t(f"month.reason.{r}") for r in ln.reasons),
            "center_id": ln.center_id, "contract_id": ln.contract_id, "line_no": ln.line_no,
            "metric": ln.metric, "value_so_far": ln.value_so_far, "done_num": ln.done_num,
            "done_den": ln.done_den, "remaining_den": ln.remaining_den,
            "projected": ln.projected, "projected_lo": ln.projected_lo,
            "projected_hi": ln.projected_hi, "required": ln.required, "target": ln.target,
            "risk": ln.risk,
        })  # fmt: skip
    return pd.DataFrame(rows)


def _style_status(df: pd.DataFrame) -> Any:
    status = {t(f"month.risk.{k}"): v for k, v in RISK_STATUS.items() if v}
    return df.style.map(lambda v: _CELL.get(status.get(v, ""), ""), subset=["status"])


def penalty_text(totals: list[Any]) -> tuple[str, str]:
    """The projected penalty card: one figure per currency (``₩12,000,000 · $1,500.00``), and its
    help with each currency's band and net. Without statements: ``₩0``, as a KRW store shows."""
    if not totals:
        zero = fmt_money(0.0, "KRW")
        return zero, t("month.penalty_help", low=zero, high=zero, net=zero)
    value = " · ".join(fmt_money(x.penalty, x.currency) for x in totals)
    helps = [
        t("month.penalty_help", low=fmt_money(x.penalty_low, x.currency),
          high=fmt_money(x.penalty_high, x.currency), net=fmt_money(x.net, x.currency))
        for x in totals
    ]  # fmt: skip
    if len(totals) > 1:
        helps = [f"{x.currency}: {h}" for x, h in zip(totals, helps, strict=True)]
    return value, "\n\n".join(helps)


def this_month(key: str, *, centers: list[str] | None = None, compact: bool = False) -> None:
    """The block: traffic-light counts, projected penalty, and the lines (``compact``: only the
    lines at risk or watched, for the Executive page)."""
    from ops.errors import ConfigError

    st.subheader(t("month.title"))
    try:
        rep = report()
    except ConfigError as e:
        st.info(e.message)
        return
    lines = [ln for ln in rep.lines if centers is None or ln.center_id in centers]
    if not lines:
        st.info(t("app.empty_selection"))
        return
    first = lines[0]
    names = center_names()
    month_line = next((x for x in lines if x.period == "month"), first)
    st.caption(
        t("month.as_of", when=", ".join(f"{names.get(c, c)} {v:%Y-%m-%d %H:%M}"
                                         for c, v in sorted(rep.as_of_local.items())),
          days=fmt_num(month_line.days_elapsed, 1), total=fmt_int(month_line.days_total))
    )  # fmt: skip
    counts = {k: sum(1 for ln in lines if ln.risk in ks) for k, ks in
              (("bad", ("at_risk", "missed")), ("warn", ("watch",)), ("ok", ("on_track", "met")))}  # fmt: skip
    stmts = [s for s in rep.statements if centers is None or s.center_id in centers]
    penalty, penalty_help = penalty_text(rep.penalty_by_currency(centers))
    c = st.columns(4)
    c[0].metric(t("month.at_risk"), fmt_int(counts["bad"]), border=True)
    c[1].metric(t("month.watch"), fmt_int(counts["warn"]), border=True)
    c[2].metric(t("month.on_track"), fmt_int(counts["ok"]), border=True)
    c[3].metric(t("month.penalty"), penalty, border=True, help=penalty_help)
    rows = line_rows(rep, centers, at_risk_only=compact)
    if len(rows):  # no fee, no penalty: an empty cell, not "None"
        rows["projected_penalty"] = pd.to_numeric(rows["projected_penalty"], errors="coerce")
        rows["extra_fte"] = pd.to_numeric(rows["extra_fte"], errors="coerce")
    if rows.empty:
        st.success(t("month.none_at_risk"))
    else:
        money = st.column_config.NumberColumn(format="localized")
        data_table(rows, key=f"{key}_lines", file_stem=f"this_month_{first.window_start:%Y-%m}",
                   column_config={"projected_penalty": money}, style=_style_status)  # fmt: skip
    st.caption(t("month.method"))
    if compact:
        return
    with st.expander(t("month.statements")):
        ko = current_lang() == "ko"
        for s in stmts:
            st.markdown(f"**{names.get(s.center_id, s.center_id)}** · {s.contract_id} v{s.version}")
            for line in s.text_ko if ko else s.text:
                st.text(line)
        staffed = [ln for ln in lines if ln.staffing is not None]
        for ln in staffed:
            sf = ln.staffing
            st.caption(
                t("month.staffing", center=names.get(ln.center_id, ln.center_id),
                  line=ln.label_ko if ko and ln.label_ko else ln.label,
                  required=fmt_value(sf.required_sl, "ratio"), fte=fmt_num(sf.extra_fte, 1),
                  cost=fmt_money(sf.extra_cost, sf.currency),
                  short=fmt_int(sf.intervals_short), n=fmt_int(sf.intervals),
                  sched=fmt_value(sf.schedule_projected, "ratio"))
            )  # fmt: skip
        for note in rep.notes_ko if ko else rep.notes:
            st.caption(f"ⓘ {note}")


# --- intraday watch -----------------------------------------------------------------------------
def clock_label(local: datetime) -> str:
    """``KST, UTC+09:00``: the dashboard clock's abbreviation and offset at ``local`` (aware).
    Not the zone's IANA name: ``Asia/Seoul`` on a vendor's page would read as another center."""
    off = local.utcoffset() or timedelta(0)
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)
    return f"{local.tzname()}, UTC{sign}{hh:02d}:{mm:02d}"


def intraday_watch(opts: dict[str, Any]) -> None:
    """Today's intervals below target per service-level line, waiting contacts and the agents the
    current interval needs, as of a chosen instant (default: the latest data)."""
    from zoneinfo import ZoneInfo

    from ops.errors import ConfigError
    from ops.sla.early_warning import latest_contact

    tz = ZoneInfo(get_settings().timezone)
    newest = call(latest_contact)
    # default: the latest data ("now" on a live store), to the quarter hour, on the dashboard's clock
    now = (
        datetime.combine(opts["last_day"], time(12, 0))
        if newest is None
        else newest.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None)
    )
    now = now.replace(minute=now.minute // 15 * 15, second=0, microsecond=0)
    c1, c2, c3 = st.columns([1, 1, 2])
    day = c1.date_input(t("intraday.day"), value=now.date(), min_value=opts["first_day"],
                        max_value=max(opts["last_day"], now.date()), key="sla_intra_day")  # fmt: skip
    at = c2.time_input(t("intraday.time"), value=now.time() if day == now.date() else time(12, 0),
                       step=timedelta(minutes=15), key="sla_intra_time")  # fmt: skip
    local = datetime.combine(day, at).replace(tzinfo=tz)
    as_of = local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    c3.caption(t("intraday.help", tz=clock_label(local)))
    try:
        rep = report(as_of, staffing=False)
    except ConfigError as e:
        st.info(e.message)
        return
    if not rep.intraday:
        st.info(t("intraday.none"))
        return
    ko = current_lang() == "ko"
    names = center_names()
    rows = []
    for il in rep.intraday:
        rows.append({
            "center": names.get(il.center_id, il.center_id),
            "label": il.label_ko if ko and il.label_ko else il.label,
            "today": fmt_value(il.day_value, "ratio"), "target_text": fmt_value(il.target, "ratio"),
            "intervals_below": il.intervals_below, "missed_contacts": il.missed_contacts,
            "waiting_now": il.waiting_now, "oldest_wait_s": il.oldest_wait_s,
            "current_interval": il.current_interval,
            "expected_contacts_now": il.expected_contacts_now,
            "agents_needed_now": il.agents_needed_now,
            "agents_scheduled_now": il.agents_scheduled_now,
            "agents_short_now": il.agents_short_now, "center_id": il.center_id,
            "contract_id": il.contract_id, "line_no": il.line_no, "day_num": il.day_num,
            "day_den": il.day_den,
        })  # fmt: skip
    table = pd.DataFrame(rows)
    for col in ("oldest_wait_s", "expected_contacts_now", "agents_needed_now",
                "agents_scheduled_now", "agents_short_now"):  # fmt: skip
        table[col] = pd.to_numeric(table[col], errors="coerce")  # empty cells, not "None"
    st.subheader(t("intraday.title"))
    data_table(table, key="sla_intra_lines", file_stem=f"intraday_{day}")
    options = list(range(len(rep.intraday)))
    pick = st.selectbox(
        t("intraday.line"), options, key="sla_intra_line",
        format_func=lambda i: f"{rows[i]['center']} · {rows[i]['label']}",
    )  # fmt: skip
    il = rep.intraday[pick or 0]
    if not il.intervals:
        st.caption(t("intraday.no_contacts"))
        return
    iv = pd.DataFrame([x.model_dump() for x in il.intervals])
    iv["status"] = iv["below_target"].map({True: "bad", False: "ok"})
    fig = px.bar(
        iv, x="interval_start", y="value", color="status",
        color_discrete_map={k or "none": v for k, v in STATUS_COLORS.items()},
        labels={"interval_start": t("sla.interval"), "value": t("exec.sl")},
        hover_data={"num": ":,.0f", "den": ":,.0f"},
    )  # fmt: skip
    fig.update_yaxes(tickformat=".0%")
    fig.update_layout(showlegend=False)
    target_line(fig, il.target, t("col.target"))
    show(fig, "sla_intra_chart", title=t("intraday.chart", line=rows[pick or 0]["label"]),
         height=320)  # fmt: skip
    # the line's metric by its registry name: its label, numerator, denominator and % format
    m = next(ln.metric for ln in rep.lines if (ln.contract_id, ln.version, ln.line_no)
             == (il.contract_id, il.version, il.line_no))  # fmt: skip
    below = iv[iv["below_target"]].drop(columns=["status", "below_target"])
    below = below.rename(columns={"value": m, "num": f"{m}_num", "den": f"{m}_den"})
    if len(below):
        data_table(below, key="sla_intra_below", file_stem=f"intraday_below_{day}")
