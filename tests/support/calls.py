"""Counting calls of a library function in a test (the call still runs)."""

from __future__ import annotations

import pytest

from geo.analysis import metrics


def count_calls(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[object, ...]]:
    """Record the arguments of every call of ``geo.analysis.metrics.<name>`` from now on
    (calls through the module, as the Scenario and the table functions make them)."""
    calls: list[tuple[object, ...]] = []
    original = getattr(metrics, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(metrics, name, counted)
    return calls
