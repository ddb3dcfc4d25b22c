"""Intraday profiles (shrinkage, closed intervals), the intraday forecaster, scenarios, day types."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from ops.forecasting import DailyForecaster
from ops.forecasting.intraday import IntradayForecaster, build_profile
from ops.forecasting.scenarios import apply_uplift, copy_last_year_peak, lunar_main_day
from ops.forecasting.specialdays import SpecialDayCalendar
from ops.forecasting.synthetic import TEST_WEEK, intraday_profile, weekly_frame


def test_profile_shrinkage_by_hand() -> None:
    # Two intervals. Weekdays "0" and "1" observed 4 days each, "holiday" observed once.
    # Group 0 always splits 30/70, group 1 always 70/30: day-to-day variance 0, so each keeps its
    # own share exactly (weight 1). The holiday (1 day) has sampling variance p(1-p)/N with the
    # all-days share p = 0.5, N = 10: v = 0.025; τ² = var(0.3, 0.7) = 0.08 (ddof 1) minus mean
    # sampling variance 0 -> w = 0.08 / (0.08 + 0.025) = 0.7619; holiday raw share 0.9 ->
    # 0.7619·0.9 + 0.2381·0.5 = 0.8048.
    counts = np.array([[3, 7]] * 4 + [[7, 3]] * 4, dtype=float)
    groups = ["0"] * 4 + ["1"] * 4
    prof = build_profile(
        counts, groups, "60min", holiday_counts=np.array([[9.0, 1.0]]), holiday_groups=["holiday"]
    )
    np.testing.assert_allclose(prof.share("0"), [0.3, 0.7])
    np.testing.assert_allclose(prof.share("1"), [0.7, 0.3])
    w = 0.08 / (0.08 + 0.025)
    assert prof.share("holiday")[0] == pytest.approx(w * 0.9 + (1 - w) * 0.5, rel=1e-6)
    assert prof.share("holiday").sum() == pytest.approx(1.0)
    assert prof.share("5").tolist() == prof.share("all").tolist()  # unseen group -> all days


def test_closed_intervals_get_zero() -> None:
    counts = np.array([[0, 5, 5, 0]] * 6, dtype=float)
    prof = build_profile(counts, ["0"] * 3 + ["1"] * 3, "60min")
    assert prof.share("0")[0] == 0 and prof.share("0")[3] == 0
    assert prof.share("0").sum() == pytest.approx(1.0)


def _intraday_frame(weeks: int = 12, freq: str = "60min") -> pd.DataFrame:
    day = weekly_frame(weeks=weeks)
    k = 24
    rows = []
    for r in day.itertuples():
        prof = intraday_profile(freq, r.ds.weekday(), open_hours=(8, 20))
        for i in range(k):
            rows.append((r.series_id, r.ds + pd.Timedelta(hours=i), r.y * prof[i]))
    return pd.DataFrame(rows, columns=["series_id", "ds", "y"])


def test_intraday_forecast_reproduces_noise_free_pattern() -> None:
    df = _intraday_frame()
    f = IntradayForecaster("60min", daily_model="snaive", n_origins=0).fit(df)
    p = f.predict(24 * 7)
    assert p["ds"].iloc[0] == df["ds"].max() + pd.Timedelta(hours=1)
    assert len(p) == 24 * 7
    daily = p.groupby(p["ds"].dt.normalize())["yhat"].sum().to_numpy()
    np.testing.assert_allclose(daily, TEST_WEEK, rtol=1e-9)
    monday = p[p["ds"].dt.weekday == 0]["yhat"].to_numpy()
    np.testing.assert_allclose(
        monday, TEST_WEEK[0] * intraday_profile("60min", 0, open_hours=(8, 20))
    )
    assert p.loc[p["ds"].dt.hour < 8, ["yhat", "yhat_hi"]].to_numpy().max() == 0
    assert (p["yhat_lo"] <= p["yhat"]).all() and (p["yhat"] <= p["yhat_hi"]).all()


def test_uplift_scenario() -> None:
    p = DailyForecaster("snaive", n_origins=0).fit(weekly_frame(weeks=4)).predict(7)
    start = p["ds"].iloc[2].date()
    out = apply_uplift(p, 25, start, start)
    assert out["yhat"].iloc[2] == pytest.approx(p["yhat"].iloc[2] * 1.25)
    assert out["yhat_hi"].iloc[2] == pytest.approx(p["yhat_hi"].iloc[2] * 1.25)
    assert out["yhat"].drop(index=2).tolist() == p["yhat"].drop(index=2).tolist()
    assert out["scenario"].notna().sum() == 1


def test_lunar_dates_and_peak_copy() -> None:
    # Published Korean public holidays: Chuseok 2025-10-06, Chuseok 2026-09-25.
    assert lunar_main_day("chuseok", 2025) == date(2025, 10, 6)
    assert lunar_main_day("chuseok", 2026) == date(2026, 9, 25)
    hist = pd.DataFrame(
        {"series_id": "Q1", "ds": pd.date_range("2025-01-01", "2026-09-10", freq="D")}
    )
    hist["y"] = 100.0
    hist.loc[hist["ds"] == pd.Timestamp("2025-10-06"), "y"] = 20.0  # last year's Chuseok
    hist.loc[hist["ds"] == pd.Timestamp("2025-10-03"), "y"] = 250.0  # 3 days before it
    fc = pd.DataFrame(
        {"series_id": "Q1", "ds": pd.date_range("2026-09-11", periods=30, freq="D"),
         "yhat": 100.0, "yhat_lo": 80.0, "yhat_hi": 120.0, "model": "ets"}
    )  # fmt: skip
    out = copy_last_year_peak(fc, hist, holiday="chuseok", window=(-3, 3)).set_index("ds")
    # Level ratio = 100/100 = 1, so values are copied as they were, aligned on the main day.
    assert out.at[pd.Timestamp("2026-09-25"), "yhat"] == pytest.approx(20.0)
    assert out.at[pd.Timestamp("2026-09-22"), "yhat"] == pytest.approx(250.0)
    assert out.at[pd.Timestamp("2026-09-25"), "yhat_hi"] == pytest.approx(24.0)  # ratio kept
    assert out.at[pd.Timestamp("2026-09-29"), "yhat"] == pytest.approx(100.0)  # outside window
    assert out["scenario"].notna().sum() == 7


def test_korean_lunar_day_types() -> None:
    # Chuseok 2025: Oct 5-7 plus the substitute holiday Oct 8 and Hangul Day Oct 9 (one block).
    t = SpecialDayCalendar("KR").day_types(pd.date_range("2025-10-02", "2025-10-11"))
    assert t[pd.Timestamp("2025-10-05")] == "chuseok:-1"
    assert t[pd.Timestamp("2025-10-06")] == "chuseok:0"
    assert t[pd.Timestamp("2025-10-07")] == "chuseok:+1"
    assert t[pd.Timestamp("2025-10-08")] == "chuseok:bridge"
    assert t[pd.Timestamp("2025-10-10")] == "chuseok:post1"
    assert t[pd.Timestamp("2025-10-04")] == "chuseok:pre1"
    assert t[pd.Timestamp("2025-10-03")] == "holiday:National Foundation Day"  # its own leaf
    assert (
        SpecialDayCalendar(None).day_types(pd.date_range("2025-10-02", "2025-10-11")).isna().all()
    )
