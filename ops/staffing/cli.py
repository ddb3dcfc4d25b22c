"""``ccops staff``: Erlang calculator, requirements vs schedules, shift plans, async backlog, hiring."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ops.cli_common import DbOption, FormatOption, db_path
from ops.errors import StaffingError
from ops.output import Format, emit, to_jsonable

app = typer.Typer(
    help="Staffing: Erlang C/A, requirements vs schedules, shifts, async backlog, hiring.",
    no_args_is_help=True,
)


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise StaffingError(f"{option} must be a date YYYY-MM-DD, got {value!r}") from e


@app.command()
def erlang(
    calls: Annotated[float, typer.Option(help="Contacts offered in the interval.")],
    aht_s: Annotated[float, typer.Option("--aht-s", help="Mean handle time, seconds.")],
    interval_s: Annotated[
        float, typer.Option("--interval-s", help="Interval length, seconds.")
    ] = 1800,
    agents: Annotated[
        float | None, typer.Option(help="Productive (raw) agents: what they achieve (reverse).")
    ] = None,
    target_sl: Annotated[
        float | None, typer.Option("--target-sl", help="Service level target, e.g. 0.8.")
    ] = None,
    answer_s: Annotated[float, typer.Option("--answer-s", help="SL threshold T, seconds.")] = 20.0,
    target_asa_s: Annotated[
        float | None, typer.Option("--target-asa-s", help="ASA target (answered), seconds.")
    ] = None,
    max_abandon: Annotated[
        float | None, typer.Option("--max-abandon", help="Max abandon rate (Erlang A).")
    ] = None,
    patience_s: Annotated[
        float | None, typer.Option("--patience-s", help="Mean patience, seconds: Erlang A.")
    ] = None,
    max_occupancy: Annotated[
        float | None, typer.Option("--max-occupancy", help="Occupancy cap, e.g. 0.85.")
    ] = None,
    shrinkage: Annotated[float, typer.Option(help="Shrinkage, e.g. 0.3.")] = 0.0,
    concurrency: Annotated[int, typer.Option(help="Chats per agent (chat).")] = 1,
    format: FormatOption = Format.table,
) -> None:
    """Erlang C (or A with --patience-s): agents for a target, or what --agents achieve."""
    from ops.staffing.erlang import ceil_tolerant
    from ops.staffing.requirements import required_agents, service_level_for

    if agents is None and target_sl is None and target_asa_s is None and max_abandon is None:
        raise StaffingError(
            "Give --agents N, or a target: --target-sl, --target-asa-s or --max-abandon."
        )
    if agents is not None:
        if agents < 0:
            raise StaffingError(f"--agents must be >= 0, got {agents!r}")
        m = service_level_for(
            agents,
            calls,
            interval_s,
            aht_s,
            answer_s=answer_s,
            patience_s=patience_s,
            concurrency=concurrency,
        ).iloc[0]
        raw = agents
        scheduled = float(ceil_tolerant(agents / (1.0 - shrinkage))) if 0 <= shrinkage < 1 else None
        if scheduled is None:
            raise StaffingError(f"--shrinkage must be in [0, 1), got {shrinkage!r}")
    else:
        m = required_agents(
            calls,
            interval_s,
            aht_s,
            target_sl=target_sl,
            answer_s=answer_s,
            target_asa_s=target_asa_s,
            max_abandon=max_abandon,
            max_occupancy=max_occupancy,
            shrinkage=shrinkage,
            patience_s=patience_s,
            concurrency=concurrency,
        ).iloc[0]
        raw = int(m["raw_agents"])
        scheduled = int(m["scheduled_agents"])
    out = {
        "model": "A" if patience_s is not None else "C",
        "traffic": float(m["traffic"] if "traffic" in m else m["traffic_erlangs"]),
        "raw_agents": raw,
        "agents": scheduled,
        "servers": float(m["servers"]),
        "p_wait": float(m["p_wait"]),
        "service_level": float(m["service_level"]),
        "answer_s": answer_s,
        "asa_s": float(m["asa_s"]),
        "abandon_rate": float(m["abandon_rate"]) if patience_s is not None else None,
        "occupancy": float(m["occupancy"]),
        "queue_length": float(m["queue_length"]),
        "shrinkage": shrinkage,
        "concurrency": concurrency,
    }
    if agents is None:
        out["binding"] = m["binding"]
    if format is Format.table:
        import pandas as pd

        emit(pd.DataFrame({"measure": list(out), "value": [str(v) for v in out.values()]}), format)
    else:
        emit(out, format)


@app.command("async")
def async_(
    arrivals: Annotated[
        str, typer.Option(help="Contacts per interval, comma-separated, in time order.")
    ],
    open_: Annotated[
        str,
        typer.Option("--open", help="1/0 per interval (business hours), comma-separated."),
    ],
    handle_s: Annotated[float, typer.Option("--handle-s", help="Mean handle time, seconds.")],
    response_s: Annotated[
        float, typer.Option("--response-s", help="First-response target, business seconds.")
    ],
    interval_s: Annotated[float, typer.Option("--interval-s", help="Interval, seconds.")] = 3600,
    format: FormatOption = Format.table,
) -> None:
    """Async (email/ticket/KakaoTalk) agents: backlog with closed-hour carry-over cleared in time."""
    from ops.staffing.backlog import backlog_agents

    try:
        arr = [float(x) for x in arrivals.split(",")]
        opn = [bool(int(x)) for x in open_.split(",")]
    except ValueError as e:
        raise StaffingError("--arrivals are numbers and --open are 1/0, comma-separated.") from e
    plan = backlog_agents(arr, opn, interval_s=interval_s, handle_s=handle_s, response_s=response_s)
    if format is Format.json:
        emit(
            {
                "agents": plan.agents,
                "workload_agents": plan.workload_agents,
                "max_response_s": plan.max_response_s,
                "intervals": to_jsonable(plan.frame),
            },
            format,
        )
    else:
        emit(plan.frame, format)


def _targets(
    target_sl: float,
    answer_s: float,
    shrinkage: float,
    max_occupancy: float | None,
    erlang: str,
    async_response_h: float,
):
    from ops.staffing.planning import PlanTargets

    if erlang.lower() not in ("a", "c"):
        raise StaffingError(f"--erlang must be 'a' or 'c', got {erlang!r}")
    return PlanTargets(
        target_sl=target_sl,
        answer_s=answer_s,
        shrinkage=shrinkage,
        max_occupancy=max_occupancy,
        use_patience=erlang.lower() == "a",
        async_response_s=async_response_h * 3600.0,
    )


TargetSl = Annotated[float, typer.Option("--target-sl", help="SL target for live queues.")]
AnswerS = Annotated[float, typer.Option("--answer-s", help="SL threshold T, seconds.")]
Shrink = Annotated[float, typer.Option(help="Shrinkage (scheduled -> productive).")]
MaxOcc = Annotated[float | None, typer.Option("--max-occupancy", help="Occupancy cap.")]
ErlangOpt = Annotated[
    str, typer.Option("--erlang", help="a: Erlang A with estimated patience; c: Erlang C.")
]
AsyncH = Annotated[
    float, typer.Option("--async-response-h", help="Async first-response target, business hours.")
]


@app.command("plan")
def plan_cmd(
    from_: Annotated[str, typer.Option("--from", help="First local date of the plan, YYYY-MM-DD.")],
    weeks: Annotated[int, typer.Option(help="Weeks to plan.")] = 1,
    db: DbOption = None,
    center: Annotated[
        str | None, typer.Option(help="Only this center (comma-separated ok).")
    ] = None,
    view: Annotated[
        str, typer.Option(help="intervals (requirements and gaps) | heatmap (weekday x time gap)")
    ] = "intervals",
    target_sl: TargetSl = 0.8,
    answer_s: AnswerS = 20.0,
    shrinkage: Shrink = 0.3,
    max_occupancy: MaxOcc = None,
    erlang: ErlangOpt = "a",
    async_response_h: AsyncH = 3.0,
    format: FormatOption = Format.table,
) -> None:
    """Requirements and gaps vs the stored schedule per queue and interval, and the SL it delivers.

    Columns (agents = heads present in the interval):
    calls, aht_s: the plan volume (its source is printed on stderr);
    raw_agents: productive agents the target needs;
    required_agents: raw_agents grossed up for --shrinkage (heads to schedule);
    rostered_agents, productive_agents: what the STORED schedule has;
    gap_scheduled = rostered - required; gap_productive = productive - raw;
    status: under / over / ok, or "no schedule" where no schedule is stored
    for the queue that day (schedule_stored false: no gap, no schedule SL,
    and a note on stderr);
    service_level, occupancy: at the requirement;
    schedule_service_level, schedule_abandon_rate: what the stored schedule
    delivers on the plan volume (Erlang A).
    """
    from ops.staffing.planning import plan
    from ops.store import Store

    start = _date(from_, "--from")
    centers = [c.strip() for c in center.split(",")] if center else None
    targets = _targets(target_sl, answer_s, shrinkage, max_occupancy, erlang, async_response_h)
    with Store.open(db_path(db), read_only=True) as store:
        out = plan(store.reader(), start, weeks, centers=centers, targets=targets)
    typer.echo(f"Volume: {out['volume_source']}", err=True)
    for note in out.get("schedule_notes", []):
        typer.echo(f"Note: {note}", err=True)
    if view == "heatmap":
        tab = out["gap_table"].reset_index()
        emit(
            tab,
            format,
            title=f"Mean productive-agent gap (+ over / - under); {out['volume_source']}",
        )
        return
    if view != "intervals":
        raise StaffingError(f"--view must be intervals or heatmap, got {view!r}")
    cov = out["coverage"].copy()
    cov.insert(0, "volume_source", out["volume_source"])
    cols = [
        "volume_source", "center_id", "queue_id", "channel", "mode", "interval_local", "calls",
        "aht_s", "raw_agents", "required_agents", "productive_agents", "rostered_agents",
        "gap_productive", "gap_scheduled", "status", "schedule_stored", "service_level",
        "occupancy", "schedule_service_level", "schedule_abandon_rate",
    ]  # fmt: skip
    emit(cov[[c for c in cols if c in cov.columns]], format)


@app.command()
def shifts(
    db: DbOption = None,
    center: Annotated[str | None, typer.Option(help="Center id (with --queue and --date).")] = None,
    queue: Annotated[str | None, typer.Option(help="Queue id.")] = None,
    date_: Annotated[str | None, typer.Option("--date", help="Local date YYYY-MM-DD.")] = None,
    requirements_csv: Annotated[
        Path | None,
        typer.Option(
            "--requirements-csv", help="Instead of the store: CSV with an 'agents' column per slot."
        ),
    ] = None,
    slot_s: Annotated[int, typer.Option("--slot-s", help="Slot length of the CSV, s.")] = 1800,
    wrap: Annotated[
        bool | None, typer.Option(help="Shifts may cross midnight (default: when needed).")
    ] = None,
    hourly_cost: Annotated[
        float | None, typer.Option("--hourly-cost", help="Cost of an agent hour (default: center).")
    ] = None,
    target_sl: TargetSl = 0.8,
    answer_s: AnswerS = 20.0,
    shrinkage: Shrink = 0.3,
    max_occupancy: MaxOcc = None,
    erlang: ErlangOpt = "a",
    view: Annotated[str, typer.Option(help="starts | coverage")] = "starts",
    format: FormatOption = Format.table,
) -> None:
    """Least-cost 8 h / 4 h shift starts (every 30 min, mid-shift break) covering a day's requirement."""
    import numpy as np
    import pandas as pd

    from ops.staffing.shifts import recommend_shifts

    cost = hourly_cost
    if requirements_csv is not None:
        try:
            df = pd.read_csv(requirements_csv)
        except (OSError, ValueError) as e:
            raise StaffingError(f"Cannot read {requirements_csv}: {e}") from e
        col = next((c for c in ("agents", "scheduled_agents") if c in df.columns), None)
        if col is None:
            raise StaffingError(
                f"{requirements_csv} needs an 'agents' (or 'scheduled_agents') column per slot."
            )
        req = df[col].to_numpy(float)
        label = str(requirements_csv)
    else:
        if not (center and queue and date_):
            raise StaffingError("Give --center, --queue and --date (or --requirements-csv FILE).")
        from datetime import timedelta

        from ops.staffing.planning import plan
        from ops.store import Store

        day = _date(date_, "--date")
        targets = _targets(target_sl, answer_s, shrinkage, max_occupancy, erlang, 3.0)
        with Store.open(db_path(db), read_only=True) as store:
            reader = store.reader()
            out = plan(reader, day, 1, centers=[center], targets=targets)
            if cost is None:
                cdf = reader.centers()
                hc = cdf.loc[cdf["center_id"] == center, "hourly_cost"]
                cost = float(hc.iloc[0]) if len(hc) and pd.notna(hc.iloc[0]) else 1.0
        r = out["requirements"]
        r = r[(r["queue_id"] == queue) & (r["interval_local"].dt.date == day)]
        slots = pd.date_range(
            pd.Timestamp(day), pd.Timestamp(day) + timedelta(days=1), freq="30min"
        )[:-1]
        req = (
            r.set_index("interval_local")["scheduled_agents"].reindex(slots).fillna(0.0).to_numpy()
        )
        slot_s = 1800
        label = f"{center} {queue} {day} ({out['volume_source']})"
        if not np.any(req > 0):
            raise StaffingError(f"No requirement for {queue} at {center} on {day}.")
    if wrap is None:
        wrap = bool(req[0] > 0 and req[-1] > 0)
    result = recommend_shifts(req, slot_s=slot_s, hourly_cost=cost or 1.0, wrap=wrap)
    typer.echo(
        f"{label}: cost {result.cost:,.0f}, {result.paid_hours:g} paid hours, solved in "
        f"{result.solve_time_s:.3f} s ({result.status}); covers every interval: "
        f"{result.covers_every_interval}",
        err=True,
    )
    if format is Format.json:
        emit(
            {
                "source": label,
                "cost": result.cost,
                "paid_hours": result.paid_hours,
                "solve_time_s": result.solve_time_s,
                "covers_every_interval": result.covers_every_interval,
                "starts": to_jsonable(result.starts),
                "coverage": to_jsonable(result.coverage),
            },
            format,
        )
    elif view == "coverage":
        emit(result.coverage, format)
    else:
        emit(result.starts, format)


