"""Exact FCFS simulation of one pool (queue x center) with a time-varying number of servers.

Why this shape: waits and abandons in the demo must come from the staffing, so that Erlang A applied
to the schedule explains the observed service level. Each pool is an M_t/M/N_t+M queue: arrivals
(generated elsewhere), exponential handle times, exponential patience, and N_k servers during
30-minute interval k (productive agents x concurrency).

Algorithm (exact for FCFS with abandonment): keep a min-heap of the times at which each current
server becomes free. At each interval boundary the pool is set to that interval's size: new servers
are free at the boundary; surplus servers are removed earliest-free first. For an arrival at ``t`` with
patience ``p``, apply boundaries up to ``t``; its start is the earliest free time ``s``; boundaries in
``(t, s]`` that fall while it still waits (``<= t + p``) are applied before taking ``s`` (a boundary
applied early is harmless: all servers are busy past it, so later arrivals before it could not use a
removed server either). If ``s - t > p`` the customer abandons at ``t + p`` and takes no server;
otherwise the server is busy until ``s + handle``. No servers (a closed pool) means waiting for the
next boundary that brings servers, or abandoning. Async queues use infinite patience: work waits for
business hours; work still waiting when the schedule ends stays pending (``start`` is NaN).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np

from ops.simulate.timegrid import INTERVAL_S


@dataclass
class PoolState:
    """A pool's state carried between time chunks: server free times and next boundary."""

    servers: np.ndarray  # servers per interval (int); after the last one the pool is closed
    heap: list[float] = field(default_factory=list)
    next_boundary: int = 0


def simulate_pool(
    state: PoolState, arrival_s: np.ndarray, patience_s: np.ndarray, handle_s: np.ndarray
) -> np.ndarray:
    """Start of service per arrival (NaN: abandoned, or still pending for infinite patience).

    ``arrival_s`` must be sorted and not earlier than any arrival of a previous call on ``state``.
    """
    servers = state.servers.tolist() + [0]
    n_bound = len(servers)
    heap = state.heap
    k = state.next_boundary
    inf = math.inf
    push, pop, replace = heapq.heappush, heapq.heappop, heapq.heapreplace
    starts = np.empty(len(arrival_s), dtype=np.float64)
    out = starts  # local alias for speed in the loop
    arr = arrival_s.tolist()
    pat = patience_s.tolist()
    hdl = handle_s.tolist()
    nan = math.nan
    step = float(INTERVAL_S)
    for j in range(len(arr)):
        t = arr[j]
        # boundaries at or before the arrival
        while k < n_bound and k * step <= t:
            target = servers[k]
            cur = len(heap)
            if target > cur:
                b = k * step
                for _ in range(target - cur):
                    push(heap, b)
            elif target < cur:
                for _ in range(cur - target):
                    pop(heap)
            k += 1
        s = heap[0] if heap else inf
        if s > t:
            limit = t + pat[j]
            # boundaries while this customer is still waiting
            while k < n_bound and k * step <= limit and k * step <= s:
                target = servers[k]
                cur = len(heap)
                if target > cur:
                    b = k * step
                    for _ in range(target - cur):
                        push(heap, b)
                elif target < cur:
                    for _ in range(cur - target):
                        pop(heap)
                k += 1
                s = heap[0] if heap else inf
            if s - t > pat[j] or s == inf:
                out[j] = nan
                continue
        else:
            s = t
        replace(heap, s + hdl[j])
        out[j] = s
    state.next_boundary = k
    return starts
