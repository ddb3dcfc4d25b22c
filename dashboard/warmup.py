"""Warm the dashboard's shared caches in the background when the server starts.

Why: the first visit after a server start used to pay for everything at once (importing the ops
services, opening the store, compiling the metric SQL, the first query of each page and plotly's
first figure): 10 s for Overview, 7 s for Executive on a 120-day demo. One background thread per
server process now does that work before (or while) the first user arrives, so a real first visit
finds the caches filled.

How: the thread makes the calls of each page's first view (its default month, the sidebar's default
window, its default choices) through the same cached functions the pages call
(:func:`dashboard.context.call`, ``call_store``), with the same arguments, so a real first visit hits
what the thread computed. Between pages it gives way to visitors: while any session's page is
drawing, it waits (at most :data:`GIVE_WAY_S`). The steps below follow the pages' own code; ``tests/dashboard/
test_warmup.py`` renders every page after a warm-up and fails if a page's first view makes a call
the warm-up should have made but did not (or the warm-up makes one no page makes). Calls that depend
on a row the page picks from its data (a drill-down's worst day) are left to the page: they read
one day. The thread does not run the page scripts themselves: Streamlit's elements keep state on
shared objects when called outside a session, which a live server must not see.

Started by ``dashboard/serve.py`` when the server starts (``ccops dashboard``), or by the first
script run of ``dashboard/app.py`` when Streamlit runs the app directly; at most once per process.
Turned off with ``CCOPS_DASHBOARD_WARMUP=false``.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.navigation import available_pages

log = logging.getLogger("ccops.dashboard.warmup")

THREAD_NAME = "ccops-warmup"
_started = threading.Event()
_stopping = threading.Event()
_start_lock = threading.Lock()
_thread: threading.Thread | None = None


@dataclass
class WarmReport:
    """What one warm-up did: seconds per page, and the pages that failed (logged, not raised)."""

    seconds: dict[str, float] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    done: threading.Event = field(default_factory=threading.Event)


LAST_REPORT = WarmReport()  # the last finished warm-up of this process (read by tests)


def _pages() -> dict[str, Callable[[dict[str, Any], Any], None]]:
    """Page key -> the calls of its first view (``(options, default filters) -> None``)."""
    return {
        "overview": _overview,
        "executive": _executive,
        "forecast": _forecast,
        "vendors": _vendors,
        "sla": _sla,
        "staffing": _staffing,
        "qa": _qa,
        "voc": _voc,
        "data": _data,
    }


def _overview(opts: dict[str, Any], f: Any) -> None:
    from dashboard.page_data import overview_frames

    overview_frames(f)


def _this_month() -> None:
    """The "This month" block on top of the Executive and Vendors pages (the SLA early warning at
    the latest data, staffing included)."""
    from dashboard.components.this_month import report

    report()


def _executive(opts: dict[str, Any], f: Any) -> None:
    from dashboard.context import call_store
    from dashboard.pages_common import default_month
    from ops.reports import executive_summary

    _this_month()
    call_store(executive_summary, default_month(opts["last_day"]))


def _forecast(opts: dict[str, Any], f: Any) -> None:
    from dashboard import services
    from dashboard.context import call, call_store
    from dashboard.queries import events_between

    runs = call_store(services.forecast_runs)
    if runs.empty:
        return
    run_id = runs["run_id"].iloc[0]  # the page's default choice: the newest run
    fva = call_store(services.forecast_vs_actual, run_id)
    if fva.empty:
        return
    series = fva.groupby("series_id")["yhat"].sum().sort_values(ascending=False).index[0]
    one = fva[fva["series_id"] == series]  # the page's default series: the largest
    hist_start = (pd.Timestamp(one["ds"].min()) - timedelta(days=FORECAST_HISTORY_DAYS)).date()
    call_store(services.volume_history, hist_start, opts["last_day"])
    end = pd.Timestamp(one["ds"].max()).date()
    call_store(services.holidays, hist_start, end)
    call(events_between, hist_start, end)
    call_store(services.forecast_accuracy, run_id)
    call_store(services.forecast_models, run_id)
    call_store(services.forecast_intervals, run_id)


def _vendors(opts: dict[str, Any], f: Any) -> None:
    from dashboard.context import call
    from dashboard.pages_common import default_month, month_choices
    from ops.sla.compliance import compliance

    _this_month()
    month = default_month(opts["last_day"])
    months = month_choices(opts["first_day"], opts["last_day"])
    if month not in months:
        return
    call(compliance, month=month)
    trend_months = months[months.index(month) : months.index(month) + 6][::-1]
    call(compliance, start_month=trend_months[0], end_month=month)


def _sla(opts: dict[str, Any], f: Any) -> None:
    from dashboard.context import call, metric_filters
    from ops.sla import metric_table

    metric, dim, period = SLA_DEFAULTS
    window = {"start": f.start, "end": f.end, "filters": metric_filters(f)}
    call(metric_table, (metric,), period=period, by=(dim,), **window)
    call(metric_table, (metric,), period="all", by=(dim,), **window)
    call(metric_table, (metric,), period="interval", **window)
    call(metric_table, (metric,), period="day", **window)


def _staffing(opts: dict[str, Any], f: Any) -> None:
    from dashboard.context import call
    from ops.staffing.planning import PlanTargets, plan

    last = opts["last_day"]
    first = last - timedelta(days=27)
    start = first + timedelta(days=(7 - first.weekday()) % 7)  # the page's Monday on or after
    call(plan, start, 2, centers=None, targets=PlanTargets())


def _qa(opts: dict[str, Any], f: Any) -> None:
    from dashboard.context import call
    from ops.qa import item_weaknesses, qa_scorecard, qa_trend

    call(qa_scorecard, "center", f.start, f.end, centers=None)
    call(qa_trend, "week", "center", f.start - timedelta(days=56), f.end)
    call(item_weaknesses, "center", f.start, f.end)


def _voc(opts: dict[str, Any], f: Any) -> None:
    from dashboard.context import call
    from ops.voc import contact_flags, tag_hierarchy, tag_period_volume, tag_report

    call(tag_hierarchy, f.start, f.end)
    call(tag_report, "week", 3, as_of=f.end)
    call(tag_period_volume, "week", 1, f.start, f.end)
    call(contact_flags, "channel", f.start, f.end)


def _data(opts: dict[str, Any], f: Any) -> None:
    from dashboard.context import call
    from dashboard.queries import import_runs, table_summary

    call(table_summary)
    call(import_runs)


#: The SLA page's default metric, grouping and period (its first choices).
SLA_DEFAULTS = ("service_level", "center", "day")
#: Days of history the Forecast page shows before a run's first forecast day.
FORECAST_HISTORY_DAYS = 56


def _warm_plotly() -> None:
    """Build (not draw) one figure: plotly's first figure loads its validators and templates."""
    import plotly.express as px

    px.line(pd.DataFrame({"x": [0, 1], "y": [0, 1]}), x="x", y="y")


