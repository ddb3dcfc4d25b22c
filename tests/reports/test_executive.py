"""Executive summary: the traffic-light rule, hand-calculated KPIs and contract sections, XLSX, CLI.

Expected numbers come from the hand-made store described in tinystore.py.
"""

from __future__ import annotations

import io
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from ops.errors import CcopsError
from ops.reports import SHEETS, KpiStatus, executive_summary, kpi_status, summary_to_xlsx
from ops.store import Scope


# --- the traffic-light rule, by hand --------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "target", "direction", "band", "expected"),
    [
        (0.80, 0.80, "higher", 0.05, KpiStatus.green),  # exactly on target
        (0.78, 0.80, "higher", 0.05, KpiStatus.amber),  # 2 points short, band 5
        (0.75, 0.80, "higher", 0.05, KpiStatus.amber),  # 5 points short: still amber
        (0.74, 0.80, "higher", 0.05, KpiStatus.red),  # 6 points short
        (18.0, 20.0, "lower", 10.0, KpiStatus.green),  # ASA under target
        (29.0, 20.0, "lower", 10.0, KpiStatus.amber),  # 9 s over
        (31.0, 20.0, "lower", 10.0, KpiStatus.red),  # 11 s over
        (1.04, 1.0, "two_sided", 0.05, KpiStatus.green),  # volume 4 % over forecast
        (0.92, 1.0, "two_sided", 0.05, KpiStatus.amber),  # 8 % under
        (1.12, 1.0, "two_sided", 0.05, KpiStatus.red),  # 12 % over
        (None, 0.8, "higher", 0.05, KpiStatus.none),
        (0.8, None, "higher", 0.05, KpiStatus.none),
        (float("nan"), 0.8, "higher", 0.05, KpiStatus.none),
    ],
)
def test_kpi_status_rule(value, target, direction, band, expected):
    assert kpi_status(value, target, direction, band) is expected


@given(st.floats(-100, 100), st.floats(-100, 100), st.floats(0, 50), st.floats(0.001, 10))
def test_status_never_improves_as_the_value_worsens(target, value, band, step):
    order = {KpiStatus.green: 0, KpiStatus.amber: 1, KpiStatus.red: 2}
    a = kpi_status(value, target, "higher", band)
    b = kpi_status(value - step, target, "higher", band)
    assert order[b] >= order[a]


# --- the summary on the hand-made store -----------------------------------------------------
def test_kpis_by_hand(tiny_summary):
    s = tiny_summary
    assert s.contacts == 3600
    sl = s.kpi("service_level")
    # Seoul 1,800 in T; Manila 1,800 - 6 days x 40 late = 1,560 -> 3,360 / 3,600.
    assert (sl.numerator, sl.denominator) == (3360, 3600)
    assert sl.value == pytest.approx(3360 / 3600)
    assert (sl.target, sl.status) == (0.8, KpiStatus.green)
    # ASA: Seoul 1,800 x 10 s, Manila 240 x 60 s + 1,560 x 5 s -> 40,200 / 3,600 = 11.17 s.
    assert s.kpi("asa_s").value == pytest.approx((18000 + 14400 + 7800) / 3600)
    # CSAT: 90 Seoul 5s and 180 Manila 2s (one per slot) -> 90 / 270 top-2-box; red vs 85 %.
    csat = s.kpi("csat")
    assert csat.value == pytest.approx(90 / 270)
    assert csat.status is KpiStatus.red
    # Cost: Manila 240 h x 10,000 + Seoul 270 h x 20,000 = 7,800,000 KRW / 3,600 contacts.
    cpc = s.kpi("cost_per_contact")
    assert cpc.value == pytest.approx(7_800_000 / 3600)
    assert cpc.status is KpiStatus.none  # no earlier months, so no run-rate target
    assert s.currency == "KRW"
    names = [k.name for k in s.kpis]
    assert names == [
        "service_level", "asa_s", "abandon_rate", "response_rate_16h", "csat", "ces", "nps",
        "qa_score", "cost_per_contact", "volume_vs_forecast",
    ]  # fmt: skip
    # Trend: six months ending with the report month, values only where there is data.
    assert [p.month for p in sl.trend] == [
        "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09",
    ]  # fmt: skip
    assert [p.value is None for p in sl.trend] == [True] * 5 + [False]
    assert any("forecast" in n for n in s.notes)


def test_vendor_scope_cost_and_sl(tiny_manila_summary):
    s = tiny_manila_summary
    assert s.center_ids == ["MANILA"]
    assert s.kpi("service_level").value == pytest.approx(1560 / 1800)
    # 240 agent-hours x 10,000 KRW / 1,800 contacts.
    assert s.kpi("cost_per_contact").value == pytest.approx(2_400_000 / 1800)
    assert [v.center_id for v in s.vendor_ranking] == ["MANILA"]


