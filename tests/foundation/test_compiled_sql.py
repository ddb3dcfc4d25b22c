"""The compiled-SQL cache: equal Ibis expressions reuse their SQL; results are never cached."""

from __future__ import annotations

import pandas as pd
import pytest

from ops.store.compiled import CompiledSqlCache


def _contacts(ids_waits: list[tuple[str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "contact_id": [i for i, _ in ids_waits],
            "source": "test",
            "channel": "voice",
            "center_id": "SEOUL",
            "created_at": pd.Timestamp("2026-10-01 00:00"),
            "created_local": pd.Timestamp("2026-10-01 09:00"),
            "wait_s": [w for _, w in ids_waits],
        }
    )


def _answered_within(reader, seconds: float) -> int:
    t = reader.table("contacts")
    f = t.filter(t.wait_s <= seconds)
    return int(reader.execute(f.aggregate(n=f.count()))["n"][0])


def test_equal_expressions_reuse_sql_and_still_read_fresh_data(tmp_store):
    with tmp_store.write() as cur:
        tmp_store.append_df("contacts", _contacts([("A", 5.0), ("B", 15.0), ("C", 25.0)]), cur)
    cache = tmp_store.compiled_sql
    reader = tmp_store.reader()
    # waits 5, 15, 25: two are <= 20 s, all three <= 30 s
    assert _answered_within(reader, 20) == 2
    misses = cache.misses
    assert _answered_within(reader, 20) == 2  # rebuilt from scratch: an equal expression
    assert cache.misses == misses and cache.hits >= 1
    assert _answered_within(reader, 30) == 3  # another literal: another query
    assert cache.misses == misses + 1
    # the SQL is reused, the data is read again: a new contact waiting 10 s counts at once
    with tmp_store.write() as cur:
        tmp_store.append_df("contacts", _contacts([("D", 10.0)]), cur)
    assert _answered_within(reader, 20) == 3


def test_scopes_compile_to_different_queries(tmp_store):
    rows = _contacts([("S1", 5.0), ("B1", 5.0), ("B2", 5.0)])
    rows.loc[1:, "center_id"] = "BUSAN"
    with tmp_store.write() as cur:
        tmp_store.append_df("contacts", rows, cur)
    from ops.store.scope import Scope

    # the same query under two scopes: one SEOUL contact, two BUSAN ones
    assert _answered_within(tmp_store.reader(Scope.centers("SEOUL")), 20) == 1
    assert _answered_within(tmp_store.reader(Scope.centers("BUSAN")), 20) == 2
    assert _answered_within(tmp_store.reader(Scope.centers("SEOUL")), 20) == 1


def test_cache_is_bounded_least_recently_used():
    cache = CompiledSqlCache(max_entries=2)
    cache.put("a", "SELECT 1")
    cache.put("b", "SELECT 2")
    assert cache.get("a") == "SELECT 1"  # a is now the most recent
    cache.put("c", "SELECT 3")  # evicts b
    assert cache.get("b") is None and cache.get("a") == "SELECT 1" and len(cache) == 2


def test_prepared_queries_keep_the_readers_scope_and_read_fresh_data(tmp_store):
    rows = _contacts([("S1", 5.0), ("B1", 5.0), ("B2", 25.0)])
    rows.loc[1:, "center_id"] = "BUSAN"
    with tmp_store.write() as cur:
        tmp_store.append_df("contacts", rows, cur)
    from ops.store.scope import Scope

    def run(reader) -> pd.DataFrame:
        def build():
            t = reader.table("contacts")
            return t.group_by("center_id").aggregate(
                n=t.count(), w=t.wait_s.sum(), d=t.created_local.date().max(),
                ans=t.answered_at.max(), csat=t.csat.max(), ces=t.ces.sum(),
            )  # fmt: skip

        # the same key from every reader: the scope is part of the prepared query's identity
        return reader.execute_prepared(("test.by_center",), build).sort_values("center_id")

    seoul, busan = (
        tmp_store.reader(Scope.centers("SEOUL")),
        tmp_store.reader(Scope.centers("BUSAN")),
    )
    assert run(seoul)[["center_id", "n"]].values.tolist() == [["SEOUL", 1]]
    assert run(busan)[["center_id", "n"]].values.tolist() == [["BUSAN", 2]]
    assert run(seoul)[["center_id", "n"]].values.tolist() == [["SEOUL", 1]]  # hit, still SEOUL
    everyone = run(tmp_store.reader())
    assert everyone["n"].tolist() == [2, 1]  # BUSAN, SEOUL
    # the frame is the one Ibis' execute gives (same columns and dtypes)
    t = tmp_store.reader().table("contacts")
    direct = (
        tmp_store.reader()
        .execute(
            t.group_by("center_id").aggregate(
                n=t.count(),
                w=t.wait_s.sum(),
                d=t.created_local.date().max(),
                ans=t.answered_at.max(),
                csat=t.csat.max(),
                ces=t.ces.sum(),
            )  # fmt: skip
        )
        .sort_values("center_id")
    )
    # dates, all-NULL timestamps and integers (csat, ces are NULL here) come back alike
    assert list(direct.dtypes) == list(everyone.dtypes)
    pd.testing.assert_frame_equal(direct.reset_index(drop=True), everyone.reset_index(drop=True))
    # new rows show up: the SQL is kept, the data is read again (waits 5 + 25 + 10 for BUSAN)
    with tmp_store.write() as cur:
        tmp_store.append_df("contacts", _contacts([("B3", 10.0)]).assign(center_id="BUSAN"), cur)
    assert run(busan)[["n", "w"]].values.tolist() == [[3, 40.0]]


def _prepared_names(store) -> set[str]:
    sql = "SELECT name FROM duckdb_prepared_statements()"
    return {r[0] for r in store.cursor().execute(sql).fetchall()}


def test_prepared_statements_rebind_after_a_schema_change_and_stay_bounded(tmp_store, monkeypatch):
    """The SQL runs as a DuckDB prepared statement per cursor (PREPARE once, EXECUTE after)."""
    import ops.store.compiled as compiled

    with tmp_store.write() as cur:
        tmp_store.append_df("contacts", _contacts([("S1", 5.0), ("S2", 7.0)]), cur)
    reader = tmp_store.reader()

    def waits(key: str = "test.waits") -> float:
        def build():
            t = reader.table("contacts")
            return t.aggregate(w=t.wait_s.sum())

        return float(reader.execute_prepared((key,), build)["w"].iloc[0])

    assert waits() == 12.0
    names = list(tmp_store.statements())
    assert len(names) == 1
    assert names[0] in _prepared_names(tmp_store)
    # a column added to the table the statement reads: DuckDB re-binds, the answer is unchanged
    with tmp_store.write() as cur:
        cur.execute("ALTER TABLE contacts ADD COLUMN bench_extra INTEGER")
        tmp_store.append_df("contacts", _contacts([("S3", 3.0)]), cur)
    assert waits() == 15.0  # 5 + 7 + 3
    # another thread has its own cursor, hence its own statements
    import threading

    out: list[float] = []
    th = threading.Thread(target=lambda: out.append(waits()))
    th.start()
    th.join()
    assert out == [15.0]
    # bounded: beyond MAX_STATEMENTS the oldest statement is deallocated on the cursor
    monkeypatch.setattr(compiled, "MAX_STATEMENTS", 2)
    waits("test.b")
    waits("test.c")
    live = _prepared_names(tmp_store)
    assert len(tmp_store.statements()) == 2 and names[0] not in live
    assert set(tmp_store.statements()) <= live
    assert waits() == 15.0  # the evicted one is prepared again when needed


def test_reference_digest_is_cached_until_the_next_write(tmp_store):
    reader = tmp_store.reader()
    gen = tmp_store.generation
    first = reader.tables_digest("centers", "queues")
    assert reader.tables_digest("centers", "queues") == first  # same generation: cached
    assert tmp_store._derived[("tables_digest", ("centers", "queues"))][0] == gen
    with tmp_store.write() as cur:
        cur.execute(
            "INSERT INTO centers (center_id, name, kind, timezone) "
            "VALUES ('JEJU', 'Jeju', 'vendor', 'Asia/Seoul')"
        )
    assert tmp_store.generation == gen + 1
    assert reader.tables_digest("centers", "queues") != first  # the new center is seen
    # a failed write still moves the generation (nothing cached can outlive an attempt)
    import pytest

    from ops.errors import StoreError

    with pytest.raises(StoreError), tmp_store.write() as cur:
        cur.execute("INSERT INTO no_such_table VALUES (1)")
    assert tmp_store.generation == gen + 2


def test_prepared_frames_equal_ibis_execute_for_every_column_kind(tmp_store):
    """The prepared path converts plain columns in one pyarrow call (NULL-holding, nested and
    dictionary columns one by one): the frame must still be exactly Ibis' ``execute`` frame, for
    ints, floats, booleans, strings, dates, timestamps, arrays, columns with and without NULLs,
    and an empty result."""
    rows = _contacts([("S1", 5.0), ("S2", 25.0), ("S3", 40.0)])
    rows["answered_at"] = [pd.Timestamp("2026-10-01 00:00:05"), None, pd.Timestamp("2026-10-01")]
    rows["csat"] = [5, None, 3]
    rows["handled_by"] = ["agent", None, "bot"]
    with tmp_store.write() as cur:
        tmp_store.append_df("contacts", rows, cur)
    reader = tmp_store.reader()

    def build(empty: bool):
        t = reader.table("contacts")
        if empty:
            t = t.filter(t.wait_s > 1000)
        return t.group_by("contact_id").aggregate(
            n=t.count(), w=t.wait_s.sum(), fast=(t.wait_s <= 20).any(),
            d=t.created_local.date().max(), ans=t.answered_at.max(), csat=t.csat.max(),
            who=t.handled_by.max(), waits=t.wait_s.collect(),
        ).order_by("contact_id")  # fmt: skip

    for empty in (False, True):
        prepared = reader.execute_prepared(("test.kinds", empty), lambda e=empty: build(e))
        direct = reader.execute(build(empty))
        assert list(prepared.columns) == list(direct.columns)
        assert list(prepared.dtypes) == list(direct.dtypes), (empty, prepared.dtypes, direct.dtypes)
        pd.testing.assert_frame_equal(prepared, direct)


@pytest.fixture()
def plan_dir(cache_on):
    """A plan cache of this test only, turned on."""
    return cache_on("PLAN_CACHE", "plans")


def _by_center(reader, *, built: list[str]) -> pd.DataFrame:
    def build():
        built.append("built")
        t = reader.table("contacts")
        return t.group_by("center_id").aggregate(n=t.count(), w=t.wait_s.sum())

    return reader.execute_prepared(("test.disk_by_center",), build).sort_values("center_id")


def test_plans_on_disk_serve_a_new_process_fresh_data_in_its_scope(tmp_path, plan_dir):
    from ops.store import Store
    from ops.store.scope import Scope

    path = tmp_path / "p.duckdb"
    rows = _contacts([("S1", 5.0), ("B1", 5.0), ("B2", 25.0)])
    rows.loc[1:, "center_id"] = "BUSAN"
    built: list[str] = []
    with Store.open(path) as store:
        with store.write() as cur:
            store.append_df("contacts", rows, cur)
        first = _by_center(store.reader(), built=built)
    assert built == ["built"] and len(list(plan_dir.glob("*.json"))) == 1
    # a new store on the file (a new process): the plan comes from disk, nothing is built
    with Store.open(path) as store:
        again = _by_center(store.reader(), built=built)
        assert built == ["built"]
        pd.testing.assert_frame_equal(again, first)
        assert again[["center_id", "n"]].values.tolist() == [["BUSAN", 2], ["SEOUL", 1]]
        # the SQL runs afresh: a new row counts
        with store.write() as cur:
            store.append_df("contacts", _contacts([("S2", 1.0)]), cur)
        assert _by_center(store.reader(), built=built)["n"].tolist() == [2, 2]
        # another scope is another key: built for it, and it sees its own center only
        seoul = _by_center(store.reader(Scope.centers("SEOUL")), built=built)
        assert built == ["built", "built"]
        assert seoul[["center_id", "n"]].values.tolist() == [["SEOUL", 2]]
    with Store.open(path) as store:  # both plans reused, each in its own scope
        busan = _by_center(store.reader(Scope.centers("BUSAN")), built=built)
        seoul = _by_center(store.reader(Scope.centers("SEOUL")), built=built)
        assert built == ["built"] * 3  # BUSAN's scope was new; SEOUL's came from disk
        assert busan["center_id"].tolist() == ["BUSAN"] and seoul["center_id"].tolist() == ["SEOUL"]


def test_plans_on_disk_are_dropped_on_changed_columns_damage_or_when_off(
    tmp_path, plan_dir, monkeypatch
):
    from ops.config import get_settings
    from ops.store import Store

    path = tmp_path / "p.duckdb"
    built: list[str] = []
    with Store.open(path) as store:
        with store.write() as cur:
            store.append_df("contacts", _contacts([("S1", 5.0)]), cur)
        _by_center(store.reader(), built=built)
        with store.write() as cur:  # a table's columns change: another fingerprint
            cur.execute("ALTER TABLE contacts ADD COLUMN bench_extra INTEGER")
    with Store.open(path) as store:
        assert _by_center(store.reader(), built=built)["n"].tolist() == [1]
    assert built == ["built", "built"]
    for f in plan_dir.glob("*.json"):  # damaged files are misses, not errors
        f.write_text("{not json", encoding="utf-8")
    with Store.open(path) as store:
        assert _by_center(store.reader(), built=built)["w"].tolist() == [5.0]
    assert built == ["built"] * 3
    monkeypatch.setenv("CCOPS_PLAN_CACHE", "false")
    get_settings.cache_clear()
    with Store.open(path) as store:
        assert store.plan_disk() is None
        assert _by_center(store.reader(), built=built)["n"].tolist() == [1]
    assert built == ["built"] * 4


def test_plans_with_in_memory_tables_or_unstable_keys_are_not_kept(tmp_path, plan_dir):
    import ibis

    from ops.store import Store

    with Store.open(tmp_path / "p.duckdb") as store:
        with store.write() as cur:
            store.append_df("contacts", _contacts([("S1", 5.0)]), cur)
        reader = store.reader()

        def with_memtable():
            t = reader.table("contacts")
            m = ibis.memtable(pd.DataFrame({"center_id": ["SEOUL"], "label": ["서울"]}))
            j = t.join(m, "center_id")
            return j.aggregate(n=j.count())

        assert reader.execute_prepared(("test.memtable",), with_memtable)["n"].tolist() == [1]
        assert reader.execute_prepared((object(),), with_memtable)["n"].tolist() == [1]
    assert list(plan_dir.glob("*.json")) == []
