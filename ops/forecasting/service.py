"""Forecasting on the store: daily volume per center × queue, stored runs, forecast vs actual.

Volume definition: contacts offered to agents, i.e. ``contacts`` rows whose ``handled_by`` is not
``bot`` or ``self_serve`` (abandoned contacts count: they were offered), counted by the local date of
``created_local``. Days without contacts inside a series' span are 0 (the center was closed or quiet),
not missing. One series per center × queue, id ``CENTER|QUEUE`` (e.g. ``SEOUL|V_GENERAL``), with
``center_id``/``queue_id`` filled on every stored row so vendor users see only their own.

This volume is deliberately NOT the SLA registry's ``offered`` (answered + abandoned with short
abandons removed, live queues only): a forecast predicts arrivals that need an agent, so it also
counts short abandons (staffing's Erlang A fit models them), async contacts still open and those
withdrawn. The bot/self-serve population rule is the registry's (``ops.sla.sources.BOT_HANDLERS``),
and for live contacts with an outcome the count equals staffing's ``interval_counts`` offered
(short abandons included) = registry offered + short abandons.

Each run is one ``forecast_runs`` row (model, parameters incl. ``as_of`` and per-series backtest WAPE,
created_at) and its ``forecasts`` rows; forecast-vs-actual and accuracy by horizon are computed from
stored runs, never re-forecast. Aggregation runs in DuckDB through the scoped Ibis reader.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ops.errors import ForecastError, ValidationError
from ops.forecasting.daily import DailyForecaster
from ops.forecasting.frame import DS, MODEL, SERIES_ID, YHAT, YHAT_HI, YHAT_LO, Y, periods_per_day
from ops.forecasting.intraday import (
    EVE_GROUP,
    HOLIDAY_GROUP,
    build_profile,
    day_group,
    spread_daily,
)
from ops.forecasting.metrics import accuracy_table, horizon_bucket, seasonal_naive_scale
from ops.forecasting.models import AUTO_CANDIDATES
from ops.forecasting.specialdays import SpecialDayCalendar
from ops.sla.sources import BOT_HANDLERS

if TYPE_CHECKING:
    from ops.store.db import Store
    from ops.store.scope import Scope

NOT_OFFERED = BOT_HANDLERS  # contained by a bot or a self-serve flow: never offered to an agent
SEP = "|"
CODE_VERSION = "forecasting-1"
MIN_BACKFILL_HISTORY_DAYS = 28


def series_id_for(center_id: str, queue_id: str) -> str:
    """``CENTER|QUEUE``, the id of a store series."""
    return f"{center_id}{SEP}{queue_id}"


def _offered(t: Any) -> Any:
    return t.filter(t.handled_by.isnull() | ~t.handled_by.isin(list(NOT_OFFERED)))


def data_end(store: Store, scope: Scope | None = None) -> date | None:
    """Last local date with contacts in the scope (None when there are none)."""
    reader = store.reader(scope)
    t = reader.table("contacts")
    v = reader.execute(t.aggregate(last=t.created_local.max()))["last"].iloc[0]
    return None if v is None or pd.isna(v) else pd.Timestamp(v).date()


def daily_volume(
    store: Store,
    scope: Scope | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Offered contacts per center × queue × local day: ``series_id, center_id, queue_id, ds, y``.

    Each series runs from its first day with contacts (not before ``start``) to ``end`` (default:
    the last day with data in scope), zero-filled in between: days before a queue's first contact
    are not zeros, they are days the queue did not exist (or the data does not cover).
    """
    reader = store.reader(scope)
    t = _offered(reader.table("contacts"))
    day = t.created_local.date().name("ds")
    born: dict[tuple[str, str], pd.Timestamp] = {}
    if start is not None:
        # each series' first day ever: a window starting before it does not get leading zeros
        firsts = reader.execute(
            t.group_by([t.center_id, t.queue_id]).aggregate(first=t.created_local.min())
        )
        firsts = firsts.dropna(subset=["first"])
        born = {
            (str(c), str(q)): pd.Timestamp(f).normalize()
            for c, q, f in zip(
                firsts["center_id"], firsts["queue_id"], firsts["first"], strict=True
            )
        }
        t = t.filter(t.created_local >= pd.Timestamp(start))
    if end is not None:
        t = t.filter(t.created_local < pd.Timestamp(end) + pd.Timedelta(days=1))
    agg = reader.execute(t.group_by([t.center_id, t.queue_id, day]).aggregate(y=t.count()))
    cols = [SERIES_ID, "center_id", "queue_id", DS, Y]
    if agg.empty:
        return pd.DataFrame(columns=cols)
    agg[DS] = pd.to_datetime(agg[DS])
    last = pd.Timestamp(end) if end is not None else agg[DS].max()
    out = []
    for (c, q), g in agg.groupby(["center_id", "queue_id"], sort=True):
        first = g[DS].min()
        if start is not None:
            first = max(pd.Timestamp(start), born.get((str(c), str(q)), first))
        idx = pd.date_range(first, last, freq="D")
        s = g.set_index(DS)[Y].reindex(idx, fill_value=0).astype(float)
        out.append(
            pd.DataFrame(
                {
                    SERIES_ID: series_id_for(str(c), str(q)),
                    "center_id": c,
                    "queue_id": q,
                    DS: idx,
                    Y: s.values,
                }
            )
        )
    return pd.concat(out, ignore_index=True)[cols]


