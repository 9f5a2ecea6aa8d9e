"""The offline gazetteer, each site's nearest town and the syringe-service schedules."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from geo.config import RAW_DIR
from geo.data import build, site_corrections
from geo.data.gazetteer import load_gazetteer, normalise_name

GEOD = Geod(ellps="GRS80")


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("La Plata, MD", "la plata"),
        ("St. Michaels", "saint michaels"),
        ("  Ocean   City , Maryland ", "ocean city"),
        ("OAKLAND", "oakland"),
    ],
)
def test_names_are_compared_without_case_punctuation_or_state(text, expected):
    assert normalise_name(text) == expected


def test_a_unique_town_is_found_with_its_county(gazetteer):
    (place,) = gazetteer.lookup("Crisfield, MD")
    assert (place.name, place.county) == ("Crisfield", "Somerset County")
    assert place.lat == pytest.approx(37.98346) and place.lon == pytest.approx(-75.85382)


def test_a_shared_name_gives_every_candidate(gazetteer):
    counties = sorted(p.county for p in gazetteer.lookup("Bel Air"))
    assert counties == ["Allegany County", "Harford County"]


def test_misspelt_towns_get_suggestions(gazetteer):
    assert "Crisfield" in gazetteer.suggestions("Crisfeld")


def test_zip_centroids_come_from_the_bundled_list(gazetteer):
    point = gazetteer.zip_point("21550")
    assert point is not None and "Oakland" in point.name
    assert gazetteer.zip_point("20588") is None  # listed without coordinates
    assert gazetteer.zip_point("10001") is None  # not a Maryland ZIP


def test_every_mapped_site_has_its_nearest_town_and_only_those(sites, gazetteer):
    mapped = sites["lat"].notna()
    assert sites.loc[mapped, "place"].notna().all()
    assert sites.loc[~mapped, "place"].isna().all()
    assert (sites.loc[mapped, "place_source"] == "Place names © GeoNames, CC BY 4.0").all()
    # independent check: the geodesic nearest town for a sample of sites
    sample = sites[mapped].iloc[::25]
    towns = gazetteer.places
    for _, site in sample.iterrows():
        _, _, metres = GEOD.inv(
            np.full(len(towns), site["lon"]),
            np.full(len(towns), site["lat"]),
            towns["lon"].to_numpy(),
            towns["lat"].to_numpy(),
        )
        best = int(np.argmin(metres))
        assert site["place_distance_m"] == pytest.approx(metres[best], rel=2e-3, abs=1.0)
        assert site["place"] == towns["name"].iloc[best] or np.sort(metres)[1] - metres[best] < 5.0


def test_syringe_service_schedules_become_hours(sites):
    by_id = sites.set_index("id")
    assert by_id.loc["hr_013", "hours"] == "1st & 3rd Thu 8:30-12"
    assert by_id.loc["hr_012", "hours"] == "Mon-Wed & Fri 8:30-4:30; Thu 8:30-5:30"
    assert by_id.loc["hr_012", "city"] == "Hagerstown"
    # 7 syringe services schedules; 5 round-4 sites publish their own hours.
    assert sites.loc[sites["id"].str.startswith("hr_"), "hours"].notna().sum() == 7
    assert sites["hours"].notna().sum() == 12
    assert by_id.loc["lhd_24023", "phone"] == "(301) 334-7700"


def test_street_key_matches_one_site_across_spellings():
    assert site_corrections.street_key("925 N. Burhans Blvd.") == site_corrections.street_key(
        "925 N Burhans Blvd"
    )
    assert site_corrections.street_key("3902 Annapolis Road") == site_corrections.street_key(
        "3902 Annapolis Rd"
    )
    assert site_corrections.street_key("Main Street") == ""


def test_an_unmatched_schedule_is_added_at_its_zip_centroid_or_unmapped(tmp_path, jurisdictions):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    path = raw / site_corrections.SYRINGE_SERVICES_FILE
    extra = pd.DataFrame(
        [
            {
                "site_name": "Test van",
                "address": "1 Nowhere Rd",
                "city": "Oakland",
                "zip": "21550",
                "county_fips": "24023",
                "jurisdiction": "Garrett",
                "operator": "Test SSP",
                "schedule": "Tue 1-3",
                "source_url": "https://example.org/",
                "source_seen": "stored copy",
            },
            {
                "site_name": "Test office",
                "address": "2 Nowhere Rd",
                "city": "",
                "zip": "",
                "county_fips": "24001",
                "jurisdiction": "Allegany",
                "operator": "Test SSP",
                "schedule": "Wed 9-5",
                "source_url": "https://example.org/",
                "source_seen": "stored copy",
            },
        ]
    )
    pd.concat([pd.read_csv(path, dtype=str), extra]).to_csv(path, index=False)
    built = build.build_sites(raw, jurisdictions).set_index("id")
    van, office = built.loc["ssp_008"], built.loc["ssp_009"]
    assert van["location_precision"] == "zip_centroid" and van["hours"] == "Tue 1-3"
    assert van["type"] == "harm_reduction" and van["place"] == "Mountain Lake Park"
    assert office["location_precision"] == "none" and np.isnan(office["lat"])


POPULATION_FILE = "md_places_geonames_population.csv"


def test_towns_get_the_geonames_population_of_the_same_name_within_2_km(gazetteer):
    places = gazetteer.places
    assert len(places) == 331
    assert places["population"].notna().sum() == 323
    unmatched = sorted(places.loc[places["population"].isna(), "name"])
    # Delmar and Andrews AFB have no record of that name; the other six are farther than
    # 2 km from their namesake (GeoNames moved the point between the two copies)
    assert unmatched == [
        "Andrews AFB",
        "Chevy Chase",
        "Delmar",
        "Edgewater",
        "Joppatowne",
        "Linganore",
        "Lusby",
        "Mitchellville",
    ]
    by_name = places.drop_duplicates("name", keep=False).set_index("name")["population"]
    assert by_name["Annapolis"] == 40812 and by_name["Salisbury"] == 32899
    assert by_name["Oakland"] == 1875


def test_population_match_needs_the_same_name_and_2_km():
    from geo.data.gazetteer import matched_population
    from geo.engine.distance import lonlat_to_xy_m

    keys = pd.Series(["oakland", "saint michaels", "oakland"])
    # the third town is 0.03° of latitude (≈3.3 km) north of the record
    lon, lat = np.array([-79.4, -76.2, -79.4]), np.array([39.40, 38.78, 39.43])
    records = pd.DataFrame(
        {
            "name": ["Oakland", "St. Michaels", "Oakland Mills"],
            "lat": [39.40, 38.785, 39.40],
            "lon": [-79.4, -76.2, -79.4],
            "population": [1875, 1029, 5000],
        }
    )
    found = matched_population(keys, lonlat_to_xy_m(lon, lat), records)
    assert found.tolist()[:2] == [1875, 1029] and pd.isna(found[2])


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "4347242,Annapolis,38.97859,-76.49184,40812",
            "4347242,Annapolis,38.97859,-76.49184,4.1e4",
            "population",
            "'4.1e4' is not a whole number",
        ),
        (
            "4347242,Annapolis,38.97859,-76.49184,40812",
            "4347242,Annapolis,38.97859,-76.49184,",
            "population",
            "empty",
        ),
        (
            "4347242,Annapolis,38.97859,",
            "4347242,Annapolis,north,",
            "latitude",
            "'north' is not a number",
        ),
    ],
)
def test_a_damaged_population_file_names_file_row_and_field(tmp_path, old, new, field, message):
    from geo.data.gazetteer import read_gazetteer
    from geo.errors import DataFileError

    raw_dir = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw_dir)
    path = raw_dir / POPULATION_FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text.splitlines().index(next(k for k in text.splitlines() if k.startswith(old)))
    with pytest.raises(DataFileError) as info:
        read_gazetteer(raw_dir)
    assert (info.value.row, info.value.field) == (line + 1, field)
    assert f"{POPULATION_FILE}, row {line + 1}, field '{field}': {message}" in str(info.value)


def test_a_population_file_without_its_population_column_is_named(tmp_path):
    from geo.errors import DataFileError

    raw_dir = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw_dir)
    path = raw_dir / POPULATION_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",population\n", ",people\n", 1), encoding="utf-8")
    with pytest.raises(
        DataFileError,
        match=rf"{POPULATION_FILE}: missing column\(s\) "
        "'population'",
    ):
        build.build_layers(raw_dir)
