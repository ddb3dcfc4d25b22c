"""What an import returns: the summary the CLI prints and the dashboard's Data page shows."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RejectedRow(BaseModel):
    """One rejected value: the file, the 1-based data row (header = row 0), column and reason."""

    file: str
    row: int | None = Field(None, description="1-based data row; the header is row 0")
    column: str | None = None
    value: str | None = None
    reason: str


class ImportSummary(BaseModel):
    """Counts of one import run.

    ``accepted`` rows passed validation; of those, ``inserted`` were new, ``updated`` replaced a
    stored row with the same key whose values differed (a corrected re-export), and ``duplicates``
    were already stored exactly (or repeated within the file) and were not rewritten.
    ``rejected`` counts rows with at least one problem; ``rejected_rows`` lists the first ones.
    """

    run_id: str
    file: str
    table: str
    profile: str
    status: str = Field(description="ok | failed | dry_run")
    dry_run: bool = False
    format: str = ""
    encoding: str | None = None
    file_hash: str = ""
    rows_read: int = 0
    accepted: int = 0
    inserted: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0
    created_centers: list[str] = Field(default_factory=list)
    created_queues: list[str] = Field(default_factory=list)
    extra_rows: dict[str, int] = Field(
        default_factory=dict, description="Rows written to other tables (qa_item_scores)"
    )
    ignored_columns: dict[str, str] = Field(
        default_factory=dict, description="Source columns deliberately not imported, and why"
    )
    unused_columns: list[str] = Field(
        default_factory=list, description="Source columns the mapping does not use"
    )
    rejected_rows: list[RejectedRow] = Field(default_factory=list)
    seconds: float = 0.0
    stage_seconds: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description="Per pipeline stage: wall and process CPU seconds (profiling)",
    )
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.accepted > 0
