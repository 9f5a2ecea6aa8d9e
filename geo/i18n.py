"""Languages of the finder, its handout and ``find``: one gettext catalogue per language.

Every user-facing string of those three is an English msgid wrapped in ``_()`` (or ``N_()``
where it is defined before the language is known); the Spanish text is
``geo/locale/es/LC_MESSAGES/messages.po``, read with Babel when first needed. Adding a
language is a new ``.po`` file and an entry in :data:`LANGUAGES`, not code. Values from
data (site names, addresses, source titles) are never translated.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"
#: Language code -> its own name (what the language switch shows).
LANGUAGES = {"en": "English", "es": "Español"}

Translator = Callable[[str], str]

#: The files whose ``_()``, ``N_()`` and ``FinderError.of()`` strings form the catalogue
#: (``pybabel extract -k _ -k N_ -k of``; docs/finder-and-handout.md).
SOURCES = (
    "dashboard.py",
    "pages/screens/find.py",
    "pages/screens/find_sites.py",
    "shell/cited.py",
    "shell/common.py",
    "shell/downloads.py",
    "shell/links.py",
    "geo/render/handout.py",
    "geo/render/finder_output.py",
    "geo/analysis/learn.py",
    "geo/analysis/finder_query.py",
    "geo/analysis/finder.py",
    "geo/cli/find.py",
    "geo/analysis/view.py",
    "geo/analysis/travel.py",
    "geo/render/base_map.py",
    "geo/render/maps.py",
)


def constant_messages() -> tuple[str, ...]:
    """Messages defined as plain constants elsewhere and translated where shown: the site
    type labels, the place-name and ZIP-centre credits, the finder's notes, the map's
    approximate-location legend, and the sidebar's measure labels, stock caveat and "data
    as of" list (on the finder), and the headers, meanings, units and sources of the
    finder's table download and its data dictionary."""
    from geo.analysis.finder import CALL_AHEAD, STRAIGHT_LINE_NOTE
    from geo.data.catalog import (
        CITATIONS,
        GEONAMES_ATTRIBUTION,
        MONTH_ABBREVIATIONS,
        PLACE_NAMES_ATTRIBUTION,
        STOCK_CAVEAT,
    )
    from geo.network.installed import MEASURE_LABELS
    from geo.render import columns
    from geo.render.finder_output import RECORD_KEYS, TRAVEL_KEYS
    from geo.render.palette import APPROXIMATE_LEGEND, APPROXIMATE_LOCATION
    from geo.schema import SITE_TYPE_LABELS

    return (
        *SITE_TYPE_LABELS.values(),
        PLACE_NAMES_ATTRIBUTION,
        GEONAMES_ATTRIBUTION,
        APPROXIMATE_LEGEND,
        APPROXIMATE_LOCATION,
        STRAIGHT_LINE_NOTE,
        CALL_AHEAD,
        *MEASURE_LABELS.values(),
        STOCK_CAVEAT,
        *(c.label for c in CITATIONS),
        *(c.as_of for c in CITATIONS),
        *MONTH_ABBREVIATIONS,
        *columns.messages(("listed_as", *RECORD_KEYS, *TRAVEL_KEYS), "sites"),
    )


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet."""
    return message


def _code(value: object) -> str:
    return str(value or "").strip().lower().replace("_", "-").split("-")[0]


def language(value: object) -> str:
    """The language code asked for (``es``, ``ES``, ``es-MX``), else the default."""
    code = _code(value)
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def is_known_language(value: object) -> bool:
    """Whether ``value`` names a language of :data:`LANGUAGES` (``es``, ``es-MX``)."""
    return _code(value) in LANGUAGES


def language_list() -> str:
    """The languages offered, for a message: ``en (English), es (Español)``."""
    return ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())


class Message(str):
    """An English sentence that keeps its msgid and values, so a page can show it in
    another language later: ``str(m)`` is the English; ``m.translated(_)`` is the sentence
    in the language of ``_``. Made with ``Message.of(msgid, **values)`` (a keyword the
    catalogue extraction knows, like ``FinderError.of``)."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, **values: object) -> Message:
        text = super().__new__(cls, template.format(**values))
        text.template, text.values = template, values
        return text

    @classmethod
    def of(cls, template: str, **values: object) -> Message:
        return cls(template, **values)

    def translated(self, _: Translator) -> str:
        """The sentence in the language of ``_`` (values that are Messages too)."""
        values = {
            key: value.translated(_) if isinstance(value, Message) else value
            for key, value in self.values.items()
        }
        return _(self.template).format(**values)


def translated(text: str, _: Translator) -> str:
    """``text`` in the language of ``_`` when it is a :class:`Message`, else as it is."""
    return text.translated(_) if isinstance(text, Message) else text


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> translation of ``lang`` (empty for the default language); fuzzy and
    untranslated entries are left out, so they fall back to English."""
    if lang == DEFAULT_LANGUAGE:
        return {}
    with po_path(lang).open("rb") as handle:
        messages = read_po(handle, locale=lang, domain=DOMAIN)
    return {
        str(m.id): str(m.string)
        for m in messages
        if m.id and m.string and not m.fuzzy and isinstance(m.id, str)
    }


def translator(lang: object) -> Translator:
    """``_`` for ``lang``: the translation of a msgid, or the msgid itself."""
    table = catalogue(language(lang))
    return lambda message: table.get(message, message)
