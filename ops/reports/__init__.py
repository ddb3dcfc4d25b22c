"""Reports: the executive summary, plain-language findings and the monthly PDF/XLSX report.

The dashboard's Executive page and ``ccops report monthly`` call the same functions, so a vendor
user's download holds exactly what the page shows for its own center.
"""

from ops.reports.findings import Finding

__all__ = ["Finding"]
