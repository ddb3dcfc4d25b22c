"""Write the sample import files in data/samples/ (run: python data/samples/build_samples.py).

The files are committed; this script documents how the binary ones were made (the CP949 CSV, the
XLSX workbooks and the password-protected XLSX, encrypted with msoffcrypto-tool's OOXML encryption)
and regenerates them byte-for-byte in content. Each vendor sample uses the column names of that
vendor's export (see the matching data/mappings/<profile>.yaml) and contains a few deliberately bad
rows; tests/importers/test_profiles.py lists the expected counts, checked by hand against this file.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHANNELIO_PASSWORD = "ccops-sample"


def write_csv(
    name: str, header: list[str], rows: list[list[object]], encoding: str = "utf-8"
) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    (HERE / name).write_bytes(buf.getvalue().encode(encoding))


def write_xlsx(
    path: Path, header: list[str], rows: list[list[object]], sheet: str = "Sheet1"
) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet(sheet)
    dt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    ws.write_row(0, 0, header)
    for i, row in enumerate(rows, 1):
        for j, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, datetime):
                ws.write_datetime(i, j, v, dt)
            elif isinstance(v, int | float):
                ws.write_number(i, j, v)
            else:
                ws.write_string(i, j, str(v))
    wb.close()


# --- canonical files, one per table ------------------------------------------------------------
def canonical() -> None:
    write_csv(
        "canonical_contacts.csv",
        ["contact_id", "source", "source_id", "channel", "queue_id", "center_id", "agent_id",
         "customer_id", "segment", "priority", "created_at", "answered_at", "abandoned_at", "wait_s",
         "handle_s", "resolved_at", "reopened", "tag_id", "handled_by", "via_bot", "template_id",
         "is_urgent", "csat", "ces"],
        [
            # 1: a call answered in 12 s at 09:00 Seoul time (00:00 UTC)
            ["S-0001", "crm", "0001", "voice", "Q_VOICE_GEN", "SEOUL", "A001", "U100", "general", 2,
             "2026-10-05 09:00:00", "2026-10-05 09:00:12", "", 12, 245, "2026-10-05 09:04:17", "false",
             "결제/환불/지연", "agent", "false", "", "false", 5, 7],
            # 2: same customer, same level-1 tag (결제) two days later -> a repeat contact
            ["S-0002", "crm", "0002", "chat", "Q_CHAT_GEN", "SEOUL", "A002", "U100", "general", 2,
             "2026-10-07 14:30:00", "2026-10-07 14:30:40", "", 40, 610, "2026-10-07 14:41:30", "false",
             "결제/카드", "agent", "true", "T-12", "false", 4, 6],
            # 3: an abandoned call (timestamp with an explicit offset)
            ["S-0003", "crm", "0003", "voice", "Q_VOICE_VIP", "SEOUL", "", "U200", "vip", 1,
             "2026-10-05T10:15:00+09:00", "", "2026-10-05T10:15:35+09:00", 35, "", "", "", "", "",
             "", "", "", "", ""],
            # 4: an email answered next morning, Busan vendor center
            ["S-0004", "crm", "0004", "email", "Q_EMAIL", "BUSAN", "B010", "U300", "general", 3,
             "2026-10-05 17:40:00", "2026-10-06 09:20:00", "", 56400, 420, "2026-10-06 09:27:00",
             "false", "배송/지연", "agent", "false", "", "false", "", ""],
            # 5: formula injection in a text cell: stored as text, escaped on export
            ["S-0005", "crm", "0005", "kakaotalk", "Q_KAKAO", "SEOUL", "A003", "=cmd|' /C calc'!A0",
             "general", 2, "2026-10-06 11:00:00", "2026-10-06 11:03:00", "", 180, 300,
             "2026-10-06 11:08:00", "false", "계정/로그인", "agent", "false", "", "false", 3, 5],
            # 6: rejected: CSAT 6 is outside 1-5
            ["S-0006", "crm", "0006", "chat", "Q_CHAT_GEN", "SEOUL", "A002", "U400", "general", 2,
             "2026-10-06 12:00:00", "2026-10-06 12:00:30", "", 30, 200, "", "false", "배송/조회",
             "agent", "false", "", "false", 6, ""],
            # 7: rejected: answered before created, and a negative wait
            ["S-0007", "crm", "0007", "voice", "Q_VOICE_GEN", "SEOUL", "A001", "U500", "general", 2,
             "2026-10-06 13:00:00", "2026-10-06 12:59:00", "", -60, 100, "", "false", "", "agent",
             "false", "", "false", "", ""],
            # 8: rejected: unknown channel
            ["S-0008", "crm", "0008", "fax", "Q_VOICE_GEN", "SEOUL", "A001", "U600", "general", 2,
             "2026-10-06 14:00:00", "", "", "", "", "", "", "", "", "", "", "", "", ""],
        ],
    )  # fmt: skip
    write_csv(
        "canonical_centers.csv",
        ["center_id", "name", "name_ko", "kind", "vendor_name", "timezone", "hourly_cost", "currency",
         "calendar_json"],
        [
            ["SEOUL", "Seoul (in-house)", "서울 본사", "in_house", "", "Asia/Seoul", 32000, "KRW",
             '{"timezone": "Asia/Seoul", "weekly": {"mon": [["09:00","18:00"]], "tue": [["09:00","18:00"]], '
             '"wed": [["09:00","18:00"]], "thu": [["09:00","18:00"]], "fri": [["09:00","18:00"]], '
             '"sat": [], "sun": []}, "holidays": "KR", "closed_dates": []}'],
            ["BUSAN", "Busan (vendor)", "부산 협력사", "vendor", "Haeundae CS Co.", "Asia/Seoul", 27000,
             "KRW", ""],
            ["MANILA", "Manila (vendor, nights)", "마닐라 협력사", "vendor", "Makati BPO Inc.",
             "Asia/Manila", 15000, "KRW", ""],
        ],
    )  # fmt: skip
    write_csv(
        "canonical_queues.csv",
        ["queue_id", "name", "name_ko", "channel", "mode", "concurrency", "segment"],
        [
            ["Q_VOICE_GEN", "Voice general", "전화 일반", "voice", "live", 1, "general"],
            ["Q_VOICE_VIP", "Voice VIP", "전화 VIP", "voice", "live", 1, "vip"],
            ["Q_CHAT_GEN", "Chat general", "채팅 일반", "chat", "live", 3, "general"],
            ["Q_EMAIL", "Email", "이메일", "email", "async", "", "general"],
            ["Q_KAKAO", "KakaoTalk", "카카오톡", "kakaotalk", "async", "", "general"],
        ],
    )
    write_csv(
        "canonical_tags.csv",
        ["tag_id", "path", "path_en", "level1", "level2", "level3", "level1_en", "level2_en",
         "level3_en", "department", "is_simple", "severity"],
        [
            ["결제/환불/지연", "결제/환불/지연", "Payment/Refund/Delayed", "결제", "환불", "지연",
             "Payment", "Refund", "Delayed", "Finance", "false", 2],
            ["결제/카드", "결제/카드", "Payment/Card", "결제", "카드", "", "Payment", "Card", "",
             "Finance", "true", 1],
            ["배송/지연", "배송/지연", "Delivery/Delayed", "배송", "지연", "", "Delivery", "Delayed", "",
             "Logistics", "false", 2],
        ],
    )  # fmt: skip
    write_csv(
        "canonical_agents.csv",
        ["agent_id", "name", "center_id", "team", "skills", "hire_date", "end_date", "employment"],
        [
            [
                "A001",
                "김민준",
                "SEOUL",
                "Voice 1",
                "Q_VOICE_GEN,Q_VOICE_VIP",
                "2024-03-02",
                "",
                "full_time",
            ],
            ["A002", "이서연", "SEOUL", "Chat", "Q_CHAT_GEN", "2025-01-15", "", "part_time"],
            ["B010", "박지훈", "BUSAN", "Email", "Q_EMAIL", "2025-06-01", "", "full_time"],
        ],
    )
    write_csv(
        "canonical_interval_stats.csv",
        ["interval_start", "interval_s", "queue_id", "center_id", "offered", "answered",
         "answered_within_t", "abandoned", "abandoned_short", "abandoned_within_t", "threshold_s",
         "handle_s_total", "wait_s_total", "source"],
        [
            ["2026-10-05 09:00:00", 1800, "Q_VOICE_GEN", "SEOUL", 10, 6, 4, 4, 1, 2, 20, 1500, 120, "acd"],
            ["2026-10-05 09:30:00", 1800, "Q_VOICE_GEN", "SEOUL", 12, 11, 9, 1, 0, 1, 20, 2900, 150, "acd"],
            # rejected: answered exceeds offered
            ["2026-10-05 10:00:00", 1800, "Q_VOICE_GEN", "SEOUL", 5, 7, 5, 0, 0, 0, 20, 1700, 60, "acd"],
        ],
    )  # fmt: skip
    write_csv(
        "canonical_schedules.csv",
        [
            "center_id",
            "queue_id",
            "agent_id",
            "interval_start",
            "interval_s",
            "scheduled_s",
            "staffed_s",
            "productive_s",
        ],
        [
            ["SEOUL", "Q_VOICE_GEN", "", "2026-10-05 09:00:00", 1800, 18000, 16200, 13500],
            ["SEOUL", "Q_VOICE_GEN", "A001", "2026-10-05 09:00:00", 1800, 1800, 1800, 1500],
            ["SEOUL", "Q_VOICE_GEN", "", "2026-10-05 09:30:00", 1800, 19800, 18000, 15000],
        ],
    )
    write_csv(
        "canonical_qa_evaluations.csv",
        ["evaluation_id", "contact_id", "agent_id", "center_id", "evaluator_id", "evaluator_org",
         "form_id", "form_version", "critical_fail", "comments", "evaluated_at",
         "calibration_session_id"],
        [
            ["E-1", "S-0001", "A001", "SEOUL", "QA01", "in_house", "standard", 1, "false",
             "친절한 응대", "2026-10-06 15:00:00", ""],
            ["E-2", "S-0002", "A002", "SEOUL", "QA01", "in_house", "standard", 1, "true",
             "본인 확인 누락", "2026-10-08 10:00:00", ""],
        ],
    )  # fmt: skip
    write_csv(
        "canonical_qa_item_scores.csv",
        ["evaluation_id", "center_id", "item_id", "score", "is_na"],
        [
            ["E-1", "SEOUL", "greeting", 1, "false"],
            ["E-1", "SEOUL", "empathy", 5, "false"],
            ["E-1", "SEOUL", "resolution_offered", "", "true"],
            ["E-2", "SEOUL", "identity_check", 0, "false"],
        ],
    )
    write_csv(
        "canonical_surveys.csv",
        ["survey_id", "kind", "score", "contact_id", "customer_id", "center_id", "channel", "segment",
         "responded_at", "comment"],
        [
            ["SV-1", "csat", 5, "S-0001", "U100", "SEOUL", "voice", "general", "2026-10-05 09:10:00", "좋아요"],
            ["SV-2", "ces", 6, "S-0002", "U100", "SEOUL", "chat", "general", "2026-10-07 15:00:00", ""],
            ["SV-3", "nps", 9, "", "U200", "SEOUL", "", "vip", "2026-10-10 12:00:00", ""],
        ],
    )  # fmt: skip
    write_csv(
        "canonical_events.csv",
        ["event_id", "kind", "name", "name_ko", "start_date", "end_date", "center_id", "channel",
         "tag_id", "expected_effect", "notes"],
        [
            ["EV-1", "holiday", "Chuseok", "추석", "2026-09-24", "2026-09-27", "", "", "", 0.4, ""],
            ["EV-2", "campaign", "Autumn sale", "가을 세일", "2026-10-12", "2026-10-18", "", "", "", 1.3, ""],
            ["EV-3", "outage", "Payment gateway outage", "결제 장애", "2026-10-20", "2026-10-20", "",
             "", "결제/카드", 1.8, "PG timeout 14:00-16:00"],
        ],
    )  # fmt: skip
    write_csv(
        "canonical_qa_forms.csv",
        ["form_id", "version", "name", "definition_json", "created_at"],
        [["mini", 1, "Mini form", '{"sections": [{"id": "s", "items": [{"id": "greeting", "scale": "yes_no", "weight": 1}]}]}',
          "2026-01-01 00:00:00"]],
    )  # fmt: skip
    write_csv(
        "canonical_sla_contracts.csv",
        ["contract_id", "version", "center_id", "effective_from", "effective_to", "monthly_fee",
         "currency", "definition_json", "source_file", "loaded_at"],
        [["BUSAN-2026", 1, "BUSAN", "2026-01-01", "", 120000000, "KRW",
          '{"metrics": [{"metric": "service_level", "target": 0.8, "threshold_s": 20}]}',
          "busan_2026.yaml", "2026-01-02 09:00:00"]],
    )  # fmt: skip
    write_csv(
        "canonical_forecast_runs.csv",
        [
            "run_id",
            "created_at",
            "freq",
            "horizon",
            "model",
            "params_json",
            "code_version",
            "notes",
        ],
        [["FR-1", "2026-10-31 18:00:00", "D", 28, "auto", "{}", "0.1.0", "sample"]],
    )
    write_csv(
        "canonical_forecasts.csv",
        ["run_id", "series_id", "center_id", "queue_id", "ds", "yhat", "yhat_lo", "yhat_hi", "model"],
        [
            ["FR-1", "SEOUL|Q_VOICE_GEN", "SEOUL", "Q_VOICE_GEN", "2026-11-02 00:00:00", 812, 760, 866, "ets"],
            ["FR-1", "SEOUL|Q_VOICE_GEN", "SEOUL", "Q_VOICE_GEN", "2026-11-03 00:00:00", 790, 735, 845, "ets"],
        ],
    )  # fmt: skip


# --- vendor exports ----------------------------------------------------------------------------
def zendesk() -> None:
    header = [
        "Summation column", "Id", "Requester", "Requester id", "Requester email", "Submitter",
        "Assignee", "Group", "Subject", "Tags", "Status", "Priority", "Via", "Ticket type",
        "Created at", "Updated at", "Assigned at", "Initially assigned at", "Solved at",
        "Satisfaction Score", "Reopens", "Replies", "First reply time in minutes",
        "First reply time in minutes within business hours", "First resolution time in minutes",
        "First resolution time in minutes within business hours", "Full resolution time in minutes",
        "Full resolution time in minutes within business hours", "Agent wait time in minutes",
        "Agent wait time in minutes within business hours", "Requester wait time in minutes",
        "Requester wait time in minutes within business hours", "On hold time in minutes",
        "On hold time in minutes within business hours",
    ]  # fmt: skip

    def t(i, req, reqid, assignee, group, subject, tags, status, prio, via, created, solved, sat,
          reopens, frt, frt_bh, res):  # fmt: skip
        return ["1", i, req, reqid, f"user{reqid}@example.kr", req, assignee, group, subject, tags,
                status, prio, via, "Question", created, solved or created, created, created, solved,
                sat, reopens, 1, frt, frt_bh, res, res, res, res, 0, 0, frt, frt_bh, 0, 0]  # fmt: skip

    rows = [
        t(40101, "김하늘", 9001, "Jiwoo Park", "Billing", "환불이 아직 안 들어왔어요", "refund billing",
          "Solved", "Normal", "Web form", "2026-10-05 09:12:44", "2026-10-05 15:02:10", "Good", 0,
          47, 47, 350),
        t(40102, "이도윤", 9002, "Minji Kim", "Support", "로그인 오류", "login", "Solved", "High", "Chat",
          "2026-10-05 10:00:00", "2026-10-05 10:25:00", "Offered", 0, 1, 1, 25),
        t(40103, "박서준", 9003, "Minji Kim", "Support", "Order status, \"urgent\"", "delivery", "Solved",
          "Urgent", "Voice", "2026-10-05 11:30:00", "2026-10-05 11:41:00", "Good with comment", 0, 0,
          0, 11),
        t(40104, "최유나", 9004, "Jiwoo Park", "Billing", "카드 결제 실패", "payment", "Solved", "Normal",
          "Mail", "2026-10-05 18:40:00", "2026-10-07 10:00:00", "Bad", 1, 860, 60, 2360),
        t(40105, "정우진", 9005, "Jiwoo Park", "Billing", "=HYPERLINK(\"http://evil.example\",\"click\")",
          "refund", "Solved", "Low", "Web form", "2026-10-06 09:00:00", "2026-10-06 12:00:00",
          "Unoffered", 0, 30, 30, 180),
        t(40106, "강민서", 9006, "", "", "Where is my parcel?", "delivery", "Open", "Normal", "Mobile SDK",
          "2026-10-06 20:15:00", "", "Unoffered", 0, "", "", ""),
        # rejected: the export lost the creation time of this ticket
        t(40107, "윤지호", 9007, "Minji Kim", "Support", "Password reset", "login", "Solved", "Normal",
          "Web form", "", "2026-10-06 11:00:00", "Unoffered", 0, 5, 5, 30),
        # rejected: first reply time is not a number
        t(40108, "한수아", 9008, "Minji Kim", "Support", "Coupon", "promo", "Solved", "Normal", "Chat",
          "2026-10-06 13:00:00", "2026-10-06 13:20:00", "Good", 0, "n/a", "n/a", 20),
        t(40109, "오세훈", 9001, "Jiwoo Park", "Billing", "환불 재문의", "refund", "Solved", "Normal",
          "Web form", "2026-10-08 09:30:00", "2026-10-08 11:30:00", "Good", 0, 15, 15, 120),
    ]  # fmt: skip
    write_csv("zendesk_tickets.csv", header, rows)


def freshdesk() -> None:
    header = [
        "Ticket ID", "Subject", "Status", "Priority", "Source", "Type", "Agent", "Group",
        "Created time", "Due by Time", "Resolved time", "Closed time", "Last update time",
        "Initial response time", "Time tracked", "First response time (in hrs)",
        "Resolution time (in hrs)", "Agent interactions", "Customer interactions",
        "Resolution status", "First response status", "Tags", "Survey results", "Product",
        "Full name", "Contact ID", "Email",
    ]  # fmt: skip
    rows = [
        [501, "배송 문의", "Closed", "Medium", "Email", "Question", "Sora Lee", "CS Team",
         "2026-10-05 09:05:00", "2026-10-06 09:05:00", "2026-10-05 13:00:00", "2026-10-05 13:00:00",
         "2026-10-05 13:00:00", "2026-10-05 10:35:00", "00:12:30", "01:30:00", "03:55:00", 2, 1,
         "Within SLA", "Within SLA", "배송,지연", "Happy", "Shop", "김민지", 7001, "a@example.kr"],
        [502, "Refund not received", "Resolved", "High", "Portal", "Refund", "Sora Lee", "Billing",
         "2026-10-05 11:00:00", "2026-10-05 19:00:00", "2026-10-06 10:00:00", "",
         "2026-10-06 10:00:00", "2026-10-05 11:20:00", "00:25:00", "00:20:00", "23:00:00", 3, 2,
         "SLA Violated", "Within SLA", "refund", "Unhappy", "Shop", "Tom Choi", 7002, "b@example.kr"],
        [503, "Call back please", "Closed", "Urgent", "Phone", "Incident", "Hyun Woo", "CS Team",
         "2026-10-05 14:00:00", "2026-10-05 16:00:00", "2026-10-05 14:30:00", "2026-10-05 14:30:00",
         "2026-10-05 14:30:00", "2026-10-05 14:02:00", "00:08:00", "00:02:00", "00:30:00", 1, 1,
         "Within SLA", "Within SLA", "", "Extremely happy", "Shop", "Lee Na", 7003, "c@example.kr"],
        [504, "Chat transcript", "Open", "Low", "Chat", "Question", "", "CS Team",
         "2026-10-06 09:00:00", "2026-10-07 09:00:00", "", "", "2026-10-06 09:00:00", "", "", "", "",
         0, 1, "", "", "", "", "Shop", "Park Ji", 7004, "d@example.kr"],
        # rejected: Initial response time is before Created time
        [505, "Wrong clock", "Closed", "Medium", "Email", "Question", "Hyun Woo", "CS Team",
         "2026-10-06 10:00:00", "2026-10-07 10:00:00", "2026-10-06 12:00:00", "2026-10-06 12:00:00",
         "2026-10-06 12:00:00", "2026-10-06 09:00:00", "00:05:00", "", "", 1, 1, "", "", "", "",
         "Shop", "Kim Bo", 7005, "e@example.kr"],
        # rejected: Time tracked is not hh:mm:ss
        [506, "Invoice copy", "Closed", "Medium", "Feedback Widget", "Question", "Sora Lee",
         "Billing", "2026-10-06 15:00:00", "2026-10-07 15:00:00", "2026-10-06 16:00:00", "",
         "2026-10-06 16:00:00", "2026-10-06 15:10:00", "about 5 min", "", "", 1, 1, "", "", "", "",
         "Shop", "Jo Ha", 7006, "f@example.kr"],
    ]  # fmt: skip
    write_csv("freshdesk_tickets.csv", header, rows)


def chatwoot() -> None:
    header = ["Conversation ID", "Inbox", "Channel type", "Status", "Assignee", "Team", "Contact ID",
              "Labels", "Priority", "Created at", "First reply created at", "Resolved at",
              "CSAT rating"]  # fmt: skip
    # epoch seconds; 1791158400 = 2026-10-05 00:00:00 UTC (09:00 in Seoul)
    base = 1791158400
    rows = [
        [11, "Website", "Channel::WebWidget", "resolved", "agent.kim", "Support", 301, "billing,refund",
         "medium", base, base + 45, base + 900, 5],
        [12, "Website", "Channel::WebWidget", "resolved", "agent.lee", "Support", 302, "login", "",
         base + 600, base + 610, base + 1500, 4],
        [13, "Mail", "Channel::Email", "open", "agent.kim", "Support", 303, "delivery", "high",
         base + 3600, base + 9000, "", ""],
        [14, "WhatsApp", "Channel::Whatsapp", "resolved", "agent.lee", "Support", 304, "", "urgent",
         base + 7200, base + 7230, base + 7800, 2],
        # rejected: unknown channel type (no mapping for it)
        [15, "Voice", "Channel::Voice", "resolved", "agent.lee", "Support", 305, "", "",
         base + 8000, base + 8005, base + 8100, ""],
        # rejected: CSAT rating 9
        [16, "Website", "Channel::WebWidget", "resolved", "agent.kim", "Support", 306, "billing", "",
         base + 9000, base + 9060, base + 9600, 9],
    ]  # fmt: skip
    write_csv("chatwoot_conversations.csv", header, rows)


def channelio() -> None:
    header = ["id", "userId", "state", "assigneeId", "teamId", "mediumType", "tags", "createdAt",
              "openedAt", "firstRepliedAt", "closedAt", "waitingTime", "resolutionTime",
              "operationWaitingTime", "operationResolutionTime", "likeScore"]  # fmt: skip
    d = datetime
    rows = [
        ["6520a1", "u-1001", "closed", "mgr-1", "cs", "native", "결제,환불", d(2026, 10, 5, 9, 0, 0),
         d(2026, 10, 5, 9, 0, 5), d(2026, 10, 5, 9, 1, 35), d(2026, 10, 5, 9, 20, 0), 95000, 1200000,
         95000, 1200000, 5],
        ["6520a2", "u-1002", "closed", "mgr-2", "cs", "app", "배송", d(2026, 10, 5, 13, 10, 0),
         d(2026, 10, 5, 13, 10, 2), d(2026, 10, 5, 13, 12, 0), d(2026, 10, 5, 13, 30, 0), 120000,
         1200000, 120000, 1200000, 4],
        ["6520a3", "u-1003", "opened", "", "vip", "kakao", "", d(2026, 10, 5, 22, 5, 0),
         d(2026, 10, 5, 22, 5, 0), None, None, None, None, None, None, None],
        # rejected: first reply before the chat was created
        ["6520a4", "u-1004", "closed", "mgr-1", "cs", "native", "계정", d(2026, 10, 6, 10, 0, 0),
         d(2026, 10, 6, 10, 0, 0), d(2026, 10, 6, 9, 0, 0), d(2026, 10, 6, 10, 30, 0), 0, 1800000,
         0, 1800000, 3],
    ]  # fmt: skip
    plain = HERE / "channelio_userchats.xlsx"
    write_xlsx(plain, header, rows, sheet="UserChat")
    from msoffcrypto.format.ooxml import OOXMLFile

    enc = HERE / "channelio_userchats_encrypted.xlsx"
    with plain.open("rb") as f, enc.open("wb") as out:
        office = OOXMLFile(f)
        office.encrypt(CHANNELIO_PASSWORD, out)


def intercom() -> None:
    header = ["Conversation ID", "Conversation started at", "Conversation first closed at",
              "Channel", "Team currently assigned", "Teammate currently assigned", "User ID",
              "Conversation tags", "Conversation rating", "Time to first response (seconds)",
              "Median time to reply (seconds)", "Fin AI Agent involved", "Fin AI Agent resolution",
              "State"]  # fmt: skip
    rows = [
        ["215467", "2026-10-05 09:00:00", "2026-10-05 09:30:00", "Chat", "Support", "Dana", "usr_1",
         "billing", 5, 60, 90, "false", "false", "closed"],
        ["215468", "2026-10-05 09:10:00", "2026-10-05 09:12:00", "Chat", "Support", "", "usr_2",
         "faq", "", 0, 0, "true", "true", "closed"],
        ["215469", "2026-10-05 10:00:00", "", "Email", "Billing", "Dana", "usr_3", "refund", "", 5400,
         5400, "false", "false", "open"],
        # rejected: conversation rating 0 is outside 1-5
        ["215470", "2026-10-05 11:00:00", "2026-10-05 11:20:00", "Chat", "Support", "Eli", "usr_4",
         "", 0, 30, 30, "false", "false", "closed"],
    ]  # fmt: skip
    write_csv("intercom_conversations.csv", header, rows)


def genesys() -> None:
    header = ["interval", "queueId", "queueName", "mediaType", "nOffered", "tAnswered.count",
              "tAnswered.sum", "tAbandon.count", "tShortAbandon.count", "oServiceLevel.numerator",
              "oServiceLevel.denominator", "oServiceLevel.ratio", "tHandle.count", "tHandle.sum"]  # fmt: skip
    rows = [
        ["2026-10-05T00:00:00.000Z/2026-10-05T00:30:00.000Z", "7c1e-aa", "Voice_General", "voice",
         20, 17, 204000, 3, 1, 14, 19, 0.7368, 17, 5100000],
        ["2026-10-05T00:30:00.000Z/2026-10-05T01:00:00.000Z", "7c1e-aa", "Voice_General", "voice",
         25, 24, 240000, 1, 0, 22, 25, 0.88, 24, 7200000],
        ["2026-10-05T00:00:00.000Z/2026-10-05T00:30:00.000Z", "9d2f-bb", "Voice_VIP", "voice",
         4, 4, 20000, 0, 0, 4, 4, 1.0, 4, 1500000],
        # rejected: more answered within SL than answered
        ["2026-10-05T00:30:00.000Z/2026-10-05T01:00:00.000Z", "9d2f-bb", "Voice_VIP", "voice",
         5, 5, 25000, 0, 0, 6, 5, 1.2, 5, 1600000],
    ]  # fmt: skip
    write_csv("genesys_queue_intervals.csv", header, rows)


def connect() -> None:
    header = ["Queue", "StartInterval", "EndInterval", "Contacts queued", "Contacts handled",
              "Contacts abandoned", "Contacts answered in 20 seconds",
              "Contacts abandoned in 5 seconds", "Contacts abandoned in 20 seconds",
              "Average queue answer time", "Average handle time", "Service level 20 seconds"]  # fmt: skip
    rows = [
        ["BasicQueue", "2026-10-05 09:00", "2026-10-05 09:30", 30, 27, 3, 21, 1, 2, 14, 290, "70.00%"],
        ["BasicQueue", "2026-10-05 09:30", "2026-10-05 10:00", 28, 28, 0, 25, 0, 0, 9, 300, "89.29%"],
        ["VIPQueue", "2026-10-05 09:00", "2026-10-05 09:30", 6, 6, 0, 6, 0, 0, 4, 420, "100.00%"],
        # rejected: negative count from a broken report row
        ["VIPQueue", "2026-10-05 09:30", "2026-10-05 10:00", 5, -1, 0, 0, 0, 0, 5, 400, "0.00%"],
    ]  # fmt: skip
    write_csv("connect_queue_intervals.csv", header, rows)


def cisco() -> None:
    header = ["Interval Start Time", "Interval End Time", "CSQ Name", "Service Level (sec)",
              "Calls Presented", "Calls Handled", "Calls Abandoned", "Calls Dequeued",
              "Avg Queue Time", "Avg Handle Time", "Calls Handled Within SL",
              "Calls Abandoned Within SL", "Percentage of Service Level Met - Only Handled",
              "Percentage of Service Level Met - With Abandoned Calls"]  # fmt: skip
    rows = [
        ["10/05/2026 09:00:00 AM", "10/05/2026 09:30:00 AM", "CSQ_Sales", 20, 15, 13, 2, 0,
         "0:00:11", "0:04:00", 11, 1, "84.62%", "73.33%"],
        ["10/05/2026 09:30:00 AM", "10/05/2026 10:00:00 AM", "CSQ_Sales", 20, 18, 18, 0, 0,
         "0:00:07", "0:03:30", 17, 0, "94.44%", "94.44%"],
        ["10/05/2026 01:00:00 PM", "10/05/2026 01:30:00 PM", "CSQ_Support", 30, 9, 8, 1, 0,
         "0:00:25", "0:06:15", 5, 0, "62.50%", "55.56%"],
        # rejected: an interval start that is not a time
        ["--", "--", "CSQ_Support", 30, 0, 0, 0, 0, "0:00:00", "0:00:00", 0, 0, "0%", "0%"],
    ]  # fmt: skip
    write_csv("cisco_csq_intervals.csv", header, rows)


def wfm() -> None:
    header = ["Agent ID", "Agent Name", "Site", "Skill", "Interval Start", "Interval (min)",
              "Scheduled (min)", "Logged In (min)", "Available (min)"]  # fmt: skip
    rows = [
        ["A001", "김민준", "SEOUL", "Q_VOICE_GEN", "2026-10-05 09:00", 30, 30, 30, 25],
        ["A001", "김민준", "SEOUL", "Q_VOICE_GEN", "2026-10-05 09:30", 30, 30, 28, 24],
        ["A002", "이서연", "SEOUL", "Q_CHAT_GEN", "2026-10-05 09:00", 30, 30, 30, 27],
        ["B010", "박지훈", "BUSAN", "Q_EMAIL", "2026-10-05 09:00", 30, 30, 0, 0],
        # rejected: negative scheduled minutes
        ["B010", "박지훈", "BUSAN", "Q_EMAIL", "2026-10-05 09:30", 30, -30, 0, 0],
    ]
    write_csv("wfm_schedule.csv", header, rows)


def qa_sheet() -> None:
    header = ["평가ID", "상담ID", "상담사ID", "센터", "평가자ID", "평가자 소속", "평가일시",
              "인사 및 친절", "공감", "명확한 설명", "간결함", "정확한 안내", "본인 확인",
              "상담 이력 기록", "올바른 태그", "해결책 제시", "치명적 오류", "코멘트"]  # fmt: skip
    d = datetime
    rows = [
        ["QA-2026-001", "S-0001", "A001", "SEOUL", "QA01", "자사", d(2026, 10, 6, 15, 0), 1, 5, 4, 4,
         18, 1, 1, 1, 1, "N", "모범 응대"],
        ["QA-2026-002", "S-0002", "A002", "SEOUL", "QA01", "자사", d(2026, 10, 8, 10, 0), 1, 3, 3, 4,
         12, 0, 1, 1, "해당없음", "Y", "본인 확인 누락"],
        ["QA-2026-003", "S-0004", "B010", "BUSAN", "VQA7", "협력사", d(2026, 10, 8, 11, 0), 1, 4, 4, 3,
         16, 1, 1, 0, 1, "N", "태그 오류"],
        # rejected: item score "good" is not a number
        ["QA-2026-004", "S-0005", "A003", "SEOUL", "QA02", "자사", d(2026, 10, 9, 9, 0), 1, "good", 4,
         4, 15, 1, 1, 1, 1, "N", ""],
    ]  # fmt: skip
    write_xlsx(HERE / "qa_evaluation_sheet.xlsx", header, rows, sheet="평가")


def survey() -> None:
    header = ["Response ID", "Submitted At", "Survey", "Score", "Ticket ID", "Customer ID", "Center",
              "Channel", "Comment"]  # fmt: skip
    rows = [
        ["R-1", "2026-10-05 09:10:00", "CSAT", 5, "S-0001", "U100", "SEOUL", "Phone", "친절했어요"],
        ["R-2", "2026-10-07 15:00:00", "CES", 6, "S-0002", "U100", "SEOUL", "Chat", ""],
        ["R-3", "2026-10-10 12:00:00", "NPS", 10, "", "U200", "SEOUL", "", "추천합니다"],
        ["R-4", "2026-10-10 12:05:00", "NPS", 3, "", "U300", "BUSAN", "", "=1+1"],
        # rejected: CSAT 7 is outside 1-5
        ["R-5", "2026-10-11 08:00:00", "CSAT", 7, "S-0004", "U300", "BUSAN", "Email", ""],
    ]  # fmt: skip
    write_csv("survey_responses.csv", header, rows)


def korean_helpdesk() -> None:
    header = ["접수번호", "접수일시", "상담채널", "상담큐", "센터", "상담유형", "고객번호", "고객등급",
              "상담사ID", "대기시간(초)", "응답일시", "포기일시", "응대시간", "처리완료일시", "만족도",
              "재문의여부"]  # fmt: skip
    rows = [
        ["K-0001", "2026-10-05 09:00:00", "전화", "일반", "SEOUL", "결제/환불", "C-77", "일반", "A001", 20,
         "2026-10-05 09:00:20", "", "00:05:00", "2026-10-05 09:05:20", 5, "N"],
        ["K-0002", "2026-10-05 09:03:00", "전화", "VIP", "SEOUL", "배송/지연", "C-78", "VIP", "A004", 8,
         "2026-10-05 09:03:08", "", "00:03:30", "2026-10-05 09:06:38", 4, "N"],
        ["K-0003", "2026-10-05 09:05:00", "전화", "일반", "SEOUL", "", "C-79", "일반", "", 45, "",
         "2026-10-05 09:05:45", "", "", "", "N"],
        ["K-0004", "2026-10-05 10:00:00", "카카오톡", "카카오", "SEOUL", "결제/카드", "C-77", "일반",
         "A002", 300, "2026-10-05 10:05:00", "", "00:12:00", "2026-10-05 10:17:00", 3, "Y"],
        # rejected: 만족도 0 is outside 1-5
        ["K-0005", "2026-10-05 11:00:00", "이메일", "메일", "SEOUL", "계정/로그인", "C-80", "일반", "A003",
         3600, "2026-10-05 12:00:00", "", "00:10:00", "2026-10-05 12:10:00", 0, "N"],
        # rejected: 팩스 is not a channel ccops knows
        ["K-0006", "2026-10-05 11:30:00", "팩스", "일반", "SEOUL", "기타", "C-81", "일반", "A001", 0, "",
         "", "", "", "", "N"],
    ]  # fmt: skip
    write_csv("korean_helpdesk_cp949.csv", header, rows, encoding="cp949")


def main() -> None:
    canonical()
    zendesk()
    freshdesk()
    chatwoot()
    channelio()
    intercom()
    genesys()
    connect()
    cisco()
    wfm()
    qa_sheet()
    survey()
    korean_helpdesk()


if __name__ == "__main__":
    main()