def interval_volume(
    store: Store,
    scope: Scope | None = None,
    *,
    freq: str = "30min",
    start: date | None = None,
    end: date | None = None,
    days: Sequence[date] | None = None,
) -> pd.DataFrame:
    """Offered contacts per center × queue × local interval (non-empty intervals only);
    ``days`` limits it to those local dates."""
    minutes = int(24 * 60 / periods_per_day(freq))
    reader = store.reader(scope)
    t = _offered(reader.table("contacts"))
    if days is not None:
        t = t.filter(t.created_local.date().isin(sorted(set(days))))
    if start is not None:
        t = t.filter(t.created_local >= pd.Timestamp(start))
    if end is not None:
        t = t.filter(t.created_local < pd.Timestamp(end) + pd.Timedelta(days=1))
    b = t.created_local.bucket(minutes=minutes).name(DS)
    agg = reader.execute(t.group_by([t.center_id, t.queue_id, b]).aggregate(y=t.count()))
    agg[DS] = pd.to_datetime(agg[DS])
    agg[SERIES_ID] = agg["center_id"] + SEP + agg["queue_id"]
    return agg


def center_holiday_calendars(
    store: Store, scope: Scope | None = None, *, demand_country: str | None = "auto"
) -> dict[str, SpecialDayCalendar]:
    """``{center_id: SpecialDayCalendar}`` for volume forecasts.

    Each center's ``calendar_json`` gives its holidays and closed dates. Volume follows the
    *customers'* holidays, so a center without a holiday country (a vendor abroad serving the same
    customers at night) gets ``demand_country``; ``"auto"`` means the country most centers use.
    Factors are learned from history, so a calendar that does not matter ends up with factors ≈ 1.
    """
    from collections import Counter

    from ops.calendar import center_calendars

    reader = store.reader(None)
    cals = center_calendars(reader.centers())
    if demand_country == "auto":
        common = Counter(c.holidays for c in cals.values() if c.holidays).most_common(1)
        demand_country = common[0][0] if common else None
    out: dict[str, SpecialDayCalendar] = {}
    for cid, cal in cals.items():
        if scope is not None and not scope.allows(cid):
            continue
        out[cid] = SpecialDayCalendar(cal.holidays or demand_country, tuple(cal.closed_dates))
    return out


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in df.to_dict(orient="records")]


