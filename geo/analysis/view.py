"""The dashboard view (site types, radius, focus jurisdiction, page, and the pages' own
choices: compared jurisdictions, chart measure, k) and its URL form.

Kept free of Streamlit so it can be tested alone: the dashboard reads the query
string with :func:`view_from_query` and writes it back with :func:`view_to_query`,
so a copied link reopens the same view.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from geo.analysis import url_params
from geo.analysis.compare import MEASURE_BY_COLUMN
from geo.analysis.ranking import DEFAULT_GAP_MEASURE, GAP_MEASURES
from geo.analysis.recommend import CANDIDATE_CHOICE_VALUES
from geo.config import MARYLAND_STATE_FIPS, METRES_PER_MILE
from geo.i18n import Message
from geo.network.installed import DEFAULT_MINUTES, MEASURES
from geo.schema import SITE_TYPES

RADIUS_UNITS = ("mi", "km")
DEFAULT_RADIUS = 5.0
MAX_RADIUS = 100.0
MAX_K = 25
MEASURE_COLUMNS = tuple(MEASURE_BY_COLUMN)  # context measures and km columns too


@dataclass(frozen=True)
class View:
    """What the user is looking at. ``focus`` is a county FIPS or ``24`` (statewide)."""

    types: tuple[str, ...] = SITE_TYPES
    radius: float = DEFAULT_RADIUS
    unit: str = "mi"
    focus: str = MARYLAND_STATE_FIPS
    page: str = ""
    include_local: bool = True
    #: How the gap ranking scores (a key of ``geo.analysis.ranking.GAP_MEASURES``).
    gap: str = DEFAULT_GAP_MEASURE
    problems: tuple[str, ...] = field(default=(), compare=False)
    compare: tuple[str, ...] = ()
    """Jurisdictions chosen on Compare (empty: all)."""
    measure: str | None = None
    """The Compare chart's measure (a column of ``MEASURE_COLUMNS``); None: the default."""
    k: int | None = None
    """Recommended new sites on Access gaps; None: the default."""
    access: str = "straight"
    """How access is measured: ``straight``, ``walk`` or ``drive`` (link: ``measure``)."""
    minutes: float = DEFAULT_MINUTES
    """The travel-time threshold of ``walk``/``drive``, minutes (link: ``minutes``)."""
    candidates: str | None = None
    """Access gaps' "Recommend among" (``CANDIDATE_CHOICE_VALUES``); None: the default."""

    @property
    def by_time(self) -> bool:
        """True when access is measured in network minutes (walk, drive)."""
        return self.access != "straight"

    @property
    def minutes_label(self) -> str:
        """The threshold for people: ``15-minute walk``, ``20-minute drive``."""
        trip = "walk" if self.access == "walk" else "drive"
        return f"{self.minutes:g}-minute {trip}"

    @property
    def radius_m(self) -> float:
        """The radius in metres."""
        return self.radius * (METRES_PER_MILE if self.unit == "mi" else 1000.0)

    @property
    def radius_label(self) -> str:
        """The radius for people, e.g. ``5 miles`` or ``8 km``."""
        value = f"{self.radius:g}"
        return (
            f"{value} mile" + ("" if self.radius == 1 else "s")
            if self.unit == "mi"
            else f"{value} km"
        )


#: Longest accepted value of each parameter (characters); longer values are refused.
PARAM_MAX_CHARS = {
    "types": 200,
    "r": 32,
    "unit": 40,
    "focus": 40,
    "page": 40,
    "data": 40,
    "gap": 40,
    "compare": 400,
    "chart": 80,
    "k": 16,
    "measure": 16,
    "minutes": 16,
    "candidates": 80,
}


def _text(
    params: Mapping[str, object], key: str, problems: list[str], default: str = ""
) -> str | None:
    """One parameter's text through the strict reader (``url_params.first``); None when
    absent or empty (the default applies) or unreadable (reported in ``problems``)."""
    text, readable = url_params.first(params, key, PARAM_MAX_CHARS[key])
    if not readable:
        problems.append(
            Message.of(
                "ignored {key} in the link (too long or holding control characters)", key=key
            )
        )
        return None
    return text or default or None


