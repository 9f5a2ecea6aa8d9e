"""Shared fixtures: the real bundled layers, loaded once per test session."""

from __future__ import annotations

import os
import tempfile

import pytest

from geo.analysis import metrics
from geo.data import layers

# Tests never touch a user's store: every run gets its own empty one.
os.environ["NALOXONE_STORE"] = os.path.join(tempfile.mkdtemp(prefix="naloxone-store-"),
                                            "store.sqlite")
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
