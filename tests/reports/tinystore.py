"""A tiny two-center store built by hand, with answers known without running ccops.

September 2026 (30 days):
- MANILA (vendor, Asia/Manila, hourly cost 10,000 KRW): voice calls at 01:00, 02:00, 02:30, 03:00,
  03:30 and 05:00 local, 10 calls each, every day = 60 calls a day, 1,800 in the month. On the six
  MISSED_DAYS the 40 calls between 02:00 and 04:00 wait 60 s (beyond T = 20 s); every other call
  waits 5 s. So a missed day's SL is 20 / 60 = 33 %, every other day 100 %: Manila missed voice SL
  (target 80 %) on 6 of 30 days, all between 02:00 and 04:00. Month SL = (1800 − 240) / 1800.
  Schedule: 2 agents in each of 8 half-hours (01:00-05:00) a day = 8 agent-hours a day, 240 h a
  month x 10,000 = 2,400,000 KRW / 1,800 contacts = 1,333.33 KRW per contact.
- SEOUL (in house, Asia/Seoul, hourly cost 20,000 KRW): 20 voice calls at each of 10:00, 11:00,
  14:00 local every day (wait 10 s, all within T) = 1,800 calls; schedule 3 agents x 6 half-hours
  (10:00-12:00, 14:00-15:00) = 9 agent-hours a day, 270 h x 20,000 = 5,400,000 KRW / 1,800.
Surveys: none. CSAT 5 on every 10th Seoul call, 2 on every 10th Manila call.

Contracts (``CONTRACTS``): MANILA, fee 10,000,000 KRW: (0) monthly voice SL 95 % within 20 s with
tiers 0-5 pt = 2 %, 5+ pt = 10 % of fee; (1) daily voice SL 80 %. SEOUL, no fee: monthly voice SL 80 %.
By hand: Manila's month SL 86.67 % is 8.33 pt short → 10 % x 10,000,000 = 1,000,000 KRW penalty;
the daily line is met on 24 of 30 days. Attainment (mean over lines of the share of periods met):
Manila (0 + 24/30) / 2 = 0.4 with 0 of 2 lines met; Seoul 1.0 with 1 of 1.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from ops.store import Store

MONTH = "2026-09"
MISSED_DAYS = (3, 8, 12, 17, 21, 26)
TZ_OFFSET_H = {"MANILA": 8, "SEOUL": 9}


def _calendar(tz: str) -> str:
    import json

    day = [["00:00", "24:00"]]
    return json.dumps(
        {"timezone": tz, "weekly": {d: day for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
         "holidays": None, "closed_dates": []}
    )  # fmt: skip


CONTRACTS = {
    "manila.yaml": """
contract_id: MANILA-TEST
center_id: MANILA
version: 1
vendor: Manila Contact Solutions
effective_from: 2026-01-01
monthly_fee: 10000000
currency: KRW
metrics:
  - metric: service_level
    target: 0.95
    threshold: 20s
    scope: {channel: voice}
    period: month
    penalty:
      tiers:
        - {from: 0, to: 5, pct_of_fee: 2}
        - {from: 5, pct_of_fee: 10}
  - metric: service_level
    target: 0.80
    threshold: 20s
    scope: {channel: voice}
    period: day
    label: Daily voice SL
""",
    "seoul.yaml": """
contract_id: SEOUL-TEST
center_id: SEOUL
version: 1
effective_from: 2026-01-01
monthly_fee: 0
currency: KRW
metrics:
  - metric: service_level
    target: 0.80
    threshold: 20s
    scope: {channel: voice}
    period: month
