"""The support funnel: proactive notices -> self-serve and bot -> human agents.

Stages over local days [start, end] (``contacts.created_local``):

* **started in bot/self-serve** = ``via_bot`` true, or handled_by bot/self_serve (a contact that
  ended in the bot started there);
* **contained** = ``handled_by`` in (bot, self_serve) (so it started there);
* **handed off** = started there and ended with an agent;
* **direct to agent** = never in the bot flow and handled by an agent.

``containment = contained / started in bot`` (DESIGN.md "Bot containment", the SLA registry's
``bot_containment``, whose row rules :mod:`ops.sla.sources` defines), ``hand_off_rate = handed off / started in bot``, each with a Wilson interval.

Proactive notices are ``events`` of kind campaign, outage or known_issue. :func:`event_impact`
shows how a known outage shows in tag volume: the event tag's daily contacts during the event vs its
baseline (mean daily volume over the ``baseline_days`` before the event starts), the excess
contacts and the ratio, plus containment during the event.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal

import numpy as np
import pandas as pd

from ops.qa.stats import wilson_frame
from ops.sla.sources import bot_contained_expr, bot_started_expr
from ops.voc.groups import contact_group_keys
from ops.voc.tags import daily_tag_volume, tags_frame

NOTICE_KINDS = ("campaign", "outage", "known_issue")
FunnelBy = Literal["channel", "center", "tag", "segment"]


def _bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    s = datetime.combine(start, datetime.min.time()) if start else None
    e = datetime.combine(end + timedelta(days=1), datetime.min.time()) if end else None
    return s, e


def _funnel_counts(reader: Any, keys: list[str], start: date | None, end: date | None,
                   tag_ids: list[str] | None = None,
                   center_id: str | None = None) -> pd.DataFrame:  # fmt: skip
    c = reader.table("contacts")
    if "level1" in keys:
        t = reader.table("tags").select("tag_id", "level1", "level1_en")
        c = c.left_join(t, c.tag_id == t.tag_id)
    s, e = _bounds(start, end)
    if s is not None:
        c = c.filter(c.created_local >= s)
    if e is not None:
        c = c.filter(c.created_local < e)
    if tag_ids is not None:
        c = c.filter(c.tag_id.isin(tag_ids))
    if center_id:
        c = c.filter(c.center_id == center_id)
    # the SLA registry's bot_containment rules (one definition): contained = ended in the bot;
    # started = via_bot or ended there
    in_bot_end = bot_contained_expr(c)
    started = bot_started_expr(c)
    agent = c.handled_by == "agent"
    fields = dict(
        contacts=c.count(),
        started_in_bot=c.count(where=started),
        contained=c.count(where=started & in_bot_end),
        handed_off=c.count(where=started & agent),
        direct_to_agent=c.count(where=~started & agent),
    )
    expr = c.group_by(keys).aggregate(**fields) if keys else c.aggregate(**fields)
    return reader.execute(expr)


def _rates(df: pd.DataFrame) -> pd.DataFrame:
    for col in ("contacts", "started_in_bot", "contained", "handed_off", "direct_to_agent"):
        df[col] = df[col].fillna(0).astype("int64")
    den = df["started_in_bot"].where(df["started_in_bot"] > 0)
    df["containment"] = df["contained"] / den
    ci = wilson_frame(df["contained"], df["started_in_bot"])
    df["containment_lo"], df["containment_hi"] = ci["lo"], ci["hi"]
    df["hand_off_rate"] = df["handed_off"] / den
    ci = wilson_frame(df["handed_off"], df["started_in_bot"])
    df["hand_off_lo"], df["hand_off_hi"] = ci["lo"], ci["hi"]
    df["agent_share"] = (df["handed_off"] + df["direct_to_agent"]) / df["contacts"].where(
        df["contacts"] > 0
    )
    return df


def support_funnel(
    reader: Any, by: FunnelBy | None = None, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Funnel counts and rates per group (see module doc).

    Columns: keys, ``contacts, started_in_bot, contained, handed_off, direct_to_agent,
    containment (+_lo/_hi), hand_off_rate (+_lo/_hi), agent_share``.
    """
    keys = contact_group_keys(by)
    df = _rates(_funnel_counts(reader, keys, start, end))
    if keys:
        df[keys] = df[keys].fillna("(none)")
        df = df.sort_values("contacts", ascending=False, ignore_index=True)
    return df


def funnel_stages(funnel_row: pd.Series, notices: int = 0) -> pd.DataFrame:
    """A one-scope funnel as stage rows for a funnel chart: ``stage, contacts``."""
    return pd.DataFrame(
        {
            "stage": [
                "Proactive notices (events)",
                "Started in bot / self-serve",
                "Contained (no agent)",
                "Handed off to agent",
                "Direct to agent",
            ],
            "contacts": [
                notices,
                int(funnel_row["started_in_bot"]),
                int(funnel_row["contained"]),
                int(funnel_row["handed_off"]),
                int(funnel_row["direct_to_agent"]),
            ],
        }
    )


