"""Fixtures for the importer tests: stores seeded with the sample centers, queues and tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from ops.store import Store

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def seed(store: Store) -> None:
    """Centers (SEOUL with a Mon-Fri 09-18 calendar and KR holidays, BUSAN, MANILA), queues, tags.

    Loaded with plain SQL (fast); importing these files is tested in test_profiles.py.
    """
    with store.write() as cur:
        for table in ("centers", "queues", "tags"):
            path = SAMPLES / f"canonical_{table}.csv"
            cur.execute(
                f"INSERT INTO {table} BY NAME SELECT * FROM read_csv('{path}', all_varchar=true)"
            )


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
