"""Shared fixtures (the real bundled layers, loaded once per test session) and the
markers that let a contributor run the fast set alone (``python -m pytest -m "not browser"``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

from geo.analysis import metrics
from geo.data import layers

# Tests never touch a user's store: every run gets its own empty one.
os.environ["NALOXONE_STORE"] = os.path.join(
    tempfile.mkdtemp(prefix="naloxone-store-"), "store.sqlite"
)
os.environ.pop("NALOXONE_EDITOR_PASSWORD_HASH", None)


@pytest.fixture(scope="session")
def jurisdictions():
    return layers.load_jurisdictions()


@pytest.fixture(scope="session")
def population():
    return layers.load_population()


@pytest.fixture(scope="session")
def sites():
    return layers.load_sites()


@pytest.fixture(scope="session")
def leave_behind():
    return layers.load_leave_behind()


@pytest.fixture(scope="session")
def burden():
    return layers.load_burden()


@pytest.fixture(scope="session")
def data():
    """All inputs of the access metrics, with projected population points."""
    return metrics.load_access_data()


@pytest.fixture(scope="session", autouse=True)
def _component_scan_once():
    """Streamlit's AppTest scans the metadata of every installed package for v2 component
    manifests each time an ``AppTest`` first runs (about 0.5 s of CPU, some 250 times in a
    run). The installed packages do not change during a test session: scan once, and hand
    each AppTest the same manifests. (A Streamlit without this scanner: nothing to do.)"""
    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:
        yield
        return
    scan = getattr(manifest_scanner, "scan_component_manifests", None)
    if scan is None:
        yield
        return
    found: list[object] = []

    def scan_once(*args: object, **kwargs: object) -> list[object]:
        if not found:
            found.append(scan(*args, **kwargs))
        return list(found[0])

    manifest_scanner.scan_component_manifests = scan_once
    yield
    manifest_scanner.scan_component_manifests = scan


pytest_plugins = ["pytester"]  # tests/tooling/test_markers.py runs pytest on small files

# --- markers (registered in pyproject.toml) ---------------------------------------------
# Every test module says what it needs with an explicit ``pytestmark`` (or a mark on the test
# or the parameter: ``pytest.param("postgresql", marks=pytest.mark.postgres)``). The hooks
# below only check that nothing was forgotten, and that under ``CI=true`` a test of these
# kinds never passes the run by skipping.

TESTS_DIR = Path(__file__).resolve().parent
#: Folder → the mark every test in it must carry.
FOLDER_MARKS = {TESTS_DIR / "e2e": "browser", TESTS_DIR / "deploy": "cluster"}
#: Fixtures that start or use a real PostgreSQL server.
POSTGRES_FIXTURES = frozenset({"postgres_url"})
#: A skip of a test with one of these marks is a failure under CI=true: the reference,
#: browser, PostgreSQL and nginx tests are the ones a missing package would silently drop.
MUST_RUN_IN_CI = ("reference", "browser", "postgres", "cluster")
#: Modules whose use makes a test a ``reference`` test (an independent implementation).
REFERENCE_LIBRARIES = frozenset({"access", "spopt", "networkx"})
REFERENCE_ADAPTERS = "tests.support.reference"


def _uses_reference_library(item: pytest.Item) -> bool:
    """The test's module imports a reference library or the adapters of one."""
    module = getattr(item, "module", None)
    for value in vars(module).values() if module is not None else ():
        name = getattr(value, "__name__", "") if isinstance(value, ModuleType) else ""
        if name.split(".")[0] in REFERENCE_LIBRARIES or (
            getattr(value, "__module__", None) == REFERENCE_ADAPTERS
        ):
            return True
    return False


def _missing_marks(item: pytest.Item) -> list[str]:
    """Marks ``item`` should carry, by its folder and the server fixtures it requests."""
    wanted = [mark for folder, mark in FOLDER_MARKS.items() if folder in item.path.parents]
    if POSTGRES_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        params = getattr(getattr(item, "callspec", None), "params", {})
        if not any(value == "sqlite" for value in params.values()):
            wanted.append("postgres")
    if _uses_reference_library(item):
        wanted.append("reference")
    return [mark for mark in wanted if item.get_closest_marker(mark) is None]


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that lacks the mark its folder or fixtures call for gets the mark (so ``-m``
    never runs a browser or server test in the fast set by mistake) and fails when run,
    naming the mark to add."""
    for item in items:
        missing = _missing_marks(item)
        for mark in missing:
            item.add_marker(mark)
        if missing:
            item.stash[_MISSING_MARKS] = missing


_MISSING_MARKS = pytest.StashKey[list[str]]()


def pytest_runtest_setup(item: pytest.Item) -> None:
    missing = item.stash.get(_MISSING_MARKS, None)
    if missing:
        pytest.fail(
            f"{item.nodeid} lacks its marks: add {', '.join(f'pytest.mark.{m}' for m in missing)} "
            "(pytestmark = ... in the module)",
            pytrace=False,
        )


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Under ``CI=true`` a skipped reference, browser, PostgreSQL or nginx test fails."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if report.skipped and _in_ci() and not hasattr(report, "wasxfail"):
        kinds = [mark for mark in MUST_RUN_IN_CI if item.get_closest_marker(mark)]
        if kinds:
            reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
            report.outcome = "failed"
            report.longrepr = f"{'/'.join(kinds)} test skipped under CI=true: {reason}"
