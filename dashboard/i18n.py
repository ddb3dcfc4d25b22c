"""Every piece of dashboard text, in English and Korean, and locale-aware number/date formatting.

One catalog so a translator edits one file and a test (``tests/dashboard/test_i18n.py``) can prove that
every key the pages use exists in both languages with the same ``{placeholders}``. Pages call
``t("key", name=value)``; they never hold literal UI strings.

Language: the sidebar switch (``st.session_state["ui_lang"]``); its default is ``ko`` when the setting
``CCOPS_LANGUAGE`` is ``ko`` or when it is ``auto`` and the browser locale (``st.context.locale``)
starts with ``ko``; otherwise ``en``.
"""

from __future__ import annotations

import math
import string
from datetime import date, datetime
from typing import Any

from ops.labels import KIND_EN, KIND_KO

LANGS = ("en", "ko")
LANG_KEY = "ui_lang"

# key: (English, Korean)
_TEXT: dict[str, tuple[str, str]] = {
    # --- app frame -----------------------------------------------------------------------
    "app.title": ("ccops — contact-center operations", "ccops — 고객센터 운영"),
    "app.demo_mode": (
        "Demo mode: no users file is configured (CCOPS_USERS_FILE), so everyone is a local admin.",
        "데모 모드: 사용자 파일(CCOPS_USERS_FILE)이 없어 모두 로컬 관리자로 접속합니다.",
    ),
    "app.signed_in_as": ("Signed in as {name} ({role})", "{name} ({role}) 로그인됨"),
    "app.scope": ("Data scope: {scope}", "데이터 범위: {scope}"),
    "app.logout": ("Log out", "로그아웃"),
    "app.database": ("Database: {path}", "데이터베이스: {path}"),
    "app.no_data": (
        "No contacts in this database yet. Build the demo with `ccops demo` or import files on the "
        "Data page.",
        "아직 상담 데이터가 없습니다. `ccops demo`로 데모를 만들거나 데이터 페이지에서 파일을 "
        "가져오세요.",
    ),
    "app.unexpected": (
        "Something went wrong while drawing this page. The details are in the server log; "
        "try another filter or reload the page.",
        "페이지를 그리는 중 문제가 생겼습니다. 자세한 내용은 서버 로그에 있습니다. 필터를 바꾸거나 "
        "페이지를 새로 고치세요.",
    ),
    "app.footer": ("Drawn in {seconds} s", "{seconds}초 만에 표시"),
    "app.error_what_to_do": ("What to do: {hint}", "조치: {hint}"),
    "app.not_allowed": (
        "Your role ({role}) cannot open this page.",
        "현재 역할({role})로는 이 페이지를 열 수 없습니다.",
    ),
    "app.empty_selection": (
        "No data for the selected filters. Widen the date range or clear a filter.",
        "선택한 필터에 해당하는 데이터가 없습니다. 기간을 넓히거나 필터를 해제하세요.",
    ),
    # --- roles ---------------------------------------------------------------------------
    "role.admin": ("admin", "관리자"),
    "role.manager": ("manager", "매니저"),
    "role.executive": ("executive", "경영진"),
    "role.vendor": ("vendor", "협력사"),
    "scope.all": ("all centers", "전체 센터"),
    # --- login ---------------------------------------------------------------------------
    "login.title": ("Sign in", "로그인"),
    "login.username": ("Username", "사용자 이름"),
    "login.password": ("Password", "비밀번호"),
    "login.submit": ("Sign in", "로그인"),
    "login.failed": (
        "Wrong username or password.",
        "사용자 이름 또는 비밀번호가 올바르지 않습니다.",
    ),
    "login.sso": ("Sign in with single sign-on", "SSO로 로그인"),
    "login.sso_unknown": (
        "{email} is not in the users file; ask an admin to add it with a role.",
        "{email} 계정이 사용자 파일에 없습니다. 관리자에게 역할과 함께 등록을 요청하세요.",
    ),
    "login.config_error": ("The users file has a problem", "사용자 파일에 문제가 있습니다"),
    # --- shared filters ------------------------------------------------------------------
    "filters.header": ("Filters", "필터"),
    "filters.dates": ("Date range", "기간"),
    "filters.center": ("Center", "센터"),
    "filters.channel": ("Channel", "채널"),
    "filters.queue": ("Queue", "큐"),
    "filters.segment": ("Segment", "고객 세그먼트"),
    "filters.all": ("All", "전체"),
    "filters.reset": ("Reset filters", "필터 초기화"),
    # --- navigation ----------------------------------------------------------------------
    "nav.section.overview": ("Overview", "개요"),
    "nav.section.operations": ("Operations", "운영"),
    "nav.section.planning": ("Planning", "계획"),
    "nav.section.quality": ("Quality & VOC", "품질 · VOC"),
    "nav.section.admin": ("Administration", "관리"),
    "page.overview": ("Overview", "개요"),
    "page.executive": ("Executive summary", "경영 요약"),
    "page.sla": ("SLA vs actual", "SLA 대비 실적"),
    "page.vendors": ("Vendors", "협력사"),
    "page.forecast": ("Forecast", "수요 예측"),
    "page.staffing": ("Staffing", "인력 계획"),
    "page.qa": ("Quality (QA)", "품질 평가(QA)"),
    "page.voc": ("Voice of customer", "고객의 소리(VOC)"),
    "page.data": ("Data", "데이터"),
    # --- tables and downloads ------------------------------------------------------------
    "table.download_csv": ("CSV", "CSV"),
    "table.download_xlsx": ("Excel", "엑셀"),
    "table.rows": ("{n} rows", "{n}행"),
    # --- KPI status ----------------------------------------------------------------------
    "kpi.ok": ("On target", "목표 달성"),
    "kpi.warn": ("Near target", "목표 근접"),
    "kpi.bad": ("Off target", "목표 미달"),
    "kpi.no_target": ("No target", "목표 없음"),
    "kpi.target": ("target {target}", "목표 {target}"),
    "kpi.no_data": ("no data", "데이터 없음"),
    # --- units ---------------------------------------------------------------------------
    "unit.s": ("{v} s", "{v}초"),
    "unit.min": ("{v} min", "{v}분"),
    "unit.h": ("{v} h", "{v}시간"),
    # --- columns shared by several pages ---------------------------------------------------
    "col.date": ("Date", "날짜"),
    "col.center": ("Center", "센터"),
    "col.channel": ("Channel", "채널"),
    "col.channel_id": ("Channel ID", "채널 ID"),
    "col.queue": ("Queue", "큐"),
    "col.segment": ("Segment", "세그먼트"),
    "col.metric": ("Metric", "지표"),
    "col.value": ("Value", "값"),
    "col.target": ("Target", "목표"),
    "col.contacts": ("Contacts", "상담 건수"),
    # --- overview ------------------------------------------------------------------------
    "overview.window": ("{start} – {end}", "{start} – {end}"),
    "overview.contacts_loaded": ("Contacts loaded", "적재된 상담"),
    "overview.centers": ("Centers", "센터"),
    "overview.queues": ("Queues", "큐"),
    "overview.volume": ("Contacts", "상담 건수"),
    "overview.volume_help": (
        "All contacts created in the window (every channel, bot and agent).",
        "기간 내 생성된 모든 상담 (모든 채널, 봇과 상담사 포함).",
    ),
    "overview.by_channel": ("Contacts per day by channel", "채널별 일별 상담 건수"),
    "overview.by_center": ("Contacts by center and channel", "센터·채널별 상담 건수"),
    "overview.sl_by_day": ("Service level by day and center", "센터별 일별 서비스 레벨"),
    "overview.table": ("Service level by day (with counts)", "일별 서비스 레벨 (건수 포함)"),
    # --- executive page ------------------------------------------------------------------
    "exec.month": ("Month", "월"),
    "exec.download_pdf": ("Monthly report (PDF)", "월간 보고서 (PDF)"),
    "exec.download_xlsx": ("Monthly report (Excel)", "월간 보고서 (엑셀)"),
    "exec.scope_line": (
        "{month} · {contacts} contacts · {scope}",
        "{month} · 상담 {contacts}건 · {scope}",
    ),
    "exec.findings": ("What stands out", "주요 발견"),
    "exec.kpis": ("Promises vs targets", "목표 대비 실적"),
    "exec.daily_contacts": ("Contacts per day", "일별 상담 건수"),
    "exec.sl": ("Service level", "서비스 레벨"),
    "exec.daily_sl": ("Live service level per day", "일별 실시간 채널 서비스 레벨"),
    "exec.ranking": ("Centers by contract attainment", "계약 달성률 기준 센터 순위"),
    "exec.attainment": ("Attainment", "달성률"),
    "exec.no_contracts": (
        "No SLA contracts are loaded, so there is no ranking; load them with `ccops sla load`.",
        "SLA 계약이 적재되지 않아 순위가 없습니다. `ccops sla load`로 적재하세요.",
    ),
    "exec.breaches": ("Breaches this month", "이번 달 SLA 위반"),
    "exec.no_breaches": (
        "No contract line was missed this month.",
        "이번 달 미달한 계약 항목이 없습니다.",
    ),
    "exec.penalties": ("Penalties and credits", "패널티 및 보너스"),
    "exec.net": ("net adjustment {net}", "순 조정액 {net}"),
    "exec.penalty_line": (
        "penalty {penalty} · bonus {bonus} · monthly fee {fee}",
        "패널티 {penalty} · 보너스 {bonus} · 월 계약 금액 {fee}",
    ),
    "exec.no_penalties": (
        "No penalty statements for this month.",
        "이번 달 패널티 내역이 없습니다.",
    ),
    "exec.outlook": ("Next weeks", "향후 전망"),
    "exec.outlook_title": (
        "Forecast contacts per week and staffing gap",
        "주별 예상 상담량과 인력 부족분",
    ),
    "exec.interval": ("Prediction interval", "예측 구간"),
    "exec.forecast": ("Forecast", "예측"),
    "exec.gap_fte": ("Staffing gap (FTE)", "인력 부족 (FTE)"),
    "exec.no_outlook": (
        "No stored forecast covers the coming weeks; run `ccops forecast run`.",
        "향후 기간을 다루는 저장된 예측이 없습니다. `ccops forecast run`을 실행하세요.",
    ),
    "exec.upcoming": ("Coming up", "예정된 일정"),
    "exec.effect": ("expected volume {pct}", "예상 물량 {pct}"),
    # --- this month (early warning) and the intraday watch ---------------------------------
    "month.title": (
        "This month: where each contract line will land",
        "이번 달: 계약 항목별 예상 결과",
    ),
    "month.as_of": (
        "As of {when} (the latest data), {days} of {total} days of the month gone. Projected "
        "= the month so far plus the rest of the month at the last 4 weeks' rate by weekday and "
        "half hour, on the forecast volume.",
        "기준 시각 {when} (최신 데이터), 이번 달 {total}일 중 {days}일 경과. 예상 = 이번 달 현재까지 "
        "실적 + 남은 기간을 최근 4주의 요일·30분 구간별 실적률로 예측 물량에 적용한 값.",
    ),
    "month.at_risk": ("Lines at risk", "위험 항목"),
    "month.watch": ("Lines to watch", "주의 항목"),
    "month.on_track": ("Lines on track", "순항 항목"),
    "month.penalty": ("Projected penalty", "예상 패널티"),
    "month.penalty_help": (
        "After the contract caps, at the projected values. Band {low} – {high}; net adjustment "
        "with bonuses {net}. An estimate, not an invoice.",
        "계약 한도 적용 후 예상 값 기준. 범위 {low} – {high}; 보너스 포함 순 조정액 {net}. "
        "청구서가 아닌 추정치입니다.",
    ),
    "month.none_at_risk": (
        "No contract line is at risk or to watch.",
        "위험하거나 주의할 계약 항목이 없습니다.",
    ),
    "month.method": (
        "Required = what the rest of the period must reach for the line to end on target "
        "(target × all contacts − so far) ÷ contacts to come. Counts and medians are shown so "
        "far, not projected.",
        "필요 수준 = 항목이 목표로 끝나려면 남은 기간에 필요한 값: (목표 × 전체 건수 − 현재까지) ÷ "
        "남은 건수. 건수·중앙값 지표는 현재까지 값만 보여 주고 예측하지 않습니다.",
    ),
    "month.statements": ("Projected penalty statements and staffing", "예상 패널티 명세와 인력"),
    "month.staffing": (
        "{center} · {line}: the rest needs {required}; Erlang A on the stored schedule: {short} of "
        "{n} queue half hours short, +{fte} FTE ({cost}); with the schedule as it is the month "
        "ends near {sched}.",
        "{center} · {line}: 남은 기간 {required} 필요. 저장된 근무표 기준 Erlang A: 큐 30분 구간 "
        "{n}개 중 {short}개 부족, FTE +{fte} ({cost}); 현재 근무표대로면 월말 약 {sched}.",
    ),
    "month.not_reachable": ("no longer reachable", "더 이상 달성 불가"),
    "month.secured": ("already secured", "이미 확보"),
    "month.final": ("final", "확정"),
    "month.at_least": ("at least {value}", "최소 {value}"),
    "month.at_most": ("at most {value}", "최대 {value}"),
    "month.risk.at_risk": ("At risk", "위험"),
    "month.risk.missed": ("Missed", "미달 확정"),
    "month.risk.watch": ("Watch", "주의"),
    "month.risk.on_track": ("On track", "순항"),
    "month.risk.met": ("Met", "달성 확정"),
    "month.risk.unknown": ("Not projected", "예측 안 함"),
    "month.volume.forecast": ("stored forecast", "저장된 예측"),
    "month.volume.same_weekday": ("last 4 weeks, same weekday", "최근 4주 같은 요일"),
    "month.volume.none": ("–", "–"),
    "month.reason.projected_miss": ("projected to miss", "목표 미달 예상"),
    "month.reason.not_reachable": ("no longer reachable", "달성 불가"),
    "month.reason.required_above": (
        "the rest needs more than the alert limit",
        "남은 기간 요구치가 경보 기준 초과",
    ),
    "month.reason.required_margin": (
        "the rest must beat the target by the alert margin",
        "남은 기간에 목표를 경보 여유 이상 넘어야 함",
    ),
    "month.reason.missed": ("missed", "미달 확정"),
    "sla.tab.actual": ("SLA vs actual", "SLA 대비 실적"),
    "sla.tab.intraday": ("Intraday watch", "당일 모니터링"),
    "intraday.day": ("Day", "날짜"),
    "intraday.time": ("As of (local time)", "기준 시각 (현지)"),
    "intraday.help": (
        "The day's intervals up to this time ({tz}), contacts still waiting then, and the agents "
        "the current half hour needs for the line's target (Erlang A on the last 4 weeks' volume "
        "for this weekday and time).",
        "이 시각({tz})까지의 당일 구간, 그 시점에 대기 중인 상담, 현재 30분 구간이 항목 목표에 "
        "필요한 상담원 수 (최근 4주 같은 요일·시각 물량에 Erlang A 적용).",
    ),
    "intraday.none": (
        "No service-level contract line to watch in your scope.",
        "모니터링할 서비스 레벨 계약 항목이 없습니다.",
    ),
    "intraday.title": ("Service-level lines today", "오늘의 서비스 레벨 항목"),
    "intraday.line": ("Contract line", "계약 항목"),
    "intraday.no_contacts": (
        "No contacts on this line yet today.",
        "오늘 이 항목의 상담이 아직 없습니다.",
    ),
    "intraday.chart": ("{line}: today's half hours", "{line}: 오늘의 30분 구간"),
    # --- vendors page --------------------------------------------------------------------
    "vendors.tab.scorecard": ("Scorecards", "스코어카드"),
    "vendors.tab.penalty": ("Penalty statements", "패널티 명세"),
    "vendors.tab.compare": ("In-house vs vendor", "자체 vs 협력사"),
    "vendors.tab.whatif": ("Negotiation what-if", "협상 시뮬레이션"),
    "vendors.periods_met": ("Contract periods met", "계약 기간 달성 비율"),
    "vendors.attainment_title": ("Contract attainment this month", "이번 달 계약 달성률"),
    "vendors.lines_title": ("Contract lines for the month", "월간 계약 항목"),
    "vendors.period_breaches": ("Missed days and intervals", "미달 일자 및 구간"),
    "vendors.margin": ("Margin to target (points)", "목표 대비 여유 (포인트)"),
    "vendors.line": ("Contract line", "계약 항목"),
    "vendors.trend_title": (
        "Margin to target by month (below 0 = missed)",
        "월별 목표 대비 여유 (0 미만 = 미달)",
    ),
    "vendors.fee": ("Monthly fee", "월 계약 금액"),
    "vendors.penalty": ("Penalties (after cap)", "패널티 (상한 적용)"),
    "vendors.bonus": ("Bonus", "보너스"),
    "vendors.net": ("Net adjustment", "순 조정액"),
    "vendors.arithmetic": ("How it was computed", "계산 내역"),
    "kind.in_house": (KIND_EN["in_house"], KIND_KO["in_house"]),
    "kind.vendor": (KIND_EN["vendor"], KIND_KO["vendor"]),
    "vendors.kind.in_house": ("In-house (all)", "자체 센터 (전체)"),
    "vendors.kind.vendor": ("Vendors (all)", "협력사 (전체)"),
    "vendors.compare_help": (
        "Same metric definitions for every center, over the sidebar's date range.",
        "모든 센터에 같은 지표 정의를 사이드바 기간에 적용했습니다.",
    ),
    "vendors.whatif_help": (
        "What would a tighter service-level target cost? Recent interval volumes are staffed with "
        "Erlang C at the current and the proposed target.",
        "목표 서비스 레벨을 높이면 비용이 얼마나 들까요? 최근 구간별 인입량을 현재 목표와 제안 목표로 "
        "얼랑 C 인력 산정합니다.",
    ),
    "vendors.threshold": ("Answer within (seconds)", "응답 기준 (초)"),
    "vendors.target": ("Proposed SL target", "제안 SL 목표"),
    "vendors.weeks": ("Weeks of history to staff", "산정에 쓸 최근 주 수"),
    "vendors.shrinkage": ("Shrinkage", "비가동률 (shrinkage)"),
    "vendors.current_fte": ("FTE at current target", "현재 목표 FTE"),
    "vendors.current_target": ("Current contract target: {target}", "현재 계약 목표: {target}"),
    "vendors.proposed_fte": ("FTE at proposed target", "제안 목표 FTE"),
    "vendors.extra_cost": ("Extra cost per month", "월 추가 비용"),
    "vendors.months_met": ("Months that met the proposal", "제안 목표 달성 월"),
    "vendors.monthly_cost": ("Monthly cost", "월 비용"),
    "vendors.cost_curve": ("Cost of each target", "목표별 비용 곡선"),
    "vendors.history": ("Past months vs the proposed target", "과거 월별 실적 vs 제안 목표"),
    "vendors.extra_agents": ("agents", "명"),
    "vendors.extra_where": ("Where the extra agents are needed", "추가 인력이 필요한 요일·시간"),
    # --- forecast page -------------------------------------------------------------------
    "forecast.no_runs": (
        "No forecast is stored yet. Run one above (admins, managers) or with `ccops forecast run`.",
        "저장된 예측이 없습니다. 위에서 실행하거나(관리자, 매니저) `ccops forecast run`을 사용하세요.",
    ),
    "forecast.no_series": (
        "This run has no series in your scope.",
        "이 실행에는 볼 수 있는 시계열이 없습니다.",
    ),
    "forecast.run": ("Stored forecast run", "저장된 예측 실행"),
    "forecast.series": ("Series (center · queue)", "시계열 (센터 · 큐)"),
    "forecast.new_run": ("Run a new forecast", "새 예측 실행"),
    "forecast.horizon": ("Horizon (days)", "예측 기간 (일)"),
    "forecast.run_now": ("Forecast and store", "예측 후 저장"),
    "forecast.running": ("Fitting models per series…", "시계열별 모델 학습 중…"),
    "forecast.stored": ("Stored run {run_id}.", "실행 {run_id} 저장 완료."),
    "forecast.interval": ("Prediction interval", "예측 구간"),
    "forecast.actual": ("Actual", "실적"),
    "forecast.forecast": ("Forecast", "예측"),
    "forecast.actual_after": ("Actual after the forecast date", "예측 시점 이후 실적"),
    "forecast.chart_title": (
        "History and forecast (contacts offered per day)",
        "실적과 예측 (일별 인입)",
    ),
    "forecast.marks": (
        "Purple bands: public holidays of the center. Orange bands: campaigns, outages and other events.",
        "보라색: 센터의 공휴일. 주황색: 캠페인, 장애 등 이벤트.",
    ),
    "forecast.events": ("Holidays and events ({n})", "공휴일 및 이벤트 ({n})"),
    "forecast.accuracy": ("How good were the forecasts?", "예측 정확도"),
    "forecast.no_actuals": (
        "No actuals yet for this run's days.",
        "이 실행의 예측 기간에 아직 실적이 없습니다.",
    ),
    "forecast.this_series": ("This series", "선택한 시계열"),
    "forecast.all_series": ("All series", "전체 시계열"),
    "forecast.horizon_days": ("Days ahead", "예측 시점으로부터 일수"),
    "forecast.accuracy_title": ("WAPE by horizon", "기간별 WAPE"),
    "forecast.wape_help": (
        "WAPE = Σ|actual − forecast| ÷ Σ actual; bias = Σ(forecast − actual) ÷ Σ actual; "
        "MASE against the seasonal-naive forecast.",
        "WAPE = Σ|실적 − 예측| ÷ Σ실적, 편향 = Σ(예측 − 실적) ÷ Σ실적, MASE는 계절 단순 예측 대비.",
    ),
    "forecast.models": ("Model chosen per series (backtest)", "시계열별 선택 모델 (백테스트)"),
    "forecast.scenario": ("Scenario: uplift a date range", "시나리오: 기간별 증감"),
    "forecast.scenario_dates": ("Dates", "기간"),
    "forecast.uplift": ("Uplift", "증감률"),
    "forecast.baseline": ("Baseline", "기준 예측"),
    "forecast.with_scenario": ("With scenario", "시나리오 적용"),
    "forecast.scenario_delta": (
        "{delta} contacts more ({pct}) over the run.",
        "예측 기간 전체 {delta}건 증가 ({pct}).",
    ),
    "forecast.intraday": ("Intraday profile", "일중 분포"),
    "forecast.day": ("Day", "일자"),
    "forecast.intraday_title": ("Forecast per 30 minutes on {day}", "{day} 30분 단위 예측"),
    # --- staffing page -------------------------------------------------------------------
    "staff.start": ("Plan from (Monday)", "계획 시작일 (월요일)"),
    "staff.weeks": ("Weeks", "주 수"),
    "staff.target_sl": ("Target service level", "목표 서비스 레벨"),
    "staff.answer_s": ("Answer within (s)", "응답 기준 (초)"),
    "staff.shrinkage": ("Shrinkage", "비가동률"),
    "staff.erlang_a": ("Erlang A (with patience)", "얼랑 A (고객 인내 반영)"),
    "staff.volume_source": ("Volume: {source}", "물량 기준: {source}"),
    "staff.vol_forecast": (
        "stored forecast run {run} (created {created}), spread by the weekday x time profile of "
        "{first} .. {last}",
        "저장된 수요 예측 {run} (생성 {created})을 {first} .. {last}의 요일·시간대 분포로 배분",
    ),
    "staff.vol_last_year": (
        "same weeks last year ({first} .. {last})",
        "작년 같은 주 ({first} .. {last})",
    ),  # fmt: skip
    "staff.vol_weeks": (
        "{n} full week(s) with data ({first} .. {last})",
        "데이터가 있는 완전한 {n}주 ({first} .. {last})",
    ),  # fmt: skip
    "staff.vol_days": (
        "{n} day(s) with data, less than a full week ({first} .. {last})",
        "데이터가 있는 {n}일, 한 주 미만 ({first} .. {last})",
    ),
    "staff.vol_history": (
        "mean of the {basis} by weekday and time",
        "{basis}의 요일·시간대별 평균",
    ),  # fmt: skip
    "staff.vol_history_centers": (
        "mean of the weeks with data by weekday and time: {basis}",
        "데이터가 있는 주의 요일·시간대별 평균: {basis}",
    ),
    "staff.vol_partial": (
        "; the other weeks of the {n}-week window have no or partial data and are left out, not "
        "counted as zero (contacts start: {starts})",
        "; {n}주 기간의 나머지 주는 데이터가 없거나 일부만 있어 0으로 세지 않고 제외 "
        "(상담 데이터 시작: {starts})",
    ),
    "staff.vol_closed": (
        "; no volume on the centers' holidays and closed dates ({days})",
        "; 센터 휴일·휴무일은 물량 없음 ({days})",
    ),  # fmt: skip
    "staff.no_schedule": (
        "No stored schedule for {center} ({which}) on {days} ({n} of {total} plan days; {have}). "
        "Those intervals show status 'no schedule', with no gap and no schedule SL: import "
        "schedules to compare.",
        "{center}: {days}에 저장된 근무표가 없습니다 ({which}, 계획 {total}일 중 {n}일; {have}). "
        "해당 구간은 'no schedule' 상태로 표시되며 과부족과 근무표 기준 SL을 계산하지 않습니다. "
        "비교하려면 근무표를 가져오세요.",
    ),
    "staff.gap_all_queues": ("all queues", "모든 큐"),
    "staff.gap_some_queues": ("{short} of its {total} queues", "큐 {total}개 중 {short}개"),
    "staff.gap_stored": (
        "stored schedules run {first} .. {last}",
        "저장된 근무표 기간 {first} .. {last}",
    ),  # fmt: skip
    "staff.gap_none_stored": ("no schedule is stored for it at all", "저장된 근무표가 전혀 없음"),
    "staff.tab.req": ("Requirements vs schedule", "필요 인력 vs 근무표"),
    "staff.tab.gap": ("Gap heatmap", "과부족 히트맵"),
    "staff.tab.calc": ("Erlang calculator", "얼랑 계산기"),
    "staff.tab.shifts": ("Shift recommendation", "근무조 추천"),
    "staff.tab.hiring": ("Peak hiring plan", "성수기 채용 계획"),
    "staff.pool": ("Center · queue", "센터 · 큐"),
    "staff.required": ("Required", "필요"),
    "staff.productive": ("Scheduled (productive)", "배치 (실가동)"),
    "staff.gap": ("Gap", "과부족"),
    "staff.req_title": ("Agents needed vs scheduled per interval", "구간별 필요 인력 vs 배치 인력"),
    "staff.under_count": (
        "{n} of {total} intervals are understaffed.",
        "{total}개 구간 중 {n}개가 인력 부족입니다.",
    ),
    "staff.agents": ("agents", "명"),
    "staff.gap_title": (
        "Mean gap by weekday and time (all pools)",
        "요일·시간대별 평균 과부족 (전체)",
    ),
    "staff.gap_help": (
        "Productive agents scheduled minus agents required; red is short, blue is over.",
        "배치된 실가동 인력 − 필요 인력. 빨강은 부족, 파랑은 과잉입니다.",
    ),
    "staff.calc_help": (
        "What does a headcount buy? Erlang C assumes nobody hangs up; Erlang A adds patience.",
        "인력 수에 따른 서비스 수준. 얼랑 C는 포기 없음을 가정하고, 얼랑 A는 고객 인내 시간을 반영합니다.",
    ),
    "staff.calls": ("Contacts per interval", "구간당 인입"),
    "staff.aht": ("Average handle time (s)", "평균 처리 시간 (초)"),
    "staff.interval": ("Interval", "구간 길이"),
    "staff.agents_in": ("Agents", "상담사 수"),
    "staff.model": ("Model", "모형"),
    "staff.patience": ("Mean patience (s)", "평균 인내 시간 (초)"),
    "staff.traffic": ("Traffic", "트래픽"),
    "staff.abandon": ("Abandon rate", "포기율"),
    "staff.occupancy": ("Occupancy", "점유율"),
    "staff.need": (
        "{n} agents on the phones meet {target} within {answer}.",
        "{answer} 내 {target} 달성에 필요한 인력: {n}명 (실가동).",
    ),
    "staff.curve_title": ("Service level by number of agents", "상담사 수별 서비스 레벨"),
    "staff.shift_help": (
        "Shifts (8 h and 4 h with breaks) that cover the day's combined requirement at least cost "
        "(integer program).",
        "하루 전체 필요 인력을 최소 비용으로 충족하는 근무조(8시간, 4시간, 휴게 포함)를 정수계획으로 찾습니다.",
    ),
    "staff.day": ("Day", "일자"),
    "staff.paid_hours": ("Paid hours", "유급 근무시간"),
    "staff.starts": ("Shifts", "근무조 수"),
    "staff.covered": ("Every interval covered", "모든 구간 충족"),
    "staff.planned": ("Planned", "계획 인력"),
    "staff.shift_title": ("Recommended shifts on {day}", "{day} 추천 근무조"),
    "staff.hiring_help": (
        "The plan's mean weekly FTE until the peak, then the peak at the uplift; hires account for "
        "lead time, training and attrition.",
        "성수기 전까지는 계획 기간의 평균 주간 FTE, 성수기에는 증가율을 적용합니다. 채용 리드타임, 교육, 이탈을 반영합니다.",
    ),
    "staff.peak_uplift": ("Peak uplift", "성수기 증가율"),
    "staff.until_peak": ("Weeks until the peak", "성수기까지 남은 주"),
    "staff.peak_weeks": ("Peak length (weeks)", "성수기 기간 (주)"),
    "staff.headcount": ("Productive FTE today", "현재 실가동 FTE"),
    "staff.lead": ("Hiring lead time (weeks)", "채용 소요 (주)"),
    "staff.training": ("Training (weeks)", "교육 기간 (주)"),
    "staff.attrition": ("Weekly attrition", "주간 이탈률"),
    "staff.need_fte": ("FTE needed", "필요 FTE"),
    "staff.productive_fte": ("Productive FTE", "실가동 FTE"),
    "staff.hires": ("Hires decided", "채용 결정"),
    "staff.hiring_title": ("Hiring plan", "채용 계획"),
    "staff.total_hires": ("Hires", "채용 인원"),
    "staff.uncovered": ("Uncovered FTE-weeks", "미충족 FTE·주"),
    # --- QA page -------------------------------------------------------------------------
    "qa.by": ("Group by", "그룹 기준"),
    "qa.group.center": ("Center", "센터"),
    "qa.group.vendor": ("Vendor", "협력사"),
    "qa.group.team": ("Team", "팀"),
    "qa.group.agent": ("Agent", "상담사"),
    "qa.group.evaluator_org": ("Evaluator (in-house / vendor)", "평가자 소속 (자체 / 협력사)"),
    "qa.no_evaluations": ("No QA evaluations in this window.", "이 기간에 QA 평가가 없습니다."),
    "qa.scorecard_title": (
        "Mean QA score with 95% interval (target {target})",
        "평균 QA 점수와 95% 구간 (목표 {target})",
    ),
    "qa.mean_score": ("Mean QA score", "평균 QA 점수"),
    "qa.trend_title": ("QA score per week", "주별 QA 점수"),
    "qa.tab.items": ("Item weaknesses", "항목별 약점"),
    "qa.tab.calibration": ("Calibration", "평가자 보정"),
    "qa.tab.coaching": ("Coaching list", "코칭 대상"),
    "qa.tab.sample": ("Sample to review", "검토 샘플"),
    "qa.gap_vs_form": ("Item mean − form mean (points)", "항목 평균 − 전체 평균 (점)"),
    "qa.items_title": ("Weakest items", "가장 약한 항목"),
    "qa.no_calibration": (
        "No calibration sessions in this window.",
        "이 기간에 보정 세션이 없습니다.",
    ),
    "qa.leniency_title": (
        "Evaluator leniency (points vs the other evaluators)",
        "평가자 관대도 (다른 평가자 대비 점수)",
    ),
    "qa.leniency_help": (
        "Mean of an evaluator's score minus the other evaluators' mean on the same calibration contact; "
        "right of 0 = more lenient.",
        "같은 보정 상담에서 다른 평가자 평균 대비 점수 차의 평균입니다. 0보다 오른쪽이면 더 관대합니다.",
    ),
    "qa.agreement": ("Agreement per item", "항목별 평가 일치도"),
    "qa.spread": ("Score spread per item", "항목별 점수 편차"),
    "qa.audit_gap": ("In-house audit vs vendor self-scores", "자체 감사 vs 협력사 자체 평가"),
    "qa.audit_gap_help": (
        "Negative gap: the vendor scores its own agents higher than our audit does.",
        "음수이면 협력사가 자체 상담사를 우리 감사보다 높게 평가한다는 뜻입니다.",
    ),
    "qa.item_target": ("Item target (0-100)", "항목 목표 (0-100)"),
    "qa.weeks_below": ("Weeks in a row below", "연속 미달 주 수"),
    "qa.coaching_help": (
        "{n} agent × item pairs below {target} for at least {weeks} weeks in a row.",
        "{weeks}주 연속 {target}점 미만인 상담사 × 항목 {n}건.",
    ),
    "qa.week": ("ISO week", "ISO 주차"),
    "qa.per_agent": ("Contacts per agent", "상담사당 상담 수"),
    "qa.sample_help": (
        "{n} contacts, weighted toward long handles, low CSAT and repeats; download and review.",
        "긴 처리 시간, 낮은 CSAT, 재문의에 가중치를 둔 {n}건입니다. 내려받아 검토하세요.",
    ),
    # --- VOC page ------------------------------------------------------------------------
    "voc.period": ("Compare", "비교 단위"),
    "voc.level": ("Tag level", "태그 단계"),
    "voc.level_n": ("Level {n}", "{n}단계"),
    "voc.chart": ("Chart", "차트"),
    "voc.chart.sunburst": ("Sunburst", "선버스트"),
    "voc.chart.treemap": ("Treemap", "트리맵"),
    "voc.movers": ("Top movers vs the previous {period}", "직전 {period} 대비 변동 상위"),
    "voc.change": ("Change in contacts", "상담 건수 변화"),
    "voc.not_compared": (
        "Not compared: the previous {period} has data on {prev_days} of its days only, this one on "
        "{days}. A partial {period} would show every tag rising; choose a shorter period.",
        "비교하지 않음: 직전 {period}은(는) 데이터가 있는 날이 {prev_days}일뿐이고 이번 {period}은(는) "
        "{days}일입니다. 일부 기간과 비교하면 모든 태그가 증가한 것처럼 보이므로 더 짧은 기간을 "
        "선택하세요.",
    ),
    "voc.per_day": (
        "Compared per day: the periods have data on {days} and {prev_days} days.",
        "일 평균으로 비교: 데이터가 있는 날은 이번 {days}일, 직전 {prev_days}일입니다.",
    ),
    "voc.report_table": ("All tags ({n})", "전체 태그 ({n})"),
    "voc.new_tags": ("New this period: {tags}", "이번 기간 신규 태그: {tags}"),
    "voc.partial_shown": (
        "No {period} is whole in the date range: every one shown is partial ({period} starting "
        "{starts}); compare them with care.",
        "기간 필터 안에 온전한 {period}가 없어 일부 날짜만 포함된 기간을 그대로 표시합니다 "
        "({starts} 시작 {period}). 비교에 유의하세요.",
    ),
    "voc.partial_periods": (
        "Left out as partial (the date range or the data covers only some of its days): "
        "{period} starting {starts}.",
        "일부 날짜만 포함된 기간은 제외했습니다 (기간 필터나 데이터가 일부 날짜만 포함): "
        "{starts} 시작 {period}.",
    ),
    "voc.trend_title": ("Contacts by level-1 tag", "1단계 태그별 상담 건수"),
    "voc.tab.repeat": ("Repeat contacts", "재문의"),
    "voc.tab.funnel": ("Support funnel", "지원 퍼널"),
    "voc.tab.automation": ("Automation candidates", "자동화 후보"),
    "voc.tab.anomalies": ("Anomaly days", "이상 징후 일자"),
    "voc.by.channel": ("Channel", "채널"),
    "voc.by.center": ("Center", "센터"),
    "voc.by.tag": ("Level-1 tag", "1단계 태그"),
    "voc.by.segment": ("Segment", "세그먼트"),
    "voc.repeat_title": ("Repeat contact rate with 95% interval", "재문의율과 95% 구간"),
    "voc.repeat_help": (
        "Repeat = same customer, same level-1 tag within 7 days of an earlier contact.",
        "재문의 = 같은 고객이 7일 내 같은 1단계 태그로 다시 문의한 경우.",
    ),
    "voc.stage.notices": ("Proactive notices (events)", "선제 안내 (이벤트)"),
    "voc.stage.bot": ("Started in bot / self-serve", "챗봇·셀프서비스 시작"),
    "voc.stage.contained": ("Contained (no agent)", "자체 해결 (상담사 없음)"),
    "voc.stage.handed_off": ("Handed off to an agent", "상담사 연결"),
    "voc.stage.direct": ("Direct to an agent", "상담사 직접 문의"),
    "voc.funnel_title": (
        "Proactive → bot / self-serve → human",
        "선제 안내 → 챗봇·셀프서비스 → 상담사",
    ),
    "voc.containment": ("Bot containment", "챗봇 자체 해결률"),
    "voc.handoff": ("Hand-off rate", "상담사 연결률"),
    "voc.agent_share": ("Share reaching an agent", "상담사 도달 비율"),
    "voc.fte_saved": ("FTE saved", "절감 FTE"),
    "voc.hours_saved": ("Agent hours saved per week", "주당 절감 상담 시간"),
    "voc.score": ("Score", "점수"),
    "voc.candidates_title": ("What to automate next", "다음 자동화 대상"),
    "voc.no_anomalies": ("No unusual days in this window.", "이 기간에 이상 징후가 없습니다."),
    "voc.anomaly_title": ("Days far outside the usual range", "평소 범위를 크게 벗어난 날"),
    # --- SLA page ------------------------------------------------------------------------
    "sla.metric": ("Metric", "지표"),
    "sla.by": ("Compare by", "비교 기준"),
    "sla.dim.center": ("Center", "센터"),
    "sla.dim.center_kind": ("In-house / vendor", "자체 / 협력사"),
    "sla.dim.channel": ("Channel", "채널"),
    "sla.dim.queue": ("Queue", "큐"),
    "sla.dim.segment": ("Segment", "세그먼트"),
    "sla.period": ("Period", "기간 단위"),
    "sla.period.day": ("Day", "일"),
    "sla.period.week": ("Week", "주"),
    "sla.period.month": ("Month", "월"),
    "sla.period.interval": ("Interval", "구간"),
    "sla.formula": ("Formula: {formula}", "산식: {formula}"),
    "sla.formula_values": (
        "Formula: {formula}. Values used here: {values}.",
        "산식: {formula}. 적용 값: {values}.",
    ),
    "sla.target_line": ("target {target}", "목표 {target}"),
    "sla.trend_title": ("{metric} over time", "{metric} 추이"),
    "sla.by_title": (
        "Whole window by {dim} (numerator, denominator)",
        "기간 전체 {dim}별 (분자, 분모)",
    ),
    "sla.heatmap": ("Weekday × time of day", "요일 × 시간대"),
    "sla.heatmap_help": (
        "Each cell adds up the numerators and denominators of its intervals over the window.",
        "각 칸은 기간 내 해당 구간들의 분자와 분모를 합산해 계산합니다.",
    ),
    "sla.heatmap_na": (
        "This metric is not additive over intervals; pick a ratio or mean metric for the heatmap.",
        "이 지표는 구간 합산이 불가능합니다. 히트맵에는 비율이나 평균 지표를 선택하세요.",
    ),
    "sla.drill": ("Drill down: day → intervals → contacts", "상세 분석: 일 → 구간 → 상담"),
    "sla.missed_days": (
        "{missed} of {days} days missed or nearly missed the target (worst first).",
        "{days}일 중 {missed}일이 목표에 미달하거나 근접했습니다 (나쁜 순).",
    ),
    "sla.no_target_days": (
        "This metric has no target; days are listed worst first.",
        "이 지표는 목표가 없습니다. 나쁜 순으로 표시합니다.",
    ),
    "sla.pick_day": ("Day", "일자"),
    "sla.interval": ("Interval", "구간"),
    "sla.day_title": ("Intervals of {day}", "{day} 구간별"),
    "sla.pick_interval": ("Interval (worst first)", "구간 (나쁜 순)"),
    "sla.contacts_in": (
        "{n} contacts entered the queue {start} (+{minutes} min).",
        "{start}부터 {minutes}분 동안 {n}건이 인입되었습니다.",
    ),
    "sla.contacts_in_live": (
        "{n} contacts entered the live queues {start} (+{minutes} min).",
        "{start}부터 {minutes}분 동안 실시간 큐에 {n}건이 인입되었습니다.",
    ),
    "sla.contacts_in_async": (
        "{n} contacts entered the async queues {start} (+{minutes} min).",
        "{start}부터 {minutes}분 동안 비동기 큐에 {n}건이 인입되었습니다.",
    ),
    # --- data page -----------------------------------------------------------------------
    "data.intro": (
        "What is loaded, file imports, and the rows an import rejected with the reason.",
        "적재된 데이터, 파일 가져오기, 가져오기에서 거부된 행과 그 사유를 봅니다.",
    ),
    "data.loaded": ("What is loaded", "적재 현황"),
    "data.import": ("Import a file", "파일 가져오기"),
    "data.import_unavailable": (
        "The importer is not installed in this build; use `ccops import` on the command line.",
        "이 빌드에는 가져오기 기능이 없습니다. 명령줄에서 `ccops import`를 사용하세요.",
    ),
    "data.upload": ("File (CSV, Excel, Parquet, JSON)", "파일 (CSV, 엑셀, Parquet, JSON)"),
    "data.dry_run": ("Check only (dry run, nothing is stored)", "검사만 하기 (저장하지 않음)"),
    "data.import_go": ("Import", "가져오기"),
    "data.profile": ("Source (profile)", "원본 형식 (프로필)"),
    "data.table": ("Table (canonical files)", "테이블 (표준 형식 파일)"),
    "data.table_help": (
        "For canonical files: the table whose column names the file uses. Profiles know their table.",
        "표준 형식 파일일 때 파일 열 이름이 따르는 테이블입니다. 프로필은 테이블이 정해져 있습니다.",
    ),
    "data.center": ("Center for rows without one", "센터 미지정 행의 센터"),
    "data.center_help": (
        "Fills center_id where the file has none and sets the timezone of naive timestamps.",
        "파일에 센터가 없는 행의 center_id를 채우고, 시간대 없는 시각의 기준 시간대를 정합니다.",
    ),
    "data.password": ("Excel password (if protected)", "엑셀 비밀번호 (보호된 경우)"),
    "data.summary": ("{file} → {table}: {status}", "{file} → {table}: {status}"),
    "data.read": ("Rows read", "읽은 행"),
    "data.inserted": ("Inserted", "추가"),
    "data.updated": ("Updated", "갱신"),
    "data.duplicates": ("Already stored", "중복 (이미 저장됨)"),
    "data.rejected_n": ("Rejected", "거부"),
    "data.importing": ("Importing {file}…", "{file} 가져오는 중…"),
    "data.imported": ("{file} imported.", "{file} 가져오기 완료."),
    "data.runs": ("Recent imports", "최근 가져오기"),
    "data.no_runs": ("No imports yet.", "아직 가져오기 기록이 없습니다."),
    "data.rejected": ("Rejected rows", "거부된 행"),
    "data.pick_run": ("Import run", "가져오기 실행"),
    "data.no_rejected": ("This import rejected no rows.", "이 가져오기에서 거부된 행이 없습니다."),
    "weekday.0": ("Mon", "월"),
    "weekday.1": ("Tue", "화"),
    "weekday.2": ("Wed", "수"),
    "weekday.3": ("Thu", "목"),
    "weekday.4": ("Fri", "금"),
    "weekday.5": ("Sat", "토"),
    "weekday.6": ("Sun", "일"),
}

