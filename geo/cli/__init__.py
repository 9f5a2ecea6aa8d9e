"""The command line, ``python -m geo COMMAND`` (``md-naloxone`` when installed)."""

from geo.cli.commands import main

__all__ = ["main"]
