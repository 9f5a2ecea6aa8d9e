"""The command line, ``python -m geo COMMAND`` (``md-naloxone`` when installed).

One module per command, each with its ``NAME``, ``HELP`` and ``DESCRIPTION``,
``add_arguments(parser)`` and ``run(args)`` (the work; returns the exit code):
:mod:`~geo.cli.build`, :mod:`~geo.cli.export`, :mod:`~geo.cli.sites`, :mod:`~geo.cli.hash_password`,
:mod:`~geo.cli.metrics`, :mod:`~geo.cli.recommend`, :mod:`~geo.cli.brief`, :mod:`~geo.cli.map`,
:mod:`~geo.cli.find`, :mod:`~geo.cli.travel`, :mod:`~geo.cli.network`.
:mod:`geo.cli.common` holds what they share (``--out`` checks, output writing, the
scenario arguments, errors as one ``error:`` line with exit code 2 for bad input and
1 for bad data). Commands import the library lazily, so ``--help`` stays quick.
Imports everything below it; nothing imports the CLI.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.cli import (
    brief,
    build,
    export,
    find,
    hash_password,
    map,
    metrics,
    network,
    recommend,
    sites,
    travel,
)
from geo.cli.common import Parser, run_reporting_errors

__all__ = ["build_parser", "main"]

#: The commands in the order ``--help`` lists them.
COMMANDS = (
    build,
    export,
    sites,
    hash_password,
    metrics,
    recommend,
    brief,
    map,
    find,
    travel,
    network,
)


def build_parser(prog: str = "python -m geo") -> Parser:
    """The argument parser; ``prog`` is how usage lines name the command."""
    parser = Parser(prog=prog, description="Maryland naloxone access: data, metrics and exports.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in COMMANDS:
        command_parser = commands.add_parser(
            command.NAME, help=command.HELP, description=command.DESCRIPTION
        )
        command.add_arguments(command_parser)
        command_parser.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    """Run the command line; returns the exit code (2 for bad input). ``prog`` defaults
    to the name it was started by (``md-naloxone`` for the installed script)."""
    if prog is None:
        started_as = Path(sys.argv[0]).name
        prog = started_as if started_as == "md-naloxone" else "python -m geo"
    args = build_parser(prog).parse_args(argv)
    # Problems reach the user as one "error:" line; library log records would
    # repeat them on stderr through logging's last-resort handler.
    logging.getLogger("geo").addHandler(logging.NullHandler())
    return run_reporting_errors(args.run, args)
