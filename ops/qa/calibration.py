"""QA calibration: do evaluators score the same contact the same way?

In a calibration session several evaluators score the same contacts (``qa_evaluations`` rows that
share a ``calibration_session_id``). The unit of agreement is one (session, contact); the raters are
the evaluators. This module reports:

* **spread per item**: standard deviation and range of the 0-100 item scores across evaluators on
  the same unit, averaged over units, and the share of units where every evaluator agreed;
* **agreement per item** on the raw scale values: Fleiss' kappa (statsmodels, on units rated by the
  usual panel size), the mean of pairwise Cohen's kappas (statsmodels), Krippendorff's alpha
  (``krippendorff`` package, ordinal and interval levels; N/A counts as missing);
* **evaluator leniency**: for each evaluation in a unit, its score minus the mean score of the
  *other* evaluators on that unit (leave-one-out panel mean); averaged per evaluator with a t
  interval. Positive = more lenient than the panel. It uses the score *before* the critical rule
  (``raw_score``) by default: one critical fail moves an evaluation by ~85 points and would drown
  the evaluator's general generosity; disagreement on critical items shows in their own agreement
  rows.
"""

from __future__ import annotations

import itertools
import math
from datetime import date, datetime
from typing import Any

import krippendorff
import numpy as np
import pandas as pd
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

from ops.qa.forms import forms_from_store
from ops.qa.scorecards import normalized_items
from ops.qa.scoring import evaluation_scores
from ops.qa.stats import t_frame

DateLike = date | datetime | str | None
UNIT = ["calibration_session_id", "contact_id"]


def _safe(fn: Any, *args: Any, **kw: Any) -> float:
    """Agreement statistics are undefined when every rating is the same; report NaN then."""
    try:
        with np.errstate(invalid="ignore", divide="ignore"):
            v = float(fn(*args, **kw))
    except (ValueError, ZeroDivisionError, FloatingPointError):
        return math.nan
    return v if np.isfinite(v) else math.nan


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa of two raters' labels (statsmodels ``cohens_kappa`` on their crosstab)."""
    cats = np.union1d(a, b)
    idx = {c: i for i, c in enumerate(cats)}
    table = np.zeros((len(cats), len(cats)))
    for x, y in zip(a, b, strict=True):
        table[idx[x], idx[y]] += 1
    return _safe(lambda t: cohens_kappa(t).kappa, table)


def fleiss(matrix: np.ndarray) -> float:
    """Fleiss' kappa of a units x raters label matrix with no missing values."""
    if matrix.shape[0] < 1 or matrix.shape[1] < 2:
        return math.nan
    counts, _ = aggregate_raters(matrix)
    return _safe(fleiss_kappa, counts, method="fleiss")


def kripp_alpha(rater_by_unit: np.ndarray, level: str) -> float:
    """Krippendorff's alpha of a raters x units matrix (NaN = missing) at ``level``."""
    if rater_by_unit.size == 0 or np.sum(~np.isnan(rater_by_unit)) < 2:
        return math.nan
    return _safe(krippendorff.alpha, reliability_data=rater_by_unit, level_of_measurement=level)


def item_agreement_stats(ratings: pd.DataFrame) -> dict[str, float]:
    """Agreement of one item. ``ratings``: columns unit, evaluator_id, value (NaN = N/A)."""
    wide = ratings.pivot_table(
        index="unit", columns="evaluator_id", values="value", aggfunc="first", dropna=False
    )
    # pivot_table drops all-NaN columns/rows; keep what is there
    mat = wide.to_numpy(dtype=float)
    out: dict[str, float] = {
        "n_units": float(wide.shape[0]),
        "n_evaluators": float(wide.shape[1]),
    }
    # Fleiss: units rated by the usual (modal) number of evaluators, using those ratings
    rated = ~np.isnan(mat)
    per_unit = rated.sum(axis=1)
    if len(per_unit) and per_unit.max() >= 2:
        k = int(pd.Series(per_unit[per_unit >= 2]).mode().max())
        rows = [mat[i, rated[i]] for i in range(mat.shape[0]) if per_unit[i] == k]
        out["fleiss_kappa"] = fleiss(np.array(rows)) if rows else math.nan
        out["fleiss_units"] = float(len(rows))
    else:
        out["fleiss_kappa"], out["fleiss_units"] = math.nan, 0.0
    kappas = []
    for i, j in itertools.combinations(range(mat.shape[1]), 2):
        both = rated[:, i] & rated[:, j]
        if both.sum() >= 2:
            kappas.append(cohen_kappa(mat[both, i], mat[both, j]))
    finite = [x for x in kappas if np.isfinite(x)]
    out["cohen_kappa_mean"] = float(np.mean(finite)) if finite else math.nan
    out["cohen_pairs"] = float(len(finite))
    out["alpha_ordinal"] = kripp_alpha(mat.T, "ordinal")
    out["alpha_interval"] = kripp_alpha(mat.T, "interval")
    return out


