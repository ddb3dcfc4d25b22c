"""Base aggregates per data source, as Ibis expressions.

The registry writes every metric as a formula over a small vocabulary (``offered()``,
``answered_within_t()``, ``responded_within(h)``, ...). Each class here supplies that vocabulary for
one kind of table, so service level from per-contact rows and from ACD ``interval_stats`` counts is
literally the same formula. Every aggregate takes an optional ``mask`` (a boolean Ibis expression)
so that many contract lines with different scopes can be computed in ONE scan of the contacts table
(``count(*) FILTER (WHERE ...)`` per line).

Population rules (documented once, here):
- live metrics use contacts in live-mode queues that were not handled by a bot/self-serve flow;
- async metrics use contacts in async-mode queues, agent-handled (or handled_by empty) and not
  withdrawn by the customer (``abandoned_at`` empty);
- "answered" = ``answered_at`` set; "abandoned" = ``abandoned_at`` set and no answer;
- a missing ``wait_s`` is never "within T" and never "short".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import ibis
import pandas as pd

from ops.errors import ConfigError
from ops.sla.registry import MetricParams

_FAR = 1e18  # stands in for a missing wait so it is neither within T nor short
BOT_HANDLERS = ("bot", "self_serve")


class _Masked:
    """Common helpers: every aggregate is filtered by ``cond & mask``."""

    def __init__(self, t: Any, p: MetricParams, mask: Any = None) -> None:
        self.t = t
        self.p = p
        self.mask = mask

    def _w(self, cond: Any) -> Any:
        if self.mask is None:
            return cond
        return cond & self.mask if cond is not None else self.mask

    def _count(self, cond: Any) -> Any:
        return self.t.count(where=self._w(cond))

    def _sum(self, col: Any, cond: Any = None) -> Any:
        where = self._w(cond)
        return (col.sum(where=where) if where is not None else col.sum()).fill_null(0)


def bot_contained_expr(t: Any) -> Any:
    """Per contact: ended in the bot or a self-serve flow (``handled_by`` in BOT_HANDLERS)."""
    return t.handled_by.isin(BOT_HANDLERS).fill_null(False)


def bot_started_expr(t: Any) -> Any:
    """Per contact: started in the bot flow (``via_bot``, or ended there: it started there)."""
    return t.via_bot.fill_null(False) | bot_contained_expr(t)


FLAG_COLUMNS = frozenset({"_agent", "_live", "_async", "_wf", "_ans", "_abn", "_frt"})


def _flag_exprs(t: Any, is_live: Any) -> dict[str, Any]:
    """Per-row population flags of the contacts rules (module docstring)."""
    agent = t.handled_by.isnull() | (t.handled_by == "agent")
    live = is_live & agent
    return {
        "_agent": agent,
        "_live": live,
        "_async": (~is_live) & agent & t.abandoned_at.isnull(),
        "_wf": t.wait_s.fill_null(_FAR),
        "_ans": t.answered_at.notnull(),
        "_abn": live & t.answered_at.isnull() & t.abandoned_at.notnull(),
        "_frt": ibis.coalesce(
            t.wait_s, (t.answered_at.epoch_seconds() - t.created_at.epoch_seconds()).cast("float64")
        ),
    }


def with_contact_flags(t: Any, is_live: Any) -> Any:
    """``t`` with the population flags as columns, so each is computed once per row.

    Two projections: the live test (an IN list over queue ids) is evaluated once into ``_is_live``
    and the other flags read that column instead of repeating the list.
    """
    if "_is_live" not in t.columns:
        t = t.mutate(_is_live=is_live)
    return t.mutate(**_flag_exprs(t, t._is_live))


class ContactsBase(_Masked):
    """Base aggregates over per-contact rows (``contacts``)."""

    def __init__(
        self,
        t: Any,
        p: MetricParams,
        *,
        is_live: Any = None,
        cutoff: Any = None,
        mask: Any = None,
    ) -> None:
        super().__init__(t, p, mask)
        self.cutoff = cutoff  # callable(hours, clock) -> Ibis timestamp expr per row
        if FLAG_COLUMNS <= set(t.columns):
            # flags projected once per row by with_contact_flags (fast: no repeated IN lists)
            self.agent, self.live, self.async_pop = t._agent, t._live, t._async
            self.wf, self.ans, self.abn_any, self.frt = t._wf, t._ans, t._abn, t._frt
            return
        if is_live is None:
            raise ValueError("ContactsBase needs is_live unless the table carries the flags")
        f = _flag_exprs(t, is_live)
        self.agent, self.live, self.async_pop = f["_agent"], f["_live"], f["_async"]
        self.wf, self.ans, self.abn_any, self.frt = f["_wf"], f["_ans"], f["_abn"], f["_frt"]

    # live
    def offered(self) -> Any:
        return self.answered() + self.abandoned()

    def answered(self) -> Any:
        return self._count(self.live & self.ans)

    def abandoned(self) -> Any:
        return self._count(self.abn_any & (self.wf >= self.p.short_abandon_s))

    def short_abandoned(self) -> Any:
        return self._count(self.abn_any & (self.wf < self.p.short_abandon_s))

    def answered_within_t(self) -> Any:
        return self._count(self.live & self.ans & (self.wf <= self.p.threshold_s))

    def abandoned_within_t(self) -> Any:
        return self._count(
            self.abn_any & (self.wf >= self.p.short_abandon_s) & (self.wf <= self.p.threshold_s)
        )

    def wait_answered_s(self) -> Any:
        return self._sum(self.t.wait_s, self.live & self.ans)

    def wait_abandoned_all_s(self) -> Any:
        """Sum of waits of abandoned contacts, short abandons included (patience exposure)."""
        return self._sum(self.t.wait_s, self.abn_any)

    def _handled_cond(self) -> Any:
        return self.agent & self.ans & self.t.handle_s.notnull()

    def handled(self) -> Any:
        return self._count(self._handled_cond())

    def handle_s(self) -> Any:
        return self._sum(self.t.handle_s, self._handled_cond())

    # async
    def _responded_cond(self) -> Any:
        return self.async_pop & self.ans

    def responded(self) -> Any:
        return self._count(self._responded_cond())

    def frt_sum(self) -> Any:
        return self._sum(self.frt, self._responded_cond())

    def frt_quantile(self, q: float) -> Any:
        return self.frt.quantile(q, where=self._w(self._responded_cond()))

    def _responded_business_cond(self) -> Any:
        return self._responded_cond() & self.t.first_response_business_s.notnull()

    def responded_business(self) -> Any:
        return self._count(self._responded_business_cond())

    def frt_business_sum(self) -> Any:
        return self._sum(self.t.first_response_business_s, self._responded_business_cond())

    def frt_business_quantile(self, q: float) -> Any:
        return self.t.first_response_business_s.quantile(
            q, where=self._w(self._responded_business_cond())
        )

    def responded_within(self, hours: float) -> Any:
        # business time when derived; calendar time (never shorter) when it is missing or the
        # line is measured on a 24x7 clock
        if self.p.calendar == "24x7":
            frb = self.frt
        else:
            frb = ibis.coalesce(self.t.first_response_business_s, self.frt)
        return self._count(self._responded_cond() & (frb <= hours * 3600.0))

    def response_due(self, hours: float) -> Any:
        if self.cutoff is None:
            raise ConfigError("response rates need a deadline cutoff (no centers or contacts?)")
        overdue = (
            self.async_pop
            & self.t.answered_at.isnull()
            & (self.t.created_at <= self.cutoff(hours, self.p.calendar))
        )
        return self._count(self._responded_cond() | overdue)

    def _resolved_cond(self) -> Any:
        return self.agent & self.t.resolved_at.notnull()

    def resolved(self) -> Any:
        return self._count(self._resolved_cond())

    def resolution_sum(self) -> Any:
        secs = (self.t.resolved_at.epoch_seconds() - self.t.created_at.epoch_seconds()).cast(
            "float64"
        )
        return self._sum(secs, self._resolved_cond())

    def resolved_business(self) -> Any:
        return self._count(self._resolved_cond() & self.t.resolution_business_s.notnull())

    def resolution_business_sum(self) -> Any:
        return self._sum(
            self.t.resolution_business_s,
            self._resolved_cond() & self.t.resolution_business_s.notnull(),
        )

    def reopened(self) -> Any:
        return self._count(self._resolved_cond() & self.t.reopened.fill_null(False))

    # customer and other
    def csat_top2(self) -> Any:
        return self._count(self.t.csat.between(4, 5))

    def csat_n(self) -> Any:
        return self._count(self.t.csat.between(1, 5))

    def ces_sum(self) -> Any:
        return self._sum(self.t.ces.cast("float64"), self.t.ces.between(1, 7))

    def ces_n(self) -> Any:
        return self._count(self.t.ces.between(1, 7))

    def ces_high(self) -> Any:
        return self._count(self.t.ces.between(6, 7))

    def repeats(self) -> Any:
        return self._count(self.t.is_repeat.fill_null(False))

    def contacts(self) -> Any:
        return self._count(ibis.literal(True))

    def bot_contained(self) -> Any:
        return self._count(bot_contained_expr(self.t))

    def bot_started(self) -> Any:
        return self._count(bot_started_expr(self.t))


class IntervalStatsBase(_Masked):
    """Base aggregates over ACD interval reports (``interval_stats``: raw counts).

    ``offered``/``abandoned`` there include short abandons and ``abandoned_within_t`` includes the
    short ones (schema docs), so they are removed here, as everywhere. The within-T counts are only
    valid for the T the ACD used (``threshold_s``); the engine checks it matches the parameter.
    """

    def _s(self, col: Any) -> Any:
        return self._sum(col.fill_null(0))

    def offered(self) -> Any:
        return self._s(self.t.offered) - self._s(self.t.abandoned_short)

    def answered(self) -> Any:
        return self._s(self.t.answered)

    def abandoned(self) -> Any:
        return self._s(self.t.abandoned) - self._s(self.t.abandoned_short)

    def short_abandoned(self) -> Any:
        return self._s(self.t.abandoned_short)

    def answered_within_t(self) -> Any:
        return self._s(self.t.answered_within_t)

    def abandoned_within_t(self) -> Any:
        return self._s(self.t.abandoned_within_t) - self._s(self.t.abandoned_short)

    def wait_answered_s(self) -> Any:
        return self._s(self.t.wait_s_total)

    def handled(self) -> Any:
        return self._s(self.t.answered)

    def handle_s(self) -> Any:
        return self._s(self.t.handle_s_total)


class SchedulesBase(_Masked):
    """Productive (available) agent-seconds from ``schedules`` (staffed when not given)."""

    def _productive(self) -> Any:
        return ibis.coalesce(self.t.productive_s, self.t.staffed_s, ibis.literal(0.0))

    def productive_s(self) -> Any:
        return self._sum(self._productive())

    def capacity_s(self) -> Any:
        """Handle-seconds the schedule can absorb: productive seconds x the queue's concurrency.

        A chat agent with concurrency 2 handles two conversations at once, so one productive hour
        holds two hours of chat handle time. ``_concurrency`` is projected per row by the engine
        from ``queues.concurrency`` (1 when missing); without it every queue counts as 1.
        """
        conc = self.t._concurrency if "_concurrency" in self.t.columns else ibis.literal(1.0)
        return self._sum(self._productive() * conc)


class SurveysBase(_Masked):
    """NPS from ``surveys`` rows of kind 'nps' (0-10)."""

    def nps_promoters(self) -> Any:
        return self._count((self.t.kind == "nps") & self.t.score.between(9, 10))

    def nps_detractors(self) -> Any:
        return self._count((self.t.kind == "nps") & self.t.score.between(0, 6))

    def nps_net(self) -> Any:
        return self.nps_promoters() - self.nps_detractors()

    def nps_n(self) -> Any:
        return self._count((self.t.kind == "nps") & self.t.score.between(0, 10))


class QABase(_Masked):
    """Mean evaluation score over per-evaluation rows with ``qa_score``.

    The rows come from :func:`ops.qa.scoring.evaluation_scores_expr` (THE QA score definition:
    weights, N/A, critical items, calibration sessions left out); only the aggregation is here.
    """

    def qa_sum(self) -> Any:
        return self._sum(self.t.qa_score, self.t.qa_score.notnull())

    def qa_n(self) -> Any:
        return self._count(self.t.qa_score.notnull())


class IntervalsBase(_Masked):
    """Over a per-interval table with SL parts ``sl_num``/``sl_den`` (% intervals meeting SL)."""

    def intervals_met(self) -> Any:
        t = self.t
        return self._count((t.sl_den > 0) & (t.sl_num >= t.sl_den * self.p.sl_target - 1e-9))

    def intervals_n(self) -> Any:
        return self._count(self.t.sl_den > 0)


def as_timestamp_literal(ts: datetime | pd.Timestamp) -> Any:
    return ibis.literal(pd.Timestamp(ts).to_pydatetime(), type="timestamp")
