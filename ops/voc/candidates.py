"""Automation candidates: which tags a bot, a macro or a self-serve page should take off agents.

Per leaf tag, over agent-handled contacts in [start, end] (default: the last 28 days with data):

* ``volume_norm`` = agent contacts of the tag / agent contacts of the busiest tag (0-1);
* ``simplicity`` = 1 when ``tags.is_simple`` else ``complex_weight`` (default 0.25);
* ``template_rate`` = share of the tag's agent contacts closed with a template (``template_id``);
* ``consistency`` = 1 / (1 + CV of handle_s), CV = standard deviation / mean (a steady handle time
  means a routine answer);
* **score** = volume_norm x simplicity x template_rate x consistency (0-1, higher = better candidate).

Savings: ``agent_hours_week`` = sum(handle_s) / 3600 per 7 days; ``hours_saved_week`` =
agent_hours_week x automatable share (default: the template rate, i.e. the templated answers are
the ones a bot could give). FTE saved = hours_saved_week / (paid hours per FTE-week x
(1 - shrinkage) x occupancy), the workload-hours method; the ``fte_method`` column says so and
states the parameters (defaults 40 h, shrinkage 30 %, occupancy 85 %).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from ops.voc.tags import data_last_day, tags_frame

CANDIDATE_COLUMNS = [
    "tag_id", "path", "path_en", "is_simple", "agent_contacts", "template_rate",
    "handle_mean_s", "handle_cv", "volume_norm", "simplicity", "consistency", "score",
    "agent_hours_week", "automatable_share", "hours_saved_week", "fte_saved", "fte_method",
    "period_start", "period_end",
]  # fmt: skip

PAID_HOURS_PER_FTE_WEEK = 40.0
SHRINKAGE = 0.30
OCCUPANCY = 0.85


def fte_for_hours(
    hours_per_week: Any,
    *,
    paid_hours: float = PAID_HOURS_PER_FTE_WEEK,
    shrinkage: float = SHRINKAGE,
    occupancy: float = OCCUPANCY,
) -> Any:
    """FTE that ``hours_per_week`` of handle time keeps busy:
    hours / (paid_hours x (1 - shrinkage) x occupancy)."""
    return np.asarray(hours_per_week, dtype=float) / (paid_hours * (1 - shrinkage) * occupancy)


def score_candidates(stats: pd.DataFrame, *, complex_weight: float = 0.25) -> pd.DataFrame:
    """Add ``volume_norm, simplicity, consistency, score`` to per-tag stats with ``agent_contacts,
    is_simple, template_rate, handle_mean_s, handle_sd_s`` (pure; see module doc)."""
    out = stats.copy()
    top = out["agent_contacts"].max()
    out["volume_norm"] = out["agent_contacts"] / top if top else 0.0
    out["simplicity"] = np.where(out["is_simple"].fillna(False).astype(bool), 1.0, complex_weight)
    with np.errstate(invalid="ignore", divide="ignore"):
        cv = out["handle_sd_s"].fillna(0) / out["handle_mean_s"]
    out["handle_cv"] = cv
    out["consistency"] = 1.0 / (1.0 + cv.fillna(np.inf).where(np.isfinite(cv), np.inf))
    out["score"] = (
        out["volume_norm"] * out["simplicity"] * out["template_rate"].fillna(0) * out["consistency"]
    )
    return out


def automation_candidates(
    reader: Any,
    start: date | None = None,
    end: date | None = None,
    *,
    complex_weight: float = 0.25,
    automatable_share: float | None = None,
    paid_hours: float = PAID_HOURS_PER_FTE_WEEK,
    shrinkage: float = SHRINKAGE,
    occupancy: float = OCCUPANCY,
    top: int | None = 20,
) -> pd.DataFrame:
    """Leaf tags ranked by automation score with the agent hours and FTE they would save."""
    if end is None:
        end = data_last_day(reader)
    if end is None:
        return pd.DataFrame(columns=["rank", *CANDIDATE_COLUMNS])
    if start is None:
        start = end - timedelta(days=27)
    c = reader.table("contacts")
    c = c.filter(
        (c.handled_by == "agent")
        & (c.created_local >= datetime.combine(start, datetime.min.time()))
        & (c.created_local < datetime.combine(end + timedelta(days=1), datetime.min.time()))
        & c.tag_id.notnull()
    )
    # Not a second AHT: the candidate score needs the spread (sd) of handle times per tag and the
    # total agent hours, over every agent contact of the tag; the reported AHT stays the registry's
    # aht_s (ops.sla).
    h = c.handle_s.cast("float64")
    agg = c.group_by("tag_id").aggregate(
        agent_contacts=c.count(),
        templated=c.count(where=c.template_id.notnull()),
        handle_total_s=h.sum(),
        handle_mean_s=h.mean(),
        handle_sd_s=h.std(),
    )
    stats = reader.execute(agg)
    tags = tags_frame(reader)[["tag_id", "path", "path_en", "is_simple"]]
    stats = stats.merge(tags, on="tag_id", how="left")
    stats["template_rate"] = stats["templated"] / stats["agent_contacts"]
    out = score_candidates(stats, complex_weight=complex_weight)
    weeks = ((end - start).days + 1) / 7.0
    out["agent_hours_week"] = out["handle_total_s"].fillna(0) / 3600.0 / weeks
    share = out["template_rate"].fillna(0) if automatable_share is None else automatable_share
    out["automatable_share"] = share
    out["hours_saved_week"] = out["agent_hours_week"] * share
    out["fte_saved"] = fte_for_hours(
        out["hours_saved_week"], paid_hours=paid_hours, shrinkage=shrinkage, occupancy=occupancy
    )
    out["fte_method"] = (
        f"workload hours / ({paid_hours:g} h x (1 - {shrinkage:.0%} shrinkage) x "
        f"{occupancy:.0%} occupancy)"
    )
    out["period_start"], out["period_end"] = start, end
    out = out[CANDIDATE_COLUMNS].sort_values(
        ["score", "tag_id"], ascending=[False, True], ignore_index=True
    )
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out.head(top) if top else out
