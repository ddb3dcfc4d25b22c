"""The monthly report as an Excel workbook: one sheet per section of the executive summary.

Managers paste these numbers into their own decks, so numbers are stored as numbers (never as text),
ratios as fractions with a percent format, and every label is there in English and Korean (xlsxwriter
writes UTF-8, so Hangul shows in Excel without any font setup).
"""

from __future__ import annotations

import io
import math
from typing import Any

import xlsxwriter

from ops.reports.model import ExecutiveSummary, KpiStatus

SHEETS = (
    "Summary",
    "KPIs",
    "KPI trend",
    "Findings",
    "Vendor ranking",
    "Breaches",
    "Penalties",
    "Outlook",
    "Holidays & events",
    "Notes",
)

_NUM_FORMATS = {
    "ratio": "0.0%",
    "seconds": "#,##0.0",
    "score": "0.00",
    "index": "0.0",
    "currency": "#,##0",
    "count": "#,##0",
}
_STATUS_COLORS = {
    KpiStatus.green: "#C6EFCE",
    KpiStatus.amber: "#FFEB9C",
    KpiStatus.red: "#FFC7CE",
    KpiStatus.none: "#EDEDED",
}


def summary_to_xlsx(summary: ExecutiveSummary) -> bytes:
    """Write ``summary`` as an .xlsx workbook and return its bytes (sheets listed in ``SHEETS``)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    wb.set_properties(
        {
            "title": f"ccops monthly report {summary.month}",
            "subject": f"Executive summary — {summary.scope_label}",
            "author": "ccops",
        }
    )
    f = _Formats(wb)
    _summary_sheet(wb, f, summary)
    _kpi_sheet(wb, f, summary)
    _trend_sheet(wb, f, summary)
    _findings_sheet(wb, f, summary)
    _ranking_sheet(wb, f, summary)
    _breaches_sheet(wb, f, summary)
    _penalties_sheet(wb, f, summary)
    _outlook_sheet(wb, f, summary)
    _events_sheet(wb, f, summary)
    _notes_sheet(wb, f, summary)
    wb.close()
    return buf.getvalue()


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.head = wb.add_format({"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF"})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.num = {u: wb.add_format({"num_format": nf}) for u, nf in _NUM_FORMATS.items()}
        self.status = {
            s: wb.add_format({"bg_color": c, "bold": True}) for s, c in _STATUS_COLORS.items()
        }


def _write(ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """Numbers as numbers; None/NaN as blank cells (xlsx has no NaN)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, float(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _table(
    wb: xlsxwriter.Workbook,
    f: _Formats,
    name: str,
    headers: list[str],
    rows: list[list[Any]],
    formats: list[Any] | None = None,
    widths: list[int] | None = None,
) -> Any:
    ws = wb.add_worksheet(name)
    for c, h in enumerate(headers):
        ws.write_string(0, c, h, f.head)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            _write(ws, r, c, v, formats[c] if formats else None)
    for c, w in enumerate(widths or [16] * len(headers)):
        ws.set_column(c, c, w)
    ws.freeze_panes(1, 0)
    if not rows:
        ws.write_string(1, 0, "(none this month / 이번 달 없음)")
    return ws


def _summary_sheet(wb: xlsxwriter.Workbook, f: _Formats, s: ExecutiveSummary) -> None:
    ws = wb.add_worksheet("Summary")
    ws.write_string(0, 0, f"Monthly report {s.month} / 월간 보고서", f.title)
    rows: list[tuple[str, Any, Any]] = [
        ("Month / 월", s.month, None),
        ("From / 시작", s.month_start.isoformat(), None),
        ("To / 종료", s.month_end.isoformat(), None),
        ("Scope / 범위", s.scope_label, None),
        ("Centers / 센터", ", ".join(s.center_ids), None),
        ("Contacts / 인입 건수", s.contacts, f.num["count"]),
        ("Currency / 통화", s.currency or "", None),
        ("Status rule", s.status_rule, f.wrap),
        ("상태 기준", s.status_rule_ko, f.wrap),
    ]
    for r, (k, v, fmt) in enumerate(rows, start=2):
        ws.write_string(r, 0, k, f.head)
        _write(ws, r, 1, v, fmt)
    r = len(rows) + 3
    ws.write_string(r, 0, "Findings / 주요 발견", f.head)
    for i, fd in enumerate(s.findings, start=1):
        ws.write_string(r + i, 0, f"{i}.")
        ws.write_string(r + i, 1, f"{fd.text_en}\n{fd.text_ko}", f.wrap)
        ws.set_row(r + i, 45)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 110)


