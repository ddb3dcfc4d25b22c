"""A table with CSV (UTF-8 with BOM, so Excel shows Hangul) and XLSX downloads of exactly its rows.

The frame handed in is the one the page got from a scoped service call, so a download can never hold
rows the user is not allowed to see: there is no second query behind the button.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.columns import with_labels
from dashboard.i18n import t


def _excel_ready(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            out[col] = s.dt.tz_localize(None)
        elif s.dtype == object:
            out[col] = s.map(lambda v: str(v) if isinstance(v, (list, dict, set, tuple)) else v)
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV encoded as UTF-8 with a byte-order mark (Excel opens Hangul correctly only with it)."""
    return df.to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """One-sheet XLSX (xlsxwriter) with a frozen, filterable header row."""
    buf = io.BytesIO()
    name = re.sub(r"[\[\]:*?/\\]", "_", sheet)[:31] or "data"
    with pd.ExcelWriter(buf, engine="xlsxwriter") as writer:
        data = _excel_ready(df)
        data.to_excel(writer, sheet_name=name, index=False)
        ws = writer.sheets[name]
        ws.freeze_panes(1, 0)
        if len(data.columns):
            ws.autofilter(0, 0, max(len(data), 1), len(data.columns) - 1)
        for i, col in enumerate(data.columns):
            width = (
                max(len(str(col)), *(len(str(v)) for v in data[col].head(200))) if len(data) else 10
            )
            ws.set_column(i, i, min(max(width + 2, 8), 50))
    return buf.getvalue()


def data_table(
    df: pd.DataFrame,
    key: str,
    file_stem: str,
    *,
    height: int | str = "auto",
    column_config: dict | None = None,
    downloads: bool = True,
    style: Callable[[pd.DataFrame], Any] | None = None,
) -> None:
    """Show ``df`` and, under it, CSV and Excel download buttons for the same rows.

    On screen, columns named by their data-model field get a header in the UI language
    (:mod:`dashboard.columns`); the downloads keep the field names as headers, as the CLI writes
    them, and hold the values as the page shows them (a page that words labels in Korean keeps
    the ids and raw numbers in their own columns).
    """
    config = with_labels(df, column_config)
    # ``style`` (a pandas Styler of the same frame, e.g. a coloured status cell) changes only the
    # screen; the downloads hold the frame's values
    shown = style(df) if style is not None else df
    st.dataframe(shown, hide_index=True, height=height, column_config=config, key=f"{key}_df")
    if not downloads:
        return
    cols = st.columns([1, 1, 6])
    safe = re.sub(r"[^\w\-]+", "_", file_stem).strip("_") or "table"
    cols[0].download_button(
        t("table.download_csv"),
        data=lambda: to_csv_bytes(df),
        file_name=f"{safe}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    cols[1].download_button(
        t("table.download_xlsx"),
        data=lambda: to_xlsx_bytes(df, safe),
        file_name=f"{safe}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/download:",
        on_click="ignore",
    )
    cols[2].caption(t("table.rows", n=f"{len(df):,}"))
