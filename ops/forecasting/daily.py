"""Daily forecasting of many series: rolling-origin backtest, model selection, intervals.

:class:`DailyForecaster` is the estimator (statsforecast style: configure in the constructor,
``fit(df) -> self``, ``predict(h) -> DataFrame``, fitted state in ``name_`` attributes). With
``model="auto"`` every candidate, the planners' own methods included (``snaive``: last week's
value, ``weekday_mean``: the mean of the last four same weekdays the center was open), is refit at
8 weekly origins on the series given (the last one a week before its end, each forecasting up to
56 days or to the data end), and each horizon bucket (1-7, 8-14, 15-28, 29-56 days) gets the
candidate with the lowest backtest WAPE there. A model that loses to a baseline in a bucket is not
used for it, so a baseline is a legitimate winner; ``selected_`` says per series which model each
bucket got and by how much it beat the best baseline. A model that fails to fit falls back to the
next best, and finally to seasonal naive.

Prediction intervals come from the chosen models' own backtest errors on the log1p scale,
``e = log1p(A) − log1p(F)``, per horizon bucket (1-7, 8-14, 15-28, 29-56 days). The P-level
forecast is ``expm1(log1p(F) + q_L)`` with ``q_L = mean(e) + t_L(k−1) · sd(e) · √(1 + 1/k)``,
k the number of backtest origins behind the bucket's errors and t_L the Student t quantile. Why
not the errors' own quantiles: the days of one origin's week share its level error (a busy week
is busy on every day), so 40 backtest days from 8 origins are worth about 8 independent draws,
and their 10th-90th percentiles were too narrow on real series (a P10-P90 band covering 55-60 %
of the next weeks' days on a bank's calls and on US births). The t quantile with k − 1 degrees of
freedom and the √(1 + 1/k) prediction factor are the textbook allowance for a spread estimated
from k draws. P50 is the point forecast ``yhat``.

The spread is scaled per weekday: each weekday's errors are first divided by its multiplier
``s_w`` (its mean absolute error relative to all weekdays', shrunk toward 1 by 14 pseudo-errors,
:func:`weekday_scales`), the bucket spreads are taken from those, and the L-level offset of a day
is ``mean + s_w · t_L · sd · √(1 + 1/k)``. One spread for every weekday made a rail station's
quiet weekdays too wide (100 % covered) and its noisy weekends too narrow (50-62 %); over 24
weekly origins the scaled bands are 29 % narrower there at the same coverage.

The weeks ahead can be harder than the weeks the backtest measured: on US births the P10-P90
band of the weeks before Christmas covered 3 of 7 days. With a year of history and more, the
ordinary spread of each day is multiplied by its :func:`season_scales` factor: how much larger the
week-ahead naive errors were around the same day a year earlier than over the 8 weeks before the
year-ago history end (shrunk toward 1 by 14 pseudo-errors). It lifted the one-week coverage from
8 origins on births from 73 % to 84 % and brought the rail station's from 86 % to 80 %.

Without a backtest (history shorter than 56 training + 7 forecast days) the in-sample week-ahead
naive errors ``log1p(y_t) − log1p(y_{t−7})`` are used instead, which is conservative, but only over
*ordinary* pairs: both days open weekdays, not holidays or the days around them, not inside an
event. The structural models forecast those days through their closed-weekday and special-day
factors; a holiday zero next to a normal Monday (log error ≈ 4, a factor of 50) says nothing about
how wrong an ordinary-day forecast is. Counting such pairs is what blew a 51-call forecast up to a
P90 of 1,270 on a 29-day history.

Whatever the errors, the upper quantiles are bounded: ``yhat_hi ≤ max(yhat, HI_CAP_MULT ×
busiest day in history × max(1, the day's special-day × event factor))``, HI_CAP_MULT = 1.5. A
P90 above one and a half times the busiest day ever seen (scaled up for a known campaign) is not
supported by the data; it is an artefact of few, noisy errors on a log scale. Lower quantiles are
never below 0 and closed days (``yhat`` = 0) have a zero interval.

And they are never narrower than Poisson arrival noise around the point forecast: the L-level
quantile is at least as far from ``yhat`` as ``yhat + z_L·√yhat`` (z_L the standard normal
quantile, z_90 = 1.2816), floored at 0. Contacts arrive at least as irregularly as a Poisson
process, so a handful of lucky errors (five to nine week-apart pairs on a month of history) must
not give a P90 equal to the forecast. The point forecast is never changed by any of these rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
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
    BASELINES,
    ENSEMBLE_OF,
    MODELS,
    EventSpec,
    SeriesFit,
    closed_weekdays,
    events_from_frame,
    fit_series,
    history_day_types,
)
from ops.forecasting.specialdays import SpecialDayCalendar

MIN_TRAIN_DAYS = 56
MIN_BACKTEST_DAYS = 7  # a backtest shorter than a week would not cover each weekday once
HI_CAP_MULT = 1.5  # yhat_hi <= 1.5 × the busiest history day (× a special day's factor > 1)
# Tie-break order: the structural models handle holidays and closures; then the planners'.
PREFERENCE = ("ensemble", "ets", "mstl", "adjusted_mean", "sarimax", "weekday_mean", "snaive")
MIN_BUCKET_POINTS = 10
FALLBACK_MODEL = "snaive"
WEEK_DAYS = 7
MIN_NAIVE_PAIRS = 5  # ordinary week-apart pairs needed before the naive errors use them alone
SELECTION_BUCKETS = tuple(name for _lo, _hi, name in HORIZON_BUCKETS)


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
    last_gap: int | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rolling-origin backtest of ``models`` on one daily series.

    Origins: the last one leaves ``horizon`` days to forecast (or, with ``last_gap``, only that
    many, the most recent week when it is 7); each earlier origin is ``step`` days before
    (``n_origins`` in all, each with ≥ 56 days of training history) and forecasts ``horizon`` days
    or up to the data end. Every model is refit at every origin on the history up to it only.
    Returns the long frame ``series_id, model, origin, ds, h, y, yhat, scale, day_type,
    planned_type`` (h in days, 1-based; scale = in-sample seasonal-naive MAE, the MASE
    denominator; day_type what the day turned out to be, closures found in the data included;
    planned_type what the calendar and planned events said beforehand) and ``{model: error}``
    for models that failed at some origin.
    """
    calendar = calendar or SpecialDayCalendar()
    n = len(y)
    horizon = min(horizon, n - MIN_TRAIN_DAYS)
    frames: list[pd.DataFrame] = []
    failures: dict[str, str] = {}
    if horizon < MIN_BACKTEST_DAYS:
        return pd.DataFrame(), failures
    gap = horizon if last_gap is None else max(MIN_BACKTEST_DAYS, min(last_gap, horizon))
    origins = [n - gap - i * step for i in range(n_origins)]
    origins = [o for o in origins if o >= MIN_TRAIN_DAYS]
    # What each test day turned out to be (closures and the days after them included), and what
    # the calendar said it would be (known when the forecast was made).
    all_types, _ = history_day_types(dates, y, calendar, closed_weekdays(dates, y))
    planned = calendar.day_types(dates).to_numpy()
    for e in events:
        if e.planned:
            planned = np.where(e.mask(dates) & pd.isna(planned), e.key, planned)
    for o in sorted(origins):
        hist_d, hist_y = dates[:o], y[:o]
        test_d, test_y = dates[o : o + horizon], y[o : o + horizon]
        scale = _scale(hist_y, 7)
        made: dict[str, np.ndarray] = {}
        for model in models:
            try:
                if model == "ensemble" and all(m in made for m in ENSEMBLE_OF):
                    # The same numbers as fitting it: the mean of its members' forecasts.
                    yhat = np.mean([made[m] for m in ENSEMBLE_OF], axis=0)
                else:
                    fit = fit_series(hist_d, hist_y, model, calendar=calendar, events=events)
                    yhat = fit.forecast(len(test_y))
            except Exception as e:  # any model failure disqualifies it; selection falls back
                failures[model] = f"{type(e).__name__}: {e}"
                continue
            made[model] = yhat
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
                        "planned_type": planned[o : o + horizon],
                    }
                )
            )
    if not frames:
        return pd.DataFrame(), failures
    out = pd.concat(frames, ignore_index=True)
    # A model that failed at any origin is out of the race: its partial scores would not compare.
    return out[~out[MODEL].isin(list(failures))].reset_index(drop=True), failures


