"""The import pipeline: file -> DuckDB staging -> SQL validation -> one atomic upsert.

Why it is built this way:

- **Streamed**: DuckDB reads the file (``read_csv`` with ``all_varchar``, ``read_parquet``) straight
  into a TEMP staging table; Python never holds the rows (XLSX goes in 50k-row chunks). A 10M-row
  file imports in bounded memory and at DuckDB speed.
- **Validated in SQL**: one query per rule writes rejected rows (row, column, value, reason) to a
  temp table; accepted rows are the staging rows no rule rejected.
- **Atomic**: staging, validation, the upsert, the derived fields, ``rejected_rows`` and the
  ``import_runs`` row all happen inside ONE ``store.write()`` transaction. A crash or an error
  anywhere leaves the store exactly as it was (DuckDB never commits a half transaction).
- **Idempotent**: rows are upserted by the table's natural key (``contacts``: ``contact_id``, which is
  ``<source>:<source_id>`` for vendor exports). A row already stored identically is a duplicate and is
  not rewritten; a row whose values differ (a corrected re-export) replaces the stored one.

Timestamps: a naive value is local time of the row's center (``centers.timezone``, else the default
``CCOPS_TIMEZONE``); a value with an offset (``Z``, ``+09:00``) is absolute. Both are stored as naive
UTC, and ``created_local`` / ``interval_local`` are derived from the center's timezone.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from ops.config import get_settings
from ops.errors import CcopsError, ImportError_, ValidationError
from ops.store.importers.mapping import (
    CompiledColumn,
    Mapping,
    compile_rule,
    find_source_column,
    q_ident,
    q_str,
    resolve_mapping,
    text_expr,
)
from ops.store.importers.models import ImportSummary, RejectedRow
from ops.store.importers.rules import (
    DERIVED,
    LOCAL_OF,
    MACROS,
    RUN_COLUMN,
    SOURCE_TEXT_PREFIX,
    bad_name,
    fixed_offset_seconds,
    imported_columns,
    table_rules,
    typed_ref,
    typed_sql,
)
from ops.store.importers.sources import SourceRelation, detect_format, file_sha256, open_source
from ops.store.schema import TABLES, Table

MAX_REPORTED_REJECTS = 20
MAX_STORED_REJECTS = 100_000
LIVE_CHANNELS = frozenset({"voice", "chat"})
TEMP_TABLES = (
    "_imp_rej", "_imp_drop", "_imp_cls", "_imp_kdup", "_imp_aff", "_imp_parse_rej",
    "_imp_biz", "_imp_rep", "_imp", "_imp_scan",
)  # fmt: skip
REPEAT_WINDOW_DAYS = 7
# files at least this big import under IMPORT_MEMORY_LIMIT (on-disk stores; see _memory_cap)
BIG_FILE_BYTES = 256 * 1024 * 1024
IMPORT_MEMORY_LIMIT = "1GB"


def import_file(
    store: Any,
    path: str | Path,
    *,
    profile: str | None = "canonical",
    table: str | None = None,
    mapping: str | Path | None = None,
    encoding: str | None = None,
    center_id: str | None = None,
    password: str | None = None,
    dry_run: bool = False,
    user: str | None = None,
    delimiter: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Import one file into ``store`` and return the summary.

    ``profile`` names a ready mapping in ``data/mappings/`` (``zendesk``, ``genesys``, ...) or
    ``canonical`` (the file uses the schema's column names; ``table`` says which table, default
    ``contacts``); ``mapping`` is a custom mapping YAML instead. ``center_id`` fills the center of
    rows that have none (and sets the timezone naive timestamps are read in). ``password`` opens a
    password-protected XLSX. ``dry_run`` validates and classifies without writing anything.
    ``progress`` is called with each stage name (reading, validating, writing, derived, committing).

    Raises :class:`~ops.errors.CcopsError` subclasses (never a raw DuckDB error) for files that cannot
    be imported at all; row-level problems are rejected rows in the summary, not exceptions.
    """
    p = Path(path)
    if p.is_dir():
        raise ImportError_(f"{p} is a folder; give one file to import.")
    if not p.is_file():
        raise ImportError_(f"No file at {p}; check the path.")
    if _is_blank_file(p):
        raise ValidationError("The file is empty (no header, no rows).", file=p.name, row=0)
    m = resolve_mapping(profile, table, mapping)
    job = _ImportJob(
        store,
        p,
        m,
        encoding=encoding,
        center_id=center_id,
        password=password,
        dry_run=dry_run,
        user=user or _os_user(),
        delimiter=delimiter,
        progress=progress,
    )
    return job.run()


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return os.environ.get("USER") or "unknown"


def _first_line(e: BaseException) -> str:
    s = str(e).strip()
    return s.splitlines()[0] if s else type(e).__name__


