"""The heap between runs: frozen after a run that loaded modules, so Streamlit's full
collection after every run scans only what later runs create; freed memory returned
by a trimming thread. Checked in a subprocess: freezing the test process would pin its
apps."""

from __future__ import annotations

import subprocess
import sys

from geo.config import REPO_ROOT

_FREEZE = """
import gc, sys
from streamlit import config
from shell.heap import freeze_if_grown
import pandas  # a heap of long-lived objects, like the dashboard's libraries
before = len(gc.get_objects())
first = freeze_if_grown()
after = len(gc.get_objects())
again = freeze_if_grown()  # nothing new loaded
import colorsys  # a module not loaded before
third = freeze_if_grown()
config.set_option("runner.postScriptGC", False)
import wave
off = freeze_if_grown()
print(before, after, first, again, third, off, gc.get_freeze_count() > 0)
"""

_TRIM = """
import threading, time
from shell import heap
calls = []
heap._malloc_trim = lambda: calls.append
started, again = heap.start_trimming(0.05), heap.start_trimming(0.05)
time.sleep(0.5)
print(started, again, len(calls) >= 3, set(calls) == {0},
      [t.name for t in threading.enumerate() if t.daemon])
"""


def _run(script: str) -> list[str]:
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.split(maxsplit=4)


def test_the_heap_is_frozen_once_per_set_of_modules():
    out = " ".join(_run(_FREEZE)).split()
    before, after = int(out[0]), int(out[1])
    assert out[2:] == ["True", "False", "True", "False", "True"]
    assert before > 20_000 and after < before / 10  # the full collection's work


def test_freed_memory_is_returned_by_one_trimming_thread():
    started, again, repeated, argument, daemons = _run(_TRIM)
    assert (started, again, repeated, argument) == ("True", "False", "True", "True")
    assert daemons.count("naloxone-malloc-trim") == 1
