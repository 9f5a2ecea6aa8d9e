"""Command line: ``python -m geo COMMAND`` (run ``python -m geo --help``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.errors import DataFileError

EXIT_BAD_INPUT = 2
EXIT_DATA_ERROR = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # clean message, exit 2, no traceback
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _write_output(data: bytes, out: str | None) -> None:
    from geo.exports import write_bytes_atomic

    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_bytes_atomic(data, Path(out))


def _cmd_build(args: argparse.Namespace) -> int:
    from geo.build import build

    built = build()
    for name, frame in built.items():
        print(f"{name}: {len(frame)} rows", file=sys.stderr)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from geo.exports import csv_bytes, geojson_bytes
    from geo.tables import export_frame

    frame = export_frame(args.layer, with_geometry=args.format == "geojson")
    data = geojson_bytes(frame) if args.format == "geojson" else csv_bytes(frame)
    _write_output(data, args.out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m geo`` argument parser."""
    from geo.tables import EXPORTABLE_LAYERS

    parser = _Parser(prog="python -m geo",
                     description="Maryland naloxone access: data, metrics and exports.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    build = commands.add_parser("build", help="rebuild data/processed and data/manifest.json "
                                "from data/raw")
    build.set_defaults(run=_cmd_build)

    export = commands.add_parser(
        "export", help="write a layer as CSV or GeoJSON",
        description="Write one data layer. CSV is UTF-8 with BOM, spreadsheet-safe; "
        "GeoJSON is EPSG:4326. Without --out the file goes to standard output.")
    export.add_argument("layer", choices=EXPORTABLE_LAYERS)
    export.add_argument("--format", choices=("csv", "geojson"), default="csv")
    export.add_argument("--out", help="output file (default: standard output)")
    export.set_defaults(run=_cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DataFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
