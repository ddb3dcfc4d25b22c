"""Alerts of the SLA early warning: the rules file, one record per line at risk, and delivery.

Rules (:class:`~ops.sla.contracts.AlertRules`) come from a small YAML file (``--alerts`` or
``CCOPS_ALERTS_FILE``), overridden by a contract's and a line's ``alerts`` block::

    # alerts.yaml
    defaults:
      projected_shortfall_pt: 0.5   # at risk when the projection misses by more than 0.5 pt
      required_above: 0.95          # ... or the rest of the month needs an SL above 95 %
    centers:
      MANILA: {required_margin_pt: 5}

Delivery (:func:`deliver`): each new alert becomes one JSON line appended to a file, deduplicated
per contract line and local day (a cron job every 15 minutes sends a line's alert once a day), and
optionally a JSON POST to a webhook. A failed post stops nothing: it is returned as a
:class:`WebhookFailure` (the CLI writes it to stderr), the other alerts are still posted, and the
alert is still written to the file (the file records the alerts raised, so a later run the same day
does not post it again).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from ops.errors import CcopsError, ConfigError
from ops.sla.compliance import LineIdentity
from ops.sla.contracts import AlertRules, _format_errors
from ops.sla.early_warning import EarlyWarning, LineProjection, describe_line


class AlertsFile(BaseModel):
    """An alerts YAML file: rules for every line, and per-center overrides."""

    model_config = ConfigDict(extra="forbid")

    defaults: AlertRules = AlertRules()
    centers: dict[str, AlertRules] = {}


def read_alerts_file(path: str | Path) -> AlertsFile:
    """Parse an alerts file; ConfigError names the file and the field on a bad value."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except OSError as e:
        raise ConfigError(f"{p}: cannot read ({e.strerror})") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{p}: not valid YAML: {str(e).splitlines()[0]}") from e
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: must be a mapping with 'defaults' and 'centers', got {data!r}")
    try:
        return AlertsFile.model_validate(data)
    except ValidationError as e:
        raise ConfigError(_format_errors(str(p), e)) from e


class Alert(LineIdentity):
    """One contract line at risk, as sent to the notify file and the webhook (the line's
    identity first, then the alert's own fields)."""

    key: str  # center|contract|version|line|local day: one alert per line and day
    day: date
    as_of: datetime  # UTC
    as_of_local: datetime
    label_ko: str
    period: str
    target: float
    value_so_far: float | None
    projected: float | None
    projected_lo: float | None
    projected_hi: float | None
    required: float | None
    required_status: str
    risk: str
    reasons: list[str]
    volume_method: str
    projected_penalty: float | None
    currency: str | None
    message: str
    message_ko: str


def alert_key(ln: LineProjection) -> str:
    return (
        f"{ln.center_id}|{ln.contract_id}|v{ln.version}|{ln.line_no}|"
        f"{ln.as_of_local.date().isoformat()}"
    )


def alerts_of(report: EarlyWarning) -> list[Alert]:
    """An alert for each line at risk (or already missed) in the report."""
    penalties: dict[tuple[str, int, int], tuple[float, str]] = {}
    for st in report.statements:
        for sl in st.statement.lines:
            penalties[(st.contract_id, st.version, sl.line_no)] = (sl.penalty, st.currency)
    out = []
    for ln in report.at_risk():
        pen = penalties.get((ln.contract_id, ln.version, ln.line_no))
        why_en = ", ".join(_REASONS[r][0] for r in ln.reasons if r in _REASONS)
        why_ko = ", ".join(_REASONS[r][1] for r in ln.reasons if r in _REASONS)
        out.append(
            Alert(
                key=alert_key(ln), day=ln.as_of_local.date(), as_of=report.as_of,
                as_of_local=ln.as_of_local, center_id=ln.center_id, contract_id=ln.contract_id,
                version=ln.version, line_no=ln.line_no, metric=ln.metric, label=ln.label,
                label_ko=ln.label_ko, period=ln.period, target=ln.target,
                value_so_far=ln.value_so_far, projected=ln.projected,
                projected_lo=ln.projected_lo, projected_hi=ln.projected_hi,
                required=ln.required, required_status=ln.required_status, risk=ln.risk,
                reasons=list(ln.reasons), volume_method=ln.volume_method,
                projected_penalty=pen[0] if pen else None, currency=pen[1] if pen else None,
                message=f"{ln.center_id} {describe_line(ln)} [{why_en}]",
                message_ko=f"{ln.center_id} {describe_line(ln, 'ko')} [{why_ko}]",
            )
        )  # fmt: skip
    return out