def test_contract_sections_by_hand(tiny_summary):
    s = tiny_summary
    seoul, manila = s.vendor_ranking
    assert (seoul.center_id, seoul.rank, seoul.attainment, seoul.lines_met, seoul.lines_total) == (
        "SEOUL", 1, 1.0, 1, 1,
    )  # fmt: skip
    assert (manila.center_id, manila.rank, manila.lines_met, manila.lines_total) == (
        "MANILA", 2, 0, 2,
    )  # fmt: skip
    assert manila.attainment == pytest.approx((0 + 24 / 30) / 2)
    assert manila.penalty == pytest.approx(1_000_000)
    # One monthly breach (with the penalty) first, then the six missed days.
    assert len(s.breaches) == 7
    top = s.breaches[0]
    assert (top.center_id, top.period, top.penalty) == ("MANILA", "2026-09", 1_000_000)
    assert top.margin == pytest.approx(1560 / 1800 - 0.95)  # in the metric's unit, not points
    assert sorted(b.period for b in s.breaches[1:]) == [
        f"day 2026-09-{d:02d}" for d in (3, 8, 12, 17, 21, 26)
    ]
    (st_,) = s.penalties  # Seoul has no fee, so only Manila has a statement
    assert (st_.center_id, st_.penalty, st_.net, st_.monthly_fee) == (
        "MANILA", 1_000_000, -1_000_000, 10_000_000,
    )  # fmt: skip
    assert any("10% of fee" in line for line in st_.lines)
    # the Korean statement words the same amounts: 10% of the 10,000,000 KRW fee = 1,000,000 KRW
    assert st_.lines_ko[0] == st_.lines[0]  # the contract and version
    assert any("월 수수료 10,000,000 KRW의 10% = 1,000,000 KRW" in ln for ln in st_.lines_ko)
    assert st_.lines_ko[-1].endswith("순 조정액 -1,000,000 KRW")
    assert top.label_ko and all(b.label_ko for b in s.breaches)


def test_events_of_other_centers_are_not_shown(tiny_summary, tiny_manila_summary):
    # tinystore has an all-center campaign and a Seoul-only promo in the outlook window.
    all_ = tiny_summary
    assert {e.name for e in all_.upcoming} == {"Autumn sale", "Seoul-only promo"}
    manila = tiny_manila_summary
    assert {e.name for e in manila.upcoming} == {"Autumn sale"}


def test_unknown_month_is_a_clear_error(tiny_store):
    with pytest.raises(CcopsError, match="YYYY-MM"):
        executive_summary(tiny_store, Scope.all(), "2026/09")


# --- XLSX -----------------------------------------------------------------------------------
def _cells(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                yield ws.title, c


def test_xlsx_sheets_numbers_and_hangul(sample_summary):
    data = summary_to_xlsx(sample_summary)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == list(SHEETS)
    ws = wb["KPIs"]
    header = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert row["KPI"].value == "service_level"
    assert row["지표"].value == "서비스 레벨"
    assert isinstance(row["Value"].value, float) and row["Value"].value == pytest.approx(0.78)
    assert row["Value"].number_format == "0.0%"
    assert row["Status"].value == "amber"
    asa = {h: c for h, c in zip(header, ws[3], strict=True)}
    assert asa["Value"].number_format != "0.0%" and asa["Value"].value == pytest.approx(14.2)
    pen = wb["Penalties"]
    assert pen["F2"].value == 1_500_000 and pen["F2"].number_format == "#,##0"
    trend = wb["KPI trend"]
    assert [c.value for c in trend[1]][3:] == [
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
    ]
    assert trend["I2"].value == pytest.approx(0.78)
    # No NaN or "nan" text anywhere; Hangul present.
    texts = [c.value for _, c in _cells(data) if isinstance(c.value, str)]
    assert not any(t.lower() == "nan" for t in texts)
    assert any("마닐라" in t for t in texts)
    assert all(not (isinstance(c.value, float) and math.isnan(c.value)) for _, c in _cells(data))


def test_vendor_xlsx_has_no_other_center_anywhere(tiny_store):
    from ops.reports import render_monthly_xlsx

    data = render_monthly_xlsx(tiny_store, Scope.centers("MANILA"), "2026-09")
    seen_manila = False
    for sheet, c in _cells(data):
        v = str(c.value) if c.value is not None else ""
        assert "SEOUL" not in v.upper() and "서울" not in v, (sheet, c.coordinate, v)
        seen_manila |= "MANILA" in v
    assert seen_manila
    wb = load_workbook(io.BytesIO(data))
    assert wb["Penalties"]["A2"].value == "MANILA"


# --- CLI ------------------------------------------------------------------------------------
def test_cli_monthly_xlsx_and_errors(tiny_db_path, tmp_path):
    from ops.reports.cli import app

    runner = CliRunner()
    out = tmp_path / "r.xlsx"
    db = str(tiny_db_path)
    res = runner.invoke(
        app, ["monthly", "--db", db, "--month", "2026-09", "--center", "MANILA", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "Wrote" in res.output and out.exists()
    assert load_workbook(out).sheetnames == list(SHEETS)
    bad = runner.invoke(
        app, ["monthly", "--db", db, "--month", "2026-09", "--out", str(tmp_path / "r.doc")]
    )
    assert isinstance(bad.exception, CcopsError) and ".pdf or .xlsx" in str(bad.exception)
    unknown = runner.invoke(
        app, ["monthly", "--db", db, "--month", "2026-09", "--center", "NOWHERE", "--out", str(out)]
    )
    assert isinstance(unknown.exception, CcopsError) and "MANILA" in str(unknown.exception)


def test_cli_summary_json(tiny_db_path):
    import json

    from ops.reports.cli import app

    res = CliRunner().invoke(
        app, ["summary", "--db", str(tiny_db_path), "--month", "2026-09", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["month"] == "2026-09" and len(doc["kpis"]) == 10
    assert doc["findings"][0]["kind"] == "missed_sl"
