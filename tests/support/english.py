"""Is any English left in a text that should be Spanish? Data values (site names, addresses,
sources and their titles, place names) stay as they are, so they are removed first; what
remains must hold no English sentence: no English msgid of the catalogue (values blanked)
and no English function word."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from geo.i18n import catalogue

#: Words that occur in English sentences and are not Spanish words.
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "is",
        "are",
        "to",
        "with",
        "not",
        "by",
        "for",
        "from",
        "your",
        "you",
        "this",
        "these",
        "that",
        "near",
        "call",
        "ahead",
        "listing",
        "site",
        "sites",
        "address",
        "phone",
        "hours",
        "source",
        "as",
        "distance",
        "distances",
        "straight",
        "line",
        "free",
        "learn",
        "use",
        "training",
        "find",
        "search",
        "how",
        "many",
        "what",
        "if",
        "someone",
        "give",
        "stay",
        "help",
        "until",
        "walking",
        "directions",
        "opens",
        "print",
        "handout",
        "download",
        "results",
        "map",
        "nearest",
        "data",
        "dictionary",
        "sheets",
        "column",
        "every",
        "meaning",
        # the map's popups and legend, the link notices, the travel notes
        "point",
        "type",
        "name",
        "town",
        "location",
        "evidence",
        "searched",
        "updated",
        "draft",
        "unknown",
        "walk",
        "drive",
        "minutes",
        "ignored",
        "link",
        "skip",
        "language",
        "available",
        "place",
        "names",
    ]
)
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")


def data_values(*frames: pd.DataFrame, extra: Iterable[str] = ()) -> list[str]:
    """The texts from data in ``frames`` (every string cell) and ``extra``, longest first."""
    values = set(extra)
    for frame in frames:
        for column in frame.columns:
            for value in frame[column].dropna():
                if isinstance(value, str) and value.strip():
                    values.add(value.strip())
    return sorted(values, key=len, reverse=True)


def english_left(text: str, values: Iterable[str]) -> list[str]:
    """English words of ``text`` once ``values`` (data) are removed; [] when none."""
    text = re.sub(r"\\(.)", r"\1", text)  # Markdown escapes: \, -> ,
    for value in values:
        text = text.replace(value, " ")
    text = re.sub(r"https?://\S+|\S+@\S+|\(tel:[^)]*\)|\(https?:[^)]*\)", " ", text)
    text = re.sub(r"[*_#`]", "", text)  # Markdown emphasis and headings
    words = [w.lower() for w in _WORD.findall(text)]
    return [w for w in words if w in ENGLISH_WORDS]


def english_msgids_left(text: str, values: Iterable[str] = ()) -> list[str]:
    """The catalogue's English sentences (text between placeholders, 12+ characters) that
    appear in ``text`` (Markdown escapes removed, ``values`` from data blanked) while their
    Spanish differs."""
    text = re.sub(r"\\(.)", r"\1", text)
    for value in values:
        text = text.replace(value, " ")
    found = []
    for msgid, msgstr in catalogue("es").items():
        if msgid == msgstr:
            continue
        for piece in re.split(r"\{[^}]*\}", msgid):
            piece = piece.strip(" .:;,()")
            if len(piece) >= 12 and piece in text and piece not in msgstr:
                found.append(piece)
    return found


def page_text(app) -> str:
    """Everything the finder page itself writes in a Streamlit ``AppTest`` (the main area:
    not the dashboard's sidebar, whose view controls are shared by every page)."""
    main = app.main
    kinds = ("title", "subheader", "markdown", "caption", "warning", "info", "error")
    parts = [e.value for kind in kinds for e in main.get(kind)]
    parts += [str(e.label) for e in (*main.text_input, *main.selectbox, *main.button)]
    buttons = main.get("download_button")
    parts += [str(e.proto.label) for e in buttons] + [str(e.proto.help) for e in buttons]
    return "\n".join(parts)
