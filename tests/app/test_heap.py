"""The heap is frozen after a run that loaded modules, so Streamlit's full collection
after every run scans only what later runs create (checked in a subprocess: freezing
the test process would pin its apps)."""

from __future__ import annotations

import subprocess
import sys

from geo.config import REPO_ROOT

_SCRIPT = """
import gc, sys
from streamlit import config
from pages.screens.frame import settle_heap
import pandas  # a heap of long-lived objects, like the dashboard's libraries
before = len(gc.get_objects())
first = settle_heap()
after = len(gc.get_objects())
again = settle_heap()  # nothing new loaded
import colorsys  # a module not loaded before
third = settle_heap()
config.set_option("runner.postScriptGC", False)
import wave
off = settle_heap()
print(before, after, first, again, third, off, gc.get_freeze_count() > 0)
"""


def test_settle_heap_freezes_once_per_set_of_modules():
    out = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=REPO_ROOT, check=True,
                         capture_output=True, text=True, timeout=120).stdout.split()
    before, after = int(out[0]), int(out[1])
    assert out[2:] == ["True", "False", "True", "False", "True"]
    assert before > 20_000 and after < before / 10  # the full collection's work
