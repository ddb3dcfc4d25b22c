"""QA: scorecard forms, the one QA score, scorecards, calibration, review sampling, surveys.

Public API (everything takes a :class:`ops.store.ScopedReader` unless noted):

* forms: :func:`load_form`, :func:`forms_from_store`, :func:`form_items_frame`, :class:`QaForm`
* scores: :func:`evaluation_scores` (one row per evaluation, 0-100; its Ibis expression
  :func:`evaluation_scores_expr`, aggregated by the SLA engine), :func:`score_item_rows`
  (pure, vectorised), :func:`score_evaluation`
* scorecards: :func:`qa_scorecard`, :func:`qa_trend`, :func:`item_weaknesses`,
  :func:`coaching_list`, :func:`audit_gap`
* calibration: :func:`calibration_report`, :func:`evaluator_leniency`, :func:`agreement`,
  :func:`item_spread`
* sampling: :func:`review_sample` (and pure :func:`sample_contacts`)
* surveys: :func:`survey_metrics` (CSAT, CES, NPS, response rate with intervals)
* outcomes: :func:`qa_outcomes_by_agent`, :func:`qa_outcome_correlation`
"""

from __future__ import annotations

from ops.lazy import lazy_exports

# Lazy exports (PEP 562): `ccops` registers every sub-app at start-up, and importing the
# statistics stack (statsmodels, krippendorff, ibis) for `ccops --help` would cost seconds.
_EXPORTS: dict[str, str] = {
    "QaForm": "ops.qa.forms",
    "QaItem": "ops.qa.forms",
    "QaSection": "ops.qa.forms",
    "agreement": "ops.qa.calibration",
    "audit_gap": "ops.qa.scorecards",
    "calibration_report": "ops.qa.calibration",
    "coaching_list": "ops.qa.scorecards",
    "evaluation_scores": "ops.qa.scoring",
    "evaluation_scores_expr": "ops.qa.scoring",
    "evaluator_leniency": "ops.qa.calibration",
    "form_items_frame": "ops.qa.forms",
    "forms_from_store": "ops.qa.forms",
    "item_spread": "ops.qa.calibration",
    "item_weaknesses": "ops.qa.scorecards",
    "load_form": "ops.qa.forms",
    "qa_outcome_correlation": "ops.qa.outcomes",
    "qa_outcomes_by_agent": "ops.qa.outcomes",
    "qa_scorecard": "ops.qa.scorecards",
    "qa_trend": "ops.qa.scorecards",
    "review_sample": "ops.qa.sampling",
    "sample_contacts": "ops.qa.sampling",
    "score_evaluation": "ops.qa.scoring",
    "score_item_rows": "ops.qa.scoring",
    "survey_metrics": "ops.qa.surveys",
    "wilson_interval": "ops.qa.stats",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
