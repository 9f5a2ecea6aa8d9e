"""How much one import may hold: bytes on disk, rows, columns and the text it unpacks to."""

from __future__ import annotations

from collections.abc import Iterable

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
MAX_IMPORT_COLUMNS = 100
#: No cell of an import is longer than this, and all cells together hold at most
#: MAX_IMPORT_TEXT_CHARS: a workbook can repeat one shared string in every cell, so the
#: text it unpacks to is bounded separately from its size on disk.
MAX_CELL_CHARS = 2_000
MAX_IMPORT_TEXT_CHARS = 2 * MAX_IMPORT_BYTES


class TextBudget:
    """Counts the text read from one upload and refuses a cell over ``MAX_CELL_CHARS`` or
    a total over ``MAX_IMPORT_TEXT_CHARS``, naming the file and where it stopped."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.used = 0

    def take(self, cells: Iterable[object], where: str) -> None:
        for cell in cells:
            if cell is None:
                continue
            length = len(str(cell))
            if length > MAX_CELL_CHARS:
                raise ValueError(
                    f"{self.name}: {where} has a cell of {length:,} characters, "
                    f"over the {MAX_CELL_CHARS:,}-character limit for one cell"
                )
            self.used += length
            if self.used > MAX_IMPORT_TEXT_CHARS:
                raise ValueError(
                    f"{self.name}: the text in the file passes "
                    f"{MAX_IMPORT_TEXT_CHARS // 2**20} million characters by "
                    f"{where}, over the import limit"
                )


def one_line(text: object) -> str:
    """``text`` with every run of whitespace (newlines too) made one space."""
    return " ".join(str(text).split())
