"""Atomic and idempotent imports: a killed or failing import leaves the store as it was, and
importing the same file twice is the same as importing it once."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops.store import Store
from ops.store.importers import import_file

from .conftest import SAMPLES, seed, snapshot

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys
from ops.store import Store
from ops.store.importers import import_file
with Store.open(sys.argv[1]) as store:
    import_file(store, sys.argv[2], progress=lambda stage: print(stage, flush=True))
print("finished", flush=True)
"""


def big_contacts_csv(path: Path, rows: int) -> None:
    import duckdb

    duckdb.sql(
        f"""COPY (SELECT 'BIG' || i AS contact_id, ['voice','chat','email'][1 + i % 3] AS channel,
                  'Q_VOICE_GEN' AS queue_id, 'SEOUL' AS center_id, 'U' || (i % 5000) AS customer_id,
                  '결제/카드' AS tag_id,
                  strftime(TIMESTAMP '2026-01-01' + to_seconds(i * 7), '%Y-%m-%d %H:%M:%S') AS created_at,
                  strftime(TIMESTAMP '2026-01-01' + to_seconds(i * 7 + 30), '%Y-%m-%d %H:%M:%S')
                    AS answered_at
            FROM range({rows}) t(i)) TO '{path}' (FORMAT csv, HEADER true)"""
    )


@pytest.mark.slow
def test_sigkill_mid_import_leaves_store_unchanged(tmp_path):
    db = tmp_path / "kill.duckdb"
    with Store.open(db) as store:
        seed(store)
        import_file(store, SAMPLES / "canonical_contacts.csv")
        before = snapshot(store)
    big = tmp_path / "big.csv"
    big_contacts_csv(big, 400_000)
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(big)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stages = []
    assert proc.stdout is not None
    for line in proc.stdout:
        stages.append(line.strip())
        if line.strip() == "derived":
            # the 400k contacts are inserted (uncommitted); repeat flags, the log and COMMIT remain
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert "derived" in stages, (stages, proc.stderr.read() if proc.stderr else "")
    assert proc.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    with Store.open(db) as store:  # opens fine (WAL replay of committed work only)
        assert snapshot(store) == before
        assert store.query("SELECT count(*) AS n FROM contacts").n[0] == 5


def test_error_mid_import_rolls_back(store, monkeypatch):
    from ops.store.importers import engine

    before = snapshot(store)

    def boom(*a, **k):
        raise RuntimeError("disk full (simulated)")

    # fails after the contacts were inserted, inside the same transaction
    monkeypatch.setattr(engine._ImportJob, "_store_rejects", boom)
    with pytest.raises(RuntimeError, match="simulated"):
        import_file(store, SAMPLES / "canonical_contacts.csv")
    after = snapshot(store)
    runs = after.pop("import_runs")
    before.pop("import_runs")
    assert after == before  # contacts, rejected_rows, centers, queues: untouched
    assert sum("failed" in repr(r) for r in runs) == 1


row_strategy = st.tuples(
    st.sampled_from(["C1", "C2", "C3", "C4", "C5"]),
    st.sampled_from(["voice", "chat", "email", "fax", ""]),
    st.sampled_from(["Q_VOICE_GEN", "Q_NEW"]),
    st.sampled_from(["SEOUL", "MANILA", "NEWC"]),
    st.sampled_from(["U1", "U2", ""]),
    st.sampled_from(["결제/카드", "배송/지연", ""]),
    st.sampled_from(["2026-10-01 09:00:00", "2026-10-03 10:00:00", "2026-10-01T00:00:00Z", "bad"]),
    st.sampled_from(["", "2026-10-01 09:00:30", "2026-10-01 08:00:00"]),
    st.sampled_from(["", "1", "5", "6", "x"]),
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(row_strategy, min_size=1, max_size=12))
def test_importing_twice_equals_importing_once(tmp_path, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["contact_id", "channel", "queue_id", "center_id", "customer_id", "tag_id",
                "created_at", "answered_at", "csat"])  # fmt: skip
    w.writerows(rows)
    f = tmp_path / "h.csv"
    f.write_text(buf.getvalue(), encoding="utf-8")
    with Store.open(":memory:") as store:
        first = import_file(store, f)
        once = snapshot(store)
        second = import_file(store, f)
        twice = snapshot(store)
    for t in ("import_runs", "rejected_rows"):  # the audit log records both attempts
        once.pop(t)
        twice.pop(t)
    assert twice == once
    assert (second.inserted, second.updated) == (0, 0)
    assert second.accepted == first.accepted == second.duplicates
    assert second.rejected == first.rejected
