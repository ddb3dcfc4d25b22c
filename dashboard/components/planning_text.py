"""Staffing-plan facts worded in the UI language: where the volume came from, missing schedules.

The engine (``ops.staffing.planning``) returns the facts as dicts beside its English sentences;
these functions word them with the catalog, so the Korean page reads Korean.
"""

from __future__ import annotations

from dashboard.i18n import t


def volume_basis_text(result: dict, names: dict, lang: str | None = None) -> str:
    """Where the plan's volume came from, in the UI language.

    From ``volume_basis`` (``ops.staffing.planning.plan_volume_basis``); the engine's English
    sentence when a result has none."""
    b = result.get("volume_basis")
    if not b:
        return str(result["volume_source"])
    if b["kind"] == "forecast":
        return t("staff.vol_forecast", lang, run=b["run_id"], created=b["created"],
                 first=b["profile_from"], last=b["profile_to"])  # fmt: skip
    if b["kind"] == "last_year":
        text = t("staff.vol_last_year", lang, first=b["from"], last=b["to"])
    else:

        def one(x: dict) -> str:
            if x["weeks"]:
                return t("staff.vol_weeks", lang, n=x["weeks"], first=x["first"], last=x["last"])
            return t("staff.vol_days", lang, n=x["days"], first=x["first"], last=x["last"])

        kinds = {(x["weeks"], x["days"], x["first"], x["last"]) for x in b["basis"]}
        if len(kinds) == 1:
            text = t("staff.vol_history", lang, basis=one(b["basis"][0]))
        else:
            per = "; ".join(
                f"{names.get(x['center_id'], x['center_id'])} {one(x)}" for x in b["basis"]
            )
            text = t("staff.vol_history_centers", lang, basis=per)
        if b["partial"]:
            starts = ", ".join(f"{names.get(c, c)} {d}" for c, d in b["starts"].items())
            text += t("staff.vol_partial", lang, n=b["window_weeks"], starts=starts)
    if b.get("closed"):
        days = "; ".join(
            f"{names.get(c, c)} {', '.join(str(d) for d in ds)}" for c, ds in b["closed"].items()
        )
        text += t("staff.vol_closed", lang, days=days)
    return text


def schedule_gap_text(gap: dict, names: dict, lang: str | None = None) -> str:
    """A center's plan days without a stored schedule (``ops.staffing.planning.schedule_gaps``)."""
    short, total = gap["pools_short"], gap["pools"]
    which = (
        t("staff.gap_all_queues", lang)
        if short == total
        else t("staff.gap_some_queues", lang, short=short, total=total)
    )
    have = (
        t("staff.gap_stored", lang, first=gap["stored_from"], last=gap["stored_to"])
        if gap["stored_from"] is not None
        else t("staff.gap_none_stored", lang)
    )
    return t(
        "staff.no_schedule", lang, center=names.get(gap["center_id"], gap["center_id"]),
        which=which, days=gap["days"], n=gap["n_missing"], total=gap["n_days"], have=have,
    )  # fmt: skip
