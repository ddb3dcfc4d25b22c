"""Fixtures for the importer tests: stores seeded with the sample centers, queues and tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from ops.store import Store
from ops.store.importers import import_file

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def seed(store: Store) -> None:
    """Centers (SEOUL with a Mon-Fri 09-18 calendar and KR holidays, BUSAN, MANILA), queues, tags."""
    for table in ("centers", "queues", "tags"):
        s = import_file(store, SAMPLES / f"canonical_{table}.csv", table=table, user="test")
        assert s.rejected == 0


@pytest.fixture()
def store():
    s = Store.open(":memory:")
    seed(s)
    yield s
    s.close()


@pytest.fixture()
def bare_store():
    s = Store.open(":memory:")
    yield s
    s.close()


def table_rows(store: Store, table: str) -> list[tuple]:
    """All rows of ``table`` minus the run id, sorted: for comparing store states."""
    df = store.query(f"SELECT * FROM {table}")
    if "import_run_id" in df.columns:
        df = df.drop(columns=["import_run_id"])
    rows = [tuple(None if _isnull(v) else v for v in r) for r in df.itertuples(index=False)]
    return sorted(rows, key=repr)


def _isnull(v: object) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def snapshot(store: Store) -> dict[str, list[tuple]]:
    from ops.store.schema import TABLES

    return {t: table_rows(store, t) for t in TABLES}
