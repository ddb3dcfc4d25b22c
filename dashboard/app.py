"""ccops dashboard entrypoint: page config, language, login, shared filters and navigation.

Run with ``ccops dashboard --db data/ccops.duckdb`` (``streamlit run dashboard/serve.py``, which
warms the caches as the server starts), or ``streamlit run dashboard/app.py`` with ``CCOPS_DB_PATH``
set. Pages live in ``dashboard/views/`` (not ``pages/``, see ``navigation.py``); they do not set page config, and they
prefix their session keys with their own name. A page is listed only when the ops service it lays out
exists, and the Data page only for admins and managers.
"""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from dashboard import auth, warmup
from dashboard.context import (
    USER_KEY,
    Filters,
    current_scope,
    current_user,
    db_path,
    default_window,
    guarded,
    options,
    set_filters,
    show_error,
)
from dashboard.i18n import LANG_KEY, LANGS, channel_name, default_lang, fmt_date, role_label, t
from dashboard.navigation import PAGES_DIR, available_pages
from ops.config import get_settings
from ops.errors import CcopsError

st.set_page_config(
    page_title="ccops",
    page_icon=":material/support_agent:",
    layout="wide",
    initial_sidebar_state="expanded",
)

settings = get_settings()
# the shared caches are warmed by one background thread per server process (dashboard/warmup.py):
# `ccops dashboard` starts it with the server (dashboard/serve.py); a direct `streamlit run` of this
# file starts it here, on the first script run
warmup.start()


# --- language --------------------------------------------------------------------------------
if st.session_state.get(LANG_KEY) not in LANGS:
    st.session_state[LANG_KEY] = default_lang(st.context.locale, settings.language)


def _switch_language() -> None:
    picked = st.session_state.get("ui_lang_switch")
    if picked in LANGS:
        st.session_state[LANG_KEY] = picked


# The language lives in a plain session key; the switch only writes to it, so the choice survives
# page changes and the switch's own label never depends on the language it sets.
st.sidebar.segmented_control(
    "Language · 언어",
    options=list(LANGS),
    format_func=lambda code: {"en": "English", "ko": "한국어"}[code],
    key="ui_lang_switch",
    default=st.session_state[LANG_KEY],
    required=True,
    on_change=_switch_language,
)


