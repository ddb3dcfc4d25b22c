"""The Korean wording of a penalty statement carries the engine's numbers (tests/sla has the
arithmetic itself; here: the same amounts, line by line, in the Korean text)."""

from __future__ import annotations

import re

from ops.sla.compliance import penalty_statement
from ops.sla.contracts import parse_contract
from ops.sla.statement_ko import statement_lines_ko

CONTRACT = parse_contract(
    {"contract_id": "B", "center_id": "BUSAN", "version": 1, "effective_from": "2026-01-01",
     "monthly_fee": 10_000_000, "currency": "KRW", "penalty_cap_pct": 8,
     "metrics": [
         # 80 % target, actual 74 %: 6 pt short -> tier 5-10 pt = 5 % of the fee = 500,000
         {"metric": "service_level", "target": 0.8, "threshold": "20s",
          "penalty": {"tiers": [{"from_pt": 0, "to_pt": 5, "pct_of_fee": 2},
                                {"from_pt": 5, "to_pt": 10, "pct_of_fee": 5}]}},
         # actual 95 % vs 90 %: met by 5 pt, bonus 1 % of the fee = 100,000 (from 3 pt above)
         {"metric": "response_rate", "target": 0.9, "threshold": "16h",
          "bonus": {"above_pt": 3, "pct_of_fee": 1}},
         # no data this month
         {"metric": "csat", "target": 0.85},
     ]}
)  # fmt: skip


def test_korean_lines_word_the_same_numbers() -> None:
    st = penalty_statement(CONTRACT, "2026-10", {0: 0.74, 1: 0.95, 2: None})
    assert st.penalty_total == 500_000 and st.bonus_total == 100_000  # hand: 5 % and 1 % of 10M
    ko = statement_lines_ko(st)
    assert len(ko) == len(st.text) == 4
    for en, k in zip(st.text, ko, strict=True):
        amounts = re.findall(r"[\d,]+ KRW", en)
        assert amounts == re.findall(r"[\d,]+ KRW", k), (en, k)
    assert "6.0pt 미달" in ko[0] and "500,000 KRW" in ko[0]
    assert "달성 (여유 +5.0pt)" in ko[1] and "보너스 월 수수료의 1% = 100,000 KRW" in ko[1]
    assert "이번 달 데이터 없음" in ko[2]
    assert ko[3] == (
        "페널티 500,000 KRW; 한도 월 수수료의 8% = 800,000 KRW → 500,000 KRW; "
        "보너스 100,000 KRW; 순 조정액 -400,000 KRW"
    )


def test_korean_labels_and_the_provisional_warning() -> None:
    from ops.sla.statement_ko import provisional_ko

    st = penalty_statement(CONTRACT, "2026-10", {0: 0.74, 1: 0.95, 2: None})
    # the lines carry the contract line's Korean label; the wording uses it
    assert [ln.label_ko for ln in st.lines][:2] == [
        "서비스 레벨 20초", "16영업시간 이내 응답률"
    ]  # fmt: skip
    assert statement_lines_ko(st)[0].startswith("서비스 레벨 20초 74.0%")
    assert provisional_ko(st) == []  # compliance marks statements provisional, not this call
    st.provisional, st.days_in_month, st.days_with_data = True, 31, 12
    assert provisional_ko(st) == [
        "잠정: BUSAN의 데이터가 2026-10의 31일 중 12일만 포함하므로 확정된 명세가 아닙니다."
    ]
