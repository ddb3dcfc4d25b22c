"""Staffing: Erlang C/A queueing math, required agents, async backlog work, planning, shifts, hiring.

Public API (scalars or numpy arrays, one value per interval)::

    from ops.staffing import erlang_c, erlang_a, required_agents, service_level_for
"""

from __future__ import annotations

from ops.staffing.erlang import (
    QueueMeasures,
    ceil_tolerant,
    erlang,
    erlang_a,
    erlang_b,
    erlang_c,
    traffic_erlangs,
    wait_quantile,
)
from ops.staffing.requirements import (
    combine_requirements,
    cost_of_agents,
    pool_queues,
    required_agents,
    requirement_cost,
    scheduled_from_raw,
    service_level_for,
)

__all__ = [
    "QueueMeasures",
    "ceil_tolerant",
    "combine_requirements",
    "cost_of_agents",
    "erlang",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "pool_queues",
    "required_agents",
    "requirement_cost",
    "scheduled_from_raw",
    "service_level_for",
    "traffic_erlangs",
    "wait_quantile",
]
