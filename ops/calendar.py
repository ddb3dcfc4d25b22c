"""Business hours and holidays per center, and time measured in them.

Asynchronous channels (email, tickets, KakaoTalk) are promised "a reply within 16 business hours",
so first-response and resolution times are measured on the center's business calendar: weekly
opening hours (several ranges per day = split shifts), public holidays of a country (Korean lunar
Seollal and Chuseok and their substitute days come from the ``holidays`` package) and extra closed
dates, in the center's own timezone.

Everything here is vectorised over numpy arrays of naive-UTC timestamps. The trick: build, for the
days the data spans, the cumulative open seconds at each local midnight; then the open time up to any
instant is ``cum[day] + open seconds of that day before the local time-of-day`` (a clip over the
day's few ranges), and business seconds between two instants is the difference. No per-row Python.

``centers.calendar_json`` format::

    {"timezone": "Asia/Seoul",
     "weekly": {"mon": [["09:00","18:00"]], ..., "sat": [], "sun": []},
     "holidays": "KR", "closed_dates": ["2026-12-31"]}

Days missing from ``weekly`` are closed; "24:00" is allowed as an end; ``"holidays": null`` = none.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from ops.errors import ConfigError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_S = 86_400


def _parse_hhmm(value: str) -> int:
    """'09:30' -> 34200 seconds after midnight; '24:00' is the end of the day."""
    try:
        hh, mm = value.strip().split(":")
        h, m = int(hh), int(mm)
    except (ValueError, AttributeError) as e:
        raise ValueError(f"time must be 'HH:MM', got {value!r}") from e
    if not (0 <= m < 60 and (0 <= h < 24 or (h == 24 and m == 0))):
        raise ValueError(f"time must be between 00:00 and 24:00, got {value!r}")
    return h * 3600 + m * 60


class BusinessCalendar(BaseModel):
    """A center's business calendar (see the module docstring for the JSON format)."""

    timezone: str = "Asia/Seoul"
    weekly: dict[str, list[tuple[str, str]]] = Field(default_factory=dict)
    holidays: str | None = None
    closed_dates: list[date] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _check_tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"timezone must be an IANA name like 'Asia/Seoul', got {v!r}") from e
        return v

    @field_validator("weekly")
    @classmethod
    def _check_weekly(cls, v: dict[str, list[tuple[str, str]]]) -> dict[str, list[tuple[str, str]]]:
        for day, ranges in v.items():
            if day not in WEEKDAYS:
                raise ValueError(f"weekday must be one of {', '.join(WEEKDAYS)}, got {day!r}")
            spans = sorted((_parse_hhmm(a), _parse_hhmm(b)) for a, b in ranges)
            for a, b in spans:
                if b <= a:
                    raise ValueError(f"{day}: a range must end after it starts, got {a}..{b} s")
            for (_, b1), (a2, _) in zip(spans, spans[1:], strict=False):
                if a2 < b1:
                    raise ValueError(f"{day}: opening ranges overlap")
        return v

    @field_validator("holidays")
    @classmethod
    def _check_holidays(cls, v: str | None) -> str | None:
        if v is None:
            return v
        try:
            country, subdiv = parse_holiday_spec(v)
        except ValueError as e:
            raise ValueError(str(e)) from None
        return country if subdiv is None else f"{country}-{subdiv}"

    @model_validator(mode="after")
    def _sorted_dates(self) -> BusinessCalendar:
        self.closed_dates = sorted(set(self.closed_dates))
        return self

    # --- constructors -------------------------------------------------------------------
    @classmethod
    def always_open(cls, timezone: str = "Asia/Seoul") -> BusinessCalendar:
        """24 x 7, no holidays: business time equals calendar time."""
        return cls(timezone=timezone, weekly={d: [("00:00", "24:00")] for d in WEEKDAYS})

    @classmethod
    def from_json(
        cls,
        text: str | dict[str, Any] | None,
        *,
        default_timezone: str = "Asia/Seoul",
        where: str = "",
    ) -> BusinessCalendar:
        """Parse ``centers.calendar_json``; an empty value means always open in the default zone."""
        if text is None or (isinstance(text, str) and not text.strip()):
            return cls.always_open(default_timezone)
        try:
            data = json.loads(text) if isinstance(text, str) else dict(text)
            data.setdefault("timezone", default_timezone)
            return cls.model_validate(data)
        except (json.JSONDecodeError, ValidationError) as e:
            raise ConfigError(
                f"Invalid business calendar{' of ' + where if where else ''}: {e}"
            ) from e

    # --- day tables -----------------------------------------------------------------------
    def _weekday_ranges(self) -> np.ndarray:
        """(7, K, 2) opening ranges in seconds after local midnight; closed slots are (0, 0)."""
        k = max([len(self.weekly.get(d, [])) for d in WEEKDAYS] + [1])
        out = np.zeros((7, k, 2), dtype=np.float64)
        for i, d in enumerate(WEEKDAYS):
            spans = sorted((_parse_hhmm(a), _parse_hhmm(b)) for a, b in self.weekly.get(d, []))
            for j, (a, b) in enumerate(spans):
                out[i, j] = (a, b)
        return out

    def closed_days(self, first: date, last: date) -> set[date]:
        """Holidays and extra closed dates between ``first`` and ``last`` (inclusive)."""
        out = {d for d in self.closed_dates if first <= d <= last}
        if self.holidays:
            out |= {
                d
                for d in _holiday_dates(self.holidays, first.year, last.year)
                if first <= d <= last
            }
        return out

    def is_business_day(self, day: date) -> bool:
        """Open at some time on ``day`` (a weekday with hours and not a holiday/closed date)."""
        return bool(self.weekly.get(WEEKDAYS[day.weekday()])) and not self.closed_days(day, day)


