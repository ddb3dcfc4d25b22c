"""The monthly report as a PDF: the executive summary, charts and vendor penalty statements.

Why HTML printed by Chromium: the report must show Korean text, and a PDF only shows it reliably when
the glyphs travel inside the file. Chromium (Debian's ``/usr/bin/chromium``) lays out the HTML with
the system's Noto CJK fonts and embeds the subsets it used, so the PDF opens anywhere. Charts are
plotly figures exported to SVG by kaleido, which drives the same Chromium (we point it there through
choreographer's ``BROWSER_PATH`` variable and never download a browser), and are inlined as vector
graphics. KPI sparklines are tiny SVG polylines written here (six points need no browser).
"""

from __future__ import annotations

import atexit
import contextlib
import html
import math
import os
import shutil
import subprocess
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Any, Literal

from ops.errors import CcopsError
from ops.labels import KIND_EN, KIND_KO, breach_period_ko, scope_ko
from ops.reports.model import (
    ATTAINMENT_NOTE,
    ATTAINMENT_NOTE_KO,
    OUTLOOK_BAND_CORRELATION,
    ExecutiveSummary,
    Kpi,
    KpiStatus,
)

Lang = Literal["en", "ko", "both"]

FONT_STACK = (
    "'Noto Sans CJK KR', 'Noto Sans KR', 'Noto Sans CJK', 'Apple SD Gothic Neo', sans-serif"
)
STATUS_COLOR = {
    KpiStatus.green: "#2E7D32",
    KpiStatus.amber: "#F9A825",
    KpiStatus.red: "#C62828",
    KpiStatus.none: "#9E9E9E",
}
CENTER_COLORS = ("#1F77B4", "#FF7F0E", "#2CA02C", "#9467BD", "#8C564B", "#17BECF")
MAX_BREACH_ROWS = 40
PRINT_TIMEOUT_S = 120


class ReportRenderError(CcopsError):
    """The PDF could not be produced (no Chromium, or Chromium failed)."""

    title = "Report failed"


def chromium_path() -> str:
    """The Chromium binary: ``BROWSER_PATH`` if set (the variable kaleido's choreographer reads),
    else ``chromium`` on PATH, else /usr/bin/chromium."""
    env = os.environ.get("BROWSER_PATH")
    if env and Path(env).exists():
        return env
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    raise ReportRenderError(
        "PDF reports need Chromium: install the Debian package `chromium` "
        "(`apt-get install chromium fonts-noto-cjk`) or set BROWSER_PATH to a Chromium binary. "
        "The XLSX report (--out report.xlsx) works without it."
    )


