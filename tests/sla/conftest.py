"""SLA test fixtures; the hand-made rows live in sla_fixtures.py (importable by the tests)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sla_fixtures import TEN_CALLS, TICKETS, load  # noqa: E402

from ops.store import Store  # noqa: E402


@pytest.fixture()
def sla_store():
    store = Store.open(":memory:")
    load(store, TEN_CALLS + TICKETS)
    yield store
    store.close()