def backtest_shortfall(n_days: int, horizon: int) -> str | None:
    """Why no backtest can run on ``n_days`` of history with a ``horizon``-day backtest, or None,
    e.g. ``"no backtest: 29 days of history, needs 63"``.

    :func:`backtest_series` shortens the horizon to ``n_days − 56`` (56 training days first) and
    needs at least 7 forecast days, so it needs 63 days of history whatever the horizon.
    """
    needed = MIN_TRAIN_DAYS + MIN_BACKTEST_DAYS
    if min(horizon, n_days - MIN_TRAIN_DAYS) >= MIN_BACKTEST_DAYS:
        return None
    return f"no backtest: {n_days} days of history, needs {needed}"


def naive_errors(history: np.ndarray, ordinary: np.ndarray | None = None) -> np.ndarray:
    """In-sample week-ahead naive errors ``log1p(y_t) − log1p(y_{t−7})`` on ordinary pairs.

    A pair counts when both days are ``ordinary`` (default: all) and not both zero. With fewer
    than 5 such pairs (about one per weekday), every pair that is not both zero is used (a very
    short history; the upper cap then does the bounding).
    """
    h = np.asarray(history, dtype=float)
    if len(h) <= WEEK_DAYS:
        return np.array([])
    lag, cur = h[:-WEEK_DAYS], h[WEEK_DAYS:]
    some = (lag > 0) | (cur > 0)
    ok = some
    if ordinary is not None:
        o = np.asarray(ordinary, dtype=bool)
        ok = some & o[:-WEEK_DAYS] & o[WEEK_DAYS:]
        if ok.sum() < MIN_NAIVE_PAIRS:
            ok = some
    return np.log1p(cur[ok]) - np.log1p(lag[ok])


