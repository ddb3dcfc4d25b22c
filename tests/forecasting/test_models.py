"""Known behaviour of the daily models on constructed series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ops.forecasting import DailyForecaster, fit_series
from ops.forecasting.specialdays import SpecialDayCalendar, ancestry
from ops.forecasting.synthetic import TEST_WEEK as WEEK
from ops.forecasting.synthetic import weekly_frame


@pytest.mark.parametrize("model", ["snaive", "weekday_mean", "ets", "mstl", "auto"])
def test_pure_weekly_pattern_is_forecast_exactly(model: str) -> None:
    df = weekly_frame(weeks=20)  # ends on a Sunday, so the forecast starts on a Monday
    f = DailyForecaster(model, n_origins=2, backtest_horizon=14).fit(df)
    p = f.predict(14)
    assert p["ds"].iloc[0] == pd.Timestamp("2025-05-26")  # Monday after 20 weeks from 2025-01-06
    np.testing.assert_allclose(p["yhat"].to_numpy(), np.tile(WEEK, 2), rtol=1e-3)
    assert list(p.columns[:6]) == ["series_id", "ds", "yhat", "yhat_lo", "yhat_hi", "model"]


def test_closed_sundays_forecast_as_zero() -> None:
    pattern = WEEK.copy()
    pattern[6] = 0.0  # closed on Sundays
    rng = np.random.default_rng(1)
    df = weekly_frame(weeks=30, pattern=pattern)
    df["y"] = df["y"] * rng.uniform(0.9, 1.1, len(df))
    for model in ("ets", "auto"):
        p = DailyForecaster(model, n_origins=2, backtest_horizon=28).fit(df).predict(28)
        sundays = p[p["ds"].dt.weekday == 6]
        assert len(sundays) == 4
        assert (sundays[["yhat", "yhat_lo", "yhat_hi"]].to_numpy() == 0).all()
        assert (p.loc[p["ds"].dt.weekday != 6, "yhat"] > 20).all()


def test_level_shift_is_followed() -> None:
    # 40 weeks at level 1x, then 8 weeks at 1.5x: the forecast should sit at the new level.
    old = weekly_frame(weeks=40)
    new = weekly_frame(weeks=8, start="2025-10-13", pattern=WEEK * 1.5)
    df = pd.concat([old, new], ignore_index=True)
    assert df["ds"].diff().dropna().eq(pd.Timedelta(days=1)).all()
    p = DailyForecaster("ets", n_origins=0).fit(df).predict(14)
    expected = np.tile(WEEK * 1.5, 2)
    assert p["yhat"].sum() == pytest.approx(expected.sum(), rel=0.05)


def _holiday_series(dip: float, years: int = 2) -> pd.DataFrame:
    """Weekly pattern × ``dip`` on every KR holiday (lunar blocks included), 1 elsewhere."""
    ds = pd.date_range("2024-11-04", periods=years * 364, freq="D")  # a Monday
    types = SpecialDayCalendar("KR").day_types(ds).to_numpy()
    is_hol = np.array([bool(t) and ancestry(t)[-1] == "holiday" for t in types])
    y = WEEK[ds.weekday] * 10 * np.where(is_hol, dip, 1.0)
    return pd.DataFrame({"series_id": "Q1", "ds": ds, "y": y})


def test_holiday_effect_is_recovered_within_10_percent() -> None:
    dip = 0.4  # constructed: holidays carry 40 % of a normal day's volume
    df = _holiday_series(dip)
    f = DailyForecaster("ets", holidays="KR", n_origins=0).fit(df)
    fit = f.fits_["Q1"]
    assert fit.day_factors["holiday"] == pytest.approx(dip, rel=0.10)
    # Christmas 2026 (a Friday) is in the forecast window: 0.4 × the Friday level (90 × 10).
    p = f.predict(60).set_index("ds")
    assert p.at[pd.Timestamp("2026-12-25"), "yhat"] == pytest.approx(dip * 900, rel=0.10)
    assert p.at[pd.Timestamp("2026-12-18"), "yhat"] == pytest.approx(900, rel=0.05)


def test_without_holidays_no_calendar_is_used() -> None:
    df = _holiday_series(0.4)
    fit = DailyForecaster("ets", n_origins=0).fit(df).fits_["Q1"]
    assert fit.day_factors == {}


def test_event_effect_applies_to_planned_future_event_only() -> None:
    df = weekly_frame(weeks=20)
    end = df["ds"].max()
    events = pd.DataFrame(
        [
            {"event_id": "C1", "kind": "campaign", "name": "Promo 2025",
             "start_date": end + pd.Timedelta(days=3), "end_date": end + pd.Timedelta(days=4),
             "expected_effect": 1.5},
            {"event_id": "O1", "kind": "outage", "name": "Outage",
             "start_date": end + pd.Timedelta(days=8), "end_date": end + pd.Timedelta(days=8),
             "expected_effect": 3.0},
        ]
    )  # fmt: skip
    p = DailyForecaster("ets", events=events, n_origins=0).fit(df).predict(14)
    base = np.tile(WEEK, 2)
    expected = base.copy()
    expected[2:4] *= 1.5  # days 3 and 4 after the end (campaign, planned)
    # day 8: outage not started when forecast was made -> no effect
    np.testing.assert_allclose(p["yhat"].to_numpy(), expected, rtol=1e-3)


def test_model_failure_falls_back() -> None:
    df = weekly_frame(weeks=3)  # 21 days: too short for ETS (needs 3 seasons + backtest)
    sf = fit_series(pd.DatetimeIndex(df["ds"]), df["y"].to_numpy(), "snaive")
    assert sf.forecast(7).tolist() == WEEK.tolist()
    f = DailyForecaster("sarimax", n_origins=0).fit(df)  # SARIMAX needs 28 days
    assert f.selected_["model"].iloc[0] == "snaive"
    assert "sarimax" in f.selected_["fallback"].iloc[0]


def test_intervals_bracket_the_point_forecast() -> None:
    rng = np.random.default_rng(3)
    df = weekly_frame(weeks=30)
    df["y"] = rng.poisson(df["y"] * 3).astype(float)
    p = DailyForecaster("auto", levels=(10, 80, 90), n_origins=3, backtest_horizon=28).fit(df)
    out = p.predict(28)
    assert (out["yhat_lo"] <= out["yhat"]).all()
    assert (out["yhat"] <= out["yhat_p80"]).all()
    assert (out["yhat_p80"] <= out["yhat_hi"]).all()
    assert (out["yhat_hi"] > out["yhat_lo"]).any()


def test_center_closed_on_holidays_forecasts_zero_on_the_next_one() -> None:
    df = _holiday_series(0.0)  # closed on every public holiday
    p = DailyForecaster("ets", holidays="KR", n_origins=0).fit(df).predict(60).set_index("ds")
    assert p.at[pd.Timestamp("2026-12-25"), "yhat"] == 0.0
    assert p.at[pd.Timestamp("2026-12-25"), "yhat_hi"] == 0.0
