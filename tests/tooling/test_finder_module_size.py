"""The finder page's and handout's modules stay readable: each under 400 lines, each
function under 80 (issue 27, item 7; measured as ``end_lineno - lineno + 1``)."""

from __future__ import annotations

import ast

import pytest

from geo.config import REPO_ROOT

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80
MODULES = (
    "pages/find.py",
    "pages/screens/find.py",
    "pages/screens/find_sites.py",
    "geo/render/handout.py",
    "geo/render/handout_layout.py",
    "geo/render/finder_output.py",
    "geo/i18n.py",
    "geo/cli/find.py",
)


def long_functions(source: str, limit: int) -> list[tuple[str, int]]:
    """(name, lines) of each function in ``source`` longer than ``limit`` lines."""
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > limit
    ]


def test_the_measure_finds_a_long_function():
    body = "\n".join(f"    x{i} = {i}" for i in range(80))
    assert long_functions(f"def f():\n{body}\n", 80) == [("f", 81)]
    assert long_functions(f"def f():\n{body}\n", 81) == []


@pytest.mark.parametrize("path", MODULES)
def test_finder_modules_are_short(path):
    source = (REPO_ROOT / path).read_text(encoding="utf-8")
    assert len(source.splitlines()) < MAX_MODULE_LINES
    assert long_functions(source, MAX_FUNCTION_LINES - 1) == []
