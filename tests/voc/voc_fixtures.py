"""Hand-made VOC fixtures: a three-leaf taxonomy and contacts placed on chosen days."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from ops.store import Store

TAGS = pd.DataFrame(
    [
        {"tag_id": "T1", "path": "결제/환불/지연", "path_en": "Payment/Refund/Delayed",
         "level1": "결제", "level2": "환불", "level3": "지연", "level1_en": "Payment",
         "level2_en": "Refund", "level3_en": "Delayed", "is_simple": False},
        {"tag_id": "T2", "path": "결제/환불/취소", "path_en": "Payment/Refund/Cancel",
         "level1": "결제", "level2": "환불", "level3": "취소", "level1_en": "Payment",
         "level2_en": "Refund", "level3_en": "Cancel", "is_simple": True},
        {"tag_id": "T3", "path": "배송/조회/위치", "path_en": "Delivery/Tracking/Where",
         "level1": "배송", "level2": "조회", "level3": "위치", "level1_en": "Delivery",
         "level2_en": "Tracking", "level3_en": "Where", "is_simple": True},
    ]
)  # fmt: skip

CENTERS = pd.DataFrame(
    [{"center_id": "SEOUL", "name": "Seoul", "kind": "in_house", "timezone": "Asia/Seoul"}]
)


def contact_rows(day: datetime, tag_id: str | None, n: int, start_index: int, **cols) -> list[dict]:
    """``n`` contacts on local ``day`` (09:00 + i minutes) with the given tag and extra columns."""
    rows = []
    for i in range(n):
        t = day + timedelta(hours=9, minutes=i)
        rows.append(
            {
                "contact_id": f"c{start_index + i:05d}",
                "channel": "chat",
                "queue_id": "Q1",
                "center_id": "SEOUL",
                "created_at": t - timedelta(hours=9),
                "created_local": t,
                "tag_id": tag_id,
                "handled_by": "agent",
                **cols,
            }
        )
    return rows


# A Seoul center on the Korean public-holiday calendar (Chuseok, Hangul Day ...).
KR_CENTERS = CENTERS.assign(
    calendar_json='{"timezone": "Asia/Seoul", "weekly": {"mon": [["09:00", "18:00"]]}, '
    '"holidays": "KR", "closed_dates": []}'
)


def seed_voc(
    store: Store,
    contacts: list[dict],
    events: list[dict] | None = None,
    centers: pd.DataFrame = CENTERS,
) -> None:
    with store.write() as cur:
        store.append_df("centers", centers, cur)
        store.append_df("tags", TAGS, cur)
        store.append_df("contacts", pd.DataFrame(contacts), cur)
        if events:
            store.append_df("events", pd.DataFrame(events), cur)