def ordinary_days(
    dates: pd.DatetimeIndex,
    y: np.ndarray,
    calendar: SpecialDayCalendar,
    events: Sequence[EventSpec] = (),
) -> np.ndarray:
    """True for days that are not special (holiday, eve, bridge, a closure found in the data or
    the days after one), not in an event, and not on a weekday that is closed."""
    y = np.asarray(y, dtype=float)
    closed = closed_weekdays(dates, y)
    types, _closures = history_day_types(dates, y, calendar, closed)
    out = np.array([t is None for t in types], dtype=bool)
    for e in events:
        out &= ~e.mask(dates)
    if closed:
        out &= ~np.isin(dates.weekday, list(closed))
    return out


WEEKDAY_PRIOR = 14  # pseudo-errors at the common spread that each weekday's own spread shrinks to
YEAR_DAYS = 364  # 52 weeks: the same weekday a year earlier
SEASON_WINDOW = 10  # days either side of that day whose naive errors say how hard its season is
SEASON_BEFORE = 56  # days before the year-ago history end: the weeks the backtest measured


@dataclass(frozen=True)
class ErrorBands:
    """Interval offsets on the log1p scale: per horizon bucket a ``center`` (the mean error),
    per level the ordinary ``spread`` (signed, t-quantile × sd) and the special-day ``extra``
    (signed, the quantile of the special-day factor spread; 0 for ordinary days), and a spread
    multiplier per weekday (Monday = 0). The L-level error on a day of weekday w is
    ``center + sign · √((s_w · spread_L)² + extra_L²)``; see the module docstring."""

    center: Mapping[str, float]
    spread: Mapping[str, np.ndarray]
    extra: Mapping[str, np.ndarray]
    weekday_scale: np.ndarray

    def at(
        self, h: np.ndarray, weekday: np.ndarray | None = None, season: np.ndarray | None = None
    ) -> np.ndarray:
        """The error quantiles, shape (len(h), levels), of days ``h`` ahead on ``weekday``, the
        ordinary spread times ``season`` (per day, :func:`season_scales`) when given."""
        if not len(h):
            return np.zeros((0, len(next(iter(self.spread.values())))))
        buckets = horizon_bucket(h).to_numpy()
        c = np.array([self.center[b] for b in buckets])[:, None]
        sp = np.vstack([self.spread[b] for b in buckets])
        ex = np.vstack([self.extra[b] for b in buckets])
        s = np.ones(len(h)) if weekday is None else self.weekday_scale[np.asarray(weekday)]
        if season is not None:
            s = s * np.asarray(season, dtype=float)
        sp = sp * s[:, None]
        sign = np.where(sp + ex < 0, -1.0, 1.0)
        return c + sign * np.sqrt(sp**2 + ex**2)


def weekday_scales(
    resid: np.ndarray, weekdays: np.ndarray, prior: float = WEEKDAY_PRIOR
) -> np.ndarray:
    """Spread multiplier per weekday (7 values, Monday = 0) from errors around their bucket's
    mean: ``s_w = (Σ_w |r| / m + prior) / (n_w + prior)`` with m the mean |r| over all weekdays.
    Absolute, not squared, errors: one odd day (an unplanned closure, a storm) must not widen its
    weekday for good. A weekday with few errors stays near 1, one with many gets its own spread
    relative to the others: a rail station's weekends are noisier than its weekdays, and one
    spread for all made weekday bands too wide and weekend bands too narrow. 1 everywhere
    without errors."""
    a = np.abs(np.asarray(resid, dtype=float))
    wd = np.asarray(weekdays, dtype=int)
    out = np.ones(WEEK_DAYS)
    m = float(a.mean()) if len(a) else 0.0
    if m <= 0:
        return out
    for w in range(WEEK_DAYS):
        sel = wd == w
        out[w] = (a[sel].sum() / m + prior) / (sel.sum() + prior)
    return out


