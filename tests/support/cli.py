"""``python -m geo ARGS`` run in the test's own process (issue 23, item 6).

Starting an interpreter and importing pandas, geopandas and matplotlib for every command
cost seconds per call; :func:`run_geo` calls :func:`geo.cli.main` instead and returns what
``subprocess.run(..., capture_output=True)`` would: the exit code, standard output and
standard error. What a user's process would show is kept: an exception escaping ``main``
prints its traceback on stderr and exits 1, argparse's exits keep their codes, and warnings
are printed on stderr under Python's default filters (not collected by pytest), so a test
that checks stderr holds one ``error:`` line still sees a stray warning.

The few tests whose point is the real process (start-up imports, the entry point,
``NALOXONE_DATA_DIR`` read at import) keep ``subprocess``.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import traceback
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from geo import cli

#: Python's default warning filters in a fresh process (``python -m``, no ``-W``), first
#: match wins; pytest's own filters would hide a warning a user sees.
_DEFAULT_FILTERS = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)


@contextlib.contextmanager
def _environment(env: Mapping[str, str | None]) -> Iterator[None]:
    """``os.environ`` with ``env`` applied (``None`` removes a variable), restored after."""
    saved = {name: os.environ.get(name) for name in env}
    try:
        for name, value in env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _working_directory(cwd: str | Path | None) -> Iterator[None]:
    before = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _process_warnings() -> Iterator[None]:
    """Warnings as a fresh process shows them: default filters, printed on ``sys.stderr``."""
    with warnings.catch_warnings():
        warnings.resetwarnings()
        for action, category, module in reversed(_DEFAULT_FILTERS):
            warnings.filterwarnings(action, category=category, module=module)
        warnings.showwarning = _show_on_stderr
        yield


def _show_on_stderr(message, category, filename, lineno, file=None, line=None) -> None:
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _exit_code(exc: SystemExit) -> int:
    """The process exit status ``sys.exit(code)`` gives (a message is printed, status 1)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


def _text(output: bytes) -> str:
    """Bytes as ``subprocess.run(text=True)`` decodes them: UTF-8, universal newlines."""
    return output.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def run_geo(
    args: Sequence[str | os.PathLike[str]],
    *,
    env: Mapping[str, str | None] | None = None,
    cwd: str | Path | None = None,
    text: bool = True,
) -> subprocess.CompletedProcess:
    """``python -m geo *args`` in this process: ``env`` adds to (``None``: removes from)
    the current environment for the call, ``cwd`` is the working directory during it.
    Returns a :class:`subprocess.CompletedProcess` with ``returncode``, ``stdout`` and
    ``stderr`` (``str`` when ``text``, else ``bytes``)."""
    argv = [os.fspath(arg) for arg in args]
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    with (
        _environment(env or {}),
        _working_directory(cwd),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
        _process_warnings(),
    ):
        try:
            code = cli.main(argv)
        except SystemExit as exc:
            code = _exit_code(exc)
        except Exception:  # as the interpreter reports an uncaught exception
            traceback.print_exc()
            code = 1
        stdout.flush()
        stderr.flush()
    result = (out.getvalue(), err.getvalue())
    if text:
        return subprocess.CompletedProcess(["geo", *argv], code, *map(_text, result))
    return subprocess.CompletedProcess(["geo", *argv], code, *result)
