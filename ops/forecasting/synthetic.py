"""Seeded synthetic contact volumes for tests and benchmarks, with known structure.

Daily volume = level × weekly pattern × yearly pattern × special-day effect × noise, with Korean
holidays (Seollal and Chuseok with surges before and rebounds after), optional closed weekdays,
and Poisson counts. Intraday volume spreads each day over intervals with a weekday-specific
profile (a lunchtime dip, an evening tail) and Poisson noise. Because the structure is known, the
benchmark can say whether a model recovers it, independently of the demo simulator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ops.forecasting.frame import DS, SERIES_ID, Y, periods_per_day
from ops.forecasting.specialdays import SpecialDayCalendar

# Multipliers by day type (what the synthetic world does around holidays).
SYNTHETIC_EFFECTS = {
    "holiday": 0.35,
    "pre_holiday": 1.15,
    "post_holiday": 1.35,
    "seollal": 0.25,
    "chuseok": 0.25,
    "lunar_pre": 1.3,
    "lunar_post": 1.6,
}
WEEKLY = np.array([1.25, 1.1, 1.05, 1.0, 0.95, 0.55, 0.45])  # Mon..Sun


def _effect(day_type: str | None) -> float:
    from ops.forecasting.specialdays import ancestry

    if not day_type:
        return 1.0
    for node in ancestry(day_type):
        if node in SYNTHETIC_EFFECTS:
            return SYNTHETIC_EFFECTS[node]
    return 1.0


def synthetic_daily(
    n_series: int = 5,
    days: int = 730,
    end: date = date(2026, 10, 31),
    *,
    seed: int = 0,
    country: str | None = "KR",
    noise: float = 0.06,
    closed_sundays: int = 0,
) -> pd.DataFrame:
    """Long frame ``series_id, ds, y`` of ``n_series`` daily series ending on ``end``.

    Series ``i`` has level 80·2^(i mod 6) contacts/day, a slow trend, a yearly cycle peaking in
    December, the weekly pattern :data:`WEEKLY` (sharpened per series), the special-day effects
    :data:`SYNTHETIC_EFFECTS`, lognormal day noise ``noise`` and Poisson counts. The first
    ``closed_sundays`` series are closed on Sundays (0).
    """
    rng = np.random.default_rng(seed)
    dates = pd.date_range(end=pd.Timestamp(end), periods=days, freq="D")
    types = SpecialDayCalendar(country).day_types(dates).to_numpy()
    special = np.array([_effect(t) for t in types])
    t = np.arange(days)
    doy = dates.dayofyear.to_numpy()
    frames = []
    for i in range(n_series):
        level = 80.0 * 2 ** (i % 6) * rng.uniform(0.8, 1.2)
        sharp = rng.uniform(0.7, 1.3)
        weekly = WEEKLY[dates.weekday] ** sharp
        yearly = 1 + rng.uniform(0.1, 0.25) * np.cos(2 * np.pi * (doy - 350) / 365.25)
        trend = 1 + rng.uniform(-0.15, 0.25) * t / days
        mu = level * weekly * yearly * trend * special * rng.lognormal(0, noise, days)
        if i < closed_sundays:
            mu[dates.weekday == 6] = 0.0
        frames.append(pd.DataFrame({SERIES_ID: f"S{i:02d}", DS: dates, Y: rng.poisson(mu)}))
    out = pd.concat(frames, ignore_index=True)
    out[Y] = out[Y].astype(float)
    return out


def intraday_profile(
    freq: str, weekday: int, *, open_hours: tuple[int, int] = (0, 24)
) -> np.ndarray:
    """A share-per-interval profile summing to 1: morning ramp, lunch dip, evening tail."""
    k = periods_per_day(freq)
    hours = (np.arange(k) + 0.5) * 24 / k
    shape = (
        np.exp(-0.5 * ((hours - 10.5) / 2.0) ** 2)
        + 0.8 * np.exp(-0.5 * ((hours - 15.0) / 2.5) ** 2)
        + 0.25 * np.exp(-0.5 * ((hours - 20.5) / 2.0) ** 2)
        + 0.02
    )
    if weekday >= 5:  # weekends start later
        shape = np.roll(shape, int(round(k / 24)))
    lo, hi = open_hours
    shape[(hours < lo) | (hours >= hi)] = 0.0
    return shape / shape.sum()


def synthetic_intraday(
    n_series: int = 3,
    days: int = 365,
    end: date = date(2026, 10, 31),
    *,
    freq: str = "30min",
    seed: int = 0,
    country: str | None = "KR",
    open_hours: tuple[int, int] = (0, 24),
) -> pd.DataFrame:
    """Long frame of interval counts: :func:`synthetic_daily` days spread by weekday profiles."""
    daily = synthetic_daily(n_series, days, end, seed=seed, country=country)
    rng = np.random.default_rng(seed + 1)
    k = periods_per_day(freq)
    frames = []
    for sid, g in daily.groupby(SERIES_ID):
        dates = pd.DatetimeIndex(g[DS])
        prof = np.vstack([intraday_profile(freq, d, open_hours=open_hours) for d in range(7)])
        shares = prof[dates.weekday]  # days x k
        mu = g[Y].to_numpy()[:, None] * shares
        counts = rng.poisson(mu).astype(float).ravel()
        ds = (
            dates.to_numpy()[:, None]
            + (np.arange(k) * (86400 // k)).astype("timedelta64[s]")[None, :]
        ).ravel()
        frames.append(pd.DataFrame({SERIES_ID: sid, DS: ds, Y: counts}))
    return pd.concat(frames, ignore_index=True)


# A contact-center week, Monday first: busy Monday, quiet weekend (hand-made test series).
TEST_WEEK = np.array([120.0, 110.0, 100.0, 95.0, 90.0, 50.0, 30.0])


def weekly_frame(
    weeks: int = 20,
    start: str = "2025-01-06",  # a Monday
    pattern: np.ndarray = TEST_WEEK,
    series_id: str = "Q1",
) -> pd.DataFrame:
    """A noise-free series repeating ``pattern`` every week from ``start`` (tests, docs)."""
    ds = pd.date_range(start, periods=weeks * 7, freq="D")
    return pd.DataFrame({SERIES_ID: series_id, DS: ds, Y: np.tile(pattern, weeks).astype(float)})


# ---------------------------------------------------------------------------------------------
# Centers of the shapes real ones have (benchmark and tests of the closure logic)
POST_CLOSURE_REBOUND = (1.25, 1.10, 1.05)  # the first three open days after a closure


@dataclass(frozen=True)
class CenterShape:
    """How a generated center opens: weekdays open (0 = Monday), the holiday country and which of
    its holidays close it (a name fragment; all holidays when ``closes_on`` is None), the volume
    left on holidays it stays open (``open_holiday_factor``), and a level shift (``shift``, the
    multiplier from ``shift_weeks`` before the end)."""

    name: str
    open_weekdays: tuple[int, ...]
    country: str | None
    weekly: tuple[float, ...]
    level: float
    closes_on: tuple[str, ...] | None = None
    open_holiday_factor: float = 0.9
    shift: float = 1.0
    shift_weeks: int = 10


CENTER_SHAPES: dict[str, CenterShape] = {
    s.name: s
    for s in (
        # a US weekday-only center closed on the big federal holidays, open on the others
        CenterShape(
            "weekday_only_us", (0, 1, 2, 3, 4), "US", (1.18, 1.02, 0.97, 0.97, 1.0, 0, 0), 3000,
            closes_on=("New Year", "Memorial", "Independence", "Labor", "Thanksgiving",
                       "Christmas"),
        ),
        # an Israeli Sun-Thu center (Fri/Sat weekend), closed on every public holiday
        CenterShape("fri_sat_weekend_il", (6, 0, 1, 2, 3), "IL", (1.0, 0.95, 0.95, 0.9, 0, 0, 1.2), 1800),
        # a Philippine 24/7 operation: open on holidays at 60 % of a normal day
        CenterShape(
            "24x7_ph", (0, 1, 2, 3, 4, 5, 6), "PH", (1.1, 1.05, 1.0, 1.0, 1.0, 0.8, 0.7), 900,
            closes_on=(), open_holiday_factor=0.6,
        ),
        # a Korean Mon-Sat center closed on Sundays and public holidays (Seollal, Chuseok ...)
        CenterShape("six_day_kr", (0, 1, 2, 3, 4, 5), "KR", (1.2, 1.05, 1.0, 1.0, 1.0, 0.5, 0), 1200),
        # a US weekday-only center whose volume rose 40 % ten weeks ago (a new product line)
        CenterShape(
            "level_shift_us", (0, 1, 2, 3, 4), "US", (1.15, 1.0, 1.0, 1.0, 0.95, 0, 0), 2000,
            closes_on=("New Year", "Memorial", "Independence", "Labor", "Thanksgiving",
                       "Christmas"),
            shift=1.4,
        ),
    )
}  # fmt: skip


def center_daily(
    shape: str | CenterShape,
    days: int = 548,
    end: date = date(2026, 10, 30),
    *,
    seed: int = 0,
    noise: float = 0.05,
) -> pd.DataFrame:
    """Long frame ``series_id, ds, y`` of one center of ``shape`` (see :data:`CENTER_SHAPES`).

    Volume = level × weekly × yearly cycle × (0 on closed weekdays and on the holidays the center
    closes on; ``open_holiday_factor`` on the others) × :data:`POST_CLOSURE_REBOUND` on the first
    three open days after a holiday closure × lognormal noise, Poisson counts.
    """
    from ops.calendar import country_holidays

    s = CENTER_SHAPES[shape] if isinstance(shape, str) else shape
    rng = np.random.default_rng(seed)
    dates = pd.date_range(end=pd.Timestamp(end), periods=days, freq="D")
    names = (
        country_holidays(s.country, range(dates[0].year, dates[-1].year + 1), language="en_US")
        if s.country
        else {}
    )
    weekly = np.asarray(s.weekly, dtype=float)[dates.weekday]
    is_open = np.isin(dates.weekday, s.open_weekdays)
    factor = np.ones(days)
    closed_day = np.zeros(days, dtype=bool)
    for i, d in enumerate(dates.date):
        n = names.get(d)
        if n is None or not is_open[i]:
            continue
        closes = s.closes_on is None or any(k in n for k in s.closes_on)
        if closes:
            closed_day[i] = True
        else:
            factor[i] = s.open_holiday_factor
    since = None
    for i in range(days):
        if closed_day[i]:
            since = 0
        elif is_open[i] and since is not None:
            if since < len(POST_CLOSURE_REBOUND):
                factor[i] *= POST_CLOSURE_REBOUND[since]
                since += 1
            else:
                since = None
    doy = dates.dayofyear.to_numpy()
    yearly = 1 + 0.08 * np.cos(2 * np.pi * (doy - 20) / 365.25)
    shift = np.where(np.arange(days) >= days - 7 * s.shift_weeks, s.shift, 1.0)
    mu = s.level * weekly * yearly * shift * factor * rng.lognormal(0, noise, days)
    mu[~is_open | closed_day] = 0.0
    y = rng.poisson(mu).astype(float)
    return pd.DataFrame({SERIES_ID: s.name, DS: dates, Y: y})
