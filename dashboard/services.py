"""Adapters from the dashboard's cached call shape ``fn(store, scope, *args)`` to ops services
whose signatures order their arguments differently. No logic beyond argument order and keeping
every call inside the user's scope.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd


def forecast_runs(store: Any, scope: Any) -> pd.DataFrame:
    """Stored forecast runs, newest first; series counted within the user's scope."""
    from ops.forecasting.service import list_runs

    return list_runs(store, scope)


def forecast_vs_actual(store: Any, scope: Any, run_id: str | None) -> pd.DataFrame:
    from ops.forecasting.service import forecast_vs_actual as fva

    return fva(store, run_id, scope)


def forecast_accuracy(store: Any, scope: Any, run_id: str | None) -> pd.DataFrame:
    from ops.forecasting.service import accuracy_by_horizon

    return accuracy_by_horizon(store, run_id, scope)


def forecast_models(store: Any, scope: Any, run_id: str | None) -> pd.DataFrame:
    """Model and backtest WAPE per series of a run, limited to the series the scope can see."""
    from ops.forecasting.service import forecast_vs_actual as fva
    from ops.forecasting.service import run_summary

    visible = set(fva(store, run_id, scope)["series_id"].unique())
    summary = run_summary(store, run_id, scope)
    return summary[summary["series_id"].isin(visible)].reset_index(drop=True)


def forecast_intervals(
    store: Any, scope: Any, run_id: str | None, freq: str = "30min"
) -> pd.DataFrame:
    from ops.forecasting.service import interval_forecast

    return interval_forecast(store, run_id, freq=freq, scope=scope)


def volume_history(store: Any, scope: Any, start: date, end: date) -> pd.DataFrame:
    from ops.forecasting.service import daily_volume

    return daily_volume(store, scope, start=start, end=end)


def holidays(store: Any, scope: Any, start: date, end: date) -> pd.DataFrame:
    """Public holidays per center in scope between two days: center_id, date, name."""
    from ops.forecasting.service import center_holiday_calendars

    rows = [
        {"center_id": cid, "date": d, "name": name}
        for cid, cal in center_holiday_calendars(store, scope).items()
        for d, name in cal.holiday_names(start, end).items()
    ]
    return pd.DataFrame(rows, columns=["center_id", "date", "name"])


def run_forecast(store: Any, scope: Any, horizon: int) -> str:
    """Run and store a new daily forecast for the scope (admins and managers only)."""
    from ops.forecasting.service import run_store_forecast

    return run_store_forecast(store, horizon, scope=scope)
