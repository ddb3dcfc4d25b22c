"""The catalog is complete in both languages, and numbers/dates format as documented."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from dashboard import i18n
from dashboard.auth import ROLES
from dashboard.i18n import CATALOG, LANGS, fmt_date, fmt_int, fmt_money, fmt_pct, fmt_seconds, t

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def _literal_keys() -> set[str]:
    """Every t("...") key written as a string literal anywhere in dashboard/."""
    keys: set[str] = set()
    for path in DASHBOARD.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                keys.add(node.args[0].value)
    return keys


def test_both_languages_have_the_same_keys() -> None:
    assert set(CATALOG["en"]) == set(CATALOG["ko"])


@pytest.mark.parametrize("lang", LANGS)
def test_every_literal_key_used_by_the_dashboard_exists(lang: str) -> None:
    used = _literal_keys()
    assert len(used) > 50  # the scan really found the pages' keys
    missing = sorted(k for k in used if k not in CATALOG[lang])
    assert not missing, f"keys missing in {lang}: {missing}"


def test_dynamic_key_families_exist() -> None:
    from dashboard.navigation import PAGE_SPECS

    dynamic = [f"role.{r}" for r in ROLES] + [f"weekday.{i}" for i in range(7)]
    dynamic += [f"page.{p.key}" for p in PAGE_SPECS]
    dynamic += [f"nav.section.{p.section}" for p in PAGE_SPECS]
    for lang in LANGS:
        assert [k for k in dynamic if k not in CATALOG[lang]] == []


def test_texts_are_non_empty_and_placeholders_match() -> None:
    for key in CATALOG["en"]:
        en, ko = CATALOG["en"][key], CATALOG["ko"][key]
        assert en.strip() and ko.strip(), key
        assert i18n.placeholders(en) == i18n.placeholders(ko), key


def test_korean_text_is_korean() -> None:
    # a translation that was left in English would slip through the key checks
    assert "로그인" == t("login.title", "ko")
    hangul = sum(any("\uac00" <= ch <= "\ud7a3" for ch in v) for v in CATALOG["ko"].values())
    assert hangul / len(CATALOG["ko"]) > 0.8


def test_unknown_key_raises() -> None:
    with pytest.raises(KeyError):
        t("no.such.key", "en")


def test_default_language_follows_setting_then_browser_locale() -> None:
    assert i18n.default_lang("ko-KR", "auto") == "ko"
    assert i18n.default_lang("ko", "auto") == "ko"
    assert i18n.default_lang("en-US", "auto") == "en"
    assert i18n.default_lang(None, "auto") == "en"
    assert i18n.default_lang("en-US", "ko") == "ko"
    assert i18n.default_lang("ko-KR", "en") == "en"


def test_number_and_date_formats() -> None:
    # hand-written expectations: thousands with commas, ISO dates, percent with one decimal
    assert fmt_int(1234) == "1,234"
    assert fmt_int(1234567.6) == "1,234,568"
    assert fmt_int(None) == "–"
    assert fmt_pct(4 / 9) == "44.4%"
    assert fmt_pct(0.8) == "80.0%"
    assert fmt_pct(float("nan")) == "–"
    assert fmt_date(date(2026, 11, 23)) == "2026-11-23"
    assert fmt_money(1234567.4, "KRW") == "₩1,234,567"
    assert fmt_money(1234.5, "USD") == "$1,234.50"
    assert fmt_seconds(18, "en") == "18 s"
    assert fmt_seconds(18, "ko") == "18초"
    assert fmt_seconds(300, "en") == "5.0 min"
    assert fmt_seconds(3 * 3600, "ko") == "3.0시간"


def test_every_registry_metric_has_a_korean_formula() -> None:
    from dashboard.context import metric_formula
    from ops.sla.registry import METRICS

    missing = sorted(set(METRICS) - set(i18n.METRIC_FORMULA_KO))
    assert not missing, f"add Korean formulas for {missing} to dashboard.i18n.METRIC_FORMULA_KO"
    assert not set(i18n.METRIC_FORMULA_KO) - set(METRICS)  # no stale entries
    # English shows the registry's own text; Korean keeps the parameter names of the formula
    assert metric_formula("service_level", "en") == METRICS["service_level"].formula
    ko = metric_formula("service_level", "ko")
    assert "threshold_s" in ko and "단기 포기" in ko
    assert metric_formula("response_rate_6h", "ko").startswith("6영업시간 이내 응답")


def test_the_formula_caption_names_the_values_it_was_computed_with() -> None:
    from dashboard.context import metric_parameters
    from ops.sla import MetricParams

    assert (
        metric_parameters("service_level", None, "en") == "T = 20 s; short abandon = wait under 5 s"
    )
    assert metric_parameters("service_level", MetricParams(threshold_s=10), "ko") == (
        "T = 10초; 단기 포기 = 대기 5초 미만"
    )
    assert metric_parameters("abandon_rate", None, "en") == "short abandon = wait under 5 s"
    assert metric_parameters("aht_s", None, "en") == ""  # nothing to fill in
    assert metric_parameters("pct_intervals_meeting_sl", None, "en") == (
        "T = 20 s; sl_target = 80%; interval = 30 min"
    )


def test_a_value_next_to_its_target_never_reads_the_same_when_it_differs() -> None:
    from dashboard.i18n import fmt_value_vs

    # 0.79957 vs 0.80: "80.0%" twice would hide the miss; two decimals show it
    assert fmt_value_vs(0.79957, 0.80, "ratio") == "79.96%"
    assert fmt_value_vs(0.7996, 0.80, "ratio") == "79.96%"
    assert fmt_value_vs(0.79999, 0.80, "ratio") == "79.999%"
    assert fmt_value_vs(0.7925, 0.80, "ratio") == "79.2%"  # already distinct: unchanged
    assert fmt_value_vs(0.80, 0.80, "ratio") == "80.0%"  # equal: unchanged
    assert fmt_value_vs(84.96, 85.0, "points") == "84.96"


def test_column_headers_come_from_the_registry_and_the_catalog() -> None:
    import re

    import streamlit as st

    from dashboard.columns import COLUMN_LABELS, column_label, with_labels

    # registry metrics by their own labels, their parts as numerator / denominator
    assert column_label("service_level", "ko") == "서비스 레벨"
    assert column_label("service_level_num", "en") == "Service level numerator"
    assert column_label("aht_s_den", "ko") == "평균 처리 시간 분모"
    assert column_label("margin_pt", "ko") == "목표 대비 여유 [포인트]"
    # every catalog entry has both languages; the Korean one is Korean (or an acronym like WAPE)
    for name, (en, ko) in COLUMN_LABELS.items():
        assert en and ko, name
        assert re.search(r"[가-힣]", ko) or ko == en, (name, ko)
    # a number format set by the page is kept, the header is added; headers a page wrote for
    # people (a space, a capital, Hangul) are left alone
    fmt = st.column_config.NumberColumn(format="%.1f")
    cfg = with_labels(["yhat", "Abandon rate", "포기율", "center_id"], {"yhat": fmt}, "ko")
    assert cfg["yhat"]["label"] == "예측" and cfg["yhat"]["type_config"] == fmt["type_config"]
    assert cfg["center_id"] == "센터 ID"
    assert "Abandon rate" not in cfg and "포기율" not in cfg
    # float columns without a configuration get a format from what they hold
    import pandas as pd

    frame = pd.DataFrame({"service_level": [0.87], "wait_s": [12.345], "gap_fte": [1.25],
                          "contacts": [3], "z": [1.5]})  # fmt: skip
    cfg = with_labels(frame, None, "en")
    assert cfg["service_level"]["type_config"]["format"] == "percent"
    # step 0.001 = one fixed decimal on screen (Streamlit: decimals of the step minus 2)
    assert cfg["service_level"]["type_config"]["step"] == 0.001
    assert cfg["wait_s"]["type_config"]["format"] == "%.1f"
    assert cfg["gap_fte"]["type_config"]["format"] == "%.1f"
    assert cfg["contacts"] == "Contacts" and cfg["z"] == "z-score"  # an int; no known unit
    # csat is a registry ratio (top-2-box share) and a stored 1-5 answer: the values tell which
    answers = with_labels(pd.DataFrame({"csat": [5.0, None, 3.0]}), None, "en")
    assert answers["csat"] == "CSAT (1-5)"  # no percent format: 5 is not 500%
    shares = with_labels(pd.DataFrame({"csat": [0.81, 0.77]}), None, "en")
    assert shares["csat"]["label"] == "CSAT (top-2-box)"
    assert shares["csat"]["type_config"]["format"] == "percent"
    # shares of 1 by their name, when the values are shares: pass rate yes, a score CI no
    qa = with_labels(
        pd.DataFrame({"pass_rate": [0.52], "ci_low": [81.9], "repeat_rate_hi": [0.12]}), None, "en"
    )
    assert qa["pass_rate"]["type_config"]["format"] == "percent"
    assert qa["repeat_rate_hi"]["type_config"]["format"] == "percent"
    assert qa["ci_low"]["label"] == "95% low"
    # QA scores in points to one decimal (82.9444 -> 82.9); the item id and name read apart
    scores = with_labels(pd.DataFrame({"mean_score": [82.9444], "gap_vs_form": [-3.846],
                                       "item_id": ["logging"], "item_name": ["Contact logged"]}),
                         None, "en")  # fmt: skip
    assert scores["mean_score"]["type_config"]["format"] == "%.1f"
    assert scores["gap_vs_form"]["type_config"]["format"] == "%.1f"
    assert scores["item_id"] == "Item ID" and scores["item_name"] == "Item"
    # forecasts to one decimal; days (all midnights) without 00:00:00, instants as they are
    days = pd.to_datetime(["2026-12-06", "2026-12-07"])
    fc = with_labels(pd.DataFrame({"ds": days, "yhat": [203.1368, 289.6738],
                                   "created_local": days + pd.Timedelta(minutes=5)}), None, "en")  # fmt: skip
    assert fc["yhat"]["type_config"]["format"] == "%.1f"
    assert fc["ds"]["type_config"]["type"] == "datetime"
    assert fc["ds"]["type_config"]["format"] == "YYYY-MM-DD"
    assert isinstance(fc["created_local"], str)
    # counts reaching 10,000 with thousands separators; small counts, ids and years as they are
    ints = with_labels(pd.DataFrame({"rows": [2211562, 3], "contacts": [12, 40],
                                     "year": [2026, 2025], "import_run_id": [10001, 10002]}),
                       None, "en")  # fmt: skip
    assert ints["rows"]["type_config"]["format"] == "localized"
    assert all(isinstance(ints[c], str) for c in ("contacts", "year", "import_run_id"))
    # None hides a column: it stays hidden
    assert with_labels(pd.DataFrame({"center_id": ["A"]}), {"center_id": None})["center_id"] is None
