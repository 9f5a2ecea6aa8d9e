"""The :class:`Column` of the column dictionary and the source keys its tables share."""

from __future__ import annotations

from dataclasses import dataclass

from geo.analysis.completeness import LIST_GAP_SLACK_M, LIST_GAP_SPEED_KMH


@dataclass(frozen=True)
class Column:
    """A column for people: ``label`` (``{radius}`` stands for the view's radius, e.g.
    ``5 mi``), ``unit`` (empty: none; ``distance``: the column's suffix unit), ``meaning``
    in plain words, ``source`` (keys of :func:`sources`, joined) and ``digits`` to round
    numbers to (None: as is)."""

    label: str
    unit: str
    meaning: str
    source: tuple[str, ...]
    digits: int | None = None


_SITES = ("sites",)
_COMPUTED = ("census", "sites")
_RATE = ("deaths", "census")
_REACH = f"minutes × {LIST_GAP_SPEED_KMH:g} km/h + {LIST_GAP_SLACK_M / 1000:g} km"
_JURISDICTION = Column("Jurisdiction", "", "Maryland county or Baltimore City.", ("census",))
_SITE = Column(
    "Site name", "", "Name of the naloxone access point as listed by its source.", _SITES
)
_LEAVE = ("leave_behind",)
_TRAVEL = ("census", "sites", "network")
