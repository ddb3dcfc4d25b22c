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

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import ibis
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


#: The evaluation columns :func:`evaluation_scores_expr` carries by default.
EVALUATION_META = (
    "agent_id", "center_id", "evaluator_id", "evaluated_at", "contact_id", "evaluator_org",
    "form_id", "form_version", "calibration_session_id", "evaluated_local",
)  # fmt: skip

# form-item tables by content: the same forms give the same in-memory table object, so the
# expressions built on it are equal from call to call (their compiled SQL is reused, see
# ops/store/compiled.py) and the backend registers it once instead of once per query
_FORM_ITEM_TABLES: OrderedDict[str, Any] = OrderedDict()
_MAX_FORM_ITEM_TABLES = 32


def _form_items_table(form_items: pd.DataFrame) -> Any:
    fi = form_items[
        ["form_id", "form_version", "item_id", "scale", "weight", "max_points", "critical"]
    ].copy()
    fi["form_version"] = fi["form_version"].astype("int64")
    fi["weight"] = fi["weight"].astype("float64")
    fi["max_points"] = fi["max_points"].astype("float64")
    fi["critical"] = fi["critical"].astype(bool)
    fi = fi.reset_index(drop=True)
    digest = hashlib.sha256(pd.util.hash_pandas_object(fi, index=False).to_numpy().tobytes())
    digest.update(repr([(c, str(t)) for c, t in fi.dtypes.items()]).encode())
    key = digest.hexdigest()[:24]
    table = _FORM_ITEM_TABLES.get(key)
    if table is None:
        table = ibis.memtable(fi)
        _FORM_ITEM_TABLES[key] = table
        while len(_FORM_ITEM_TABLES) > _MAX_FORM_ITEM_TABLES:
            _FORM_ITEM_TABLES.popitem(last=False)
    return table


def normalized_items_expr(items: Any, form_items: pd.DataFrame) -> Any:
    """Ibis: item rows (``ITEM_ROW_COLUMNS`` plus any others) with their form attributes and
    ``item_score`` (0-100, NULL when N/A), ``na``, ``failed`` (at the scale's minimum), ``known``
    (the item is on the form) and ``bad`` (score outside its scale)."""
    fi = _form_items_table(form_items)
    j = items.left_join(fi, ["form_id", "form_version", "item_id"])
    j = j.drop(*[c for c in j.columns if c.endswith("_right")])
    raw = j.score.cast("float64")
    na = j.is_na.fill_null(False) | raw.isnull()
    lo = ibis.ifelse(j.scale == "1-5", 1.0, 0.0)
    hi = (ibis.cases((j.scale == "yes_no", 1.0), (j.scale == "1-5", 5.0), else_=j.max_points)).cast(
        "float64"
    )
    known = j.scale.notnull()
    bad = (
        ~na
        & known
        & ((raw < lo - 1e-9) | (raw > hi + 1e-9) | ((j.scale == "yes_no") & ~raw.isin([0.0, 1.0])))
    )
    item_score = ibis.ifelse(na, ibis.null("float64"), (raw - lo) / (hi - lo) * 100.0)
    return j.mutate(
        item_score=item_score,
        na=na,
        failed=~na & ((raw - lo).abs() < 1e-9),
        known=known,
        bad=bad,
    )


def _check_items(norm: Any, execute: Any) -> None:
    """Raise :class:`ValidationError` for items not on their form or scores outside the scale."""
    probe = norm.filter(~norm.known | norm.bad)
    summary = execute(
        probe.aggregate(
            unknown=probe.count(where=~probe.known),
            bad=probe.count(where=probe.bad),
        )
    )
    n_unknown = int(summary["unknown"].fillna(0).iloc[0])
    n_bad = int(summary["bad"].fillna(0).iloc[0])
    if n_unknown:
        r = execute(
            probe.filter(~probe.known)
            .select("evaluation_id", "form_id", "form_version", "item_id")
            .order_by(["evaluation_id", "item_id"])
            .limit(1)
        ).iloc[0]
        raise ValidationError(
            f"{n_unknown} item score(s) name an item that is not on form "
            f"{r['form_id']!r} v{r['form_version']} (first: item {r['item_id']!r} of evaluation "
            f"{r['evaluation_id']!r}); load the form version the evaluations were made with",
            column="item_id",
        )
    if n_bad:
        r = execute(
            probe.filter(probe.bad)
            .select("evaluation_id", "item_id", "scale", "score")
            .order_by(["evaluation_id", "item_id"])
            .limit(1)
        ).iloc[0]
        raise ValidationError(
            f"{n_bad} item score(s) are outside their scale (first: evaluation "
            f"{r['evaluation_id']!r} item {r['item_id']!r} scale {r['scale']} score {r['score']!r})",
            column="score",
        )


