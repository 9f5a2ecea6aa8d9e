"""The message catalogue (issue 27.4): every user-facing string of the finder page, the
handout and ``find`` is in it, translated, with the same placeholders."""

from __future__ import annotations

import string

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from geo.config import REPO_ROOT
from geo.i18n import LANGUAGES, SOURCES, constant_messages, language, po_path, translator

KEYWORDS = {"_": None, "N_": None, "of": None}


def _msgids() -> set[str]:
    found = set(constant_messages())
    for source in SOURCES:
        for _line, message, _comments, _context in extract_from_file(
            "python", str(REPO_ROOT / source), keywords=KEYWORDS
        ):
            found.add(message)
    return found


def _fields(text: str) -> set[tuple[str, str | None]]:
    return {(f, c) for _lit, f, _spec, c in string.Formatter().parse(text) if f is not None}


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_every_message_is_translated_with_the_same_placeholders(lang):
    with po_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    translated = {m.id: m.string for m in catalog if m.id and not m.fuzzy}
    wanted = _msgids()
    assert len(wanted) > 80
    missing = sorted(m for m in wanted if not translated.get(m))
    assert not missing, f"untranslated in {lang}: {missing}"
    for msgid in wanted:
        assert _fields(translated[msgid]) == _fields(msgid), msgid
        assert translated[msgid] != msgid or msgid in {"A4"}, msgid


def test_language_codes_and_the_english_fallback():
    assert language("es") == language("ES") == language("es-MX") == language(" es_US ") == "es"
    assert language("fr") == language(None) == language("") == "en"
    spanish = translator("es")
    assert spanish("Find naloxone") == "Encuentre naloxona"
    assert spanish("not a message") == "not a message"
    assert translator("en")("Find naloxone") == "Find naloxone"
