"""The one QA scoring function, and the per-evaluation scores every QA view is built on.

Scoring (DESIGN.md "QA score"; the header of ``data/qa_forms/standard_v1.yaml``):

1. each item's raw score becomes 0-100 by its scale (:mod:`ops.qa.forms`);
2. evaluation score = sum(weight * item score) / sum(weight) over the items that are not N/A
   (an N/A item leaves both sums, so the others are re-weighted);
3. if a ``critical`` item is failed (yes_no 0, 1-5 at 1, points 0) the evaluation scores 0 and is
   flagged ``critical_fail``. A ``critical_fail`` flag stored on the evaluation row (an evaluator's
   own verdict) also zeroes it.

An evaluation whose items are all N/A has no score (NaN). Everything else in ``ops.qa`` (scorecards,
trends, coaching, audit gap, calibration, the SLA "QA >= 85" line) calls :func:`score_item_rows` or
:func:`evaluation_scores`, so there is one definition of a QA score.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from ops.errors import ValidationError
from ops.qa.forms import QaForm, form_items_frame, forms_from_store

#: Columns :func:`score_item_rows` needs.
ITEM_ROW_COLUMNS = ["evaluation_id", "form_id", "form_version", "item_id", "score", "is_na"]

#: Columns :func:`evaluation_scores` returns (plus a few descriptive ones after them).
EVALUATION_SCORE_COLUMNS = [
    "evaluation_id",
    "agent_id",
    "center_id",
    "evaluator_id",
    "evaluated_at",
    "score",
    "critical_fail",
]


def normalize_item_scores(item_rows: pd.DataFrame, form_items: pd.DataFrame) -> pd.DataFrame:
    """Item rows with their form attributes and the 0-100 ``item_score``.

    Adds ``weight``, ``scale``, ``critical``, ``item_score`` (NaN when N/A or missing), ``na``
    (N/A or no score) and ``failed`` (a critical-style failure: the scale's minimum). Raises
    :class:`ValidationError` for items not on the form or scores outside the scale.
    """
    missing = [c for c in ITEM_ROW_COLUMNS if c not in item_rows.columns]
    if missing:
        raise ValidationError(f"QA item scores lack column(s) {missing}", column=missing[0])
    rows = item_rows.copy()
    rows["form_version"] = rows["form_version"].astype("int64")
    fi = form_items[
        ["form_id", "form_version", "item_id", "scale", "weight", "max_points", "critical"]
    ]
    merged = rows.merge(fi, on=["form_id", "form_version", "item_id"], how="left", indicator=True)
    unknown = merged[merged["_merge"] == "left_only"]
    if len(unknown):
        r = unknown.iloc[0]
        raise ValidationError(
            f"{len(unknown)} item score(s) name an item that is not on form "
            f"{r['form_id']!r} v{r['form_version']} (first: item {r['item_id']!r} of evaluation "
            f"{r['evaluation_id']!r}); load the form version the evaluations were made with",
            column="item_id",
        )
    merged = merged.drop(columns="_merge")
    raw = pd.to_numeric(merged["score"], errors="coerce").astype("float64")
    is_na = merged["is_na"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    na = is_na | raw.isna().to_numpy()
    scale = merged["scale"].to_numpy()
    lo = np.where(scale == "1-5", 1.0, 0.0)
    hi = np.select(
        [scale == "yes_no", scale == "1-5"], [1.0, 5.0], merged["max_points"].to_numpy(float)
    )
    rv = raw.to_numpy()
    bad = ~na & ((rv < lo - 1e-9) | (rv > hi + 1e-9) | ((scale == "yes_no") & ~np.isin(rv, [0, 1])))
    if bad.any():
        r = merged[bad].iloc[0]
        raise ValidationError(
            f"{int(bad.sum())} item score(s) are outside their scale (first: evaluation "
            f"{r['evaluation_id']!r} item {r['item_id']!r} scale {r['scale']} score {r['score']!r})",
            column="score",
        )
    item_score = np.where(na, np.nan, (rv - lo) / (hi - lo) * 100.0)
    merged["item_score"] = item_score
    merged["na"] = na
    merged["failed"] = ~na & (np.abs(rv - lo) < 1e-9)
    return merged


def score_item_rows(
    item_rows: pd.DataFrame,
    form_items: pd.DataFrame,
    stored_critical_fail: pd.Series | None = None,
) -> pd.DataFrame:
    """Score evaluations from their item rows: one row per evaluation.

    ``item_rows``: ``ITEM_ROW_COLUMNS`` (raw ``score``, ``is_na``). ``form_items``: from
    :func:`ops.qa.forms.form_items_frame`. ``stored_critical_fail``: optional boolean Series indexed
    by evaluation_id (the evaluator's own flag), OR-ed with the item-derived flag.

    Returns ``evaluation_id, score (0-100, NaN if every item is N/A), raw_score (before the critical
    rule), critical_fail, n_items, n_na``.
    """
    m = normalize_item_scores(item_rows, form_items)
    w = np.where(m["na"], 0.0, m["weight"].to_numpy(float))
    m["_w"] = w
    m["_wx"] = np.where(m["na"], 0.0, w * np.nan_to_num(m["item_score"].to_numpy(float)))
    m["_crit"] = m["failed"] & m["critical"].astype(bool)
    g = m.groupby("evaluation_id", sort=False)
    out = pd.DataFrame(
        {
            "wsum": g["_w"].sum(),
            "wxsum": g["_wx"].sum(),
            "critical_fail": g["_crit"].any(),
            "n_items": g["item_id"].count(),
            "n_na": g["na"].sum(),
        }
    )
    if stored_critical_fail is not None and len(stored_critical_fail):
        flag = stored_critical_fail.astype("boolean").fillna(False).astype(bool)
        out["critical_fail"] = out["critical_fail"] | flag.reindex(out.index, fill_value=False)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw_score = np.where(out["wsum"] > 0, out["wxsum"] / out["wsum"], np.nan)
    out["raw_score"] = raw_score
    out["score"] = np.where(out["critical_fail"], 0.0, raw_score)
    out = out.reset_index()[
        ["evaluation_id", "score", "raw_score", "critical_fail", "n_items", "n_na"]
    ]
    out["critical_fail"] = out["critical_fail"].astype(bool)
    out["n_na"] = out["n_na"].astype("int64")
    return out


def score_evaluation(form: QaForm, scores: dict[str, float | None]) -> float:
    """Score one evaluation given ``{item_id: raw score or None for N/A}`` (convenience wrapper)."""
    rows = pd.DataFrame(
        [
            {
                "evaluation_id": "e",
                "form_id": form.form_id,
                "form_version": form.version,
                "item_id": k,
                "score": v,
                "is_na": v is None,
            }
            for k, v in scores.items()
        ]
    )
    return float(score_item_rows(rows, form_items_frame(form))["score"].iloc[0])


def _ts(v: date | datetime | str | None, end: bool = False) -> pd.Timestamp | None:
    if v is None:
        return None
    t = pd.Timestamp(v)
    if end and t == t.normalize() and not (isinstance(v, str) and len(v) > 10):
        t = t + pd.Timedelta(days=1)  # an end *date* is inclusive
    return t


def filtered_evaluations(
    reader: Any,
    start: date | datetime | str | None = None,
    end: date | datetime | str | None = None,
    *,
    calibration: bool | None = False,
    centers: list[str] | None = None,
) -> Any:
    """Ibis expression: ``qa_evaluations`` in [start, end] (end date inclusive, UTC).

    ``calibration``: False = production evaluations only (default), True = calibration-session
    evaluations only, None = both.
    """
    ev = reader.table("qa_evaluations")
    s, e = _ts(start), _ts(end, end=True)
    if s is not None:
        ev = ev.filter(ev.evaluated_at >= s.to_pydatetime())
    if e is not None:
        ev = ev.filter(ev.evaluated_at < e.to_pydatetime())
    if calibration is False:
        ev = ev.filter(ev.calibration_session_id.isnull())
    elif calibration is True:
        ev = ev.filter(ev.calibration_session_id.notnull())
    if centers:
        ev = ev.filter(ev.center_id.isin(list(centers)))
    return ev


def item_rows(
    reader: Any,
    start: date | datetime | str | None = None,
    end: date | datetime | str | None = None,
    *,
    calibration: bool | None = False,
    centers: list[str] | None = None,
) -> pd.DataFrame:
    """Item-score rows joined to their evaluation's metadata (one DuckDB query)."""
    ev = filtered_evaluations(reader, start, end, calibration=calibration, centers=centers)
    it = reader.table("qa_item_scores")
    j = ev.join(it.select("evaluation_id", "item_id", "score", "is_na"), "evaluation_id")
    cols = [
        "evaluation_id",
        "contact_id",
        "agent_id",
        "center_id",
        "evaluator_id",
        "evaluator_org",
        "form_id",
        "form_version",
        "critical_fail",
        "evaluated_at",
        "calibration_session_id",
        "item_id",
        "score",
        "is_na",
    ]
    return reader.execute(j.select(*cols))


def evaluation_scores(
    reader: Any,
    start: date | datetime | str | None = None,
    end: date | datetime | str | None = None,
    *,
    calibration: bool | None = False,
    centers: list[str] | None = None,
    forms: dict[tuple[str, int], QaForm] | None = None,
) -> pd.DataFrame:
    """One row per evaluation with its 0-100 score (the public QA score, used by SLA too).

    Columns: ``evaluation_id, agent_id, center_id, evaluator_id, evaluated_at, score,
    critical_fail`` then ``contact_id, evaluator_org, form_id, form_version, calibration_session_id,
    raw_score, n_items, n_na``. Production evaluations only unless ``calibration`` says otherwise.
    """
    rows = item_rows(reader, start, end, calibration=calibration, centers=centers)
    meta_cols = [
        "evaluation_id",
        "agent_id",
        "center_id",
        "evaluator_id",
        "evaluated_at",
        "contact_id",
        "evaluator_org",
        "form_id",
        "form_version",
        "calibration_session_id",
        "critical_fail",
    ]
    out_cols = EVALUATION_SCORE_COLUMNS + [
        "contact_id",
        "evaluator_org",
        "form_id",
        "form_version",
        "calibration_session_id",
        "raw_score",
        "n_items",
        "n_na",
    ]
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in out_cols}).astype(
            {"score": "float64", "critical_fail": "bool", "evaluated_at": "datetime64[us]"}
        )
    forms = forms if forms is not None else forms_from_store(reader)
    meta = rows[meta_cols].drop_duplicates("evaluation_id").set_index("evaluation_id")
    scored = score_item_rows(rows, form_items_frame(forms), meta["critical_fail"])
    meta = meta.drop(columns="critical_fail").reset_index()
    out = meta.merge(scored, on="evaluation_id", how="inner")
    return out[out_cols].sort_values(["evaluated_at", "evaluation_id"], ignore_index=True)