def calibration_items(reader: Any, start: DateLike = None, end: DateLike = None) -> pd.DataFrame:
    """Normalized item rows of calibration evaluations (``item_score`` 0-100, raw ``score``)."""
    return normalized_items(reader, start, end, calibration=True)


def _with_unit(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["unit"] = df["calibration_session_id"].astype(str) + "|" + df["contact_id"].astype(str)
    return df


def item_spread(items: pd.DataFrame) -> pd.DataFrame:
    """Per item: units, mean SD and mean range of 0-100 item scores across evaluators, and the
    share of units where all evaluators gave the same score (N/A excluded; units with >= 2)."""
    it = _with_unit(items[~items["na"]])
    g = it.groupby(["item_id", "item_name", "unit"])["item_score"]
    per = pd.DataFrame(
        {"n": g.size(), "sd": g.std(ddof=1), "range": g.max() - g.min()}
    ).reset_index()
    per = per[per["n"] >= 2]
    out = (
        per.groupby(["item_id", "item_name"])
        .agg(
            n_units=("unit", "size"),
            mean_sd=("sd", "mean"),
            mean_range=("range", "mean"),
            max_range=("range", "max"),
            unanimous_share=("range", lambda r: float((r == 0).mean())),
        )
        .reset_index()
    )
    return out.sort_values("mean_sd", ascending=False, ignore_index=True)


def agreement(items: pd.DataFrame, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Agreement per item on raw scale values (see module doc), plus a row ``(evaluation score)``
    with Krippendorff's interval alpha on the 0-100 evaluation scores when ``scores`` is given."""
    it = _with_unit(items)
    it["value"] = np.where(it["na"], np.nan, pd.to_numeric(it["score"], errors="coerce"))
    rows = []
    for (item_id, item_name), g in it.groupby(["item_id", "item_name"], sort=False):
        st = item_agreement_stats(g[["unit", "evaluator_id", "value"]])
        rows.append({"item_id": item_id, "item_name": item_name, **st})
    if scores is not None and len(scores):
        sc = _with_unit(scores)
        wide = sc.pivot_table(index="unit", columns="evaluator_id", values="score", aggfunc="first")
        mat = wide.to_numpy(dtype=float)
        rows.append(
            {
                "item_id": "(evaluation score)",
                "item_name": "Evaluation score 0-100",
                "n_units": float(wide.shape[0]),
                "n_evaluators": float(wide.shape[1]),
                "fleiss_kappa": math.nan,
                "fleiss_units": 0.0,
                "cohen_kappa_mean": math.nan,
                "cohen_pairs": 0.0,
                "alpha_ordinal": kripp_alpha(mat.T, "ordinal"),
                "alpha_interval": kripp_alpha(mat.T, "interval"),
            }
        )
    out = pd.DataFrame(rows)
    for c in ("n_units", "n_evaluators", "fleiss_units", "cohen_pairs"):
        if c in out:
            out[c] = out[c].astype("int64")
    return out


def evaluator_leniency(
    scores: pd.DataFrame, column: str = "raw_score", confidence: float = 0.95
) -> pd.DataFrame:
    """Mean of (evaluator's score - mean of the other evaluators on the same unit), per evaluator.

    ``scores``: one row per calibration evaluation with ``calibration_session_id, contact_id,
    evaluator_id`` and ``column``. Units with fewer than two scored evaluations are skipped.
    Columns: ``evaluator_id, n_units, leniency, ci_low, ci_high, mean_score, rank`` (1 = most
    lenient), sorted by leniency descending.
    """
    sc = _with_unit(scores.dropna(subset=[column]))
    g = sc.groupby("unit")[column]
    k = g.transform("size")
    total = g.transform("sum")
    sc = sc[k >= 2].copy()
    k, total = k[k >= 2], total[k >= 2]
    sc["deviation"] = sc[column] - (total - sc[column]) / (k - 1)
    out = (
        sc.groupby("evaluator_id")
        .agg(
            n_units=("deviation", "size"),
            leniency=("deviation", "mean"),
            sd=("deviation", "std"),
            mean_score=(column, "mean"),
        )
        .reset_index()
    )
    ci = t_frame(out["leniency"], out["sd"], out["n_units"], confidence)
    out["ci_low"], out["ci_high"] = ci["lo"], ci["hi"]
    out = out.sort_values("leniency", ascending=False, ignore_index=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out[["evaluator_id", "n_units", "leniency", "ci_low", "ci_high", "mean_score", "rank"]]


def calibration_report(
    reader: Any, start: DateLike = None, end: DateLike = None
) -> dict[str, pd.DataFrame]:
    """``{"leniency", "agreement", "spread"}`` frames over calibration sessions in [start, end]."""
    forms = forms_from_store(reader)
    scores = evaluation_scores(reader, start, end, calibration=True, forms=forms)
    items = calibration_items(reader, start, end)
    if scores.empty or items.empty:
        empty = pd.DataFrame()
        return {"leniency": empty, "agreement": empty, "spread": empty}
    return {
        "leniency": evaluator_leniency(scores),
        "agreement": agreement(items, scores),
        "spread": item_spread(items),
    }
