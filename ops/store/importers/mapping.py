"""Column mappings: how a vendor's export becomes ccops' canonical columns.

Users arrive with files from the tools they already run (Zendesk, Freshdesk, Channel.io, Genesys ...).
Rather than one importer per vendor, every profile is a YAML file under ``data/mappings/`` read by one
generic mapper: each canonical column says which source column(s) it comes from and how the value is
transformed. The mapper compiles a mapping into DuckDB SQL text expressions, so the whole file is
transformed inside DuckDB in one streamed pass; the canonical validation then runs on the result.

Mapping file format (all keys optional except ``table`` and ``columns``)::

    profile: zendesk                 # name used by --profile
    title: Zendesk Support ticket export (CSV)
    table: contacts                  # target table of ops/store/schema.py
    source: zendesk                  # contacts.source; contact_id = "<source>:<source_id>"
    delimiter: ","                   # CSV delimiter (default: sniffed)
    skip_rows: 0                     # title lines above the header
    sheet: 0                         # xlsx sheet (index or name)
    timezone: UTC                    # naive times of this export are UTC (default: the center's zone)
    columns:
      source_id: Id                  # short form: the source column
      created_at: {from: "Created at"}
      channel: {from: Via, map: {Web form: email, Chat: chat, "*": email}}
      wait_s: {from: "First reply time in minutes", scale: 60}
      answered_at: {from: "First reply time in minutes", scale: 60, offset_from: created_at}
      queue_id: {from: Group, prefix: "zendesk:", default: "zendesk:default"}
      csat: {from: "Satisfaction Score", map: {Good: 5, Bad: 1, "*": null}}
    ignored:                         # source columns deliberately not imported, with the reason
      "Service Level %": "vendor SL% is never imported as truth"
    items:                           # qa_evaluations only: item columns unpivoted into qa_item_scores
      greeting: "인사"
    na_values: ["N/A", "해당없음"]

Column rule keys: ``from`` (a source column, or a list of alternatives: the first present wins),
``value`` (a constant), ``map`` (value translation, matched case-insensitively after trimming; ``"*"``
catches every other non-empty value; values not in the map are kept so validation can reject them),
``default`` (used when the source is empty or absent), ``scale`` (multiply a number: minutes -> seconds
is 60), ``format`` (``strptime`` format for timestamps, or ``epoch``, ``epoch_ms``, ``hms`` for
``[d.]hh:mm:ss`` durations, ``ms`` for milliseconds -> seconds), ``times`` (multiply by another source
column: an average times a count gives a total), ``offset_from`` (a timestamp = another canonical
timestamp column + this value in seconds), ``split`` / ``index`` (take one part of a delimited value),
``prefix`` (prepended to non-empty values).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ops.errors import ConfigError
from ops.store.schema import TABLES

MAPPINGS_DIR = Path(__file__).resolve().parents[3] / "data" / "mappings"

# Tables the importer writes itself; never imported from a file.
SYSTEM_TABLES = frozenset({"import_runs", "rejected_rows"})


class ColumnRule(BaseModel):
    """How one canonical column is produced from the source file."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: list[str] | None = Field(None, alias="from")
    value: Any = None
    map: dict[str, Any] | None = None
    default: Any = None
    scale: float | None = None
    format: str | None = None
    times: str | None = None
    offset_from: str | None = None
    split: str | None = None
    index: int = 0
    prefix: str | None = None

    @field_validator("from_", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [v]
        return v


class Mapping(BaseModel):
    """A parsed mapping file (see the module docstring for the format)."""

    model_config = ConfigDict(extra="forbid")

    profile: str = "custom"
    title: str = ""
    docs: str | None = None
    table: str
    source: str | None = None
    delimiter: str | None = None
    skip_rows: int = 0
    sheet: int | str = 0
    encoding: str | None = None
    timezone: str | None = (
        None  # naive timestamps of this export are in this zone, not the center's
    )
    columns: dict[str, ColumnRule] = Field(default_factory=dict)
    ignored: dict[str, str] = Field(default_factory=dict)
    items: dict[str, str | list[str]] = Field(default_factory=dict)
    na_values: list[str] = Field(default_factory=lambda: ["N/A", "NA", "n/a", "해당없음"])
    canonical: bool = False

    @field_validator("columns", mode="before")
    @classmethod
    def _short_form(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        return {k: ({"from": r} if isinstance(r, str | list) else r) for k, r in v.items()}

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, v: str | None) -> str | None:
        if v is None:
            return v
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(v)
        except Exception as e:
            raise ValueError(f"timezone must be an IANA name like 'Asia/Seoul', got {v!r}") from e
        return v

    @field_validator("table")
    @classmethod
    def _known_table(cls, v: str) -> str:
        if v not in TABLES:
            raise ValueError(f"table must be one of {sorted(TABLES)}, got {v!r}")
        if v in SYSTEM_TABLES:
            raise ValueError(f"{v} is written by the importer itself and cannot be imported")
        return v

    def check_columns(self) -> None:
        """Every mapped column must exist in the target table."""
        spec = TABLES[self.table]
        names = set(spec.column_names)
        unknown = [c for c in self.columns if c not in names and c != "contact_id"]
        if unknown:
            raise ConfigError(
                f"Mapping {self.profile!r}: column(s) {unknown} are not in table {self.table}; "
                f"known columns: {', '.join(spec.column_names)}"
            )
        for col, rule in self.columns.items():
            if rule.offset_from and rule.offset_from not in self.columns:
                raise ConfigError(
                    f"Mapping {self.profile!r}: {col}.offset_from names {rule.offset_from!r}, "
                    "which the mapping does not produce"
                )


def canonical_mapping(table: str) -> Mapping:
    """The identity mapping: the file already uses the table's column names."""
    if table not in TABLES:
        raise ConfigError(f"Unknown table {table!r}; known tables: {', '.join(sorted(TABLES))}")
    if table in SYSTEM_TABLES:
        raise ConfigError(f"{table} is written by the importer itself and cannot be imported.")
    return Mapping(profile="canonical", title=f"Canonical {table}", table=table, canonical=True)


def load_mapping(path: str | Path) -> Mapping:
    """Parse and check a mapping YAML file; errors name the file and the bad key."""
    p = Path(path)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"Mapping file {p} does not exist.") from e
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ConfigError(f"Mapping file {p} is not valid YAML: {e}") from e
    if not isinstance(raw, dict):
        raise ConfigError(f"Mapping file {p} must be a YAML mapping with 'table' and 'columns'.")
    raw.setdefault("profile", p.stem)
    try:
        m = Mapping.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise ConfigError(f"Mapping file {p}: {loc}: {first['msg']}") from e
    m.check_columns()
    return m


