"""Hand-made fixtures for the report tests: a small ExecutiveSummary and a tiny two-center store."""

from __future__ import annotations

from datetime import date

import pytest

from ops.reports.findings import Finding
from ops.reports.model import (
    Breach,
    CenterInfo,
    DailyPoint,
    ExecutiveSummary,
    Kpi,
    KpiStatus,
    OutlookWeek,
    PenaltyStatement,
    TrendPoint,
    UpcomingEvent,
    VendorRank,
)


def make_summary() -> ExecutiveSummary:
    """A two-center summary written by hand (values are arbitrary but consistent)."""
    months = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    return ExecutiveSummary(
        month="2026-10",
        month_start=date(2026, 10, 1),
        month_end=date(2026, 10, 31),
        scope_label="all centers",
        center_ids=["MANILA", "SEOUL"],
        centers=[
            CenterInfo(
                center_id="SEOUL", name="Seoul", name_ko="서울", kind="in_house", currency="KRW"
            ),
            CenterInfo(
                center_id="MANILA", name="Manila", name_ko="마닐라", kind="vendor", currency="KRW"
            ),
        ],
        currency="KRW",
        contacts=12345,
        kpis=[
            Kpi(
                name="service_level",
                label_en="Service level",
                label_ko="서비스 레벨",
                unit="ratio",
                direction="higher",
                value=0.78,
                target=0.8,
                amber_band=0.05,
                status=KpiStatus.amber,
                numerator=780,
                denominator=1000,
                trend=[
                    TrendPoint(month=m, value=v)
                    for m, v in zip(months, [0.82, 0.81, 0.79, 0.84, 0.8, 0.78], strict=True)
                ],
            ),
            Kpi(
                name="asa_s",
                label_en="ASA",
                label_ko="평균 응대 대기시간",
                unit="seconds",
                direction="lower",
                value=14.2,
                target=20,
                amber_band=10,
                status=KpiStatus.green,
                trend=[
                    TrendPoint(month=m, value=v)
                    for m, v in zip(months, [12, 13, 15, 11, 14, 14.2], strict=True)
                ],
            ),
            Kpi(
                name="ces",
                label_en="CES",
                label_ko="고객 노력 점수",
                unit="score",
                direction="higher",
                value=6.0,
                target=6.5,
                amber_band=0.3,
                status=KpiStatus.red,
            ),
            Kpi(
                name="cost_per_contact",
                label_en="Cost per contact",
                label_ko="건당 비용",
                unit="currency",
                direction="lower",
                value=4321.5,
                target=4000,
                amber_band=400,
                status=KpiStatus.amber,
            ),
        ],
        vendor_ranking=[
            VendorRank(
                rank=1,
                center_id="SEOUL",
                name="Seoul",
                name_ko="서울",
                kind="in_house",
                lines_met=5,
                lines_total=5,
                attainment=1.0,
            ),
            VendorRank(
                rank=2,
                center_id="MANILA",
                name="Manila",
                name_ko="마닐라",
                kind="vendor",
                lines_met=3,
                lines_total=5,
                attainment=0.6,
                penalty=1_500_000,
                currency="KRW",
            ),
        ],
        breaches=[
            Breach(
                center_id="MANILA",
                contract_id="MANILA-2026",
                metric="service_level",
                label="Service level voice",
                scope="voice",
                period="2026-10",
                actual=0.71,
                target=0.8,
                margin=-0.09,
                unit="ratio",
                penalty=1_500_000,
            ),
        ],
        penalties=[
            PenaltyStatement(
                center_id="MANILA",
                name="Manila",
                month="2026-10",
                currency="KRW",
                monthly_fee=50_000_000,
                penalty=1_500_000,
                net=-1_500_000,
                lines=[
                    "voice SL 71.0% < 80.0%: shortfall 9.0 pts -> tier 3% x 50,000,000 = 1,500,000"
                ],
            ),
        ],
        outlook=[
            OutlookWeek(
                week_start=date(2026, 11, 2),
                forecast_contacts=3000,
                forecast_lo=2700,
                forecast_hi=3300,
                required_fte=40.5,
                scheduled_fte=38,
                gap_fte=2.5,
            ),
            OutlookWeek(
                week_start=date(2026, 11, 9),
                forecast_contacts=3100,
                forecast_lo=2750,
                forecast_hi=3500,
                required_fte=41.0,
                scheduled_fte=42,
                gap_fte=-1.0,
            ),
        ],
        upcoming=[
            UpcomingEvent(
                start_date=date(2026, 11, 27),
                end_date=date(2026, 11, 27),
                kind="campaign",
                name="Black Friday",
                name_ko="블랙 프라이데이",
                expected_effect=1.4,
            ),
        ],
        daily=[
            DailyPoint(
                day=date(2026, 10, d),
                center_id=c,
                contacts=100,
                service_level=0.7 + 0.01 * (d % 10),
            )
            for d in range(1, 32)
            for c in ("SEOUL", "MANILA")
        ],
        findings=[
            Finding(
                kind="missed_sl",
                text_en="Manila missed voice SL on 6 of 30 days, all between 02:00 and 04:00.",
                text_ko="마닐라: 전화 서비스 레벨 목표(80%)를 30일 중 6일 놓쳤습니다 (모두 02:00~04:00 사이).",
                effect=0.02,
                center_id="MANILA",
                evidence={"missed_days": 6, "days": 30},
            ),
        ],
        notes=["QA score: no evaluations this month."],
    )


@pytest.fixture()
def sample_summary() -> ExecutiveSummary:
    return make_summary()


def _tinystore_module():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "reports_tinystore", Path(__file__).with_name("tinystore.py")
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory: pytest.TempPathFactory):
    """The hand-made two-center store of ``tinystore.py`` with its contracts (read-only use)."""
    from ops.store import Store

    base = tmp_path_factory.mktemp("tiny")
    store = Store.open(base / "tiny.duckdb")
    _tinystore_module().build_tiny_store(store, base / "contracts")
    yield store
    store.close()


@pytest.fixture(scope="session")
def tiny_db_path(tmp_path_factory: pytest.TempPathFactory):
    """A closed copy of the tiny store on disk, for commands that open the file themselves."""
    from ops.store import Store

    base = tmp_path_factory.mktemp("tinydb")
    path = base / "tiny.duckdb"
    with Store.open(path) as store:
        _tinystore_module().build_tiny_store(store, base / "contracts")
    return path


@pytest.fixture(scope="session")
def tiny_summary(tiny_store):
    """The all-center summary of September 2026 on the tiny store."""
    from ops.reports import executive_summary
    from ops.store import Scope

    return executive_summary(tiny_store, Scope.all(), "2026-09")


@pytest.fixture(scope="session")
def tiny_manila_summary(tiny_store):
    """The Manila-only (vendor user) summary of September 2026 on the tiny store."""
    from ops.reports import executive_summary
    from ops.store import Scope

    return executive_summary(tiny_store, Scope.centers("MANILA"), "2026-09")


@pytest.fixture(scope="session")
def tinystore_module():
    """The ``tinystore.py`` module (its builder and constants) for tests that build their own copy."""
    return _tinystore_module()
