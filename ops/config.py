"""Settings for ccops, read from the environment (prefix ``CCOPS_``) or a ``.env`` file.

Every setting has a help text; `tests/test_settings_documented.py` checks each one appears in the
README so a user can find it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """All ccops settings. Environment variables are ``CCOPS_<NAME>`` (e.g. ``CCOPS_DB_PATH``)."""

    model_config = SettingsConfigDict(env_prefix="CCOPS_", env_file=".env", extra="ignore")

    db_path: Path = Field(
        Path("data/ccops.duckdb"),
        description="Path of the DuckDB database file the CLI and dashboard use.",
    )
    timezone: str = Field(
        "Asia/Seoul",
        description="Default IANA timezone for centers that do not set one.",
    )
    language: str = Field(
        "auto",
        description="Dashboard language: 'ko', 'en', or 'auto' (Korean when the browser is Korean).",
    )
    users_file: Path | None = Field(
        None,
        description="YAML file of local users (roles, hashed passwords, vendor center). "
        "Unset: the dashboard runs as a single local admin (demo mode).",
    )
    contracts_dir: Path = Field(
        Path("data/contracts"),
        description="Folder of SLA contract YAML files loaded by `ccops sla load` and the demo.",
    )
    alerts_file: Path | None = Field(
        None,
        description="YAML file of SLA early-warning alert rules (defaults and per-center "
        "overrides) read by `ccops sla watch` and the dashboard. Unset: built-in rules.",
    )
    short_abandon_s: float = Field(
        5.0,
        description="Default short-abandon threshold in seconds (abandons with wait below it "
        "are removed from offered and abandoned).",
    )
    answer_threshold_s: float = Field(
        20.0,
        description="Default service-level answer threshold T in seconds where no contract sets one.",
    )
    duckdb_threads: int | None = Field(
        None,
        description="Threads DuckDB may use (default: all cores).",
    )
    duckdb_memory_limit: str | None = Field(
        None,
        description="DuckDB memory limit, e.g. '8GB' (default: DuckDB's own, 80% of RAM).",
    )
    cache_ttl_s: int = Field(
        600,
        description="Seconds the dashboard caches query results before asking the store again.",
    )
    dashboard_warmup: bool = Field(
        True,
        description="Warm the dashboard's query caches in a background thread when the server "
        "starts (every page's first view, for all-centers users).",
    )
    plan_cache: bool = Field(
        True,
        description="Keep compiled query plans (SQL text and result columns) on disk, so a new "
        "process skips compiling them; keyed by ccops' code, the settings and the database's "
        "columns.",
    )
    plan_cache_dir: Path | None = Field(
        None,
        description="Directory of the plan cache (default: $XDG_CACHE_HOME/ccops/plans, i.e. "
        "~/.cache/ccops/plans).",
    )
    result_cache: bool = Field(
        True,
        description="Keep the dashboard's query results on disk for the exact state of the "
        "database file (path, inode, size, modification time, write-ahead log), so a restarted "
        "server on an unchanged database shows its first pages at once.",
    )
    result_cache_dir: Path | None = Field(
        None,
        description="Directory of the result cache (default: $XDG_CACHE_HOME/ccops/results, "
        "i.e. ~/.cache/ccops/results).",
    )
    dashboard_floor_page: bool = Field(
        False,
        description="Add a one-line page at /floor: the floor bench/bench_dashboard.py measures "
        "page times against.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
