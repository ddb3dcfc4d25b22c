"""The store: migrations, schema agreement, one writer, cursors per thread, errors, scoping."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from ops.errors import ScopeError, StoreError
from ops.store import TABLES, Scope, Store


def test_migrations_create_every_table_with_the_schema_columns(empty_store: Store) -> None:
    cur = empty_store.cursor()
    for name, spec in TABLES.items():
        cols = [r[0] for r in cur.execute(f"DESCRIBE {name}").fetchall()]
        assert cols == spec.column_names, name


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    with Store.open(path) as s:
        v1 = s.schema_version()
        with s.write() as cur:
            cur.execute(
                "INSERT INTO centers (center_id, name, kind, timezone) VALUES ('X','x','vendor','UTC')"
            )
    with Store.open(path) as s:
        assert s.migrate() == []
        assert s.schema_version() == v1
        assert s.query("SELECT count(*) AS n FROM centers")["n"][0] == 1
        assert s.query("SELECT count(*) AS n FROM schema_migrations")["n"][0] == v1


def test_old_database_is_upgraded_in_place(tmp_path: Path) -> None:
    # A database made before any migration ran (only some table) gets the full schema.
    import duckdb

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE notes (x INTEGER)")
    con.execute("INSERT INTO notes VALUES (1)")
    con.close()
    with Store.open(path) as s:
        assert s.schema_version() >= 1
        assert s.query("SELECT x FROM notes")["x"].tolist() == [1]
        assert "contacts" in s.query("SHOW TABLES")["name"].tolist()


def test_failed_write_rolls_back_and_keeps_what_was_stored(empty_store: Store) -> None:
    with empty_store.write() as cur:
        cur.execute(
            "INSERT INTO centers (center_id, name, kind, timezone) VALUES ('A','a','vendor','UTC')"
        )
    with pytest.raises(StoreError):
        with empty_store.write() as cur:
            cur.execute(
                "INSERT INTO centers (center_id, name, kind, timezone) VALUES ('B','b','vendor','UTC')"
            )
            cur.execute("SELECT * FROM no_such_table")
    assert empty_store.query("SELECT center_id FROM centers")["center_id"].tolist() == ["A"]


def test_store_error_is_actionable_for_a_locked_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    Store.open(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ready', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="another process"):
            Store.open(path)
    finally:
        holder.kill()
        holder.wait()


def test_read_only_open_of_missing_file_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="ccops demo"):
        Store.open(tmp_path / "nope.duckdb", read_only=True)


def test_eight_threads_query_at_once_without_failures(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "threads.duckdb")
    n = 200_000
    with store.write() as cur:
        cur.execute(
            "INSERT INTO contacts (contact_id, channel, queue_id, center_id, created_at, wait_s) "
            f"SELECT 'c' || i, 'voice', 'Q' || (i % 5), CASE WHEN i % 2 = 0 THEN 'A' ELSE 'B' END, "
            f"TIMESTAMP '2026-01-01' + to_seconds(i), i % 60 FROM range({n}) t(i)"
        )
    errors: list[BaseException] = []
    results: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def work(k: int) -> None:
        try:
            barrier.wait()
            for _ in range(10):
                sql_n = int(store.query("SELECT count(*) AS n FROM contacts")["n"][0])
                rd = store.reader(Scope.centers("A") if k % 2 else Scope.all())
                t = rd.contacts
                ibis_n = int(rd.execute(t.count()))
                with lock:
                    results.append(sql_n)
                    results.append(ibis_n * (2 if k % 2 else 1))
        except BaseException as e:  # noqa: BLE001 - collected for the assertion
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.close()
    assert errors == []
    # every thread saw all rows; the scoped (center A) threads saw exactly half
    assert len(results) == 160 and set(results) == {n}


def test_a_finished_threads_cursor_goes_to_the_next_thread(tmp_path: Path) -> None:
    """Streamlit runs each rerun on a new thread: the next thread reuses the finished one's cursor,
    Ibis backend and compiled SQL instead of opening and compiling everything again; threads
    running at the same time never share one."""
    store = Store.open(tmp_path / "pool.duckdb")
    with store.write() as cur:
        cur.execute(
            "INSERT INTO contacts (contact_id, channel, queue_id, center_id, created_at, wait_s) "
            "SELECT 'c' || i, 'voice', 'Q1', 'A', TIMESTAMP '2026-01-01' + to_seconds(i), i "
            "FROM range(10) t(i)"
        )
    cursors: list[object] = []
    counts: list[int] = []

    def work() -> None:
        rd = store.reader()
        counts.append(int(rd.execute(rd.contacts.wait_s.sum())))
        cursors.append(store.cursor())

    for _ in range(3):
        th = threading.Thread(target=work)
        th.start()
        th.join()
    assert counts == [45, 45, 45]  # 0 + 1 + ... + 9
    assert cursors[0] is cursors[1] is cursors[2]
    # the expression was compiled once, by the first thread (its table objects are reused)
    assert store.compiled_sql.misses == 1 and store.compiled_sql.hits == 2

    held: list[object] = []
    barrier = threading.Barrier(2)

    def hold() -> None:
        held.append(store.cursor())
        barrier.wait()  # both threads hold their cursor at the same time

    pair = [threading.Thread(target=hold) for _ in range(2)]
    for th in pair:
        th.start()
    for th in pair:
        th.join()
    assert held[0] is not held[1]
    assert cursors[0] in (held[0], held[1])  # one of them took the idle cursor

    # a thread that leaves a result half-read (fetchone) does not block the next one's queries
    def half() -> None:
        store.cursor().execute("SELECT * FROM range(100000)").fetchone()

    after: list[int] = []
    for target in (half, lambda: after.append(len(store.ibis().table("queues").execute()))):
        th = threading.Thread(target=target)
        th.start()
        th.join()
    assert after == [0]
    store.close()


def test_an_unclosed_store_is_still_freed_and_a_closed_one_says_so(tmp_path: Path) -> None:
    """The session pool holds no reference to its store: a store dropped without close() is
    garbage-collected (its file can be opened again); a closed store refuses new work clearly."""
    import gc
    import weakref

    path = tmp_path / "dropped.duckdb"
    store = Store.open(path)
    store.query("SELECT 1")  # this thread now holds a pooled session
    ref = weakref.ref(store)
    del store
    gc.collect()
    assert ref() is None
    again = Store.open(path)  # the file lock went with it
    again.close()
    with pytest.raises(StoreError, match="closed"):
        again.query("SELECT 1")


def test_vendor_scope_filters_every_center_table(empty_store: Store) -> None:
    rows = pd.DataFrame(
        {"center_id": ["SEOUL", "BUSAN"], "name": ["s", "b"], "kind": ["in_house", "vendor"],
         "timezone": ["Asia/Seoul"] * 2}
    )  # fmt: skip
    with empty_store.write() as cur:
        empty_store.append_df("centers", rows, cur)
    rd = empty_store.reader(Scope.centers("BUSAN"))
    assert rd.centers()["center_id"].tolist() == ["BUSAN"]
    assert empty_store.reader().centers()["center_id"].tolist() == ["BUSAN", "SEOUL"]
    with pytest.raises(ScopeError):
        Scope.centers("BUSAN").check("SEOUL")
    assert Scope.centers("BUSAN").restrict(["SEOUL", "BUSAN"]) == ["BUSAN"]
    assert Scope.centers("BUSAN").restrict(None) == ["BUSAN"]


def test_append_rejects_unknown_columns(empty_store: Store) -> None:
    with pytest.raises(StoreError, match="Unknown column"):
        with empty_store.write() as cur:
            empty_store.append_df("centers", pd.DataFrame({"center_id": ["X"], "bogus": [1]}), cur)


def test_vendor_sees_company_wide_events_and_its_own_but_not_other_centers(
    empty_store: Store,
) -> None:
    ev = pd.DataFrame(
        {
            "event_id": ["h", "b", "s"],
            "kind": ["holiday", "outage", "campaign"],
            "name": ["Chuseok", "Busan phone outage", "Seoul-only campaign"],
            "start_date": pd.to_datetime(["2026-09-24"] * 3).date,
            "end_date": pd.to_datetime(["2026-09-26"] * 3).date,
            "center_id": [None, "BUSAN", "SEOUL"],
        }
    )
    with empty_store.write() as cur:
        empty_store.append_df("events", ev, cur)
    rd = empty_store.reader(Scope.centers("BUSAN"))
    assert sorted(rd.execute(rd.events)["event_id"]) == ["b", "h"]
    assert len(empty_store.reader().execute(empty_store.reader().events)) == 3
