"""Scoped data access for reports: every frame a report needs, read through a ``ScopedReader``.

The report layer computes no metric of its own: service level, ASA, response rates, CSAT, CES, NPS
and QA come from :func:`ops.sla.metric_table` (the registry), contract results and penalties from
:func:`ops.sla.compliance.compliance`. What is left here is counting rows (contacts per day, per
week and tag), summing schedule hours for cost, and reading stored forecasts and events — all
through the caller's reader, so a vendor's report cannot see another center's rows.
"""

from __future__ import annotations

import calendar as _cal
import json
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from ops.errors import ConfigError


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of ``YYYY-MM``."""
    try:
        y, m = (int(x) for x in month.split("-"))
        first = date(y, m, 1)
    except (ValueError, TypeError) as e:
        raise ConfigError(f"month must be YYYY-MM (e.g. 2026-10), got {month!r}") from e
    return first, date(y, m, _cal.monthrange(y, m)[1])


def previous_months(month: str, n: int) -> list[str]:
    """The ``n`` months ending with ``month`` (oldest first)."""
    first, _ = month_bounds(month)
    out = []
    y, m = first.year, first.month
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return out[::-1]


def month_label(d: Any) -> str:
    ts = pd.Timestamp(d)
    return f"{ts.year:04d}-{ts.month:02d}"


def _local_day(col: Any) -> Any:
    return col.cast("date")


def contacts_per_day(reader: Any, first: date, last: date, by_center: bool = False) -> pd.DataFrame:
    """Contacts per local day (``created_local``), optionally per center: day[, center_id], contacts."""
    t = reader.table("contacts")
    day = _local_day(t.created_local)
    t = t.filter((day >= first) & (day <= last))
    keys = {"day": _local_day(t.created_local)}
    if by_center:
        keys["center_id"] = t.center_id
    df = reader.execute(t.group_by(**keys).aggregate(contacts=t.count()))
    if df.empty:
        return pd.DataFrame(columns=["day", *(["center_id"] if by_center else []), "contacts"])
    df["day"] = pd.to_datetime(df["day"]).dt.date
    return df.sort_values(list(keys)).reset_index(drop=True)


def contacts_per_month(reader: Any, first: date, last: date) -> dict[str, int]:
    """Contacts per local month between two dates: {YYYY-MM: n}."""
    t = reader.table("contacts")
    day = _local_day(t.created_local)
    t = t.filter((day >= first) & (day <= last))
    m = t.created_local.truncate("M")
    df = reader.execute(t.group_by(month=m).aggregate(contacts=t.count()))
    return {month_label(r.month): int(r.contacts) for r in df.itertuples(index=False)}


def agent_cost_per_month(reader: Any, first: date, last: date) -> pd.DataFrame:
    """Scheduled agent hours and their cost per local month and center.

    hours = Σ schedules.scheduled_s ÷ 3600; cost = hours × centers.hourly_cost.
    Returns month, center_id, hours, hourly_cost, currency, cost.
    """
    s = reader.table("schedules")
    day = _local_day(s.interval_local)
    s = s.filter((day >= first) & (day <= last))
    df = reader.execute(
        s.group_by(month=s.interval_local.truncate("M"), center_id=s.center_id).aggregate(
            scheduled_s=s.scheduled_s.sum()
        )
    )
    centers = reader.centers()[["center_id", "hourly_cost", "currency"]]
    if df.empty:
        return pd.DataFrame(
            columns=["month", "center_id", "hours", "hourly_cost", "currency", "cost"]
        )
    df = df.merge(centers, on="center_id", how="left")
    df["month"] = df["month"].map(month_label)
    df["hours"] = df["scheduled_s"].astype(float) / 3600.0
    df["cost"] = df["hours"] * df["hourly_cost"].astype(float)
    return df[["month", "center_id", "hours", "hourly_cost", "currency", "cost"]]


def data_span(reader: Any) -> tuple[date, date] | None:
    """First and last local day with contacts in the scope (None when there are none)."""
    t = reader.table("contacts")
    df = reader.execute(t.aggregate(lo=t.created_local.min(), hi=t.created_local.max()))
    if df.empty or pd.isna(df["lo"].iloc[0]):
        return None
    return pd.Timestamp(df["lo"].iloc[0]).date(), pd.Timestamp(df["hi"].iloc[0]).date()


def weekly_tag_counts(reader: Any, first: date, last: date) -> pd.DataFrame:
    """Contacts per local week (Monday) and tag, for complete weeks between two dates.

    Returns week, tag_id, path, path_en, contacts.
    """
    # Complete weeks only: inside both [first, last] and the days that have contacts at all, from
    # the first Monday to the last Sunday (a week cut by the start of the data is not a drop).
    span = data_span(reader)
    if span is None:
        return pd.DataFrame(columns=["week", "tag_id", "path", "path_en", "contacts"])
    first, last = max(first, span[0]), min(last, span[1])
    w0 = first + timedelta(days=(7 - first.weekday()) % 7)
    w1 = last - timedelta(days=(last.weekday() + 1) % 7)
    if w1 < w0:
        return pd.DataFrame(columns=["week", "tag_id", "path", "path_en", "contacts"])
    c = reader.table("contacts")
    day = _local_day(c.created_local)
    c = c.filter((day >= w0) & (day <= w1) & c.tag_id.notnull())
    df = reader.execute(
        c.group_by(week=c.created_local.truncate("W"), tag_id=c.tag_id).aggregate(
            contacts=c.count()
        )
    )
    tags = reader.execute(reader.table("tags").select("tag_id", "path", "path_en"))
    if df.empty:
        return pd.DataFrame(columns=["week", "tag_id", "path", "path_en", "contacts"])
    df["week"] = pd.to_datetime(df["week"]).dt.date
    df = df.merge(tags, on="tag_id", how="left")
    return df.sort_values(["week", "tag_id"]).reset_index(drop=True)


def scoped_events(reader: Any, first: date, last: date) -> pd.DataFrame:
    """Events overlapping [first, last] that apply to the scope (all-center or an allowed center)."""
    e = reader.table("events")
    e = e.filter((e.start_date <= last) & (e.end_date >= first))
    ids = reader.scope.center_ids
    if ids is not None:
        e = e.filter(e.center_id.isnull() | e.center_id.isin(sorted(ids)))
    df = reader.execute(e)
    if df.empty:
        return df
    for col in ("start_date", "end_date"):
        df[col] = pd.to_datetime(df[col]).dt.date
    return df.sort_values(["start_date", "event_id"]).reset_index(drop=True)


def public_holidays(centers: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """Public holidays between two dates for the countries the centers' calendars name.

    From the ``holidays`` package (Korean lunar holidays and substitute days included); returns
    the events columns (kind 'holiday'), one row per day, with names in English and Korean.
    """
    import holidays as hol

    countries: set[str] = set()
    for cj in centers.get("calendar_json", pd.Series(dtype=object)).dropna():
        try:
            c = json.loads(cj).get("holidays")
        except (ValueError, AttributeError):
            continue
        if c:
            countries.add(str(c))
    rows = []
    years = list(range(first.year, last.year + 1))
    for country in sorted(countries):
        try:
            en = hol.country_holidays(country, years=years, language="en_US")
        except (NotImplementedError, KeyError):
            continue
        try:
            ko = hol.country_holidays(country, years=years, language="ko")
        except (NotImplementedError, KeyError):
            ko = en
        for d, name in sorted(en.items()):
            if first <= d <= last:
                rows.append(
                    {"event_id": f"{country}-{d.isoformat()}", "kind": "holiday", "name": name,
                     "name_ko": ko.get(d, name), "start_date": d, "end_date": d,
                     "center_id": None, "expected_effect": None}
                )  # fmt: skip
    return pd.DataFrame(rows)


def _run_as_of(runs: pd.DataFrame) -> pd.Series:
    """Each run's ``as_of`` (last day of history it saw) from params_json; NaT when absent."""

    def one(v: Any) -> Any:
        try:
            return json.loads(v or "{}").get("as_of")
        except (ValueError, AttributeError):
            return None

    return pd.to_datetime(runs["params_json"].map(one), errors="coerce")


