"""The DuckDB store: the only module that opens DuckDB connections.

One process holds one ``duckdb.DuckDBPyConnection`` per database file (DuckDB allows a single
read-write process per file). Threads never share it: each thread gets its own cursor (DuckDB 2.0
refuses a connection that is busy in another thread). Writes go through :meth:`Store.write`, a
transaction serialised by a lock, so the store has one writer.

Vendor scoping is enforced here: :meth:`Store.reader` takes a :class:`~ops.store.scope.Scope` and every
table it hands out is already filtered to the centers the scope allows.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ops.errors import StoreError
from ops.store.compiled import CompiledSqlCache, PlanDisk, cache_compiles, code_digest
from ops.store.reader import ScopedReader
from ops.store.resultdisk import (
    RESULT_NEUTRAL_SETTINGS,
    ResultDisk,
    file_state,
    settings_file_state,
)
from ops.store.schema import TABLES
from ops.store.scope import Scope

MIGRATIONS_PACKAGE = "ops.store.migrations"


def _migration_files() -> list[tuple[int, str, str]]:
    """(version, name, sql) for each migration file, in order."""
    out = []
    for entry in resources.files(MIGRATIONS_PACKAGE).iterdir():
        name = entry.name
        if not name.endswith(".sql"):
            continue
        version = int(name.split("_", 1)[0])
        out.append((version, name, entry.read_text(encoding="utf-8")))
    return sorted(out)


def _friendly(e: Exception, path: str) -> StoreError:
    msg = str(e)
    if "lock" in msg.lower() or "Conflicting lock" in msg:
        return StoreError(
            f"The database {path} is open in another process (a running dashboard or import?). "
            "Stop it, or import through the dashboard's Data page. DuckDB said: "
            + msg.splitlines()[0]
        )
    if "version" in msg.lower() and "storage" in msg.lower():
        return StoreError(
            f"The database {path} was written by a different DuckDB version: {msg.splitlines()[0]}. "
            "Rebuild it with `ccops demo` or export and re-import it."
        )
    return StoreError(
        f"Database error on {path}: {msg.splitlines()[0] if msg else type(e).__name__}"
    )


# Write generations per database (path, or the connection for an in-memory one): bumped at the
# end of every Store.write() transaction. DuckDB's file lock keeps other processes from writing
# while a Store has the file open, and every write of ccops goes through Store.write(), so an
# unchanged generation means unchanged tables: small derived values (the reference-table digest
# of prepared-query keys) are cached under it.
_GENERATIONS: dict[str, int] = {}
_GEN_LOCK = threading.Lock()

# idle sessions kept per store (more threads than this at once open cursors that are closed after)
MAX_IDLE_SESSIONS = 8


class _Session:
    """One cursor and the things built on it, used by one thread at a time.

    DuckDB refuses a connection busy in another thread, so each live thread holds its own session;
    when the thread ends the session returns to its store's pool and the next new thread takes it,
    with its Ibis backend, table objects and prepared statements still valid.
    """

    __slots__ = ("cursor", "statements", "ibis", "ibis_tables")

    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self.cursor = cursor
        self.statements: OrderedDict[str, None] = OrderedDict()
        self.ibis: Any = None
        self.ibis_tables: dict[str, Any] = {}


def _give_back(idle: list[_Session], lock: threading.RLock, session: _Session) -> None:
    """Return a finished thread's session to its store's pool (closed when the pool is full)."""
    with lock:
        if len(idle) < MAX_IDLE_SESSIONS:
            idle.append(session)
            return
    with contextlib.suppress(Exception):
        session.cursor.close()


class _Lease:
    """A thread's hold on a session, kept in the thread's local data (freed when the thread ends)."""

    __slots__ = ("session", "__weakref__")

    def __init__(self, session: _Session) -> None:
        self.session = session


class Store:
    """A ccops database. Open with :meth:`open`; use as a context manager to close it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, read_only: bool) -> None:
        self._con = con
        self.path = path
        self.read_only = read_only
        self._local = threading.local()
        # sessions of finished threads, reused by new ones (Streamlit runs each rerun on a new
        # thread: without reuse every rerun would open a cursor, look up every table's schema and
        # miss the compiled-SQL cache, whose keys name the backend)
        self._idle: list[_Session] = []
        self._pool_lock = threading.RLock()  # re-entrant: a finalizer may run inside it
        self._closed = False
        self._write_lock = threading.RLock()
        # SQL compiled from Ibis expressions, shared by this store's per-thread backends
        self.compiled_sql = CompiledSqlCache()
        # whole queries by a caller's key (expression, SQL, schema): see PreparedQuery
        self.prepared = CompiledSqlCache()
        self._gen_key = str(Path(path).resolve()) if path != ":memory:" else f"mem:{id(con)}"
        self._derived: dict[Any, tuple[int, Any]] = {}

    # --- opening -------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: str | Path = ":memory:",
        *,
        read_only: bool = False,
        migrate: bool = True,
        threads: int | None = None,
        memory_limit: str | None = None,
    ) -> Store:
        """Open (and, unless read-only, create and migrate) the database at ``path``."""
        p = str(path)
        if p != ":memory:":
            fp = Path(p)
            if read_only and not fp.exists():
                raise StoreError(
                    f"No database at {p}. Build the demo with `ccops demo --db {p}` or import data."
                )
            if not read_only:
                fp.parent.mkdir(parents=True, exist_ok=True)
        config: dict[str, Any] = {}
        if threads:
            config["threads"] = threads
        if memory_limit:
            config["memory_limit"] = memory_limit
        try:
            con = duckdb.connect(p, read_only=read_only, config=config)
        except duckdb.Error as e:
            raise _friendly(e, p) from e
        store = cls(con, p, read_only)
        if migrate and not read_only:
            store.migrate()
        elif read_only:
            store._check_schema_present()
        return store

    def close(self) -> None:
        self._closed = True
        with self._pool_lock:
            idle, self._idle[:] = list(self._idle), []
        for session in idle:
            with contextlib.suppress(Exception):
                session.cursor.close()
        with contextlib.suppress(Exception):
            self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- migrations ----------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply pending migrations in order; returns the names applied (empty when current)."""
        applied: list[str] = []
        with self.write() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
            )
            done = {r[0] for r in cur.execute("SELECT version FROM schema_migrations").fetchall()}
            for version, name, sql in _migration_files():
                if version in done:
                    continue
                for stmt in _split_sql(sql):
                    cur.execute(stmt)
                cur.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)", [version, name]
                )
                applied.append(name)
        return applied

    def schema_version(self) -> int:
        row = self.cursor().execute("SELECT max(version) FROM schema_migrations").fetchall()[0]
        return int(row[0]) if row and row[0] is not None else 0

    def _check_schema_present(self) -> None:
        try:
            self.cursor().execute("SELECT 1 FROM schema_migrations LIMIT 1").fetchall()
        except duckdb.Error as e:
            raise StoreError(
                f"{self.path} is not a ccops database (no schema_migrations table). "
                "Open it read-write once to create the schema."
            ) from e

    # --- reading -------------------------------------------------------------------------
    def _session(self) -> _Session:
        """This thread's session: a pooled cursor and what is built on it (see :class:`_Session`)."""
        if self._closed:
            raise StoreError(f"The database {self.path} is closed.")
        lease = getattr(self._local, "lease", None)
        if lease is None:
            with self._pool_lock:
                session = self._idle.pop() if self._idle else None
            if session is not None:
                # the last thread may have left a result half-fetched (``fetchone``): DuckDB
                # refuses other work on the cursor until it is dropped; and no transaction of
                # its is carried over
                with contextlib.suppress(duckdb.Error):
                    session.cursor.abort()
                with contextlib.suppress(duckdb.Error):
                    session.cursor.execute("ROLLBACK")
            else:
                try:
                    session = _Session(self._con.cursor())
                except duckdb.Error as e:
                    raise _friendly(e, self.path) from e
            lease = _Lease(session)
            # when the thread ends its thread-local data (and so the lease) is freed: the session
            # goes back to the pool for the next thread. The finalizer holds the pool, not the
            # store, so an unclosed store can still be garbage-collected (and its file unlocked)
            weakref.finalize(lease, _give_back, self._idle, self._pool_lock, session).atexit = False
            self._local.lease = lease
        return lease.session

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's own cursor (created on first use, or reused from a finished thread)."""
        return self._session().cursor

    def statements(self) -> OrderedDict[str, None]:
        """This thread's cursor's DuckDB prepared statements (see ``PreparedQuery.run``)."""
        return self._session().statements

    def plan_disk(self) -> PlanDisk | None:
        """Prepared-query plans kept across processes (:class:`ops.store.compiled.PlanDisk`), or
        None when the ``plan_cache`` setting is off. Its fingerprint names ccops' code, the
        settings (all but the database path) and this database's tables and columns, looked up
        again after every write transaction (one may have altered a table)."""
        disk: PlanDisk | None = self.derived(("plan_disk",), self._make_plan_disk)
        return disk

    def _make_plan_disk(self) -> PlanDisk | None:
        import hashlib
        import os

        from ops.config import get_settings

        settings = get_settings()
        if not settings.plan_cache:
            return None
        directory = settings.plan_cache_dir or (
            Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ccops" / "plans"
        )
        try:
            columns = (
                self.cursor()
                .execute(
                    "SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' "
                    "ORDER BY table_name, ordinal_position) FROM information_schema.columns "
                    "WHERE table_catalog = current_database() AND table_schema = 'main'"
                )
                .fetchall()
            )
        except duckdb.Error:
            return None
        fingerprint = hashlib.sha256(
            "\0".join(
                [code_digest(), settings.model_dump_json(exclude={"db_path"}), str(columns)]
            ).encode()
        ).hexdigest()
        return PlanDisk(directory, fingerprint)

    def result_disk(self, code: str = "") -> ResultDisk | None:
        """Query results kept across processes for this database file's exact state
        (:class:`ops.store.resultdisk.ResultDisk`), or None when the ``result_cache`` setting is
        off or the database is in memory. ``code``: a digest of the caller's own code (the
        dashboard's), part of the fingerprint with ccops' code and the settings. The file's state
        is looked up again after every write transaction of this store."""
        disk: ResultDisk | None = self.derived(
            ("result_disk", code), lambda: self._make_result_disk(code)
        )
        return disk

    def _make_result_disk(self, code: str) -> ResultDisk | None:
        import hashlib
        import os

        from ops.config import get_settings

        settings = get_settings()
        if not settings.result_cache or str(self.path) == ":memory:":
            return None
        directory = settings.result_cache_dir or (
            Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ccops" / "results"
        )
        # the settings a result can depend on, with the state of the files they name (an alert
        # rules file edited in place changes the results); not the cache and server knobs
        shown = settings.model_dump(exclude=set(RESULT_NEUTRAL_SETTINGS))
        files = [settings_file_state(v) for v in shown.values() if isinstance(v, Path)]
        fingerprint = hashlib.sha256(
            "\0".join(
                [code_digest(), code, repr(sorted(shown.items())), *files,
                 file_state(Path(self.path))]
            ).encode()
        ).hexdigest()  # fmt: skip
        return ResultDisk(directory, fingerprint)

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a read query on this thread's cursor and return a DataFrame.

        Unscoped: for admin paths (CLI, importers, tests). User-facing code goes through
        :meth:`reader`, which applies the user's scope.
        """
        try:
            return self.cursor().execute(sql, params or []).df()
        except duckdb.Error as e:
            raise _friendly(e, self.path) from e

    def reader(self, scope: Scope | None = None) -> ScopedReader:
        """Tables filtered to ``scope`` (all centers when None), as Ibis expressions."""
        return ScopedReader(self, scope or Scope.all())

    def ibis(self) -> Any:
        """An Ibis DuckDB backend on this thread's cursor (unscoped; wrap with :meth:`reader`)."""
        session = self._session()
        if session.ibis is None:
            import ibis

            session.ibis = cache_compiles(
                ibis.duckdb.from_connection(session.cursor), self.compiled_sql
            )
        return session.ibis

    def ibis_table(self, name: str) -> Any:
        """The Ibis table ``name`` on this thread's backend (unscoped), looked up once per session.

        A lookup reads the table's schema from DuckDB; the schema is fixed once the store is open
        (migrations run in :meth:`open`), and reusing one table object also keeps the expressions
        built on it equal from call to call (see ``ops/store/compiled.py``).
        """
        be = self.ibis()
        tables = self._session().ibis_tables
        if name not in tables:
            tables[name] = be.table(name)
        return tables[name]

    # --- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write transaction: committed on success, rolled back on any error.

        Only one writer runs at a time in this process; DuckDB's file lock keeps other processes
        out, so nothing already stored is lost when a write fails half-way.
        """
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only; writes are not allowed here.")
        with self._write_lock:
            cur = self._con.cursor()
            try:
                cur.execute("BEGIN TRANSACTION")
                yield cur
                cur.execute("COMMIT")
            except BaseException as e:
                with contextlib.suppress(Exception):
                    cur.execute("ROLLBACK")
                if isinstance(e, duckdb.Error):
                    raise _friendly(e, self.path) from e
                raise
            finally:
                cur.close()
                with _GEN_LOCK:
                    _GENERATIONS[self._gen_key] = _GENERATIONS.get(self._gen_key, 0) + 1

    @property
    def generation(self) -> int:
        """How many write transactions this process has run on the database (see ``_GENERATIONS``)."""
        return _GENERATIONS.get(self._gen_key, 0)

    def derived(self, key: Any, compute: Any) -> Any:
        """``compute()``, cached until the next write transaction on this database."""
        gen = self.generation
        hit = self._derived.get(key)
        if hit is not None and hit[0] == gen:
            return hit[1]
        value = compute()
        if len(self._derived) > 256:
            self._derived.clear()
        self._derived[key] = (gen, value)
        return value

    def append_df(self, table: str, df: pd.DataFrame, cur: duckdb.DuckDBPyConnection) -> int:
        """Append ``df`` to ``table`` inside a write transaction; missing columns become NULL."""
        spec = TABLES[table]
        cols = [c for c in spec.column_names if c in df.columns]
        unknown = set(df.columns) - set(spec.column_names)
        if unknown:
            raise StoreError(f"Unknown column(s) for table {table}: {sorted(unknown)}")
        cur.register("_ccops_append", df[cols])
        try:
            cur.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM _ccops_append"
            )
        finally:
            cur.unregister("_ccops_append")
        return len(df)

    # --- introspection -------------------------------------------------------------------
    def table_summary(self) -> pd.DataFrame:
        """Each table with its row count and, where it has one, the range of its main timestamp."""
        time_cols = {
            "contacts": "created_at",
            "interval_stats": "interval_start",
            "schedules": "interval_start",
            "qa_evaluations": "evaluated_at",
            "surveys": "responded_at",
            "events": "start_date",
            "forecasts": "ds",
            "import_runs": "started_at",
            "sla_contracts": "effective_from",
        }
        rows = []
        cur = self.cursor()
        for name in TABLES:
            n = cur.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
            lo = hi = None
            if name in time_cols and n:
                lo, hi = cur.execute(
                    f"SELECT min({time_cols[name]}), max({time_cols[name]}) FROM {name}"
                ).fetchall()[0]
            rows.append({"table": name, "rows": int(n), "from": lo, "to": hi})
        return pd.DataFrame(rows)


def _split_sql(sql: str) -> list[str]:
    """Split a migration file into statements (no semicolons inside literals in our migrations)."""
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