def view_from_query(
    params: Mapping[str, object], known_fips: set[str], known_pages: Collection[str] = frozenset()
) -> View:
    """Read a view from query parameters ``types``, ``r``, ``unit``, ``focus``, ``page``,
    ``data`` (``local``: with local updates, ``public``: public data only), ``gap``
    (the gap measure: deaths, residents or svi), ``measure`` (straight, walk, drive),
    ``minutes`` (the travel-time threshold) and ``candidates`` (Recommend among).

    Every value goes through the strict reader :mod:`geo.analysis.url_params` (ASCII
    digits, bounded lengths, allowed values; a repeated key gives its last value).
    Anything unreadable falls back to the default and is reported in ``problems``
    (never an exception: a bad link must still open the dashboard); each problem is a
    :class:`geo.i18n.Message`, English as a string, translatable where shown. Problems name the
    parameter but never repeat its value: a link is anyone's text, and the dashboard
    shows problems where Markdown is rendered.
    """
    problems: list[str] = []
    types, unit, radius = _map_choices(params, problems)
    focus = _text(params, "focus", problems, MARYLAND_STATE_FIPS) or MARYLAND_STATE_FIPS
    if focus != MARYLAND_STATE_FIPS and focus not in known_fips:
        problems.append(
            Message.of(
                "ignored unknown jurisdiction: the focus jurisdiction in the link "
                "is not known (use a Maryland FIPS code such as 24001)"
            )
        )
        focus = MARYLAND_STATE_FIPS
    page = _text(params, "page", problems) or ""
    if page and known_pages and page not in known_pages:
        problems.append(Message.of("ignored unknown page in the link"))
        page = ""
    source = _text(params, "data", problems, "local") or "local"
    if source not in ("local", "public"):
        problems.append(Message.of("ignored unknown data choice in the link (use local or public)"))
        source = "local"
    gap = _text(params, "gap", problems, DEFAULT_GAP_MEASURE) or DEFAULT_GAP_MEASURE
    if gap not in GAP_MEASURES:
        problems.append(
            Message.of(
                "ignored unknown gap measure in the link (use {choices})",
                choices=", ".join(GAP_MEASURES),
            )
        )
        gap = DEFAULT_GAP_MEASURE
    compare, measure, k = _page_choices(params, known_fips, problems)
    access, minutes = _travel_choices(params, problems)
    candidates = _candidates_choice(params, problems)
    return View(
        types,
        radius,
        unit,
        focus,
        page,
        source == "local",
        gap,
        tuple(problems),
        compare,
        measure,
        k,
        access,
        minutes,
        candidates,
    )


def _map_choices(
    params: Mapping[str, object], problems: list[str]
) -> tuple[tuple[str, ...], str, float]:
    """``types`` (comma-separated), ``unit`` (mi, km) and ``r`` (the radius, above 0 and at
    most ``MAX_RADIUS``); anything unreadable falls back to the default and is reported."""
    types = SITE_TYPES
    asked = _text(params, "types", problems)
    if asked is not None:
        good, refused = url_params.choices(asked, SITE_TYPES)
        if refused:
            problems.append(
                Message.of("ignored {count} unknown site type(s) in the link", count=refused)
            )
        if good:
            types = tuple(t for t in SITE_TYPES if t in good)
    unit = url_params.choice(_text(params, "unit", problems, "mi") or "mi", RADIUS_UNITS)
    if unit is None:
        problems.append(Message.of("ignored unknown radius unit in the link (use mi or km)"))
        unit = "mi"
    radius = DEFAULT_RADIUS
    asked = _text(params, "r", problems)
    if asked is not None:
        read = url_params.decimal(asked, 0.0, MAX_RADIUS)
        if read is None:
            problems.append(
                Message.of(
                    "ignored radius in the link (must be a number above 0 and at most {most})",
                    most=f"{MAX_RADIUS:g}",
                )
            )
        else:
            radius = read
    return types, unit, radius


