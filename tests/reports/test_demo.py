"""The report on the simulated demo (conftest ``demo_store``: 56 days to 2026-10-31, no contracts)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ops.reports import executive_summary, summary_to_html, summary_to_xlsx
from ops.store import Scope


@pytest.fixture(scope="module")
def busan_summary(demo_store):
    return executive_summary(demo_store, Scope.centers("BUSAN"), "2026-10", with_staffing=False)


def test_vendor_summary_shows_the_registry_values(demo_store, busan_summary):
    from ops.sla import metric_table

    s = busan_summary
    assert s.center_ids == ["BUSAN"] and s.contacts > 0
    assert len(s.kpis) == 10
    # The card is the SLA registry's number for the same scope and month, not a second definition.
    ref = metric_table(
        demo_store.reader(Scope.centers("BUSAN")), ["service_level", "ces"], period="month",
        start="2026-10-01", end="2026-10-31",
    )  # fmt: skip
    assert s.kpi("service_level").value == pytest.approx(float(ref["service_level"].iloc[0]))
    assert s.kpi("ces").value == pytest.approx(float(ref["ces"].iloc[0]))
    assert 1 <= len(s.findings) <= 3
    assert all(f.center_id in (None, "BUSAN") for f in s.findings)


def test_summary_is_deterministic(demo_store, busan_summary):
    again = executive_summary(demo_store, Scope.centers("BUSAN"), "2026-10", with_staffing=False)
    assert again.model_dump() == busan_summary.model_dump()


def test_vendor_report_names_no_other_center(busan_summary):
    wb = load_workbook(io.BytesIO(summary_to_xlsx(busan_summary)))
    others = ("SEOUL", "MANILA", "서울", "마닐라", "Seoul", "Manila")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                v = "" if c.value is None else str(c.value)
                assert not any(o in v for o in others), (ws.title, c.coordinate, v)
    page = summary_to_html(busan_summary, {}, "both")
    assert not any(o in page for o in others)