# --- login -----------------------------------------------------------------------------------
def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def _login(users: dict[str, auth.User]) -> None:
    """Show the sign-in form (and the SSO button when OIDC is configured), then stop the run."""
    st.title(t("login.title"))
    if _oidc_configured():
        if getattr(st.user, "is_logged_in", False):
            user = auth.user_for_email(users, st.user.get("email"))
            if user is not None:
                st.session_state[USER_KEY] = user
                st.rerun()
            st.error(t("login.sso_unknown", email=st.user.get("email") or "?"))
        elif st.button(t("login.sso"), icon=":material/key:"):
            st.login()
    with st.form("login_form", border=True, width=420):
        username = st.text_input(t("login.username"), key="login_username")
        password = st.text_input(t("login.password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("login.submit"), type="primary")
    if submitted:
        fails = int(st.session_state.get("login_failures", 0))
        if fails >= 5:  # slow down guessing from one browser session
            time.sleep(min(2 * (fails - 4), 10))
        user = auth.authenticate(users, username, password)
        if user is None:
            st.session_state["login_failures"] = fails + 1
            st.error(t("login.failed"))
        else:
            st.session_state.pop("login_failures", None)
            st.session_state[USER_KEY] = user
            st.rerun()
    st.stop()


if settings.users_file is None:
    st.session_state[USER_KEY] = auth.DEMO_ADMIN
    demo_mode = True
else:
    demo_mode = False
    if not isinstance(st.session_state.get(USER_KEY), auth.User):
        try:
            _users = auth.load_users(settings.users_file)
        except CcopsError as e:
            st.title(t("login.config_error"))
            show_error(e)
            st.stop()
        _login(_users)

user = current_user()


def _logout() -> None:
    st.session_state.pop(USER_KEY, None)
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


with st.sidebar:
    if demo_mode:
        st.info(t("app.demo_mode"), icon=":material/info:")
    else:
        st.caption(t("app.signed_in_as", name=user.display_name, role=role_label(user.role)))
        st.button(t("app.logout"), on_click=_logout, icon=":material/logout:", key="app_logout")
    scope = current_scope()
    st.caption(t("app.scope", scope=t("scope.all") if scope.is_all else scope.label))


# --- pages -----------------------------------------------------------------------------------
sections: dict[str, list] = {}
for spec in available_pages(user.role):
    sections.setdefault(t(f"nav.section.{spec.section}"), []).append(
        st.Page(
            str(PAGES_DIR / spec.file),
            title=t(f"page.{spec.key}"),
            icon=spec.icon,
            url_path=spec.key,
            default=spec.default,
        )
    )
if settings.dashboard_floor_page:  # bench/bench_dashboard.py's floor: a one-line page
    sections.setdefault("bench", []).append(
        st.Page(str(PAGES_DIR / "floor.py"), title="Floor", icon=":material/speed:",
                url_path="floor")
    )  # fmt: skip
page = st.navigation(sections)


# --- shared filters --------------------------------------------------------------------------
def _sidebar_filters() -> None:
    opts = options()
    default_start, last = default_window(opts["first_day"], opts["last_day"])
    first = opts["first_day"] or default_start
    with st.sidebar:
        st.subheader(t("filters.header"))
        if "flt_dates" not in st.session_state:
            st.session_state["flt_dates"] = (default_start, last)
        picked = st.date_input(
            t("filters.dates"),
            min_value=first,
            max_value=last,
            key="flt_dates",
            format="YYYY-MM-DD",
        )
        if isinstance(picked, (tuple, list)) and len(picked) == 2:
            start, end = picked
        elif isinstance(picked, (tuple, list)) and len(picked) == 1:
            start = end = picked[0]
        else:
            start, end = default_start, last
        st.caption(f"{fmt_date(first)} – {fmt_date(last)}")

        centers = opts["centers"]
        ko = st.session_state.get(LANG_KEY) == "ko"
        names = {
            r.center_id: (r.name_ko if ko and isinstance(r.name_ko, str) else r.name) or r.center_id
            for r in centers.itertuples()
        }
        sel_centers = st.multiselect(
            t("filters.center"),
            options=list(names),
            format_func=lambda c: names.get(c, c),
            key="flt_centers",
            placeholder=t("filters.all"),
        )
        queues = opts["queues"]
        channels = sorted(queues["channel"].dropna().unique().tolist())
        ui_lang = "ko" if ko else "en"
        sel_channels = st.multiselect(
            t("filters.channel"), options=channels, key="flt_channels",
            placeholder=t("filters.all"), format_func=lambda c: channel_name(c, ui_lang),
        )  # fmt: skip
        q = queues[queues["channel"].isin(sel_channels)] if sel_channels else queues
        qnames = {
            r.queue_id: (r.name_ko if ko and isinstance(r.name_ko, str) else r.name) or r.queue_id
            for r in q.itertuples()
        }
        if "flt_queues" in st.session_state:  # keep only queues still offered
            st.session_state["flt_queues"] = [
                x for x in st.session_state["flt_queues"] if x in qnames
            ]
        sel_queues = st.multiselect(
            t("filters.queue"),
            options=list(qnames),
            format_func=lambda x: qnames.get(x, x),
            key="flt_queues",
            placeholder=t("filters.all"),
        )
        sel_segments = st.multiselect(
            t("filters.segment"),
            options=opts["segments"],
            key="flt_segments",
            placeholder=t("filters.all"),
        )
        st.button(t("filters.reset"), on_click=_reset_filters, key="flt_reset")
        st.caption(t("app.database", path=Path(db_path()).name))
    set_filters(
        Filters(
            start=start,
            end=end,
            centers=tuple(sel_centers),
            channels=tuple(sel_channels),
            queues=tuple(sel_queues),
            segments=tuple(sel_segments),
        )
    )


def _reset_filters() -> None:
    for k in ("flt_dates", "flt_centers", "flt_channels", "flt_queues", "flt_segments"):
        st.session_state.pop(k, None)


guarded(_sidebar_filters)
page.run()
