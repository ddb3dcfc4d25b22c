"""Query results kept on disk for the exact state of the database file (ops/store/resultdisk.py)."""

from __future__ import annotations

import dataclasses
import os
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ops.store.resultdisk import KEEP_STATES, ResultDisk, file_state, key_text


@pytest.fixture()
def result_dir(cache_on):
    """A result cache of this test only, turned on."""
    return cache_on("RESULT_CACHE", "results")


def _new_db(path: Path) -> None:
    from ops.store import Store

    with Store.open(path) as store, store.write() as cur:
        cur.execute("INSERT INTO centers (center_id, name) VALUES ('A', 'a'), ('B', 'b')")


@dataclasses.dataclass(frozen=True)
class _Window:
    start: date
    centers: tuple[str, ...] = ()


def test_key_text_names_plain_values_exactly_and_refuses_the_rest():
    a = key_text(("f", None, (_Window(date(2026, 11, 1), ("A",)),), {"x": 1, "y": "z"}))
    assert a is not None and "2026, 11, 1" in a and "'A'" in a
    # dicts and sets read the same whatever their order; 1 and "1" and 1.0 differ
    assert key_text({"x": 1, "y": 2}) == key_text({"y": 2, "x": 1})
    assert key_text({1, 2, 3}) == key_text({3, 2, 1})
    assert len({key_text(1), key_text("1"), key_text(1.0)}) == 3
    # a DataFrame's repr elides rows: two different frames could read the same; not kept
    assert key_text(("f", pd.DataFrame({"a": range(100)}))) is None
    assert key_text(object()) is None


def test_the_file_state_holds_while_nothing_is_written_and_moves_on_any_write(tmp_path):
    from ops.store import Store

    path = tmp_path / "s.duckdb"
    _new_db(path)
    before = file_state(path)
    # opened read-write and read-only, read and closed: DuckDB touches neither file nor log
    with Store.open(path) as store:
        store.query("SELECT count(*) FROM centers")
        assert file_state(path) == before
    con = duckdb.connect(str(path), read_only=True)
    con.execute("SELECT count(*) FROM centers").fetchall()
    con.close()
    assert file_state(path) == before
    # a write through ccops (its log, then the checkpoint at close) ...
    with Store.open(path) as store:
        with store.write() as cur:
            cur.execute("UPDATE centers SET name = 'a2' WHERE center_id = 'A'")
        assert file_state(path) != before
    after_ccops = file_state(path)
    assert after_ccops != before
    # ... and by any other program
    con = duckdb.connect(str(path))
    con.execute("UPDATE centers SET name = 'a3' WHERE center_id = 'A'")
    con.close()
    assert file_state(path) not in (before, after_ccops)


def test_results_round_trip_under_their_key_and_fingerprint_only(tmp_path):
    d = tmp_path / "r"
    frame = pd.DataFrame({"day": pd.to_datetime(["2026-11-01", "2026-11-02"]), "n": [3, 4]})
    ResultDisk(d, "f1" * 20).save(("q", "A"), frame)
    # a new instance (as in a new process) reads it back exactly
    again = ResultDisk(d, "f1" * 20)
    got = again.load(("q", "A"))
    pd.testing.assert_frame_equal(got, frame)
    assert again.hits == 1
    # another key, another fingerprint: misses
    assert ResultDisk.is_missing(again.load(("q", "B")))
    assert ResultDisk.is_missing(ResultDisk(d, "f2" * 20).load(("q", "A")))
    # a damaged file is a miss, and computing again replaces it
    (file,) = list((d / ("f1" * 20)[:32]).glob("*.pkl"))
    file.write_bytes(b"not a pickle")
    calls = []
    value = again.get_or_compute(("q", "A"), lambda: calls.append(1) or frame)
    assert calls == [1]
    pd.testing.assert_frame_equal(value, frame)
    assert not ResultDisk.is_missing(ResultDisk(d, "f1" * 20).load(("q", "A")))
    # a key with no exact text is computed every time and never kept
    calls.clear()
    for _ in range(2):
        again.get_or_compute(("q", pd.DataFrame({"a": [1]})), lambda: calls.append(1) or 5)
    assert calls == [1, 1]


def test_old_states_are_pruned(tmp_path):
    d = tmp_path / "r"
    for i in range(KEEP_STATES + 3):
        disk = ResultDisk(d, f"{i:02d}" * 20)
        disk.save(("q",), i)
        t = 1_700_000_000 + i
        os.utime(disk.directory, (t, t))
    newest = ResultDisk(d, "zz" * 20)
    newest.save(("q",), "new")
    kept = sorted(p.name for p in d.iterdir())
    assert len(kept) == KEEP_STATES
    assert newest.directory.name in kept
    # the newest older states survive, the oldest go
    assert f"{KEEP_STATES + 2:02d}" * 16 in kept and "00" * 16 not in kept


def test_a_store_reuses_results_across_processes_per_scope_until_the_data_changes(
    tmp_path, result_dir
):
    from dashboard.context import _on_disk
    from ops.store import Store

    path = tmp_path / "s.duckdb"
    _new_db(path)
    computed: list[str] = []

    def names(store, scope_key):
        def compute():
            computed.append(str(scope_key))
            where = "" if scope_key is None else f"WHERE center_id IN {tuple(scope_key) * 2}"
            return store.query(f"SELECT center_id FROM centers {where} ORDER BY 1")

        return _on_disk(store, ("scoped", "test:names", scope_key, (), {}), compute)

    with Store.open(path) as store:
        assert list(names(store, None)["center_id"]) == ["A", "B"]
        assert list(names(store, ("B",))["center_id"]) == ["B"]
    assert computed == ["None", "('B',)"]
    # a new store on the unchanged file (a restarted server): both read back, each in its scope
    with Store.open(path) as store:
        assert list(names(store, ("B",))["center_id"]) == ["B"]
        assert list(names(store, None)["center_id"]) == ["A", "B"]
    assert computed == ["None", "('B',)"]
    # a write through the store: the next call computes afresh and sees the new row
    with Store.open(path) as store:
        with store.write() as cur:
            cur.execute("INSERT INTO centers (center_id, name) VALUES ('C', 'c')")
        assert list(names(store, None)["center_id"]) == ["A", "B", "C"]
    assert computed[-1] == "None"
    # a change by another program, between two servers: computed afresh too
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM centers WHERE center_id = 'A'")
    con.close()
    n = len(computed)
    with Store.open(path) as store:
        assert list(names(store, None)["center_id"]) == ["B", "C"]
    assert len(computed) == n + 1


def test_no_result_disk_when_off_or_in_memory(tmp_path, result_dir, monkeypatch):
    from ops.config import get_settings
    from ops.store import Store

    with Store.open(":memory:") as store:
        assert store.result_disk() is None
    path = tmp_path / "s.duckdb"
    _new_db(path)
    monkeypatch.setenv("CCOPS_RESULT_CACHE", "false")
    get_settings.cache_clear()
    with Store.open(path) as store:
        assert store.result_disk() is None
