"""Honesty of the demo: Erlang A on the demo's schedule explains its observed service level.

DESIGN "Demo data": waits and abandons come from simulating the queues against the scheduled agents,
so staffing math applied to the demo schedule must reproduce the observed SL. Per center, channel
and month: predicted SL (default variant, T = 20 s, short abandon 5 s) within 3 points of observed.

Inputs are all estimated from the data: servers = productive_s / interval_s x queue concurrency;
arrival rate per interval = the pool's mean count at that local time over the month's days of the
same day type (see ``smoothed_calls`` for why not the interval's own count); AHT = mean handle per
pool; patience = exponential MLE per center x channel (sum of all waits / abandons).
"""

from __future__ import annotations

from datetime import date

import pytest

from ops.staffing.planning import (
    CENTER,
    CHANNEL,
    INTERVAL,
    compare_service_level,
    interval_counts,
    patience_estimates,
    schedule_intervals,
    schedule_service_level,
)


@pytest.fixture(scope="module")
def comparison(demo_store):
    r = demo_store.reader()
    start, end = date(2026, 1, 1), date(2027, 1, 1)
    counts = interval_counts(r, start, end, answer_s=20, short_abandon_s=5)
    sched = schedule_intervals(r, start, end)
    queues = r.execute(r.table("queues"))
    patience = patience_estimates(counts)
    pred = schedule_service_level(counts, sched, queues, patience, answer_s=20, short_abandon_s=5)
    pred["month"] = pred[INTERVAL].dt.to_period("M").astype(str)
    return compare_service_level(pred, [CENTER, CHANNEL, "month"])


def test_erlang_a_predicts_demo_service_level_within_3_points(comparison) -> None:
    assert len(comparison) >= 6  # three centers x live channels x months
    bad = comparison[comparison["sl_gap_points"].abs() >= 3.0]
    assert bad.empty, bad[
        [CENTER, CHANNEL, "month", "offered", "observed_sl", "predicted_sl", "sl_gap_points"]
    ].to_string()


def test_patience_estimates_recover_the_simulated_voice_patience(demo_store) -> None:
    # The simulator's voice queues have mean patience 150 s (180 s on the VIP line):
    # the censored-data MLE per center must land near it.
    r = demo_store.reader()
    counts = interval_counts(r, date(2026, 1, 1), date(2027, 1, 1))
    p = patience_estimates(counts)
    voice = p[p[CHANNEL] == "voice"]
    assert ((voice["patience_s"] > 120) & (voice["patience_s"] < 200)).all(), voice.to_string()
