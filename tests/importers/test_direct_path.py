"""A first import into an empty table (the direct path: file -> table in one INSERT) stores the
same rows, derived fields and rejects as the general path (stage -> validate -> insert).

The file is the canonical sample plus hand-made bad rows, each breaking one rule; the expected
rejects (row number, column) are written below by hand. The general path is forced by making the
direct path ineligible, on the same file, into an identical fresh store.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ops.store import Store
from ops.store.importers import engine, import_file

from .conftest import SAMPLES, seed

# rows are numbered from the first data row (file line 2 = row 1): the sample's 8 rows are rows
# 1-8, of which 6 (CSAT 6), 7 (answered before created, wait -60) and 8 (channel fax) are bad on
# purpose; the rows below are rows 9-13
BAD_ROWS = [
    # row 9: channel 'fax' is not a channel
    "X-0010,crm,0010,fax,Q_VOICE_GEN,SEOUL,A001,U200,general,2,2026-10-05 10:00:00,"
    "2026-10-05 10:00:05,,5,100,,false,,agent,false,,false,,",
    # row 10: negative wait
    "X-0011,crm,0011,voice,Q_VOICE_GEN,SEOUL,A001,U201,general,2,2026-10-05 10:05:00,"
    "2026-10-05 10:05:05,,-5,100,,false,,agent,false,,false,,",
    # row 11: created_at is not a timestamp
    "X-0012,crm,0012,voice,Q_VOICE_GEN,SEOUL,A001,U202,general,2,not-a-date,"
    ",,,,,false,,agent,false,,false,,",
    # row 12: csat 9 is outside 1-5
    "X-0013,crm,0013,chat,Q_CHAT_GEN,BUSAN,A002,U203,general,2,2026-10-06 11:00:00,"
    "2026-10-06 11:00:30,,30,300,,false,,agent,false,,false,9,",
    # row 13: a good row: customer U100 again, level-1 tag 결제 again (S-0001, S-0002)
    "X-0014,crm,0014,email,Q_EMAIL,SEOUL,A003,U100,general,2,2026-10-09 17:40:00,"
    "2026-10-12 09:20:00,,,200,,false,결제/카드,agent,false,,false,,",
]
EXPECTED_REJECTS = {
    (6, "csat"), (7, "answered_at"), (7, "wait_s"), (8, "channel"),  # the sample's own
    (9, "channel"), (10, "wait_s"), (11, "created_at"), (12, "csat"),
}  # fmt: skip


def _file(tmp_path: Path) -> Path:
    text = (SAMPLES / "canonical_contacts.csv").read_text(encoding="utf-8").rstrip("\n")
    p = tmp_path / "contacts.csv"
    p.write_text(text + "\n" + "\n".join(BAD_ROWS) + "\n", encoding="utf-8")
    return p


def _stored(store: Store) -> pd.DataFrame:
    df = store.query("SELECT * FROM contacts ORDER BY contact_id")
    return df.drop(columns=[c for c in df.columns if c in ("import_run_id", "ingested_at")])


def _import(tmp_path: Path, direct: bool, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN202
    taken: list[bool] = []
    real = engine._ImportJob._direct

    def spy(self, cur, src, started):  # noqa: ANN001, ANN202
        ok = real(self, cur, src, started)
        taken.append(ok)
        return ok

    monkeypatch.setattr(engine._ImportJob, "_direct", spy)
    if not direct:
        monkeypatch.setattr(engine._ImportJob, "_direct_eligible", lambda *a: False)
    s = Store.open(":memory:")
    seed(s)
    summary = import_file(s, _file(tmp_path))
    monkeypatch.undo()
    return s, summary, taken


def test_direct_path_equals_general_path(tmp_path, monkeypatch):
    d_store, d, d_taken = _import(tmp_path, True, monkeypatch)
    g_store, g, g_taken = _import(tmp_path, False, monkeypatch)
    try:
        assert d_taken == [True]  # the first import into an empty table went direct
        assert g_taken == []
        # accepted: sample rows 1-5 and row 13; rejected: rows 6-12 (7 rows)
        assert (d.accepted, d.rejected) == (6, 7)
        assert (g.accepted, g.rejected) == (6, 7)
        for summary in (d, g):
            assert {(r.row, r.column) for r in summary.rejected_rows} == EXPECTED_REJECTS
        assert [(r.row, r.column, r.value) for r in d.rejected_rows] == [
            (r.row, r.column, r.value) for r in g.rejected_rows
        ]
        pd.testing.assert_frame_equal(_stored(d_store), _stored(g_store))
        # derived fields agree as well: X-0014 (SEOUL, Mon-Fri 09-18, KR holidays) created Fri
        # 2026-10-09 17:40 and answered Mon 10-12 09:20; Oct 9 is Hangul Day (a KR holiday), so
        # only Monday's 09:00-09:20 counts: 1200 business seconds (2400 if Friday were open);
        # its customer U100 had a 결제 (level-1) contact on 10-07 (S-0002), 2 days before: a repeat
        row = _stored(d_store).set_index("contact_id").loc["X-0014"]
        assert row["first_response_business_s"] == 1200
        assert bool(row["is_repeat"])
    finally:
        d_store.close()
        g_store.close()