@app.command()
def hiring(
    headcount: Annotated[float, typer.Option(help="Productive in-house FTE today.")],
    need: Annotated[
        str | None, typer.Option(help="FTE needed per week from now, comma-separated.")
    ] = None,
    need_csv: Annotated[
        Path | None, typer.Option("--need-csv", help="CSV with 'week' and 'need_fte' columns.")
    ] = None,
    lead_weeks: Annotated[int, typer.Option("--lead-weeks", help="Weeks to recruit.")] = 4,
    training_weeks: Annotated[int, typer.Option("--training-weeks", help="Weeks of training.")] = 3,
    attrition: Annotated[float, typer.Option(help="Weekly attrition rate, e.g. 0.005.")] = 0.005,
    max_hires_per_week: Annotated[
        int | None, typer.Option("--max-hires-per-week", help="Recruiting capacity per week.")
    ] = None,
    format: FormatOption = Format.table,
) -> None:
    """Hires per week (as late as possible) so productive FTE meets the weekly need."""
    import pandas as pd

    from ops.staffing.hiring import hiring_plan

    if need_csv is not None:
        try:
            df = pd.read_csv(need_csv)
        except (OSError, ValueError) as e:
            raise StaffingError(f"Cannot read {need_csv}: {e}") from e
        if "need_fte" not in df.columns:
            raise StaffingError(f"{need_csv} needs a 'need_fte' column (and optionally 'week').")
        series = df.set_index("week")["need_fte"] if "week" in df.columns else df["need_fte"]
    elif need:
        try:
            series = pd.Series([float(x) for x in need.split(",")])
        except ValueError as e:
            raise StaffingError("--need must be numbers, comma-separated.") from e
    else:
        raise StaffingError("Give --need 'w1,w2,...' or --need-csv FILE.")
    plan = hiring_plan(
        series,
        headcount,
        lead_weeks=lead_weeks,
        training_weeks=training_weeks,
        weekly_attrition=attrition,
        max_hires_per_week=max_hires_per_week,
    )
    typer.echo(
        f"Total hires {plan.total_hires}; FTE-weeks not coverable in time (vendor/overtime): "
        f"{plan.uncovered_fte_weeks:.2f}",
        err=True,
    )
    emit(plan.frame, format)