def error_quantiles(
    bt: pd.DataFrame,
    levels: Sequence[float],
    *,
    history: np.ndarray | None = None,
    ordinary: np.ndarray | None = None,
    extra_sd: float = 0.0,
) -> ErrorBands:
    """Error bands (per level, in %) of log1p errors per horizon bucket; see the module docstring.

    Only days forecast open (yhat > 0) count, since closed days are exactly 0, and of those the
    ones not known to be special when the forecast was made (no ``planned_type``: no holiday or
    the days around one, no planned event) when there are at least 10 of them: special days
    get their own allowance, ``extra_sd`` (the spread of the special-day factors, see
    :attr:`SeriesFit.special_sd`), added in quadrature to the spread. Each weekday's errors are
    first divided by its :func:`weekday_scales` multiplier, so the bucket spreads are those of a
    common weekday and the multiplier is put back per day. Buckets with fewer than 10 errors use
    all buckets pooled; without a backtest, the empirical quantiles of ``history``'s week-ahead
    naive errors over the ``ordinary`` days (a boolean mask aligned with ``history``; see
    :func:`naive_errors`), every weekday alike.
    """
    from statistics import NormalDist

    qs = np.asarray(levels, dtype=float) / 100.0
    center: dict[str, float] = {}
    spread: dict[str, np.ndarray] = {}
    extra: dict[str, np.ndarray] = {}
    scale = np.ones(WEEK_DAYS)

    if len(bt):
        ok = bt[YHAT].to_numpy() > 0
        if "planned_type" in bt:  # days the calendar or a planned event said were special
            plain = ok & bt["planned_type"].isna().to_numpy()
            if plain.sum() >= MIN_BUCKET_POINTS:
                ok = plain
        b = bt[ok]
        e = np.log1p(b[Y].to_numpy(dtype=float)) - np.log1p(b[YHAT].to_numpy(dtype=float))
        buckets = horizon_bucket(b["h"]).to_numpy()
        origins = b["origin"].to_numpy()
        if len(e) >= MIN_BUCKET_POINTS:
            wd = pd.DatetimeIndex(b[DS]).weekday.to_numpy()
            means = pd.Series(e).groupby(buckets).transform("mean").to_numpy()
            scale = weekday_scales(e - means, wd)
            e = means + (e - means) / scale[wd]
        for _lo, _hi, name in HORIZON_BUCKETS:
            sel = buckets == name
            if sel.sum() >= MIN_BUCKET_POINTS:
                k = len(np.unique(origins[sel]))
                center[name], spread[name], extra[name] = t_band(e[sel], k, qs, extra_sd)
        if len(e) >= MIN_BUCKET_POINTS:
            k = len(np.unique(origins))
            center["_pooled"], spread["_pooled"], extra["_pooled"] = t_band(e, k, qs, extra_sd)
    if "_pooled" not in center:
        e_all = np.array([])
        if history is not None and len(history) > WEEK_DAYS:
            e_all = naive_errors(history, ordinary)
        q = np.quantile(e_all, qs) if len(e_all) else np.zeros(len(qs))
        mid = float(np.median(e_all)) if len(e_all) else 0.0
        z = np.array([NormalDist().inv_cdf(x) for x in qs])
        center["_pooled"], spread["_pooled"], extra["_pooled"] = mid, q - mid, z * extra_sd
    last = "_pooled"
    for _lo, _hi, name in HORIZON_BUCKETS:  # later buckets without data inherit the previous one
        if name in center:
            last = name
        else:
            center[name], spread[name], extra[name] = center[last], spread[last], extra[last]
    return ErrorBands(center, spread, extra, scale)


def t_band(
    errors: np.ndarray, draws: int, qs: np.ndarray, extra_sd: float = 0.0
) -> tuple[float, np.ndarray, np.ndarray]:
    """``(mean, t_q(k − 1) · sd · √(1 + 1/k), t_q(k − 1) · extra_sd)`` per probability in
    ``qs``: the parts of :func:`t_quantiles` (the center, the ordinary spread, the special-day
    extra) that :class:`ErrorBands` keeps apart to scale the spread per weekday."""
    from scipy.stats import t as student_t

    e = np.asarray(errors, dtype=float)
    k = max(int(draws), 2)
    t = student_t.ppf(qs, k - 1)
    sd = float(np.std(e, ddof=1)) if len(e) > 1 else 0.0
    return float(np.mean(e)), t * sd * np.sqrt(1 + 1 / k), t * extra_sd


def t_quantiles(
    errors: np.ndarray, draws: int, qs: np.ndarray, extra_sd: float = 0.0
) -> np.ndarray:
    """``mean + t_q(k − 1) · √(sd² · (1 + 1/k) + extra_sd²)`` per probability in ``qs``:
    prediction quantiles of errors whose spread is estimated from ``k = draws`` independent draws
    (backtest origins), the Student t allowance for a spread estimated from few draws (k − 1 ≥ 1
    degrees of freedom), plus an independent extra spread (a special day's factor)."""
    c, sp, ex = t_band(errors, draws, qs, extra_sd)
    return c + np.sign(sp + ex) * np.sqrt(sp**2 + ex**2)


