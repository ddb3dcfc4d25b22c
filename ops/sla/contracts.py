"""SLA contracts: YAML files validated by pydantic, versioned in the store with effective dates.

A contract belongs to one center (in-house targets are contracts too). Each version is one YAML file
(``contract_id`` + ``version``); versions of a contract must not overlap, and a version without
``effective_to`` runs until the day before the next version starts. History is judged by the version
in force on each day, so a target tightened in July does not rewrite January.

File format (see data/contracts/*.yaml)::

    contract_id: BUSAN-2025
    center_id: BUSAN
    version: 1
    effective_from: 2025-01-01
    monthly_fee: 120000000
    currency: KRW
    penalty_cap_pct: 15          # all penalties of a month together, % of the fee
    metrics:
      - metric: service_level
        target: 0.80
        threshold: 20s           # seconds for SL; "16h" (hours) for response rates
        sl_variant: default
        scope: {channel: voice, segment: general}
        period: month            # interval | day | week | month
        penalty:
          tiers:                 # shortfall bands in points (pt = percentage points for ratios)
            - {from: 0, to: 2, pct_of_fee: 2}
            - {from: 2, to: 5, pct_of_fee: 5}
            - {from: 5, pct_of_fee: 10}
          cap_pct: 10
        bonus: {above: 3, pct_of_fee: 1}
        alerts: {required_above: 0.92}   # early-warning rules for this line (optional)
    alerts: {projected_shortfall_pt: 0.5} # ... and for every line of the contract (optional)

Errors name the file and the field: ``data/contracts/busan.yaml: metrics[2].target must be between
0 and 1, got 1.5``. Loading is atomic (all files validate or nothing is written) and idempotent.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from ops.errors import ConfigError
from ops.sla.registry import METRICS, MetricParams, SLVariant

CONTRACTS_DIR = Path(__file__).resolve().parents[2] / "data" / "contracts"
ContractPeriod = Literal["interval", "day", "week", "month"]


class ContractScope(BaseModel):
    """Which contacts a line covers; empty = all of the center's contacts."""

    model_config = ConfigDict(extra="forbid")

    channel: list[str] | None = None
    queue: list[str] | None = None
    segment: list[str] | None = None

    @field_validator("channel", "queue", "segment", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    def filters(self) -> dict[str, list[str]]:
        out = {}
        if self.channel:
            out["channel"] = self.channel
        if self.queue:
            out["queue_id"] = self.queue
        if self.segment:
            out["segment"] = self.segment
        return out

    def label(self) -> str:
        parts = [",".join(v) for v in (self.channel, self.queue, self.segment) if v]
        return " / ".join(parts) if parts else "all"


class PenaltyTier(BaseModel):
    """A shortfall band [from, to) in points and the % of the monthly fee it costs."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_pt: float = Field(alias="from", ge=0)
    to_pt: float | None = Field(default=None, alias="to")
    pct_of_fee: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _order(self) -> PenaltyTier:
        if self.to_pt is not None and self.to_pt <= self.from_pt:
            raise ValueError(f"must have to > from, got from {self.from_pt} to {self.to_pt}")
        return self

    def label(self) -> str:
        hi = f"{self.to_pt:g}" if self.to_pt is not None else "+"
        return f"{self.from_pt:g}–{hi} pt" if self.to_pt is not None else f"{self.from_pt:g}+ pt"


class Penalty(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tiers: list[PenaltyTier] = Field(min_length=1)
    cap_pct: float | None = Field(default=None, ge=0, le=100)

    @field_validator("tiers")
    @classmethod
    def _no_overlap(cls, tiers: list[PenaltyTier]) -> list[PenaltyTier]:
        ordered = sorted(tiers, key=lambda t: t.from_pt)
        for a, b in zip(ordered, ordered[1:], strict=False):
            if a.to_pt is None or a.to_pt > b.from_pt:
                raise ValueError(f"must not overlap: {a.label()} and {b.label()}")
        return ordered

    def tier_for(self, shortfall: float) -> PenaltyTier | None:
        for t in self.tiers:
            if shortfall >= t.from_pt and (t.to_pt is None or shortfall < t.to_pt):
                return t
        return None


class Bonus(BaseModel):
    """A credit to the vendor when the actual beats the target by at least ``above`` points."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    above_pt: float = Field(default=0.0, alias="above", ge=0)
    pct_of_fee: float = Field(ge=0, le=100)


class AlertRules(BaseModel):
    """When the early warning (:mod:`ops.sla.early_warning`) calls a contract line *at risk*.

    A line is at risk when its projected month-end value misses the target by more than
    ``projected_shortfall_pt`` points (0: any projected miss), when the rest of the period needs a
    value above ``required_above`` (ratio lines where higher is better, e.g. SL 0.95), when the rest
    of the period must beat the target by more than ``required_margin_pt`` points (any line), and
    always when the target is no longer reachable. Rules are set in an alerts YAML file, a
    contract's ``alerts`` block and a line's ``alerts`` block; each level overrides only the fields
    it names (line > contract > alerts file > these defaults).
    """

    model_config = ConfigDict(extra="forbid")

    projected_shortfall_pt: float = Field(default=0.0, ge=0)
    required_above: float | None = Field(default=0.95, ge=0, le=1)
    required_margin_pt: float | None = Field(default=None, ge=0)

    @model_serializer(mode="wrap")
    def _only_fields_set(self, handler: Any) -> Any:
        # a stored contract keeps only the fields its YAML named, so a level that names one rule
        # does not override the others with defaults when the contract is read back
        data = handler(self)
        return {k: v for k, v in data.items() if k in self.model_fields_set}

    def merged(self, override: AlertRules | None) -> AlertRules:
        """These rules with the fields ``override`` sets (only those) replaced; every field of the
        result counts as set (so it serializes in full)."""
        full = {k: getattr(self, k) for k in type(self).model_fields}
        if override is not None:
            full.update({k: getattr(override, k) for k in override.model_fields_set})
        return AlertRules(**full)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$")


class ContractLine(BaseModel):
    """One promised metric of a contract."""

    model_config = ConfigDict(extra="forbid")

    metric: str
    target: float
    threshold: float | str | None = None
    sl_variant: SLVariant = "default"
    short_abandon_s: float = Field(default=5.0, ge=0)
    interval_sl_target: float | None = Field(default=None, ge=0, le=1)
    scope: ContractScope = Field(default_factory=ContractScope)
    period: ContractPeriod = "month"
    calendar: Literal["center", "24x7"] = "center"
    penalty: Penalty | None = None
    bonus: Bonus | None = None
    alerts: AlertRules | None = None
    label: str | None = None
    # the label in Korean, for the Korean UI and reports (``label`` when absent)
    label_ko: str | None = None

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, v: str) -> str:
        if v not in METRICS:
            raise ValueError(
                f"must be a registered metric ({', '.join(sorted(METRICS))}), got {v!r}"
            )
        return v

    @field_validator("target")
    @classmethod
    def _target_range(cls, v: float, info: Any) -> float:
        m = METRICS.get(info.data.get("metric", ""))
        if m is not None and m.target_range is not None:
            lo, hi = m.target_range
            if not lo <= v <= hi:
                raise ValueError(f"must be between {lo:g} and {hi:g}, got {v!r}")
        return v

    @field_validator("threshold")
    @classmethod
    def _threshold(cls, v: Any) -> Any:
        if v is None or isinstance(v, int | float):
            if v is not None and v <= 0:
                raise ValueError(f"must be > 0, got {v!r}")
            return v
        if not _DURATION.match(str(v)):
            raise ValueError(f"must be a number or a duration like '20s' or '16h', got {v!r}")
        return v

    def _threshold_seconds(self, default_unit: str) -> float | None:
        if self.threshold is None:
            return None
        if isinstance(self.threshold, int | float):
            n, unit = float(self.threshold), default_unit
        else:
            mt = _DURATION.match(self.threshold)
            assert mt is not None
            n, unit = float(mt.group(1)), mt.group(2) or default_unit
        return n * {"s": 1.0, "m": 60.0, "h": 3600.0}[unit]

    def params(self, base: MetricParams | None = None) -> MetricParams:
        """MetricParams for this line (threshold in s for SL, hours for response rates)."""
        m = METRICS[self.metric]
        upd: dict[str, Any] = {
            "calendar": self.calendar,
            "sl_variant": self.sl_variant,
            "short_abandon_s": self.short_abandon_s,
        }
        if m.threshold_unit == "h":
            secs = self._threshold_seconds("h")
            if secs is not None:
                upd["response_hours"] = secs / 3600.0
        else:
            secs = self._threshold_seconds("s")
            if secs is not None:
                upd["threshold_s"] = secs
        if self.interval_sl_target is not None:
            upd["sl_target"] = self.interval_sl_target
        p = (base or MetricParams()).model_copy(update=upd)
        return m.params(p)

    def describe(self, lang: str = "en") -> str:
        """The line's label: the contract's own ``label``, else worded from the metric, its
        threshold and scope ("Service level 20s voice / vip"; ``lang="ko"``: "서비스 레벨 20초
        전화 / VIP"). A contract's own label is kept as written (``label_ko`` in Korean, when the
        contract gives one)."""
        from ops.labels import scope_ko

        m = METRICS[self.metric]
        p = self.params()
        ko = lang == "ko"
        if self.label:  # a contract's own label already names its scope
            return (self.label_ko or self.label) if ko else self.label
        if self.metric.startswith("response_rate"):
            bits = [
                f"{p.response_hours:g}영업시간 이내 응답률"
                if ko
                else f"Response rate within {p.response_hours:g} business h"
            ]
        else:
            bits = [m.label_ko if ko else m.label_en]
        if self.metric.startswith("service_level"):
            bits.append(f"{p.threshold_s:g}초" if ko else f"{p.threshold_s:g}s")
        scope = self.scope.label()
        if scope != "all":
            bits.append(scope_ko(scope) if ko else scope)
        return " ".join(bits)


