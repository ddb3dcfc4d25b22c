"""Page scaffolding every data page starts with: the header, the "no data yet" guard, the month picker.

Each view used to repeat these lines; one helper keeps the header key, the empty-store message and the
month default (the latest complete month) the same on every page.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.context import options
from dashboard.i18n import t
from dashboard.pages_common import default_month, month_choices


def page_start(page: str) -> dict[str, Any] | None:
    """Show the header ``page.<page>`` and return the store's filter options, or None after an
    "no data" note when the store holds no contacts (the caller then returns)."""
    st.header(t(f"page.{page}"))
    opts = options()
    if not opts["contacts"]:
        st.info(t("app.no_data"))
        return None
    return opts


def month_select(opts: dict[str, Any], key: str) -> str:
    """A ``YYYY-MM`` picker over the months with data, newest first, defaulting to the latest
    complete month."""
    months = month_choices(opts["first_day"], opts["last_day"])
    default = default_month(opts["last_day"])
    return st.selectbox(
        t("exec.month"), months, index=months.index(default) if default in months else 0, key=key
    )
