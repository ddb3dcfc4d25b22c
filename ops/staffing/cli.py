"""``ccops staff``: Erlang calculator, requirements vs schedules, shift plans, async backlog, hiring."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ops.errors import StaffingError
from ops.output import Format, emit

app = typer.Typer(
    help="Staffing: Erlang C/A, requirements vs schedules, shifts, async backlog, hiring.",
    no_args_is_help=True,
)

DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db", help="DuckDB database file (default: CCOPS_DB_PATH or data/ccops.duckdb)."
    ),
]
FmtOpt = Annotated[Format, typer.Option("--format", help="Output format.")]


def _db(db: Path | None) -> Path:
    from ops.cli import db_path

    return db_path(db)


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
    format: FmtOpt = Format.table,
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
    format: FmtOpt = Format.table,
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
                "intervals": plan.frame,
            },
            format,
        )
    else:
        emit(plan.frame, format)
