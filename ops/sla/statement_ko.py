"""A penalty statement's arithmetic worded in Korean, from its structured lines.

``ops.sla.compliance.penalty_statement`` writes the arithmetic in English (``text``); every number
in it is also a field of the statement and its lines, so the Korean pages and reports word the same
numbers with the same formatting instead of showing English sentences. Line labels are the
contract's Korean ones (``StatementLine.label_ko``) when there are.
"""

from __future__ import annotations

from typing import Any

from ops.sla.compliance import _money, fmt_value  # the engine's own formatting of amounts


def statement_lines_ko(st: Any) -> list[str]:
    """The lines of :attr:`PenaltyStatement.text` in Korean (one per contract line, then totals)."""
    fee, cur = st.monthly_fee, st.currency
    out = []
    for ln in st.lines:
        label = getattr(ln, "label_ko", "") or ln.label
        tgt = fmt_value(ln.metric, ln.target)
        if ln.actual is None:
            out.append(f"{label}: 이번 달 데이터 없음 (목표 {tgt}): 평가하지 않음")
            continue
        act = fmt_value(ln.metric, ln.actual)
        s = ln.shortfall_pt or 0.0
        if s > 0 and ln.tier is None:
            out.append(f"{label} {act} (목표 {tgt}): {s:.1f}pt 미달 (페널티 없음)")
        elif s > 0:
            full = fee * ln.pct_of_fee / 100.0
            text = (
                f"{label} {act} (목표 {tgt}): {s:.1f}pt 미달 → 구간 {ln.tier} = 월 수수료 "
                f"{_money(fee, cur)}의 {ln.pct_of_fee:g}% = {_money(full, cur)}"
            )
            if ln.penalty < full - 1e-6 and fee > 0:  # the line's cap applied
                text += f"; 라인 한도 {ln.penalty / fee * 100:g}% = {_money(ln.penalty, cur)}"
            out.append(text)
        else:
            text = f"{label} {act} (목표 {tgt}): 달성 (여유 {-s:+.1f}pt)"
            if ln.bonus > 0 and fee > 0:
                text += (
                    f"; 목표 초과 → 보너스 월 수수료의 {ln.bonus / fee * 100:g}% = "
                    f"{_money(ln.bonus, cur)}"
                )
            out.append(text)
    cap = (
        f"; 한도 월 수수료의 {st.penalty_cap / fee * 100:g}% = {_money(st.penalty_cap, cur)}"
        if st.penalty_cap is not None and fee > 0
        else ""
    )
    out.append(
        f"페널티 {_money(st.penalty_before_cap, cur)}{cap} → {_money(st.penalty_total, cur)}; "
        f"보너스 {_money(st.bonus_total, cur)}; 순 조정액 {_money(st.net_adjustment, cur)}"
    )
    return out


def provisional_ko(st: Any) -> list[str]:
    """The statement's PROVISIONAL warning in Korean (the English one is the first ``text`` line),
    or nothing when the data covers the whole month."""
    if not getattr(st, "provisional", False):
        return []
    return [
        f"잠정: {st.center_id}의 데이터가 {st.month}의 {st.days_in_month}일 중 "
        f"{st.days_with_data}일만 포함하므로 확정된 명세가 아닙니다."
    ]
