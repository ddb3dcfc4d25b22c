"""Volume vs forecast and the outlook, on the hand-made store plus a hand-written forecast run."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ops.reports import KpiStatus, executive_summary
from ops.store import Scope, Store


@pytest.fixture(scope="module")
def tiny_with_forecasts(tmp_path_factory, tinystore_module):
    """tinystore.py plus two stored runs for the MANILA voice series (CENTER|QUEUE ids).

    Run A (as of 2026-08-31, made before September): 50 contacts a day, 2026-09-01 .. 2026-11-01.
    Run B (as of 2026-09-15, made mid-month): 70 a day over the same days; it must not judge
    September, because a forecast that saw half the month is not the forecast planners had.
    """
    tmp_path = tmp_path_factory.mktemp("fc")
    store = Store.open(tmp_path / "t.duckdb")
    tinystore_module.build_tiny_store(store, tmp_path / "contracts")
    days = pd.date_range("2026-09-01", "2026-11-01", freq="D")
    runs, rows = [], []
    for run_id, as_of, created, y in (
        ("RUN_A", "2026-08-31", datetime(2026, 9, 1, 1), 50.0),
        ("RUN_B", "2026-09-15", datetime(2026, 9, 16, 1), 70.0),
    ):
        runs.append({"run_id": run_id, "created_at": created, "freq": "D", "horizon": len(days),
                     "model": "test", "params_json": json.dumps({"as_of": as_of})})  # fmt: skip
        rows += [
            {"run_id": run_id, "series_id": "MANILA|VOICE_GEN", "center_id": "MANILA",
             "queue_id": "VOICE_GEN", "ds": d, "yhat": y, "yhat_lo": y - 10, "yhat_hi": y + 10,
             "model": "test"}
            for d in days
        ]  # fmt: skip
    with store.write() as cur:
        store.append_df("forecast_runs", pd.DataFrame(runs), cur)
        store.append_df("forecasts", pd.DataFrame(rows), cur)
    yield store
    store.close()


def test_volume_vs_forecast_uses_the_run_made_before_the_month(tiny_with_forecasts):
    s = executive_summary(
        tiny_with_forecasts, Scope.centers("MANILA"), "2026-09", with_staffing=False
    )
    k = s.kpi("volume_vs_forecast")
    # Manila is offered 60 voice calls a day: 1,800 in September against run A's 30 x 50 = 1,500.
    assert (k.numerator, k.denominator) == (1800, 1500)
    assert k.value == pytest.approx(1.2)
    assert k.status is KpiStatus.red  # 20 % off: beyond two 5 % bands
    assert "RUN_A" in k.source


def test_outlook_weeks_from_the_latest_run_before_them(tiny_with_forecasts):
    s = executive_summary(
        tiny_with_forecasts, Scope.centers("MANILA"), "2026-09", with_staffing=False
    )
    # Weeks after September start Monday 2026-10-05; the runs end 2026-11-01, so four full weeks.
    # Run B (as of 2026-09-15) is the latest made before those weeks: 7 x 70 = 490 a week.
    assert [o.week_start for o in s.outlook] == [
        date(2026, 10, 5) + timedelta(days=7 * i) for i in range(4)
    ]
    assert all(o.forecast_contacts == 490 for o in s.outlook)
    # The week's P10-P90 from 7 daily bands of ±10 with correlation 0.5 (not 7 x 10 = ±70):
    # half-width = sqrt(0.5 x 7 x 10² + 0.5 x 70²) = sqrt(350 + 2450) = sqrt(2800) = 52.915.
    assert all(o.forecast_lo == pytest.approx(490 - 52.9150262) for o in s.outlook)
    assert all(o.forecast_hi == pytest.approx(490 + 52.9150262) for o in s.outlook)
    assert any("correlation of 0.5" in n for n in s.notes)
    # Four weeks is enough for the 4-8 week outlook: no "covers only" note.
    assert not any("covers only" in n for n in s.notes)


def test_outlook_staffing_in_fte(tiny_store, monkeypatch):
    """required FTE = Σ requirement agents x 0.5 h / 40 h; a gap only where the schedule covers the
    whole week: week 1 in full, week 2 only its Monday (the stored roster ends there), week 3 none."""
    import ops.staffing.planning as planning

    weeks = [pd.date_range(f"2026-10-{d:02d}", periods=7 * 48, freq="30min") for d in (5, 12, 19)]
    cov = pd.DataFrame(
        {
            "center_id": "MANILA", "queue_id": "VOICE_GEN",
            "interval_local": [t for w in weeks for t in w],
            "calls": 1.0, "required_agents": 2.0,
            # 1.5 agents per interval in week 1 and on Monday 2026-10-12 (48 intervals); none after
            "rostered_agents": [1.5] * (7 * 48) + [1.5] * 48 + [0.0] * (6 * 48 + 7 * 48),
        }
    )  # fmt: skip
    span = pd.DataFrame(
        {"center_id": ["MANILA"], "queue_id": ["VOICE_GEN"], "first_day": [date(2026, 9, 1)],
         "last_day": [date(2026, 10, 12)]}
    )  # fmt: skip

    def fake_plan(reader, start, weeks, *, centers=None, targets=None):  # noqa: ANN001, ANN202
        return {"volume_source": "test volume", "coverage": cov, "schedule_span": span}

    monkeypatch.setattr(planning, "plan", fake_plan)
    s = executive_summary(tiny_store, Scope.centers("MANILA"), "2026-09")
    w1, w2, w3 = s.outlook
    # 336 intervals x 2 agents x 0.5 h = 336 agent-hours = 8.4 FTE; scheduled 336 x 1.5 x 0.5 = 252 h.
    assert w1.required_fte == pytest.approx(8.4)
    assert w1.scheduled_fte == pytest.approx(6.3)
    assert w1.gap_fte == pytest.approx(-2.1)
    # Week 2: one day of roster (48 x 1.5 x 0.5 = 36 h = 0.9 FTE) against a week's 8.4 FTE would
    # read as a 7.5 FTE gap: not shown.
    assert (w2.required_fte, w2.scheduled_fte, w2.gap_fte) == (pytest.approx(8.4), None, None)
    assert (w3.required_fte, w3.scheduled_fte, w3.gap_fte) == (pytest.approx(8.4), None, None)
    assert w1.plan_contacts == 336
    assert any("covers only part of the week of 2026-10-12 (1 of 7 days)" in n for n in s.notes), (
        s.notes
    )
    assert any("no stored schedule for 1 of the weeks" in n for n in s.notes), s.notes
    # every note has its Korean wording, in the same order, with the same facts
    assert len(s.notes_ko) == len(s.notes)
    assert all(re.search(r"[가-힣]", n) for n in s.notes_ko), s.notes_ko
    assert any("2026-10-12 (7일 중 1일)" in n for n in s.notes_ko), s.notes_ko
    assert any("1개 주에 저장된 근무표가 없어" in n for n in s.notes_ko), s.notes_ko
    # The month's last four weeks of Manila schedules: 8 agent-hours a day x 28 days / 4 / 40 h.
    assert s.recent_scheduled_fte == pytest.approx(8 * 28 / 4 / 40)
    assert any("test volume" in n for n in s.notes)


def test_outlook_plan_volume_averages_only_weeks_with_data(tiny_store):
    """The tiny store's contacts run 2026-09-01 .. 2026-09-30 (Manila: 60 calls a day). The outlook
    after September starts Monday 2026-10-05; its 8-week history window is 2026-08-10 .. 10-04.
    Weeks wholly inside the data: 09-07 .. 09-13, 09-14 .. 09-20, 09-21 .. 09-27 (N = 3): the plan
    volume is 7 x 60 = 420 a week, not the zero-filled (3 x 420 + 2 x 60 + ...) / 8."""
    s = executive_summary(tiny_store, Scope.centers("MANILA"), "2026-09")
    assert s.outlook and all(o.plan_contacts == pytest.approx(420.0) for o in s.outlook)
    assert any(
        "mean of the 3 full week(s) with data (2026-09-07 .. 2026-09-27)" in n for n in s.notes
    ), s.notes


def test_weekly_band_by_hand():
    from ops.reports.executive import weekly_band

    # Days (100, 90..120) and (100, 80..110): lower distances 10, 20; upper 20, 10.
    # rho 0.5: sqrt(0.5 x (100 + 400) + 0.5 x 30²) = sqrt(250 + 450) = sqrt(700) = 26.4575.
    total, lo, hi = weekly_band([100, 100], [90, 80], [120, 110])
    assert (total, lo, hi) == (200, pytest.approx(200 - 26.4575131), pytest.approx(226.4575131))
    # rho 1 adds the bands; rho 0: sqrt(500) = 22.3607.
    assert weekly_band([100, 100], [90, 80], [120, 110], rho=1.0) == (200, 170, 230)
    _, lo0, hi0 = weekly_band([100, 100], [90, 80], [120, 110], rho=0.0)
    assert (lo0, hi0) == (pytest.approx(177.6393202), pytest.approx(222.3606798))
    # A missing band: no band for the week; the low end never goes below zero.
    assert weekly_band([5, 5], [None, 1], [9, 9])[1:] == (None, None)
    assert weekly_band([1.0], [0.0], [3.0], rho=0.5)[1] == 0.0


@given(
    st.lists(
        st.tuples(st.floats(0, 1000), st.floats(0, 1), st.floats(0, 3), st.floats(0, 1)),
        min_size=1,
        max_size=20,
    ),
    st.floats(0, 1),
)
@settings(max_examples=60, deadline=None)
def test_weekly_band_lies_inside_the_added_bands(rows, rho):
    from ops.reports.executive import weekly_band

    y = [r[0] for r in rows]
    lo = [r[0] * (1 - r[1]) for r in rows]
    hi = [r[0] * (1 + r[2]) for r in rows]
    total, blo, bhi = weekly_band(y, lo, hi, rho=rho)
    assert blo is not None and bhi is not None
    assert sum(lo) - 1e-6 <= blo <= total + 1e-9
    assert total - 1e-9 <= bhi <= sum(hi) + 1e-6
    # Never narrower than the widest single day's band (one term of the sum).
    assert total - blo >= max(a - b for a, b in zip(y, lo, strict=True)) - 1e-6
