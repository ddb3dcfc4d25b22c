"""``ccops sla``: metric reports, contract loading, compliance, what-ifs and the early warning."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ops.cli_common import DbOption, FormatOption, db_path
from ops.errors import CcopsError, ConfigError
from ops.output import Format, emit

app = typer.Typer(help="SLA metrics, contracts, compliance and penalties.", no_args_is_help=True)


def _split(v: str | None) -> list[str]:
    return [x.strip() for x in v.split(",") if x.strip()] if v else []


@app.command()
def report(
    db: DbOption = None,
    period: Annotated[str, typer.Option(help="day | week | month | interval | all")] = "day",
    by: Annotated[
        str, typer.Option(help="Group keys: center,center_kind,channel,queue,segment,tag_level1")
    ] = "center,channel",
    from_: Annotated[str | None, typer.Option("--from", help="First local date YYYY-MM-DD")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last local date YYYY-MM-DD")] = None,
    metrics: Annotated[str | None, typer.Option(help="Comma-separated registry names")] = None,
    center: Annotated[str | None, typer.Option(help="Only these centers (comma-separated)")] = None,
    channel: Annotated[str | None, typer.Option(help="Only these channels")] = None,
    segment: Annotated[str | None, typer.Option(help="Only these segments")] = None,
    threshold: Annotated[float, typer.Option(help="SL answer threshold T, seconds")] = 20.0,
    short_abandon: Annotated[float, typer.Option(help="Short-abandon threshold, seconds")] = 5.0,
    sl_variant: Annotated[str, typer.Option(help="SL variant")] = "default",
    source: Annotated[str, typer.Option(help="contacts | interval_stats")] = "contacts",
    format: FormatOption = Format.table,
) -> None:
    """One row per group: keys, each metric, and <metric>_num / <metric>_den."""
    from ops.cli_common import parse_day
    from ops.sla.metrics import metric_table
    from ops.store import Store

    filters = {k: _split(v) for k, v in (("center_id", center), ("channel", channel),
                                         ("segment", segment)) if v}  # fmt: skip
    start, end = parse_day(from_, "--from"), parse_day(to, "--to")
    if start and end and start > end:
        raise ConfigError(f"--from {start} is after --to {end}.")
    params = _params(
        {"threshold_s": threshold, "short_abandon_s": short_abandon, "sl_variant": sl_variant}
    )
    with Store.open(db_path(db), read_only=True) as store:
        df = metric_table(
            store.reader(), _split(metrics) or None, period=period, by=_split(by),
            filters=filters, start=start, end=end, params=params, source=source,
        )  # fmt: skip
    if df.empty:
        typer.echo(
            "No rows: nothing in the store matches these dates and filters "
            f"(source {source}; see `ccops info` for the data's date range).",
            err=True,
        )
    if format is Format.table:
        # the terminal gets the values; numerators and denominators are in csv/json
        df = df[[c for c in df.columns if not c.endswith(("_num", "_den"))]]
        typer.echo("Counts behind each value (<metric>_num, <metric>_den): --format csv|json",
                   err=True)  # fmt: skip
    emit(df, format)


_OPTION_OF = {"threshold_s": "--threshold", "short_abandon_s": "--short-abandon",
              "sl_variant": "--sl-variant"}  # fmt: skip


def _params(values: dict[str, object]):  # noqa: ANN202 - MetricParams, imported lazily
    """MetricParams from CLI options; a bad value is a one-line error naming the option."""
    from pydantic import ValidationError

    from ops.sla.registry import MetricParams

    try:
        return MetricParams.model_validate(values)
    except ValidationError as e:
        parts = []
        for err in e.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            field = _OPTION_OF.get(name, name)
            parts.append(f"{field}: {err['msg']} (got {err.get('input')!r})")
        raise ConfigError("; ".join(parts)) from e


@app.command()
def metrics(format: FormatOption = Format.table) -> None:
    """The metric registry: names, labels, units, direction, default targets and formulas."""
    import pandas as pd

    from ops.sla.registry import list_metrics

    emit(pd.DataFrame(list_metrics()), format)


@app.command()
def load(
    db: DbOption = None,
    dir: Annotated[
        Path | None,
        typer.Option("--dir", help="Folder of contract YAML files (default: CCOPS_CONTRACTS_DIR)"),
    ] = None,
    format: FormatOption = Format.table,
) -> None:
    """Validate and store the contracts in --dir (idempotent; all or nothing)."""
    import pandas as pd

    from ops.config import get_settings
    from ops.sla.contracts import CONTRACTS_DIR, load_contracts
    from ops.store import Store

    folder = dir
    if folder is None:
        configured = Path(get_settings().contracts_dir)
        folder = configured if configured.is_dir() else CONTRACTS_DIR
    with Store.open(db_path(db)) as store:
        cs = load_contracts(store, folder)
    emit(
        pd.DataFrame(
            [
                {"contract_id": c.contract_id, "version": c.version, "center_id": c.center_id,
                 "effective_from": c.effective_from, "effective_to": c.effective_to,
                 "lines": len(c.metrics), "file": c.source_file}
                for c in cs
            ]
        ),
        format,
    )  # fmt: skip


# the terminal table of compliance lines; csv and json carry every field
LINE_TABLE_COLUMNS = ["center_id", "period", "period_start", "label", "actual", "target", "met",
                      "margin_pt", "partial"]  # fmt: skip


@app.command("compliance")
def compliance_cmd(
    db: DbOption = None,
    month: Annotated[str | None, typer.Option(help="YYYY-MM (default: latest full month)")] = None,
    from_month: Annotated[
        str | None, typer.Option("--from-month", help="Trend start YYYY-MM")
    ] = None,
    to_month: Annotated[str | None, typer.Option("--to-month", help="Trend end YYYY-MM")] = None,
    center: Annotated[str | None, typer.Option(help="One center id")] = None,
    view: Annotated[
        str, typer.Option(help="lines | breaches | statements | summary (table/csv)")
    ] = "lines",
    format: FormatOption = Format.table,
) -> None:
    """Per contract line: actual vs target, met, margin, counts; penalty statements (json: all)."""
    import pandas as pd

    from ops.sla.compliance import compliance
    from ops.store import Store

    with Store.open(db_path(db), read_only=True) as store:
        rep = compliance(
            store.reader(), month=month, start_month=from_month, end_month=to_month, center=center
        )
    if format is Format.json:
        emit(rep, format)
        return
    from ops.cli_common import emit_view

    if view == "lines":
        lines = rep.lines_frame()
        if len(lines):
            # the contract's monthly lines first, daily/interval monitoring after them
            rank = lines["period"].map({"month": 0, "week": 1, "day": 2, "interval": 3})
            lines = (
                lines.assign(_rank=rank)
                .sort_values(["_rank", "center_id", "line_no", "period_start"], kind="stable")
                .drop(columns="_rank")
            )
        emit_view(lines, format, "compliance", LINE_TABLE_COLUMNS)
    elif view == "breaches":
        emit_view(rep.breaches(), format, "breaches", LINE_TABLE_COLUMNS)
    elif view == "statements":
        rows = [
            {"center_id": s.center_id, "contract_id": s.contract_id, "version": s.version,
             "month": s.month, "line": t}
            for s in rep.statements for t in s.text
        ]  # fmt: skip
        emit(pd.DataFrame(rows), format)
    elif view == "summary":
        emit(pd.DataFrame(rep.summary), format)
    else:
        raise CcopsError(f"--view must be lines, breaches, statements or summary, got {view!r}")


@app.command()
def whatif(
    center: Annotated[str, typer.Option(help="Center id")],
    db: DbOption = None,
    metric: Annotated[str, typer.Option(help="service_level | response_rate")] = "service_level",
    target: Annotated[float, typer.Option(help="Proposed target (0-1)")] = 0.85,
    threshold: Annotated[float, typer.Option(help="T seconds (SL) or N hours (response)")] = 20.0,
    channel: Annotated[str | None, typer.Option(help="Channel scope, e.g. voice")] = None,
    weeks: Annotated[int, typer.Option(help="Recent weeks of volume to staff")] = 4,
    format: FormatOption = Format.table,
) -> None:
    """Agents, FTE and monthly cost a proposed target needs, and historical attainment."""
    from ops.sla.negotiation import what_if
    from ops.store import Store

    with Store.open(db_path(db), read_only=True) as store:
        res = what_if(
            store.reader(), center=center, metric=metric, target=target, threshold=threshold,
            channel=channel, weeks=weeks,
        )  # fmt: skip
    if format is Format.table:
        import pandas as pd

        # one result, many fields: shown as field/value rows, then the curve and the history
        row = res.summary_frame().iloc[0]
        emit(pd.DataFrame({"field": row.index, "value": row.values}), format, title="what-if")
        emit(pd.DataFrame([c.model_dump() for c in res.cost_curve]), format, title="cost curve")
        emit(pd.DataFrame([a.model_dump() for a in res.attainment]), format,
             title="historical attainment")  # fmt: skip
        for note in res.notes:
            typer.echo(f"note: {note}", err=True)
        return
    if format is Format.csv:
        typer.echo("csv has the summary row; the cost curve, attainment and per-interval "
                   "detail are in --format json", err=True)  # fmt: skip
    emit(res if format is Format.json else res.summary_frame(), format)


# the terminal table of `ccops sla watch`; csv and json carry every field
WATCH_TABLE_COLUMNS = ["center_id", "label", "period", "so_far", "projected", "band", "target",
                       "required", "risk", "reasons", "volume", "penalty"]  # fmt: skip
EXIT_AT_RISK = 3


def parse_as_of(value: str | None):  # noqa: ANN201 - datetime | None
    """``--as-of``: an ISO timestamp; with an offset (``+09:00``, ``Z``) that instant, without one
    UTC (the store's clock). A bad value is a one-line error."""
    if value is None:
        return None
    import pandas as pd

    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as e:
        raise ConfigError(
            f"--as-of must be a timestamp like 2026-11-20T14:00 (UTC) or "
            f"2026-11-20T23:00+09:00, got {value!r}"
        ) from e
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts.to_pydatetime()


@app.command()
def watch(
    db: DbOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Instant to judge at: ISO, UTC unless it has an offset "
            "(default: the latest contact)",
        ),
    ] = None,
    center: Annotated[str | None, typer.Option(help="Only this center (its own lines)")] = None,
    alerts: Annotated[
        Path | None,
        typer.Option("--alerts", help="Alert rules YAML (default: CCOPS_ALERTS_FILE)"),
    ] = None,
    notify: Annotated[
        Path | None,
        typer.Option("--notify", help="Append one JSON line per new alert (once per line and day)"),
    ] = None,
    webhook: Annotated[
        str | None,
        typer.Option(
            "--webhook",
            help="POST each new alert as JSON to this URL; a failed post is one line on stderr "
            "and does not change the exit code",
        ),
    ] = None,
    all_lines: Annotated[
        bool, typer.Option("--all", help="Table/CSV: every line, not only those at risk")
    ] = False,
    format: FormatOption = Format.table,
) -> None:
    """Contract lines at risk this month: projection, required rest, penalty.

    Exit 3 when any line is at risk (or missed), 0 when none is. A failed --webhook post does not
    stop the watch or change the exit code: the report is printed, the other alerts are posted,
    every new alert still goes to --notify, and one line per failed post on stderr names the URL
    and the error.
    """
    from ops.config import get_settings
    from ops.sla.alerts import Delivery, alerts_of, deliver, watch_report
    from ops.store import Store
    from ops.store.scope import Scope

    when = parse_as_of(as_of)
    rules_file = alerts or get_settings().alerts_file
    with Store.open(db_path(db), read_only=True) as store:
        if center and center not in set(store.reader().centers()["center_id"]):
            raise ConfigError(f"Unknown center {center!r}; see `ccops info`.")
        # a center's watch reads through its scope: the store, not this command, keeps others out
        reader = store.reader(Scope.centers(center) if center else None)
        rep = watch_report(reader, as_of=when, alerts_file=str(rules_file) if rules_file else None)
    risky = alerts_of(rep)
    done = deliver(risky, notify, webhook) if (notify or webhook) else Delivery()
    sent = done.sent
    if format is Format.json:
        emit({**rep.model_dump(mode="json"), "at_risk": [a.model_dump(mode="json") for a in risky],
              "sent": [a.key for a in sent],
              "webhook_failed": [x.model_dump() for x in done.failed]}, format)  # fmt: skip
    elif format is Format.table:
        from ops.cli_common import emit_view

        local = ", ".join(f"{c} {t:%Y-%m-%d %H:%M}" for c, t in sorted(rep.as_of_local.items()))
        title = ("contract lines" if all_lines else "lines at risk") + f" as of {local}"
        emit_view(_watch_frame(rep, all_lines), format, title, WATCH_TABLE_COLUMNS)
        typer.echo(f"{len(risky)} of {len(rep.lines)} lines at risk"
                   + (f"; {len(sent)} new alert(s) sent" if (notify or webhook) else "")
                   + ("" if all_lines else "; --all shows every line, --format json|csv the "
                      "counts behind each value"), err=True)  # fmt: skip
        for n in rep.notes:
            typer.echo(f"note: {n}", err=True)
    else:  # csv: every field of the lines (at risk only unless --all)
        df = rep.lines_frame()
        if not all_lines and len(df):
            df = df[df["risk"].isin(["at_risk", "missed"])]
        emit(df, format)
    for fail in done.failed:
        kept = f"; it is recorded in {notify}" if notify else ""
        typer.echo(f"error: {fail.error}{kept}", err=True)
    if risky:
        raise typer.Exit(EXIT_AT_RISK)


