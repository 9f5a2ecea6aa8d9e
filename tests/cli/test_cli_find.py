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
