"""Column headers of the dashboard's tables, in English and Korean.

Pages hand :func:`dashboard.components.tables.data_table` frames whose columns carry the data
model's field names (``center_id``, ``margin_pt``, ``yhat_lo``): the same names as the CLI's JSON
and CSV and the downloads under each table, so a number on screen can be found in a script's output.
On screen each column gets a header in the UI language from here:

- a registry metric (``service_level``, ``aht_s``) is named by the registry's own label, its
  ``<metric>_num`` / ``<metric>_den`` as its numerator / denominator;
- any other field by :data:`COLUMN_LABELS`;
- a column a page already named for people (it has a space or a capital, e.g. a metric label the
  page put in the UI language) is left as it is.

``tests/dashboard/test_pages.py`` (``test_every_table_column_has_a_korean_header``) visits every page and tab and fails on a field name that has
no header here.
"""

from __future__ import annotations

import re
from typing import Any

from dashboard.i18n import current_lang

# field name: (English, Korean). Units in brackets where the values carry one.
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    # --- who / where ----------------------------------------------------------------------
    "center": ("Center", "센터"),
    "center_id": ("Center ID", "센터 ID"),
    "center_kind": ("Center kind", "센터 유형"),
    "kind": ("Kind", "유형"),
    "vendor": ("Vendor", "협력사"),
    "channel": ("Channel", "채널"),
    "queue_id": ("Queue", "큐"),
    "mode": ("Mode", "방식"),
    "concurrency": ("Concurrency", "동시 처리 수"),
    "patience_s": ("Patience [s]", "고객 인내 시간 [초]"),
    "segment": ("Segment", "고객 세그먼트"),
    "agent_id": ("Agent ID", "상담원 ID"),
    "agent_name": ("Agent", "상담원"),
    "team": ("Team", "팀"),
    "evaluator_id": ("Evaluator", "평가자"),
    "name": ("Name", "이름"),
    "name_ko": ("Name (Korean)", "이름 (한국어)"),
    "currency": ("Currency", "통화"),
    # --- contacts -------------------------------------------------------------------------
    "contact_id": ("Contact ID", "상담 ID"),
    "created_local": ("Created (local time)", "접수 시각 (현지)"),
    "answered_at": ("Answered (UTC)", "응대 시각 (UTC)"),
    "abandoned_at": ("Abandoned (UTC)", "포기 시각 (UTC)"),
    "wait_s": ("Wait [s]", "대기 [초]"),
    "handle_s": ("Handle time [s]", "처리 시간 [초]"),
    "handled_by": ("Handled by", "처리 주체"),
    "tag_id": ("Tag", "태그"),
    "tag": ("Tag", "태그"),
    "csat": ("CSAT (1-5)", "CSAT (1-5)"),
    "ces": ("CES (1-7)", "CES (1-7)"),
    "contacts": ("Contacts", "상담 수"),
    "calls": ("Contacts", "상담 수"),
    "volume": ("Contacts", "상담 수"),
    "n": ("Count", "건수"),
    # --- time -----------------------------------------------------------------------------
    "date": ("Date", "날짜"),
    "day": ("Day", "일자"),
    "ds": ("Date", "날짜"),
    "week": ("Week", "주"),
    "week_start": ("Week starting", "주 시작일"),
    "time": ("Time", "시각"),
    "start": ("Start", "시작"),
    "interval_local": ("Interval (local time)", "구간 (현지 시각)"),
    "period": ("Period", "기간"),
    "period_start": ("Period start", "기간 시작"),
    "period_end": ("Period end", "기간 종료"),
    "prev_period_start": ("Previous period start", "이전 기간 시작"),
    "days": ("Days", "일수"),
    "prev_days": ("Previous period days", "이전 기간 일수"),
    "last_week": ("Latest week", "최근 주"),
    "mon": ("Mon", "월"),
    "tue": ("Tue", "화"),
    "wed": ("Wed", "수"),
    "thu": ("Thu", "목"),
    "fri": ("Fri", "금"),
    "sat": ("Sat", "토"),
    "sun": ("Sun", "일"),
    "holiday": ("Holiday", "휴일"),
    "closed_weekdays": ("Closed weekdays", "휴무 요일"),
    # --- contracts, compliance, penalties -------------------------------------------------
    "contract_id": ("Contract", "계약"),
    "version": ("Version", "버전"),
    "line_no": ("Line", "항목 번호"),
    "label": ("Contract line", "계약 항목"),
    "metric": ("Metric", "지표"),
    "scope": ("Scope", "범위"),
    "direction": ("Direction", "방향"),
    "unit": ("Unit", "단위"),
    "actual": ("Actual", "실적"),
    "actual_text": ("Actual", "실적"),
    "target": ("Target", "목표"),
    "target_text": ("Target", "목표"),
    "status": ("Status", "상태"),
    "met": ("Met", "달성"),
    "partial": ("Partial period", "부분 기간"),
    "margin": ("Margin to target", "목표 대비 여유"),
    "margin_pt": ("Margin [points]", "목표 대비 여유 [포인트]"),
    "shortfall_pt": ("Shortfall [points]", "미달 폭 [포인트]"),
    "num": ("Numerator", "분자"),
    "den": ("Denominator", "분모"),
    "tier": ("Penalty band", "패널티 구간"),
    "pct_of_fee": ("% of monthly fee", "월 수수료 대비 %"),
    "penalty": ("Penalty", "패널티"),
    "bonus": ("Bonus", "보너스"),
    "text": ("Arithmetic", "산식"),
    "attainment": ("Attainment", "달성률"),
    "lines_met": ("Lines met in every period", "전 기간 달성 항목"),
    "lines_total": ("Lines", "전체 항목"),
    "rank": ("Rank", "순위"),
    "comparison": ("Comparison", "비교"),
    "in_house_mean": ("In-house mean", "자체 센터 평균"),
    "vendor_mean": ("Vendor mean", "협력사 평균"),
    "n_in_house": ("In-house centers", "자체 센터 수"),
    "n_vendor": ("Vendor centers", "협력사 수"),
    # --- early warning (this month, intraday) ------------------------------------------------
    "so_far": ("So far", "현재까지"),
    "projected": ("Projected", "예상"),
    "projected_text": ("Projected at period end", "예상 기간 말 값"),
    "projected_lo": ("Projected low", "예상 하한"),
    "projected_hi": ("Projected high", "예상 상한"),
    "band": ("Band", "예상 범위"),
    "required": ("Required rest of period", "남은 기간 필요 값"),
    "required_text": ("Rest of period needs", "남은 기간 필요 수준"),
    "projected_penalty": ("Projected penalty", "예상 패널티"),
    "extra_fte": ("Extra FTE needed", "추가 필요 FTE"),
    "volume_method": ("Remaining volume from", "남은 물량 출처"),
    "reasons": ("Why", "사유"),
    "risk": ("Risk", "위험도"),
    "value_so_far": ("Value so far", "현재까지 값"),
    "done_num": ("Numerator so far", "현재까지 분자"),
    "done_den": ("Denominator so far", "현재까지 분모"),
    "remaining_den": ("Denominator still to come", "남은 분모 (예상)"),
    "today": ("Today so far", "오늘 현재까지"),
    "intervals_below": ("Half hours below target", "목표 미달 30분 구간"),
    "missed_contacts": ("Contacts not within T", "기준 시간 초과 상담"),
    "waiting_now": ("Waiting now", "현재 대기"),
    "oldest_wait_s": ("Longest wait now [s]", "현재 최장 대기 [초]"),
    "current_interval": ("Current half hour", "현재 30분 구간"),
    "expected_contacts_now": ("Contacts expected this half hour", "이번 30분 예상 상담"),
    "agents_needed_now": ("Agents needed now", "현재 필요 상담원"),
    "agents_scheduled_now": ("Agents scheduled now", "현재 편성 상담원"),
    "agents_short_now": ("Agents short now", "현재 부족 상담원"),
    "day_num": ("Within T today", "오늘 기준 시간 내"),
    "day_den": ("Offered today", "오늘 인입"),
    "interval_start": ("Interval", "구간"),
    "value": ("Value", "값"),
    # --- staffing -------------------------------------------------------------------------
    "agents": ("Agents", "상담원 수"),
    "raw_agents": ("Productive agents needed", "필요 실가동 상담원"),
    "required_agents": ("Agents to schedule", "편성 필요 상담원"),
    "productive_agents": ("Productive agents (schedule)", "실가동 상담원 (근무표)"),
    "rostered_agents": ("Rostered agents (schedule)", "배치 상담원 (근무표)"),
    "gap_productive": ("Gap vs productive", "실가동 대비 과부족"),
    "gap_scheduled": ("Gap vs rostered", "배치 대비 과부족"),
    "schedule_stored": ("Schedule stored", "근무표 있음"),
    "schedule_service_level": ("Service level with the schedule", "근무표 기준 서비스 레벨"),
    "schedule_abandon_rate": ("Abandon rate with the schedule", "근무표 기준 포기율"),
    "required_fte": ("Required FTE", "필요 FTE"),
    "scheduled_fte": ("Scheduled FTE", "편성 FTE"),
    "productive_fte": ("Productive FTE", "실가동 FTE"),
    "need_fte": ("FTE needed", "필요 FTE"),
    "gap_fte": ("FTE gap", "FTE 과부족"),
    "uncovered_fte": ("FTE not covered", "미충원 FTE"),
    "hires_decided": ("Hires to decide", "채용 결정 인원"),
    "hires_starting": ("Hires starting", "투입 시작 인원"),
    "trainees": ("In training", "교육 중 인원"),
    "pattern": ("Shift pattern", "근무 패턴"),
    "start_slot": ("Start slot", "시작 슬롯"),
    "start_offset_s": ("Start offset [s]", "시작 오프셋 [초]"),
    "break_start_offset_s": ("Break start offset [s]", "휴식 시작 오프셋 [초]"),
    "work_hours": ("Work hours", "근무 시간"),
    "gap": ("Gap", "차이"),
    # --- forecasting ----------------------------------------------------------------------
    "series_id": ("Series", "시계열"),
    "model": ("Model", "모델"),
    "h": ("Horizon [days]", "예측 시점 [일]"),
    "yhat": ("Forecast", "예측"),
    "yhat_lo": ("Forecast low", "예측 하한"),
    "yhat_hi": ("Forecast high", "예측 상한"),
    "forecast_contacts": ("Forecast contacts", "예측 상담 수"),
    "forecast_lo": ("Forecast low", "예측 하한"),
    "forecast_hi": ("Forecast high", "예측 상한"),
    "plan_contacts": ("Planned contacts", "계획 상담 수"),
    "scale": ("Scale (MASE)", "척도 (MASE)"),
    "wape": ("WAPE", "WAPE"),
    "wape_1_28": ("WAPE, days 1-28", "WAPE (1-28일)"),
    "wape_1_7": ("WAPE, days 1-7", "WAPE (1-7일)"),
    "models": ("Model by horizon", "예측 시점별 모델"),
    "coverage": ("Interval coverage", "예측 구간 적중률"),
    "mape": ("MAPE", "MAPE"),
    "mase": ("MASE", "MASE"),
    "bias": ("Bias", "편향"),
    "bucket": ("Horizon [days]", "예측 시점 [일]"),
    "forecast": ("Forecast", "예측"),
    "note": ("Note", "비고"),
    "scenario": ("Scenario", "시나리오"),
    "run_id": ("Run", "실행 ID"),
    # --- Data page ------------------------------------------------------------------------
    "table": ("Table", "테이블"),
    "rows": ("Rows", "행 수"),
    "from": ("From", "시작"),
    "to": ("To", "종료"),
    # --- QA -------------------------------------------------------------------------------
    "item_id": ("Item ID", "평가 항목 ID"),
    "item_name": ("Item", "평가 항목"),
    "item_mean": ("Item mean", "항목 평균"),
    "overall_item_mean": ("Item mean, all agents", "전체 항목 평균"),
    "item_target": ("Item target", "항목 목표"),
    "weight": ("Weight", "가중치"),
    "score": ("Score", "점수"),
    "mean_score": ("Mean score", "평균 점수"),
    "median_score": ("Median score", "중앙값 점수"),
    "form_mean": ("Form mean", "평가표 평균"),
    "gap_vs_form": ("Gap vs form", "평가표 대비 차이"),
    "gap_vs_overall": ("Gap vs all", "전체 대비 차이"),
    "critical_fail_rate": ("Critical-fail rate", "필수 항목 불합격률"),
    "pass_rate": ("Pass rate", "합격률"),
    "pass_ci_low": ("Pass rate 95% low", "합격률 95% 하한"),
    "pass_ci_high": ("Pass rate 95% high", "합격률 95% 상한"),
    "ci_low": ("95% low", "95% 하한"),
    "ci_high": ("95% high", "95% 상한"),
    "n_evaluations": ("Evaluations", "평가 수"),
    "n_evaluators": ("Evaluators", "평가자 수"),
    "n_agents": ("Agents", "상담원 수"),
    "n_units": ("Units", "평가 단위 수"),
    "leniency": ("Leniency [pt]", "관대도 [점]"),
    "cohen_kappa_mean": ("Cohen's kappa (mean)", "코언 카파 (평균)"),
    "cohen_pairs": ("Evaluator pairs", "평가자 쌍"),
    "fleiss_kappa": ("Fleiss' kappa", "플라이스 카파"),
    "fleiss_units": ("Units (Fleiss)", "평가 단위 (플라이스)"),
    "alpha_interval": ("Krippendorff's alpha (interval)", "크리펜도르프 알파 (구간)"),
    "alpha_ordinal": ("Krippendorff's alpha (ordinal)", "크리펜도르프 알파 (서열)"),
    "mean_range": ("Mean range", "평균 범위"),
    "max_range": ("Max range", "최대 범위"),
    "mean_sd": ("Mean SD", "평균 표준편차"),
    "unanimous_share": ("Unanimous share", "만장일치 비율"),
    "weeks_below": ("Weeks below target", "목표 미달 주 수"),
    "streak_mean": ("Mean over the streak", "미달 기간 평균"),
    # --- VOC ------------------------------------------------------------------------------
    "level1": ("Level 1", "1단계"),
    "level2": ("Level 2", "2단계"),
    "level3": ("Level 3", "3단계"),
    "level1_en": ("Level 1 (English)", "1단계 (영어)"),
    "level2_en": ("Level 2 (English)", "2단계 (영어)"),
    "level3_en": ("Level 3 (English)", "3단계 (영어)"),
    "path": ("Tag path", "태그 경로"),
    "path_en": ("Tag path (English)", "태그 경로 (영어)"),
    "share": ("Share", "비중"),
    "change": ("Change", "증감"),
    "change_pct": ("Change [%]", "증감 [%]"),
    "prev_volume": ("Previous period contacts", "이전 기간 상담 수"),
    "prev_comparable": ("Comparable previous period", "비교 가능한 이전 기간"),
    "is_new": ("New", "신규"),
    "repeats": ("Repeat contacts", "재문의"),
    "repeat_rate": ("Repeat rate", "재문의율"),
    "repeat_rate_lo": ("Repeat rate 95% low", "재문의율 95% 하한"),
    "repeat_rate_hi": ("Repeat rate 95% high", "재문의율 95% 상한"),
    "repeat_source": ("Repeat flag from", "재문의 판정 출처"),
    "urgent": ("Urgent", "긴급"),
    "urgent_share": ("Urgent share", "긴급 비중"),
    "urgent_share_lo": ("Urgent share 95% low", "긴급 비중 95% 하한"),
    "urgent_share_hi": ("Urgent share 95% high", "긴급 비중 95% 상한"),
    "vip": ("VIP", "VIP"),
    "vip_share": ("VIP share", "VIP 비중"),
    "vip_share_lo": ("VIP share 95% low", "VIP 비중 95% 하한"),
    "vip_share_hi": ("VIP share 95% high", "VIP 비중 95% 상한"),
    "started_in_bot": ("Started in the bot", "봇에서 시작"),
    "contained": ("Contained by the bot", "봇 해결"),
    "containment": ("Containment", "봇 해결률"),
    "containment_lo": ("Containment 95% low", "봇 해결률 95% 하한"),
    "containment_hi": ("Containment 95% high", "봇 해결률 95% 상한"),
    "handed_off": ("Handed to an agent", "상담원 연결"),
    "hand_off_rate": ("Hand-off rate", "상담원 연결률"),
    "hand_off_lo": ("Hand-off 95% low", "상담원 연결률 95% 하한"),
    "hand_off_hi": ("Hand-off 95% high", "상담원 연결률 95% 상한"),
    "direct_to_agent": ("Straight to an agent", "상담원 직접 연결"),
    "agent_share": ("Agent share", "상담원 처리 비중"),
    "agent_contacts": ("Agent-handled contacts", "상담원 처리 상담"),
    "handle_mean_s": ("Mean handle time [s]", "평균 처리 시간 [초]"),
    "handle_cv": ("Handle time CV", "처리 시간 변동계수"),
    "template_rate": ("Template answers", "템플릿 답변 비율"),
    "is_simple": ("Simple", "단순 문의"),
    "volume_norm": ("Volume (0-1)", "물량 (0-1)"),
    "simplicity": ("Simplicity", "단순성"),
    "consistency": ("Consistency", "일관성"),
    "agent_hours_week": ("Agent hours per week", "주당 상담원 시간"),
    "automatable_share": ("Automatable share", "자동화 가능 비중"),
    "hours_saved_week": ("Hours saved per week", "주당 절감 시간"),
    "fte_saved": ("FTE saved", "절감 FTE"),
    "fte_method": ("FTE method", "FTE 산정 방식"),
    "baseline": ("Baseline", "기준선"),
    "baseline_days": ("Baseline days", "기준 일수"),
    "basis": ("Baseline from", "기준선 산정"),
    "band_lo": ("Normal band low", "정상 범위 하한"),
    "band_hi": ("Normal band high", "정상 범위 상한"),
    "z": ("z-score", "z 점수"),
    "events": ("Events that day", "당일 이벤트"),
    "reason": ("Reason", "사유"),
}


