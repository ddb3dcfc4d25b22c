"""QA scorecards: scores per agent, team, center, vendor and evaluator; trends; item weaknesses;
the coaching list; the in-house audit gap of vendor centers; QA vs CSAT/CES.

All of them start from :func:`ops.qa.scoring.evaluation_scores` (or the normalized item rows), so a
number on the QA page, in the CLI and in an SLA contract line is the same number.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from ops.errors import CcopsError
from ops.qa.forms import QaForm, form_items_frame, forms_from_store
from ops.qa.scoring import (
    _check_items,
    evaluation_scores,
    filtered_evaluations,
    item_rows_expr,
    normalized_items_expr,
)
from ops.qa.stats import t_frame, wilson_frame

GroupBy = Literal["agent", "team", "center", "vendor", "evaluator", "evaluator_org"]
DateLike = date | datetime | str | None

_GROUP_COLUMNS: dict[str, list[str]] = {
    "agent": ["agent_id", "agent_name", "team", "center_id"],
    "team": ["center_id", "team"],
    "center": ["center_id", "center_kind"],
    "vendor": ["center_kind", "vendor"],
    "evaluator": ["evaluator_id", "evaluator_org"],
    "evaluator_org": ["evaluator_org"],
}


def _default_target(forms: dict[tuple[str, int], QaForm]) -> float:
    targets = {f.target for f in forms.values()}
    return float(targets.pop()) if len(targets) == 1 else 85.0


def with_org(reader: Any, scores: pd.DataFrame) -> pd.DataFrame:
    """Add ``agent_name, team`` (agents) and ``center_kind, vendor`` (centers) to a score frame."""
    agents = reader.execute(reader.table("agents").select("agent_id", "name", "team"))
    centers = reader.execute(reader.table("centers").select("center_id", "kind", "vendor_name"))
    out = scores.merge(
        agents.rename(columns={"name": "agent_name"}), on="agent_id", how="left"
    ).merge(centers.rename(columns={"kind": "center_kind"}), on="center_id", how="left")
    out["team"] = out["team"].fillna("(no team)")
    out["vendor"] = np.where(
        out["center_kind"].eq("vendor"),
        out["vendor_name"].fillna(out["center_id"]),
        "in-house",
    )
    return out.drop(columns="vendor_name")


# Columns of :func:`summarize_scores` after the group keys (also the empty frame's columns).
_SUMMARY_COLUMNS = [
    "n_evaluations", "n_agents", "mean_score", "ci_low", "ci_high", "median_score",
    "critical_fail_rate", "pass_rate", "pass_ci_low", "pass_ci_high", "target",
]  # fmt: skip


def summarize_scores(
    scores: pd.DataFrame, keys: list[str], target: float, confidence: float = 0.95
) -> pd.DataFrame:
    """n, mean with t interval, median, critical-fail rate and pass rate (Wilson) per group."""
    df = scores.dropna(subset=["score"])
    if df.empty:
        cols = keys + _SUMMARY_COLUMNS
        return pd.DataFrame(columns=cols)
    df = df.assign(_pass=df["score"] >= target, _crit=df["critical_fail"].astype(bool))
    g = df.groupby(keys, dropna=False, sort=True)
    out = g.agg(
        n_evaluations=("score", "size"),
        n_agents=("agent_id", "nunique"),
        mean_score=("score", "mean"),
        sd=("score", "std"),
        median_score=("score", "median"),
        critical_fails=("_crit", "sum"),
        passes=("_pass", "sum"),
    ).reset_index()
    ci = t_frame(out["mean_score"], out["sd"], out["n_evaluations"], confidence, bounds=(0, 100))
    out["ci_low"], out["ci_high"] = ci["lo"], ci["hi"]
    out["critical_fail_rate"] = out["critical_fails"] / out["n_evaluations"]
    out["pass_rate"] = out["passes"] / out["n_evaluations"]
    pci = wilson_frame(out["passes"], out["n_evaluations"], confidence)
    out["pass_ci_low"], out["pass_ci_high"] = pci["lo"], pci["hi"]
    out["target"] = target
    return out[keys + _SUMMARY_COLUMNS]


def qa_scorecard(
    reader: Any,
    by: GroupBy = "agent",
    start: DateLike = None,
    end: DateLike = None,
    *,
    target: float | None = None,
    centers: list[str] | None = None,
) -> pd.DataFrame:
    """QA scores per ``by`` group over production evaluations in [start, end].

    Columns: the group keys, ``n_evaluations, n_agents, mean_score, ci_low, ci_high`` (t interval,
    95 %), ``median_score, critical_fail_rate, pass_rate`` (share of evaluations with score >=
    target) with its Wilson interval, ``target`` (the form's, 85 for the demo form).
    """
    if by not in _GROUP_COLUMNS:
        raise CcopsError(f"by must be one of {', '.join(_GROUP_COLUMNS)}, got {by!r}")
    forms = forms_from_store(reader)
    scores = evaluation_scores(reader, start, end, centers=centers, forms=forms)
    scores = with_org(reader, scores)
    tgt = float(target) if target is not None else _default_target(forms)
    out = summarize_scores(scores, _GROUP_COLUMNS[by], tgt)
    return out.sort_values("mean_score", ascending=True, ignore_index=True)


def period_start(ts: pd.Series, freq: Literal["week", "month", "day"]) -> pd.Series:
    """Start of the ISO week (Monday), calendar month or day of each timestamp (naive)."""
    t = pd.to_datetime(ts).dt.normalize()
    if freq == "week":
        return t - pd.to_timedelta(t.dt.weekday, unit="D")
    if freq == "month":
        return pd.Series(t.dt.to_period("M").dt.to_timestamp(), index=t.index)
    if freq == "day":
        return t
    raise CcopsError(f"period must be day, week or month, got {freq!r}")


def qa_trend(
    reader: Any,
    freq: Literal["week", "month"] = "week",
    by: GroupBy | None = "center",
    start: DateLike = None,
    end: DateLike = None,
    *,
    target: float | None = None,
) -> pd.DataFrame:
    """Mean QA score per period (ISO week from Monday, or month) and group, with t intervals."""
    forms = forms_from_store(reader)
    scores = with_org(reader, evaluation_scores(reader, start, end, forms=forms))
    scores["period_start"] = period_start(scores["evaluated_local"], freq)
    keys = ["period_start"] + (_GROUP_COLUMNS[by] if by else [])
    tgt = float(target) if target is not None else _default_target(forms)
    return summarize_scores(scores, keys, tgt).sort_values(keys, ignore_index=True)


def normalized_items(
    reader: Any,
    start: DateLike = None,
    end: DateLike = None,
    *,
    calibration: bool | None = False,
    centers: list[str] | None = None,
) -> pd.DataFrame:
    """Item rows with 0-100 ``item_score`` plus agent/team/center attributes (see scoring)."""
    forms = forms_from_store(reader)
    fi = form_items_frame(forms)
    ev = filtered_evaluations(reader, start, end, calibration=calibration, centers=centers)
    norm = normalized_items_expr(item_rows_expr(reader, ev), fi)
    rows = reader.execute(norm)
    if (~rows["known"].astype(bool)).any() or rows["bad"].astype(bool).any():
        _check_items(norm, reader.execute)
    rows = rows.drop(columns=["known", "bad"])
    rows = rows.merge(
        fi[["form_id", "form_version", "item_id", "item_name"]],
        on=["form_id", "form_version", "item_id"],
        how="left",
    )
    rows["na"] = rows["na"].astype(bool)
    rows["failed"] = rows["failed"].astype(bool)
    return with_org(reader, rows)


def _item_aggregates(reader: Any, start: DateLike = None, end: DateLike = None) -> pd.DataFrame:
    """Sums of non-N/A item scores per (agent, center, form, item) computed in the store's
    engine, with item names and org attributes attached in pandas."""
    forms = forms_from_store(reader)
    fi = form_items_frame(forms)
    ev = filtered_evaluations(reader, start, end)
    norm = normalized_items_expr(item_rows_expr(reader, ev), fi)
    ok = norm.filter(~norm.na & norm.known & ~norm.bad)
    group = ["agent_id", "center_id", "form_id", "form_version", "item_id"]
    agg = ok.group_by(group).aggregate(
        n=ok.count(), total=ok.item_score.sum(), weight=ok.weight.max()
    )
    bad = norm.filter(~norm.known | norm.bad)
    if int(reader.execute(bad.aggregate(n=bad.count()))["n"].iloc[0]):
        _check_items(norm, reader.execute)
    df = reader.execute(agg)
    df = df.merge(
        fi[["form_id", "form_version", "item_id", "item_name"]],
        on=["form_id", "form_version", "item_id"],
        how="left",
    )
    return with_org(reader, df)


def item_weaknesses(
    reader: Any,
    by: Literal["center", "team", "agent", "vendor"] = "center",
    start: DateLike = None,
    end: DateLike = None,
) -> pd.DataFrame:
    """Per group x item: mean 0-100 item score vs the group's form mean and vs all groups.

    ``item_mean`` = mean item score (N/A excluded); ``form_mean`` = the group's mean over all its
    non-N/A item scores, weighted by item weight (the evaluation score before the critical rule);
    ``gap_vs_form = item_mean - form_mean`` (negative = the group's weak item);
    ``overall_item_mean`` = the item's mean over every group; ``gap_vs_overall`` likewise.
    Sorted weakest first. Sums are taken in the store's engine; only per-agent x item totals move.
    """
    keys = _GROUP_COLUMNS[by]
    cols = keys + ["item_id", "item_name", "n", "item_mean", "form_mean", "gap_vs_form"]
    cols += ["overall_item_mean", "gap_vs_overall"]
    it = _item_aggregates(reader, start, end)
    if it.empty:
        return pd.DataFrame(columns=cols)
    it["_wx"] = it["weight"] * it["total"]
    it["_w"] = it["weight"] * it["n"]
    per = (
        it.groupby(keys + ["item_id", "item_name"], dropna=False)
        .agg(n=("n", "sum"), total=("total", "sum"))
        .reset_index()
    )
    per["item_mean"] = per["total"] / per["n"]
    fm = it.groupby(keys, dropna=False).agg(wx=("_wx", "sum"), w=("_w", "sum")).reset_index()
    fm["form_mean"] = fm["wx"] / fm["w"]
    ov = it.groupby("item_id").agg(t=("total", "sum"), n=("n", "sum"))
    overall = (ov["t"] / ov["n"]).rename("overall_item_mean")
    per = per.merge(fm[keys + ["form_mean"]], on=keys, how="left").merge(
        overall, left_on="item_id", right_index=True
    )
    per["gap_vs_form"] = per["item_mean"] - per["form_mean"]
    per["gap_vs_overall"] = per["item_mean"] - per["overall_item_mean"]
    return per[cols].sort_values("gap_vs_form", ignore_index=True)


def coaching_list(
    reader: Any,
    *,
    item_target: float = 70.0,
    weeks: int = 3,
    end: DateLike = None,
    min_evaluations: int = 1,
) -> pd.DataFrame:
    """Agents below ``item_target`` (0-100) on an item in each of the last ``weeks`` ISO weeks.

    For every agent x item the weekly mean item score is taken over production evaluations
    (N/A excluded; weeks start Monday, UTC evaluation time). The streak counts consecutive
    calendar weeks, ending with the reference week (the week of ``end``, default the latest
    evaluated week), whose mean is below target; a week without an evaluation of that item breaks
    the streak. Rows with streak >= ``weeks`` are listed with the streak's mean, worst first.
    """
    if weeks < 1:
        raise CcopsError(f"weeks must be at least 1, got {weeks}")
    cols = [
        "agent_id",
        "agent_name",
        "team",
        "center_id",
        "item_id",
        "item_name",
        "weeks_below",
        "streak_mean",
        "n_evaluations",
        "last_week",
        "item_target",
    ]
    wk = _weekly_items(reader, end)
    if wk.empty:
        return pd.DataFrame(columns=cols)
    wk["week"] = pd.to_datetime(wk["week"])
    ref = period_start(pd.Series([pd.Timestamp(end)]), "week").iloc[0] if end else wk["week"].max()
    wk = wk[wk["n"] >= min_evaluations].copy()
    wk["mean"] = wk["total"] / wk["n"]
    # weeks back from the reference week: 0 = ref, 1 = the week before, ...
    wk["back"] = ((ref - wk["week"]).dt.days // 7).astype(int)
    wk = wk[(wk["back"] >= 0) & (wk["mean"] < item_target)]
    wk = wk.sort_values(["agent_id", "item_id", "back"])
    # below-target weeks 0, 1, 2, ... with no gap: back equals the row's rank within the group
    wk = wk[wk["back"].to_numpy() == wk.groupby(["agent_id", "item_id"]).cumcount().to_numpy()]
    streak = (
        wk.groupby(["agent_id", "item_id"])
        .agg(weeks_below=("back", "size"), total=("total", "sum"), n_evaluations=("n", "sum"))
        .reset_index()
    )
    out = streak[streak["weeks_below"] >= weeks].copy()
    if out.empty:
        return pd.DataFrame(columns=cols)
    out["streak_mean"] = out["total"] / out["n_evaluations"]
    out["last_week"] = ref
    names = wk.drop_duplicates(["agent_id", "item_id"])[
        ["agent_id", "item_id", "agent_name", "team", "center_id", "item_name"]
    ]
    out = out.merge(names, on=["agent_id", "item_id"], how="left")
    out["item_target"] = item_target
    out["n_evaluations"] = out["n_evaluations"].astype("int64")
    return out[cols].sort_values(["streak_mean", "agent_id"], ignore_index=True)


def _weekly_items(reader: Any, end: DateLike) -> pd.DataFrame:
    """Per agent x item x ISO week: n and total of non-N/A item scores (store engine)."""
    forms = forms_from_store(reader)
    fi = form_items_frame(forms)
    ev = filtered_evaluations(reader, None, end)
    ev = ev.mutate(week=ev.evaluated_local.truncate("W"))  # the center's week
    norm = normalized_items_expr(item_rows_expr(reader, ev), fi)
    bad = norm.filter(~norm.known | norm.bad)
    if int(reader.execute(bad.aggregate(n=bad.count()))["n"].iloc[0]):
        _check_items(norm, reader.execute)
    ok = norm.filter(~norm.na)
    agg = ok.group_by(["agent_id", "center_id", "form_id", "form_version", "item_id", "week"])
    df = reader.execute(agg.aggregate(n=ok.count(), total=ok.item_score.sum()))
    df = df.merge(
        fi[["form_id", "form_version", "item_id", "item_name"]],
        on=["form_id", "form_version", "item_id"],
        how="left",
    )
    # the same item on two form versions counts once per week
    df = (
        df.groupby(["agent_id", "center_id", "item_id", "item_name", "week"], dropna=False)
        .agg(n=("n", "sum"), total=("total", "sum"))
        .reset_index()
    )
    return with_org(reader, df)


def audit_gap(
    reader: Any,
    start: DateLike = None,
    end: DateLike = None,
    *,
    freq: Literal["week", "month"] = "month",
) -> pd.DataFrame:
    """In-house audit score minus the vendor's own QA score, per vendor center.

    Only (agent, period) pairs evaluated by both an ``in_house`` and a ``vendor`` evaluator count,
    so both means cover the same agents in the same periods. Per vendor center:
    ``gap = mean(in-house scores) - mean(vendor self-scores)`` over those pairs' evaluations, with a
    Welch t interval (95 %); negative = the vendor scores itself more leniently than the audit.
    """
    scores = with_org(reader, evaluation_scores(reader, start, end))
    scores = scores[scores["center_kind"].eq("vendor") & scores["score"].notna()].copy()
    cols = [
        "center_id",
        "vendor",
        "n_agents",
        "n_in_house",
        "n_vendor",
        "in_house_mean",
        "vendor_mean",
        "gap",
        "ci_low",
        "ci_high",
    ]
    if scores.empty:
        return pd.DataFrame(columns=cols)
    scores["period_start"] = period_start(scores["evaluated_local"], freq)
    orgs = scores.groupby(["center_id", "agent_id", "period_start"])["evaluator_org"].nunique()
    both = orgs[orgs >= 2].reset_index()[["center_id", "agent_id", "period_start"]]
    s = scores.merge(both, on=["center_id", "agent_id", "period_start"], how="inner")
    rows = []
    for (center, vendor), g in s.groupby(["center_id", "vendor"]):
        a = g.loc[g["evaluator_org"] == "in_house", "score"].to_numpy(float)
        v = g.loc[g["evaluator_org"] == "vendor", "score"].to_numpy(float)
        if len(a) == 0 or len(v) == 0:
            continue
        gap = a.mean() - v.mean()
        lo = hi = float("nan")
        if len(a) >= 2 and len(v) >= 2:
            va, vv = a.var(ddof=1) / len(a), v.var(ddof=1) / len(v)
            se = np.sqrt(va + vv)
            if se > 0:
                dof = (va + vv) ** 2 / (va**2 / (len(a) - 1) + vv**2 / (len(v) - 1))
                half = float(stats.t.ppf(0.975, dof)) * se
                lo, hi = gap - half, gap + half
            else:
                lo = hi = gap
        rows.append(
            {
                "center_id": center,
                "vendor": vendor,
                "n_agents": int(g["agent_id"].nunique()),
                "n_in_house": len(a),
                "n_vendor": len(v),
                "in_house_mean": float(a.mean()),
                "vendor_mean": float(v.mean()),
                "gap": float(gap),
                "ci_low": lo,
                "ci_high": hi,
            }
        )
    return pd.DataFrame(rows, columns=cols)