class Contract(BaseModel):
    """One version of a center's SLA contract."""

    model_config = ConfigDict(extra="forbid")

    contract_id: str = Field(min_length=1)
    center_id: str = Field(min_length=1)
    version: int = Field(ge=1)
    name: str | None = None
    vendor: str | None = None
    effective_from: date
    effective_to: date | None = None
    monthly_fee: float = Field(default=0.0, ge=0)
    currency: str = "KRW"
    penalty_cap_pct: float | None = Field(default=None, ge=0, le=100)
    bonus_cap_pct: float | None = Field(default=None, ge=0, le=100)
    alerts: AlertRules | None = None
    metrics: list[ContractLine] = Field(min_length=1)
    source_file: str | None = None

    @model_validator(mode="after")
    def _dates(self) -> Contract:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(
                f"effective_to must be on or after effective_from, got {self.effective_to}"
            )
        return self

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def overlaps(self, first: date, last: date) -> bool:
        return self.effective_from <= last and (
            self.effective_to is None or self.effective_to >= first
        )


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _format_errors(path: str, e: ValidationError) -> str:
    msgs = []
    for err in e.errors():
        loc = _loc(tuple(err.get("loc", ())))
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        if err.get("type") == "missing":
            msg = "is required"
        elif err.get("type") == "extra_forbidden":
            msg = "is not a known field"
        sep = " " if msg.startswith(("must", "is ")) else ": "
        msgs.append(f"{path}: {loc}{sep}{msg}" if loc else f"{path}: {msg}")
    return "; ".join(msgs)


