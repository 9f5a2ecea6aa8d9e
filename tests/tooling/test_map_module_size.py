"""The map modules of geo/render stay readable (issue 23, item 8): each under 400 lines,
each function under 80 (``end_lineno - lineno + 1``), and their JavaScript and CSS live in
geo/render/assets as .js/.css files, not in Python strings."""

from __future__ import annotations

import ast
import re

import pytest

from geo.config import REPO_ROOT

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80
MODULES = (
    "geo/render/base_map.py",
    "geo/render/boundaries.py",
    "geo/render/label_layout.py",
    "geo/render/map_controls.py",
    "geo/render/map_exports.py",
    "geo/render/map_labels.py",
    "geo/render/map_layers.py",
    "geo/render/map_points.py",
    "geo/render/maps.py",
    "geo/render/palette.py",
    "geo/render/static_layers.py",
    "geo/render/static_maps.py",
    "geo/render/travel_maps.py",
)
#: What JavaScript or CSS written in a Python string looks like.
SCRIPT_OR_STYLE = re.compile(r"function\s*\(|\bvar\s+\w+\s*=|[.#]?[\w-]+\s*\{\s*[\w-]+\s*:")


def long_functions(source: str) -> list[tuple[str, int]]:
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


def strings_with_code(source: str) -> list[int]:
    """Lines of the string constants that hold JavaScript or CSS (more than a call)."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and len(SCRIPT_OR_STYLE.findall(node.value)) > 1
    ]


def test_the_checks_find_what_they_look_for():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    assert long_functions(f"def f():\n{body}\n") == [("f", MAX_FUNCTION_LINES + 1)]
    assert strings_with_code('T = """var a = 1;\\n(function () { var b = 2; })();"""') == [1]
    assert strings_with_code('T = """.md-legend { color: red; }\\n.x { top: 0; }"""') == [1]
    assert strings_with_code('T = "{{ this.method }}({{ this.text }});"') == []


@pytest.mark.parametrize("path", MODULES)
def test_map_module_is_short_and_holds_no_script_or_style(path):
    source = (REPO_ROOT / path).read_text(encoding="utf-8")
    assert len(source.splitlines()) < MAX_MODULE_LINES, path
    assert long_functions(source) == [], path
    assert strings_with_code(source) == [], f"{path}: JavaScript/CSS belongs in assets/"
