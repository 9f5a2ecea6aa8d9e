"""The command line, ``python -m geo COMMAND`` (``md-naloxone`` when installed).

One module per command, each with its ``NAME``, ``HELP`` and ``DESCRIPTION``,
``add_arguments(parser)`` and ``run(args)`` (the work; returns the exit code):
:mod:`~geo.cli.build`, :mod:`~geo.cli.export`, :mod:`~geo.cli.sites`, :mod:`~geo.cli.hash_password`,
:mod:`~geo.cli.metrics`, :mod:`~geo.cli.recommend`, :mod:`~geo.cli.brief`.
:mod:`geo.cli.common` holds what they share (``--out`` checks, output writing, the
scenario arguments, errors as one ``error:`` line with exit code 2 for bad input and
1 for bad data). Commands import the library lazily, so ``--help`` stays quick.
Imports everything below it; nothing imports the CLI.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from geo.cli import brief, build, export, hash_password, metrics, recommend, sites
from geo.cli.common import Parser, run_reporting_errors

__all__ = ["build_parser", "main"]

#: The commands in the order ``--help`` lists them.
COMMANDS = (build, export, sites, hash_password, metrics, recommend, brief)


def build_parser() -> Parser:
    """The ``python -m geo`` argument parser."""
    parser = Parser(prog="python -m geo",
                    description="Maryland naloxone access: data, metrics and exports.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in COMMANDS:
        command_parser = commands.add_parser(command.NAME, help=command.HELP,
                                             description=command.DESCRIPTION)
        command.add_arguments(command_parser)
        command_parser.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for bad input)."""
    args = build_parser().parse_args(argv)
    # Problems reach the user as one "error:" line; library log records would
    # repeat them on stderr through logging's last-resort handler.
    logging.getLogger("geo").addHandler(logging.NullHandler())
    return run_reporting_errors(args.run, args)