def _kpi_sheet(wb: xlsxwriter.Workbook, f: _Formats, s: ExecutiveSummary) -> None:
    headers = [
        "KPI", "Label", "지표", "Value", "Target", "Status", "Margin", "Unit", "Direction",
        "Amber band", "Numerator", "Denominator", "Target source", "Formula", "Source", "Note",
    ]  # fmt: skip
    ws = wb.add_worksheet("KPIs")
    for c, h in enumerate(headers):
        ws.write_string(0, c, h, f.head)
    for r, k in enumerate(s.kpis, start=1):
        nf = f.num.get(k.unit)
        margin = None
        if k.value is not None and k.target is not None:
            margin = k.value - k.target if k.direction != "lower" else k.target - k.value
        vals: list[tuple[Any, Any]] = [
            (k.name, None),
            (k.label_en, None),
            (k.label_ko, None),
            (k.value, nf),
            (k.target, nf),
            (k.status.value, f.status[k.status]),
            (margin, nf),
            (k.unit, None),
            (k.direction, None),
            (k.amber_band, nf),
            (k.numerator, f.num["count"]),
            (k.denominator, f.num["count"]),
            (k.target_source, None),
            (k.formula, None),
            (k.source, None),
            (k.note or "", None),
        ]
        for c, (v, fmt) in enumerate(vals):
            _write(ws, r, c, v, fmt)
    for c, w in enumerate([22, 26, 20, 12, 12, 9, 12, 9, 10, 11, 12, 12, 22, 50, 28, 40]):
        ws.set_column(c, c, w)
    ws.freeze_panes(1, 1)


def _trend_sheet(wb: xlsxwriter.Workbook, f: _Formats, s: ExecutiveSummary) -> None:
    months = sorted({p.month for k in s.kpis for p in k.trend})
    ws = wb.add_worksheet("KPI trend")
    for c, h in enumerate(["KPI", "Label", "지표", *months]):
        ws.write_string(0, c, h, f.head)
    for r, k in enumerate(s.kpis, start=1):
        ws.write_string(r, 0, k.name)
        ws.write_string(r, 1, k.label_en)
        ws.write_string(r, 2, k.label_ko)
        by_month = {p.month: p.value for p in k.trend}
        for c, m in enumerate(months, start=3):
            _write(ws, r, c, by_month.get(m), f.num.get(k.unit))
    ws.set_column(0, 0, 22)
    ws.set_column(1, 2, 24)
    ws.set_column(3, 3 + len(months), 11)
    ws.freeze_panes(1, 3)


def _findings_sheet(wb: xlsxwriter.Workbook, f: _Formats, s: ExecutiveSummary) -> None:
    rows = [
        [
            i,
            fd.kind,
            fd.center_id or "",
            fd.text_en,
            fd.text_ko,
            fd.effect,
            "; ".join(f"{k}={v}" for k, v in fd.evidence.items()),
        ]
        for i, fd in enumerate(s.findings, start=1)
    ]
    _table(
        wb,
        f,
        "Findings",
        ["#", "Kind", "Center", "Finding", "발견 사항", "Effect (share of contacts)", "Evidence"],
        rows,
        [None, None, None, f.wrap, f.wrap, f.num["ratio"], f.wrap],
        [4, 14, 10, 60, 60, 14, 80],
    )


def _ranking_sheet(wb: xlsxwriter.Workbook, f: _Formats, s: ExecutiveSummary) -> None:
    rows = [
        [v.rank, v.center_id, v.name, v.name_ko or "", v.kind, v.lines_met, v.lines_total,
         v.attainment, v.penalty, v.currency or ""]
        for v in s.vendor_ranking
    ]  # fmt: skip
    _table(
        wb,
        f,
        "Vendor ranking",
        ["Rank", "Center", "Name", "이름", "Kind", "Lines met in every period", "Lines", "Attainment",
         "Penalty", "Currency"],
        rows,
        [None, None, None, None, None, f.num["count"], f.num["count"], f.num["ratio"],
         f.num["currency"], None],
        [6, 10, 18, 14, 10, 14, 8, 11, 12, 9],
    )  # fmt: skip


