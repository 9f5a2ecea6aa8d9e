"""Running a reader in a child process with a time and memory limit.

Uploads from visitors are parsed in a fresh Python process (:func:`run_isolated`), so
a hostile or huge file can exhaust neither the server's memory nor its time: the
child's address space is capped, it is killed after a timeout, at most two run at
once, and any failure comes back as a one-line ``ValueError``.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import geo
from geo.errors import InputError
from geo.local.limits import one_line

READ_TIMEOUT_S = 60.0  # reading one upload in its child process
READ_MEMORY_BYTES = 1024 * 1024 * 1024  # address space the child may add


_SLOTS = threading.BoundedSemaphore(2)  # at most two uploads parsed at once
_WORKER = "from geo.local.isolation import _isolated_worker; _isolated_worker()"


def _limit_memory(memory_bytes: int) -> None:
    """Cap this process's address space at its current size plus ``memory_bytes``."""
    try:  # pandas' Arrow strings: Arrow's own allocator reserves more than it uses
        import pyarrow

        pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    except ImportError:
        pass
    try:
        import resource

        status = Path("/proc/self/status").read_text()
        size = re.search(r"VmSize:\s+(\d+) kB", status)
        if size is None:
            return  # no address-space size to start from: the time limit still applies
        current = int(size.group(1)) * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = current + memory_bytes
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ImportError, OSError, AttributeError, ValueError):
        pass  # no /proc or no setrlimit: the time limit still applies


def _isolated_worker() -> None:
    """Child side of :func:`run_isolated`: a pickled call on stdin, its outcome on stdout."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, not into the answer
    func, args, label, memory_bytes = pickle.load(sys.stdin.buffer)
    _limit_memory(memory_bytes)
    try:
        result: tuple[str, object] = ("ok", func(*args))
    except MemoryError:
        result = ("memory", None)
    except ValueError as exc:
        result = ("error", one_line(exc))
    except RecursionError:
        result = ("error", f"{label}: nested too deeply to read")
    except Exception as exc:  # never a traceback: one line back to the caller
        result = ("error", f"{label}: cannot be read ({type(exc).__name__}: {one_line(exc)})")
    try:
        answer = pickle.dumps(result)
    except MemoryError:
        answer = pickle.dumps(("memory", None))
    out.write(answer)
    out.close()


#: The only variables a reader process gets: it parses hostile files, so it never sees the
#: store URL, the editor password hash or any other secret of the server's environment.
_CHILD_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONHASHSEED")


def _child_environment(package_root: str) -> dict[str, str]:
    env = {k: os.environ[k] for k in _CHILD_VARIABLES if k in os.environ}
    env.update(
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        PYTHONPATH=os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p),
    )
    return env


def run_isolated(
    func: Callable[..., object],
    args: tuple[object, ...],
    *,
    label: str,
    timeout_s: float = READ_TIMEOUT_S,
    memory_bytes: int = READ_MEMORY_BYTES,
) -> object:
    """Run ``func(*args)`` in a fresh Python process with a time and memory limit.

    ``func`` and ``args`` must pickle (a module-level function). The caller only waits on
    pipes, so the GIL of a server process is not held while the child works; at most two
    children run at once. A plain subprocess, not multiprocessing, so the caller's main
    script (Streamlit's page script) is never re-run in the child. Errors come back as
    one-line ``ValueError`` messages starting with ``label``.
    """
    payload = pickle.dumps((func, args, label, memory_bytes))
    if not _SLOTS.acquire(timeout=timeout_s):
        raise InputError(
            f"{label}: the server is busy reading other uploads; try again in a minute"
        )
    try:
        package_root = str(Path(geo.__file__).resolve().parent.parent)  # holds geo/
        env = _child_environment(package_root)
        try:
            child = subprocess.Popen(
                [sys.executable, "-c", _WORKER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                cwd=package_root,
            )
        except OSError as exc:
            raise InputError(
                f"{label}: cannot start the reader process ({type(exc).__name__}); try again later"
            ) from None
        try:
            answer, _ = child.communicate(payload, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise InputError(
                f"{label}: reading took longer than {timeout_s:g} s and was "
                "stopped; try a smaller file"
            ) from None
    finally:
        _SLOTS.release()
    try:
        status, value = pickle.loads(answer)
    except Exception:  # no answer: the child died (out of memory, killed)
        raise InputError(
            f"{label}: reading stopped unexpectedly (exit code {child.returncode}); "
            f"the file may need more than the {memory_bytes // 2**20} MB of memory "
            "allowed for an upload"
        ) from None
    if status == "ok":
        return value
    if status == "memory":
        raise InputError(
            f"{label}: reading needs more than the {memory_bytes // 2**20} MB of "
            "memory allowed for an upload and was stopped; try a smaller file"
        )
    raise InputError(str(value))
