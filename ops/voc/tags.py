"""VOC tag report: what customers contact us about, how that moves week to week and month to month.

One tag per conversation in a three-level taxonomy (``tags``: Korean ``level1..3`` with English
labels). Volumes count every contact with the tag (bot, self-serve and agent alike) by the center's
local day (``contacts.created_local``); untagged contacts appear as ``(untagged)``.

Periods are ISO weeks (Monday to Sunday) or calendar months. The report compares the latest
*complete* period in the data (the one whose last day is on or before the last day with contacts, or
``as_of``) with the one before it:

* ``share = volume / all volume`` of the period;
* ``is_new``: volume now and none in the ``lookback`` periods before (never when the data holds
  no contacts at all before the period).

Like with like. A period is *covered* on the days between the first full day of data (a first day
below 25 % of the median day is a partial export day and does not count) and the last day (``as_of``
when given, else the last day with contacts). ``comparison`` says how the two periods were compared:

* ``"volume"``: both periods fully covered: ``change = volume - prev_volume``;
* ``"per day"``: one of them is partly covered (the data starts inside the previous month) but
  each on at least ``min_coverage`` (half) of its days: the previous period's daily rate over its
  covered days is carried to this period's covered days, ``prev_comparable = prev_volume x days /
  prev_days`` and ``change = volume - prev_comparable`` (contacts at the previous rate), so
  ``change_pct = (volume / days) / (prev_volume / prev_days) - 1``;
* ``"not compared"``: a period covered on fewer days (six September days against a whole
  October would show every tag at +400 %): ``change`` and ``change_pct`` are NaN.

A CX manager reading "Delivery +400 % MoM" acts on it, so a partial month is never compared as if it
were whole; the note names the covered days. ``change_pct = change / prev_comparable`` (NaN when 0).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from ops.calendar import Period, last_complete_period, period_shift
from ops.errors import CcopsError

UNTAGGED = "(untagged)"
PARTIAL_DAY_SHARE = 0.25  # a first day below 25 % of the median day is a partial export day


def level_columns(level: int) -> tuple[list[str], list[str]]:
    """Korean and English label columns of the taxonomy down to ``level`` (1-3)."""
    if level not in (1, 2, 3):
        raise CcopsError(f"level must be 1, 2 or 3, got {level!r}")
    ko = [f"level{i}" for i in range(1, level + 1)]
    en = [f"level{i}_en" for i in range(1, level + 1)]
    return ko, en


def data_last_day(reader: Any) -> date | None:
    """The last local day with a contact in the reader's scope."""
    c = reader.table("contacts")
    df = reader.execute(c.aggregate(last=c.created_local.max()))
    v = df["last"].iloc[0]
    return None if pd.isna(v) else pd.Timestamp(v).date()


def first_full_day(daily_total: pd.Series) -> pd.Timestamp | None:
    """The first day of ``daily_total`` (contacts per day, indexed by day), or the second when the
    first holds under 25 % of the median day (an export starting mid-day in UTC). Only the first
    day: a low day after it is real (a holiday)."""
    total = daily_total.sort_index()
    if total.empty:
        return None
    if len(total) >= 2 and total.iloc[0] < PARTIAL_DAY_SHARE * total.median():
        return pd.Timestamp(total.index[1])
    return pd.Timestamp(total.index[0])


def data_first_day(reader: Any) -> date | None:
    """The first full local day with contacts in the reader's scope (see :func:`first_full_day`)."""
    c = reader.table("contacts")
    df = reader.execute(c.group_by(c.created_local.date().name("day")).aggregate(n=c.count()))
    first = first_full_day(df.set_index(pd.to_datetime(df["day"]))["n"])
    return None if first is None else first.date()


def period_days(start: date, period: Period, first: date | None, last: date) -> tuple[int, int]:
    """(days of the period covered by data in [first, last], days in the period)."""
    end = period_shift(start, period, 1) - timedelta(days=1)
    lo = max(start, first) if first else start
    hi = min(end, last)
    return max((hi - lo).days + 1, 0), (end - start).days + 1


def tags_frame(reader: Any) -> pd.DataFrame:
    """The taxonomy with English labels filled from Korean where missing."""
    t = reader.execute(reader.table("tags"))
    for i in (1, 2, 3):
        t[f"level{i}_en"] = t[f"level{i}_en"].fillna(t[f"level{i}"])
    t["path_en"] = t["path_en"].fillna(t["path"])
    return t