def available_profiles() -> dict[str, Path]:
    """Profile name -> mapping file, for the ready-made profiles in data/mappings/."""
    if not MAPPINGS_DIR.is_dir():
        return {}
    return {p.stem: p for p in sorted(MAPPINGS_DIR.glob("*.yaml"))}


def resolve_mapping(profile: str | None, table: str | None, mapping: str | Path | None) -> Mapping:
    """The mapping to use: a custom file, a named profile, or the canonical identity mapping."""
    if mapping is not None:
        m = load_mapping(mapping)
    elif profile in (None, "", "canonical"):
        return canonical_mapping(table or "contacts")
    else:
        profiles = available_profiles()
        if profile not in profiles:
            raise ConfigError(
                f"Unknown profile {profile!r}; available: canonical, {', '.join(profiles)}. "
                "Use --mapping FILE.yaml for other exports."
            )
        m = load_mapping(profiles[profile])
    if table and table != m.table:
        raise ConfigError(
            f"Profile {m.profile!r} imports into {m.table}, not {table}; drop --table or pick "
            "another profile."
        )
    return m


def q_ident(name: str) -> str:
    """A DuckDB quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


def q_str(value: Any) -> str:
    """A DuckDB string literal (NULL for None)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        value = "true" if value else "false"
    return "'" + str(value).replace("'", "''") + "'"


