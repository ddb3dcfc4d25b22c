"""Compliance: contract lines against actuals, breaches, trend and the monthly penalty statement.

For each center, contract line and period: actual, target, met, margin and the counts behind the
actual. Lines whose numerator and denominator are sums over rows (ratios, counts, means: almost all)
come from ONE query per data source grouped by local day (or interval), center and the scope keys
the contracts use, with each distinct (metric, parameters) aggregated once; a line's value for a
day, week or month is the sum of the groups inside its center, scope and the version's effective
dates (integer counts and sums, so the same numbers as a filtered aggregate per line, at a fraction
of the engine's work). Quantile lines (median/p90 response times) cannot be summed: they share one
scan with a ``FILTER (WHERE center AND scope AND dates)`` aggregate per line.

Conventions:
- the version in force on each day judges that day (a mid-month change splits the month between the
  two versions, each with its own statement);
- shortfall and margin are in *points*: percentage points for ratios (SL 76.2 % vs 80 % = 3.8 pt),
  the metric's own unit otherwise (CES 6.3 vs 6.5 = 0.2 pt, ASA seconds);
- penalty tiers are shortfall bands ``from <= shortfall < to`` costing a % of the monthly fee; a
  line may cap its own penalty (``cap_pct``) and the contract caps a month's total
  (``penalty_cap_pct``); a bonus is credited when the actual beats the target by ``above`` points;
- lines measured per day/week/interval are listed per period (breaches), and the monthly penalty is
  judged on the month's value of the line.
"""

from __future__ import annotations

import calendar as _cal
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from ops.errors import ConfigError
from ops.sla.contracts import Contract, ContractLine, stored_contracts
from ops.sla.metrics import (
    TIME_COLUMN,
    MetricContext,
    _base,
    _effective_source,
    _execute,
    _period_expr,
    _prepare,
    metric_table,
)
from ops.sla.registry import METRICS, Metric, MetricParams


class LineIdentity(BaseModel):
    """Which contract line a result, projection or alert is about (one definition for all three)."""

    center_id: str
    contract_id: str
    version: int
    line_no: int
    metric: str
    label: str


class LineResult(LineIdentity):
    scope: str
    period: str
    period_start: date | datetime
    actual: float | None
    target: float
    direction: str
    unit: str
    met: bool | None
    margin_pt: float | None
    num: float | None
    den: float | None
    # the center's data does not cover the whole period (it starts or ends inside it): the value
    # is shown, but the period is not counted as met or missed in the attainment summary
    partial: bool = False
    # ``label`` worded in Korean (a contract's own label as written)
    label_ko: str = ""


class StatementLine(BaseModel):
    line_no: int
    label: str
    metric: str
    actual: float | None
    target: float
    shortfall_pt: float | None
    tier: str | None
    pct_of_fee: float
    penalty: float
    bonus: float
    text: str
    # ``label`` worded in Korean (ContractLine.describe("ko"))
    label_ko: str = ""


class PenaltyStatement(BaseModel):
    center_id: str
    vendor: str | None
    contract_id: str
    version: int
    month: str
    monthly_fee: float
    currency: str
    lines: list[StatementLine]
    penalty_before_cap: float
    penalty_cap: float | None
    penalty_total: float
    bonus_total: float
    net_adjustment: float  # bonus - penalty: negative = deduction from the vendor's invoice
    text: list[str]
    # days of the month the center's data covers; a statement on part of a month (the data
    # starts or ends inside it, or the month is not over) is provisional, not an invoice line
    days_with_data: int | None = None
    days_in_month: int | None = None
    provisional: bool = False


class ComplianceReport(BaseModel):
    months: list[str]
    lines: list[LineResult]
    statements: list[PenaltyStatement]
    summary: list[dict[str, Any]]

    def lines_frame(self) -> pd.DataFrame:
        return pd.DataFrame([r.model_dump() for r in self.lines])

    def breaches(self) -> pd.DataFrame:
        df = self.lines_frame()
        return df[df["met"] == False].reset_index(drop=True) if len(df) else df  # noqa: E712