def apply_quantiles(
    yhat: np.ndarray,
    h: np.ndarray,
    bands: ErrorBands,
    weekday: np.ndarray | None = None,
    season: np.ndarray | None = None,
) -> np.ndarray:
    """Forecast quantiles, shape (len(yhat), levels):
    expm1(log1p(yhat) + band(h, weekday, season))."""
    q = bands.at(np.asarray(h), weekday, season) if len(h) else np.zeros((0, 1))
    out = np.expm1(np.log1p(np.asarray(yhat, dtype=float))[:, None] + q)
    out = np.clip(out, 0.0, None)
    out[np.asarray(yhat) <= 0] = 0.0
    return out


def season_scales(
    history: np.ndarray,
    ordinary: np.ndarray,
    h: int,
    *,
    window: int = SEASON_WINDOW,
    before: int = SEASON_BEFORE,
    prior: float = WEEKDAY_PRIOR,
) -> np.ndarray:
    """Spread multiplier of each of the next ``h`` days from the same weeks a year earlier.

    The backtest measures how wrong the models were over the last weeks; the weeks ahead can be
    harder or easier than those (a holiday season, a quiet summer). A year earlier both are in
    the history: with ``a_t = |log1p(y_t) − log1p(y_{t−7})|`` the week-ahead naive errors on
    ordinary pairs (:func:`naive_errors`), ``m`` their mean over the ``before`` days that ended
    364 days before the history end, and ``W_d`` those within ``window`` days of the day 364 days
    before ``d``, the multiplier of day ``d`` is ``(Σ_W a / m + prior) / (|W| + prior)``: the
    ratio of the two windows' mean errors, shrunk toward 1 by ``prior`` pseudo-errors like
    :func:`weekday_scales`. 1 where the history does not reach back that far.
    """
    y = np.asarray(history, dtype=float)
    n = len(y)
    out = np.ones(h)
    start = n - YEAR_DAYS - before
    if start < WEEK_DAYS:
        return out
    o = np.asarray(ordinary, dtype=bool)
    a = np.full(n, np.nan)
    ok = o[WEEK_DAYS:] & o[:-WEEK_DAYS] & (y[WEEK_DAYS:] > 0) & (y[:-WEEK_DAYS] > 0)
    a[WEEK_DAYS:][ok] = np.abs(np.log1p(y[WEEK_DAYS:]) - np.log1p(y[:-WEEK_DAYS]))[ok]
    base = a[start : n - YEAR_DAYS]
    base = base[~np.isnan(base)]
    m = float(base.mean()) if len(base) >= MIN_BUCKET_POINTS else 0.0
    if m <= 0:
        return out
    for i in range(h):
        q = n + i - YEAR_DAYS  # the same weekday 52 weeks before day i ahead
        w = a[max(q - window, 0) : min(q + window + 1, n)]
        w = w[~np.isnan(w)]
        out[i] = (w.sum() / m + prior) / (len(w) + prior)
    return out


def poisson_floor(yhat: np.ndarray, level: float) -> np.ndarray:
    """``max(0, yhat + z·√yhat)`` with z the standard normal quantile of ``level`` (percent): the
    normal approximation of Poisson arrival noise, the narrowest credible quantile."""
    from statistics import NormalDist

    y = np.clip(np.asarray(yhat, dtype=float), 0.0, None)
    z = NormalDist().inv_cdf(level / 100.0)
    out = np.clip(y + z * np.sqrt(y), 0.0, None)
    out[y <= 0] = 0.0
    return out


