"""Printing results for the CLI in one of three formats: a rich table, JSON or CSV.

Every report command takes ``--format table|json|csv`` and calls :func:`emit`, so scripts get the
same shapes from every command: JSON is a list of row objects for frames and an object for models.
"""

from __future__ import annotations

import json
import math
import sys
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

TABLE_WIDTH_WHEN_PIPED = 240


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, pd.Timestamp | datetime):
        return v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating | float):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.ndarray):
        return [_jsonable(x) for x in v.tolist()]
    if v is pd.NaT or (v is not None and not isinstance(v, str | bool | int) and pd.isna(v)):
        return None
    if hasattr(v, "model_dump"):
        return _jsonable(v.model_dump(mode="json"))
    return v


def to_jsonable(obj: Any) -> Any:
    """Frames become lists of records; models become dicts; numpy/pandas scalars become Python."""
    if isinstance(obj, pd.DataFrame):
        return [_jsonable(r) for r in obj.to_dict(orient="records")]
    return _jsonable(obj)


def emit(obj: Any, fmt: Format | str = Format.table, *, title: str | None = None) -> None:
    """Print ``obj`` (a DataFrame, a pydantic model, or a dict) in ``fmt`` to stdout."""
    fmt = Format(fmt)
    if fmt is Format.json:
        sys.stdout.write(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2) + "\n")
        return
    if isinstance(obj, pd.DataFrame):
        df = obj
    elif hasattr(obj, "model_dump"):
        df = pd.DataFrame([obj.model_dump(mode="json")])
    elif isinstance(obj, dict):
        df = pd.DataFrame([to_jsonable(obj)])
    else:
        df = pd.DataFrame(to_jsonable(obj))
    if fmt is Format.csv:
        df.to_csv(sys.stdout, index=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for c in df.columns:
        table.add_column(str(c), overflow="fold")
    for row in df.itertuples(index=False):
        table.add_row(*[_cell(v) for v in row])
    # a terminal gets its own width; piped output (a file, `less -S`) gets room for wide tables
    # instead of rich's 80-column default, which folds every cell
    width = None if sys.stdout.isatty() else TABLE_WIDTH_WHEN_PIPED
    Console(width=width).print(table)


def _cell(v: Any) -> str:
    """One table cell: numbers without scientific notation, midnight timestamps as dates."""
    if isinstance(v, float | np.floating):
        f = float(v)
        if math.isnan(f):
            return ""
        if f.is_integer() or abs(f) >= 1000:
            return f"{f:,.0f}"
        if abs(f) >= 1:
            return f"{f:,.2f}".rstrip("0").rstrip(".")
        return f"{f:.4f}".rstrip("0").rstrip(".") if f else "0"
    if v is None or v is pd.NaT:
        return ""
    if isinstance(v, pd.Timestamp | datetime) and v == v.replace(hour=0, minute=0, second=0,
                                                                microsecond=0):  # fmt: skip
        return v.strftime("%Y-%m-%d")
    return str(v)
