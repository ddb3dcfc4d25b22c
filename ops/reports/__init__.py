"""Reports: the executive summary, plain-language findings and the monthly PDF/XLSX report.

The dashboard's Executive page and ``ccops report monthly`` call the same functions, so a vendor
user's download holds exactly what the page shows for its own center::

    from ops.reports import executive_summary, render_monthly_pdf, render_monthly_xlsx
    summary = executive_summary(store, Scope.centers("BUSAN"), "2026-10")
    pdf_bytes = render_monthly_pdf(store, scope, "2026-10")
"""

from ops.reports.executive import KPI_SPECS, executive_summary, monthly_findings
from ops.reports.findings import Finding, rank_findings
from ops.reports.model import (
    STATUS_RULE,
    Breach,
    ExecutiveSummary,
    Kpi,
    KpiStatus,
    OutlookWeek,
    PenaltyStatement,
    UpcomingEvent,
    VendorRank,
    kpi_status,
)
from ops.reports.pdf import render_monthly_pdf, summary_to_html, summary_to_pdf
from ops.reports.xlsx import SHEETS, render_monthly_xlsx, summary_to_xlsx

__all__ = [
    "KPI_SPECS",
    "SHEETS",
    "STATUS_RULE",
    "Breach",
    "ExecutiveSummary",
    "Finding",
    "Kpi",
    "KpiStatus",
    "OutlookWeek",
    "PenaltyStatement",
    "UpcomingEvent",
    "VendorRank",
    "executive_summary",
    "kpi_status",
    "monthly_findings",
    "rank_findings",
    "render_monthly_pdf",
    "render_monthly_xlsx",
    "summary_to_html",
    "summary_to_pdf",
    "summary_to_xlsx",
]
