"""SLA early warning on a hand-made month: every expected number below is worked out by hand.

The store (SEOUL, queue V1 voice, Seoul time; T = 20 s; every call answered, handle 300 s):
- the four Mondays before Mon 2026-12-07 (11-09, 11-16, 11-23, 11-30): 400 calls each from 12:00,
  one every 36 s (12:00-15:59:24, so 50 per half hour), 360 answered in 10 s and 40 in 30 s
  (90 % within 20 s);
- Mon 2026-12-07 09:00-11:59:42: 600 calls, one every 18 s (100 per half hour), the first 150
  answered in 30 s, the other 450 in 10 s (75 %; the last one is answered at 11:59:52);
- one call at 11:59:00 answered after 700 s (12:10:40), and five calls from 12:10: after as-of.

As-of is Mon 2026-12-07 12:00 Seoul = 03:00 UTC. December has no other contacts before it (Dec 1
is a Tuesday; the history's Mondays are all in November), so the month so far is today's 600.
The last 4 weeks' Monday afternoon is 400 contacts at 90 %, and nothing on other weekdays.
"""

from __future__ import annotations

import json
import math
import threading
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pandas as pd
import pytest
from sla_fixtures import KST, call, load
from typer.testing import CliRunner

from ops.sla.alerts import alerts_of, deliver, read_alerts_file
from ops.sla.contracts import AlertRules, parse_contract
from ops.sla.early_warning import (
    KnownAtReader,
    early_warning,
    projected_value,
    required_rest_of_period,
    requirement_status,
)
from ops.sla.registry import METRICS
from ops.store import Store
from ops.store.scope import Scope

AS_OF = datetime(2026, 12, 7, 3, 0)  # 12:00 Seoul
MONDAYS = [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 30)]


def _history(center: str = "SEOUL", prefix: str = "") -> list[dict]:
    rows = []
    for d in MONDAYS:
        for k in range(400):
            t = datetime.combine(d, datetime.min.time()) + timedelta(hours=12, seconds=36 * k)
            rows.append(call(f"{prefix}h{d:%m%d}_{k}", t.isoformat(sep=" "),
                             wait=10 if k < 360 else 30, answered=True, center=center))  # fmt: skip
    return rows


def _today(center: str = "SEOUL", prefix: str = "") -> list[dict]:
    rows = []
    for k in range(600):
        t = datetime(2026, 12, 7, 9, 0) + timedelta(seconds=18 * k)
        rows.append(call(f"{prefix}d{k}", t.isoformat(sep=" "), wait=30 if k < 150 else 10,
                         answered=True, center=center))  # fmt: skip
    rows.append(call(f"{prefix}waiting", "2026-12-07 11:59:00", wait=700, answered=True,
                     center=center))  # fmt: skip
    for k in range(5):
        rows.append(call(f"{prefix}late{k}", f"2026-12-07 12:1{k}:00", wait=5, answered=True,
                         center=center))  # fmt: skip
    return rows


def _schedule(productive: float) -> pd.DataFrame:
    """``productive`` agents on V1 in every Monday-afternoon half hour of December."""
    rows = []
    for d in (date(2026, 12, 7), date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 28)):
        for h in range(8):
            local = datetime.combine(d, datetime.min.time()) + timedelta(hours=12, minutes=30 * h)
            rows.append({"center_id": "SEOUL", "queue_id": "V1", "interval_start": local - KST,
                         "interval_local": local, "interval_s": 1800,
                         "scheduled_s": productive / 0.7 * 1800, "productive_s": productive * 1800})  # fmt: skip
    return pd.DataFrame(rows)


def _contract(**over) -> object:
    data = {
        "contract_id": "SEOUL-T", "center_id": "SEOUL", "version": 1,
        "effective_from": "2026-01-01", "monthly_fee": 100_000_000, "currency": "KRW",
        "penalty_cap_pct": 12,
        "metrics": [
            {"metric": "service_level", "target": 0.8, "threshold": "20s",
             "scope": {"channel": "voice"}, "period": "day"},
            {"metric": "service_level", "target": 0.88, "threshold": "20s",
             "scope": {"channel": "voice"}, "period": "month",
             "penalty": {"tiers": [{"from": 0, "to": 2, "pct_of_fee": 2},
                                   {"from": 2, "to": 5, "pct_of_fee": 5},
                                   {"from": 5, "pct_of_fee": 10}]}},
            {"metric": "service_level", "target": 0.95, "threshold": "20s",
             "scope": {"channel": "voice"}, "period": "day",
             "penalty": {"tiers": [{"from": 0, "to": 5, "pct_of_fee": 4},
                                   {"from": 5, "pct_of_fee": 10}], "cap_pct": 8}},
            {"metric": "frt_median_s", "target": 3600, "scope": {"channel": "email"},
             "period": "month"},
        ],
    }  # fmt: skip
    data.update(over)
    return parse_contract(data)