def _breaches_sheet(wb: xlsxwriter.Workbook, f: _Formats, s: ExecutiveSummary) -> None:
    rows = []
    fmts_rows = []
    for b in s.breaches:
        rows.append([b.center_id, b.contract_id or "", b.metric, b.label, b.scope, b.period,
                     b.actual, b.target, b.margin, b.penalty])  # fmt: skip
        fmts_rows.append(b.unit)
    ws = _table(
        wb,
        f,
        "Breaches",
        ["Center", "Contract", "Metric", "Label", "Scope", "Period", "Actual", "Target",
         "Margin", "Penalty"],
        rows,
        None,
        [10, 14, 22, 26, 22, 12, 11, 11, 11, 12],
    )  # fmt: skip
    # Per-row number formats: a breach list mixes ratios and seconds.
    for r, unit in enumerate(fmts_rows, start=1):
        nf = f.num.get(unit)
        for c in (6, 7, 8):
            _write(ws, r, c, rows[r - 1][c], nf)
        _write(ws, r, 9, rows[r - 1][9], f.num["currency"])


def _penalties_sheet(wb: xlsxwriter.Workbook, f: _Formats, s: ExecutiveSummary) -> None:
    rows = []
    for p in s.penalties:
        rows.append([p.center_id, p.name, p.month, p.currency or "", p.monthly_fee, p.penalty,
                     p.bonus, p.net, "\n".join(p.lines)])  # fmt: skip
    _table(
        wb,
        f,
        "Penalties",
        ["Center", "Name", "Month", "Currency", "Monthly fee", "Penalty", "Bonus", "Net",
         "Arithmetic"],
        rows,
        [None, None, None, None, f.num["currency"], f.num["currency"], f.num["currency"],
         f.num["currency"], f.wrap],
        [10, 18, 9, 9, 14, 12, 12, 12, 90],
    )  # fmt: skip


def _outlook_sheet(wb: xlsxwriter.Workbook, f: _Formats, s: ExecutiveSummary) -> None:
    rows = [
        [o.week_start.isoformat(), o.forecast_contacts, o.forecast_lo, o.forecast_hi,
         o.plan_contacts, o.required_fte, o.scheduled_fte, o.gap_fte]
        for o in s.outlook
    ]  # fmt: skip
    fte = f.num["score"]
    _table(
        wb,
        f,
        "Outlook",
        ["Week", "Forecast contacts", "Forecast P10 (week)", "Forecast P90 (week)",
         "Plan volume", "Required FTE", "Scheduled FTE", "Gap FTE"],
        rows,
        [None, f.num["count"], f.num["count"], f.num["count"], f.num["count"], fte, fte, fte],
        [12, 16, 18, 18, 13, 13, 13, 10],
    )  # fmt: skip


def _events_sheet(wb: xlsxwriter.Workbook, f: _Formats, s: ExecutiveSummary) -> None:
    rows = [
        [e.start_date.isoformat(), e.end_date.isoformat(), e.kind, e.name, e.name_ko or "",
         e.center_id or "all", e.expected_effect]
        for e in s.upcoming
    ]  # fmt: skip
    _table(
        wb,
        f,
        "Holidays & events",
        ["From", "To", "Kind", "Name", "이름", "Center", "Expected volume ×"],
        rows,
        [None, None, None, None, None, None, f.num["score"]],
        [12, 12, 10, 30, 20, 8, 16],
    )


def _notes_sheet(wb: xlsxwriter.Workbook, f: _Formats, s: ExecutiveSummary) -> None:
    rows = [[n] for n in s.notes]
    _table(wb, f, "Notes", ["Note"], rows, [f.wrap], [120])


def render_monthly_xlsx(store: Any, scope: Any, month: str) -> bytes:
    """The monthly report of ``month`` (YYYY-MM) for ``scope`` as .xlsx bytes (dashboard and CLI)."""
    from ops.reports.executive import executive_summary

    return summary_to_xlsx(executive_summary(store, scope, month))
