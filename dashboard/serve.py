"""The dashboard as a Streamlit ``st.App``: the app of ``app.py`` plus work at server start.

``ccops dashboard`` runs ``streamlit run dashboard/serve.py``. Streamlit runs a script only when a
browser session opens, so without a start hook the first visitor would wait for everything a first
page needs (imports, the store, compiled queries, the first results). The ``lifespan`` of
``st.App`` runs when the server starts: it starts the cache warm-up thread
(:mod:`dashboard.warmup`) and returns at once, so the server answers while the thread works.
On a graceful shutdown (SIGTERM or SIGINT to ``ccops dashboard``) it stops the warm-up and says
so: :data:`STOPPED` in the log is the sign that the server stopped itself, not killed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st

STOPPED = "ccops dashboard: server stopped"


@asynccontextmanager
async def _lifespan(_app: Any) -> AsyncIterator[None]:
    from dashboard import warmup

    warmup.start()
    try:
        yield
    finally:
        warmup.stop()
        print(STOPPED, flush=True)


app = st.App("app.py", lifespan=_lifespan)
