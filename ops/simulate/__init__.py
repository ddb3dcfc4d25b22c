"""The simulated demo center (``ccops demo``): a deterministic, queueing-honest contact center.

``build_demo(store, seed=7, days=730, end=None, scale=1.0)`` fills a store with three centers
(SEOUL in-house 09-18 weekdays, BUSAN vendor daytime overflow Mon-Sat, MANILA vendor nights
18:00-09:00 KST), 15 queues on five channels, 57 tags in three levels, ~150 agents, schedules per
pool and 30-minute interval, two years of contacts (>= 2M at scale 1) whose waits and abandons come
from simulating each queue against its staffed agents, QA evaluations with calibration sessions,
quarterly NPS surveys, and the events (holidays, campaigns, outages, staffing gaps) that drove it.

The "truth" a planner would estimate from the data (``ops/simulate/world.py``): handle times and
customer patience are exactly exponential. Mean handle time of a contact = queue AHT x center
factor (SEOUL 1.0, BUSAN 1.05, MANILA 1.1) x tag factor (0.92 simple tags, 1.08 severity-3 tags,
else 1.0 -- the small spread keeps a pool M/M/N+M). Chat and in-app handle times are per chat slot;
servers = productive agents x concurrency.

| queue | channel | mode | concurrency | AHT s | patience s | centers (routing weight) |
|---|---|---|---|---|---|---|
| VOICE_GENERAL | voice | live | 1 | 300 | 150 | SEOUL 0.55, BUSAN 0.45, MANILA 1 |
| VOICE_ORDER | voice | live | 1 | 270 | 150 | SEOUL 0.4, BUSAN 0.6, MANILA 1 |
| VOICE_PAYMENT | voice | live | 1 | 360 | 150 | SEOUL 0.7, BUSAN 0.3, MANILA 1 |
| VOICE_TECH | voice | live | 1 | 420 | 150 | SEOUL 1, MANILA 1 |
| VOICE_VIP | voice | live | 1 | 330 | 180 | SEOUL 1, MANILA 1 |
| VOICE_SELLER | voice | live | 1 | 390 | 150 | SEOUL 1 |
| CHAT_GENERAL | chat | live | 3 | 540 | 300 | SEOUL 0.55, BUSAN 0.45, MANILA 1 |
| CHAT_PAYMENT | chat | live | 2 | 600 | 300 | SEOUL 1, MANILA 1 |
| CHAT_VIP | chat | live | 2 | 540 | 360 | SEOUL 1, MANILA 1 |
| INAPP_GENERAL | inapp | live | 3 | 480 | 240 | SEOUL 0.4, BUSAN 0.6, MANILA 1 |
| INAPP_ORDER | inapp | live | 2 | 450 | 240 | BUSAN 1, MANILA 1 |
| EMAIL_GENERAL | email | async | 1 | 480 | - | SEOUL 0.5, BUSAN 0.5 |
| EMAIL_PARTNER | email | async | 1 | 600 | - | SEOUL 1 |
| KAKAO_GENERAL | kakaotalk | async | 1 | 360 | - | SEOUL 0.5, BUSAN 0.5, MANILA 1 |
| KAKAO_ORDER | kakaotalk | async | 1 | 330 | - | BUSAN 1 |

Routing weights apply among the serving centers open at that moment. Live lines with no open center
(Saturday after 13:00, Sunday and holiday daytime) take only bot/self-serve contacts; async work
waits for the next serving center to open. Bot-contained contacts belong to SEOUL (it owns the bot).
"""

from __future__ import annotations

from ops.simulate.build import DemoSummary, build_demo

__all__ = ["DemoSummary", "build_demo"]