# --- units and arithmetic ---------------------------------------------------------------------
def _points(m: Metric, v: float) -> float:
    """A value in the unit shortfalls are counted in (percentage points for ratios)."""
    return v * 100.0 if m.unit == "ratio" else v


def shortfall_points(metric: str, actual: float, target: float) -> float:
    """How far the actual is on the wrong side of the target, in points (<= 0 when met)."""
    m = METRICS[metric]
    diff = _points(m, target) - _points(m, actual)
    if m.direction == "lower":
        diff = -diff
    return round(diff, 9)


def fmt_value(metric: str, v: float | None) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "n/a"
    m = METRICS[metric]
    if m.unit == "ratio":
        return f"{v * 100:.1f}%"
    if m.unit == "seconds":
        return f"{v:,.0f}s"
    return f"{v:.2f}" if m.unit == "score" and v < 10 else f"{v:.1f}"


def _money(x: float, cur: str) -> str:
    return f"{x:,.0f} {cur}"


def assess_line(
    line: ContractLine, actual: float | None, fee: float, currency: str, line_no: int = 0
) -> StatementLine:
    """Penalty and bonus of one contract line for one month, with the arithmetic spelled out.

    penalty = tier % x fee (capped at the line's cap_pct x fee); bonus = pct x fee when the actual
    beats the target by at least ``bonus.above`` points.
    """
    out = _assess_line(line, actual, fee, currency, line_no)
    out.label_ko = line.describe("ko")
    return out


def _assess_line(
    line: ContractLine, actual: float | None, fee: float, currency: str, line_no: int
) -> StatementLine:
    label = line.describe()
    tgt = fmt_value(line.metric, line.target)
    if actual is None or np.isnan(actual):
        return StatementLine(
            line_no=line_no, label=label, metric=line.metric, actual=None, target=line.target,
            shortfall_pt=None, tier=None, pct_of_fee=0.0, penalty=0.0, bonus=0.0,
            text=f"{label}: no data this month vs {tgt} target: not assessed",
        )  # fmt: skip
    act = fmt_value(line.metric, actual)
    s = shortfall_points(line.metric, actual, line.target)
    if s > 0:
        tier = line.penalty.tier_for(s) if line.penalty else None
        if tier is None:
            return StatementLine(
                line_no=line_no, label=label, metric=line.metric, actual=actual,
                target=line.target, shortfall_pt=s, tier=None, pct_of_fee=0.0, penalty=0.0,
                bonus=0.0, text=f"{label} {act} vs {tgt} target: shortfall {s:.1f} pt (no penalty)",
            )  # fmt: skip
        amount = fee * tier.pct_of_fee / 100.0
        text = (
            f"{label} {act} vs {tgt} target: shortfall {s:.1f} pt → tier {tier.label()} = "
            f"{tier.pct_of_fee:g}% of fee {_money(fee, currency)} = {_money(amount, currency)}"
        )
        assert line.penalty is not None
        if line.penalty.cap_pct is not None:
            cap = fee * line.penalty.cap_pct / 100.0
            if amount > cap:
                text += f"; line cap {line.penalty.cap_pct:g}% = {_money(cap, currency)}"
                amount = cap
        return StatementLine(
            line_no=line_no, label=label, metric=line.metric, actual=actual, target=line.target,
            shortfall_pt=s, tier=tier.label(), pct_of_fee=tier.pct_of_fee, penalty=amount,
            bonus=0.0, text=text,
        )  # fmt: skip
    margin = -s
    bonus = 0.0
    text = f"{label} {act} vs {tgt} target: met (margin {margin:+.1f} pt)"
    if line.bonus and margin >= line.bonus.above_pt and line.bonus.pct_of_fee > 0:
        bonus = fee * line.bonus.pct_of_fee / 100.0
        text += (
            f"; beats target by >= {line.bonus.above_pt:g} pt → bonus {line.bonus.pct_of_fee:g}% "
            f"of fee = {_money(bonus, currency)}"
        )
    return StatementLine(
        line_no=line_no, label=label, metric=line.metric, actual=actual, target=line.target,
        shortfall_pt=s, tier=None, pct_of_fee=0.0, penalty=0.0, bonus=bonus, text=text,
    )  # fmt: skip