# --------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------
def format_value(value: float | None, unit: str, currency: str | None = None) -> str:
    """A KPI value for display: ratios as %, seconds with 's', money with thousands separators."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    if unit == "seconds":
        return f"{value:,.0f} s" if value >= 100 else f"{value:.1f} s"
    if unit == "score":
        return f"{value:.2f}" if value < 10 else f"{value:.1f}"
    if unit == "index":
        return f"{value:+.0f}"
    if unit == "currency":
        return f"{value:,.0f} {currency}" if currency else f"{value:,.0f}"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _e(s: Any) -> str:
    return html.escape("" if s is None else str(s))


def _bi(en: str, ko: str, lang: Lang) -> str:
    if lang == "en":
        return _e(en)
    if lang == "ko":
        return _e(ko)
    return f"{_e(en)} <span class='ko'>{_e(ko)}</span>"


def sparkline_svg(
    values: list[float | None], color: str, width: int = 120, height: int = 28
) -> str:
    """A sparkline of up to a few points as inline SVG (gaps where a value is missing)."""
    pts = [(i, v) for i, v in enumerate(values) if v is not None and math.isfinite(v)]
    if len(pts) < 2:
        return f"<svg width='{width}' height='{height}'></svg>"
    lo = min(v for _, v in pts)
    hi = max(v for _, v in pts)
    span = hi - lo or abs(hi) or 1.0
    n = max(len(values) - 1, 1)

    def xy(i: int, v: float) -> str:
        x = 3 + i * (width - 6) / n
        y = height - 3 - (v - lo) / span * (height - 6)
        return f"{x:.1f},{y:.1f}"

    line = " ".join(xy(i, v) for i, v in pts)
    last = xy(*pts[-1])
    return (
        f"<svg width='{width}' height='{height}' viewBox='0 0 {width} {height}'>"
        f"<polyline fill='none' stroke='{color}' stroke-width='1.6' points='{line}'/>"
        f"<circle cx='{last.split(',')[0]}' cy='{last.split(',')[1]}' r='2.4' fill='{color}'/></svg>"
    )


# --------------------------------------------------------------------------------------------
# Charts (plotly → SVG through kaleido)
# --------------------------------------------------------------------------------------------
def build_figures(summary: ExecutiveSummary, lang: Lang = "both") -> dict[str, Any]:
    """The report's plotly figures by name (only those with data)."""
    import plotly.graph_objects as go

    figs: dict[str, Any] = {}
    layout = dict(
        font=dict(family=FONT_STACK, size=11),
        margin=dict(l=50, r=20, t=40, b=40),
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend=dict(orientation="h", y=-0.18),
    )

    def title(en: str, ko: str) -> str:
        return en if lang == "en" else ko if lang == "ko" else f"{en} · {ko}"

    sl_target = None
    try:
        sl_target = summary.kpi("service_level").target
    except KeyError:
        pass
    daily = [d for d in summary.daily if d.service_level is not None]
    if daily:
        fig = go.Figure()
        for i, cid in enumerate(sorted({d.center_id for d in daily})):
            pts = sorted((d.day, d.service_level) for d in daily if d.center_id == cid)
            fig.add_trace(
                go.Scatter(
                    x=[p[0] for p in pts],
                    y=[p[1] for p in pts],
                    name=cid,
                    mode="lines+markers",
                    marker=dict(size=4),
                    line=dict(color=CENTER_COLORS[i % len(CENTER_COLORS)], width=1.8),
                )
            )
        if sl_target is not None:
            fig.add_hline(
                y=sl_target,
                line=dict(color="#C62828", dash="dash", width=1),
                annotation_text=f"target {sl_target * 100:.0f}%",
                annotation_position="bottom right",
            )
        fig.update_layout(
            title=title("Live service level by day", "일별 서비스 레벨"), height=300, **layout
        )
        fig.update_yaxes(tickformat=".0%", gridcolor="#EEE")
        fig.update_xaxes(gridcolor="#EEE")
        figs["daily_sl"] = fig

    ranked = [v for v in summary.vendor_ranking if v.attainment is not None]
    if ranked:
        ranked = sorted(ranked, key=lambda v: v.rank, reverse=True)
        fig = go.Figure(
            go.Bar(
                x=[v.attainment for v in ranked],
                y=[f"{v.center_id}" for v in ranked],
                orientation="h",
                text=[format_value(v.attainment, "ratio") for v in ranked],
                textposition="auto",
                marker_color=[
                    "#2E7D32"
                    if (v.attainment or 0) >= 0.9
                    else "#F9A825"
                    if (v.attainment or 0) >= 0.7
                    else "#C62828"
                    for v in ranked
                ],
            )
        )
        fig.update_layout(
            title=title("Contract attainment", "계약 달성률"),
            height=90 + 38 * len(ranked),
            **{**layout, "margin": dict(l=80, r=20, t=40, b=30)},
        )
        fig.update_xaxes(tickformat=".0%", range=[0, 1.05], gridcolor="#EEE")
        figs["ranking"] = fig

    outlook = [
        o for o in summary.outlook if o.forecast_contacts is not None or o.required_fte is not None
    ]
    if outlook:
        from plotly.subplots import make_subplots

        fig = make_subplots(specs=[[{"secondary_y": True}]])
        x = [o.week_start for o in outlook]
        if any(o.forecast_contacts is not None for o in outlook):
            fig.add_trace(
                go.Bar(
                    x=x,
                    y=[o.forecast_contacts for o in outlook],
                    name=title("Forecast contacts", "예측 인입량"),
                    marker_color="#5B9BD5",
                ),
                secondary_y=False,
            )
        elif any(o.plan_contacts is not None for o in outlook):
            fig.add_trace(
                go.Bar(
                    x=x,
                    y=[o.plan_contacts for o in outlook],
                    name=title("Planning volume", "계획 인입량"),
                    marker_color="#A9C4E4",
                ),
                secondary_y=False,
            )
        if any(o.required_fte is not None for o in outlook):
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=[o.required_fte for o in outlook],
                    name=title("Required FTE", "필요 FTE"),
                    mode="lines+markers",
                    line=dict(color="#C62828"),
                ),
                secondary_y=True,
            )
        if any(o.scheduled_fte is not None for o in outlook):
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=[o.scheduled_fte for o in outlook],
                    name=title("Scheduled FTE", "배치 FTE"),
                    mode="lines+markers",
                    line=dict(color="#2E7D32"),
                ),
                secondary_y=True,
            )
        if summary.recent_scheduled_fte is not None:
            fig.add_trace(
                go.Scatter(
                    x=[x[0], x[-1]],
                    y=[summary.recent_scheduled_fte] * 2,
                    name=title("Scheduled, last 4 weeks", "최근 4주 배치"),
                    mode="lines",
                    line=dict(color="#2E7D32", dash="dot"),
                ),
                secondary_y=True,
            )
        fig.update_layout(title=title("Next weeks", "향후 주간 전망"), height=280, **layout)
        fig.update_yaxes(gridcolor="#EEE", secondary_y=False, rangemode="tozero")
        fig.update_yaxes(title_text="FTE", secondary_y=True, rangemode="tozero", showgrid=False)
        figs["outlook"] = fig
    return figs