@pytest.fixture(scope="module")
def store():
    s = Store.open(":memory:")
    load(s, _history() + _today(), schedules=_schedule(2.0))
    yield s
    s.close()


@pytest.fixture(scope="module")
def report(store):
    return early_warning(store.reader(), as_of=AS_OF, contracts=[_contract()])


def _line(rep, line_no: int):
    return next(ln for ln in rep.lines if ln.line_no == line_no)


# --- the arithmetic ----------------------------------------------------------------------------
def test_required_rest_of_period_by_hand() -> None:
    # issue 16: 600 of 1,000 expected contacts, 75 % in 20 s: (0.8 x 1,000 - 450) / 400 = 87.5 %
    assert required_rest_of_period(0.8, 450, 600, 400) == pytest.approx(0.875)
    # abandon rate (lower is better), 40 of 600 abandoned so far, 400 to come, 5 % target:
    # (0.05 x 1,000 - 40) / 400 = 2.5 % at most
    assert required_rest_of_period(0.05, 40, 600, 400) == pytest.approx(0.025)
    # CES mean 6.2 over 1,000 responses, 500 to come, 6.5 target: (6.5 x 1,500 - 6,200) / 500
    assert required_rest_of_period(6.5, 6200, 1000, 500) == pytest.approx(7.1)
    # NPS (scale 100): net +250 of 1,000 so far (25), 1,000 to come, target 30:
    # (0.30 x 2,000 - 250) / 1,000 = 0.35 -> 35 points
    assert required_rest_of_period(30, 250, 1000, 1000, scale=100) == pytest.approx(35)
    assert required_rest_of_period(0.8, 450, 600, 0) is None  # nothing left: final


def test_requirement_status_reads_direction_and_range() -> None:
    sl, ab, ces = METRICS["service_level"], METRICS["abandon_rate"], METRICS["ces"]
    # 450 / 600 with 100 to come: (0.8 x 700 - 450) / 100 = 110 % -> even 100 % cannot save it
    need = required_rest_of_period(0.8, 450, 600, 100)
    assert need == pytest.approx(1.1)
    assert requirement_status(need, sl.direction, (0.0, 1.0)) == "not_reachable"
    # 590 / 600 with 100 to come: (560 - 590) / 100 < 0 -> met whatever the rest does
    assert requirement_status(required_rest_of_period(0.8, 590, 600, 100), "higher",
                              (0.0, 1.0)) == "secured"  # fmt: skip
    # 60 abandons of 600, 200 to come, 5 %: (40 - 60) / 200 = -10 % -> not reachable
    assert requirement_status(required_rest_of_period(0.05, 60, 600, 200), ab.direction,
                              (0.0, 1.0)) == "not_reachable"  # fmt: skip
    assert requirement_status(0.025, ab.direction, (0.0, 1.0)) == "needed"
    assert requirement_status(7.1, ces.direction, ces.target_range) == "not_reachable"
    assert requirement_status(None, "higher", (0.0, 1.0)) == "final"
    assert projected_value(450, 600, 360, 400) == pytest.approx(0.81)


# --- the store as known at as-of ----------------------------------------------------------------
def test_known_at_reader_hides_later_contacts_and_outcomes(store) -> None:
    r = KnownAtReader(store.reader(), AS_OF)
    t = r.table("contacts")
    today = r.execute(t.filter(t.created_local >= datetime(2026, 12, 7)))
    assert len(today) == 601  # the five calls from 12:10 are not there yet
    waiting = today[today.contact_id == "waiting"].iloc[0]
    assert pd.isna(waiting.answered_at) and pd.isna(waiting.wait_s)  # answered at 12:10:40


def test_known_at_reader_keeps_a_survey_only_of_contacts_ended_before_as_of() -> None:
    # as-of 12:00 Seoul (03:00 UTC); the survey has no time of its own, the contact's end counts
    u = lambda local: datetime.fromisoformat(local) - KST  # noqa: E731 - Seoul to UTC
    rows = [
        # resolved 11:30: ended before as-of -> kept
        call("resolved_before", "2026-12-07 11:00:00", wait=10, answered=True, csat=5, ces=7,
             resolved_at=u("2026-12-07 11:30:00")),
        # answered 11:50:10 but resolved 12:20: not ended -> no score yet
        call("resolved_after", "2026-12-07 11:50:00", wait=10, answered=True, csat=4, ces=6,
             resolved_at=u("2026-12-07 12:20:00")),
        # no resolved_at: answered 11:55:10 + 600 s handled = 12:05:10, after as-of -> no score
        call("handled_after", "2026-12-07 11:55:00", wait=10, answered=True, handle=600,
             csat=3, ces=5),
        # no resolved_at: answered 11:00:10 + 300 s = 11:05:10, before as-of -> kept
        call("handled_before", "2026-12-07 11:00:00", wait=10, answered=True, csat=2, ces=4),
    ]  # fmt: skip
    s = Store.open(":memory:")
    try:
        load(s, rows)
        r = KnownAtReader(s.reader(), AS_OF)
        got = r.execute(r.table("contacts").select("contact_id", "csat", "ces"))
    finally:
        s.close()
    by_id = {c: (None if pd.isna(x) else int(x), None if pd.isna(y) else int(y))
             for c, x, y in zip(got.contact_id, got.csat, got.ces, strict=True)}  # fmt: skip
    assert by_id == {
        "resolved_before": (5, 7), "resolved_after": (None, None),
        "handled_after": (None, None), "handled_before": (2, 4),
    }  # fmt: skip


