"""Errors raised for bad data files and bad parameters."""

from __future__ import annotations

from pathlib import Path


class DataFileError(ValueError):
    """A data file is missing, damaged or wrongly shaped.

    The message always names the file and, where known, the row (as a
    spreadsheet shows it: header = row 1) and the field.
    """

    def __init__(self, path: str | Path, problem: str, *, row: int | None = None,
                 field: str | None = None) -> None:
        self.path = Path(path)
        self.problem = problem
        self.row = row
        self.field = field
        where = [self.path.name]
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field '{field}'")
        super().__init__(f"{', '.join(where)}: {problem}")