class _ImportJob:
    """One import of one file (state shared by the pipeline steps)."""

    def __init__(
        self,
        store: Any,
        path: Path,
        mapping: Mapping,
        *,
        encoding: str | None,
        center_id: str | None,
        password: str | None,
        dry_run: bool,
        user: str,
        delimiter: str | None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.path = path
        self.mapping = mapping
        self.table: Table = TABLES[mapping.table]
        self.encoding = encoding
        self.center_id = center_id
        self.password = password
        self.dry_run = dry_run
        self.user = user
        self.delimiter = delimiter
        self.progress = progress or (lambda stage: None)
        self.run_id = uuid.uuid4().hex[:16]
        self.settings = get_settings()
        self.default_tz = self.settings.timezone
        self.compiled: dict[str, CompiledColumn] = {}
        self.items: dict[str, str] = {}  # item_id -> staging column
        self.summary = ImportSummary(
            run_id=self.run_id,
            file=path.name,
            table=mapping.table,
            profile=mapping.profile,
            status="dry_run" if dry_run else "ok",
            dry_run=dry_run,
        )

    # --- orchestration -------------------------------------------------------------------
    def run(self) -> ImportSummary:
        t0 = time.perf_counter()
        started = pd.Timestamp.now(tz="UTC").tz_localize(None)
        # the file's hash (recorded in import_runs) is computed beside the import: hashlib
        # releases the GIL, so it overlaps the DuckDB stages instead of preceding them
        hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ccops-hash")
        self._hash_future = hasher.submit(file_sha256, self.path)
        hasher.shutdown(wait=False)
        self.summary.format = detect_format(self.path)
        try:
            if self.dry_run:
                cur = self.store.cursor()
                try:
                    self._pipeline(cur, started)
                finally:
                    self._drop_temps(cur)
            else:
                with self.store.write() as cur, self._memory_cap(cur):
                    try:
                        self._pipeline(cur, started)
                    except duckdb.Error as e:  # rolled back by store.write; say which file
                        raise ImportError_(f"{self.path.name}: {_first_line(e)}") from e
                    commit_from = (time.perf_counter(), time.process_time())
                self._add_stage("commit", *commit_from)
        except CcopsError as e:
            self._record_failure(started, str(e))
            raise
        except duckdb.Error as e:
            self._record_failure(started, _first_line(e))
            raise ImportError_(f"{self.path.name}: {_first_line(e)}") from e
        except Exception as e:  # a bug or an OS error: still rolled back, still logged
            self._record_failure(started, f"{type(e).__name__}: {_first_line(e)}")
            raise
        self._await_hash()
        self.summary.seconds = round(time.perf_counter() - t0, 3)
        return self.summary

    def _await_hash(self) -> str:
        """The file's SHA-256, waiting for the background hash if it is still running."""
        if not self.summary.file_hash:
            with self._stage_timer("hash"):
                self.summary.file_hash = self._hash_future.result()
        return self.summary.file_hash

    def _record_failure(self, started: pd.Timestamp, message: str) -> None:
        """A failed import leaves no data, but the attempt is logged in its own transaction."""
        if self.dry_run or getattr(self.store, "read_only", False):
            return
        with contextlib.suppress(Exception), self.store.write() as cur:
            self._insert_run(cur, started, status="failed", message=message[:2000])

    @contextlib.contextmanager
    def _memory_cap(self, cur: Any) -> Any:
        """Cap DuckDB's memory for a big file into an on-disk store, restored afterwards.

        The staging table of a 10M-row file is several GB; under ``memory_limit`` DuckDB spills
        it (and the sorts and joins) to its temp directory next to the database instead of
        growing the process. In-memory stores keep their limit (their data cannot spill).
        """
        path = str(getattr(self.store, "path", ":memory:"))
        big = self.path.stat().st_size >= BIG_FILE_BYTES
        if not big or path == ":memory:" or getattr(self.store, "read_only", False):
            yield
            return
        before = cur.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        cur.execute(f"SET memory_limit = {q_str(IMPORT_MEMORY_LIMIT)}")
        try:
            yield
        finally:
            # RESET gives back the exact default; a limit set by the user is shown rounded
            # (e.g. '1.8 GiB'), so it is set again from that text only when it differs
            with contextlib.suppress(Exception):
                cur.execute("RESET memory_limit")
                now = cur.execute("SELECT current_setting('memory_limit')").fetchone()[0]
                if now != before:
                    cur.execute(f"SET memory_limit = {q_str(str(before))}")

    @contextlib.contextmanager
    def _stage_timer(self, name: str) -> Any:
        """Record wall and process CPU seconds of one pipeline stage in ``summary.stage_seconds``."""
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self._add_stage(name, w0, c0)

    def _add_stage(self, name: str, wall_from: float, cpu_from: float) -> None:
        wall = time.perf_counter() - wall_from
        cpu = time.process_time() - cpu_from
        prev = self.summary.stage_seconds.get(name, {"wall": 0.0, "cpu": 0.0})
        self.summary.stage_seconds[name] = {
            "wall": round(prev["wall"] + wall, 4),
            "cpu": round(prev["cpu"] + cpu, 4),
        }

    def _pipeline(self, cur: Any, started: pd.Timestamp) -> None:
        timed = self._stage_timer
        for sql in MACROS:
            cur.execute(sql)
        self._drop_temps(cur)
        with open_source(
            cur,
            self.path,
            self.mapping,
            encoding=self.encoding,
            password=self.password,
            delimiter=self.delimiter,
        ) as src:
            self.summary.encoding = src.encoding
            try:
                self._compile(src)
                self.progress("reading")
                with timed("stage"), _insertion_order(cur, preserve=True):
                    self._stage(cur, src)
                parse_rejects = self._parser_rejects(cur, src)
            finally:
                for sql in src.cleanup_sql:
                    with contextlib.suppress(Exception):
                        cur.execute(sql)
        self.progress("validating")
        with timed("validate"):
            self._validate(cur, parse_rejects)
        with timed("accept"):
            self._accept(cur)
        with timed("classify"):
            self._classify(cur)
        if self.dry_run:
            self._report_new_refs(cur, create=False)
            self._collect_rejects(cur)
            return
        with timed("new_refs"):
            self._report_new_refs(cur, create=True)
        if self.table.name == "contacts":
            with timed("business_seconds"):
                self._business_seconds(cur)
        self.progress("writing")
        with timed("insert"), _insertion_order(cur, preserve=False):
            self._apply(cur)
        self.progress("derived")
        if self.table.name == "contacts" and not self._target_empty:
            with timed("repeat_flags"):
                update_repeat_flags(cur, customers_sql="SELECT customer_id FROM _imp_aff")
        with timed("rejects"):
            self._collect_rejects(cur)
            self._store_rejects(cur)
        self.summary.status = "ok" if self.summary.accepted > 0 else "failed"
        if self.summary.accepted == 0:
            self.summary.message = (
                "No row was accepted; see the rejected rows."
                if self.summary.rejected
                else "The file has no data rows (only a header)."
            )
        self._insert_run(cur, started, status=self.summary.status, message=self.summary.message)
        self.progress("committing")

    def _drop_temps(self, cur: Any) -> None:
        with contextlib.suppress(Exception):
            cur.execute("DROP VIEW IF EXISTS _imp_ok")
        with contextlib.suppress(Exception):
            cur.execute("DROP VIEW IF EXISTS _imp")
        for t in TEMP_TABLES:
            with contextlib.suppress(Exception):
                cur.execute(f"DROP TABLE IF EXISTS {t}")

    # --- compile the mapping ---------------------------------------------------------------
    def _compile(self, src: SourceRelation) -> None:
        m, spec = self.mapping, self.table
        cols = imported_columns(spec)
        col_types = {c.name: c.type for c in cols}
        compiled: dict[str, CompiledColumn] = {}
        used_sources: set[str] = set()
        if m.canonical:
            for c in cols:
                hit = find_source_column(src.headers, [c.name])
                if hit is None:
                    continue
                used_sources.add(hit)
                native = src.types.get(hit, "VARCHAR") != "VARCHAR" and c.type != "VARCHAR"
                if c.type == "VARCHAR":  # text: trimmed (typed Parquet/JSON values cast to text)
                    is_text = src.types.get(hit, "VARCHAR") == "VARCHAR"
                    sql = text_expr(q_ident(hit), is_text=is_text)
                else:  # typed values are parsed as they are (TRY_CAST ignores spaces)
                    sql = q_ident(hit)
                compiled[c.name] = CompiledColumn(name=c.name, sql=sql, label=c.name, native=native)
        else:
            ordered = sorted(m.columns.items(), key=lambda kv: kv[1].offset_from is not None)
            for name, rule in ordered:
                cc = compile_rule(name, rule, src.headers, src.types, compiled)
                if cc is not None:
                    compiled[name] = cc
                    for cand in rule.from_ or []:
                        hit = find_source_column(src.headers, [cand])
                        if hit:
                            used_sources.add(hit)
                            break
                    if rule.times:
                        hit = find_source_column(src.headers, [rule.times])
                        if hit:
                            used_sources.add(hit)
        if spec.name == "contacts":
            source = "import" if m.canonical else (m.source or m.profile)
            if "source" in compiled:
                compiled["source"].sql = f"COALESCE({compiled['source'].sql}, {q_str(source)})"
            else:
                compiled["source"] = CompiledColumn(
                    name="source", sql=q_str(source), label="source"
                )
            if "contact_id" not in compiled and "source_id" in compiled:
                compiled["contact_id"] = CompiledColumn(
                    name="contact_id",
                    sql=f"({compiled['source'].sql} || ':' || {compiled['source_id'].sql})",
                    label=compiled["source_id"].label,
                )
        if self.center_id and "center_id" in col_types:
            cc = compiled.get("center_id")
            sql = f"COALESCE({cc.sql}, {q_str(self.center_id)})" if cc else q_str(self.center_id)
            compiled["center_id"] = CompiledColumn(
                name="center_id", sql=sql, label=cc.label if cc else "center_id"
            )
        missing = [c.name for c in cols if c.required and c.name not in compiled]
        if missing:
            hint = ""
            if "center_id" in missing:
                hint = " Pass --center ID to set the center of every row."
            sources = [f"{c} <- {m.columns[c].from_}" for c in missing if c in m.columns]
            if sources and not m.canonical:
                hint += f" The {m.profile!r} mapping reads them from: " + "; ".join(sources) + "."
            raise ValidationError(
                f"Required column(s) {', '.join(missing)} missing in {self.path.name}; found columns: "
                f"{', '.join(src.headers[:40])}.{hint} Is the delimiter or the profile right?",
                file=self.path.name,
                row=0,
                column=missing[0],
            )
        # QA sheets: item score columns
        for item_id, cands in m.items.items():
            hit = find_source_column(src.headers, [cands] if isinstance(cands, str) else cands)
            if hit is not None:
                self.items[item_id] = hit
                used_sources.add(hit)
        self.compiled = compiled
        self.summary.ignored_columns = {
            h: reason
            for h in src.headers
            for k, reason in m.ignored.items()
            if h.strip().casefold() == k.strip().casefold()
        }
        self.summary.unused_columns = [
            h
            for h in src.headers
            if h not in used_sources and h not in self.summary.ignored_columns
        ]

    # --- staging ---------------------------------------------------------------------------
    def _tz_sql(self) -> str:
        if "center_id" in self.table.column_names and self.table.name != "centers":
            return f"COALESCE(z._ctz, {q_str(self.default_tz)})"
        return q_str(self.default_tz)

    def _offset_sql(self, cur: Any, tz: str) -> str:
        """SQL for the fixed UTC offset (seconds) of the row's zone, NULL for zones with DST."""
        zones = {self.default_tz}
        zones |= {
            r[0]
            for r in cur.execute(
                "SELECT DISTINCT timezone FROM centers WHERE timezone IS NOT NULL"
            ).fetchall()
        }
        whens = []
        for z in sorted(zones):
            off = fixed_offset_seconds(z)
            if off is not None:
                whens.append(f"WHEN {q_str(z)} THEN {off}")
        if not whens:
            return "CAST(NULL AS INTEGER)"
        return f"CAST(CASE {tz} {' '.join(whens)} END AS INTEGER)"

    def _stage(self, cur: Any, src: SourceRelation) -> None:
        """One pass over the file into ``_imp``: parsed values, plus the raw text of bad ones.

        Three nested SELECTs so each expression is evaluated once: ``m`` maps the source to
        canonical text, ``p`` parses it (timestamps to UTC in the row's timezone), the outer one
        keeps a raw value only where parsing failed.
        """
        row = [] if src.rows_in_scan_order else ["_row"]
        inner = row + [f"{c.sql} AS {q_ident(c.name)}" for c in self.compiled.values()]
        inner += [
            f"NULLIF(trim(CAST({q_ident(h)} AS VARCHAR)), '') AS {q_ident('__item__' + i)}"
            for i, h in self.items.items()
        ]
        # the file's own text of converted columns, for the rejected-rows report
        src_cols = [
            (q_ident(SOURCE_TEXT_PREFIX + c.name), c.source_text)
            for c in self.compiled.values()
            if c.source_text is not None
        ]
        inner += [f"{sql} AS {ident}" for ident, sql in src_cols]
        tz = self._tz_sql()
        # the row's timezone is computed once, in its own layer: small expressions plan fast
        parse_tz = q_str(self.mapping.timezone) if self.mapping.timezone else "_tz"
        parse_off = "_tzoff"
        if self.mapping.timezone:
            fixed = fixed_offset_seconds(self.mapping.timezone)
            parse_off = "NULL" if fixed is None else str(fixed)
        mid = [*row, "_tz", "_tzoff"]
        outer = [*row, "_tz", "_tzoff"]
        for c in imported_columns(self.table):
            if c.name not in self.compiled:
                continue
            ident = q_ident(c.name)
            cc = self.compiled[c.name]
            if c.type == "VARCHAR":
                if cc.native:
                    mid.append(ident)
                else:
                    # formula-injection escapes written by our own export are undone, so export
                    # -> import round-trips; anything else is stored exactly as text
                    mid.append(
                        f"CASE WHEN starts_with({ident}, '''') AND substr({ident}, 2, 1) IN "
                        f"('=', '+', '-', '@') THEN substr({ident}, 2) ELSE {ident} END AS {ident}"
                    )
                outer.append(ident)
                continue
            st = src.types.get(cc.label, "VARCHAR") if cc.native else "VARCHAR"
            expr = typed_sql(self.table.name, c, ident, parse_tz, st, parse_off)
            raw_name = q_ident("__raw__" + c.name)
            mid += [f"{expr} AS {ident}", f"{ident} AS {raw_name}"]
            outer += [
                ident,
                f"CASE WHEN {ident} IS NULL AND trim(CAST({raw_name} AS VARCHAR)) <> '' "
                f"THEN CAST({raw_name} AS VARCHAR) END AS {q_ident(bad_name(c.name))}",
            ]
        mid += [q_ident("__item__" + i) for i in self.items] + [i for i, _ in src_cols]
        outer += [q_ident("__item__" + i) for i in self.items] + [i for i, _ in src_cols]
        join = ""
        if "z._ctz" in tz:
            join = (
                "LEFT JOIN (SELECT center_id AS _cid, any_value(timezone) AS _ctz FROM centers "
                "GROUP BY center_id) z ON z._cid = m.center_id"
            )
        mapped = f"(SELECT {', '.join(inner)} FROM {src.sql})"
        with_tz = f"(SELECT m.*, {tz} AS _tz, {self._offset_sql(cur, tz)} AS _tzoff FROM {mapped} m {join})"
        target = "_imp_scan" if src.rows_in_scan_order else "_imp"
        sql = (
            f"CREATE TEMP TABLE {target} AS SELECT {', '.join(outer)} FROM ("
            f"SELECT {', '.join(mid)} FROM {with_tz})"
        )
        try:
            cur.execute(sql)
        except duckdb.Error as e:
            msg = _first_line(e)
            raise ValidationError(f"Cannot read the file: {msg}", file=self.path.name) from e
        if src.rows_in_scan_order:
            # the CTAS kept the scan order (preserve_insertion_order is on while staging), so the
            # row ids are consecutive in file order; rows made inside a transaction start at a
            # large base, hence the offset
            base = cur.execute("SELECT min(rowid) FROM _imp_scan").fetchone()[0] or 0
            cur.execute(
                f"CREATE TEMP VIEW _imp AS SELECT rowid - {int(base) - 1} AS _row, * FROM _imp_scan"
            )
        self.summary.rows_read = cur.execute("SELECT count(*) FROM _imp").fetchone()[0]

    def _parser_rejects(self, cur: Any, src: SourceRelation) -> list[tuple[int, str, str]]:
        """Lines DuckDB's CSV reader could not split (too few/many columns, bad quoting, bad UTF-8)."""
        if not src.csv_rejects_table:
            return []
        try:
            rows = cur.execute(
                f"SELECT line, any_value(error_type), any_value(csv_line) "
                f"FROM {src.csv_rejects_table} GROUP BY line ORDER BY line"
            ).fetchall()
        except duckdb.Error:
            return []
        skip = self.mapping.skip_rows
        return [
            (int(line) - 1 - skip, str(kind), str(text or "")[:500]) for line, kind, text in rows
        ]

    # --- validation ------------------------------------------------------------------------
    def _validate(self, cur: Any, parse_rejects: list[tuple[int, str, str]]) -> None:
        cur.execute(
            "CREATE TEMP TABLE _imp_rej (_row BIGINT, column_name VARCHAR, value VARCHAR, "
            "reason VARCHAR)"
        )
        labels = {n: c.label for n, c in self.compiled.items()}
        # one query per rule: each scans only the columns it names (columnar, so ~20 narrow
        # scans cost less than one wide prefilter scan materialising whole rows; measured)
        converted = {n: c.converted_from for n, c in self.compiled.items() if c.converted_from}
        for rule in table_rules(self.table, set(self.compiled), labels, converted):
            cur.execute(
                f"INSERT INTO _imp_rej SELECT _row, {q_str(rule.column)}, {rule.value_sql}, "
                f"{q_str(rule.reason)} FROM _imp WHERE {rule.condition}"
            )
        if self.table.name == "centers" and "timezone" in self.compiled:
            self._reject_bad_timezones(cur)
        na = "(" + ", ".join(q_str(v.strip().lower()) for v in self.mapping.na_values) + ")"
        for item_id, header in self.items.items():
            col = q_ident("__item__" + item_id)
            num = f"TRY_CAST({col} AS DOUBLE)"
            cur.execute(
                f"INSERT INTO _imp_rej SELECT _row, {q_str(header)}, {col}, "
                f"'item score must be a number >= 0 or N/A' FROM _imp WHERE {col} IS NOT NULL "
                f"AND lower({col}) NOT IN {na} AND ({num} IS NULL OR {num} < 0)"
            )
        if parse_rejects:
            self._shift_rows_for_parse_rejects(cur, parse_rejects)
        self._infile_duplicates(cur)

    def _reject_bad_timezones(self, cur: Any) -> None:
        from zoneinfo import ZoneInfo

        bad = []
        for (tz,) in cur.execute(
            "SELECT DISTINCT timezone FROM _imp WHERE timezone IS NOT NULL"
        ).fetchall():
            try:
                ZoneInfo(tz)
            except Exception:
                bad.append(tz)
        if bad:
            cur.execute(
                "INSERT INTO _imp_rej SELECT _row, 'timezone', timezone, "
                "'unknown IANA timezone (e.g. Asia/Seoul)' FROM _imp WHERE timezone IN "
                f"({', '.join(q_str(b) for b in bad)})"
            )

    def _shift_rows_for_parse_rejects(
        self, cur: Any, parse_rejects: list[tuple[int, str, str]]
    ) -> None:
        """DuckDB skips lines it cannot parse, so ``_row`` counts parsed rows only: renumber.

        With rejected data rows d_1 < ... < d_k, the r-th parsed row is data row
        r + #{i : d_i - i < r}.
        """
        rows = sorted({d for d, _, _ in parse_rejects})
        cur.execute("CREATE TEMP TABLE _imp_parse_rej (e BIGINT)")
        cur.executemany(
            "INSERT INTO _imp_parse_rej VALUES (?)", [[d - i] for i, d in enumerate(rows, 1)]
        )
        self._parse_shift = True
        reason = {
            "MISSING COLUMNS": "malformed line: too few columns (truncated line or wrong delimiter?)",
            "TOO MANY COLUMNS": "malformed line: too many columns (wrong delimiter or unquoted field?)",
            "UNQUOTED VALUE": "malformed line: bad quoting",
            "INVALID UNICODE": "malformed line: not valid UTF-8 (mixed encodings?)",
            "LINE SIZE OVER MAXIMUM": "malformed line: longer than 16 MB",
            "INVALID STATE": "malformed line",
        }
        self._parse_reject_rows = [
            (d, reason.get(kind, f"malformed line ({kind.lower()})"), text)
            for d, kind, text in parse_rejects
        ]

    def _infile_duplicates(self, cur: Any) -> None:
        """Rows repeating a key within the file: identical -> duplicates; different -> last wins."""
        key = list(self.table.key)
        if not key or not all(k in self.compiled for k in key):
            self.infile_dups = 0
            cur.execute("CREATE TEMP TABLE _imp_drop AS SELECT DISTINCT _row FROM _imp_rej")
            self._n_drop = cur.execute("SELECT count(*) FROM _imp_drop").fetchone()[0]
            return
        spec_cols = {c.name: c for c in self.table.columns}
        kref = ", ".join(typed_ref(spec_cols[k]) for k in key)
        ok = "(SELECT * FROM _imp ANTI JOIN (SELECT DISTINCT _row FROM _imp_rej) r USING (_row))"
        extra = cur.execute(
            f"SELECT COALESCE(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM {ok} GROUP BY {kref} "
            "HAVING count(*) > 1)"
        ).fetchone()[0]
        self.infile_dups = 0
        if not extra:
            cur.execute("CREATE TEMP TABLE _imp_drop AS SELECT DISTINCT _row FROM _imp_rej")
            self._n_drop = cur.execute("SELECT count(*) FROM _imp_drop").fetchone()[0]
            return
        data_cols = [c for c in imported_columns(self.table) if c.name in self.compiled]
        h = "hash(" + ", ".join(typed_ref(c) for c in data_cols) + ")"
        cur.execute(
            f"CREATE TEMP TABLE _imp_kdup AS SELECT _row, rk, winner, h = first_h AS same FROM ("
            f"SELECT _row, {h} AS h, "
            f"row_number() OVER (PARTITION BY {kref} ORDER BY _row DESC) AS rk, "
            f"first_value(_row) OVER (PARTITION BY {kref} ORDER BY _row DESC) AS winner, "
            f"first_value({h}) OVER (PARTITION BY {kref} ORDER BY _row DESC) AS first_h "
            f"FROM {ok}) WHERE rk > 1"
        )
        key_label = ", ".join(self.compiled[k].label for k in key)
        cur.execute(
            f"INSERT INTO _imp_rej SELECT _row, {q_str(key_label)}, NULL, "
            "'superseded by row ' || winner || ' with the same key (the last row wins)' "
            "FROM _imp_kdup WHERE NOT same"
        )
        self.infile_dups = cur.execute("SELECT count(*) FROM _imp_kdup WHERE same").fetchone()[0]
        cur.execute(
            "CREATE TEMP TABLE _imp_drop AS SELECT DISTINCT _row FROM _imp_rej "
            "UNION SELECT _row FROM _imp_kdup"
        )
        self._n_drop = cur.execute("SELECT count(*) FROM _imp_drop").fetchone()[0]

    # --- accepted rows ---------------------------------------------------------------------
    def _final_expr(self, col: Any) -> str:
        """The stored value of ``col`` for an accepted staging row (derived columns computed)."""
        name = col.name
        local = LOCAL_OF.get(self.table.name)
        if local and name == local[0]:
            if local[1] not in self.compiled:
                return f"CAST(NULL AS {col.type})"
            utc = f"i.{q_ident(local[1])}"
            return (
                f"CASE WHEN i._tzoff IS NOT NULL THEN {utc} + to_seconds(i._tzoff) "
                f"ELSE timezone(i._tz, timezone('UTC', {utc})) END"
            )
        if name == RUN_COLUMN:
            return q_str(self.run_id)
        if self.table.name == "contacts":
            if name == "is_repeat":
                return "false"
            if name in ("first_response_business_s", "resolution_business_s"):
                if name.startswith("first"):
                    return self._business_expr("answered_at", "b.frb")
                return self._business_expr("resolved_at", "b.rb")
            if name == "wait_s":
                # seconds until answer or abandon, when the file gives the instants but not the wait
                fills = [
                    f"epoch(i.{q_ident(c)} - i.created_at)"
                    for c in ("answered_at", "abandoned_at")
                    if c in self.compiled
                ]
                if "wait_s" in self.compiled:
                    fills.insert(0, "i.wait_s")
                if not fills:
                    return "CAST(NULL AS DOUBLE)"
                return f"CAST(COALESCE({', '.join(fills)}) AS DOUBLE)"
        if name in self.compiled and name not in DERIVED.get(self.table.name, ()):
            return f"i.{q_ident(name)}"
        return f"CAST(NULL AS {col.type})"

    def _plan_business_seconds(self, cur: Any) -> None:
        """Which centers need the calendar (Python) path for business seconds.

        A center with no ``calendar_json`` is open 24x7, and in a zone with a fixed UTC offset its
        business seconds are plain elapsed seconds, ``epoch(end - start)``: computed in SQL. Only
        centers with a calendar (or a DST zone) go through :func:`business_seconds_frame`. None
        means every row does (the default zone, given to centers created by this import, has DST).
        """
        self._biz_python_centers: list[str] | None = []
        if self.table.name != "contacts":
            return
        if fixed_offset_seconds(self.default_tz) is None:
            self._biz_python_centers = None
            return
        slow = []
        for cid, tz, cal in cur.execute(
            "SELECT center_id, timezone, calendar_json FROM centers WHERE center_id IS NOT NULL"
        ).fetchall():
            if (cal is not None and str(cal).strip()) or fixed_offset_seconds(
                tz or "Asia/Seoul"
            ) is None:
                slow.append(str(cid))
        self._biz_python_centers = sorted(slow)

    def _business_expr(self, end: str, python_col: str) -> str:
        """Business seconds from created_at to ``end`` (see :meth:`_plan_business_seconds`)."""
        fast = (
            f"epoch(i.{q_ident(end)} - i.created_at)"
            if end in self.compiled and "created_at" in self.compiled
            else "CAST(NULL AS DOUBLE)"
        )
        slow = self._biz_python_centers
        if slow is None:
            return python_col
        if not slow:
            return fast
        ids = ", ".join(q_str(c) for c in slow)
        return f"CASE WHEN i.center_id IN ({ids}) THEN {python_col} ELSE {fast} END"

    def _accept(self, cur: Any) -> None:
        """``_imp_ok``: a view of the accepted rows in the table's final shape (no second copy)."""
        self._plan_business_seconds(cur)
        cols = [f"{self._final_expr(c)} AS {q_ident(c.name)}" for c in self.table.columns]
        items = [f"i.{q_ident('__item__' + x)}" for x in self.items]
        biz = ""
        if self.table.name == "contacts":
            cur.execute("CREATE TEMP TABLE _imp_biz (_row BIGINT, frb DOUBLE, rb DOUBLE)")
            if self._biz_python_centers is None or self._biz_python_centers:
                biz = "LEFT JOIN _imp_biz b ON b._row = i._row"
        sel = ", ".join(["i._row", *cols, *items])
        anti = "ANTI JOIN _imp_drop d ON d._row = i._row" if self._n_drop else ""
        cur.execute(f"CREATE TEMP VIEW _imp_ok AS SELECT {sel} FROM _imp i {anti} {biz}")
        n_ok = self.summary.rows_read - self._n_drop
        self.summary.accepted = int(n_ok) + int(self.infile_dups)
        rej = cur.execute("SELECT count(DISTINCT _row) FROM _imp_rej").fetchone()[0]
        n_parse = len(getattr(self, "_parse_reject_rows", []))
        self.summary.rejected = int(rej) + n_parse
        # lines DuckDB's parser could not split are rows of the file too: rows_read counts them,
        # so accepted + rejected + in-file duplicates of one key add up to it
        self.summary.rows_read += n_parse

    def _key_match(self, a: str, b: str) -> str:
        return " AND ".join(
            f"{a}.{q_ident(k)} IS NOT DISTINCT FROM {b}.{q_ident(k)}" for k in self.table.key
        )

    def _item_signature_new(self) -> str:
        parts = []
        for item_id in sorted(self.items):
            col = q_ident("__item__" + item_id)
            parts.append(
                f"CASE WHEN {col} IS NULL THEN NULL ELSE {q_str(item_id + '=')} || "
                f"COALESCE(CAST(TRY_CAST({col} AS DOUBLE) AS VARCHAR), 'NA') END"
            )
        return "concat_ws(';', " + ", ".join(parts) + ")" if parts else "''"

    def _classify(self, cur: Any) -> None:
        """new / dup (identical stored row) / upd (same key, different values)."""
        t = self.table.name
        existing = cur.execute(f"SELECT count(*) FROM (SELECT 1 FROM {t} LIMIT 1)").fetchone()[0]
        self._target_empty = not existing
        key = list(self.table.key)
        if not existing or not key:
            cur.execute("CREATE TEMP TABLE _imp_cls AS SELECT _row, 'new' AS _kind FROM _imp_ok")
        elif not self.items:
            # a 64-bit hash of the compared columns per side: the join then holds the key and one
            # number per stored row instead of every column (a 10M-row re-import fits in memory)
            types = {c.name: c.type for c in self.table.columns}
            cmp_cols = [c.name for c in imported_columns(self.table) if c.name in self.compiled]
            h = (
                "hash("
                + ", ".join(f"CAST({q_ident(c)} AS {types[c]})" for c in cmp_cols)
                + ") AS _h"
            )
            keys = ", ".join(q_ident(k) for k in key)
            cur.execute(
                f"CREATE TEMP TABLE _imp_cls AS SELECT n._row, CASE WHEN o._h IS NULL THEN 'new' "
                f"WHEN o._h = n._h THEN 'dup' ELSE 'upd' END AS _kind "
                f"FROM (SELECT _row, {keys}, {h} FROM _imp_ok) n "
                f"LEFT JOIN (SELECT {keys}, {h} FROM {t}) o ON {self._key_match('n', 'o')}"
            )
        else:
            cmp_cols = [c.name for c in imported_columns(self.table) if c.name in self.compiled]
            same = " AND ".join(
                f"n.{q_ident(c)} IS NOT DISTINCT FROM o.{q_ident(c)}" for c in cmp_cols
            )
            old = f"(SELECT *, true AS _present FROM {t})"
            if self.items:
                old = (
                    f"(SELECT e.*, true AS _present, COALESCE(s.sig, '') AS _sig FROM {t} e "
                    "LEFT JOIN (SELECT evaluation_id, string_agg(item_id || '=' || "
                    "COALESCE(CAST(score AS VARCHAR), 'NA'), ';' ORDER BY item_id) AS sig "
                    "FROM qa_item_scores GROUP BY evaluation_id) s USING (evaluation_id))"
                )
                same += f" AND COALESCE({self._item_signature_new()}, '') = o._sig"
            cur.execute(
                f"CREATE TEMP TABLE _imp_cls AS SELECT n._row, CASE WHEN o._present IS NULL "
                f"THEN 'new' WHEN {same} THEN 'dup' ELSE 'upd' END AS _kind "
                f"FROM _imp_ok n LEFT JOIN {old} o ON {self._key_match('n', 'o')}"
            )
        counts = dict(cur.execute("SELECT _kind, count(*) FROM _imp_cls GROUP BY 1").fetchall())
        self.summary.inserted = int(counts.get("new", 0))
        self.summary.updated = int(counts.get("upd", 0))
        self.summary.duplicates = int(counts.get("dup", 0)) + int(self.infile_dups)

    # --- centers and queues the file mentions but the store does not know -------------------
    def _report_new_refs(self, cur: Any, *, create: bool) -> None:
        t = self.table.name
        cols = self.table.column_names
        if "center_id" in cols and t != "centers":
            new = [
                r[0]
                for r in cur.execute(
                    "SELECT DISTINCT center_id FROM _imp_ok WHERE center_id IS NOT NULL AND "
                    "center_id NOT IN (SELECT center_id FROM centers WHERE center_id IS NOT NULL) "
                    "ORDER BY 1"
                ).fetchall()
            ]
            self.summary.created_centers = new
            if create and new:
                cur.executemany(
                    "INSERT INTO centers (center_id, name, kind, timezone) VALUES (?, ?, 'in_house', ?)",
                    [[c, c, self.default_tz] for c in new],
                )
        if "queue_id" in cols and t != "queues":
            chan = "mode(channel)" if "channel" in cols else "NULL"
            new_q = cur.execute(
                f"SELECT queue_id, {chan} FROM _imp_ok WHERE queue_id IS NOT NULL AND queue_id "
                "NOT IN (SELECT queue_id FROM queues WHERE queue_id IS NOT NULL) GROUP BY 1 ORDER BY 1"
            ).fetchall()
            self.summary.created_queues = [q for q, _ in new_q]
            if create and new_q:
                rows = []
                for q, ch in new_q:
                    ch = ch or "voice"
                    rows.append([q, q, ch, "live" if ch in LIVE_CHANNELS else "async"])
                cur.executemany(
                    "INSERT INTO queues (queue_id, name, channel, mode) VALUES (?, ?, ?, ?)", rows
                )

    # --- derived fields --------------------------------------------------------------------
    def _business_seconds(self, cur: Any) -> None:
        """Calendar-based business seconds for the rows of centers that have a calendar."""
        slow = self._biz_python_centers
        if slow is not None and not slow:
            return  # every center is 24x7 in a fixed-offset zone: done in SQL by _final_expr
        only = ""
        if slow:
            only = f"AND center_id IN ({', '.join(q_str(c) for c in slow)})"
        frame = cur.execute(
            "SELECT _row, center_id, created_at, answered_at, resolved_at FROM _imp_ok "
            f"WHERE (answered_at IS NOT NULL OR resolved_at IS NOT NULL) {only}"
        ).fetchnumpy()
        if len(frame["_row"]) == 0:
            return
        biz = business_seconds_frame(cur, frame, self.default_tz)
        cur.register("_imp_biz_df", biz)
        try:
            cur.execute("INSERT INTO _imp_biz SELECT _row, frb, rb FROM _imp_biz_df")
        finally:
            cur.unregister("_imp_biz_df")

    # --- write -----------------------------------------------------------------------------
    def _apply(self, cur: Any) -> None:
        t = self.table.name
        cols = ", ".join(q_ident(c) for c in self.table.column_names)
        km = self._key_match(t, "d")
        if t == "contacts" and not self._target_empty:
            cur.execute(
                "CREATE TEMP TABLE _imp_aff AS SELECT DISTINCT customer_id FROM ("
                "SELECT customer_id FROM _imp_ok JOIN _imp_cls USING (_row) WHERE _kind <> 'dup' "
                "UNION ALL SELECT c.customer_id FROM contacts c JOIN (SELECT o.contact_id FROM "
                "_imp_ok o JOIN _imp_cls USING (_row) WHERE _kind = 'upd') u USING (contact_id)) "
                "WHERE customer_id IS NOT NULL"
            )
        if self.summary.updated:
            keys = ", ".join(q_ident(k) for k in self.table.key)
            cur.execute(
                f"DELETE FROM {t} USING (SELECT {keys} FROM _imp_ok JOIN _imp_cls USING (_row) "
                f"WHERE _kind = 'upd') d WHERE {km}"
            )
        if self.summary.inserted or self.summary.updated:
            if self.summary.updated or self.summary.duplicates:
                src = "_imp_ok JOIN _imp_cls USING (_row) WHERE _kind <> 'dup'"
            else:
                src = "_imp_ok"
            if t == "contacts" and self._target_empty:
                # first import into an empty table: the file is the whole history, so the repeat
                # flags are computed in the INSERT (same rule as update_repeat_flags, no UPDATE)
                # (a narrow window over 5 columns, then a join: sorting whole rows costs 2x more)
                narrow = f"(SELECT _row, customer_id, tag_id, created_at, contact_id FROM {src})"
                cur.execute(
                    f"CREATE TEMP TABLE _imp_rep AS SELECT _row FROM (SELECT _row, "
                    f"{REPEAT_FLAG_SQL} AS f FROM ({_WITH_LEVEL1.format(src=narrow)})) WHERE f"
                )
                src = (
                    f"(SELECT o.* REPLACE (r._row IS NOT NULL AS is_repeat) FROM (SELECT * FROM "
                    f"{src}) o LEFT JOIN _imp_rep r ON r._row = o._row)"
                )
            cur.execute(f"INSERT INTO {t} ({cols}) SELECT {cols} FROM {src}")
        if self.items:
            self._apply_items(cur)

    def _apply_items(self, cur: Any) -> None:
        changed = "_imp_ok JOIN _imp_cls USING (_row) WHERE _kind <> 'dup'"
        cur.execute(
            f"DELETE FROM qa_item_scores WHERE evaluation_id IN (SELECT evaluation_id FROM {changed})"
        )
        na = "(" + ", ".join(q_str(v.strip().lower()) for v in self.mapping.na_values) + ")"
        parts = []
        for item_id in self.items:
            col = q_ident("__item__" + item_id)
            parts.append(
                f"SELECT evaluation_id, center_id, {q_str(item_id)} AS item_id, "
                f"TRY_CAST({col} AS DOUBLE) AS score, lower({col}) IN {na} AS is_na "
                f"FROM {changed} AND {col} IS NOT NULL"
            )
        cur.execute(
            "INSERT INTO qa_item_scores (evaluation_id, center_id, item_id, score, is_na) "
            + " UNION ALL ".join(parts)
        )
        n = cur.execute(
            f"SELECT count(*) FROM qa_item_scores WHERE evaluation_id IN "
            f"(SELECT evaluation_id FROM {changed})"
        ).fetchone()[0]
        self.summary.extra_rows = {"qa_item_scores": int(n)}

    # --- rejected rows ---------------------------------------------------------------------
    def _rejects_sql(self) -> str:
        shift = ""
        if getattr(self, "_parse_shift", False):
            shift = " + (SELECT count(*) FROM _imp_parse_rej p WHERE p.e < r._row)"
        # DISTINCT: two canonical columns mapped from one source cell fail on it the same way
        return (
            f"SELECT r._row{shift} AS row_number, column_name, value, reason, r._row AS _r "
            "FROM (SELECT DISTINCT _row, column_name, value, reason FROM _imp_rej) r"
        )

    def _collect_rejects(self, cur: Any) -> None:
        rows = cur.execute(
            f"SELECT row_number, column_name, value, reason FROM ({self._rejects_sql()}) "
            f"ORDER BY row_number, column_name LIMIT {MAX_REPORTED_REJECTS}"
        ).fetchall()
        out = [
            RejectedRow(file=self.path.name, row=int(r), column=c, value=_clip(v), reason=why)
            for r, c, v, why in rows
        ]
        for d, why, text in getattr(self, "_parse_reject_rows", [])[:MAX_REPORTED_REJECTS]:
            out.append(
                RejectedRow(file=self.path.name, row=d, column=None, value=_clip(text), reason=why)
            )
        out.sort(key=lambda r: (r.row if r.row is not None else -1, r.column or ""))
        self.summary.rejected_rows = out[:MAX_REPORTED_REJECTS]

    def _store_rejects(self, cur: Any) -> None:
        types = {c.name: c.type for c in self.table.columns}
        parts = []
        for c in self.compiled:
            v = f"CAST(i.{q_ident(c)} AS VARCHAR)"
            if types.get(c, "VARCHAR") != "VARCHAR":
                v = f"COALESCE({v}, i.{q_ident(bad_name(c))})"
            parts.append(f"{q_str(c)}: {v}")
        raw = "to_json({" + ", ".join(parts) + "})"
        cur.execute(
            "INSERT INTO rejected_rows (run_id, file_name, row_number, column_name, value, reason, raw) "
            f"SELECT {q_str(self.run_id)}, {q_str(self.path.name)}, x.row_number, x.column_name, "
            f"left(x.value, 1000), x.reason, left(CAST({raw} AS VARCHAR), 4000) "
            f"FROM ({self._rejects_sql()}) x JOIN _imp i ON i._row = x._r "
            f"ORDER BY x.row_number LIMIT {MAX_STORED_REJECTS}"
        )
        parse_rows = getattr(self, "_parse_reject_rows", [])[:MAX_STORED_REJECTS]
        if parse_rows:
            cur.executemany(
                "INSERT INTO rejected_rows (run_id, file_name, row_number, column_name, value, "
                "reason, raw) VALUES (?, ?, ?, NULL, NULL, ?, ?)",
                [[self.run_id, self.path.name, d, why, text] for d, why, text in parse_rows],
            )

    def _insert_run(self, cur: Any, started: pd.Timestamp, *, status: str, message: str) -> None:
        self._await_hash()
        s = self.summary
        cur.execute(
            "INSERT INTO import_runs (run_id, started_at, finished_at, user_name, file_name, "
            "file_hash, profile, table_name, accepted, rejected, duplicates, updated, status, "
            "message) VALUES (?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.run_id, started.to_pydatetime(), self.user, self.path.name, s.file_hash,
                s.profile, s.table, s.accepted, s.rejected, s.duplicates, s.updated, status,
                message,
            ],
        )  # fmt: skip


