"""Customer survey metrics: CSAT, CES, NPS and response rates, with n and an interval every time.

Definitions (DESIGN.md "Quality and customer"). The numerators and denominators are the SLA
registry's (:data:`ops.sla.registry.METRICS` ``csat``, ``ces``, ``ces_high_share``, ``nps``), so a
CSAT here equals a CSAT in a contract line; this module adds groupings, n and intervals:

* **CSAT** = share of 4-5 among 1-5 responses (top-2-box), Wilson interval.
* **CES** = mean of 1-7 responses (target >= 6.5), t interval; plus the share of responses >= 6
  (Wilson).
* **NPS** = % promoters (9-10) - % detractors (0-6) of 0-10 responses, on -100..100, normal interval
  var = (p_pro + p_det - (p_pro - p_det)^2) / n.
* **Response rate** = CSAT responses on agent-handled contacts / agent-handled contacts
  (``handled_by = 'agent'``), Wilson.

CSAT and CES come from ``contacts.csat`` / ``contacts.ces`` (post-contact surveys, grouped by the
contact's local day); NPS from ``surveys`` rows of kind ``nps``, linked to a contact (tag, agent)
when ``contact_id`` is set; its [start, end] days are the center's local days too (``responded_at``
is UTC, shifted by the center's timezone as in ``ops.sla``). Counting happens in DuckDB; the
``*_from_counts`` functions turn counts into the metric and its interval.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

import ibis
import numpy as np
import pandas as pd

from ops.errors import CcopsError
from ops.qa.stats import nps_frame, t_frame, wilson_frame
from ops.sla.registry import METRICS, MetricParams
from ops.sla.sources import ContactsBase, SurveysBase

CES_TARGET = float(METRICS["ces"].default_target or 6.5)
SurveyBy = Literal["channel", "center", "tag", "agent", "segment"]
DateLike = date | datetime | str | None


def _part(metric: str, which: Literal["num", "den"]) -> Any:
    """The registry's numerator or denominator builder of ``metric``."""
    fn = getattr(METRICS[metric], which)
    if fn is None:
        raise CcopsError(f"metric {metric!r} has no {which} in the SLA registry")
    return fn