def parse_holiday_spec(spec: str) -> tuple[str, str | None]:
    """``(country, subdivision)`` of a holiday calendar spec: ``KR``, ``US``, ``US-CA``, ``DE-BY``
    or ``US:CA`` (any country and subdivision the ``holidays`` package knows; case-insensitive).

    Raises ValueError with the accepted values when the country or subdivision is unknown.
    """
    import holidays as hol

    text = str(spec).strip()
    parts = re.split(r"[-:/]", text, maxsplit=1)
    country = parts[0].upper()
    subdiv = parts[1].strip() if len(parts) > 1 and parts[1].strip() else None
    supported = hol.list_supported_countries()
    if country not in supported:
        raise ValueError(
            f"holidays must be a country code known to `holidays` (e.g. KR, US, JP, PH, IL, DE), "
            f"optionally with a subdivision (US-CA), got {spec!r}"
        )
    if subdiv is not None:
        known = {str(s).upper(): str(s) for s in supported[country]}
        if subdiv.upper() not in known:
            shown = ", ".join(sorted(known.values())[:12]) or "none"
            raise ValueError(
                f"holidays subdivision {subdiv!r} is not one `holidays` knows for {country} "
                f"(known: {shown}{', ...' if len(known) > 12 else ''}), got {spec!r}"
            )
        subdiv = known[subdiv.upper()]
    return country, subdiv


def country_holidays(spec: str, years: Any, *, language: str | None = None) -> dict[date, str]:
    """Public holidays ``{date: name}`` of a spec (see :func:`parse_holiday_spec`) in ``years``;
    ``language`` (e.g. ``en_US``) where the country offers it, else its default names."""
    import holidays as hol

    country, subdiv = parse_holiday_spec(spec)
    try:
        cal = hol.country_holidays(country, subdiv=subdiv, years=years, language=language)
    except (NotImplementedError, KeyError):  # the country has no such language
        cal = hol.country_holidays(country, subdiv=subdiv, years=years)
    return {d: str(n) for d, n in cal.items()}


