"""Issue 24 item 5 and issue 28 item 6: how old a listing's evidence is, in words; an
approximate site's distance says "about" and never 0.0; approximate sites are drawn
hollow and flagged tracts outlined, on the interactive and the printed maps."""

from __future__ import annotations

import datetime

import pandas as pd

from geo.i18n import translator
from geo.render import maps, static_layers, static_maps
from geo.render.finder_output import distance_phrase, distance_text, evidence_line
from geo.render.formatting import evidence_age

TODAY = datetime.date(2026, 12, 7)


def test_evidence_age_in_words():
    assert (
        evidence_age("2023-01-01", TODAY) == "listed in 2023, not re-confirmed (about 3 years old)"
    )
    assert evidence_age("2025-10", TODAY) == "listed in 2025, not re-confirmed (about 1 year old)"
    assert evidence_age("2026-02-09", TODAY) == "from Feb 2026 (10 months old)"
    assert evidence_age("2026-11-30", TODAY) == "from Nov 2026 (1 month old)"
    assert evidence_age("2026-12", TODAY) == "from Dec 2026 (this month)"
    assert evidence_age("2024", TODAY) == "listed in 2024, not re-confirmed (about 2 years old)"
    assert evidence_age(None, TODAY) == evidence_age(pd.NA, TODAY) == "undated"
    assert evidence_age("undated page", TODAY) == "undated"


def test_evidence_line_reads_as_a_sentence():
    assert evidence_line(pd.Series({"evidence_date": "2023-01-01"})).startswith(
        "Evidence: listed in 2023, not re-confirmed"
    )
    assert evidence_line(pd.Series({"evidence_date": None})) == "Evidence: undated"
    spanish = evidence_line(pd.Series({"evidence_date": "2023-01-01"}), translator("es"))
    assert spanish.startswith("Datos: incluido en la lista en 2023, sin confirmar")


def test_approximate_distance_says_about_and_never_zero():
    assert distance_text(0.0, "miles", approximate=True) == "about 1 mi or less"
    assert distance_text(0.0, "miles") == "0.0 mi"
    assert distance_text(1609.344 * 4.4, "miles", approximate=True) == "about 4 mi"
    assert distance_text(12_600.0, "km", approximate=True) == "about 13 km"
    assert distance_text(0.0, "km", approximate=True, _=translator("es")) == (
        "1 km o menos, aproximadamente"
    )
    row = pd.Series({"distance_m": 0.0, "location_precision": "zip_centroid"})
    assert distance_phrase(row) == "about 1 mi or less straight-line to its ZIP centre"
    exact = pd.Series({"distance_m": 3218.688, "location_precision": "exact"})
    assert distance_phrase(exact) == "2.0 mi straight-line"


def _sites() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["a", "b"],
            "name": ["Exact Rx", "ZIP Rx"],
            "type": ["pharmacy", "pharmacy"],
            "lat": [39.3, 39.4],
            "lon": [-76.6, -76.7],
            "location_precision": ["exact", "zip_centroid"],
            "address": [None, None],
            "source": ["s", "s"],
            "source_date": ["2023-01-01", "2026-02-09"],
            "evidence_date": ["2023-01-01", "2026-02-09"],
        }
    )


def test_interactive_map_draws_approximate_sites_hollow_with_a_legend(jurisdictions):
    html = maps.sites_map(jurisdictions, _sites()).get_root().render()
    assert "Hollow ring: location approximate: ZIP centre" in html
    assert '"ring_key"' not in html  # the key is in the script, not leaked as text
    assert "fillOpacity: 0.0" in html and '"approximate"' in html
    assert "location approximate: ZIP centre" in html


def test_interactive_legend_leaves_out_the_ring_row_without_approximate_sites(jurisdictions):
    html = maps.sites_map(jurisdictions, _sites().iloc[:1]).get_root().render()
    assert "Hollow ring" not in html


def test_printed_map_has_the_hollow_ring_and_list_gap_legend_rows(jurisdictions):
    from matplotlib.figure import Figure

    figure = Figure()
    ax = figure.add_subplot()
    handles = static_maps.draw_sites(ax, _sites())
    labels = [h.get_label() for h in handles]
    assert "Hollow ring: location approximate: ZIP centre" in labels
    nearest = pd.DataFrame(
        {
            "lat": [39.3, 39.4],
            "lon": [-76.6, -76.7],
            "distance_m": [100.0, 20_000.0],
            "list_gap": [False, True],
        }
    )
    handles = static_layers._draw_residents(ax, nearest, 8046.72, "mi")
    assert "Black ring: our list likely misses a pharmacy here" in [h.get_label() for h in handles]


def test_minutes_to_a_zip_centre_say_so():
    """A site placed at its ZIP centre: network minutes end at that centre, not at the
    site, so they read "about … to its ZIP centre" (a search from the same ZIP code gave
    "1 min walk" to five pharmacies whose addresses are unknown within it)."""
    from geo.i18n import translator
    from geo.render.finder_output import trip_phrase

    exact = pd.Series({"travel_minutes": 6.6, "travel_mode": "walk", "location_precision": "exact"})
    centre = exact.copy()
    centre["location_precision"] = "zip_centroid"
    centre["travel_minutes"] = 0.35
    assert trip_phrase(exact) == "7 min walk"
    assert trip_phrase(centre) == "about 1 min walk to its ZIP centre"
    spanish = trip_phrase(centre.replace("walk", "drive"), translator("es"))
    assert spanish == "aprox. 1 min en auto hasta el centro de su código postal"
