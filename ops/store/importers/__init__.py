"""Importing users' files into the store: canonical files and vendor exports, validated and atomic.

Public API (the CLI's ``ccops import`` and the dashboard's Data page call these)::

    from ops.store.importers import import_file, recompute_derived, available_profiles
    summary = import_file(store, "tickets.csv", profile="zendesk", center_id="SEOUL")

Importers live inside ``ops/store`` because they are the one domain allowed to run SQL. Names are
resolved lazily so that ``ccops --help`` (which registers the import command) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "import_file": "ops.store.importers.engine",
    "recompute_derived": "ops.store.importers.derived",
    "Mapping": "ops.store.importers.mapping",
    "available_profiles": "ops.store.importers.mapping",
    "load_mapping": "ops.store.importers.mapping",
    "ImportSummary": "ops.store.importers.models",
    "RejectedRow": "ops.store.importers.models",
    "export_table": "ops.store.export",
    "recent_imports": "ops.store.importers.runs",
    "rejected_rows_of": "ops.store.importers.runs",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
