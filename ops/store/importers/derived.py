"""Fields computed from other data: recomputed when a center's timezone or calendar changes.

Imports fill them for the rows they write; this module recomputes them for stored rows, e.g. after
``centers.calendar_json`` was edited (a new holiday, longer opening hours) so that business-hours
response times on the SLA pages follow the calendar now in force.
"""

from __future__ import annotations

from typing import Any

from ops.config import get_settings
from ops.errors import StoreError
from ops.store.importers.engine import business_seconds_frame, update_repeat_flags


def recompute_derived(store: Any, center_id: str | None = None) -> dict[str, int]:
    """Recompute derived fields of one center (all centers when None); returns rows touched.

    - ``contacts.created_local``, ``interval_stats.interval_local``, ``schedules.interval_local``:
      the UTC instant in the center's ``timezone`` (default ``CCOPS_TIMEZONE``).
    - ``contacts.first_response_business_s`` / ``resolution_business_s``: business seconds from
      ``created_at`` to ``answered_at`` / ``resolved_at`` on the center's business calendar
      (:func:`ops.calendar.business_seconds`).
    - ``contacts.is_repeat`` for the center's customers (a repeat can span centers, so the whole
      customer history is used).

    Runs in one write transaction: on error nothing changes.
    """
    tz = get_settings().timezone
    where = "WHERE center_id = ?" if center_id else ""
    params = [center_id] if center_id else []
    out: dict[str, int] = {}
    with store.write() as cur:
        if center_id:
            n = cur.execute("SELECT count(*) FROM centers WHERE center_id = ?", params).fetchone()[
                0
            ]
            if not n:
                raise StoreError(f"Unknown center {center_id!r}.")
        tzsql = (
            "COALESCE((SELECT any_value(c.timezone) FROM centers c "
            f"WHERE c.center_id = t.center_id), '{tz}')"
        )
        for table, local, utc in (
            ("contacts", "created_local", "created_at"),
            ("interval_stats", "interval_local", "interval_start"),
            ("schedules", "interval_local", "interval_start"),
        ):
            cur.execute(
                f"UPDATE {table} AS t SET {local} = timezone({tzsql}, timezone('UTC', {utc})) "
                + (where.replace("center_id", "t.center_id")),
                params,
            )
            out[f"{table}.{local}"] = int(
                cur.execute(f"SELECT count(*) FROM {table} {where}", params).fetchone()[0]
            )
        frame = cur.execute(
            "SELECT contact_id, center_id, created_at, answered_at, resolved_at FROM contacts "
            f"{where}",
            params,
        ).df()
        if not frame.empty:
            biz = business_seconds_frame(cur, frame, tz)
            cur.register("_ccops_biz", biz)
            try:
                cur.execute(
                    "UPDATE contacts SET first_response_business_s = b.frb, "
                    "resolution_business_s = b.rb FROM _ccops_biz b "
                    "WHERE contacts.contact_id = b.contact_id"
                )
            finally:
                cur.unregister("_ccops_biz")
        out["contacts.business_s"] = len(frame)
        customers = (
            f"SELECT DISTINCT customer_id FROM contacts WHERE center_id = '{_esc(center_id)}'"
            if center_id
            else None
        )
        out["contacts.is_repeat_changed"] = update_repeat_flags(cur, customers_sql=customers)
    return out


def _esc(s: str | None) -> str:
    return (s or "").replace("'", "''")