# --- one line, by hand ----------------------------------------------------------------------------
def test_day_line_needs_87_5_percent(report) -> None:
    ln = _line(report, 0)
    assert ln.as_of_local == datetime(2026, 12, 7, 12, 0)
    assert (ln.window_start, ln.window_end) == (date(2026, 12, 7), date(2026, 12, 7))
    assert (ln.done_num, ln.done_den) == (450, 600)  # the waiting call has no outcome yet
    assert ln.value_so_far == pytest.approx(0.75)
    assert ln.volume_method == "same_weekday"  # no stored forecast run
    assert ln.remaining_den == pytest.approx(400)  # the 4 Mondays' afternoons: 400 each
    assert ln.remaining_rate == pytest.approx(0.9)
    assert ln.required == pytest.approx(0.875)  # (0.8 x 1,000 - 450) / 400
    assert ln.required_status == "needed"
    # at the last 4 weeks' rate: (450 + 0.9 x 400) / 1,000 = 81 %; the four Mondays are equal,
    # so the band is that value
    assert ln.projected == pytest.approx(0.81)
    assert (ln.projected_lo, ln.projected_hi) == (pytest.approx(0.81), pytest.approx(0.81))
    # the rest must do better than the target (87.5 % > 80 %): watch, not at risk
    assert ln.risk == "watch" and ln.reasons == []


def test_a_line_needing_more_than_100_percent_is_not_reachable(report) -> None:
    ln = _line(report, 2)  # the same day at a 95 % target: (0.95 x 1,000 - 450) / 400 = 125 %
    assert ln.required == pytest.approx(1.25)
    assert ln.required_status == "not_reachable"
    assert ln.risk == "at_risk" and "not_reachable" in ln.reasons


def test_month_line_counts_the_rest_of_the_month(report) -> None:
    ln = _line(report, 1)
    assert (ln.window_start, ln.window_end) == (date(2026, 12, 1), date(2026, 12, 31))
    assert (ln.done_num, ln.done_den) == (450, 600)
    # rest of today (400) and Mondays 12-14, 12-21, 12-28 (400 each) = 1,600
    assert ln.remaining_den == pytest.approx(1600)
    assert ln.required == pytest.approx((0.88 * 2200 - 450) / 1600)  # 1,486 / 1,600 = 92.875 %
    assert ln.projected == pytest.approx((450 + 0.9 * 1600) / 2200)  # 1,890 / 2,200 = 85.909 %
    assert ln.risk == "at_risk" and "projected_miss" in ln.reasons
    # the alert rule on the rest: 92.875 % is below the default 95 % limit
    assert "required_above" not in ln.reasons


def test_quantile_line_is_shown_not_projected(report) -> None:
    ln = _line(report, 3)
    assert not ln.projectable and ln.projected is None and ln.risk == "unknown"
    assert "median or percentile" in (ln.reason or "")


def test_projected_penalty_matches_the_hand_worked_statement(report) -> None:
    st = next(s for s in report.statements if s.contract_id == "SEOUL-T")
    lines = {ln.line_no: ln for ln in st.statement.lines}
    # month line 88 %: projected 85.909 %, shortfall 2.09 pt -> tier 2-5 = 5 % of 100,000,000
    assert lines[1].shortfall_pt == pytest.approx(88 - 100 * 1890 / 2200)
    assert lines[1].penalty == pytest.approx(5_000_000)
    # the 95 % day line is judged on the month's value too: shortfall 9.09 pt -> 10 % =
    # 10,000,000, capped by the line at 8 % = 8,000,000
    assert lines[2].penalty == pytest.approx(8_000_000)
    # 13,000,000 before the contract cap of 12 % = 12,000,000; no bonus; net -12,000,000
    assert st.statement.penalty_before_cap == pytest.approx(13_000_000)
    assert st.statement.penalty_total == pytest.approx(12_000_000)
    assert st.statement.net_adjustment == pytest.approx(-12_000_000)
    assert st.penalty_low == st.penalty_high == pytest.approx(12_000_000)  # a flat band
    assert st.text[0].startswith("PROJECTED for 2026-12 as of 2026-12-07 12:00")
    assert ("Service level 20s voice 85.9% vs 88.0% target: shortfall 2.1 pt → tier 2–5 pt = "
            "5% of fee 100,000,000 KRW = 5,000,000 KRW") in st.text  # fmt: skip
    assert any("not projected" in t for t in st.text)  # the median line, not "no data"
    assert st.text_ko[0].startswith("2026-12 예상 명세")