#: Longest the warm-up waits for visitors' pages to finish before its next page (seconds).
GIVE_WAY_S = 30.0
EXIT_WAIT_S = 60.0  # longest wait at interpreter exit for the page being warmed


def _give_way() -> None:
    """Wait while a visitor's page is drawing: on two cores the warm-up would take half the CPU
    (and the GIL) from the page someone is waiting for. A call the page needs that the warm-up is
    already computing is not run twice (Streamlit's cache lets the second caller wait for it)."""
    from dashboard.context import pages_running

    deadline = time.monotonic() + GIVE_WAY_S
    while pages_running() and time.monotonic() < deadline:
        time.sleep(0.05)


def warm(pages: list[str] | None = None) -> WarmReport:
    """Make the first-view calls of ``pages`` (default: every page an admin gets, in menu order,
    Overview first) on this thread as :data:`WARM_USER`; returns the seconds per page.

    Errors are caught per page and logged (the page shows its own error when visited).
    """
    from dashboard.context import as_background_user, get_filters, options

    report = WarmReport()
    steps = _pages()
    keys = pages if pages is not None else [p.key for p in available_pages("admin")]
    with as_background_user():
        t0 = time.perf_counter()
        try:
            opts = options()
            f = get_filters()  # no session here: the sidebar's defaults
        except Exception as e:  # noqa: BLE001 - nothing to warm without the store
            report.failed["options"] = f"{type(e).__name__}: {e}"
            log.warning("warm-up could not read the store: %s", e)
            report.done.set()
            return report
        report.seconds["options"] = time.perf_counter() - t0
        if not opts["contacts"]:
            report.done.set()
            return report
        for key in keys:
            step = steps.get(key)
            if step is None or _stopping.is_set():
                continue
            _give_way()
            t0 = time.perf_counter()
            try:
                step(opts, f)
                if key == "overview":
                    _warm_plotly()
            except Exception as e:  # noqa: BLE001 - a page shows its own error when visited
                report.failed[key] = f"{type(e).__name__}: {e}"
                log.warning("warm-up of page %s failed: %s", key, e)
            report.seconds[key] = time.perf_counter() - t0
    report.done.set()
    log.info(
        "dashboard caches warmed in %.1f s (%s)",
        sum(report.seconds.values()),
        ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items()),
    )
    return report


class _NoContextWarning(logging.Filter):
    """Drops Streamlit's "missing ScriptRunContext" warning for the warm-up thread only: it runs
    cached calls outside any session on purpose, and a line per call would bury real messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != THREAD_NAME


def stop(timeout: float = 5.0) -> None:
    """Ask the warm-up to stop before its next page and wait up to ``timeout`` s for the page it
    is on (the server's shutdown: the thread is a daemon, this only lets it end cleanly)."""
    _stopping.set()
    if _thread is not None and _thread.is_alive():
        _thread.join(timeout)


def start() -> threading.Thread | None:
    """Start :func:`warm` on a daemon thread, once per process (later calls return the same
    thread, or None when warming is turned off or there is no database yet)."""
    global _thread
    from ops.config import get_settings

    if not get_settings().dashboard_warmup or not db_exists():
        return None
    with _start_lock:
        if _started.is_set():
            return _thread
        _started.set()
        _stopping.clear()
        logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
            _NoContextWarning()
        )

        def run() -> None:
            global LAST_REPORT
            LAST_REPORT = warm()

        _thread = threading.Thread(target=run, name=THREAD_NAME, daemon=True)
        _thread.start()
        # At interpreter exit a daemon thread still inside a DuckDB query is torn down in C++
        # ("terminate called ... exception not rethrown", exit 134): let it finish its page first.
        atexit.register(stop, EXIT_WAIT_S)
        return _thread


def db_exists() -> bool:
    """Whether the configured database file exists (nothing to warm otherwise)."""
    from ops.config import get_settings

    return Path(get_settings().db_path).exists()
