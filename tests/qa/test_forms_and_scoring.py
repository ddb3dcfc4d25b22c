"""QA forms (pydantic validation) and the one scoring function, against hand calculations.

Demo form weights (data/qa_forms/standard_v1.yaml): greeting 10 (yes_no), empathy 15 (1-5),
clarity 15 (1-5), conciseness 10 (1-5), knowledge_accuracy 20 (points /20), identity_check 10
(yes_no, critical), logging 5, correct_tag 5, resolution_offered 10 (yes_no, N/A allowed) = 100.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from qa_fixtures import FORM, PERFECT, seed_qa

from ops.errors import ConfigError, ValidationError
from ops.qa import evaluation_scores, form_items_frame, score_evaluation, score_item_rows
from ops.qa.forms import FORMS_DIR, load_form, parse_form


def test_demo_form_items_and_weights_are_the_simulators():
    weights = {i.id: i.weight for i in FORM.items}
    assert weights == {
        "greeting": 10, "empathy": 15, "clarity": 15, "conciseness": 10,
        "knowledge_accuracy": 20, "identity_check": 10, "logging": 5, "correct_tag": 5,
        "resolution_offered": 10,
    }  # fmt: skip
    assert FORM.item("identity_check").critical
    assert FORM.item("resolution_offered").na_allowed
    assert FORM.item("knowledge_accuracy").max_points == 20
    assert FORM.target == 85
    fi = form_items_frame(FORM)
    assert len(fi) == 9 and fi["weight"].sum() == 100


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "bad_form.yaml"
    p.write_text(text, encoding="utf-8")
    return p


BASE = """form_id: f
version: 1
name: F
sections:
  - id: s
    name: S
    items:
