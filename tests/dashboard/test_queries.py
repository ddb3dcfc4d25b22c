"""Dashboard read helpers (``dashboard.queries``) on a hand-made store."""

from __future__ import annotations

import pandas as pd

from dashboard.queries import contacts_between


def test_a_drill_down_lists_the_contacts_of_the_metrics_queue_mode(empty_store) -> None:
    queues = pd.DataFrame(
        {"queue_id": ["Q_VOICE", "Q_MAIL"], "name": ["voice", "mail"],
         "channel": ["voice", "email"], "mode": ["live", "async"]}
    )  # fmt: skip
    at = pd.Timestamp("2026-11-02 10:05")
    contacts = pd.DataFrame(
        {"contact_id": ["V1", "M1", "V2"], "channel": ["voice", "email", "voice"],
         "queue_id": ["Q_VOICE", "Q_MAIL", "Q_VOICE"], "center_id": ["SEOUL"] * 3,
         "created_at": [at - pd.Timedelta(hours=9)] * 3,
         "created_local": [at, at, at + pd.Timedelta(minutes=30)]}  # V2 is in the next interval
    )  # fmt: skip
    with empty_store.write() as cur:
        empty_store.append_df("queues", queues, cur)
        empty_store.append_df("contacts", contacts, cur)
    reader = empty_store.reader()
    start, end = pd.Timestamp("2026-11-02 10:00"), pd.Timestamp("2026-11-02 10:30")
    assert set(contacts_between(reader, start, end).contact_id) == {"V1", "M1"}
    assert list(contacts_between(reader, start, end, mode="live").contact_id) == ["V1"]
    assert list(contacts_between(reader, start, end, mode="async").contact_id) == ["M1"]
