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

from ops.voc.anomalies import anomaly_flags, flag_anomalies
from ops.voc.candidates import automation_candidates, fte_for_hours, score_candidates
from ops.voc.funnel import event_impact, funnel_stages, proactive_notices, support_funnel
from ops.voc.repeat import contact_flags, flag_repeats, repeat_flags_expr
from ops.voc.tags import new_tags, tag_hierarchy, tag_period_volume, tag_report, top_movers

__all__ = [
    "anomaly_flags",
    "automation_candidates",
    "contact_flags",
    "event_impact",
    "flag_anomalies",
    "flag_repeats",
    "fte_for_hours",
    "funnel_stages",
    "new_tags",
    "proactive_notices",
    "repeat_flags_expr",
    "score_candidates",
    "support_funnel",
    "tag_hierarchy",
    "tag_period_volume",
    "tag_report",
    "top_movers",
]
