"""`ccops qa ...` and `ccops voc ...` on the demo store: exit 0, JSON shapes, clear errors.

The commands open the database read-only; the session's ``demo_store`` holds the demo file open
read-write in this process, and DuckDB refuses a second connection with another configuration, so
the commands run on a copy of the demo file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ops.qa.cli import app as qa_app
from ops.voc.cli import app as voc_app

runner = CliRunner()


@pytest.fixture(scope="module")
def cli_db(demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("qa_cli") / "demo_copy.duckdb"
    shutil.copyfile(demo_db_path, dst)
    return dst


def _json(app, args):
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.parametrize(
    ("app", "args", "key"),
    [
        (qa_app, ["report", "--by", "center"], "mean_score"),
        (qa_app, ["report", "--by", "evaluator", "--from", "2026-10-01", "--to", "2026-10-31"],
         "evaluator_id"),
        (qa_app, ["calibration"], "leniency"),
        (qa_app, ["calibration", "--show", "agreement"], "alpha_interval"),
        (qa_app, ["sample", "--week", "2026-W43", "--per-agent", "2"], "contact_id"),
        (qa_app, ["surveys", "--by", "center"], "nps"),
        (qa_app, ["audit-gap"], "gap"),
        (voc_app, ["tags", "--period", "week"], "change_pct"),
        (voc_app, ["tags", "--period", "month", "--level", "1"], "share"),
        (voc_app, ["tags", "--show", "tree"], "parent"),
        (voc_app, ["candidates", "--top", "3"], "fte_saved"),
        (voc_app, ["repeats", "--by", "center"], "repeat_rate"),
        (voc_app, ["funnel", "--by", "channel"], "containment"),
    ],
)  # fmt: skip
def test_commands_emit_json(cli_db, app, args, key):
    rows = _json(app, [*args, "--db", str(cli_db), "--format", "json"])
    assert rows and key in rows[0]


def test_csv_and_bad_input(cli_db):
    res = runner.invoke(voc_app, ["candidates", "--db", str(cli_db), "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.splitlines()[0].startswith("rank,tag_id")
    bad = runner.invoke(qa_app, ["sample", "--week", "43", "--db", str(cli_db)])
    assert bad.exit_code != 0 and "2026-W43" in str(bad.exception)
    missing = runner.invoke(qa_app, ["report", "--db", "/nonexistent/x.duckdb"])
    assert missing.exit_code != 0 and "No database" in str(missing.exception)
