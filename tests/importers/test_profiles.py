"""Every sample file imports with the counts and rejections checked by hand against the file.

Expected values come from reading data/samples/build_samples.py row by row (each bad row is
commented there with the rule it breaks), not from running the importer.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from ops.store.importers import import_file

from .conftest import SAMPLES

# file, import kwargs, rows read, accepted, [(row, column, reason fragment), ...]
CASES = [
    ("canonical_contacts.csv", {"table": "contacts"}, 8, 5,
     [(6, "csat", "CSAT outside 1-5"), (7, "answered_at", "answered before created"),
      (7, "wait_s", "negative duration"), (8, "channel", "unknown channel")]),
    ("canonical_interval_stats.csv", {"table": "interval_stats"}, 3, 2,
     [(3, "answered", "answered exceeds offered")]),
    ("canonical_schedules.csv", {"table": "schedules"}, 3, 3, []),
    ("canonical_agents.csv", {"table": "agents"}, 3, 3, []),
    ("canonical_qa_evaluations.csv", {"table": "qa_evaluations"}, 2, 2, []),
    ("canonical_qa_item_scores.csv", {"table": "qa_item_scores"}, 4, 4, []),
    ("canonical_surveys.csv", {"table": "surveys"}, 3, 3, []),
    ("canonical_events.csv", {"table": "events"}, 3, 3, []),
    ("canonical_qa_forms.csv", {"table": "qa_forms"}, 1, 1, []),
    ("canonical_sla_contracts.csv", {"table": "sla_contracts"}, 1, 1, []),
    ("canonical_forecast_runs.csv", {"table": "forecast_runs"}, 1, 1, []),
    ("canonical_forecasts.csv", {"table": "forecasts"}, 2, 2, []),
    ("zendesk_tickets.csv", {"profile": "zendesk", "center_id": "SEOUL"}, 9, 7,
     [(7, "Created at", "required value is missing"),
      (8, "First reply time in minutes", "not a number")]),
    ("freshdesk_tickets.csv", {"profile": "freshdesk", "center_id": "SEOUL"}, 6, 4,
     [(5, "Initial response time", "answered before created"), (6, "Time tracked", "not a duration (hh:mm:ss or mm:ss)")]),
    ("chatwoot_conversations.csv", {"profile": "chatwoot", "center_id": "SEOUL"}, 6, 4,
     [(5, "Channel type", "unknown channel"), (6, "CSAT rating", "CSAT outside 1-5")]),
    ("channelio_userchats.xlsx", {"profile": "channelio", "center_id": "SEOUL"}, 4, 3,
     [(4, "firstRepliedAt", "answered before created")]),
    ("channelio_userchats_encrypted.xlsx",
     {"profile": "channelio", "center_id": "SEOUL", "password": "ccops-sample"}, 4, 3,
     [(4, "firstRepliedAt", "answered before created")]),
    ("intercom_conversations.csv", {"profile": "intercom", "center_id": "SEOUL"}, 4, 3,
     [(4, "Conversation rating", "CSAT outside 1-5")]),
    ("genesys_queue_intervals.csv", {"profile": "genesys", "center_id": "SEOUL"}, 4, 3,
     [(4, "oServiceLevel.numerator", "answered_within_t exceeds answered")]),
    ("connect_queue_intervals.csv", {"profile": "connect", "center_id": "SEOUL"}, 4, 3,
     [(4, "Contacts handled", "negative count")]),
    ("cisco_csq_intervals.csv", {"profile": "cisco", "center_id": "SEOUL"}, 4, 3,
     [(4, "Interval Start Time", "not a valid timestamp")]),
    ("wfm_schedule.csv", {"profile": "wfm"}, 5, 4, [(5, "Scheduled (min)", "negative duration")]),
    ("qa_evaluation_sheet.xlsx", {"profile": "qa_sheet"}, 4, 3,
     [(4, "공감", "item score must be a number")]),
    ("survey_responses.csv", {"profile": "survey"}, 5, 4, [(5, "Score", "score outside the scale")]),
    ("korean_helpdesk_cp949.csv", {"profile": "korean_helpdesk"}, 6, 4,
     [(5, "만족도", "CSAT outside 1-5"), (6, "상담채널", "unknown channel")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "kwargs", "n_read", "n_ok", "rejects"), CASES, ids=[c[0] for c in CASES]
)
def test_sample_imports_with_expected_counts(store, name, kwargs, n_read, n_ok, rejects):
    s = import_file(store, SAMPLES / name, user="test", **kwargs)
    assert s.rows_read == n_read
    assert s.accepted == n_ok
    assert s.rejected == n_read - n_ok
    assert s.inserted + s.updated + s.duplicates == n_ok
    got = {(r.row, r.column) for r in s.rejected_rows}
    for row, column, reason in rejects:
        assert (row, column) in got, (row, column, s.rejected_rows)
        hit = [r for r in s.rejected_rows if (r.row, r.column) == (row, column)]
        assert any(reason in r.reason for r in hit), hit
    assert {r.row for r in s.rejected_rows} == {r for r, _, _ in rejects}
    # the run is recorded with its counts and hash
    run = store.query("SELECT * FROM import_runs WHERE run_id = ?", [s.run_id]).iloc[0]
    assert run.accepted == n_ok and run.rejected == n_read - n_ok and run.status == "ok"
    assert len(run.file_hash) == 64 and run.user_name == "test"
    stored = store.query(
        "SELECT count(DISTINCT row_number) AS n FROM rejected_rows WHERE run_id = ?", [s.run_id]
    )
    assert int(stored.n[0]) == len({r for r, _, _ in rejects})


def one(store, sql, params=None):
    df = store.query(sql, params or [])
    assert len(df) == 1, df
    return df.iloc[0]


def test_zendesk_values(store):
    import_file(store, SAMPLES / "zendesk_tickets.csv", profile="zendesk", center_id="SEOUL")
    r = one(store, "SELECT * FROM contacts WHERE contact_id = 'zendesk:40101'")
    # Created at 2026-10-05 09:12:44 in Seoul (UTC+9) -> 00:12:44 UTC; first reply 47 min later
    assert r.created_at == datetime(2026, 10, 5, 0, 12, 44)
    assert r.created_local == datetime(2026, 10, 5, 9, 12, 44)
    assert r.answered_at == datetime(2026, 10, 5, 0, 59, 44)
    assert r.wait_s == 47 * 60
    assert r.resolved_at == datetime(2026, 10, 5, 6, 2, 10)
    assert (r.channel, r.queue_id, r.csat, r.source_id) == ("email", "zendesk:Billing", 5, "40101")
    assert r.tag_id == "refund" and not r.reopened
    bad = one(store, "SELECT csat, reopened, priority, is_urgent FROM contacts "
                     "WHERE contact_id = 'zendesk:40104'")  # fmt: skip
    assert bad.csat == 1 and bad.reopened and bad.priority == 2 and not bad.is_urgent
    assert one(
        store, "SELECT csat FROM contacts WHERE contact_id = 'zendesk:40102'"
    ).csat is None or (
        store.query("SELECT csat FROM contacts WHERE contact_id = 'zendesk:40102'")
        .csat.isna()
        .all()
    )
    # 40109: same requester (9001) and level-1 tag (refund) 3 days after 40101 -> repeat
    assert one(store, "SELECT is_repeat FROM contacts WHERE contact_id = 'zendesk:40109'").is_repeat


def test_interval_reports_keep_raw_counts_and_ignore_vendor_sl(store):
    s = import_file(
        store, SAMPLES / "genesys_queue_intervals.csv", profile="genesys", center_id="SEOUL"
    )
    assert "oServiceLevel.ratio" in s.ignored_columns
    g = one(store, "SELECT * FROM interval_stats WHERE queue_id = 'genesys:Voice_General' "
                   "AND interval_start = '2026-10-05 00:00:00'")  # fmt: skip
    assert (g.offered, g.answered, g.answered_within_t, g.abandoned, g.abandoned_short) == (
        20,
        17,
        14,
        3,
        1,
    )
    assert g.wait_s_total == 204.0 and g.handle_s_total == 5100.0  # milliseconds / 1000
    assert g.interval_local == datetime(2026, 10, 5, 9, 0)
    s = import_file(
        store, SAMPLES / "connect_queue_intervals.csv", profile="connect", center_id="SEOUL"
    )
    assert "Service level 20 seconds" in s.ignored_columns
    c = one(store, "SELECT * FROM interval_stats WHERE queue_id = 'connect:BasicQueue' "
                   "AND interval_local = '2026-10-05 09:00:00'")  # fmt: skip
    assert c.wait_s_total == 14 * 27 and c.handle_s_total == 290 * 27  # average x handled
    assert c.interval_start == datetime(2026, 10, 5, 0, 0)
    import_file(store, SAMPLES / "cisco_csq_intervals.csv", profile="cisco", center_id="SEOUL")
    k = one(store, "SELECT * FROM interval_stats WHERE queue_id = 'cisco:CSQ_Support'")
    # 01:00:00 PM Seoul = 04:00 UTC; AHT 0:06:15 = 375 s x 8 handled; SL threshold from the report
    assert k.interval_start == datetime(2026, 10, 5, 4, 0)
    assert k.handle_s_total == 375 * 8 and k.threshold_s == 30
    cols = store.query("SELECT * FROM interval_stats LIMIT 0").columns
    assert not any("sl" == c or "service_level" in c for c in cols)


def test_qa_sheet_fills_item_scores(store):
    s = import_file(store, SAMPLES / "qa_evaluation_sheet.xlsx", profile="qa_sheet")
    assert s.extra_rows == {"qa_item_scores": 27}  # 3 accepted evaluations x 9 items
    e = one(store, "SELECT * FROM qa_evaluations WHERE evaluation_id = 'QA-2026-002'")
    assert e.critical_fail and e.evaluator_org == "in_house" and e.form_id == "standard"
    na = one(store, "SELECT * FROM qa_item_scores WHERE evaluation_id = 'QA-2026-002' "
                    "AND item_id = 'resolution_offered'")  # fmt: skip
    assert na.is_na
    ic = one(store, "SELECT score FROM qa_item_scores WHERE evaluation_id = 'QA-2026-002' "
                    "AND item_id = 'identity_check'")  # fmt: skip
    assert ic.score == 0
    assert (
        one(
            store, "SELECT evaluator_org FROM qa_evaluations WHERE evaluation_id = 'QA-2026-003'"
        ).evaluator_org
        == "vendor"
    )
    again = import_file(store, SAMPLES / "qa_evaluation_sheet.xlsx", profile="qa_sheet")
    assert (again.duplicates, again.updated, again.inserted) == (3, 0, 0)


def test_channelio_needs_the_password(store):
    from ops.errors import ValidationError

    with pytest.raises(ValidationError, match="password"):
        import_file(store, SAMPLES / "channelio_userchats_encrypted.xlsx", profile="channelio",
                    center_id="SEOUL")  # fmt: skip
    with pytest.raises(ValidationError, match="wrong password"):
        import_file(store, SAMPLES / "channelio_userchats_encrypted.xlsx", profile="channelio",
                    center_id="SEOUL", password="nope")  # fmt: skip
    assert store.query("SELECT count(*) AS n FROM contacts").n[0] == 0


def test_cp949_korean_headers(store):
    s = import_file(store, SAMPLES / "korean_helpdesk_cp949.csv", profile="korean_helpdesk")
    assert s.encoding == "cp949"
    r = one(store, "SELECT * FROM contacts WHERE contact_id = 'khd:K-0001'")
    # 접수일시 2026-10-05 09:00:00 (Seoul) -> 00:00 UTC; 응대시간 00:05:00 -> 300 s
    assert r.created_at == datetime(2026, 10, 5, 0, 0)
    assert r.handle_s == 300 and r.tag_id == "결제/환불" and r.channel == "voice"
    vip = one(store, "SELECT segment, queue_id FROM contacts WHERE contact_id = 'khd:K-0002'")
    assert vip.segment == "vip" and vip.queue_id == "khd:VIP"
    # K-0004: customer C-77 again, level-1 tag 결제 (결제/카드 vs 결제/환불) one hour later
    assert one(store, "SELECT is_repeat FROM contacts WHERE contact_id = 'khd:K-0004'").is_repeat
    forced = import_file(store, SAMPLES / "korean_helpdesk_cp949.csv", profile="korean_helpdesk",
                         encoding="euc-kr")  # fmt: skip
    assert forced.duplicates == 4


def test_rejected_values_are_the_files_own_text(store):
    # wfm_schedule.csv row 5 schedules "-30" minutes: the profile converts minutes to seconds
    # (scale 60), but the rejected row shows what the file said, -30, not the stored -1800
    s = import_file(store, SAMPLES / "wfm_schedule.csv", profile="wfm", dry_run=True)
    bad = [r for r in s.rejected_rows if r.column == "Scheduled (min)"]
    assert [(r.row, r.value, r.reason) for r in bad] == [(5, "-30", "negative duration")]
    # zendesk row 8 has "n/a" in one minutes column feeding two canonical columns: one entry
    z = import_file(store, SAMPLES / "zendesk_tickets.csv", profile="zendesk", center_id="SEOUL",
                    dry_run=True)  # fmt: skip
    row8 = [(r.column, r.value, r.reason) for r in z.rejected_rows if r.row == 8]
    assert row8 == [("First reply time in minutes", "n/a", "not a number")]