"""


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ("{id: a, name: A, scale: points, weight: 5}", "sections.0.items.0"),
        ("{id: a, name: A, scale: yes_no, weight: 0}", "sections.0.items.0.weight"),
        ("{id: a, name: A, scale: 1-10, weight: 5}", "sections.0.items.0.scale"),
        ("{id: a, name: A, scale: yes_no, weight: 5, colour: red}", "sections.0.items.0.colour"),
    ],
)
def test_invalid_form_errors_name_file_and_field(tmp_path: Path, item: str, field: str):
    p = _write(tmp_path, BASE + f"      - {item}\n")
    with pytest.raises(ConfigError) as ei:
        load_form(p)
    msg = str(ei.value)
    assert str(p) in msg and f"field {field}" in msg


def test_duplicate_item_ids_and_bad_yaml(tmp_path: Path):
    dup = BASE + "      - {id: a, name: A, scale: yes_no, weight: 1}\n" * 2
    with pytest.raises(ConfigError, match="appears more than once"):
        load_form(_write(tmp_path, dup))
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_form(_write(tmp_path, "form_id: [unclosed"))
    with pytest.raises(ConfigError, match="version"):
        parse_form({"form_id": "x", "version": 0, "name": "x", "sections": []}, "x.yaml")


def test_form_round_trips_through_json():
    import json

    assert parse_form(json.loads(FORM.to_json())) == FORM
    assert load_form(FORMS_DIR / "standard_v1.yaml") == FORM


# ---- hand-computed scores -------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, 100.0),
        # yes_no failed (non-critical): (10000 - 10*100) / 100
        ({"greeting": 0}, 90.0),
        # 1-5 at 2 -> 25: (10000 - 15*75) / 100
        ({"empathy": 2}, 88.75),
        # 1-5 at its minimum is not critical for empathy: (10000 - 15*100) / 100
        ({"empathy": 1}, 85.0),
        # points 13/20 -> 65: (10000 - 20*35) / 100
        ({"knowledge_accuracy": 13}, 93.0),
        # N/A drops out of the weights: empathy 3 -> 50; (8250) / 90
        ({"empathy": 3, "resolution_offered": None}, 8250 / 90),
        # only N/A change: still 100 over 90 weight
        ({"resolution_offered": None}, 100.0),
        # critical item failed: 0 whatever the rest
        ({"identity_check": 0}, 0.0),
        ({"identity_check": 0, "greeting": 0}, 0.0),
    ],
)
def test_demo_form_hand_scores(changes: dict, expected: float):
    assert score_evaluation(FORM, {**PERFECT, **changes}) == pytest.approx(expected)


def test_critical_items_on_each_scale():
    form = parse_form(
        {
            "form_id": "crit", "version": 2, "name": "c",
            "sections": [{"id": "s", "name": "s", "items": [
                {"id": "q", "name": "q", "scale": "1-5", "weight": 1, "critical": True},
                {"id": "p", "name": "p", "scale": "points", "max_points": 4, "weight": 3,
                 "critical": True},
                {"id": "y", "name": "y", "scale": "yes_no", "weight": 1},
            ]}],
        }
    )  # fmt: skip
    # q 4 -> 75, p 2/4 -> 50, y 1 -> 100: (75 + 150 + 100) / 5 = 65
    assert score_evaluation(form, {"q": 4, "p": 2, "y": 1}) == pytest.approx(65.0)
    assert score_evaluation(form, {"q": 1, "p": 4, "y": 1}) == 0.0  # 1-5 critical at 1
    assert score_evaluation(form, {"q": 5, "p": 0, "y": 1}) == 0.0  # points critical at 0
    assert score_evaluation(form, {"q": 5, "p": None, "y": 0}) == pytest.approx(50.0)  # N/A p


def _rows(eid: str, scores: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"evaluation_id": eid, "form_id": "standard", "form_version": 1, "item_id": k,
             "score": v, "is_na": v is None}
            for k, v in scores.items()
        ]
    )  # fmt: skip


def test_vectorised_scoring_many_evaluations_and_stored_flag():
    rows = pd.concat(
        [
            _rows("a", PERFECT),
            _rows("b", {**PERFECT, "greeting": 0}),
            _rows("c", {k: None for k in PERFECT}),
            _rows("d", PERFECT),
        ]
    )
    stored = pd.Series([False, None, False, True], index=["a", "b", "c", "d"])
    out = score_item_rows(rows, form_items_frame(FORM), stored).set_index("evaluation_id")
    assert out.loc["a", "score"] == 100 and not out.loc["a", "critical_fail"]
    assert out.loc["b", "score"] == pytest.approx(90.0)
    assert math.isnan(out.loc["c", "score"]) and out.loc["c", "n_na"] == 9
    # the evaluator's own critical flag zeroes an otherwise perfect evaluation
    assert out.loc["d", "score"] == 0.0 and out.loc["d", "raw_score"] == 100.0
    assert out.loc["d", "critical_fail"]


def test_bad_item_rows_raise_validation_errors():
    fi = form_items_frame(FORM)
    with pytest.raises(ValidationError, match="outside their scale"):
        score_item_rows(_rows("x", {**PERFECT, "empathy": 6}), fi)
    with pytest.raises(ValidationError, match="outside their scale"):
        score_item_rows(_rows("x", {**PERFECT, "greeting": 0.5}), fi)
    with pytest.raises(ValidationError, match="not on form"):
        score_item_rows(_rows("x", {**PERFECT, "smile": 1}), fi)


item_values = st.fixed_dictionaries(
    {
        "greeting": st.sampled_from([0, 1]),
        "empathy": st.integers(1, 5),
        "clarity": st.integers(1, 5),
        "conciseness": st.integers(1, 5),
        "knowledge_accuracy": st.integers(0, 20),
        "identity_check": st.sampled_from([0, 1]),
        "logging": st.sampled_from([0, 1]),
        "correct_tag": st.sampled_from([0, 1]),
        "resolution_offered": st.sampled_from([0, 1, None]),
    }
)


@settings(max_examples=12, deadline=None)
@given(st.lists(item_values, min_size=1, max_size=25))
def test_score_invariants(evaluations: list[dict]):
    # one vectorised call per example: every evaluation twice, as scored and with its N/A items
    # removed from the rows (an N/A item must count exactly as if it were not on the form)
    rows = pd.concat([_rows(f"e{i}", sc) for i, sc in enumerate(evaluations)])
    dropped = rows[~rows["is_na"]].assign(evaluation_id=lambda d: "d" + d["evaluation_id"])
    out = score_item_rows(pd.concat([rows, dropped]), form_items_frame(FORM))
    out = out.set_index("evaluation_id")
    for i, sc in enumerate(evaluations):
        s = out.loc[f"e{i}", "score"]
        assert 0.0 <= s <= 100.0
        if sc["identity_check"] == 0:
            assert s == 0.0 and out.loc[f"e{i}", "critical_fail"]
        assert out.loc[f"de{i}", "score"] == pytest.approx(s)
        # the critical rule only ever lowers a score
        assert out.loc[f"e{i}", "raw_score"] >= s


def test_evaluation_scores_from_the_store(empty_store):
    ev = [
        dict(evaluation_id="E1", agent_id="A1", center_id="SEOUL", evaluator_id="Q1",
             evaluated_at=datetime(2026, 10, 5, 3)),
        dict(evaluation_id="E2", agent_id="B1", center_id="BUSAN", evaluator_id="Q1",
             evaluated_at=datetime(2026, 10, 6, 3)),
        dict(evaluation_id="C1", agent_id="B1", center_id="BUSAN", evaluator_id="Q2",
             evaluated_at=datetime(2026, 10, 6, 4), calibration_session_id="S1"),
        # the evaluator flagged a critical failure on an otherwise perfect sheet
        dict(evaluation_id="E3", agent_id="A1", center_id="SEOUL", evaluator_id="Q1",
             evaluated_at=datetime(2026, 10, 7, 3), critical_fail=True),
        # an evaluation whose item rows never arrived: nothing to score
        dict(evaluation_id="E4", agent_id="A1", center_id="SEOUL", evaluator_id="Q1",
             evaluated_at=datetime(2026, 10, 7, 4)),
    ]  # fmt: skip
    seed_qa(
        empty_store,
        ev,
        {"E1": PERFECT, "E2": {**PERFECT, "empathy": 3, "resolution_offered": None},
         "C1": PERFECT, "E3": PERFECT},
    )  # fmt: skip
    r = empty_store.reader()
    out = evaluation_scores(r).sort_values("evaluation_id")
    assert list(out.columns[:7]) == [
        "evaluation_id", "agent_id", "center_id", "evaluator_id", "evaluated_at", "score",
        "critical_fail",
    ]  # fmt: skip
    assert out["evaluation_id"].tolist() == ["E1", "E2", "E3"]  # calibration left out by default
    # E2: 90 points of weight answered (resolution_offered N/A), 82.5 earned; E3: zeroed
    assert out["score"].tolist() == pytest.approx([100.0, 8250 / 90, 0.0])
    assert out["raw_score"].tolist() == pytest.approx([100.0, 8250 / 90, 100.0])
    assert out["critical_fail"].tolist() == [False, False, True]
    assert out["evaluated_at"].iloc[2] == pd.Timestamp(datetime(2026, 10, 7, 3))
    assert evaluation_scores(r, calibration=True)["evaluation_id"].tolist() == ["C1"]
    assert evaluation_scores(r, "2026-10-06", "2026-10-06")["evaluation_id"].tolist() == ["E2"]
    # a vendor user sees only their own center
    from ops.store import Scope

    assert evaluation_scores(empty_store.reader(Scope.centers("BUSAN")))["agent_id"].tolist() == [
        "B1"
    ]


def test_store_path_rejects_out_of_scale_scores(empty_store):
    ev = [dict(evaluation_id="E1", agent_id="A1", center_id="SEOUL", evaluator_id="Q1",
               evaluated_at=datetime(2026, 10, 5, 3))]  # fmt: skip
    seed_qa(empty_store, ev, {"E1": {**PERFECT, "knowledge_accuracy": 25}})
    with pytest.raises(ValidationError, match="knowledge_accuracy"):
        evaluation_scores(empty_store.reader())


def test_bundled_forms_are_read_again_when_a_form_file_changes(empty_store, tmp_path, monkeypatch):
    import os

    from ops.qa import forms as forms_mod

    src = (FORMS_DIR / "standard_v1.yaml").read_text(encoding="utf-8")
    f = tmp_path / "standard_v1.yaml"
    f.write_text(src, encoding="utf-8")
    monkeypatch.setattr(forms_mod, "FORMS_DIR", tmp_path)
    reader = empty_store.reader()
    first = forms_mod.forms_from_store(reader)
    assert forms_mod.forms_from_store(reader) == first  # unchanged file: same forms
    # a new version of the same form in a second file appears on the next call
    changed = src.replace("version: 1", "version: 2", 1)
    assert changed != src
    (tmp_path / "standard_v2.yaml").write_text(changed, encoding="utf-8")
    second = forms_mod.forms_from_store(reader)
    assert set(second) == set(first) | {("standard", 2)}
    # removing it (a different file list) drops it again
    os.remove(tmp_path / "standard_v2.yaml")
    assert set(forms_mod.forms_from_store(reader)) == set(first)
