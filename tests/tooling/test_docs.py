"""The front door and the documentation: the README's library example runs, the doctests of
the facade and the engine pass, and every CLI command, ``NALOXONE_*`` setting and dashboard
page is documented in ``docs/`` (issue 23, items 2 and 7)."""

from __future__ import annotations

import doctest
import importlib
import re
import subprocess
import sys

import pytest

from geo import cli
from geo.config import REPO_ROOT

DOCS = REPO_ROOT / "docs"
#: Prose pages (the generated CLI reference alone does not count as documenting a command).
PROSE = "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md")))


def test_the_readme_is_a_short_front_door_with_both_commands():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 120
    assert "streamlit run dashboard.py" in readme and "python -m pytest --cov" in readme
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert "\npython -m pytest --cov\n" in ci, ".ci/run runs exactly the README's test command"
    for linked in re.findall(r"\]\(((?:docs/)?[\w./-]+\.(?:md|cff|png)|LICENSE)\)", readme):
        assert (REPO_ROOT / linked).exists(), linked


def test_the_readme_library_example_runs():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, re.S)
    assert block, "the README has a library example"
    code = "\n".join(line.removeprefix("  ") for line in block.group(1).splitlines())
    assert len([line for line in code.splitlines() if line.strip()]) <= 5
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "population" in done.stdout and "pct_pop_within_radius" in done.stdout


@pytest.mark.parametrize("module", ["geo", "geo.engine.distance", "geo.engine.siting"])
def test_doctests_of_the_facade_and_the_engine(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_importing_geo_stays_light_and_the_facade_is_lazy():
    code = (
        "import sys, geo; assert 'pandas' not in sys.modules, 'import geo loaded pandas'; "
        "assert set(geo.__all__) <= set(dir(geo)); "
        "print(geo.__version__, geo.Scenario.__name__, geo.load_access_data.__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0.2.0", "Scenario", "load_access_data"]


def _commands(parser, prefix: str = "") -> list[str]:
    """Every command and sub-command name of the CLI parser ("sites refresh", ...)."""
    found = []
    for action in parser._actions:
        choices = getattr(action, "choices", None)
        for name, sub in choices.items() if isinstance(choices, dict) else ():
            if hasattr(sub, "_actions"):
                full = f"{prefix}{name}"
                found.append(full)
                found.extend(_commands(sub, full + " "))
    return found


def test_every_cli_command_is_documented():
    commands = _commands(cli.build_parser())
    assert "metrics" in commands and any(c.startswith("sites ") for c in commands)
    missing = [c for c in commands if f"geo {c}" not in PROSE]
    assert not missing, f"document these commands in docs/*.md: {missing}"


def test_every_setting_is_documented():
    code = "\n".join(
        p.read_text(encoding="utf-8")
        for folder in ("geo", "shell", "pages", "deploy")
        for p in (REPO_ROOT / folder).rglob("*.py")
    )
    code += (REPO_ROOT / "dashboard.py").read_text(encoding="utf-8")
    settings = sorted(set(re.findall(r"[\"'](NALOXONE_[A-Z0-9_]*[A-Z0-9])[\"']", code)))
    assert "NALOXONE_STORE" in settings
    missing = [s for s in settings if s not in PROSE]
    assert not missing, f"document these settings in docs/*.md: {missing}"


def test_every_dashboard_page_is_in_the_user_guide():
    dashboard = (REPO_ROOT / "dashboard.py").read_text(encoding="utf-8")
    titles = re.findall(r'st\.Page\(\s*"pages/[\w-]+\.py",\s*title=(?:_\()?"([^"]+)"', dashboard)
    assert len(titles) >= 7
    guide = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    missing = [t for t in titles if f"**{t}**" not in guide]
    assert not missing, f"describe these pages in docs/user-guide.md: {missing}"


def test_every_cache_is_in_the_architecture_table():
    """Each function cached for longer than one call (Streamlit's caches, lru_cache,
    functools.cache) is named in docs/architecture.md's cache table."""
    import ast

    table = (DOCS / "architecture.md").read_text(encoding="utf-8").split("## Caches", 1)[1]
    missing = []
    for folder in ("geo", "shell", "pages"):
        for path in sorted((REPO_ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                decorators = [ast.unparse(d) for d in node.decorator_list]
                cached = any("cache" in d and "cached_property" not in d for d in decorators)
                if cached and node.name not in table:
                    missing.append(f"{path.relative_to(REPO_ROOT)}:{node.name}")
    assert not missing, f"add these caches to docs/architecture.md: {missing}"