def test_so_far_statement_judges_day_lines_on_the_month_to_date(report) -> None:
    st = next(s for s in report.statements if s.contract_id == "SEOUL-T")
    # the month so far is today's 450 of 600 within 20 s = 75 %, for every voice SL line
    assert _line(report, 2).month_so_far == pytest.approx(0.75)
    # month line, 88 % target: shortfall 88 - 75 = 13 pt -> tier "from 5" = 10 % of
    # 100,000,000 = 10,000,000
    # 95 % day line judged on the month so far: shortfall 95 - 75 = 20 pt -> tier "from 5" = 10 %
    # = 10,000,000, capped by the line's cap_pct 8 % = 8,000,000
    # the 80 % day line has no penalty terms: 0
    # together 10,000,000 + 8,000,000 = 18,000,000, over the contract cap 12 % of 100,000,000 =
    # 12,000,000; no bonus terms, so the net is -12,000,000 (the month line alone: -10,000,000)
    assert st.so_far_net == pytest.approx(-12_000_000)


def test_penalty_totals_are_per_currency(report) -> None:
    krw = next(s for s in report.statements if s.contract_id == "SEOUL-T")
    usd = krw.model_copy(update={"center_id": "MANILA", "currency": "USD"})
    rep = report.model_copy(update={"statements": [usd, krw]})
    got = {x.currency: x for x in rep.penalty_by_currency()}
    # SEOUL-T's projected penalty is 12,000,000 KRW after its cap (the hand-worked statement
    # above); the copy in USD stays apart: 12,000,000 USD, never a 24,000,000 sum
    assert sorted(got) == ["KRW", "USD"]
    assert got["KRW"].penalty == pytest.approx(12_000_000)
    assert got["USD"].penalty == pytest.approx(12_000_000)
    assert got["KRW"].net == pytest.approx(-12_000_000)
    assert [x.currency for x in rep.penalty_by_currency(["SEOUL"])] == ["KRW"]


# --- the volume from a stored forecast run --------------------------------------------------------
def _with_forecast(created_at: datetime) -> Store:
    s = Store.open(":memory:")
    load(s, _history() + _today(), schedules=_schedule(2.0))
    days = pd.date_range("2026-12-07", "2026-12-31", freq="D")
    mon = days.weekday == 0
    rows = pd.DataFrame({
        "run_id": "r1", "series_id": "SEOUL|V1", "center_id": "SEOUL", "queue_id": "V1",
        "ds": days, "yhat": mon * 800.0, "yhat_lo": mon * 600.0, "yhat_hi": mon * 1000.0,
        "model": "test",
    })  # fmt: skip
    run = pd.DataFrame([{"run_id": "r1", "created_at": created_at, "freq": "D", "horizon": 25,
                         "model": "test", "params_json": json.dumps({"as_of": "2026-12-06"})}])  # fmt: skip
    with s.write() as cur:
        s.append_df("forecast_runs", run, cur)
        s.append_df("forecasts", rows, cur)
    return s


def test_remaining_volume_comes_from_the_stored_forecast() -> None:
    s = _with_forecast(datetime(2026, 12, 7, 0, 0))  # made before as-of
    try:
        ln = _line(early_warning(s.reader(), as_of=AS_OF, contracts=[_contract()]), 0)
    finally:
        s.close()
    assert ln.volume_method == "forecast" and ln.forecast_run_id == "r1"
    # Monday forecast 800 over the 4 Mondays' 400: twice the same-weekday volume, so the rest of
    # today expects 2 x 400 = 800 (yhat_lo 600 -> 1.5 x, yhat_hi 1,000 -> 2.5 x)
    assert ln.remaining_volume == pytest.approx(800)
    assert ln.remaining_den == pytest.approx(800)
    assert ln.required == pytest.approx((0.8 * 1400 - 450) / 800)  # 670 / 800 = 83.75 %
    assert ln.projected == pytest.approx((450 + 0.9 * 800) / 1400)  # 83.57 %
    assert ln.projected_lo == pytest.approx((450 + 0.9 * 600) / 1200)  # 82.5 %
    assert ln.projected_hi == pytest.approx((450 + 0.9 * 1000) / 1600)  # 84.375 %


def test_a_run_made_after_as_of_is_not_used() -> None:
    s = _with_forecast(datetime(2026, 12, 7, 6, 0))  # the morning after: did not exist at 03:00
    try:
        ln = _line(early_warning(s.reader(), as_of=AS_OF, contracts=[_contract()]), 0)
    finally:
        s.close()
    assert ln.volume_method == "same_weekday" and ln.remaining_den == pytest.approx(400)