def penalty_statement(
    contract: Contract, month: str, actuals: dict[int, float | None]
) -> PenaltyStatement:
    """The month's statement: each line's penalty/bonus, the contract caps, and the net."""
    fee, cur = contract.monthly_fee, contract.currency
    lines = [
        assess_line(line, actuals.get(i), fee, cur, i) for i, line in enumerate(contract.metrics)
    ]
    before = sum(sl.penalty for sl in lines)
    cap = fee * contract.penalty_cap_pct / 100.0 if contract.penalty_cap_pct is not None else None
    total = min(before, cap) if cap is not None else before
    bonus = sum(sl.bonus for sl in lines)
    if contract.bonus_cap_pct is not None:
        bonus = min(bonus, fee * contract.bonus_cap_pct / 100.0)
    text = [sl.text for sl in lines]
    cap_txt = (
        f"; cap {contract.penalty_cap_pct:g}% of fee = {_money(cap, cur)}"
        if cap is not None
        else ""
    )
    text.append(
        f"Penalties {_money(before, cur)}{cap_txt} → {_money(total, cur)}; bonus "
        f"{_money(bonus, cur)}; net adjustment {_money(bonus - total, cur)}"
    )
    return PenaltyStatement(
        center_id=contract.center_id, vendor=contract.vendor, contract_id=contract.contract_id,
        version=contract.version, month=month, monthly_fee=fee, currency=cur, lines=lines,
        penalty_before_cap=before, penalty_cap=cap, penalty_total=total, bonus_total=bonus,
        net_adjustment=bonus - total, text=text,
    )  # fmt: skip


# --- computing line actuals -----------------------------------------------------------------
@dataclass
class _Job:
    idx: int
    contract: Contract
    line_no: int
    line: ContractLine
    first: date
    last: date

    @property
    def metric(self) -> Metric:
        return METRICS[self.line.metric]


def _month_bounds(month: str) -> tuple[date, date]:
    try:
        y, m = (int(x) for x in month.split("-"))
        first = date(y, m, 1)
    except ValueError as e:
        raise ConfigError(f"month must be YYYY-MM, got {month!r}") from e
    return first, date(y, m, _cal.monthrange(y, m)[1])


def _months(first: date, last: date) -> list[str]:
    out, d = [], first.replace(day=1)
    while d <= last:
        out.append(f"{d.year:04d}-{d.month:02d}")
        d = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def _floor(d: date, period: str) -> date:
    if period == "month":
        return d.replace(day=1)
    if period == "week":
        return d - timedelta(days=d.weekday())
    return d


# metric kinds whose numerator and denominator are sums over rows: their value over a set of groups
# is the sum of the groups' parts, so lines can share one grouped query
ADDITIVE_KINDS = ("ratio", "count", "mean")


def _granularity(period: str) -> str:
    return "interval" if period == "interval" else "day"


