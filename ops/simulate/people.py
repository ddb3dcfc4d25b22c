"""Agents, QA evaluations and NPS surveys of the demo.

Agents: each center has roster seats allocated to its pools in proportion to the pool's workload;
about a third of the seats turn over during the demo (the leaver's ``end_date`` is the day before the
replacement's ``hire_date``), so the agents table holds ~150 people at scale 1 with attrition.

QA (form ``standard`` v1, ``data/qa_forms/standard_v1.yaml``): each agent has a latent quality per
item on 0-100 (a few agents are consistently weak on one item, which is what coaching lists find).
An evaluation draws each item around ``agent quality + evaluator leniency`` and maps it onto the
item's scale (yes/no, 1-5, points). In-house evaluators differ in leniency (+8, +2, -3, -8 points);
each vendor's own QA evaluator is lenient on its own agents (the "audit gap").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ops.simulate import world
from ops.simulate.plan import Pool
from ops.simulate.timegrid import Horizon

QA_FORM_PATH = Path(__file__).resolve().parents[2] / "data" / "qa_forms" / "standard_v1.yaml"

_KO_FAMILY = list("김이박최정강조윤장임한오서신권황안송류홍")
_KO_GIVEN = ["민준", "서연", "지우", "하은", "도윤", "수아", "예준", "지민", "현우", "서윤", "지호",
             "채원", "준서", "다은", "유진", "민서", "승현", "은지", "태희", "소연", "정우", "혜린"]  # fmt: skip
_PH_FIRST = ["Maria", "Jose", "Angelica", "Mark", "Kristine", "John Paul", "Joy", "Carlo", "Rhea",
             "Paolo", "Jasmine", "Miguel", "Bea", "Rafael", "Camille", "Enzo"]  # fmt: skip
_PH_LAST = ["Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Torres",
            "Villanueva", "Ramos", "Aquino", "Dela Cruz"]  # fmt: skip
_ID_PREFIX = {"SEOUL": "SEO", "BUSAN": "BUS", "MANILA": "MNL"}


def load_qa_form(path: Path = QA_FORM_PATH) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def form_items(form: dict) -> list[dict]:
    return [it for sec in form["sections"] for it in sec["items"]]


@dataclass
class Roster:
    agents: pd.DataFrame
    pool_seats: list[np.ndarray]  # seat ids per pool
    seat_before: np.ndarray  # agent index (row of ``agents``) before the change day
    seat_after: np.ndarray  # agent index from the change day
    seat_change_day: np.ndarray  # demo day index of the change (>= days: no change)
    agent_ids: np.ndarray  # str per agent index
    quality: np.ndarray  # (agents, items) latent quality 0-100
    base_quality: np.ndarray  # (agents,)


def build_roster(h: Horizon, pools: list[Pool], scale: float, rng: np.random.Generator,
                 n_items: int, identity_item: int) -> Roster:  # fmt: skip
    """Seats per center by pool workload, turnover, names and latent QA quality."""
    rows: list[dict] = []
    seat_before: list[int] = []
    seat_after: list[int] = []
    seat_change: list[int] = []
    pool_seats: list[list[int]] = [[] for _ in pools]
    for c in world.CENTERS:
        cpools = [p for p in pools if p.center.center_id == c.center_id]
        n_seats = max(len(cpools) + 2, round(c.agents * scale**0.5))
        work = np.array([max(1.0, float(p.agents.sum())) for p in cpools])
        alloc = np.ones(len(cpools), dtype=int)
        extra = (work / work.sum()) * (n_seats - len(cpools))
        alloc += np.floor(extra).astype(int)
        rem = n_seats - alloc.sum()
        alloc[np.argsort(-(extra - np.floor(extra)))[:rem]] += 1
        counter = 0

        def new_agent(
            c: world.CenterDef, cpools: list[Pool], pool: Pool, hire: date, end: date | None
        ) -> int:
            nonlocal counter
            counter += 1
            if c.center_id == "MANILA":
                name = f"{rng.choice(_PH_FIRST)} {rng.choice(_PH_LAST)}"
            else:
                name = str(rng.choice(_KO_FAMILY)) + str(rng.choice(_KO_GIVEN))
            team = {"voice": "Voice", "chat": "Digital", "inapp": "Digital"}.get(
                pool.queue.channel, "Messaging"
            )
            skills = [p.queue.queue_id for p in cpools if p.queue.channel == pool.queue.channel]
            rows.append({
                "agent_id": f"{_ID_PREFIX[c.center_id]}-{counter:03d}",
                "name": name,
                "center_id": c.center_id,
                "team": f"{c.center_id.title()} {team}",
                "skills": ",".join(dict.fromkeys([pool.queue.queue_id, *skills])),
                "hire_date": hire,
                "end_date": end,
                "employment": "part_time" if rng.random() < 0.18 else "full_time",
            })  # fmt: skip
            return len(rows) - 1

        for p, k in zip(cpools, alloc, strict=True):
            for _ in range(int(k)):
                hire = h.start - timedelta(days=int(rng.integers(20, 1400)))
                # about a third of the seats turn over in two years
                if h.days > 20 and rng.random() < 0.33 * min(1.0, h.days / 730):
                    change = int(rng.integers(5, h.days - 5))
                    leave = h.start + timedelta(days=change - 1)
                    a = new_agent(c, cpools, p, hire, leave)
                    b = new_agent(c, cpools, p, leave + timedelta(days=1), None)
                else:
                    change = h.days + 1
                    a = b = new_agent(c, cpools, p, hire, None)
                pool_seats[p.index].append(len(seat_before))
                seat_before.append(a)
                seat_after.append(b)
                seat_change.append(change)
    agents = pd.DataFrame(rows)
    n = len(agents)
    base = np.clip(rng.normal(84, 5, n), 65, 97)
    quality = np.clip(base[:, None] + rng.normal(0, 4, (n, n_items)), 30, 99.5)
    weak = rng.random(n) < 0.18
    weak_item = rng.integers(0, n_items, n)
    quality[np.flatnonzero(weak), weak_item[weak]] -= 25
    quality[:, identity_item] = np.clip(rng.normal(98.8, 0.8, n), 94, 99.9)
    return Roster(
        agents,
        [np.asarray(s, dtype=np.int64) for s in pool_seats],
        np.asarray(seat_before),
        np.asarray(seat_after),
        np.asarray(seat_change),
        agents["agent_id"].to_numpy(),
        quality,
        base,
    )


def assign_agents(roster: Roster, pool_idx: np.ndarray, day: np.ndarray,
                  rng: np.random.Generator) -> np.ndarray:  # fmt: skip
    """Agent index per answered contact: a random seat of its pool, its holder on that day."""
    out = np.empty(len(pool_idx), dtype=np.int64)
    u = rng.random(len(pool_idx))
    for p in np.unique(pool_idx):
        m = pool_idx == p
        seats = roster.pool_seats[p]
        seat = seats[np.minimum((u[m] * len(seats)).astype(np.int64), len(seats) - 1)]
        out[m] = np.where(day[m] < roster.seat_change_day[seat], roster.seat_before[seat],
                          roster.seat_after[seat])  # fmt: skip
    return out


_LOW_COMMENTS = {
    "greeting": "첫인사 누락 / Missed the greeting",
    "empathy": "고객 감정 공감 부족 / Little empathy with the customer",
    "clarity": "설명이 모호함 / Unclear explanation",
    "conciseness": "불필요하게 장황함 / Too long-winded",
    "knowledge_accuracy": "잘못된 안내 / Wrong information given",
    "identity_check": "본인 확인 절차 누락 (치명) / Identity check skipped (critical)",
    "logging": "상담 이력 미기록 / Contact not logged",
    "correct_tag": "태그 오분류 / Wrong tag",
    "resolution_offered": "해결책 미제시 / No resolution offered",
}


def score_items(items: list[dict], latent: np.ndarray, rng: np.random.Generator
                ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Item scores on each item's own scale from latent 0-100 values (n, items); NaN = N/A."""
    n = latent.shape[0]
    scores = np.empty(latent.shape)
    na = np.zeros(latent.shape, dtype=bool)
    for j, it in enumerate(items):
        x = latent[:, j]
        if it["scale"] == "yes_no":
            scores[:, j] = (rng.random(n) < np.clip(x / 100, 0, 1)).astype(float)
        elif it["scale"] == "1-5":
            scores[:, j] = np.clip(np.rint(1 + 4 * x / 100 + rng.normal(0, 0.45, n)), 1, 5)
        else:
            mx = float(it["max_points"])
            scores[:, j] = np.clip(np.rint(mx * x / 100 + rng.normal(0, 1.2, n)), 0, mx)
        if it.get("na_allowed"):
            na[:, j] = rng.random(n) < 0.12
    scores[na] = np.nan
    return scores, na


