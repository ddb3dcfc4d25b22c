"""Listing queries the dashboard itself needs (filter choices, what is loaded, import history).

These are not metrics: they list rows and ranges so the sidebar and the Data page can offer choices.
Every metric comes from an ``ops`` service. Each function takes a scoped reader first, so
:func:`dashboard.context.call` can cache it per scope; they live in an importable module (not in a
page script) because the cache resolves functions by module and name.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def filter_options(reader: Any) -> dict[str, Any]:
    """Choices for the shared filters within a scope: centers, queues, segments and the day range."""
    centers = reader.centers()
    queues = reader.execute(reader.table("queues").order_by("queue_id"))
    c = reader.table("contacts")
    bounds = reader.execute(
        c.aggregate(lo=c.created_local.min(), hi=c.created_local.max(), n=c.count())
    )
    segs = reader.execute(c.select("segment").distinct().order_by("segment"))
    lo, hi, n = bounds.iloc[0]["lo"], bounds.iloc[0]["hi"], int(bounds.iloc[0]["n"])
    return {
        "centers": centers,
        "queues": queues,
        "segments": [s for s in segs["segment"].tolist() if isinstance(s, str) and s],
        "first_day": None if pd.isna(lo) else pd.Timestamp(lo).date(),
        "last_day": None if pd.isna(hi) else pd.Timestamp(hi).date(),
        "contacts": n,
    }


def table_summary(reader: Any) -> pd.DataFrame:
    """Row counts and time ranges per table (the store's own summary; admin/manager page only).

    The ranges mix dates and timestamps across tables, so they are shown as text."""
    df = reader.store.table_summary()
    for col in ("from", "to"):
        df[col] = df[col].map(lambda v: "" if v is None or pd.isna(v) else str(v)[:19])
    return df


def import_runs(reader: Any, limit: int = 50) -> pd.DataFrame:
    """The latest import runs, newest first."""
    r = reader.table("import_runs")
    return reader.execute(r.order_by(r.started_at.desc()).limit(limit))


def rejected_rows(reader: Any, run_id: str | None, limit: int = 2000) -> pd.DataFrame:
    """Rows an import rejected, with the reason for each (one run, or all when ``run_id`` is None)."""
    r = reader.table("rejected_rows")
    if run_id:
        r = r.filter(r.run_id == run_id)
    return reader.execute(r.order_by(["run_id", "row_number"]).limit(limit))


CONTACT_COLUMNS = (
    "contact_id", "created_local", "center_id", "channel", "queue_id", "segment", "agent_id",
    "wait_s", "answered_at", "abandoned_at", "handle_s", "handled_by", "tag_id", "csat", "ces",
)  # fmt: skip


def contacts_between(
    reader: Any,
    start_local: Any,
    end_local: Any,
    filters: dict[str, list[str]] | None = None,
    limit: int = 5000,
    mode: str | None = None,
) -> pd.DataFrame:
    """The contacts created in ``[start_local, end_local)`` (center local time), newest last.

    The rows behind a drill-down: raw contacts, no metric. ``filters`` uses the metric-table keys
    (center, channel, queue, segment); ``mode`` ('live' or 'async') keeps the queues of that mode
    (a live metric's drill-down lists the calls and chats it counts, not email waiting overnight);
    the reader's scope still applies on top.
    """
    c = reader.table("contacts")
    preds = [
        c.created_local >= pd.Timestamp(start_local).to_pydatetime(),
        c.created_local < pd.Timestamp(end_local).to_pydatetime(),
    ]
    if mode is not None:
        q = reader.table("queues")
        preds.append(c.queue_id.isin(q.filter(q.mode == mode).queue_id))
    cols = {"center": "center_id", "channel": "channel", "queue": "queue_id", "segment": "segment"}
    for key, values in (filters or {}).items():
        if key in cols and values:
            preds.append(c[cols[key]].isin(list(values)))
    expr = c.filter(*preds).select(*CONTACT_COLUMNS).order_by("created_local").limit(limit)
    return reader.execute(expr)


def events_between(reader: Any, start: Any, end: Any) -> pd.DataFrame:
    """Events (campaigns, outages, peaks, holidays) overlapping ``[start, end]``; shared rows and
    the scope's own centers only (events without a center apply to all)."""
    e = reader.table("events")
    expr = e.filter((e.start_date <= end) & (e.end_date >= start))
    df = reader.execute(expr.order_by("start_date"))
    allowed = reader.scope.center_ids
    if allowed is not None and len(df):
        df = df[df["center_id"].isna() | df["center_id"].isin(sorted(allowed))]
    return df.reset_index(drop=True)


def qa_item_names_ko(reader: Any) -> dict[str, str]:
    """QA form items' Korean names by item id (every stored form; the latest version's name wins)."""
    from ops.qa.forms import form_items_frame, forms_from_store

    fi = form_items_frame(forms_from_store(reader))
    if fi.empty:
        return {}
    fi = fi.sort_values(["form_id", "form_version"])
    return {
        str(i): str(n)
        for i, n in zip(fi["item_id"], fi["item_name_ko"], strict=True)
        if isinstance(n, str) and n
    }
