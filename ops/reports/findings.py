"""Plain-language findings computed from the data, for the executive summary and monthly report.

A C-level reader wants three sentences, not a table: "Manila missed voice SL on 6 of 30 days, all
between 02:00 and 04:00". Each finding carries the sentence in English and Korean and the numbers
behind it (``evidence``), so a page can show where the sentence comes from.

Detectors here are pure functions of small aggregated frames (counts per day, per interval, per week
and tag) that the SLA and VOC engines return; :func:`monthly_findings` gathers those frames through a
scoped reader (``ops.reports.sources``), so a vendor's findings only ever see its own center.

Ranking: every finding's ``effect`` is the number of contacts it concerns, divided by the contacts in
scope for the month, so findings of different kinds compare on one scale:

- missed service level: the shortfall in contacts, i.e. Σ over missed days of
  (target × denominator − answered within T), the extra in-time answers that would have met the target;
- volume change around an event: |event-week volume − baseline volume|, the baseline being the mean
  of the same days in up to 4 normal (event-free) weeks before;
- tag surge: this week's contacts with the tag − last week's scaled by the change in all contacts
  (the excess beyond what overall volume explains);
- missed contract lines: Σ judged contacts × relative shortfall (for a ratio, about the contacts
  short of target).

Ties are broken by kind and then by the sentence, so the same data always gives the same order.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

# channel/segment names live in ops.labels (re-exported here for the report code)
from ops.labels import (  # noqa: F401
    CHANNEL_EN,
    CHANNEL_KO,
    SEGMENT_KO,
    channel_en,
    channel_ko,
    scope_ko,
)

# A window of hours is named in a sentence only when it holds at least this share of the shortfall
# and is at most this wide; otherwise the misses are "spread across the day".
WINDOW_SHARE = 0.8
WINDOW_MAX_HOURS = 8
# Volume changes around events smaller than this are not findings.
MIN_EVENT_CHANGE = 0.15
# A tag surge needs at least this many contacts in the week and this ratio to the week before.
MIN_TAG_WEEK_CONTACTS = 20
MIN_TAG_RATIO = 1.5


class Finding(BaseModel):
    """One plain-language finding with the numbers behind it.

    ``effect`` is the share of the month's contacts in scope the finding concerns (see the module
    docstring); it only ranks findings. ``kind`` names the detector (``missed_sl``,
    ``event_volume``, ``tag_surge``); ``center_id`` is the center it is about (None = the whole scope).
    """

    kind: str
    text_en: str
    text_ko: str
    effect: float = Field(ge=0.0)
    center_id: str | None = None
    evidence: dict[str, Any] = Field(default_factory=dict)


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _signed_pct(x: float) -> str:
    return f"{x * 100:+.0f}%"


# --------------------------------------------------------------------------------------------
# Missed service level, and the hours the misses cluster in
# --------------------------------------------------------------------------------------------
def shortfall_window(shortfall_by_hour: dict[int, float]) -> tuple[int, int, float] | None:
    """The narrowest window of whole hours (may wrap past midnight) holding ≥ 80 % of the shortfall.

    ``shortfall_by_hour`` maps local hour 0-23 to contacts short of target. Returns
    ``(start_hour, width_hours, share)``, the earliest start winning among equally narrow windows
    with the largest share; None when there is no shortfall.
    """
    total = sum(v for v in shortfall_by_hour.values() if v > 0)
    if total <= 0:
        return None
    s = [max(0.0, float(shortfall_by_hour.get(h, 0.0))) for h in range(24)]
    for width in range(1, 25):
        best: tuple[float, int] | None = None
        for start in range(24):
            got = sum(s[(start + k) % 24] for k in range(width))
            if best is None or got > best[0] + 1e-9:
                best = (got, start)
        assert best is not None
        if best[0] >= WINDOW_SHARE * total - 1e-9:
            return best[1], width, best[0] / total
    return 0, 24, 1.0


def missed_sl_findings(
    daily: pd.DataFrame,
    intervals: pd.DataFrame,
    centers: pd.DataFrame,
    month_contacts: float,
) -> list[Finding]:
    """Days a center missed its service-level target on a channel, and the hours the misses sit in.

    ``daily``: one row per center_id, channel, day with ``sl_num`` (answered within T), ``sl_den``
    (the SL denominator) and ``target`` (SL target, a fraction). ``intervals``: center_id, channel,
    ``interval_local`` (local start timestamp), ``sl_num``, ``sl_den`` for the same month.
    ``centers``: center_id, name, name_ko. A day is missed when sl_num ÷ sl_den < target.
    Shortfall of a day or interval = max(0, target × sl_den − sl_num) contacts.
    """
    out: list[Finding] = []
    if daily.empty:
        return out
    names = _center_names(centers)
    for key, g in daily.groupby(["center_id", "channel"], sort=True):
        center_id, channel = str(key[0]), str(key[1])
        g = g[g["sl_den"] > 0]
        if g.empty:
            continue
        sl = g["sl_num"] / g["sl_den"]
        missed = g[sl < g["target"] - 1e-12]
        if missed.empty:
            continue
        n_days, n_missed = len(g), len(missed)
        target = float(missed["target"].iloc[0])
        shortfall = float(
            (missed["target"] * missed["sl_den"] - missed["sl_num"]).clip(lower=0).sum()
        )
        worst = (
            missed.assign(sl=missed["sl_num"] / missed["sl_den"]).sort_values(["sl", "day"]).iloc[0]
        )
        missed_days = {pd.Timestamp(d).date() for d in missed["day"]}
        iv = intervals[(intervals["center_id"] == center_id) & (intervals["channel"] == channel)]
        by_hour: dict[int, float] = {}
        if not iv.empty:
            ts = pd.to_datetime(iv["interval_local"])
            on_missed = ts.dt.date.isin(missed_days)
            iv = iv[on_missed & (iv["sl_den"] > 0)]
            ts = pd.to_datetime(iv["interval_local"])
            short = (target * iv["sl_den"] - iv["sl_num"]).clip(lower=0)
            below = iv["sl_num"] < target * iv["sl_den"] - 1e-12
            per_hour = short[below].groupby(ts[below].dt.hour).sum()
            for h, v in zip(per_hour.index, per_hour.to_numpy(), strict=True):
                by_hour[int(h)] = float(v)
        window = shortfall_window(by_hour)
        name_en, name_ko = names.get(center_id, (center_id, center_id))
        text_en = f"{name_en} missed {channel_en(channel)} SL on {n_missed} of {n_days} days"
        text_ko = (
            f"{name_ko}: {channel_ko(channel)} 서비스 레벨 목표({_pct(target)})를 "
            f"{n_days}일 중 {n_missed}일 놓쳤습니다"
        )
        evidence: dict[str, Any] = {
            "center_id": center_id,
            "channel": channel,
            "days": n_days,
            "missed_days": n_missed,
            "missed_dates": sorted(d.isoformat() for d in missed_days),
            "target": target,
            "shortfall_contacts": round(shortfall, 1),
            "worst_day": pd.Timestamp(worst["day"]).date().isoformat(),
            "worst_day_sl": float(worst["sl"]),
        }
        if window is not None and window[1] <= WINDOW_MAX_HOURS:
            start, width, share = window
            a, b = f"{start:02d}:00", f"{(start + width) % 24:02d}:00"
            if share >= 1 - 1e-9:
                text_en += f", all between {a} and {b}"
                text_ko += f" (모두 {a}~{b} 사이)"
            else:
                text_en += f", {_pct(share)} of the shortfall between {a} and {b}"
                text_ko += f" (부족분의 {_pct(share)}가 {a}~{b} 사이)"
            evidence.update(window_start=a, window_end=b, window_share=round(share, 4))
        elif window is not None:
            text_en += ", spread across the day"
            text_ko += " (하루 전반에 분산)"
        text_en += f" (worst {evidence['worst_day']}: {_pct(evidence['worst_day_sl'])})."
        text_ko += f". 최저 {evidence['worst_day']}: {_pct(evidence['worst_day_sl'])}."
        out.append(
            Finding(
                kind="missed_sl",
                text_en=text_en,
                text_ko=text_ko,
                effect=_share(shortfall, month_contacts),
                center_id=center_id,
                evidence=evidence,
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# Volume around holidays, campaigns and outages
# --------------------------------------------------------------------------------------------
def merge_events(events: pd.DataFrame) -> pd.DataFrame:
    """Join rows of one occasion: same kind and name with touching dates (an event stored per day),
    and public holidays at most two days apart (Chuseok's three days, a holiday and its substitute
    day). A merged holiday takes the shortest of its names ("Chuseok", not "The day preceding
    Chuseok"); the other names are kept in ``names``."""
    if events.empty:
        return events
    ev = events.copy()
    ev["start_date"] = pd.to_datetime(ev["start_date"]).dt.date
    ev["end_date"] = pd.to_datetime(ev["end_date"]).dt.date
    if "name_ko" not in ev:
        ev["name_ko"] = None
    ev["group"] = [
        "holiday" if k == "holiday" else f"{k}|{n}"
        for k, n in zip(ev["kind"], ev["name"], strict=True)
    ]
    rows: list[dict[str, Any]] = []
    for group, g in ev.sort_values(["group", "start_date", "name"]).groupby("group", sort=True):
        gap = 2 if group == "holiday" else 1
        cur: dict[str, Any] | None = None
        for r in g.to_dict(orient="records"):
            if cur is not None and r["start_date"] <= cur["end_date"] + timedelta(days=gap):
                cur["end_date"] = max(cur["end_date"], r["end_date"])
                cur["names"].append((r["name"], r.get("name_ko")))
                continue
            if cur is not None:
                rows.append(cur)
            cur = {str(k): v for k, v in r.items()}
            cur["names"] = [(r["name"], r.get("name_ko"))]
        if cur is not None:
            rows.append(cur)
    for row in rows:
        en, ko = min(row["names"], key=lambda nk: (len(str(nk[0])), str(nk[0])))
        row["name"], row["name_ko"] = en, ko if isinstance(ko, str) and ko else en
        row["names"] = [n for n, _ in row["names"]]
        row.pop("group", None)
    return pd.DataFrame(rows).sort_values(["start_date", "kind", "name"]).reset_index(drop=True)


def event_week(start: date, end: date) -> tuple[date, date]:
    """The Monday-to-Sunday weeks covering an event (a holiday's surge falls on the days around it)."""
    first = start - timedelta(days=start.weekday())
    last = end + timedelta(days=6 - end.weekday())
    return first, last


def _overlaps(a0: date, a1: date, b0: date, b1: date) -> bool:
    return a0 <= b1 and b0 <= a1


def event_volume_findings(
    daily_volume: pd.DataFrame,
    daily_sl: pd.DataFrame,
    events: pd.DataFrame,
    month_start: date,
    month_end: date,
    month_contacts: float,
    sl_target: float | None,
) -> list[Finding]:
    """Volume in the week(s) of each event of the month against normal weeks before it.

    ``daily_volume``: day, contacts (the scope's total). ``daily_sl``: day, sl_num, sl_den (live
    channels of the scope). ``events``: event rows (kind, name, name_ko, start_date, end_date),
    scoped. The window is the Monday-Sunday week(s) around the event; the baseline is the mean of
    the 4 most recent same-length windows shifted back by whole weeks (up to 8) that hold no other
    holiday, campaign, outage or peak and lie inside the data. Change = window ÷ baseline − 1.
    SL in the window = Σ sl_num ÷ Σ sl_den. Windows already reported are not reported again.
    """
    out: list[Finding] = []
    if daily_volume.empty or events.empty:
        return out
    vol = {
        pd.Timestamp(d).date(): float(v)
        for d, v in zip(daily_volume["day"], daily_volume["contacts"], strict=True)
    }
    first_day, last_day = min(vol), max(vol)
    merged = merge_events(events)
    special = merged[merged["kind"].isin(["holiday", "campaign", "outage", "known_issue", "peak"])]
    spans = [(r["start_date"], r["end_date"]) for r in special.to_dict(orient="records")]
    reported: list[tuple[date, date]] = []
    for ev in special.to_dict(orient="records"):
        if ev["end_date"] < month_start or ev["start_date"] > month_end:
            continue
        w0, w1 = event_week(ev["start_date"], ev["end_date"])
        w1 = min(w1, last_day)
        length = (w1 - w0).days + 1
        if length <= 0 or length > 21 or w0 < first_day:
            continue
        if any(_overlaps(w0, w1, a, b) for a, b in reported):
            continue
        days = [w0 + timedelta(days=i) for i in range(length)]
        shifts: list[int] = []
        for k in range(1, 9):
            b0, b1 = w0 - timedelta(days=7 * k), w1 - timedelta(days=7 * k)
            if b0 < first_day:
                break
            if any(_overlaps(b0, b1, a, b) for a, b in spans):
                continue
            shifts.append(k)
            if len(shifts) == 4:
                break
        if len(shifts) < 2:
            continue
        actual = sum(vol.get(d, 0.0) for d in days)
        baselines = [sum(vol.get(d - timedelta(days=7 * k), 0.0) for d in days) for k in shifts]
        base = sum(baselines) / len(baselines)
        if base <= 0:
            continue
        change = actual / base - 1
        if abs(change) < MIN_EVENT_CHANGE:
            continue
        reported.append((w0, w1))
        inside = [
            r
            for r in special.to_dict(orient="records")
            if _overlaps(w0, w1, r["start_date"], r["end_date"])
        ]
        name_en = " / ".join(dict.fromkeys(str(r["name"]) for r in inside))
        name_ko = " / ".join(dict.fromkeys(str(r.get("name_ko") or r["name"]) for r in inside))
        sl_val = None
        if not daily_sl.empty:
            d = pd.to_datetime(daily_sl["day"]).dt.date
            win = daily_sl[d.isin(days)]
            den = float(win["sl_den"].sum())
            if den > 0:
                sl_val = float(win["sl_num"].sum()) / den
        span = f"{w0.isoformat()}–{w1.strftime('%m-%d')}"
        n_base = len(baselines)
        text_en = f"{name_en} week ({span}) volume {_signed_pct(change)} vs the {n_base} normal weeks before"
        text_ko = (
            f"{name_ko} 주간({span}) 인입량이 직전 평상시 {n_base}주 대비 {_signed_pct(change)}"
        )
        if sl_val is not None:
            verb = "fell to" if sl_target is not None and sl_val < sl_target else "held at"
            text_en += f"; live SL {verb} {_pct(sl_val)}"
            text_ko += f", 실시간 채널 서비스 레벨 {_pct(sl_val)}"
            if sl_target is not None:
                text_en += f" (target {_pct(sl_target)})"
                text_ko += f"(목표 {_pct(sl_target)})"
        out.append(
            Finding(
                kind="event_volume",
                text_en=text_en + ".",
                text_ko=text_ko + ".",
                effect=_share(abs(actual - base), month_contacts),
                evidence={
                    "event": name_en,
                    "event_kind": ev["kind"],
                    "event_start": ev["start_date"].isoformat(),
                    "event_end": ev["end_date"].isoformat(),
                    "window_start": w0.isoformat(),
                    "window_end": w1.isoformat(),
                    "contacts": actual,
                    "baseline_contacts": base,
                    "baseline_weeks_back": shifts,
                    "baseline_windows": baselines,
                    "change": round(change, 4),
                    "service_level": sl_val,
                    "sl_target": sl_target,
                },
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# Tag surges week over week
# --------------------------------------------------------------------------------------------
def tag_surge_findings(
    weekly_tags: pd.DataFrame,
    events: pd.DataFrame,
    month_start: date,
    month_end: date,
    month_contacts: float,
) -> list[Finding]:
    """The tag whose weekly contacts grew most beyond overall volume, in the weeks of the month.

    ``weekly_tags``: week (Monday, local), tag_id, path (Korean), path_en, contacts; complete weeks
    only. For each week and the week before: ratio = c ÷ max(b, 1); expected = b × (all contacts this
    week ÷ all contacts last week); excess = c − expected. A surge needs c ≥ 20, ratio ≥ 1.5 and
    excess > 0; the largest excess wins. An outage or known issue that starts between 7 days before
    the week and its end (on the same tag when one names it) is named as the likely cause.
    """
    out: list[Finding] = []
    if weekly_tags.empty:
        return out
    wt = weekly_tags.copy()
    wt["week"] = pd.to_datetime(wt["week"]).dt.date
    weeks = sorted(wt["week"].unique())
    counts = wt.pivot_table(
        index="tag_id", columns="week", values="contacts", aggfunc="sum"
    ).fillna(0)
    totals = counts.sum(axis=0)
    labels = wt.drop_duplicates("tag_id").set_index("tag_id")
    outages = (
        events[events["kind"].isin(["outage", "known_issue"])]
        if not events.empty and "kind" in events
        else pd.DataFrame()
    )
    best: tuple[float, str, date, float, float, float] | None = None
    for prev, week in zip(weeks, weeks[1:], strict=False):
        if week - prev != timedelta(days=7):
            continue
        if week + timedelta(days=6) < month_start or week > month_end:
            continue
        growth = float(totals[week]) / float(totals[prev]) if totals[prev] > 0 else 1.0
        cur, before = counts[week], counts[prev]
        for tag_id in sorted(counts.index):
            c, b = float(cur[tag_id]), float(before[tag_id])
            ratio = c / max(b, 1.0)
            excess = c - b * growth
            if c < MIN_TAG_WEEK_CONTACTS or ratio < MIN_TAG_RATIO or excess <= 0:
                continue
            if best is None or excess > best[0] + 1e-9:
                best = (excess, tag_id, week, c, b, growth)
    if best is None:
        return out
    excess, tag_id, week, c, b, growth = best
    lab = labels.loc[tag_id]
    path_ko = str(lab.get("path") or tag_id)
    path_en = str(lab.get("path_en") or path_ko)
    ratio = c / max(b, 1.0)
    cause = None
    if not outages.empty:
        o = outages.copy()
        o["start_date"] = pd.to_datetime(o["start_date"]).dt.date
        o = o[
            (o["start_date"] <= week + timedelta(days=6))
            & (o["start_date"] >= week - timedelta(days=7))
        ]
        if "tag_id" in o:
            o = o[o["tag_id"].isna() | (o["tag_id"] == tag_id)]
        if not o.empty:
            cause = o.sort_values(["start_date", "name"]).iloc[0]
    text_en = (
        f"'{path_en}' contacts up {ratio:.1f}× week over week ({b:.0f} → {c:.0f}, week of "
        f"{week.isoformat()}; all contacts {_signed_pct(growth - 1)})"
    )
    text_ko = (
        f"'{path_ko}' 문의가 전주 대비 {ratio:.1f}배 증가했습니다({b:.0f} → {c:.0f}건, "
        f"{week.isoformat()} 주, 전체 인입 {_signed_pct(growth - 1)})"
    )
    evidence: dict[str, Any] = {
        "tag_id": tag_id,
        "path": path_ko,
        "path_en": path_en,
        "week": week.isoformat(),
        "contacts": c,
        "contacts_prior_week": b,
        "ratio": round(ratio, 3),
        "all_contacts_growth": round(growth, 4),
        "excess_contacts": round(excess, 1),
    }
    if cause is not None:
        kind_en = "outage" if cause["kind"] == "outage" else "known issue"
        kind_ko = "장애" if cause["kind"] == "outage" else "알려진 이슈"
        name_ko = cause.get("name_ko") if isinstance(cause.get("name_ko"), str) else cause["name"]
        text_en += f" since the {cause['start_date'].isoformat()} {kind_en} ({cause['name']})"
        text_ko += f" — {cause['start_date'].isoformat()} {kind_ko}({name_ko}) 이후"
        evidence.update(cause=str(cause["name"]), cause_date=cause["start_date"].isoformat())
    out.append(
        Finding(
            kind="tag_surge",
            text_en=text_en + ".",
            text_ko=text_ko + ".",
            effect=_share(excess, month_contacts),
            evidence=evidence,
        )
    )
    return out


# --------------------------------------------------------------------------------------------
# Contract lines missed for the month (and what they cost)
# --------------------------------------------------------------------------------------------
def _fmt(v: float, unit: str) -> str:
    if unit == "ratio":
        return f"{v * 100:.1f}%"
    if unit == "seconds":
        return f"{v:.0f} s"
    if unit == "score":
        return f"{v:.2f}" if v < 10 else f"{v:.1f}"
    return f"{v:.1f}"


def contract_breach_findings(
    lines: pd.DataFrame,
    statements: pd.DataFrame,
    centers: pd.DataFrame,
    month: str,
    month_contacts: float,
) -> list[Finding]:
    """Per center: the monthly contract lines it missed and the penalty they cost.

    ``lines``: the month's monthly-period contract results with center_id, label, label_ko,
    scope (e.g. "voice / vip"), unit, actual, target, den (contacts or responses judged), met. ``statements``: center_id,
    penalty_total, net_adjustment, currency. Effect = Σ over missed lines of
    den × |target − actual| ÷ |target| (for a ratio, about the contacts short of target).
    """
    out: list[Finding] = []
    if lines.empty:
        return out
    names = _center_names(centers)
    missed = lines[lines["met"] == False]  # noqa: E712
    stm = (
        {r["center_id"]: r for r in statements.to_dict(orient="records")}
        if not statements.empty
        else {}
    )
    for key, g in missed.groupby("center_id", sort=True):
        cid = str(key)
        g = g.sort_values(["label"])
        parts_en, parts_ko, effect = [], [], 0.0
        for r in g.to_dict(orient="records"):
            a, t, unit = float(r["actual"]), float(r["target"]), str(r["unit"])
            parts_en.append(f"{r['label']} {_fmt(a, unit)} vs {_fmt(t, unit)}")
            label_ko = str(r.get("label_ko") or r["label"])
            scope = scope_ko(str(r.get("scope") or "all"))
            if scope:
                label_ko += f"({scope})"
            parts_ko.append(f"{label_ko} {_fmt(a, unit)}(목표 {_fmt(t, unit)})")
            den = float(r.get("den") or 0.0)
            if t != 0:
                effect += den * abs(t - a) / abs(t)
        name_en, name_ko = names.get(cid, (cid, cid))
        n = len(g)
        text_en = (
            f"{name_en} missed {n} contract line{'s' if n > 1 else ''} in {month}: "
            + "; ".join(parts_en)
        )
        text_ko = f"{name_ko}: {month} 계약 지표 {n}개 미달 — " + ", ".join(parts_ko)
        evidence: dict[str, Any] = {
            "center_id": cid,
            "lines": [
                {k: r.get(k) for k in ("label", "metric", "actual", "target", "den")}
                for r in g.to_dict(orient="records")
            ],
        }
        st = stm.get(cid)
        if st is not None and float(st.get("penalty_total") or 0) > 0:
            cur = st.get("currency") or ""
            pen, net = float(st["penalty_total"]), float(st.get("net_adjustment") or 0.0)
            text_en += f" — penalty {pen:,.0f} {cur}"
            text_ko += f"; 패널티 {pen:,.0f} {cur}"
            if abs(net + pen) > 1e-6:
                text_en += f" (net {net:+,.0f} {cur} after bonus)"
                text_ko += f"(보너스 반영 순액 {net:+,.0f} {cur})"
            evidence.update(penalty=pen, net_adjustment=net, currency=cur)
        out.append(
            Finding(
                kind="contract_breach",
                text_en=text_en + ".",
                text_ko=text_ko + ".",
                effect=_share(effect, month_contacts),
                center_id=cid,
                evidence=evidence,
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# Ranking
# --------------------------------------------------------------------------------------------
def rank_findings(findings: list[Finding], n: int = 3) -> list[Finding]:
    """The ``n`` largest findings, at most one per kind first, then the next largest of any kind.

    Order: effect descending, then kind, then the English sentence (deterministic).
    """
    ordered = sorted(findings, key=lambda f: (-round(f.effect, 12), f.kind, f.text_en))
    picked: list[Finding] = []
    kinds: set[str] = set()
    for f in ordered:
        if f.kind not in kinds:
            picked.append(f)
            kinds.add(f.kind)
    for f in ordered:
        if len(picked) >= n:
            break
        if f not in picked:
            picked.append(f)
    return sorted(picked[:n], key=lambda f: (-round(f.effect, 12), f.kind, f.text_en))


def _share(contacts: float, month_contacts: float) -> float:
    if month_contacts <= 0 or not math.isfinite(contacts):
        return 0.0
    return max(0.0, contacts / month_contacts)


def _center_names(centers: pd.DataFrame) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    if centers.empty:
        return out
    for r in centers.to_dict(orient="records"):
        en = r.get("name") or r["center_id"]
        ko = r.get("name_ko") or en
        out[r["center_id"]] = (str(en), str(ko))
    return out
