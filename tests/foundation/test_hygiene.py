"""Layering rules of DESIGN.md, checked (harlequin's import-hygiene test)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_ops_does_not_import_streamlit() -> None:
    code = (
        "import sys, pkgutil, importlib, ops\n"
        "for m in pkgutil.walk_packages(ops.__path__, 'ops.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_only_the_store_imports_duckdb() -> None:
    pattern = re.compile(r"^\s*(import duckdb|from duckdb)", re.M)
    offenders = [
        str(p.relative_to(ROOT))
        for p in list((ROOT / "ops").rglob("*.py")) + list((ROOT / "dashboard").rglob("*.py"))
        if "ops/store" not in p.as_posix() and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_setting_is_documented_in_the_readme() -> None:
    from ops.config import Settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [
        f"CCOPS_{name.upper()}"
        for name, field in Settings.model_fields.items()
        if f"CCOPS_{name.upper()}" not in readme or not field.description
    ]
    assert missing == []
