"""Short histories: sane prediction intervals and a stated reason when no backtest can run.

The defect these pin down: a 29-day series with holiday zeros (Gaecheonjeol, its substitute
Monday, Hangul Day) got its intervals from week-ahead naive errors that included pairs like
0 -> 51 (log error ≈ 3.95), so a 51-call forecast had a P90 of 1,270.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ops.forecasting import DailyForecaster, backtest_series, fit_series
from ops.forecasting.daily import (
    HI_CAP_MULT,
    backtest_shortfall,
    cap_upper,
    naive_errors,
    ordinary_days,
    poisson_floor,
)
from ops.forecasting.specialdays import SpecialDayCalendar

Z90 = 1.2815515655446004  # standard normal 90th percentile (any z table: 1.2816)
# Mon..Sun, closed on Sundays (a BUSAN-like queue)
PATTERN = np.array([50.0, 45.0, 40.0, 35.0, 30.0, 20.0, 0.0])
START = "2026-09-28"  # a Monday; 29 days to 2026-10-26 as in the reviewer's run
HOLIDAY_ZEROS = ("2026-10-03", "2026-10-05", "2026-10-09")  # KR: Gaecheonjeol, substitute, Hangul


def _short_series(days: int = 29) -> pd.DataFrame:
    ds = pd.date_range(START, periods=days, freq="D")
    y = PATTERN[ds.weekday].copy()
    y[ds.isin(pd.to_datetime(HOLIDAY_ZEROS))] = 0.0
    return pd.DataFrame({"series_id": "BUSAN|VOICE", "ds": ds, "y": y})


def test_holiday_zeros_do_not_blow_up_the_interval_and_yhat_is_unchanged() -> None:
    df = _short_series()
    kr = SpecialDayCalendar("KR")
    f = DailyForecaster("ets", holidays="KR").fit(df)
    p = f.predict(28)
    # The point forecast is the model's own, untouched by any interval rule.
    direct = fit_series(pd.DatetimeIndex(df["ds"]), df["y"].to_numpy(), "ets", calendar=kr)
    np.testing.assert_allclose(p["yhat"].to_numpy(), direct.forecast(28))
    # No holidays in the next 28 days and an exact weekly pattern: yhat is the pattern.
    np.testing.assert_allclose(p["yhat"].to_numpy(), PATTERN[p["ds"].dt.weekday], atol=1e-3)
    # Ordinary week-apart pairs are all exact (error 0), so the interval is the Poisson floor:
    # Monday 50 -> 50 ± 1.2816·√50 = 40.94 .. 59.06 (hand: √50 = 7.0711, × 1.2816 = 9.062).
    mon = p[p["ds"].dt.weekday == 0].iloc[0]
    assert mon["yhat_hi"] == pytest.approx(50 + Z90 * np.sqrt(50), abs=1e-2)
    assert mon["yhat_lo"] == pytest.approx(50 - Z90 * np.sqrt(50), abs=1e-2)
    assert mon["yhat_hi"] == pytest.approx(59.06, abs=0.01)
    # Bounds: never above 1.5 × the busiest day (50 -> 75), never below 0, closed Sundays 0.
    assert (p["yhat_hi"] <= HI_CAP_MULT * 50 + 1e-9).all()
    assert (p["yhat_lo"] >= 0).all()
    assert (p["yhat_lo"] <= p["yhat"]).all() and (p["yhat"] <= p["yhat_hi"]).all()
    sun = p[p["ds"].dt.weekday == 6]
    assert (sun[["yhat", "yhat_lo", "yhat_hi"]].to_numpy() == 0).all()


def test_naive_errors_skip_special_and_closed_days_by_hand() -> None:
    df = _short_series()
    dates, y = pd.DatetimeIndex(df["ds"]), df["y"].to_numpy()
    ordinary = ordinary_days(dates, y, SpecialDayCalendar("KR"))
    # Every Sunday is closed and 10-02..10-06 and 10-08..10-10 are holidays or next to one.
    assert not ordinary[dates.weekday == 6].any()
    assert not ordinary[dates.isin(pd.to_datetime(HOLIDAY_ZEROS))].any()
    e = naive_errors(y, ordinary)
    assert len(e) >= 5 and np.allclose(e, 0.0)  # exact pattern on ordinary days
    # Unfiltered, the zero holidays give pairs such as 0 -> 50: log1p(50) − log1p(0) = 3.932.
    raw = naive_errors(y)
    assert raw.max() == pytest.approx(np.log1p(50.0), abs=1e-9)


def test_naive_errors_on_a_tiny_series_by_hand() -> None:
    # 9 days: pairs (t-7, t) are (1 -> 3), (0 -> 0 skipped: both zero), (7 -> 7).
    y = np.array([1.0, 0.0, 7.0, 4.0, 4.0, 4.0, 4.0, 3.0, 0.0])
    y = np.append(y, 7.0)  # 10 days -> pairs at t = 7, 8, 9
    e = naive_errors(y)
    np.testing.assert_allclose(e, [np.log(4 / 2), np.log(8 / 8)])
    # with a mask making fewer than 5 ordinary pairs, every non-zero pair is used
    mask = np.array([True] * 10)
    mask[0] = False
    np.testing.assert_allclose(naive_errors(y, mask), e)


def test_the_cap_binds_on_a_sparse_spiky_history_and_the_point_forecast_stays() -> None:
    # A sparse queue: mostly zero, a 30 now and then. Naive errors include 0 -> 30 pairs
    # (log1p(30) = 3.43, a factor of 31), so without a cap P90 ≈ 31 × (yhat + 1).
    ds = pd.date_range("2026-03-02", periods=35, freq="D")
    y = np.zeros(35)
    y[[2, 9, 11, 20, 23, 29, 33]] = 30.0
    df = pd.DataFrame({"series_id": "Q", "ds": ds, "y": y})
    f = DailyForecaster("ets").fit(df)
    p = f.predict(14)
    direct = fit_series(ds, y, "ets").forecast(14)
    np.testing.assert_allclose(p["yhat"].to_numpy(), direct)
    cap = HI_CAP_MULT * 30.0  # 45, no special days or events
    open_ = p["yhat"] > 0
    assert (p["yhat_hi"] <= np.maximum(cap, p["yhat"]) + 1e-9).all()
    assert np.isclose(p.loc[open_, "yhat_hi"], cap).any()  # the cap is what bounds it here
    assert (p["yhat_lo"] >= 0).all()


def test_poisson_floor_and_cap_by_hand() -> None:
    # 100 ± 1.2816 × 10; 4 − 1.2816 × 2 = 1.437; 1 − 1.2816 < 0 -> 0; closed day stays 0.
    np.testing.assert_allclose(
        poisson_floor(np.array([100.0, 4.0, 1.0, 0.0]), 90), [112.8155, 6.5631, 2.2816, 0.0],
        atol=1e-4,
    )  # fmt: skip
    np.testing.assert_allclose(
        poisson_floor(np.array([100.0, 4.0, 1.0, 0.0]), 10), [87.1845, 1.4369, 0.0, 0.0],
        atol=1e-4,
    )  # fmt: skip
    # cap never lowers below yhat: q=[500, 20], yhat=[50, 30], cap=[75, 10] -> [75, 20]
    # (the second: min(20, max(10, 30)) = 20)
    np.testing.assert_allclose(
        cap_upper(np.array([500.0, 20.0]), np.array([50.0, 30.0]), np.array([75.0, 10.0])),
        [75.0, 20.0],
    )


def test_backtest_shortfall_matches_backtest_series() -> None:
    assert backtest_shortfall(29, 56) == "no backtest: 29 days of history, needs 63"
    assert backtest_shortfall(62, 28) == "no backtest: 62 days of history, needs 63"
    assert backtest_shortfall(63, 56) is None
    for n, empty in ((62, True), (63, False)):
        ds = pd.date_range("2026-01-05", periods=n, freq="D")
        bt, _ = backtest_series(ds, PATTERN[ds.weekday], ["snaive"], horizon=28, n_origins=1)
        assert bt.empty is empty


def test_selected_frame_says_why_wape_is_blank() -> None:
    f = DailyForecaster("auto", holidays="KR", candidates=("snaive", "ets")).fit(_short_series())
    row = f.selected_.iloc[0]
    assert np.isnan(row["wape"])
    assert row["note"] == "no backtest: 29 days of history, needs 63"
    assert f.params()["BUSAN|VOICE"]["note"] == row["note"]
    assert f.params()["BUSAN|VOICE"]["busiest_day"] == 50.0
    off = DailyForecaster("ets", n_origins=0).fit(_short_series())
    assert off.selected_["note"].iloc[0] == "no backtest: n_origins=0"
    long = DailyForecaster("snaive", n_origins=1, backtest_horizon=7).fit(_short_series(70))
    assert long.selected_["note"].iloc[0] == "" and np.isfinite(long.selected_["wape"].iloc[0])


def _cli(args: list[str]):
    from ops.cli import _register_subcommands, app

    if not any(g.name == "forecast" for g in app.registered_groups):
        _register_subcommands()
    return CliRunner().invoke(app, args)


def test_cli_backtest_error_gives_days_and_horizon(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    _short_series(40).to_csv(path, index=False)
    r = _cli(["forecast", "backtest", "--input", str(path), "--time-col", "ds", "--value-col",
              "y", "--series-col", "series_id", "--horizon", "28"])  # fmt: skip
    assert r.exit_code != 0
    msg = str(r.exception)
    assert "longest series has 40 days" in msg
    assert "needs 63" in msg and "28-day horizon" in msg and "84 days" in msg


def test_run_message_counts_series_without_backtest() -> None:
    from ops.forecasting.cli import _no_backtest_message

    summary = pd.DataFrame(
        {
            "series_id": ["A|V", "B|V", "C|V"],
            "note": [
                "no backtest: 29 days of history, needs 63",
                "no backtest: 32 days of history, needs 63",
                "",
            ],
        }
    )
    msg = _no_backtest_message(summary)
    assert msg.startswith("2 of 3 series without a backtest (history 29-32 days")
    assert "needs 63 (56 training + 7 forecast)" in msg and "preference order" in msg
    assert "preference" not in _no_backtest_message(summary, "ets")
    assert _no_backtest_message(summary.iloc[2:]) == ""
