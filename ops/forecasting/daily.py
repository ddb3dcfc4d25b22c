"""Daily forecasting of many series: rolling-origin backtest, model selection, intervals.

:class:`DailyForecaster` is the estimator (statsforecast style: configure in the constructor,
``fit(df) -> self``, ``predict(h) -> DataFrame``, fitted state in ``name_`` attributes). With
``model="auto"`` each series gets the candidate with the lowest backtest WAPE; a model that fails to
fit falls back to the next best, and finally to seasonal naive.

Prediction intervals are empirical: the quantiles of the chosen model's backtest errors on the
log1p scale, ``e = log1p(A) − log1p(F)``, per horizon bucket (1-7, 8-14, 15-28, 29-56 days). The
P-level forecast is ``expm1(log1p(F) + q_L(e))``. Without a backtest (short history) the in-sample
seasonal-naive errors are used instead, which is conservative. P50 is the point forecast ``yhat``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ops.errors import ForecastError, ValidationError
from ops.forecasting.frame import DS, MODEL, SERIES_ID, YHAT, YHAT_HI, YHAT_LO, Y
from ops.forecasting.frame import validate_long_frame as _validate
from ops.forecasting.metrics import HORIZON_BUCKETS, accuracy_table, horizon_bucket
from ops.forecasting.metrics import seasonal_naive_scale as _scale
from ops.forecasting.metrics import wape as _wape
from ops.forecasting.models import (
    AUTO_CANDIDATES,
    MODELS,
    EventSpec,
    SeriesFit,
    events_from_frame,
    fit_series,
)
from ops.forecasting.specialdays import SpecialDayCalendar

MIN_TRAIN_DAYS = 56
PREFERENCE = ("ets", "mstl", "sarimax", "weekday_mean", "snaive")  # tie-break order
MIN_BUCKET_POINTS = 10
FALLBACK_MODEL = "snaive"


def backtest_series(
    dates: pd.DatetimeIndex,
    y: np.ndarray,
    models: Sequence[str],
    *,
    horizon: int = 56,
    n_origins: int = 3,
    step: int = 28,
    calendar: SpecialDayCalendar | None = None,
    events: Sequence[EventSpec] = (),
    series_id: str = "y",
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rolling-origin backtest of ``models`` on one daily series.

    Origins: the last one leaves ``horizon`` days to forecast; each earlier origin is ``step`` days
    before (``n_origins`` in all, each with ≥ 56 days of training history). Every model is refit at
    every origin on the history up to it only. Returns the long frame ``series_id, model, origin,
    ds, h, y, yhat, scale, day_type`` (h in days, 1-based; scale = in-sample seasonal-naive MAE,
    the MASE denominator) and ``{model: error}`` for models that failed at some origin.
    """
    calendar = calendar or SpecialDayCalendar()
    n = len(y)
    horizon = min(horizon, n - MIN_TRAIN_DAYS)
    frames: list[pd.DataFrame] = []
    failures: dict[str, str] = {}
    if horizon < 7:
        return pd.DataFrame(), failures
    origins = [n - horizon - i * step for i in range(n_origins)]
    origins = [o for o in origins if o >= MIN_TRAIN_DAYS]
    all_types = calendar.day_types(dates).to_numpy()
    for o in sorted(origins):
        hist_d, hist_y = dates[:o], y[:o]
        test_d, test_y = dates[o : o + horizon], y[o : o + horizon]
        scale = _scale(hist_y, 7)
        for model in models:
            try:
                fit = fit_series(hist_d, hist_y, model, calendar=calendar, events=events)
                yhat = fit.forecast(len(test_y))
            except Exception as e:  # any model failure disqualifies it; selection falls back
                failures[model] = f"{type(e).__name__}: {e}"
                continue
            frames.append(
                pd.DataFrame(
                    {
                        SERIES_ID: series_id,
                        MODEL: model,
                        "origin": dates[o - 1],
                        DS: test_d,
                        "h": np.arange(1, len(test_y) + 1),
                        Y: test_y,
                        YHAT: yhat,
                        "scale": scale,
                        "day_type": all_types[o : o + horizon],
                    }
                )
            )
    if not frames:
        return pd.DataFrame(), failures
    out = pd.concat(frames, ignore_index=True)
    # A model that failed at any origin is out of the race: its partial scores would not compare.
    return out[~out[MODEL].isin(list(failures))].reset_index(drop=True), failures


