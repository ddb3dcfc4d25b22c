"""Metric tables: any registered metric, grouped by period and any dimension, computed in the engine.

:func:`metric_table` turns registry formulas into one Ibis ``GROUP BY`` query per data source
(contacts, interval_stats, schedules, surveys, QA), runs it on the reader's backend (DuckDB by
default, Spark through :class:`BackendReader`) and joins the small aggregated frames on the group keys.
Periods (day, week, month, interval) are taken from the ``*_local`` columns, so a Seoul day is a
Seoul day; surveys and QA evaluations, stored in UTC only, are shifted to their center's clock in
the query (:func:`center_local_time`). The result has one row per group: the group keys, then for each metric its value under
the registry name and ``<name>_num`` / ``<name>_den`` beside it.

Response rates and pending tickets: an unanswered async contact counts against the rate only once its
deadline (N business hours after creation, on the center's calendar) has passed at ``as_of``. Because
the deadline is monotone in the creation time, "deadline passed" is exactly "created at or before
``subtract_business_seconds(as_of, N h)``": one cutoff per center and N, computed with
:mod:`ops.calendar` in Python (a handful of values) and applied in SQL as a ``CASE`` on center_id.
Responded contacts use ``first_response_business_s`` derived at import (calendar time when missing).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

import ibis
import numpy as np
import pandas as pd

from ops.calendar import BusinessCalendar, center_calendars, subtract_business_seconds
from ops.errors import ConfigError, StoreError

# the center clocks live below this module (ops.qa.scoring needs them too); center_local_time and
# tz_segments stay importable from here
from ops.sla.local_time import center_local_time as center_local_time
from ops.sla.local_time import center_utc_offsets, centers_frame, local_time_case
from ops.sla.local_time import tz_segments as tz_segments
from ops.sla.registry import (
    DEFAULT_REPORT_METRICS,
    Metric,
    MetricParams,
    get_metric,
    service_level_parts,
)
from ops.sla.sources import (
    FLAG_COLUMNS,
    ContactsBase,
    IntervalsBase,
    IntervalStatsBase,
    QABase,
    SchedulesBase,
    SurveysBase,
    as_timestamp_literal,
    with_contact_flags,
)

PERIODS = ("day", "week", "month", "interval", "all")
LIVE_CHANNELS_FALLBACK = ("voice", "chat")

KEY_ALIASES = {
    "center": "center_id",
    "queue": "queue_id",
    "agent": "agent_id",
    "kind": "center_kind",
    "tag": "tag_level1",
    "tag_level_1": "tag_level1",
}

# where each source keeps its local time, and which group keys it can answer. Surveys and QA
# evaluations store only UTC instants: :func:`_prepare` projects ``_local_ts`` (the instant on the
# center's clock, :meth:`MetricContext.local_time_expr`) so their periods are the center's days too.
LOCAL_TS = "_local_ts"
TIME_COLUMN = {
    "contacts": "created_local",
    "interval_stats": "interval_local",
    "schedules": "interval_local",
    "surveys": LOCAL_TS,
    "qa": LOCAL_TS,
}
UTC_TIME_COLUMN = {"surveys": "responded_at", "qa": "evaluated_at"}
SOURCE_KEYS = {
    "contacts": None,  # any contacts column, plus center_kind, mode, tag_level1
    "interval_stats": {"center_id", "queue_id", "channel", "center_kind", "mode", "segment"},
    "schedules": {"center_id", "queue_id", "channel", "center_kind", "mode", "segment", "agent_id"},
    "surveys": {"center_id", "channel", "segment", "center_kind"},
    "qa": {"center_id", "agent_id", "center_kind"},
}


def normalize_key(key: str) -> str:
    k = key.strip()
    return KEY_ALIASES.get(k, k)


class BackendReader:
    """A reader over any Ibis backend (e.g. Spark) with the store's table names, unscoped.

    For centers whose history lives in a warehouse or lake: ``metric_table(BackendReader(con), ...)``
    runs the same expressions there. The DuckDB store's :class:`~ops.store.reader.ScopedReader`
    has the same two methods and adds vendor scoping.
    """

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    def table(self, name: str) -> Any:
        return self.backend.table(name)

    def execute(self, expr: Any) -> pd.DataFrame:
        return expr.execute()


class MetricContext:
    """Small reference data a metric query needs (queues, centers, calendars, as_of), read once."""

    def __init__(self, reader: Any, params: MetricParams | None = None) -> None:
        self.reader = reader
        self.params = params or MetricParams()
        self._cutoffs: dict[tuple[float, str], dict[str, datetime]] = {}
        self._tables: dict[str, Any] = {}

    def table(self, name: str) -> Any:
        """The reader's table, looked up once per context (a lookup costs a schema query)."""
        if name not in self._tables:
            self._tables[name] = self.reader.table(name)
        return self._tables[name]

    def qa_scores(self, start: date | None = None, end: date | None = None) -> Any:
        """Per-evaluation QA scores: the ops.qa expression (one QA score definition), unexecuted.

        ``start``/``end`` (local dates, end inclusive) limit the evaluations before their items
        are scored, so a month's compliance does not score the whole QA history.
        """
        key = f"_qa_{start}_{end}"
        if key not in self._tables:
            from ops.qa.scoring import evaluation_scores_expr

            ev, _ = evaluation_scores_expr(
                self.reader,
                start,
                end,
                meta=("center_id", "agent_id", "evaluated_at", "evaluated_local"),
            )
            self._tables[key] = ev.select(
                "evaluation_id", "center_id", "agent_id", "evaluated_at", "evaluated_local",
                qa_score=ev.score,
            )  # fmt: skip
        return self._tables[key]

    def _prepared(self, key: Any, build: Any) -> pd.DataFrame:
        """Run ``build()`` through the reader's prepared-query cache when it has one
        (:func:`ops.store.reader.run_prepared`; ``key`` may be a function)."""
        from ops.store.reader import run_prepared

        return run_prepared(self.reader, key, build)

    @cached_property
    def queues(self) -> pd.DataFrame:
        """The queues (read-only: shared until the next write, see :meth:`until_next_write`)."""
        return self.until_next_write(
            ("ctx.queues",),
            lambda: self._prepared(
                ("ctx.queues",),
                lambda: self.table("queues").select(
                    "queue_id", "channel", "mode", "segment", "concurrency"
                ),
            ),
        )

    @cached_property
    def centers(self) -> pd.DataFrame:
        """The scope's centers (read-only: shared until the next write; the same prepared query
        as :func:`ops.sla.local_time.centers_frame`)."""
        return self.until_next_write(("ctx.centers",), lambda: centers_frame(self.reader))

    @cached_property
    def fingerprint(self) -> str:
        """What the expressions built from this context bake in as literals, as one digest.

        Parameters, ``as_of`` (pending cutoffs) and the reference tables (centers: timezones,
        calendars, kinds; queues: modes, channels, segments; QA forms: the item weights of the
        QA score): a prepared query keyed with it is rebuilt when any of them changes (a new
        queue, an edited calendar, newer data), never reused stale.
        """
        digest = getattr(self.reader, "tables_digest", None)
        if digest is not None:
            ref = digest("centers", "queues", "qa_forms")
        else:  # a reader without a store (another engine): digest the frames read here
            ref = _frame_digest(self.centers) + _frame_digest(self.queues)
        parts = [self.params.model_dump_json(), repr(self.as_of), ref]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]

    @cached_property
    def utc_offsets(self) -> dict[str, tuple[tuple[datetime, int], ...]]:
        """Per center: ``((utc_from, offset_s), ...)`` of its timezone (see :func:`tz_segments`)."""
        return center_utc_offsets(self.centers)

    def local_time_expr(self, t: Any, ts: Any) -> Any:
        """``ts`` (naive UTC) on the clock of the row's center (``t.center_id``), as Ibis.

        One CASE over centers (and their timezone's offset changes); rows without a known center
        stay in UTC. Same convention as ``contacts.created_local``, which is written at import.
        """
        return local_time_case(self.utc_offsets, t, ts)

    @cached_property
    def calendars(self) -> dict[str, BusinessCalendar]:
        return center_calendars(self.centers)

    @cached_property
    def as_of(self) -> datetime | None:
        if self.params.as_of is not None:
            return self.params.as_of

        def build() -> Any:
            t = self.table("contacts")
            return t.aggregate(m=t.created_at.max())

        def compute() -> datetime | None:
            df = self._prepared(("ctx.as_of",), build)
            v = df["m"].iloc[0] if len(df) else None
            return None if v is None or pd.isna(v) else pd.Timestamp(v).to_pydatetime()

        # the latest contact of the scope changes only with a write: cached per generation
        return self.until_next_write(("as_of",), compute)

    def until_next_write(self, key: tuple, compute: Any) -> Any:
        """``compute()`` (a value read from the store for this reader's scope), cached until the
        next write transaction on the store (:meth:`ops.store.Store.derived`); readers without a
        store (another Ibis backend) compute it every time. Callers must not modify the value."""
        store = getattr(self.reader, "store", None)
        if store is None or not hasattr(store, "derived"):
            return compute()
        ids = self.reader.scope.center_ids
        return store.derived((*key, None if ids is None else tuple(sorted(ids))), compute)

    def cutoffs(self, hours: float, clock: str = "center") -> dict[str, datetime]:
        """Per center: the latest creation instant whose N-business-hour deadline passed by as_of.

        ``clock="24x7"``: N calendar hours (as_of - N h) instead of the center's business hours.
        """
        key = (hours, clock)
        if key not in self._cutoffs:
            out: dict[str, datetime] = {}
            if self.as_of is not None:
                for center_id, cal in self.calendars.items():
                    if clock == "24x7":
                        cal = BusinessCalendar.always_open(cal.timezone)
                    ts = subtract_business_seconds(
                        np.array([self.as_of], dtype="datetime64[ns]"), hours * 3600.0, cal
                    )[0]
                    if not np.isnat(ts):
                        out[center_id] = pd.Timestamp(ts).floor("us").to_pydatetime()
            self._cutoffs[key] = out
        return self._cutoffs[key]

    def cutoff_expr(self, t: Any) -> Any:
        def f(hours: float, clock: str = "center") -> Any:
            cuts = self.cutoffs(hours, clock)
            if not cuts:
                return ibis.null("timestamp")
            return ibis.cases(
                *[(t.center_id == c, as_timestamp_literal(ts)) for c, ts in sorted(cuts.items())],
                else_=ibis.null("timestamp"),
            )

        return f

    # --- mapped dimensions ---------------------------------------------------------------
    def _map(self, col: Any, mapping: dict[str, Any]) -> Any:
        mapping = {k: v for k, v in mapping.items() if k is not None and v is not None}
        if not mapping:
            return ibis.null("string")
        return ibis.cases(*[(col == k, ibis.literal(v)) for k, v in sorted(mapping.items())])

    def live_expr(self, t: Any) -> Any:
        """True for rows of live-mode queues (queues table; unknown queues: voice/chat are live).

        One CASE: the live list decides most rows, the other known queues are async, and only
        rows of unknown queues fall back to the channel.
        """
        q = self.queues
        live_ids = sorted(q.loc[q["mode"] == "live", "queue_id"].dropna())
        other_ids = sorted(set(q["queue_id"].dropna()) - set(live_ids))
        by_channel = t.channel.isin(LIVE_CHANNELS_FALLBACK)
        branches = []
        if live_ids:
            branches.append((t.queue_id.isin(live_ids), ibis.literal(True)))
        if other_ids:
            branches.append((t.queue_id.isin(other_ids), ibis.literal(False)))
        if not branches:
            return by_channel
        return ibis.cases(*branches, else_=by_channel)

    def attach_live(self, t: Any) -> Any:
        """``t`` joined to the queue modes, with ``_is_live`` (same rule as :meth:`live_expr`).

        A join to the small queues table keeps the expression (and its compile time) small where
        IN lists of every queue id would not.
        """
        q = self.table("queues")
        # one boolean per queue (NULL: unknown queue or no mode), so each row reads a boolean
        # instead of comparing the mode's text (measured ~4 % of the report query at 10M rows)
        modes = q.group_by(_q_id=q.queue_id).aggregate(_q_live=(q["mode"] == "live").any())
        j = t.left_join(modes, t.queue_id == modes._q_id).drop("_q_id")
        is_live = ibis.coalesce(j._q_live, j.channel.isin(LIVE_CHANNELS_FALLBACK))
        return j.mutate(_is_live=is_live).drop("_q_live")

    def key_expr(self, source: str, t: Any, key: str) -> Any:
        if key == "center_kind":
            return self._map(
                t.center_id, dict(zip(self.centers.center_id, self.centers.kind, strict=False))
            )
        if source in ("interval_stats", "schedules") and key in ("channel", "mode", "segment"):
            q = self.queues
            return self._map(t.queue_id, dict(zip(q.queue_id, q[key], strict=False)))
        if source == "contacts" and key == "mode":
            live = t._is_live if "_is_live" in t.columns else self.live_expr(t)
            return ibis.ifelse(live, "live", "async")
        if key in t.columns:
            return t[key]
        raise ConfigError(f"Cannot group or filter {source} by {key!r}")


