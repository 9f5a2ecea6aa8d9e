"""Shared by the deployment tests (marked ``cluster`` in tests/conftest.py): nginx must be
installed (``apt-get install nginx``; ``.ci/run`` installs it)."""

from __future__ import annotations

import os

import pytest

from deploy.nginx import nginx_binary


@pytest.fixture(scope="session")
def nginx() -> str:
    """Debian's nginx (skip when missing, fail in CI)."""
    binary = nginx_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is required in CI (apt-get install nginx)")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return binary
