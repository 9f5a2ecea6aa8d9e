"""``python -m geo export LAYER``: one data layer as CSV or GeoJSON."""

from __future__ import annotations

import argparse

from geo.cli import common
from geo.cli.common import writable_file, write_output

NAME = "export"
HELP = "write a layer as CSV or GeoJSON"
DESCRIPTION = (
    "Write one data layer. CSV is UTF-8 with BOM, spreadsheet-safe; "
    "GeoJSON is EPSG:4326. Without --out the file goes to standard output."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``export``."""
    from geo.analysis.tables import EXPORTABLE_LAYERS

    parser.add_argument("layer", choices=EXPORTABLE_LAYERS)
    parser.add_argument("--format", choices=("csv", "geojson"), default="csv")
    parser.add_argument("--out", help="output file (default: standard output)")
    common.add_public_only_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Write the layer to ``--out`` or standard output."""
    from geo.analysis.tables import export_frame
    from geo.render.exports import csv_bytes, geojson_bytes

    out = writable_file(args.out)
    frame = export_frame(
        args.layer, with_geometry=args.format == "geojson", include_local=not args.public_only
    )
    data = geojson_bytes(frame) if args.format == "geojson" else csv_bytes(frame)
    write_output(data, out)
    return 0