def cap_upper(q: np.ndarray, yhat: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Upper quantile(s) bounded by ``max(yhat, cap)`` per day (see the module docstring); the
    point forecast is never lowered."""
    bound = np.maximum(np.asarray(cap, dtype=float), np.asarray(yhat, dtype=float))
    return np.minimum(q, bound)


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


@dataclass
class SelectedFit:
    """The fitted models of one series, one per horizon bucket (the backtest's choice there).

    Quacks like :class:`~ops.forecasting.models.SeriesFit`: :meth:`forecast` gives the next ``h``
    days, each day from the model of its bucket; ``model`` is the 1-7 day choice (the headline).
    """

    fits: dict[str, SeriesFit]  # model -> fit on the whole history
    by_bucket: dict[str, str]  # horizon bucket -> model

    @property
    def model(self) -> str:
        return self.by_bucket[SELECTION_BUCKETS[0]]

    @property
    def main(self) -> SeriesFit:
        return self.fits[self.model]

    @property
    def end(self) -> pd.Timestamp:
        return self.main.end

    @property
    def structural(self) -> SeriesFit | None:
        """The first structural fit (it knows the special days), or None."""
        return next((f for f in self.fits.values() if f.structural), None)

    @property
    def day_factors(self) -> dict[str, float]:
        """The special-day factors learned (of the structural fit; none for a baseline)."""
        fit = self.structural
        return fit.day_factors if fit is not None else {}

    def future_dates(self, h: int) -> pd.DatetimeIndex:
        return self.main.future_dates(h)

    def models_for(self, h: int) -> np.ndarray:
        """The model used on each of the next ``h`` days."""
        buckets = horizon_bucket(np.arange(1, h + 1)).to_numpy()
        return np.array([self.by_bucket.get(b, self.model) for b in buckets], dtype=object)

    def forecast(self, h: int) -> np.ndarray:
        used = self.models_for(h)
        out = np.zeros(h)
        for m in dict.fromkeys(used):
            out[used == m] = self.fits[m].forecast(h)[used == m]
        return out

    def factors(self, dates: pd.DatetimeIndex) -> np.ndarray:
        fit = self.structural or self.main
        return fit.factors(dates)

    @property
    def special_sd(self) -> float:
        fit = self.structural
        return fit.special_sd if fit is not None else 0.0

    def special_days(self, dates: pd.DatetimeIndex) -> np.ndarray:
        fit = self.structural
        return fit.special_days(dates) if fit is not None else np.zeros(len(dates), dtype=bool)

    def unseen_holidays(self, h: int) -> list[tuple[date, str]]:
        fit = self.structural
        return fit.unseen_holidays(h) if fit is not None else []

    def params(self) -> dict[str, Any]:
        out = self.main.params()
        if self.structural is not None and not self.main.structural:
            p = self.structural.params()
            out.update({k: p[k] for k in ("day_factors", "event_factors")})
        out["models_by_bucket"] = dict(self.by_bucket)
        return out


def select_by_bucket(
    bt: pd.DataFrame, candidates: Sequence[str], preference: Sequence[str] = PREFERENCE
) -> tuple[dict[str, str], dict[str, dict[str, float]]]:
    """Per horizon bucket, the candidate with the lowest backtest WAPE, and every score.

    Returns ``({bucket: model}, {bucket: {model: wape}})``. A bucket with fewer than
    MIN_BUCKET_POINTS backtest days per model takes the previous bucket's choice (and the first
    such bucket the pooled WAPE's); ties go to ``preference`` order. Every candidate is scored on
    the same days, so the comparison is like for like.
    """
    rank = {m: (preference.index(m) if m in preference else len(preference)) for m in candidates}
    scores: dict[str, dict[str, float]] = {}
    choice: dict[str, str] = {}
    if not len(bt):
        return choice, scores
    buckets = horizon_bucket(bt["h"]).to_numpy()
    pooled = {m: _wape(g[Y], g[YHAT]) for m, g in bt.groupby(MODEL)}
    best_pooled = min(
        (m for m in candidates if np.isfinite(pooled.get(m, np.nan))),
        key=lambda m: (pooled[m], rank[m]),
        default=None,
    )
    last = best_pooled
    for name in SELECTION_BUCKETS:
        part = bt[buckets == name]
        n_per_model = part.groupby(MODEL).size()
        if len(part) == 0 or n_per_model.min() < MIN_BUCKET_POINTS:
            if last is not None:
                choice[name] = last
            continue
        sc = {m: _wape(g[Y], g[YHAT]) for m, g in part.groupby(MODEL)}
        scores[name] = sc
        ok = [m for m in candidates if np.isfinite(sc.get(m, np.nan))]
        if ok:
            last = min(ok, key=lambda m: (sc[m], rank[m]))
            choice[name] = last
    return choice, scores


def selection_reason(
    by_bucket: Mapping[str, str], scores: Mapping[str, Mapping[str, float]], n_origins: int
) -> str:
    """Why a series got its models, e.g. ``1-7: adjusted_mean 5.1% vs best baseline weekday_mean
    6.3%; 8-14: ...  (8 weekly origins)``; empty without a backtest."""
    parts = []
    for bucket, model in by_bucket.items():
        sc = scores.get(bucket)
        if not sc or model not in sc:
            continue
        base = {m: v for m, v in sc.items() if m in BASELINES and np.isfinite(v)}
        text = f"{bucket}: {model} {sc[model]:.1%}"
        if base and model not in BASELINES:
            b = min(base, key=lambda m: base[m])
            text += f" vs best baseline {b} {base[b]:.1%}"
        elif model in BASELINES:
            others = {m: v for m, v in sc.items() if m not in BASELINES and np.isfinite(v)}
            if others:
                o = min(others, key=lambda m: others[m])
                text += f" (no model beat it; best {o} {others[o]:.1%})"
        parts.append(text)
    if not parts:
        return ""
    return "; ".join(parts) + f" ({n_origins} origins)"


class DailyForecaster:
    """Forecast daily series in the long format; ``model="auto"`` selects per series and bucket.

    Parameters: ``model`` one of auto, snaive, weekday_mean, adjusted_mean, ets, mstl, sarimax;
    ``holidays`` a country code (``KR``, ``US-CA``), None (no holidays), or a mapping series_id ->
    code or calendar; ``events`` a frame like the store's ``events`` table with an optional
    ``series_id`` column (null = every series); ``levels`` the interval percentiles (lowest ->
    ``yhat_lo``, highest -> ``yhat_hi``, others as ``yhat_pNN`` columns); ``candidates`` for
    auto; ``n_origins``, ``backtest_horizon``, ``step`` and ``last_gap`` (days) for the
    rolling-origin backtest (default: 8 weekly origins, the last a week before the data end, each
    forecasting up to 56 days). ``fill="zero"`` treats missing days as closed (0).
    """

    def __init__(
        self,
        model: str = "auto",
        *,
        holidays: str | None | Mapping[str, str | SpecialDayCalendar | None] = None,
        events: pd.DataFrame | None = None,
        levels: Sequence[float] = (10, 90),
        candidates: Sequence[str] = AUTO_CANDIDATES,
        n_origins: int = 8,
        backtest_horizon: int = 56,
        step: int = 7,
        last_gap: int | None = 7,
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
        self.last_gap = last_gap
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
        self.fits_: dict[str, SelectedFit] = {}
        self.quantiles_: dict[str, ErrorBands] = {}
        self.special_quantiles_: dict[str, ErrorBands] = {}
        self.history_: dict[str, pd.Series] = {}
        self.ordinary_: dict[str, np.ndarray] = {}
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
                    last_gap=self.last_gap,
                )  # fmt: skip
                if self.n_origins > 0
                else (pd.DataFrame(), {})
            )
            ok_candidates = [m for m in self.candidates if m not in failures]
            by_bucket, bucket_scores = select_by_bucket(bt, ok_candidates)
            scores = {m: _wape(b[Y], b[YHAT]) for m, b in bt.groupby(MODEL)} if len(bt) else {}
            # Without a backtest (history too short) every bucket gets the preferred candidate:
            # the structural models handle holidays and closures.
            ranked = sorted(
                ok_candidates, key=lambda m: (scores.get(m, np.inf), PREFERENCE.index(m))
            )
            chain = ranked + [m for m in self.candidates if m in failures]
            if FALLBACK_MODEL not in chain:
                chain.append(FALLBACK_MODEL)
            if not by_bucket:
                by_bucket = {b: chain[0] for b in SELECTION_BUCKETS}
            fits: dict[str, SeriesFit] = {}
            errors: list[str] = []
            for bucket in SELECTION_BUCKETS:
                want = by_bucket.get(bucket, chain[0])
                order = [want] + [m for m in chain if m != want]
                for m in order:
                    if m in fits:
                        by_bucket[bucket] = m
                        break
                    try:
                        f = fit_series(dates, y, m, calendar=cal, events=evs)
                        f.forecast(1)
                    except Exception as e:
                        errors.append(f"{m}: {type(e).__name__}: {e}")
                        continue
                    fits[m] = f
                    by_bucket[bucket] = m
                    break
                else:
                    raise ForecastError(
                        f"series {sid!r}: no model could be fit ({'; '.join(errors)})"
                    )
            fit = SelectedFit(fits, by_bucket)
            self.fits_[sid] = fit
            own = self._own_backtest(bt, by_bucket)
            ordinary = ordinary_days(dates, y, cal, evs)
            self.ordinary_[sid] = ordinary
            self.quantiles_[sid] = error_quantiles(own, self.levels, history=y, ordinary=ordinary)
            self.special_quantiles_[sid] = error_quantiles(
                own, self.levels, history=y, ordinary=ordinary, extra_sd=fit.special_sd
            )
            bt_h7 = own[own["h"] <= 7] if len(own) else own
            bt_h28 = own[own["h"] <= 28] if len(own) else own
            note = self._note(len(y), len(own))
            unseen = fit.unseen_holidays(self.backtest_horizon)
            if unseen:
                names = ", ".join(f"{n} {d}" for d, n in unseen[:4])
                more = f" and {len(unseen) - 4} more" if len(unseen) > 4 else ""
                note = (note + "; " if note else "") + (
                    f"not seen in the history, forecast as open: {names}{more}"
                )
            origins = int(bt["origin"].nunique()) if len(bt) else 0
            selected.append(
                {
                    SERIES_ID: sid,
                    MODEL: fit.model,
                    "models": " · ".join(f"{b} {m}" for b, m in by_bucket.items()),
                    "wape": _wape(own[Y], own[YHAT]) if len(own) else np.nan,
                    "wape_1_7": _wape(bt_h7[Y], bt_h7[YHAT]) if len(bt_h7) else np.nan,
                    "wape_1_28": _wape(bt_h28[Y], bt_h28[YHAT]) if len(bt_h28) else np.nan,
                    **{f"wape_{m}": scores.get(m, np.nan) for m in self.candidates},
                    "reason": selection_reason(by_bucket, bucket_scores, origins),
                    "fallback": "; ".join(errors + [f"{k}: {v}" for k, v in failures.items()]),
                    "note": note,
                }
            )
            if len(bt):
                bts.append(bt)
        self.selected_ = pd.DataFrame(selected)
        self.backtest_ = pd.concat(bts, ignore_index=True) if bts else pd.DataFrame()
        return self

    @staticmethod
    def _own_backtest(bt: pd.DataFrame, by_bucket: Mapping[str, str]) -> pd.DataFrame:
        """The backtest rows of the model each bucket uses (the selection's own track record)."""
        if not len(bt):
            return bt
        buckets = horizon_bucket(bt["h"]).to_numpy()
        want = np.array([by_bucket.get(b, "") for b in buckets], dtype=object)
        return bt[bt[MODEL].to_numpy() == want].reset_index(drop=True)

    def _note(self, n_days: int, n_backtest: int) -> str:
        """Why a series has no backtest WAPE ("" when it has one). Without one, ``auto`` picks by
        the PREFERENCE order and intervals come from week-ahead naive errors (module docstring).
        """
        if n_backtest:
            return ""
        if self.n_origins == 0:
            return "no backtest: n_origins=0"
        return backtest_shortfall(n_days, self.backtest_horizon) or (
            "no backtest: the model failed at every origin"
        )

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
        """:meth:`predict` for one series (``model`` says which model gave each day)."""
        self._check_fitted()
        if series_id not in self.fits_:
            raise ForecastError(f"series {series_id!r} was not fitted")
        fit = self.fits_[series_id]
        yhat = fit.forecast(h)
        dates = fit.future_dates(h)
        hs = np.arange(1, h + 1)
        wd = dates.weekday.to_numpy()
        season = self.season_scale(series_id, h)
        q = apply_quantiles(yhat, hs, self.quantiles_[series_id], wd, season)
        special = fit.special_days(dates)
        if special.any():  # special days: the spread of their factors on top
            q_sp = apply_quantiles(yhat, hs, self.special_quantiles_[series_id], wd, season)
            q = np.where(special[:, None], q_sp, q)
        for j, lv in enumerate(self.levels):  # at least Poisson noise wide
            floor = poisson_floor(yhat, lv)
            q[:, j] = np.maximum(q[:, j], floor) if lv > 50 else np.minimum(q[:, j], floor)
        cap = self.upper_cap(series_id, dates)
        frame = pd.DataFrame(
            {
                SERIES_ID: series_id,
                DS: dates,
                YHAT: yhat,
                YHAT_LO: np.minimum(q[:, 0], yhat),
                YHAT_HI: cap_upper(np.maximum(q[:, -1], yhat), yhat, cap),
                MODEL: fit.models_for(h),
            }
        )
        for j, lv in enumerate(self.levels[1:-1], start=1):
            col = q[:, j]
            frame[level_column(lv)] = (
                cap_upper(np.maximum(col, yhat), yhat, cap) if lv > 50 else np.minimum(col, yhat)
            )
        return frame

    def season_scale(self, series_id: str, h: int) -> np.ndarray:
        """The spread multiplier of the next ``h`` days from the same weeks a year earlier
        (:func:`season_scales`; 1 for a history shorter than 60 weeks)."""
        self._check_fitted()
        return season_scales(self.history_[series_id].to_numpy(), self.ordinary_[series_id], h)

    def upper_cap(self, series_id: str, dates: pd.DatetimeIndex) -> np.ndarray:
        """Bound of the upper quantiles on ``dates``: HI_CAP_MULT × the busiest history day ×
        max(1, the day's special-day × event factor); see the module docstring."""
        self._check_fitted()
        hist = self.history_[series_id]
        busiest = float(hist.max()) if len(hist) else 0.0
        factor = np.maximum(self.fits_[series_id].factors(dates), 1.0)
        return HI_CAP_MULT * busiest * factor

    def accuracy(self, by: Sequence[str] = (SERIES_ID, MODEL, "bucket")) -> pd.DataFrame:
        """Backtest WAPE/MAPE/bias/MASE of every candidate, grouped by ``by`` (bucket =
        horizon). No interval coverage: the backtest's intervals are made from these same errors,
        so their coverage here would be in-sample. Out-of-sample coverage per horizon bucket is
        that of stored runs against what happened (``ccops forecast accuracy``) and of
        ``bench/bench_forecast_real.py``."""
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
                "wape_1_7": _num(sel.at[sid, "wape_1_7"]),
                "wape_1_28": _num(sel.at[sid, "wape_1_28"]),
                "busiest_day": _num(self.history_[sid].max()),
                "reason": str(sel.at[sid, "reason"]),
                "note": str(sel.at[sid, "note"]),
            }
            for sid, fit in self.fits_.items()
        }


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return round(f, 5) if np.isfinite(f) else None
