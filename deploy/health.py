"""``python -m deploy.health 8501 8502``: exit 0 once every process on these loopback
ports answers ``/_stcore/health`` (1 and a line naming the first that does not)."""

from __future__ import annotations

import argparse
import sys

from deploy.processes import wait_healthy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.health", description=__doc__)
    parser.add_argument("ports", type=int, nargs="+")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--timeout", type=float, default=5, help="seconds to wait per port")
    args = parser.parse_args(argv)
    for port in args.ports:
        try:
            wait_healthy(f"http://{args.host}:{port}", timeout_s=args.timeout,
                         what=f"the process on port {port}")
        except RuntimeError as exc:
            print(f"unhealthy: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