def _watch_frame(rep, all_lines: bool):  # noqa: ANN001, ANN202 - EarlyWarning -> DataFrame
    """The terminal's view: one row per line (at risk only unless ``all_lines``), values worded in
    their unit, the projected penalty of the line from the projected statement."""
    import pandas as pd

    from ops.sla.compliance import fmt_value

    pen = {(st.contract_id, st.version, ln.line_no): (ln.penalty, st.currency)
           for st in rep.statements for ln in st.statement.lines}  # fmt: skip
    rows = []
    for ln in rep.lines:
        if not all_lines and ln.risk not in ("at_risk", "missed"):
            continue
        p = pen.get((ln.contract_id, ln.version, ln.line_no))

        def f(v, m=ln.metric):  # noqa: ANN001, ANN202
            return fmt_value(m, v) if v is not None else "–"

        if ln.required_status == "not_reachable":
            req = "not reachable"
        elif ln.required_status in ("needed", "secured") and ln.required is not None:
            req = ("<= " if ln.direction == "lower" else ">= ") + f(ln.required)
        else:
            req = ln.required_status
        rows.append({
            "center_id": ln.center_id, "label": ln.label, "period": ln.period,
            "so_far": f(ln.value_so_far), "projected": f(ln.projected),
            "band": f"{f(ln.projected_lo)}–{f(ln.projected_hi)}" if ln.projected is not None else "",
            "target": f(ln.target), "required": req, "risk": ln.risk,
            "reasons": ",".join(ln.reasons) or (ln.reason or ""), "volume": ln.volume_method,
            "penalty": "" if p is None else f"{p[0]:,.0f} {p[1]}",
        })  # fmt: skip
    return pd.DataFrame(rows, columns=WATCH_TABLE_COLUMNS)