def column_label(name: str, lang: str | None = None, *, raw_field: bool = False) -> str:
    """The header of column ``name`` in ``lang`` (default: the session's language).

    ``raw_field``: the column holds the stored field, not the metric of the same name (``csat``
    as 1-5 answers, not the top-2-box share): the catalog's header wins over the registry's."""
    from ops.sla.registry import METRICS

    lang = lang or current_lang()
    ko = lang == "ko"
    if raw_field and name in COLUMN_LABELS:
        return COLUMN_LABELS[name][1 if ko else 0]
    base, part = name, None
    for suffix in ("_num", "_den"):
        if name.endswith(suffix) and name[: -len(suffix)] in METRICS:
            base, part = name[: -len(suffix)], suffix
    if base in METRICS:
        m = METRICS[base]
        label = m.label_ko if ko else m.label_en
        if part == "_num":
            return f"{label} {'분자' if ko else 'numerator'}"
        if part == "_den":
            return f"{label} {'분모' if ko else 'denominator'}"
        return label
    if name in COLUMN_LABELS:
        return COLUMN_LABELS[name][1 if ko else 0]
    return name


def is_field_name(name: str) -> bool:
    """A data-model field name (ASCII ``snake_case``), not a header a page wrote for people."""
    return re.fullmatch(r"[a-z][a-z0-9_]*", name) is not None


