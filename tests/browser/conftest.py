"""A real dashboard server (``ccops dashboard``) on a copy of the demo database, and Chromium.

The server runs in its own process on a free port with a users file of one user per role; the
database is copied because DuckDB lets one process hold a file and this pytest process holds the
fixture database. Screenshots go to ``tests/artifacts/<role>_<page>.png``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # importlib mode: let tests import helpers

from helpers import USERS  # noqa: E402

from dashboard.auth import hash_password  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _write_users(path: Path) -> None:
    lines = ["users:"]
    for role, (name, pw, center) in USERS.items():
        lines += [
            f"  - username: {name}",
            f"    role: {role}",
            f'    password_hash: "{hash_password(pw)}"',
        ]
        if center:
            lines.append(f"    center: {center}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def start_dashboard(
    db: Path, users_file: Path | None, log: Path, app: Path | None = None
) -> tuple[subprocess.Popen, str]:
    """Start ``ccops dashboard`` on a free port and wait for its health endpoint.

    ``app``: serve that entrypoint script instead, with the options ``ccops dashboard`` passes
    (for a throwaway copy of the app laid out differently)."""
    port = _free_port()
    env = dict(os.environ)
    env.pop("CCOPS_USERS_FILE", None)
    if users_file is not None:
        env["CCOPS_USERS_FILE"] = str(users_file)
    cmd = [sys.executable, "-m", "ops.cli", "dashboard", "--db", str(db), "--port", str(port)]
    if app is not None:
        env["CCOPS_DB_PATH"] = str(db)
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
    out = open(log, "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                            start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dashboard exited early; see {log}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    stop_dashboard(proc)
    raise RuntimeError(f"dashboard did not become healthy; see {log}")


def stop_dashboard(proc: subprocess.Popen) -> None:
    """Stop the server we started (its own process group; ``ccops dashboard`` execs Streamlit)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _complete(db: Path) -> None:
    """Add what the Vendors and Forecast pages show when the demo lacks it: contracts, a run."""
    from ops.forecasting.service import backfill_runs, list_runs
    from ops.sla.contracts import load_contracts
    from ops.store import Store

    with Store.open(db) as store:
        if store.query("SELECT count(*) AS n FROM sla_contracts")["n"].iloc[0] == 0:
            load_contracts(store, ROOT / "data" / "contracts")
        if list_runs(store).empty:
            backfill_runs(store, (2,), horizon=28, n_origins=1)


@pytest.fixture(scope="session")
def dashboard_url(demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("dash")
    db = work / "dash.duckdb"
    shutil.copyfile(demo_db_path, db)
    wal = Path(str(demo_db_path) + ".wal")
    if wal.exists():
        shutil.copyfile(wal, Path(str(db) + ".wal"))
    _complete(db)
    users = work / "users.yaml"
    _write_users(users)
    proc, url = start_dashboard(db, users, work / "server.log")
    yield url
    stop_dashboard(proc)


@pytest.fixture()
def cold_server(demo_db_path: Path, tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start a fresh server (no browser session has run yet) on a copy of the demo database with
    the users file: ``cold_server()`` is ``ccops dashboard``, ``cold_server(app)`` serves the
    entrypoint ``app`` instead. Returns the URL; every server is stopped after the test."""
    procs: list[subprocess.Popen] = []

    def start(app: Path | None = None) -> str:
        n = len(procs)
        db = tmp_path / f"cold{n}.duckdb"
        shutil.copyfile(demo_db_path, db)
        wal = Path(str(demo_db_path) + ".wal")
        if wal.exists():
            shutil.copyfile(wal, Path(str(db) + ".wal"))
        users = tmp_path / "users.yaml"
        _write_users(users)
        proc, url = start_dashboard(db, users, tmp_path / f"cold{n}.log", app=app)
        procs.append(proc)
        return url

    yield start
    for proc in procs:
        stop_dashboard(proc)


@pytest.fixture(scope="session")
def chrome() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


MIDMONTH_CUT = "2026-10-21"  # contacts from this local day on are removed: a live store on 10-20


@pytest.fixture(scope="session")
def midmonth_dashboard_url(
    demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A dashboard on the demo cut in the middle of October (data through 2026-10-20), so the
    "This month" block has a rest of the month to project; same users as ``dashboard_url``."""
    from ops.store import Store

    work = tmp_path_factory.mktemp("midmonth")
    db = work / "mid.duckdb"
    shutil.copyfile(demo_db_path, db)
    wal = Path(str(demo_db_path) + ".wal")
    if wal.exists():
        shutil.copyfile(wal, Path(str(db) + ".wal"))
    _complete(db)  # contracts and a run as of 2026-10-17 (two weeks before the demo's end)
    with Store.open(db) as store, store.write() as cur:
        cur.execute(f"DELETE FROM contacts WHERE created_local >= TIMESTAMP '{MIDMONTH_CUT}'")
    users = work / "users.yaml"
    _write_users(users)
    proc, url = start_dashboard(db, users, work / "server.log")
    yield url
    stop_dashboard(proc)