def _grouped_frame(
    ctx: MetricContext, src: str, jobs: list[_Job], gran: str, first: date, last: date
) -> tuple[pd.DataFrame, dict[tuple[int, str], str]]:
    """One GROUP BY (day or interval, center, scope keys) query for the additive lines of a source.

    Each distinct (metric, parameters, role) is aggregated once, whatever the number of lines and
    centers that use it; a line's value is then the sum of the groups inside its center, scope and
    effective dates (see :func:`_job_parts`). Returns the frame and ``(job idx, role) -> column``.

    The query is prepared once per (source, dates, aggregates, scope keys, context fingerprint):
    a dashboard rerun or the next compliance call of the same month runs the stored SQL.
    """
    scope_keys: list[str] = []
    for j in jobs:
        scope = j.line.scope.filters()
        if scope and src == "qa":
            raise ConfigError(
                f"{j.contract.source_file}: metrics[{j.line_no}].scope: QA scores cannot "
                "be scoped by channel, queue or segment"
            )
        scope_keys += [k for k in scope if k not in scope_keys]
    # (column, metric, params) per distinct (metric, parameters, role), and each job's columns
    plan: dict[tuple[str, str, str], tuple[str, Metric, MetricParams, str]] = {}
    columns: dict[tuple[int, str], str] = {}
    for j in jobs:
        m = j.metric
        p = j.line.params(ctx.params)
        pkey = p.model_dump_json()
        num_src = _effective_source(m, "contacts")
        roles = []
        if src == num_src:
            roles.append("num")
        if m.den is not None and src == (m.den_source or num_src):
            roles.append("den")
        for role in roles:
            key = (m.name, pkey, role)
            if key not in plan:
                plan[key] = (f"_a{len(plan)}", m, p, role)
            columns[(j.idx, role)] = plan[key][0]

    def build() -> Any:
        t, _ = _prepare(ctx, src, gran, [], {}, first, last)
        keys: dict[str, Any] = {
            "_g": _period_expr(t[TIME_COLUMN[src]], gran, ctx.params.interval_minutes),
            "_center": t.center_id,
        }
        for k in scope_keys:
            keys[f"_k_{k}"] = ctx.key_expr(src, t, k)
        bases: dict[str, Any] = {}
        aggs: dict[str, Any] = {}
        for (_, pkey, role), (col, m, p, _) in plan.items():
            if pkey not in bases:
                bases[pkey] = _base(ctx, src, t, p)
            fn = m.num if role == "num" else m.den
            aggs[col] = fn(bases[pkey], p)  # type: ignore[misc]
        return t.group_by(**keys).aggregate(**aggs)

    def cache_key() -> tuple[Any, ...]:
        return (
            "compliance.grouped", src, gran, first, last, tuple(scope_keys),
            tuple(plan), ctx.fingerprint,
        )  # fmt: skip

    df = ctx._prepared(cache_key, build)
    df["_g"] = pd.to_datetime(df["_g"])
    return df, columns


def _period_codes(frame: pd.DataFrame, period: str) -> tuple[np.ndarray, np.ndarray]:
    """Each grouped row's period (the day/interval floored to ``period``) as codes into sorted starts."""
    g = frame["_g"].to_numpy(dtype="datetime64[ns]")
    if period == "month":
        per = g.astype("datetime64[M]").astype("datetime64[ns]")
    elif period == "week":  # Monday of the week (1970-01-01 was a Thursday)
        day = g.astype("datetime64[D]")
        per = (day - ((day.astype("int64") + 3) % 7)).astype("datetime64[ns]")
    elif period == "day":
        per = g.astype("datetime64[D]").astype("datetime64[ns]")
    else:
        per = g
    uniq, codes = np.unique(per, return_inverse=True)
    return codes.reshape(-1), uniq


class _FrameArrays:
    """A grouped frame's columns as NumPy arrays, converted once for all the lines that read it."""

    def __init__(self, frame: pd.DataFrame, period: str) -> None:
        self.codes, self.starts = _period_codes(frame, period)
        self.g = frame["_g"].to_numpy(dtype="datetime64[ns]")
        self.center = frame["_center"].to_numpy(dtype=object)
        self._frame = frame
        self._cols: dict[str, np.ndarray] = {}
        self._masks: dict[Any, np.ndarray] = {}

    def mask(self, key: Any, make: Any) -> np.ndarray:
        """A row selection shared by the lines that ask for it (same center, dates or scope)."""
        m = self._masks.get(key)
        if m is None:
            m = self._masks[key] = make()
        return m

    def col(self, name: str) -> np.ndarray:
        if name not in self._cols:
            f = self._frame[name]
            if name.startswith("_k_"):
                self._cols[name] = f.to_numpy(dtype=object)
            else:
                self._cols[name] = f.to_numpy(dtype="float64", na_value=0.0)
        return self._cols[name]


