"""The data package, the dashboard's entry and shell, and the CLI's shared modules stay
readable: each module under 400 lines, each function under 80 (issue 23, item 8;
measured as in the finder's size test, ``end_lineno - lineno + 1``)."""

from __future__ import annotations

import pytest

from geo.config import REPO_ROOT
from tests.tooling.test_finder_module_size import (
    MAX_FUNCTION_LINES,
    MAX_MODULE_LINES,
    long_functions,
)

MODULES = sorted(
    {
        *(p.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / "geo" / "data").glob("*.py")),
        *(p.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / "shell").glob("*.py")),
        "dashboard.py",
        "geo/analysis/place_names.py",
        "geo/cli/build.py",
        "geo/cli/common.py",
        "geo/cli/network.py",
    }
)


def test_the_data_modules_are_all_listed():
    assert "geo/data/raw.py" in MODULES and "shell/frame.py" in MODULES
    assert len(MODULES) > 25


@pytest.mark.parametrize("path", MODULES)
def test_data_and_shell_modules_are_short(path):
    source = (REPO_ROOT / path).read_text(encoding="utf-8")
    assert len(source.splitlines()) < MAX_MODULE_LINES
    assert long_functions(source, MAX_FUNCTION_LINES - 1) == []