def _norm_header(h: str) -> str:
    return h.replace("\ufeff", "").strip().casefold()


def find_source_column(headers: Sequence[str], candidates: Sequence[str]) -> str | None:
    """The first candidate present in ``headers`` (case-insensitive, trimmed), as spelt there."""
    by_norm: dict[str, str] = {}
    for h in headers:
        by_norm.setdefault(_norm_header(h), h)
    for c in candidates:
        hit = by_norm.get(_norm_header(c))
        if hit is not None:
            return hit
    return None


def text_expr(col_sql: str, *, is_text: bool) -> str:
    """A source column as trimmed text, empty -> NULL (non-text columns are cast to text)."""
    if is_text:
        # trim() copies every string; most values have no edge spaces, so test first (measured
        # ~20% less CPU on 11 text columns x 1M rows). trim() removes spaces only, as tested.
        return (
            f"NULLIF(CASE WHEN starts_with({col_sql}, ' ') OR ends_with({col_sql}, ' ') "
            f"THEN trim({col_sql}) ELSE {col_sql} END, '')"
        )
    return f"CAST({col_sql} AS VARCHAR)"


class CompiledColumn(BaseModel):
    """One canonical column compiled to SQL over the source relation."""

    name: str
    sql: str
    label: str  # what to call the column in rejection reports (the source header when direct)
    native: bool = False  # True when the source column is used as-is (typed Parquet)
    # the source cell's text when the value is converted (minutes -> seconds, hh:mm:ss, an offset
    # from another column): rejected rows show what the file said, not the converted number
    source_text: str | None = None
    converted_from: str | None = None  # "number" or "duration": what the source cell must be


