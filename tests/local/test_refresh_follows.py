"""Issue 24 item 5: after a refresh is published, everything that reads the site list
moves. A recorded refresh (an Overpass JSON answer in its documented format, holding
synthetic test-only pharmacies) adds a pharmacy at the population centre of five tracts
flagged by ``list_gap``; once the editor publishes it, those flags clear, and the
statewide figures (list_gap_tracts/population, residents within a mile) move by what
the five tracts account for; before publishing, visitors see nothing change."""

from __future__ import annotations

import json
import subprocess

import pytest

from geo.analysis import metrics
from geo.analysis.scenario import Scenario
from geo.cli import main
from geo.render import briefing, briefing_statewide
from geo.render import briefing_prose as words
from geo.schema import SITE_TYPES

FLAGGED = 5


@pytest.fixture
def store_location(tmp_path, monkeypatch):
    location = str(tmp_path / "store.sqlite")
    monkeypatch.setenv("NALOXONE_STORE", location)
    return location


def _statewide(capsys) -> dict:
    assert main(["metrics", "--radius-miles", "1", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)[-1]


def _briefing_maryland_row(data: metrics.AccessData) -> tuple[str, ...]:
    """The Maryland row of a briefing's statewide table (1-mile radius)."""
    scenario = Scenario.from_data(data, types=SITE_TYPES, radius_m=1609.344)
    return briefing_statewide.statewide_rows(briefing.briefing_figures(scenario, "24", k=1))[1][-1]


def _recorded_refresh(tracts, path) -> None:
    """An Overpass answer with one (synthetic) pharmacy 20 m north of each tract's
    population centre, plus the real 2015 Baltimore pharmacies."""
    elements = [
        {
            "type": "node",
            "id": 910000000 + i,
            "lat": round(float(row.lat) + 20 / 111_000, 7),
            "lon": round(float(row.lon), 7),
            "tags": {"amenity": "pharmacy", "name": f"Test pharmacy {row.geoid} (synthetic)"},
        }
        for i, row in enumerate(tracts.itertuples())
    ]
    answer = {
        "version": 0.6,
        "osm3s": {"timestamp_osm_base": "2026-12-01T00:00:00Z"},
        "elements": elements,
    }
    path.write_text(json.dumps(answer))


def test_a_published_refresh_clears_the_list_gap_flags_it_fills(store_location, tmp_path, capsys):
    before = metrics.load_access_data(include_local=True, store_location=store_location)
    gaps = before.list_gaps
    assert gaps is not None and int(gaps["list_gap"].sum()) > FLAGGED
    population = before.population.reset_index(drop=True)
    flagged = (
        gaps.assign(lat=population["lat"], lon=population["lon"])
        .loc[gaps["list_gap"]]
        .nlargest(FLAGGED, "population")
    )
    statewide_before = _statewide(capsys)
    answer = tmp_path / "overpass.json"
    _recorded_refresh(flagged, answer)

    assert main(["sites", "refresh", "--source", "osm", "--from-file", str(answer)]) == 0
    capsys.readouterr()
    # a draft: visitors' figures have not moved
    assert _statewide(capsys) == statewide_before

    assert main(["sites", "publish", "--all"]) == 0
    capsys.readouterr()
    after = metrics.load_access_data(include_local=True, store_location=store_location)
    still = after.list_gaps.set_index("geoid")["list_gap"]
    assert not still[flagged["geoid"]].any()  # the five flags clear
    # no other tract gains a flag: a pharmacy added only brings pharmacies nearer
    was = gaps.set_index("geoid")["list_gap"]
    assert not (still & ~was).any()

    statewide_after = _statewide(capsys)
    cleared = int((was & ~still).sum())
    assert cleared >= FLAGGED
    assert statewide_after["list_gap_tracts"] == statewide_before["list_gap_tracts"] - cleared
    assert statewide_after["list_gap_population"] == (
        statewide_before["list_gap_population"]
        - int(gaps.set_index("geoid").loc[was & ~still, "population"].sum())
    )
    assert statewide_after["sites"] == statewide_before["sites"] + FLAGGED
    # the residents of each tract that was beyond a mile are now within a mile (the
    # population point is the tract's centre of population, 20 m from the new pharmacy)
    beyond_mile = flagged.loc[flagged["nearest_pharmacy_distance_m"] > 1609.344, "population"].sum()
    assert beyond_mile > 0
    gained = statewide_after["pop_within_radius"] - statewide_before["pop_within_radius"]
    assert gained >= int(beyond_mile)
    assert statewide_after["mean_distance_miles"] < statewide_before["mean_distance_miles"]
    # the briefing's statewide row moves with them: sites, share within a mile, residents
    # beyond it (columns 2, 4 and 5 of the row)
    brief_before, brief_after = _briefing_maryland_row(before), _briefing_maryland_row(after)
    assert brief_after[2] == f"{statewide_after['sites']:,}" != brief_before[2]
    assert brief_after[5] == f"{int(statewide_after['uncovered_population']):,}"
    assert brief_after[5] != brief_before[5]
    # and the briefing cites the refresh's source and licence
    cited = (
        "OpenStreetMap via the Overpass API, as of 2026-12-01: 5 sites added or moved by a "
        "reviewed refresh. Licence: ODbL 1.0 (© OpenStreetMap contributors)."
    )
    assert words.refresh_citations(before.sites) == []
    assert words.refresh_citations(after.sites) == [cited]
    pdf = briefing.briefing_pdf(after, "24", radius_miles=1, k=1, generated="2026-12-07")
    pdf_path = tmp_path / "briefing.pdf"
    pdf_path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "5 sites added or moved by a reviewed refresh" in " ".join(text.split())