_kaleido_lock = threading.Lock()
# kaleido's sync server hands results back through one shared queue: two threads exporting at once
# (two dashboard users downloading) could receive each other's charts. One export at a time.
_export_lock = threading.Lock()
_kaleido_server = False


def _start_kaleido_server() -> None:
    """Keep one kaleido browser for the life of the process (the dashboard renders many reports).

    Starting Chromium is most of kaleido's cost (seconds on a busy 2-core machine); exporting a
    figure with a running browser takes a fraction of a second. Stopped at interpreter exit.
    """
    global _kaleido_server
    with _kaleido_lock:
        if _kaleido_server:
            return
        import kaleido

        kaleido.start_sync_server(silence_warnings=True)
        atexit.register(_stop_kaleido_server)
        _kaleido_server = True


def _stop_kaleido_server() -> None:
    global _kaleido_server
    with _kaleido_lock:
        if not _kaleido_server:
            return
        import kaleido

        with contextlib.suppress(Exception):
            kaleido.stop_sync_server(silence_warnings=True)
        _kaleido_server = False


def figures_to_svg(figs: dict[str, Any], width: int = 900) -> dict[str, str]:
    """Export figures to SVG with kaleido on the Debian Chromium (``BROWSER_PATH``).

    Each figure keeps its own ``layout.height``; all share ``width`` (pixels; scaled to the page).
    One kaleido browser serves every call of the process (one export at a time); if it has died,
    it is restarted once.
    """
    if not figs:
        return {}
    os.environ.setdefault("BROWSER_PATH", chromium_path())
    import plotly.io as pio

    names = list(figs)
    with tempfile.TemporaryDirectory(prefix="ccops-charts-") as tmp:
        paths = [Path(tmp) / f"{n}.svg" for n in names]

        def export() -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "kopts ignored with a server"
                pio.write_images(
                    [figs[n] for n in names],
                    [str(p) for p in paths],
                    format="svg",
                    width=width,
                    height=[figs[n].layout.height or 300 for n in names],
                )

        try:
            with _export_lock:
                _start_kaleido_server()
                try:
                    export()
                except Exception:
                    _stop_kaleido_server()
                    _start_kaleido_server()
                    export()
        except Exception as e:  # kaleido/choreographer raise several types
            _stop_kaleido_server()
            raise ReportRenderError(
                f"Could not render the report's charts with kaleido ({type(e).__name__}: "
                f"{str(e).splitlines()[0] if str(e) else ''}). Check that Chromium runs: "
                f"`{chromium_path()} --headless --no-sandbox --version`."
            ) from e
        out = {}
        for n, p in zip(names, paths, strict=True):
            svg = p.read_text(encoding="utf-8")
            # Drop the XML prolog so the SVG can be inlined in HTML.
            if svg.startswith("<?xml"):
                svg = svg.split("?>", 1)[1]
            out[n] = svg
        return out


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------
CSS = """
@page { size: A4; margin: 12mm 11mm 14mm 11mm; }
* { box-sizing: border-box; }
body { font-family: __FONT__; font-size: 9.5pt; color: #222; margin: 0; }
h1 { font-size: 17pt; margin: 0 0 2mm 0; color: #1F3864; }
h2 { font-size: 12pt; margin: 5mm 0 2mm 0; color: #1F3864; border-bottom: 1.5px solid #1F3864;
     padding-bottom: 1mm; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm 0; break-after: avoid; }
.ko { color: #555; }
th .ko { color: #C9D3E6; }
.meta { color: #555; margin-bottom: 3mm; }
.findings li { margin-bottom: 2mm; }
.findings .ko { display: block; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 2mm; }
.card { border: 1px solid #DDD; border-left: 5px solid #999; border-radius: 2mm; padding: 2mm;
        break-inside: avoid; }
.card .label { font-size: 8pt; color: #333; min-height: 8mm; }
.card .value { font-size: 14pt; font-weight: bold; }
.card .target { font-size: 7.5pt; color: #666; }
.card .status { font-size: 7.5pt; font-weight: bold; text-transform: uppercase; }
table { border-collapse: collapse; width: 100%; font-size: 8.3pt; margin-bottom: 2mm; }
th { background: #1F3864; color: white; text-align: left; padding: 1mm 1.5mm; }
td { border-bottom: 1px solid #E5E5E5; padding: 0.8mm 1.5mm; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; }
.chart { break-inside: avoid; margin: 2mm 0; }
.chart svg { width: 100%; height: auto; }
.statement { border: 1px solid #DDD; padding: 2mm 3mm; margin-bottom: 3mm; break-inside: avoid; }
.statement pre { font-family: __FONT__; white-space: pre-wrap; margin: 1mm 0; font-size: 8.3pt; }
.note { color: #666; font-size: 8pt; }
.pill { display: inline-block; width: 2.6mm; height: 2.6mm; border-radius: 50%; margin-right: 1mm; }
"""


