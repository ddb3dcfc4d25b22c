"""Per-page time to a settled page in a real browser, cold and warm, against a floor page.

Starts ``ccops dashboard`` on a copy of ``--db`` (demo mode) with the floor page turned on
(``CCOPS_DASHBOARD_FLOOR_PAGE``: a one-line page of the same app, served by the same server), adds
what the Vendors and Forecast pages show when the database lacks it (contracts, a stored forecast
run), then, in each round, on a freshly started server:

* cold: a new browser session opens the app (Overview, as a user lands), then every other page by
  its sidebar link: each page's first visit after the server started. Two variants, each on its
  own fresh server: "at once" (the browser opens as soon as the server answers, while the
  background cache warm-up is still running) and "after warm-up" (once the server's CPU has gone
  idle, as when a user opens the dashboard some seconds after starting it);
* warm: a second session opens the floor page, then every page again (repeat visits).

Settled = the page's footer is drawn (every page ends with one) and Streamlit's running indicator
has been gone for 1 s; the time is from the navigation (goto or click) until it went away. The
floor is the one-line page measured the same way on the same server: opened by a new session
(for Overview, which is opened that way) or by a sidebar click (for the others). Ratios = page time
/ floor time; medians over ``--rounds`` rounds. The machine may be shared: compare the ratios.

    python bench/bench_dashboard.py --db /tmp/dash_demo.duckdb [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
BUSY = "[data-testid=stStatusWidget]"
SERVER: dict[str, float] = {}  # the last visit's server seconds per page (its footer says)


def prepare(src: Path, dst: Path) -> int:
    """Copy the database, complete it, and return its number of contacts."""
    shutil.copyfile(src, dst)
    sys.path.insert(0, str(ROOT))
    from ops.forecasting.service import backfill_runs, list_runs
    from ops.sla.contracts import load_contracts
    from ops.store import Store

    with Store.open(dst) as store:
        if store.query("SELECT count(*) AS n FROM sla_contracts")["n"].iloc[0] == 0:
            load_contracts(store, ROOT / "data" / "contracts")
        if list_runs(store).empty:
            t0 = time.perf_counter()
            backfill_runs(store, (2,), horizon=28, n_origins=1)
            print(f"(stored one forecast run in {time.perf_counter() - t0:.1f} s)")
        return int(store.query("SELECT count(*) AS n FROM contacts")["n"].iloc[0])


def start(db: Path, results: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``ccops dashboard`` on ``db``; ``results``: its result-cache directory (kept
    between servers of a round for the restart variant), or None for a new, empty one."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    if results is None:
        results = Path(tempfile.mkdtemp(prefix="results-", dir=db.parent))
    env = dict(os.environ, CCOPS_DASHBOARD_FLOOR_PAGE="true", CCOPS_RESULT_CACHE_DIR=str(results))
    env.pop("CCOPS_USERS_FILE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ops.cli", "dashboard", "--db", str(db), "--port", str(port)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("dashboard did not start")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def group_cpu_s(pgid: int) -> float:
    """CPU seconds (user + system) of every process in process group ``pgid`` (the server)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after "pid (comm)": state ppid pgrp ...
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def wait_idle(proc: subprocess.Popen, quiet_s: float = 3.0, timeout: float = 900.0) -> float:
    """Wait until the server used under 5 % of a core for ``quiet_s`` seconds (its background
    cache warm-up is done); returns the seconds waited."""
    t0 = time.perf_counter()
    last, quiet_since = group_cpu_s(proc.pid), time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        time.sleep(0.5)
        now = group_cpu_s(proc.pid)
        if now - last > 0.025:
            quiet_since = time.perf_counter()
        last = now
        if time.perf_counter() - quiet_since >= quiet_s:
            return time.perf_counter() - t0 - quiet_s
    raise TimeoutError("the server never went idle")


def settle(page, t0: float, key: str, timeout: float = 300.0) -> float:  # noqa: ANN001
    """Seconds from ``t0`` until the page settled: its footer (container ``footer_<key>``) is
    drawn and Streamlit's running indicator has been gone for 1 s (the time it went away is
    returned). Each page has its own footer key, so a stale footer of the previous page cannot be
    mistaken for it."""
    footer = page.locator(f".st-key-footer_{key}")
    idle_since: float | None = None
    while time.perf_counter() - t0 < timeout:
        now = time.perf_counter()
        if footer.count() > 0 and page.locator(BUSY).count() == 0:
            idle_since = now if idle_since is None else idle_since
            if now - idle_since >= 1.0:
                words = footer.inner_text().split()
                SERVER[key] = float(words[-2]) if words and words[-1] == "s" else float("nan")
                return idle_since - t0
        else:
            idle_since = None
        time.sleep(0.03)
    raise TimeoutError(f"{key} kept running")


def _click(page, key: str) -> float:  # noqa: ANN001
    links = page.locator("[data-testid=stSidebarNavLink]")
    # the default page (Overview, first in the menu) is linked as the app's root URL
    link = links.first if key == "overview" else links.and_(page.locator(f"[href$='/{key}']"))
    t0 = time.perf_counter()
    link.evaluate("e => e.click()")
    return settle(page, t0, key)


def _open(browser, url: str, key: str):  # noqa: ANN001, ANN202
    ctx = browser.new_context(viewport={"width": 1440, "height": 1200}, locale="en-US")
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url + ("/" if key == "overview" else f"/{key}"))
    return ctx, page, settle(page, t0, key)


