"""Plans on partial data: history means over the weeks with data only, and no "under" against a
schedule that is not stored (hand-made stores and frames, expectations worked out by hand)."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from ops.staffing.planning import (
    NO_SCHEDULE,
    PlanTargets,
    coverage,
    gap_table,
    plan,
    plan_volume,
    schedule_delivers,
    schedule_notes,
)

OPEN_ALL = json.dumps(
    {
        "timezone": "Asia/Seoul",
        "weekly": {
            d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
        "holidays": None,
        "closed_dates": [],
    }
)


def _seed(store, starts: dict[str, date], last: date, sched: dict[str, tuple[date, date]]) -> None:
    """Per center: 2 voice calls at 10:00 local every day from ``starts[c]`` to ``last`` (answered
    after 5 s, 300 s handle); schedule rows 1 productive agent at 10:00 per day of ``sched[c]``."""
    centers = pd.DataFrame(
        [{"center_id": c, "name": c, "kind": "in_house", "timezone": "Asia/Seoul",
          "hourly_cost": 1.0, "calendar_json": OPEN_ALL} for c in starts]
    )  # fmt: skip
    queues = pd.DataFrame(
        [{"queue_id": "V", "name": "Voice", "channel": "voice", "mode": "live", "concurrency": 1}]
    )
    rows, srows = [], []
    for c, first in starts.items():
        d = first
        while d <= last:
            for i in range(2):
                t = datetime(d.year, d.month, d.day, 10, 5 * i)
                rows.append(
                    {"contact_id": f"{c}-{d}-{i}", "channel": "voice", "queue_id": "V",
                     "center_id": c, "created_at": t - timedelta(hours=9), "created_local": t,
                     "answered_at": t, "wait_s": 5.0, "handle_s": 300.0, "handled_by": "agent"}
                )  # fmt: skip
            d += timedelta(days=1)
    for c, (a, b) in sched.items():
        d = a
        while d <= b:
            t = datetime(d.year, d.month, d.day, 10)
            srows.append(
                {"center_id": c, "queue_id": "V", "interval_start": t - timedelta(hours=9),
                 "interval_local": t, "interval_s": 1800, "scheduled_s": 1800 / 0.7,
                 "productive_s": 1800.0}
            )  # fmt: skip
            d += timedelta(days=1)
    contacts = pd.DataFrame(rows)
    for col in ("created_at", "created_local", "answered_at"):
        contacts[col] = pd.to_datetime(contacts[col])
    with store.write() as cur:
        store.append_df("centers", centers, cur)
        store.append_df("queues", queues, cur)
        store.append_df("contacts", contacts, cur)
        if srows:
            store.append_df("schedules", pd.DataFrame(srows), cur)


def test_history_mean_leaves_out_weeks_before_the_data_starts(tmp_store) -> None:
    # Plan from Monday 2026-11-02, 8 weeks: history window 2026-09-07 .. 2026-11-01.
    # A: data from Friday 2026-09-25: full weeks with data 09-28 .. 11-01 = 5 weeks, 2 calls a day
    #    each -> Monday 10:00 = 10 / 5 = 2 (the zero-filled 8-week mean gave 10 / 8 = 1.25).
    # B: data from Monday 2026-10-19: 2 full weeks (10-19 .. 11-01) -> 4 / 2 = 2.
    # C: data from Thursday 2026-10-29: no full week; Thu..Sun once each -> 2 on Thursday, none
    #    on Monday (no Monday with data).
    _seed(
        tmp_store,
        {"A": date(2026, 9, 25), "B": date(2026, 10, 19), "C": date(2026, 10, 29)},
        date(2026, 11, 1),
        {},
    )
    vol, source = plan_volume(tmp_store.reader(), date(2026, 11, 2), 8)
    at = vol.set_index(["center_id", "interval_local"])["calls"]
    assert at[("A", pd.Timestamp("2026-11-02 10:00"))] == pytest.approx(2.0)
    assert at[("B", pd.Timestamp("2026-11-02 10:00"))] == pytest.approx(2.0)
    assert at[("C", pd.Timestamp("2026-11-05 10:00"))] == pytest.approx(2.0)  # a Thursday
    assert ("C", pd.Timestamp("2026-11-02 10:00")) not in at.index
    # Every day of the plan for A: 56 days x 2 calls.
    assert vol.loc[vol["center_id"] == "A", "calls"].sum() == pytest.approx(112.0)
    assert "A 5 full week(s) with data (2026-09-28 .. 2026-11-01)" in source
    assert "B 2 full week(s) with data (2026-10-19 .. 2026-11-01)" in source
    assert "C 4 day(s) with data, less than a full week (2026-10-29 .. 2026-11-01)" in source
    assert "not counted as zero" in source


def test_history_mean_leaves_out_weeks_after_the_data_ends(tmp_store) -> None:
    # Data 2026-09-01 .. 2026-10-14 (a Wednesday); plan from Monday 2026-10-26, 4 weeks: window
    # 09-28 .. 10-25. Full weeks inside the data: 09-28 .. 10-04 and 10-05 .. 10-11 -> N = 2;
    # 10-12 .. 10-18 holds 3 days of data and 10-19 .. 10-25 none: both left out -> 2 per Monday.
    _seed(tmp_store, {"A": date(2026, 9, 1)}, date(2026, 10, 14), {})
    vol, source = plan_volume(tmp_store.reader(), date(2026, 10, 26), 4)
    mon = vol[vol["interval_local"] == pd.Timestamp("2026-10-26 10:00")]
    assert mon["calls"].iloc[0] == pytest.approx(2.0)
    assert source.startswith("mean of the 2 full week(s) with data (2026-09-28 .. 2026-10-11)")


def test_plan_without_a_stored_schedule_says_no_schedule_not_under(tmp_store) -> None:
    # Schedule stored 2026-11-02 .. 2026-11-04 only; plan one week from 2026-11-02.
    _seed(
        tmp_store,
        {"A": date(2026, 10, 5)},
        date(2026, 11, 1),
        {"A": (date(2026, 11, 2), date(2026, 11, 4))},
    )
    out = plan(tmp_store.reader(), date(2026, 11, 2), 1, targets=PlanTargets(use_patience=False))
    cov = out["coverage"].set_index("interval_local")
    day = pd.to_datetime(cov.index).date
    stored = cov[day <= date(2026, 11, 4)]
    missing = cov[day > date(2026, 11, 4)]
    assert len(stored) == 3 and len(missing) == 4  # one 10:00 interval a day
    assert stored["schedule_stored"].all() and not missing["schedule_stored"].any()
    assert (missing["status"] == NO_SCHEDULE).all()
    assert missing[["productive_agents", "rostered_agents", "gap_productive",
                    "schedule_service_level"]].isna().all().all()  # fmt: skip
    # Where it is stored: 1 productive agent against 2 calls of 300 s in 30 min (a = 1/3 Erlang):
    # one agent is not enough for 80 % in 20 s (Erlang C, N = 1: P(wait) = a = 1/3, SL = 1 - 1/3 *
    # exp(-(1 - 1/3) * 20 / 300) = 0.681 < 0.8), so 2 are required. Gap = 1 - 2 = -1: under.
    assert (stored["raw_agents"] == 2).all() and (stored["status"] == "under").all()
    assert (stored["gap_productive"] == -1).all()
    assert out["schedule_notes"] == [
        "No stored schedule for A (all queues) on 2026-11-05 .. 2026-11-08 (4 of 7 plan days; "
        "stored schedules run 2026-11-02 .. 2026-11-04): those intervals have status "
        "'no schedule', no gap and no schedule SL. Import schedules to compare."
    ]


def test_coverage_days_inside_the_stored_span_are_a_roster_of_zero() -> None:
    """A day between a pool's first and last stored day without rows (closed) is scheduled-zero."""
    req = pd.DataFrame(
        {"center_id": "C", "queue_id": "Q", "channel": "voice", "mode": "live",
         "interval_local": pd.to_datetime(["2026-11-02 10:00", "2026-11-03 10:00",
                                           "2026-11-04 10:00", "2026-11-05 10:00"]),
         "calls": 4.0, "aht_s": 300.0, "concurrency": 1.0, "patience_s": np.inf,
         "raw_agents": 2.0, "scheduled_agents": 3.0}
    )  # fmt: skip
    sched = pd.DataFrame(
        {"center_id": "C", "queue_id": "Q",
         "interval_local": pd.to_datetime(["2026-11-02 10:00", "2026-11-04 10:00"]),
         "productive_agents": [2.0, 3.0], "scheduled_agents": [3.0, 4.0]}
    )  # fmt: skip
    cov = coverage(req, sched)  # span from the frame: 11-02 .. 11-04
    assert cov["status"].tolist() == ["ok", "under", "over", NO_SCHEDULE]
    assert cov["required_agents"].tolist() == [3.0, 3.0, 3.0, 3.0]
    assert cov["gap_scheduled"].iloc[:3].tolist() == [0.0, -3.0, 1.0]
    assert np.isnan(cov["gap_scheduled"].iloc[3])
    delivered = schedule_delivers(cov, PlanTargets())
    assert delivered["schedule_service_level"].iloc[:3].notna().all()
    assert np.isnan(delivered["schedule_service_level"].iloc[3])
    # The gap table averages only days with a schedule: Thursday (no schedule) stays empty.
    tab = gap_table(cov)
    assert tab.loc["10:00", "mon"] == 0.0 and tab.loc["10:00", "tue"] == -2.0
    assert "thu" not in tab.columns or np.isnan(tab.loc["10:00", "thu"])
    span = pd.DataFrame(
        {"center_id": ["C"], "queue_id": ["Q"], "first_day": [date(2026, 11, 2)],
         "last_day": [date(2026, 11, 4)]}
    )  # fmt: skip
    notes = schedule_notes(cov, span, date(2026, 11, 2), date(2026, 11, 6))
    assert len(notes) == 1
    assert "No stored schedule for C (all queues) on 2026-11-05 (1 of 4 plan days" in notes[0]