def pick_forecast_run(reader: Any, first: date, last: date) -> dict[str, Any] | None:
    """The stored run to judge or plan [first, last] with.

    Among runs with forecasts for those days (scoped): the one with the latest ``as_of`` before
    ``first`` (a forecast made before the period: what planners had), else the latest created.
    Returns run_id, created_at, as_of, model and ``before_period``; None when no run covers the days.
    """
    return pick_forecast_runs(reader, [(first, last)])[0]


def pick_forecast_runs(
    reader: Any, periods: list[tuple[date, date]]
) -> list[dict[str, Any] | None]:
    """:func:`pick_forecast_run` for several periods, reading the runs and their coverage once.

    One query counts each run's forecast rows per day over the whole span; a run covers a period
    when it has a row on one of the period's days.
    """
    if not periods:
        return []
    runs = reader.execute(reader.table("forecast_runs"))
    if runs.empty:
        return [None] * len(periods)
    runs["created_at"] = pd.to_datetime(runs["created_at"])
    runs["as_of"] = _run_as_of(runs)
    lo, hi = min(p[0] for p in periods), max(p[1] for p in periods)
    f = reader.table("forecasts")
    ds_day = f.ds.cast("date")
    inside = f.filter((ds_day >= lo) & (ds_day <= hi))
    cover = reader.execute(inside.group_by("run_id", day=ds_day).aggregate(n=inside.count()))
    days = pd.to_datetime(cover["day"]).to_numpy(dtype="datetime64[D]")
    out: list[dict[str, Any] | None] = []
    for first, last in periods:
        inside_days = (days >= np.datetime64(first, "D")) & (days <= np.datetime64(last, "D"))
        ids = set(cover.loc[inside_days, "run_id"])
        out.append(_pick(runs[runs["run_id"].isin(ids)], first))
    return out


