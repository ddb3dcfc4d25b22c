"""Headless Chromium against a running ``ccops dashboard``: every role, every page, filters,
downloads, vendor isolation and six concurrent sessions. Screenshots: tests/artifacts/."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from helpers import (
    USERS,
    VENDOR_CENTER,
    expand_all,
    login,
    nav_keys,
    open_page,
    open_tab,
    tab_labels,
    wait_idle,
)

from dashboard.navigation import available_pages

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1440, "height": 1600}
OTHER_CENTERS = ("SEOUL", "MANILA")
# Names of the other centers as the demo writes them (English and Korean).
OTHER_CENTER_NAMES = ("Seoul", "Manila", "서울", "마닐라")


def _assert_clean(page, where: str) -> None:  # noqa: ANN001
    assert page.locator("[data-testid=stException]").count() == 0, f"exception on {where}"
    text = page.inner_text("body")
    assert "Traceback" not in text, where


def _expected(role: str) -> list[str]:
    return [p.key for p in available_pages(role)]


@pytest.mark.parametrize(("role", "locale"), [("admin", "en-US"), ("executive", "ko-KR")])
def test_role_visits_every_page(
    chrome, dashboard_url: str, artifacts: Path, role: str, locale: str
) -> None:  # noqa: ANN001
    """Every page of the role's menu, in English (admin) and Korean (executive), with screenshots."""
    name, pw, _ = USERS[role]
    ctx = chrome.new_context(viewport=VIEWPORT, locale=locale, accept_downloads=True)
    page = ctx.new_page()
    try:
        login(page, dashboard_url, name, pw)
        keys = nav_keys(page)
        assert keys == _expected(role)
        assert ("data" in keys) == (role in ("admin", "manager"))
        for key in keys:
            open_page(page, dashboard_url, key)
            _assert_clean(page, f"{role}/{key}")
            page.screenshot(path=str(artifacts / f"{role}_{key}.png"), full_page=True)
        if locale == "ko-KR":
            assert "경영 요약" in page.inner_text("[data-testid=stSidebarNav]")
    finally:
        ctx.close()


def test_manager_menu(chrome, dashboard_url: str) -> None:  # noqa: ANN001
    name, pw, _ = USERS["manager"]
    ctx = chrome.new_context(viewport=VIEWPORT, locale="en-US")
    page = ctx.new_page()
    try:
        login(page, dashboard_url, name, pw)
        assert nav_keys(page) == _expected("manager")
        assert "data" in nav_keys(page)
    finally:
        ctx.close()


def _pick_multiselect(page, label: str, option: str) -> None:  # noqa: ANN001
    box = page.locator("[data-testid=stMultiSelect]").filter(has_text=label).first
    box.click()
    page.get_by_role("option", name=option, exact=True).first.click()
    page.keyboard.press("Escape")
    wait_idle(page)


def test_filters_persist_and_downloads_work(chrome, dashboard_url: str, artifacts: Path) -> None:  # noqa: ANN001
    name, pw, _ = USERS["manager"]
    ctx = chrome.new_context(viewport=VIEWPORT, locale="en-US", accept_downloads=True)
    page = ctx.new_page()
    try:
        login(page, dashboard_url, name, pw)
        _pick_multiselect(
            page, "Channel", "Voice"
        )  # the option reads as a name, its value is "voice"
        keys = nav_keys(page)
        target = "sla" if "sla" in keys else "data"
        open_page(page, dashboard_url, target)
        # the filter survived the page switch
        chips = page.locator("[data-testid=stMultiSelect]").filter(has_text="Channel").inner_text()
        assert "Voice" in chips
        _assert_clean(page, f"manager/{target} (voice)")
        page.screenshot(path=str(artifacts / f"manager_{target}_voice.png"), full_page=True)
        button = page.locator("[data-testid=stDownloadButton] button").filter(has_text="CSV").first
        with page.expect_download() as dl:
            button.click()
        data = Path(dl.value.path()).read_bytes()
        assert data[:3] == b"\xef\xbb\xbf"  # BOM so Excel shows Hangul
        frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
        assert len(frame) > 0
        if "channel" in frame.columns:
            assert set(frame["channel"].dropna()) <= {"voice"}
    finally:
        ctx.close()


