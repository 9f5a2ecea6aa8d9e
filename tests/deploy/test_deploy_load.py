"""A short load run (``python -m benchmarks --load``): real Streamlit sessions through nginx
to two processes while three editors publish; no errors, no lost change. The figures
themselves belong to the benchmark, not to this test (no timed assertions)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from geo.config import REPO_ROOT

pytestmark = pytest.mark.cluster

LAST_LINE = re.compile(r"sessions=(\d+) reruns=(\d+) errors=(\d+) p95_ms=(\d+)")


def test_a_short_load_run_through_the_proxy_has_no_errors_and_loses_no_change(nginx):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--load",
            "--sessions",
            "10",
            "--seconds",
            "20",
            "--think",
            "1",
            "4",
            "--proxy-only",
            "--quick-warm-up",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = run.stdout.strip().splitlines()
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    sessions, reruns, errors, p95_ms = map(int, LAST_LINE.fullmatch(lines[-1]).groups())
    assert (sessions, errors) == (10, 0)
    assert reruns >= 20 and p95_ms > 0  # every visitor opened a page and changed something
    published = next(line for line in lines if line.startswith("editors published"))
    assert int(published.split()[2]) >= 3 and published.endswith("every process lists them: yes")
    assert "widget change -> script_finished: p50" in run.stdout
    assert "memory per session at the peak" in run.stdout