def daily_tag_volume(
    reader: Any, start: date | None = None, end: date | None = None, *, by_center: bool = False
) -> pd.DataFrame:
    """Contacts per local day and tag_id (DuckDB aggregate): ``day, tag_id[, center_id], volume``."""
    c = reader.table("contacts")
    if start is not None:
        c = c.filter(c.created_local >= datetime.combine(start, datetime.min.time()))
    if end is not None:
        c = c.filter(
            c.created_local < datetime.combine(end + timedelta(days=1), datetime.min.time())
        )
    keys = [c.created_local.date().name("day"), c.tag_id]
    if by_center:
        keys.append(c.center_id)
    df = reader.execute(c.group_by(keys).aggregate(volume=c.count()))
    df["day"] = pd.to_datetime(df["day"])
    return df


def with_tag_levels(df: pd.DataFrame, tags: pd.DataFrame, level: int) -> pd.DataFrame:
    """Attach the taxonomy levels (down to ``level``) to rows with a ``tag_id``."""
    ko, en = level_columns(level)
    out = df.merge(tags[["tag_id"] + ko + en], on="tag_id", how="left")
    for c in ko + en:
        out[c] = out[c].fillna(UNTAGGED if c.startswith("level1") else "")
    return out


def tag_period_volume(
    reader: Any, period: Period = "week", level: int = 3, start: date | None = None,
    end: date | None = None, *, coverage: bool = True,
) -> pd.DataFrame:  # fmt: skip
    """Volume per period start and tag node at ``level``:
    ``period_start, level1.., volume, days, period_days``.

    ``days`` of the period's ``period_days`` lie inside both ``[start, end]`` and the data (from
    its first full day to its last day, :func:`period_days`): a week or month cut by the window
    or by the data has fewer, and its volume is not comparable with a whole one. With
    ``coverage=False`` those two columns are left out (and the data's first and last day are
    not read): for callers that judge coverage themselves, like :func:`tag_report`.
    """
    ko, en = level_columns(level)
    daily = daily_tag_volume(reader, start, end)
    daily = with_tag_levels(daily, tags_frame(reader), level)
    if period == "week":
        daily["period_start"] = daily["day"] - pd.to_timedelta(daily["day"].dt.weekday, unit="D")
    else:
        daily["period_start"] = daily["day"].dt.to_period("M").dt.to_timestamp()
    out = (
        daily.groupby(["period_start"] + ko + en, dropna=False)["volume"]
        .sum()
        .reset_index()
        .sort_values(["period_start"] + ko, ignore_index=True)
    )
    if not coverage:
        return out
    last = data_last_day(reader)
    if last is None or out.empty:
        return out.assign(days=pd.Series(dtype="int64"), period_days=pd.Series(dtype="int64"))
    first = data_first_day(reader)
    if start is not None:
        start = pd.Timestamp(start).date()
        first = max(start, first) if first else start
    if end is not None:
        last = min(pd.Timestamp(end).date(), last)
    cover = {ps: period_days(ps.date(), period, first, last) for ps in out["period_start"].unique()}
    out["days"] = out["period_start"].map(lambda ps: cover[ps][0]).astype("int64")
    out["period_days"] = out["period_start"].map(lambda ps: cover[ps][1]).astype("int64")
    return out


