"""Per-page render time of the dashboard in a real browser, cold and warm.

Starts ``ccops dashboard`` on a copy of ``--db`` (demo mode), adds what the Vendors and Forecast
pages show when the database lacks it (contracts, one stored forecast run), then opens every page with
headless Chromium three times:

* cold: the first session after the server started (empty query caches);
* warm (new session): a second browser session, caches filled by the first;
* warm (same session): the same session revisiting each page.

Browser time = from the navigation click until the page's footer is drawn and Streamlit's "running"
indicator is gone; server time = the page script's own duration (the footer shows it). The
baseline, measured in the same run, is the warm Overview in a new session; every page's warm browser
time is also printed as a ratio to it. The machine may be shared: timings are as measured.

    python bench/bench_dashboard.py --db /tmp/dash_demo.duckdb
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
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


def start(db: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ)
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


def settle(page, t0: float, key: str, timeout: float = 300.0) -> tuple[float, float]:  # noqa: ANN001
    """(browser seconds, server seconds) from t0 until the page's footer is drawn and Streamlit's
    running indicator is gone. Every page ends with a footer (container ``footer_<key>``) saying
    how long the server took, so a stale footer of the previous page cannot be mistaken for it."""
    footer = page.locator(f".st-key-footer_{key}")
    while time.perf_counter() - t0 < timeout:
        if footer.count() > 0 and page.locator(BUSY).count() == 0:
            done = time.perf_counter() - t0
            text = footer.inner_text()
            server = float(text.split()[-2]) if text.split()[-1] == "s" else float("nan")
            return done, server
        time.sleep(0.03)
    raise TimeoutError(f"{key} kept running")


def visit_all(browser, url: str, keys: list[str]) -> dict[str, tuple[float, float]]:  # noqa: ANN001
    """Open the app (Overview), then every other page by its sidebar link, then Overview again."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1200}, locale="en-US")
    page = ctx.new_page()
    out: dict[str, tuple[float, float]] = {}
    t0 = time.perf_counter()
    page.goto(url + "/")
    out["overview"] = settle(page, t0, "overview")
    for key in keys[1:] + keys[:1]:
        if key == keys[0]:
            link = page.locator("[data-testid=stSidebarNavLink]").first
        else:
            link = page.locator(f"[data-testid=stSidebarNavLink][href$='/{key}']").first
        t0 = time.perf_counter()
        link.evaluate("e => e.click()")
        out[key if key != keys[0] else "overview_again"] = settle(page, t0, key)
    ctx.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", type=Path, default=Path("/tmp/dash_demo.duckdb"))
    args = ap.parse_args()
    if not args.db.exists():
        print(f"No database at {args.db}; build one with `ccops demo --db {args.db}`.")
        return 1
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from dashboard.navigation import available_pages

    keys = [p.key for p in available_pages("admin")]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        n = prepare(args.db, db)
        proc, url = start(db)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                cold = visit_all(browser, url, keys)
                warm = visit_all(browser, url, keys)
                browser.close()
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
    base = warm["overview"][0]
    print(
        f"\nDashboard render times in Chromium, {n:,} contacts ({args.db.name}); load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine: as measured).\n"
        f"browser s = click until the page is drawn; server s = the page script's own time.\n"
        f"baseline = warm Overview in a new session, {base:.2f} s."
    )
    head = ("page", "cold browser", "cold server", "warm browser", "warm server", "warm/base")
    print(f"{head[0]:<11}" + "".join(f"{h:>14}" for h in head[1:]))
    for k in keys:
        (cb, cs), (wb, ws) = cold[k], warm[k]
        print(f"{k:<11}{cb:>14.2f}{cs:>14.2f}{wb:>14.2f}{ws:>14.2f}{wb / base:>14.2f}")
    again_b, again_s = warm["overview_again"]
    print(
        f"{'overview*':<11}{'':>14}{'':>14}{again_b:>14.2f}{again_s:>14.2f}{again_b / base:>14.2f}"
    )
    print("* overview revisited in the same session")
    slow = [k for k in keys if warm[k][0] > 2.0]
    print("pages over 2 s warm in the browser: " + (", ".join(slow) if slow else "none"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
