"""Hand-made SLA fixtures: every expected value in tests/sla is computed by hand from these rows.

``sla_store``: three centers, four queues and
- the 10-call worked example of DESIGN.md (SEOUL, queue V1 voice, Monday 2026-11-02 10:00-10:30
  Seoul): answered waits 0, 5, 12, 18, 25, 40; abandoned waits 3, 15, 30, 60;
- the response-rate example (SEOUL, queue E1 email, Mon-Fri 09:00-18:00 Seoul, no holidays):
  6 answered within 6 business hours, 2 answered late, 1 unanswered past its deadline, 1 pending.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pandas as pd

from ops.store import Store

WEEKDAY_9_18 = {d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
SEOUL_CAL = {"timezone": "Asia/Seoul", "weekly": WEEKDAY_9_18, "holidays": None}
KST = timedelta(hours=9)

CENTERS = pd.DataFrame(
    [
        {"center_id": "SEOUL", "name": "Seoul", "kind": "in_house", "timezone": "Asia/Seoul",
         "hourly_cost": 30000.0, "currency": "KRW", "calendar_json": json.dumps(SEOUL_CAL)},
        {"center_id": "BUSAN", "name": "Busan", "kind": "vendor", "vendor_name": "B Corp",
         "timezone": "Asia/Seoul", "hourly_cost": 25000.0, "currency": "KRW",
         "calendar_json": json.dumps({**SEOUL_CAL, "holidays": "KR"})},
        {"center_id": "MANILA", "name": "Manila", "kind": "vendor", "vendor_name": "M Inc",
         "timezone": "Asia/Manila", "hourly_cost": 12000.0, "currency": "KRW",
         "calendar_json": json.dumps({"timezone": "Asia/Manila", "weekly": {
             d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}})},
    ]
)  # fmt: skip
QUEUES = pd.DataFrame(
    [
        {"queue_id": "V1", "name": "Voice", "channel": "voice", "mode": "live", "segment": "general"},
        {"queue_id": "V2", "name": "Voice VIP", "channel": "voice", "mode": "live", "segment": "vip"},
        {"queue_id": "C1", "name": "Chat", "channel": "chat", "mode": "live", "concurrency": 2},
        {"queue_id": "E1", "name": "Email", "channel": "email", "mode": "async"},
    ]
)  # fmt: skip


def call(cid: str, local: str, *, wait: float, answered: bool, queue: str = "V1",
         center: str = "SEOUL", handle: float | None = None, segment: str = "general",
         offset: timedelta = KST, **extra: object) -> dict:  # fmt: skip
    """A live contact created at local time ``local`` with the given wait."""
    created_local = datetime.fromisoformat(local)
    created = created_local - offset
    row = {
        "contact_id": cid, "channel": "voice" if queue.startswith("V") else "chat",
        "queue_id": queue, "center_id": center, "segment": segment,
        "created_at": created, "created_local": created_local, "wait_s": float(wait),
        "handled_by": "agent",
    }  # fmt: skip
    end = created + timedelta(seconds=wait)
    if answered:
        row["answered_at"] = end
        row["handle_s"] = 300.0 if handle is None else handle
    else:
        row["abandoned_at"] = end
    row.update(extra)
    return row


def ticket(cid: str, local: str, *, answered_local: str | None, business_s: float | None,
           center: str = "SEOUL", **extra: object) -> dict:  # fmt: skip
    created_local = datetime.fromisoformat(local)
    row = {
        "contact_id": cid, "channel": "email", "queue_id": "E1", "center_id": center,
        "segment": "general", "created_at": created_local - KST, "created_local": created_local,
        "handled_by": "agent",
    }  # fmt: skip
    if answered_local:
        a = datetime.fromisoformat(answered_local) - KST
        row["answered_at"] = a
        row["wait_s"] = (a - row["created_at"]).total_seconds()
        row["first_response_business_s"] = business_s
    row.update(extra)
    return row


# DESIGN.md worked example: answered 0, 5, 12, 18, 25, 40; abandoned 3, 15, 30, 60 (T 20, short 5)
TEN_CALLS = [
    call(f"c{i}", f"2026-11-02 10:{i:02d}:00", wait=w, answered=a)
    for i, (w, a) in enumerate(
        [(0, True), (5, True), (12, True), (18, True), (25, True), (40, True),
         (3, False), (15, False), (30, False), (60, False)]
    )
]  # fmt: skip

# Response-rate example, 6 h = 21,600 business seconds; as_of = Friday 2026-11-06 17:00 Seoul.
AS_OF_UTC = datetime(2026, 11, 6, 8, 0)  # 17:00 KST
TICKETS = (
    [ticket(f"t{i}", f"2026-11-02 09:{i:02d}:00", answered_local=f"2026-11-02 12:{i:02d}:00",
            business_s=3 * 3600) for i in range(6)]  # 3 business hours: in time
    + [ticket(f"t{i}", f"2026-11-02 09:{i:02d}:00", answered_local="2026-11-03 12:00:00",
              business_s=12 * 3600 - i * 60) for i in (6, 7)]  # ~12 business hours: late
    + [ticket("t8", "2026-11-03 09:00:00", answered_local=None, business_s=None)]  # past deadline
    + [ticket("t9", "2026-11-06 15:00:00", answered_local=None, business_s=None)]  # pending
)  # fmt: skip


def load(store: Store, contacts: list[dict], **tables: pd.DataFrame) -> None:
    with store.write() as cur:
        store.append_df("centers", CENTERS, cur)
        store.append_df("queues", QUEUES, cur)
        if contacts:
            store.append_df("contacts", pd.DataFrame(contacts), cur)
        for name, df in tables.items():
            store.append_df(name, df, cur)