def evaluation_score_expr(
    norm: Any,
    stored_critical_fail: Any = None,
    *,
    stored_flag_column: str | None = None,
    carry: Sequence[str] = (),
) -> Any:
    """Ibis: one row per evaluation from normalized item rows (the QA score definition).

    ``stored_critical_fail``: optional Ibis table ``evaluation_id, critical_fail`` (the evaluator's
    own flag), OR-ed with the item-derived flag. When the item rows already carry the evaluation's
    columns (joined from ``qa_evaluations``), ``stored_flag_column`` names the flag among them and
    ``carry`` the columns to keep: they are taken in the same ``GROUP BY`` (one value per
    evaluation), so the evaluations are read once, not joined back. Columns: ``evaluation_id,
    score, raw_score, critical_fail, n_items, n_na, n_invalid`` (items not on the form or outside
    their scale: callers raise through :func:`_check_items` when any is non-zero) and ``carry``.
    """
    w = ibis.ifelse(norm.na, 0.0, norm.weight)
    wx = ibis.ifelse(norm.na, 0.0, norm.weight * norm.item_score.fill_null(0.0))
    extra: dict[str, Any] = {c: norm[c].arbitrary() for c in carry}
    if stored_flag_column is not None:
        extra["_stored_flag"] = norm[stored_flag_column].fill_null(False).any()
    agg = norm.group_by("evaluation_id").aggregate(
        wsum=w.sum(),
        wxsum=wx.sum(),
        crit=(norm.failed & norm.critical.fill_null(False)).any(),
        n_items=norm.count(),
        n_na=norm.na.cast("int64").sum(),
        n_invalid=norm.count(where=~norm.known | norm.bad),
        **extra,
    )
    crit = agg.crit.fill_null(False)
    if stored_flag_column is not None:
        crit = crit | agg._stored_flag.fill_null(False)
    if stored_critical_fail is not None:
        sf = stored_critical_fail.select(
            "evaluation_id", stored_flag=stored_critical_fail.critical_fail.fill_null(False)
        )
        agg = agg.left_join(sf, "evaluation_id")
        agg = agg.drop(*[c for c in agg.columns if c.endswith("_right")])
        crit = crit | agg.stored_flag.fill_null(False)
    raw = ibis.ifelse(agg.wsum > 0, agg.wxsum / agg.wsum, ibis.null("float64"))
    return agg.select(
        "evaluation_id",
        *carry,
        score=ibis.ifelse(crit, 0.0, raw),
        raw_score=raw,
        critical_fail=crit,
        n_items=agg.n_items,
        n_na=agg.n_na,
        n_invalid=agg.n_invalid,
    )


def normalize_item_scores(item_rows: pd.DataFrame, form_items: pd.DataFrame) -> pd.DataFrame:
    """Pandas wrapper of :func:`normalized_items_expr` (validates like the store path)."""
    missing = [c for c in ITEM_ROW_COLUMNS if c not in item_rows.columns]
    if missing:
        raise ValidationError(f"QA item scores lack column(s) {missing}", column=missing[0])
    rows = _typed_rows(item_rows)
    norm = normalized_items_expr(ibis.memtable(rows), form_items)
    out = _execute(norm.order_by("_row"))
    if (~out["known"].astype(bool)).any() or out["bad"].astype(bool).any():
        _check_items(norm, _execute)
    return out.drop(columns=["_row", "known", "bad"])


def _typed_rows(item_rows: pd.DataFrame) -> pd.DataFrame:
    rows = item_rows.copy()
    rows["_row"] = np.arange(len(rows))
    rows["form_version"] = rows["form_version"].astype("int64")
    rows["score"] = pd.to_numeric(rows["score"], errors="coerce").astype("float64")
    rows["is_na"] = rows["is_na"].astype("boolean").fillna(False).astype(bool)
    for c in ("evaluation_id", "form_id", "item_id"):
        rows[c] = rows[c].astype(str)
    return rows


def _execute(expr: Any) -> pd.DataFrame:
    return expr.execute()