_REASONS = {
    "projected_miss": ("projected to miss", "목표 미달 예상"),
    "not_reachable": ("no longer reachable", "더 이상 달성 불가"),
    "required_above": ("the rest needs more than the alert limit", "남은 기간 요구치가 경보 기준 초과"),
    "required_margin": ("the rest must beat the target by more than the alert margin",
                        "남은 기간에 목표를 경보 여유 이상으로 넘어야 함"),
    "missed": ("missed", "미달 확정"),
}  # fmt: skip


def sent_keys(path: Path) -> set[str]:
    """Keys of the alerts already in a notify file (one JSON object per line)."""
    if not path.exists():
        return set()
    keys = set()
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                keys.add(str(json.loads(line)["key"]))
            except (ValueError, KeyError, TypeError) as e:
                raise ConfigError(
                    f"{path}: line {n} is not an alert JSON object with a 'key' ({e}); fix or "
                    "remove that line"
                ) from e
    return keys


def post_webhook(url: str, alert: Alert, timeout_s: float = 10.0) -> None:
    """POST the alert as JSON (``Content-Type: application/json``); CcopsError on failure."""
    body = alert.model_dump_json().encode("utf-8")
    req = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:  # noqa: S310 - user's URL
            if not 200 <= resp.status < 300:
                raise CcopsError(f"webhook {url} answered HTTP {resp.status} for {alert.key}")
    except urllib.error.HTTPError as e:
        raise CcopsError(f"webhook {url} answered HTTP {e.code} for {alert.key}") from e
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise CcopsError(f"webhook {url} could not be reached for {alert.key}: {reason}") from e


class WebhookFailure(BaseModel):
    """A webhook post that failed: the alert, the URL and what went wrong."""

    key: str
    url: str
    error: str  # names the URL, e.g. "webhook http://... answered HTTP 500 for <key>"


class Delivery(BaseModel):
    """What :func:`deliver` did: the new alerts, and the webhook posts among them that failed."""

    sent: list[Alert] = []  # new alerts (not in the notify file before), in order
    failed: list[WebhookFailure] = []


def deliver(
    alerts: Sequence[Alert], notify: Path | None = None, webhook: str | None = None
) -> Delivery:
    """Send the alerts not sent yet.

    With ``notify``: alerts whose key (line and local day) is already in the file are skipped, and
    each new one is appended as one JSON line. With ``webhook``: each new one is POSTed first; a
    failed post is recorded in ``failed`` and delivery carries on with the file and the other
    alerts. Without a file there is nothing to deduplicate against: every alert is posted.
    """
    seen = sent_keys(notify) if notify is not None else set()
    out = Delivery()
    for a in alerts:
        if a.key in seen:
            continue
        seen.add(a.key)
        if webhook:
            try:
                post_webhook(webhook, a)
            except CcopsError as e:
                out.failed.append(WebhookFailure(key=a.key, url=webhook, error=e.message))
        if notify is not None:
            notify.parent.mkdir(parents=True, exist_ok=True)
            with notify.open("a", encoding="utf-8") as fh:
                fh.write(a.model_dump_json() + "\n")
        out.sent.append(a)
    return out


def rules_from(path: str | Path | None) -> tuple[AlertRules | None, dict[str, AlertRules]]:
    """(defaults, per-center rules) of an alerts file, or (None, {}) without one."""
    if path is None:
        return None, {}
    f = read_alerts_file(path)
    return f.defaults, dict(f.centers)


def alerts_frame(alerts: Sequence[Alert]) -> Any:
    """Alerts as a frame (CSV, terminal)."""
    import pandas as pd

    return pd.DataFrame([a.model_dump() for a in alerts])


def watch_report(
    reader: Any,
    *,
    as_of: datetime | None = None,
    alerts_file: str | None = None,
    staffing: bool = True,
    intraday: bool = True,
) -> EarlyWarning:
    """:func:`~ops.sla.early_warning.early_warning` with the rules of ``alerts_file`` (the one call
    the CLI and the dashboard share)."""
    from ops.sla.early_warning import early_warning

    rules, per_center = rules_from(alerts_file)
    return early_warning(reader, as_of=as_of, rules=rules, center_rules=per_center,
                         staffing=staffing, intraday=intraday)  # fmt: skip
