"""The simulated demo center (``ccops demo``): a deterministic, queueing-honest contact center.

``build_demo(store, seed=7, days=730, end=None, scale=1.0)`` fills a store with three centers
(Seoul in-house, Busan and Manila vendors), ~15 queues on five channels, ~60 tags, ~150 agents,
schedules, two years of contacts whose waits and abandons come from simulating each queue against
its staffed agents, QA evaluations, NPS surveys and the events (holidays, campaigns, outages) that
drove the volume. See ``ops/simulate/world.py`` for the company and its "true" parameters.
"""

from __future__ import annotations

from ops.simulate.build import DemoSummary, build_demo

__all__ = ["DemoSummary", "build_demo"]
