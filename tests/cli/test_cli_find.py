"""``python -m geo find``: the nearest sites as text, JSON and CSV; bad searches are one
line on stderr with exit code 2."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from geo import cli
from geo.analysis.finder import Finder
from geo.render.finder_output import RECORD_KEYS


def test_json_has_the_documented_shape_and_the_library_answer(data, capsysbinary):
    assert cli.main(["find", "21550", "--n", "3", "--format", "json"]) == 0
    printed = json.loads(capsysbinary.readouterr().out)
    assert set(printed["query"]) == {"text", "lat", "lon", "matched"}
    assert printed["query"]["text"] == "21550"
    assert len(printed["results"]) == 3
    for row in printed["results"]:
        assert tuple(row) == RECORD_KEYS  # the documented keys, in order
    expected = Finder.from_data(data).find("21550", 3).results
    assert [r["id"] for r in printed["results"]] == expected["id"].tolist()
    miles = [r["distance_miles"] for r in printed["results"]]
    assert miles == sorted(miles)
    assert miles == pytest.approx(expected["distance_miles"].tolist(), abs=1e-6)
    assert printed["results"][0]["phone"] == expected["phone"].iloc[0]
    # the health department (at its building since issue 24) keeps its published phone
    lhd = [r for r in printed["results"] if r["id"] == "lhd_24023"]
    assert lhd and lhd[0]["phone"] == "(301) 334-7700"
    osm = [r for r in printed["results"] if r["id"].startswith("osm_rx_")]
    assert osm and all(r["address"] is None for r in osm)  # unknown stays null
    assert any("GeoNames" in note for note in printed["notes"])


def test_text_lists_sites_notes_and_attribution(capsys):
    assert cli.main(["find", "Glen Burnie", "--types", "vending_machine,pharmacy"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Nearest naloxone sites to Glen Burnie, Anne Arundel County")
    assert "straight-line" in out and "Call ahead: a listing is not confirmed stock." in out
    assert "Also in Anne Arundel, location not mapped:" in out
    assert out.rstrip().endswith("Place names © GeoNames, CC BY 4.0")


def test_csv_has_results_then_unmapped_sites_then_notes(capsysbinary):
    assert cli.main(["find", "Annapolis", "--format", "csv", "--n", "2"]) == 0
    frame = pd.read_csv(io.BytesIO(capsysbinary.readouterr().out), encoding="utf-8-sig", dtype=str)
    kinds = frame["listed_as"].tolist()
    assert kinds[:2] == ["nearest", "nearest"]
    assert kinds.count("also in this jurisdiction, location not mapped") == 8
    assert any(k.startswith("note: Place names © GeoNames") for k in kinds)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Springfield"], "No Maryland town"),
        (["40.7,-74.0"], "outside Maryland"),
        (["39.2,-76.6,1"], "neither a 5-digit ZIP code nor coordinates"),
        (["Bel Air"], "Try: Bel Air, Harford County; Bel Air, Allegany County."),
        (["21550", "--types", "hospital"], "Unknown site type 'hospital'"),
        (["21550", "--n", "0"], "between 1 and 50"),
        (["1 Main St, Oakland, MD 21550"], "Street addresses need the address geocoder"),
    ],
)
def test_bad_searches_are_one_line_on_stderr_with_exit_2(args, message, capsys):
    assert cli.main(["find", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("error: ")
    assert message in captured.err


def test_an_address_with_the_geocoder_on(monkeypatch, capsysbinary):
    from geo.data import geocoder
    from tests.data.test_geocoder import Replay, recorded

    monkeypatch.setenv("NALOXONE_GEOCODER", "census")
    monkeypatch.setitem(
        geocoder._SHARED, "census", geocoder.CensusGeocoder(Replay(recorded("match")), 1.0)
    )
    assert cli.main(["find", "1025 Memorial Dr, Oakland, MD 21550", "--format", "json"]) == 0
    query = json.loads(capsysbinary.readouterr().out)["query"]
    assert query["matched"] == "1025 MEMORIAL DR, OAKLAND, MD, 21550"
    assert (query["lat"], query["lon"]) == (39.41742, -79.39671)


def _run(capsysbinary, *args: str) -> bytes:
    assert cli.main(["find", *args]) == 0
    return capsysbinary.readouterr().out


def test_json_in_spanish_keeps_its_keys_and_translates_the_notes(capsysbinary, data):
    """Issue 27.3: keys and coded values are machine-readable, the same in every language;
    the notes (what the distances are, the call-ahead caveat, credits) are translated."""
    from tests.support.english import english_left, english_msgids_left

    args = ("21201", "--n", "3", "--measure", "walk", "--format", "json")
    english = json.loads(_run(capsysbinary, *args))
    spanish = json.loads(_run(capsysbinary, *args, "--lang", "es"))
    assert (english["lang"], spanish["lang"]) == ("en", "es")
    assert set(spanish) == set(english) and spanish["query"] == english["query"]
    assert spanish["results"] == english["results"]  # keys, codes and values alike
    assert spanish["also_in_jurisdiction"] == english["also_in_jurisdiction"]
    assert spanish["results"][0]["travel_mode"] == "walk"
    notes = "\n".join(spanish["notes"])
    assert notes.startswith("Ordenados por minutos a pie por las calles de Baltimore City")
    assert "Llame antes de ir" in notes and "Nombres de lugares © GeoNames" in notes
    values = ["Baltimore City", "GeoNames", "CC BY"]
    assert english_left(notes, values) == [] and english_msgids_left(notes, values) == []
    assert english_msgids_left("\n".join(english["notes"]), values)  # the check sees English


def test_csv_in_spanish_keeps_its_header_row_and_translates_the_notes(capsysbinary):
    from tests.support.english import english_left

    english = pd.read_csv(io.BytesIO(_run(capsysbinary, "21550", "--format", "csv")))
    args = ("21550", "--format", "csv", "--lang", "es")
    spanish = pd.read_csv(io.BytesIO(_run(capsysbinary, *args)))
    assert list(spanish.columns) == list(english.columns)  # scripts keep reading it
    kinds = spanish["listed_as"].tolist()
    assert kinds[:5] == ["nearest"] * 5  # a coded value, not translated
    notes = [k.removeprefix("note: ") for k in kinds if k.startswith("note: ")]
    assert notes == [
        "Las distancias son en línea recta, no por carretera.",
        "Llame antes de ir: que un lugar aparezca en la lista no garantiza que tenga naloxona.",
        "Nombres de lugares © GeoNames, CC BY 4.0",
    ]
    assert english_left(" ".join(notes), ["GeoNames", "CC BY"]) == []


def test_an_unknown_language_is_one_line_and_exit_2(capsys):
    assert cli.main(["find", "21550", "--lang", "xx"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "error: unknown language 'xx' for --lang; available: en (English), es (Español)"
    ]
    assert cli.main(["find", "21550", "--n", "1", "--lang", "ES"]) == 0  # a code's case
    assert "Llame antes de ir" in capsys.readouterr().out
