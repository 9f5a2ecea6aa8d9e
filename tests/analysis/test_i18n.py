"""The message catalogue (issue 27.4): every user-facing string of the finder page, the
handout and ``find`` is in it, translated, with the same placeholders."""

from __future__ import annotations

import re
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


def _raw_entries(path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each entry as written in the .po file, duplicates kept
    (Babel's reader merges a repeated msgid silently; ``msgfmt -c`` refuses it)."""
    import ast

    entries, fuzzy, field, parts = [], False, None, {"msgid": [], "msgstr": []}

    def close():
        nonlocal fuzzy
        if parts["msgid"] or parts["msgstr"]:
            entries.append(("".join(parts["msgid"]), "".join(parts["msgstr"]), fuzzy))
        parts["msgid"], parts["msgstr"], fuzzy = [], [], False

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            field = "msgid"
            parts["msgid"].append(ast.literal_eval(line[6:]))
        elif line.startswith("msgstr "):
            field = "msgstr"
            parts["msgstr"].append(ast.literal_eval(line[7:]))
        elif line.startswith('"') and field:
            parts[field].append(ast.literal_eval(line))
        elif not line.strip():
            close()
            field = None
    close()
    return [e for e in entries if e[0]]  # the header's msgid is empty


def test_the_entry_reader_sees_duplicates_and_fuzzy(tmp_path):
    po = tmp_path / "t.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: es\\n"\n\nmsgid "A "\n"b"\nmsgstr "x"\n\n'
        '#, fuzzy\nmsgid "A b"\nmsgstr ""\n',
        encoding="utf-8",
    )
    assert _raw_entries(po) == [("A b", "x", False), ("A b", "", True)]


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_the_catalogue_file_is_clean(lang):
    """Each msgid once, none fuzzy or empty, none that no code uses (issue 27.4)."""
    entries = _raw_entries(po_path(lang))
    ids = [msgid for msgid, _string, _fuzzy in entries]
    assert len(entries) > 80
    assert sorted({m for m in ids if ids.count(m) > 1}) == []
    assert [m for m, string, fuzzy in entries if fuzzy or not string.strip()] == []
    assert sorted(set(ids) - _msgids()) == [], "entries no code uses: remove them"


def test_spanish_uses_one_register_for_driving():
    """Latin American US Spanish: 'en auto' throughout, never Spain's 'coche' (or a mix
    with 'carro')."""
    strings = [string for _id, string, _fuzzy in _raw_entries(po_path("es"))]
    assert not [s for s in strings if re.search(r"\b(coches?|carros?)\b", s, re.IGNORECASE)]
    driving = [s for s in strings if re.search(r"minutos? en auto", s, re.IGNORECASE)]
    assert len(driving) >= 5


def test_evidence_months_are_in_the_language_asked():
    import datetime

    from geo.render.formatting import evidence_age

    today = datetime.date(2026, 12, 7)
    assert evidence_age("2026-02-09", today, _=translator("es")) == "de feb. 2026 (hace 10 meses)"
    assert evidence_age("2026-02-09", today) == "from Feb 2026 (10 months old)"
