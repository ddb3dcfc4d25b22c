"""Center-local clocks for tables that store only UTC instants, as Ibis expressions.

Contacts carry ``created_local`` from import; surveys (``responded_at``) and QA evaluations
(``evaluated_at``) are stored in UTC only, so their local days come from a CASE over each center's
timezone offsets in the query. The SLA engine (:class:`ops.sla.metrics.MetricContext`) and QA
scoring (:func:`ops.qa.scoring.filtered_evaluations`) both use this module and it imports neither,
so their imports run one way: ``ops.sla.metrics`` -> ``ops.qa.scoring`` -> here.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

import ibis
import numpy as np
import pandas as pd

from ops.errors import ConfigError
from ops.sla.sources import as_timestamp_literal
from ops.store.reader import run_prepared

UtcOffsets = dict[str, tuple[tuple[datetime, int], ...]]


@lru_cache(maxsize=64)
def tz_segments(tz: str) -> tuple[tuple[datetime, int], ...]:
    """``((utc_from, offset_s), ...)`` of timezone ``tz`` for 1990-2060, oldest first.

    Found with the tz database on an hourly grid (offsets change on the hour everywhere that
    matters), so a zone without DST (Asia/Seoul, Asia/Manila) is one segment. Cached per zone.
    """
    grid = pd.date_range("1990-01-01", "2060-01-01", freq="h", tz="UTC")
    local = grid.tz_convert(tz)
    off = np.asarray(
        (local.tz_localize(None) - grid.tz_localize(None)).total_seconds(), dtype="int64"
    )
    idx = np.concatenate([[0], np.flatnonzero(np.diff(off)) + 1])
    return tuple((grid[i].tz_localize(None).to_pydatetime(), int(off[i])) for i in idx)


def centers_frame(reader: Any) -> pd.DataFrame:
    """``center_id, kind, timezone, calendar_json`` of the centers ``reader`` may see.

    One prepared query (:func:`ops.store.reader.run_prepared`), shared with
    :attr:`ops.sla.metrics.MetricContext.centers`: one key, one expression.
    """
    return run_prepared(
        reader,
        ("ctx.centers",),
        lambda: reader.table("centers").select("center_id", "kind", "timezone", "calendar_json"),
    )


def center_utc_offsets(centers: pd.DataFrame) -> UtcOffsets:
    """Per center of ``centers``: ``((utc_from, offset_s), ...)`` of its timezone
    (:func:`tz_segments`); centers without a timezone are left out. ConfigError on an unknown one."""
    out: UtcOffsets = {}
    for center_id, tz in zip(centers.center_id, centers.timezone, strict=False):
        if center_id is None or not isinstance(tz, str) or not tz:
            continue
        try:
            out[str(center_id)] = tz_segments(tz)
        except Exception as e:  # noqa: BLE001 - zoneinfo/pytz raise several types
            raise ConfigError(f"Center {center_id}: unknown timezone {tz!r} ({e})") from e
    return out


def local_time_case(offsets: UtcOffsets, t: Any, ts: Any) -> Any:
    """``ts`` (naive UTC) on the clock of the row's center (``t.center_id``), as Ibis.

    One CASE over centers (and their timezone's offset changes); rows without a known center
    stay in UTC. Same convention as ``contacts.created_local``, which is written at import.
    """
    branches = []
    for center_id, segs in sorted(offsets.items()):
        for start, off in reversed(segs):
            cond = t.center_id == center_id
            if start != segs[0][0]:
                cond = cond & (ts >= as_timestamp_literal(start))
            branches.append((cond, ibis.literal(off)))
    if not branches:
        return ts
    offset = ibis.cases(*branches, else_=ibis.literal(0))
    return ts + offset.as_interval("s")


def center_local_time(reader: Any, t: Any, ts: Any) -> Any:
    """Ibis: the naive-UTC timestamp ``ts`` of table ``t`` on the clock of the row's ``center_id``.

    For tables that store only UTC instants (``surveys.responded_at``,
    ``qa_evaluations.evaluated_at``): grouping or filtering by the result gives the center's local
    days, like ``contacts.created_local``. One small ``centers`` query, then a CASE in SQL.
    """
    return local_time_case(center_utc_offsets(centers_frame(reader)), t, ts)
