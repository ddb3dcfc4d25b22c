"""Store round trip: contacts -> daily volume -> stored run -> forecast vs actual (hand-made data)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ops.forecasting import service
from ops.store.scope import Scope

SEOUL_WEEK = [12, 11, 10, 9, 9, 5, 3]
BUSAN_WEEK = [8, 8, 8, 8, 8, 4, 0]  # closed on Sundays
START = pd.Timestamp("2025-01-06")  # a Monday
DAYS = 126  # 18 weeks


def _calendar(holidays: str | None) -> str:
    return json.dumps({"timezone": "Asia/Seoul", "weekly": {}, "holidays": holidays})


def _seed(store) -> None:
    centers = pd.DataFrame(
        [
            {"center_id": "SEOUL", "name": "Seoul", "kind": "in_house", "timezone": "Asia/Seoul",
             "calendar_json": _calendar(None)},
            {"center_id": "BUSAN", "name": "Busan", "kind": "vendor", "timezone": "Asia/Seoul",
             "calendar_json": _calendar(None)},
        ]
    )  # fmt: skip
    queues = pd.DataFrame(
        [{"queue_id": "V_GENERAL", "name": "General voice", "channel": "voice", "mode": "live"}]
    )
    rows = []
    for center, week in (("SEOUL", SEOUL_WEEK), ("BUSAN", BUSAN_WEEK)):
        for d in range(DAYS):
            day = START + pd.Timedelta(days=d)
            for i in range(week[day.weekday()]):
                local = day + pd.Timedelta(hours=9, minutes=20 * i)
                rows.append((center, local, "agent"))
            # A bot-contained contact every day: not offered to agents, must not count.
            rows.append((center, day + pd.Timedelta(hours=12), "bot"))
    contacts = pd.DataFrame(rows, columns=["center_id", "created_local", "handled_by"])
    contacts["contact_id"] = [f"C{i}" for i in range(len(contacts))]
    contacts["channel"] = "voice"
    contacts["queue_id"] = "V_GENERAL"
    contacts["created_at"] = contacts["created_local"] - pd.Timedelta(hours=9)
    with store.write() as cur:
        store.append_df("centers", centers, cur)
        store.append_df("queues", queues, cur)
        store.append_df("contacts", contacts, cur)


def test_store_round_trip(empty_store) -> None:
    store = empty_store
    _seed(store)
    vol = service.daily_volume(store)
    assert sorted(vol["series_id"].unique()) == ["BUSAN|V_GENERAL", "SEOUL|V_GENERAL"]
    first_week = vol[vol["series_id"] == "SEOUL|V_GENERAL"]["y"].head(7).tolist()
    assert first_week == SEOUL_WEEK  # bot rows excluded

    as_of = (START + pd.Timedelta(days=111)).date()  # 16 weeks of history, 2 weeks left to compare
    run_id = service.run_store_forecast(store, horizon=21, as_of=as_of, n_origins=1)
    runs = service.list_runs(store)
    assert runs["run_id"].tolist() == [run_id] and runs["as_of"].iloc[0] == str(as_of)

    stored = store.query("SELECT * FROM forecasts WHERE run_id = ?", [run_id])
    assert len(stored) == 2 * 21
    assert set(stored["center_id"]) == {"SEOUL", "BUSAN"}
    assert (stored["queue_id"] == "V_GENERAL").all()
    assert stored["ds"].min() == pd.Timestamp(as_of) + pd.Timedelta(days=1)

    fva = service.forecast_vs_actual(store, "latest")
    seen = fva[fva["actual"].notna()]
    assert len(seen) == 2 * 14  # the last 7 forecast days are after the data end
    busan = seen[seen["center_id"] == "BUSAN"]
    assert (busan.loc[busan["ds"].dt.weekday == 6, ["yhat", "actual"]].to_numpy() == 0).all()
    # A pure weekly pattern: every model in the race forecasts it exactly.
    np.testing.assert_allclose(seen["yhat"], seen["actual"], rtol=1e-3, atol=1e-6)

    acc = service.accuracy_by_horizon(store, run_id)
    assert set(acc["bucket"]) == {"1-7", "8-14"}
    assert acc["wape"].max() == pytest.approx(0.0, abs=1e-3)
    assert (acc["series_id"] == "ALL").sum() == 2

    # Vendor scope: BUSAN sees only its own forecast rows.
    scoped = service.forecast_vs_actual(store, run_id, Scope.centers("BUSAN"))
    assert set(scoped["center_id"]) == {"BUSAN"}

    summary = service.run_summary(store, run_id)
    assert set(summary["series_id"]) == {"BUSAN|V_GENERAL", "SEOUL|V_GENERAL"}
    assert summary.set_index("series_id").at["BUSAN|V_GENERAL", "closed_weekdays"] == "6"


def test_interval_forecast_from_stored_run(empty_store) -> None:
    store = empty_store
    _seed(store)
    run_id = service.run_store_forecast(store, horizon=7, n_origins=0, model="snaive")
    iv = service.interval_forecast(store, run_id, freq="60min")
    daily = store.query("SELECT series_id, ds, yhat FROM forecasts WHERE run_id = ?", [run_id])
    per_day = iv.groupby(["series_id", iv["ds"].dt.normalize()])["yhat"].sum()
    for r in daily.itertuples():
        assert per_day[(r.series_id, pd.Timestamp(r.ds))] == pytest.approx(r.yhat)
    # Contacts arrive every 20 minutes from 09:00: nothing is forecast before 09:00.
    assert iv.loc[iv["ds"].dt.hour < 9, "yhat"].sum() == 0


def test_backfill_runs(empty_store) -> None:
    store = empty_store
    _seed(store)
    ids = service.backfill_runs(store, (4, 2), horizon=14, model="snaive")
    runs = service.list_runs(store)
    assert runs["run_id"].tolist() == [ids[1], ids[0]]  # newest (2 weeks before end) first
    end = (START + pd.Timedelta(days=DAYS - 1)).date()
    assert runs["as_of"].tolist() == [
        str(end - pd.Timedelta(days=14)),
        str(end - pd.Timedelta(days=28)),
    ]


def test_cli_run_backtest_accuracy(tmp_path) -> None:
    from typer.testing import CliRunner

    from ops.cli import _register_subcommands, app
    from ops.store import Store

    if not any(g.name == "forecast" for g in app.registered_groups):
        _register_subcommands()
    db = tmp_path / "fc.duckdb"
    with Store.open(db) as store:
        _seed(store)
    runner = CliRunner()
    r = runner.invoke(app, ["forecast", "run", "--db", str(db), "--horizon", "7", "--origins",
                            "1", "--as-of", "2025-05-04", "--format", "csv"])  # fmt: skip
    assert r.exit_code == 0, r.output
    lines = r.output.strip().splitlines()
    assert lines[0].startswith("run_id,series_id,model,models,wape,wape_1_7,wape_1_28")
    assert len(lines) == 3
    r = runner.invoke(app, ["forecast", "accuracy", "--db", str(db), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert '"bucket": "1-7"' in r.output
    assert '"coverage": ' in r.output  # the stored P10-P90 band against what happened
    r = runner.invoke(app, ["forecast", "backtest", "--db", str(db), "--models", "snaive,ets",
                            "--horizon", "14", "--origins", "2", "--format", "csv"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0].startswith("model,bucket,wape,mape,bias,mase")


def test_daily_volume_matches_demo_counts(demo_store) -> None:
    # Read-only cross-check on the shared demo: the Ibis aggregate equals a plain SQL count of
    # contacts offered to agents, and every series is zero-filled to the same last day.
    vol = service.daily_volume(demo_store)
    n = demo_store.query(
        "SELECT count(*) AS n FROM contacts WHERE handled_by IS NULL OR handled_by = 'agent'"
    )["n"].iloc[0]
    assert vol["y"].sum() == n
    assert vol.groupby("series_id")["ds"].max().nunique() == 1
    assert not vol.duplicated(["series_id", "ds"]).any()


def test_backfill_skips_as_of_without_history(empty_store) -> None:
    store = empty_store
    _seed(store)  # 18 weeks: 16 weeks before the end leaves 14 days (< 28): skipped
    ids = service.backfill_runs(store, (16, 2), horizon=7, model="snaive")
    assert len(ids) == 1
    end = (START + pd.Timedelta(days=DAYS - 1)).date()
    assert service.list_runs(store)["as_of"].tolist() == [str(end - pd.Timedelta(days=14))]


def test_run_summary_shows_a_vendor_only_its_own_series(empty_store) -> None:
    import json
    from datetime import datetime

    import pandas as pd

    from ops.forecasting.service import run_summary
    from ops.store import Scope

    params = {"series": {"BUSAN|VOICE": {"model": "ets"}, "SEOUL|VOICE": {"model": "snaive"}}}
    run = pd.DataFrame(
        [{"run_id": "r1", "created_at": datetime(2026, 11, 1), "freq": "D", "horizon": 7,
          "model": "auto", "params_json": json.dumps(params)}]
    )  # fmt: skip
    with empty_store.write() as cur:
        empty_store.append_df("forecast_runs", run, cur)
    assert run_summary(empty_store, "r1", Scope.centers("BUSAN"))["series_id"].tolist() == [
        "BUSAN|VOICE"
    ]
    assert len(run_summary(empty_store, "r1")) == 2
    # the run list counts series within the scope too: BUSAN sees its one series, admin both
    from ops.forecasting.service import list_runs

    assert list_runs(empty_store, Scope.centers("BUSAN"))["series"].tolist() == [1]
    assert list_runs(empty_store, Scope.centers("MANILA"))["series"].tolist() == [0]
    assert list_runs(empty_store)["series"].tolist() == [2]


def test_daily_volume_window_has_no_zeros_before_a_queue_existed(empty_store) -> None:
    # queue OLD has contacts on Jan 1 and Jan 5 (none on Jan 2-4); queue NEW starts on Jan 4
    rows = [
        ("OLD", "2026-01-01 10:00"), ("OLD", "2026-01-05 10:00"), ("OLD", "2026-01-05 11:00"),
        ("NEW", "2026-01-04 10:00"), ("NEW", "2026-01-05 10:00"),
    ]  # fmt: skip
    contacts = pd.DataFrame(rows, columns=["queue_id", "created_local"])
    contacts["created_local"] = pd.to_datetime(contacts["created_local"])
    contacts["created_at"] = contacts["created_local"] - pd.Timedelta(hours=9)
    contacts["contact_id"] = [f"C{i}" for i in range(len(contacts))]
    contacts["center_id"] = "SEOUL"
    contacts["channel"] = "voice"
    with empty_store.write() as cur:
        empty_store.append_df("contacts", contacts, cur)
    vol = service.daily_volume(
        empty_store, start=pd.Timestamp("2026-01-02").date(), end=pd.Timestamp("2026-01-05").date()
    )
    by = {s: g.set_index("ds")["y"] for s, g in vol.groupby("series_id")}
    # OLD existed before the window: Jan 2-4 are true zeros, Jan 5 has 2 contacts
    assert by["SEOUL|OLD"].tolist() == [0.0, 0.0, 0.0, 2.0]
    assert str(by["SEOUL|OLD"].index[0].date()) == "2026-01-02"
    # NEW did not exist before Jan 4: its series starts there, not with zeros on Jan 2-3
    assert by["SEOUL|NEW"].tolist() == [1.0, 1.0]
    assert str(by["SEOUL|NEW"].index[0].date()) == "2026-01-04"
