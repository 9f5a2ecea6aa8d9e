"""``python -m geo hash-password``: an editor password hash for the dashboard."""

from __future__ import annotations

import argparse
import sys

NAME = "hash-password"
HELP = "print an editor password hash for the dashboard"
DESCRIPTION = (
    "Reads a password (from standard input when not a terminal) and prints "
    "the hash to set as NALOXONE_EDITOR_PASSWORD_HASH or [editor] password_hash in "
    ".streamlit/secrets.toml."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """None: the password is read from standard input."""


def run(args: argparse.Namespace) -> int:
    """Read the password (hidden on a terminal) and print its hash."""
    import getpass

    from geo.local.auth import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("Editor password: ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    print(hash_password(password))
    return 0
