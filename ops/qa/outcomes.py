"""Does QA measure what customers feel? QA score vs CSAT and CES, per agent.

Per agent over the same dates: mean QA score (production evaluations, :mod:`ops.qa.scoring`) and
CSAT / CES of the agent's contacts (:mod:`ops.qa.surveys`, the one definition of those metrics).
Across agents with enough evaluations and survey responses: Pearson r and Spearman rho with their
p-values and the number of agents, so a correlation is never shown without its n.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ops.qa.scoring import evaluation_scores
from ops.qa.surveys import survey_metrics

DateLike = date | datetime | str | None


def qa_outcomes_by_agent(reader: Any, start: DateLike = None, end: DateLike = None) -> pd.DataFrame:
    """Per agent: ``n_evaluations, qa_mean, csat_n, csat, ces_n, ces``."""
    sc = evaluation_scores(reader, start, end)
    qa = (
        sc.dropna(subset=["score"])
        .groupby(["agent_id", "center_id"])
        .agg(n_evaluations=("score", "size"), qa_mean=("score", "mean"))
        .reset_index()
    )
    sv = survey_metrics(reader, by="agent", start=start, end=end)
    sv = sv[["agent_id", "center_id", "csat_n", "csat", "ces_n", "ces"]]
    return qa.merge(sv, on=["agent_id", "center_id"], how="left")


def qa_outcome_correlation(
    by_agent: pd.DataFrame, *, min_evaluations: int = 3, min_responses: int = 10
) -> pd.DataFrame:
    """Correlation of agents' mean QA with CSAT and CES: one row per outcome with
    ``n_agents, pearson_r, pearson_p, spearman_rho, spearman_p`` (agents with at least
    ``min_evaluations`` evaluations and ``min_responses`` responses to that survey)."""
    rows = []
    for outcome, n_col in (("csat", "csat_n"), ("ces", "ces_n")):
        d = by_agent[
            (by_agent["n_evaluations"] >= min_evaluations)
            & (by_agent[n_col].fillna(0) >= min_responses)
        ].dropna(subset=["qa_mean", outcome])
        n = len(d)
        r = p = rho = sp = np.nan
        if n >= 3 and d["qa_mean"].nunique() > 1 and d[outcome].nunique() > 1:
            r, p = stats.pearsonr(d["qa_mean"], d[outcome])
            rho, sp = stats.spearmanr(d["qa_mean"], d[outcome])
        rows.append(
            {
                "outcome": outcome,
                "n_agents": n,
                "pearson_r": float(r),
                "pearson_p": float(p),
                "spearman_rho": float(rho),
                "spearman_p": float(sp),
            }
        )
    return pd.DataFrame(rows)
