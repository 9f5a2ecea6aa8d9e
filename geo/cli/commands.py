"""Command line: ``python -m geo COMMAND`` (run ``python -m geo --help``)."""

from __future__ import annotations

import argparse
import logging
import os
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


def _writable_file(out: str | None) -> Path | None:
    """``--out`` checked before any work: its folder exists and can be written."""
    if out is None:
        return None
    path = Path(out)
    if path.is_dir() or not path.name:
        raise ValueError(f"cannot write {out!r}: it is a folder; give a file name")
    folder = path.parent
    if not folder.is_dir():
        raise ValueError(f"cannot write {out!r}: folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"cannot write {out!r}: folder {str(folder)!r} is not writable")
    return path


def _writable_folder(out_dir: str) -> Path:
    """``--out-dir`` created if needed and checked before any work."""
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"cannot create folder {out_dir!r}: {exc.strerror or exc}") from exc
    if not os.access(folder, os.W_OK):
        raise ValueError(f"cannot write to folder {out_dir!r}: not writable")
    return folder


def _write_file(data: bytes, path: Path) -> None:
    from geo.render.exports import write_bytes_atomic

    try:
        write_bytes_atomic(data, path)
    except OSError as exc:
        raise ValueError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from exc


def _write_output(data: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        _write_file(data, out)


def _cmd_build(args: argparse.Namespace) -> int:
    from geo.data.build import build

    built = build(accept_row_changes=args.accept_row_changes)
    for name, frame in built.layers.items():
        print(f"{name}: {len(frame)} rows", file=sys.stderr)
    if built.row_changes:
        print("accepted row-count changes:", file=sys.stderr)
        for change in built.row_changes:
            print(f"  {change}", file=sys.stderr)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from geo.analysis.tables import export_frame
    from geo.render.exports import csv_bytes, geojson_bytes

    out = _writable_file(args.out)
    frame = export_frame(args.layer, with_geometry=args.format == "geojson",
                         include_local=not args.public_only)
    data = geojson_bytes(frame) if args.format == "geojson" else csv_bytes(frame)
    _write_output(data, out)
    return 0


def _frame_output(frame, fmt: str) -> bytes:
    import json

    from geo.render.exports import csv_bytes

    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", double_precision=6))
        return (json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return csv_bytes(frame)


def _radius_m(args: argparse.Namespace) -> float:
    from geo.analysis.metrics import radius_m_from

    return radius_m_from(miles=args.radius_miles, km=args.radius_km)


def _cmd_metrics(args: argparse.Namespace) -> int:
    from geo.analysis import metrics

    out = _writable_file(args.out)
    radius_m = _radius_m(args)
    types = metrics.parse_site_types(args.types)
    catchment_m = metrics.radius_m_from(miles=args.catchment_miles)
    data = metrics.load_access_data()
    selected = metrics.select_sites(data, types)
    table = metrics.jurisdiction_metrics(data, selected, radius_m, catchment_m=catchment_m,
                                         decay=args.decay)
    _write_output(_frame_output(table, args.format), out)
    return 0


def _cmd_recommend(args: argparse.Namespace) -> int:
    from geo.analysis import metrics

    out = _writable_file(args.out)
    radius_m = _radius_m(args)
    types = metrics.parse_site_types(args.types)
    data = metrics.load_access_data()
    selected = metrics.select_sites(data, types)
    table = metrics.recommend_sites(data, selected, args.k, radius_m, method=args.method)
    _write_output(_frame_output(table, args.format), out)
    return 0


def _cmd_brief(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from geo.analysis import metrics
    from geo.render.briefing import briefing_pdf, resolve_jurisdiction

    types = metrics.parse_site_types(args.types)
    metrics.radius_m_from(miles=args.radius_miles)
    if args.all and not args.out_dir:
        raise ValueError("--all needs --out-dir DIR")
    if not args.all and (not args.jurisdiction or not args.out):
        raise ValueError("give --jurisdiction FIPS_OR_NAME and --out FILE.pdf, or --all "
                         "--out-dir DIR")
    out_dir = _writable_folder(args.out_dir) if args.all else None
    out = None if args.all else _writable_file(args.out)
    data = metrics.load_access_data(include_local=not args.public_only)
    if out_dir is not None:
        targets = ["24", *data.jurisdictions["fips"]]
        names = dict(zip(data.jurisdictions["fips"], data.jurisdictions["name"], strict=True))
        names["24"] = "Maryland"
        for fips in tqdm(targets, desc="briefings", unit="pdf", file=sys.stderr):
            slug = names[fips].lower().replace("'", "").replace(".", "").replace(" ", "-")
            pdf = briefing_pdf(data, fips, radius_miles=args.radius_miles, types=types,
                               k=args.k)
            _write_file(pdf, out_dir / f"briefing-{fips}-{slug}.pdf")
        print(f"wrote {len(targets)} briefings to {out_dir}", file=sys.stderr)
        return 0
    fips = resolve_jurisdiction(data, args.jurisdiction)
    pdf = briefing_pdf(data, fips, radius_miles=args.radius_miles, types=types, k=args.k)
    _write_file(pdf, out)
    return 0


def _cmd_sites_import(args: argparse.Namespace) -> int:
    import getpass
    import json

    from geo.analysis import metrics
    from geo.local import importing
    from geo.local.store import DuplicateSitesError, Store, masked_location, store_location

    path = Path(args.file)
    if not path.is_file():
        raise ValueError(f"{path}: file not found")
    try:
        size = path.stat().st_size
        if size > importing.MAX_IMPORT_BYTES:  # refused before reading it
            raise ValueError(f"{path.name}: {size / 1e6:.1f} MB is over the "
                             f"{importing.MAX_IMPORT_BYTES // 2**20} MB import limit")
        with path.open("rb") as handle:
            content = handle.read(importing.MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    table = importing.read_upload_isolated(path.name, content)
    mapping = importing.guess_mapping(list(table.frame.columns))
    data = metrics.load_access_data(include_local=True)
    report = importing.validate(table, mapping, data.jurisdictions, data.sites)
    written: list[str] = []
    if not args.dry_run and len(report.accepted):
        try:
            written = Store().add_sites(report.accepted.drop(columns="_row"),
                                        who=f"cli:{getpass.getuser()}")
        except DuplicateSitesError as exc:
            raise ValueError(f"{path.name}: {exc}") from None
    if args.format == "json":
        result = {**report.as_json(), "dry_run": args.dry_run,
                  "store": masked_location(store_location()), "ids": written}
        print(json.dumps(result, indent=2))
    else:
        verb = "would import" if args.dry_run else "imported"
        print(f"{path.name}: {verb} {len(report.accepted)} site(s), rejected "
              f"{len(report.rejected)}" + (f" ({'; '.join(report.notes)})" if report.notes
                                           else ""))
        for problem in report.rejected:
            print(f"  {table.row_label} {problem['row']}, {problem['field']}: "
                  f"{problem['reason']}")
    return 0


def _cmd_hash_password(args: argparse.Namespace) -> int:
    import getpass

    from geo.local.auth import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("Editor password: ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    print(hash_password(password))
    return 0


def _add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    from geo.schema import SITE_TYPES

    radius = parser.add_mutually_exclusive_group(required=True)
    radius.add_argument("--radius-miles", type=float, help="coverage radius in miles")
    radius.add_argument("--radius-km", type=float, help="coverage radius in kilometres")
    parser.add_argument("--types", help="comma-separated site types to include (default all: "
                        + ",".join(SITE_TYPES) + ")")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--out", help="output file (default: standard output)")


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m geo`` argument parser."""
    from geo.analysis.tables import EXPORTABLE_LAYERS

    parser = _Parser(prog="python -m geo",
                     description="Maryland naloxone access: data, metrics and exports.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    build = commands.add_parser(
        "build", help="rebuild data/processed and data/manifest.json from data/raw",
        description="Rebuild every layer from data/raw. Each raw file and built layer must "
        "have the row count data/manifest.json records, so a truncated source is refused "
        "and nothing is written; after a deliberate data update pass --accept-row-changes "
        "(the changes are listed).")
    build.add_argument("--accept-row-changes", action="store_true",
                       help="accept raw files and layers whose row counts differ from the "
                       "manifest (a deliberate data update) and record the new counts")
    build.set_defaults(run=_cmd_build)

    export = commands.add_parser(
        "export", help="write a layer as CSV or GeoJSON",
        description="Write one data layer. CSV is UTF-8 with BOM, spreadsheet-safe; "
        "GeoJSON is EPSG:4326. Without --out the file goes to standard output.")
    export.add_argument("layer", choices=EXPORTABLE_LAYERS)
    export.add_argument("--format", choices=("csv", "geojson"), default="csv")
    export.add_argument("--out", help="output file (default: standard output)")
    export.add_argument("--public-only", action="store_true",
                        help="leave out local updates from the store (NALOXONE_STORE)")
    export.set_defaults(run=_cmd_export)

    sites = commands.add_parser("sites", help="manage local site updates")
    site_commands = sites.add_subparsers(dest="sites_command", required=True,
                                         parser_class=_Parser)
    importer = site_commands.add_parser(
        "import", help="import sites from CSV, Excel (.xlsx) or GeoJSON",
        description="Validate every row and import the valid ones in one transaction into "
        "the store named by NALOXONE_STORE (a file path or postgresql:// URL). Rejected rows "
        "are reported with their spreadsheet row number (header = 1), field and reason.")
    importer.add_argument("file")
    importer.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    importer.add_argument("--format", choices=("text", "json"), default="text")
    importer.set_defaults(run=_cmd_sites_import)

    password = commands.add_parser(
        "hash-password", help="print an editor password hash for the dashboard",
        description="Reads a password (from standard input when not a terminal) and prints "
        "the hash to set as NALOXONE_EDITOR_PASSWORD_HASH or [editor] password_hash in "
        ".streamlit/secrets.toml.")
    password.set_defaults(run=_cmd_hash_password)

    metrics = commands.add_parser(
        "metrics", help="access metrics per jurisdiction and statewide",
        description="One row per jurisdiction plus a statewide row (fips 24): population, "
        "sites, sites per 100k, population and share within the radius of a site, "
        "population-weighted mean and 90th-percentile straight-line distance (miles), "
        "2SFCA access, drug-induced deaths 2022-2023, and the access-gap rank.")
    _add_scenario_arguments(metrics)
    metrics.add_argument("--catchment-miles", type=float, default=10.0,
                         help="2SFCA catchment in miles (default 10)")
    metrics.add_argument("--decay", choices=("none", "step", "gaussian"), default="none",
                         help="2SFCA distance decay (none = classic 2SFCA)")
    metrics.set_defaults(run=_cmd_metrics)

    recommend = commands.add_parser(
        "recommend", help="recommend k new site locations (maximal covering)",
        description="Keeping existing sites, choose k tract centres of population that "
        "newly bring the most people within the radius of a site.")
    recommend.add_argument("--k", type=int, required=True, help="number of new sites")
    _add_scenario_arguments(recommend)
    recommend.add_argument("--method", choices=("greedy", "exact"), default="greedy",
                           help="greedy (fast) or exact MILP (PuLP/CBC)")
    recommend.set_defaults(run=_cmd_recommend)

    brief = commands.add_parser(
        "brief", help="PDF briefing for a jurisdiction, Maryland, or all of them",
        description="Two-page PDF: map of sites, residents by distance and recommended "
        "locations; key figures next to Maryland's; EMS leave-behind evidence; sources. "
        "Published local updates in the store (NALOXONE_STORE) are included, as in "
        "`export`, unless --public-only. "
        "Examples: --jurisdiction 24001 --out allegany.pdf; --jurisdiction 'Baltimore City' "
        "--out city.pdf; --jurisdiction 24 (statewide); --all --out-dir briefings/")
    target = brief.add_mutually_exclusive_group(required=True)
    target.add_argument("--jurisdiction", help="FIPS code or name (24 or Maryland: statewide)")
    target.add_argument("--all", action="store_true",
                        help="Maryland and all 24 jurisdictions (needs --out-dir)")
    brief.add_argument("--out", help="output PDF (with --jurisdiction)")
    brief.add_argument("--out-dir", help="output folder (with --all)")
    brief.add_argument("--radius-miles", type=float, default=5.0,
                       help="coverage radius in miles (default 5)")
    brief.add_argument("--types", help="comma-separated site types (default all)")
    brief.add_argument("--k", type=int, default=5, help="recommended new sites (default 5)")
    brief.add_argument("--public-only", action="store_true",
                       help="leave out local updates from the store (NALOXONE_STORE)")
    brief.set_defaults(run=_cmd_brief)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # Problems reach the user as one "error:" line below; library log records would
    # repeat them on stderr through logging's last-resort handler.
    logging.getLogger("geo").addHandler(logging.NullHandler())
    try:
        return args.run(args)
    except DataFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # e.g. an output that cannot be written after all
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        problem = _store_problem(exc)
        if problem is None:
            raise
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_DATA_ERROR


def _store_problem(exc: Exception) -> str | None:
    """A one-line, credential-free message when ``exc`` comes from the local-updates store
    (database errors carry the URL, so their text is never shown); None otherwise."""
    import sqlalchemy as sa

    from geo.local.store import StoreUnavailableError, masked_location, store_location

    if isinstance(exc, StoreUnavailableError):
        return str(exc)
    if not isinstance(exc, sa.exc.SQLAlchemyError):
        return None
    kind = type(getattr(exc, "orig", None) or exc).__name__
    return (f"the local-updates store {masked_location(store_location())} cannot be opened "
            f"or read ({kind}); check NALOXONE_STORE, or use --public-only where offered")
