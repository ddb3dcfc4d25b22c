"""Downloads: CSV with a UTF-8 BOM so Excel shows Hangul, XLSX that reads back the same rows."""

from __future__ import annotations

import io

import pandas as pd

from dashboard.components.tables import to_csv_bytes, to_xlsx_bytes


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "센터": ["서울", "부산"],
            "contacts": [1234, 56],
            "sl": [0.444, 0.8],
            "day": pd.to_datetime(["2026-11-23", "2026-11-24"]).tz_localize("Asia/Seoul"),
        }
    )


def test_csv_starts_with_bom_and_round_trips_hangul() -> None:
    data = to_csv_bytes(_frame())
    assert data[:3] == b"\xef\xbb\xbf"
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == ["센터", "contacts", "sl", "day"]
    assert back["센터"].tolist() == ["서울", "부산"]


def test_xlsx_round_trips() -> None:
    data = to_xlsx_bytes(_frame(), "SLA/일별:요약[1]")
    assert data[:2] == b"PK"  # a zip container
    back = pd.read_excel(io.BytesIO(data), sheet_name=None)
    ((name, sheet),) = back.items()
    assert len(name) <= 31 and "/" not in name and ":" not in name
    assert sheet["센터"].tolist() == ["서울", "부산"]
    assert sheet["contacts"].tolist() == [1234, 56]