def proactive_notices(
    reader: Any, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Events of kind campaign / outage / known_issue overlapping [start, end]."""
    ev = reader.table("events")
    ev = ev.filter(ev.kind.isin(list(NOTICE_KINDS)))
    if start is not None:
        ev = ev.filter(ev.end_date >= start)
    if end is not None:
        ev = ev.filter(ev.start_date <= end)
    return reader.execute(ev.order_by(["start_date", "event_id"]))


def _subtree_tag_ids(tags: pd.DataFrame, tag_id: str) -> list[str]:
    """The tag and, when it is an inner node, every tag under it (by Korean path prefix)."""
    row = tags[tags["tag_id"] == tag_id]
    if row.empty:
        return [tag_id]
    path = str(row["path"].iloc[0])
    mask = (tags["path"] == path) | tags["path"].astype(str).str.startswith(path + "/")
    return sorted(set(tags.loc[mask, "tag_id"]) | {tag_id})


def event_impact(
    reader: Any,
    *,
    kinds: tuple[str, ...] = ("outage", "known_issue"),
    baseline_days: int = 28,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Per tagged event: the tag's volume during the event vs its pre-event baseline.

    ``baseline_daily`` = contacts with the event's tag (or under it) per day over the
    ``baseline_days`` days before ``start_date`` (fewer when the data starts later: the column
    ``baseline_days`` says how many); ``event_daily`` = per day during the event
    (``start_date..end_date``, capped at the last day with data); ``excess = event contacts -
    baseline_daily x event days``; ``ratio = event_daily / baseline_daily``; ``containment``
    during the event for that tag. An event restricted to a center counts only that center.
    """
    notices = proactive_notices(reader, start, end)
    notices = notices[notices["kind"].isin(kinds) & notices["tag_id"].notna()]
    cols = [
        "event_id", "kind", "name", "tag_id", "tag_path_en", "start_date", "end_date",
        "event_days", "event_contacts", "event_daily", "baseline_days", "baseline_daily", "excess",
        "ratio",
        "containment",
    ]  # fmt: skip
    if notices.empty:
        return pd.DataFrame(columns=cols)
    tags = tags_frame(reader)
    c = reader.table("contacts")
    first = reader.execute(c.aggregate(first=c.created_local.min()))["first"].iloc[0]
    first_day = None if pd.isna(first) else pd.Timestamp(first).date()
    rows = []
    for ev in notices.itertuples(index=False):
        s = pd.Timestamp(str(ev.start_date)).date()
        e = pd.Timestamp(str(ev.end_date)).date()
        ids = _subtree_tag_ids(tags, str(ev.tag_id))
        center = ev.center_id if isinstance(ev.center_id, str) and ev.center_id else None
        vol = daily_tag_volume(reader, s - timedelta(days=baseline_days), e, by_center=True)
        vol = vol[vol["tag_id"].isin(ids)]
        if center:
            vol = vol[vol["center_id"] == center]
        last_day = vol["day"].max() if len(vol) else pd.NaT
        e_eff = min(e, last_day.date()) if pd.notna(last_day) else e
        days = max((e_eff - s).days + 1, 0)
        during = vol[(vol["day"] >= pd.Timestamp(s)) & (vol["day"] <= pd.Timestamp(e_eff))]
        before = vol[vol["day"] < pd.Timestamp(s)]
        # the baseline covers only days with data: a store that starts 10 days before the event
        # has a 10-day baseline, not 28 days with 18 of them counted as zero
        base_days = baseline_days
        if first_day is not None:
            base_days = max(0, min(baseline_days, (s - first_day).days))
        base = before["volume"].sum() / base_days if base_days else np.nan
        n_ev = int(during["volume"].sum())
        event_daily = n_ev / days if days else np.nan
        f = _funnel_counts(reader, [], s, e_eff, ids, center)
        f = _rates(f)
        path_en = tags.loc[tags["tag_id"] == ev.tag_id, "path_en"]
        rows.append(
            {
                "event_id": ev.event_id,
                "kind": ev.kind,
                "name": ev.name,
                "tag_id": ev.tag_id,
                "tag_path_en": path_en.iloc[0] if len(path_en) else ev.tag_id,
                "start_date": s,
                "end_date": e,
                "event_days": days,
                "event_contacts": n_ev,
                "event_daily": event_daily,
                "baseline_days": base_days,
                "baseline_daily": base,
                "excess": n_ev - base * days if base_days else np.nan,
                "ratio": event_daily / base if base_days and base > 0 else np.nan,
                "containment": float(f["containment"].iloc[0]) if len(f) else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=cols)