def score_item_rows(
    item_rows: pd.DataFrame,
    form_items: pd.DataFrame,
    stored_critical_fail: pd.Series | None = None,
) -> pd.DataFrame:
    """Score evaluations from their item rows: one row per evaluation (pandas in, pandas out).

    ``item_rows``: ``ITEM_ROW_COLUMNS`` (raw ``score``, ``is_na``). ``form_items``: from
    :func:`ops.qa.forms.form_items_frame`. ``stored_critical_fail``: optional boolean Series indexed
    by evaluation_id (the evaluator's own flag), OR-ed with the item-derived flag. Runs the same
    Ibis expressions as :func:`evaluation_scores` (on an in-memory DuckDB).

    Returns ``evaluation_id, score (0-100, NaN if every item is N/A), raw_score (before the critical
    rule), critical_fail, n_items, n_na``.
    """
    missing = [c for c in ITEM_ROW_COLUMNS if c not in item_rows.columns]
    if missing:
        raise ValidationError(f"QA item scores lack column(s) {missing}", column=missing[0])
    norm = normalized_items_expr(ibis.memtable(_typed_rows(item_rows)), form_items)
    stored = None
    if stored_critical_fail is not None and len(stored_critical_fail):
        flags = pd.DataFrame(
            {
                "evaluation_id": stored_critical_fail.index.astype(str),
                "critical_fail": stored_critical_fail.astype("boolean")
                .fillna(False)
                .to_numpy(bool),
            }
        )
        stored = ibis.memtable(flags)
    out = _execute(evaluation_score_expr(norm, stored))
    if out["n_invalid"].sum():
        _check_items(norm, _execute)
    order = pd.unique(item_rows["evaluation_id"].astype(str))
    out = out.set_index("evaluation_id").reindex(order).reset_index()
    out["critical_fail"] = out["critical_fail"].astype(bool)
    out["n_na"] = out["n_na"].astype("int64")
    out["score"] = out["score"].astype("float64")
    out["raw_score"] = out["raw_score"].astype("float64")
    return out[["evaluation_id", "score", "raw_score", "critical_fail", "n_items", "n_na"]]


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
    """Ibis expression: ``qa_evaluations`` in [start, end] (end date inclusive) with
    ``evaluated_local``, the evaluation instant on its center's clock.

    ``start``/``end`` are the center's local dates (or local datetimes), like every period in
    ccops: an evaluation at 2026-09-30 15:30 UTC in Seoul is on 2026-10-01. ``calibration``:
    False = production evaluations only (default), True = calibration-session evaluations only,
    None = both.
    """
    from ops.sla.local_time import center_local_time

    ev = reader.table("qa_evaluations")
    ev = ev.mutate(evaluated_local=center_local_time(reader, ev, ev.evaluated_at))
    s, e = _ts(start), _ts(end, end=True)
    if s is not None:
        ev = ev.filter(ev.evaluated_local >= s.to_pydatetime())
    if e is not None:
        ev = ev.filter(ev.evaluated_local < e.to_pydatetime())
    if calibration is False:
        ev = ev.filter(ev.calibration_session_id.isnull())
    elif calibration is True:
        ev = ev.filter(ev.calibration_session_id.notnull())
    if centers:
        ev = ev.filter(ev.center_id.isin(list(centers)))
    return ev


def item_rows_expr(reader: Any, ev: Any) -> Any:
    """Ibis: item-score rows of the evaluations ``ev`` with their evaluation's metadata."""
    it = reader.table("qa_item_scores").select("evaluation_id", "item_id", "score", "is_na")
    return ev.join(it, "evaluation_id")


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
    j = item_rows_expr(reader, ev)
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


def evaluation_scores_expr(
    reader: Any,
    start: date | datetime | str | None = None,
    end: date | datetime | str | None = None,
    *,
    calibration: bool | None = False,
    centers: list[str] | None = None,
    forms: dict[tuple[str, int], QaForm] | None = None,
    meta: Sequence[str] | None = None,
) -> tuple[Any, Any]:
    """Ibis ``(scores, norm)``: one row per evaluation with its 0-100 ``score`` (the QA score).

    ``scores`` has the evaluation metadata (``EVALUATION_SCORE_COLUMNS``, ``contact_id``,
    ``evaluator_org``, ``form_id``, ``form_version``, ``calibration_session_id``,
    ``evaluated_local``) and ``raw_score, n_items, n_na, n_invalid``; ``norm`` is the normalized item rows (for :func:`_check_items`).
    This is the expression every QA number is built on: :func:`evaluation_scores` executes it, and
    the SLA engine aggregates it in its own ``GROUP BY`` (``ops.sla`` metric ``qa_score``), so a
    contract's "QA >= 85" line and the QA scorecard read the same scores.
    """
    forms = forms if forms is not None else forms_from_store(reader)
    ev = filtered_evaluations(reader, start, end, calibration=calibration, centers=centers)
    norm = normalized_items_expr(item_rows_expr(reader, ev), form_items_frame(forms))
    # the item rows carry their evaluation's columns: one scan of the evaluations, one GROUP BY
    # (an evaluation without item rows has no score, as with an inner join back to them)
    meta = tuple(EVALUATION_META if meta is None else meta)
    scored = evaluation_score_expr(norm, stored_flag_column="critical_fail", carry=meta)
    rest = [c for c in scored.columns if c != "evaluation_id" and c not in meta]
    return scored.select("evaluation_id", *meta, *rest), norm


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
    raw_score, n_items, n_na, evaluated_local`` (the center's clock; ``start``/``end`` are local
    dates). Production evaluations only unless ``calibration`` says otherwise.
    The scoring runs in the store's engine (DuckDB, :func:`evaluation_scores_expr`); only the
    per-evaluation rows come back.
    """
    j, norm = evaluation_scores_expr(
        reader, start, end, calibration=calibration, centers=centers, forms=forms
    )
    out_cols = EVALUATION_SCORE_COLUMNS + [
        "contact_id",
        "evaluator_org",
        "form_id",
        "form_version",
        "calibration_session_id",
        "raw_score",
        "n_items",
        "n_na",
        "evaluated_local",
    ]
    out = reader.execute(
        j.select(*out_cols, "n_invalid").order_by(["evaluated_at", "evaluation_id"])
    )
    if out["n_invalid"].sum():
        _check_items(norm, reader.execute)
    out = out.drop(columns="n_invalid")
    out["critical_fail"] = out["critical_fail"].astype(bool)
    out["score"] = out["score"].astype("float64")
    return out.reset_index(drop=True)
