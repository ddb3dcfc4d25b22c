"""Writing a table back out as a canonical file (CSV, Parquet or XLSX, by the file's extension).

Exports are what users open in Excel, so two things matter:

- **Hangul shows correctly**: CSV is written as UTF-8 *with* a BOM, which Excel needs to detect UTF-8.
- **No formula injection**: a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR is
  prefixed with ``'`` (OWASP "CSV injection"), so ``=cmd|' /C calc'!A0`` stays text. The importer
  removes that one ``'`` again, so export -> import round-trips.

Timestamps are written in UTC with an explicit offset (``2026-10-01 00:00:00+00:00``; Parquet as
``TIMESTAMP WITH TIME ZONE``), so re-importing an export never reinterprets them as local time.
Derived columns (``created_local``, business seconds, ...) are exported for convenience and ignored
on import (they are recomputed).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from ops.errors import CcopsError, StoreError
from ops.store.importers.mapping import q_ident, q_str
from ops.store.importers.rules import DERIVED
from ops.store.schema import TABLES
from ops.store.scope import Scope

XLSX_MAX_ROWS = 1_048_575
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula_sql(col: str) -> str:
    """SQL prefixing ``'`` to a text value that a spreadsheet would run as a formula."""
    c = q_ident(col)
    prefixes = ", ".join(f"chr({ord(p)})" for p in FORMULA_PREFIXES)
    return f"(CASE WHEN left({c}, 1) IN ({prefixes}) THEN '''' || {c} ELSE {c} END)"


def escape_formula(value: object) -> object:
    """The same escape for one Python value (for download buttons that write CSV/XLSX)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_table(
    store: Any,
    table: str,
    out: str | Path,
    *,
    scope: Scope | None = None,
    where: str | None = None,
) -> int:
    """Write ``table`` to ``out`` (.csv, .parquet or .xlsx) and return the number of rows.

    ``scope`` limits a scoped table to the user's centers (a vendor exports only its own rows).
    ``where`` is an optional extra SQL filter for admin callers (not for user input).
    """
    if table not in TABLES:
        raise CcopsError(f"Unknown table {table!r}; known tables: {', '.join(sorted(TABLES))}")
    spec = TABLES[table]
    out = Path(out)
    ext = out.suffix.lower()
    if ext not in (".csv", ".parquet", ".xlsx"):
        raise CcopsError(f"Cannot export to {out.name}: use a .csv, .parquet or .xlsx file name.")
    conds = []
    ids = (scope or Scope.all()).center_ids
    if ids is not None and spec.scoped:
        conds.append(f"center_id IN ({', '.join(q_str(i) for i in sorted(ids))})")
    if where:
        conds.append(f"({where})")
    where_sql = f" WHERE {' AND '.join(conds)}" if conds else ""
    local_cols = {c for c in DERIVED.get(table, ()) if c.endswith("_local")}
    exprs = []
    for c in spec.columns:
        if c.type == "VARCHAR" and ext != ".parquet":
            e = escape_formula_sql(c.name)
        elif (
            c.type == "TIMESTAMP"
            and c.name not in local_cols
            and (table, c.name) != ("forecasts", "ds")
        ):
            e = f"timezone('UTC', {q_ident(c.name)})"  # naive UTC -> TIMESTAMPTZ
            if ext != ".parquet":
                # whole seconds as 'YYYY-MM-DD HH:MM:SS', sub-second values keep their
                # microseconds (re-importing an export must not move any instant)
                x = q_ident(c.name)
                e = (
                    f"CASE WHEN epoch_us({x}) % 1000000 = 0 THEN strftime({x}, '%Y-%m-%d %H:%M:%S')"
                    f" ELSE strftime({x}, '%Y-%m-%d %H:%M:%S.%f') END || '+00:00'"
                )
        else:
            e = q_ident(c.name)
        exprs.append(f"{e} AS {q_ident(c.name)}")
    order = ", ".join(q_ident(k) for k in spec.key) if spec.key else "1"
    select = f"SELECT {', '.join(exprs)} FROM {table}{where_sql} ORDER BY {order}"
    out.parent.mkdir(parents=True, exist_ok=True)
    cur = store.cursor()
    try:
        n = cur.execute(f"SELECT count(*) FROM {table}{where_sql}").fetchall()[0][0]
        if ext == ".parquet":
            cur.execute(f"COPY ({select}) TO {q_str(str(out))} (FORMAT parquet)")
        elif ext == ".csv":
            with tempfile.TemporaryDirectory(prefix="ccops-export-") as tmp:
                body = Path(tmp) / "body.csv"
                cur.execute(f"COPY ({select}) TO {q_str(str(body))} (FORMAT csv, HEADER true)")
                with out.open("wb") as f, body.open("rb") as b:
                    f.write(b"\xef\xbb\xbf")
                    shutil.copyfileobj(b, f, 1 << 20)
        else:
            if n > XLSX_MAX_ROWS:
                raise CcopsError(
                    f"{table} has {n:,} rows; Excel holds {XLSX_MAX_ROWS:,}. Export to .csv or "
                    ".parquet instead."
                )
            _write_xlsx(cur, select, out, table, [c.name for c in spec.columns])
    except CcopsError:
        raise
    except Exception as e:
        raise StoreError(f"Export of {table} to {out} failed: {str(e).splitlines()[0]}") from e
    return int(n)


def _write_xlsx(cur: Any, select: str, out: Path, sheet: str, columns: list[str]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(out),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    ws = wb.add_worksheet(sheet[:31])
    for j, name in enumerate(columns):
        ws.write_string(0, j, name)
    res = cur.execute(select)
    i = 1
    while True:
        batch = res.fetchmany(10_000)
        if not batch:
            break
        for row in batch:
            for j, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(i, j, v)
                elif isinstance(v, bool):
                    ws.write_boolean(i, j, v)
                elif isinstance(v, int | float):
                    ws.write_number(i, j, v)
                else:
                    ws.write_string(i, j, str(v))
            i += 1
    wb.close()
