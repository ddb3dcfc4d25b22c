"""ccops: contact-center operations and SLA workbench.

`ops` is the domain package. It never imports streamlit; only `ops.store` opens DuckDB.
"""

__version__ = "0.1.0"
