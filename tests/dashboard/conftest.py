"""Fixtures for dashboard tests: a copy of the demo database with contracts and a stored forecast,
and an AppTest factory pointed at it (settings re-read for each test)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ops.config import get_settings
from ops.store import Store

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"


@pytest.fixture(scope="session")
def dash_db_path(demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database plus what the Vendors and Forecast pages need (contracts, a forecast run),
    added to a copy so the shared fixture stays untouched."""
    from ops.forecasting.service import backfill_runs, list_runs
    from ops.sla.contracts import load_contracts

    path = tmp_path_factory.mktemp("dash") / "dash.duckdb"
    shutil.copyfile(demo_db_path, path)
    with Store.open(path) as store:
        if store.query("SELECT count(*) AS n FROM sla_contracts")["n"].iloc[0] == 0:
            load_contracts(store, ROOT / "data" / "contracts")
        if list_runs(store).empty:
            backfill_runs(store, (2,), horizon=28, n_origins=1)
    return path


@pytest.fixture()
def make_app(
    monkeypatch: pytest.MonkeyPatch, dash_db_path: Path
) -> Iterator[Callable[..., AppTest]]:
    """``make_app(users_file=None, locale="en-US")`` -> a fresh AppTest on the dashboard."""

    def factory(
        users_file: Path | None = None, locale: str = "en-US", db: Path | None = None
    ) -> AppTest:
        monkeypatch.setenv("CCOPS_DB_PATH", str(db or dash_db_path))
        if users_file is None:
            monkeypatch.delenv("CCOPS_USERS_FILE", raising=False)
        else:
            monkeypatch.setenv("CCOPS_USERS_FILE", str(users_file))
        monkeypatch.setenv("CCOPS_LANGUAGE", "auto")
        get_settings.cache_clear()
        at = AppTest.from_file(str(APP), default_timeout=180)
        at.context = {"locale": locale}
        return at

    yield factory
    get_settings.cache_clear()
