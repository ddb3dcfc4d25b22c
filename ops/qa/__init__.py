"""QA: scorecard forms, the one QA score, scorecards, calibration, review sampling, surveys.

Public API (everything takes a :class:`ops.store.ScopedReader` unless noted):

* forms: :func:`load_form`, :func:`forms_from_store`, :func:`form_items_frame`, :class:`QaForm`
* scores: :func:`evaluation_scores` (one row per evaluation, 0-100), :func:`score_item_rows`
  (pure, vectorised), :func:`score_evaluation`
* scorecards: :func:`qa_scorecard`, :func:`qa_trend`, :func:`item_weaknesses`,
  :func:`coaching_list`, :func:`audit_gap`
* calibration: :func:`calibration_report`, :func:`evaluator_leniency`, :func:`agreement`,
  :func:`item_spread`
* sampling: :func:`review_sample` (and pure :func:`sample_contacts`)
* surveys: :func:`survey_metrics` (CSAT, CES, NPS, response rate with intervals)
* outcomes: :func:`qa_outcomes_by_agent`, :func:`qa_outcome_correlation`
"""

from ops.qa.calibration import agreement, calibration_report, evaluator_leniency, item_spread
from ops.qa.forms import QaForm, QaItem, QaSection, form_items_frame, forms_from_store, load_form
from ops.qa.outcomes import qa_outcome_correlation, qa_outcomes_by_agent
from ops.qa.sampling import review_sample, sample_contacts
from ops.qa.scorecards import audit_gap, coaching_list, item_weaknesses, qa_scorecard, qa_trend
from ops.qa.scoring import evaluation_scores, score_evaluation, score_item_rows
from ops.qa.stats import wilson_interval
from ops.qa.surveys import survey_metrics

__all__ = [
    "QaForm",
    "QaItem",
    "QaSection",
    "agreement",
    "audit_gap",
    "calibration_report",
    "coaching_list",
    "evaluation_scores",
    "evaluator_leniency",
    "form_items_frame",
    "forms_from_store",
    "item_spread",
    "item_weaknesses",
    "load_form",
    "qa_outcome_correlation",
    "qa_outcomes_by_agent",
    "qa_scorecard",
    "qa_trend",
    "review_sample",
    "sample_contacts",
    "score_evaluation",
    "score_item_rows",
    "survey_metrics",
    "wilson_interval",
]