def _event_tags(e: dict[str, Any]) -> list[str]:
    notes = str(e.get("notes") or "")
    if notes.startswith("tags:"):
        return [t.strip() for t in notes[5:].split(",") if t.strip()]
    tag = e.get("tag_id")
    return [str(tag)] if tag is not None and not pd.isna(tag) else []


def store_events(store: Store, series: pd.DataFrame, as_of: date | None = None) -> pd.DataFrame:
    """Events that apply to each series (center and channel match or are null), one row per
    event × series; holidays excluded (the holiday calendar covers them, factors learned).

    An event on specific tags (``tag_id``, or ``notes`` "tags: A, B") moves only those tags, so its
    expected effect on a queue is diluted by the tags' share of the queue's volume in the 12 weeks
    before ``as_of``: effect_queue = 1 + (effect − 1) × share.
    """
    reader = store.reader(None)
    ev = reader.execute(reader.table("events"))
    if ev.empty:
        return pd.DataFrame()
    ev = ev[ev["kind"] != "holiday"]
    queues = reader.execute(reader.table("queues").select("queue_id", "channel"))
    keys = series[[SERIES_ID, "center_id", "queue_id"]].drop_duplicates()
    keys = keys.merge(queues, on="queue_id", how="left")
    shares: dict[tuple[str, str], float] | None
    shares = _tag_shares(store, as_of) if any(_event_tags(e) for e in _records(ev)) else None
    rows = []
    for e in _records(ev):
        hit = keys
        if e.get("center_id") is not None and not pd.isna(e.get("center_id")):
            hit = hit[hit["center_id"] == e["center_id"]]
        if e.get("channel") is not None and not pd.isna(e.get("channel")):
            hit = hit[hit["channel"] == e["channel"]]
        tags = _event_tags(e)
        eff = e.get("expected_effect")
        for sid in hit[SERIES_ID]:
            row = {**e, SERIES_ID: sid}
            if tags and shares is not None and eff is not None and not pd.isna(eff):
                share = sum(shares.get((sid, t), 0.0) for t in tags)
                row["expected_effect"] = 1.0 + (float(eff) - 1.0) * share
            rows.append(row)
    return pd.DataFrame(rows)


def _tag_shares(store: Store, as_of: date | None) -> dict[tuple[str, str], float]:
    """Share of each tag in each series' offered volume, 12 weeks before ``as_of``."""
    reader = store.reader(None)
    t = _offered(reader.table("contacts"))
    end = pd.Timestamp(as_of or data_end(store) or date.today()) + pd.Timedelta(days=1)
    t = t.filter((t.created_local >= end - pd.Timedelta(weeks=12)) & (t.created_local < end))
    agg = reader.execute(t.group_by(["center_id", "queue_id", "tag_id"]).aggregate(n=t.count()))
    if agg.empty:
        return {}
    agg[SERIES_ID] = agg["center_id"] + SEP + agg["queue_id"]
    agg["share"] = agg["n"] / agg.groupby(SERIES_ID)["n"].transform("sum")
    return {
        (str(s), str(t)): float(v)
        for s, t, v in zip(agg[SERIES_ID], agg["tag_id"], agg["share"], strict=True)
    }


def _json_default(v: Any) -> Any:
    if isinstance(v, date | datetime | pd.Timestamp):
        return v.isoformat()
    if isinstance(v, np.integer | np.floating):
        return v.item()
    return str(v)


# Store runs forecast every queue of every center at once (the demo build stores one): four
# origins two weeks apart (the last a week before as_of) give every horizon bucket up to 56 days
# at least 14 backtest days per model, at half the cost of eight weekly ones.
STORE_ORIGINS = 4
STORE_ORIGIN_STEP = 14


