"""Stopping ``ccops dashboard`` stops its server (issue 17, part 2).

A process manager or a test harness stops a service by signalling the process it started, not a
process group: before the fix ``ccops dashboard`` ran ``streamlit run`` as a child, died on
SIGTERM and left the child serving on the port. Each test starts the command in a session of its
own (so anything it leaves behind can be found, and cleaned up, by session id), signals only the
command's own pid, and then reads ``/proc``: no process of that session may be left, and the port
must be free for the next start.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _processes() -> dict[int, tuple[int, int, str]]:
    """pid -> (parent pid, session id, command line) of every live process, from ``/proc``."""
    out: dict[int, tuple[int, int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # ended while we read
            continue
        # "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] == "Z":  # a zombie holds no port and is reaped by its parent
            continue
        out[int(entry.name)] = (int(fields[1]), int(fields[3]), cmd.strip())
    return out


def _descendants(pid: int) -> list[int]:
    procs = _processes()
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        children = [p for p, (ppid, _, _) in procs.items() if ppid == parent]
        found += children
        todo += children
    return found


def _session(sid: int) -> dict[int, str]:
    """Live processes of session ``sid`` (orphans re-parented to init keep their session)."""
    return {p: cmd for p, (_, s, cmd) in _processes().items() if s == sid}


def _port_free(port: int) -> bool:
    """True when nothing listens on 127.0.0.1:``port`` (SO_REUSEADDR: TIME_WAIT does not count;
    Linux refuses the bind while a socket listens there)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _serves(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_to_ccops_dashboard_stops_the_server(
    sig: signal.Signals, demo_db_path: Path, tmp_path: Path
) -> None:
    db = tmp_path / "dash.duckdb"  # a copy: DuckDB lets one process hold a file
    shutil.copyfile(demo_db_path, db)
    port = _free_port()
    env = dict(os.environ)
    env.pop("CCOPS_USERS_FILE", None)
    log = tmp_path / "server.log"
    cmd = [sys.executable, "-m", "ops.cli", "dashboard", "--db", str(db), "--port", str(port)]
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 120
        while not _serves(f"http://127.0.0.1:{port}/"):
            assert proc.poll() is None, f"ccops dashboard exited early:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"no HTTP on port {port}:\n{log.read_text()}"
            time.sleep(0.3)
        assert not _port_free(port)
        tree = {p: _processes().get(p, (0, 0, "?"))[2] for p in [proc.pid, *_descendants(proc.pid)]}

        os.kill(proc.pid, sig)  # the command's own pid only, as a process manager does
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail(f"ccops dashboard did not exit on {sig.name}; its processes: {tree}")

        # the command has exited; anything it started must be gone too (bounded wait, not timed)
        deadline = time.monotonic() + 30
        while (_session(proc.pid) or not _port_free(port)) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = _session(proc.pid)
        assert left == {}, f"{sig.name} to ccops dashboard left {left} (started as {tree})"
        assert _port_free(port), f"port {port} still taken after {sig.name}"
        assert not _serves(f"http://127.0.0.1:{port}/")
        # and the server ran its own shutdown (the app's lifespan ends and says so), it was not
        # killed: uvicorn under st.App shuts down gracefully, then re-raises the signal
        from dashboard.serve import STOPPED

        assert STOPPED in log.read_text(), log.read_text()
    finally:
        if proc.poll() is None or _session(proc.pid):
            with contextlib.suppress(ProcessLookupError):  # clean up a failed run's group
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