@lru_cache(maxsize=64)
def _holiday_dates(country: str, first_year: int, last_year: int) -> frozenset[date]:
    return frozenset(country_holidays(country, range(first_year, last_year + 1)))


@dataclass
class _DayTable:
    """Per local day from ``base``: opening ranges and cumulative open seconds at midnight."""

    base: np.datetime64  # datetime64[D]
    ranges: np.ndarray  # (n, K, 2) seconds after midnight, zeros when closed
    cum: np.ndarray  # (n + 1,) open seconds before each day's midnight

    @property
    def n(self) -> int:
        return len(self.ranges)


def _day_table(cal: BusinessCalendar, first: date, last: date) -> _DayTable:
    days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
    # numpy: 1970-01-01 was a Thursday (weekday 3 with Monday = 0)
    weekday = (days.astype(np.int64) + 3) % 7
    ranges = cal._weekday_ranges()[weekday].copy()
    closed = cal.closed_days(first, last)
    if closed:
        mask = np.isin(days, np.array(sorted(closed), dtype="datetime64[D]"))
        ranges[mask] = 0.0
    open_s = (ranges[:, :, 1] - ranges[:, :, 0]).sum(axis=1)
    cum = np.concatenate([[0.0], np.cumsum(open_s)])
    return _DayTable(days[0], ranges, cum)


def _to_local(utc: np.ndarray, tz: str) -> np.ndarray:
    """Naive UTC datetime64 -> naive local datetime64[ns] (vectorised)."""
    idx = pd.DatetimeIndex(np.asarray(utc, dtype="datetime64[ns]"))
    if tz == "UTC":
        return idx.values
    return idx.tz_localize("UTC").tz_convert(tz).tz_localize(None).values


def _to_utc(local: np.ndarray, tz: str) -> np.ndarray:
    idx = pd.DatetimeIndex(np.asarray(local, dtype="datetime64[ns]"))
    if tz == "UTC":
        return idx.values
    amb = np.zeros(len(idx), dtype=bool)
    return (
        idx.tz_localize(tz, ambiguous=amb, nonexistent="shift_forward")
        .tz_convert("UTC")
        .tz_localize(None)
        .values
    )


def _open_before(table: _DayTable, local: np.ndarray) -> np.ndarray:
    """Open seconds from ``table.base`` midnight up to each local instant (NaT -> NaN)."""
    nat = np.isnat(local)
    day = local.astype("datetime64[D]")
    idx = (day - table.base).astype(np.int64)
    idx = np.where(nat, 0, idx)
    sod = (local - day).astype("timedelta64[ns]").astype(np.int64) / 1e9
    r = table.ranges[idx]  # (n_rows, K, 2)
    within = np.clip(sod[:, None] - r[:, :, 0], 0.0, r[:, :, 1] - r[:, :, 0]).sum(axis=1)
    out = table.cum[idx] + within
    out[nat] = np.nan
    return out


def _span(*arrays: np.ndarray, pad_days: int = 0) -> tuple[date, date] | None:
    vals = np.concatenate([a[~np.isnat(a)] for a in arrays])
    if len(vals) == 0:
        return None
    lo = pd.Timestamp(vals.min()).date() - timedelta(days=1)
    hi = pd.Timestamp(vals.max()).date() + timedelta(days=1 + pad_days)
    return lo, hi


def business_seconds(start_utc: Any, end_utc: Any, calendar: BusinessCalendar) -> np.ndarray:
    """Open (business) seconds between each pair of naive-UTC instants, as float64.

    Formula: ``B(end) - B(start)`` where ``B(t)`` is the open seconds of the calendar up to ``t``
    (local time in ``calendar.timezone``, weekly ranges, holidays and closed dates removed).
    NaT in either input gives NaN; an end before its start gives a negative value.
    """
    s = np.atleast_1d(np.asarray(start_utc, dtype="datetime64[ns]"))
    e = np.atleast_1d(np.asarray(end_utc, dtype="datetime64[ns]"))
    if s.shape != e.shape:
        raise ValueError(f"start and end must have the same length, got {s.shape} and {e.shape}")
    sl, el = _to_local(s, calendar.timezone), _to_local(e, calendar.timezone)
    span = _span(sl, el)
    if span is None:
        return np.full(s.shape, np.nan)
    table = _day_table(calendar, *span)
    return _open_before(table, el) - _open_before(table, sl)


