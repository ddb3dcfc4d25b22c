"""Reusable pieces the pages lay out: KPI cards, plotly chart helpers, tables with downloads."""