@contextlib.contextmanager
def _insertion_order(cur: Any, preserve: bool) -> Any:
    """Set ``preserve_insertion_order`` for one step and restore it after.

    Staging keeps it on: ``_row`` (the file's row number) follows scan order. The write turns it off:
    stored row order carries no meaning (every reader orders explicitly), and DuckDB then inserts
    with both threads without re-ordering.
    """
    before = cur.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0]
    cur.execute(f"SET preserve_insertion_order = {'true' if preserve else 'false'}")
    try:
        yield
    finally:
        cur.execute(f"SET preserve_insertion_order = {'true' if before else 'false'}")


def _is_blank_file(path: Path) -> bool:
    """True for a file with nothing but whitespace and a UTF-8 byte-order mark (small files only)."""
    if path.stat().st_size > 4096:
        return False
    return not path.read_bytes().replace(b"\xef\xbb\xbf", b"").strip()


def _clip(v: Any, n: int = 200) -> str | None:
    if v is None:
        return None
    s = str(v)
    return s if len(s) <= n else s[: n - 1] + "…"


# --- derived fields, shared with recompute_derived ----------------------------------------------
def _utc_array(values: Any) -> np.ndarray:
    """Naive-UTC timestamps as datetime64[ns], NULL -> NaT (from pandas or DuckDB's fetchnumpy)."""
    if isinstance(values, np.ma.MaskedArray):
        return np.ma.filled(values.astype("datetime64[ns]"), np.datetime64("NaT"))
    return np.asarray(values, dtype="datetime64[ns]")


