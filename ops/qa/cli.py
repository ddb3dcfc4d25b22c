"""``ccops qa``: QA scorecards, calibration, coaching, audit gap, review samples and surveys."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ops.cli_common import (
    DbOption,
    FormatOption,
    FromOption,
    ToOption,
    emit_view,
    open_read_only,
    parse_day,
)
from ops.output import Format, emit

app = typer.Typer(
    help="QA scorecards, calibration, review samples and surveys.", no_args_is_help=True
)


class ReportBy(StrEnum):
    agent = "agent"
    team = "team"
    center_ = "center"  # "center" would shadow str.center
    vendor = "vendor"
    evaluator = "evaluator"


class CalibrationView(StrEnum):
    leniency = "leniency"
    agreement = "agreement"
    spread = "spread"


class SurveyBy(StrEnum):
    channel = "channel"
    center_ = "center"  # "center" would shadow str.center
    tag = "tag"
    agent = "agent"
    segment = "segment"


SCORE_COLUMNS = ["n_evaluations", "n_agents", "mean_score", "ci_low", "ci_high",
                 "critical_fail_rate", "pass_rate", "target"]  # fmt: skip


@app.command()
def report(
    by: Annotated[ReportBy, typer.Option("--by", help="Group scores by.")] = ReportBy.agent,
    from_: FromOption = None,
    to: ToOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """QA scores (0-100) per agent, team, center, vendor or evaluator, with n and a 95% interval."""
    from ops.qa.scorecards import qa_scorecard

    store, reader = open_read_only(db)
    with store:
        df = qa_scorecard(reader, by.value, parse_day(from_, "--from"), parse_day(to, "--to"))
        keys = [
            c for c in df.columns
            if c not in SCORE_COLUMNS and c != "median_score" and not c.startswith("pass_ci")
        ]  # fmt: skip
        emit_view(df, format, f"QA scores by {by.value} (0-100, 95% CI)", keys + SCORE_COLUMNS)


@app.command()
def calibration(
    show: Annotated[
        CalibrationView, typer.Option("--show", help="leniency, agreement or spread.")
    ] = CalibrationView.leniency,
    from_: FromOption = None,
    to: ToOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Calibration sessions: evaluator leniency vs the panel, agreement (kappa, alpha), spread."""
    from ops.qa.calibration import calibration_report

    store, reader = open_read_only(db)
    with store:
        rep = calibration_report(reader, parse_day(from_, "--from"), parse_day(to, "--to"))
        cols = {
            "leniency": None,
            "agreement": ["item_id", "n_units", "n_evaluators", "fleiss_kappa",
                          "cohen_kappa_mean", "alpha_ordinal", "alpha_interval"],
            "spread": ["item_id", "n_units", "mean_sd", "mean_range", "max_range",
                       "unanimous_share"],
        }[show.value]  # fmt: skip
        emit_view(rep[show.value], format, f"Calibration: {show.value}", cols)


@app.command()
def sample(
    week: Annotated[str, typer.Option("--week", help="ISO week, e.g. 2026-W43.")],
    per_agent: Annotated[int, typer.Option("--per-agent", help="Contacts per agent.")] = 5,
    seed: Annotated[int, typer.Option(help="Extra seed (the week already seeds the draw).")] = 0,
    center: Annotated[str | None, typer.Option(help="Only this center.")] = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Reproducible weekly review sample per agent (by channel, more low-CSAT / long contacts)."""
    from ops.qa.sampling import review_sample

    store, reader = open_read_only(db)
    with store:
        df = review_sample(reader, week, per_agent, seed=seed, centers=[center] if center else None)
        emit_view(df, format, f"QA review sample {week}",
                  ["agent_id", "channel", "contact_id", "created_local", "csat", "handle_s",
                   "reason"])  # fmt: skip


@app.command()
def coaching(
    weeks: Annotated[int, typer.Option(help="Consecutive weeks below target.")] = 3,
    target: Annotated[float, typer.Option(help="Item target on 0-100.")] = 70.0,
    to: ToOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Agents below the item target for N consecutive weeks."""
    from ops.qa.scorecards import coaching_list

    store, reader = open_read_only(db)
    with store:
        df = coaching_list(reader, item_target=target, weeks=weeks, end=parse_day(to, "--to"))
        emit_view(df, format, "Coaching list",
                  ["agent_id", "agent_name", "center_id", "item_id", "weeks_below",
                   "streak_mean", "n_evaluations", "last_week"])  # fmt: skip


@app.command("audit-gap")
def audit_gap_cmd(
    from_: FromOption = None,
    to: ToOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """In-house audit score minus the vendor's own QA score, per vendor center."""
    from ops.qa.scorecards import audit_gap

    store, reader = open_read_only(db)
    with store:
        emit(
            audit_gap(reader, parse_day(from_, "--from"), parse_day(to, "--to")),
            format,
            title="Audit gap",
        )


@app.command()
def surveys(
    by: Annotated[SurveyBy, typer.Option("--by", help="Group by.")] = SurveyBy.channel,
    from_: FromOption = None,
    to: ToOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """CSAT, CES, NPS and response rate with n and 95% intervals."""
    from ops.qa.surveys import survey_metrics

    store, reader = open_read_only(db)
    with store:
        df = survey_metrics(reader, by.value, parse_day(from_, "--from"), parse_day(to, "--to"))
        keys = [c for c in df.columns if c in ("channel", "center_id", "level1", "level1_en",
                                                "agent_id", "segment")]  # fmt: skip
        emit_view(df, format, f"Surveys by {by.value} (shares 0-1, NPS -100..100, 95% CI)",
                  keys + ["csat_n", "csat", "csat_lo", "csat_hi", "response_rate", "ces_n",
                          "ces", "ces_lo", "ces_hi", "nps_n", "nps", "nps_lo", "nps_hi"])  # fmt: skip
