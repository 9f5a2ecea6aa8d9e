"""A throwaway PostgreSQL server (Debian's ``postgresql`` package) for the store tests;
the server itself is :mod:`deploy.postgres` (the local cluster uses it too)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from deploy.postgres import postgres_bin
from deploy.postgres import running_postgres as running_server

__all__ = ["postgres_bin", "running_postgres", "running_server"]


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    """Start a server on a free loopback port; yield a ``postgresql://`` URL."""
    with running_server() as server:
        yield server.url
