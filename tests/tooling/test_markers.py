"""The markers that let a contributor run the fast set alone, and the reference adapters'
one place (tests/support/reference.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import pytest

from geo.config import REPO_ROOT

MARKERS = ("browser", "cluster", "postgres", "reference", "slow")


def collected(expression: str) -> list[str]:
    """Node ids ``python -m pytest --collect-only -m EXPRESSION`` selects."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            expression,
        ],
        cwd=REPO_ROOT,
        env=env,
        text=True,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_markers_are_registered_and_strict():
    options = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    registered = {line.split(":", 1)[0] for line in options["ini_options"]["markers"]}
    assert registered == set(MARKERS)
    assert "--strict-markers" in options["ini_options"]["addopts"].split()


@pytest.mark.slow
def test_the_fast_set_leaves_out_browser_postgres_and_reference_tests():
    ids = collected("not browser and not postgres and not reference")
    assert not [i for i in ids if i.startswith("tests/e2e/")], "browser tests were selected"
    assert not [i for i in ids if "[postgresql]" in i], "store tests on PostgreSQL selected"
    for real_server in (
        "tests/local/test_store_outage.py::test_a_store_shows_its_location_masked",
        "tests/local/test_importing.py::test_cli_import_json_never_shows_the_store_password",
    ):
        assert real_server not in ids
    assert "tests/local/test_store.py::test_add_update_history_and_revert[sqlite]" in ids
    assert sum(i.startswith("tests/engine/") for i in ids) > 20
    assert not [i for i in ids if i.startswith("tests/engine/test_engine_reference.py")]


def test_the_reference_libraries_are_adapted_in_one_place():
    model = "access." + "Access("  # split so that this file does not match itself
    users = sorted(
        str(path.relative_to(REPO_ROOT))
        for folder in ("tests", "benchmarks")
        for path in (REPO_ROOT / folder).rglob("*.py")
        if model in path.read_text(encoding="utf-8")
    )
    assert users == ["tests/support/reference.py"]


def test_the_benchmarks_import():
    import benchmarks.app
    import benchmarks.engine

    assert benchmarks.engine.access_two_step_fca.__module__ == "tests.support.reference"
    assert callable(benchmarks.app.run)


def test_visitors_never_get_tracebacks_from_streamlit():
    import tomllib

    from geo.config import REPO_ROOT

    settings = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    assert settings["client"]["showErrorDetails"] == "none"


def test_a_test_without_the_mark_its_folder_or_fixture_needs_is_refused():
    from types import SimpleNamespace

    from tests import conftest

    def item(folder: str, fixtures=(), marks=(), params=None):
        return SimpleNamespace(
            path=conftest.TESTS_DIR / folder / "test_x.py",
            fixturenames=list(fixtures),
            callspec=SimpleNamespace(params=params or {}),
            get_closest_marker=lambda name: name if name in marks else None,
        )

    assert conftest._missing_marks(item("e2e")) == ["browser"]
    assert conftest._missing_marks(item("e2e", marks=("browser",))) == []
    assert conftest._missing_marks(item("deploy")) == ["cluster"]
    assert conftest._missing_marks(item("local", fixtures=("postgres_url",))) == ["postgres"]
    assert conftest._missing_marks(item("local", ("postgres_url",), ("postgres",))) == []
    assert conftest._missing_marks(item("engine")) == []


@pytest.mark.parametrize(("ci", "outcome"), [("true", "failed"), ("", "skipped")])
def test_under_ci_a_skipped_reference_test_fails_the_run(pytester, monkeypatch, ci, outcome):
    pytester.makeconftest((REPO_ROOT / "tests" / "conftest.py").read_text())
    options = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    markers = "\n    ".join(options["ini_options"]["markers"])
    pytester.makeini(f"[pytest]\nmarkers =\n    {markers}\naddopts = --strict-markers\n")
    pytester.makepyfile(
        test_ref="""
        import pytest
        pytestmark = pytest.mark.reference
        def test_needs_pysal():
            pytest.importorskip("a_library_that_is_not_installed")
        def test_plain():
            pass
        """
    )
    monkeypatch.setenv("CI", ci)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    counts = {"failed": 0, "skipped": 0, "passed": 1}
    counts[outcome] += 1
    result.assert_outcomes(**counts)


def test_a_browser_test_without_its_mark_is_deselected_by_m_and_fails_when_run(pytester):
    pytester.makeconftest((REPO_ROOT / "tests" / "conftest.py").read_text())
    options = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    markers = "\n    ".join(options["ini_options"]["markers"])
    pytester.makeini(f"[pytest]\nmarkers =\n    {markers}\naddopts = --strict-markers\n")
    pytester.mkpydir("e2e")
    (pytester.path / "e2e" / "test_page.py").write_text("def test_page():\n    pass\n")
    ran = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    ran.assert_outcomes(errors=1)  # fails at set-up, naming the mark
    assert "add pytest.mark.browser" in ran.stdout.str()
    fast = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-m", "not browser")
    fast.assert_outcomes(deselected=1)
