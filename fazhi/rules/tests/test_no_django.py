"""``fazhi.rules`` is plain Python (STYLE-ANCHORS §5.7, ARCHITECTURE §4): no Django, ever.

Two checks: a static one over the source of every module (including these tests), and a
dynamic one that imports the package in a fresh interpreter and looks at ``sys.modules``, which
also catches Django arriving through a transitive import.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

RULES_DIR = Path(__file__).resolve().parents[1]
FORBIDDEN = ("django", "ninja", "fazhi.core", "fazhi.ledger")
MODULES = sorted(RULES_DIR.rglob("*.py"))


def _is_forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f"{f}.") for f in FORBIDDEN)


def _imported_names(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Call):
            # importlib.import_module("django...") / __import__("django...")
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in {"import_module", "__import__"} and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names.append(first.value)
    return names


def test_there_are_modules_to_check() -> None:
    assert {p.name for p in MODULES} >= {"parameters.py", "calendar.py", "deadlines.py"}


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(RULES_DIR)) for p in MODULES])
def test_module_imports_nothing_from_django(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bad = [name for name in _imported_names(tree) if _is_forbidden(name)]
    assert bad == [], f"{path} imports {bad}"


def test_importing_the_package_does_not_load_django() -> None:
    code = (
        "import sys\n"
        "import fazhi.rules, fazhi.rules.parameters, fazhi.rules.calendar, fazhi.rules.deadlines\n"
        "fazhi.rules.parameters.default_parameters()\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'ninja'})\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=RULES_DIR.parents[1],
    )
    assert result.stdout.strip() == ""