def _add_run(s: Store, run_id: str, created_at: datetime, last: str, monday: float,
             center: str = "SEOUL") -> None:  # fmt: skip
    """A stored run (made from history to 12-06) forecasting ``center``'s V1 from 12-07 to
    ``last``: ``monday`` contacts on Mondays (band 0.75x-1.25x), none on other days."""
    days = pd.date_range("2026-12-07", last, freq="D")
    mon = days.weekday == 0
    rows = pd.DataFrame({
        "run_id": run_id, "series_id": f"{center}|V1", "center_id": center, "queue_id": "V1",
        "ds": days, "yhat": mon * monday, "yhat_lo": mon * 0.75 * monday,
        "yhat_hi": mon * 1.25 * monday, "model": "test",
    })  # fmt: skip
    run = pd.DataFrame([{"run_id": run_id, "created_at": created_at, "freq": "D",
                         "horizon": len(days), "model": "test",
                         "params_json": json.dumps({"as_of": "2026-12-06"})}])  # fmt: skip
    with s.write() as cur:
        s.append_df("forecast_runs", run, cur)
        s.append_df("forecasts", rows, cur)


def test_the_newest_run_covering_the_period_is_preferred() -> None:
    s = Store.open(":memory:")
    try:
        load(s, _history() + _today(), schedules=_schedule(2.0))
        # r_old covers December to the 31st; r_new is newer but ends on Sunday 12-13
        _add_run(s, "r_old", datetime(2026, 12, 6, 20, 0), "2026-12-31", 800.0)
        _add_run(s, "r_new", datetime(2026, 12, 7, 1, 0), "2026-12-13", 1200.0)
        rep = early_warning(s.reader(), as_of=AS_OF, contracts=[_contract()], staffing=False,
                            intraday=False)  # fmt: skip
    finally:
        s.close()
    ln = _line(rep, 0)
    assert ln.volume_method == "forecast" and ln.forecast_run_id == "r_old"
    # r_old's Monday 800 over the 4 Mondays' 400 = 2x: the rest of today expects 2 x 400 = 800
    assert ln.remaining_den == pytest.approx(800)
    assert ln.notes == []


def test_a_run_covering_part_of_the_period_gives_the_days_it_covers() -> None:
    s = Store.open(":memory:")
    try:
        load(s, _history() + _today(), schedules=_schedule(2.0))
        _add_run(s, "r_new", datetime(2026, 12, 7, 1, 0), "2026-12-13", 1200.0)
        rep = early_warning(s.reader(), as_of=AS_OF, contracts=[_contract()], staffing=False,
                            intraday=False)  # fmt: skip
    finally:
        s.close()
    day, month = _line(rep, 0), _line(rep, 1)
    assert day.volume_method == month.volume_method == "forecast"
    assert day.forecast_run_id == "r_new"
    # today is covered: 1,200 over the Mondays' 400 = 3x, the rest of today 3 x 400 = 1,200
    assert day.remaining_den == pytest.approx(1200)
    # the month: today's 1,200, then Mondays 12-14, 12-21, 12-28 past the run's end at the
    # same-weekday 400 each: 1,200 + 3 x 400 = 2,400
    assert month.remaining_den == pytest.approx(2400)
    # 25 remaining days (12-07..12-31), the run gives 7 of them (12-07..12-13)
    assert any("gives 7 of the 25 remaining days" in n for n in month.notes)


def test_a_vendor_line_never_names_a_run_of_other_centers(two_centers_db) -> None:
    with Store.open(two_centers_db) as s:
        _add_run(s, "r_seoul", datetime(2026, 12, 7, 1, 0), "2026-12-31", 800.0)
    with Store.open(two_centers_db, read_only=True) as s:
        mine = early_warning(s.reader(Scope.centers("BUSAN")), as_of=AS_OF, staffing=False,
                             intraday=False)  # fmt: skip
        everyone = early_warning(s.reader(), as_of=AS_OF, staffing=False, intraday=False)
    (busan,) = mine.lines
    assert busan.volume_method == "same_weekday" and busan.forecast_run_id is None
    assert not any("r_seoul" in n for n in busan.notes + busan.notes_ko + mine.notes)
    assert "r_seoul" not in mine.model_dump_json()
    by_center = {ln.center_id: ln for ln in everyone.lines}
    assert by_center["SEOUL"].forecast_run_id == "r_seoul"
    assert by_center["BUSAN"].forecast_run_id is None  # the admin's BUSAN line alike


# --- staffing and intraday --------------------------------------------------------------------------
def _erlang_c_agents(calls: float, aht: float, interval: float, target: float, t: float) -> int:
    """Smallest N with 1 - C(N, A) exp(-(N - A) t / aht) >= target (Erlang C, by hand)."""
    a = calls * aht / interval
    n = math.floor(a) + 1
    while True:
        top = a**n / math.factorial(n) * n / (n - a)
        c = top / (sum(a**k / math.factorial(k) for k in range(n)) + top)
        if 1 - c * math.exp(-(n - a) * t / aht) >= target:
            return n
        n += 1


