"""Every page renders for every role without an exception or an error box; the main widgets work;
a vendor user never sees another center; login, demo mode and store errors behave."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.auth import User, hash_password
from dashboard.context import USER_KEY
from dashboard.navigation import available_pages

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
OTHER_THAN_BUSAN = ("SEOUL", "MANILA", "Seoul", "Manila", "서울", "마닐라")


def _clean(at, where: str) -> None:  # noqa: ANN001
    assert not at.exception, f"{where}: {at.exception}"
    assert not [e.value for e in at.error], f"{where}: {[e.value for e in at.error]}"


# pages whose tabs only compute when open (st.tabs(on_change="rerun")): their session key
TAB_KEYS = {"vendors": "vendors_tab", "staffing": "staff_tab", "qa": "qa_tab", "voc": "voc_tab",
            "sla": "sla_tab"}  # fmt: skip
MIN_TABS = {"sla": 2}  # SLA vs actual, intraday watch; the others have four or more


def _visit_all(at, role: str, check=None) -> list[str]:  # noqa: ANN001
    """Open every page of ``role`` and every tab of it; ``check(at, where)`` runs on each view."""
    seen = []
    for spec in available_pages(role):
        at.switch_page(f"views/{spec.file}").run()
        _clean(at, f"{role}/{spec.key}")
        assert at.header, f"{spec.key} drew no header"
        if check:
            check(at, spec.key)
        if spec.key in TAB_KEYS:
            labels = [tab.label for tab in at.tabs]
            assert len(labels) >= MIN_TABS.get(spec.key, 4)
            for label in labels[1:]:
                at.session_state[TAB_KEYS[spec.key]] = label
                at.run()
                _clean(at, f"{role}/{spec.key}/{label}")
                if check:
                    check(at, f"{spec.key}/{label}")
            at.session_state[TAB_KEYS[spec.key]] = labels[0]
        seen.append(spec.key)
    return seen


@pytest.mark.slow
def test_demo_mode_admin_sees_every_page_with_data(make_app) -> None:  # noqa: ANN001
    at = make_app().run()
    _clean(at, "overview")
    assert any("Demo mode" in i.value for i in at.sidebar.info)
    # the overview shows real numbers from the store, not zeros
    contacts = next(m for m in at.metric if m.label == "Contacts")
    assert int(contacts.value.replace(",", "")) > 1000
    seen = _visit_all(at, "admin")
    assert seen == [p.key for p in available_pages("admin")]
    assert {
        "overview",
        "executive",
        "sla",
        "vendors",
        "forecast",
        "staffing",
        "qa",
        "voc",
        "data",
    } <= set(seen)


def test_main_widgets(make_app) -> None:  # noqa: ANN001
    at = make_app().run()
    # Overview's daily table has no rows for center-days without live contacts (closed days)
    daily = next(d.value for d in at.dataframe if "service_level_den" in d.value.columns)
    assert len(daily) and (daily["service_level_den"] > 0).all()
    at.switch_page("views/sla.py").run()
    # by center (the default): the whole-window table names each center first, like the legend
    totals = at.dataframe[0].value
    assert list(totals.columns[:2]) == ["name", "center_id"]
    assert set(totals["name"]) >= {"Seoul HQ contact center"} and "SEOUL" in set(totals.center_id)
    at.selectbox(key="sla_metric").set_value("asa_s").run()
    _clean(at, "sla asa")
    at.segmented_control(key="sla_dim").set_value("channel").run()
    at.selectbox(key="sla_period").set_value("week").run()
    _clean(at, "sla channel/week")
    days = at.selectbox(key="sla_day").options
    at.selectbox(key="sla_day").set_value(at.selectbox(key="sla_day").value).run()
    _clean(at, "sla drill")
    assert len(days) > 0 and len(at.dataframe) >= 3  # totals, intervals, contacts

    at.switch_page("views/vendors.py").run()
    at.session_state["vendors_tab"] = "Negotiation what-if"
    at.run()
    at.slider(key="vendors_wi_target").set_value(0.9).run()
    _clean(at, "vendors what-if")
    at.switch_page("views/staffing.py").run()
    # the busiest center x queue comes first (the default): pools offered by falling volume
    pool = at.selectbox(key="staff_pool")
    volumes = []
    for i in range(min(4, len(pool.options))):
        at.selectbox(key="staff_pool").select_index(i).run()
        shown = next(d.value for d in at.dataframe if "calls" in d.value.columns)
        volumes.append(float(shown["calls"].sum()))
    assert volumes == sorted(volumes, reverse=True) and volumes[0] > volumes[-1], volumes
    at.session_state["staff_tab"] = "Erlang calculator"
    at.run()
    at.segmented_control(key="staff_calc_model").set_value("A").run()
    at.number_input(key="staff_calc_agents").set_value(30).run()
    _clean(at, "staffing calculator")
    # the default plan starts on the Monday on or after the last data day - 27 days; four weeks
    # later is a Monday after the data (and the stored schedules): the page says it has none
    after = pd.Timestamp(at.date_input(key="staff_start").value) + pd.Timedelta(days=28)
    at.date_input(key="staff_start").set_value(after.date()).run()
    _clean(at, "staffing without schedules")
    notes = [w.value for w in at.warning if "No stored schedule" in w.value]
    assert notes and "14 of 14 plan days" in notes[0], [w.value for w in at.warning]
    at.switch_page("views/qa.py").run()
    at.segmented_control(key="qa_by").set_value("agent").run()
    _clean(at, "qa by agent")
    at.switch_page("views/voc.py").run()
    at.segmented_control(key="voc_chart").set_value("treemap").run()
    at.segmented_control(key="voc_level").set_value(1).run()
    _clean(at, "voc treemap")
    at.switch_page("views/executive.py").run()
    assert len(at.get("download_button")) >= 2  # PDF and Excel of the monthly report
    _clean(at, "executive")


def test_filters_persist_across_pages_and_narrow_results(make_app) -> None:  # noqa: ANN001
    at = make_app().run()

    def contacts() -> int:
        return int(next(m for m in at.metric if m.label == "Contacts").value.replace(",", ""))

    everything = contacts()
    at.multiselect(key="flt_channels").set_value(["voice"]).run()
    _clean(at, "overview voice")
    voice = contacts()
    assert 0 < voice < everything
    at.switch_page("views/sla.py").run()
    _clean(at, "sla voice")
    assert at.multiselect(key="flt_channels").value == ["voice"]  # kept across pages
    assert set(at.dataframe[-1].value["channel"]) == {"voice"}  # the drill-down's contacts
    at.multiselect(key="flt_centers").set_value(["SEOUL"]).run()
    assert set(at.dataframe[-1].value["center_id"]) == {"SEOUL"}
    at.button(key="flt_reset").click().run()
    at.switch_page("views/overview.py").run()
    assert contacts() == everything


def test_korean_locale_and_switch(make_app) -> None:  # noqa: ANN001
    at = make_app(locale="ko-KR").run()
    _clean(at, "ko overview")
    assert at.header[0].value == "개요"
    at.segmented_control(key="ui_lang_switch").set_value("en").run()
    assert at.header[0].value == "Overview"
    at.switch_page("views/staffing.py").run()
    _clean(at, "en staffing")
    assert at.header[0].value == "Staffing"  # the choice survives the page change
    at.session_state["ui_lang"] = "ko"
    at.run()
    assert at.header[0].value == "인력 계획"


@pytest.fixture()
def users_file(tmp_path: Path) -> Path:
    p = tmp_path / "users.yaml"
    p.write_text(
        "users:\n"
        f'  - username: ada\n    role: admin\n    password_hash: "{hash_password("pw-admin")}"\n'
        f"  - username: busan\n    role: vendor\n    center: BUSAN\n"
        f'    password_hash: "{hash_password("pw-busan")}"\n',
        encoding="utf-8",
    )
    return p


def test_login_form(make_app, users_file: Path) -> None:  # noqa: ANN001
    at = make_app(users_file=users_file).run()
    assert at.title[0].value == "Sign in"
    assert not at.header  # no page before signing in
    at.text_input(key="login_username").set_value("ada")
    at.text_input(key="login_password").set_value("wrong")
    at.button[0].click().run()
    assert "Wrong username or password." in [e.value for e in at.error]
    at.text_input(key="login_password").set_value("pw-admin")
    at.button[0].click().run()
    _clean(at, "after login")
    assert at.header[0].value == "Overview"
    assert at.session_state[USER_KEY].role == "admin"


def _texts(at) -> str:  # noqa: ANN001
    parts = []
    for kind in (
        "markdown",
        "caption",
        "text",
        "info",
        "success",
        "warning",
        "metric",
        "header",
        "subheader",
    ):
        for el in at.get(kind):
            parts.append(str(getattr(el, "value", "")))
            parts.append(str(getattr(el, "label", "")))
    for sel in at.get("selectbox") + at.get("multiselect"):
        parts += [str(o) for o in sel.options]
    return "\n".join(parts)


@pytest.mark.slow
def test_vendor_never_sees_another_center(make_app, users_file: Path) -> None:  # noqa: ANN001
    at = make_app(users_file=users_file)
    at.session_state[USER_KEY] = User("busan", "vendor", center="BUSAN")
    at.run()
    assert (
        at.multiselect(key="flt_centers").options == ["Busan CS Partners"]
        or len(at.multiselect(key="flt_centers").options) == 1
    )
    keys = [p.key for p in available_pages("vendor")]
    assert "data" not in keys

    def no_other_center(at, where: str) -> None:  # noqa: ANN001
        for df in at.dataframe:
            frame = df.value
            if isinstance(frame, pd.DataFrame) and "center_id" in frame.columns:
                assert set(frame["center_id"].dropna()) <= {"BUSAN"}, where
            text = frame.to_csv() if isinstance(frame, pd.DataFrame) else str(frame)
            for other in OTHER_THAN_BUSAN:
                assert other not in text, f"{other} in a table on {where}"
        shown = _texts(at)
        for other in OTHER_THAN_BUSAN:
            assert other not in shown, f"{other} shown on {where}"

    assert _visit_all(at, "vendor", no_other_center) == keys
    # the Data page is not in a vendor's navigation at all...
    with pytest.raises(ValueError):
        at.switch_page("views/data.py")
    # ...and its script refuses a vendor even when run on its own
    direct = AppTest.from_file(str(APP.parent / "views" / "data.py"), default_timeout=60)
    direct.session_state[USER_KEY] = User("busan", "vendor", center="BUSAN")
    direct.run()
    assert not direct.exception and any("cannot open this page" in e.value for e in direct.error)
    assert not direct.dataframe


def test_pages_refuse_a_session_without_sign_in(make_app, users_file: Path) -> None:  # noqa: ANN001
    make_app(users_file=users_file)  # sets CCOPS_USERS_FILE for this test
    for name in ("overview.py", "sla.py"):
        at = AppTest.from_file(str(APP.parent / "views" / name), default_timeout=60).run()
        assert not at.exception
        assert any("Sign in first" in e.value for e in at.error), name
        assert not at.dataframe and not at.metric


def test_store_errors_become_messages(make_app, tmp_path: Path) -> None:  # noqa: ANN001
    bad = tmp_path / "not_a_db.duckdb"
    bad.write_text("this is not a database", encoding="utf-8")
    at = make_app(db=bad).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and "Database error" in errors[0]


@pytest.mark.slow
def test_every_table_column_has_a_korean_header(make_app, monkeypatch) -> None:  # noqa: ANN001
    """Tables keep the data model's field names (downloads, CLI), but on screen each field-name
    column carries a header in the UI language (dashboard/columns.py): none shows raw."""
    import json

    import dashboard.i18n
    from dashboard.columns import is_field_name

    # AppTest formats select-box options (format_func -> t()) outside the script run, where the
    # session's language is unknown; this whole visit is a Korean session
    monkeypatch.setattr(dashboard.i18n, "current_lang", lambda: "ko")

    raw: dict[str, set[str]] = {}
    n_tables = 0

    def check(at, where: str) -> None:  # noqa: ANN001
        nonlocal n_tables
        for df in at.dataframe:
            n_tables += 1
            config = json.loads(df.proto.columns or "{}")
            for col in map(str, df.value.columns):
                label = (config.get(col) or {}).get("label")
                if is_field_name(col) and (not label or label == col):
                    raw.setdefault(col, set()).add(where)

    at = make_app(locale="ko-KR").run()
    _visit_all(at, "admin", check)
    assert n_tables >= 25  # every page's tables were seen, not an empty visit
    assert not raw, f"columns without a Korean header: {raw}"


def test_the_menu_checks_each_pages_engine_from_its_source_without_importing_it():
    """A page is offered only when its engine defines what it lays out; finding that out must not
    import the engines (scipy, ibis, statsmodels): a just-started server spent 3 s of CPU on it
    before its first page."""
    import subprocess
    import sys

    from dashboard.navigation import _has

    assert _has("ops.sla", "metric_table")  # imported from a submodule
    assert _has("ops.qa", "qa_scorecard")  # a lazy export
    assert _has("ops.staffing.shifts", "recommend_shifts")  # a def
    assert not _has("ops.sla", "no_such_service")
    assert not _has("ops.no_such_engine", "x")
    code = (
        "import sys; from dashboard.navigation import available_pages; "
        "keys = [p.key for p in available_pages('admin')]; "
        "print(keys, sorted(m for m in ('scipy', 'ibis', 'statsmodels', 'ops.sla', 'ops.qa') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout.strip()  # fmt: skip
    keys = [p.key for p in available_pages("admin")]
    assert out == f"{keys} []"