CATALOG: dict[str, dict[str, str]] = {
    lang: {key: texts[i] for key, texts in _TEXT.items()} for i, lang in enumerate(LANGS)
}


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a format string."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def default_lang(locale: str | None, setting: str = "auto") -> str:
    """``ko`` when the setting says so, or when it is ``auto`` and the browser locale is Korean."""
    if setting in LANGS:
        return setting
    return "ko" if (locale or "").lower().startswith("ko") else "en"


def current_lang() -> str:
    """The session's language (``en`` outside a Streamlit session)."""
    try:
        import streamlit as st

        lang = st.session_state.get(LANG_KEY)
    except Exception:  # no script run context (plain Python, tests of formatters)
        lang = None
    return lang if lang in LANGS else "en"


_WITHIN_T_KO = "; T 이내 = 대기 시간 <= threshold_s"
_RR_KO = (
    "{h}영업시간 이내 응답 / (응답 + as_of 시점에 기한이 지난 미응답); 아직 기한 전인 미응답은 제외"
)

#: The registry's formulas (``ops.sla.registry``) worded in Korean; parameter and column names
#: stay as they are in the data model. A test checks every registry metric has one.
METRIC_FORMULA_KO: dict[str, str] = {
    "offered": "응대 + 포기, 단기 포기(대기 < short_abandon_s) 제외",
    "answered": "상담원이 응대한 상담 (실시간 큐)",
    "abandoned": "응대 전에 포기한 상담, 단기 포기 제외",
    "short_abandons": "대기 < short_abandon_s 에서 포기 (인입과 포기에서 제외)",
    "service_level": "T 이내 응대 / (인입 - 단기 포기) [포기는 미달로 계산] (기본 변형; sl_variant로 다른 변형 선택)"
    + _WITHIN_T_KO,
    "service_level_answered_only": "T 이내 응대 / 응대" + _WITHIN_T_KO,
    "service_level_abandons_excluded": "T 이내 응대 / (인입 - 단기 포기 - T 이내 포기)"
    + _WITHIN_T_KO,
    "service_level_abandons_success": "(T 이내 응대 + T 이내 포기) / (인입 - 단기 포기)"
    + _WITHIN_T_KO,
    "asa_s": "응대 상담의 대기 시간 합 / 응대",
    "abandon_rate": "포기 / 인입 (단기 포기는 양쪽에서 제외)",
    "aht_s": "handle_s 합 (통화 + 보류 + 후처리) / 상담원이 처리한 상담",
    "occupancy": "상담원 처리 상담의 처리 시간(초) / (근무표의 실가동 시간(초) x 큐 동시 처리 수: "
    "동시 처리 2인 채팅 상담원은 좌석 2개)",
    "pct_intervals_meeting_sl": "SL >= sl_target 인 구간(interval_minutes) / 인입 > 0 인 구간",
    "frt_mean_s": "응답한 비실시간 상담의 wait_s 합 / 응답",
    "frt_median_s": "응답한 비실시간 상담의 wait_s 중앙값; 분모 = 응답",
    "frt_p90_s": "응답한 비실시간 상담의 wait_s 90번째 백분위수",
    "frt_business_mean_s": "first_response_business_s 합 / 응답 (센터 영업시간과 휴일 기준)",
    "frt_business_median_s": "응답한 비실시간 상담의 first_response_business_s 중앙값",
    "frt_business_p90_s": "응답한 비실시간 상담의 first_response_business_s 90번째 백분위수",
    "response_rate": _RR_KO.format(h="N(response_hours) "),
    "response_rate_3h": _RR_KO.format(h="3"),
    "response_rate_6h": _RR_KO.format(h="6"),
    "response_rate_16h": _RR_KO.format(h="16"),
    "response_rate_24h": _RR_KO.format(h="24"),
    "resolution_time_s": "(resolved_at - created_at) 합 / 해결된 상담",
    "resolution_business_s": "resolution_business_s 합 / 영업시간 기준 해결 시간이 있는 해결 상담",
    "reopen_rate": "재오픈된 해결 상담 / 해결된 상담",
    "backlog": "기간 종료 전에 생성되어 그때까지 해결(또는 포기)되지 않은 비실시간 상담원 상담",
    "csat": "4점 또는 5점 응답 / 1-5점 응답 (contacts.csat)",
    "ces": "CES 점수 합 / 응답 (contacts.ces, 1-7점)",
    "ces_high_share": "6점 또는 7점 응답 / CES 응답",
    "nps": "100 x (추천 9-10 - 비추천 0-6) / 응답 (surveys kind 'nps'); 분자 = 추천 - 비추천",
    "qa_score": "평가 점수 평균: sum(가중치 x 항목 점수 0-100) / sum(가중치), 해당 없음(N/A) 항목 "
    "제외; 필수 항목 불합격 시 평가 0점 (ops.qa.scoring)",
    "repeat_contact_rate": "is_repeat 상담 (같은 고객, 같은 1단계 태그, 7일 이내) / 상담",
    "bot_containment": "handled_by가 bot 또는 self_serve / 봇에서 시작된 상담 (via_bot 또는 봇 처리)",
}