def evaluations(
    roster: Roster,
    items: list[dict],
    agent_idx: np.ndarray,
    center: np.ndarray,
    evaluator: np.ndarray,
    leniency: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str | None]]:
    """Scores, N/A flags, critical fail flags and comments for a batch of evaluations."""
    latent = (
        roster.quality[agent_idx]
        + leniency[:, None]
        + rng.normal(0, 6, (len(agent_idx), len(items)))
    )
    ident = [j for j, it in enumerate(items) if it.get("critical")]
    for j in ident:  # leniency barely moves a compliance check
        latent[:, j] = roster.quality[agent_idx, j] + leniency / 8
    scores, na = score_items(items, latent, rng)
    crit = np.zeros(len(agent_idx), dtype=bool)
    for j in ident:
        crit |= scores[:, j] == 0
    # comment on the weakest item (on a 0-1 scale) when it is below half marks, or the critical fail
    lo = np.array([1.0 if it["scale"] == "1-5" else 0.0 for it in items])
    span = np.array(
        [1.0 if it["scale"] == "yes_no" else 4.0 if it["scale"] == "1-5" else float(it["max_points"])
         for it in items]
    )  # fmt: skip
    norm = np.where(na, np.inf, (scores - lo) / span)
    worst = norm.argmin(axis=1)
    low = norm[np.arange(len(worst)), worst] < 0.5
    texts = np.array([_LOW_COMMENTS[it["id"]] for it in items], dtype=object)
    comments: list[str | None] = [
        _LOW_COMMENTS[items[ident[0]]["id"]] if c else (texts[w] if lw else None)
        for c, w, lw in zip(crit, worst, low, strict=True)
    ]
    return scores, na, crit, comments


def nps_wave_dates(h: Horizon) -> list[date]:
    """Relationship NPS waves: the 15th of Mar, Jun, Sep and Dec inside the horizon."""
    out = []
    for y in range(h.start.year, h.end.year + 1):
        for m in (3, 6, 9, 12):
            d = date(y, m, 15)
            if h.start < d <= h.end:
                out.append(d)
    return out
