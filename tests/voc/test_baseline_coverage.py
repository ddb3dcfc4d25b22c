"""Anomaly baselines that leave out holidays and event days, and movers over partly covered
periods: the cases a review of the demo found (a normal Friday flagged after two holiday Fridays,
an app outage missed, October compared with six days of September). Expectations by hand."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from voc_fixtures import KR_CENTERS, contact_rows, seed_voc

from ops.voc import anomaly_flags, flag_anomalies, tag_report, top_movers
from ops.voc.anomalies import center_holidays, center_special_days
from ops.voc.tags import first_full_day

# Korean public holidays between 19 Sep and 23 Oct 2026 (Chuseok eve / day / day after, National
# Foundation Day on Sat 3 Oct with its substitute Mon 5 Oct, Hangul Day on Fri 9 Oct).
KR_HOLIDAYS = [date(2026, 9, 24), date(2026, 9, 25), date(2026, 9, 26), date(2026, 10, 3),
               date(2026, 10, 5), date(2026, 10, 9)]  # fmt: skip
SPIKES = {date(2026, 10, 21): 45, date(2026, 10, 23): 45}  # a Wednesday and a Friday


def _holiday_fridays_series(spikes: dict[date, int] = SPIKES) -> list[tuple[date, int]]:
    """Sat 19 Sep .. Fri 23 Oct 2026: weekdays 20, weekends 8, holidays 2, spikes of 45."""
    out = []
    d = date(2026, 9, 19)
    while d <= date(2026, 10, 23):
        n = 2 if d in KR_HOLIDAYS else (8 if d.weekday() >= 5 else 20)
        out.append((d, spikes.get(d, n)))
        d += timedelta(days=1)
    return out


def test_holiday_fridays_do_not_distort_the_baseline_and_spikes_are_flagged(empty_store):
    rows: list[dict] = []
    hangul_day = date(2026, 10, 9)  # an outage on a holiday: 45 where 2 is usual
    for d, n in _holiday_fridays_series({**SPIKES, hangul_day: 45}):
        rows += contact_rows(datetime.combine(d, datetime.min.time()), "T3", n, len(rows))
    seed_voc(empty_store, rows, centers=KR_CENTERS)
    r = empty_store.reader()
    assert sorted(center_holidays(r, date(2026, 9, 19), date(2026, 10, 23))) == KR_HOLIDAYS
    # the two days before and after the Chuseok block (24-26 Sep) are left out of baselines too
    around = center_special_days(r, date(2026, 9, 19), date(2026, 10, 23))[1]
    assert around == {date(2026, 9, 22): "before Chuseok (2)", date(2026, 9, 23): "before Chuseok (1)",
                      date(2026, 9, 27): "after Chuseok (1)", date(2026, 9, 28): "after Chuseok (2)"}  # fmt: skip

    fl = anomaly_flags(r, level=3)
    # Wed 21 Oct: 3 clean Wednesdays before it (30 Sep .. 14 Oct; 23 Sep is the eve of the Chuseok
    # eve), all 20 -> baseline 20, MAD 0,
    # sigma = sqrt(20) = 4.472, band_hi = 20 + 4 x 4.472 = 37.9 < 45 -> flagged, z = 25 / 4.472.
    # Fri 23 Oct: of the Fridays 25 Sep .. 16 Oct two are holidays, so only 2 clean ones (< 3):
    # the clean Mon-Fri days of the 4 weeks before (25 Sep .. 22 Oct less the holidays 25 Sep,
    # 5 Oct, 9 Oct and Mon 28 Sep, after Chuseok: 4 + 3 + 5 + 4 = 16 days, 15 x 20 and the 45 of
    # 21 Oct; weekday profile flat, factors 1) -> median 20, MAD 0: the earlier spike does not
    # hide this one.
    # Fri 16 Oct (20) is normal: the old same-weekday median of 9 Oct (2), 2 Oct (20), 25 Sep (2)
    # was 2 and flagged it. A holiday's dip (Mon 5 Oct: 2 against 20) is never flagged; a surge
    # on a holiday is: Hangul Day (Fri 9 Oct) at 45 against the 8 clean weekdays 21 Sep .. 8 Oct
    # (21 Sep, 29 Sep - 2 Oct, 6-8 Oct; only 1 clean Friday), all 20 -> z = 25 / sqrt(20).
    assert fl["day"].dt.date.tolist() == [hangul_day, date(2026, 10, 21), date(2026, 10, 23)]
    assert fl["holiday"].tolist() == ["Hangul Day", "", ""]
    assert fl["baseline"].tolist() == [20.0, 20.0, 20.0]
    assert fl["z"].tolist() == pytest.approx([25 / np.sqrt(20)] * 3)
    assert fl["band_hi"].tolist() == pytest.approx([20 + 4 * np.sqrt(20)] * 3)
    assert fl["basis"].tolist() == ["day class", "weekday", "day class"]
    assert fl["baseline_days"].tolist() == [8, 3, 16]


def test_flag_anomalies_holidays_are_left_out_and_not_judged():
    series = _holiday_fridays_series()
    daily = pd.DataFrame({"day": pd.to_datetime([d for d, _ in series]), "tag": "X",
                          "volume": [n for _, n in series]})  # fmt: skip
    out = flag_anomalies(daily, ["tag"], holidays=KR_HOLIDAYS).set_index("day")
    fri16 = out.loc[pd.Timestamp("2026-10-16")]
    assert (fri16["baseline"], fri16["basis"], bool(fri16["is_anomaly"])) == (
        20,
        "day class",
        False,
    )
    mon5 = out.loc[pd.Timestamp("2026-10-05")]
    assert bool(mon5["is_holiday"]) and not mon5["is_anomaly"] and mon5["baseline"] == 20
    # without the calendar the holidays pull the Friday median down to 2 and 16 Oct is "high"
    blind = flag_anomalies(daily, ["tag"]).set_index("day")
    assert blind.loc[pd.Timestamp("2026-10-16"), "baseline"] == 2
    assert bool(blind.loc[pd.Timestamp("2026-10-16"), "is_anomaly"])


def test_event_days_are_left_out_of_the_baseline_of_the_tags_they_concern(empty_store):
    """A two-week campaign on T1 (Mon 5 .. Fri 16 Oct, 40 a day instead of 20) must not raise
    T1's baseline afterwards: Mon 26 Oct at 45 is a spike. The old same-weekday median of
    19 Oct (20), 12 Oct (40), 5 Oct (40), 28 Sep (20) was 30 with MAD 10, sigma 14.8: missed."""
    rows: list[dict] = []
    campaign = [date(2026, 10, 5) + timedelta(days=i) for i in range(12)]
    d = date(2026, 9, 7)  # a Monday
    while d <= date(2026, 10, 30):
        base = 8 if d.weekday() >= 5 else 20
        t1 = 40 if d in campaign and d.weekday() < 5 else base
        if d == date(2026, 10, 26):
            t1 = 45
        when = datetime.combine(d, datetime.min.time())
        rows += contact_rows(when, "T1", t1, len(rows))
        rows += contact_rows(when, "T3", base, len(rows))
        d += timedelta(days=1)
    ev = [{"event_id": "C1", "kind": "campaign", "name": "Autumn sale", "tag_id": None,
           "notes": "tags: T1", "start_date": campaign[0], "end_date": campaign[-1]}]  # fmt: skip
    seed_voc(empty_store, rows, ev)
    fl = anomaly_flags(empty_store.reader(), level=3)
    assert set(fl["level3_en"]) == {"Delayed"}  # T3 (Where) is never flagged
    # 10 campaign weekdays (40 vs 20 on >= 3 clean same weekdays: z = 20 / sqrt(20) = 4.47 > 4)
    # and Mon 26 Oct: 2 clean Mondays in the 4 weeks (28 Sep, 19 Oct) -> the 10 clean weekdays
    # (28 Sep - 2 Oct, 19 - 23 Oct), all 20 -> baseline 20, z = 25 / sqrt(20).
    expected = [c for c in campaign if c.weekday() < 5] + [date(2026, 10, 26)]
    assert fl["day"].dt.date.tolist() == expected
    last = fl.iloc[-1]
    assert (last["baseline"], last["basis"], last["baseline_days"]) == (20, "day class", 10)
    assert last["z"] == pytest.approx(25 / np.sqrt(20)) and last["events"] == ""
    assert (fl.iloc[:-1]["events"] == "Autumn sale").all()
    # level 1: the campaign concerns Payment (T1's parent) as well
    lvl1 = anomaly_flags(empty_store.reader(), level=1)
    assert lvl1["day"].dt.date.tolist() == expected and set(lvl1["level1_en"]) == {"Payment"}


def test_first_full_day_skips_only_a_partial_first_day():
    s = pd.Series([2, 14, 3, 14], index=pd.date_range("2026-09-24", periods=4))
    assert first_full_day(s) == pd.Timestamp("2026-09-25")  # 2 < 25 % of the median 8.5
    s = pd.Series([14, 3, 14], index=pd.date_range("2026-09-24", periods=3))
    assert first_full_day(s) == pd.Timestamp("2026-09-24")  # a low later day is a holiday
    assert first_full_day(pd.Series([], dtype=float)) is None


def _month_store(store, first_day: date, *, partial_first: int = 0) -> None:
    """T1 10 a day and T3 4 a day from ``first_day`` to 31 Oct 2026; optionally
    ``partial_first`` T1 contacts on the day before (a partial export day)."""
    rows: list[dict] = []
    if partial_first:
        eve = datetime.combine(first_day - timedelta(days=1), datetime.min.time())
        rows += contact_rows(eve, "T1", partial_first, 0)
    d = first_day
    while d <= date(2026, 10, 31):
        when = datetime.combine(d, datetime.min.time())
        rows += contact_rows(when, "T1", 10, len(rows))
        rows += contact_rows(when, "T3", 4, len(rows))
        d += timedelta(days=1)
    seed_voc(store, rows)


def test_month_with_six_days_of_data_is_not_compared(empty_store):
    # data from 24 Sep, but the 24th holds 2 contacts (< 25 % of the 14 a day): covered 25-30 Sep
    _month_store(empty_store, date(2026, 9, 25), partial_first=2)
    rep = tag_report(empty_store.reader(), "month", level=3).set_index("path_en")
    t1 = rep.loc["Payment/Refund/Delayed"]
    assert (t1["volume"], t1["prev_volume"], t1["days"], t1["prev_days"]) == (310, 62, 31, 6)
    assert np.isnan(t1["change"]) and np.isnan(t1["change_pct"])
    assert t1["comparison"] == (
        "not compared (this month: data on 31 of 31 days, previous: 6 of 30)"
    )
    mv = top_movers(rep.reset_index(), n=5, min_volume=1)
    assert mv["path_en"].tolist() == ["Payment/Refund/Delayed", "Delivery/Tracking/Where"]
    assert mv["change"].isna().all() and mv["comparison"].str.startswith("not compared").all()


def test_month_with_twenty_days_is_compared_per_day(empty_store):
    # data from 11 Sep: September covered on 20 of 30 days (>= half). T1 at 10 a day in both
    # months: raw volumes 310 vs 200 would read +55 %; per day it is 10 vs 10, i.e. 0 %.
    _month_store(empty_store, date(2026, 9, 11))
    rep = tag_report(empty_store.reader(), "month", level=3).set_index("path_en")
    t1 = rep.loc["Payment/Refund/Delayed"]
    assert (t1["volume"], t1["prev_volume"], t1["prev_days"]) == (310, 200, 20)
    assert t1["prev_comparable"] == pytest.approx(200 * 31 / 20)  # 310
    assert t1["change"] == pytest.approx(0.0) and t1["change_pct"] == pytest.approx(0.0)
    assert t1["comparison"].startswith("per day (this month: data on 31 of 31 days")


def test_cli_tags_json_and_table_carry_the_note(tmp_path):
    from typer.testing import CliRunner

    from ops.cli import _register_subcommands, app
    from ops.store import Store

    path = tmp_path / "voc.duckdb"
    with Store.open(path) as store:
        _month_store(store, date(2026, 9, 25))
    _register_subcommands()
    runner = CliRunner()
    args = ["voc", "tags", "--db", str(path), "--period", "month", "--show", "movers"]
    res = runner.invoke(app, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert rows and all(r["comparison"].startswith("not compared") for r in rows)
    assert all(r["change"] is None for r in rows)
    res = runner.invoke(app, [*args, "--format", "table"], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "not compared" in res.stdout and "6 of 30" in res.stdout
    res = runner.invoke(app, [*args, "--format", "csv"])
    assert pd.read_csv(io.StringIO(res.stdout))["comparison"].str.startswith("not compared").all()
