"""The import log for the dashboard's Data page: recent runs and the rows each one rejected."""

from __future__ import annotations

from typing import Any

import pandas as pd


def recent_imports(store: Any, limit: int = 50) -> pd.DataFrame:
    """The latest ``import_runs`` rows, newest first (who, when, file, hash, counts, status)."""
    return store.query(
        "SELECT run_id, started_at, finished_at, user_name, file_name, file_hash, profile, "
        "table_name, accepted, rejected, duplicates, updated, status, message FROM import_runs "
        "ORDER BY started_at DESC LIMIT ?",
        [int(limit)],
    )


def rejected_rows_of(store: Any, run_id: str, limit: int = 1000) -> pd.DataFrame:
    """Rejected rows of one run in file order: row, column, value, reason, raw row (JSON)."""
    return store.query(
        "SELECT file_name, row_number, column_name, value, reason, raw FROM rejected_rows "
        "WHERE run_id = ? ORDER BY row_number, column_name LIMIT ?",
        [run_id, int(limit)],
    )