def _job_parts(
    arrays: _FrameArrays, columns: dict[tuple[int, str], str], j: _Job
) -> dict[str, np.ndarray]:
    """A line's num/den per period: the grouped frame's rows of its center, scope and dates, summed.

    Every period of the source keeps a row (0 when the line's scope has none), as a filtered
    aggregate over the whole source would give.
    """
    cid = j.contract.center_id
    sel = arrays.mask(("center", cid), lambda: arrays.center == cid)
    lo, hi = np.datetime64(j.first, "ns"), np.datetime64(j.last + timedelta(days=1), "ns")
    sel = sel & arrays.mask(("dates", lo, hi), lambda: (arrays.g >= lo) & (arrays.g < hi))
    for k, vals in j.line.scope.filters().items():

        def hit(k: str = k, vals: Any = vals) -> np.ndarray:
            keys = arrays.col(f"_k_{k}")
            out = np.zeros(len(keys), dtype=bool)
            for v in vals:  # element-wise ==: NULL keys (None) never match, no sorting
                out |= keys == v
            return out

        sel = sel & arrays.mask(("scope", k, tuple(vals)), hit)
    starts = arrays.starts
    out: dict[str, np.ndarray] = {"period": starts}
    codes = arrays.codes[sel]
    for role in ("num", "den"):
        col = columns.get((j.idx, role))
        if col is not None:
            w = arrays.col(col)[sel]
            out[role] = np.bincount(codes, weights=w, minlength=len(starts))
    return out


def _add_parts(out: dict[int, Any], idx: int, arrays: dict[str, Any]) -> None:
    """Store a job's per-period arrays; a second source (occupancy's den) is aligned on period."""
    if idx not in out:
        out[idx] = arrays
        return
    a = pd.DataFrame(out[idx]).merge(pd.DataFrame(arrays), on="period", how="outer")
    out[idx] = {c: a[c].to_numpy() for c in a.columns}