def business_seconds_frame(cur: Any, frame: Any, default_tz: str) -> pd.DataFrame:
    """``_row``/``contact_id`` + ``frb``/``rb``: business seconds to first response and resolution.

    ``frame`` (a DataFrame or DuckDB's ``fetchnumpy()`` dict) has center_id, created_at,
    answered_at, resolved_at (naive UTC). Each center's calendar comes from
    ``centers.calendar_json`` (timezone from ``centers.timezone``); a center without one is open
    24x7 (business time = calendar time). Formula: :func:`ops.calendar.business_seconds`.
    """
    from ops.calendar import BusinessCalendar, business_seconds, center_calendars

    centers = cur.execute("SELECT center_id, timezone, calendar_json FROM centers").df()
    calendars = center_calendars(centers)
    ids = np.asarray(frame["center_id"], dtype=object)
    created = _utc_array(frame["created_at"])
    answered = _utc_array(frame["answered_at"])
    resolved = _utc_array(frame["resolved_at"])
    frb = np.full(len(ids), np.nan)
    rb = np.full(len(ids), np.nan)
    for cid in pd.unique(ids):
        cal = calendars.get(cid) or BusinessCalendar.always_open(default_tz)
        sel = ids == cid
        frb[sel] = business_seconds(created[sel], answered[sel], cal)
        rb[sel] = business_seconds(created[sel], resolved[sel], cal)
    key = "_row" if "_row" in frame else "contact_id"
    return pd.DataFrame({key: np.asarray(frame[key]), "frb": frb, "rb": rb})


