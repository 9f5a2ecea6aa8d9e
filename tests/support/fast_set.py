"""Which cases of a long parametrised test the fast set runs.

The fast set (``-m "not browser and not postgres and not cluster and not slow"``) is the
quick check while working; the full suite (``.ci/run``) runs every case. A test repeated
over every page or form keeps its first ``keep`` cases in the fast set and marks the rest
``slow``, so each case still runs in CI and any one can be run by its id.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest


def first_in_fast_set(cases: Iterable[object], keep: int = 2) -> list[object]:
    """``cases`` with every case after the first ``keep`` marked ``slow``."""
    out: list[object] = []
    for index, case in enumerate(cases):
        if index < keep:
            out.append(case)
        elif isinstance(case, tuple):
            out.append(pytest.param(*case, marks=pytest.mark.slow))
        else:
            out.append(pytest.param(case, marks=pytest.mark.slow))
    return out
