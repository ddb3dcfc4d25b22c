"""Malformed files never produce a traceback or a half-written import.

Hypothesis assembles files from broken pieces (truncated lines, wrong delimiters, mixed encodings,
huge fields, unbalanced quotes, formula cells, binary junk). Whatever happens, ``import_file`` either
returns a summary whose counts match what was written, or raises a ``CcopsError`` after which the
data tables are exactly as before.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops.errors import CcopsError
from ops.store import Store
from ops.store.importers import import_file

from .conftest import snapshot

HEADER = "contact_id,channel,queue_id,center_id,created_at,csat,customer_id\n"
GOOD = "C{i},voice,Q1,SEOUL,2026-10-01 09:00:00,5,U{i}\n"

PIECES = [
    GOOD,
    "C{i},voice,Q1\n",  # truncated line
    "C{i},voice,Q1,SEOUL,2026-10-01 09:00:00,5,U{i},extra,extra\n",  # too many columns
    "C{i};voice;Q1;SEOUL;2026-10-01 09:00:00;5;U{i}\n",  # wrong delimiter
    'C{i},chat,Q1,SEOUL,"unbalanced,5,U\n',  # bad quoting
    "C{i},voice,Q1,SEOUL,2026-10-01 09:00:00,5,=cmd|' /C calc'!A0\n",  # formula injection
    "C{i},voice,Q1,SEOUL,2026-10-01 09:00:00,5,@SUM(A1:A9)\n",
    "C{i},voice,Q1,SEOUL,2026-10-01 09:00:00,5," + "x" * 200_000 + "\n",  # huge field
    "\n",
    "C{i},보이스,Q1,서울,2026-10-01 09:00:00,5,한글\n",
    "C{i},voice,Q1,SEOUL,2026-02-30 25:61:00,9,U\n",
]
BINARY = [
    "결제,환불\n".encode("cp949"),  # CP949 bytes inside a UTF-8 file: mixed encodings
    b"\xff\xfe\x00garbage\x00\n",
    b"\x00\x01\x02\n",
]


@st.composite
def broken_file(draw):
    parts: list[bytes] = []
    header = draw(st.sampled_from([HEADER, HEADER.replace(",", ";"), "", "a,b\n", HEADER]))
    parts.append(header.encode())
    n = draw(st.integers(0, 12))
    for i in range(n):
        if draw(st.integers(0, 9)) == 0:
            parts.append(draw(st.sampled_from(BINARY)))
        else:
            parts.append(draw(st.sampled_from(PIECES)).format(i=i).encode("utf-8"))
    data = b"".join(parts)
    if draw(st.booleans()) and len(data) > 10:  # cut the file anywhere (truncated download)
        data = data[: draw(st.integers(1, len(data)))]
    return data


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=broken_file(), ext=st.sampled_from([".csv", ".txt", ".xlsx", ".parquet"]))
def test_malformed_files_never_traceback_nor_half_write(tmp_path, data, ext):
    f = tmp_path / f"fuzz{ext}"
    f.write_bytes(data)
    with Store.open(":memory:") as store:
        before = snapshot(store)
        try:
            s = import_file(store, f)
        except CcopsError as e:
            assert str(e)  # a message for the user
            after = snapshot(store)
            for t in ("import_runs",):
                before.pop(t)
                after.pop(t)
            assert after == before
            return
        n = store.query("SELECT count(*) AS n FROM contacts").n[0]
        assert n == s.inserted == s.accepted - s.duplicates
        if s.accepted:
            # formula cells are stored as text, unchanged
            vals = store.query("SELECT customer_id FROM contacts").customer_id.dropna().tolist()
            assert all(not v.startswith("'") for v in vals)
