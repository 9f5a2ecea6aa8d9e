"""``python -m geo sites import|refresh|publish|history``: local site updates from a
spreadsheet or GeoJSON, or refreshed from OpenStreetMap or Overture Maps, as draft changes
that an editor publishes; the history as sentences."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from geo.cli import common
from geo.cli.common import Parser
from geo.errors import InputError

if TYPE_CHECKING:
    from geo.local.importing import ImportReport, ImportTable


NAME = "sites"
HELP = "manage local site updates"
DESCRIPTION = None
IMPORT_DESCRIPTION = (
    "Validate every row and import the valid ones in one transaction into "
    "the store named by NALOXONE_STORE (a file path or postgresql:// URL). "
    "Rejected rows are reported with their spreadsheet row number "
    "(header = 1), field and reason. The import is one draft change: "
    "visitors see it once it is published (`sites publish`)."
)
REFRESH_DESCRIPTION = (
    "Compare the pharmacies (and, from OpenStreetMap, naloxone vending machines) a live "
    "public source lists in Maryland with the current sites from the same source: new, "
    "moved (> 50 m), no longer in the source, unchanged. --source osm asks the Overpass "
    "API (NALOXONE_OVERPASS_URL); --source overture reads Overture Maps places (category "
    "pharmacy). --from-file reads a saved Overpass JSON answer or Overture GeoParquet "
    "instead. Waits at most NALOXONE_REFRESH_TIMEOUT seconds (default 60). Without "
    "--dry-run the new and moved sites are written as ONE draft change (publish it with "
    "`sites publish`); a site no longer in the source is only closed when named with "
    "--close-gone. A bad answer from the network stores nothing (exit 1)."
)
PUBLISH_DESCRIPTION = (
    "Publish draft changes (their ids are in `sites history`): visitors "
    "see local updates only once published. The publication is itself "
    "a change in the history."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``sites`` subcommands: ``import``, ``publish`` and ``history``."""
    site_commands = parser.add_subparsers(dest="sites_command", required=True, parser_class=Parser)
    importer = site_commands.add_parser(
        "import",
        help="import sites from CSV, Excel (.xlsx) or GeoJSON",
        description=IMPORT_DESCRIPTION,
    )
    importer.add_argument("file")
    importer.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    importer.add_argument("--format", choices=("text", "json"), default="text")
    importer.add_argument(
        "--confirm-duplicates",
        action="store_true",
        help="also import rows flagged as likely duplicates (a site of the "
        "same type within 25 m under another name)",
    )
    refresher = site_commands.add_parser(
        "refresh",
        help="compare with OpenStreetMap or Overture Maps; write as a draft change",
        description=REFRESH_DESCRIPTION,
    )
    refresher.add_argument("--source", choices=("osm", "overture"), required=True)
    refresher.add_argument(
        "--from-file",
        metavar="FILE",
        help="a saved Overpass JSON answer (osm) or Overture places GeoParquet (overture)",
    )
    refresher.add_argument(
        "--dry-run", action="store_true", help="print the comparison only; write nothing"
    )
    refresher.add_argument("--format", choices=("text", "json"), default="text")
    refresher.add_argument(
        "--close-gone",
        action="append",
        default=[],
        metavar="SITE_ID",
        help="close this site, listed as no longer in the source, in the same draft "
        "change (repeat for each site an editor has checked)",
    )
    publisher = site_commands.add_parser(
        "publish", help="publish draft changes", description=PUBLISH_DESCRIPTION
    )
    which = publisher.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every draft change")
    which.add_argument(
        "changes",
        nargs="*",
        type=int,
        default=[],
        metavar="CHANGE",
        help="the id of a draft change",
    )
    lister = site_commands.add_parser(
        "history",
        help="list the changes, newest first",
        description="Every change (import, edit, revert, publication) as a sentence, newest first.",
    )
    lister.add_argument("--format", choices=("text", "json"), default="text")
    lister.add_argument("--limit", type=int, default=500)


def _editor() -> str:
    import getpass

    return f"cli:{getpass.getuser()}"


def run(args: argparse.Namespace) -> int:
    """Run the chosen ``sites`` subcommand."""
    command = {
        "import": _import,
        "refresh": _refresh,
        "publish": _publish,
        "history": _history,
    }
    return command[args.sites_command](args)


def _refresh(args: argparse.Namespace) -> int:
    """``sites refresh``: fetch, compare and print; unless ``--dry-run``, write the new and
    moved sites (and the gone ones named) as one draft change. A source that cannot
    answer is one ``error:`` line and exit 1; nothing is stored then."""
    import json

    from geo.analysis import metrics
    from geo.data import refresh
    from geo.local import refreshing
    from geo.local.store import ConflictError, Store
    from geo.render.formatting import one_line

    if args.dry_run and args.close_gone:
        raise InputError("--close-gone writes a change, so it cannot go with --dry-run")
    data = metrics.load_access_data(include_local=True, drafts=True)
    try:
        fetched = refresh.fetch(
            args.source, from_file=args.from_file, jurisdictions=data.jurisdictions
        )
    except refresh.RefreshError as exc:
        common.error_line(exc)
        return 1
    diff = refreshing.compare(fetched, data.sites)
    change = None
    if not args.dry_run:
        try:
            change = refreshing.refresh_and_write(
                Store(), diff, data.sites, _editor(), close=args.close_gone
            )
        except ConflictError as exc:
            raise InputError(str(exc)) from None
    if args.format == "json":
        result = diff.as_json()
        if not args.dry_run:
            result["change"] = change
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    print(diff.as_text())
    warning = refreshing.coverage_warning(diff)
    if warning:
        print(f"note: {one_line(warning)}")
    if change is not None:
        print(
            f"Draft change {change}: visitors see it once published "
            f"(python -m geo sites publish {change})."
        )
    elif not args.dry_run:
        print("Nothing to write: no new or moved site.")
    return 0


