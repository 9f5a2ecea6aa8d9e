"""``python -m deploy.health 8501 8502``: exit 0 once every process on these loopback
ports answers ``/_stcore/health`` (1 and a line naming the first that does not).

``--warm`` then opens one session on each (a real Streamlit session over the
WebSocket, :mod:`deploy.visitor`) and runs the dashboard once in it: the process
serves a whole run before the proxy sends it visitors. Each process has already
started its own run without a browser (``shell/warm.py``); this one waits
for those caches and checks the path a browser takes."""

from __future__ import annotations

import argparse
import asyncio
import sys

from deploy.processes import wait_healthy
from deploy.visitor import Visitor


async def warm(url: str, timeout_s: float) -> None:
    """Open one session on ``url`` and run the dashboard once."""
    visitor = Visitor(url, timeout_s=timeout_s)
    try:
        await visitor.connect()
    finally:
        await visitor.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.health", description=__doc__)
    parser.add_argument("ports", type=int, nargs="+")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--timeout", type=float, default=5, help="seconds to wait per port")
    parser.add_argument(
        "--warm", action="store_true", help="then run the dashboard once in each process"
    )
    args = parser.parse_args(argv)
    for port in args.ports:
        url = f"http://{args.host}:{port}"
        try:
            wait_healthy(url, timeout_s=args.timeout, what=f"the process on port {port}")
            if args.warm:
                asyncio.run(warm(url, max(args.timeout, 60)))
        except (RuntimeError, OSError, TimeoutError) as exc:
            print(f"unhealthy: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
