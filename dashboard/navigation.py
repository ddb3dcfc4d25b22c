"""Which pages exist, in which section, for which roles, and which ops service each one lays out.

Kept out of ``app.py`` so tests can read it without running Streamlit. A page is offered only when
its file and every service it needs exist: no placeholder pages.
"""

from __future__ import annotations

import ast
import functools
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


@functools.cache
def _has(module: str, name: str) -> bool:
    """Whether ``module`` exists and defines ``name`` at its top level (a def, class, assignment,
    import or ``__all__`` entry), read from its source without importing it: importing every
    page's engine (scipy, statsmodels, ...) to draw the menu cost a just-started server 3 s of CPU
    before its first page (measured with py-spy)."""
    source = _module_source(module)
    if source is None:
        return False
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return False
    return name in _top_level_names(tree)


def _module_source(module: str) -> Path | None:
    """The ``.py`` file of a dotted module name, found on disk without importing the packages on
    the way (``importlib.util.find_spec`` would run each parent package's ``__init__``)."""
    import importlib.util

    top, _, rest = module.partition(".")
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent if spec.submodule_search_locations else Path(spec.origin)
    if not rest:
        return path / "__init__.py" if path.is_dir() else path
    for part in rest.split("."):
        path = path / part
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _top_level_names(tree: ast.Module) -> set[str]:
    """Names a module defines at its top level (including its ``__all__`` and lazy exports)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for tgt in targets:
                names.update(n.id for n in ast.walk(tgt) if isinstance(n, ast.Name))
            if any(isinstance(t, ast.Name) and t.id in ("__all__", "_EXPORTS") for t in targets):
                value = node.value
                if value is not None:
                    names.update(
                        c.value
                        for c in ast.walk(value)
                        if isinstance(c, ast.Constant) and isinstance(c.value, str)
                    )
    return names


def available_pages(role: str) -> list[PageSpec]:
    """The pages a user with ``role`` gets, in menu order."""
    return [
        p
        for p in PAGE_SPECS
        if role in p.roles and (PAGES_DIR / p.file).exists() and all(_has(m, n) for m, n in p.needs)
    ]