def parse_contract(data: dict[str, Any], path: str = "<contract>") -> Contract:
    """Validate one contract mapping; ConfigError names the file and field on failure."""
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: must be a mapping of contract fields, got {type(data).__name__}"
        )
    try:
        c = Contract.model_validate(data)
    except ValidationError as e:
        raise ConfigError(_format_errors(path, e)) from e
    return c.model_copy(update={"source_file": c.source_file or path})


def read_contract_file(path: str | Path) -> Contract:
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"{p}: cannot read ({e.strerror})") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{p}: not valid YAML: {str(e).splitlines()[0]}") from e
    return parse_contract(data, str(p))


def read_contracts(directory: str | Path = CONTRACTS_DIR) -> list[Contract]:
    """All contract versions in ``directory`` (*.yaml, *.yml), validated and with versions chained."""
    d = Path(directory)
    if not d.is_dir():
        raise ConfigError(f"{d}: no such contracts directory")
    files = sorted([*d.glob("*.yaml"), *d.glob("*.yml")])
    if not files:
        raise ConfigError(f"{d}: no contract files (*.yaml)")
    return chain_versions([read_contract_file(f) for f in files])


def chain_versions(contracts: list[Contract]) -> list[Contract]:
    """Order versions per contract, fill open ``effective_to`` and reject overlaps/duplicates."""
    by_id: dict[str, list[Contract]] = {}
    for c in contracts:
        by_id.setdefault(c.contract_id, []).append(c)
    out: list[Contract] = []
    for cid, versions in sorted(by_id.items()):
        versions.sort(key=lambda c: c.version)
        seen: set[int] = set()
        for c in versions:
            if c.version in seen:
                raise ConfigError(f"{c.source_file}: version {c.version} of {cid} is defined twice")
            seen.add(c.version)
        if len({c.center_id for c in versions}) > 1:
            raise ConfigError(
                f"{versions[-1].source_file}: all versions of {cid} need one center_id"
            )
        fixed = []
        for c, nxt in zip(versions, [*versions[1:], None], strict=False):
            if nxt is not None:
                if nxt.effective_from <= c.effective_from:
                    raise ConfigError(
                        f"{nxt.source_file}: effective_from must be after version {c.version}'s "
                        f"({c.effective_from}), got {nxt.effective_from}"
                    )
                last = nxt.effective_from - timedelta(days=1)
                if c.effective_to is None:
                    c = c.model_copy(update={"effective_to": last})
                elif c.effective_to > last:
                    raise ConfigError(
                        f"{c.source_file}: effective_to {c.effective_to} overlaps version "
                        f"{nxt.version} starting {nxt.effective_from}"
                    )
            fixed.append(c)
        out.extend(fixed)
    return out


