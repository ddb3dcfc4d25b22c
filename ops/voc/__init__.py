"""VOC: tag trends over the taxonomy, repeat contacts, the support funnel, automation candidates
and anomaly flags.

Public API (everything takes a :class:`ops.store.ScopedReader` unless noted):

* tags: :func:`tag_report`, :func:`top_movers`, :func:`new_tags`, :func:`tag_hierarchy`,
  :func:`tag_period_volume`
* repeats and flags: :func:`contact_flags`, :func:`flag_repeats` (pure), :func:`repeat_flags_expr`
* funnel: :func:`support_funnel`, :func:`funnel_stages`, :func:`proactive_notices`,
  :func:`event_impact`
* :func:`automation_candidates`
* :func:`anomaly_flags` (and pure :func:`flag_anomalies`)
"""

from __future__ import annotations

from ops.lazy import lazy_exports

# Lazy exports (PEP 562): `ccops` registers every sub-app at start-up, and importing the
# statistics stack (statsmodels, krippendorff, ibis) for `ccops --help` would cost seconds.
_EXPORTS: dict[str, str] = {
    "anomaly_flags": "ops.voc.anomalies",
    "automation_candidates": "ops.voc.candidates",
    "contact_flags": "ops.voc.repeat",
    "event_impact": "ops.voc.funnel",
    "flag_anomalies": "ops.voc.anomalies",
    "flag_repeats": "ops.voc.repeat",
    "fte_for_hours": "ops.voc.candidates",
    "funnel_stages": "ops.voc.funnel",
    "new_tags": "ops.voc.tags",
    "proactive_notices": "ops.voc.funnel",
    "repeat_flags_expr": "ops.voc.repeat",
    "score_candidates": "ops.voc.candidates",
    "support_funnel": "ops.voc.funnel",
    "tag_hierarchy": "ops.voc.tags",
    "tag_period_volume": "ops.voc.tags",
    "tag_report": "ops.voc.tags",
    "top_movers": "ops.voc.tags",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
