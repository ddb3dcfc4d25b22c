"""The ccops Streamlit dashboard: navigation, login, language and pages that lay out ops services."""
