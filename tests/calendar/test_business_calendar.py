"""Business calendar: hand-counted business time (expected values worked out in the comments)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ops.calendar import (
    BusinessCalendar,
    add_business_seconds,
    business_seconds,
    derive_business_columns,
    subtract_business_seconds,
)
from ops.errors import ConfigError

WEEKDAYS_9_18 = {d: [("09:00", "18:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
UTC_9_18 = BusinessCalendar(timezone="UTC", weekly=WEEKDAYS_9_18)
KR_9_18 = BusinessCalendar(timezone="Asia/Seoul", weekly=WEEKDAYS_9_18, holidays="KR")


def ts(*values: str) -> np.ndarray:
    return np.array(values, dtype="datetime64[ns]")


def test_friday_evening_to_monday_morning():
    # Fri 2026-11-20 17:30 -> Mon 2026-11-23 09:30: 64 h on the clock; business time is
    # Fri 17:30-18:00 (30 min) + Mon 09:00-09:30 (30 min) = 60 min.
    start, end = ts("2026-11-20T17:30"), ts("2026-11-23T09:30")
    assert (end - start)[0] / np.timedelta64(1, "h") == 64
    assert business_seconds(start, end, UTC_9_18)[0] == 3600


def test_saturday_is_closed():
    # Sat 2026-11-21 11:00 -> 11:20: no opening hours on Saturday.
    assert business_seconds(ts("2026-11-21T11:00"), ts("2026-11-21T11:20"), UTC_9_18)[0] == 0


def test_timezone_is_the_centers():
    # Same Friday example in Seoul, inputs in UTC (KST = UTC+9): Fri 08:30Z = 17:30 KST.
    s, e = ts("2026-11-20T08:30"), ts("2026-11-23T00:30")
    assert business_seconds(s, e, KR_9_18)[0] == 3600


def test_chuseok_2025_counts_no_business_time():
    # Korea 2025 (government holiday calendar): Oct 3 National Foundation Day (Fri), Oct 5-7
    # Chuseok (Sun-Tue), Oct 8 substitute holiday for Chuseok falling on a Sunday, Oct 9 Hangul Day.
    # Thu Oct 2 17:00 KST -> Fri Oct 10 10:00 KST: Thu 17-18 (1 h) + Fri Oct 10 09-10 (1 h) = 2 h.
    s, e = ts("2025-10-02T08:00"), ts("2025-10-10T01:00")
    assert business_seconds(s, e, KR_9_18)[0] == 2 * 3600
    # without holidays the same span has Oct 3, 6, 7, 8, 9 open: 2 h + 5 x 9 h = 47 h
    plain = BusinessCalendar(timezone="Asia/Seoul", weekly=WEEKDAYS_9_18)
    assert business_seconds(s, e, plain)[0] == 47 * 3600


def test_seollal_2026_and_substitute_day():
    # 2026: Feb 16-18 Seollal (Mon-Wed). Fri Feb 13 17:00 -> Thu Feb 19 10:00 KST = 1 h + 1 h.
    s, e = ts("2026-02-13T08:00"), ts("2026-02-19T01:00")
    assert business_seconds(s, e, KR_9_18)[0] == 2 * 3600
    # 2026-08-17 (Mon) substitute for Liberation Day on Saturday Aug 15: closed all day.
    assert business_seconds(ts("2026-08-17T00:00"), ts("2026-08-17T10:00"), KR_9_18)[0] == 0


def test_split_shifts_and_closed_dates():
    cal = BusinessCalendar(
        timezone="UTC",
        weekly={"mon": [("09:00", "12:00"), ("13:00", "18:00")], "tue": [("20:00", "24:00")]},
        closed_dates=["2026-11-30"],
    )
    # Mon 2026-11-23 11:00 -> 14:00: 11-12 (1 h) + lunch closed + 13-14 (1 h) = 2 h
    assert business_seconds(ts("2026-11-23T11:00"), ts("2026-11-23T14:00"), cal)[0] == 7200
    # Tue 23:00 -> Wed 01:00: only 23:00-24:00 is open
    assert business_seconds(ts("2026-11-24T23:00"), ts("2026-11-25T01:00"), cal)[0] == 3600
    # Mon 2026-11-30 is an extra closed date
    assert business_seconds(ts("2026-11-30T08:00"), ts("2026-11-30T19:00"), cal)[0] == 0


def test_deadlines():
    start = ts("2026-11-23T09:00", "2026-11-23T09:00", "2026-11-20T17:30", "2026-11-21T11:00")
    secs = [9 * 3600, 16 * 3600, 3600, 60]
    got = add_business_seconds(start, secs, UTC_9_18)
    # 9 h from Mon 09:00 = Mon 18:00 (closing time, not Tue 09:00); 16 h = Tue 16:00;
    # 1 h from Fri 17:30 = Mon 09:30; 1 min from Saturday = Mon 09:01.
    assert list(got) == list(ts("2026-11-23T18:00", "2026-11-24T16:00", "2026-11-23T09:30",
                                "2026-11-23T09:01"))  # fmt: skip
    back = subtract_business_seconds(ts("2026-11-23T09:30"), 3600, UTC_9_18)
    assert back[0] == ts("2026-11-20T17:30")[0]


def test_nat_and_bad_calendars():
    out = business_seconds(ts("NaT", "2026-11-23T09:00"), ts("2026-11-23T10:00", "NaT"), UTC_9_18)
    assert np.isnan(out).all()
    with pytest.raises(ConfigError, match="timezone"):
        BusinessCalendar.from_json('{"timezone": "Mars/Base"}')
    with pytest.raises(ConfigError, match="overlap"):
        BusinessCalendar.from_json('{"weekly": {"mon": [["09:00","12:00"],["11:00","13:00"]]}}')
    assert BusinessCalendar.from_json(None).weekly["sun"] == [("00:00", "24:00")]


def test_derive_business_columns():
    import pandas as pd

    df = pd.DataFrame({"center_id": ["A", "A"], "created_at": ts("2026-11-20T17:30", "2026-11-21T11:00"),
                       "answered_at": ts("2026-11-23T09:30", "NaT")})  # fmt: skip
    out = derive_business_columns(df, {"A": UTC_9_18})
    assert out["first_response_business_s"].iloc[0] == 3600
    assert np.isnan(out["first_response_business_s"].iloc[1])


_instants = st.integers(0, 60 * 86400).map(
    lambda s: np.datetime64("2025-09-20") + np.timedelta64(s, "s")
)


@settings(max_examples=60, deadline=None)
@given(_instants, st.integers(0, 10 * 86400), st.integers(1, 40 * 3600))
def test_properties(start, span, secs):
    end = start + np.timedelta64(span, "s")
    b = business_seconds(np.array([start]), np.array([end]), KR_9_18)[0]
    assert 0 <= b <= span  # business time never exceeds clock time
    deadline = add_business_seconds(np.array([start]), secs, KR_9_18)
    assert business_seconds(np.array([start]), deadline, KR_9_18)[0] == pytest.approx(secs)