def summary_to_html(summary: ExecutiveSummary, charts: dict[str, str], lang: Lang = "both") -> str:
    """The report as one self-contained HTML page (charts inlined as SVG)."""
    s = summary
    cur = s.currency
    parts: list[str] = []
    add = parts.append
    add("<!DOCTYPE html><html lang='ko'><head><meta charset='utf-8'>")
    add(f"<title>ccops monthly report {_e(s.month)}</title>")
    add(f"<style>{CSS.replace('__FONT__', FONT_STACK)}</style></head><body>")
    add(f"<h1>{_bi('Monthly operations report', '월간 운영 보고서', lang)} — {_e(s.month)}</h1>")
    add(
        f"<div class='meta'>{_bi('Scope', '범위', lang)}: <b>{_e(s.scope_label)}</b> · "
        f"{_e(s.month_start.isoformat())} – {_e(s.month_end.isoformat())} · "
        f"{_bi('Contacts', '인입', lang)}: <b>{s.contacts:,}</b> · "
        f"{_bi('Centers', '센터', lang)}: {_e(', '.join(s.center_ids))}</div>"
    )

    add(f"<h2>{_bi('Findings', '주요 발견', lang)}</h2><ol class='findings'>")
    if not s.findings:
        add(
            f"<li>{_bi('Nothing stood out this month.', '이번 달 특이 사항이 없습니다.', lang)}</li>"
        )
    for fd in s.findings:
        if lang == "en":
            add(f"<li>{_e(fd.text_en)}</li>")
        elif lang == "ko":
            add(f"<li>{_e(fd.text_ko)}</li>")
        else:
            add(f"<li>{_e(fd.text_en)}<span class='ko'>{_e(fd.text_ko)}</span></li>")
    add("</ol>")

    add(f"<h2>{_bi('KPIs against targets', '목표 대비 핵심 지표', lang)}</h2><div class='cards'>")
    for k in s.kpis:
        add(_kpi_card(k, cur, lang))
    add("</div>")
    add(f"<p class='note'>{_e(s.status_rule) if lang != 'ko' else ''}"
        f"{'<br>' if lang == 'both' else ''}{_e(s.status_rule_ko) if lang != 'en' else ''}</p>")  # fmt: skip
    if "daily_sl" in charts:
        add(f"<div class='chart'>{charts['daily_sl']}</div>")

    add(f"<h2>{_bi('Contract attainment ranking', '계약 달성 순위', lang)}</h2>")
    if s.vendor_ranking:
        add(
            f"<table><tr><th>#</th><th>{_bi('Center', '센터', lang)}</th>"
            f"<th>{_bi('Name', '이름', lang)}</th><th>{_bi('Kind', '유형', lang)}</th>"
            f"<th>{_bi('Lines met in every period', '전 기간 달성 항목', lang)}</th>"
            f"<th>{_bi('Attainment', '달성률', lang)}</th>"
            f"<th>{_bi('Penalty', '패널티', lang)}</th></tr>"
        )
        for v in s.vendor_ranking:
            add(
                f"<tr><td>{v.rank}</td><td>{_e(v.center_id)}</td>"
                f"<td>{_e(v.name)} <span class='ko'>{_e(v.name_ko or '')}</span></td>"
                f"<td>{_bi(KIND_EN.get(v.kind, v.kind), KIND_KO.get(v.kind, v.kind), lang)}</td>"
                f"<td class='num'>{v.lines_met}/{v.lines_total}</td>"
                f"<td class='num'>{format_value(v.attainment, 'ratio')}</td>"
                f"<td class='num'>{format_value(v.penalty, 'currency', v.currency)}</td></tr>"
            )
        add("</table>")
        add(f"<p class='note'>{_bi(ATTAINMENT_NOTE, ATTAINMENT_NOTE_KO, lang)}</p>")
        if "ranking" in charts:
            add(f"<div class='chart'>{charts['ranking']}</div>")
    else:
        add(
            f"<p class='note'>{_bi('No contract results for this month.', '이번 달 계약 결과가 없습니다.', lang)}</p>"
        )

    add(f"<h2>{_bi('Breaches', 'SLA 미달', lang)} ({len(s.breaches)})</h2>")
    if s.breaches:
        add(
            "<table><tr>"
            + "".join(
                f"<th>{_bi(en, ko, lang)}</th>"
                for en, ko in (
                    ("Center", "센터"), ("Metric", "지표"), ("Scope", "범위"), ("Period", "기간"),
                    ("Actual", "실적"), ("Target", "목표"), ("Penalty", "패널티"),
                )
            )
            + "</tr>"
        )  # fmt: skip
        for b in s.breaches[:MAX_BREACH_ROWS]:
            label = (b.label_ko if lang == "ko" and b.label_ko else b.label) or b.metric
            scope, period = b.scope, b.period
            if lang == "ko":
                scope = scope_ko(scope) or "전체"
                period = breach_period_ko(period)
            add(
                f"<tr><td>{_e(b.center_id)}</td><td>{_e(label)}</td>"
                f"<td>{_e(scope)}</td><td>{_e(period)}</td>"
                f"<td class='num'>{format_value(b.actual, b.unit)}</td>"
                f"<td class='num'>{format_value(b.target, b.unit)}</td>"
                f"<td class='num'>{format_value(b.penalty, 'currency', cur)}</td></tr>"
            )
        add("</table>")
        if len(s.breaches) > MAX_BREACH_ROWS:
            more = len(s.breaches) - MAX_BREACH_ROWS
            add(
                f"<p class='note'>… {more} more — {_bi('see the XLSX report', 'XLSX 보고서 참조', lang)}</p>"
            )
    else:
        add(f"<p class='note'>{_bi('No breaches this month.', '이번 달 미달 없음.', lang)}</p>")

    add(f"<h2>{_bi('Vendor penalty statements', '협력사 패널티 명세', lang)}</h2>")
    if not s.penalties:
        add(
            f"<p class='note'>{_bi('No penalty statements for this scope.', '이 범위의 패널티 명세가 없습니다.', lang)}</p>"
        )
    for p in s.penalties:
        add(
            f"<div class='statement'><h3>{_e(p.name)} ({_e(p.center_id)}) — {_e(p.month)}</h3>"
            f"{_bi('Monthly fee', '월 계약금', lang)}: <b>{format_value(p.monthly_fee, 'currency', p.currency)}</b> · "
            f"{_bi('Penalty', '패널티', lang)}: <b>{format_value(p.penalty, 'currency', p.currency)}</b> · "
            f"{_bi('Bonus', '보너스', lang)}: <b>{format_value(p.bonus, 'currency', p.currency)}</b> · "
            f"{_bi('Net', '순액', lang)}: <b>{format_value(p.net, 'currency', p.currency)}</b>"
            f"<pre>{_e(chr(10).join(p.lines_ko if lang == 'ko' and p.lines_ko else p.lines))}</pre>"
            "</div>"
        )

    add(f"<h2>{_bi('Outlook', '전망', lang)}</h2>")
    if "outlook" in charts:
        add(f"<div class='chart'>{charts['outlook']}</div>")
    if s.outlook:
        add(
            f"<table><tr><th>{_bi('Week', '주', lang)}</th><th>{_bi('Forecast', '예측', lang)}</th>"
            f"<th>P10–P90</th><th>{_bi('Plan volume', '계획 인입', lang)}</th>"
            f"<th>{_bi('Required FTE', '필요 FTE', lang)}</th>"
            f"<th>{_bi('Scheduled FTE', '배치 FTE', lang)}</th><th>{_bi('Gap', '부족', lang)}</th></tr>"
        )
        for o in s.outlook:
            band = (
                f"{format_value(o.forecast_lo, 'count')}–{format_value(o.forecast_hi, 'count')}"
                if o.forecast_lo is not None
                else "–"
            )
            add(
                f"<tr><td>{o.week_start.isoformat()}</td>"
                f"<td class='num'>{format_value(o.forecast_contacts, 'count')}</td>"
                f"<td class='num'>{band}</td>"
                f"<td class='num'>{format_value(o.plan_contacts, 'count')}</td>"
                f"<td class='num'>{format_value(o.required_fte, 'score')}</td>"
                f"<td class='num'>{format_value(o.scheduled_fte, 'score')}</td>"
                f"<td class='num'>{format_value(o.gap_fte, 'score')}</td></tr>"
            )
        add("</table>")
    if any(o.forecast_lo is not None for o in s.outlook):
        rho = OUTLOOK_BAND_CORRELATION
        add(
            f"<p class='note'>{_bi(f'P10–P90 of the week: the daily bands combined assuming a correlation ρ = {rho:g} between the errors of the days and series, half-width √((1−ρ)Σd² + ρ(Σd)²); adding the daily bands would overstate the range.', f'P10–P90(주간): 일별 구간을 일·시리즈 간 오차 상관 ρ = {rho:g}로 가정해 합성, 반폭 √((1−ρ)Σd² + ρ(Σd)²); 일별 구간을 단순 합산하면 범위가 과대됩니다.', lang)}</p>"
        )
    if s.recent_scheduled_fte is not None:
        add(
            f"<p class='note'>{_bi('Scheduled in the last 4 weeks of the month', '이번 달 마지막 4주 배치', lang)}: "
            f"<b>{s.recent_scheduled_fte:,.1f} FTE</b> / {_bi('week', '주', lang)} (40 h)</p>"
        )
    add(f"<h3>{_bi('Upcoming holidays and events', '다가오는 공휴일·이벤트', lang)}</h3>")
    if s.upcoming:
        add("<table><tr><th>From</th><th>To</th><th>Kind</th><th>Name</th><th>Expected ×</th></tr>")
        for ev in s.upcoming:
            eff = f"{ev.expected_effect:.2f}" if ev.expected_effect is not None else "–"
            add(
                f"<tr><td>{ev.start_date}</td><td>{ev.end_date}</td><td>{_e(ev.kind)}</td>"
                f"<td>{_e(ev.name)} <span class='ko'>{_e(ev.name_ko or '')}</span></td>"
                f"<td class='num'>{eff}</td></tr>"
            )
        add("</table>")
    else:
        add(f"<p class='note'>{_bi('None in the next weeks.', '향후 몇 주간 없음.', lang)}</p>")

    if s.notes:
        add(f"<h2>{_bi('Notes', '참고', lang)}</h2><ul class='note'>")
        notes = s.notes_ko if lang == "ko" and len(s.notes_ko) == len(s.notes) else s.notes
        for n in notes:
            add(f"<li>{_e(n)}</li>")
        add("</ul>")
    add("<p class='note'>Generated by ccops from the store's data; every number is reproducible "
        "with `ccops report monthly`.</p></body></html>")  # fmt: skip
    return "".join(parts)