def test_cli_plan_notes_missing_schedule_on_stderr(tmp_path) -> None:
    from typer.testing import CliRunner

    from ops.cli import _register_subcommands, app
    from ops.store import Store

    path = tmp_path / "p.duckdb"
    with Store.open(path) as store:
        _seed(store, {"A": date(2026, 10, 5)}, date(2026, 11, 1), {})
    _register_subcommands()
    res = CliRunner().invoke(app, ["staff", "plan", "--db", str(path), "--from", "2026-11-02",
                                   "--format", "csv"])  # fmt: skip
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.stdout))
    assert (df["status"] == NO_SCHEDULE).all() and not df["schedule_stored"].any()
    assert "required_agents" in df.columns and "scheduled_agents" not in df.columns
    assert "No stored schedule for A (all queues) on 2026-11-02 .. 2026-11-08" in res.stderr
    assert "no schedule is stored for it at all" in res.stderr


def test_history_plan_has_no_volume_on_a_centers_holidays(tmp_store) -> None:
    # 2 calls a day at 10:00 from 2026-09-07; KR holidays. 2026-10-03 (National Foundation Day)
    # is a Saturday, so Monday 2026-10-05 is its substitute holiday: a plan from 10-05 must not
    # repeat a normal Monday there (2 calls at 10:00), while Tuesday 10-06 keeps its 2 calls.
    _seed(tmp_store, {"S": date(2026, 9, 7)}, date(2026, 10, 4), {})
    cal = json.loads(OPEN_ALL) | {"holidays": "KR"}
    with tmp_store.write() as cur:
        cur.execute("UPDATE centers SET calendar_json = ?", [json.dumps(cal)])
    vol, sentence = plan_volume(tmp_store.reader(), date(2026, 10, 5), 1)
    # the dashboard's wording of the same facts: the engine's sentence in English, the day in Korean
    from dashboard.components.planning_text import volume_basis_text
    from ops.staffing.planning import plan_volume_basis

    _, _, facts = plan_volume_basis(tmp_store.reader(), date(2026, 10, 5), 1)
    result = {"volume_source": sentence, "volume_basis": facts}
    assert volume_basis_text(result, {}, "en") == sentence
    assert "센터 휴일·휴무일은 물량 없음 (S 2026-10-05" in volume_basis_text(result, {}, "ko")
    by_day = vol.assign(day=pd.to_datetime(vol["interval_local"]).dt.date).groupby("day")["calls"]
    calls = by_day.sum()
    assert calls[date(2026, 10, 5)] == 0.0
    assert calls[date(2026, 10, 6)] == pytest.approx(2.0)
    assert "no volume on the centers' holidays and closed dates (S 2026-10-05" in sentence


