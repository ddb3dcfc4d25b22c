"""Which pages exist, in which section, for which roles, and which ops service each one lays out.

Kept out of ``app.py`` so tests can read it without running Streamlit. A page is offered only when
its file and every service it needs exist: no placeholder pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashboard.auth import DATA_ROLES, ROLES

# Not "pages/": Streamlit treats a pages/ folder next to the entrypoint as a multipage app of its
# own, which until the first st.navigation call lists and runs those files without app.py (no login).
# tests/browser/test_signin_gate.py shows it with Streamlit as pinned, and checks views/ does not leak.
PAGES_DIR = Path(__file__).resolve().parent / "views"


@dataclass(frozen=True)
class PageSpec:
    """One page: file in ``dashboard/views``, i18n key (``page.<key>``), icon, nav section."""

    file: str
    key: str
    icon: str
    section: str
    needs: tuple[tuple[str, str], ...] = ()  # (module, attribute) the page lays out
    roles: tuple[str, ...] = ROLES
    default: bool = False


PAGE_SPECS: tuple[PageSpec, ...] = (
    PageSpec("overview.py", "overview", ":material/dashboard:", "overview", default=True),
    PageSpec(
        "executive.py",
        "executive",
        ":material/insights:",
        "overview",
        needs=(("ops.sla", "metric_table"), ("ops.reports", "executive_summary")),
    ),
    PageSpec(
        "sla.py", "sla", ":material/timer:", "operations", needs=(("ops.sla", "metric_table"),)
    ),
    PageSpec(
        "vendors.py",
        "vendors",
        ":material/handshake:",
        "operations",
        needs=(("ops.sla.compliance", "compliance"), ("ops.sla.negotiation", "what_if")),
    ),  # fmt: skip
    PageSpec(
        "forecast.py",
        "forecast",
        ":material/trending_up:",
        "planning",
        needs=(("ops.forecasting.service", "forecast_vs_actual"),),
    ),  # fmt: skip
    PageSpec(
        "staffing.py",
        "staffing",
        ":material/groups:",
        "planning",
        needs=(
            ("ops.staffing.planning", "plan"),
            ("ops.staffing.shifts", "recommend_shifts"),
            ("ops.staffing.hiring", "hiring_plan"),
        ),
    ),  # fmt: skip
    PageSpec(
        "qa.py", "qa", ":material/fact_check:", "quality", needs=(("ops.qa", "qa_scorecard"),)
    ),
    PageSpec(
        "voc.py",
        "voc",
        ":material/forum:",
        "quality",
        needs=(("ops.voc", "tag_hierarchy"), ("ops.voc", "support_funnel")),
    ),
    PageSpec("data.py", "data", ":material/database:", "admin", roles=tuple(sorted(DATA_ROLES))),
)


def _has(module: str, name: str) -> bool:
    import importlib

    try:
        mod = importlib.import_module(module)
    except ImportError:
        return False
    return getattr(mod, name, None) is not None


def available_pages(role: str) -> list[PageSpec]:
    """The pages a user with ``role`` gets, in menu order."""
    return [
        p
        for p in PAGE_SPECS
        if role in p.roles and (PAGES_DIR / p.file).exists() and all(_has(m, n) for m, n in p.needs)
    ]
