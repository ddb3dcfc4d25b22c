"""The ccops command: help everywhere, info on a database, errors as one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ops.store import Store


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ops.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_help_lists_the_commands() -> None:
    out = run("--help")
    assert out.returncode == 0
    for cmd in ("demo", "info", "dashboard"):
        assert cmd in out.stdout


def test_info_prints_row_counts_as_json(tmp_path: Path) -> None:
    db = tmp_path / "i.duckdb"
    with Store.open(db) as s, s.write() as cur:
        cur.execute(
            "INSERT INTO contacts (contact_id, channel, queue_id, center_id, created_at) VALUES "
            "('a','voice','Q','C', TIMESTAMP '2026-01-01 00:00:00'),"
            "('b','voice','Q','C', TIMESTAMP '2026-01-03 12:00:00')"
        )
    out = run("info", "--db", str(db), "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = {r["table"]: r for r in json.loads(out.stdout)}
    assert rows["contacts"]["rows"] == 2
    assert rows["contacts"]["from"].startswith("2026-01-01")
    assert rows["contacts"]["to"].startswith("2026-01-03T12")
    assert rows["centers"]["rows"] == 0


def test_missing_database_is_a_one_line_error(tmp_path: Path) -> None:
    out = run("info", "--db", str(tmp_path / "missing.duckdb"))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert "ccops demo" in out.stderr


def test_unknown_command_is_a_usage_message_not_a_traceback() -> None:
    out = run("forecastx")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "No such command" in out.stderr


def test_table_cells_are_readable_numbers_and_dates():
    from datetime import datetime

    import pandas as pd

    from ops.output import _cell

    assert _cell(30280.0) == "30,280"  # was 3.028e+04
    assert _cell(15690.4) == "15,690"
    assert _cell(630.789) == "630.79"
    assert _cell(2.0) == "2"
    assert _cell(0.946634) == "0.9466"
    assert _cell(0.0) == "0"
    assert _cell(float("nan")) == ""
    assert _cell(pd.Timestamp("2026-10-16")) == "2026-10-16"  # not 2026-10-16 00:00:00
    assert _cell(datetime(2026, 10, 16, 9, 30)) == "2026-10-16 09:30:00"