def test_history_mean_leaves_holidays_out_of_the_weekday_mean(tmp_store) -> None:
    # calls every day from 2026-09-07 (2 a day at 10:00), except none on Chuseok 2026-09-24..26
    # (Thu-Sat, KR holidays). Plan from Mon 2026-10-05 over 4 weeks of history (09-07 .. 10-04):
    # Thursdays 09-10, 09-17, 09-24 (holiday), 10-01 -> mean over the 3 ordinary Thursdays = 2,
    # not (2 + 2 + 0 + 2) / 4 = 1.5. (10-03, a Saturday holiday, is also left out.)
    _seed(tmp_store, {"S": date(2026, 9, 7)}, date(2026, 10, 4), {})
    cal = json.loads(OPEN_ALL) | {"holidays": "KR"}
    with tmp_store.write() as cur:
        cur.execute("UPDATE centers SET calendar_json = ?", [json.dumps(cal)])
        cur.execute(
            "DELETE FROM contacts WHERE CAST(created_local AS DATE) BETWEEN '2026-09-24' AND "
            "'2026-09-26'"
        )
    vol, _ = plan_volume(tmp_store.reader(), date(2026, 10, 5), 1)
    calls = vol.assign(day=pd.to_datetime(vol["interval_local"]).dt.date).groupby("day")["calls"]
    assert calls.sum()[date(2026, 10, 8)] == pytest.approx(2.0)  # a Thursday
    assert calls.sum()[date(2026, 10, 10)] == pytest.approx(2.0)  # a Saturday
