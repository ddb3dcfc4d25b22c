"""Shared, seeded fixtures (datasette's fixtures.py style).

``demo_store``: a small simulated center (8 weeks, scale 0.25), built once per test session into a
temporary DuckDB file and opened read-write. Tests must not modify it; use ``empty_store`` or
``tmp_store`` to write.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import pytest

# Query plans kept across processes go to a directory of this test session, not the user's cache
# (servers and CLI runs the tests start inherit it).
os.environ.setdefault("CCOPS_PLAN_CACHE_DIR", tempfile.mkdtemp(prefix="ccops-plans-"))
# Query results kept on disk are off in tests (a test that swaps a service for a failing one must
# not be served an earlier test's result); tests/foundation/test_result_disk.py turns them on.
os.environ.setdefault("CCOPS_RESULT_CACHE", "false")
os.environ.setdefault("CCOPS_RESULT_CACHE_DIR", tempfile.mkdtemp(prefix="ccops-results-"))

from ops.store import Store

DEMO_END = date(2026, 10, 31)
DEMO_DAYS = 56
DEMO_SCALE = 0.25
DEMO_SEED = 7


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ops.simulate import build_demo
    from ops.simulate.finish import finish_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with Store.open(path) as store:
        build_demo(store, seed=DEMO_SEED, days=DEMO_DAYS, end=DEMO_END, scale=DEMO_SCALE)
        # contracts as in `ccops demo`; forecast runs need more history than the fixture has
        finish_demo(store, forecasts=False)
    return path


@pytest.fixture(scope="session")
def demo_store(demo_db_path: Path):
    store = Store.open(demo_db_path)
    yield store
    store.close()


@pytest.fixture()
def empty_store():
    store = Store.open(":memory:")
    yield store
    store.close()


@pytest.fixture()
def tmp_store(tmp_path: Path):
    store = Store.open(tmp_path / "t.duckdb")
    yield store
    store.close()


@pytest.fixture()
def cache_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Turn on a disk cache of this test only: ``cache_on("PLAN_CACHE", "plans")`` sets
    ``CCOPS_PLAN_CACHE=true`` and ``CCOPS_PLAN_CACHE_DIR`` to a new folder and returns it (the
    test session turns the caches off elsewhere); the settings are read again, and after it."""
    from ops.config import get_settings

    def turn_on(setting: str, folder: str) -> Path:
        d = tmp_path / folder
        monkeypatch.setenv(f"CCOPS_{setting}_DIR", str(d))
        monkeypatch.setenv(f"CCOPS_{setting}", "true")
        get_settings.cache_clear()
        return d

    yield turn_on
    monkeypatch.undo()
    get_settings.cache_clear()
