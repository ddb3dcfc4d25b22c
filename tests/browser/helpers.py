"""Small Playwright helpers: sign in, wait until Streamlit is idle, open a page by URL path."""

from __future__ import annotations

import time

from playwright.sync_api import Page

RUNNING = "[data-testid=stStatusWidget]"

# role -> (username, password, center for vendors)
USERS = {
    "admin": ("ada", "admin-pass-1", None),
    "manager": ("min", "manager-pass-1", None),
    "executive": ("eun", "exec-pass-1", None),
    "vendor": ("busan", "vendor-pass-1", "BUSAN"),
}
VENDOR_CENTER = "BUSAN"


def wait_idle(page: Page, timeout_s: float = 60.0, settle_s: float = 0.6) -> None:
    """Wait until the script has finished (no 'Running…' widget for ``settle_s`` seconds)."""
    page.wait_for_selector("[data-testid=stApp]", timeout=timeout_s * 1000)
    # every page starts with a title or header; before the first script run Streamlit may show
    # own page listing, which has none
    page.wait_for_selector(
        "[data-testid=stMain] h1, [data-testid=stMain] h2", timeout=timeout_s * 1000
    )
    deadline = time.monotonic() + timeout_s
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        busy = (
            page.locator(RUNNING).count() > 0
            or page.locator("[data-testid=stSkeleton]").count() > 0
        )
        now = time.monotonic()
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= settle_s:
            return
        time.sleep(0.1)
    raise TimeoutError("the dashboard kept running for too long")


def login(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url + "/")
    page.wait_for_selector("input[type=password]", timeout=30_000)
    page.locator("input[type=text]").first.fill(username)
    pw = page.locator("input[type=password]")
    pw.fill(password)
    pw.press("Enter")
    # sections exist only in the app's own navigation (not in a plain page listing, which a
    # fresh server shows until the first script run registers st.navigation)
    page.wait_for_selector("[data-testid=stNavSectionHeader]", timeout=60_000)
    wait_idle(page)


def open_page(page: Page, url: str, key: str) -> None:
    """Click the page's link in the sidebar navigation (keeps the session and its filters)."""
    links = page.locator("[data-testid=stSidebarNavLink]")
    keys = nav_keys(page)
    # a DOM click: Playwright's pointer click can wait forever behind a rerun's fading overlay
    links.nth(keys.index(key)).evaluate("e => e.click()")
    if key != keys[0]:
        page.wait_for_url(f"**/{key}", timeout=30_000)
    # every page ends with its own footer (container footer_<key>) once the script has drawn it
    page.wait_for_selector(f".st-key-footer_{key}", state="attached", timeout=120_000)
    wait_idle(page, settle_s=0.3)


def nav_keys(page: Page) -> list[str]:
    hrefs = page.locator("[data-testid=stSidebarNavLink]").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    from urllib.parse import urlparse

    return [urlparse(h).path.strip("/").rsplit("/", 1)[-1] or "overview" for h in hrefs]


def tab_labels(page: Page) -> list[str]:
    return page.locator("[data-testid=stTab]:visible").all_inner_texts()


def expand_all(page: Page) -> None:
    """Open every collapsed expander so its text and buttons are visible (no rerun)."""
    for summary in page.locator("[data-testid=stExpander] details:not([open]) > summary").all():
        summary.click()
    page.wait_for_timeout(200)


def open_tab(page: Page, index: int) -> None:
    """Click a tab (tabs rerun the page: only the open tab computes)."""
    page.locator("[data-testid=stTab]:visible").nth(index).click()
    page.wait_for_timeout(300)
    wait_idle(page)
