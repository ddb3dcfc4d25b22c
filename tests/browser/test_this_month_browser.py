"""The Vendors page's "This month" block in a real Chromium, as an admin and as a vendor user,
in English and Korean, on a store in the middle of the month. Screenshots:
tests/artifacts/this_month_<role>_<lang>.png (the block) and ..._page.png (the whole page)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import USERS, VENDOR_CENTER, login, open_page

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1440, "height": 1400}
BLOCK = ".st-key-vendors_this_month"


@pytest.mark.parametrize(
    ("role", "locale"),
    [("admin", "en-US"), ("vendor", "en-US"), ("admin", "ko-KR"), ("vendor", "ko-KR")],
)
def test_vendors_this_month_block(
    chrome, midmonth_dashboard_url: str, artifacts: Path, role: str, locale: str
) -> None:  # noqa: ANN001
    name, pw, _ = USERS[role]
    ctx = chrome.new_context(viewport=VIEWPORT, locale=locale, accept_downloads=True)
    page = ctx.new_page()
    lang = locale[:2]
    try:
        login(page, midmonth_dashboard_url, name, pw)
        open_page(page, midmonth_dashboard_url, "vendors")
        block = page.locator(BLOCK)
        block.wait_for(timeout=120_000)
        assert page.locator("[data-testid=stException]").count() == 0
        text = block.inner_text()
        title = "This month" if lang == "en" else "이번 달"
        assert title in text
        cards = (
            ("Lines at risk", "Projected penalty") if lang == "en" else ("위험 항목", "예상 패널티")
        )
        assert all(c in text for c in cards), text[:400]
        block.screenshot(path=str(artifacts / f"this_month_{role}_{lang}.png"))
        page.screenshot(path=str(artifacts / f"this_month_{role}_{lang}_page.png"), full_page=True)
        # the block's CSV: every line with its status; a vendor's holds only its own center
        button = block.locator("[data-testid=stDownloadButton] button").filter(has_text="CSV").first
        with page.expect_download() as dl:
            button.click()
        raw = Path(dl.value.path()).read_bytes().decode("utf-8-sig")
        import io

        import pandas as pd

        frame = pd.read_csv(io.StringIO(raw))
        centers = set(frame["center_id"])
        if role == "vendor":
            assert centers == {VENDOR_CENTER}
            for other in ("SEOUL", "MANILA", "Seoul", "Manila", "서울", "마닐라"):
                assert other not in raw and other not in text, other
        else:
            assert centers == {"SEOUL", "BUSAN", "MANILA"}
        assert frame["remaining_den"].fillna(0).gt(0).any()  # mid-month: a rest to project
    finally:
        ctx.close()


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_sla_intraday_watch_tab(
    chrome, midmonth_dashboard_url: str, artifacts: Path, locale: str
) -> None:  # noqa: ANN001
    from helpers import open_tab

    name, pw, _ = USERS["manager"]
    ctx = chrome.new_context(viewport=VIEWPORT, locale=locale)
    page = ctx.new_page()
    try:
        login(page, midmonth_dashboard_url, name, pw)
        open_page(page, midmonth_dashboard_url, "sla")
        open_tab(page, 1)
        assert page.locator("[data-testid=stException]").count() == 0
        main = page.inner_text("[data-testid=stMain]")
        assert (
            "Service-level lines today" if locale == "en-US" else "오늘의 서비스 레벨 항목"
        ) in main
        page.screenshot(path=str(artifacts / f"sla_intraday_{locale[:2]}.png"), full_page=True)
    finally:
        ctx.close()