def one_server(
    db: Path,
    keys: list[str],
    browser,
    after_warmup: bool,
    results: Path | None = None,  # noqa: ANN001
) -> dict[str, float]:
    """One fresh server: the cold pass (first visits) and the warm pass with the floors.

    ``results``: the server's result-cache directory (None: a new, empty one, so nothing is
    read back). Keys of the result: ``cold:<page>``, ``warm:<page>``, ``floor:open`` (a new
    session opening the floor page), ``floor:click`` (a click to it), ``waited`` (seconds until
    idle)."""
    proc, url = start(db, results)
    out: dict[str, float] = {}
    try:
        out["waited"] = wait_idle(proc) if after_warmup else 0.0
        ctx, page, out["cold:overview"] = _open(browser, url, "overview")
        out["server_cold:overview"] = SERVER["overview"]
        for key in keys[1:]:
            out[f"cold:{key}"] = _click(page, key)
            out[f"server_cold:{key}"] = SERVER[key]
        out["floor:click"] = _click(page, "floor")
        ctx.close()
        ctx, page, out["floor:open"] = _open(browser, url, "floor")
        for key in keys:
            out[f"warm:{key}"] = _click(page, key)
            out[f"server_warm:{key}"] = SERVER[key]
        out["floor:click"] = min(out["floor:click"], _click(page, "floor"))
        ctx.close()
        # Overview opened by a new session, its caches warm (the landing of a later visitor)
        ctx, page, out["warm_open:overview"] = _open(browser, url, "overview")
        ctx.close()
    finally:
        stop(proc)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", type=Path, default=Path("/tmp/dash_demo.duckdb"))
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    if not args.db.exists():
        print(f"No database at {args.db}; build one with `ccops demo --db {args.db}`.")
        return 1
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from dashboard.navigation import available_pages

    keys = [p.key for p in available_pages("admin")]
    runs: dict[str, list[dict[str, float]]] = {"at once": [], "after warm-up": [], "restart": []}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        n = prepare(args.db, db)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for _ in range(args.rounds):  # the two variants alternate (the machine drifts)
                runs["at once"].append(one_server(db, keys, browser, after_warmup=False))
                runs["after warm-up"].append(one_server(db, keys, browser, after_warmup=True))
                # a restart on the unchanged database: a first server fills the result cache
                # (its warm-up done), the second opens at once and reads its first pages back
                kept = Path(tmp) / f"results-{len(runs['restart'])}"
                fill, _ = start(db, kept)
                try:
                    wait_idle(fill)
                finally:
                    stop(fill)
                runs["restart"].append(
                    one_server(db, keys, browser, after_warmup=False, results=kept)
                )
            browser.close()

    def med(variant: str, k: str) -> float:
        return statistics.median(r[k] for r in runs[variant])

    def floor(variant: str, page: str, kind: str = "cold") -> float:
        return med(
            variant, "floor:open" if page == "overview" and kind != "warm" else "floor:click"
        )

    print(
        f"\nDashboard pages in Chromium, {n:,} contacts ({args.db.name}); median of {args.rounds} "
        f"round(s); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared "
        f"machine: compare the ratios).\nsettled = footer drawn and no script running for 1 s; "
        f"floor = a one-line page of the same app on the same server.\n"
        f"floor: opened by a new session {med('after warm-up', 'floor:open'):.2f} s, by a "
        f"sidebar click {med('after warm-up', 'floor:click'):.2f} s (after warm-up runs); "
        f"{med('at once', 'floor:open'):.2f} s / {med('at once', 'floor:click'):.2f} s (at once).\n"
        f"warm-up: the server went idle {med('after warm-up', 'waited'):.1f} s after it answered."
    )
    head = ("page", "cold at once", "x floor", "cold warmed", "x floor", "restart", "x floor",
            "warm", "x floor", "server cold", "server warm")  # fmt: skip
    print(f"{head[0]:<11}" + "".join(f"{h:>13}" for h in head[1:]))
    for k in keys:
        row = [
            med("at once", f"cold:{k}"), med("after warm-up", f"cold:{k}"), med("restart", f"cold:{k}")
        ]  # fmt: skip
        warm_s = statistics.median(
            [r[f"warm:{k}"] for v in runs for r in runs[v]]
        )  # repeat visits: both variants' warm passes
        cells = [
            row[0], row[0] / floor("at once", k),
            row[1], row[1] / floor("after warm-up", k),
            row[2], row[2] / floor("restart", k),
            warm_s, warm_s / med("after warm-up", "floor:click"),
            med("after warm-up", f"server_cold:{k}"), med("after warm-up", f"server_warm:{k}"),
        ]  # fmt: skip
        print(f"{k:<11}" + "".join(f"{c:>13.2f}" for c in cells))
    wo = statistics.median([r["warm_open:overview"] for v in runs for r in runs[v]])
    print(
        f"overview opened by a later new session (warm): {wo:.2f} s, "
        f"{wo / med('after warm-up', 'floor:open'):.2f}x the floor opened the same way"
    )
    print("cold at once: the browser opens as the server answers (the warm-up still running);")
    print("cold warmed: the first visits once the server's warm-up is done; restart: the first")
    print("visits at once after a restart on the unchanged database (results read back from the")
    print("result cache the previous server filled; at once and cold warmed start it empty);")
    print("warm: repeat visits;")
    print("server cold/warm: the page script's own seconds (its footer), after warm-up runs.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
