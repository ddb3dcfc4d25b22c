"""Getting an input file into DuckDB as a relation of raw values, whatever its format and encoding.

DuckDB reads UTF-8 CSV and Parquet itself, streamed and in parallel; that is the fast path. Its only
built-in extensions here are parquet, json and icu (the excel and encodings extensions download at run
time and fail offline), so two cases go through Python first:

- CP949/EUC-KR (Korean Excel's "CSV") and UTF-16 files are stream-decoded to a UTF-8 temporary file,
  then DuckDB reads that file;
- XLSX is read with python-calamine, in chunks, into a TEMP staging table; password-protected workbooks
  are decrypted in memory with msoffcrypto-tool (the decrypted bytes never touch the disk).

Every relation yields ``_row``, the 1-based data row (the header is row 0): Parquet and XLSX
relations carry it as a column; CSV and JSON relations do not (``rows_in_scan_order``) because a
``row_number() OVER ()`` window would serialise the whole staging query onto one thread. Their rows
are numbered after staging from the staging table's row ids, which follow the scan order (DuckDB
preserves insertion order for the ordered parallel scan).
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from ops.errors import ValidationError
from ops.store.importers.mapping import Mapping, q_ident, q_str

CSV_EXT = {".csv", ".txt", ".tsv"}
PARQUET_EXT = {".parquet", ".pq"}
JSON_EXT = {".json", ".jsonl", ".ndjson"}
XLSX_EXT = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML and legacy .xls are OLE files
ZIP_MAGIC = b"PK\x03\x04"
PARQUET_MAGIC = b"PAR1"
SNIFF_BYTES = 1 << 20
XLSX_CHUNK_ROWS = 50_000
ENCODING_ALIASES = {
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8",
    "utf8-sig": "utf-8",
    "cp949": "cp949",
    "ms949": "cp949",
    "uhc": "cp949",
    "euc-kr": "cp949",  # CP949 is a superset of EUC-KR; decoding EUC-KR files with it is safe
    "euckr": "cp949",
    "utf-16": "utf-16",
    "latin-1": "latin-1",
    "latin1": "latin-1",
}


def file_sha256(path: Path) -> str:
    """SHA-256 of the file's bytes (streamed), recorded in import_runs."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def detect_format(path: Path) -> str:
    """csv | parquet | xlsx | json, from the magic bytes first and the extension second."""
    with path.open("rb") as f:
        head = f.read(8)
    ext = path.suffix.lower()
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    if head.startswith(OLE_MAGIC):
        return "xlsx"
    if head.startswith(ZIP_MAGIC) and ext in XLSX_EXT | {""}:
        return "xlsx"
    if ext in XLSX_EXT:
        return "xlsx"
    if ext in PARQUET_EXT:
        return "parquet"
    if ext in JSON_EXT:
        return "json"
    return "csv"


def detect_encoding(path: Path) -> str:
    """utf-8 | utf-16 | cp949, from the BOM, then UTF-8 validity of the first MB, then CP949."""
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < SNIFF_BYTES)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("cp949")().decode(head, final=len(head) < SNIFF_BYTES)
        return "cp949"
    except UnicodeDecodeError as e:
        line = head[: e.start].count(b"\n") + 1
        raise ValidationError(
            "The file is neither UTF-8 nor CP949/EUC-KR (byte "
            f"{e.start}); save it as UTF-8 or pass --encoding",
            file=path.name,
            row=line - 1,
        ) from e


def normalise_encoding(encoding: str | None) -> str | None:
    if encoding is None:
        return None
    key = encoding.strip().lower().replace("_", "-")
    if key in ENCODING_ALIASES:
        return ENCODING_ALIASES[key]
    try:
        return codecs.lookup(key).name
    except LookupError as e:
        raise ValidationError(
            f"Unknown encoding {encoding!r}; use utf-8, cp949 (EUC-KR), utf-16 or latin-1"
        ) from e


def transcode_to_utf8(path: Path, encoding: str, out_dir: str) -> Path:
    """Stream-decode ``path`` from ``encoding`` into a UTF-8 temp file (1 MB blocks)."""
    dec = codecs.getincrementaldecoder(encoding)(errors="strict")
    fd, name = tempfile.mkstemp(suffix=".csv", dir=out_dir)
    consumed = 0
    lines = 0
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out, path.open("rb") as f:
        while True:
            block = f.read(1 << 20)
            final = not block
            try:
                text = dec.decode(block, final=final)
            except UnicodeDecodeError as e:
                row = lines + block[: max(e.start, 0)].count(b"\n")
                raise ValidationError(
                    f"Byte {consumed + max(e.start, 0)} cannot be decoded as {encoding} "
                    "(mixed encodings?); re-save the file in one encoding or pass --encoding",
                    file=path.name,
                    row=row,
                ) from e
            out.write(text.lstrip("\ufeff") if consumed == 0 else text)
            if final:
                break
            consumed += len(block)
            lines += block.count(b"\n")
    return Path(name)


