"""Metric and backtest arithmetic, checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ops.forecasting import backtest_series, bias, mape, mase, wape
from ops.forecasting.metrics import accuracy_table, horizon_bucket, seasonal_naive_scale


def test_metrics_by_hand() -> None:
    a = [10, 20, 30, 0]
    f = [12, 18, 33, 1]
    # WAPE = (2 + 2 + 3 + 1) / (10 + 20 + 30 + 0) = 8/60
    assert wape(a, f) == pytest.approx(8 / 60)
    # MAPE skips the zero actual: mean(2/10, 2/20, 3/30) = 0.4/3
    assert mape(a, f) == pytest.approx(0.4 / 3)
    # bias = (2 - 2 + 3 + 1) / 60
    assert bias(a, f) == pytest.approx(4 / 60)
    # MASE with scale 2: mean|e| = 8/4 = 2 -> 1.0
    assert mase(a, f, 2.0) == pytest.approx(1.0)
    assert np.isnan(wape([0, 0], [1, 1]))


def test_seasonal_naive_scale_by_hand() -> None:
    # y_t - y_{t-7} for t = 7..9 on y = 0..9 is 7 each -> scale 7
    assert seasonal_naive_scale(np.arange(10), 7) == pytest.approx(7.0)


def test_horizon_buckets() -> None:
    assert horizon_bucket([1, 7, 8, 14, 15, 28, 29, 56, 57]).tolist() == [
        "1-7", "1-7", "8-14", "8-14", "15-28", "15-28", "29-56", "29-56", "57+",
    ]  # fmt: skip


def test_backtest_origins_and_snaive_wape_by_hand() -> None:
    # y_t = t (t = 0..119). Seasonal naive from origin o (history y_0..y_{o-1}) forecasts
    # F_h = y_{o-7+(h-1) mod 7} = o - 7 + (h-1) mod 7, actual A_h = o + h - 1, so the error is
    # 7 for h = 1..7 and 14 for h = 8..14: Σ|e| = 7·7 + 7·14 = 147, ΣA = 14·o + 91.
    n = 120
    dates = pd.date_range("2025-01-01", periods=n, freq="D")
    bt, failures = backtest_series(
        dates, np.arange(n, dtype=float), ["snaive"], horizon=14, n_origins=3, step=7
    )
    assert failures == {}
    origins = sorted(bt["origin"].unique())
    # Origins leave 14, 21 and 28 days: histories of 106, 99, 92 days -> last days 105, 98, 91.
    assert [pd.Timestamp(o) for o in origins] == [dates[91], dates[98], dates[105]]
    for o_len in (92, 99, 106):
        g = bt[bt["origin"] == dates[o_len - 1]]
        assert g["h"].tolist() == list(range(1, 15))
        assert np.abs(g["y"] - g["yhat"]).sum() == pytest.approx(147)
        assert wape(g["y"], g["yhat"]) == pytest.approx(147 / (14 * o_len + 91))
        assert g["scale"].iloc[0] == pytest.approx(7.0)
    table = accuracy_table(bt.assign(bucket=horizon_bucket(bt["h"]).to_numpy()), by=["bucket"])
    # Bucket 1-7: |e| = 7 everywhere, scale 7 -> MASE 1; bucket 8-14: |e| = 14 -> MASE 2.
    assert table.set_index("bucket").loc["1-7", "mase"] == pytest.approx(1.0)
    assert table.set_index("bucket").loc["8-14", "mase"] == pytest.approx(2.0)


@given(
    st.lists(
        st.floats(min_value=0, max_value=1e5, allow_nan=False, allow_subnormal=False),
        min_size=1,
        max_size=50,
    ),
    st.floats(min_value=0, max_value=3),
)
def test_wape_invariants(actual: list[float], k: float) -> None:
    a = np.array(actual)
    if a.sum() < 1e-6:  # volumes are counts; a near-zero total has no meaningful WAPE
        return
    assert wape(a, a) == 0
    assert wape(a, a * k) == pytest.approx(abs(1 - k), rel=1e-9, abs=1e-12)
    assert wape(a, np.zeros_like(a)) == pytest.approx(1.0)
    assert bias(a, a * k) == pytest.approx(k - 1, rel=1e-9, abs=1e-12)


def test_interval_coverage_by_hand() -> None:
    # Four open days and a closed one: actuals 10, 20, 30, 40, 0 against bands [8, 12], [21, 25],
    # [25, 30], [30, 35], [0, 0]. Inside: 10 (yes), 20 (no, below), 30 (yes, on the edge),
    # 40 (no, above); the closed day is left out -> 2 of 4 = 0.5.
    frame = pd.DataFrame(
        {"g": "a", "y": [10, 20, 30, 40, 0], "yhat": [10, 23, 28, 33, 0],
         "yhat_lo": [8, 21, 25, 30, 0], "yhat_hi": [12, 25, 30, 35, 0]}
    )  # fmt: skip
    t = accuracy_table(frame, by=["g"], scale=None)
    assert t["coverage"].iloc[0] == pytest.approx(0.5)


def test_t_quantiles_by_hand() -> None:
    from ops.forecasting.daily import t_quantiles

    # Errors -0.1, 0, 0.1 from 3 origins: mean 0, sd (ddof 1) = 0.1, prediction scale
    # 0.1 × √(1 + 1/3) = 0.115470; Student t with 2 df: t_0.9 = 1.885618 (any t table: 1.886).
    q = t_quantiles(np.array([-0.1, 0.0, 0.1]), 3, np.array([0.1, 0.9]))
    assert q[1] == pytest.approx(1.885618 * 0.115470, rel=1e-4)
    assert q[0] == pytest.approx(-q[1])
    # An independent extra spread of 0.2 adds in quadrature: √(0.115470² + 0.2²) = 0.230940.
    q2 = t_quantiles(np.array([-0.1, 0.0, 0.1]), 3, np.array([0.9]), extra_sd=0.2)
    assert q2[0] == pytest.approx(1.885618 * 0.230940, rel=1e-4)


def test_weekday_scales_by_hand() -> None:
    from ops.forecasting.daily import weekday_scales

    # |r| = 0.1, 0.1 (Mondays), 0.3 (a Saturday); m = 0.5 / 3 = 0.16667; prior 1.
    # Monday: (0.2 / m + 1) / (2 + 1) = (1.2 + 1) / 3 = 0.73333.
    # Saturday: (0.3 / m + 1) / (1 + 1) = (1.8 + 1) / 2 = 1.4. No errors: (0 + 1) / (0 + 1) = 1.
    s = weekday_scales(np.array([0.1, -0.1, 0.3]), np.array([0, 0, 5]), prior=1.0)
    assert s[0] == pytest.approx(2.2 / 3)
    assert s[5] == pytest.approx(1.4)
    assert [s[w] for w in (1, 2, 3, 4, 6)] == pytest.approx([1.0] * 5)
    assert weekday_scales(np.array([]), np.array([])) == pytest.approx([1.0] * 7)


def test_error_bands_scale_the_spread_per_weekday_and_add_the_special_extra() -> None:
    from ops.forecasting.daily import ErrorBands

    buckets = ("1-7", "8-14", "15-28", "29-56", "57+")
    scale = np.ones(7)
    scale[5] = 1.4
    bands = ErrorBands(
        center={b: 0.01 for b in buckets},
        spread={b: np.array([-0.1, 0.1]) for b in buckets},
        extra={b: np.array([0.0, 0.0]) for b in buckets},
        weekday_scale=scale,
    )
    # Day 1 on a Saturday: 0.01 ± 1.4 × 0.1; day 2 on a Sunday: 0.01 ± 0.1.
    q = bands.at(np.array([1, 2]), np.array([5, 6]))
    assert q[0] == pytest.approx([0.01 - 0.14, 0.01 + 0.14])
    assert q[1] == pytest.approx([0.01 - 0.1, 0.01 + 0.1])
    special = ErrorBands(bands.center, bands.spread,
                         {b: np.array([-0.05, 0.05]) for b in buckets}, scale)  # fmt: skip
    # The extra adds in quadrature: √(0.1² + 0.05²) = 0.111803 on a Monday (scale 1).
    assert special.at(np.array([3]), np.array([0]))[0] == pytest.approx(
        [0.01 - 0.111803, 0.01 + 0.111803], rel=1e-5
    )


def test_noisy_weekends_get_wider_bands_than_quiet_weekdays() -> None:
    from ops.forecasting.daily import DailyForecaster

    # 7 days a week; weekdays ±2 % around 1,000, weekends ±15 % around 500 (lognormal noise).
    rng = np.random.default_rng(3)
    ds = pd.date_range("2026-01-05", periods=210, freq="D")
    wknd = ds.weekday >= 5
    y = np.where(wknd, 500 * np.exp(rng.normal(0, 0.15, len(ds))),
                 1000 * np.exp(rng.normal(0, 0.02, len(ds))))  # fmt: skip
    df = pd.DataFrame({"series_id": "s", "ds": ds, "y": y.round()})
    p = DailyForecaster("weekday_mean").fit(df).predict(7)
    width = np.log1p(p["yhat_hi"]) - np.log1p(p["yhat_lo"])
    sat_sun = width[pd.DatetimeIndex(p["ds"]).weekday >= 5].mean()
    weekdays = width[pd.DatetimeIndex(p["ds"]).weekday < 5].mean()
    assert sat_sun > 2 * weekdays


def test_season_scales_by_hand() -> None:
    from ops.forecasting.daily import season_scales

    # log1p(y_t) = c + amp_t · (−1)^(week of t): week-apart pairs differ by amp_t + amp_{t−7}.
    # amp = δ everywhere, so a = 2δ, except amp = 3δ on days [q − 10, q + 3] around q = n − 334,
    # the day 364 days before day i = 30 ahead: there a = 3δ + 3δ = 6δ for days [q − 3, q + 3].
    n, delta = 500, 0.05
    t = np.arange(n)
    amp = np.full(n, delta)
    q = n - 334
    amp[q - 10 : q + 4] = 3 * delta
    y = np.expm1(np.log1p(1000.0) + amp * np.where((t // 7) % 2 == 0, 1.0, -1.0))
    ordinary = np.ones(n, dtype=bool)
    s = season_scales(y, ordinary, 61, window=3, before=14, prior=1.0)
    # m = mean a over days [n − 378, n − 364) = 2δ. Day 30: 7 days at 6δ / 2δ = 3 each:
    # (7 × 3 + 1) / (7 + 1) = 2.75. Day 60 (q = n − 304, all a = 2δ): (7 × 1 + 1) / 8 = 1.
    assert s[30] == pytest.approx(2.75)
    assert s[60] == pytest.approx(1.0)
    # A history shorter than 52 weeks + the 14 days before + a week: no year-ago season.
    assert season_scales(y[-380:], ordinary[-380:], 5, before=14) == pytest.approx([1.0] * 5)


def test_error_bands_multiply_the_ordinary_spread_by_the_season() -> None:
    from ops.forecasting.daily import ErrorBands

    buckets = ("1-7", "8-14", "15-28", "29-56", "57+")
    bands = ErrorBands(
        center={b: 0.01 for b in buckets},
        spread={b: np.array([-0.1, 0.1]) for b in buckets},
        extra={b: np.array([0.0, 0.0]) for b in buckets},
        weekday_scale=np.ones(7),
    )
    # Season 1.5 on day 1, 1 on day 2: 0.01 ± 0.15 and 0.01 ± 0.1; the center does not move.
    q = bands.at(np.array([1, 2]), np.array([0, 1]), np.array([1.5, 1.0]))
    assert q[0] == pytest.approx([0.01 - 0.15, 0.01 + 0.15])
    assert q[1] == pytest.approx([0.01 - 0.1, 0.01 + 0.1])