def _candidates_choice(params: Mapping[str, object], problems: list[str]) -> str | None:
    """``candidates``: Access gaps' "Recommend among" (one of ``CANDIDATE_CHOICE_VALUES``)."""
    candidates = _text(params, "candidates", problems)
    if candidates is not None and url_params.choice(candidates, CANDIDATE_CHOICE_VALUES) is None:
        problems.append(
            Message.of(
                "ignored unknown candidates in the link (use {choices})",
                choices=" or ".join(CANDIDATE_CHOICE_VALUES),
            )
        )
        return None
    return candidates


#: Longest travel-time threshold a link may ask for (minutes).
MAX_MINUTES = 120.0


def _travel_choices(params: Mapping[str, object], problems: list[str]) -> tuple[str, float]:
    """``measure`` (straight, walk, drive) and ``minutes`` (above 0, at most 120)."""
    access = _text(params, "measure", problems, "straight") or "straight"
    if url_params.choice(access, MEASURES) is None:
        problems.append(
            Message.of(
                "ignored unknown measure in the link (use {choices})", choices=", ".join(MEASURES)
            )
        )
        access = "straight"
    minutes = DEFAULT_MINUTES
    asked = _text(params, "minutes", problems)
    if asked is not None:
        read = url_params.decimal(asked, 0.0, MAX_MINUTES)
        if read is None:
            problems.append(
                Message.of(
                    "ignored minutes in the link (a number above 0 and at most {most})",
                    most=f"{MAX_MINUTES:g}",
                )
            )
        else:
            minutes = read
    return access, minutes


def _page_choices(
    params: Mapping[str, object], known_fips: set[str], problems: list[str]
) -> tuple[tuple[str, ...], str | None, int | None]:
    """The pages' own choices in a link: ``compare`` (FIPS, comma-separated), ``chart``
    (a measure) and ``k`` (0 to ``MAX_K``); anything unreadable is left out and reported."""
    compare: tuple[str, ...] = ()
    asked = _text(params, "compare", problems)
    if asked is not None:
        compare, refused = url_params.choices(asked, known_fips)
        if refused:
            problems.append(
                Message.of(
                    "ignored {count} unknown jurisdiction(s) to compare in the link",
                    count=refused,
                )
            )
    measure = _text(params, "chart", problems)
    if measure is not None and url_params.choice(measure, MEASURE_COLUMNS) is None:
        problems.append(Message.of("ignored unknown chart measure in the link"))
        measure = None
    if measure is not None and measure.endswith("_km"):  # the widget names distances in miles
        measure = measure.removesuffix("_km") + "_miles"
    k = None
    asked = _text(params, "k", problems)
    if asked is not None:
        k = url_params.whole_number(asked, 0, MAX_K)
        if k is None:
            problems.append(
                Message.of("ignored k in the link (a whole number from 0 to {most})", most=MAX_K)
            )
    return compare, measure, k


def view_to_query(view: View) -> dict[str, str]:
    """Query parameters for ``view`` (defaults are written too, so links are explicit)."""
    query = {
        "types": ",".join(view.types),
        "r": f"{view.radius:g}",
        "unit": view.unit,
        "focus": view.focus,
        "data": "local" if view.include_local else "public",
        "gap": view.gap,
    }
    if view.page:
        query["page"] = view.page
    if view.compare:
        query["compare"] = ",".join(view.compare)
    if view.measure:  # a distance measure named in the view's unit (km mode never says miles)
        km = view.unit == "km" and view.measure.endswith("_miles")
        query["chart"] = view.measure.removesuffix("_miles") + "_km" if km else view.measure
    if view.k is not None:
        query["k"] = str(view.k)
    if view.candidates is not None:
        query["candidates"] = view.candidates
    if view.by_time:
        query["measure"] = view.access
        query["minutes"] = f"{view.minutes:g}"
    return query
