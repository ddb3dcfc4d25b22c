"""Canonical imports: timezones, derived fields, upserts, dry runs, exports and the CLI.

Expected values are hand calculations written next to each assertion.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from ops.errors import CcopsError, ValidationError
from ops.store.export import export_table
from ops.store.importers import import_file, recompute_derived

from .conftest import SAMPLES, snapshot

HEADER = "contact_id,channel,queue_id,center_id,customer_id,tag_id,created_at,answered_at,csat\n"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_naive_time_is_center_local_and_stored_as_utc(store, tmp_path):
    f = write(tmp_path, "c.csv", HEADER + (
        "K1,voice,Q_VOICE_GEN,SEOUL,U1,,2026-10-01 09:00:00,,\n"      # 09:00 KST = 00:00 UTC
        "M1,voice,Q_VOICE_GEN,MANILA,U2,,2026-10-01 09:00:00,,\n"     # 09:00 PHT (UTC+8) = 01:00 UTC
        "Z1,voice,Q_VOICE_GEN,SEOUL,U3,,2026-10-01T09:00:00Z,,\n"     # explicit UTC stays 09:00
        "O1,voice,Q_VOICE_GEN,MANILA,U4,,2026-10-01 09:00:00+09:00,,\n"  # offset wins: 00:00 UTC
    ))  # fmt: skip
    s = import_file(store, f)
    assert s.accepted == 4
    got = store.query("SELECT contact_id, created_at, created_local FROM contacts ORDER BY 1")
    rows = {r.contact_id: (r.created_at, r.created_local) for r in got.itertuples()}
    assert rows["K1"] == (datetime(2026, 10, 1, 0, 0), datetime(2026, 10, 1, 9, 0))
    assert rows["M1"] == (datetime(2026, 10, 1, 1, 0), datetime(2026, 10, 1, 9, 0))
    assert rows["Z1"] == (datetime(2026, 10, 1, 9, 0), datetime(2026, 10, 1, 18, 0))
    assert rows["O1"] == (datetime(2026, 10, 1, 0, 0), datetime(2026, 10, 1, 8, 0))


def test_unknown_centers_and_queues_are_created_and_reported(bare_store, tmp_path):
    f = write(tmp_path, "c.csv", HEADER + (
        "A,chat,NEWQ,NEWC,U1,,2026-10-01 09:00:00,,\n"
        "B,email,MAILQ,NEWC,U2,,2026-10-01 10:00:00,,\n"
    ))  # fmt: skip
    s = import_file(bare_store, f)
    assert s.created_centers == ["NEWC"] and s.created_queues == ["MAILQ", "NEWQ"]
    c = bare_store.query("SELECT * FROM centers").iloc[0]
    assert (c.center_id, c.kind, c.timezone) == ("NEWC", "in_house", "Asia/Seoul")
    q = bare_store.query("SELECT queue_id, channel, mode FROM queues ORDER BY 1")
    assert q.values.tolist() == [["MAILQ", "email", "async"], ["NEWQ", "chat", "live"]]
    again = import_file(bare_store, f)
    assert again.created_centers == [] and again.duplicates == 2


def test_rejected_rows_carry_row_column_reason(store, tmp_path):
    f = write(tmp_path, "c.csv", HEADER + (
        "OK1,voice,Q_VOICE_GEN,SEOUL,U1,,2026-10-01 09:00:00,2026-10-01 09:00:10,5\n"
        ",voice,Q_VOICE_GEN,SEOUL,U1,,2026-10-01 09:00:00,,\n"                   # row 2: no id
        "B3,voice,Q_VOICE_GEN,SEOUL,U1,,2026-13-45 09:00:00,,\n"                 # row 3: bad date
        "B4,voice,Q_VOICE_GEN,SEOUL,U1,,2026-10-01 09:00:00,2026-10-01 08:00:00,0\n"  # row 4
        "OK5,email,Q_EMAIL,SEOUL,U1,,2026-10-01 09:00:00,,1\n"
    ))  # fmt: skip
    s = import_file(store, f)
    assert (s.accepted, s.rejected) == (2, 3)
    got = {(r.row, r.column, r.reason.split(" (")[0]) for r in s.rejected_rows}
    assert (2, "contact_id", "required value is missing") in got
    assert (3, "created_at", "not a valid timestamp") in got
    assert (4, "answered_at", "answered before created") in got
    assert (4, "csat", "CSAT outside 1-5") in got
    stored = store.query("SELECT file_name, row_number, column_name, value, reason FROM rejected_rows "
                         "WHERE run_id = ? ORDER BY row_number, column_name", [s.run_id])  # fmt: skip
    assert stored.row_number.tolist() == [2, 3, 4, 4]
    assert set(stored.file_name) == {"c.csv"}
    assert stored[stored.column_name == "created_at"].value.iloc[0] == "2026-13-45 09:00:00"


def test_malformed_lines_keep_their_row_numbers(store, tmp_path):
    # row 2 is truncated; DuckDB skips it, so later rows must be renumbered (row 4 stays row 4)
    f = write(tmp_path, "c.csv", HEADER + (
        "A1,voice,Q_VOICE_GEN,SEOUL,U1,,2026-10-01 09:00:00,,\n"
        "A2,voice,Q_VOICE_GEN\n"
        "A3,voice,Q_VOICE_GEN,SEOUL,U1,,2026-10-01 09:00:00,,\n"
        "A4,fax,Q_VOICE_GEN,SEOUL,U1,,2026-10-01 09:00:00,,\n"
    ))  # fmt: skip
    s = import_file(store, f)
    assert (s.accepted, s.rejected) == (2, 2)
    assert s.rows_read == 4  # the 4 data lines, the malformed one included
    by_row = {r.row: r.reason for r in s.rejected_rows}
    assert "malformed line" in by_row[2] and "unknown channel" in by_row[4]


def test_missing_required_column_is_an_error_naming_it(store, tmp_path):
    f = write(tmp_path, "c.csv", "contact_id,channel,queue_id\nA,voice,Q\n")
    before = snapshot(store)
    with pytest.raises(ValidationError) as e:
        import_file(store, f)
    assert "center_id" in str(e.value) and "created_at" in str(e.value) and "c.csv" in str(e.value)
    after = snapshot(store)
    runs = after.pop("import_runs")
    assert after == {k: v for k, v in before.items() if k != "import_runs"}
    assert any("failed" in r for r in map(repr, runs))  # the failed attempt is logged


def test_dry_run_writes_nothing(store):
    before = snapshot(store)
    s = import_file(store, SAMPLES / "canonical_contacts.csv", dry_run=True)
    assert s.status == "dry_run" and (s.accepted, s.rejected, s.inserted) == (5, 3, 5)
    assert snapshot(store) == before


def test_nothing_accepted_is_a_failed_run(store, tmp_path):
    f = write(tmp_path, "c.csv", HEADER + "A,fax,Q,SEOUL,U,,2026-10-01 09:00:00,,\n")
    s = import_file(store, f)
    assert s.accepted == 0 and s.status == "failed"
    assert store.query("SELECT count(*) AS n FROM contacts").n[0] == 0


def test_corrected_reexport_updates_the_rows_it_covers(store, tmp_path):
    src = (SAMPLES / "zendesk_tickets.csv").read_text(encoding="utf-8")
    first = import_file(
        store, SAMPLES / "zendesk_tickets.csv", profile="zendesk", center_id="SEOUL"
    )
    assert first.inserted == 7
    lines = src.splitlines()
    # ticket 40102: satisfaction "Offered" corrected to "Bad"; one new ticket 40110 appended
    fixed = [ln.replace(",Offered,", ",Bad,") if ",40102," in ln else ln for ln in lines]
    new = [ln for ln in lines if ",40103," in ln][0].replace(",40103,", ",40110,")
    f = write(tmp_path, "zendesk_fixed.csv", "\n".join([*fixed, new]) + "\n")
    s = import_file(store, f, profile="zendesk", center_id="SEOUL")
    assert (s.accepted, s.updated, s.inserted, s.duplicates, s.rejected) == (8, 1, 1, 6, 2)
    csat = store.query("SELECT csat FROM contacts WHERE contact_id = 'zendesk:40102'").csat[0]
    assert csat == 1
    assert store.query("SELECT count(*) AS n FROM contacts").n[0] == 8


def test_same_key_twice_in_a_file_last_row_wins(store, tmp_path):
    f = write(tmp_path, "c.csv", HEADER + (
        "D,voice,Q_VOICE_GEN,SEOUL,U1,,2026-10-01 09:00:00,,3\n"
        "D,voice,Q_VOICE_GEN,SEOUL,U1,,2026-10-01 09:00:00,,3\n"   # identical: a duplicate
        "E,voice,Q_VOICE_GEN,SEOUL,U1,,2026-10-01 09:00:00,,3\n"
        "E,voice,Q_VOICE_GEN,SEOUL,U1,,2026-10-01 09:00:00,,4\n"   # corrected later in the file
    ))  # fmt: skip
    s = import_file(store, f)
    assert (s.accepted, s.inserted, s.duplicates, s.rejected) == (3, 2, 1, 1)
    assert s.rejected_rows[0].row == 3 and "superseded by row 4" in s.rejected_rows[0].reason
    assert store.query("SELECT csat FROM contacts WHERE contact_id = 'E'").csat[0] == 4


def test_business_seconds_and_recompute_after_calendar_change(store, tmp_path):
    # SEOUL is open Mon-Fri 09:00-18:00 (KR holidays). Tue 2026-10-06 17:40 -> Wed 09:20:
    # 20 min before closing + 20 min after opening = 2400 business seconds (15h40m = 56400 s wall).
    f = write(
        tmp_path,
        "c.csv",
        HEADER + "E1,email,Q_EMAIL,SEOUL,U1,,2026-10-06 17:40:00,2026-10-07 09:20:00,\n",
    )
    import_file(store, f)
    r = store.query("SELECT wait_s, first_response_business_s FROM contacts").iloc[0]
    assert r.wait_s == 56400 and r.first_response_business_s == 2400
    with store.write() as cur:
        cur.execute("UPDATE centers SET calendar_json = NULL WHERE center_id = 'SEOUL'")  # 24x7
    out = recompute_derived(store, "SEOUL")
    assert out["contacts.business_s"] == 1
    assert store.query("SELECT first_response_business_s AS b FROM contacts").b[0] == 56400


def test_repeat_flags_follow_updates(store, tmp_path):
    rows = HEADER + (
        "R1,chat,Q_CHAT_GEN,SEOUL,U9,결제/카드,2026-10-01 09:00:00,,\n"
        "R2,chat,Q_CHAT_GEN,SEOUL,U9,결제/환불/지연,2026-10-05 09:00:00,,\n"  # 4 days, same 결제
        "R3,chat,Q_CHAT_GEN,SEOUL,U9,배송/지연,2026-10-06 09:00:00,,\n"       # other level-1
        "R4,chat,Q_CHAT_GEN,SEOUL,U9,결제/카드,2026-10-20 09:00:00,,\n"       # 15 days after R2
    )  # fmt: skip
    import_file(store, write(tmp_path, "a.csv", rows))
    flags = dict(store.query("SELECT contact_id, is_repeat FROM contacts").values.tolist())
    assert flags == {"R1": False, "R2": True, "R3": False, "R4": False}
    # a corrected export moves R4 to 2026-10-10: within 7 days of R2 -> now a repeat
    fixed = rows.replace("2026-10-20 09:00:00", "2026-10-10 09:00:00")
    s = import_file(store, write(tmp_path, "b.csv", fixed))
    assert s.updated == 1
    flags = dict(store.query("SELECT contact_id, is_repeat FROM contacts").values.tolist())
    assert flags == {"R1": False, "R2": True, "R3": False, "R4": True}


def test_parquet_and_xlsx_canonical(store, tmp_path):
    import duckdb

    pq = tmp_path / "contacts.parquet"
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{SAMPLES / 'canonical_contacts.csv'}', all_varchar=true)) "
        f"TO '{pq}' (FORMAT parquet)"
    )
    s = import_file(store, pq)
    assert (s.format, s.accepted, s.rejected) == ("parquet", 5, 3)
    assert {r.row for r in s.rejected_rows} == {6, 7, 8}
    xlsx = tmp_path / "contacts.xlsx"
    export_table(store, "contacts", xlsx)
    again = import_file(store, xlsx)
    assert (again.format, again.accepted, again.duplicates) == ("xlsx", 5, 5)


def test_export_escapes_formulas_and_round_trips(store, tmp_path):
    import_file(store, SAMPLES / "canonical_contacts.csv")
    before = snapshot(store)["contacts"]
    out = tmp_path / "out.csv"
    n = export_table(store, "contacts", out)
    assert n == 5
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM so Excel shows Hangul
    text = raw.decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text and ",=cmd" not in text
    assert "결제/환불/지연" in text
    assert "2026-10-05 00:00:00+00:00" in text  # UTC with an explicit offset
    s = import_file(store, out)
    assert (s.accepted, s.duplicates, s.updated, s.inserted) == (5, 5, 0, 0)
    assert snapshot(store)["contacts"] == before
    stored = store.query(
        "SELECT customer_id FROM contacts WHERE contact_id = 'S-0005'"
    ).customer_id[0]
    assert stored == "=cmd|' /C calc'!A0"  # stored as text, exactly as given
    pq = tmp_path / "out.parquet"
    export_table(store, "contacts", pq)
    assert import_file(store, pq).duplicates == 5


def test_export_xlsx_cells_are_text_with_quote(store, tmp_path):
    from python_calamine import CalamineWorkbook

    import_file(store, SAMPLES / "canonical_contacts.csv")
    out = tmp_path / "out.xlsx"
    export_table(store, "contacts", out)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    cells = [c for r in rows for c in r if isinstance(c, str) and "cmd|" in c]
    assert cells == ["'=cmd|' /C calc'!A0"]


def test_unknown_profile_and_bad_mapping(store, tmp_path):
    with pytest.raises(CcopsError, match="Unknown profile"):
        import_file(store, SAMPLES / "canonical_contacts.csv", profile="nope")
    m = write(tmp_path, "m.yaml", "table: contacts\ncolumns:\n  not_a_column: X\n")
    with pytest.raises(CcopsError, match="not_a_column"):
        import_file(store, SAMPLES / "canonical_contacts.csv", mapping=m)


def test_custom_mapping_file(store, tmp_path):
    m = write(tmp_path, "m.yaml", (
        "table: contacts\nsource: legacy\ncolumns:\n"
        "  source_id: 번호\n  created_at: {from: 일시, format: '%Y.%m.%d %H:%M'}\n"
        "  channel: {from: 채널, map: {전화: voice}}\n  queue_id: {value: Q_VOICE_GEN}\n"
    ))  # fmt: skip
    f = write(tmp_path, "legacy.csv", "번호,일시,채널\n7,2026.10.01 09:30,전화\n")
    s = import_file(store, f, mapping=m, center_id="SEOUL")
    assert s.accepted == 1
    r = store.query("SELECT * FROM contacts").iloc[0]
    assert r.contact_id == "legacy:7" and r.created_at == datetime(2026, 10, 1, 0, 30)


def test_cli_import_json_and_exit_codes(tmp_path):
    from typer.testing import CliRunner

    from ops.cli import app

    db = tmp_path / "cli.duckdb"
    runner = CliRunner()
    res = runner.invoke(app, ["import", str(SAMPLES / "canonical_contacts.csv"), "--db", str(db),
                              "--format", "json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert (out["accepted"], out["rejected"], out["duplicates"], out["updated"]) == (5, 3, 0, 0)
    assert out["created_centers"] == ["BUSAN", "SEOUL"]
    assert {"file", "row", "column", "reason"} <= set(out["rejected_rows"][0])
    bad = write(tmp_path, "bad.csv", HEADER + "A,fax,Q,SEOUL,U,,2026-10-01 09:00:00,,\n")
    res = runner.invoke(app, ["import", str(bad), "--db", str(db), "--format", "json"])
    assert res.exit_code != 0 and json.loads(res.stdout)["accepted"] == 0
    res = runner.invoke(app, ["export", "--db", str(db), "--table", "contacts", "--out",
                              str(tmp_path / "x.csv")])  # fmt: skip
    assert res.exit_code == 0 and (tmp_path / "x.csv").exists()


def test_import_log_helpers(store):
    from ops.store.importers import recent_imports, rejected_rows_of

    s = import_file(store, SAMPLES / "canonical_contacts.csv", user="kim")
    runs = recent_imports(store, limit=1)
    assert runs.run_id[0] == s.run_id and runs.user_name[0] == "kim" and runs.accepted[0] == 5
    rej = rejected_rows_of(store, s.run_id)
    assert rej.row_number.tolist() == [6, 7, 7, 8]
    assert json.loads(rej.raw[0])["contact_id"] == "S-0006"


def test_json_and_typed_parquet(store, tmp_path):
    import duckdb

    rows = [
        {"contact_id": "J1", "channel": "chat", "queue_id": "Q_CHAT_GEN", "center_id": "SEOUL",
         "created_at": "2026-10-01 09:00:00", "csat": 5},
        {"contact_id": "J2", "channel": "fax", "queue_id": "Q_CHAT_GEN", "center_id": "SEOUL",
         "created_at": "2026-10-01 09:00:00", "csat": 9},
    ]  # fmt: skip
    f = write(tmp_path, "c.jsonl", "\n".join(json.dumps(r) for r in rows))
    s = import_file(store, f)
    assert (s.format, s.accepted, s.rejected) == ("json", 1, 1)
    assert {(r.row, r.column) for r in s.rejected_rows} == {(2, "channel"), (2, "csat")}
    # a typed Parquet file: integer ids become text, a naive TIMESTAMP is center-local time
    pq = tmp_path / "typed.parquet"
    duckdb.sql(
        "COPY (SELECT 123 AS contact_id, 'voice' AS channel, 'Q_VOICE_GEN' AS queue_id, "
        "'MANILA' AS center_id, TIMESTAMP '2026-10-01 09:00:00' AS created_at, 3 AS csat) "
        f"TO '{pq}' (FORMAT parquet)"
    )
    assert import_file(store, pq).inserted == 1
    assert import_file(store, pq).duplicates == 1
    r = store.query("SELECT * FROM contacts WHERE contact_id = '123'").iloc[0]
    assert r.created_at == datetime(2026, 10, 1, 1, 0)  # 09:00 in Manila (UTC+8)


def test_escape_formula_values():
    from ops.store.export import escape_formula

    # OWASP CSV injection: =, +, -, @, tab and CR lead a formula; other values are untouched
    assert [escape_formula(v) for v in ["=1+1", "+82", "-5", "@SUM(A1)", "\tx", "ok", 3]] == [
        "'=1+1", "'+82", "'-5", "'@SUM(A1)", "'\tx", "ok", 3,
    ]  # fmt: skip


def test_console_entry_point_exit_codes_and_empty_files(tmp_path):
    # through the real `ccops` entry point (ops.cli.main), not Typer's test runner: a file with
    # only a header accepts nothing -> exit 2; an empty file and a folder are one-line errors -> 1
    import subprocess
    import sys

    db = str(tmp_path / "cli.duckdb")

    def ccops(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", "from ops.cli import main; main()", *args],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    header_only = write(tmp_path, "h.csv", HEADER)
    res = ccops("import", str(header_only), "--db", db, "--format", "json")
    assert res.returncode == 2
    assert json.loads(res.stdout)["message"] == "The file has no data rows (only a header)."
    empty = write(tmp_path, "e.csv", "\ufeff\n")
    res = ccops("import", str(empty), "--db", db)
    assert res.returncode == 1 and "The file is empty" in res.stderr and "e.csv" in res.stderr
    assert "Traceback" not in res.stderr
    res = ccops("import", str(tmp_path), "--db", db)
    assert res.returncode == 1 and "is a folder" in res.stderr
    # a bad date on `sla report` is a one-line error naming the option
    res = ccops("sla", "report", "--db", db, "--from", "2026-13-01")
    assert res.returncode == 1 and "--from must be a date" in res.stderr
    assert "Traceback" not in res.stderr


def test_export_keeps_sub_second_timestamps(store, tmp_path):
    # an instant with microseconds (as ACD and helpdesk APIs give) must survive CSV and XLSX
    # export -> import unchanged: re-importing is all duplicates, no row is "updated"
    f = write(tmp_path, "c.csv", HEADER + (
        "F1,chat,Q_CHAT_GEN,SEOUL,U1,,2026-10-01T00:00:01.250000Z,2026-10-01T00:00:31.5Z,\n"
        "F2,chat,Q_CHAT_GEN,SEOUL,U2,,2026-10-01T00:00:02Z,2026-10-01T00:00:40Z,\n"
    ))  # fmt: skip
    assert import_file(store, f).accepted == 2
    for name in ("sub.csv", "sub.xlsx"):
        out = tmp_path / name
        export_table(store, "contacts", out)
        s = import_file(store, out)
        assert (s.duplicates, s.updated, s.inserted) == (2, 0, 0), name
    text = (tmp_path / "sub.csv").read_text(encoding="utf-8-sig")
    assert "2026-10-01 00:00:01.250000+00:00" in text  # microseconds kept
    assert "2026-10-01 00:00:02+00:00" in text  # whole seconds stay short
    got = store.query("SELECT wait_s FROM contacts WHERE contact_id = 'F1'").wait_s[0]
    assert got == 30.25  # 00:00:31.5 - 00:00:01.25
