"""Validation rules: one SQL condition per rule, each producing rejected rows with a reason.

The staging table ``_imp`` holds, for every canonical column ``c``, the parsed value ``c`` (text
trimmed; numbers, booleans and dates via ``TRY_CAST``; timestamps already converted to UTC) and, for
non-text columns, ``r__c``: the raw text when it did not parse (NULL otherwise, so it costs nothing
for good rows). A rule is a condition over those columns; the importer runs one
``INSERT INTO _imp_rej SELECT ... WHERE <condition>`` per rule, so a row can collect several reasons
and every reason names its row, column and value.

Rules come from the schema (required values, types) plus the domain ranges of DESIGN.md: negative
durations, answered before created, CSAT outside 1-5, CES outside 1-7, unknown channels, counts that
do not add up in interval reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from ops.store.importers.mapping import q_ident, q_str
from ops.store.schema import (
    ASYNC_MODE,
    CENTER_KINDS,
    CHANNELS,
    EVENT_KINDS,
    HANDLED_BY,
    LIVE_MODE,
    Column,
    Table,
)

# Columns computed at import (never read from the file) and the column that records the run.
DERIVED: dict[str, frozenset[str]] = {
    "contacts": frozenset(
        {"created_local", "first_response_business_s", "resolution_business_s", "is_repeat"}
    ),
    "interval_stats": frozenset({"interval_local"}),
    "schedules": frozenset({"interval_local"}),
}
RUN_COLUMN = "import_run_id"
# (local column, UTC column) derived with the center's timezone.
LOCAL_OF: dict[str, tuple[str, str]] = {
    "contacts": ("created_local", "created_at"),
    "interval_stats": ("interval_local", "interval_start"),
    "schedules": ("interval_local", "interval_start"),
}
# Timestamps that are local by definition (not converted to UTC).
NAIVE_LOCAL = frozenset({("forecasts", "ds")})
TS_MIN, TS_MAX = "1990-01-01", "2100-01-01"

TYPE_WORDS = {
    "TIMESTAMP": "a valid timestamp (ISO 8601, e.g. 2026-10-01 09:00:00 or 2026-10-01T00:00:00Z)",
    "DATE": "a valid date (YYYY-MM-DD)",
    "DOUBLE": "a number",
    "INTEGER": "a whole number",
    "BIGINT": "a whole number",
    "TINYINT": "a whole number between -128 and 127",
    "BOOLEAN": "true/false (also yes/no, y/n, 1/0)",
}


def imported_columns(table: Table) -> list[Column]:
    """The table's columns that come from the file (not derived, not the run id)."""
    derived = DERIVED.get(table.name, frozenset())
    return [c for c in table.columns if c.name not in derived and c.name != RUN_COLUMN]


def bad_name(col: str) -> str:
    """The staging column holding the raw value of ``col`` when it failed to parse (else NULL)."""
    return f"r__{col}"


def typed_ref(col: Column) -> str:
    """The parsed value of ``col`` in ``_imp``."""
    return q_ident(col.name)


@lru_cache(maxsize=256)
def fixed_offset_seconds(tz: str) -> int | None:
    """The UTC offset of ``tz`` in seconds when it is the same at every instant 1990..2100.

    Asia/Seoul (no DST since 1988) and Asia/Manila are fixed, so local -> UTC is a subtraction
    instead of a per-row ICU conversion. Zones with DST (or Ramadan suspensions, sampled on the 1st
    and 15th of every month) return None and keep the exact ICU conversion.
    """
    try:
        zone = ZoneInfo(tz)
    except Exception:
        return None
    seen = None
    for year in range(1990, 2101):
        for month in range(1, 13):
            for day in (1, 15):
                off = datetime(year, month, day, 12, tzinfo=zone).utcoffset()
                if seen is None:
                    seen = off
                elif off != seen:
                    return None
    return int(seen.total_seconds()) if seen is not None else None


