"""What the commands share: the parser class, ``--out`` checks, output writing, the
scenario arguments, and the mapping from errors to one ``error:`` line and an exit code."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import DataFileError, InputError

if TYPE_CHECKING:
    import pandas as pd

    from geo.analysis.metrics import AccessData
    from geo.analysis.scenario import Scenario

EXIT_BAD_INPUT = 2
EXIT_DATA_ERROR = 1
#: A bug (not the user's input): the traceback is printed, the exit code is 1.
EXIT_BUG = 1
_log = logging.getLogger(__name__)

Run = Callable[[argparse.Namespace], int]


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are a clean message and exit 2, no traceback."""

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def shown_path(path: str | os.PathLike[str]) -> str:
    """A user-supplied path as the CLI prints it: printable text unchanged, every control
    or invisible character escaped as Python writes it (``\\x1b``, ``\\n``), so a file
    name cannot move the cursor, recolour the terminal or forge a line of output."""
    from geo.text import one_line

    return one_line(os.fspath(path))


def writable_file(out: str | None) -> Path | None:
    """``--out`` checked before any work: its folder exists and can be written."""
    if out is None:
        return None
    path = Path(out)
    if path.is_dir() or not path.name:
        raise InputError(f"cannot write {out!r}: it is a folder; give a file name")
    folder = path.parent
    if not folder.is_dir():
        raise InputError(f"cannot write {out!r}: folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise InputError(f"cannot write {out!r}: folder {str(folder)!r} is not writable")
    return path


def writable_folder(out_dir: str) -> Path:
    """``--out-dir`` created if needed and checked before any work."""
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create folder {out_dir!r}: {exc.strerror or exc}") from exc
    if not os.access(folder, os.W_OK):
        raise InputError(f"cannot write to folder {out_dir!r}: not writable")
    return folder


def write_file(data: bytes, path: Path) -> None:
    """Write ``data`` to ``path`` atomically; a failure is a one-line ``ValueError``."""
    from geo.render.exports import write_bytes_atomic

    try:
        write_bytes_atomic(data, path)
    except OSError as exc:
        raise InputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from exc


def write_output(data: bytes, out: Path | None) -> None:
    """Write ``data`` to ``out``, or to standard output when ``out`` is None."""
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_file(data, out)


def frame_output(frame: pd.DataFrame, fmt: str) -> bytes:
    """A table as spreadsheet-safe CSV or as indented JSON records."""
    import json

    from geo.render.exports import csv_bytes

    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", double_precision=6))
        return (json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return csv_bytes(frame)


PUBLIC_ONLY_HELP = (
    "leave out the published local updates in the store (NALOXONE_STORE); without it "
    "they are included, as on the dashboard (never unpublished drafts)"
)


def add_public_only_argument(parser: argparse.ArgumentParser) -> None:
    """``--public-only``: the one rule of every command that reads sites: published local
    updates are included unless it is given."""
    parser.add_argument("--public-only", action="store_true", help=PUBLIC_ONLY_HELP)


def load_data(args: argparse.Namespace) -> AccessData:
    """The bundled layers with the store's published local updates applied, unless
    ``--public-only`` (:func:`add_public_only_argument`)."""
    from geo.analysis import metrics

    return metrics.load_access_data(include_local=not getattr(args, "public_only", False))


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    """The radius, site types, output format, ``--out`` and ``--public-only`` of
    ``metrics``/``recommend``."""
    from geo.schema import SITE_TYPES

    radius = parser.add_mutually_exclusive_group()
    radius.add_argument(
        "--radius-miles", type=float, help="coverage radius in miles (straight-line measure)"
    )
    radius.add_argument(
        "--radius-km", type=float, help="coverage radius in kilometres (straight-line measure)"
    )
    parser.add_argument(
        "--types",
        help="comma-separated site types to include (default all: " + ",".join(SITE_TYPES) + ")",
    )
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--out", help="output file (default: standard output)")
    add_public_only_argument(parser)


def add_unit_argument(parser: argparse.ArgumentParser) -> None:
    """``--unit {mi,km}``: the unit distances are printed in (default: the radius's)."""
    parser.add_argument(
        "--unit",
        choices=("mi", "km"),
        default=None,
        help="distance unit of the output (default: km with --radius-km, else mi)",
    )


def chosen_unit(args: argparse.Namespace) -> str:
    """``--unit``, or the unit the radius was given in."""
    return args.unit or ("km" if getattr(args, "radius_km", None) is not None else "mi")


def scenario_from_args(
    args: argparse.Namespace,
    *,
    catchment_miles: float | None = None,
    decay: str = "none",
    gap_measure: str = "deaths",
) -> Scenario:
    """The scenario the scenario arguments describe, on the data :func:`load_data` reads
    (published local updates unless ``--public-only``); every choice is checked before
    the data is read."""
    from geo.analysis import metrics
    from geo.analysis.scenario import DEFAULT_CATCHMENT_M, DEFAULT_RADIUS_M, Scenario
    from geo.network.installed import DEFAULT_MINUTES

    measure = getattr(args, "measure", "straight")
    if measure == "straight" and args.radius_miles is None and args.radius_km is None:
        raise InputError(
            "give --radius-miles or --radius-km (or --measure walk/drive with --minutes)"
        )
    if measure == "straight" or args.radius_miles is not None or args.radius_km is not None:
        radius_m = metrics.radius_m_from(miles=args.radius_miles, km=args.radius_km)
    else:
        radius_m = DEFAULT_RADIUS_M  # not used by a travel-time measure
    types = metrics.parse_site_types(args.types)
    catchment_m = (
        DEFAULT_CATCHMENT_M
        if catchment_miles is None
        else metrics.radius_m_from(miles=catchment_miles)
    )
    return Scenario.from_data(
        load_data(args),
        types=types,
        radius_m=radius_m,
        catchment_m=catchment_m,
        decay=decay,
        gap_measure=gap_measure,
        measure=measure,
        minutes=getattr(args, "minutes", None) or DEFAULT_MINUTES,
    )


def add_measure_arguments(parser: argparse.ArgumentParser, *, straight: bool = True) -> None:
    """``--measure`` (straight line, walking or driving minutes) and ``--minutes``."""
    from geo.network.installed import DEFAULT_MINUTES, MEASURES

    choices = MEASURES if straight else tuple(m for m in MEASURES if m != "straight")
    parser.add_argument(
        "--measure",
        choices=choices,
        default=choices[0],
        help="straight = straight-line distance (the radius); walk = walking minutes on "
        "Baltimore City streets (the City only); drive = driving minutes on an installed "
        f"network (python -m geo network build). Default {choices[0]}",
    )
    parser.add_argument(
        "--minutes",
        type=float,
        default=DEFAULT_MINUTES,
        help=f"travel-time threshold in minutes for walk/drive (default {DEFAULT_MINUTES:g})",
    )


def run_reporting_errors(run: Run, args: argparse.Namespace) -> int:
    """``run(args)``, with a problem the user can fix shown as one ``error:`` line: exit 2
    for bad input (:class:`InputError`) or an unwritable output, 1 for bad data or an
    unreadable store. Anything else is a bug: logged with its traceback on stderr, one
    ``internal error`` line, exit 1."""
    try:
        return run(args)
    except DataFileError as exc:
        error_line(exc)
        return EXIT_DATA_ERROR
    except InputError as exc:
        error_line(exc)
        return EXIT_BAD_INPUT
    except OSError as exc:  # e.g. an output that cannot be written after all
        where = f"{exc.filename}: " if exc.filename else ""
        error_line(f"{where}{exc.strerror or exc}")
        return EXIT_BAD_INPUT
    except Exception as exc:
        problem = store_problem(exc)
        if problem is not None:
            error_line(problem)
            return EXIT_DATA_ERROR
        _log.error("internal error", exc_info=exc)  # for a host that configures logging
        traceback.print_exception(exc, file=sys.stderr)
        print(
            f"error: internal error ({type(exc).__name__}); this is a bug, not your input. "
            "The traceback is above; please report it.",
            file=sys.stderr,
        )
        return EXIT_BUG


def error_line(message: object) -> None:
    """``error: <message>`` on standard error, on one line whatever the message holds
    (a file or site name with a line break cannot forge another line)."""
    from geo.text import one_line

    print(f"error: {one_line(message)}", file=sys.stderr)


def store_problem(exc: Exception) -> str | None:
    """A one-line, credential-free message when ``exc`` comes from the local-updates store
    (database errors carry the URL, so their text is never shown); None otherwise."""
    import sqlalchemy as sa

    from geo.local.store import StoreUnavailableError, masked_location, store_location

    if isinstance(exc, StoreUnavailableError):
        return str(exc)
    if not isinstance(exc, sa.exc.SQLAlchemyError):
        return None
    kind = type(getattr(exc, "orig", None) or exc).__name__
    return (
        f"the local-updates store {masked_location(store_location())} cannot be opened "
        f"or read ({kind}); check NALOXONE_STORE, or use --public-only where offered"
    )


def targets(scenario: Scenario) -> list[tuple[str, str]]:
    """(FIPS, file-name slug) of Maryland and every jurisdiction, for ``--all``:
    ``("24", "maryland")``, ``("24035", "queen-annes")``."""
    from geo.config import MARYLAND_STATE_FIPS

    frame = scenario.data.jurisdictions
    slugs = [
        str(n).lower().replace("'", "").replace(".", "").replace(" ", "-") for n in frame["name"]
    ]
    return [(MARYLAND_STATE_FIPS, "maryland"), *zip(frame["fips"], slugs, strict=True)]
