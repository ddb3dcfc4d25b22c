"""Korean and English names of the store's channel and segment ids, and of a scope built from them.

The store keeps ids in English (``voice``, ``kakaotalk``, ``vip``); reports, contract line labels and
the dashboard name them for people with these maps (one place, so every page says 전화 for voice).
"""

from __future__ import annotations

CHANNEL_KO = {
    "voice": "전화",
    "chat": "채팅",
    "email": "이메일",
    "kakaotalk": "카카오톡",
    "messenger": "메신저",
    "inapp": "인앱",
    "social": "소셜",
    "ticket": "티켓",
}
CHANNEL_EN = {"kakaotalk": "KakaoTalk", "inapp": "in-app"}
SEGMENT_KO = {"vip": "VIP", "general": "일반"}
KIND_EN = {"in_house": "In-house", "vendor": "Vendor"}
KIND_KO = {"in_house": "자체 센터", "vendor": "협력사"}


def channel_en(channel: str) -> str:
    return CHANNEL_EN.get(channel, channel)


def channel_ko(channel: str) -> str:
    return CHANNEL_KO.get(channel, channel)


def scope_ko(scope: str) -> str:
    """A contract line's scope label ("voice / vip") in Korean ("전화 / VIP"); "" for all."""
    if not scope or scope == "all":
        return ""
    parts = []
    for part in scope.split(" / "):
        toks = [CHANNEL_KO.get(t, SEGMENT_KO.get(t, t)) for t in part.split(",")]
        parts.append(",".join(toks))
    return " / ".join(parts)


PERIOD_KO = {"day": "일", "week": "주"}


def breach_period_ko(period: str) -> str:
    """A breach's period as the report writes it ("2026-11", "day 2026-11-04", "2026-11-04 10:00")
    in Korean ("일 2026-11-04")."""
    head, _, rest = period.partition(" ")
    return f"{PERIOD_KO[head]} {rest}" if rest and head in PERIOD_KO else period