def run_store_forecast(
    store: Store,
    horizon: int = 56,
    as_of: date | None = None,
    model: str = "auto",
    *,
    scope: Scope | None = None,
    levels: Sequence[float] = (10, 90),
    candidates: Sequence[str] = AUTO_CANDIDATES,
    n_origins: int = STORE_ORIGINS,
    step: int = STORE_ORIGIN_STEP,
    created_at: datetime | None = None,
    notes: str | None = None,
    demand_country: str | None = "auto",
) -> str:
    """Forecast every center × queue in scope from history up to ``as_of`` and store the run.

    ``as_of`` (a local date, inclusive) defaults to the last day with data. Returns the run id.
    The run's ``params_json`` holds ``as_of``, ``levels`` and per series the chosen model, its
    learned factors and backtest WAPE (overall and at 1-28 days). ``demand_country``: see
    :func:`center_holiday_calendars`.
    """
    if horizon < 1:
        raise ValidationError(f"horizon must be >= 1, got {horizon}")
    end = as_of or data_end(store, scope)
    if end is None:
        raise ForecastError("no contacts in the store to forecast; import or build the demo first")
    hist = _trim_partial_start(daily_volume(store, scope, end=end))
    hist = hist[hist.groupby(SERIES_ID)[Y].transform("size") >= 14]
    if hist.empty:
        raise ForecastError(f"no queue has 14 days of history up to {end}")
    cals = center_holiday_calendars(store, scope, demand_country=demand_country)
    meta = hist[[SERIES_ID, "center_id", "queue_id"]].drop_duplicates().set_index(SERIES_ID)
    holidays: dict[str, str | SpecialDayCalendar | None] = {
        str(sid): cals.get(str(c), SpecialDayCalendar()) for sid, c in meta["center_id"].items()
    }
    events = store_events(store, hist, end)
    fc = DailyForecaster(
        model, holidays=holidays, events=events, levels=levels, candidates=candidates,
        n_origins=n_origins, step=step,
    ).fit(hist[[SERIES_ID, DS, Y]])  # fmt: skip
    pred = fc.predict(horizon)
    pred = pred.join(meta, on=SERIES_ID)
    run_id = uuid.uuid4().hex[:12]
    params = {
        "as_of": end,
        "levels": list(fc.levels),
        "n_origins": n_origins,
        "origin_step_days": step,
        "candidates": list(candidates),
        "volume": "contacts offered to agents (handled_by not bot/self_serve) by created_local date",
        "series": fc.params(),
    }
    run = pd.DataFrame(
        [
            {
                "run_id": run_id,
                "created_at": created_at or datetime.now(UTC).replace(tzinfo=None, microsecond=0),
                "freq": "D",
                "horizon": horizon,
                "model": model,
                "params_json": json.dumps(params, default=_json_default),
                "code_version": CODE_VERSION,
                "notes": notes,
            }
        ]
    )
    rows = pred[[SERIES_ID, "center_id", "queue_id", DS, YHAT, YHAT_LO, YHAT_HI, MODEL]].copy()
    rows.insert(0, "run_id", run_id)
    with store.write() as cur:
        store.append_df("forecast_runs", run, cur)
        store.append_df("forecasts", rows, cur)
    return run_id


def _trim_partial_start(vol: pd.DataFrame) -> pd.DataFrame:
    """Drop a series' leading days below 25 % of its median day (history that starts mid-day,
    e.g. the first local day of a UTC export), so they are not read as a real dip."""
    if vol.empty:
        return vol
    keep = []
    for _sid, g in vol.groupby(SERIES_ID, sort=False):
        med = g[Y].median()
        ok = (g[Y] >= 0.25 * med).to_numpy()
        first = int(np.argmax(ok)) if ok.any() else 0
        keep.append(g.iloc[first:])
    return pd.concat(keep, ignore_index=True)