def _pick(runs: pd.DataFrame, first: date) -> dict[str, Any] | None:
    if runs.empty:
        return None
    before = runs[runs["as_of"].notna() & (runs["as_of"] < pd.Timestamp(first))]
    if not before.empty:
        pick = before.sort_values(["as_of", "created_at", "run_id"]).iloc[-1]
    else:
        pick = runs.sort_values(["created_at", "run_id"]).iloc[-1]
    return {
        "run_id": str(pick["run_id"]),
        "created_at": pd.Timestamp(pick["created_at"]).isoformat(),
        "as_of": None if pd.isna(pick["as_of"]) else pd.Timestamp(pick["as_of"]).date().isoformat(),
        "model": pick.get("model"),
        "before_period": not before.empty,
    }


def stored_forecast(reader: Any, first: date, last: date) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Daily forecast rows for [first, last] from the run :func:`pick_forecast_run` chooses.

    One row per local day and series: day, series_id, center_id, queue_id, yhat, yhat_lo, yhat_hi
    (a series' sub-daily rows summed into its day). Empty (and {}) when no run covers the days.
    Bands of several rows must not be added up (see ``executive.weekly_band``).
    """
    info = pick_forecast_run(reader, first, last)
    if info is None:
        return pd.DataFrame(), {}
    f = reader.table("forecasts")
    ds_day = f.ds.cast("date")
    f = f.filter((f.run_id == info["run_id"]) & (ds_day >= first) & (ds_day <= last))
    rows = reader.execute(
        f.group_by(
            day=f.ds.cast("date"),
            series_id=f.series_id,
            center_id=f.center_id,
            queue_id=f.queue_id,
        ).aggregate(yhat=f.yhat.sum(), yhat_lo=f.yhat_lo.sum(), yhat_hi=f.yhat_hi.sum())
    )
    rows["day"] = pd.to_datetime(rows["day"]).dt.date
    return rows, info


def scheduled_hours(reader: Any, first: date, last: date) -> float:
    """Scheduled agent hours (Σ schedules.scheduled_s ÷ 3600) between two local days, inclusive."""
    s = reader.table("schedules")
    day = _local_day(s.interval_local)
    s = s.filter((day >= first) & (day <= last))
    df = reader.execute(s.aggregate(total=s.scheduled_s.sum()))
    v = df["total"].iloc[0] if len(df) else None
    return 0.0 if v is None or pd.isna(v) else float(v) / 3600.0
