"""``python -m geo build``: rebuild the processed layers and the manifest from data/raw."""

from __future__ import annotations

import argparse
import sys

NAME = "build"
HELP = "rebuild data/processed and data/manifest.json from data/raw"
DESCRIPTION = (
    "Rebuild every layer from data/raw. Each raw file and built layer must "
    "have the row count data/manifest.json records, so a truncated source is refused "
    "and nothing is written; after a deliberate data update pass --accept-row-changes "
    "(the changes are listed)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``build``."""
    parser.add_argument(
        "--accept-row-changes",
        action="store_true",
        help="accept raw files and layers whose row counts differ from the "
        "manifest (a deliberate data update) and record the new counts",
    )


def run(args: argparse.Namespace) -> int:
    """Build every layer; list the row counts (and accepted changes) on standard error."""
    from geo.data.build import build

    built = build(accept_row_changes=args.accept_row_changes)
    for name, frame in built.layers.items():
        print(f"{name}: {len(frame)} rows", file=sys.stderr)
    if built.row_changes:
        print("accepted row-count changes:", file=sys.stderr)
        for change in built.row_changes:
            print(f"  {change}", file=sys.stderr)
    return 0
