"""Errors raised for bad data files and bad input.

The boundaries (the dashboard's page frame and the CLI) show these two to the user as they
are; any other exception is a bug: logged with its traceback, shown as a short generic
message, and the CLI exits 1.
"""

from __future__ import annotations

import re
from pathlib import Path

#: An absolute file path inside a message (a library's error text often carries one).
_ABSOLUTE_PATH = re.compile(r"(?<![\w:/.])/(?:[^\s'\"/]+/)+([^\s'\"/]+)")


def without_paths(text: str) -> str:
    """``text`` with every absolute file path cut to its last part, so messages shown to
    visitors never reveal where the server keeps its files."""
    return _ABSOLUTE_PATH.sub(r"\1", text)


class DataFileError(ValueError):
    """A data file is missing, damaged or wrongly shaped.

    The message always names the file and, where known, the row (as a
    spreadsheet shows it: header = row 1) and the field; it never holds a server path.
    """

    def __init__(
        self, path: str | Path, problem: str, *, row: int | None = None, field: str | None = None
    ) -> None:
        self.path = Path(path)
        self.problem = problem = without_paths(problem)
        self.row = row
        self.field = field
        where = [self.path.name]
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field '{field}'")
        super().__init__(f"{', '.join(where)}: {problem}")


class InputError(ValueError):
    """Input the user can fix: a parameter, a query, an uploaded file, a store request.

    The message is one plain sentence naming what is wrong, shown to the user as is (the
    dashboard escapes it). A subclass of :class:`ValueError` so callers that catch that keep
    working; boundaries catch this class only.
    """
