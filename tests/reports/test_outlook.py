"""Volume vs forecast and the outlook, on the hand-made store plus a hand-written forecast run."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pandas as pd
import pytest

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
    assert all((o.forecast_lo, o.forecast_hi) == (420, 560) for o in s.outlook)
    # Four weeks is enough for the 4-8 week outlook: no "covers only" note.
    assert not any("covers only" in n for n in s.notes)


def test_outlook_staffing_in_fte(tiny_store, monkeypatch):
    """required FTE = Σ requirement agents x 0.5 h / 40 h; a gap only where a schedule exists."""
    import ops.staffing.planning as planning

    week1 = pd.date_range("2026-10-05", periods=7 * 48, freq="30min")
    week2 = pd.date_range("2026-10-12", periods=7 * 48, freq="30min")
    cov = pd.DataFrame(
        {
            "center_id": "MANILA", "queue_id": "VOICE_GEN",
            "interval_local": list(week1) + list(week2),
            "calls": 1.0, "scheduled_agents": 2.0,
            # a schedule only in the first week: 1.5 agents per interval
            "rostered_agents": [1.5] * len(week1) + [0.0] * len(week2),
        }
    )  # fmt: skip

    def fake_plan(reader, start, weeks, *, centers=None, targets=None):  # noqa: ANN001, ANN202
        return {"volume_source": "test volume", "coverage": cov}

    monkeypatch.setattr(planning, "plan", fake_plan)
    s = executive_summary(tiny_store, Scope.centers("MANILA"), "2026-09")
    w1, w2 = s.outlook
    # 336 intervals x 2 agents x 0.5 h = 336 agent-hours = 8.4 FTE; scheduled 336 x 1.5 x 0.5 = 252 h.
    assert w1.required_fte == pytest.approx(8.4)
    assert w1.scheduled_fte == pytest.approx(6.3)
    assert w1.gap_fte == pytest.approx(-2.1)
    assert (w2.required_fte, w2.scheduled_fte, w2.gap_fte) == (pytest.approx(8.4), None, None)
    assert w1.plan_contacts == 336
    # The month's last four weeks of Manila schedules: 8 agent-hours a day x 28 days / 4 / 40 h.
    assert s.recent_scheduled_fte == pytest.approx(8 * 28 / 4 / 40)
    assert any("test volume" in n for n in s.notes)