def test_intraday_watch_today(report) -> None:
    il = next(x for x in report.intraday if x.line_no == 0)
    # half hours of 100 calls: 09:00 none within 20 s (calls 0-99 are slow), 09:30 half (100-149
    # slow), 10:00-11:30 all: two intervals below 80 %, 100 + 50 contacts not within T
    assert [iv.value for iv in il.intervals] == pytest.approx([0, 0.5, 1, 1, 1, 1])
    assert il.intervals_below == 2 and il.missed_contacts == 150
    assert (il.day_num, il.day_den) == (450, 600)
    assert il.waiting_now == 1 and il.oldest_wait_s == pytest.approx(60)  # since 11:59:00
    assert il.current_interval == datetime(2026, 12, 7, 12, 0)
    # 12:00 expects the Mondays' 50 calls; no abandons, so Erlang A's patience is infinite and
    # the requirement is Erlang C's at 80/20 with AHT 300 s
    assert il.expected_contacts_now == pytest.approx(50)
    need = _erlang_c_agents(50, 300, 1800, 0.8, 20)
    assert il.agents_needed_now == need
    assert il.agents_scheduled_now == pytest.approx(2)
    assert il.agents_short_now == pytest.approx(need - 2)


def test_staffing_gap_for_the_required_service_level(report) -> None:
    ln = _line(report, 1)
    s = ln.staffing
    assert s is not None and s.required_sl == pytest.approx(ln.required)
    # 32 Monday-afternoon half hours remain (8 on each of 12-07, -14, -21, -28), 50 calls each,
    # 2 productive agents scheduled: each lacks N - 2 agents, N from Erlang C at the required SL
    n = _erlang_c_agents(50, 300, 1800, s.required_sl, 20)
    assert s.intervals == 32 and s.intervals_short == 32 and s.intervals_without_schedule == 0
    assert s.peak_extra_agents == n - 2
    hours = 32 * (n - 2) * 0.5 / (1 - 0.30)  # productive gap grossed up by 30 % shrinkage
    assert s.extra_agent_hours == pytest.approx(hours)
    assert s.extra_cost == pytest.approx(hours * 30_000)  # SEOUL's hourly cost
    # over the 24.5 days left at 40 h a week
    assert s.extra_fte == pytest.approx(hours / (40 * (31 - 6.5) / 7))


# --- consistency with compliance -------------------------------------------------------------------
def test_at_the_end_of_a_month_the_value_so_far_is_compliance(store) -> None:
    from ops.sla.compliance import compliance

    c = _contract()
    rep = early_warning(store.reader(), as_of=datetime(2026, 11, 30, 15, 0), contracts=[c],
                        staffing=False, intraday=False)  # fmt: skip
    month = compliance(store.reader(), month="2026-11", contracts=[c])
    actual = next(r for r in month.lines if r.line_no == 1 and r.period == "month")
    ln = _line(rep, 1)
    # as-of is midnight Seoul: December has started, November is the previous month
    assert ln.as_of_local == datetime(2026, 12, 1, 0, 0)
    assert ln.window_start == date(2026, 12, 1)
    rep = early_warning(store.reader(), as_of=datetime(2026, 11, 30, 14, 59, 59),
                        contracts=[c], staffing=False, intraday=False)  # fmt: skip
    ln = _line(rep, 1)
    assert ln.window_start == date(2026, 11, 1)
    assert (ln.done_num, ln.done_den) == (actual.num, actual.den) == (360 * 4, 400 * 4)
    assert ln.value_so_far == pytest.approx(actual.actual)
    assert ln.risk == "met"


# --- alerts -----------------------------------------------------------------------------------------
def test_alert_rules_merge_line_over_contract_over_defaults(store) -> None:
    lenient = AlertRules(projected_shortfall_pt=5.0, required_above=None)
    c = _contract(alerts={"projected_shortfall_pt": 1.0})
    rep = early_warning(store.reader(), as_of=AS_OF, contracts=[c], rules=lenient,
                        staffing=False, intraday=False)  # fmt: skip
    ln = _line(rep, 1)  # projected 85.909 % vs 88 %: 2.09 pt short, more than the contract's 1 pt
    assert ln.rules.projected_shortfall_pt == 1.0 and ln.rules.required_above is None
    assert ln.reasons == ["projected_miss"]
    c2 = _contract(alerts={"projected_shortfall_pt": 3.0})
    rep = early_warning(store.reader(), as_of=AS_OF, contracts=[c2], staffing=False,
                        intraday=False)  # fmt: skip
    assert _line(rep, 1).risk == "watch"  # 2.09 pt is inside 3 pt: watched, not alerted


