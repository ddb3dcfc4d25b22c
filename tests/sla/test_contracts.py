"""Contract validation, versioning and the penalty arithmetic (worked by hand in comments)."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
import yaml
from sla_fixtures import TEN_CALLS, TICKETS, call, load

from ops.errors import ConfigError
from ops.sla import MetricParams
from ops.sla.compliance import assess_line, compliance, penalty_statement, shortfall_points
from ops.sla.contracts import (
    CONTRACTS_DIR,
    ContractLine,
    load_contracts,
    parse_contract,
    read_contract_file,
    read_contracts,
)
from ops.store import Store

BASE = {
    "contract_id": "X", "center_id": "BUSAN", "version": 1, "effective_from": "2026-01-01",
    "monthly_fee": 120_000_000, "currency": "KRW", "penalty_cap_pct": 15,
    "metrics": [
        {"metric": "service_level", "target": 0.8, "threshold": "20s", "scope": {"channel": "voice"},
         "penalty": {"tiers": [{"from": 0, "to": 2, "pct_of_fee": 2},
                               {"from": 2, "to": 5, "pct_of_fee": 5},
                               {"from": 5, "pct_of_fee": 10}], "cap_pct": 10},
         "bonus": {"above": 3, "pct_of_fee": 1}},
        {"metric": "ces", "target": 6.5},
        {"metric": "response_rate", "target": 0.9, "threshold": 16, "scope": {"channel": "email"}},
    ],
}  # fmt: skip


def _write(tmp_path: Path, name: str, data: dict) -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data), encoding="utf-8")
    return p


def test_demo_contracts_validate():
    cs = read_contracts(CONTRACTS_DIR)
    ids = {(c.contract_id, c.version) for c in cs}
    assert {("SEOUL-INHOUSE", 1), ("BUSAN-BPO", 1), ("MANILA-BPO", 1), ("MANILA-BPO", 2)} <= ids
    v1 = next(c for c in cs if c.contract_id == "MANILA-BPO" and c.version == 1)
    assert v1.effective_to == date(2026, 6, 30)  # the day before version 2 starts


def test_error_names_file_and_field(tmp_path):
    bad = {**BASE, "metrics": [*BASE["metrics"], {"metric": "csat", "target": 1.5}]}
    p = _write(tmp_path, "busan.yaml", bad)
    with pytest.raises(ConfigError) as e:
        read_contract_file(p)
    assert str(e.value) == f"{p}: metrics[3].target must be between 0 and 1, got 1.5"


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ({"metrics": [{"metric": "sl", "target": 0.8}]}, "metrics[0].metric must be a registered"),
        ({"monthly_fee": -1}, "monthly_fee: Input should be greater than or equal to 0"),
        ({"effective_from": "2026-13-01"}, "effective_from: Input should be a valid date"),
        ({"metrics": []}, "metrics: List should have at least 1 item"),
        ({"center": "X"}, "center is not a known field"),
        ({"metrics": [{"metric": "ces", "target": 9}]}, "metrics[0].target must be between 1 and 7"),
        ({"metrics": [{"metric": "service_level", "target": 0.8, "threshold": "twenty"}]},
         "metrics[0].threshold must be a number or a duration"),
        ({"metrics": [{"metric": "ces", "target": 6, "penalty": {"tiers": [
            {"from": 0, "to": 3, "pct_of_fee": 1}, {"from": 2, "pct_of_fee": 2}]}}]},
         "metrics[0].penalty.tiers must not overlap"),
    ],
)  # fmt: skip
def test_validation_messages(patch, expected):
    with pytest.raises(ConfigError, match=None) as e:
        parse_contract({**BASE, **patch}, "data/contracts/busan.yaml")
    assert str(e.value).startswith("data/contracts/busan.yaml: ")
    assert expected in str(e.value)


def test_thresholds_units():
    line = ContractLine(metric="response_rate", target=0.9, threshold=16)
    assert line.params().response_hours == 16
    assert (
        ContractLine(metric="response_rate", target=0.9, threshold="30m").params().response_hours
        == 0.5
    )
    assert ContractLine(metric="service_level", target=0.8, threshold=20).params().threshold_s == 20
    assert (
        ContractLine(metric="service_level", target=0.8, threshold="1m").params().threshold_s == 60
    )


def test_load_is_idempotent_and_atomic(tmp_path):
    store = Store.open(":memory:")
    load(store, [])
    d = tmp_path / "c"
    shutil.copytree(CONTRACTS_DIR, d)
    load_contracts(store, d)
    n = store.query("SELECT count(*) AS n FROM sla_contracts").n[0]
    load_contracts(store, d)
    assert store.query("SELECT count(*) AS n FROM sla_contracts").n[0] == n == 4
    _write(
        d, "zz_bad.yaml", {**BASE, "contract_id": "Y", "metrics": [{"metric": "ces", "target": 0}]}
    )
    with pytest.raises(ConfigError, match="zz_bad.yaml"):
        load_contracts(store, d)
    assert store.query("SELECT count(*) AS n FROM sla_contracts").n[0] == 4  # nothing written
    (d / "zz_bad.yaml").unlink()
    _write(d, "zz_dup.yaml", {**BASE, "contract_id": "MANILA-BPO", "center_id": "MANILA",
                              "version": 3, "effective_from": "2026-03-01"})  # fmt: skip
    with pytest.raises(ConfigError, match="effective_from must be after version 2"):
        load_contracts(store, d)


def test_penalty_arithmetic_by_hand():
    c = parse_contract(BASE)
    line = c.metrics[0]
    # SL 76.2 % vs 80 %: shortfall 3.8 pt -> tier 2-5 pt = 5 % of 120,000,000 = 6,000,000 KRW
    sl = assess_line(line, 0.762, c.monthly_fee, "KRW")
    assert sl.shortfall_pt == pytest.approx(3.8)
    assert sl.penalty == 6_000_000
    assert "shortfall 3.8 pt → tier 2–5 pt = 5% of fee 120,000,000 KRW = 6,000,000 KRW" in sl.text
    # 1.0 pt short -> 2 % = 2,400,000; exactly 2.0 pt -> next tier (from <= s < to) = 5 %
    assert assess_line(line, 0.79, c.monthly_fee, "KRW").penalty == 2_400_000
    assert assess_line(line, 0.78, c.monthly_fee, "KRW").penalty == 6_000_000
    # 12 pt short -> tier 5+ = 10 % = 12,000,000 = line cap 10 % -> 12,000,000
    assert assess_line(line, 0.68, c.monthly_fee, "KRW").penalty == 12_000_000
    # 84 % beats 80 % by 4 pt >= 3 -> bonus 1 % = 1,200,000
    ok = assess_line(line, 0.84, c.monthly_fee, "KRW")
    assert (ok.penalty, ok.bonus) == (0, 1_200_000)
    # lower-is-better: abandon 7 % vs 5 % target = 2 pt short
    assert shortfall_points("abandon_rate", 0.07, 0.05) == pytest.approx(2.0)
    assert shortfall_points("ces", 6.2, 6.5) == pytest.approx(0.3)


def test_statement_cap():
    big = {**BASE, "penalty_cap_pct": 6, "metrics": [BASE["metrics"][0], {
        "metric": "abandon_rate", "target": 0.05,
        "penalty": {"tiers": [{"from": 0, "pct_of_fee": 4}]}}]}  # fmt: skip
    c = parse_contract(big)
    # SL 76.2 % -> 5 % (6,000,000) + abandon 6 % vs 5 % -> 4 % (4,800,000) = 10,800,000;
    # monthly cap 6 % of 120,000,000 = 7,200,000
    st = penalty_statement(c, "2026-11", {0: 0.762, 1: 0.06})
    assert st.penalty_before_cap == 10_800_000
    assert st.penalty_total == 7_200_000
    assert st.net_adjustment == -7_200_000
    assert "cap 6% of fee = 7,200,000 KRW → 7,200,000 KRW" in st.text[-1]


def test_compliance_on_fixture_and_mid_year_version():
    store = Store.open(":memory:")
    # BUSAN voice in June and in July 2026: the same 9 offered / 4 in time both months
    june = [{**r, "contact_id": "b6" + r["contact_id"], "center_id": "BUSAN"} for r in
            [call(f"{i}", f"2026-06-01 10:{i:02d}:00", wait=w, answered=a) for i, (w, a) in
             enumerate([(0, True), (5, True), (12, True), (18, True), (25, True), (40, True),
                        (3, False), (15, False), (30, False), (60, False)])]]  # fmt: skip
    july = [{**r, "contact_id": "b7" + r["contact_id"][2:],
             "created_at": r["created_at"].replace(month=7),
             "created_local": r["created_local"].replace(month=7),
             **({"answered_at": r["answered_at"].replace(month=7)} if "answered_at" in r else
                {"abandoned_at": r["abandoned_at"].replace(month=7)})} for r in june]  # fmt: skip
    load(store, TEN_CALLS + TICKETS + june + july)
    v1 = {**BASE, "contract_id": "B", "version": 1, "effective_from": "2026-01-01"}
    v2 = {**BASE, "contract_id": "B", "version": 2, "effective_from": "2026-07-01",
          "metrics": [{**BASE["metrics"][0], "target": 0.40}]}  # fmt: skip
    from ops.sla.contracts import chain_versions

    cs = chain_versions([parse_contract(v1), parse_contract(v2)])
    rep = compliance(store.reader(), start_month="2026-06", end_month="2026-07", contracts=cs,
                     params=MetricParams(as_of=datetime(2026, 11, 6, 8)))  # fmt: skip
    lines = rep.lines_frame()
    sl = lines[lines.metric == "service_level"].sort_values("period_start")
    # June judged by v1 (80 %): 4/9 = 44.4 % -> missed by 35.6 pt; July by v2 (40 %): met
    assert list(sl.version) == [1, 2]
    assert list(sl.met) == [False, True]
    assert sl.iloc[0].num == 4 and sl.iloc[0].den == 9
    assert sl.iloc[0].margin_pt == pytest.approx(-(80 - 400 / 9))
    st = {(s.month, s.version): s for s in rep.statements}
    # June: 35.6 pt short -> tier 5+ = 10 % = 12,000,000 (line cap 10 %) -> under the 15 % cap
    assert st[("2026-06", 1)].penalty_total == 12_000_000
    assert st[("2026-07", 2)].penalty_total == 0
    # 44.4 % vs 40 %: beats by 4.4 pt >= 3 -> bonus 1 % = 1,200,000
    assert st[("2026-07", 2)].bonus_total == 1_200_000
    summary = {(r["contract_id"], r["line_no"]): r for r in rep.summary}
    assert summary[("B", 0)]["periods"] == 2 and summary[("B", 0)]["share_met"] == 0.5
    assert len(rep.breaches()) >= 1


def test_partial_months_are_provisional_and_left_out_of_attainment():
    store = Store.open(":memory:")
    # BUSAN's data starts on 2026-06-10 and the store's data ends on 2026-07-20 (SEOUL's last call)
    rows = [{**call("b1", "2026-06-10 10:00:00", wait=5, answered=True), "center_id": "BUSAN"},
            {**call("b2", "2026-07-01 10:00:00", wait=60, answered=True), "center_id": "BUSAN"},
            call("s1", "2026-07-20 10:00:00", wait=5, answered=True)]  # fmt: skip
    load(store, rows)
    c = parse_contract({**BASE, "contract_id": "B", "version": 1, "effective_from": "2026-01-01"})
    rep = compliance(store.reader(), start_month="2026-06", end_month="2026-07", contracts=[c],
                     params=MetricParams(as_of=datetime(2026, 7, 20, 2)))  # fmt: skip
    st = {s.month: s for s in rep.statements}
    # June: 10th..30th = 21 of 30 days; July: 1st..20th = 20 of 31 days
    assert (st["2026-06"].days_with_data, st["2026-06"].days_in_month) == (21, 30)
    assert (st["2026-07"].days_with_data, st["2026-07"].days_in_month) == (20, 31)
    assert st["2026-06"].provisional and st["2026-07"].provisional
    assert st["2026-06"].text[0].startswith("PROVISIONAL: BUSAN's data covers 21 of 30 days")
    sl = rep.lines_frame()
    assert sl[sl.metric == "service_level"]["partial"].tolist() == [True, True]
    # July missed (1 call, 60 s wait) but a partial month is not counted as met or missed
    summary = {(r["contract_id"], r["line_no"]): r for r in rep.summary}
    assert (summary[("B", 0)]["periods"], summary[("B", 0)]["partial_periods"]) == (0, 2)

    # the coverage is read once per write: a write that brings BUSAN's June 1st-9th makes June
    # whole on the next call (the cached spans are not reused after it)
    with store.write() as cur:
        store.append_df(
            "contacts",
            pd.DataFrame([{**call("b0", "2026-06-01 10:00:00", wait=5, answered=True),
                           "center_id": "BUSAN"}]),
            cur,
        )  # fmt: skip
    again = compliance(store.reader(), start_month="2026-06", end_month="2026-07", contracts=[c],
                       params=MetricParams(as_of=datetime(2026, 7, 20, 2)))  # fmt: skip
    june = {s.month: s for s in again.statements}["2026-06"]
    assert (june.days_with_data, june.provisional) == (30, False)


def test_compliance_for_an_unknown_center_names_the_known_ones():
    store = Store.open(":memory:")
    load(store, TEN_CALLS)
    c = parse_contract({**BASE, "contract_id": "B", "version": 1, "effective_from": "2026-01-01"})
    with pytest.raises(ConfigError, match="Unknown center 'NOPE'; known: BUSAN, MANILA, SEOUL"):
        compliance(store.reader(), month="2026-11", center="NOPE", contracts=[c])


def test_line_labels_in_english_and_korean():
    from ops.sla.contracts import ContractLine

    sl = ContractLine.model_validate(
        {"metric": "service_level", "target": 0.8, "threshold": "20s",
         "scope": {"channel": "voice", "segment": "vip"}}
    )  # fmt: skip
    assert sl.describe() == "Service level 20s voice / vip"
    assert sl.describe("ko") == "서비스 레벨 20초 전화 / VIP"
    rr = ContractLine.model_validate(
        {
            "metric": "response_rate",
            "target": 0.9,
            "threshold": "16h",
            "scope": {"channel": "email"},
        }
    )
    assert rr.describe() == "Response rate within 16 business h email"
    assert rr.describe("ko") == "16영업시간 이내 응답률 이메일"
    # a contract's own label is kept as written; its Korean one is used in Korean when given
    own = ContractLine.model_validate(
        {"metric": "ces", "target": 6.5, "label": "Effort score", "label_ko": "고객 노력 점수"}
    )
    assert (own.describe(), own.describe("ko")) == ("Effort score", "고객 노력 점수")
    plain = ContractLine.model_validate({"metric": "ces", "target": 6.5, "label": "Effort"})
    assert plain.describe("ko") == "Effort"
