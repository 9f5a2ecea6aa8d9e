"""The finder's map in Spanish (issue 27.4): every word a person reads on it — popup
headers and values, the popup's call-ahead line, tooltips, legend, the map's name for
screen readers and the source credits — comes from the catalogue; data stays as it is."""

from __future__ import annotations

import html

import pytest

from geo.analysis.finder import Finder
from geo.i18n import translator
from geo.render import maps
from geo.render.finder_output import place_label
from geo.render.map_controls import Attribution, KeyboardAndTitle, Legend
from geo.render.map_layers import PointLayer
from tests.support.english import data_values, english_left, english_msgids_left


@pytest.fixture(scope="module")
def answer(data):
    return Finder.from_data(data).find("21201", 5)  # Baltimore City: ZIP-centre sites too


def _map(data, answer, lang: str, unit: str = "mi"):
    _ = translator(lang)
    return maps.finder_map(
        data.jurisdictions,
        answer.results,
        answer.query.lat,
        answer.query.lon,
        place_label(answer.query, _),
        focus_fips=answer.query.fips,
        unit=unit,
        _=_,
    )


def _js_text(literal: str) -> str:
    """The text of a JavaScript string literal made by ``map_layers.js_string``."""
    return literal[1:-1].replace("\\'", "'").replace("\\\\", "\\")


def shown_words(fmap) -> list[str]:
    """What a person reads on the map besides the town and jurisdiction names drawn on it:
    each popup's rows (header and value) and closing line, tooltips, the legend, the map's
    accessible name and the credits."""
    words = []
    for child in fmap._children.values():
        if isinstance(child, PointLayer):
            words += [label for _key, label in child.fields] + [child.footer]
            shown = [key for key, _label in child.fields] + [child.tooltip_key]
            for feature in child.data["features"]:
                words += [str(feature["properties"].get(key) or "") for key in shown]
        elif isinstance(child, Legend):
            words += [child.title, child.note, *(label for _c, label, _s in child.items)]
        elif isinstance(child, KeyboardAndTitle):
            words.append(child.title)  # plain text, written into the script as JSON
        elif isinstance(child, Attribution):
            words.append(_js_text(child.text))
        for grandchild in getattr(child, "_children", {}).values():
            aliases = getattr(grandchild, "aliases", None)
            if aliases:
                words += list(aliases)
    return [html.unescape(w) for w in words if w]


def _values(data, answer) -> list[str]:
    numbered = [f"{i}. {n}" for i, n in enumerate(answer.results["name"], 1)]
    return data_values(
        answer.results,
        data.sites[["name", "source", "address", "place"]],
        extra=[*numbered, "OpenStreetMap", "GeoNames", "CC BY", "ODbL", "Leaflet", "BSD"],
    )


def test_the_spanish_map_has_no_english_word(data, answer):
    words = shown_words(_map(data, answer, "es"))
    text = "\n".join(words)
    for spanish in (
        "Nombre",
        "Tipo",
        "Dirección",
        "Localidad más cercana",
        "Ubicación",
        "Fuente",
        "A fecha de",
        "Datos",
        "Farmacia",
        "Punto buscado",
        "Lugares con naloxona más cercanos",
        "Llame antes de ir: que un lugar aparezca en la lista no garantiza que tenga naloxona.",
        "Búsqueda: centro del código postal 21201 (Baltimore)",
        "Mapa de los lugares con naloxona más cercanos a centro del código postal 21201",
        "ubicación aproximada: centro del código postal",
        "Jurisdicción",
        "(farmacias, ODbL)",
    ):
        assert spanish in text, spanish
    values = _values(data, answer)
    assert english_left(text, values) == []
    assert english_msgids_left(text, values) == []


def test_the_check_sees_the_english_map(data, answer):
    text = "\n".join(shown_words(_map(data, answer, "en")))
    values = _values(data, answer)
    assert "Nearest town" in text and "Call ahead: a listing is not confirmed stock." in text
    assert len(english_left(text, values)) > 10 and english_msgids_left(text, values)


def test_popup_distances_follow_the_unit(data, answer):
    words = shown_words(_map(data, answer, "es", unit="km"))
    towns = [w for w in words if w.endswith(" km)")]
    assert towns and not [w for w in words if w.endswith(" mi)")]
