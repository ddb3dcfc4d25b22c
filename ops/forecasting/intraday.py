"""Intraday (15/30/60-minute) forecasts: a daily forecast spread over intervals by profiles.

Why not a seasonal model on the interval series directly: the season is 336 intervals a week at
30 minutes, which statsforecast's AutoETS silently drops (flat forecasts) and SARIMAX cannot fit in
reasonable time or memory; statsmodels Holt-Winters with a 336 season works but is slow. Splitting
the problem is faster and at least as accurate: the daily total carries level, weekly and yearly
seasonality and the holiday effects (:class:`~ops.forecasting.daily.DailyForecaster`), and the
*profile* carries the shape of the day.

Profiles: share of the day's volume per interval, per day group: weekday (0 = Monday) for ordinary
days, ``holiday`` and ``eve`` for special days (holiday calendar of the series). Each group's share
is shrunk toward the all-days share with empirical-Bayes weights, per interval i::

    w_gi = τ²_i ÷ (τ²_i + v_gi),   p_gi = w_gi·p̂_gi + (1 − w_gi)·p_i

where v_gi is the sampling variance of the group's share (day-to-day variance of the daily share ÷
days, or p(1−p)/N with fewer than 3 days) and τ²_i the between-group variance (method of moments,
floored at 0). Groups with few days lean on the all-days profile; well-observed groups keep their own
shape. An interval with no volume on any of a group's last days (at least 3) is closed: share 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ops.errors import ForecastError, ValidationError
from ops.forecasting.daily import DailyForecaster, level_column
from ops.forecasting.frame import (
    DS,
    MODEL,
    SERIES_ID,
    YHAT,
    YHAT_HI,
    YHAT_LO,
    Y,
    freq_offset,
    normalize_freq,
    periods_per_day,
)
from ops.forecasting.frame import validate_long_frame as _validate
from ops.forecasting.models import AUTO_CANDIDATES
from ops.forecasting.specialdays import SpecialDayCalendar, is_eve_type, is_holiday_type

PROFILE_WEEKS = 12
HOLIDAY_GROUP, EVE_GROUP, ALL_GROUP = "holiday", "eve", "all"
MIN_CLOSED_DAYS = 3


def day_group(weekday: int, day_type: str | None) -> str:
    """Profile group of a day: ``holiday``, ``eve`` or the weekday number as text."""
    if is_holiday_type(day_type):
        return HOLIDAY_GROUP
    if is_eve_type(day_type):
        return EVE_GROUP
    return str(weekday)


@dataclass
class IntervalProfile:
    """Interval shares per day group of one series (each row sums to 1, or 0 when never open)."""

    freq: str
    shares: dict[str, np.ndarray]
    days: dict[str, int]
    overdispersion: float  # φ: variance of interval counts around share × day total, ÷ mean

    def share(self, group: str) -> np.ndarray:
        return self.shares.get(group, self.shares[ALL_GROUP])


def _normalise(v: np.ndarray) -> np.ndarray:
    s = v.sum()
    return v / s if s > 0 else np.zeros_like(v)


def build_profile(
    counts: np.ndarray,
    groups: Sequence[str],
    freq: str,
    *,
    holiday_counts: np.ndarray | None = None,
    holiday_groups: Sequence[str] = (),
) -> IntervalProfile:
    """Profile from a (days × intervals) matrix of recent counts and each day's group.

    ``holiday_counts``/``holiday_groups`` add special days from further back (they are rare, so the
    whole history is used for them, while weekday groups use only the recent weeks).
    """
    k = counts.shape[1]
    mats = [counts] + ([holiday_counts] if holiday_counts is not None else [])
    all_counts = np.vstack(mats) if len(mats) > 1 else counts
    all_groups = np.array(list(groups) + list(holiday_groups))
    totals = all_counts.sum(axis=1)
    base = _normalise(counts.sum(axis=0))
    if base.sum() == 0:
        base = _normalise(all_counts.sum(axis=0))
    raw: dict[str, np.ndarray] = {}
    var: dict[str, np.ndarray] = {}
    ndays: dict[str, int] = {}
    for g in sorted(set(all_groups)):
        rows = (all_groups == g) & (totals > 0)
        ndays[g] = int((all_groups == g).sum())
        if not rows.any():
            continue
        c = all_counts[rows]
        n_g = c.sum()
        raw[g] = c.sum(axis=0) / n_g
        d = int(rows.sum())
        if d >= 3:
            day_shares = c / c.sum(axis=1, keepdims=True)
            var[g] = day_shares.var(axis=0, ddof=1) / d
        else:
            var[g] = base * (1 - base) / max(n_g, 1.0)
    well = [g for g in raw if ndays[g] >= 3]
    if len(well) >= 2:
        stack = np.vstack([raw[g] for g in well])
        tau2 = np.clip(stack.var(axis=0, ddof=1) - np.mean([var[g] for g in well], axis=0), 0, None)
    else:
        tau2 = np.zeros(k)
    shares: dict[str, np.ndarray] = {ALL_GROUP: base}
    for g, p_hat in raw.items():
        v = var[g]
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(tau2 + v > 0, tau2 / (tau2 + v), 1.0)
        p = w * p_hat + (1 - w) * base
        rows = all_groups == g
        if rows.sum() >= MIN_CLOSED_DAYS:
            p = np.where(all_counts[rows].sum(axis=0) == 0, 0.0, p)
        shares[g] = _normalise(p)
    # Overdispersion of interval counts around share × day total (1 = Poisson).
    mu = np.vstack([shares.get(g, base) for g in groups]) * counts.sum(axis=1, keepdims=True)
    ok = mu > 0
    phi = float(np.mean((counts[ok] - mu[ok]) ** 2 / mu[ok])) if ok.any() else 1.0
    return IntervalProfile(normalize_freq(freq), shares, ndays, max(phi, 1.0))


def pad_to_whole_days(data: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Each series of a validated interval frame extended with zeros to whole local days.

    For ``fill="zero"`` input only, where the caller has said that absent periods were closed: an
    export with rows for open hours only (07:00-21:00) starts after midnight and ends before it,
    and its first and last days are whole days of a center that was closed outside those hours.
    """
    step = freq_offset(freq)
    out = []
    for sid, g in data.groupby(SERIES_ID, sort=True):
        first = pd.Timestamp(g[DS].iloc[0]).normalize()
        last = pd.Timestamp(g[DS].iloc[-1]).normalize() + pd.Timedelta(days=1) - step
        grid = pd.date_range(first, last, freq=step)
        s = g.set_index(DS)[Y].reindex(grid, fill_value=0.0)
        out.append(pd.DataFrame({SERIES_ID: sid, DS: grid, Y: s.to_numpy(dtype=float)}))
    return pd.concat(out, ignore_index=True) if out else data


