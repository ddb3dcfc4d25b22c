"""Volume forecasting: daily and intraday, with holidays and events, backtested and stored.

Public API (see README "Forecasting"):

- :class:`DailyForecaster` — ``fit(df).predict(h)`` on the long frame ``series_id, ds, y``;
  ``model="auto"`` picks per series by rolling-origin backtest WAPE.
- :class:`IntradayForecaster` — 15/30/60-minute series: daily forecast × interval profiles.
- :func:`validate_long_frame`, :func:`read_long_csv` — the data contract.
- :mod:`metrics` — WAPE, MAPE, bias, MASE (one definition each).
- :func:`apply_uplift`, :func:`copy_last_year_peak` — scenarios.
- :func:`run_store_forecast`, :func:`forecast_vs_actual`, :func:`accuracy_by_horizon`,
  :func:`backfill_runs`, :func:`interval_forecast` — the store integration (``service``).
"""

from __future__ import annotations

from ops.forecasting.daily import DailyForecaster, backtest_series
from ops.forecasting.frame import (
    FORECAST_COLUMNS,
    FREQS,
    read_long_csv,
    validate_long_frame,
)
from ops.forecasting.intraday import IntradayForecaster, backtest_intraday, build_profile
from ops.forecasting.metrics import accuracy_table, bias, mape, mase, wape
from ops.forecasting.models import AUTO_CANDIDATES, MODELS, EventSpec, fit_series
from ops.forecasting.scenarios import apply_uplift, copy_last_year_peak
from ops.forecasting.service import (
    accuracy_by_horizon,
    backfill_runs,
    daily_volume,
    forecast_vs_actual,
    interval_forecast,
    list_runs,
    run_store_forecast,
    run_summary,
)
from ops.forecasting.specialdays import SpecialDayCalendar

__all__ = [
    "AUTO_CANDIDATES",
    "FORECAST_COLUMNS",
    "FREQS",
    "MODELS",
    "DailyForecaster",
    "EventSpec",
    "IntradayForecaster",
    "SpecialDayCalendar",
    "accuracy_by_horizon",
    "accuracy_table",
    "apply_uplift",
    "backfill_runs",
    "backtest_intraday",
    "backtest_series",
    "bias",
    "build_profile",
    "copy_last_year_peak",
    "daily_volume",
    "fit_series",
    "forecast_vs_actual",
    "interval_forecast",
    "list_runs",
    "mape",
    "mase",
    "read_long_csv",
    "run_store_forecast",
    "run_summary",
    "validate_long_frame",
    "wape",
]
