"""Query results kept on disk for the exact state of the database file they were read from.

Why: a dashboard server that starts again on a database nobody has written since (the morning
restart, a process manager's restart, a second server on a copy) would otherwise compute every
page's first view again: 5 s for Overview on the 2M demo while its warm-up competes for the CPU.
With the results kept under the database's *state*, the first visit after such a restart reads
them back in milliseconds.

When a result is reused: its key (the function, the reader's scope and every argument, compared
as full text, never only by hash) matches, and so does the ``fingerprint`` it was stored under:

- the database file's identity and state: its resolved path, inode, size and modification time
  in nanoseconds, and those of its write-ahead log. DuckDB writes the file (or the log) on every
  committed change and on the checkpoint after one; it does not touch either when a database is
  opened, read and closed without a write (checked in ``tests/foundation/test_result_disk.py``).
  So any change to the data, by ccops or by any other program, starts afresh;
- ccops' code (:func:`ops.store.compiled.code_digest`) plus the caller's own code digest (the
  dashboard's), and the settings but the database path.

A store recomputes its fingerprint after each of its own write transactions (``Store.derived``).
Results are pickled (a DataFrame, a report model: exactly what the in-memory cache holds); the
directory is created readable by its owner only (0700), like the rest of the user's cache. A
missing, unreadable or damaged file is a miss; a failed write is skipped. Old fingerprints'
directories are pruned (:data:`KEEP_STATES` kept).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

#: Format of the files; another value is a miss.
RESULT_FORMAT = 1
#: Fingerprint directories kept (the newest by modification time); older ones are removed.
KEEP_STATES = 4
#: Results larger than this (pickled bytes) are not kept: a page's data, not a table dump.
MAX_BYTES = 64 * 1024 * 1024
_MISSING = object()
_SCALARS = (str, int, float, bool, type(None), date, datetime, time, timedelta, Decimal, Path)


def key_text(key: Any) -> str | None:
    """The full text of a result's key, or None when it holds anything but plain values.

    Allowed: str, numbers, bool, None, dates and times, Decimal, paths, enums, tuples, lists,
    dicts, sets, frozen-or-not dataclasses and pydantic models of those. Anything else (a
    DataFrame, whose ``repr`` elides rows; an object shown by its address) has no text that names
    it exactly, so a result keyed by it is not kept.
    """
    import dataclasses
    import enum

    def walk(v: Any) -> str:
        if isinstance(v, enum.Enum):
            return f"{type(v).__qualname__}.{v.name}"
        if isinstance(v, _SCALARS):
            return f"{type(v).__name__}:{v!r}"
        if isinstance(v, tuple | list):
            return f"{type(v).__name__}(" + ",".join(walk(x) for x in v) + ")"
        if isinstance(v, set | frozenset):
            return "set(" + ",".join(sorted(walk(x) for x in v)) + ")"
        if isinstance(v, dict):
            items = sorted((walk(k), walk(x)) for k, x in v.items())
            return "dict(" + ",".join(f"{k}={x}" for k, x in items) + ")"
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            fields = ",".join(f"{f.name}={walk(getattr(v, f.name))}" for f in dataclasses.fields(v))
            return f"{type(v).__module__}.{type(v).__qualname__}({fields})"
        dump = getattr(v, "model_dump", None)
        if callable(dump) and hasattr(type(v), "model_fields"):
            return f"{type(v).__module__}.{type(v).__qualname__}({walk(dump())})"
        raise TypeError(type(v).__name__)

    try:
        return walk(key)
    except TypeError:
        return None


def file_state(path: Path) -> str:
    """The identity and state of a DuckDB database file and its ``.wal`` log, as text:
    ``path|inode|size|mtime_ns`` for each (``-`` for a log that does not exist)."""
    path = Path(path).resolve()
    parts = [str(path)]
    for p in (path, Path(f"{path}.wal")):
        try:
            s = p.stat()
        except OSError:
            parts.append("-")
            continue
        parts.append(f"{s.st_ino}|{s.st_size}|{s.st_mtime_ns}")
    return "|".join(parts)


#: Settings no result depends on (where the caches live, server and engine knobs; the user's
#: scope is part of each key): changing them keeps the results.
RESULT_NEUTRAL_SETTINGS = frozenset(
    {"db_path", "users_file", "cache_ttl_s", "dashboard_warmup", "plan_cache", "plan_cache_dir",
     "result_cache", "result_cache_dir", "dashboard_floor_page", "duckdb_threads",
     "duckdb_memory_limit"}
)  # fmt: skip


def settings_file_state(path: Path) -> str:
    """The state of a file a setting names (a directory: of each file in it), as text."""
    path = Path(path)
    try:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file())
        else:
            files = [path]
        parts = []
        for p in files:
            s = p.stat()
            parts.append(f"{p.resolve()}|{s.st_size}|{s.st_mtime_ns}")
        return "|".join(parts) or f"{path}|empty"
    except OSError:
        return f"{path}|-"


class ResultDisk:
    """Results on disk under ``directory/<fingerprint>/`` (see the module docstring)."""

    def __init__(self, directory: Path | str, fingerprint: str) -> None:
        self.root = Path(directory)
        self.fingerprint = fingerprint
        self.directory = self.root / fingerprint[:32]
        self.hits = 0
        self.misses = 0
        self._pruned = False

    def _file(self, text: str) -> Path:
        name = hashlib.sha256(f"{self.fingerprint}\0{text}".encode()).hexdigest()
        return self.directory / f"{name}.pkl"

    def load(self, key: Any) -> Any:
        """The value stored under ``key``, or :data:`MISSING` (use :meth:`is_missing`)."""
        text = key_text(key)
        if text is None:
            return _MISSING
        try:
            with open(self._file(text), "rb") as f:
                data = pickle.load(f)  # noqa: S301 - our own 0700 cache directory
            if (
                not isinstance(data, dict)
                or data.get("format") != RESULT_FORMAT
                or data.get("fingerprint") != self.fingerprint
                or data.get("key") != text
            ):
                raise ValueError("another key")
        except Exception:  # noqa: BLE001 - missing, unreadable, damaged, another key
            self.misses += 1
            return _MISSING
        self.hits += 1
        return data["value"]

    @staticmethod
    def is_missing(value: Any) -> bool:
        return value is _MISSING

    def save(self, key: Any, value: Any) -> None:
        """Keep ``value`` under ``key`` (a temporary file renamed into place)."""
        text = key_text(key)
        if text is None:
            return
        try:
            blob = pickle.dumps(
                {"format": RESULT_FORMAT, "fingerprint": self.fingerprint, "key": text,
                 "value": value},
                protocol=pickle.HIGHEST_PROTOCOL,
            )  # fmt: skip
        except Exception:  # noqa: BLE001 - a value that cannot be pickled is simply not kept
            return
        if len(blob) > MAX_BYTES:
            return
        tmp = None
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.directory.mkdir(exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(blob)
            os.replace(tmp, self._file(text))
        except OSError:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            return
        if not self._pruned:
            self._pruned = True
            self.prune()

    def get_or_compute(self, key: Any, compute: Any) -> Any:
        """The stored value of ``key``, else ``compute()`` (stored, then returned)."""
        value = self.load(key)
        if value is not _MISSING:
            return value
        value = compute()
        self.save(key, value)
        return value

    def prune(self) -> None:
        """Remove all but the :data:`KEEP_STATES` newest fingerprint directories (this one kept)."""
        try:
            dirs = [d for d in self.root.iterdir() if d.is_dir() and d != self.directory]
            dirs.sort(key=lambda d: d.stat().st_mtime, reverse=True)
        except OSError:
            return
        for d in dirs[KEEP_STATES - 1 :]:
            shutil.rmtree(d, ignore_errors=True)
