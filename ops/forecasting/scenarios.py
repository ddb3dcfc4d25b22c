"""What-if scenarios on a forecast: an uplift for a date range, or last year's peak copied over.

Planners override forecasts for things no history shows (a new campaign, a product launch) and
for peaks they trust last year's shape more than a model (the Chuseok week). Both are explicit
transformations of a forecast frame that mark the rows they touched in a ``scenario`` column, so a
stored or displayed forecast says where it is not the model's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from ops.errors import ValidationError
from ops.forecasting.frame import DS, SERIES_ID, YHAT, Y
from ops.forecasting.specialdays import SpecialDayCalendar

SCENARIO = "scenario"
LUNAR = ("seollal", "chuseok")


def _value_columns(fc: pd.DataFrame) -> list[str]:
    return [c for c in fc.columns if c.startswith(YHAT)]


def _series_mask(fc: pd.DataFrame, series: Sequence[str] | None) -> pd.Series:
    if series is None:
        return pd.Series(True, index=fc.index)
    return fc[SERIES_ID].isin(list(series))


def apply_uplift(
    forecast: pd.DataFrame,
    pct: float,
    start: date | str,
    end: date | str,
    *,
    series: Sequence[str] | None = None,
    label: str | None = None,
) -> pd.DataFrame:
    """Multiply yhat (and its quantile columns) by (1 + pct/100) on dates start..end inclusive.

    Works for daily and intraday frames (the date of ``ds`` decides). ``series`` limits it to some
    series. Returns a copy with a ``scenario`` column naming the change on the rows it touched.
    """
    if pct <= -100:
        raise ValidationError(f"uplift must be > -100 %, got {pct}")
    lo, hi = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if hi < lo:
        raise ValidationError(f"end {hi.date()} is before start {lo.date()}")
    out = forecast.copy()
    if SCENARIO not in out:
        out[SCENARIO] = None
    day = pd.to_datetime(out[DS]).dt.normalize()
    hit = (day >= lo) & (day <= hi) & _series_mask(out, series)
    factor = 1.0 + pct / 100.0
    for c in _value_columns(out):
        out.loc[hit, c] = out.loc[hit, c] * factor
    out.loc[hit, SCENARIO] = label or f"uplift {pct:+g}% {lo.date()}..{hi.date()}"
    return out


def lunar_main_day(holiday: str, year: int, country: str = "KR") -> date:
    """The main day of ``seollal`` or ``chuseok`` in ``year`` (from the holiday calendar)."""
    if holiday not in LUNAR:
        raise ValidationError(f"holiday must be one of {', '.join(LUNAR)}, got {holiday!r}")
    cal = SpecialDayCalendar(country)
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    types = cal.day_types(days)
    hit = types[types == f"{holiday}:0"]
    if hit.empty:
        raise ValidationError(f"no {holiday} in {year} in the {country} calendar")
    return hit.index[0].date()


def copy_last_year_peak(
    forecast: pd.DataFrame,
    history: pd.DataFrame,
    *,
    holiday: str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    window: tuple[int, int] = (-7, 7),
    country: str = "KR",
    series: Sequence[str] | None = None,
    level_days: int = 28,
) -> pd.DataFrame:
    """Replace a daily forecast's peak with last year's actuals, aligned and scaled.

    Alignment: with ``holiday`` (``seollal``/``chuseok``) the main day last year maps to the main
    day in the forecast (a lunar date moves 10-20 days between years), for offsets ``window``
    (days); with ``start``/``end`` the same weekday 364 days earlier maps to each date.
    Scaling: yhat = y_last_year × (mean of the last ``level_days`` days of history ÷ mean of the
    same days one alignment-shift earlier), i.e. last year's peak at this year's level. Interval
    columns keep their ratio to yhat. ``history`` is the daily long frame ``series_id, ds, y``.
    """
    out = forecast.copy()
    if SCENARIO not in out:
        out[SCENARIO] = None
    ds = pd.to_datetime(out[DS])
    hist = history.assign(**{DS: pd.to_datetime(history[DS])})
    if holiday is not None:
        years = sorted(set(ds.dt.year))
        target_main = None
        for y in years:
            d = pd.Timestamp(lunar_main_day(holiday, y, country))
            if (
                ds.min() <= d + pd.Timedelta(days=window[1])
                and d + pd.Timedelta(days=window[0]) <= ds.max()
            ):
                target_main = d
                break
        if target_main is None:
            raise ValidationError(
                f"the forecast ({ds.min().date()}..{ds.max().date()}) has no {holiday}"
            )
        source_main = pd.Timestamp(lunar_main_day(holiday, target_main.year - 1, country))
        shift = target_main - source_main
        lo = target_main + pd.Timedelta(days=window[0])
        hi = target_main + pd.Timedelta(days=window[1])
        label = f"{holiday} {source_main.year} copied ({window[0]:+d}..{window[1]:+d} days)"
    else:
        if start is None or end is None:
            raise ValidationError("give a holiday (seollal, chuseok) or a start and end date")
        lo, hi = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
        shift = pd.Timedelta(days=364)
        label = f"last year's {lo.date()}..{hi.date()} copied (same weekday)"
    mask = (ds >= lo) & (ds <= hi) & _series_mask(out, series)
    for sid, idx in out[mask].groupby(SERIES_ID).groups.items():
        h = hist[hist[SERIES_ID] == sid].set_index(DS)[Y]
        if h.empty:
            continue
        last = h.index.max()
        recent = h[h.index > last - pd.Timedelta(days=level_days)]
        before = h[
            (h.index > last - shift - pd.Timedelta(days=level_days)) & (h.index <= last - shift)
        ]
        ratio = recent.mean() / before.mean() if len(before) and before.mean() > 0 else 1.0
        src = h.reindex(pd.DatetimeIndex(ds[idx]) - shift)
        if src.isna().all():
            continue
        new = src.to_numpy(dtype=float) * ratio
        old = out.loc[idx, YHAT].to_numpy(dtype=float)
        ok = ~np.isnan(new)
        rows = np.asarray(idx)[ok]
        for c in _value_columns(out):
            if c == YHAT:
                continue
            rel = np.where(
                old[ok] > 0,
                out.loc[rows, c].to_numpy(dtype=float) / np.where(old[ok] > 0, old[ok], 1),
                1.0,
            )
            out.loc[rows, c] = new[ok] * rel
        out.loc[rows, YHAT] = new[ok]
        out.loc[rows, SCENARIO] = label
    return out
