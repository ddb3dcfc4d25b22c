"""Small layout helpers several pages share (month pickers); no data access, no metrics."""

from __future__ import annotations

from datetime import date, timedelta


def month_choices(first: date, last: date) -> list[str]:
    """``YYYY-MM`` of every month between two days, newest first."""
    out, d = [], first.replace(day=1)
    while d <= last:
        out.append(f"{d.year:04d}-{d.month:02d}")
        d = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out[::-1]


def default_month(last: date) -> str:
    """The latest complete month of data (the reports' convention): ``last``'s month when it is
    the month's last day, else the month before."""
    nxt = last + timedelta(days=1)
    d = last if nxt.month != last.month else last.replace(day=1) - timedelta(days=1)
    return f"{d.year:04d}-{d.month:02d}"
