"""``python -m geo map``: the dashboard's maps as files for slides and reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from geo.cli import common
from geo.cli.common import targets, writable_file, writable_folder, write_file
from geo.errors import InputError

if TYPE_CHECKING:
    from geo.analysis.scenario import Scenario

NAME = "map"
HELP = "a dashboard map as PNG, SVG, PDF or offline HTML (one, or every map of every area)"
MAPS = ("overview", "leave-behind", "access-gaps")
FORMATS = ("png", "svg", "pdf", "html")
DESCRIPTION = (
    "The same maps as the dashboard's download buttons: overview (listed sites), "
    "leave-behind (EMS leave-behind evidence) and access-gaps (residents by "
    "distance to the nearest site), with title, subtitle, legend, names of "
    "jurisdictions and towns, and sources with dates. PNG at 200 dpi; SVG keeps "
    "its text editable. Examples: map access-gaps --jurisdiction Garrett "
    "--radius-km 8 --format svg --out garrett.svg; map overview --format png "
    "--out maryland.png; map --all --format pdf --out-dir maps/"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``map``."""
    parser.add_argument("map", nargs="?", choices=MAPS, help="which map (not with --all)")
    parser.add_argument(
        "--jurisdiction", default="24", help="FIPS code or name to focus on (default 24: Maryland)"
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="every map for Maryland and each of the 24 jurisdictions (needs --out-dir)",
    )
    parser.add_argument("--format", default="png", help="png, svg, pdf or html (default png)")
    parser.add_argument("--out", help="output file (one map)")
    parser.add_argument("--out-dir", help="output folder (with --all)")
    units = parser.add_mutually_exclusive_group()
    units.add_argument(
        "--radius-miles",
        type=float,
        help="coverage radius in miles (default 5); distances in miles",
    )
    units.add_argument(
        "--radius-km", type=float, help="coverage radius in kilometres; distances and legends in km"
    )
    parser.add_argument("--types", help="comma-separated site types (default all)")
    common.add_public_only_argument(parser)


def _check(args: argparse.Namespace) -> tuple[Path | None, Path | None]:
    """Every choice checked before data is read: (out file, out folder)."""
    if args.format not in FORMATS:
        raise InputError(f"unknown format {args.format!r}; choose from " + ", ".join(FORMATS))
    if args.all:
        if args.map or not args.out_dir or args.out:
            raise InputError("--all takes no map name and needs --out-dir DIR (not --out)")
        return None, writable_folder(args.out_dir)
    if not args.map or not args.out or args.out_dir:
        raise InputError(
            "give a map (" + ", ".join(MAPS) + ") and --out FILE, or --all --out-dir DIR"
        )
    return writable_file(args.out), None


def run(args: argparse.Namespace) -> int:
    """Write one map, or every map of every area with a progress bar on stderr."""
    from geo.analysis import metrics
    from geo.analysis.scenario import Scenario
    from geo.render.briefing import resolve_jurisdiction
    from geo.render.map_exports import scenario_export

    out, out_dir = _check(args)
    unit = "km" if args.radius_km is not None else "mi"
    radius_m = (
        metrics.radius_m_from(km=args.radius_km)
        if unit == "km"
        else metrics.radius_m_from(miles=args.radius_miles or 5.0)
    )
    types = metrics.parse_site_types(args.types)
    data = common.load_data(args)
    scenario = Scenario.from_data(data, types=types, radius_m=radius_m)
    if out_dir is not None:
        return _write_all(scenario, out_dir, args.format, unit)
    fips = resolve_jurisdiction(data, args.jurisdiction)
    write_file(scenario_export(scenario, args.map, fips, unit=unit).render(args.format), out)
    return 0


def _write_all(scenario: Scenario, out_dir: Path, fmt: str, unit: str) -> int:
    """Every map × (Maryland and each jurisdiction) into ``out_dir``."""
    from tqdm import tqdm

    from geo.render.map_exports import scenario_export

    jobs = [(kind, fips, slug) for fips, slug in targets(scenario) for kind in MAPS]
    for kind, fips, slug in tqdm(jobs, desc="maps", unit="map", file=sys.stderr):
        write_file(
            scenario_export(scenario, kind, fips, unit=unit).render(fmt),
            out_dir / f"{kind}-{fips}-{slug}.{fmt}",
        )
    print(f"wrote {len(jobs)} maps to {common.shown_path(out_dir)}", file=sys.stderr)
    return 0