def error_quantiles(
    bt: pd.DataFrame, levels: Sequence[float], *, history: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Quantiles (per level, in %) of log1p errors per horizon bucket; see the module docstring.

    Only days forecast open (yhat > 0) count, since closed days are exactly 0. Buckets with fewer
    than 10 errors use all buckets pooled; without a backtest, ``history``'s seasonal-naive errors.
    """
    qs = np.asarray(levels, dtype=float) / 100.0
    out: dict[str, np.ndarray] = {}
    e_all = np.array([])
    if len(bt):
        ok = bt[YHAT].to_numpy() > 0
        b = bt[ok]
        e = np.log1p(b[Y].to_numpy(dtype=float)) - np.log1p(b[YHAT].to_numpy(dtype=float))
        buckets = horizon_bucket(b["h"]).to_numpy()
        e_all = e
        for _lo, _hi, name in HORIZON_BUCKETS:
            eb = e[buckets == name]
            if len(eb) >= MIN_BUCKET_POINTS:
                out[name] = np.quantile(eb, qs)
    if len(e_all) < MIN_BUCKET_POINTS and history is not None and len(history) > 7:
        h = np.asarray(history, dtype=float)
        lag, cur = h[:-7], h[7:]
        ok = (lag > 0) | (cur > 0)
        e_all = np.log1p(cur[ok]) - np.log1p(lag[ok])
    pooled = np.quantile(e_all, qs) if len(e_all) else np.zeros(len(qs))
    out["_pooled"] = pooled
    last = pooled
    for _lo, _hi, name in HORIZON_BUCKETS:  # later buckets without data inherit the previous one
        if name in out:
            last = out[name]
        else:
            out[name] = last
    return out


def apply_quantiles(
    yhat: np.ndarray, h: np.ndarray, quantiles: Mapping[str, np.ndarray]
) -> np.ndarray:
    """Forecast quantiles, shape (len(yhat), levels): expm1(log1p(yhat) + q(bucket of h))."""
    buckets = horizon_bucket(h).to_numpy()
    q = np.vstack([quantiles[b] for b in buckets]) if len(h) else np.zeros((0, 1))
    out = np.expm1(np.log1p(np.asarray(yhat, dtype=float))[:, None] + q)
    out = np.clip(out, 0.0, None)
    out[np.asarray(yhat) <= 0] = 0.0
    return out


def _levels(levels: Sequence[float]) -> tuple[float, ...]:
    lv = tuple(sorted(float(x) for x in levels))
    if len(lv) < 2 or any(not 0 < x < 100 for x in lv):
        raise ValidationError(
            f"levels must be at least two percentiles between 0 and 100, got {list(levels)!r}"
        )
    return lv


def level_column(level: float) -> str:
    """Column name of an extra quantile, e.g. ``yhat_p80``."""
    return f"yhat_p{level:g}"


class DailyForecaster:
    """Forecast daily series in the long format; ``model="auto"`` selects per series.

    Parameters: ``model`` one of auto, snaive, weekday_mean, ets, mstl, sarimax; ``holidays`` a
    country code (``KR``), None (no holidays), or a mapping series_id -> code or calendar; ``events`` a frame like
    the store's ``events`` table with an optional ``series_id`` column (null = every series);
    ``levels`` the interval percentiles (lowest -> ``yhat_lo``, highest -> ``yhat_hi``, others as
    ``yhat_pNN`` columns); ``candidates`` for auto; ``n_origins``, ``backtest_horizon`` and ``step``
    (days) for the rolling-origin backtest. ``fill="zero"`` treats missing days as closed (0).
    """

    def __init__(
        self,
        model: str = "auto",
        *,
        holidays: str | None | Mapping[str, str | SpecialDayCalendar | None] = None,
        events: pd.DataFrame | None = None,
        levels: Sequence[float] = (10, 90),
        candidates: Sequence[str] = AUTO_CANDIDATES,
        n_origins: int = 3,
        backtest_horizon: int = 56,
        step: int = 28,
        fill: str = "error",
    ) -> None:
        if model != "auto" and model not in MODELS:
            raise ValidationError(
                f"model must be auto or one of {', '.join(MODELS)}, got {model!r}"
            )
        bad = [c for c in candidates if c not in MODELS]
        if bad:
            raise ValidationError(f"unknown candidate model(s) {bad}; known: {', '.join(MODELS)}")
        if n_origins < 0 or backtest_horizon < 1 or step < 1:
            raise ValidationError("n_origins must be >= 0, backtest_horizon and step >= 1")
        self.model = model
        self.holidays = holidays
        self.events = events
        self.levels = _levels(levels)
        self.candidates = tuple(candidates) if model == "auto" else (model,)
        self.n_origins = n_origins
        self.backtest_horizon = backtest_horizon
        self.step = step
        self.fill = fill
        self._calendars: dict[str | None, SpecialDayCalendar] = {}
        self._events = events_from_frame(events)

    # -- helpers ------------------------------------------------------------------------
    def calendar_for(self, series_id: str) -> SpecialDayCalendar:
        """The holiday calendar of a series (a country code, a calendar, or none)."""
        code = self.holidays.get(series_id) if isinstance(self.holidays, Mapping) else self.holidays
        if isinstance(code, SpecialDayCalendar):
            return code
        if code not in self._calendars:
            self._calendars[code] = SpecialDayCalendar(code)
        return self._calendars[code]

    def events_for(self, series_id: str) -> tuple[EventSpec, ...]:
        return tuple(e for e in self._events if e.series_id in (None, series_id))

    # -- estimator API --------------------------------------------------------------------
    def fit(self, df: pd.DataFrame) -> DailyForecaster:
        """Backtest, select and fit every series of the long frame ``series_id, ds, y`` (daily)."""
        data = _validate(df, "D", fill=self.fill)  # type: ignore[arg-type]
        self.fits_: dict[str, SeriesFit] = {}
        self.quantiles_: dict[str, dict[str, np.ndarray]] = {}
        self.history_: dict[str, pd.Series] = {}
        selected: list[dict[str, Any]] = []
        bts: list[pd.DataFrame] = []
        for sid, g in data.groupby(SERIES_ID, sort=True):
            sid = str(sid)
            dates = pd.DatetimeIndex(g[DS])
            y = g[Y].to_numpy(dtype=float)
            self.history_[sid] = pd.Series(y, index=dates)
            cal, evs = self.calendar_for(sid), self.events_for(sid)
            bt, failures = (
                backtest_series(
                    dates,
                    y,
                    self.candidates,
                    horizon=self.backtest_horizon,
                    n_origins=self.n_origins,
                    step=self.step,
                    calendar=cal,
                    events=evs,
                    series_id=sid,
                )  # fmt: skip
                if self.n_origins > 0
                else (pd.DataFrame(), {})
            )
            scores = {m: _wape(b[Y], b[YHAT]) for m, b in bt.groupby(MODEL)} if len(bt) else {}
            # Lowest backtest WAPE first; ties (and no backtest at all, when the history is too
            # short for one) go to the structural models, which handle holidays and closures.
            ranked = sorted(
                (m for m in self.candidates if m not in failures),
                key=lambda m: (
                    scores.get(m, np.inf) if np.isfinite(scores.get(m, np.nan)) else np.inf,
                    PREFERENCE.index(m),
                ),
            )
            chain = ranked + [m for m in self.candidates if m in failures]
            if FALLBACK_MODEL not in chain:
                chain.append(FALLBACK_MODEL)
            fit = None
            errors: list[str] = []
            for m in chain:
                try:
                    fit = fit_series(dates, y, m, calendar=cal, events=evs)
                    fit.forecast(1)
                    break
                except Exception as e:
                    errors.append(f"{m}: {type(e).__name__}: {e}")
                    fit = None
            if fit is None:
                raise ForecastError(f"series {sid!r}: no model could be fit ({'; '.join(errors)})")
            self.fits_[sid] = fit
            own = bt[bt[MODEL] == fit.model] if len(bt) else bt
            self.quantiles_[sid] = error_quantiles(own, self.levels, history=y)
            bt_h28 = own[own["h"] <= 28] if len(own) else own
            selected.append(
                {
                    SERIES_ID: sid,
                    MODEL: fit.model,
                    "wape": scores.get(fit.model, np.nan),
                    "wape_1_28": _wape(bt_h28[Y], bt_h28[YHAT]) if len(bt_h28) else np.nan,
                    **{f"wape_{m}": scores.get(m, np.nan) for m in self.candidates},
                    "fallback": "; ".join(errors + [f"{k}: {v}" for k, v in failures.items()]),
                }
            )
            if len(bt):
                bts.append(bt)
        self.selected_ = pd.DataFrame(selected)
        self.backtest_ = pd.concat(bts, ignore_index=True) if bts else pd.DataFrame()
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "fits_"):
            raise ForecastError("call fit(df) before predict(h)")

    def predict(self, h: int) -> pd.DataFrame:
        """The next ``h`` days per series: ``series_id, ds, yhat, yhat_lo, yhat_hi, model``."""
        self._check_fitted()
        if h < 1:
            raise ValidationError(f"horizon must be >= 1, got {h}")
        return pd.concat([self.predict_series(sid, h) for sid in self.fits_], ignore_index=True)

    def predict_series(self, series_id: str, h: int) -> pd.DataFrame:
        """:meth:`predict` for one series."""
        self._check_fitted()
        if series_id not in self.fits_:
            raise ForecastError(f"series {series_id!r} was not fitted")
        fit = self.fits_[series_id]
        yhat = fit.forecast(h)
        q = apply_quantiles(yhat, np.arange(1, h + 1), self.quantiles_[series_id])
        frame = pd.DataFrame(
            {
                SERIES_ID: series_id,
                DS: fit.future_dates(h),
                YHAT: yhat,
                YHAT_LO: np.minimum(q[:, 0], yhat),
                YHAT_HI: np.maximum(q[:, -1], yhat),
                MODEL: fit.model,
            }
        )
        for j, lv in enumerate(self.levels[1:-1], start=1):
            col = q[:, j]
            frame[level_column(lv)] = np.maximum(col, yhat) if lv > 50 else np.minimum(col, yhat)
        return frame

    def accuracy(self, by: Sequence[str] = (SERIES_ID, MODEL, "bucket")) -> pd.DataFrame:
        """Backtest WAPE/MAPE/bias/MASE of every candidate, grouped by ``by`` (bucket = horizon)."""
        self._check_fitted()
        if not len(self.backtest_):
            return pd.DataFrame()
        bt = self.backtest_.assign(
            bucket=horizon_bucket(self.backtest_["h"]).to_numpy(),
            special=self.backtest_["day_type"].notna().map({True: "special", False: "ordinary"}),
        )
        return accuracy_table(bt, by=list(by))

    def params(self) -> dict[str, Any]:
        """Per-series learned parameters and backtest scores, JSON-friendly."""
        self._check_fitted()
        sel = self.selected_.set_index(SERIES_ID)
        return {
            sid: {
                **fit.params(),
                "wape": _num(sel.at[sid, "wape"]),
                "wape_1_28": _num(sel.at[sid, "wape_1_28"]),
            }
            for sid, fit in self.fits_.items()
        }


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return round(f, 5) if np.isfinite(f) else None