def t(key: str, lang: str | None = None, **fields: Any) -> str:
    """The text for ``key`` in ``lang`` (default: the session's), with ``fields`` filled in.

    A missing key raises ``KeyError`` so a typo fails the AppTest suite instead of showing a raw key.
    """
    text = CATALOG[lang or current_lang()][key]
    return text.format(**fields) if fields else text


def channel_name(channel: Any, lang: str | None = None) -> str:
    """A channel id (``voice``, ``kakaotalk``) as people call it: 전화 / 카카오톡 in Korean,
    Voice / KakaoTalk in English (names from ``ops.labels``)."""
    from ops.labels import CHANNEL_EN, CHANNEL_KO

    c = str(channel)
    if (lang or current_lang()) == "ko":
        return CHANNEL_KO.get(c, c)
    name = CHANNEL_EN.get(c, c)
    return name[:1].upper() + name[1:]


def role_label(role: str, lang: str | None = None) -> str:
    return t(f"role.{role}", lang)


# --- formatting ------------------------------------------------------------------------------
# Korean and English both group digits by thousands with "," and write dates ISO-style
# (2026-11-23), which is what Korean business documents use; the differences are in units.


def _missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return bool(math.isnan(float(x)))
    except (TypeError, ValueError):
        return False


def fmt_int(x: Any, lang: str | None = None) -> str:
    """1234.4 -> '1,234' ('–' when missing)."""
    return "–" if _missing(x) else f"{round(float(x)):,}"