def csat_from_counts(top2: pd.Series, n: pd.Series) -> pd.DataFrame:
    """CSAT share (0-1) = top2 / n, with Wilson bounds: columns ``csat, lo, hi``."""
    ci = wilson_frame(top2, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = top2.astype(float) / n.astype(float).where(n > 0)
    return pd.DataFrame({"csat": share, "lo": ci["lo"], "hi": ci["hi"]})


def ces_from_counts(total: pd.Series, total_sq: pd.Series, n: pd.Series) -> pd.DataFrame:
    """CES mean of 1-7 and its t interval from sum and sum of squares: ``ces, sd, lo, hi``."""
    nn = n.astype(float).where(n > 0)
    mean = total.astype(float) / nn
    with np.errstate(invalid="ignore", divide="ignore"):
        var = (total_sq.astype(float) - nn * mean**2) / (nn - 1)
    sd = var.clip(lower=0) ** 0.5
    ci = t_frame(mean, sd, n, bounds=(1, 7))
    return pd.DataFrame({"ces": mean, "sd": sd, "lo": ci["lo"], "hi": ci["hi"]})


def nps_from_counts(promoters: pd.Series, detractors: pd.Series, n: pd.Series) -> pd.DataFrame:
    """NPS on -100..100 with its normal interval: ``nps, lo, hi``."""
    return nps_frame(promoters, detractors, n)


def _bounds(start: DateLike, end: DateLike) -> tuple[Any, Any]:
    s = pd.Timestamp(start).to_pydatetime() if start is not None else None
    e = (pd.Timestamp(end) + pd.Timedelta(days=1)).to_pydatetime() if end is not None else None
    return s, e


def _keys(by: SurveyBy | None) -> list[str]:
    return {
        None: [],
        "channel": ["channel"],
        "center": ["center_id"],
        "tag": ["level1", "level1_en"],
        "agent": ["agent_id", "center_id"],
        "segment": ["segment"],
    }[by]


def _contacts_with_tags(reader: Any) -> Any:
    c = reader.table("contacts")
    t = reader.table("tags").select("tag_id", "level1", "level1_en")
    return c.left_join(t, c.tag_id == t.tag_id)


def survey_metrics(
    reader: Any,
    by: SurveyBy | None = "channel",
    start: DateLike = None,
    end: DateLike = None,
    *,
    ces_target: float = CES_TARGET,
) -> pd.DataFrame:
    """CSAT, CES, NPS and CSAT response rate per group over local days [start, end].

    Columns: keys, ``handled_contacts, agent_responses, csat_n, csat, csat_lo, csat_hi, response_rate,
    response_lo, response_hi, ces_n, ces, ces_lo, ces_hi, ces_share_6plus, ces6_lo, ces6_hi,
    ces_target, ces_meets_target, nps_n, nps, nps_lo, nps_hi``. Shares are 0-1, NPS -100..100.
    """
    if by not in (None, "channel", "center", "tag", "agent", "segment"):
        raise CcopsError(f"by must be channel, center, tag, agent or segment, got {by!r}")
    keys = _keys(by)
    c = _contacts_with_tags(reader)
    s, e = _bounds(start, end)
    if s is not None:
        c = c.filter(c.created_local >= s)
    if e is not None:
        c = c.filter(c.created_local < e)
    if by == "agent":
        c = c.filter(c.agent_id.notnull())
    p = MetricParams()
    base = ContactsBase(c, p, is_live=ibis.literal(True))
    ces = c.ces.cast("float64")
    fields = dict(
        handled_contacts=c.count(where=c.handled_by == "agent"),
        agent_responses=c.count(where=(c.handled_by == "agent") & c.csat.between(1, 5)),
        csat_n=_part("csat", "den")(base, p),
        csat_top2=_part("csat", "num")(base, p),
        ces_n=_part("ces", "den")(base, p),
        ces_sum=_part("ces", "num")(base, p),
        ces_sumsq=(ces * ces).sum(where=c.ces.between(1, 7)),
        ces_6plus=_part("ces_high_share", "num")(base, p),
    )
    agg = c.group_by(keys).aggregate(**fields) if keys else c.aggregate(**fields)
    df = reader.execute(agg)
    df = (
        df.merge(_nps_counts(reader, by, start, end), on=keys, how="outer")
        if keys
        else (pd.concat([df, _nps_counts(reader, by, start, end)], axis=1))
    )
    for col in ("handled_contacts", "agent_responses", "csat_n", "csat_top2", "ces_n", "ces_6plus",
                "nps_n"):  # fmt: skip
        df[col] = df[col].fillna(0).astype("int64")
    for col in ("promoters", "detractors"):
        df[col] = df[col].fillna(0).astype("int64")
    cs = csat_from_counts(df["csat_top2"], df["csat_n"])
    df["csat"], df["csat_lo"], df["csat_hi"] = cs["csat"], cs["lo"], cs["hi"]
    rr = wilson_frame(df["agent_responses"], df["handled_contacts"])
    with np.errstate(invalid="ignore", divide="ignore"):
        df["response_rate"] = df["agent_responses"] / df["handled_contacts"].where(
            df["handled_contacts"] > 0
        )
    df["response_lo"], df["response_hi"] = rr["lo"], rr["hi"]
    ce = ces_from_counts(df["ces_sum"].fillna(0), df["ces_sumsq"].fillna(0), df["ces_n"])
    df["ces"], df["ces_lo"], df["ces_hi"] = ce["ces"], ce["lo"], ce["hi"]
    c6 = wilson_frame(df["ces_6plus"], df["ces_n"])
    with np.errstate(invalid="ignore", divide="ignore"):
        df["ces_share_6plus"] = df["ces_6plus"] / df["ces_n"].where(df["ces_n"] > 0)
    df["ces6_lo"], df["ces6_hi"] = c6["lo"], c6["hi"]
    df["ces_target"] = ces_target
    df["ces_meets_target"] = df["ces"] >= ces_target
    npf = nps_from_counts(df["promoters"], df["detractors"], df["nps_n"])
    df["nps"], df["nps_lo"], df["nps_hi"] = npf["nps"], npf["lo"], npf["hi"]
    cols = keys + [
        "handled_contacts",
        "agent_responses",
        "csat_n",
        "csat",
        "csat_lo",
        "csat_hi",
        "response_rate",
        "response_lo",
        "response_hi",
        "ces_n",
        "ces",
        "ces_lo",
        "ces_hi",
        "ces_share_6plus",
        "ces6_lo",
        "ces6_hi",
        "ces_target",
        "ces_meets_target",
        "nps_n",
        "nps",
        "nps_lo",
        "nps_hi",
    ]
    out = df[cols]
    return out.sort_values(keys, ignore_index=True) if keys else out.reset_index(drop=True)


def _nps_counts(reader: Any, by: SurveyBy | None, start: DateLike, end: DateLike) -> pd.DataFrame:
    """Promoters, detractors and n of NPS responses per group (contact attributes when linked)."""
    from ops.sla.metrics import MetricContext

    sv = reader.table("surveys")
    sv = sv.filter(sv.kind == "nps")
    s, e = _bounds(start, end)
    if s is not None or e is not None:
        # local days of the center, like contacts' created_local (the SLA engine's rule)
        local = MetricContext(reader).local_time_expr(sv, sv.responded_at)
        if s is not None:
            sv = sv.filter(local >= s)
        if e is not None:
            sv = sv.filter(local < e)
    keys = _keys(by)
    if by in ("tag", "agent"):
        c = _contacts_with_tags(reader)
        c = c.select("contact_id", "agent_id", "level1", "level1_en")
        sv = sv.join(c, sv.contact_id == c.contact_id)
        if by == "agent":
            sv = sv.filter(sv.agent_id.notnull())
    p = MetricParams()
    base = SurveysBase(sv, p)
    fields = dict(
        nps_n=_part("nps", "den")(base, p),
        nps_net=_part("nps", "num")(base, p),
        # the interval needs promoters and detractors apart (the registry's numerator parts)
        promoters=base.nps_promoters(),
    )
    expr = sv.group_by(keys).aggregate(**fields) if keys else sv.aggregate(**fields)
    df = reader.execute(expr)
    df["detractors"] = df["promoters"] - df["nps_net"]
    return df.drop(columns="nps_net")