def typed_sql(
    table: str, col: Column, raw: str, tz_sql: str, source_type: str, off_sql: str = "NULL"
) -> str:
    """SQL parsing the raw value ``raw`` into ``col``'s type; NULL when it does not parse.

    Naive timestamps are local time in ``tz_sql``; ``off_sql`` is that zone's fixed UTC offset in
    seconds (NULL when it has DST), which turns the conversion into a subtraction.
    """
    t = col.type
    st = source_type.upper()
    if t == "TIMESTAMP":
        if (table, col.name) in NAIVE_LOCAL:
            return f"TRY_CAST({raw} AS TIMESTAMP)"
        if st.startswith("TIMESTAMP WITH TIME ZONE") or st == "TIMESTAMPTZ":
            return f"timezone('UTC', {raw})"
        if st.startswith("TIMESTAMP") or st == "DATE":
            naive = f"CAST({raw} AS TIMESTAMP)"
            return (
                f"CASE WHEN {off_sql} IS NOT NULL THEN {naive} - to_seconds({off_sql}) "
                f"ELSE timezone('UTC', timezone({tz_sql}, {naive})) END"
            )
        return f"_ccops_ts(CAST({raw} AS VARCHAR), {tz_sql}, {off_sql})"
    if t == "BOOLEAN":
        if st == "BOOLEAN":
            return raw
        return f"_ccops_bool(CAST({raw} AS VARCHAR))"
    if t in ("INTEGER", "BIGINT", "TINYINT") and st in ("DOUBLE", "FLOAT", "VARCHAR"):
        # '4.0' from a spreadsheet is 4; '4.5' is not a whole number
        d = f"TRY_CAST({raw} AS DOUBLE)"
        return f"(CASE WHEN {d} = round({d}) THEN TRY_CAST({d} AS {t}) END)"
    return f"TRY_CAST({raw} AS {t})"


MACROS = (
    r"""CREATE OR REPLACE TEMP MACRO _ccops_has_offset(x) AS (
        (right(x, 1) IN ('Z', 'z') OR substr(x, -6, 1) IN ('+', '-')
         OR substr(x, -5, 1) IN ('+', '-') OR substr(x, -3, 1) IN ('+', '-'))
        AND regexp_matches(x, ':\d\d(\.\d+)?\s*([Zz]|[+-]\d\d(:?\d\d)?)$'))""",
    # the common case, a naive 'YYYY-MM-DD HH:MM:SS' (19 chars) in a fixed-offset zone, is the
    # first branch (same result as the later ones give it, fewer vectorised tests); longer values
    # are tested for an offset
    """CREATE OR REPLACE TEMP MACRO _ccops_ts(x, tz, off) AS (CASE
        WHEN length(x) = 19 AND off IS NOT NULL AND right(x, 1) NOT IN ('Z', 'z')
            THEN TRY_CAST(x AS TIMESTAMP) - to_seconds(off)
        WHEN x IS NULL THEN NULL
        WHEN length(x) > 19 AND _ccops_has_offset(x)
            THEN timezone('UTC', TRY_CAST(x AS TIMESTAMPTZ))
        WHEN length(x) <= 19 AND right(x, 1) IN ('Z', 'z')
            THEN timezone('UTC', TRY_CAST(x AS TIMESTAMPTZ))
        WHEN off IS NOT NULL THEN TRY_CAST(x AS TIMESTAMP) - to_seconds(off)
        ELSE timezone('UTC', timezone(tz, TRY_CAST(x AS TIMESTAMP))) END)""",
    """CREATE OR REPLACE TEMP MACRO _ccops_bool(x) AS (CASE lower(trim(x))
        WHEN 'true' THEN true WHEN 't' THEN true WHEN 'yes' THEN true WHEN 'y' THEN true
        WHEN '1' THEN true WHEN '예' THEN true WHEN 'o' THEN true
        WHEN 'false' THEN false WHEN 'f' THEN false WHEN 'no' THEN false WHEN 'n' THEN false
        WHEN '0' THEN false WHEN '아니오' THEN false WHEN 'x' THEN false
        ELSE NULL END)""",
)


