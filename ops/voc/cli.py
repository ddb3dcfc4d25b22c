"""``ccops voc``: tag trends, repeat contacts, the support funnel, automation candidates, anomalies."""

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
    help="Voice of the customer: tags, repeats, funnel, automation candidates, anomalies.",
    no_args_is_help=True,
)


class PeriodOpt(StrEnum):
    week = "week"
    month = "month"


class TagView(StrEnum):
    all = "all"
    movers = "movers"
    new = "new"
    tree = "tree"


class FlagsBy(StrEnum):
    none = "none"
    channel = "channel"
    center_ = "center"  # "center" would shadow str.center
    tag = "tag"
    segment = "segment"


@app.command()
def tags(
    period: Annotated[PeriodOpt, typer.Option("--period", help="week or month.")] = PeriodOpt.week,
    level: Annotated[int, typer.Option(help="Taxonomy level 1-3.", min=1, max=3)] = 3,
    show: Annotated[
        TagView, typer.Option("--show", help="all, movers, new or tree.")
    ] = TagView.all,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Last day to consider.")] = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Tag volume, share and change vs the previous complete week or month (a partly covered
    previous period is compared per day, or not at all: see the title and ``comparison``)."""
    from ops.voc.tags import new_tags, tag_hierarchy, tag_report, top_movers

    store, reader = open_read_only(db)
    with store:
        if show is TagView.tree:
            emit(tag_hierarchy(reader), format, title="Tag hierarchy")
            return
        rep = tag_report(reader, period.value, level, as_of=parse_day(as_of, "--as-of"))
        if show is TagView.movers:
            rep = top_movers(rep)
        elif show is TagView.new:
            rep = new_tags(rep)
        title = "Tags"
        cols = ["path", "path_en", "volume", "share", "prev_volume", "change", "change_pct",
                "is_new"]  # fmt: skip
        if len(rep):
            title = f"Tags {rep['period_start'].iloc[0]} vs {rep['prev_period_start'].iloc[0]}"
            note = str(rep["comparison"].iloc[0])
            if note != "volume":  # a partly covered period: say how (or that) it was compared
                title += f": {note}"
                if note.startswith("not compared") and period is PeriodOpt.month:
                    title += "; --period week compares complete weeks"
                cols[5:5] = ["prev_comparable"]
        emit_view(rep, format, title, cols)


@app.command()
def candidates(
    from_: FromOption = None,
    to: ToOption = None,
    top: Annotated[int, typer.Option(help="How many tags.")] = 20,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Tags ranked for automation, with agent hours and FTE they would save."""
    from ops.voc.candidates import automation_candidates

    store, reader = open_read_only(db)
    with store:
        df = automation_candidates(
            reader, parse_day(from_, "--from"), parse_day(to, "--to"), top=top
        )
        method = df["fte_method"].iloc[0] if len(df) else ""
        emit_view(df, format, f"Automation candidates (FTE = {method})",
                  ["rank", "path_en", "agent_contacts", "template_rate", "handle_cv", "score",
                   "agent_hours_week", "hours_saved_week", "fte_saved"])  # fmt: skip


@app.command()
def repeats(
    by: Annotated[FlagsBy, typer.Option("--by", help="Group by.")] = FlagsBy.tag,
    from_: FromOption = None,
    to: ToOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Repeat contact rate (same customer, same level-1 tag within 7 days), urgent and VIP share."""
    from ops.voc.repeat import contact_flags

    store, reader = open_read_only(db)
    with store:
        grp = None if by is FlagsBy.none else by.value
        df = contact_flags(reader, grp, parse_day(from_, "--from"), parse_day(to, "--to"))  # type: ignore[arg-type]
        keys = [c for c in ("channel", "center_id", "level1", "level1_en", "segment")
                if c in df.columns]  # fmt: skip
        emit_view(df, format, "Repeat contacts (7 days), urgent, VIP",
                  keys + ["contacts", "repeats", "repeat_rate", "repeat_rate_lo",
                          "repeat_rate_hi", "urgent_share", "vip_share"])  # fmt: skip


@app.command()
def funnel(
    by: Annotated[FlagsBy, typer.Option("--by", help="Group by.")] = FlagsBy.none,
    from_: FromOption = None,
    to: ToOption = None,
    events: Annotated[bool, typer.Option(help="Show outage / known-issue impact instead.")] = False,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Support funnel: bot/self-serve containment, hand-off, direct to agent (or event impact)."""
    from ops.voc.funnel import event_impact, support_funnel

    store, reader = open_read_only(db)
    with store:
        s, e = parse_day(from_, "--from"), parse_day(to, "--to")
        if events:
            emit_view(event_impact(reader, start=s, end=e), format, "Known issues in tag volume",
                      ["event_id", "kind", "name", "tag_path_en", "start_date", "event_days",
                       "event_daily", "baseline_daily", "excess", "ratio",
                       "containment"])  # fmt: skip
            return
        grp = None if by is FlagsBy.none else by.value
        df = support_funnel(reader, grp, s, e)  # type: ignore[arg-type]
        keys = [c for c in ("channel", "center_id", "level1_en", "segment") if c in df.columns]
        emit_view(df, format, "Support funnel",
                  keys + ["contacts", "started_in_bot", "contained", "handed_off",
                          "direct_to_agent", "containment", "hand_off_rate"])  # fmt: skip


@app.command()
def anomalies(
    level: Annotated[int, typer.Option(help="Taxonomy level 1-3.", min=1, max=3)] = 1,
    from_: FromOption = None,
    to: ToOption = None,
    k: Annotated[float, typer.Option(help="Band width in robust sigmas.")] = 4.0,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Days when a tag's volume left its usual weekday band (holidays and event days are left out
    of the baseline; on a holiday only a surge above the band is flagged)."""
    from ops.voc.anomalies import anomaly_flags

    store, reader = open_read_only(db)
    with store:
        df = anomaly_flags(reader, level, parse_day(from_, "--from"), parse_day(to, "--to"), k=k)
        df["day"] = df["day"].dt.date
        labels = [f"level{i}_en" for i in range(1, level + 1)]
        emit_view(df, format,
                  "Tag volume anomalies (baseline without holidays and event days)",
                  ["day"] + labels + ["volume", "baseline", "band_hi", "z", "basis",
                                      "holiday", "events"])  # fmt: skip
