"""`ccops sla` commands on a small hand-made database (the contract for scripts)."""

from __future__ import annotations

import json

import pytest
from sla_fixtures import TEN_CALLS, TICKETS, load
from typer.testing import CliRunner

from ops.sla.cli import app
from ops.store import Store


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "sla.duckdb"
    with Store.open(path) as store:
        load(store, TEN_CALLS + TICKETS)
    return path


def test_report_json_has_metric_num_den(db):
    r = CliRunner().invoke(app, ["report", "--db", str(db), "--period", "day", "--by",
                                 "center,channel", "--metrics", "service_level,asa_s",
                                 "--format", "json"])  # fmt: skip
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    voice = next(x for x in rows if x["channel"] == "voice")
    assert voice["period"] == "2026-11-02" and voice["center_id"] == "SEOUL"
    assert (voice["service_level_num"], voice["service_level_den"]) == (4, 9)
    assert voice["asa_s"] == pytest.approx(100 / 6)


def test_load_compliance_and_errors(db):
    runner = CliRunner()
    r = runner.invoke(app, ["load", "--db", str(db), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert {x["contract_id"] for x in json.loads(r.output)} == {"SEOUL-INHOUSE", "BUSAN-BPO",
                                                               "MANILA-BPO"}  # fmt: skip
    r = runner.invoke(app, ["compliance", "--db", str(db), "--month", "2026-11", "--center",
                            "SEOUL", "--format", "json"])  # fmt: skip
    assert r.exit_code == 0, r.output
    rep = json.loads(r.output)
    sl = next(x for x in rep["lines"] if x["metric"] == "service_level" and x["period"] == "month")
    assert (sl["num"], sl["den"], sl["met"]) == (4, 9, False)
    r = runner.invoke(app, ["report", "--db", str(db), "--metrics", "nope"])
    assert r.exit_code != 0 and "Unknown metric 'nope'" in str(r.exception)