def fmt_num(x: Any, digits: int = 1, lang: str | None = None) -> str:
    """1234.56 -> '1,234.6'."""
    return "–" if _missing(x) else f"{float(x):,.{digits}f}"


def fmt_pct(x: Any, digits: int = 1, lang: str | None = None) -> str:
    """A share in [0, 1] as a percent: 0.4444 -> '44.4%'."""
    return "–" if _missing(x) else f"{float(x) * 100:,.{digits}f}%"


def fmt_date(d: date | datetime | Any, lang: str | None = None) -> str:
    """ISO date, e.g. '2026-11-23'."""
    if d is None or _missing_date(d):
        return "–"
    if hasattr(d, "date") and callable(d.date):
        d = d.date()
    return d.isoformat()


def _missing_date(d: Any) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(d))
    except (TypeError, ValueError):
        return False


def fmt_seconds(x: Any, lang: str | None = None) -> str:
    """A duration: under 2 minutes in seconds ('18 s' / '18초'), under 2 hours in minutes, else hours."""
    if _missing(x):
        return "–"
    s = float(x)
    if abs(s) < 120:
        return t("unit.s", lang, v=fmt_num(s, 0))
    if abs(s) < 7200:
        return t("unit.min", lang, v=fmt_num(s / 60, 1))
    return t("unit.h", lang, v=fmt_num(s / 3600, 1))


