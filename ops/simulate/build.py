"""Build the demo center into a store: plan, simulate chunk by chunk, write.

Order of work: demand and events -> workforce plan and realised staffing per pool -> agents ->
for each 28-day chunk: arrivals, tags, bot containment, routing, the FCFS pool simulation (state
carried across chunks), agents, customers and repeats, outcomes, surveys -> Arrow -> DuckDB.
Memory is bounded by one chunk, so ``scale=5`` (~10M contacts) streams like the default.

Every random draw comes from a generator seeded with ``(seed, purpose, chunk)``, so the same seed,
days, end and scale give identical rows.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
from pydantic import BaseModel

from ops.calendar import BusinessCalendar, business_seconds
from ops.errors import StoreError, ValidationError
from ops.simulate import people, world
from ops.simulate.demand import Demand, Event, build_demand, routing
from ops.simulate.plan import Pool, plan_and_staff
from ops.simulate.queueing import PoolState, simulate_pool
from ops.simulate.timegrid import INTERVAL_S, SLOTS_PER_DAY, Horizon

CHUNK_DAYS = 28
COMMIT_ROWS = 2_500_000  # contacts per write transaction
DAY_S = 86400
US = 1_000_000
REPEAT_WINDOW_US = 7 * DAY_S * US
FORCED_REPEAT_SHARE = 0.10
CSAT_RESPONSE = {"answered": 0.22, "bot": 0.15, "abandoned": 0.08}
NPS_PER_DAY = 25.0  # NPS responses per day of contacts at scale 1


class DemoSummary(BaseModel):
    """What ``build_demo`` wrote."""

    seed: int
    scale: float
    days: int
    start: date
    end: date
    contacts: int
    agents: int
    centers: int
    queues: int
    tags: int
    schedules: int
    qa_evaluations: int
    qa_item_scores: int
    surveys: int
    events: int
    seconds: float


DEMO_TABLES = (
    "centers", "queues", "tags", "agents", "schedules", "contacts", "qa_forms", "qa_evaluations",
    "qa_item_scores", "surveys", "events",
)  # fmt: skip


def _check_empty(store) -> None:
    """The demo writes into empty tables only (it never mixes with imported data)."""
    sql = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t}" for t in DEMO_TABLES)
    counts = store.query(sql)
    full = counts[counts["n"] > 0]
    if len(full):
        listed = ", ".join(f"{r.t} ({r.n:,} rows)" for r in full.itertuples())
        raise StoreError(
            f"{store.path} already holds data: {listed}; build the demo into a new database "
            "(ccops demo --db NEW_FILE, or --force to replace the file)."
        )


def _yesterday_seoul() -> date:
    return datetime.now(ZoneInfo("Asia/Seoul")).date() - timedelta(days=1)


@dataclass
class _Ctx:
    """Everything the chunk simulation reads (built once)."""

    seed: int
    scale: float
    h: Horizon
    demand: Demand
    route: np.ndarray
    pools: list[Pool]
    pool_of: np.ndarray  # (queues, centers) -> pool index or -1
    states: list[PoolState]
    roster: people.Roster
    calendars: list[BusinessCalendar]
    flat_cdf: np.ndarray
    n_tags: int
    tag_simple: np.ndarray
    tag_sev: np.ndarray
    tag_l1: np.ndarray
    tag_aht: np.ndarray
    q_channel: list[str]
    q_live: np.ndarray
    q_bot_share: np.ndarray
    q_patience: np.ndarray
    q_class: np.ndarray  # 0 general, 1 vip, 2 seller
    q_async_resolve_h: np.ndarray
    cust_ranges: tuple[int, int, int]  # vip, general, seller counts
    items: list[dict]


@contextlib.contextmanager
def _progress(enabled: bool, total: int) -> Iterator:
    if not enabled:
        yield lambda *a, **k: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]demo[/bold] {task.description}"), BarColumn(), TimeElapsedColumn()
    ) as prog:
        task = prog.add_task("planning", total=total)
        yield lambda desc, adv=1: prog.update(task, description=desc, advance=adv)


def build_demo(
    store,
    *,
    seed: int = 7,
    days: int = 730,
    end: date | None = None,
    scale: float = 1.0,
    progress: bool = False,
) -> DemoSummary:
    """Simulate the demo center into ``store`` (which must hold no contacts yet).

    ``days`` of history ending at ``end`` (default: yesterday in Asia/Seoul); ``scale`` multiplies
    the volume (1.0 gives >= 2M contacts over 730 days; 5 gives ~10M). Deterministic for a seed.
    """
    t_start = time.perf_counter()
    if days < 1:
        raise ValidationError(f"days must be >= 1, got {days!r}")
    if not scale > 0:
        raise ValidationError(f"scale must be > 0, got {scale!r}")
    end = end or _yesterday_seoul()
    _check_empty(store)
    h = Horizon(end=end, days=days)
    n_chunks = -(-days // CHUNK_DAYS)
    counts: dict[str, int] = {}
    with _progress(progress, n_chunks + 2) as tick:
        ctx = _prepare(h, seed, scale)
        tick("writing reference tables")
        # Contacts are committed every ~COMMIT_ROWS rows: DuckDB buffers an open transaction, so this
        # bounds memory at --scale 5 (one commit per chunk costs ~30 % more CPU). The tables were
        # empty, so a failure part-way is undone by emptying them again.
        try:
            with store.write() as cur:
                _write_reference(store, cur, ctx)
                counts["schedules"] = _write_schedules(store, cur, ctx)
            tail = _empty_tail()
            qa_parts: list[dict] = []
            nps_parts: list[pd.DataFrame] = []
            cal_parts: list[pd.DataFrame] = []
            next_id = 0
            pending = 0  # rows in the open transaction
            with contextlib.ExitStack() as tx:
                cur = tx.enter_context(store.write())
                for c in range(n_chunks):
                    d0, d1 = c * CHUNK_DAYS, min(days, (c + 1) * CHUNK_DAYS)
                    tick(f"simulating {h.start + timedelta(days=d0)}")
                    out, tail = _simulate_chunk(ctx, c, d0, d1, tail)
                    if pending >= COMMIT_ROWS:
                        tx.close()  # commit
                        cur = tx.enter_context(store.write())
                        pending = 0
                    _insert_contacts(cur, out, next_id, ctx)
                    qa, cal, nps = _chunk_samples(ctx, c, out, next_id)
                    qa_parts.append(qa)
                    cal_parts.append(cal)
                    nps_parts.append(nps)
                    next_id += len(out["t_us"])
                    pending += len(out["t_us"])
            counts["contacts"] = next_id
            tick("QA, surveys, events")
            ev, items = _qa_tables(ctx, qa_parts, cal_parts)
            surveys = _nps_table(ctx, nps_parts)
            events = _events_table(ctx)
            with store.write() as cur:
                store.append_df("qa_evaluations", ev, cur)
                store.append_df("qa_item_scores", items, cur)
                store.append_df("surveys", surveys, cur)
                store.append_df("events", events, cur)
            counts["qa_evaluations"], counts["qa_item_scores"] = len(ev), len(items)
            counts["surveys"], counts["events"] = len(surveys), len(events)
        except BaseException:
            with contextlib.suppress(Exception), store.write() as cur:
                for table in DEMO_TABLES:
                    cur.execute(f"DELETE FROM {table}")
            raise
        tick("done")
    return DemoSummary(
        seed=seed,
        scale=scale,
        days=days,
        start=h.start,
        end=h.end,
        contacts=counts["contacts"],
        agents=len(ctx.roster.agents),
        centers=len(world.CENTERS),
        queues=len(world.QUEUES),
        tags=len(world.TAGS),
        schedules=counts["schedules"],
        qa_evaluations=counts["qa_evaluations"],
        qa_item_scores=counts["qa_item_scores"],
        surveys=counts["surveys"],
        events=counts["events"],
        seconds=round(time.perf_counter() - t_start, 2),
    )


# --- preparation -------------------------------------------------------------------------------


def _prepare(h: Horizon, seed: int, scale: float) -> _Ctx:
    demand = build_demand(h, scale, np.random.default_rng([seed, 0]))
    open_masks = np.stack([h.open_mask(c.calendar(), c.utc_offset_h) for c in world.CENTERS])
    route = routing(h, open_masks)
    pools, gaps = plan_and_staff(h, demand, route, np.random.default_rng([seed, 1]))
    demand.events.extend(gaps)
    form = people.load_qa_form()
    items = people.form_items(form)
    ident = next(j for j, it in enumerate(items) if it.get("critical"))
    roster = people.build_roster(
        h, pools, scale, np.random.default_rng([seed, 2]), len(items), ident
    )
    nq, nc = len(world.QUEUES), len(world.CENTERS)
    pool_of = np.full((nq, nc), -1, dtype=np.int64)
    for p in pools:
        pool_of[p.qi, p.ci] = p.index
    n_tags = len(world.TAGS)
    flat_cdf = (demand.tag_cdf.reshape(-1, n_tags) + np.arange(nq * h.days)[:, None]).ravel()
    sev = np.array([t.severity for t in world.TAGS])
    simple = np.array([t.is_simple for t in world.TAGS])
    l1 = np.array([world.LEVEL1_CODES.index(t.l1_code) for t in world.TAGS])
    # mild AHT by tag: simple tags 8 % shorter, severe ones 8 % longer
    tag_aht = np.where(simple, 0.92, np.where(sev >= 3, 1.08, 1.0))
    seg_class = {"general": 0, "vip": 1, "seller": 2}
    n_vip = max(300, round(4000 * scale**0.5))
    n_gen = max(5000, round(450_000 * scale))
    n_sel = max(200, round(6000 * scale**0.5))
    return _Ctx(
        seed=seed,
        scale=scale,
        h=h,
        demand=demand,
        route=route,
        pools=pools,
        pool_of=pool_of,
        states=[PoolState(p.servers) for p in pools],
        roster=roster,
        calendars=[
            BusinessCalendar.from_json(
                c.calendar_json(), default_timezone=c.timezone, where=f"center {c.center_id}"
            )
            for c in world.CENTERS
        ],  # fmt: skip
        flat_cdf=flat_cdf,
        n_tags=n_tags,
        tag_simple=simple,
        tag_sev=sev,
        tag_l1=l1,
        tag_aht=tag_aht,
        q_channel=[q.channel for q in world.QUEUES],
        q_live=np.array([q.mode == "live" for q in world.QUEUES]),
        q_bot_share=np.array([q.bot_share for q in world.QUEUES]),
        q_patience=np.array([q.patience_s for q in world.QUEUES]),
        q_class=np.array([seg_class[q.segment] for q in world.QUEUES]),
        q_async_resolve_h=np.array([20.0 if q.channel == "email" else 8.0 for q in world.QUEUES]),
        cust_ranges=(n_vip, n_gen, n_sel),
        items=items,
    )


# --- the chunk simulation ----------------------------------------------------------------------


def _utc64(t_s: np.ndarray, h: Horizon) -> np.ndarray:
    """Simulation seconds -> naive-UTC datetime64[us] (the store's convention)."""
    return (h.t0_us + np.rint(t_s * US).astype(np.int64)).astype("datetime64[us]")


def _empty_tail() -> dict[str, np.ndarray]:
    return {
        "t_us": np.zeros(0, np.int64),
        "grp": np.zeros(0, np.int64),
        "l1": np.zeros(0, np.int64),
        "cust": np.zeros(0, np.int64),
    }


# the first reply to async work goes out this share of the handle time after the agent opens it
# (reading the thread and writing the answer)
COMPOSE_SHARE = (0.15, 0.5)


def _first_reply(
    start: np.ndarray, handle: np.ndarray, is_async: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """When the customer gets the first answer: live contacts at the start of service; async
    work once the agent has read it and written the reply (a uniform ``COMPOSE_SHARE`` of its
    handle time), and no later than a second before the end of the 30-minute interval it was opened in, so a reply
    never leaves business hours (the pool only opens work in open intervals)."""
    share = rng.uniform(*COMPOSE_SHARE, len(start))
    slot_end = (np.floor(np.nan_to_num(start) / INTERVAL_S) + 1) * INTERVAL_S
    room = np.maximum(slot_end - 1.0 - np.nan_to_num(start), 0.0)  # a second before the slot ends
    compose = np.minimum(np.nan_to_num(handle) * share, room)
    return np.where(is_async, start + compose, start)


def _simulate_chunk(ctx: _Ctx, c: int, d0: int, d1: int, tail: dict) -> tuple[dict, dict]:
    h = ctx.h
    rng = np.random.default_rng([ctx.seed, 10, c])
    k0, k1 = d0 * SLOTS_PER_DAY, d1 * SLOTS_PER_DAY
    # arrivals: piecewise-constant Poisson rate per 30-minute interval
    qs, ks = [], []
    for qi in range(len(world.QUEUES)):
        cnt = rng.poisson(ctx.demand.expected[qi, k0:k1])
        ks.append(np.repeat(np.arange(k0, k1, dtype=np.int64), cnt))
        qs.append(np.full(int(cnt.sum()), qi, dtype=np.int64))
    q = np.concatenate(qs)
    k = np.concatenate(ks)
    t = (k + rng.random(len(k))) * INTERVAL_S
    day = k // SLOTS_PER_DAY
    # tag from the day's mix (row-offset cdf: one searchsorted for all queues and days)
    row = q * h.days + day
    tag = np.searchsorted(ctx.flat_cdf, row + rng.random(len(q)), side="right") - row * ctx.n_tags
    tag = np.minimum(tag, ctx.n_tags - 1)
    # bot / self-serve containment, then routing of the rest
    via_bot = rng.random(len(q)) < ctx.q_bot_share[q]
    contained = via_bot & (rng.random(len(q)) < np.where(ctx.tag_simple[tag], 0.6, 0.2))
    shares = ctx.route[q, :, k]  # (n, centers)
    cum = np.cumsum(shares, axis=1)
    center = (rng.random(len(q))[:, None] >= cum).sum(1)
    open_any = cum[:, -1] > 0
    center = np.where(open_any, np.minimum(center, len(world.CENTERS) - 1), 0)
    keep = contained | open_any  # live lines closed: only bot-contained contacts remain
    patience = rng.exponential(1.0, len(q)) * ctx.q_patience[q]
    handle = rng.exponential(1.0, len(q)) * ctx.tag_aht[tag]
    u = rng.random((4, len(q)))  # reopen, urgent, template, resolution delay
    extra_res = rng.exponential(1.0, len(q))
    # keep and order by time
    sel = np.flatnonzero(keep)
    sel = sel[np.argsort(t[sel], kind="stable")]
    q, k, day, tag, center = q[sel], k[sel], day[sel], tag[sel], center[sel]
    t, patience, handle, extra_res = t[sel], patience[sel], handle[sel], extra_res[sel]
    via_bot, contained = via_bot[sel], contained[sel]
    u_reopen, u_urgent, u_tpl, u_res = u[:, sel]
    n = len(q)
    is_agent = ~contained
    center = np.where(is_agent, center, world.CENTER_INDEX[world.BOT_CENTER])
    pool = np.where(is_agent, ctx.pool_of[q, center], -1)
    aht = np.array([p.aht_s for p in ctx.pools])
    handle = np.where(is_agent, handle * aht[np.maximum(pool, 0)], np.nan)
    # --- the queue simulation, pool by pool
    start = np.full(n, np.nan)
    idx_agent = np.flatnonzero(is_agent)
    order = idx_agent[np.argsort(pool[idx_agent], kind="stable")]  # stable: time order kept
    bounds = np.searchsorted(pool[order], np.arange(len(ctx.pools) + 1))
    for p in range(len(ctx.pools)):
        ix = order[bounds[p] : bounds[p + 1]]
        if len(ix):
            start[ix] = simulate_pool(ctx.states[p], t[ix], patience[ix], handle[ix])
    live = ctx.q_live[q]
    answered = is_agent & ~np.isnan(start)
    abandoned = is_agent & live & ~answered
    first = _first_reply(start, handle, answered & ~live, np.random.default_rng([ctx.seed, 11, c]))
    wait = np.where(answered, first - t, np.where(abandoned, patience, np.nan))
    handle = np.where(answered, handle, np.nan)
    # --- agents
    agent = np.full(n, -1, dtype=np.int64)
    ia = np.flatnonzero(answered)
    agent[ia] = people.assign_agents(ctx.roster, pool[ia], day[ia], rng)
    # --- outcomes
    sev = ctx.tag_sev[tag]
    simple = ctx.tag_simple[tag]
    p_reopen = np.where(contained, 0.04, np.where(sev >= 3, 0.10, np.where(simple, 0.04, 0.065)))
    resolved = np.where(
        answered,
        start
        + np.nan_to_num(handle)
        + np.where(live, 0.0, extra_res * ctx.q_async_resolve_h[q] * 3600),
        np.where(contained, t + 60 + extra_res * 120, np.nan),
    )
    reopened = (answered | contained) & (u_reopen < p_reopen)
    resolved = resolved + np.where(reopened, (1 + 2 * u_res) * DAY_S, 0.0)
    resolved = np.where(resolved <= h.end_s, resolved, np.nan)
    reopened &= ~np.isnan(resolved)
    vip_q = ctx.q_class[q] == 1
    urgent = u_urgent < np.where(sev >= 3, 0.12, np.where(sev == 2, 0.03, 0.01)) + vip_q * 0.05
    priority = np.where(vip_q | urgent, 1, np.where(sev >= 2, 2, 3))
    template = np.where(answered & (u_tpl < np.where(simple, 0.7, 0.12)),
                        tag * 2 + (u_tpl < np.where(simple, 0.35, 0.06)), -1)  # fmt: skip
    # --- customers and forced repeats (same customer, same level-1 tag, within 7 days)
    n_vip, n_gen, n_sel = ctx.cust_ranges
    cls = ctx.q_class[q]
    cust = np.where(
        cls == 1,
        rng.integers(0, n_vip, n),
        np.where(
            cls == 2,
            n_vip + n_gen + rng.integers(0, n_sel, n),
            np.where(
                rng.random(n) < 0.02, rng.integers(0, n_vip, n), n_vip + rng.integers(0, n_gen, n)
            ),
        ),
    )
    t_us = h.t0_us + np.rint(t * US).astype(np.int64)
    l1 = ctx.tag_l1[tag]
    grp = l1 * 3 + cls
    forced = rng.random(n) < FORCED_REPEAT_SHARE
    cust, forced = _force_repeats(tail, t_us, grp, cust, forced, rng)
    is_repeat = _is_repeat(tail, t_us, l1, cust)
    # --- CSAT / CES
    agent_q = np.where(agent >= 0, ctx.roster.base_quality[np.maximum(agent, 0)], 84.0)
    frbs = np.full(n, np.nan)
    rbs = np.full(n, np.nan)
    for ci, cal in enumerate(ctx.calendars):
        m = (~live) & (center == ci) & is_agent
        am = m & answered
        frbs[am] = business_seconds(_utc64(t[am], h), _utc64(first[am], h), cal)
        rm = m & ~np.isnan(resolved)
        rbs[rm] = business_seconds(_utc64(t[rm], h), _utc64(resolved[rm], h), cal)
    wait_pen = np.where(
        live, 0.35 * np.minimum(np.nan_to_num(wait) / 120.0, 3.0),
        0.5 * np.minimum(np.nan_to_num(frbs) / (4 * 3600.0), 2.0),
    )  # fmt: skip
    latent = np.where(contained, 4.0, 4.4 - wait_pen) - 0.6 * forced - 0.8 * reopened
    latent = latent - 0.3 * (sev >= 3) + (agent_q - 84.0) / 20.0
    latent = np.where(abandoned, 2.4, latent)
    p_resp = np.where(answered, CSAT_RESPONSE["answered"],
                      np.where(contained, CSAT_RESPONSE["bot"],
                               np.where(abandoned, CSAT_RESPONSE["abandoned"], 0.0)))  # fmt: skip
    responded = rng.random(n) < p_resp
    csat = np.where(responded, np.clip(np.rint(latent + rng.normal(0, 0.7, n)), 1, 5), 0)
    ces_val = np.clip(np.rint(1 + (latent - 1) * 1.5 + 0.3 + rng.normal(0, 0.8, n)), 1, 7)
    ces = np.where(responded & (rng.random(n) < 0.9), ces_val, 0)
    out = {
        "t": t, "t_us": t_us, "q": q, "center": center, "agent": agent, "cust": cust, "tag": tag,
        "start": start, "first": first, "wait": wait, "handle": handle, "resolved": resolved,
        "answered": answered, "abandoned": abandoned, "contained": contained, "via_bot": via_bot,
        "reopened": reopened, "urgent": urgent, "priority": priority, "template": template,
        "csat": csat.astype(np.int8), "ces": ces.astype(np.int8), "patience": patience,
        "is_repeat": is_repeat, "frbs": frbs, "rbs": rbs, "latent": latent, "cls": cls,
        "live": live,
    }  # fmt: skip
    keep_tail = t_us >= h.t0_us + d1 * DAY_S * US - REPEAT_WINDOW_US
    old = tail["t_us"] >= h.t0_us + d1 * DAY_S * US - REPEAT_WINDOW_US
    new_tail = {
        "t_us": np.concatenate([tail["t_us"][old], t_us[keep_tail]]),
        "grp": np.concatenate([tail["grp"][old], grp[keep_tail]]),
        "l1": np.concatenate([tail["l1"][old], l1[keep_tail]]),
        "cust": np.concatenate([tail["cust"][old], cust[keep_tail]]),
    }
    return out, new_tail


def _force_repeats(tail: dict, t_us: np.ndarray, grp: np.ndarray, cust: np.ndarray,
                   forced: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Make ``forced`` contacts repeats: copy the customer of a random earlier contact of the same
    group (level-1 tag x customer class) within the previous 7 days (chains resolved)."""
    nt = len(tail["t_us"])
    all_t = np.concatenate([tail["t_us"], t_us])
    all_g = np.concatenate([tail["grp"], grp])
    all_c = np.concatenate([tail["cust"], cust])
    order = np.lexsort((all_t, all_g))
    comp = all_g[order].astype(np.float64) * 1e17 + all_t[order].astype(np.float64)
    # window start: first contact of the group no more than 7 days earlier (1 s margin)
    lo = np.searchsorted(comp, comp - (REPEAT_WINDOW_US - US), side="left")
    pos = np.arange(len(order))
    is_new = order >= nt
    child = is_new & np.concatenate([np.zeros(nt, bool), forced])[order] & (pos > lo)
    parent_pos = lo + np.floor(rng.random(len(order)) * (pos - lo)).astype(np.int64)
    parent = np.arange(len(all_t))
    parent[order[child]] = order[parent_pos[child]]
    root = parent
    for _ in range(64):
        nxt = parent[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    done = np.zeros(len(all_t), bool)
    done[order[child]] = True
    return all_c[root][nt:], done[nt:]


def _is_repeat(tail: dict, t_us: np.ndarray, l1: np.ndarray, cust: np.ndarray) -> np.ndarray:
    """DESIGN.md: an earlier contact of the same customer with the same level-1 tag <= 7 days before."""
    nt = len(tail["t_us"])
    all_t = np.concatenate([tail["t_us"], t_us])
    all_l = np.concatenate([tail["l1"], l1])
    all_c = np.concatenate([tail["cust"], cust])
    order = np.lexsort((all_t, all_l, all_c))
    st, sl, sc = all_t[order], all_l[order], all_c[order]
    prev_same = np.zeros(len(order), bool)
    prev_same[1:] = (
        (sc[1:] == sc[:-1]) & (sl[1:] == sl[:-1]) & (st[1:] - st[:-1] <= REPEAT_WINDOW_US)
    )
    rep = np.empty(len(order), bool)
    rep[order] = prev_same
    return rep[nt:]


# --- writing -----------------------------------------------------------------------------------


def _dict_array(codes: np.ndarray, values: list[str], null: np.ndarray | None = None) -> pa.Array:
    idx = pa.array(codes.astype(np.int32), mask=null)
    return pa.DictionaryArray.from_arrays(idx, pa.array(values, pa.string()))


def _ts(t_s: np.ndarray, t0_us: int) -> pa.Array:
    nan = np.isnan(t_s)
    us = t0_us + np.rint(np.nan_to_num(t_s) * US).astype(np.int64)
    return pa.array(us, type=pa.timestamp("us"), mask=nan)


def _insert_contacts(cur, out: dict, first_id: int, ctx: _Ctx) -> None:
    h = ctx.h
    n = len(out["t"])
    offsets = np.array([c.utc_offset_h * 3600 for c in world.CENTERS], dtype=float)
    handled = np.where(out["contained"], 1 + np.isin(out["q"], _self_serve_queues()), 0)
    tpl_values = [f"TPL-{t.tag_id}-{v}" for t in world.TAGS for v in (1, 2)]
    n_vip, n_gen, _ = ctx.cust_ranges
    seg = np.where(out["cls"] == 2, 2, np.where(out["cust"] < n_vip, 1, 0))
    tbl = pa.table({
        "seq": pa.array(np.arange(first_id + 1, first_id + n + 1, dtype=np.int64)),
        "channel": _dict_array(out["q"], [q.channel for q in world.QUEUES]),
        "queue_id": _dict_array(out["q"], list(world.QUEUE_IDS)),
        "center_id": _dict_array(out["center"], list(world.CENTER_IDS)),
        "agent_id": _dict_array(np.maximum(out["agent"], 0), list(ctx.roster.agent_ids),
                                out["agent"] < 0),
        "cust": pa.array(out["cust"]),
        "is_seller": pa.array(out["cls"] == 2),
        "segment": _dict_array(seg, ["general", "vip", "seller"]),
        "priority": pa.array(out["priority"].astype(np.int32)),
        "created_at": _ts(out["t"], h.t0_us),
        "created_local": _ts(out["t"] + offsets[out["center"]], h.t0_us),
        "answered_at": _ts(out["first"], h.t0_us),
        "abandoned_at": _ts(np.where(out["abandoned"], out["t"] + out["patience"], np.nan), h.t0_us),
        "wait_s": pa.array(out["wait"], from_pandas=True),
        "handle_s": pa.array(out["handle"], from_pandas=True),
        "resolved_at": _ts(out["resolved"], h.t0_us),
        "reopened": pa.array(out["reopened"]),
        "tag_id": _dict_array(out["tag"], [t.tag_id for t in world.TAGS]),
        "handled_by": _dict_array(handled, ["agent", "bot", "self_serve"]),
        "via_bot": pa.array(out["via_bot"]),
        "template_id": _dict_array(np.maximum(out["template"], 0), tpl_values, out["template"] < 0),
        "is_urgent": pa.array(out["urgent"]),
        "csat": pa.array(out["csat"], mask=out["csat"] == 0),
        "ces": pa.array(out["ces"], mask=out["ces"] == 0),
        "first_response_business_s": pa.array(out["frbs"], from_pandas=True),
        "resolution_business_s": pa.array(out["rbs"], from_pandas=True),
        "is_repeat": pa.array(out["is_repeat"]),
    })  # fmt: skip
    cur.register("_demo_chunk", tbl)
    try:
        cur.execute(
            """
            INSERT INTO contacts (contact_id, source, source_id, channel, queue_id, center_id,
              agent_id, customer_id, segment, priority, created_at, created_local, answered_at,
              abandoned_at, wait_s, handle_s, resolved_at, reopened, tag_id, handled_by, via_bot,
              template_id, is_urgent, csat, ces, first_response_business_s, resolution_business_s,
              is_repeat, import_run_id)
            SELECT 'DEMO-' || lpad(seq::VARCHAR, 9, '0'), 'demo', NULL, channel, queue_id,
              center_id, agent_id,
              CASE WHEN is_seller THEN 'S' ELSE 'C' END || lpad(cust::VARCHAR, 7, '0'),
              segment, priority, created_at, created_local, answered_at, abandoned_at, wait_s,
              handle_s, resolved_at, reopened, tag_id, handled_by, via_bot, template_id, is_urgent,
              csat, ces, first_response_business_s, resolution_business_s, is_repeat, NULL
            FROM _demo_chunk
            """
        )
    finally:
        cur.unregister("_demo_chunk")


def _self_serve_queues() -> np.ndarray:
    """Queues whose contained contacts are self-serve (ARS, in-app flows) rather than a chatbot."""
    return np.array(
        [i for i, q in enumerate(world.QUEUES) if world.BOT_LABEL.get(q.channel) == "self_serve"]
    )


def _write_reference(store, cur, ctx: _Ctx) -> None:
    centers = pd.DataFrame([{
        "center_id": c.center_id, "name": c.name, "name_ko": c.name_ko, "kind": c.kind,
        "vendor_name": c.vendor_name, "timezone": c.timezone, "hourly_cost": c.hourly_cost,
        "currency": "KRW", "calendar_json": c.calendar_json(),
    } for c in world.CENTERS])  # fmt: skip
    queues = pd.DataFrame([{
        "queue_id": q.queue_id, "name": q.name, "name_ko": q.name_ko, "channel": q.channel,
        "mode": q.mode, "concurrency": q.concurrency, "segment": q.segment,
    } for q in world.QUEUES])  # fmt: skip
    tags = pd.DataFrame([{
        "tag_id": t.tag_id, "path": t.path, "path_en": t.path_en, "level1": t.level1,
        "level2": t.level2, "level3": t.level3, "level1_en": t.level1_en, "level2_en": t.level2_en,
        "level3_en": t.level3_en, "department": t.department, "is_simple": t.is_simple,
        "severity": t.severity,
    } for t in world.TAGS])  # fmt: skip
    form = people.load_qa_form()
    forms = pd.DataFrame([{
        "form_id": form["form_id"], "version": int(form["version"]), "name": form["name"],
        "definition_json": json.dumps(form, ensure_ascii=False),
        "created_at": datetime.combine(ctx.h.start, datetime.min.time()),
    }])  # fmt: skip
    for name, df in (("centers", centers), ("queues", queues), ("tags", tags),
                     ("agents", ctx.roster.agents), ("qa_forms", forms)):  # fmt: skip
        store.append_df(name, df, cur)


def _write_schedules(store, cur, ctx: _Ctx) -> int:
    h = ctx.h
    total = 0
    for p in ctx.pools:
        ix = np.flatnonzero(p.scheduled_s > 0)
        start_us = h.t0_us + ix.astype(np.int64) * INTERVAL_S * US
        tbl = pa.table({
            "center_id": pa.array([p.center.center_id] * len(ix)),
            "queue_id": pa.array([p.queue.queue_id] * len(ix)),
            "interval_start": pa.array(start_us, type=pa.timestamp("us")),
            "interval_local": pa.array(start_us + p.center.utc_offset_h * 3600 * US,
                                       type=pa.timestamp("us")),
            "scheduled_s": pa.array(p.scheduled_s[ix]),
            "staffed_s": pa.array(p.staffed_s[ix]),
            "productive_s": pa.array((p.agents[ix] * INTERVAL_S).astype(float)),
        })  # fmt: skip
        cur.register("_demo_sched", tbl)
        try:
            cur.execute(
                "INSERT INTO schedules (center_id, queue_id, agent_id, interval_start, interval_local,"
                " interval_s, scheduled_s, staffed_s, productive_s) SELECT center_id, queue_id, NULL,"
                f" interval_start, interval_local, {INTERVAL_S}, scheduled_s, staffed_s, productive_s"
                " FROM _demo_sched"
            )
        finally:
            cur.unregister("_demo_sched")
        total += len(ix)
    return total


# --- QA, surveys, events -----------------------------------------------------------------------


def _chunk_samples(ctx: _Ctx, c: int, out: dict, first_id: int
                   ) -> tuple[dict, pd.DataFrame, pd.DataFrame]:  # fmt: skip
    rng = np.random.default_rng([ctx.seed, 20, c])
    n = len(out["t"])
    ans = np.flatnonzero(out["answered"])
    qa_ix = ans[rng.random(len(ans)) < world.QA_SAMPLE_RATE]
    cal_ix = rng.choice(ans, size=min(len(ans), 14), replace=False) if len(ans) else ans
    cal = pd.DataFrame({"ix": cal_ix + first_id, "agent": out["agent"][cal_ix],
                        "center": out["center"][cal_ix], "t": out["start"][cal_ix]})  # fmt: skip
    qa = {"ix": qa_ix + first_id, "agent": out["agent"][qa_ix], "center": out["center"][qa_ix],
          "t": out["start"][qa_ix], "lag": rng.uniform(1, 6, len(qa_ix)) * DAY_S}  # fmt: skip
    # NPS: a sample of this chunk's customers answers the next quarterly wave
    cand = np.flatnonzero((out["cls"] != 2) & (out["answered"] | out["contained"]))
    m = min(len(cand), int(rng.poisson(NPS_PER_DAY * ctx.scale * (n and CHUNK_DAYS))))
    pick = rng.choice(cand, size=m, replace=False) if m else cand[:0]
    vip = out["cust"][pick] < ctx.cust_ranges[0]
    score = np.clip(np.rint(7.4 + 1.3 * (out["latent"][pick] - 4.2) + 0.5 * vip
                            + rng.normal(0, 2.0, m)), 0, 10)  # fmt: skip
    nps = pd.DataFrame({"cust": out["cust"][pick], "t": out["t"][pick], "score": score,
                        "center": out["center"][pick], "q": out["q"][pick], "vip": vip,
                        "u": rng.uniform(0, 7, m)})  # fmt: skip
    return qa, cal, nps


def _qa_tables(ctx: _Ctx, qa_parts: list[dict], cal_parts: list[pd.DataFrame]
               ) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    h = ctx.h
    rng = np.random.default_rng([ctx.seed, 30])
    items = ctx.items
    qa = {k: np.concatenate([p[k] for p in qa_parts]) for k in qa_parts[0]}
    n = len(qa["ix"])
    # evaluated 1-6 days later, during office hours (10:00-17:00 KST; t = 0 is 00:00 KST)
    ev_day = np.floor((qa["t"] + qa["lag"]) / DAY_S) * DAY_S
    ev_t = ev_day + 10 * 3600 + ((qa["lag"] / DAY_S) % 1.0) * 7 * 3600
    keep = ev_t <= h.end_s
    qa = {k: v[keep] for k, v in qa.items()}
    ev_t = ev_t[keep]
    n = len(ev_t)
    in_house = [e for e in world.QA_EVALUATORS]
    pick = rng.integers(0, len(in_house), n)
    evaluator = np.array([in_house[i][0] for i in pick], dtype=object)
    org = np.full(n, "in_house", dtype=object)
    len_ = np.array([in_house[i][2] for i in pick])
    vendor_c = np.array([world.CENTERS[c].kind == "vendor" for c in qa["center"]], dtype=bool)
    by_vendor = vendor_c & (rng.random(n) < 0.5)
    for i in np.flatnonzero(by_vendor):
        cdef = world.CENTERS[qa["center"][i]]
        evaluator[i] = world.VENDOR_QA[cdef.center_id]
        org[i] = "vendor"
        len_[i] = cdef.qa_leniency
    cal_rows = []
    cal = pd.concat(cal_parts, ignore_index=True)
    if len(cal):
        local = pd.to_datetime(h.t0_us + (cal["t"].to_numpy() * US).astype(np.int64), unit="us")
        cal["month"] = (local + pd.Timedelta(hours=9)).strftime("%Y-%m")
        for month, grp in cal.groupby("month", sort=True):
            # the session: the 5th of the next month, 10:00 KST (01:00 UTC)
            y, m = (int(x) for x in str(month).split("-"))
            when = datetime(y + m // 12, m % 12 + 1, 5, 1, 0)
            when_s = (when - h.t0_utc).total_seconds()
            if when_s > h.end_s or len(grp) < world.CALIBRATION_CONTACTS:
                continue
            g = grp.iloc[: world.CALIBRATION_CONTACTS]
            for ev_id, _c, lenient in in_house:
                for _, r in g.iterrows():
                    cal_rows.append((r["ix"], r["agent"], r["center"], when_s, ev_id, lenient,
                                     f"CAL-{month}"))  # fmt: skip
    cal_df = pd.DataFrame(cal_rows, columns=["ix", "agent", "center", "t", "ev", "len", "session"])
    all_ix = np.concatenate([qa["ix"], cal_df["ix"].to_numpy(np.int64)])
    all_agent = np.concatenate([qa["agent"], cal_df["agent"].to_numpy(np.int64)])
    all_center = np.concatenate([qa["center"], cal_df["center"].to_numpy(np.int64)])
    all_t = np.concatenate([ev_t, cal_df["t"].to_numpy(float)])
    all_ev = np.concatenate([evaluator, cal_df["ev"].to_numpy(object)])
    all_org = np.concatenate([org, np.full(len(cal_df), "in_house", dtype=object)])
    all_len = np.concatenate([len_, cal_df["len"].to_numpy(float)])
    session = np.concatenate([np.full(n, None, dtype=object), cal_df["session"].to_numpy(object)])
    scores, na, crit, comments = people.evaluations(
        ctx.roster, items, all_agent, all_center, all_ev, all_len, rng
    )
    m = len(all_ix)
    eval_ids = np.array([f"QA-{i + 1:08d}" for i in range(m)], dtype=object)
    center_ids = np.array(world.CENTER_IDS, dtype=object)[all_center]
    evals = pd.DataFrame({
        "evaluation_id": eval_ids,
        "contact_id": [f"DEMO-{i + 1:09d}" for i in all_ix],
        "agent_id": ctx.roster.agent_ids[all_agent],
        "center_id": center_ids,
        "evaluator_id": all_ev,
        "evaluator_org": all_org,
        "form_id": "standard",
        "form_version": 1,
        "critical_fail": crit,
        "comments": comments,
        "evaluated_at": pd.to_datetime(h.t0_us + (all_t * US).astype(np.int64), unit="us"),
        "calibration_session_id": session,
    })  # fmt: skip
    item_ids = [it["id"] for it in items]
    rows = pd.DataFrame({
        "evaluation_id": np.repeat(eval_ids, len(items)),
        "center_id": np.repeat(center_ids, len(items)),
        "item_id": np.tile(item_ids, m),
        "score": scores.ravel(),
        "is_na": na.ravel(),
    })  # fmt: skip
    return evals, rows


def _nps_table(ctx: _Ctx, parts: list[pd.DataFrame]) -> pd.DataFrame:
    h = ctx.h
    df = pd.concat(parts, ignore_index=True)
    waves = people.nps_wave_dates(h)
    if not len(df) or not waves:
        return pd.DataFrame(columns=["survey_id", "kind", "score", "responded_at"])
    wave_s = np.array([(datetime.combine(w, datetime.min.time()) - h.t0_utc).total_seconds()
                       for w in waves])  # fmt: skip
    wi = np.searchsorted(wave_s, df["t"].to_numpy(), side="left")
    df = df[wi < len(waves)].assign(wave=wi[wi < len(waves)])
    df = df.drop_duplicates(["cust", "wave"]).reset_index(drop=True)
    resp_s = np.minimum(wave_s[df["wave"].to_numpy()] + df["u"].to_numpy() * DAY_S, h.end_s - 1)
    n_vip = ctx.cust_ranges[0]
    return pd.DataFrame({
        "survey_id": [f"NPS-{i + 1:07d}" for i in range(len(df))],
        "kind": "nps",
        "score": df["score"].astype(int),
        "contact_id": None,
        "customer_id": ["C" + str(c).zfill(7) for c in df["cust"]],
        "center_id": np.array(world.CENTER_IDS, dtype=object)[df["center"].to_numpy()],
        "channel": [world.QUEUES[q].channel for q in df["q"]],
        "segment": np.where(df["cust"].to_numpy() < n_vip, "vip", "general"),
        "responded_at": pd.to_datetime(h.t0_us + (resp_s * US).astype(np.int64), unit="us"),
        "comment": None,
    })  # fmt: skip


def _events_table(ctx: _Ctx) -> pd.DataFrame:
    evs: list[Event] = ctx.demand.events
    return pd.DataFrame([{
        "event_id": f"EV-{i + 1:04d}", "kind": e.kind, "name": e.name, "name_ko": e.name_ko,
        "start_date": e.start, "end_date": e.end, "center_id": e.center_id, "channel": None,
        "tag_id": e.tag_ids[0] if e.tag_ids else None, "expected_effect": e.effect,
        "notes": e.notes,
    } for i, e in enumerate(evs)])  # fmt: skip