# ``is_repeat`` over rows carrying ``lvl`` (the level-1 tag), see update_repeat_flags
REPEAT_FLAG_SQL = (
    "(customer_id IS NOT NULL AND tag_id IS NOT NULL AND COALESCE(created_at - lag(created_at) "
    "OVER (PARTITION BY customer_id, lvl ORDER BY created_at, contact_id) "
    f"<= INTERVAL {REPEAT_WINDOW_DAYS} DAY, false))"
)
_WITH_LEVEL1 = (
    "SELECT c.*, COALESCE(t.level1, split_part(c.tag_id, '/', 1)) AS lvl FROM (SELECT * FROM {src}) c "
    "LEFT JOIN (SELECT tag_id, any_value(level1) AS level1 FROM tags GROUP BY tag_id) t "
    "USING (tag_id)"
)


def update_repeat_flags(cur: Any, *, customers_sql: str | None = None) -> int:
    """Recompute ``contacts.is_repeat`` for the given customers (all when None); returns rows changed.

    A contact is a repeat when the same customer had an earlier contact with the same level-1 tag
    within the previous 7 days (DESIGN.md "Repeat contact rate"): ``created_at - previous created_at
    <= 7 days`` in the (customer_id, level1) partition ordered by created_at. The level-1 tag comes
    from ``tags.level1``, else the first segment of the tag id ("결제/환불" -> "결제"). Contacts without
    a customer or a tag are never repeats.
    """
    where = f"AND c.customer_id IN ({customers_sql})" if customers_sql else ""
    before = cur.execute("SELECT count(*) FROM contacts WHERE is_repeat").fetchone()[0]
    cur.execute(
        "UPDATE contacts SET is_repeat = r.flag FROM ("
        "SELECT contact_id, COALESCE(created_at - lag(created_at) OVER ("
        "PARTITION BY customer_id, lvl ORDER BY created_at, contact_id) "
        f"<= INTERVAL {REPEAT_WINDOW_DAYS} DAY, false) AS flag FROM ("
        "SELECT c.contact_id, c.customer_id, c.created_at, "
        "COALESCE(t.level1, split_part(c.tag_id, '/', 1)) AS lvl FROM contacts c "
        "LEFT JOIN (SELECT tag_id, any_value(level1) AS level1 FROM tags GROUP BY tag_id) t "
        f"USING (tag_id) WHERE c.customer_id IS NOT NULL AND c.tag_id IS NOT NULL {where})) r "
        "WHERE contacts.contact_id = r.contact_id AND contacts.is_repeat IS DISTINCT FROM r.flag"
    )
    after = cur.execute("SELECT count(*) FROM contacts WHERE is_repeat").fetchone()[0]
    return int(abs(after - before))