def _frame_digest(df: pd.DataFrame) -> str:
    """A content digest of a small frame (values and column names, in row order)."""
    rows = repr((list(df.columns), list(df.itertuples(index=False, name=None))))
    return hashlib.sha256(rows.encode()).hexdigest()


@dataclass
class _Part:
    """One output column of a source query."""

    column: str
    metric: Metric
    role: str  # num | den | value
    params: MetricParams


def _period_expr(col: Any, period: str, interval_minutes: int) -> Any:
    if period == "day":
        return col.date()
    if period == "week":
        return col.truncate("W").date()
    if period == "month":
        return col.truncate("M").date()
    if period == "interval":
        m = int(interval_minutes)
        return col.truncate("h") + ((col.minute() // m) * m).as_interval("m")
    raise ConfigError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")


def _as_list(v: Any) -> list[Any]:
    if isinstance(v, str | int | float | bool):
        return [v]
    return list(v)


def _supports(source: str, keys: Iterable[str]) -> bool:
    allowed = SOURCE_KEYS[source]
    return allowed is None or all(k in allowed for k in keys)


def _prepare(
    ctx: MetricContext,
    source: str,
    period: str,
    keys: Sequence[str],
    filters: dict[str, Any],
    start: date | None,
    end: date | None,
    *,
    every_queue_live: bool = False,
) -> tuple[Any, dict[str, Any]]:
    """The filtered source table and its group-key expressions (period first).

    ``every_queue_live``: contacts of async queues get the live outcome rules too (see
    :func:`base_counts`).
    """
    if source == "qa":
        t = ctx.qa_scores(start, end)
    else:
        t = ctx.table(source)
    if source == "qa":
        t = t.mutate(**{LOCAL_TS: t.evaluated_local})  # ops.qa derives it the same way
    elif source in UTC_TIME_COLUMN:
        t = t.mutate(**{LOCAL_TS: ctx.local_time_expr(t, t[UTC_TIME_COLUMN[source]])})
    if source == "schedules":
        q = ctx.queues
        conc = {k: float(v) for k, v in zip(q.queue_id, q.concurrency, strict=False)
                if pd.notna(v) and float(v) >= 1}  # fmt: skip
        t = t.mutate(_concurrency=ctx._map(t.queue_id, conc).cast("float64").fill_null(1.0))
    if source == "contacts" and (
        "tag_level1" in keys or "tag_level1" in filters or "tag_level1_en" in keys
    ):
        tags = ctx.table("tags")
        tg = tags.select(_tag_id=tags.tag_id, tag_level1=tags.level1, tag_level1_en=tags.level1_en)
        t = t.left_join(tg, t.tag_id == tg._tag_id).drop("_tag_id")
    tcol = t[TIME_COLUMN[source]]
    preds = []
    if start is not None:
        preds.append(tcol >= as_timestamp_literal(pd.Timestamp(start)))
    if end is not None:
        preds.append(tcol < as_timestamp_literal(pd.Timestamp(end) + timedelta(days=1)))
    for k, v in filters.items():
        vals = [x for x in _as_list(v)]
        expr = ctx.key_expr(source, t, k)
        preds.append(expr.isin(vals) if len(vals) != 1 else expr == vals[0])
    if preds:
        t = t.filter(*preds)
    if source == "contacts":
        t = t.mutate(_is_live=ibis.literal(True)) if every_queue_live else ctx.attach_live(t)
        t = with_contact_flags(t, t._is_live)
    key_exprs: dict[str, Any] = {}
    if period != "all":
        key_exprs["period"] = _period_expr(
            t[TIME_COLUMN[source]], period, ctx.params.interval_minutes
        )
    for k in keys:
        key_exprs[k] = ctx.key_expr(source, t, k)
    return t, key_exprs


def _base(ctx: MetricContext, source: str, t: Any, p: MetricParams, mask: Any = None) -> Any:
    if source == "contacts":
        flagged = FLAG_COLUMNS <= set(t.columns)  # live test already projected by _prepare
        is_live = None if flagged else ctx.live_expr(t)
        return ContactsBase(t, p, is_live=is_live, cutoff=ctx.cutoff_expr(t), mask=mask)
    if source == "interval_stats":
        return IntervalStatsBase(t, p, mask)
    if source == "schedules":
        return SchedulesBase(t, p, mask)
    if source == "surveys":
        return SurveysBase(t, p, mask)
    if source == "qa":
        return QABase(t, p, mask)
    raise ConfigError(f"Unknown metric source {source!r}")


def _aggregate_parts(base: Any, parts: list[_Part]) -> dict[str, Any]:
    out = {}
    for part in parts:
        fn = {"num": part.metric.num, "den": part.metric.den, "value": part.metric.value}[part.role]
        assert fn is not None
        out[part.column] = fn(base, part.params)
    return out


def _execute(reader: Any, expr: Any) -> pd.DataFrame:
    try:
        return reader.execute(expr)
    except StoreError:
        raise
    except Exception as e:  # noqa: BLE001 - backends raise many types
        raise StoreError(f"Metric query failed: {str(e).splitlines()[0]}") from e


def _check_interval_threshold(ctx: MetricContext, parts: list[_Part]) -> None:
    t = ctx.table("interval_stats")
    df = ctx.reader.execute(t.select("threshold_s").distinct())
    used = {float(x) for x in df["threshold_s"].dropna()}
    for part in parts:
        if part.metric.threshold_unit == "s" and used and used != {part.params.threshold_s}:
            raise ConfigError(
                f"interval_stats counts answered-within-T for T = {sorted(used)} s; "
                f"{part.metric.name} asks for T = {part.params.threshold_s:g} s. "
                "Use per-contact data or the ACD's threshold."
            )


def _intervals_frame(
    ctx: MetricContext,
    live_source: str,
    parts: list[_Part],
    period: str,
    keys: list[str],
    filters: dict[str, Any],
    start: date | None,
    end: date | None,
) -> pd.DataFrame:
    """% intervals meeting SL: per-interval SL parts, then counted per period (two levels, in SQL)."""
    frames = []
    by_params: dict[str, list[_Part]] = {}
    for part in parts:
        by_params.setdefault(part.params.model_dump_json(), []).append(part)
    for group in by_params.values():
        p = group[0].params
        t, key_exprs = _prepare(ctx, live_source, period, keys, filters, start, end)
        tcol = t[TIME_COLUMN[live_source]]
        inner_keys = dict(key_exprs)
        inner_keys["_interval"] = _period_expr(tcol, "interval", p.interval_minutes)
        b = _base(ctx, live_source, t, p)
        num, den = service_level_parts(b, p)
        inner = t.group_by(**inner_keys).aggregate(sl_num=num, sl_den=den)
        ib = IntervalsBase(inner, p)
        outer = inner.group_by([inner[k] for k in key_exprs]).aggregate(
            **_aggregate_parts(ib, group)
        )
        frames.append(_execute(ctx.reader, outer))
    return _merge(frames, ["period", *keys] if period != "all" else keys)


def _backlog_frame(
    ctx: MetricContext,
    parts: list[_Part],
    period: str,
    keys: list[str],
    filters: dict[str, Any],
    start: date | None,
    end: date | None,
) -> pd.DataFrame:
    """Open async contacts at each period end = cumulative (created - closed) per group, in SQL."""
    if period == "all":
        raise ConfigError("backlog needs a period (day, week, month or interval)")
    im = ctx.params.interval_minutes
    tt, _ = _prepare(ctx, "contacts", period, keys, filters, None, end)
    tt = tt.filter(~tt._is_live & tt._agent)  # async, agent-handled (flags from _prepare)
    created = tt.group_by(
        period=_period_expr(tt.created_local, period, im),
        **{k: ctx.key_expr("contacts", tt, k) for k in keys},
    ).aggregate(delta=tt.count())
    cl = tt.filter(ibis.coalesce(tt.resolved_at, tt.abandoned_at).notnull())
    closed_at = ibis.coalesce(cl.resolved_at, cl.abandoned_at)
    # the center's local clock: created_local - created_at is the row's UTC offset
    cl = cl.mutate(
        _closed_local=cl.created_local
        + (closed_at.epoch_seconds() - cl.created_at.epoch_seconds()).as_interval("s")
    )
    closed = cl.group_by(
        period=_period_expr(cl._closed_local, period, im),
        **{k: ctx.key_expr("contacts", cl, k) for k in keys},
    ).aggregate(delta=-cl.count())
    events = created.union(closed)
    net = events.group_by(["period", *keys]).aggregate(delta=events.delta.sum())
    w = ibis.cumulative_window(group_by=[net[k] for k in keys], order_by=net.period)
    cum = net.mutate(backlog=net.delta.sum().over(w))
    if end is not None:
        cum = cum.filter(cum.period <= end)
    if start is not None:
        cum = cum.filter(cum.period >= start)
    df = _execute(ctx.reader, cum.drop("delta"))
    for part in parts:
        df[part.column] = df["backlog"]
    return df.drop(columns=["backlog"])


def _merge(frames: list[pd.DataFrame], on: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if f is not None]
    if not frames:
        return pd.DataFrame(columns=on)
    out = frames[0]
    for f in frames[1:]:
        if not on:
            out = pd.concat([out.reset_index(drop=True), f.reset_index(drop=True)], axis=1)
        else:
            out = out.merge(f, on=on, how="outer")
    return out


def _normalize_period(df: pd.DataFrame, period: str) -> pd.DataFrame:
    if "period" not in df.columns or df.empty:
        return df
    s = pd.to_datetime(df["period"])
    df["period"] = s.dt.date if period in ("day", "week", "month") else s
    return df


def resolve_metrics(
    metrics: Sequence[str] | None, keys: Sequence[str], filters: dict[str, Any], source: str
) -> list[Metric]:
    """Requested metrics (registry order kept); defaults drop those the grouping cannot answer."""
    explicit = metrics is not None and len(metrics) > 0
    names = list(metrics or []) if explicit else list(DEFAULT_REPORT_METRICS)
    out = []
    dims = set(keys) | set(filters)
    for n in names:
        m = get_metric(n)
        srcs = {_effective_source(m, source), m.den_source or _effective_source(m, source)}
        srcs = {"contacts" if s in ("intervals", "backlog") else s for s in srcs}
        if source == "interval_stats" and not m.interval_stats:
            if explicit:
                raise ConfigError(f"{m.name} cannot be computed from interval_stats")
            continue
        unsupported = [s for s in srcs if not _supports(s, dims)]
        if unsupported:
            if explicit:
                raise ConfigError(
                    f"{m.name} comes from {unsupported[0]}, which cannot be grouped or filtered "
                    f"by {', '.join(sorted(dims - (SOURCE_KEYS[unsupported[0]] or set())))}"
                )
            continue
        out.append(m)
    return out


def _effective_source(m: Metric, source: str) -> str:
    if source == "interval_stats" and m.interval_stats and m.source == "contacts":
        return "interval_stats"
    return m.source


def metric_table(
    reader: Any,
    metrics: Sequence[str] | None = None,
    *,
    period: str = "day",
    by: Sequence[str] = (),
    filters: dict[str, Any] | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    params: MetricParams | dict[str, Any] | None = None,
    source: str = "contacts",
    context: MetricContext | None = None,
) -> pd.DataFrame:
    """One row per (period, *by) group with each metric and its ``_num`` / ``_den``.

    ``period``: day | week | month | interval | all (on the local time columns). ``by`` and
    ``filters`` keys: center (center_id), center_kind, channel, queue (queue_id), segment,
    tag_level1, agent (agent_id), mode, or any contacts column. ``start``/``end``: local dates,
    inclusive. ``source``: ``contacts`` (per-contact rows) or ``interval_stats`` (ACD counts, live
    metrics only). Aggregation runs in the backend; pandas only joins the per-source results.
    """
    if period not in PERIODS:
        raise ConfigError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")
    if source not in ("contacts", "interval_stats"):
        raise ConfigError(f"source must be contacts or interval_stats, got {source!r}")
    p = params if isinstance(params, MetricParams) else MetricParams(**(params or {}))
    keys = [normalize_key(k) for k in by]
    flt = {normalize_key(k): v for k, v in (filters or {}).items() if v is not None}
    d0 = date.fromisoformat(start) if isinstance(start, str) else start
    d1 = date.fromisoformat(end) if isinstance(end, str) else end
    ctx = context or MetricContext(reader, p)
    chosen = resolve_metrics(metrics, keys, flt, source)
    if not chosen:
        raise ConfigError("No metric to compute for this grouping")

    by_source: dict[str, list[_Part]] = {}
    for m in chosen:
        mp = m.params(p)
        src = _effective_source(m, source)
        if m.kind == "quantile":
            by_source.setdefault(src, []).append(_Part(f"{m.name}", m, "value", mp))
            by_source.setdefault(src, []).append(_Part(f"{m.name}_den", m, "den", mp))
        else:
            by_source.setdefault(src, []).append(_Part(f"{m.name}_num", m, "num", mp))
            if m.den is not None:
                by_source.setdefault(m.den_source or src, []).append(
                    _Part(f"{m.name}_den", m, "den", mp)
                )

    on = (["period"] if period != "all" else []) + keys
    frames = []
    for src, parts in by_source.items():
        if src == "intervals":
            live_src = "interval_stats" if source == "interval_stats" else "contacts"
            if live_src == "interval_stats":
                _check_interval_threshold(ctx, parts)
            frames.append(_intervals_frame(ctx, live_src, parts, period, keys, flt, d0, d1))
            continue
        if src == "backlog":
            frames.append(_backlog_frame(ctx, parts, period, keys, flt, d0, d1))
            continue
        if src == "interval_stats":
            _check_interval_threshold(ctx, parts)

        def build(src: str = src, parts: list[_Part] = parts) -> Any:
            t, key_exprs = _prepare(ctx, src, period, keys, flt, d0, d1)
            aggs: dict[str, Any] = {}
            by_params: dict[str, list[_Part]] = {}
            for part in parts:
                by_params.setdefault(part.params.model_dump_json(), []).append(part)
            for group in by_params.values():
                aggs.update(_aggregate_parts(_base(ctx, src, t, group[0].params), group))
            return t.group_by(**key_exprs).aggregate(**aggs) if key_exprs else t.aggregate(**aggs)

        # prepared once per (source, grouping, filters, dates, parts, context fingerprint)
        def cache_key(src: str = src, parts: list[_Part] = parts) -> tuple[Any, ...]:
            return (
                "metric_table", src, period, tuple(keys),
                tuple(sorted((k, repr(_as_list(v))) for k, v in flt.items())), d0, d1,
                tuple((q.column, q.metric.name, q.role, q.params.model_dump_json()) for q in parts),
                ctx.fingerprint,
            )  # fmt: skip

        frames.append(ctx._prepared(cache_key, build))
    for f in frames:
        _normalize_period(f, period)
    df = _merge(frames, on)
    return finish_metric_frame(df, chosen, on)


#: Columns of :func:`base_counts` after the group keys (registry base-aggregate names).
BASE_COUNT_COLUMNS = (
    "offered",
    "answered",
    "answered_within_t",
    "abandoned",
    "short_abandoned",
    "abandoned_within_t",
    "wait_answered_s",
    "wait_abandoned_all_s",
    "handled",
    "handle_s",
)


def base_counts(
    reader: Any,
    *,
    period: str = "interval",
    by: Sequence[str] = ("center", "queue", "channel"),
    filters: dict[str, Any] | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    params: MetricParams | dict[str, Any] | None = None,
    every_queue_live: bool = False,
) -> pd.DataFrame:
    """The registry's base aggregates of contacts per (period, *by): what the metrics are made of.

    For callers that model the counts themselves (staffing's Erlang A fit, patience estimate), so
    the rules stay defined once, in :class:`~ops.sla.sources.ContactsBase`: ``offered`` = answered +
    abandoned with short abandons (wait < ``short_abandon_s``) removed; ``answered_within_t``: wait
    <= ``threshold_s``; ``short_abandoned``; ``abandoned_within_t`` (short ones removed); sums of
    waits (``wait_answered_s``, and ``wait_abandoned_all_s`` over every abandon, short ones
    included) and ``handle_s`` over the ``handled`` contacts (AHT = handle_s / handled). Counts are
    integers, sums seconds. ``period``, ``by``, ``filters``, ``start``/``end`` (local dates,
    inclusive) as in :func:`metric_table`.

    Population: agent-handled contacts (``handled_by`` agent or empty) of live queues; with
    ``every_queue_live`` also those of async queues, with the same answered/abandoned rules (the
    handled-volume history a planner spreads over intervals).
    """
    if period not in PERIODS:
        raise ConfigError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")
    p = params if isinstance(params, MetricParams) else MetricParams(**(params or {}))
    keys = [normalize_key(k) for k in by]
    flt = {normalize_key(k): v for k, v in (filters or {}).items() if v is not None}
    d0 = date.fromisoformat(start) if isinstance(start, str) else start
    d1 = date.fromisoformat(end) if isinstance(end, str) else end
    ctx = MetricContext(reader, p)
    t, key_exprs = _prepare(
        ctx, "contacts", period, keys, flt, d0, d1, every_queue_live=every_queue_live
    )
    b = ContactsBase(t, p)
    aggs = {c: getattr(b, c)() for c in BASE_COUNT_COLUMNS}
    expr = t.group_by(**key_exprs).aggregate(**aggs) if key_exprs else t.aggregate(**aggs)
    # drop groups without a single agent contact of the population (e.g. bot-only intervals)
    expr = expr.filter((expr.offered + expr.short_abandoned + expr.answered) > 0)
    df = _normalize_period(_execute(reader, expr), period)
    for c in BASE_COUNT_COLUMNS:
        df[c] = pd.to_numeric(df[c]).fillna(0)
        if not c.endswith("_s"):
            df[c] = df[c].astype("int64")
    on = (["period"] if period != "all" else []) + keys
    df = df[[*on, *BASE_COUNT_COLUMNS]]
    return df.sort_values(on).reset_index(drop=True) if on else df.reset_index(drop=True)


def finish_metric_frame(df: pd.DataFrame, metrics: list[Metric], keys: list[str]) -> pd.DataFrame:
    """Compute values from num/den and order columns: keys, then metric, metric_num, metric_den."""
    cols = list(keys)
    for m in metrics:
        num_c, den_c = f"{m.name}_num", f"{m.name}_den"
        if m.kind == "quantile":
            df[num_c] = np.nan
            den_s = df[den_c] if den_c in df else pd.Series(0, index=df.index)
            df[den_c] = pd.to_numeric(den_s, errors="coerce").fillna(0).astype("int64")
            df[m.name] = pd.to_numeric(df[m.name], errors="coerce").astype("float64")
        else:
            num = pd.to_numeric(df[num_c], errors="coerce").fillna(0)
            df[num_c] = num
            if m.kind == "count":
                df[m.name] = num.astype("float64")
                df[den_c] = np.nan
            else:
                den = pd.to_numeric(df[den_c], errors="coerce").fillna(0)
                df[den_c] = den
                with np.errstate(divide="ignore", invalid="ignore"):
                    val = np.where(den > 0, num.astype("float64") / den.where(den > 0, 1), np.nan)
                df[m.name] = val * m.scale
        cols += [m.name, num_c, den_c]
    if df.empty:
        return pd.DataFrame(columns=cols)
    out = df[cols]
    if keys:
        out = out.sort_values(keys, na_position="last", kind="stable").reset_index(drop=True)
    return out


def metric_formulas(metrics: Sequence[str]) -> dict[str, str]:
    """``{name: formula}`` for the given metric names (what a report footnote shows)."""
    return {n: get_metric(n).formula for n in metrics}


def explain(row: pd.Series, metric: str) -> str:
    """One line that defends a number: value = num / den and the formula."""
    m = get_metric(metric)
    v, num, den = row.get(metric), row.get(f"{metric}_num"), row.get(f"{metric}_den")
    if m.kind == "count":
        return f"{m.name} = {num:,.0f} ({m.formula})"
    if m.kind == "quantile":
        return f"{m.name} = {v:,.1f} s over {den:,.0f} contacts ({m.formula})"
    shown = f"{v:.1%}" if m.unit == "ratio" else f"{v:,.2f}"
    return f"{m.name} = {shown} = {num:,.0f} / {den:,.0f} ({m.formula})"