SOURCE_TEXT_PREFIX = "__src__"
CONVERTED_WORDS = {"number": "a number", "duration": "a duration (hh:mm:ss or mm:ss)"}


@dataclass(frozen=True)
class Rule:
    """Rows of ``_imp`` matching ``condition`` are rejected: ``column`` / ``value_sql`` / ``reason``."""

    column: str
    condition: str
    reason: str
    value_sql: str


def _in_list(values: tuple[str, ...] | list[str]) -> str:
    return "(" + ", ".join(q_str(v) for v in values) + ")"


def table_rules(
    table: Table,
    present: set[str],
    labels: dict[str, str],
    converted: dict[str, str] | None = None,
) -> list[Rule]:
    """All rules for ``table``, restricted to the columns the file provides (``present``).

    ``converted`` names the columns a mapping computes from a source cell (``"number"``: scaled
    minutes, an offset in seconds; ``"duration"``: hh:mm:ss): their rejected value is the source
    cell's text (staged as ``__src__<column>``) and a parse failure says what the cell must be.
    """
    rules: list[Rule] = []
    name = table.name
    cols = {c.name: c for c in imported_columns(table)}
    converted = converted or {}

    def raw(c: str) -> str:
        if c in converted:
            return f"CAST({q_ident(SOURCE_TEXT_PREFIX + c)} AS VARCHAR)"
        if cols[c].type == "TIMESTAMP" and (name, c) not in NAIVE_LOCAL:
            # shown as the local time the file most likely wrote, not the stored UTC value
            return f"CAST(timezone(_tz, timezone('UTC', {q_ident(c)})) AS VARCHAR)"
        return f"CAST({q_ident(c)} AS VARCHAR)"

    def bad(c: str) -> str:
        return q_ident(bad_name(c))

    def v(c: str) -> str:
        return typed_ref(cols[c])

    def label(c: str) -> str:
        return labels.get(c, c)

    # required values and types, from the schema
    for c in cols.values():
        if c.required and c.name in present:
            cond = f"{q_ident(c.name)} IS NULL"
            if c.type != "VARCHAR":
                cond += f" AND {bad(c.name)} IS NULL"
            rules.append(Rule(label(c.name), cond, "required value is missing", "NULL"))
        if c.name in present and c.type != "VARCHAR":
            word = TYPE_WORDS.get(c.type, c.type)
            if c.name in converted:
                word = CONVERTED_WORDS[converted[c.name]]
            rules.append(
                Rule(
                    label(c.name),
                    f"{bad(c.name)} IS NOT NULL",
                    f"not {word}",
                    raw(c.name) if c.name in converted else bad(c.name),
                )
            )
            if c.type == "TIMESTAMP":
                rules.append(
                    Rule(
                        label(c.name),
                        f"{v(c.name)} < TIMESTAMP '{TS_MIN}' OR {v(c.name)} >= TIMESTAMP '{TS_MAX}'",
                        f"timestamp outside {TS_MIN[:4]}..{TS_MAX[:4]}",
                        raw(c.name),
                    )
                )

    def has(*names: str) -> bool:
        return all(n in present for n in names)

    def nonneg(c: str, what: str = "negative duration") -> None:
        if has(c):
            rules.append(Rule(label(c), f"{v(c)} < 0", what, raw(c)))

    def before(later: str, earlier: str, what: str) -> None:
        if has(later, earlier):
            rules.append(Rule(label(later), f"{v(later)} < {v(earlier)}", what, raw(later)))

    def one_of(c: str, allowed: tuple[str, ...] | list[str], what: str) -> None:
        if has(c):
            rules.append(
                Rule(
                    label(c),
                    f"{q_ident(c)} IS NOT NULL AND {q_ident(c)} NOT IN {_in_list(allowed)}",
                    f"{what}; expected one of: {', '.join(allowed)}",
                    raw(c),
                )
            )

    def between(c: str, lo: float, hi: float, what: str) -> None:
        if has(c):
            rules.append(Rule(label(c), f"{v(c)} NOT BETWEEN {lo} AND {hi}", what, raw(c)))

    def not_more(c: str, other: str, what: str) -> None:
        if has(c, other):
            rules.append(Rule(label(c), f"{v(c)} > {v(other)}", what, raw(c)))

    name = table.name
    if name == "contacts":
        nonneg("wait_s")
        nonneg("handle_s")
        before("answered_at", "created_at", "answered before created")
        before("abandoned_at", "created_at", "abandoned before created")
        before("resolved_at", "created_at", "resolved before created")
        if has("answered_at", "abandoned_at"):
            rules.append(
                Rule(
                    label("abandoned_at"),
                    f"{v('answered_at')} IS NOT NULL AND {v('abandoned_at')} IS NOT NULL",
                    "both answered and abandoned",
                    raw("abandoned_at"),
                )
            )
        between("csat", 1, 5, "CSAT outside 1-5")
        between("ces", 1, 7, "CES outside 1-7")
        one_of("channel", CHANNELS, "unknown channel")
        one_of("handled_by", HANDLED_BY, "unknown handled_by")
    elif name == "interval_stats":
        for count in ("offered", "answered", "answered_within_t", "abandoned", "abandoned_short",
                      "abandoned_within_t"):  # fmt: skip
            nonneg(count, "negative count")
        for total in ("threshold_s", "handle_s_total", "wait_s_total"):
            nonneg(total)
        between("interval_s", 1, 86400, "interval_s must be 1..86400 seconds")
        not_more("answered", "offered", "answered exceeds offered")
        not_more("abandoned", "offered", "abandoned exceeds offered")
        not_more("answered_within_t", "answered", "answered_within_t exceeds answered")
        not_more("abandoned_short", "abandoned", "abandoned_short exceeds abandoned")
        not_more("abandoned_within_t", "abandoned", "abandoned_within_t exceeds abandoned")
    elif name == "schedules":
        between("interval_s", 1, 86400, "interval_s must be 1..86400 seconds")
        for secs in ("scheduled_s", "staffed_s", "productive_s"):
            nonneg(secs)
    elif name == "surveys":
        one_of("kind", ("csat", "ces", "nps"), "unknown survey kind")
        if has("kind", "score"):
            cond = (
                f"({q_ident('kind')} = 'csat' AND {v('score')} NOT BETWEEN 1 AND 5) OR "
                f"({q_ident('kind')} = 'ces' AND {v('score')} NOT BETWEEN 1 AND 7) OR "
                f"({q_ident('kind')} = 'nps' AND {v('score')} NOT BETWEEN 0 AND 10)"
            )
            rules.append(
                Rule(
                    label("score"),
                    cond,
                    "score outside the scale (CSAT 1-5, CES 1-7, NPS 0-10)",
                    raw("score"),
                )  # fmt: skip
            )
        one_of("channel", CHANNELS, "unknown channel")
    elif name == "qa_item_scores":
        nonneg("score", "negative score")
    elif name == "qa_evaluations":
        one_of("evaluator_org", ("in_house", "vendor"), "unknown evaluator_org")
    elif name == "centers":
        one_of("kind", CENTER_KINDS, "unknown center kind")
        nonneg("hourly_cost", "negative cost")
    elif name == "queues":
        one_of("channel", CHANNELS, "unknown channel")
        one_of("mode", (LIVE_MODE, ASYNC_MODE), "unknown mode")
        between("concurrency", 1, 50, "concurrency must be 1..50")
    elif name == "events":
        one_of("kind", EVENT_KINDS, "unknown event kind")
        before("end_date", "start_date", "end_date before start_date")
    elif name == "agents":
        before("end_date", "hire_date", "end_date before hire_date")
    elif name == "tags":
        between("severity", 1, 3, "severity must be 1..3")
    return rules
