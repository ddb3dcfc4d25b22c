"""Special days (public holidays, the days around them, store events) as typed labels per date.

Contact volume around Seollal and Chuseok does not follow the weekly pattern: the lunar holidays
close many businesses for three days or more, the days before them surge and the first working days
after them rebound. Those effects are what spreadsheet methods (last week's value, the mean of the
last four same weekdays) get wrong, so the daily models learn one multiplicative factor per day
type (see ``models.special_day_factors``). This module only labels dates; no holiday calendar is used
unless a country code is given (``--holidays KR``, or any code the ``holidays`` package knows).

Day types form a small tree so that rare types borrow strength from their parent::

    holiday ── seollal ── seollal:-1, seollal:0, seollal:+1, seollal:bridge   (same for chuseok)
    holiday ── holiday:Memorial Day, holiday:Independence Day, ...   (one leaf per holiday name)
    pre_holiday ── lunar_pre ── seollal:pre1, seollal:pre2, chuseok:pre1, ...
    post_holiday ── lunar_post ── seollal:post1, seollal:post2, ...
    post_closure ── post_closure:1, post_closure:2, post_closure:3   (labelled by the models)

Each holiday has its own leaf because whether a center closes is a policy per holiday: a bank
closed on Memorial Day and Labor Day may be open on Columbus Day. Substitute and observed days
("Alternative holiday for Children's Day", "Independence Day (observed)") share their holiday's
leaf. The ``post_closure`` types are not calendar facts: the models put them on the first open
days after a day the center was closed (see ``models.post_closure_types``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import pandas as pd

from ops.errors import ValidationError

HOLIDAY = "holiday"
PRE_HOLIDAY = "pre_holiday"
POST_HOLIDAY = "post_holiday"
LUNAR_PRE = "lunar_pre"
LUNAR_POST = "lunar_post"
POST_CLOSURE = "post_closure"
CLOSED = "closed"  # a day the center was closed on an open weekday, found in the data

# Words the ``holidays`` package puts around a holiday's name on substitute/observed days.
_NAME_NOISE = re.compile(
    r"^(alternative holiday for|substitute holiday for|day off for|observed)\s+|"
    r"\s*\((observed|estimated|substitute)\)|\s+observed$",
    re.IGNORECASE,
)


def holiday_key(name: str) -> str:
    """The leaf name of a holiday: ``Independence Day (observed)`` -> ``Independence Day``."""
    out = _NAME_NOISE.sub("", str(name).strip())
    return (_NAME_NOISE.sub("", out).strip() or str(name).strip()).replace(":", " ")


def holiday_type(name: str) -> str:
    """The day type of a (non-lunar) public holiday: ``holiday:<name>``."""
    return f"{HOLIDAY}:{holiday_key(name)}"


# English names the ``holidays`` package gives the Korean lunar holidays.
_LUNAR_NAMES = {"seollal": "Korean New Year", "chuseok": "Chuseok"}


def _parent_of(day_type: str) -> str | None:
    if day_type in (HOLIDAY, PRE_HOLIDAY, POST_HOLIDAY, POST_CLOSURE, CLOSED):
        return None
    if day_type.startswith(HOLIDAY + ":"):
        return HOLIDAY
    if day_type.startswith(POST_CLOSURE + ":"):
        return POST_CLOSURE
    if day_type in ("seollal", "chuseok"):
        return HOLIDAY
    if day_type == LUNAR_PRE:
        return PRE_HOLIDAY
    if day_type == LUNAR_POST:
        return POST_HOLIDAY
    if ":" in day_type:
        name, pos = day_type.split(":", 1)
        if pos.startswith("pre"):
            return LUNAR_PRE
        if pos.startswith("post"):
            return LUNAR_POST
        return name
    return None


def ancestry(day_type: str) -> list[str]:
    """``day_type`` and its parents up to the root, e.g. ``chuseok:0 -> chuseok -> holiday``."""
    out = [day_type]
    p = _parent_of(day_type)
    while p is not None:
        out.append(p)
        p = _parent_of(p)
    return out


def is_holiday_type(day_type: str | None) -> bool:
    """True for holidays and days inside a lunar holiday block (the center may be closed)."""
    return bool(day_type) and ancestry(str(day_type))[-1] == HOLIDAY


def is_eve_type(day_type: str | None) -> bool:
    """True for the days before a holiday (eves)."""
    return bool(day_type) and ancestry(str(day_type))[-1] == PRE_HOLIDAY


@dataclass(frozen=True)
class SpecialDayCalendar:
    """Labels dates with day types from a country's public holidays.

    ``country`` None means no holidays at all (the default for external files); otherwise any code
    the ``holidays`` package supports (``KR``, ``US``, ``PH``, ``IL`` ...), optionally with a
    subdivision (``US-CA``, ``DE-BY``; see :func:`ops.calendar.parse_holiday_spec`).
    ``extra_holidays`` adds dates (e.g. a center's ``closed_dates``) that are treated as holidays.
    """

    country: str | None = None
    extra_holidays: tuple[date, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.country is not None:
            from ops.calendar import parse_holiday_spec

            try:
                code, subdiv = parse_holiday_spec(self.country)
            except ValueError as e:
                raise ValidationError(str(e)) from None
            object.__setattr__(self, "country", code if subdiv is None else f"{code}-{subdiv}")

    def holiday_names(self, start: date, end: date) -> dict[date, str]:
        """Public holidays (English names) between ``start`` and ``end`` inclusive."""
        out: dict[date, str] = {}
        if self.country is not None:
            for y in range(start.year, end.year + 1):
                out.update({d: n for d, n in _country_year(self.country, y) if start <= d <= end})
        for d in self.extra_holidays:
            if start <= d <= end:
                out.setdefault(d, "Closed")
        return out

    def day_types(self, dates: Iterable[pd.Timestamp] | pd.DatetimeIndex) -> pd.Series:
        """One label per date (None for ordinary days), indexed by the normalised dates."""
        idx = pd.DatetimeIndex(list(dates) if not isinstance(dates, pd.DatetimeIndex) else dates)
        idx = idx.normalize()
        out = pd.Series([None] * len(idx), index=idx, dtype=object)
        if len(idx) == 0 or (self.country is None and not self.extra_holidays):
            return out
        labels = self._labels(idx.min().year - 1, idx.max().year + 1)
        if not labels:
            return out
        keys = idx.to_numpy().astype("datetime64[D]")
        return pd.Series([labels.get(k) for k in keys.tolist()], index=idx, dtype=object)

    def _labels(self, first_year: int, last_year: int) -> dict[date, str]:
        return _labels_cached(self, first_year, last_year)


@lru_cache(maxsize=256)
def _labels_cached(cal: SpecialDayCalendar, first_year: int, last_year: int) -> dict[date, str]:
    lo, hi = date(first_year, 1, 1), date(last_year, 12, 31)
    return _label_days(cal.holiday_names(lo, hi), lo, hi)


@lru_cache(maxsize=512)
def _country_year(country: str, year: int) -> tuple[tuple[date, str], ...]:
    from ops.calendar import country_holidays

    return tuple(sorted(country_holidays(country, [year], language="en_US").items()))


def _label_days(names: dict[date, str], lo: date, hi: date) -> dict[date, str]:
    """Day type per date from a holiday name map (see the module docstring for the types).

    Holidays win over the lunar pre/post days, which win over the generic pre/post days.
    """
    one = pd.Timedelta(days=1)
    hol = sorted(names)
    runs: list[list[date]] = []  # runs of consecutive holiday dates
    for d in hol:
        if runs and (pd.Timestamp(d) - pd.Timestamp(runs[-1][-1])) == one:
            runs[-1].append(d)
        else:
            runs.append([d])
    labels: dict[date, str] = {}
    lunar_around: list[tuple[date, str]] = []
    generic_around: list[tuple[date, str]] = []
    for run in runs:
        lunar = main_day = None
        for d in run:
            n = names[d]
            for key, en in _LUNAR_NAMES.items():
                if en in n and not any(w in n for w in ("preceding", "second day", "Alternative")):
                    lunar, main_day = key, d
        first, last = pd.Timestamp(run[0]), pd.Timestamp(run[-1])
        if lunar is not None and main_day is not None:
            m = pd.Timestamp(main_day)
            for d in run:
                off = (pd.Timestamp(d) - m).days
                labels[d] = f"{lunar}:{off:+d}" if abs(off) == 1 else f"{lunar}:bridge"
                if off == 0:
                    labels[d] = f"{lunar}:0"
            for k in (1, 2):
                lunar_around.append(((first - k * one).date(), f"{lunar}:pre{k}"))
                lunar_around.append(((last + k * one).date(), f"{lunar}:post{k}"))
        else:
            for d in run:
                labels[d] = holiday_type(names[d])
            generic_around.append(((first - one).date(), PRE_HOLIDAY))
            generic_around.append(((last + one).date(), POST_HOLIDAY))
    for d, t in lunar_around + generic_around:
        labels.setdefault(d, t)
    return {d: t for d, t in labels.items() if lo <= d <= hi}