def _locate(table: _DayTable, target: np.ndarray, *, latest: bool) -> np.ndarray:
    """Local instants where the open-seconds count reaches ``target``.

    ``latest=False``: the earliest instant with B(t) >= target (a deadline lands at a closing time
    rather than the next opening). ``latest=True``: the latest instant with B(t) <= target.
    """
    if latest:
        d = np.searchsorted(table.cum[:-1], target, side="right") - 1
    else:
        d = np.searchsorted(table.cum[1:], target, side="left")
    d = np.clip(d, 0, table.n - 1)
    rem = target - table.cum[d]
    r = table.ranges[d]  # (n, K, 2)
    length = r[:, :, 1] - r[:, :, 0]
    before = np.cumsum(length, axis=1) - length
    if latest:
        ok = (before <= rem[:, None]) & (length > 0)
        k = np.where(ok.any(axis=1), ok.shape[1] - 1 - np.argmax(ok[:, ::-1], axis=1), 0)
    else:
        ok = (before + length >= rem[:, None]) & (length > 0)
        k = np.where(ok.any(axis=1), np.argmax(ok, axis=1), 0)
    rows = np.arange(len(d))
    sod = r[rows, k, 0] + np.clip(rem - before[rows, k], 0.0, length[rows, k])
    closed = length.sum(axis=1) == 0
    sod = np.where(closed, DAY_S if latest else 0.0, sod)
    day = table.base + d.astype("timedelta64[D]")
    return day.astype("datetime64[ns]") + (sod * 1e9).astype("timedelta64[ns]")


def _shift_business(
    start_utc: Any, seconds: Any, calendar: BusinessCalendar, sign: int
) -> np.ndarray:
    s = np.atleast_1d(np.asarray(start_utc, dtype="datetime64[ns]"))
    secs = np.broadcast_to(np.asarray(seconds, dtype=np.float64), s.shape).copy()
    if np.any(secs[~np.isnan(secs)] < 0):
        raise ValueError("business seconds to add or subtract must be >= 0")
    sl = _to_local(s, calendar.timezone)
    out = np.full(s.shape, np.datetime64("NaT"), dtype="datetime64[ns]")
    ok = ~np.isnat(sl) & ~np.isnan(secs)
    if not ok.any():
        return out
    weekly_open = float(
        (calendar._weekday_ranges()[:, :, 1] - calendar._weekday_ranges()[:, :, 0]).sum()
    )
    if weekly_open <= 0:
        raise ConfigError("The business calendar has no opening hours; a deadline never arrives.")
    # enough days to cover the largest shift, plus holidays (generous: 3x the open-week estimate)
    pad = int(np.ceil(np.nanmax(secs[ok]) / weekly_open * 7 * 3)) + 14
    first = pd.Timestamp(sl[ok].min()).date() - timedelta(days=1 + (pad if sign < 0 else 0))
    last = pd.Timestamp(sl[ok].max()).date() + timedelta(days=1 + (pad if sign > 0 else 0))
    table = _day_table(calendar, first, last)
    target = _open_before(table, sl[ok]) + sign * secs[ok]
    local = _locate(table, target, latest=sign < 0)
    if sign > 0:
        # zero seconds: the start itself, even when it lies in closed time
        local = np.where(secs[ok] == 0, sl[ok], local)
    out[ok] = _to_utc(local, calendar.timezone)
    return out