def _publish(args: argparse.Namespace) -> int:
    """``sites publish``: publish the named draft changes, or every draft."""
    from geo.local.store import ConflictError, Store
    from geo.render.formatting import one_line

    if not args.all and not args.changes:
        raise InputError("name the changes to publish (see `sites history`) or give --all")
    store = Store()
    try:
        made = store.publish(None if args.all else args.changes, who=_editor())
    except ConflictError as exc:
        raise InputError(str(exc)) from None
    published = store.changes()
    print(one_line(published.set_index("id").loc[made, "sentence"]) + f" [change {made}]")
    return 0


def _history(args: argparse.Namespace) -> int:
    """``sites history``: the changes as sentences (text) or records (JSON)."""
    import json

    from geo.local.store import Store
    from geo.render.formatting import one_line

    store = Store.open_existing()
    frame = store.changes(args.limit) if store is not None else None
    records = (
        []
        if frame is None
        else [
            {k: (None if v is None or v != v else v) for k, v in row.items()}
            for row in frame.astype(object).to_dict("records")
        ]
    )
    if args.format == "json":
        print(json.dumps(records, indent=2, default=int))
    elif not records:
        print("No local changes yet.")
    for record in records if args.format == "text" else ():
        print(f"{record['id']:>5}  {one_line(record['sentence'])}")
    return 0


def _import(args: argparse.Namespace) -> int:
    """``sites import``: validate the file, store the valid rows (unless ``--dry-run``)
    as one draft change, and report."""
    from geo.analysis import metrics
    from geo.local import importing
    from geo.local.store import DuplicateSitesError, Store

    path = Path(args.file)
    table = importing.read_upload_isolated(path.name, _read_limited(path))
    mapping = importing.guess_mapping(list(table.frame.columns))
    data = metrics.load_access_data(include_local=True, drafts=True)
    report = importing.validate(
        table, mapping, data.jurisdictions, data.sites, confirm_duplicates=args.confirm_duplicates
    )
    written: list[str] = []
    if not args.dry_run and len(report.accepted):
        try:
            written = Store().add_sites(
                report.accepted.drop(columns="_row"), who=_editor(), source=path.name
            )
        except DuplicateSitesError as exc:
            raise InputError(f"{path.name}: {exc}") from None
    _print_report(args, path, table, report, written)
    return 0


def _read_limited(path: Path) -> bytes:
    """The file's bytes; one that is missing, unreadable or over the import limit is
    refused (the size before reading anything)."""
    from geo.local import importing

    if not path.is_file():
        raise InputError(f"{path}: file not found")
    try:
        size = path.stat().st_size
        if size > importing.MAX_IMPORT_BYTES:  # refused before reading it
            raise InputError(
                f"{path.name}: {size / 1e6:.1f} MB is over the "
                f"{importing.MAX_IMPORT_BYTES // 2**20} MB import limit"
            )
        with path.open("rb") as handle:
            return handle.read(importing.MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def _print_report(
    args: argparse.Namespace,
    path: Path,
    table: ImportTable,
    report: ImportReport,
    written: list[str],
) -> None:
    """The import report as JSON (store location masked) or one line plus the rejections."""
    import json

    from geo.local.store import masked_location, store_location
    from geo.render.formatting import one_line

    if args.format == "json":
        result = {
            **report.as_json(),
            "dry_run": args.dry_run,
            "store": masked_location(store_location()),
            "ids": written,
            "change": getattr(written, "change", None),
        }
        print(json.dumps(result, indent=2))
        return
    verb = "would import" if args.dry_run else "imported"
    notes = "; ".join(one_line(note) for note in report.notes)
    print(
        f"{one_line(path.name)}: {verb} {len(report.accepted)} site(s), rejected "
        f"{len(report.rejected)}" + (f" ({notes})" if notes else "")
    )
    for problem in report.rejected:
        print(
            f"  {table.row_label} {one_line(problem['row'])}, {one_line(problem['field'])}: "
            f"{one_line(problem['reason'])}"
        )
    if getattr(written, "change", None):
        print(
            f"Draft change {written.change}: visitors see it once published "
            f"(python -m geo sites publish {written.change})."
        )
    if report.likely_duplicates:
        print(
            f"  {len(report.likely_duplicates)} likely duplicate(s) not imported: check "
            "them, then import again with --confirm-duplicates to import them too"
        )
