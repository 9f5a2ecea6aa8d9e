"""Sizes a newcomer can read (issue 23, item 8): every source module under 400 lines, every
function under 80, and no JavaScript or CSS held in Python strings (it lives in ``.js`` and
``.css`` files read at render time).

Lines of a function are counted from its ``def`` (decorators excluded) to its last line:
``end_lineno - lineno + 1`` of its AST node, docstring and comments included.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from geo.config import REPO_ROOT

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80

#: The source the project ships and runs (tests are written to be read one at a time).
SOURCE_DIRS = ("geo", "shell", "pages", "benchmarks", "deploy")
#: What renders the pages people see (the benchmarks' browser driver scripts are not).
RENDERING_DIRS = ("geo", "shell", "pages")


def source_files(root: Path = REPO_ROOT, folders: tuple[str, ...] = SOURCE_DIRS) -> list[Path]:
    """Every Python source file in ``folders``, ``dashboard.py`` included."""
    files = [root / "dashboard.py"]
    for folder in folders:
        files.extend(sorted((root / folder).rglob("*.py")))
    return [path for path in files if path.is_file()]


def long_functions(text: str, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int]]:
    """The (qualified name, line count) of each function of ``text`` of ``limit`` lines or
    more (a function must stay under the limit)."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = prefix
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}."
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (child.end_lineno or child.lineno) - child.lineno + 1
                if length >= limit:
                    found.append((name.rstrip("."), length))
            visit(child, name)

    visit(ast.parse(text), "")
    return found


#: What JavaScript or CSS written in a Python string looks like; a string holding more than
#: one such mark is code (one mark is a template calling a function from an asset file).
SCRIPT_OR_STYLE = re.compile(r"function\s*\(|\bvar\s+\w+\s*=|[.#]?[\w-]+\s*\{\s*[\w-]+\s*:")


def embedded_browser_code(text: str) -> list[int]:
    """Line numbers of the string constants of ``text`` that hold JavaScript or CSS."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and len(SCRIPT_OR_STYLE.findall(node.value)) > 1
    ]


def test_the_checks_find_what_they_look_for() -> None:
    """Each check flags a case built to break it, so a passing run means something."""
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES - 1))
    assert long_functions(f"class A:\n  def f(self):\n{body}\n") == [("A.f", MAX_FUNCTION_LINES)]
    assert long_functions(f"def f():\n{body[: body.rindex(chr(10))]}\n") == []
    script = "<script>\\nvar go = function (e) {\\n  e.preventDefault();\\n};\\n</script>"
    assert embedded_browser_code(f'CODE = """{script}"""') == [1]
    assert embedded_browser_code('CSS = """.md-legend { color: red; }\\n.x { top: 0; }"""') == [1]
    # a template that calls a function of an asset file, with values, is not code
    assert embedded_browser_code('T = "{{ this.method }}({{ this.text }});"') == []


def test_source_files_cover_the_project() -> None:
    names = {path.relative_to(REPO_ROOT).as_posix() for path in source_files()}
    assert {"dashboard.py", "geo/__init__.py", "shell/frame.py", "pages/screens/find.py"} <= names


@pytest.mark.parametrize("path", source_files(), ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_module_and_function_sizes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n") + (not text.endswith("\n") and bool(text))
    assert lines < MAX_MODULE_LINES, f"{path.name} has {lines} lines: split it by concern"
    assert long_functions(text) == [], f"functions of {MAX_FUNCTION_LINES} lines or more"


@pytest.mark.parametrize(
    "path",
    source_files(folders=RENDERING_DIRS),
    ids=lambda p: p.relative_to(REPO_ROOT).as_posix(),
)
def test_no_javascript_or_css_in_python_strings(path: Path) -> None:
    assert embedded_browser_code(path.read_text(encoding="utf-8")) == [], (
        "move the JavaScript/CSS to a .js/.css file read at render time"
    )
