"""One error hierarchy for ccops.

Every error a user can meet carries a short `title` and a message that says what to do. Pages catch
`CcopsError` and show it with `st.error`; the CLI prints it and exits non-zero. Native errors (DuckDB,
pydantic, file I/O) are re-raised as one of these with `from e`, so no traceback reaches a user.
"""

from __future__ import annotations


class CcopsError(Exception):
    """Base class of every error ccops raises on purpose."""

    title = "ccops error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(CcopsError):
    """A setting, contract, form or mapping file is invalid."""

    title = "Invalid configuration"


class StoreError(CcopsError):
    """The database could not do what was asked (locked, missing, corrupt, bad query)."""

    title = "Database error"


class ImportError_(CcopsError):
    """An input file could not be imported (named so it does not shadow the builtin)."""

    title = "Import failed"


class ValidationError(CcopsError):
    """Input data is malformed; the message names the file, row and column."""

    title = "Invalid input"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        where = []
        if file:
            where.append(f"file {file}")
        if row is not None:
            where.append(f"row {row}")
        if column:
            where.append(f"column {column!r}")
        full = f"{message} ({', '.join(where)})" if where else message
        super().__init__(full)
        self.file = file
        self.row = row
        self.column = column


class ScopeError(CcopsError):
    """A user asked for data outside their scope (a vendor asking for another center)."""

    title = "Not allowed"


class ForecastError(CcopsError):
    """A series cannot be forecast as asked."""

    title = "Forecast failed"


class StaffingError(CcopsError):
    """Staffing inputs are impossible (e.g. a target that no headcount reaches)."""

    title = "Staffing calculation failed"
