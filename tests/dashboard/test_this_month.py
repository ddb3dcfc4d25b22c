"""The "This month" block (Vendors, Executive) and the SLA page's intraday watch, per role.

The store is the dashboard fixture cut on 2026-10-20 (contacts after it deleted), i.e. a live
store in the middle of October: the block projects the rest of the month from the stored run
(as of 2026-10-17, covering it).
"""

from __future__ import annotations

import shutil
from datetime import date, time
from pathlib import Path

import pandas as pd
import pytest

from dashboard.auth import User, hash_password
from dashboard.context import USER_KEY
from ops.store import Store

STATUSES_EN = {"At risk", "Missed", "Watch", "On track", "Met", "Not projected"}


@pytest.fixture(scope="module")
def midmonth_db(dash_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("midmonth") / "mid.duckdb"
    shutil.copyfile(dash_db_path, path)
    with Store.open(path) as store, store.write() as cur:
        cur.execute("DELETE FROM contacts WHERE created_local >= TIMESTAMP '2026-10-21'")
    return path


@pytest.fixture()
def users_file(tmp_path: Path) -> Path:
    p = tmp_path / "users.yaml"
    p.write_text(
        "users:\n"
        f"  - username: busan\n    role: vendor\n    center: BUSAN\n"
        f'    password_hash: "{hash_password("pw-busan")}"\n',
        encoding="utf-8",
    )
    return p


def _block(at) -> pd.DataFrame:  # noqa: ANN001
    """The block's lines table (the first table with a status and a projected column)."""
    return next(
        d.value for d in at.dataframe if {"status", "projected_text"} <= set(d.value.columns)
    )


def _clean(at, where: str) -> None:  # noqa: ANN001
    assert not at.exception, f"{where}: {at.exception}"
    assert not [e.value for e in at.error], f"{where}: {[e.value for e in at.error]}"


def test_vendors_this_month_for_admin(make_app, midmonth_db: Path) -> None:  # noqa: ANN001
    at = make_app(db=midmonth_db).run()
    at.switch_page("views/vendors.py").run()
    _clean(at, "vendors")
    assert at.subheader[0].value == "This month: where each contract line will land"
    lines = _block(at)
    assert set(lines["center_id"]) == {"SEOUL", "BUSAN", "MANILA"}
    assert set(lines["status"]) <= STATUSES_EN
    # mid-month: the rest is still to come, from the stored run
    monthly = lines[lines["projected"].notna()]
    assert len(monthly) and (monthly["remaining_den"] > 0).all()
    assert "stored forecast" in set(lines["volume_method"])
    metrics = {m.label: m.value for m in at.metric}
    assert {"Lines at risk", "Lines to watch", "Lines on track", "Projected penalty"} <= set(
        metrics
    )
    n = sum(int(metrics[k]) for k in ("Lines at risk", "Lines to watch", "Lines on track"))
    assert n == int((lines["status"] != "Not projected").sum())


def test_vendor_user_sees_only_its_own_lines(make_app, midmonth_db: Path, users_file: Path) -> None:  # noqa: ANN001
    at = make_app(db=midmonth_db, users_file=users_file)
    at.session_state[USER_KEY] = User("busan", "vendor", center="BUSAN")
    at.run()
    at.switch_page("views/vendors.py").run()
    _clean(at, "vendor vendors")
    lines = _block(at)
    assert set(lines["center_id"]) == {"BUSAN"} and len(lines) == 8  # BUSAN's eight lines
    text = lines.to_csv()
    assert "SEOUL" not in text and "MANILA" not in text
    at.switch_page("views/sla.py").run()
    at.session_state["sla_tab"] = "Intraday watch"
    at.run()
    _clean(at, "vendor intraday")
    table = next(d.value for d in at.dataframe if "waiting_now" in d.value.columns)
    assert set(table["center_id"]) == {"BUSAN"}


def test_executive_block_and_korean(make_app, midmonth_db: Path) -> None:  # noqa: ANN001
    at = make_app(db=midmonth_db, locale="ko-KR").run()
    at.switch_page("views/executive.py").run()
    _clean(at, "executive ko")
    assert at.subheader[0].value == "이번 달: 계약 항목별 예상 결과"
    labels = {m.label for m in at.metric}
    assert {"위험 항목", "주의 항목", "순항 항목", "예상 패널티"} <= labels
    # compact: only the lines at risk or to watch
    rows = [d.value for d in at.dataframe if "status" in d.value.columns and "band" in d.value]
    if rows:
        assert set(rows[0]["status"]) <= {"위험", "미달 확정", "주의"}


def test_intraday_watch_tab(make_app, midmonth_db: Path) -> None:  # noqa: ANN001
    at = make_app(db=midmonth_db).run()
    at.switch_page("views/sla.py").run()
    assert [tab.label for tab in at.tabs] == ["SLA vs actual", "Intraday watch"]
    at.session_state["sla_tab"] = "Intraday watch"
    at.run()
    _clean(at, "intraday")
    # 2026-10-20 is a Tuesday: at 12:00 every center's service-level lines have contacts today
    # the default is the latest data: 00:42 on 10-21 in Seoul (Manila's 23:42 on 10-20)
    assert at.date_input(key="sla_intra_day").value == date(2026, 10, 21)
    assert at.time_input(key="sla_intra_time").value == time(0, 30)
    at.date_input(key="sla_intra_day").set_value(date(2026, 10, 20)).run()
    at.time_input(key="sla_intra_time").set_value(time(12, 0)).run()
    _clean(at, "intraday 12:00")
    table = next(d.value for d in at.dataframe if "waiting_now" in d.value.columns)
    assert set(table["center_id"]) >= {"SEOUL", "BUSAN"}
    assert (table["day_den"] > 0).any()
    # 12:00 in Seoul (the dashboard's timezone) is 11:00 in Manila, on each center's clock
    now = dict(zip(table["center_id"], table["current_interval"].astype(str), strict=False))
    assert now["SEOUL"] == now["BUSAN"] == "2026-10-20 12:00:00"
    assert now.get("MANILA", "2026-10-20 11:00:00") == "2026-10-20 11:00:00"


def test_projected_penalty_card_shows_one_figure_per_currency() -> None:
    from dashboard.components.this_month import penalty_text
    from ops.sla.early_warning import CurrencyTotals

    totals = [
        CurrencyTotals(currency="KRW", penalty=12_000_000, penalty_low=10_000_000,
                       penalty_high=12_000_000, net=-12_000_000),
        CurrencyTotals(currency="USD", penalty=1500, penalty_low=1000, penalty_high=2000,
                       net=-1250.5),
    ]  # fmt: skip
    value, help_text = penalty_text(totals)
    # KRW without decimals, USD with two; the two amounts side by side, not 12,001,500 of either
    assert value == "₩12,000,000 · $1,500.00"
    assert "KRW: After the contract caps" in help_text and "₩10,000,000 – ₩12,000,000" in help_text
    assert "USD: After the contract caps" in help_text and "$1,000.00 – $2,000.00" in help_text
    assert "net adjustment with bonuses -$1,250.50" in help_text
    one, one_help = penalty_text(totals[:1])
    assert one == "₩12,000,000" and not one_help.startswith("KRW:")
