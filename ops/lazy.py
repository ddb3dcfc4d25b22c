"""Lazy package exports (PEP 562) shared by the domain packages that re-export many names.

``ccops`` registers every sub-app at start-up; importing a domain's statistics stack (statsmodels,
krippendorff, ibis) just to show ``ccops --help`` would cost seconds. A package lists
``name -> defining module`` and gets a module ``__getattr__``/``__dir__`` that import on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str], namespace: MutableMapping[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: an exported name is imported from its module on
    first access and cached in ``namespace`` (the package's ``globals()``); any other name raises
    AttributeError. ``__dir__`` lists the package's globals plus every export."""

    def __getattr__(name: str) -> Any:
        if name in exports:
            value = getattr(importlib.import_module(exports[name]), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(list(namespace) + sorted(exports))

    return __getattr__, __dir__
