"""Overview: the first page after sign-in, showing the store is live and what it holds.

Volume by channel and center and service level by day come from the SLA engine's metric table
(``ops.sla.metric_table``); the page only lays them out.
"""

from __future__ import annotations

import streamlit as st

from dashboard.context import get_filters, guarded, options
from dashboard.i18n import fmt_date, fmt_int, t


def render() -> None:
    st.header(t("page.overview"))
    opts = options()
    if not opts["contacts"]:
        st.info(t("app.no_data"))
        return
    f = get_filters()
    st.caption(t("overview.window", start=fmt_date(f.start), end=fmt_date(f.end)))
    cols = st.columns(3)
    cols[0].metric(t("overview.contacts_loaded"), fmt_int(opts["contacts"]))
    cols[1].metric(t("overview.centers"), fmt_int(len(opts["centers"])))
    cols[2].metric(t("overview.queues"), fmt_int(len(opts["queues"])))


guarded(render)
