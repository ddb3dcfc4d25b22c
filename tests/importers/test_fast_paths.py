"""The importer's fast paths give the same stored values as the general paths.

- business seconds of a 24x7 center in a fixed-offset zone are computed in SQL (elapsed seconds);
  centers with a calendar still go through the calendar;
- repeat flags of a first import into an empty table are computed in the INSERT; later imports
  update them for the affected customers;
- the memory cap for big files and the insertion-order setting are restored after the import.

Expected values are hand calculations written next to each assertion.
"""

from __future__ import annotations

import math
from pathlib import Path

from ops.store import Store
from ops.store.importers import engine, import_file

from .conftest import seed

HEADER = "contact_id,channel,queue_id,center_id,customer_id,tag_id,created_at,answered_at,csat\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_business_seconds_sql_for_24x7_centers_calendar_for_others(store, tmp_path):
    # Tue 2026-10-06 17:40 -> Wed 09:20 local (Asia/Seoul and Asia/Manila are fixed offsets):
    # wall time 15h40m = 56400 s. SEOUL (Mon-Fri 09-18): 20 min + 20 min = 2400 s.
    # BUSAN and MANILA have no calendar (24x7): business = wall = 56400 s. X1 never answered: NULL.
    rows = HEADER + (
        "S1,email,Q_EMAIL,SEOUL,U1,,2026-10-06 17:40:00,2026-10-07 09:20:00,\n"
        "B1,email,Q_EMAIL,BUSAN,U2,,2026-10-06 17:40:00,2026-10-07 09:20:00,\n"
        "M1,email,Q_EMAIL,MANILA,U3,,2026-10-06 17:40:00,2026-10-07 09:20:00,\n"
        "X1,email,Q_EMAIL,BUSAN,U4,,2026-10-06 17:40:00,,\n"
    )  # fmt: skip
    s = import_file(store, write(tmp_path, "c.csv", rows))
    assert s.accepted == 4
    got = dict(
        store.query("SELECT contact_id, first_response_business_s FROM contacts").values.tolist()
    )
    assert got["S1"] == 2400
    assert got["B1"] == 56400
    assert got["M1"] == 56400
    assert got["X1"] is None or math.isnan(got["X1"])


def test_repeat_flags_first_import_with_in_file_duplicates(store, tmp_path):
    # The first import (empty table) computes flags in the INSERT; an identical repeated row is
    # a duplicate, not a second contact. R2 is 4 days after R1 with the same level-1 tag 결제.
    r1 = "R1,chat,Q_CHAT_GEN,SEOUL,U9,결제/카드,2026-10-01 09:00:00,,\n"
    rows = HEADER + r1 + r1 + "R2,chat,Q_CHAT_GEN,SEOUL,U9,결제/환불,2026-10-05 09:00:00,,\n"
    s = import_file(store, write(tmp_path, "a.csv", rows))
    assert (s.inserted, s.duplicates) == (2, 1)
    flags = dict(store.query("SELECT contact_id, is_repeat FROM contacts").values.tolist())
    assert flags == {"R1": False, "R2": True}


def test_repeat_flags_across_files(store, tmp_path):
    # File A holds U9's first contact; file B (table not empty: the UPDATE path) has one 6 days
    # later with the same level-1 tag (repeat) and one of U8 with no history (not a repeat).
    a = HEADER + "R1,chat,Q_CHAT_GEN,SEOUL,U9,결제/카드,2026-10-01 09:00:00,,\n"
    b = HEADER + (
        "R2,chat,Q_CHAT_GEN,SEOUL,U9,결제/카드,2026-10-07 09:00:00,,\n"
        "R3,chat,Q_CHAT_GEN,SEOUL,U8,결제/카드,2026-10-07 09:00:00,,\n"
    )  # fmt: skip
    import_file(store, write(tmp_path, "a.csv", a))
    import_file(store, write(tmp_path, "b.csv", b))
    flags = dict(store.query("SELECT contact_id, is_repeat FROM contacts").values.tolist())
    assert flags == {"R1": False, "R2": True, "R3": False}


def test_settings_are_restored_after_a_capped_import(tmp_path, monkeypatch):
    # every file counts as big: the import runs under the memory cap, then the limit is restored
    monkeypatch.setattr(engine, "BIG_FILE_BYTES", 0)
    with Store.open(tmp_path / "s.duckdb") as store:
        seed(store)
        before = store.query(
            "SELECT current_setting('memory_limit') AS m, "
            "current_setting('preserve_insertion_order') AS p"
        ).iloc[0]
        rows = HEADER + "S1,chat,Q_CHAT_GEN,SEOUL,U1,,2026-10-06 10:00:00,2026-10-06 10:01:00,5\n"
        s = import_file(store, write(tmp_path, "c.csv", rows))
        assert s.accepted == 1
        after = store.query(
            "SELECT current_setting('memory_limit') AS m, "
            "current_setting('preserve_insertion_order') AS p"
        ).iloc[0]
        assert (after.m, bool(after.p)) == (before.m, bool(before.p))
        assert store.query("SELECT count(*) AS n FROM contacts").n[0] == 1


def test_row_numbers_follow_the_file_in_a_parallel_scan(store, tmp_path):
    # 300,000 data rows is several CSV buffers and row groups, so DuckDB scans them on both
    # threads; rows are numbered from the staging table's scan order, not a window. Planted:
    # an unknown channel on data rows 5, 123,457 and 299,999, and a truncated line (row 200,000)
    # that DuckDB's parser skips, so every later row is renumbered by one.
    n = 300_000
    bad_channel = {5, 123_457, 299_999}
    lines = [HEADER]
    for i in range(1, n + 1):
        if i == 200_000:
            lines.append(f"R{i},voice\n")
            continue
        channel = "fax" if i in bad_channel else "chat"
        lines.append(f"R{i},{channel},Q_CHAT_GEN,SEOUL,U{i % 5000},,2026-10-06 10:00:00,,\n")
    s = import_file(store, write(tmp_path, "big.csv", "".join(lines)))
    # hand count: 300,000 rows - 3 unknown channels - 1 malformed line
    assert (s.accepted, s.rejected) == (299_996, 4)
    by_row = {r.row: r for r in s.rejected_rows}
    assert set(by_row) == {5, 123_457, 200_000, 299_999}
    assert "malformed line" in by_row[200_000].reason
    for r in bad_channel:
        assert by_row[r].value == "fax" and "unknown channel" in by_row[r].reason
    # the stored rows are the file's rows: R<i> for every i except the four rejected
    assert store.query("SELECT count(*) AS n FROM contacts WHERE contact_id LIKE 'R%'").n[0] == (
        299_996
    )
    stored = store.query(
        "SELECT row_number FROM rejected_rows WHERE run_id = ?", [s.run_id]
    ).row_number
    assert set(stored) == {5, 123_457, 200_000, 299_999}