def list_runs(store: Store, scope: Scope | None = None) -> pd.DataFrame:
    """Stored runs, newest first: run_id, created_at, as_of, horizon, model, series, notes.

    ``series`` counts the run's series of the centers in ``scope`` only (all when None), so a
    vendor does not learn how many queues other centers forecast."""
    reader = store.reader(None)
    runs = reader.execute(reader.table("forecast_runs").order_by("created_at"))
    if runs.empty:
        return pd.DataFrame(columns=["run_id", "created_at", "as_of", "horizon", "model", "series"])
    params = runs["params_json"].map(lambda s: json.loads(s) if s else {})

    def visible(p: dict[str, Any]) -> int:
        ids = p.get("series", {})
        if scope is None or scope.is_all:
            return len(ids)
        return sum(1 for sid in ids if scope.allows(sid.split(SEP, 1)[0]))

    runs["as_of"] = params.map(lambda p: p.get("as_of"))
    runs["series"] = params.map(visible)
    cols = ["run_id", "created_at", "as_of", "horizon", "model", "series", "notes"]
    return runs.sort_values("created_at", ascending=False)[cols].reset_index(drop=True)


def _resolve_run(store: Store, run_id: str | None) -> pd.Series:
    runs = store.reader(None)
    t = runs.table("forecast_runs")
    if run_id in (None, "latest"):
        df = runs.execute(t.order_by(t.created_at.desc()).limit(1))
        if df.empty:
            raise ForecastError("no forecast runs stored yet; run `ccops forecast run` first")
    else:
        df = runs.execute(t.filter(t.run_id == run_id))
        if df.empty:
            raise ForecastError(f"no forecast run {run_id!r}; see `ccops forecast runs`")
    return df.iloc[0]


def run_summary(
    store: Store, run_id: str | None = None, scope: Scope | None = None
) -> pd.DataFrame:
    """Per series of a run: chosen model (and the model of each horizon bucket), backtest WAPE
    (overall, at 1-7 and 1-28 days), why the models were chosen, and a note saying why a WAPE is
    missing (e.g. "no backtest: 29 days of history, needs 63 ...") or which holidays ahead were
    never seen in the history.

    Only the series of centers in ``scope`` (all when None): the run's parameters hold every
    series, so the scope is applied here, on the series id's center part."""
    run = _resolve_run(store, run_id)
    params = json.loads(run["params_json"] or "{}")
    if scope is not None and not scope.is_all:
        params["series"] = {
            sid: p
            for sid, p in params.get("series", {}).items()
            if scope.allows(sid.split(SEP, 1)[0])
        }
    rows = [
        {
            SERIES_ID: sid,
            MODEL: p.get("model"),
            "models": " · ".join(f"{b} {m}" for b, m in (p.get("models_by_bucket") or {}).items()),
            "wape": p.get("wape"),
            "wape_1_7": p.get("wape_1_7"),
            "wape_1_28": p.get("wape_1_28"),
            "closed_weekdays": ",".join(str(d) for d in p.get("closed_weekdays", [])),
            "reason": p.get("reason") or "",
            "note": p.get("note") or "",
        }
        for sid, p in params.get("series", {}).items()
    ]
    return pd.DataFrame(rows)


def forecast_vs_actual(
    store: Store, run_id: str | None = None, scope: Scope | None = None
) -> pd.DataFrame:
    """A stored run's forecasts next to actual offered volume.

    Columns: run_id, series_id, center_id, queue_id, ds, h (days after as_of), yhat, yhat_lo,
    yhat_hi, model, actual (NaN for days after the last day with data), scale (MASE denominator
    from the history up to as_of).
    """
    run = _resolve_run(store, run_id)
    params = json.loads(run["params_json"] or "{}")
    as_of = pd.Timestamp(params["as_of"]) if params.get("as_of") else None
    reader = store.reader(scope)
    f = reader.table("forecasts")
    fc = reader.execute(f.filter(f.run_id == run["run_id"]).order_by([f.series_id, f.ds]))
    if fc.empty:
        return fc
    fc[DS] = pd.to_datetime(fc[DS])
    if as_of is None:
        as_of = fc[DS].min() - pd.Timedelta(days=1)
    fc["h"] = (fc[DS] - as_of).dt.days
    last = data_end(store, scope)
    start = (as_of - pd.Timedelta(days=7 * 8)).date()
    vol = daily_volume(store, scope, start=start, end=last) if last else pd.DataFrame()
    if len(vol):
        act = vol[[SERIES_ID, DS, Y]].rename(columns={Y: "actual"})
        fc = fc.merge(act, on=[SERIES_ID, DS], how="left")
        if last is not None:
            seen = fc[DS] <= pd.Timestamp(last)
            fc.loc[seen & fc["actual"].isna(), "actual"] = 0.0
        hist = vol[vol[DS] <= as_of]
        scales = hist.groupby(SERIES_ID)[Y].apply(lambda s: seasonal_naive_scale(s.to_numpy()))
        fc["scale"] = fc[SERIES_ID].map(scales)
    else:
        fc["actual"] = np.nan
        fc["scale"] = np.nan
    return fc