def _full_days(g: pd.DataFrame, k: int) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """(dates, days × k matrix) of the complete days of one validated series."""
    ds = pd.DatetimeIndex(g[DS])
    y = g[Y].to_numpy(dtype=float)
    step = pd.Timedelta(days=1) / k
    first = ds[0].normalize()
    if ds[0] != first:
        first += pd.Timedelta(days=1)
    last_end = ds[-1] + step
    last = last_end.normalize()
    n_days = (last - first).days
    if n_days < 1:
        return pd.DatetimeIndex([]), np.zeros((0, k))
    i0 = int((first - ds[0]) / step)
    mat = y[i0 : i0 + n_days * k].reshape(n_days, k)
    return pd.date_range(first, periods=n_days, freq="D"), mat


def spread_daily(
    day: pd.DataFrame,
    profile: IntervalProfile,
    calendar: SpecialDayCalendar,
    freq: str,
    levels: Sequence[float] = (10, 90),
) -> pd.DataFrame:
    """Spread one series' daily forecast rows (``series_id, ds, yhat, yhat_lo, yhat_hi, model``)
    over intervals: yhat_i = share_i × yhat_day.

    Interval quantiles combine the day's uncertainty and interval noise in a normal approximation:
    sd_i² = (yhat_i·(hi−lo)/yhat_day ÷ (2·z_hi))² + φ·yhat_i, Q_L = yhat_i + z_L·sd_i, clipped at 0
    (φ = the profile's overdispersion; z_L the standard normal quantile of level L).
    """
    from scipy.stats import norm

    k = periods_per_day(freq)
    dates = pd.DatetimeIndex(day[DS])
    types = calendar.day_types(dates).to_numpy()
    shares = np.vstack(
        [profile.share(day_group(d, t)) for d, t in zip(dates.weekday, types, strict=True)]
    )
    d_hat = day[YHAT].to_numpy(dtype=float)[:, None]
    mu = shares * d_hat
    with np.errstate(divide="ignore", invalid="ignore"):
        r_lo = np.where(d_hat > 0, day[YHAT_LO].to_numpy(dtype=float)[:, None] / d_hat, 1.0)
        r_hi = np.where(d_hat > 0, day[YHAT_HI].to_numpy(dtype=float)[:, None] / d_hat, 1.0)
    levels = tuple(sorted(levels))
    z_hi = norm.ppf(levels[-1] / 100.0)
    sd = np.sqrt((mu * (r_hi - r_lo) / (2 * z_hi)) ** 2 + profile.overdispersion * mu)
    offsets = (np.arange(k) * (86400 // k)).astype("timedelta64[s]")
    ds = (dates.to_numpy()[:, None] + offsets[None, :]).ravel()
    out = pd.DataFrame(
        {SERIES_ID: np.repeat(day[SERIES_ID].to_numpy(), k), DS: ds, YHAT: mu.ravel()}
    )
    quant = {lv: np.clip(mu + norm.ppf(lv / 100.0) * sd, 0, None).ravel() for lv in levels}
    out[YHAT_LO] = np.minimum(quant[levels[0]], out[YHAT])
    out[YHAT_HI] = np.maximum(quant[levels[-1]], out[YHAT])
    for lv in levels[1:-1]:
        out[level_column(lv)] = quant[lv]
    out[MODEL] = np.repeat((day[MODEL].astype(str) + "+profile").to_numpy(), k)
    return out


class IntradayForecaster:
    """Forecast 15/30/60-minute series: a :class:`DailyForecaster` on day totals × profiles.

    ``predict(h)`` gives the next ``h`` intervals after each series' last timestamp. Other
    parameters go to the daily forecaster (``daily_model`` is its ``model``). ``profile_weeks``
    recent weeks feed the weekday profiles; holidays and eves use the whole history.
    """

    def __init__(
        self,
        freq: str = "30min",
        *,
        daily_model: str = "auto",
        holidays: str | None | Mapping[str, str | SpecialDayCalendar | None] = None,
        events: pd.DataFrame | None = None,
        levels: Sequence[float] = (10, 90),
        candidates: Sequence[str] = AUTO_CANDIDATES,
        profile_weeks: int = PROFILE_WEEKS,
        n_origins: int = 8,
        backtest_horizon: int = 56,
        fill: str = "error",
    ) -> None:
        self.freq = normalize_freq(freq)
        if self.freq == "D":
            raise ValidationError(
                "IntradayForecaster needs 15min, 30min or 60min; use DailyForecaster"
            )
        if profile_weeks < 1:
            raise ValidationError(f"profile_weeks must be >= 1, got {profile_weeks}")
        self.k = periods_per_day(self.freq)
        self.profile_weeks = profile_weeks
        self.fill = fill
        self.daily = DailyForecaster(
            daily_model,
            holidays=holidays,
            events=events,
            levels=levels,
            candidates=candidates,
            n_origins=n_origins,
            backtest_horizon=backtest_horizon,
        )

    def fit(self, df: pd.DataFrame) -> IntradayForecaster:
        """Fit daily models on day totals and interval profiles per series."""
        data = _validate(df, self.freq, fill=self.fill)  # type: ignore[arg-type]
        if self.fill == "zero":
            data = pad_to_whole_days(data, self.freq)
        daily_rows = []
        self.profiles_: dict[str, IntervalProfile] = {}
        self.last_ds_: dict[str, pd.Timestamp] = {}
        for sid, g in data.groupby(SERIES_ID, sort=True):
            sid = str(sid)
            dates, mat = _full_days(g, self.k)
            if len(dates) < 14:
                raise ForecastError(
                    f"series {sid!r} has {len(dates)} complete day(s); at least 14 are needed"
                )
            self.last_ds_[sid] = pd.Timestamp(g[DS].iloc[-1])
            daily_rows.append(pd.DataFrame({SERIES_ID: sid, DS: dates, Y: mat.sum(axis=1)}))
            self.profiles_[sid] = self._profile(sid, dates, mat)
        self.daily.fit(pd.concat(daily_rows, ignore_index=True))
        return self

    def _profile(self, sid: str, dates: pd.DatetimeIndex, mat: np.ndarray) -> IntervalProfile:
        cal = self.daily.calendar_for(sid)
        types = cal.day_types(dates).to_numpy()
        groups = np.array([day_group(d, t) for d, t in zip(dates.weekday, types, strict=True)])
        recent = np.arange(len(dates)) >= len(dates) - self.profile_weeks * 7
        ordinary = np.isin(groups, [str(i) for i in range(7)])
        older_special = ~recent & ~ordinary
        return build_profile(
            mat[recent],
            list(groups[recent]),
            self.freq,
            holiday_counts=mat[older_special] if older_special.any() else None,
            holiday_groups=list(groups[older_special]),
        )

    def predict(self, h: int) -> pd.DataFrame:
        """The next ``h`` intervals per series: ``series_id, ds, yhat, yhat_lo, yhat_hi, model``."""
        if not hasattr(self, "profiles_"):
            raise ForecastError("call fit(df) before predict(h)")
        if h < 1:
            raise ValidationError(f"horizon must be >= 1, got {h}")
        step = pd.Timedelta(days=1) / self.k
        frames = []
        for sid, prof in self.profiles_.items():
            fit = self.daily.fits_[sid]
            start = self.last_ds_[sid] + step
            n_days = int(
                np.ceil(
                    ((start + h * step) - (fit.end + pd.Timedelta(days=1))) / pd.Timedelta(days=1)
                )
            )
            frames.append(self._spread(sid, prof, max(n_days, 1), start, h))
        return pd.concat(frames, ignore_index=True)

    def _spread(
        self, sid: str, prof: IntervalProfile, n_days: int, start: pd.Timestamp, h: int
    ) -> pd.DataFrame:
        day = self.daily.predict_series(sid, n_days)
        cal = self.daily.calendar_for(sid)
        out = spread_daily(day, prof, cal, self.freq, self.daily.levels)
        return out[out[DS] >= start].head(h).reset_index(drop=True)

    def accuracy_inputs(self) -> dict[str, Any]:
        """Per-series profile facts (days per group, overdispersion), for reports."""
        return {
            sid: {"days": p.days, "overdispersion": round(p.overdispersion, 3)}
            for sid, p in getattr(self, "profiles_", {}).items()
        }


def backtest_intraday(
    df: pd.DataFrame,
    freq: str = "30min",
    *,
    horizon_days: int = 28,
    n_origins: int = 3,
    step_days: int = 28,
    daily_model: str = "ets",
    holidays: str | None | Mapping[str, str | SpecialDayCalendar | None] = None,
    events: pd.DataFrame | None = None,
    baselines: bool = True,
    inner_origins: int = 0,
) -> pd.DataFrame:
    """Rolling-origin backtest of the intraday forecaster (and interval-level baselines).

    Origins fall on day boundaries: the last leaves ``horizon_days`` complete days, earlier ones are
    ``step_days`` apart. ``snaive`` = the same interval one week earlier, ``weekday_mean`` = the
    mean of the same interval on the last 4 same weekdays. Returns ``series_id, model, origin, ds,
    h (days, 1-based), interval (time of day), y, yhat``. ``inner_origins`` is the daily model's
    own backtest (0 = none: faster; intervals then come from in-sample errors).
    """
    freq = normalize_freq(freq)
    data = _validate(df, freq)
    k = periods_per_day(freq)
    frames = []
    for sid, g in data.groupby(SERIES_ID, sort=True):
        dates, mat = _full_days(g, k)
        n = len(dates)
        origins = [n - horizon_days - i * step_days for i in range(n_origins)]
        origins = sorted(o for o in origins if o >= 56)
        offsets = (np.arange(k) * (86400 // k)).astype("timedelta64[s]")
        for o in origins:
            hist = mat[:o]
            test = mat[o : o + horizon_days]
            ds = (dates[o : o + horizon_days].to_numpy()[:, None] + offsets[None, :]).ravel()
            base = {
                SERIES_ID: sid,
                "origin": dates[o - 1],
                DS: ds,
                "h": np.repeat(np.arange(1, len(test) + 1), k),
                "interval": np.tile(np.arange(k), len(test)),
                Y: test.ravel(),
            }
            hist_long = pd.DataFrame(
                {
                    SERIES_ID: sid,
                    DS: (dates[:o].to_numpy()[:, None] + offsets[None, :]).ravel(),
                    Y: hist.ravel(),
                }
            )
            f = IntradayForecaster(
                freq, daily_model=daily_model, holidays=holidays, events=events,
                n_origins=inner_origins,
            ).fit(hist_long)  # fmt: skip
            pred = f.predict(len(test) * k)
            frames.append(
                pd.DataFrame({**base, MODEL: pred[MODEL].iloc[0], YHAT: pred[YHAT].to_numpy()})
            )
            if baselines:
                last_week = hist[-7:]
                sn = np.vstack([last_week[i % 7] for i in range(len(test))])
                four = hist[-28:].reshape(4, 7, k).mean(axis=0)
                wm = np.vstack([four[i % 7] for i in range(len(test))])
                frames.append(pd.DataFrame({**base, MODEL: "snaive", YHAT: sn.ravel()}))
                frames.append(pd.DataFrame({**base, MODEL: "weekday_mean", YHAT: wm.ravel()}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