def test_alerts_file_errors_name_the_file_and_field(tmp_path) -> None:
    from ops.errors import ConfigError

    f = tmp_path / "alerts.yaml"
    f.write_text("defaults: {required_above: 1.5}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"alerts.yaml: defaults.required_above"):
        read_alerts_file(f)
    f.write_text("defaults: {projected_shortfall_pt: 0.5}\ncenters: {SEOUL: {required_above: 0.9}}\n",
                 encoding="utf-8")  # fmt: skip
    got = read_alerts_file(f)
    assert got.defaults.projected_shortfall_pt == 0.5 and got.centers["SEOUL"].required_above == 0.9


def test_deliver_dedups_per_line_and_day(report, tmp_path) -> None:
    alerts = alerts_of(report)
    assert {a.line_no for a in alerts} == {1, 2}
    out = tmp_path / "alerts.jsonl"
    assert len(deliver(alerts, out).sent) == 2
    assert deliver(alerts, out).sent == []  # the same lines the same day: nothing new
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["key"] for r in rows] == [
        "SEOUL|SEOUL-T|v1|1|2026-12-07",
        "SEOUL|SEOUL-T|v1|2|2026-12-07",
    ]
    assert rows[0]["projected_penalty"] == pytest.approx(5_000_000)


# --- the CLI ----------------------------------------------------------------------------------------
CONTRACT_YAML = """
contract_id: SEOUL-T
center_id: SEOUL
version: 1
effective_from: 2026-01-01
monthly_fee: 100000000
metrics:
  - {metric: service_level, target: 0.88, threshold: 20s, scope: {channel: voice}, period: month,
     penalty: {tiers: [{from: 0, to: 2, pct_of_fee: 2}, {from: 2, pct_of_fee: 5}]}}
"""
BUSAN_YAML = CONTRACT_YAML.replace("SEOUL", "BUSAN")


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "ew.duckdb"
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "seoul.yaml").write_text(CONTRACT_YAML, encoding="utf-8")
    (tmp_path / "contracts" / "busan.yaml").write_text(BUSAN_YAML, encoding="utf-8")
    with Store.open(path) as s:
        load(s, _history() + _today())
        from ops.sla.contracts import load_contracts

        load_contracts(s, tmp_path / "contracts")
    return path


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        n = int(self.headers["Content-Length"])
        _Hook.received.append(json.loads(self.rfile.read(n)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_watch_exits_3_notifies_once_and_posts_to_the_webhook(db, tmp_path) -> None:
    from ops.sla.cli import app

    server = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    _Hook.received.clear()
    notify = tmp_path / "out" / "alerts.jsonl"
    args = ["watch", "--db", str(db), "--as-of", "2026-12-07T12:00+09:00", "--format", "json",
            "--notify", str(notify), "--webhook", url]  # fmt: skip
    try:
        r = CliRunner().invoke(app, args)
        assert r.exit_code == 3, r.output
        out = json.loads(r.output)
        assert out["as_of"] == "2026-12-07T03:00:00"
        keys = {a["key"] for a in out["at_risk"]}
        assert keys == {"SEOUL|SEOUL-T|v1|0|2026-12-07"}  # BUSAN has no contacts: unknown
        assert out["sent"] == sorted(keys)
        assert [h["key"] for h in _Hook.received] == sorted(keys)
        assert _Hook.received[0]["projected"] == pytest.approx(1890 / 2200)
        # the next run the same day: still at risk (exit 3), nothing new sent
        r = CliRunner().invoke(app, args)
        assert r.exit_code == 3 and json.loads(r.output)["sent"] == []
        assert len(_Hook.received) == 1 and len(notify.read_text().splitlines()) == 1
    finally:
        server.shutdown()


class _FailFirst(BaseHTTPRequestHandler):
    """Answers the first POST with HTTP 500 and the later ones with 204."""

    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        n = int(self.headers["Content-Length"])
        _FailFirst.received.append(json.loads(self.rfile.read(n)))
        self.send_response(500 if len(_FailFirst.received) == 1 else 204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


TWO_LINES_YAML = (
    CONTRACT_YAML
    + """\
  - {metric: service_level, target: 0.95, threshold: 20s, scope: {channel: voice}, period: day}
"""
)


def test_a_failing_webhook_is_reported_and_the_watch_carries_on(tmp_path) -> None:
    import socket

    from ops.sla.cli import app
    from ops.sla.contracts import load_contracts

    path = tmp_path / "two.duckdb"
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "seoul.yaml").write_text(TWO_LINES_YAML, encoding="utf-8")
    with Store.open(path) as s:
        load(s, _history() + _today())
        load_contracts(s, tmp_path / "contracts")
    server = HTTPServer(("127.0.0.1", 0), _FailFirst)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    _FailFirst.received.clear()
    notify = tmp_path / "alerts.jsonl"
    args = ["watch", "--db", str(path), "--as-of", "2026-12-07T03:00", "--notify", str(notify)]
    # both lines are at risk: the month line projects 1,890 / 2,200 = 85.9 % < 88 %, and the 95 %
    # day line needs (0.95 x 1,000 - 450) / 400 = 125 % of the rest of today
    keys = ["SEOUL|SEOUL-T|v1|0|2026-12-07", "SEOUL|SEOUL-T|v1|1|2026-12-07"]
    try:
        r = CliRunner().invoke(app, [*args, "--webhook", url])
    finally:
        server.shutdown()
    assert r.exit_code == 3, r.output
    assert "lines at risk as of SEOUL 2026-12-07 12:00" in r.stdout  # the report is printed
    assert f"error: webhook {url} answered HTTP 500 for {keys[0]}" in r.stderr
    assert [h["key"] for h in _FailFirst.received] == keys  # the second alert was still posted
    assert [json.loads(x)["key"] for x in notify.read_text().splitlines()] == keys
    # a closed port: nothing listens, every post fails, the report and the exit code stay
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    r = CliRunner().invoke(app, [*args[:-1], str(tmp_path / "b.jsonl"), "--webhook", closed,
                                 "--format", "json"])  # fmt: skip
    assert r.exit_code == 3, r.output
    out = json.loads(r.stdout)
    assert out["sent"] == keys
    assert [f["url"] for f in out["webhook_failed"]] == [closed, closed]
    assert r.stderr.count(f"error: webhook {closed} could not be reached") == 2


def test_watch_exit_0_when_nothing_is_at_risk_and_center_scope(db, tmp_path) -> None:
    from ops.sla.cli import app

    rules = tmp_path / "alerts.yaml"
    rules.write_text(
        "defaults: {projected_shortfall_pt: 5, required_above: null}\n", encoding="utf-8"
    )
    r = CliRunner().invoke(app, ["watch", "--db", str(db), "--as-of", "2026-12-07T03:00",
                                 "--alerts", str(rules), "--format", "csv", "--all"])  # fmt: skip
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["watch", "--db", str(db), "--as-of", "2026-12-07T03:00",
                                 "--center", "BUSAN", "--format", "json"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert {ln["center_id"] for ln in json.loads(r.output)["lines"]} == {"BUSAN"}
    r = CliRunner().invoke(app, ["watch", "--db", str(db), "--as-of", "yesterday-ish"])
    assert r.exit_code != 0 and "--as-of must be a timestamp" in str(r.exception)


@pytest.fixture()
def two_centers_db(tmp_path):
    """The CLI store with BUSAN given SEOUL's contacts too (ids prefixed ``b``): both centers'
    month lines are at risk."""
    path = tmp_path / "two.duckdb"
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "seoul.yaml").write_text(CONTRACT_YAML, encoding="utf-8")
    (tmp_path / "contracts" / "busan.yaml").write_text(BUSAN_YAML, encoding="utf-8")
    with Store.open(path) as s:
        load(s, _history() + _today() + _history("BUSAN", "b") + _today("BUSAN", "b"))
        from ops.sla.contracts import load_contracts

        load_contracts(s, tmp_path / "contracts")
    return path


def test_a_vendor_reader_sees_only_its_own_lines(two_centers_db, tmp_path) -> None:
    from ops.sla.cli import app

    with Store.open(two_centers_db, read_only=True) as s:
        rep = early_warning(s.reader(Scope.centers("BUSAN")), as_of=AS_OF)
        everyone = early_warning(s.reader(), as_of=AS_OF)
    # each center: 450 of 600 so far, the rest at 90 %: (450 + 0.9 x 1,600) / 2,200 = 85.9 % of
    # an 88 % month line, at risk in both
    busan = "BUSAN|BUSAN-T|v1|0|2026-12-07"
    seoul = "SEOUL|SEOUL-T|v1|0|2026-12-07"
    assert {ln.center_id: ln.risk for ln in everyone.lines} == {"BUSAN": "at_risk",
                                                                "SEOUL": "at_risk"}  # fmt: skip
    assert {ln.center_id for ln in rep.lines} == {"BUSAN"}
    assert {st.center_id for st in rep.statements} == {"BUSAN"}
    assert {il.center_id for il in rep.intraday} == {"BUSAN"}
    assert set(rep.as_of_local) == {"BUSAN"}
    assert [a.key for a in alerts_of(rep)] == [busan]  # SEOUL's line at risk is not BUSAN's
    assert sorted(a.key for a in alerts_of(everyone)) == [busan, seoul]
    mine, all_ = tmp_path / "busan.jsonl", tmp_path / "all.jsonl"
    deliver(alerts_of(rep), mine)
    deliver(alerts_of(everyone), all_)
    assert [json.loads(x)["center_id"] for x in mine.read_text().splitlines()] == ["BUSAN"]
    assert sorted(json.loads(x)["key"] for x in all_.read_text().splitlines()) == [busan, seoul]
    # the watch of one center reads through its scope: report, alerts and notify file alike
    cli_notify = tmp_path / "cli.jsonl"
    r = CliRunner().invoke(app, ["watch", "--db", str(two_centers_db), "--as-of",
                                 "2026-12-07T03:00", "--center", "BUSAN", "--format", "json",
                                 "--notify", str(cli_notify)])  # fmt: skip
    assert r.exit_code == 3, r.output
    out = json.loads(r.stdout)
    assert {ln["center_id"] for ln in out["lines"]} == {"BUSAN"}
    assert [a["key"] for a in out["at_risk"]] == out["sent"] == [busan]
    assert "SEOUL" not in r.stdout and "SEOUL" not in cli_notify.read_text()
