"""Shared fixtures (the real bundled layers, loaded once per test session) and the
markers that let a contributor run the fast set alone (``python -m pytest -m "not browser"``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
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


# --- markers (registered in pyproject.toml): applied here so no test module must remember --

TESTS_DIR = Path(__file__).resolve().parent
BROWSER_DIR = TESTS_DIR / "e2e"
CLUSTER_DIR = TESTS_DIR / "deploy"
REFERENCE_ADAPTERS = "tests.support.reference"
REFERENCE_LIBRARIES = frozenset({"access", "spopt", "networkx"})
#: Names whose use means a real PostgreSQL server: the per-module ``postgres_url`` fixture,
#: the server helpers in tests/support (``running_postgres``, ``postgres_server``).
POSTGRES_NAMES = frozenset(
    {"postgres_url", "running_postgres", "postgres_server", "running_server"}
)
#: A parametrised store kind (``store``/``kind`` params) that runs on the real server.
POSTGRES_PARAM = "postgresql"


def _code_names(function: Callable) -> Iterator[str]:
    """Global and attribute names a function's code (nested functions included) refers to."""
    code = getattr(function, "__code__", None)
    stack = [code] if code is not None else []
    while stack:
        code = stack.pop()
        yield from code.co_names
        stack.extend(const for const in code.co_consts if hasattr(const, "co_names"))


def _uses_postgres(item: pytest.Item) -> bool:
    """The test, or a fixture it uses, needs the real PostgreSQL server."""
    if "postgres_url" in getattr(item, "fixturenames", ()):
        return True
    params = getattr(getattr(item, "callspec", None), "params", {})
    if any(isinstance(value, str) and value == POSTGRES_PARAM for value in params.values()):
        return True  # e.g. store[postgresql]: the fixture asks for postgres_url at run time
    functions = [getattr(item, "function", None)]
    fixture_info = getattr(item, "_fixtureinfo", None)
    if fixture_info is not None:
        functions += [d.func for defs in fixture_info.name2fixturedefs.values() for d in defs]
    return any(POSTGRES_NAMES.intersection(_code_names(f)) for f in functions if f)


def _uses_reference_libraries(item: pytest.Item) -> bool:
    """The test's module uses the adapters in tests/support/reference.py or imports a
    reference library (PySAL ``access``, ``spopt``, ``networkx``) itself."""
    module = getattr(item, "module", None)
    if module is None:
        return False
    for value in vars(module).values():
        name = getattr(value, "__name__", "") if isinstance(value, ModuleType) else ""
        if (
            getattr(value, "__module__", None) == REFERENCE_ADAPTERS
            or name.split(".")[0] in REFERENCE_LIBRARIES
        ):
            return True
    return False


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark e2e tests ``browser`` and deployment tests ``cluster`` (by folder), server
    tests ``postgres`` (by the fixtures and helpers they use) and reference-library tests
    ``reference`` (by module)."""
    for item in items:
        rules = {
            "browser": BROWSER_DIR in item.path.parents,
            "cluster": CLUSTER_DIR in item.path.parents,
            "postgres": _uses_postgres(item),
            "reference": _uses_reference_libraries(item),
        }
        for name, applies in rules.items():
            if applies and item.get_closest_marker(name) is None:
                item.add_marker(name)
