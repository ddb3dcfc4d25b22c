"""Planning on the store: counts, patience estimate, requirements, coverage and gaps (hand-made data)."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ops.errors import StaffingError
from ops.staffing import required_agents
from ops.staffing.planning import (
    PlanTargets,
    coverage,
    gap_table,
    interval_counts,
    open_mask,
    patience_estimates,
    plan,
    requirements,
    schedule_intervals,
)

CAL = json.dumps(
    {
        "timezone": "Asia/Seoul",
        "weekly": {d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
        | {"sat": [], "sun": []},
        "holidays": None,
        "closed_dates": [],
    }
)


def _seed(store) -> None:
    """Two Mondays (2026-09-07 and 2026-09-14) of one voice queue at one center, 09:00-10:00 local."""
    centers = pd.DataFrame(
        [
            {
                "center_id": "C1",
                "name": "One",
                "kind": "in_house",
                "timezone": "Asia/Seoul",
                "hourly_cost": 30000.0,
                "calendar_json": CAL,
            }
        ]
    )
    queues = pd.DataFrame(
        [
            {
                "queue_id": "V",
                "name": "Voice",
                "channel": "voice",
                "mode": "live",
                "concurrency": 1,
            },
            {
                "queue_id": "E",
                "name": "Email",
                "channel": "email",
                "mode": "async",
                "concurrency": 1,
            },
        ]
    )
    rows = []
    # 09:00 interval: 4 calls: answered after 0, 10, 30 s; one abandoned after 40 s (and 1 bot-contained).
    for day in (date(2026, 9, 7), date(2026, 9, 14)):
        base = datetime(day.year, day.month, day.day, 9, 0)
        for i, (wait, ans) in enumerate(
            [(0, True), (10, True), (30, True), (40, False), (3, False)]
        ):
            created = base + timedelta(minutes=5 * i)
            rows.append(
                {
                    "contact_id": f"{day}-{i}",
                    "channel": "voice",
                    "queue_id": "V",
                    "center_id": "C1",
                    "created_at": created - timedelta(hours=9),
                    "created_local": created,
                    "answered_at": created if ans else None,
                    "abandoned_at": None if ans else created,
                    "wait_s": float(wait),
                    "handle_s": 300.0 if ans else None,
                    "handled_by": "agent",
                }
            )
        rows.append(
            {
                "contact_id": f"{day}-bot",
                "channel": "voice",
                "queue_id": "V",
                "center_id": "C1",
                "created_at": base - timedelta(hours=9),
                "created_local": base,
                "handled_by": "bot",
            }
        )
    contacts = pd.DataFrame(rows)
    for c in ("answered_at", "abandoned_at", "created_at", "created_local"):
        contacts[c] = pd.to_datetime(contacts[c])
    sched = []
    for day in (date(2026, 9, 7), date(2026, 9, 14), date(2026, 9, 21)):
        for h, agents in ((9, 2.0), (9.5, 1.0)):
            local = datetime(day.year, day.month, day.day) + timedelta(hours=h)
            sched.append(
                {
                    "center_id": "C1",
                    "queue_id": "V",
                    "interval_start": local - timedelta(hours=9),
                    "interval_local": local,
                    "interval_s": 1800,
                    "scheduled_s": agents * 1800 / 0.7,
                    "productive_s": agents * 1800,
                }
            )
    with store.write() as cur:
        store.append_df("centers", centers, cur)
        store.append_df("queues", queues, cur)
        store.append_df("contacts", contacts, cur)
        store.append_df("schedules", pd.DataFrame(sched), cur)


def test_interval_counts_and_patience_by_hand(tmp_store) -> None:
    _seed(tmp_store)
    r = tmp_store.reader()
    c = interval_counts(r, date(2026, 9, 7), date(2026, 9, 8), answer_s=20, short_abandon_s=5)
    # All five agent contacts are in the 09:00 bucket (created 09:00..09:20); the bot one is not counted.
    assert len(c) == 1
    row = c.iloc[0]
    assert row["offered"] == 5 and row["answered"] == 3 and row["abandoned"] == 2
    assert row["answered_within_t"] == 2  # waits 0 and 10 (30 > 20)
    assert row["abandoned_short"] == 1  # the 3 s abandon
    assert row["wait_sum_all_s"] == pytest.approx(0 + 10 + 30 + 40 + 3)
    assert row["handle_sum_s"] == pytest.approx(900.0)
    # Exponential patience MLE: sum of all waits / abandons = 83 / 2 = 41.5 s.
    p = patience_estimates(c)
    assert p.loc[0, "patience_s"] == pytest.approx(41.5)


def test_interval_counts_are_the_sla_registry_counts(tmp_store) -> None:
    # Same seed as above: 5 agent contacts at 09:00 on 2026-09-07 (answered waits 0, 10, 30;
    # abandoned waits 40 and 3). The SLA registry (short abandons < 5 s removed) says offered 4,
    # abandoned 1, answered within 20 s 2; planning keeps the short abandon inside its offered
    # (5) and names it (1), so the two agree by construction: 5 - 1 = 4, 2 - 1 = 1.
    from ops.sla import metric_table

    _seed(tmp_store)
    r = tmp_store.reader()
    c = interval_counts(r, date(2026, 9, 7), date(2026, 9, 8), answer_s=20, short_abandon_s=5)
    m = metric_table(r, ["offered", "abandoned", "short_abandons", "service_level"],
                     period="interval", by=["center", "queue"], start="2026-09-07",
                     end="2026-09-07")  # fmt: skip
    assert len(c) == len(m) == 1
    assert (m.offered[0], m.abandoned[0], m.short_abandons[0]) == (4, 1, 1)
    assert m.service_level_num[0] == 2 and m.service_level_den[0] == 4
    assert c.offered[0] - c.abandoned_short[0] == m.offered[0]
    assert c.abandoned[0] - c.abandoned_short[0] == m.abandoned[0]
    assert c.answered_within_t[0] == m.service_level_num[0]
    # a different short-abandon rule moves both the same way: with 0 s nothing is short
    c0 = interval_counts(r, date(2026, 9, 7), date(2026, 9, 8), answer_s=20, short_abandon_s=0)
    assert (c0.offered[0], c0.abandoned_short[0]) == (5, 0)


def test_schedule_intervals(tmp_store) -> None:
    _seed(tmp_store)
    s = schedule_intervals(tmp_store.reader(), date(2026, 9, 7), date(2026, 9, 8))
    assert s["productive_agents"].tolist() == [2.0, 1.0]
    assert s["scheduled_agents"].tolist() == pytest.approx([2 / 0.7, 1 / 0.7])


def test_requirements_match_required_agents_and_coverage_gaps() -> None:
    vol = pd.DataFrame(
        {
            "center_id": "C1",
            "queue_id": "V",
            "interval_local": pd.to_datetime(["2026-09-21 09:00", "2026-09-21 09:30"]),
            "calls": [100.0, 40.0],
            "aht_s": [180.0, 180.0],
        }
    )
    queues = pd.DataFrame(
        {"queue_id": ["V"], "channel": ["voice"], "mode": ["live"], "concurrency": [1]}
    )
    centers = pd.DataFrame({"center_id": ["C1"], "calendar_json": [CAL]})
    t = PlanTargets(target_sl=0.8, answer_s=20, shrinkage=0.3, use_patience=False)
    req = requirements(vol, queues, centers, t)
    direct = required_agents([100, 40], 1800, 180, target_sl=0.8, answer_s=20, shrinkage=0.3)
    assert req["raw_agents"].tolist() == direct["raw_agents"].tolist()
    # 100 calls: the published Call Centre Helper table gives SL(13) = 0.7956 < 0.8, SL(14) = 0.888.
    assert req["raw_agents"].iloc[0] == 14
    sched = pd.DataFrame(
        {
            "center_id": "C1",
            "queue_id": "V",
            "interval_local": pd.to_datetime(["2026-09-21 09:00", "2026-09-21 09:30"]),
            "productive_agents": [10.0, 8.0],
            "scheduled_agents": [14.0, 12.0],
        }
    )
    cov = coverage(req, sched)
    raw = req["raw_agents"].to_numpy()
    assert cov["gap_productive"].tolist() == [10 - raw[0], 8 - raw[1]]
    assert cov["status"].iloc[0] == "under"
    tab = gap_table(cov)
    assert tab.loc["09:00", "mon"] == 10 - raw[0]


def test_async_requirement_uses_business_hours() -> None:
    # 18 emails overnight (closed) and none by day, 10 min each, 3 business hours target:
    # lump 10800 agent-s at 09:00 must clear within 3 h - 10 min -> 10800 / 10200 agents.
    times = pd.date_range("2026-09-21 00:00", periods=48, freq="30min")
    calls = np.where(times.hour < 9, 1.0, 0.0)  # 18 half-hours before 09:00
    vol = pd.DataFrame(
        {
            "center_id": "C1",
            "queue_id": "E",
            "interval_local": times,
            "calls": calls,
            "aht_s": 600.0,
        }
    )
    queues = pd.DataFrame(
        {"queue_id": ["E"], "channel": ["email"], "mode": ["async"], "concurrency": [1]}
    )
    centers = pd.DataFrame({"center_id": ["C1"], "calendar_json": [CAL]})
    req = requirements(vol, queues, centers, PlanTargets(shrinkage=0.0, async_response_s=10800))
    open_rows = req[req["interval_local"].dt.hour.between(9, 17)]
    assert open_rows["raw_agents"].iloc[0] == pytest.approx(10800 / 10200, rel=1e-6)
    assert (req.loc[req["interval_local"].dt.hour < 9, "raw_agents"] == 0).all()


def test_open_mask_weekly_hours() -> None:
    ts = pd.Series(pd.to_datetime(["2026-09-21 08:30", "2026-09-21 09:00", "2026-09-21 17:30",
                                   "2026-09-21 18:00", "2026-09-26 10:00"]))  # fmt: skip
    assert open_mask(CAL, ts).tolist() == [False, True, True, False, False]


def test_plan_on_store_uses_last_weeks_history(tmp_store) -> None:
    _seed(tmp_store)
    out = plan(tmp_store.reader(), date(2026, 9, 21), 1, targets=PlanTargets(use_patience=True))
    # The store's contacts run 2026-09-07 .. 2026-09-14. Of the 4 history weeks (2026-08-24 ..
    # 2026-09-20) only 2026-09-07 .. 09-13 lies wholly inside the data: 08-24 and 08-31 start
    # before it (zeros there are missing data, not quiet weeks) and 09-14 .. 09-20 runs past its
    # last day. Monday 09:00 = 5 calls / 1 week = 5 (the old zero-filled mean said 10 / 4 = 2.5).
    assert out["volume_source"].startswith(
        "mean of the 1 full week(s) with data (2026-09-07 .. 2026-09-13)"
    )
    assert "contacts start: C1 2026-09-07" in out["volume_source"]
    # the dashboard words the same facts: in English exactly the engine's sentence, in Korean
    # with the same dates
    from dashboard.components.planning_text import volume_basis_text

    assert volume_basis_text(out, {}, "en") == out["volume_source"]
    ko = volume_basis_text(out, {}, "ko")
    assert ko.startswith("데이터가 있는 완전한 1주 (2026-09-07 .. 2026-09-13)의 요일·시간대별 평균")
    assert "상담 데이터 시작: C1 2026-09-07" in ko
    req = out["requirements"]
    row = req[req["interval_local"] == pd.Timestamp("2026-09-21 09:00")].iloc[0]
    assert row["calls"] == pytest.approx(5.0)
    assert row["aht_s"] == pytest.approx(300.0)
    cov = out["coverage"]
    assert set(cov["interval_local"]) >= {pd.Timestamp("2026-09-21 09:00")}
    # What the schedule delivers at 09:00: 2 productive agents, 5 calls of 300 s, patience
    # 83 s of waits / 2 abandons = 41.5 s per Monday -> the birth-death chain's SL (independent).
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from ctmc import reference

    c9 = cov[cov["interval_local"] == pd.Timestamp("2026-09-21 09:00")].iloc[0]
    assert c9["patience_s"] == pytest.approx(41.5)
    ref = reference(5.0 / 1800, 300.0, 2, 41.5, t=20.0)
    assert c9["schedule_service_level"] == pytest.approx(ref["service_level"], rel=1e-8)
    assert c9["schedule_abandon_rate"] == pytest.approx(ref["abandon_rate"], rel=1e-8)
    with pytest.raises(StaffingError, match="No history"):
        plan(tmp_store.reader(), date(2026, 1, 5), 1)


def test_plan_prefers_a_stored_forecast(tmp_store) -> None:
    _seed(tmp_store)
    days = pd.date_range("2026-09-21", periods=7, freq="D")
    with tmp_store.write() as cur:
        tmp_store.append_df(
            "forecast_runs",
            pd.DataFrame(
                [
                    {
                        "run_id": "r1",
                        "created_at": pd.Timestamp("2026-09-20 12:00"),
                        "freq": "D",
                        "horizon": 7,
                        "model": "test",
                    }
                ]
            ),  # fmt: skip
            cur,
        )
        tmp_store.append_df(
            "forecasts",
            pd.DataFrame(
                {
                    "run_id": "r1",
                    "series_id": "C1|V",
                    "center_id": "C1",
                    "queue_id": "V",
                    "ds": days,
                    "yhat": 10.0,
                }
            ),  # fmt: skip
            cur,
        )
    out = plan(tmp_store.reader(), date(2026, 9, 21), 1)
    assert out["volume_source"].startswith("stored forecast run r1")
    from dashboard.components.planning_text import volume_basis_text

    assert volume_basis_text(out, {}, "en") == out["volume_source"]
    assert volume_basis_text(out, {}, "ko").startswith("저장된 수요 예측 r1 (생성 ")
    req = out["requirements"]
    # Every Monday contact of the history fell in the 09:00 interval: share 1.0 -> 10 calls there.
    row = req[req["interval_local"] == pd.Timestamp("2026-09-21 09:00")].iloc[0]
    assert row["calls"] == pytest.approx(10.0)
    assert row["aht_s"] == pytest.approx(300.0)


def test_cli_plan_shifts_hiring(tmp_path) -> None:
    import io

    from typer.testing import CliRunner

    from ops.cli import _register_subcommands, app
    from ops.store import Store

    path = tmp_path / "plan.duckdb"
    with Store.open(path) as store:
        _seed(store)
    _register_subcommands()
    runner = CliRunner()
    res = runner.invoke(app, ["staff", "plan", "--db", str(path), "--from", "2026-09-21",
                              "--weeks", "1", "--format", "csv"])  # fmt: skip
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.stdout))
    assert df["volume_source"].str.startswith("mean of the 1 full week(s) with data").all()
    row = df[df["interval_local"] == "2026-09-21 09:00:00"].iloc[0]
    assert row["calls"] == pytest.approx(5.0) and row["productive_agents"] == 2.0
    assert row["status"] in ("under", "over", "ok") and bool(row["schedule_stored"])
    res = runner.invoke(app, ["staff", "shifts", "--db", str(path), "--center", "C1", "--queue", "V",
                              "--date", "2026-09-21", "--format", "json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["covers_every_interval"] is True and out["starts"]
    res = runner.invoke(app, ["staff", "hiring", "--headcount", "10", "--need", "10,10,10,12",
                              "--lead-weeks", "1", "--training-weeks", "1", "--attrition", "0",
                              "--format", "json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert [r["hires_decided"] for r in json.loads(res.stdout)] == [0, 2, 0, 0]