def _is_raw_field(name: str, values: Any) -> bool:
    """A registry ratio's name on a column whose values are not ratios (``csat`` 1-5 answers in a
    contacts drill-down): the stored field, not the metric."""
    from ops.sla.registry import METRICS

    if name not in METRICS or METRICS[name].unit != "ratio" or values is None:
        return False
    v = values.astype(float).dropna()
    return bool(len(v)) and bool(((v < 0) | (v > 1)).any())


def number_format(name: str, values: Any = None) -> str | None:
    """The display format of a float column, from what the field holds (None: Streamlit's own).

    Registry ratios as percentages (when the values are ratios), seconds (registry ``seconds``
    metrics and ``*_s`` fields), FTE, QA points and forecasts to one decimal
    (:func:`_one_decimal`); other numbers keep Streamlit's default. Only the screen: downloads
    keep every digit.
    """
    from ops.sla.registry import METRICS

    if name in METRICS:
        unit = METRICS[name].unit
        if unit == "ratio":
            return None if _is_raw_field(name, values) else "percent"
        return "%.1f" if unit == "seconds" else None
    if _is_share(name) and values is not None:
        v = values.dropna()
        if len(v) and bool(((v >= 0) & (v <= 1)).all()):
            return "percent"
    return "%.1f" if _one_decimal(name) else None