def fmt_money(x: Any, currency: str | None = "KRW", lang: str | None = None) -> str:
    """Money without cents for KRW/JPY ('₩1,234,567'), two decimals otherwise ('$1,234.50')."""
    if _missing(x):
        return "–"
    symbols = {"KRW": "₩", "USD": "$", "EUR": "€", "JPY": "¥", "PHP": "₱"}
    cur = (currency or "").upper()
    digits = 0 if cur in {"KRW", "JPY", ""} else 2
    sym = symbols.get(cur, f"{cur} " if cur else "")
    v = float(x)
    sign = "-" if v < 0 else ""
    return f"{sign}{sym}{abs(v):,.{digits}f}"


def fmt_value(x: Any, unit: str, lang: str | None = None, currency: str | None = "KRW") -> str:
    """Format a metric value by its registry unit: ratio/percent, seconds, hours, score, count, money."""
    u = (unit or "").lower()
    if u == "currency":
        return fmt_money(x, currency, lang)
    if u in {"index", "points"}:
        return fmt_num(x, 1, lang)
    if u in {"ratio", "share", "percent", "pct", "%", "rate"}:
        return fmt_pct(x, 1, lang)
    if u in {"seconds", "s", "sec"}:
        return fmt_seconds(x, lang)
    if u in {"hours", "h"}:
        return "–" if _missing(x) else fmt_seconds(float(x) * 3600, lang)
    if u in {"count", "contacts", "int"}:
        return fmt_int(x, lang)
    if u in {"krw", "money", "currency"}:
        return fmt_money(x, "KRW", lang)
    return fmt_num(x, 2 if _missing(x) or abs(float(x)) < 10 else 1, lang)


def fmt_value_vs(x: Any, ref: Any, unit: str, lang: str | None = None) -> str:
    """:func:`fmt_value` of ``x``, with more decimals when it would read the same as ``ref``
    although the two differ: a day at 79.96 % against an 80 % target reads "79.96%", not "80.0%"
    beside a "missed" status."""
    text = fmt_value(x, unit, lang)
    if _missing(x) or _missing(ref) or float(x) == float(ref) or text != fmt_value(ref, unit, lang):
        return text
    u = (unit or "").lower()
    for digits in (2, 3, 4):
        if u in {"ratio", "share", "percent", "pct", "%", "rate"}:
            a, b = fmt_pct(x, digits, lang), fmt_pct(ref, digits, lang)
        elif u in {"index", "points", "score", ""}:
            a, b = fmt_num(x, digits, lang), fmt_num(ref, digits, lang)
        else:
            return text
        if a != b:
            return a
    return text


def weekday_labels(lang: str | None = None) -> list[str]:
    return [t(f"weekday.{i}", lang) for i in range(7)]