def accuracy_by_horizon(
    store: Store,
    run_id: str | None = None,
    scope: Scope | None = None,
    by: Sequence[str] = (SERIES_ID,),
) -> pd.DataFrame:
    """WAPE, MAPE, bias, MASE of a stored run against actuals, by ``by`` and horizon bucket.

    Only days with actuals count. An ``ALL`` row per bucket pools every series in scope.
    """
    fva = forecast_vs_actual(store, run_id, scope)
    fva = fva[fva["actual"].notna()] if len(fva) else fva
    if fva.empty:
        return pd.DataFrame(columns=[*by, "bucket", "wape", "mape", "bias", "mase", "n"])
    fva = fva.assign(bucket=horizon_bucket(fva["h"]).to_numpy())
    per = accuracy_table(fva, by=[*by, "bucket"], actual="actual", forecast=YHAT, scale="scale")
    pooled = accuracy_table(fva, by=["bucket"], actual="actual", forecast=YHAT, scale="scale")
    for c in by:
        pooled[c] = "ALL"
    return pd.concat([per, pooled[per.columns]], ignore_index=True)


def backfill_runs(
    store: Store,
    weeks_before: Sequence[int] = (8, 4, 2),
    *,
    horizon: int = 56,
    model: str = "auto",
    scope: Scope | None = None,
    n_origins: int = 1,
    candidates: Sequence[str] = ("snaive", "weekday_mean", "ets"),
) -> list[str]:
    """Store runs "as of" ``weeks_before`` weeks before the data end, so forecast vs actual has
    history to show (dashboard, demo). Each run's created_at is the morning after its as_of.
    Kept fast for the demo: one backtest origin and the cheap candidates by default. An as_of
    with less than 4 weeks of history before it is skipped (a short demo), so fewer ids may
    come back than weeks were asked for.
    """
    last = data_end(store, scope)
    if last is None:
        raise ForecastError("no contacts in the store; build the demo first")
    reader = store.reader(scope)
    t = reader.table("contacts")
    first = pd.Timestamp(reader.execute(t.aggregate(first=t.created_local.min()))["first"].iloc[0])
    ids = []
    for w in sorted(weeks_before, reverse=True):
        as_of = last - timedelta(days=7 * int(w))
        if (pd.Timestamp(as_of) - first.normalize()).days < MIN_BACKFILL_HISTORY_DAYS:
            continue
        created = datetime.combine(as_of + timedelta(days=1), datetime.min.time()).replace(hour=6)
        ids.append(
            run_store_forecast(
                store,
                horizon,
                as_of,
                model,
                scope=scope,
                n_origins=n_origins,
                candidates=candidates,
                created_at=created,
                notes=f"backfill: as of {as_of} ({w} weeks before data end)",
            )  # fmt: skip
        )
    return ids


