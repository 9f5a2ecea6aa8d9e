"""How much one import may hold: bytes on disk, rows, columns and the text it unpacks to."""

from __future__ import annotations

from collections.abc import Iterable

from geo.errors import InputError

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
                raise InputError(
                    f"{self.name}: {where} has a cell of {length:,} characters, "
                    f"over the {MAX_CELL_CHARS:,}-character limit for one cell"
                )
            self.used += length
            if self.used > MAX_IMPORT_TEXT_CHARS:
                raise InputError(
                    f"{self.name}: the text in the file passes "
                    f"{MAX_IMPORT_TEXT_CHARS // 2**20} million characters by "
                    f"{where}, over the import limit"
                )


def one_line(text: object) -> str:
    """``text`` with every run of whitespace (newlines too) made one space."""
    return " ".join(str(text).split())


#: The longest text each stored field may hold (characters), at entry, in imports and
#: in the store itself; any other text field: ``MAX_CELL_CHARS``. Layouts bound what
#: they show separately (:data:`geo.render.formatting.MAX_LAYOUT_CHARS`).
FIELD_CHARS: dict[str, int] = {
    "name": 200,
    "address": 300,
    "city": 100,
    "zip": 20,
    "source": 500,
    "source_date": 40,
    "notes": 2_000,
    "phone": 200,
    "hours": 500,
    "licence": 200,
    "source_id": 200,
    "earliest_date": 40,
    "evidence": 2_000,
    "source_url": 2_000,
}
#: Counts (doses, people) are whole numbers from 0 to this: far above any jurisdiction's
#: real figures and inside PostgreSQL's ``integer``, so SQLite and PostgreSQL agree.
MAX_COUNT = 100_000_000
COUNT_FIELDS = ("doses", "people")


def field_chars(field: str) -> int:
    """The longest text ``field`` may hold."""
    return FIELD_CHARS.get(field, MAX_CELL_CHARS)


def too_long(field: str, text: str) -> str | None:
    """Why ``text`` cannot be stored in ``field`` (``is 250 characters long, over the
    200-character limit``), or None when it fits :func:`field_chars`."""
    if len(text) <= field_chars(field):
        return None
    return f"is {len(text):,} characters long, over the {field_chars(field):,}-character limit"


def check_bounds(record: dict[str, object], where: str = "") -> None:
    """Refuse (``ValueError`` naming the field) text over its :data:`FIELD_CHARS` limit,
    a count that is not a whole number from 0 to :data:`MAX_COUNT`, and coordinates
    that are not finite numbers in range; before anything is stored."""
    import math

    for field, value in record.items():
        if value is None:
            continue
        if field in COUNT_FIELDS:
            if isinstance(value, bool) or not isinstance(value, int):
                raise InputError(f"{where}{field} must be a whole number")
            if not 0 <= value <= MAX_COUNT:
                raise InputError(f"{where}{field} must be from 0 to {MAX_COUNT:,}; got {value:,}")
        elif field in ("lat", "lon"):
            limit = 90 if field == "lat" else 180
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InputError(f"{where}{field} must be a number")
            if not (math.isfinite(value) and -limit <= value <= limit):
                raise InputError(f"{where}{field} must be from -{limit} to {limit}; got {value}")
        elif isinstance(value, str) and (reason := too_long(field, value)):
            raise InputError(f"{where}{field} {reason}; shorten it")
