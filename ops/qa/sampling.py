"""The weekly QA review sample: which contacts each agent's evaluators should listen to / read.

Fair: every agent gets the same number of reviews (or all their contacts if they had fewer), split
over channels in proportion to the agent's own channel mix (largest-remainder rounding), so an
agent who mostly chats is mostly reviewed on chats. Informative: within a channel, contacts are drawn
without replacement with weights that oversample the ones most worth reviewing:

    weight = 1  x 3 if CSAT is 1 or 2 (low CSAT)
                x 2 if handle_s > the 90th percentile of that channel's handle times in the week

Reproducible: the draw uses Efraimidis-Spirakis keys ``log(u) / weight`` (largest keys win), where
``u`` is a uniform number hashed from (seed, ISO week, contact_id). The same week and seed give the
same sample whatever order rows come back in, and a new week gives a new sample. Contacts that
already have a QA evaluation are left out by default.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from ops.errors import CcopsError

LOW_CSAT_WEIGHT = 3.0
LONG_HANDLE_WEIGHT = 2.0
LONG_HANDLE_QUANTILE = 0.90

SAMPLE_COLUMNS = [
    "week",
    "agent_id",
    "center_id",
    "channel",
    "contact_id",
    "created_local",
    "csat",
    "handle_s",
    "weight",
    "reason",
]


def parse_iso_week(week: str) -> tuple[date, date]:
    """``"2026-W43"`` -> (Monday, next Monday) of that ISO week."""
    m = re.fullmatch(r"(\d{4})-?W(\d{1,2})", week.strip())
    if not m:
        raise CcopsError(f"week must look like 2026-W43, got {week!r}")
    try:
        monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError as e:
        raise CcopsError(f"week {week!r} does not exist ({e})") from e
    return monday, monday + timedelta(days=7)


def iso_week_label(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def stable_uniform(keys: pd.Series, salt: str) -> np.ndarray:
    """A uniform (0, 1) number per key, from blake2b(salt|key): order-independent and seedable."""
    out = np.empty(len(keys))
    for i, k in enumerate(keys.astype(str)):
        h = hashlib.blake2b(f"{salt}|{k}".encode(), digest_size=8).digest()
        out[i] = (int.from_bytes(h, "big") + 0.5) / 2.0**64
    return out


def allocate(counts: pd.Series, total: int) -> pd.Series:
    """Split ``total`` over strata in proportion to ``counts`` (largest remainder; ties by name),
    never giving a stratum more than it has."""
    total = int(min(total, counts.sum()))
    if total <= 0 or counts.sum() == 0:
        return pd.Series(0, index=counts.index, dtype="int64")
    quota = counts / counts.sum() * total
    alloc = np.floor(quota).astype("int64")
    rem = (quota - alloc).sort_index().sort_values(ascending=False, kind="stable")
    left = total - int(alloc.sum())
    for k in rem.index:
        if left == 0:
            break
        if alloc[k] < counts[k]:
            alloc[k] += 1
            left -= 1
    # a stratum capped by its size passes its seats to the others
    while left > 0:
        room = counts - alloc
        k = room[room > 0].sort_index().index[0]
        alloc[k] += 1
        left -= 1
    return alloc.astype("int64")


def allocate_per_agent(counts: pd.Series, per_agent: int) -> pd.Series:
    """:func:`allocate` for every agent at once; ``counts`` indexed by (agent_id, channel).

    Largest remainder: floors of ``count / agent total x min(per_agent, agent total)``, then one
    more seat to the largest remainders (ties by channel name). A quota never exceeds its count,
    so a stratum never gets more seats than contacts.
    """
    df = counts.rename("count").reset_index()
    tot = df.groupby("agent_id")["count"].transform("sum")
    seats = np.minimum(per_agent, tot)
    quota = df["count"] / tot * seats
    df["alloc"] = np.floor(quota + 1e-9).astype("int64")
    df["rem"] = quota - df["alloc"]
    left = seats - df.groupby("agent_id")["alloc"].transform("sum")
    df = df.sort_values(["agent_id", "rem", "channel"], ascending=[True, False, True])
    rank = df.groupby("agent_id").cumcount()
    df["alloc"] += (rank < left.loc[df.index]).astype("int64")
    return df.set_index(["agent_id", "channel"])["alloc"].reindex(counts.index)


def sample_contacts(
    contacts: pd.DataFrame, week: str, per_agent: int = 5, seed: int = 0
) -> pd.DataFrame:
    """Draw the review sample from ``contacts`` (agent-handled rows of one week).

    ``contacts`` columns: ``contact_id, agent_id, center_id, channel, created_local, csat,
    handle_s``. Returns ``SAMPLE_COLUMNS`` (``reason``: low_csat, long_handle, both, random).
    """
    if per_agent < 1:
        raise CcopsError(f"per_agent must be at least 1, got {per_agent}")
    if contacts.empty:
        return pd.DataFrame(columns=SAMPLE_COLUMNS)
    df = contacts.copy()
    p90 = df.groupby("channel")["handle_s"].transform(lambda s: s.quantile(LONG_HANDLE_QUANTILE))
    low = df["csat"].notna() & (pd.to_numeric(df["csat"], errors="coerce") <= 2)
    long_ = df["handle_s"].notna() & (df["handle_s"] > p90)
    df["weight"] = (
        1.0 * np.where(low, LOW_CSAT_WEIGHT, 1.0) * np.where(long_, LONG_HANDLE_WEIGHT, 1.0)
    )
    df["reason"] = np.select(
        [low & long_, low, long_], ["both", "low_csat", "long_handle"], "random"
    )
    u = stable_uniform(df["contact_id"], f"{seed}|{week}")
    df["_key"] = np.log(u) / df["weight"]
    alloc = allocate_per_agent(df.groupby(["agent_id", "channel"]).size(), per_agent)
    df = df.merge(alloc.rename("_k").reset_index(), on=["agent_id", "channel"], how="left")
    df = df.sort_values(["agent_id", "channel", "_key", "contact_id"],
                        ascending=[True, True, False, True])  # fmt: skip
    out = df[df.groupby(["agent_id", "channel"]).cumcount().to_numpy() < df["_k"].to_numpy()]
    out = out.copy()
    out["week"] = week
    return out[SAMPLE_COLUMNS].sort_values(["agent_id", "channel", "contact_id"], ignore_index=True)


def review_sample(
    reader: Any,
    week: str,
    per_agent: int = 5,
    *,
    seed: int = 0,
    centers: list[str] | None = None,
    exclude_evaluated: bool = True,
) -> pd.DataFrame:
    """The review sample for ISO ``week`` (local time of each center) from the store.

    Agent-handled contacts created in the week, minus (by default) contacts already evaluated;
    see the module doc for the weights. The frame is what the dashboard offers as a download.
    """
    monday, next_monday = parse_iso_week(week)
    label = iso_week_label(monday)
    c = reader.table("contacts")
    c = c.filter(
        (c.handled_by == "agent")
        & c.agent_id.notnull()
        & (c.created_local >= pd.Timestamp(monday).to_pydatetime())
        & (c.created_local < pd.Timestamp(next_monday).to_pydatetime())
    )
    if centers:
        c = c.filter(c.center_id.isin(list(centers)))
    if exclude_evaluated:
        ev = reader.table("qa_evaluations")
        ev = ev.filter(ev.contact_id.notnull()).select("contact_id").distinct()
        c = c.anti_join(ev, "contact_id")
    cols = ["contact_id", "agent_id", "center_id", "channel", "created_local", "csat", "handle_s"]
    rows = reader.execute(c.select(*cols))
    return sample_contacts(rows, label, per_agent, seed)
