"""The background cache warm-up (dashboard/warmup.py) fills what each page's first view reads.

After a warm-up, opening each page the way a user first does (default month, the sidebar's default
window, default choices) must not compute anything the warm-up should have computed: every cached
call a page's first view makes is a hit, apart from the drill-downs that depend on a row the page
picks from its data (listed below, each reading one day). A page that changes its first calls
without the warm-up following fails here, naming the call.
"""

from __future__ import annotations

import threading

import pytest
import streamlit as st

from dashboard import context, warmup
from dashboard.navigation import available_pages

# calls a first view makes whose arguments come from the data it just read (not warmed)
DATA_PICKED = {
    "sla": {"dashboard.queries:contacts_between", "ops.sla.metrics:metric_table@interval-day"},
}


def _name(qualname: str, args: tuple, kwargs: dict) -> str:
    if (
        qualname.endswith("metric_table")
        and kwargs.get("start")
        and kwargs.get("start") == kwargs.get("end")
    ):
        return f"{qualname}@{kwargs.get('period')}-day"
    return qualname


@pytest.mark.slow
def test_first_view_of_every_page_hits_the_warmed_caches(make_app) -> None:  # noqa: ANN001
    at = make_app()
    at.run()  # creates the caches (and fills Overview's)
    st.cache_data.clear()
    context.CACHE_MISSES.clear()
    report: list[warmup.WarmReport] = []
    t = threading.Thread(target=lambda: report.append(warmup.warm()), name=warmup.THREAD_NAME)
    t.start()
    t.join()
    assert not report[0].failed, report[0].failed
    warmed = len(context.CACHE_MISSES)
    assert warmed >= 20, "the warm-up computed almost nothing"
    for spec in available_pages("admin"):
        context.CACHE_MISSES.clear()
        at.switch_page(f"views/{spec.file}").run()
        assert not at.exception, f"{spec.key}: {at.exception}"
        missed = {_name(*m) for m in context.CACHE_MISSES}
        unexpected = missed - DATA_PICKED.get(spec.key, set())
        assert not unexpected, f"{spec.key}'s first view computed {sorted(unexpected)} itself"


def test_warmup_user_only_within_its_block_and_never_on_a_script_thread(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # noqa: ANN001
    """With a users file, a thread without a signed-in session gets no user (ScopeError), except
    inside ``as_background_user`` on a thread that is not a Streamlit script run."""
    from ops.config import get_settings
    from ops.errors import ScopeError

    monkeypatch.setenv("CCOPS_USERS_FILE", str(tmp_path / "users.yaml"))
    get_settings.cache_clear()
    seen: list[str] = []

    def scope_label() -> str:
        try:
            return context.current_scope().label
        except ScopeError:
            return "no user"

    def run() -> None:
        seen.append(scope_label())
        with context.as_background_user():
            seen.append(scope_label())
        seen.append(scope_label())

    def script_thread() -> None:
        try:
            with context.as_background_user():
                seen.append("entered")
        except RuntimeError:
            seen.append("refused")

    try:
        for target, name in (
            (run, warmup.THREAD_NAME),
            (script_thread, "ScriptRunner.scriptThread"),
        ):
            t = threading.Thread(target=target, name=name)
            t.start()
            t.join()
    finally:
        get_settings.cache_clear()
    assert seen == ["no user", "all centers", "no user", "refused"]


def test_warmup_waits_while_a_visitors_page_is_drawing() -> None:
    """Between pages the warm-up gives way: it does not go on while a page is being drawn."""
    events: list[str] = []
    context._page_runs_started()  # a visitor's page is drawing
    t = threading.Thread(target=lambda: (warmup._give_way(), events.append("warm-up goes on")))
    t.start()
    t.join(timeout=0.5)
    events.append("page done")
    context._page_runs_ended()
    t.join()
    assert events == ["page done", "warm-up goes on"]
    assert context.pages_running() == 0