def add_business_seconds(start_utc: Any, seconds: Any, calendar: BusinessCalendar) -> np.ndarray:
    """Deadline: the earliest naive-UTC instant ``t`` with ``business_seconds(start, t) >= seconds``.

    A deadline that is reached exactly at a closing time is that closing time (16 business hours
    from Monday 09:00 under 09:00-18:00 is Tuesday 16:00; 9 h is Monday 18:00, not Tuesday 09:00).
    """
    return _shift_business(start_utc, seconds, calendar, +1)


def subtract_business_seconds(end_utc: Any, seconds: Any, calendar: BusinessCalendar) -> np.ndarray:
    """The latest naive-UTC instant ``t`` with ``business_seconds(t, end) >= seconds``.

    Used for "deadline passed" checks: a contact created at or before
    ``subtract_business_seconds(as_of, N h)`` has had at least N business hours by ``as_of``.
    """
    return _shift_business(end_utc, seconds, calendar, -1)


def center_calendars(centers: pd.DataFrame) -> dict[str, BusinessCalendar]:
    """``{center_id: BusinessCalendar}`` from a ``centers`` frame (calendar_json, timezone)."""
    out: dict[str, BusinessCalendar] = {}
    for row in centers.itertuples(index=False):
        tz = getattr(row, "timezone", None) or "Asia/Seoul"
        out[str(row.center_id)] = BusinessCalendar.from_json(
            getattr(row, "calendar_json", None),
            default_timezone=tz,
            where=f"center {row.center_id}",
        )
    return out


def derive_business_columns(
    contacts: pd.DataFrame, calendars: dict[str, BusinessCalendar]
) -> pd.DataFrame:
    """Fill ``first_response_business_s`` and ``resolution_business_s`` for a contacts frame.

    For importers and the simulator: business seconds from ``created_at`` to ``answered_at`` and to
    ``resolved_at`` on each row's center calendar (vectorised per center). Returns a copy.
    """
    out = contacts.copy()
    frb = np.full(len(out), np.nan)
    rb = np.full(len(out), np.nan)
    centers = out["center_id"].to_numpy()
    created = out["created_at"].to_numpy(dtype="datetime64[ns]")
    answered = (
        out["answered_at"].to_numpy(dtype="datetime64[ns]")
        if "answered_at" in out
        else np.full(len(out), np.datetime64("NaT"), dtype="datetime64[ns]")
    )
    resolved = (
        out["resolved_at"].to_numpy(dtype="datetime64[ns]")
        if "resolved_at" in out
        else np.full(len(out), np.datetime64("NaT"), dtype="datetime64[ns]")
    )
    for center_id in pd.unique(centers):
        cal = calendars.get(center_id)
        if cal is None:
            raise ConfigError(f"No business calendar for center {center_id!r}")
        m = centers == center_id
        frb[m] = business_seconds(created[m], answered[m], cal)
        rb[m] = business_seconds(created[m], resolved[m], cal)
    out["first_response_business_s"] = frb
    out["resolution_business_s"] = rb
    return out


# --- calendar periods (weeks from Monday, months), shared by VOC trends and SLA what-ifs ------
Period = Literal["week", "month"]


def period_floor(d: date, period: Period) -> date:
    if period == "week":
        return d - timedelta(days=d.weekday())
    if period == "month":
        return d.replace(day=1)
    raise ConfigError(f"period must be week or month, got {period!r}")


def period_shift(d: date, period: Period, n: int) -> date:
    """The start of the period ``n`` periods after the one starting at ``d`` (n may be < 0)."""
    if period == "week":
        return d + timedelta(days=7 * n)
    m = d.year * 12 + (d.month - 1) + n
    return date(m // 12, m % 12 + 1, 1)


def last_complete_period(last_day: date, period: Period) -> date:
    """Start of the latest period whose last day is on or before ``last_day``."""
    start = period_floor(last_day, period)
    end = period_shift(start, period, 1) - timedelta(days=1)
    return start if end <= last_day else period_shift(start, period, -1)