def _line_values(
    ctx: MetricContext,
    jobs: list[_Job],
    period: str,
    first: date,
    last: date,
    grouped: dict[tuple[str, str], Any] | None = None,
) -> dict[int, dict[str, np.ndarray]]:
    """Per job: arrays ``period``, ``actual``, ``num``, ``den`` (one entry per period).

    Additive lines (ratios, counts, means) of a source share one grouped query per granularity
    (:func:`_grouped_frame`, kept in ``grouped`` so the monthly and daily lines of one compliance
    run read the same result); quantile lines get one scan with a filtered aggregate per line.
    """
    out: dict[int, Any] = {}
    by_src: dict[str, list[_Job]] = {}
    additive: dict[str, list[_Job]] = {}
    grouped = {} if grouped is None else grouped
    for j in jobs:
        m = j.metric
        if m.source in ("intervals", "backlog"):
            df = metric_table(
                ctx.reader, [m.name], period=period, by=["center_id"],
                filters={"center_id": j.contract.center_id, **j.line.scope.filters()},
                start=j.first, end=j.last, params=j.line.params(ctx.params), context=ctx,
            )  # fmt: skip
            out[j.idx] = {
                "period": pd.to_datetime(df["period"]).to_numpy(),
                "num": pd.to_numeric(df[f"{m.name}_num"], errors="coerce").to_numpy(dtype=float),
                "den": pd.to_numeric(df[f"{m.name}_den"], errors="coerce").to_numpy(dtype=float),
            }
            continue
        target = additive if m.kind in ADDITIVE_KINDS else by_src
        target.setdefault(_effective_source(m, "contacts"), []).append(j)
        if m.den_source:
            target.setdefault(m.den_source, []).append(j)
    gran = _granularity(period)
    for src, sjobs in additive.items():
        if (src, gran) not in grouped or any(
            (j.idx, "num") not in grouped[(src, gran)][1]
            and (j.idx, "den") not in grouped[(src, gran)][1]
            for j in sjobs
        ):
            grouped[(src, gran)] = _grouped_frame(ctx, src, sjobs, gran, first, last)
        frame, columns = grouped[(src, gran)]
        frame_arrays = _FrameArrays(frame, period)
        for j in sjobs:
            _add_parts(out, j.idx, _job_parts(frame_arrays, columns, j))
    for src, sjobs in by_src.items():
        t, key_exprs = _prepare(ctx, src, period, [], {}, first, last)
        tcol = t[TIME_COLUMN[src]]
        # one boolean column per distinct (center, scope, effective dates): evaluated once per row
        masks: dict[tuple[Any, ...], str] = {}
        mask_exprs: dict[str, Any] = {}
        job_mask: dict[int, str] = {}
        for j in sjobs:
            scope = j.line.scope.filters()
            if scope and src == "qa":
                raise ConfigError(
                    f"{j.contract.source_file}: metrics[{j.line_no}].scope: QA scores cannot "
                    "be scoped by channel, queue or segment"
                )
            key = (j.contract.center_id, tuple(sorted((k, tuple(v)) for k, v in scope.items())),
                   j.first, j.last)  # fmt: skip
            if key not in masks:
                mask = t.center_id == j.contract.center_id
                if j.first > first:
                    mask = mask & (tcol >= pd.Timestamp(j.first).to_pydatetime())
                if j.last < last:
                    mask = mask & (
                        tcol < (pd.Timestamp(j.last) + timedelta(days=1)).to_pydatetime()
                    )
                for k, vals in scope.items():
                    mask = mask & ctx.key_expr(src, t, k).isin(vals)
                masks[key] = f"_m{len(masks)}"
                mask_exprs[masks[key]] = mask
            job_mask[j.idx] = masks[key]
        t = t.mutate(**mask_exprs)
        key_exprs = {
            "period": _period_expr(t[TIME_COLUMN[src]], period, ctx.params.interval_minutes)
        }
        aggs: dict[str, Any] = {}
        for j in sjobs:
            m = j.metric
            p = j.line.params(ctx.params)
            b = _base(ctx, src, t, p, mask=t[job_mask[j.idx]])
            num_src = _effective_source(m, "contacts")
            if src == num_src:
                if m.kind == "quantile":
                    aggs[f"j{j.idx}_value"] = m.value(b, p)  # type: ignore[misc]
                else:
                    aggs[f"j{j.idx}_num"] = m.num(b, p)  # type: ignore[misc]
            if m.den is not None and src == (m.den_source or num_src):
                aggs[f"j{j.idx}_den"] = m.den(b, p)
        expr = t.group_by(**key_exprs).aggregate(**aggs)
        df = _execute(ctx.reader, expr).sort_values("period")
        periods = pd.to_datetime(df["period"]).to_numpy()
        for j in sjobs:
            arrays = {
                c.split("_", 1)[1]: df[c].to_numpy(dtype="float64", na_value=np.nan)
                for c in df.columns
                if c.startswith(f"j{j.idx}_")
            }
            _add_parts(out, j.idx, {"period": periods, **arrays})
    result = {}
    empty = np.array([], dtype="datetime64[ns]")
    for j in jobs:
        cols = out.get(j.idx, {"period": empty})
        per = np.asarray(cols["period"], dtype="datetime64[ns]")
        nan = np.full(len(per), np.nan)
        num, den = cols.get("num", nan), cols.get("den", nan)
        m = j.metric
        if m.kind == "quantile":
            actual = cols.get("value", nan)
        elif m.kind == "count":
            actual = np.nan_to_num(num)
        else:
            d = np.nan_to_num(den)
            with np.errstate(divide="ignore", invalid="ignore"):
                actual = np.where(d > 0, np.nan_to_num(num) / np.where(d > 0, d, 1), np.nan)
            actual = actual * m.scale
        # periods starting inside the line's dates (intervals of its last day included)
        keep = (per >= np.datetime64(_floor(j.first, period), "ns")) & (
            per < np.datetime64(j.last + timedelta(days=1), "ns")
        )
        result[j.idx] = {
            "period": per[keep], "actual": actual[keep], "num": num[keep], "den": den[keep]
        }  # fmt: skip
    return result


def default_month(ctx: MetricContext) -> str:
    """The latest complete month of data (the month of the latest contact if it ends that day)."""
    as_of = ctx.as_of
    if as_of is None:
        raise ConfigError("No contacts in the database; pass --month explicitly.")
    d = as_of.date()
    last_day = _cal.monthrange(d.year, d.month)[1]
    if d.day != last_day:
        d = d.replace(day=1) - timedelta(days=1)
    return f"{d.year:04d}-{d.month:02d}"


