"""The demo's time grid: 30-minute intervals in UTC, center calendars as open masks, business seconds.

The simulation clock is float seconds since ``t0`` = the first demo day 00:00 Korea time. Korea
(UTC+9) and the Philippines (UTC+8) have whole-hour offsets and no DST, so the same 30-minute grid
is aligned in UTC and in every center's local time; an interval is open for a center when its
local start lies in one of the calendar's weekly ranges and the local date is not a holiday.

``business_seconds`` is exact on this grid: with ``C[k]`` the open seconds before boundary ``k``,
F(t) = C[k] + open[k] * (t - k*1800) and business_seconds(t1, t2) = F(t2) - F(t1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

import holidays as holidays_lib
import numpy as np

INTERVAL_S = 1800
SLOTS_PER_DAY = 48
KST_OFFSET_H = 9


def kr_holidays(years: range) -> dict[date, str]:
    """Korean public holidays (incl. Seollal, Chuseok and substitute days) from ``holidays.KR``."""
    return dict(holidays_lib.KR(years=list(years)).items())


@dataclass(frozen=True)
class Horizon:
    """``days`` local (KST) days ending at ``end`` inclusive; ``tail_days`` of calendar after it."""

    end: date
    days: int
    tail_days: int = 120

    @property
    def start(self) -> date:
        return self.end - timedelta(days=self.days - 1)

    @property
    def t0_utc(self) -> datetime:
        """Naive UTC datetime of t = 0 (start day 00:00 KST)."""
        return datetime.combine(self.start, datetime.min.time()) - timedelta(hours=KST_OFFSET_H)

    @property
    def t0_us(self) -> int:
        """t0 as microseconds since the Unix epoch (UTC)."""
        return int((self.t0_utc - datetime(1970, 1, 1)).total_seconds()) * 1_000_000

    @property
    def n_intervals(self) -> int:
        return self.days * SLOTS_PER_DAY

    @property
    def n_grid(self) -> int:
        """Intervals including the calendar tail (used for business seconds after the end)."""
        return (self.days + self.tail_days) * SLOTS_PER_DAY

    @property
    def end_s(self) -> float:
        return float(self.n_intervals * INTERVAL_S)

    @cached_property
    def holidays(self) -> dict[date, str]:
        return kr_holidays(range(self.start.year - 1, self.end.year + 2))

    def local_days(self, offset_h: int) -> tuple[np.ndarray, np.ndarray]:
        """For each grid interval: local day number (days since 1970-01-01) and local slot 0..47."""
        k = np.arange(self.n_grid, dtype=np.int64)
        local_s = self.t0_us // 1_000_000 + k * INTERVAL_S + offset_h * 3600
        return local_s // 86400, (local_s % 86400) // INTERVAL_S

    def open_mask(self, calendar: dict, offset_h: int) -> np.ndarray:
        """Boolean per grid interval: the center is open (weekly hours, minus its holidays)."""
        day, slot = self.local_days(offset_h)
        dow = (day + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
        weekly = calendar["weekly"]
        table = np.zeros((7, SLOTS_PER_DAY), dtype=bool)
        for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun")):
            for lo, hi in weekly.get(name, []):
                a = _slot(lo)
                b = _slot(hi)
                table[i, a:b] = True
        mask = table[dow, slot]
        if calendar.get("holidays") == "KR":
            hol_days = np.array(
                [(d - date(1970, 1, 1)).days for d in self.holidays], dtype=np.int64
            )
            mask &= ~np.isin(day, hol_days)
        for d in calendar.get("closed_dates", []):
            mask &= day != (date.fromisoformat(d) - date(1970, 1, 1)).days
        return mask


def _slot(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return (int(h) * 60 + int(m)) // 30


class BusinessClock:
    """Vectorised business seconds on the grid for one center's open mask."""

    def __init__(self, open_mask: np.ndarray) -> None:
        self.open = open_mask.astype(np.float64)
        self.cum = np.concatenate([[0.0], np.cumsum(self.open) * INTERVAL_S])

    def elapsed(self, t: np.ndarray) -> np.ndarray:
        """Open seconds between t = 0 and ``t`` (seconds on the simulation clock)."""
        t = np.clip(np.asarray(t, dtype=np.float64), 0.0, (len(self.open) - 1) * INTERVAL_S)
        k = np.minimum((t // INTERVAL_S).astype(np.int64), len(self.open) - 1)
        return self.cum[k] + self.open[k] * (t - k * INTERVAL_S)

    def between(self, t1: np.ndarray, t2: np.ndarray) -> np.ndarray:
        """Business seconds from ``t1`` to ``t2`` (0 when the center is closed all along)."""
        return self.elapsed(t2) - self.elapsed(t1)