def decrypt_office(path: Path, password: str | None) -> io.BytesIO | None:
    """The decrypted bytes of a password-protected OOXML workbook, kept in memory.

    None when the OLE file is not encrypted (a legacy .xls workbook).
    """
    import msoffcrypto

    with path.open("rb") as f:
        try:
            office = msoffcrypto.OfficeFile(f)
            encrypted = office.is_encrypted()
        except Exception as e:  # not an Office file at all
            raise ValidationError(f"Not a readable Excel workbook: {e}", file=path.name) from e
        if not encrypted:
            return None  # a legacy .xls workbook: calamine reads it directly
        if not password:
            raise ValidationError(
                "The workbook is password-protected; give the password with --password",
                file=path.name,
            )
        out = io.BytesIO()
        try:
            office.load_key(password=password)
            office.decrypt(out)
        except Exception as e:
            raise ValidationError(
                "Could not decrypt the workbook: wrong password?", file=path.name
            ) from e
    out.seek(0)
    return out


def _cell_text(v: Any) -> str | None:
    """An XLSX cell as the text DuckDB will parse (integral floats without '.0', ISO datetimes)."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, time):
        return v.isoformat()
    if isinstance(v, timedelta):
        return str(v.total_seconds())
    return str(v)


@dataclass
class SourceRelation:
    """A file loaded (or readable) in DuckDB: ``sql`` is a FROM-clause item.

    It has a ``_row`` column unless ``rows_in_scan_order``: then the data row is the position in
    the (order-preserving) scan, numbered by the caller after staging.
    """

    sql: str
    headers: list[str]
    types: dict[str, str]
    fmt: str
    encoding: str | None = None
    csv_rejects_table: str | None = None
    cleanup_sql: list[str] = field(default_factory=list)
    rows_in_scan_order: bool = False


def _dedupe_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(headers):
        name = (h or "").replace("\ufeff", "").strip() or f"column{i + 1}"
        if name.lower() in RESERVED:
            name = f"{name}_source"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


@contextlib.contextmanager
def open_source(
    cur: Any,
    path: Path,
    mapping: Mapping,
    *,
    encoding: str | None,
    password: str | None,
    delimiter: str | None = None,
) -> Iterator[SourceRelation]:
    """Make ``path`` readable on ``cur`` and yield its relation; temp files are removed after."""
    fmt = detect_format(path)
    with tempfile.TemporaryDirectory(prefix="ccops-import-") as tmp:
        if fmt == "parquet":
            yield _parquet_relation(cur, path)
        elif fmt == "json":
            yield _json_relation(cur, path)
        elif fmt == "xlsx":
            yield _xlsx_relation(cur, path, mapping, password)
        else:
            enc = normalise_encoding(encoding or mapping.encoding) or detect_encoding(path)
            src = path
            if enc not in ("utf-8",):
                src = transcode_to_utf8(path, enc, tmp)
            yield _csv_relation(cur, src, path, mapping, enc, delimiter or mapping.delimiter)


def _parquet_relation(cur: Any, path: Path) -> SourceRelation:
    try:
        desc = cur.execute(f"DESCRIBE SELECT * FROM read_parquet({q_str(str(path))})").fetchall()
    except Exception as e:
        raise ValidationError(
            f"Not a readable Parquet file: {_first_line(e)}", file=path.name
        ) from e
    names = [r[0] for r in desc]
    headers = [n for n in names if n.lower() not in RESERVED]
    types = {r[0]: str(r[1]).upper() for r in desc}
    sql = (
        f"(SELECT file_row_number + 1 AS _row, {_star(names, 'file_row_number')} "
        f"FROM read_parquet({q_str(str(path))}, file_row_number = true))"
    )
    return SourceRelation(sql=sql, headers=headers, types=types, fmt="parquet")


def _json_relation(cur: Any, path: Path) -> SourceRelation:
    """A JSON array or newline-delimited JSON file of flat objects (DuckDB's read_json)."""
    reader = f"read_json({q_str(str(path))}, format = 'auto', maximum_object_size = 67108864)"
    try:
        desc = cur.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    except Exception as e:
        raise ValidationError(f"Not a readable JSON file: {_first_line(e)}", file=path.name) from e
    names = [r[0] for r in desc]
    headers = [n for n in names if n.lower() not in RESERVED]
    types = {r[0]: str(r[1]).upper() for r in desc}
    sql = f"(SELECT {_star(names)} FROM {reader})"
    return SourceRelation(
        sql=sql, headers=headers, types=types, fmt="json", rows_in_scan_order=True
    )


def _csv_relation(
    cur: Any, src: Path, original: Path, mapping: Mapping, enc: str, delimiter: str | None
) -> SourceRelation:
    opts = [
        "header = true",
        "all_varchar = true",
        "store_rejects = true",
        "rejects_table = '_imp_csv_rejects'",
        "rejects_scan = '_imp_csv_scan'",
        "max_line_size = 16777216",
    ]
    if delimiter:
        opts.append(f"delim = {q_str(delimiter)}")
    if mapping.skip_rows:
        opts.append(f"skip = {int(mapping.skip_rows)}")
    reader = f"read_csv({q_str(str(src))}, {', '.join(opts)})"
    for t in ("_imp_csv_rejects", "_imp_csv_scan"):
        cur.execute(f"DROP TABLE IF EXISTS {t}")
    try:
        desc = cur.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    except Exception as e:
        raise ValidationError(
            f"Cannot read the file as CSV: {_first_line(e)}", file=original.name, row=0
        ) from e
    names = [r[0] for r in desc]
    headers = [n for n in names if n.lower() not in RESERVED]
    sql = f"(SELECT {_star(names)} FROM {reader})"
    return SourceRelation(
        sql=sql,
        rows_in_scan_order=True,
        headers=headers,
        types=dict.fromkeys(headers, "VARCHAR"),
        fmt="csv",
        encoding=enc,
        csv_rejects_table="_imp_csv_rejects",
        cleanup_sql=["DROP TABLE IF EXISTS _imp_csv_rejects", "DROP TABLE IF EXISTS _imp_csv_scan"],
    )


def _xlsx_relation(cur: Any, path: Path, mapping: Mapping, password: str | None) -> SourceRelation:
    from python_calamine import CalamineWorkbook

    with path.open("rb") as f:
        head = f.read(8)
    data: Any = path
    if head.startswith(OLE_MAGIC):
        data = decrypt_office(path, password) or path
    try:
        wb = (
            CalamineWorkbook.from_filelike(data)
            if isinstance(data, io.BytesIO)
            else CalamineWorkbook.from_path(str(data))
        )
        sheet = (
            wb.get_sheet_by_name(mapping.sheet)
            if isinstance(mapping.sheet, str)
            else wb.get_sheet_by_index(mapping.sheet)
        )
        rows = sheet.iter_rows()
        for _ in range(mapping.skip_rows):
            next(rows, None)
        header_row = next(rows, None)
    except Exception as e:
        raise ValidationError(
            f"Not a readable Excel workbook: {_first_line(e)}", file=path.name
        ) from e
    if not header_row:
        raise ValidationError("The sheet is empty (no header row)", file=path.name, row=0)
    headers = _dedupe_headers([_cell_text(h) or "" for h in header_row])
    width = len(headers)
    cols_sql = ", ".join(f"{q_ident(h)} VARCHAR" for h in headers)
    cur.execute("DROP TABLE IF EXISTS _imp_xlsx")
    cur.execute(f"CREATE TEMP TABLE _imp_xlsx (_row BIGINT, {cols_sql})")
    n = 0
    chunk: list[list[str | None]] = []

    def flush() -> None:
        if not chunk:
            return
        df = pd.DataFrame(chunk, columns=["_row", *headers], dtype=object)
        df["_row"] = df["_row"].astype("int64")
        cur.register("_imp_xlsx_chunk", df)
        try:
            cur.execute("INSERT INTO _imp_xlsx SELECT * FROM _imp_xlsx_chunk")
        finally:
            cur.unregister("_imp_xlsx_chunk")
        chunk.clear()

    try:
        for r in rows:
            n += 1
            cells = [_cell_text(v) for v in r[:width]]
            if len(cells) < width:
                cells += [None] * (width - len(cells))
            if all(c is None for c in cells):
                continue  # blank spreadsheet rows are not data
            chunk.append([n, *cells])  # type: ignore[list-item]
            if len(chunk) >= XLSX_CHUNK_ROWS:
                flush()
        flush()
    except ValidationError:
        raise
    except Exception as e:
        raise ValidationError(
            f"Could not read the workbook: {_first_line(e)}", file=path.name, row=n
        ) from e
    return SourceRelation(
        sql="_imp_xlsx",
        headers=headers,
        types=dict.fromkeys(headers, "VARCHAR"),
        fmt="xlsx",
        cleanup_sql=["DROP TABLE IF EXISTS _imp_xlsx"],
    )


RESERVED = ("_row", "_tz")


def _star(headers: list[str], *extra: str) -> str:
    """``*`` without our own bookkeeping names (a file's own ``_row`` column is dropped)."""
    drop = [h for h in headers if h.lower() in RESERVED] + list(extra)
    if not drop:
        return "*"
    return "* EXCLUDE (" + ", ".join(q_ident(h) for h in drop) + ")"


def _first_line(e: BaseException) -> str:
    s = str(e).strip()
    return s.splitlines()[0] if s else type(e).__name__
