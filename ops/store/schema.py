"""The ccops data model: every table, its columns and types, in one place.

DESIGN.md "Data model" is the reference. Timestamps are naive ``TIMESTAMP`` values in UTC; each
``*_local`` column is the same instant in the center's own timezone, computed at import, so that days,
weeks and intervals group cheaply without a per-row timezone conversion. Durations are seconds.

Importers, the simulator and the migrations all read these definitions; column names used elsewhere
come from the ``C`` constants class, not from strings scattered through the code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column: its name, DuckDB type, whether it is required on import, and what it means."""

    name: str
    type: str
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Table:
    """A table of the store. ``key`` is the natural key used for idempotent upserts."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    scoped: bool = False  # has center_id: vendor users only see their own rows
    doc: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def ddl(self) -> str:
        cols = ",\n  ".join(f"{c.name} {c.type}" for c in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {cols}\n)"


def _c(name: str, type_: str, required: bool = False, doc: str = "") -> Column:
    return Column(name, type_, required, doc)


CHANNELS = ("voice", "chat", "email", "kakaotalk", "messenger", "inapp", "social", "ticket")
LIVE_MODE, ASYNC_MODE = "live", "async"
HANDLED_BY = ("agent", "bot", "self_serve")
CENTER_KINDS = ("in_house", "vendor")
EVENT_KINDS = ("holiday", "campaign", "outage", "known_issue", "peak", "closure", "other")

CENTERS = Table(
    "centers",
    (
        _c("center_id", "VARCHAR", True, "Short id, e.g. SEOUL"),
        _c("name", "VARCHAR", True, "Display name (English)"),
        _c("name_ko", "VARCHAR", False, "Display name (Korean)"),
        _c("kind", "VARCHAR", True, "in_house | vendor"),
        _c("vendor_name", "VARCHAR", False, "Company running a vendor center"),
        _c("timezone", "VARCHAR", True, "IANA timezone used for days, intervals, business hours"),
        _c("hourly_cost", "DOUBLE", False, "Fully loaded cost of one agent hour"),
        _c("currency", "VARCHAR", False, "Currency of hourly_cost (ISO 4217)"),
        _c(
            "calendar_json",
            "VARCHAR",
            False,
            "Business calendar (weekly hours, holidays, closed days)",
        ),
    ),
    key=("center_id",),
    scoped=True,
    doc="Contact centers, in-house and outsourced (vendor/BPO).",
)

QUEUES = Table(
    "queues",
    (
        _c("queue_id", "VARCHAR", True),
        _c("name", "VARCHAR", True),
        _c("name_ko", "VARCHAR"),
        _c("channel", "VARCHAR", True, "voice, chat, email, kakaotalk, messenger, inapp, ..."),
        _c("mode", "VARCHAR", True, "live (answered in seconds) | async (answered in hours)"),
        _c("concurrency", "INTEGER", False, "Contacts one agent handles at once (chat)"),
        _c("segment", "VARCHAR", False, "Customer segment the queue serves (vip, general)"),
    ),
    key=("queue_id",),
    doc="Queues (skills) contacts wait in; a queue can be served by several centers.",
)

TAGS = Table(
    "tags",
    (
        _c("tag_id", "VARCHAR", True),
        _c("path", "VARCHAR", True, "Korean path, e.g. 결제/환불/지연"),
        _c("path_en", "VARCHAR", False, "English path, e.g. Payment/Refund/Delayed"),
        _c("level1", "VARCHAR", True),
        _c("level2", "VARCHAR"),
        _c("level3", "VARCHAR"),
        _c("level1_en", "VARCHAR"),
        _c("level2_en", "VARCHAR"),
        _c("level3_en", "VARCHAR"),
        _c("department", "VARCHAR", False, "Owning department"),
        _c("is_simple", "BOOLEAN", False, "Automation candidate (simple, templated answer)"),
        _c("severity", "INTEGER", False, "1 (low) .. 3 (high)"),
    ),
    key=("tag_id",),
    doc="Hierarchical VOC tag taxonomy; one tag per conversation.",
)

CONTACTS = Table(
    "contacts",
    (
        _c("contact_id", "VARCHAR", True, "Unique id (source-prefixed for imports)"),
        _c("source", "VARCHAR", False, "Where the row came from (demo, zendesk, ...)"),
        _c("source_id", "VARCHAR", False, "Id in the source system (for corrected re-exports)"),
        _c("channel", "VARCHAR", True),
        _c("queue_id", "VARCHAR", True),
        _c("center_id", "VARCHAR", True),
        _c("agent_id", "VARCHAR"),
        _c("customer_id", "VARCHAR"),
        _c("segment", "VARCHAR", False, "vip, general, ..."),
        _c("priority", "INTEGER"),
        _c("created_at", "TIMESTAMP", True, "Entered the queue (UTC)"),
        _c("created_local", "TIMESTAMP", False, "created_at in the center's timezone (derived)"),
        _c("answered_at", "TIMESTAMP", False, "First agent response (UTC)"),
        _c("abandoned_at", "TIMESTAMP", False, "Customer left before an answer (UTC)"),
        _c("wait_s", "DOUBLE", False, "Seconds until answer or abandon"),
        _c("handle_s", "DOUBLE", False, "Talk + hold + wrap seconds"),
        _c("resolved_at", "TIMESTAMP"),
        _c("reopened", "BOOLEAN"),
        _c("tag_id", "VARCHAR"),
        _c("handled_by", "VARCHAR", False, "agent | bot | self_serve"),
        _c(
            "via_bot",
            "BOOLEAN",
            False,
            "Started in the bot/self-serve flow (contained or handed off)",
        ),
        _c("template_id", "VARCHAR"),
        _c("is_urgent", "BOOLEAN"),
        _c("csat", "TINYINT", False, "1-5"),
        _c("ces", "TINYINT", False, "1-7"),
        _c("first_response_business_s", "DOUBLE", False, "Business seconds to first response"),
        _c("resolution_business_s", "DOUBLE", False, "Business seconds to resolution"),
        _c("is_repeat", "BOOLEAN", False, "Same customer, same level-1 tag within 7 days"),
        _c("import_run_id", "VARCHAR"),
    ),
    key=("contact_id",),
    scoped=True,
    doc="One row per conversation, call or ticket.",
)

INTERVAL_STATS = Table(
    "interval_stats",
    (
        _c("interval_start", "TIMESTAMP", True, "UTC"),
        _c("interval_local", "TIMESTAMP", False, "interval_start in the center's timezone"),
        _c("interval_s", "INTEGER", True),
        _c("queue_id", "VARCHAR", True),
        _c("center_id", "VARCHAR", True),
        _c("offered", "BIGINT", True, "Answered + abandoned (short abandons included)"),
        _c("answered", "BIGINT", True),
        _c("answered_within_t", "BIGINT", True),
        _c("abandoned", "BIGINT", True, "All abandons, short ones included"),
        _c("abandoned_short", "BIGINT", False),
        _c("abandoned_within_t", "BIGINT", False, "Abandons with wait <= T (short ones included)"),
        _c("threshold_s", "DOUBLE", True, "T the within-T counts use"),
        _c("handle_s_total", "DOUBLE", False),
        _c("wait_s_total", "DOUBLE", False, "Sum of waits of answered contacts"),
        _c("source", "VARCHAR"),
        _c("import_run_id", "VARCHAR"),
    ),
    key=("interval_start", "queue_id", "center_id"),
    scoped=True,
    doc="ACD/telephony interval reports (raw counts, never a vendor's SL%).",
)

AGENTS = Table(
    "agents",
    (
        _c("agent_id", "VARCHAR", True),
        _c("name", "VARCHAR"),
        _c("center_id", "VARCHAR", True),
        _c("team", "VARCHAR"),
        _c("skills", "VARCHAR", False, "Comma-separated queue ids"),
        _c("hire_date", "DATE"),
        _c("end_date", "DATE"),
        _c("employment", "VARCHAR", False, "full_time | part_time"),
    ),
    key=("agent_id",),
    scoped=True,
)

SCHEDULES = Table(
    "schedules",
    (
        _c("center_id", "VARCHAR", True),
        _c("queue_id", "VARCHAR", True),
        _c("agent_id", "VARCHAR", False, "Null for center-level rows"),
        _c("interval_start", "TIMESTAMP", True, "UTC"),
        _c("interval_local", "TIMESTAMP"),
        _c("interval_s", "INTEGER", True),
        _c("scheduled_s", "DOUBLE", True, "Agent-seconds scheduled in the interval"),
        _c("staffed_s", "DOUBLE", False, "Agent-seconds logged in"),
        _c(
            "productive_s",
            "DOUBLE",
            False,
            "Agent-seconds available for contacts (after shrinkage)",
        ),
        _c("import_run_id", "VARCHAR"),
    ),
    key=("center_id", "queue_id", "agent_id", "interval_start"),
    scoped=True,
    doc="Scheduled and staffed time per center x queue (or agent) x interval; agents = s / interval_s.",
)

QA_FORMS = Table(
    "qa_forms",
    (
        _c("form_id", "VARCHAR", True),
        _c("version", "INTEGER", True),
        _c("name", "VARCHAR"),
        _c("definition_json", "VARCHAR", True),
        _c("created_at", "TIMESTAMP"),
    ),
    key=("form_id", "version"),
)

QA_EVALUATIONS = Table(
    "qa_evaluations",
    (
        _c("evaluation_id", "VARCHAR", True),
        _c("contact_id", "VARCHAR"),
        _c("agent_id", "VARCHAR", True),
        _c("center_id", "VARCHAR", True),
        _c("evaluator_id", "VARCHAR", True),
        _c("evaluator_org", "VARCHAR", False, "in_house | vendor (audit gap)"),
        _c("form_id", "VARCHAR", True),
        _c("form_version", "INTEGER", True),
        _c("critical_fail", "BOOLEAN"),
        _c("comments", "VARCHAR"),
        _c("evaluated_at", "TIMESTAMP", True),
        _c("calibration_session_id", "VARCHAR"),
        _c("import_run_id", "VARCHAR"),
    ),
    key=("evaluation_id",),
    scoped=True,
)

QA_ITEM_SCORES = Table(
    "qa_item_scores",
    (
        _c("evaluation_id", "VARCHAR", True),
        _c("center_id", "VARCHAR", True),
        _c("item_id", "VARCHAR", True),
        _c("score", "DOUBLE", False, "Null when N/A"),
        _c("is_na", "BOOLEAN"),
    ),
    key=("evaluation_id", "item_id"),
    scoped=True,
)

SURVEYS = Table(
    "surveys",
    (
        _c("survey_id", "VARCHAR", True),
        _c("kind", "VARCHAR", True, "csat | ces | nps"),
        _c("score", "INTEGER", True),
        _c("contact_id", "VARCHAR"),
        _c("customer_id", "VARCHAR"),
        _c("center_id", "VARCHAR"),
        _c("channel", "VARCHAR"),
        _c("segment", "VARCHAR"),
        _c("responded_at", "TIMESTAMP", True),
        _c("comment", "VARCHAR"),
        _c("import_run_id", "VARCHAR"),
    ),
    key=("survey_id",),
    scoped=True,
)

EVENTS = Table(
    "events",
    (
        _c("event_id", "VARCHAR", True),
        _c("kind", "VARCHAR", True, "holiday, campaign, outage, known_issue, peak, closure"),
        _c("name", "VARCHAR", True),
        _c("name_ko", "VARCHAR"),
        _c("start_date", "DATE", True),
        _c("end_date", "DATE", True),
        _c("center_id", "VARCHAR", False, "Null: all centers"),
        _c("channel", "VARCHAR"),
        _c("tag_id", "VARCHAR"),
        _c("expected_effect", "DOUBLE", False, "Volume multiplier expected (1.3 = +30%)"),
        _c("notes", "VARCHAR"),
    ),
    key=("event_id",),
)

SLA_CONTRACTS = Table(
    "sla_contracts",
    (
        _c("contract_id", "VARCHAR", True),
        _c("version", "INTEGER", True),
        _c("center_id", "VARCHAR", True),
        _c("effective_from", "DATE", True),
        _c("effective_to", "DATE"),
        _c("monthly_fee", "DOUBLE"),
        _c("currency", "VARCHAR"),
        _c("definition_json", "VARCHAR", True),
        _c("source_file", "VARCHAR"),
        _c("loaded_at", "TIMESTAMP"),
    ),
    key=("contract_id", "version"),
    scoped=True,
)

FORECAST_RUNS = Table(
    "forecast_runs",
    (
        _c("run_id", "VARCHAR", True),
        _c("created_at", "TIMESTAMP", True),
        _c("freq", "VARCHAR", True),
        _c("horizon", "INTEGER", True),
        _c("model", "VARCHAR", False, "Model or 'auto' (chosen per series)"),
        _c("params_json", "VARCHAR"),
        _c("code_version", "VARCHAR"),
        _c("notes", "VARCHAR"),
    ),
    key=("run_id",),
)

FORECASTS = Table(
    "forecasts",
    (
        _c("run_id", "VARCHAR", True),
        _c("series_id", "VARCHAR", True),
        _c("center_id", "VARCHAR"),
        _c("queue_id", "VARCHAR"),
        _c("ds", "TIMESTAMP", True, "Local date/time of the forecast period"),
        _c("yhat", "DOUBLE", True),
        _c("yhat_lo", "DOUBLE"),
        _c("yhat_hi", "DOUBLE"),
        _c("model", "VARCHAR"),
    ),
    key=("run_id", "series_id", "ds"),
    scoped=False,
)

IMPORT_RUNS = Table(
    "import_runs",
    (
        _c("run_id", "VARCHAR", True),
        _c("started_at", "TIMESTAMP", True),
        _c("finished_at", "TIMESTAMP"),
        _c("user_name", "VARCHAR"),
        _c("file_name", "VARCHAR"),
        _c("file_hash", "VARCHAR"),
        _c("profile", "VARCHAR"),
        _c("table_name", "VARCHAR"),
        _c("accepted", "BIGINT"),
        _c("rejected", "BIGINT"),
        _c("duplicates", "BIGINT"),
        _c("updated", "BIGINT"),
        _c("status", "VARCHAR", False, "ok | failed | dry_run"),
        _c("message", "VARCHAR"),
    ),
    key=("run_id",),
)

REJECTED_ROWS = Table(
    "rejected_rows",
    (
        _c("run_id", "VARCHAR", True),
        _c("file_name", "VARCHAR"),
        _c("row_number", "BIGINT", False, "1-based data row (header is row 0)"),
        _c("column_name", "VARCHAR"),
        _c("value", "VARCHAR"),
        _c("reason", "VARCHAR", True),
        _c("raw", "VARCHAR"),
    ),
)

ALL_TABLES: tuple[Table, ...] = (
    CENTERS,
    QUEUES,
    TAGS,
    CONTACTS,
    INTERVAL_STATS,
    AGENTS,
    SCHEDULES,
    QA_FORMS,
    QA_EVALUATIONS,
    QA_ITEM_SCORES,
    SURVEYS,
    EVENTS,
    SLA_CONTRACTS,
    FORECAST_RUNS,
    FORECASTS,
    IMPORT_RUNS,
    REJECTED_ROWS,
)
TABLES: dict[str, Table] = {t.name: t for t in ALL_TABLES}
SCOPED_TABLES = frozenset(t.name for t in ALL_TABLES if t.scoped)
