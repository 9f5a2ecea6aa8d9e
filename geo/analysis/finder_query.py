"""What a finder search means: a ZIP, a town, coordinates or a street address.

:func:`read_query` turns the text typed into a :class:`QueryPoint` (a point with the
words that say what was matched) or raises :class:`FinderError`, whose message is one
sentence for the user and whose ``suggestions`` are searches that would work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geo.data.gazetteer import Gazetteer, Place, normalise_name
from geo.data.geocoder import CensusGeocoder, ClientGeocoder, GeocoderError
from geo.errors import InputError

MAX_QUERY_CHARS = 200
EXAMPLES = ("21550", "Crisfield", "La Plata, MD", "39.209,-76.067")
_NUMBER = r"[-+]?\d{1,3}(?:\.\d+)?"
_COORDINATES = re.compile(rf"^\s*\(?\s*({_NUMBER})\s*[,;\s]\s*({_NUMBER})\s*\)?\s*$", re.ASCII)
_LOOKS_NUMERIC = re.compile(r"^[\s\d.,;+()-]+$", re.ASCII)
_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$", re.ASCII)
_ZIP_ANYWHERE = re.compile(r"\b(\d{5})(?:-\d{4})?\b", re.ASCII)
_ADDRESS = re.compile(r"^\s*\d+[a-z]?\s+\S*[a-z]", re.IGNORECASE | re.ASCII)


class FinderError(InputError):
    """A search the finder cannot answer: ``str()`` is one sentence; ``suggestions``
    are searches to try instead. ``template`` and ``values`` give the sentence again as a
    catalogue msgid and its values (:mod:`geo.i18n`), so it can be shown in another language:
    ``_(error.template).format(**error.values)``."""

    def __init__(
        self,
        message: str,
        suggestions: tuple[str, ...] = (),
        template: str | None = None,
        values: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.suggestions = suggestions
        self.template = template or message.replace("{", "{{").replace("}", "}}")
        self.values = values or {}

    @classmethod
    def of(cls, template: str, suggestions: tuple[str, ...] = (), **values: object):
        """The error whose sentence is ``template`` (a msgid) filled with ``values``."""
        return cls(template.format(**values), suggestions, template, values)

    def translated(self, _) -> str:
        """The sentence in the language of ``_`` (a translator of :mod:`geo.i18n`)."""
        return _(self.template).format(**self.values)


class AmbiguousPlaceError(FinderError):
    """A town name shared by several places: ``suggestions`` names each of them."""


@dataclass(frozen=True)
class QueryPoint:
    """Where a search points: the text typed, the point (EPSG:4326) and what matched
    (e.g. ``ZIP 21550 (Oakland) centroid``). ``fips`` is set once the point is placed
    in a jurisdiction."""

    text: str
    lat: float
    lon: float
    matched: str
    kind: str  # zip, place, coordinates, address or map
    fips: str | None = field(default=None, compare=False)


def _place_query(text: str, gazetteer: Gazetteer) -> QueryPoint:
    """A town: one match, several (ambiguous: the candidates) or none (suggestions)."""
    name, _, county = text.rpartition(",")
    candidates: list[Place] = []
    if name and normalise_name(county):  # "Bel Air, Harford County"
        wanted = normalise_name(county).removesuffix(" county")
        candidates = [
            p
            for p in gazetteer.lookup(name)
            if normalise_name(p.county).removesuffix(" county") == wanted
        ]
    if not candidates:
        candidates = gazetteer.lookup(text)
    unique = list({(p.name, p.county): p for p in reversed(candidates)}.values())[::-1]
    if len(unique) == 1:
        place = unique[0]
        return QueryPoint(text, place.lat, place.lon, place.label, "place")
    if unique:
        raise AmbiguousPlaceError.of(
            "More than one Maryland place is called {name}: choose one.",
            tuple(p.label for p in unique),
            name=unique[0].name,
        )
    close = tuple(gazetteer.suggestions(text))
    raise FinderError.of(
        "No Maryland town, city or ZIP code called {text!r} was found.",
        close or EXAMPLES[:2],
        text=text,
    )


def _zip_query(text: str, code: str, gazetteer: Gazetteer) -> QueryPoint:
    place = gazetteer.zip_point(code)
    if place is None:
        raise FinderError.of(
            "{code} is not a Maryland ZIP code with a location in the bundled list.",
            EXAMPLES[:2],
            code=code,
        )
    return QueryPoint(text, place.lat, place.lon, f"{place.name} centroid", "zip")


def _coordinates_query(text: str, lat: float, lon: float) -> QueryPoint:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise FinderError.of(
            "Coordinates are latitude, longitude in degrees, e.g. 39.209,-76.067.", EXAMPLES[3:]
        )
    return QueryPoint(text, lat, lon, f"{lat:.5f}, {lon:.5f}", "coordinates")


def _address_query(
    text: str, gazetteer: Gazetteer, geocoder: CensusGeocoder | ClientGeocoder | None
) -> QueryPoint:
    if geocoder is None:
        zips = tuple(dict.fromkeys(_ZIP_ANYWHERE.findall(text)))
        towns = tuple(p.label for part in text.split(",")[1:] for p in gazetteer.lookup(part))
        raise FinderError.of(
            "Street addresses need the address geocoder, which is off here: "
            "search by ZIP code or town instead.",
            (zips + towns)[:3] or EXAMPLES[:2],
        )
    try:
        match = geocoder.locate(text)
    except GeocoderError as exc:
        raise FinderError(str(exc), EXAMPLES[:2]) from None
    if match is None:
        raise FinderError.of(
            "The address geocoder found no such address; check it or search by ZIP code or town.",
            EXAMPLES[:2],
        )
    return QueryPoint(text, match.lat, match.lon, match.matched, "address")


def read_query(
    text: object, gazetteer: Gazetteer, geocoder: CensusGeocoder | ClientGeocoder | None = None
) -> QueryPoint:
    """The point a search names (not yet checked to lie in Maryland)."""
    text = " ".join(str(text or "").split())
    if not text:
        raise FinderError.of("Type a Maryland ZIP code, town or coordinates.", EXAMPLES)
    if len(text) > MAX_QUERY_CHARS:
        raise FinderError.of(
            "A search is at most {count} characters.", EXAMPLES, count=MAX_QUERY_CHARS
        )
    coordinates = _COORDINATES.match(text)
    if coordinates:
        return _coordinates_query(text, float(coordinates.group(1)), float(coordinates.group(2)))
    zip_code = _ZIP.match(text)
    if zip_code:
        return _zip_query(text, zip_code.group(1), gazetteer)
    if _LOOKS_NUMERIC.match(text):
        raise FinderError.of(
            "{text!r} is neither a 5-digit ZIP code nor coordinates (latitude, longitude).",
            EXAMPLES,
            text=text,
        )
    if _ADDRESS.match(text):
        return _address_query(text, gazetteer, geocoder)
    return _place_query(text, gazetteer)
