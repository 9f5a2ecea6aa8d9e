"""``python -m benchmarks``: run every benchmark and print times and ratios."""

from __future__ import annotations

import sys

import pandas as pd

from benchmarks import engine


def main(argv: list[str]) -> int:
    if "--load" in argv:  # many visitors on a local cluster: benchmarks/load.py
        from benchmarks import load

        return load.main([a for a in argv if a != "--load"])
    pd.set_option("display.width", 200)
    pd.set_option("display.max_colwidth", 60)
    from benchmarks import network

    suites = {"engine": engine.run, "network": network.run}
    if "--app" in argv:
        from benchmarks import app

        suites["app"] = app.run
    failed = False
    for name, run in suites.items():
        table = run()
        print(f"\n== {name}")
        print(table.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
        failed |= table["met"].eq("NO").any()  # "-": a figure only reported
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
