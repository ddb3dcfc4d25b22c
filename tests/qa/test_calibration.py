"""Calibration statistics against published values, statsmodels/krippendorff and hand tables."""

from __future__ import annotations

from datetime import datetime

import krippendorff
import numpy as np
import pandas as pd
import pytest
from qa_fixtures import PERFECT, seed_qa
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

from ops.qa import calibration_report, evaluator_leniency
from ops.qa.calibration import cohen_kappa, fleiss, item_agreement_stats, kripp_alpha

NAN = np.nan


def test_cohen_kappa_by_hand():
    a = np.array([1, 1, 0, 0, 1, 0, 1, 1, 0, 1])
    b = np.array([1, 0, 0, 0, 1, 0, 1, 1, 1, 1])
    # observed agreement 8/10; both raters say 1 six times: p_e = .6*.6 + .4*.4 = .52
    # kappa = (.8 - .52) / (1 - .52) = 0.58333
    assert cohen_kappa(a, b) == pytest.approx(0.28 / 0.48)


def test_cohen_kappa_matches_statsmodels_on_three_categories():
    a = np.array([1, 2, 3, 3, 2, 1, 2, 3, 1, 2, 2, 3])
    b = np.array([1, 2, 3, 2, 2, 1, 3, 3, 1, 2, 1, 3])
    table = pd.crosstab(a, b).to_numpy()
    assert cohen_kappa(a, b) == pytest.approx(cohens_kappa(table).kappa)


def _labels_from_counts(counts: list[list[int]]) -> np.ndarray:
    return np.array([[c for c, k in enumerate(row) for _ in range(k)] for row in counts])


# Fleiss (1971) worked example as reproduced in Wikipedia "Fleiss' kappa": 10 subjects,
# 14 raters, 5 categories; kappa = 0.210.
FLEISS_COUNTS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip


def test_fleiss_kappa_published_example():
    labels = _labels_from_counts(FLEISS_COUNTS)
    assert fleiss(labels) == pytest.approx(0.210, abs=5e-4)
    assert fleiss(labels) == pytest.approx(fleiss_kappa(np.array(FLEISS_COUNTS)))


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4 observers x 12 units
# example with missing values: nominal 0.743, ordinal 0.815, interval 0.849.
KRIPP = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
)


def test_krippendorff_alpha_published_example():
    assert kripp_alpha(KRIPP, "ordinal") == pytest.approx(0.815, abs=5e-4)
    assert kripp_alpha(KRIPP, "interval") == pytest.approx(0.849, abs=5e-4)


def test_item_agreement_stats_match_the_libraries():
    # 3 evaluators x 6 units, 1-5 scale, one missing rating
    ratings = {
        "X": [5, 4, 3, 5, 2, 4],
        "Y": [5, 4, 4, 5, 2, 3],
        "Z": [4, 4, 3, 5, NAN, 4],
    }
    rows = [
        {"unit": f"u{i}", "evaluator_id": ev, "value": v}
        for ev, vals in ratings.items()
        for i, v in enumerate(vals)
    ]
    st = item_agreement_stats(pd.DataFrame(rows))
    mat = np.array([ratings["X"], ratings["Y"], ratings["Z"]], dtype=float)  # raters x units
    assert st["alpha_interval"] == pytest.approx(
        krippendorff.alpha(reliability_data=mat, level_of_measurement="interval")
    )
    assert st["alpha_ordinal"] == pytest.approx(
        krippendorff.alpha(reliability_data=mat, level_of_measurement="ordinal")
    )
    # Fleiss on the 5 units every evaluator rated
    full = mat[:, [0, 1, 2, 3, 5]].T  # u4 lacks Z's rating
    assert st["fleiss_units"] == 5
    assert st["fleiss_kappa"] == pytest.approx(fleiss_kappa(aggregate_raters(full)[0]))
    pairs = [
        cohens_kappa(pd.crosstab(mat[i, m], mat[j, m]).reindex(
            index=sorted(set(mat[i, m]) | set(mat[j, m])),
            columns=sorted(set(mat[i, m]) | set(mat[j, m])), fill_value=0).to_numpy()).kappa
        for i, j in ((0, 1), (0, 2), (1, 2))
        for m in [~np.isnan(mat[i]) & ~np.isnan(mat[j])]
    ]  # fmt: skip
    assert st["cohen_kappa_mean"] == pytest.approx(np.mean(pairs))


def test_perfect_agreement_constant_ratings_is_nan_not_an_error():
    rows = [{"unit": f"u{i}", "evaluator_id": e, "value": 1.0} for i in range(3) for e in "XY"]
    st = item_agreement_stats(pd.DataFrame(rows))
    assert np.isnan(st["alpha_interval"])


def test_leniency_leave_one_out_by_hand():
    scores = pd.DataFrame(
        {
            "calibration_session_id": ["S"] * 6,
            "contact_id": ["c1"] * 3 + ["c2"] * 3,
            "evaluator_id": ["X", "Y", "Z"] * 2,
            "score": [90, 80, 70, 100, 85, 70],
        }
    )
    out = evaluator_leniency(scores, column="score").set_index("evaluator_id")
    # X: c1 90 - (80+70)/2 = 15, c2 100 - (85+70)/2 = 22.5 -> 18.75
    assert out.loc["X", "leniency"] == pytest.approx(18.75)
    assert out.loc["Y", "leniency"] == pytest.approx(0.0)
    assert out.loc["Z", "leniency"] == pytest.approx(-18.75)
    assert out["rank"].to_dict() == {"X": 1, "Y": 2, "Z": 3}
    # t interval over the two deviations 15, 22.5: sd = 5.303, t(.975, 1) = 12.706
    assert out.loc["X", "ci_high"] - out.loc["X", "leniency"] == pytest.approx(
        12.7062 * 5.3033 / np.sqrt(2), rel=1e-3
    )


def test_calibration_report_from_the_store(empty_store):
    # session S1: three evaluators score contacts k1, k2; L is lenient, H is harsh
    plans = {
        "L": [PERFECT, {**PERFECT, "empathy": 4}],
        "M": [{**PERFECT, "empathy": 4}, {**PERFECT, "empathy": 3}],
        "H": [{**PERFECT, "empathy": 3}, {**PERFECT, "empathy": 2, "clarity": 3}],
    }
    evs, items = [], {}
    for ev_id, plan in plans.items():
        for k, sc in enumerate(plan):
            eid = f"{ev_id}{k}"
            evs.append(dict(evaluation_id=eid, contact_id=f"k{k}", agent_id="A1",
                            center_id="SEOUL", evaluator_id=ev_id, calibration_session_id="S1",
                            evaluated_at=datetime(2026, 10, 1, 5)))  # fmt: skip
            items[eid] = sc
    seed_qa(empty_store, evs, items)
    rep = calibration_report(empty_store.reader())
    assert rep["leniency"]["evaluator_id"].tolist() == ["L", "M", "H"]
    agr = rep["agreement"].set_index("item_id")
    assert agr.loc["greeting", "n_units"] == 2
    spread = rep["spread"].set_index("item_id")
    # empathy on k0: 100, 75, 50 -> range 50; on k1: 75, 50, 25 -> range 50
    assert spread.loc["empathy", "mean_range"] == pytest.approx(50.0)
    assert spread.loc["greeting", "unanimous_share"] == 1.0
