"""A one-line page, listed only with ``CCOPS_DASHBOARD_FLOOR_PAGE=true``: the least any page of this
app costs (the browser, the server round trip and ``app.py``'s sidebar), which
``bench/bench_dashboard.py`` measures beside every real page as the floor of its ratios."""

import streamlit as st

from dashboard.context import guarded

guarded(lambda: st.write("ccops"), "floor")
