"""Anomaly flags: days when a tag's volume leaves its usual band (an outage, a broken release).

A CX lead reads this list to find the days customers wrote in about something unusual, so the
band has to describe *normal* days. Baseline per tag node and day ``d``, over the ``weeks`` weeks
before ``d``, using only **clean** days: not a public holiday or closed date of a center in scope,
and not covered by an event that concerns the node (any kind: a holiday, an outage, a campaign, a
staffing note; an event without tags concerns every node, one with tags concerns the nodes above
and below those tags). Two tiers:

1. ``basis = "weekday"``: the median of the clean same-weekday days (Mondays are not Sundays), when
   there are at least ``min_history`` of them;
2. ``basis = "day class"``: otherwise the clean days of the same class (Mon-Fri, or Sat-Sun) in
   the window, again at least ``min_history`` of them, each first carried to ``d``'s weekday by
   the weekday profile of all contacts: ``x x T(weekday of d) / T(weekday of x)`` where ``T(w)``
   is the median all-tag volume of the clean weekday-``w`` days in the window (a weekday without
   one takes its class's median, factor 1). The all-tag total has thousands of contacts a day, so
   one tag's spike does not bend the profile, and a regular Monday peak stays expected. Short
   histories (a demo that starts three weeks before an outage, a month with two holiday Fridays)
   are still judged.

With neither, the day is not scored. Spread: ``sigma = max(1.4826 x MAD, sqrt(baseline), 1)``
where MAD is the median absolute deviation of the same baseline days; the ``sqrt(baseline)`` floor
is the Poisson standard deviation, so a flat history is not flagged for ordinary counting noise.
Median and MAD are robust: one earlier spike in the window moves neither, so it cannot hide the
next one. A day is flagged when ``|volume - baseline| > k x sigma`` and the absolute difference is
at least ``min_excess`` contacts; ``z = (volume - baseline) / sigma``.

The two days before and after Seollal and Chuseok (the surge before the lunar holidays, the rebound
after) are no normal days either: they are left out of baselines and marked, but judged.
Public holidays, closed dates and days of ``holiday``/``closure`` events are judged upwards only:
their dip is known (the forecast handles it), but a surge above the normal-day band on a holiday
(an outage on Chuseok) is flagged all the same, marked with the holiday's name. Other event days
(an outage) are judged both ways, and the events on a flagged day that concern its node are named
alongside.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from ops.voc.tags import (
    daily_tag_volume,
    first_full_day,
    level_columns,
    tags_frame,
    with_tag_levels,
)

MAD_SCALE = 1.4826

_SCORED = ["baseline", "sigma", "z", "is_anomaly", "band_lo", "band_hi", "direction"]
_SCORED += ["basis", "baseline_days", "is_holiday"]


def _day_class(weekday: np.ndarray) -> np.ndarray:
    """0 for Monday-Friday, 1 for Saturday-Sunday."""
    return (weekday >= 5).astype(int)


def _mask(
    rows: pd.DataFrame | None, keys: list[str], days: pd.DatetimeIndex, key_frame: pd.DataFrame
) -> np.ndarray:
    """days x series booleans, True where ``rows`` (``day`` + ``keys``) names that day and series."""
    out = np.zeros((len(days), len(key_frame)), dtype=bool)
    if rows is None or rows.empty:
        return out
    sid = key_frame.reset_index(drop=True).reset_index().rename(columns={"index": "_col"})
    hit = rows[["day", *keys]].merge(sid[["_col", *keys]], on=keys, how="inner")
    pos = days.get_indexer(pd.DatetimeIndex(pd.to_datetime(hit["day"])))
    ok = pos >= 0
    out[pos[ok], hit["_col"].to_numpy()[ok]] = True
    return out


def flag_anomalies(
    daily: pd.DataFrame,
    keys: list[str],
    *,
    weeks: int = 4,
    min_history: int = 3,
    k: float = 4.0,
    min_excess: float = 5.0,
    holidays: Iterable[date] = (),
    special_days: Iterable[date] = (),
    excluded: pd.DataFrame | None = None,
    quiet: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Pure: score every (day, series) of ``daily`` (``day`` + ``keys`` + ``volume``; missing days
    count as 0) against the baseline described in the module docstring.

    ``holidays``: days left out of every baseline and flagged only upwards (``is_holiday``).
    ``special_days``: days left out of every baseline and judged both ways (the surge before and
    the rebound after Seollal and Chuseok). ``excluded``: ``day`` + ``keys`` rows left out of
    that series' baseline (event days), still judged. ``quiet``: rows treated like holidays for that series (holiday/closure events).
    Returns ``day, keys.., volume, baseline, sigma, z, is_anomaly, band_lo, band_hi, direction,
    basis ("weekday", "day class" or "" when unscored), baseline_days, is_holiday``.
    """
    if daily.empty:
        return pd.DataFrame(columns=["day", *keys, "volume", *_SCORED])
    days = pd.date_range(daily["day"].min(), daily["day"].max(), freq="D")
    # one integer id per series: a pivot over several key columns with dropna=False would build
    # their full cartesian product
    ids = daily.groupby(keys, sort=True, dropna=False).ngroup()
    key_frame = (
        daily[keys].assign(_sid=ids.to_numpy()).drop_duplicates("_sid").sort_values("_sid")
    ).reset_index(drop=True)
    wide = (
        daily.assign(_sid=ids.to_numpy())
        .pivot_table(index="day", columns="_sid", values="volume", aggfunc="sum")
        .reindex(index=days, columns=key_frame["_sid"], fill_value=0)
        .fillna(0)
    )
    vals = wide.to_numpy(dtype=float)  # days x series
    n, m = vals.shape
    kf = key_frame[keys]
    hol_days = {pd.Timestamp(d) for d in holidays}
    is_hol = np.array([d in hol_days for d in days], dtype=bool)
    quiet_m = _mask(quiet, keys, days, kf) | is_hol[:, None]
    special = {pd.Timestamp(d) for d in special_days}
    is_special = np.array([d in special for d in days], dtype=bool)
    clean = ~(quiet_m | _mask(excluded, keys, days, kf) | is_special[:, None])

    # lagged clean values: lags[:, :, j - 1] = the value j days earlier (NaN if not clean / absent)
    span = 7 * weeks
    lags = np.full((n, m, span), np.nan)
    for j in range(1, min(span, n - 1) + 1):
        lags[j:, :, j - 1] = np.where(clean[: n - j], vals[: n - j], np.nan)
    weekday = days.weekday.to_numpy()
    lag_weekday = (weekday[:, None] - np.arange(1, span + 1)[None, :]) % 7  # days x lags
    same_day = (np.arange(1, span + 1) % 7 == 0)[None, :].repeat(n, axis=0)
    same_class = _day_class(lag_weekday) == _day_class(weekday)[:, None]
    profile = _weekday_rescale(vals.sum(axis=1), clean.all(axis=1), weekday, lag_weekday, span)

    def robust(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        have = np.sum(~np.isnan(x), axis=2)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: too little history
            med = np.nanmedian(x, axis=2)
            mad = np.nanmedian(np.abs(x - med[:, :, None]), axis=2)
        return med, mad, have

    base_w, mad_w, have_w = robust(np.where(same_day[:, None, :], lags, np.nan))
    pool = np.where(same_class[:, None, :], lags * profile[:, None, :], np.nan)
    base_c, mad_c, have_c = robust(pool)
    use_w = have_w >= min_history
    use_c = ~use_w & (have_c >= min_history)
    ok = use_w | use_c
    base = np.where(use_w, base_w, base_c)
    mad = np.where(use_w, mad_w, mad_c)
    used = np.where(use_w, have_w, np.where(use_c, have_c, 0))
    sigma = np.maximum(
        np.maximum(MAD_SCALE * np.nan_to_num(mad), np.sqrt(np.maximum(np.nan_to_num(base), 0))), 1.0
    )
    diff = vals - base
    with np.errstate(invalid="ignore"):
        # a holiday is judged upwards only: its dip is expected, a surge above the normal-day
        # band (an outage on Chuseok) is not
        flag = (
            ok & (~quiet_m | (diff > 0)) & (np.abs(diff) > k * sigma) & (np.abs(diff) >= min_excess)
        )
    res = pd.DataFrame(
        {
            "day": np.repeat(days.to_numpy(), m),
            "volume": vals.reshape(-1).astype(int),
            "baseline": np.where(ok, base, np.nan).reshape(-1),
            "sigma": np.where(ok, sigma, np.nan).reshape(-1),
            "z": np.where(ok, diff / sigma, np.nan).reshape(-1),
            "is_anomaly": flag.reshape(-1),
        }
    )
    for c in keys:
        res[c] = np.tile(key_frame[c].to_numpy(), n)
    res["band_lo"] = np.maximum(res["baseline"] - k * res["sigma"], 0)
    res["band_hi"] = res["baseline"] + k * res["sigma"]
    res["direction"] = np.where(res["z"] > 0, "high", "low")
    res["basis"] = np.where(use_w, "weekday", np.where(use_c, "day class", "")).reshape(-1)
    res["baseline_days"] = used.reshape(-1).astype(int)
    res["is_holiday"] = quiet_m.reshape(-1)
    return res[["day", *keys, "volume", *_SCORED]]


def _weekday_rescale(
    total: np.ndarray, clean: np.ndarray, weekday: np.ndarray, lag_weekday: np.ndarray, span: int
) -> np.ndarray:
    """days x lags factors ``T[d, weekday(d)] / T[d, weekday(d - j)]`` that carry a value seen
    ``j`` days before ``d`` to ``d``'s weekday, where ``T[d, w]`` is the median all-tag volume of
    the clean weekday-``w`` days in the window before ``d`` (a weekday with none takes the median
    of the clean days of its class). The all-tag total has thousands of contacts a day, so one
    tag's spike does not move the profile."""
    n = len(total)
    lt = np.full((n, span), np.nan)
    for j in range(1, min(span, n - 1) + 1):
        lt[j:, j - 1] = np.where(clean[: n - j], total[: n - j], np.nan)
    level = np.full((n, 7), np.nan)
    cls_level = np.full((n, 2), np.nan)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for w in range(7):
            level[:, w] = np.nanmedian(np.where(lag_weekday == w, lt, np.nan), axis=1)
        for c in (0, 1):
            cls_level[:, c] = np.nanmedian(np.where(_day_class(lag_weekday) == c, lt, np.nan), 1)
    for w in range(7):
        level[:, w] = np.where(np.isnan(level[:, w]), cls_level[:, int(w >= 5)], level[:, w])
    rows = np.arange(n)[:, None]
    with np.errstate(all="ignore"):
        f = level[rows, weekday[:, None]] / level[rows, lag_weekday]
    return np.where(np.isfinite(f) & (f > 0), f, 1.0)


def center_holidays(reader: Any, first: date, last: date) -> dict[date, str]:
    """Public holidays and closed dates of the centers in the reader's scope, ``{day: name}``.

    The calendars are the forecast's (:func:`ops.forecasting.service.center_holiday_calendars`: a
    center without a holiday country follows its customers' country); a day that is a holiday of
    any center in scope counts, since the tag volumes add up every center's contacts.
    """
    return center_special_days(reader, first, last)[0]


def center_special_days(
    reader: Any, first: date, last: date
) -> tuple[dict[date, str], dict[date, str]]:
    """``(holidays, lunar_around)``: :func:`center_holidays`, and the days just before and after
    Seollal and Chuseok (the forecast's ``seollal:pre1`` .. ``chuseok:post2`` day types, where
    volume surges and rebounds) named like ``after Chuseok (1)``."""
    from ops.forecasting.service import center_holiday_calendars

    holidays: dict[date, str] = {}
    around: dict[date, str] = {}
    span = pd.date_range(first, last, freq="D")
    for cal in center_holiday_calendars(reader.store, reader.scope).values():
        for d, name in cal.holiday_names(first, last).items():
            holidays.setdefault(d, name)
        for ts, label in cal.day_types(span).dropna().items():
            name, _, pos = str(label).partition(":")
            if pos.startswith(("pre", "post")):
                side = "before" if pos.startswith("pre") else "after"
                nth = pos.removeprefix("pre").removeprefix("post")
                day = pd.Timestamp(str(ts)).date()
                around.setdefault(day, f"{side} {name.capitalize()} ({nth})")
    return holidays, {d: n for d, n in around.items() if d not in holidays}


def _drop_partial_first_day(daily: pd.DataFrame) -> pd.DataFrame:
    """Drop a partial first day (:func:`ops.voc.tags.first_full_day`): read as data it would be a
    fake dip in every baseline."""
    first = first_full_day(daily.groupby("day")["volume"].sum())
    return daily if first is None else daily[daily["day"] >= first]


def _event_node_rows(
    ev: pd.DataFrame, nodes: pd.DataFrame, ko: list[str], keys: list[str]
) -> pd.DataFrame:
    """``day`` + ``keys`` rows for every day of every event, for the nodes the event concerns."""
    if ev.empty or nodes.empty:
        return pd.DataFrame(columns=["day", *keys])
    node_path = nodes[ko].astype(str).apply(lambda r: "/".join(x for x in r if x), axis=1)
    parts = []
    for e in ev.to_dict("records"):
        paths = [p for p in e["paths"] if p]
        if paths:
            hit = node_path.map(
                lambda n, ps=paths: any(
                    p == n or p.startswith(n + "/") or n.startswith(p + "/") for p in ps
                )  # fmt: skip
            )
        else:
            hit = pd.Series(True, index=nodes.index)
        sel = nodes.loc[hit.to_numpy(), keys]
        if sel.empty:
            continue
        span = pd.date_range(e["start_date"], e["end_date"], freq="D")
        parts.append(sel.merge(pd.DataFrame({"day": span}), how="cross"))
    if not parts:
        return pd.DataFrame(columns=["day", *keys])
    return pd.concat(parts, ignore_index=True).drop_duplicates()


def store_tag_events(reader: Any) -> pd.DataFrame:
    """The events table with ``paths``: the Korean tag paths each event concerns (its ``tag_id``,
    or the ``notes`` "tags: A, B" list, as the forecast reads them; [] = every tag)."""
    from ops.forecasting.service import _event_tags

    ev = reader.execute(
        reader.table("events").select("name", "kind", "start_date", "end_date", "tag_id", "notes")
    )
    ev["start_date"] = pd.to_datetime(ev["start_date"])
    ev["end_date"] = pd.to_datetime(ev["end_date"])
    path_of = dict(zip(*tags_frame(reader)[["tag_id", "path"]].T.to_numpy(), strict=True))
    ev["paths"] = [[str(path_of.get(t, "")) for t in _event_tags(e)] for e in ev.to_dict("records")]
    return ev


def anomaly_flags(
    reader: Any,
    level: int = 1,
    start: date | None = None,
    end: date | None = None,
    *,
    weeks: int = 4,
    min_history: int = 3,
    k: float = 4.0,
    min_excess: float = 5.0,
    expected_kinds: tuple[str, ...] = ("holiday", "closure"),
) -> pd.DataFrame:
    """Flagged (tag node, day) rows over local days [start, end], history taken from before start.

    Baseline and band as in the module docstring: public holidays of the centers in scope, closed
    dates and event days are left out of the baseline; holidays, closed dates and days of events
    of ``expected_kinds`` are flagged only when above the band; the days around Seollal and Chuseok
    are left out of the baseline too (judged both ways). ``holiday`` names the public holiday or
    the lunar-holiday day (``after Chuseok (1)``; "" on other days). ``events`` names the events on that day that concern the tag node
    (events without a tag, or whose tags are in, above or below the node).
    Columns: ``day, level1.., volume, baseline, band_lo, band_hi, z, direction, basis,
    baseline_days, holiday, events``.
    """
    ko, en = level_columns(level)
    keys = ko + en
    hist_start = start - timedelta(days=7 * weeks) if start else None
    daily = daily_tag_volume(reader, hist_start, end)
    daily = with_tag_levels(daily, tags_frame(reader), level)
    daily = daily.groupby(["day"] + keys, dropna=False)["volume"].sum().reset_index()
    daily = _drop_partial_first_day(daily)
    ev = store_tag_events(reader)
    holidays: dict[date, str] = {}
    around: dict[date, str] = {}
    excluded = quiet = None
    if len(daily):
        first, last = daily["day"].min().date(), daily["day"].max().date()
        holidays, around = center_special_days(reader, first, last)
        nodes = daily[keys].drop_duplicates().reset_index(drop=True)
        expected = ev["kind"].isin(expected_kinds)
        excluded = _event_node_rows(ev[~expected], nodes, ko, keys)
        quiet = _event_node_rows(ev[expected], nodes, ko, keys)
    scored = flag_anomalies(daily, keys, weeks=weeks, min_history=min_history, k=k,
                            min_excess=min_excess, holidays=holidays, special_days=around, excluded=excluded,
                            quiet=quiet)  # fmt: skip
    res = scored[scored["is_anomaly"].astype(bool)]
    if start is not None:
        res = res[res["day"] >= pd.Timestamp(start)]
    cols = ["day"] + keys + ["volume", "baseline", "band_lo", "band_hi", "z", "direction"]
    cols += ["basis", "baseline_days"]
    res = res[cols].sort_values(["day", "z"], ascending=[True, False], ignore_index=True)
    res["holiday"] = [holidays.get(d.date(), around.get(d.date(), "")) for d in res["day"]]
    res["events"] = _events_on(ev, res, ko)
    return res


def _events_on(ev: pd.DataFrame, flagged: pd.DataFrame, ko: list[str]) -> list[str]:
    """Names of events on each flagged day that concern its tag node."""
    names = []
    for row in flagged.to_dict("records"):
        node = "/".join(str(row[c]) for c in ko if row[c])
        on_day = ev[(ev["start_date"] <= row["day"]) & (ev["end_date"] >= row["day"])]
        applies = [
            not ps or any(p == node or p.startswith(node + "/") or node.startswith(p + "/")
                          for p in ps)
            for ps in on_day["paths"]
        ]  # fmt: skip
        names.append(", ".join(sorted(map(str, on_day.loc[applies, "name"]))))
    return names
