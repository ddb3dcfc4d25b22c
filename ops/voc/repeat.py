"""Repeat contacts, urgent flags and VIP share: the customers a first answer did not settle.

**Repeat contact** (DESIGN.md): a contact is a repeat when the same customer had an earlier contact
with the same level-1 tag at most 7 days (604 800 s) before it. Convention: "within 7 days" is
inclusive, like "within T" for service level (wait <= T): an elapsed time of exactly 7d00:00:00
counts as a repeat, 7d00:00:01 does not, 6d23:00:00 does. Contacts without a customer or a tag are
never repeats. Ties on the same timestamp are ordered by contact_id (the second is a repeat).

``contacts.is_repeat`` is derived at import; :func:`repeat_flags_expr` is the same rule as an Ibis
window expression (DuckDB or any Ibis engine) and :func:`flag_repeats` runs it on a pandas frame so
tests can check the boundary. :func:`contact_flags` reports repeat rate, urgent share and VIP share
with Wilson intervals.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal

import ibis
import pandas as pd

from ops.errors import CcopsError
from ops.qa.stats import wilson_frame
from ops.voc.groups import contact_group_keys

REPEAT_WINDOW = timedelta(days=7)
FlagsBy = Literal["channel", "center", "tag", "segment"]


def repeat_flags_expr(t: Any, window: timedelta = REPEAT_WINDOW) -> Any:
    """Add ``is_repeat_calc`` to an Ibis table with ``contact_id, customer_id, level1,
    created_at``: previous contact of the same customer and level-1 tag at most ``window`` ago."""
    w = ibis.window(group_by=[t.customer_id, t.level1], order_by=[t.created_at, t.contact_id])
    prev = t.created_at.lag().over(w)
    window_us = int(window.total_seconds() * 1_000_000)
    gap = t.created_at.delta(prev, unit="microsecond")
    flag = t.customer_id.notnull() & t.level1.notnull() & prev.notnull() & (gap <= window_us)
    return t.mutate(is_repeat_calc=flag.fill_null(False))


def flag_repeats(contacts: pd.DataFrame, window: timedelta = REPEAT_WINDOW) -> pd.Series:
    """``is_repeat`` for rows with ``contact_id, customer_id, level1, created_at`` (index-aligned)."""
    need = ["contact_id", "customer_id", "level1", "created_at"]
    missing = [c for c in need if c not in contacts.columns]
    if missing:
        raise CcopsError(f"flag_repeats needs column(s) {missing}")
    df = contacts[need].copy()
    df["_row"] = range(len(df))
    df["created_at"] = pd.to_datetime(df["created_at"])
    df["customer_id"] = df["customer_id"].astype("string")
    df["level1"] = df["level1"].astype("string")
    df["contact_id"] = df["contact_id"].astype("string")
    res = repeat_flags_expr(ibis.memtable(df), window).select("_row", "is_repeat_calc").execute()
    res = res.sort_values("_row")
    return pd.Series(
        res["is_repeat_calc"].to_numpy(dtype=bool), index=contacts.index, name="is_repeat"
    )


def contacts_with_repeat(reader: Any, window: timedelta = REPEAT_WINDOW) -> Any:
    """The reader's contacts with ``level1`` and a computed ``is_repeat_calc`` (Ibis)."""
    c = reader.table("contacts")
    t = reader.table("tags").select("tag_id", "level1")
    j = c.left_join(t, c.tag_id == t.tag_id)
    j = j.select(*[x for x in j.columns if x != "tag_id_right"])
    return repeat_flags_expr(j, window)


def _bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    s = datetime.combine(start, datetime.min.time()) if start else None
    e = datetime.combine(end + timedelta(days=1), datetime.min.time()) if end else None
    return s, e


def contact_flags(
    reader: Any,
    by: FlagsBy | None = None,
    start: date | None = None,
    end: date | None = None,
    *,
    recompute: bool = False,
) -> pd.DataFrame:
    """Repeat rate, urgent share and VIP share per group over local days [start, end].

    ``repeat_rate = repeats / contacts`` (contacts with a customer and tag count in the
    denominator too, as in DESIGN.md: repeats / contacts); ``urgent_share = is_urgent / contacts``;
    ``vip_share = segment 'vip' / contacts``. Each with Wilson bounds. ``is_repeat`` is the stored
    import flag unless ``recompute`` (or the stored flag is entirely missing), in which case the
    window rule runs in DuckDB over the reader's contacts. A vendor-scoped reader only sees its own
    center's contacts, so a recomputed flag misses repeats that started at another center; the
    stored flag (derived at import over every center) does not.
    """
    keys = contact_group_keys(by)
    c = reader.table("contacts")
    stored = reader.execute(c.aggregate(n=c.is_repeat.count()))["n"].iloc[0]
    use_calc = recompute or int(stored) == 0
    t = reader.table("tags").select("tag_id", "level1", "level1_en")
    if use_calc:
        j = contacts_with_repeat(reader)
        j = j.left_join(t.select("tag_id", "level1_en"), j.tag_id == t.tag_id)
        rep = j.is_repeat_calc
    else:
        j = c.left_join(t, c.tag_id == t.tag_id)
        rep = j.is_repeat.fill_null(False)
    s, e = _bounds(start, end)
    if s is not None:
        j = j.filter(j.created_local >= s)
    if e is not None:
        j = j.filter(j.created_local < e)
    fields = dict(
        contacts=j.count(),
        repeats=rep.cast("int64").sum(),
        urgent=j.is_urgent.fill_null(False).cast("int64").sum(),
        vip=(j.segment == "vip").fill_null(False).cast("int64").sum(),
    )
    expr = j.group_by(keys).aggregate(**fields) if keys else j.aggregate(**fields)
    df = reader.execute(expr)
    for col in ("contacts", "repeats", "urgent", "vip"):
        df[col] = df[col].fillna(0).astype("int64")
    for name, num in (("repeat_rate", "repeats"), ("urgent_share", "urgent"), ("vip_share", "vip")):
        df[name] = df[num] / df["contacts"].where(df["contacts"] > 0)
        ci = wilson_frame(df[num], df["contacts"])
        df[f"{name}_lo"], df[f"{name}_hi"] = ci["lo"], ci["hi"]
    df["repeat_source"] = "computed" if use_calc else "stored"
    if keys:
        df[keys] = df[keys].fillna("(none)")
        df = df.sort_values("contacts", ascending=False, ignore_index=True)
    return df