def compile_rule(
    col: str,
    rule: ColumnRule,
    headers: Sequence[str],
    source_types: dict[str, str],
    compiled: dict[str, CompiledColumn],
) -> CompiledColumn | None:
    """SQL (VARCHAR) for one rule, or None when its source columns are absent and it has no default."""
    src = find_source_column(headers, rule.from_) if rule.from_ else None
    if rule.value is not None:
        return CompiledColumn(name=col, sql=q_str(rule.value), label=col)
    if src is None:
        if rule.default is not None:
            return CompiledColumn(name=col, sql=q_str(rule.default), label=col)
        return None
    is_text = source_types.get(src, "VARCHAR") == "VARCHAR"
    x = text_expr(q_ident(src), is_text=is_text)
    source_text = x
    if rule.split is not None:
        x = f"NULLIF(trim(split_part({x}, {q_str(rule.split)}, {rule.index + 1})), '')"
    if rule.map:
        whens = []
        other = None
        for k, v in rule.map.items():
            if k == "*":
                other = v
                continue
            whens.append(f"WHEN {q_str(str(k).strip().casefold())} THEN {q_str(v)}")
        keyed = f"lower({x})"
        fallback = q_str(other) if "*" in rule.map else x
        if whens:
            x = f"(CASE {keyed} {' '.join(whens)} ELSE {fallback} END)"
        else:
            x = f"(CASE WHEN {x} IS NULL THEN NULL ELSE {fallback} END)"
    fmt = rule.format
    num = None
    if fmt == "hms":
        # [d.]hh:mm:ss or mm:ss -> seconds; anything else stays NULL here and is kept as text below
        y = f"regexp_replace({x}, '^\\d+\\.', '')"
        days = f"COALESCE(TRY_CAST(regexp_extract({x}, '^(\\d+)\\.', 1) AS DOUBLE), 0) * 86400"
        colons = f"(length({y}) - length(replace({y}, ':', '')))"
        p1, p2, p3 = (f"TRY_CAST(split_part({y}, ':', {i}) AS DOUBLE)" for i in (1, 2, 3))
        num = (
            f"(CASE WHEN NOT regexp_full_match({x}, '(\\d+\\.)?\\d+:\\d{{1,2}}(:\\d{{1,2}})?') "
            f"THEN NULL WHEN {colons} = 2 THEN {days} + {p1} * 3600 + {p2} * 60 + {p3} "
            f"ELSE {days} + {p1} * 60 + {p2} END)"
        )
    elif fmt == "ms":
        num = f"(TRY_CAST({x} AS DOUBLE) / 1000.0)"
    if rule.scale is not None or rule.times is not None or num is not None:
        base = num if num is not None else f"TRY_CAST({x} AS DOUBLE)"
        if rule.scale is not None:
            base = f"({base} * {float(rule.scale)!r})"
        if rule.times is not None:
            other_col = find_source_column(headers, [rule.times])
            if other_col is None:
                return None
            ot = text_expr(q_ident(other_col), is_text=source_types.get(other_col) == "VARCHAR")
            base = f"({base} * TRY_CAST({ot} AS DOUBLE))"
        # keep an unparseable value as it was, so the type check reports it
        x = f"(CASE WHEN {base} IS NULL THEN {x} ELSE CAST({base} AS VARCHAR) END)"
    if fmt in ("epoch", "epoch_ms"):
        div = "1000.0" if fmt == "epoch_ms" else "1.0"
        ts = f"to_timestamp(TRY_CAST({x} AS DOUBLE) / {div})"
        x = (
            f"(CASE WHEN TRY_CAST({x} AS DOUBLE) IS NULL THEN {x} "
            f"ELSE strftime(timezone('UTC', {ts}), '%Y-%m-%d %H:%M:%S.%f') || '+00:00' END)"
        )
    elif fmt and fmt not in ("hms", "ms"):
        parsed = f"try_strptime({x}, {q_str(fmt)})"
        out_fmt = "%Y-%m-%d %H:%M:%S.%f%z" if "%z" in fmt or "%Z" in fmt else "%Y-%m-%d %H:%M:%S.%f"
        x = f"COALESCE(strftime({parsed}, {q_str(out_fmt)}), {x})"
    if rule.offset_from is not None:
        anchor = compiled.get(rule.offset_from)
        if anchor is None:
            return None
        secs = f"TRY_CAST({x} AS DOUBLE)"
        b = anchor.sql
        shifted = (
            f"(CASE WHEN {secs} IS NULL OR {b} IS NULL THEN NULL "
            f"WHEN _ccops_has_offset({b}) THEN strftime(timezone('UTC', TRY_CAST({b} AS TIMESTAMPTZ)) "
            f"+ to_microseconds(CAST(round({secs} * 1e6) AS BIGINT)), '%Y-%m-%d %H:%M:%S.%f') || '+00:00' "
            f"ELSE strftime(TRY_CAST({b} AS TIMESTAMP) "
            f"+ to_microseconds(CAST(round({secs} * 1e6) AS BIGINT)), '%Y-%m-%d %H:%M:%S.%f') END)"
        )
        x = f"(CASE WHEN {x} IS NOT NULL AND {secs} IS NULL THEN {x} ELSE {shifted} END)"
    if rule.prefix:
        x = f"(CASE WHEN {x} IS NULL THEN NULL ELSE {q_str(rule.prefix)} || {x} END)"
    if rule.default is not None:
        x = f"COALESCE({x}, {q_str(rule.default)})"
    converted = None
    if fmt == "hms":
        converted = "duration"
    elif rule.scale is not None or rule.times is not None or fmt == "ms" or rule.offset_from:
        converted = "number"
    return CompiledColumn(
        name=col, sql=x, label=src,
        source_text=source_text if converted else None, converted_from=converted,
    )  # fmt: skip
