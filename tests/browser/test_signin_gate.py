"""Before sign-in, no page shows anything but the sign-in form: every page URL, requested cold.

DESIGN.md lays the page modules out in ``dashboard/pages/``; they live in ``dashboard/views/``
because Streamlit (as pinned, 1.67) treats a ``pages/`` folder next to the entrypoint as a legacy
multipage app: until a run of the entrypoint reaches ``st.navigation`` (which the sign-in form
stops before), Streamlit runs ``pages/<name>.py`` itself for ``/<name>``, without ``app.py`` and
so without the sign-in, and lists every file in the sidebar. The first test checks the shipped
layout against a fresh ``ccops dashboard`` with users configured; the second serves a throwaway
copy of the app with the page modules in ``pages/`` and shows the leak, so the reason for
``views/`` stays tested. If the second test starts failing because no page is served, Streamlit
no longer does this and the modules can move to ``dashboard/pages/``.

Screenshots: ``tests/artifacts/signin_gate_*.png``.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from helpers import RUNNING

from dashboard.i18n import t
from dashboard.navigation import PAGE_SPECS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
VIEWPORT = {"width": 1280, "height": 800}
KEYS = [spec.key for spec in PAGE_SPECS]
# The sentence of dashboard.context.current_user: a page script run without the sign-in of app.py
SIGN_IN_FIRST = "Sign in first"


def _settle(page, timeout_s: float = 60.0) -> None:  # noqa: ANN001
    """Wait until Streamlit shows no running indicator for half a second."""
    deadline, quiet = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        if page.locator(RUNNING).count():
            quiet = None
        elif quiet is None:
            quiet = time.monotonic()
        elif time.monotonic() - quiet >= 0.5:
            return
        time.sleep(0.1)
    raise TimeoutError("the page kept running")


def test_no_page_renders_before_sign_in(chrome, cold_server, artifacts: Path) -> None:  # noqa: ANN001
    """``ccops dashboard`` as shipped, fresh, users configured: every page URL (and ``/``) in a new
    browser session, English and Korean, shows the sign-in form and nothing of any page."""
    url = cold_server()
    for locale, lang in (("en-US", "en"), ("ko-KR", "ko")):
        titles = [t(f"page.{key}", lang) for key in KEYS]
        for key in [*KEYS, ""]:
            ctx = chrome.new_context(viewport=VIEWPORT, locale=locale)
            page = ctx.new_page()
            try:
                page.goto(f"{url}/{key}")
                # the sign-in form, or whatever a page run without it draws first
                page.wait_for_selector(
                    "input[type=password], [data-testid=stAlert]", timeout=60_000
                )
                _settle(page)
                shot = artifacts / f"signin_gate_{lang}_{key or 'root'}.png"
                page.screenshot(path=str(shot), full_page=True)
                main = page.inner_text("[data-testid=stMain]")
                where = f"/{key} ({lang})"
                assert page.locator("input[type=password]").count() == 1, f"{where}: {main!r}"
                assert t("login.title", lang) in main, where
                shown = [title for title in titles if title in main]
                assert shown == [], f"{where} shows page titles {shown}"
                assert page.locator("[data-testid=stSidebarNav]").count() == 0, where
                assert page.locator("[class*='st-key-footer_']").count() == 0, where
                assert SIGN_IN_FIRST not in page.inner_text("body"), where  # no page ran
            finally:
                ctx.close()


def test_a_pages_folder_would_serve_pages_before_sign_in(
    chrome,
    cold_server,
    tmp_path: Path,
    artifacts: Path,
) -> None:
    """The same app with its page modules in ``pages/`` next to the entrypoint (a throwaway copy:
    ``app.py`` unchanged, ``dashboard/views/*.py`` as ``pages/*.py``, the script-level config):
    requested cold, before anyone signed in, each page URL runs that page without ``app.py``. Its
    title shows, the sidebar lists every page (the admin-only Data page too) and only the
    store-side guard of ``dashboard.context.current_user`` keeps the data back."""
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    shutil.copy(ROOT / "dashboard" / "app.py", app_dir / "app.py")
    shutil.copytree(ROOT / "dashboard" / "views", app_dir / "pages",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    (app_dir / ".streamlit").mkdir()
    shutil.copy(ROOT / "dashboard" / ".streamlit" / "config.toml", app_dir / ".streamlit")
    url = cold_server(app_dir / "app.py")
    for key in KEYS:  # page URLs only: a visit to / would run app.py
        ctx = chrome.new_context(viewport=VIEWPORT, locale="en-US")
        page = ctx.new_page()
        try:
            page.goto(f"{url}/{key}")
            page.get_by_text(SIGN_IN_FIRST).first.wait_for(timeout=60_000)
            _settle(page)
            page.screenshot(path=str(artifacts / f"signin_gate_pages_dir_{key}.png"))
            assert page.locator("input[type=password]").count() == 0, key  # app.py never ran
            nav = page.inner_text("[data-testid=stSidebarNav]").split()
            assert set(KEYS) <= set(nav), nav
            if key != "data":  # Data checks the role before its header
                assert page.inner_text("[data-testid=stMain] h2") == t(f"page.{key}", "en")
        finally:
            ctx.close()