def compliance(
    reader: Any,
    *,
    month: str | None = None,
    start_month: str | None = None,
    end_month: str | None = None,
    center: str | None = None,
    contracts: Sequence[Contract] | None = None,
    params: MetricParams | None = None,
    context: MetricContext | None = None,
) -> ComplianceReport:
    """Contract lines vs actuals for one month (or a range of months), with penalty statements.

    ``contracts`` default to those stored in ``sla_contracts`` (scoped by the reader). ``month``
    defaults to the latest complete month. ``start_month``..``end_month`` gives a trend.
    """
    ctx = context or MetricContext(reader, params)
    if start_month or end_month:
        first = _month_bounds(start_month or end_month or "")[0]
        last = _month_bounds(end_month or start_month or "")[1]
    else:
        first, last = _month_bounds(month or default_month(ctx))
    pool = list(contracts) if contracts is not None else stored_contracts(reader, center)
    if center:
        pool = [c for c in pool if c.center_id == center]
        known = set(ctx.centers["center_id"].dropna().astype(str))
        if center not in known:
            raise ConfigError(
                f"Unknown center {center!r}; known: {', '.join(sorted(known)) or 'none'}."
            )
    if not pool:
        raise ConfigError(
            "No SLA contracts" + (f" for center {center}" if center else "")
            + " in the database; load them with `ccops sla load`."
        )  # fmt: skip
    jobs: list[_Job] = []
    for c in pool:
        if not c.overlaps(first, last):
            continue
        lo = max(first, c.effective_from)
        hi = min(last, c.effective_to) if c.effective_to else last
        for i, line in enumerate(c.metrics):
            jobs.append(_Job(len(jobs), c, i, line, lo, hi))
    months = _months(first, last)
    grouped: dict[tuple[str, str], Any] = {}  # the day-grouped query serves month/week/day lines
    month_vals = _line_values(ctx, jobs, "month", first, last, grouped)
    spans = data_spans(ctx, first, last)
    results: list[LineResult] = []
    for period in ("interval", "day", "week", "month"):
        pj = [j for j in jobs if j.line.period == period]
        if not pj:
            continue
        vals = (
            month_vals if period == "month" else _line_values(ctx, pj, period, first, last, grouped)
        )
        for j in pj:
            m = j.metric
            v = vals[j.idx]
            label, label_ko, scope = j.line.describe(), j.line.describe("ko"), j.line.scope.label()
            for per, act, num, den in zip(
                v["period"], v["actual"], v["num"], v["den"], strict=True
            ):
                if np.isnan(act):
                    continue  # no contacts in scope in this period: nothing to judge
                actual = float(act)
                s = shortfall_points(m.name, actual, j.line.target)
                ps = pd.Timestamp(per)
                partial = False
                if period != "interval":
                    p0 = ps.date()
                    p1 = _period_end(p0, period)
                    partial = covered_days(spans.get(j.contract.center_id), p0, p1) < (
                        (p1 - p0).days + 1
                    )
                results.append(
                    LineResult(
                        center_id=j.contract.center_id, contract_id=j.contract.contract_id,
                        version=j.contract.version, line_no=j.line_no, metric=m.name,
                        label=label, label_ko=label_ko, scope=scope, period=period,
                        period_start=ps.to_pydatetime() if period == "interval" else ps.date(),
                        actual=actual, target=j.line.target, direction=m.direction, unit=m.unit,
                        met=None if s is None else s <= 1e-9,
                        margin_pt=None if s is None else -s,
                        num=None if np.isnan(num) else float(num),
                        den=None if np.isnan(den) else float(den), partial=partial,
                    )
                )  # fmt: skip
    statements: list[PenaltyStatement] = []
    for mo in months:
        ms = np.datetime64(_month_bounds(mo)[0], "ns")
        for c in pool:
            mf, ml = _month_bounds(mo)
            if c.monthly_fee <= 0 or not c.overlaps(mf, ml):
                continue
            actuals: dict[int, float | None] = {}
            for j in jobs:
                if j.contract is not c:
                    continue
                v = month_vals[j.idx]
                hit = v["actual"][v["period"] == ms]
                actuals[j.line_no] = float(hit[0]) if len(hit) and not np.isnan(hit[0]) else None
            st = penalty_statement(c, mo, actuals)
            covered = covered_days(spans.get(c.center_id), mf, ml)
            st.days_in_month = (ml - mf).days + 1
            st.days_with_data = covered
            if covered < st.days_in_month:
                st.provisional = True
                st.text.insert(
                    0,
                    f"PROVISIONAL: {c.center_id}'s data covers {covered} of {st.days_in_month} "
                    f"days of {mo}; this statement is not final.",
                )
            statements.append(st)
    return ComplianceReport(
        months=months, lines=results, statements=statements, summary=attainment_summary(results)
    )


