"""The process's heap between script runs: what Streamlit's post-run collection scans,
and freed memory given back to the system. Nothing runs at import; the dashboard calls
:func:`settle` after every page run.

- ``gc.freeze`` after a run that loaded new modules: Streamlit runs a full collection
  after every script run (``runner.postScriptGC``), which walked the whole heap of the
  libraries and bundled data (~250,000 objects: ~60-110 ms of every rerun). Frozen
  objects are skipped, so it then scans only what later runs created (~0.1 ms).
  Modules load on a page's first visit, so this happens a few times per process.
- ``malloc_trim`` every ``TRIM_EVERY_S`` seconds from a daemon thread (glibc only):
  memory freed when sessions close or caches are cleared goes back to the system
  instead of staying in the process, also when no script runs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
import threading
import time

from streamlit import config

#: Seconds between two returns of freed memory to the system.
TRIM_EVERY_S = 10.0


class _Heap:
    """How many modules were loaded when the heap was last frozen (0: never), and the
    trimming thread; off in the AppTest suite, where many apps share one process."""

    frozen_at_modules = 0
    trimmer: threading.Thread | None = None
    enabled = True


def _malloc_trim() -> object | None:
    """glibc's ``malloc_trim`` (None elsewhere)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def _trim_forever(trim, every_s: float) -> None:
    while True:
        time.sleep(every_s)
        trim(0)


def start_trimming(every_s: float = TRIM_EVERY_S) -> bool:
    """Start the thread returning freed memory every ``every_s`` s, once per process;
    True when it started now."""
    trim = _malloc_trim()
    if trim is None or _Heap.trimmer is not None:
        return False
    _Heap.trimmer = threading.Thread(
        target=_trim_forever, args=(trim, every_s), name="naloxone-malloc-trim", daemon=True
    )
    _Heap.trimmer.start()
    return True


def freeze_if_grown() -> bool:
    """After a run that loaded new modules: ``gc.freeze`` every tracked object (libraries,
    bundled data, caches so far); True when it froze. Only when Streamlit collects
    after every run (``runner.postScriptGC``, the default). No collection first: it
    would cost the run the same ~60 ms the freeze saves, to free the ~1,500 objects of
    cyclic garbage a first run leaves (they stay, once per set of modules)."""
    modules = len(sys.modules)
    if modules == _Heap.frozen_at_modules or not config.get_option("runner.postScriptGC"):
        return False
    _Heap.frozen_at_modules = modules
    gc.freeze()
    return True


def settle() -> None:
    """After a page run: freeze the heap if it grew modules; trimming started once."""
    if _Heap.enabled:
        freeze_if_grown()
        start_trimming()
