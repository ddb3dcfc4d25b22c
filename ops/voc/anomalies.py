"""Anomaly flags: days when a tag's volume leaves its usual band (an outage, a broken release).

Baseline per tag node and day: the median of the same weekday's volume over the previous ``weeks``
weeks (at least ``min_history`` of them, weekday-aware because Mondays are not Sundays). Spread:
``sigma = max(1.4826 x MAD, sqrt(baseline), 1)`` where MAD is the median absolute deviation of
those same-weekday volumes; the ``sqrt(baseline)`` floor is the Poisson standard deviation, so a
tag with a flat history is not flagged for ordinary counting noise. A day is flagged when
``|volume - baseline| > k x sigma`` and the absolute difference is at least ``min_excess``
contacts. ``z = (volume - baseline) / sigma``. Overlapping events (any kind) are named alongside.
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from ops.voc.tags import daily_tag_volume, level_columns, tags_frame, with_tag_levels

MAD_SCALE = 1.4826


def flag_anomalies(
    daily: pd.DataFrame,
    keys: list[str],
    *,
    weeks: int = 4,
    min_history: int = 3,
    k: float = 4.0,
    min_excess: float = 5.0,
) -> pd.DataFrame:
    """Pure: ``daily`` has ``day`` + ``keys`` + ``volume``; returns every scored day with
    ``baseline, sigma, band_lo, band_hi, z, is_anomaly, direction``. Missing days count as 0."""
    if daily.empty:
        extra = ["baseline", "sigma", "z", "is_anomaly", "band_lo", "band_hi", "direction"]
        return pd.DataFrame(columns=["day", *keys, "volume", *extra])
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
    # lagged same-weekday values: lags[:, :, j - 1] = the value j weeks earlier
    lags = np.full((n, m, weeks), np.nan)
    for j in range(1, weeks + 1):
        if n > 7 * j:
            lags[7 * j :, :, j - 1] = vals[: n - 7 * j, :]
    have = np.sum(~np.isnan(lags), axis=2)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: too little history
        base = np.nanmedian(lags, axis=2)
        mad = np.nanmedian(np.abs(lags - base[:, :, None]), axis=2)
    sigma = np.maximum(
        np.maximum(MAD_SCALE * np.nan_to_num(mad), np.sqrt(np.maximum(np.nan_to_num(base), 0))), 1.0
    )
    ok = have >= min_history
    diff = vals - base
    with np.errstate(invalid="ignore"):
        flag = ok & (np.abs(diff) > k * sigma) & (np.abs(diff) >= min_excess)
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
    return res


def anomaly_flags(
    reader: Any,
    level: int = 1,
    start: date | None = None,
    end: date | None = None,
    *,
    weeks: int = 4,
    k: float = 4.0,
    min_excess: float = 5.0,
    expected_kinds: tuple[str, ...] = ("holiday", "closure"),
) -> pd.DataFrame:
    """Flagged (tag node, day) rows over local days [start, end], history taken from before start.

    Days covered by an event of ``expected_kinds`` (public holidays, closures: the dip is known and
    the forecast handles it) are not flagged. ``events`` names the events on that day that apply
    to the tag node (events without a tag, or whose tag is in or above the node).
    Columns: ``day, level1.., volume, baseline, band_lo, band_hi, z, direction, events``.
    """
    ko, en = level_columns(level)
    hist_start = start - timedelta(days=7 * weeks) if start else None
    daily = daily_tag_volume(reader, hist_start, end)
    daily = with_tag_levels(daily, tags_frame(reader), level)
    daily = daily.groupby(["day"] + ko + en, dropna=False)["volume"].sum().reset_index()
    scored = flag_anomalies(daily, ko + en, weeks=weeks, k=k, min_excess=min_excess)
    res = scored[scored["is_anomaly"].astype(bool)]
    if start is not None:
        res = res[res["day"] >= pd.Timestamp(start)]
    cols = ["day"] + ko + en + ["volume", "baseline", "band_lo", "band_hi", "z", "direction"]
    res = res[cols].sort_values(["day", "z"], ascending=[True, False], ignore_index=True)
    ev = reader.execute(
        reader.table("events").select("name", "kind", "start_date", "end_date", "tag_id")
    )
    ev["start_date"] = pd.to_datetime(ev["start_date"])
    ev["end_date"] = pd.to_datetime(ev["end_date"])
    ev = ev.merge(tags_frame(reader)[["tag_id", "path"]], on="tag_id", how="left")
    if expected_kinds and len(res):
        quiet = ev[ev["kind"].isin(expected_kinds)]
        skip = [((quiet["start_date"] <= d) & (quiet["end_date"] >= d)).any() for d in res["day"]]
        res = res[~pd.Series(skip, index=res.index)].reset_index(drop=True)
    res["events"] = _events_on(ev, res, ko)
    return res


def _events_on(ev: pd.DataFrame, flagged: pd.DataFrame, ko: list[str]) -> list[str]:
    """Names of events on each flagged day that concern its tag node."""
    names = []
    for row in flagged.to_dict("records"):
        node = "/".join(str(row[c]) for c in ko if row[c])
        on_day = ev[(ev["start_date"] <= row["day"]) & (ev["end_date"] >= row["day"])]
        path = on_day["path"].fillna("").astype(str)
        applies = (
            on_day["tag_id"].isna()
            | (path == node)
            | path.str.startswith(node + "/")
            | pd.Series([node.startswith(p + "/") for p in path], index=on_day.index, dtype=bool)
        )
        names.append(", ".join(sorted(map(str, on_day.loc[applies, "name"]))))
    return names