# shown to one decimal: QA scores and the gaps between them (points of 100, as the charts show
# them) and forecasts (contacts per period); besides seconds, FTE and any *_score
ONE_DECIMAL_FIELDS = {
    "item_mean", "overall_item_mean", "item_target", "form_mean", "gap_vs_form", "gap_vs_overall",
    "ci_low", "ci_high", "leniency", "mean_range", "in_house_mean", "vendor_mean", "gap",
    "score", "yhat", "yhat_lo", "yhat_hi", "scale",
}  # fmt: skip


def _one_decimal(name: str) -> bool:
    return name in ONE_DECIMAL_FIELDS or name.endswith(("_s", "_score")) or "fte" in name.split("_")


# fields holding shares of 1 (shown as percentages when every value is within 0..1)
SHARE_FIELDS = {
    "share", "attainment", "containment", "hand_off", "pass_ci_low", "pass_ci_high", "coverage",
}  # fmt: skip


def _is_share(name: str) -> bool:
    base = name.removesuffix("_lo").removesuffix("_hi")
    return base in SHARE_FIELDS or base.endswith(("_rate", "_share"))


# a step of 0.001 on a "percent" column makes Streamlit show exactly one decimal (89.0%, 91.4%);
# without it the digits vary from row to row (89%, 91.39%)
PERCENT_STEP = 0.001


