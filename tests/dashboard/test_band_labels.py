"""Band labels on the forecast chart do not overlap (``dashboard.components.charts.label_rows``)."""

from __future__ import annotations

import pandas as pd

from dashboard.components.charts import label_rows, label_width_px


def test_label_widths_by_hand() -> None:
    # 6 px per Latin character, 10 per Hangul: "ab" = 12, "가나" = 20.
    assert label_width_px("ab") == 12.0
    assert label_width_px("가나") == 20.0


def test_overlapping_labels_go_to_the_next_free_row() -> None:
    day = pd.Timestamp("2026-10-01")
    starts = [day + pd.Timedelta(days=d) for d in (3, 0, 1, 4)]
    # 90 days on 900 px: 10 px a day. "ab" takes (12 + 8) / 10 = 2 days, "가나" (20 + 8) / 10 = 2.8.
    # Day 0 "ab" -> row 0 until day 2; day 1 "가나" overlaps -> row 1 until day 3.8;
    # day 3 "ab" -> row 0 is free again (ends day 2 <= day 3) -> row 0 until day 5;
    # day 4 "ab" -> row 0 busy until 5, row 1 free (3.8 <= 4) -> row 1.
    rows = label_rows(starts, ["ab", "ab", "가나", "ab"], 90)
    assert rows == [0, 0, 1, 1]
    assert label_rows([], [], 90) == []
