"""A bounded cache of the SQL that Ibis compiles, keyed by the expression itself.

Dashboard reruns and repeated reports rebuild the same Ibis expressions; compiling one to SQL
(sqlglot) costs tens of milliseconds of Python, often more than DuckDB takes to run it. Ibis
expression nodes are immutable and compare and hash by structure (table, columns, literals), so an
expression equal to one compiled before has the same SQL: the cached text is reused and DuckDB
still runs the query every time (no result is cached). Anything that changes the query (a
different month, scope, threshold or queue list) is a different node and compiles afresh.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import warnings
from collections import OrderedDict
from typing import Any

MAX_ENTRIES = 256
# DuckDB prepared statements kept per cursor (each holds a bound plan; the oldest is deallocated)
MAX_STATEMENTS = 32
_STATEMENT_IDS = itertools.count(1)


class CompiledSqlCache:
    """Least-recently-used map from ``(expression node, row limit)`` to compiled SQL text.

    Also holds :class:`PreparedQuery` objects by caller-given key (``Store.prepared``).
    """

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._sql: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Any) -> Any:
        with self._lock:
            sql = self._sql.get(key)
            if sql is None:
                self.misses += 1
                return None
            self._sql.move_to_end(key)
            self.hits += 1
            return sql

    def put(self, key: Any, sql: Any) -> None:
        with self._lock:
            self._sql[key] = sql
            self._sql.move_to_end(key)
            while len(self._sql) > self.max_entries:
                self._sql.popitem(last=False)

    def __len__(self) -> int:
        return len(self._sql)


def cache_compiles(backend: Any, cache: CompiledSqlCache) -> Any:
    """Make ``backend.compile`` (used by its execute/to_pyarrow) reuse ``cache``.

    The row limit is part of the key; calls with bound parameters or pretty printing compile as
    before. The
    backend's pre-execute hooks (registering in-memory tables) still run on every execute.
    """
    compile_ = backend.compile

    def compile(
        expr: Any,
        /,
        *,
        limit: int | str | None = None,
        params: Any = None,
        pretty: bool = False,
        **kwargs: Any,
    ) -> str:
        if params or pretty or kwargs:
            return compile_(expr, limit=limit, params=params, pretty=pretty, **kwargs)
        if limit == "default":  # Ibis' execute: the global option decides, so it is in the key
            import ibis

            key: tuple[Any, ...] = (expr.op(), "default", ibis.options.sql.default_limit)
        else:
            key = (expr.op(), limit)
        sql = cache.get(key)
        if sql is None:
            sql = compile_(expr, limit=limit)
            cache.put(key, sql)
        return sql

    backend.compile = compile
    return backend


class PreparedQuery:
    """A built Ibis expression's SQL and result schema, to run again without Ibis.

    Building a large expression (dozens of filtered aggregates, the QA scoring joins) costs more
    Python time than DuckDB takes to run it. A caller that knows what its expression depends on
    names it with a key (:meth:`ops.store.reader.ScopedReader.execute_prepared`); the next call
    with that key runs the stored SQL on the thread's cursor and converts the result the way Ibis
    does, so callers see the same frame either way. Its in-memory tables (QA form items) are
    kept and registered on whichever thread's backend runs it.
    """

    __slots__ = ("sql", "schema", "memtables", "name")

    def __init__(self, expr: Any, sql: str) -> None:
        import ibis.expr.operations as ops

        self.sql = sql
        # the name of its DuckDB prepared statement on each cursor that runs it
        self.name = f"ccops_pq_{next(_STATEMENT_IDS)}"
        self.schema = expr.as_table().schema()
        # only the in-memory tables are kept, not the expression: it would hold on to the Ibis
        # backend (and DuckDB cursor) of the thread that built it
        self.memtables = tuple(expr.op().find(ops.InMemoryTable))

    @classmethod
    def from_sql(cls, sql: str, schema: Any) -> PreparedQuery:
        """A query read back from a :class:`PlanDisk` (no in-memory tables: those are not kept)."""
        plan = cls.__new__(cls)
        plan.sql, plan.schema, plan.memtables = sql, schema, ()
        plan.name = f"ccops_pq_{next(_STATEMENT_IDS)}"
        return plan

    def run(
        self, backend: Any, cursor: Any, statements: OrderedDict[str, None] | None = None
    ) -> Any:
        """Execute on ``cursor`` (``backend`` is the same thread's Ibis backend) -> pandas.

        ``statements`` is the cursor's registry of DuckDB prepared statements (``PREPARE``d
        names, oldest first): with it the SQL is parsed, bound and planned once per cursor and
        then run with ``EXECUTE`` (DuckDB re-binds by itself when a table it reads changes shape);
        without it the SQL runs as text. Binding a large query costs DuckDB 10-20 ms, as much as
        running it on a month of data.

        The conversion is that of Ibis' DuckDB ``execute`` (Arrow, then columns with NULLs or
        nested values through Python lists, then the expression's schema), so the frame has the
        dtypes ``expr.execute()`` gives; DuckDB's own ``df()`` would not (microsecond
        timestamps, for one).
        """
        import pandas as pd
        import pyarrow.types as pat
        from ibis.backends.duckdb.converter import DuckDBPandasData
        from ibis.formats.pandas import PandasType

        for m in self.memtables:
            if m not in backend._memtables:  # register it on this thread's backend
                backend._run_pre_execute_hooks(m.to_expr())
        table = self._arrow(cursor, statements)
        names = table.column_names
        lists = [
            pat.is_nested(col.type) or pat.is_dictionary(col.type) or bool(col.null_count)
            for col in table.columns
        ]
        if len(table) == 0 or tuple(names) != tuple(self.schema.names):
            # Ibis' own conversion, column by column (an empty frame is cheap, and pandas infers
            # the dtype of an empty list column from its neighbours)
            df = pd.DataFrame(
                {
                    n: col.to_pylist() if by_list else col.to_pandas()
                    for n, col, by_list in zip(names, table.columns, lists, strict=True)
                }
            )
            return DuckDBPandasData.convert_table(df, self.schema)
        # Plain columns convert in ONE pyarrow call (a call per column costs ~0.5 ms, more than
        # DuckDB takes to compute a small aggregate); nested, dictionary and NULL-holding columns
        # go through Python lists, as in Ibis. Primitive columns that already have their pandas
        # dtype are kept as they are, which is what Ibis' conversion returns for them.
        plain = [n for n, by_list in zip(names, lists, strict=True) if not by_list]
        base = table.select(plain).to_pandas() if plain else None
        columns: dict[str, Any] = {}
        for (name, dtype), by_list in zip(self.schema.items(), lists, strict=True):
            if by_list:
                s = pd.Series(table.column(name).to_pylist())
            else:
                assert base is not None
                s = base[name]
            if dtype.is_primitive() and s.dtype == PandasType.from_ibis(dtype):
                columns[name] = s
            else:
                columns[name] = DuckDBPandasData.convert_column(s, dtype)
        return pd.DataFrame(columns)

    def _arrow(self, cursor: Any, statements: OrderedDict[str, None] | None) -> Any:
        if statements is None:
            return cursor.sql(self.sql).to_arrow_table()
        import duckdb

        if self.name in statements:
            statements.move_to_end(self.name)
            try:
                result = cursor.execute(f"EXECUTE {self.name}")
            except (duckdb.CatalogException, duckdb.BinderException, duckdb.InvalidInputException):
                # the statement no longer binds (a table it read was replaced) or is gone:
                # prepare it afresh once; any other error (a bad cast, out of memory) is raised
                statements.pop(self.name, None)
                with contextlib.suppress(duckdb.Error):
                    cursor.execute(f"DEALLOCATE PREPARE {self.name}")
            else:
                return _arrow_of(result)
        cursor.execute(f"PREPARE {self.name} AS {self.sql}")
        statements[self.name] = None
        while len(statements) > MAX_STATEMENTS:
            old, _ = statements.popitem(last=False)
            with contextlib.suppress(Exception):
                cursor.execute(f"DEALLOCATE PREPARE {old}")
        return _arrow_of(cursor.execute(f"EXECUTE {self.name}"))


# DuckDB warns that Arrow from a DB-API result copies the rows: ours are aggregates (a few
# thousand rows at most), and the relation API it suggests costs ~1.5 ms more per query to build
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)


def _arrow_of(result: Any) -> Any:
    """A DB-API result (``cursor.execute(...)``) as an Arrow table."""
    return result.to_arrow_table()


# --- plans kept across processes ------------------------------------------------------------------
PLAN_FORMAT = 1


def _stable_repr(key: Any) -> str | None:
    """``repr(key)`` when it names the key the same way in every process, else None (an object
    shown by its address)."""
    r = repr(key)
    return None if " at 0x" in r else r


_CODE_DIGEST: list[str] = []


def code_digest() -> str:
    """One digest of ccops' own source (every ``ops/**/*.py``) and the versions of the libraries
    that write the SQL (Ibis, sqlglot, DuckDB): a plan compiled by other code is never reused."""
    if not _CODE_DIGEST:
        import hashlib
        from importlib.metadata import version
        from pathlib import Path

        h = hashlib.sha256()
        root = Path(__file__).resolve().parents[1]
        for f in sorted(root.rglob("*.py")):
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
        for lib in ("ibis-framework", "sqlglot", "duckdb"):
            try:
                h.update(f"{lib}={version(lib)}".encode())
            except Exception:  # noqa: BLE001 - not installed as a distribution
                h.update(f"{lib}=?".encode())
        _CODE_DIGEST.append(h.hexdigest())
    return _CODE_DIGEST[0]


class PlanDisk:
    """Prepared queries' SQL and result schema kept on disk, so a new process (a dashboard server
    just started, a CLI run) skips building and compiling the Ibis expressions.

    A plan is found by its key (:meth:`ops.store.reader.ScopedReader.execute_prepared`: the
    reader's scope and everything the expression depends on) under a ``fingerprint``: ccops' code
    and library versions (:func:`code_digest`), the settings and the database's table columns,
    so any change to those starts afresh. The key's text is stored and compared in full, never
    only its hash. Plans whose key has no stable text, or that carry in-memory tables, are not
    kept. JSON, not pickle: reading a plan cannot run code. A missing, unreadable or damaged
    file is a miss; a write that fails is skipped.
    """

    def __init__(self, directory: Any, fingerprint: str) -> None:
        from pathlib import Path

        self.directory = Path(directory)
        self.fingerprint = fingerprint
        self.hits = 0
        self.misses = 0

    def _file(self, text: str) -> Any:
        import hashlib

        name = hashlib.sha256(f"{self.fingerprint}\0{text}".encode()).hexdigest()
        return self.directory / f"{name}.json"

    def load(self, key: Any) -> PreparedQuery | None:
        """The plan stored under ``key``, or None."""
        import json

        text = _stable_repr(key)
        if text is None:
            return None
        try:
            data = json.loads(self._file(text).read_text(encoding="utf-8"))
            if data.get("format") != PLAN_FORMAT or data.get("key") != text:
                raise ValueError("another key")
            import ibis

            schema = ibis.schema([(n, ibis.dtype(t)) for n, t in data["schema"]])
            plan = PreparedQuery.from_sql(str(data["sql"]), schema)
        except Exception:  # noqa: BLE001 - missing, unreadable, damaged, another key, a dtype Ibis no longer parses
            self.misses += 1
            return None
        self.hits += 1
        return plan

    def save(self, key: Any, plan: PreparedQuery) -> None:
        """Keep ``plan`` under ``key`` (written to a temporary file, then renamed into place)."""
        import json
        import os
        import tempfile

        text = _stable_repr(key)
        if text is None or plan.memtables:
            return
        data = {
            "format": PLAN_FORMAT,
            "key": text,
            "sql": plan.sql,
            "schema": [[n, str(t)] for n, t in plan.schema.items()],
        }
        tmp = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f)
            os.replace(tmp, self._file(text))
        except OSError:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