def data_spans(ctx: MetricContext, first: date, last: date) -> dict[str, tuple[date, date]]:
    """Per center: the data's coverage of ``first``..``last`` as (first day, last day).

    Read from the report's own date range plus the week before it (a range scan, not the whole
    table): a center with contacts in that week is covered from ``first`` on; otherwise from its
    first day with contacts. The end is the latest day of any center in scope, or ``as_of`` (the
    data is loaded through that day): a center closed on a month's last day is still covered,
    while a month that is not over yet, or a center whose data starts inside a month, is not.
    """

    def build() -> Any:
        t = ctx.table("contacts")
        lo_ts = pd.Timestamp(first) - timedelta(days=7)
        hi_ts = pd.Timestamp(last) + timedelta(days=1)
        w = t.filter((t.created_local >= lo_ts) & (t.created_local < hi_ts))
        return w.group_by("center_id").aggregate(lo=w.created_local.min(), hi=w.created_local.max())

    # contacts change only with a write: the spans are read once per write generation
    df = ctx.until_next_write(
        ("compliance.spans", first, last),
        lambda: ctx._prepared(("compliance.spans", first, last), build),
    )
    df = df.dropna(subset=["center_id", "lo", "hi"])
    if df.empty:
        return {}
    end = pd.Timestamp(df["hi"].max()).date()
    if ctx.as_of is not None:  # data after the range (or an explicit as_of) covers it to its end
        end = max(end, ctx.as_of.date())
    return {
        str(c): (pd.Timestamp(lo).date(), end)
        for c, lo in zip(df["center_id"], df["lo"], strict=True)
    }


def covered_days(span: tuple[date, date] | None, first: date, last: date) -> int:
    """Days of ``first``..``last`` inside the data's coverage ``span`` (0 when none)."""
    if span is None:
        return 0
    lo, hi = max(first, span[0]), min(last, span[1])
    return max((hi - lo).days + 1, 0)


def _period_end(start: date, period: str) -> date:
    if period == "month":
        return date(start.year, start.month, _cal.monthrange(start.year, start.month)[1])
    if period == "week":
        return start + timedelta(days=6)
    return start


def attainment_summary(results: list[LineResult]) -> list[dict[str, Any]]:
    """Per center and contract line: periods measured, periods met and the share met.

    Partial periods (the data covers only part of them) are left out of the counts and reported
    as ``partial_periods``. Rows come sorted by center, contract, line, label and period."""
    acc: dict[tuple[Any, ...], list[int]] = {}
    for r in results:
        if r.met is None:
            continue
        key = (r.center_id, r.contract_id, r.line_no, r.label, r.period)
        a = acc.setdefault(key, [0, 0, 0])  # periods, met, partial periods
        if r.partial:
            a[2] += 1
        else:
            a[0] += 1
            a[1] += int(bool(r.met))
    out = []
    for key in sorted(acc):
        periods, met, partial = acc[key]
        row: dict[str, Any] = dict(
            zip(("center_id", "contract_id", "line_no", "label", "period"), key, strict=True)
        )
        row.update(
            periods=periods, met=met, partial_periods=partial,
            share_met=met / periods if periods > 0 else float("nan"),
        )  # fmt: skip
        out.append(row)
    return out