def test_vendor_never_sees_another_center(chrome, dashboard_url: str, artifacts: Path) -> None:  # noqa: ANN001
    name, pw, _ = USERS["vendor"]
    ctx = chrome.new_context(viewport=VIEWPORT, locale="en-US", accept_downloads=True)
    page = ctx.new_page()
    downloads = 0
    try:
        login(page, dashboard_url, name, pw)
        # the center filter offers only the vendor's own center
        page.locator("[data-testid=stMultiSelect]").filter(has_text="Center").first.click()
        offered = page.get_by_role("option").all_inner_texts()
        page.keyboard.press("Escape")
        assert len(offered) == 1 and "Busan" in offered[0]
        keys = nav_keys(page)
        assert keys == _expected("vendor") and "data" not in keys
        for key in keys:
            open_page(page, dashboard_url, key)
            page.screenshot(path=str(artifacts / f"vendor_{key}.png"), full_page=True)
            views = [None] + list(range(1, len(tab_labels(page))))
            for tab in views:
                if tab is not None:
                    open_tab(page, tab)
                expand_all(page)
                where = f"{key}/tab{tab or 0}"
                _assert_clean(page, where)
                text = page.inner_text("[data-testid=stMain]")
                for other in OTHER_CENTERS + OTHER_CENTER_NAMES:
                    assert other not in text, (
                        f"{other} visible to a {VENDOR_CENTER} user on {where}"
                    )
                downloads += _check_csv_downloads(page, where)
        assert downloads >= 1
    finally:
        ctx.close()


def _check_csv_downloads(page, where: str) -> int:  # noqa: ANN001
    """Download every CSV on the view; none may hold another center's rows or names."""
    buttons = page.locator("[data-testid=stDownloadButton] button:visible").filter(has_text="CSV")
    for i in range(buttons.count()):
        with page.expect_download() as dl:
            buttons.nth(i).click()
        raw = Path(dl.value.path()).read_bytes().decode("utf-8-sig")
        for other in OTHER_CENTERS + OTHER_CENTER_NAMES:
            assert other not in raw, f"{other} in a download on {where}"
        frame = pd.read_csv(io.StringIO(raw))
        if "center_id" in frame.columns:
            assert set(frame["center_id"].dropna()) <= {VENDOR_CENTER}, where
    return buttons.count()


def test_admin_imports_a_file(chrome, dashboard_url: str, artifacts: Path) -> None:  # noqa: ANN001
    name, pw, _ = USERS["admin"]
    ctx = chrome.new_context(viewport=VIEWPORT, locale="en-US")
    page = ctx.new_page()
    try:
        login(page, dashboard_url, name, pw)
        open_page(page, dashboard_url, "data")
        sample = Path(__file__).resolve().parents[2] / "data" / "samples" / "canonical_contacts.csv"
        page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(sample))
        page.get_by_role("button", name="Import").click()
        page.get_by_text("canonical_contacts.csv →").first.wait_for(timeout=60_000)
        wait_idle(page)
        _assert_clean(page, "admin/data import")
        page.screenshot(path=str(artifacts / "admin_data_import.png"), full_page=True)
        assert "Rows read" in page.inner_text("[data-testid=stMain]")
    finally:
        ctx.close()


def test_six_concurrent_sessions(chrome, dashboard_url: str) -> None:  # noqa: ANN001
    roles = ["admin", "manager", "executive", "vendor", "admin", "vendor"]
    contexts = [chrome.new_context(viewport=VIEWPORT, locale="en-US") for _ in roles]
    try:
        pages = [c.new_page() for c in contexts]
        for page in pages:
            page.goto(dashboard_url + "/")
        for page, role in zip(pages, roles, strict=True):
            name, pw, _ = USERS[role]
            page.wait_for_selector("input[type=password]", timeout=60_000)
            page.locator("input[type=text]").first.fill(name)
            page.locator("input[type=password]").fill(pw)
        # submit all six, then let all six render at the same time on the server
        for page in pages:
            page.locator("input[type=password]").press("Enter")
        for page in pages:
            page.wait_for_selector("[data-testid=stNavSectionHeader]", timeout=90_000)
        for page, role in zip(pages, roles, strict=True):
            page.wait_for_selector(".st-key-footer_overview", state="attached", timeout=120_000)
            wait_idle(page, timeout_s=90)
            _assert_clean(page, f"concurrent {role}")
            assert page.locator("[data-testid=stMetric]").count() >= 4  # the overview's cards
    finally:
        for c in contexts:
            c.close()


def test_wrong_password_is_refused(chrome, dashboard_url: str) -> None:  # noqa: ANN001
    ctx = chrome.new_context(viewport=VIEWPORT, locale="en-US")
    page = ctx.new_page()
    try:
        page.goto(dashboard_url + "/")
        page.wait_for_selector("input[type=password]", timeout=30_000)
        page.locator("input[type=text]").first.fill("ada")
        page.locator("input[type=password]").fill("wrong")
        page.locator("input[type=password]").press("Enter")
        page.get_by_text("Wrong username or password.").wait_for(timeout=30_000)
        assert page.locator("[data-testid=stSidebarNav]").count() == 0
    finally:
        ctx.close()
