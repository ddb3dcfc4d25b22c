"""Layering rules of DESIGN.md, checked (harlequin's import-hygiene test and import-linter
contracts, as in harlequin's ``pyproject.toml``)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = 3  # in pyproject.toml [tool.importlinter]


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


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the contracts of ``cwd/pyproject.toml`` on the packages under ``cwd``
    (it puts ``cwd`` first on ``sys.path``); wide lines so a reported import is not wrapped."""
    env = dict(os.environ, COLUMNS="250", NO_COLOR="1")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], capture_output=True, text=True, cwd=cwd, env=env,
        timeout=300,
    )  # fmt: skip


def test_import_contracts_are_kept() -> None:
    out = lint_imports(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"Contracts: {CONTRACTS} kept, 0 broken." in out.stdout


# (file under the copy, code appended to it, contract that must break, lines the report must show)
PLANTED = {
    "function-level import closing a cycle": (
        "ops/qa/scoring.py",
        "\n\ndef _planted() -> None:\n    from ops.sla.metrics import MetricContext  # noqa: F401\n",
        "no import cycle between modules of ops and dashboard",
        [
            "Import cycle: ops.qa.scoring -> ops.sla.metrics -> ops.qa.scoring",
            "from ops.sla.metrics import MetricContext",
            "from ops.qa.scoring import evaluation_scores_expr",
        ],
    ),
    "TYPE_CHECKING import closing a cycle": (
        "ops/store/reader.py",
        "\nif TYPE_CHECKING:\n    from ops.store.db import Store  # noqa: F401\n",
        "no import cycle between modules of ops and dashboard",
        [
            "Import cycle: ops.store.db -> ops.store.reader -> ops.store.db",
            "from ops.store.db import Store",
        ],
    ),
    "ops importing dashboard": (
        "ops/calendar.py",
        "\n\ndef _planted() -> None:\n    from dashboard.i18n import t  # noqa: F401\n",
        "ops never imports dashboard",
        ["ops.calendar -> dashboard.i18n"],
    ),
    "a domain CLI importing ops.cli": (
        "ops/voc/cli.py",
        "\n\ndef _planted() -> None:\n    from ops.cli import db_path  # noqa: F401\n",
        "nothing imports ops.cli",
        ["ops.voc.cli -> ops.cli"],
    ),
}


@pytest.mark.parametrize("case", list(PLANTED))
def test_import_contracts_break_on_a_planted_import(case: str, tmp_path: Path) -> None:
    """The same contracts on a copy of the code with one import added: that contract breaks."""
    target, code, contract, shown = PLANTED[case]
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("ops", "dashboard", "scripts"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with open(tmp_path / target, "a", encoding="utf-8") as f:
        f.write(code)
    out = lint_imports(tmp_path)
    assert out.returncode != 0, out.stdout
    assert f"Contracts: {CONTRACTS - 1} kept, 1 broken." in out.stdout, out.stdout
    report = out.stdout.split("Broken contracts", 1)[1]
    assert report.lstrip("-\n").startswith(contract), report
    for line in shown:
        assert line in report, report