def _interval_matrix(g: pd.DataFrame, days: pd.DatetimeIndex, k: int) -> np.ndarray:
    """(len(days) × k) counts of one series' interval rows on the given (sorted) days."""
    mat = np.zeros((len(days), k))
    if len(g) and len(days):
        pos = pd.Series(np.arange(len(days)), index=days.normalize())
        di = pos.reindex(g[DS].dt.normalize()).to_numpy()
        ii = ((g[DS] - g[DS].dt.normalize()).dt.total_seconds() // (86400 // k)).to_numpy()
        ok = ~np.isnan(di)
        np.add.at(mat, (di[ok].astype(int), ii[ok].astype(int)), g["y"].to_numpy(dtype=float)[ok])
    return mat


def interval_forecast(
    store: Store,
    run_id: str | None = None,
    *,
    freq: str = "30min",
    scope: Scope | None = None,
    weeks: int = 12,
) -> pd.DataFrame:
    """A stored daily run spread over ``freq`` intervals with profiles from the ``weeks`` before
    the run's as_of for the weekdays and from the two years before for holidays and eves (rare days),
    shrunk toward the all-days profile; intervals never open stay 0.

    Columns: series_id, center_id, queue_id, ds (local interval start), yhat, yhat_lo, yhat_hi, model.
    """
    run = _resolve_run(store, run_id)
    params = json.loads(run["params_json"] or "{}")
    levels = tuple(params.get("levels", (10, 90)))
    reader = store.reader(scope)
    f = reader.table("forecasts")
    daily = reader.execute(f.filter(f.run_id == run["run_id"]))
    if daily.empty:
        return pd.DataFrame(
            columns=[SERIES_ID, "center_id", "queue_id", DS, YHAT, YHAT_LO, YHAT_HI, MODEL]
        )
    daily[DS] = pd.to_datetime(daily[DS])
    as_of = pd.Timestamp(params.get("as_of") or daily[DS].min() - pd.Timedelta(days=1))
    start = (as_of - pd.Timedelta(days=7 * weeks - 1)).date()
    iv = interval_volume(store, scope, freq=freq, start=start, end=as_of.date())
    cals = center_holiday_calendars(store, scope)
    k = periods_per_day(freq)
    days = pd.date_range(start, as_of, freq="D")
    # Holidays and eves are rare: their profiles use two years, not only the recent weeks.
    older = pd.date_range(
        pd.Timestamp(start) - pd.Timedelta(days=730), pd.Timestamp(start) - pd.Timedelta(days=1)
    )
    special_old: dict[str, tuple[pd.DatetimeIndex, list[str]]] = {}
    for cid, cal in cals.items():
        grp = [day_group(w, t) for w, t in zip(older.weekday, cal.day_types(older), strict=True)]
        keep = np.array([g in (HOLIDAY_GROUP, EVE_GROUP) for g in grp])
        special_old[cid] = (older[keep], [g for g, k_ in zip(grp, keep, strict=True) if k_])
    old_days = sorted({d.date() for idx, _ in special_old.values() for d in idx})
    iv_old = interval_volume(store, scope, freq=freq, days=old_days) if old_days else iv.iloc[:0]
    out = []
    for sid, d in daily.groupby(SERIES_ID, sort=True):
        mat = _interval_matrix(iv[iv[SERIES_ID] == sid], days, k)
        cid = d["center_id"].iloc[0]
        cal = cals.get(cid, SpecialDayCalendar())
        types = cal.day_types(days).to_numpy()
        groups = [day_group(w, t) for w, t in zip(days.weekday, types, strict=True)]
        old_idx, old_groups = special_old.get(cid, (pd.DatetimeIndex([]), []))
        old_mat = _interval_matrix(iv_old[iv_old[SERIES_ID] == sid], old_idx, k)
        has = old_mat.sum(axis=1) > 0  # days before the series began are not closed days
        prof = build_profile(
            mat,
            groups,
            freq,
            holiday_counts=old_mat[has] if has.any() else None,
            holiday_groups=[g for g, h in zip(old_groups, has, strict=True) if h],
        )
        frame = spread_daily(d.sort_values(DS), prof, cal, freq, levels)
        frame["center_id"] = cid
        frame["queue_id"] = d["queue_id"].iloc[0]
        out.append(frame)
    return pd.concat(out, ignore_index=True)