def number_column(label: str | None, fmt: str) -> Any:
    """A read-only number column in ``fmt``; percentages with one fixed decimal."""
    import streamlit as st

    if fmt == "percent":
        return st.column_config.NumberColumn(label, format=fmt, step=PERCENT_STEP)
    return st.column_config.NumberColumn(label, format=fmt)


def _is_large_count(name: str, values: Any) -> bool:
    """An integer column reaching 10,000 (counts, rows): shown with thousands separators. Ids and
    years keep their digits as they are."""
    import pandas as pd

    if not pd.api.types.is_integer_dtype(values) or pd.api.types.is_bool_dtype(values):
        return False
    if name.endswith("_id") or name == "id" or "year" in name.split("_"):
        return False
    v = values.dropna()
    return bool(len(v)) and bool(v.abs().max() >= 10_000)


def _is_dates(values: Any) -> bool:
    """A timestamp column whose every value is at midnight (days: shown without 00:00:00)."""
    import pandas as pd

    if not pd.api.types.is_datetime64_any_dtype(values):
        return False
    v = values.dropna()
    return bool(len(v)) and bool((v == v.dt.normalize()).all())


def with_labels(frame: Any, column_config: dict | None, lang: str | None = None) -> dict:
    """``column_config`` for ``frame`` (a DataFrame, or just its column names): a header for
    each field-name column that has none yet, and a number format for float columns that have
    no configuration at all (:func:`number_format`); timestamps that are all midnights show as
    dates."""
    import streamlit as st

    out = dict(column_config or {})
    dtypes = getattr(frame, "dtypes", None)
    for col in getattr(frame, "columns", frame):
        name = str(col)
        if not is_field_name(name):
            continue
        values = frame[col] if dtypes is not None else None
        is_float = dtypes is not None and str(dtypes[col]).startswith("float")
        numeric = is_float or (dtypes is not None and str(dtypes[col]).startswith(("int", "Int")))
        raw = numeric and _is_raw_field(name, values)
        label = column_label(name, lang, raw_field=raw)
        if name not in out:
            fmt = number_format(name, values) if is_float else None
            if fmt:
                out[name] = number_column(label, fmt)
            elif values is not None and _is_large_count(name, values):
                out[name] = number_column(label, "localized")
            elif values is not None and _is_dates(values):
                out[name] = st.column_config.DatetimeColumn(label, format="YYYY-MM-DD")
            else:
                out[name] = label
            continue
        cfg = out[name]
        if isinstance(cfg, dict) and not cfg.get("label"):
            out[name] = {**cfg, "label": label}
        # None hides the column; a string is the page's own header: both kept as given
    return out