def tag_report(
    reader: Any,
    period: Period = "week",
    level: int = 3,
    *,
    as_of: date | None = None,
    lookback: int = 4,
    min_coverage: float = 0.5,
) -> pd.DataFrame:
    """Volume, share and change vs the previous period per tag node (see module doc, including
    how partly covered periods are compared).

    Columns: ``period_start, prev_period_start, level1.., level1_en.., path, path_en, volume,
    share, prev_volume, change, change_pct, is_new, days, prev_days, prev_comparable,
    comparison``, sorted by volume.
    """
    ko, en = level_columns(level)
    last = as_of or data_last_day(reader)
    if last is None:
        return pd.DataFrame(columns=["period_start"] + ko + en + ["volume"])
    cur = last_complete_period(last, period)
    prev = period_shift(cur, period, -1)
    first = period_shift(cur, period, -max(lookback, 1))
    cur_end = period_shift(cur, period, 1) - timedelta(days=1)
    vol = tag_period_volume(reader, period, level, first, cur_end, coverage=False)
    keys = ko + en
    wide = vol.pivot_table(index=keys, columns="period_start", values="volume", aggfunc="sum")
    wide = wide.fillna(0)
    cur_ts, prev_ts = pd.Timestamp(cur), pd.Timestamp(prev)
    now = wide[cur_ts] if cur_ts in wide else pd.Series(0.0, index=wide.index)
    before = wide[prev_ts] if prev_ts in wide else pd.Series(0.0, index=wide.index)
    earlier = wide[[c for c in wide.columns if pd.Timestamp(c) < cur_ts]]
    out = pd.DataFrame({"volume": now, "prev_volume": before}).reset_index()
    # "new" needs history: with no contacts at all before the period nothing can be called new
    has_history = bool(earlier.to_numpy().sum() > 0)
    out["is_new"] = has_history & (now.to_numpy() > 0) & (earlier.sum(axis=1).to_numpy() == 0)
    total = out["volume"].sum()
    out["share"] = out["volume"] / total if total else np.nan
    data_first = data_first_day(reader)
    days, n_days = period_days(cur, period, data_first, last)
    prev_days, n_prev = period_days(prev, period, data_first, last)
    comparison, scale = _comparison(days, n_days, prev_days, n_prev, period, min_coverage)
    out["days"], out["prev_days"] = days, prev_days
    out["prev_comparable"] = out["prev_volume"] * scale
    out["change"] = out["volume"] - out["prev_comparable"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["change_pct"] = np.where(
            out["prev_comparable"] > 0, out["change"] / out["prev_comparable"], np.nan
        )
    out["comparison"] = comparison
    out["path"] = out[ko].apply(lambda r: "/".join(x for x in r if x), axis=1)
    out["path_en"] = out[en].apply(lambda r: "/".join(x for x in r if x), axis=1)
    out["period_start"] = cur
    out["prev_period_start"] = prev
    out = out[(out["volume"] > 0) | (out["prev_volume"] > 0)]
    ints = ["volume", "prev_volume"] + (["change", "prev_comparable"] if scale == 1.0 else [])
    for c in ints:
        out[c] = out[c].astype("int64")
    cols = ["period_start", "prev_period_start"] + keys + ["path", "path_en", "volume", "share"]
    cols += ["prev_volume", "change", "change_pct", "is_new", "days", "prev_days"]
    cols += ["prev_comparable", "comparison"]
    return out[cols].sort_values(["volume", "path"], ascending=[False, True], ignore_index=True)


def _comparison(
    days: int, n_days: int, prev_days: int, n_prev: int, period: Period, min_coverage: float
) -> tuple[str, float]:
    """(the ``comparison`` note, the factor that brings prev_volume to this period's days)."""
    if days == n_days and prev_days == n_prev:
        return "volume", 1.0
    cover = f"this {period}: data on {days} of {n_days} days, previous: {prev_days} of {n_prev}"
    if prev_days > 0 and days >= min_coverage * n_days and prev_days >= min_coverage * n_prev:
        return f"per day ({cover})", days / prev_days
    return f"not compared ({cover})", float("nan")


def top_movers(report: pd.DataFrame, n: int = 10, *, min_volume: int = 10) -> pd.DataFrame:
    """The ``n`` tags with the largest absolute change, among tags with at least ``min_volume``
    contacts in either period; rising and falling alike. When the periods were "not compared"
    (``change`` NaN, see the module doc) the largest tags come back, with that note."""
    r = report[(report["volume"] >= min_volume) | (report["prev_volume"] >= min_volume)]
    order = r["change"].abs().sort_values(ascending=False, kind="stable", na_position="last").index
    return r.loc[order].head(n).reset_index(drop=True)


def new_tags(report: pd.DataFrame) -> pd.DataFrame:
    """Tags with contacts this period and none in the lookback periods before."""
    return report[report["is_new"]].reset_index(drop=True)


def tag_hierarchy(reader: Any, start: date | None = None, end: date | None = None) -> pd.DataFrame:
    """Sunburst/treemap-ready frame: ``id, parent, label, label_en, level, value``.

    ``id`` is the Korean path prefix (``결제``, ``결제/환불``, ``결제/환불/지연``); ``parent`` is
    the id one level up ("" for level 1); ``value`` of a node = all contacts in its subtree, so use
    plotly's ``branchvalues="total"``.
    """
    daily = daily_tag_volume(reader, start, end)
    t = with_tag_levels(daily, tags_frame(reader), 3)
    leaf = (
        t.groupby(["level1", "level2", "level3", "level1_en", "level2_en", "level3_en"])["volume"]
        .sum()
        .reset_index()
    )
    rows: dict[str, dict[str, Any]] = {}
    records: list[dict[Any, Any]] = leaf.to_dict("records")
    for r in records:
        parts = [(str(r[f"level{i}"]), str(r[f"level{i}_en"])) for i in (1, 2, 3)]
        parent = ""
        for lvl, (ko, en_) in enumerate(parts, start=1):
            if not ko:
                break
            node = f"{parent}/{ko}" if parent else ko
            if node not in rows:
                rows[node] = {
                    "id": node,
                    "parent": parent,
                    "label": ko,
                    "label_en": en_ or ko,
                    "level": lvl,
                    "value": 0,
                }
            rows[node]["value"] += int(r["volume"])
            parent = node
    out = pd.DataFrame(
        rows.values(), columns=["id", "parent", "label", "label_en", "level", "value"]
    )
    return out.sort_values(["level", "value"], ascending=[True, False], ignore_index=True)
