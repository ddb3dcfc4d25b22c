"""Small hand-made QA fixtures: two centers, four agents, the demo form, a few evaluations whose
scores are worked out by hand in the tests."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from ops.qa.forms import FORMS_DIR, load_form
from ops.store import Store

FORM = load_form(FORMS_DIR / "standard_v1.yaml")


def item_frame(evaluation_id: str, center_id: str, scores: dict[str, float | None]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "evaluation_id": evaluation_id,
                "center_id": center_id,
                "item_id": k,
                "score": v,
                "is_na": v is None,
            }
            for k, v in scores.items()
        ]
    )


# A perfect evaluation: every item at its maximum -> 100.
PERFECT = {
    "greeting": 1,
    "empathy": 5,
    "clarity": 5,
    "conciseness": 5,
    "knowledge_accuracy": 20,
    "identity_check": 1,
    "logging": 1,
    "correct_tag": 1,
    "resolution_offered": 1,
}


def seed_qa(
    store: Store, evaluations: list[dict], items: dict[str, dict[str, float | None]]
) -> None:
    """Write centers, agents, the demo form and the given evaluations + item scores."""
    centers = pd.DataFrame(
        [
            {"center_id": "SEOUL", "name": "Seoul", "kind": "in_house", "timezone": "Asia/Seoul"},
            {
                "center_id": "BUSAN",
                "name": "Busan",
                "kind": "vendor",
                "vendor_name": "BusanCo",
                "timezone": "Asia/Seoul",
            },
        ]
    )
    agents = pd.DataFrame(
        [
            {"agent_id": "A1", "name": "Kim", "center_id": "SEOUL", "team": "T1"},
            {"agent_id": "A2", "name": "Lee", "center_id": "SEOUL", "team": "T1"},
            {"agent_id": "B1", "name": "Park", "center_id": "BUSAN", "team": "V1"},
            {"agent_id": "B2", "name": "Choi", "center_id": "BUSAN", "team": "V1"},
        ]
    )
    forms = pd.DataFrame(
        [
            {
                "form_id": FORM.form_id,
                "version": FORM.version,
                "name": FORM.name,
                "definition_json": FORM.to_json(),
                "created_at": datetime(2026, 1, 1),
            }
        ]
    )
    ev = pd.DataFrame(evaluations)
    for col, default in (
        ("form_id", "standard"),
        ("form_version", 1),
        ("evaluator_org", "in_house"),
        ("critical_fail", False),
    ):
        ev[col] = [default if pd.isna(v) else v for v in ev[col]] if col in ev else default
    center_of = dict(zip(ev["evaluation_id"], ev["center_id"], strict=True))
    it = pd.concat(
        [item_frame(eid, center_of[eid], sc) for eid, sc in items.items()], ignore_index=True
    )
    with store.write() as cur:
        store.append_df("centers", centers, cur)
        store.append_df("agents", agents, cur)
        store.append_df("qa_forms", forms, cur)
        store.append_df("qa_evaluations", ev, cur)
        store.append_df("qa_item_scores", it, cur)
