"""The demo company: centers, calendars, queues, routing, the tag taxonomy and the "true" parameters.

Everything here is fixed data (not drawn from the seed), so two demos built with different seeds
describe the same company with different days. The simulator reads these definitions; tests and the
staffing helper may import the parameters (``QUEUES[...].aht_s``, ``.patience_s``) as the ground truth
that a planner would estimate from the data.

All demand shapes are in Korea time (the customers are in Korea) even for the Manila center.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# --- centers -----------------------------------------------------------------------------------

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class CenterDef:
    center_id: str
    name: str
    name_ko: str
    kind: str
    vendor_name: str | None
    timezone: str
    utc_offset_h: int  # fixed offset of ``timezone`` (no DST in Korea or the Philippines)
    hourly_cost: float
    weekly: dict[str, list[list[str]]]
    holidays: str | None
    aht_factor: float  # center's handle time relative to the queue's mean
    qa_leniency: float  # vendor QA's extra points on its own agents (0 for in-house)
    agents: int  # roster seats at scale 1

    def calendar(self) -> dict:
        return {
            "timezone": self.timezone,
            "weekly": self.weekly,
            "holidays": self.holidays,
            "closed_dates": [],
        }

    def calendar_json(self) -> str:
        return json.dumps(self.calendar(), ensure_ascii=False)


_DAY = [["09:00", "18:00"]]
_NIGHT = [["00:00", "08:00"], ["17:00", "24:00"]]  # Manila time = 18:00-09:00 KST

CENTERS: tuple[CenterDef, ...] = (
    CenterDef(
        "SEOUL", "Seoul HQ contact center", "서울 본사 고객센터", "in_house", None, "Asia/Seoul", 9,
        32000.0, {d: (_DAY if d not in ("sat", "sun") else []) for d in WEEKDAYS}, "KR",
        1.0, 0.0, 48,
    ),
    CenterDef(
        "BUSAN", "Busan CS Partners", "부산CS파트너스 고객센터", "vendor", "부산CS파트너스",
        "Asia/Seoul", 9, 24000.0,
        {d: (_DAY if d not in ("sat", "sun") else ([["09:00", "13:00"]] if d == "sat" else []))
         for d in WEEKDAYS},
        "KR", 1.05, 9.0, 37,
    ),
    CenterDef(
        "MANILA", "Manila BPO night center", "마닐라 야간 센터", "vendor", "Manila BPO Inc.",
        "Asia/Manila", 8, 15000.0, {d: _NIGHT for d in WEEKDAYS}, None, 1.1, 12.0, 30,
    ),
)  # fmt: skip
CENTER_IDS = tuple(c.center_id for c in CENTERS)
CENTER_INDEX = {c.center_id: i for i, c in enumerate(CENTERS)}
BOT_CENTER = "SEOUL"  # the in-house team owns the bot and self-serve flows

# --- channels ----------------------------------------------------------------------------------

# Intraday demand shape by KST hour (relative weights), per channel.
INTRADAY_KST: dict[str, tuple[float, ...]] = {
    "voice": (0.8, 0.5, 0.35, 0.3, 0.3, 0.4, 0.8, 1.8, 4.0, 8.5, 10.0, 9.6,
              7.5, 8.2, 9.4, 9.8, 9.2, 8.0, 5.5, 3.8, 3.2, 2.8, 2.0, 1.3),
    "chat": (2.5, 1.5, 0.9, 0.6, 0.5, 0.6, 1.2, 2.5, 4.5, 6.5, 7.5, 7.5,
             7.0, 7.5, 8.0, 8.0, 7.8, 7.5, 7.5, 8.5, 9.5, 10.0, 9.0, 5.5),
    "inapp": (3.0, 1.8, 1.0, 0.7, 0.6, 0.7, 1.4, 3.0, 4.5, 5.5, 6.0, 6.5,
              6.8, 6.5, 6.5, 6.5, 6.5, 7.0, 8.0, 9.5, 10.0, 10.0, 8.5, 5.5),
    "kakaotalk": (2.0, 1.2, 0.8, 0.5, 0.5, 0.6, 1.2, 3.0, 5.5, 8.0, 9.0, 9.0,
                  8.5, 9.0, 9.5, 9.5, 9.0, 8.5, 8.0, 8.5, 8.5, 8.0, 6.0, 3.5),
    "email": (1.5, 1.0, 0.8, 0.7, 0.7, 0.9, 1.5, 3.0, 5.5, 7.5, 8.0, 8.0,
              7.5, 8.0, 8.0, 7.8, 7.5, 7.0, 5.5, 4.5, 4.0, 3.5, 3.0, 2.2),
}  # fmt: skip
# Day-of-week multipliers (Mon..Sun).
WEEKLY: dict[str, tuple[float, ...]] = {
    "voice": (1.22, 1.08, 1.02, 1.0, 0.95, 0.62, 0.48),
    "chat": (1.10, 1.02, 1.0, 1.0, 0.98, 0.90, 0.88),
    "inapp": (1.05, 1.0, 0.98, 0.98, 1.0, 0.98, 1.0),
    "kakaotalk": (1.12, 1.04, 1.0, 1.0, 0.97, 0.82, 0.75),
    "email": (1.20, 1.08, 1.04, 1.0, 0.95, 0.45, 0.38),
}
# Month-of-year seasonality (Jan..Dec), interpolated smoothly between mid-months.
MONTHLY = (1.04, 1.0, 0.98, 0.97, 1.0, 0.95, 0.93, 0.95, 1.02, 1.0, 1.08, 1.12)
TREND_PER_YEAR = 0.12  # volume grows 12 % a year; base volumes are those at the demo's end date
BOT_LABEL = {"voice": "self_serve", "chat": "bot", "inapp": "self_serve", "kakaotalk": "bot"}

# --- queues ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueDef:
    """A queue and its "true" parameters.

    ``daily``: mean contacts/day at scale 1 on an average weekday at the demo's end date, bot included.
    ``aht_s``: mean handle time (exponential) of an agent contact in this queue, before the center's
    ``aht_factor`` and a +-8 % tag factor. ``patience_s``: mean customer patience (exponential; live
    queues only). ``served_by``: center -> routing weight among the centers open at that moment.
    ``sl_target``/``answer_s``: the target the demo planner sized the schedule for.
    ``bot_share``: share starting in the bot/self-serve flow.
    """

    queue_id: str
    name: str
    name_ko: str
    channel: str
    mode: str
    concurrency: int
    segment: str
    daily: float
    aht_s: float
    patience_s: float
    served_by: dict[str, float]
    sl_target: float
    answer_s: float
    bot_share: float
    level1_mix: dict[str, float] = field(default_factory=dict)


_CONSUMER = {"ORD": 3, "DLV": 3.5, "PAY": 2.2, "RET": 1.6, "ACC": 1.2, "APP": 0.8, "BEN": 1.0,
             "MEM": 0.6, "ETC": 0.4}  # fmt: skip
_DAYNIGHT2 = {"SEOUL": 0.55, "BUSAN": 0.45, "MANILA": 1.0}
INF = float("inf")

QUEUES: tuple[QueueDef, ...] = (
    QueueDef("VOICE_GENERAL", "General voice", "일반 전화상담", "voice", "live", 1, "general",
             620, 300, 150, _DAYNIGHT2, 0.8, 20, 0.10, _CONSUMER),
    QueueDef("VOICE_ORDER", "Orders & delivery voice", "주문/배송 전화상담", "voice", "live", 1,
             "general", 400, 270, 150, {"SEOUL": 0.4, "BUSAN": 0.6, "MANILA": 1.0}, 0.8, 20, 0.12,
             {"ORD": 4, "DLV": 5, "RET": 1.5, "ETC": 0.2}),
    QueueDef("VOICE_PAYMENT", "Payments & refunds voice", "결제/환불 전화상담", "voice", "live", 1,
             "general", 290, 360, 150, {"SEOUL": 0.7, "BUSAN": 0.3, "MANILA": 1.0}, 0.8, 20, 0.08,
             {"PAY": 6, "RET": 2, "BEN": 0.8, "MEM": 0.6, "ETC": 0.2}),
    QueueDef("VOICE_TECH", "Account & app support voice", "계정/앱 전화상담", "voice", "live", 1,
             "general", 170, 420, 150, {"SEOUL": 1.0, "MANILA": 1.0}, 0.8, 20, 0.05,
             {"ACC": 5, "APP": 4, "ETC": 0.3}),
    QueueDef("VOICE_VIP", "VIP line", "VIP 전용 상담", "voice", "live", 1, "vip",
             70, 330, 180, {"SEOUL": 1.0, "MANILA": 1.0}, 0.9, 20, 0.0, _CONSUMER),
    QueueDef("VOICE_SELLER", "Seller support voice", "판매자 전화상담", "voice", "live", 1, "seller",
             90, 390, 150, {"SEOUL": 1.0}, 0.8, 20, 0.0, {"SEL": 8, "ETC": 0.3}),
    QueueDef("CHAT_GENERAL", "General web chat", "일반 채팅상담", "chat", "live", 3, "general",
             470, 540, 300, _DAYNIGHT2, 0.8, 40, 0.50, _CONSUMER),
    QueueDef("CHAT_PAYMENT", "Payments chat", "결제 채팅상담", "chat", "live", 2, "general",
             160, 600, 300, {"SEOUL": 1.0, "MANILA": 1.0}, 0.8, 40, 0.40,
             {"PAY": 6, "RET": 2, "BEN": 1.0, "ETC": 0.2}),
    QueueDef("CHAT_VIP", "VIP chat", "VIP 채팅상담", "chat", "live", 2, "vip",
             45, 540, 360, {"SEOUL": 1.0, "MANILA": 1.0}, 0.9, 40, 0.0, _CONSUMER),
    QueueDef("INAPP_GENERAL", "In-app help", "앱 내 상담", "inapp", "live", 3, "general",
             420, 480, 240, {"SEOUL": 0.4, "BUSAN": 0.6, "MANILA": 1.0}, 0.8, 40, 0.65, _CONSUMER),
    QueueDef("INAPP_ORDER", "In-app order help", "앱 내 주문상담", "inapp", "live", 2, "general",
             250, 450, 240, {"BUSAN": 1.0, "MANILA": 1.0}, 0.8, 40, 0.60,
             {"ORD": 5, "DLV": 5, "RET": 2}),
    QueueDef("EMAIL_GENERAL", "General email", "일반 이메일 문의", "email", "async", 1, "general",
             190, 480, INF, {"SEOUL": 0.5, "BUSAN": 0.5}, 0.9, 6 * 3600, 0.0, _CONSUMER),
    QueueDef("EMAIL_PARTNER", "Seller & partner email", "판매자/제휴 이메일", "email", "async", 1,
             "seller", 70, 600, INF, {"SEOUL": 1.0}, 0.9, 6 * 3600, 0.0,
             {"SEL": 8, "ETC": 1.0}),
    QueueDef("KAKAO_GENERAL", "KakaoTalk consultation", "카카오톡 상담", "kakaotalk", "async", 1,
             "general", 460, 360, INF, {"SEOUL": 0.5, "BUSAN": 0.5, "MANILA": 1.0}, 0.9, 3 * 3600,
             0.45, _CONSUMER),
    QueueDef("KAKAO_ORDER", "KakaoTalk orders", "카카오톡 주문상담", "kakaotalk", "async", 1,
             "general", 250, 330, INF, {"BUSAN": 1.0}, 0.9, 3 * 3600, 0.40,
             {"ORD": 5, "DLV": 5, "RET": 2}),
)  # fmt: skip
QUEUE_IDS = tuple(q.queue_id for q in QUEUES)
QUEUE_INDEX = {q.queue_id: i for i, q in enumerate(QUEUES)}

# --- tags --------------------------------------------------------------------------------------
# (level1 code, level1 ko, level1 en, department,
#   [(level2 ko, level2 en, [(level3 ko, level3 en, weight, is_simple, severity), ...]), ...])
_TAXONOMY: list[Any] = [
    ("ORD", "주문", "Order", "Commerce Operations", [
        ("조회", "Lookup", [("주문상태", "Order status", 5, True, 1), ("주문내역", "Order history", 2, True, 1)]),
        ("변경", "Change", [("옵션변경", "Option change", 1.5, False, 1), ("주소변경", "Address change", 2, True, 1)]),
        ("취소", "Cancel", [("단순변심", "Change of mind", 3, True, 1), ("품절취소", "Out of stock", 1.2, False, 2)]),
    ]),
    ("DLV", "배송", "Delivery", "Logistics", [
        ("지연", "Delayed", [("출고지연", "Dispatch delay", 3, False, 2), ("택배지연", "Courier delay", 3, False, 2)]),
        ("조회", "Tracking", [("배송조회", "Tracking", 5, True, 1), ("도착예정", "ETA", 2, True, 1)]),
        ("사고", "Incident", [("파손", "Damaged", 1.2, False, 3), ("분실", "Lost", 0.8, False, 3),
                              ("오배송", "Wrong item", 1.0, False, 2)]),
    ]),
    ("PAY", "결제", "Payment", "Finance", [
        ("환불", "Refund", [("지연", "Delayed", 3, False, 2), ("부분환불", "Partial refund", 1.2, False, 2),
                            ("환불계좌", "Refund account", 1.0, True, 1)]),
        ("오류", "Error", [("이중결제", "Double charge", 0.8, False, 3), ("결제실패", "Payment failed", 1.5, False, 2)]),
        ("수단", "Method", [("카드", "Card", 1.5, True, 1), ("간편결제", "Easy pay", 1.3, True, 1),
                            ("무통장입금", "Bank transfer", 0.9, True, 1)]),
        ("영수증", "Receipt", [("증빙발급", "Tax invoice/receipt", 1.0, True, 1)]),
    ]),
    ("RET", "반품교환", "Returns", "Commerce Operations", [
        ("반품", "Return", [("반품신청", "Return request", 3, True, 1), ("수거지연", "Pickup delay", 1.5, False, 2)]),
        ("교환", "Exchange", [("사이즈교환", "Size exchange", 1.5, True, 1), ("불량교환", "Defect exchange", 1.2, False, 2)]),
    ]),
    ("ACC", "계정", "Account", "Platform", [
        ("로그인", "Login", [("비밀번호", "Password", 3, True, 1), ("본인인증", "Verification", 2, False, 2),
                              ("휴면해제", "Dormant account", 1, True, 1)]),
        ("정보", "Profile", [("정보변경", "Change details", 1.5, True, 1), ("회원탈퇴", "Close account", 1.0, False, 1)]),
        ("보안", "Security", [("도용의심", "Suspected takeover", 0.4, False, 3)]),
    ]),
    ("APP", "앱", "App", "Platform Engineering", [
        ("오류", "Error", [("실행오류", "Crash", 1.5, False, 2), ("결제화면오류", "Checkout error", 1.0, False, 3),
                           ("알림오류", "Notifications", 0.8, False, 1)]),
        ("사용법", "How-to", [("사용방법", "How to use", 2, True, 1), ("업데이트", "Update", 0.6, True, 1)]),
    ]),
    ("BEN", "혜택", "Benefits", "Marketing", [
        ("쿠폰", "Coupon", [("사용불가", "Cannot apply", 2.5, False, 1), ("발급문의", "Issuance", 1.5, True, 1)]),
        ("포인트", "Points", [("적립누락", "Missing points", 1.5, False, 1), ("소멸", "Expiry", 0.8, True, 1)]),
        ("이벤트", "Event", [("당첨확인", "Winner check", 0.8, True, 1), ("참여방법", "How to join", 0.8, True, 1)]),
    ]),
    ("MEM", "멤버십", "Membership", "Marketing", [
        ("가입", "Join", [("가입방법", "How to join", 1.5, True, 1)]),
        ("해지", "Cancel", [("해지요청", "Cancel request", 1.5, False, 1), ("해지환불", "Cancel refund", 1.0, False, 2)]),
        ("요금", "Fee", [("요금문의", "Fee question", 1.2, True, 1)]),
    ]),
    ("SEL", "판매자", "Seller", "Partner Operations", [
        ("정산", "Settlement", [("정산지연", "Settlement delay", 3, False, 2), ("정산내역", "Statement", 2, True, 1)]),
        ("입점", "Onboarding", [("입점문의", "Application", 2, True, 1), ("서류", "Documents", 1.2, True, 1)]),
        ("상품", "Listing", [("상품등록", "Listing", 2, False, 1), ("판매중지", "Listing suspended", 0.8, False, 2)]),
    ]),
    ("ETC", "기타", "Other", "CX", [
        ("의견", "Feedback", [("칭찬", "Compliment", 0.8, True, 1), ("불만", "Complaint", 1.5, False, 2),
                              ("제안", "Suggestion", 0.6, True, 1)]),
        ("제휴", "Partnership", [("제휴문의", "Partnership inquiry", 0.5, True, 1)]),
    ]),
]  # fmt: skip


@dataclass(frozen=True)
class TagDef:
    tag_id: str
    l1_code: str
    path: str
    path_en: str
    level1: str
    level2: str
    level3: str
    level1_en: str
    level2_en: str
    level3_en: str
    department: str
    is_simple: bool
    severity: int
    weight: float


def _build_tags() -> tuple[TagDef, ...]:
    out = []
    for code, l1, l1e, dept, l2s in _TAXONOMY:
        for j, (l2, l2e, l3s) in enumerate(l2s, start=1):
            for k, (l3, l3e, w, simple, sev) in enumerate(l3s, start=1):
                out.append(
                    TagDef(
                        f"{code}-{j}{k}", code, f"{l1}/{l2}/{l3}", f"{l1e}/{l2e}/{l3e}",
                        l1, l2, l3, l1e, l2e, l3e, dept, simple, sev, w,
                    )
                )  # fmt: skip
    return tuple(out)


TAGS: tuple[TagDef, ...] = _build_tags()
TAG_INDEX = {t.tag_id: i for i, t in enumerate(TAGS)}
TAG_BY_PATH_EN = {t.path_en: t for t in TAGS}
LEVEL1_CODES = tuple(dict.fromkeys(t.l1_code for t in TAGS))


def tag_id(path_en: str) -> str:
    """Tag id for an English path like ``Payment/Error/Payment failed``."""
    return TAG_BY_PATH_EN[path_en].tag_id


# --- events ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignDef:
    """A marketing campaign, anchored to a month/day (each year) or to a lunar holiday."""

    key: str
    name: str
    name_ko: str
    anchor: str  # "MM-DD" or "seollal"/"chuseok" (days before the holiday)
    offset_days: int
    length_days: int
    uplift: float  # multiplier on the listed tags
    tags: tuple[str, ...]  # English paths


CAMPAIGNS: tuple[CampaignDef, ...] = (
    CampaignDef("bf", "Black Friday sale", "블랙프라이데이 세일", "11-20", 0, 12, 1.6,
                ("Order/Lookup/Order status", "Delivery/Delayed/Dispatch delay",
                 "Delivery/Tracking/Tracking", "Benefits/Coupon/Cannot apply")),
    CampaignDef("seollal_gift", "Seollal gift sets", "설 선물세트 기획전", "seollal", -21, 14, 1.45,
                ("Order/Lookup/Order status", "Delivery/Tracking/ETA", "Delivery/Delayed/Courier delay")),
    CampaignDef("chuseok_gift", "Chuseok gift sets", "추석 선물세트 기획전", "chuseok", -21, 14, 1.5,
                ("Order/Lookup/Order status", "Delivery/Tracking/ETA", "Delivery/Delayed/Courier delay")),
    CampaignDef("spring", "Spring members sale", "봄 멤버십 페스타", "03-18", 0, 8, 1.55,
                ("Membership/Join/How to join", "Benefits/Coupon/Issuance", "Benefits/Coupon/Cannot apply")),
    CampaignDef("summer", "Summer coupon week", "여름 쿠폰 위크", "07-08", 0, 7, 1.8,
                ("Benefits/Coupon/Issuance", "Benefits/Coupon/Cannot apply", "Benefits/Event/How to join")),
)  # fmt: skip


@dataclass(frozen=True)
class OutageDef:
    name: str
    name_ko: str
    tag: str  # English path
    uplift: float
    length_days: int


OUTAGES: tuple[OutageDef, ...] = (
    OutageDef("PG payment gateway outage", "PG 결제 장애", "Payment/Error/Payment failed", 8.0, 1),
    OutageDef("Login verification outage", "본인인증 장애", "Account/Login/Verification", 5.0, 2),
    OutageDef("Courier tracking system down", "택배사 전산 장애", "Delivery/Tracking/Tracking", 4.0, 3),
    OutageDef("Coupon engine bug", "쿠폰 적용 오류", "Benefits/Coupon/Cannot apply", 6.0, 2),
    OutageDef("Double-charge bug", "이중결제 오류", "Payment/Error/Double charge", 10.0, 1),
    OutageDef("App crash after release", "앱 업데이트 후 실행 오류", "App/Error/Crash", 5.0, 2),
)  # fmt: skip

# Holiday effects on total demand (by day relative to a holiday block).
HOLIDAY_DAY_FACTOR = 0.55  # a public holiday
LUNAR_DAY_FACTOR = 0.45  # Seollal / Chuseok days
LUNAR_BEFORE = (1.25, 1.15)  # 1 and 2 days before a Seollal/Chuseok block
LUNAR_AFTER = (1.45, 1.25, 1.1)  # 1, 2, 3 days after (the backlog of questions comes in)

# --- QA ----------------------------------------------------------------------------------------
QA_SAMPLE_RATE = 0.02
QA_EVALUATORS = (  # (evaluator_id, center_id of the evaluator, leniency points)
    ("QA-KIM", "SEOUL", 8.0),
    ("QA-LEE", "SEOUL", 2.0),
    ("QA-PARK", "SEOUL", -3.0),
    ("QA-CHOI", "SEOUL", -8.0),
)
VENDOR_QA = {"BUSAN": "BUS-QA1", "MANILA": "MNL-QA1"}
CALIBRATION_CONTACTS = 10