def load_contracts(store: Any, directory: str | Path = CONTRACTS_DIR) -> list[Contract]:
    """Validate every file in ``directory`` and upsert the versions into ``sla_contracts``.

    Atomic (one transaction; any invalid file and nothing is written) and idempotent (a version is
    keyed by contract_id + version, loading twice leaves one row).
    """
    contracts = read_contracts(directory)
    known = store.query("SELECT center_id FROM centers")["center_id"].tolist()
    if known:
        for c in contracts:
            if c.center_id not in known:
                raise ConfigError(
                    f"{c.source_file}: center_id must be one of {', '.join(sorted(known))}, "
                    f"got {c.center_id!r}"
                )
    rows = pd.DataFrame(
        [
            {
                "contract_id": c.contract_id,
                "version": c.version,
                "center_id": c.center_id,
                "effective_from": c.effective_from,
                "effective_to": c.effective_to,
                "monthly_fee": c.monthly_fee,
                "currency": c.currency,
                "definition_json": c.model_dump_json(by_alias=True),
                "source_file": c.source_file,
                "loaded_at": datetime.now().replace(microsecond=0),
            }
            for c in contracts
        ]
    )
    with store.write() as cur:
        for c in contracts:
            cur.execute(
                "DELETE FROM sla_contracts WHERE contract_id = ? AND version = ?",
                [c.contract_id, c.version],
            )
        store.append_df("sla_contracts", rows, cur)
    return contracts


def stored_contracts(reader: Any, center: str | None = None) -> list[Contract]:
    """Contract versions in the store (scoped by the reader), optionally for one center."""

    def build() -> Any:
        t = reader.table("sla_contracts")
        if center:
            t = t.filter(t.center_id == center)
        return t.select("definition_json", "source_file")

    from ops.store.reader import run_prepared

    def read() -> list[Contract]:
        df = run_prepared(reader, ("sla.stored_contracts", center), build)
        out = []
        for text, source in zip(df["definition_json"], df["source_file"], strict=True):
            out.append(parse_contract(json.loads(text), str(source or "<store>")))
        return sorted(out, key=lambda c: (c.center_id, c.contract_id, c.version))

    # contracts change only with a write: read and parsed once per write generation and scope
    store = getattr(reader, "store", None)
    if store is None or not hasattr(store, "derived"):
        return read()
    ids = reader.scope.center_ids
    key = ("sla.stored_contracts", center, None if ids is None else tuple(sorted(ids)))
    return list(store.derived(key, read))


def contracts_in_force(contracts: list[Contract], day: date) -> list[Contract]:
    return [c for c in contracts if c.in_force(day)]