def _kpi_card(k: Kpi, currency: str | None, lang: Lang) -> str:
    color = STATUS_COLOR[k.status]
    trend = [p.value for p in k.trend]
    tgt = format_value(k.target, k.unit, currency) if k.target is not None else "–"
    status_txt = {"green": "on target", "amber": "near", "red": "missed", "none": "n/a"}[
        k.status.value
    ]
    status_ko = {"green": "달성", "amber": "근접", "red": "미달", "none": "해당 없음"}[
        k.status.value
    ]
    st = (
        status_txt if lang == "en" else status_ko if lang == "ko" else f"{status_txt} · {status_ko}"
    )
    return (
        f"<div class='card' style='border-left-color:{color}'>"
        f"<div class='label'>{_bi(k.label_en, k.label_ko, lang)}</div>"
        f"<div class='value'>{format_value(k.value, k.unit, currency)}</div>"
        f"<div class='target'>{_bi('target', '목표', lang)} {tgt}</div>"
        f"<div class='status' style='color:{color}'><span class='pill' style='background:{color}'>"
        f"</span>{_e(st)}</div>{sparkline_svg(trend, color)}</div>"
    )


# --------------------------------------------------------------------------------------------
# Printing
# --------------------------------------------------------------------------------------------
def html_to_pdf(page: str) -> bytes:
    """Print an HTML page to PDF with headless Chromium (fonts embedded by Chromium)."""
    exe = chromium_path()
    with tempfile.TemporaryDirectory(prefix="ccops-report-") as tmp:
        src = Path(tmp) / "report.html"
        out = Path(tmp) / "report.pdf"
        src.write_text(page, encoding="utf-8")
        cmd = [
            exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-pdf-header-footer", "--no-first-run", "--no-default-browser-check",
            f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={out}", src.as_uri(),
        ]  # fmt: skip
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=PRINT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as e:
            raise ReportRenderError(
                f"Chromium did not finish printing the report within {PRINT_TIMEOUT_S} s."
            ) from e
        if not out.exists() or out.stat().st_size == 0:
            err = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise ReportRenderError(
                f"Chromium ({exe}) produced no PDF (exit {proc.returncode}): {' | '.join(err)}"
            )
        return out.read_bytes()


def summary_to_pdf(summary: ExecutiveSummary, lang: Lang = "both") -> bytes:
    """The executive summary as PDF bytes (charts via kaleido, layout and fonts via Chromium)."""
    charts = figures_to_svg(build_figures(summary, lang))
    return html_to_pdf(summary_to_html(summary, charts, lang))


def render_monthly_pdf(store: Any, scope: Any, month: str, *, lang: Lang = "both") -> bytes:
    """The monthly report of ``month`` (YYYY-MM) for ``scope`` as PDF bytes (dashboard and CLI)."""
    from ops.reports.executive import executive_summary

    return summary_to_pdf(executive_summary(store, scope, month), lang)