""",
}


def build_tiny_store(store: Store, contracts_dir: Path | None = None) -> None:
    """Write the tiny data set; with ``contracts_dir`` also write and load ``CONTRACTS``."""
    centers = pd.DataFrame(
        [
            {"center_id": "SEOUL", "name": "Seoul", "name_ko": "서울", "kind": "in_house",
             "vendor_name": None, "timezone": "Asia/Seoul", "hourly_cost": 20000.0,
             "currency": "KRW", "calendar_json": _calendar("Asia/Seoul")},
            {"center_id": "MANILA", "name": "Manila", "name_ko": "마닐라", "kind": "vendor",
             "vendor_name": "Manila Contact Solutions", "timezone": "Asia/Manila",
             "hourly_cost": 10000.0, "currency": "KRW", "calendar_json": _calendar("Asia/Manila")},
        ]
    )  # fmt: skip
    queues = pd.DataFrame(
        [{"queue_id": "VOICE_GEN", "name": "Voice general", "name_ko": "전화 일반",
          "channel": "voice", "mode": "live", "concurrency": 1, "segment": "general"}]
    )  # fmt: skip
    contacts, schedules = [], []
    n = 0
    for day in range(1, 31):
        d = date(2026, 9, day)
        for center, slots, per_slot in (
            ("MANILA", ((1, 0), (2, 0), (2, 30), (3, 0), (3, 30), (5, 0)), 10),
            ("SEOUL", ((10, 0), (11, 0), (14, 0)), 20),
        ):
            for h, m in slots:
                local = datetime(d.year, d.month, d.day, h, m)
                for i in range(per_slot):
                    n += 1
                    if center == "MANILA":
                        late = day in MISSED_DAYS and 2 <= h < 4
                        wait = 60.0 if late else 5.0
                        csat = 2 if i == 0 else None
                    else:
                        wait, csat = 10.0, (5 if i == 0 else None)
                    created_local = local + timedelta(seconds=i)
                    created = created_local - timedelta(hours=TZ_OFFSET_H[center])
                    contacts.append(
                        {"contact_id": f"C{n:06d}", "source": "test", "channel": "voice",
                         "queue_id": "VOICE_GEN", "center_id": center, "segment": "general",
                         "created_at": created, "created_local": created_local,
                         "answered_at": created + timedelta(seconds=wait), "wait_s": wait,
                         "handle_s": 180.0, "handled_by": "agent", "csat": csat,
                         "tag_id": "T_REFUND"}
                    )  # fmt: skip
        for center, start_h, halves, agents in (
            ("MANILA", 1, range(8), 2),
            ("SEOUL", 10, range(4), 3),
            ("SEOUL", 14, range(2), 3),
        ):
            for k in halves:
                local = datetime(d.year, d.month, d.day, start_h) + timedelta(minutes=30 * k)
                schedules.append(
                    {"center_id": center, "queue_id": "VOICE_GEN", "agent_id": None,
                     "interval_start": local - timedelta(hours=TZ_OFFSET_H[center]),
                     "interval_local": local, "interval_s": 1800,
                     "scheduled_s": 1800.0 * agents, "staffed_s": 1800.0 * agents,
                     "productive_s": 1800.0 * agents}
                )  # fmt: skip
    tags = pd.DataFrame(
        [{"tag_id": "T_REFUND", "path": "결제/환불/지연", "path_en": "Payment/Refund/Delayed",
          "level1": "결제", "level1_en": "Payment", "is_simple": False, "severity": 2}]
    )  # fmt: skip
    events = pd.DataFrame(
        [{"event_id": "E1", "kind": "campaign", "name": "Autumn sale", "name_ko": "가을 세일",
          "start_date": date(2026, 10, 12), "end_date": date(2026, 10, 14), "center_id": None,
          "expected_effect": 1.3},
         {"event_id": "E2", "kind": "campaign", "name": "Seoul-only promo", "name_ko": "서울 프로모션",
          "start_date": date(2026, 10, 5), "end_date": date(2026, 10, 6), "center_id": "SEOUL",
          "expected_effect": 1.2}]
    )  # fmt: skip
    with store.write() as cur:
        store.append_df("centers", centers, cur)
        store.append_df("queues", queues, cur)
        store.append_df("tags", tags, cur)
        store.append_df("contacts", pd.DataFrame(contacts), cur)
        store.append_df("schedules", pd.DataFrame(schedules), cur)
        store.append_df("events", events, cur)
    if contracts_dir is not None:
        from ops.sla.contracts import load_contracts

        contracts_dir.mkdir(parents=True, exist_ok=True)
        for name, text in CONTRACTS.items():
            (contracts_dir / name).write_text(text, encoding="utf-8")
        load_contracts(store, contracts_dir)
