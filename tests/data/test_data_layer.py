"""Invariants of the real bundled data (issue 2)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.config import DATA_DIR, PROCESSED_DIR, RAW_DIR
from geo.data import layers
from geo.data.build import build_layers
from geo.data.catalog import LAYERS, RAW_SOURCES
from geo.data.manifest import count_rows, sha256_of
from geo.errors import DataFileError
from geo.schema import LEAVE_BEHIND_STATUSES, SITE_TYPES

MD_FIPS = {
    "24001",
    "24003",
    "24005",
    "24009",
    "24011",
    "24013",
    "24015",
    "24017",
    "24019",
    "24021",
    "24023",
    "24025",
    "24027",
    "24029",
    "24031",
    "24033",
    "24035",
    "24037",
    "24039",
    "24041",
    "24043",
    "24045",
    "24047",
    "24510",
}


def test_jurisdictions_are_the_24_with_2020_population(jurisdictions):
    assert set(jurisdictions["fips"]) == MD_FIPS
    assert jurisdictions.crs.to_epsg() == 4326
    assert jurisdictions.geometry.is_valid.all()
    assert jurisdictions["pop_2020"].sum() == 6_177_224
    city = jurisdictions.set_index("fips").loc["24510"]
    assert city["name"] == "Baltimore City"
    assert jurisdictions.set_index("fips").loc["24005", "name"] == "Baltimore County"
    for year in range(2018, 2024):
        assert (jurisdictions[f"pop_est_{year}"] > 0).all()


def test_population_points(population, jurisdictions):
    assert len(population) == 1475
    assert population["population"].sum() == 6_177_224
    assert population.crs.to_epsg() == 4326
    assert set(population["fips"]) == MD_FIPS
    per_county = population.groupby("fips")["population"].sum()
    expected = jurisdictions.set_index("fips")["pop_2020"]
    assert per_county.sort_index().equals(expected.sort_index())


def test_sites_table(sites, jurisdictions):
    assert len(sites) >= 500
    assert sites["id"].is_unique
    assert set(sites["type"]) <= set(SITE_TYPES)
    assert set(sites["type"]) == set(SITE_TYPES)
    assert sites.crs.to_epsg() == 4326
    for column in ("source", "source_date", "licence", "name"):
        assert sites[column].notna().all(), column
    osm = sites["id"].str.startswith("osm_rx_")
    assert sites.loc[osm, "licence"].str.contains("ODbL").all()
    nppes = sites["id"].str.startswith("nppes_")
    assert sites.loc[nppes, "licence"].str.contains("CMS").all()
    assert set(sites.loc[sites["type"] == "pharmacy"].index) == set(sites.index[osm | nppes])
    unmapped = sites["location_precision"] == "none"
    assert unmapped.any(), "sites without coordinates stay in the table"
    assert sites.loc[unmapped, ["lat", "lon"]].isna().all().all()
    assert sites.geometry[unmapped].isna().all()


def test_every_mapped_site_is_in_maryland_and_its_jurisdiction(sites, jurisdictions):
    mapped = sites[sites["location_precision"] != "none"]
    joined = gpd.sjoin(mapped, jurisdictions[["fips", "geometry"]], how="left", predicate="within")
    assert joined["fips"].notna().all(), "a mapped site lies outside Maryland"
    assert (joined["fips"] == joined["jurisdiction_fips"]).all()


def test_zip_centroid_outside_stated_jurisdiction_is_unmapped_not_moved(sites):
    drumcastle = sites.set_index("id").loc["hr_014"]
    assert drumcastle["location_precision"] == "none"
    assert "not mapped" in drumcastle["notes"]
    assert drumcastle["jurisdiction_fips"] == "24005"


def test_leave_behind(leave_behind):
    assert set(leave_behind["fips"]) == MD_FIPS
    assert set(leave_behind["status"]) <= set(LEAVE_BEHIND_STATUSES)
    by_fips = leave_behind.set_index("fips")
    assert by_fips.loc["24027", "status"] == "documented"
    assert by_fips.loc["24027", "earliest_date"] == "2018-06"
    assert by_fips.loc["24021", "status"] == "announced"
    assert by_fips.loc["24031", "date_note"] == "expansion"
    assert by_fips.loc["24001", "status"] == "no public evidence found"
    # Round-2 update: Baltimore City's fire department leave-behind (WJZ, 2018-09-03).
    assert by_fips.loc["24510", "status"] == "documented"
    assert by_fips.loc["24510", "earliest_date"] == "2018-09"
    assert leave_behind["status"].value_counts().to_dict() == {
        "no public evidence found": 18,
        "documented": 5,
        "announced": 1,
    }


def test_county_context_layer_keeps_published_values():
    context = layers.load_context().set_index("fips")
    assert set(context.index) == MD_FIPS
    raw = pd.read_csv(RAW_DIR / "md_county_context_oeps.csv", dtype={"county_fips": str})
    raw = raw.set_index("county_fips")
    assert context.loc["24001", "svi_overall"] == raw.loc["24001", "svi2022_overall_rank"]
    assert context.loc["24510", "opioid_rx_per_100"] == 67.1
    assert (
        context.loc["24029", "od_mortality_oeps2020"]
        == raw.loc["24029", "overdose_mortality_rate_per_100k_oeps2020"]
    )
    svi = context.filter(like="svi_")
    assert ((svi >= 0) & (svi <= 1) | svi.isna()).all().all()


def test_leave_behind_statewide_totals_are_cited():
    totals = layers.leave_behind_totals().set_index("fact")
    assert totals.loc["ems_leave_behind_jurisdictions_2018_2021", "value"] == "13"
    assert totals.loc["ems_leave_behind_doses_2018_2021", "value"] == "7844"
    assert totals.loc["ems_leave_behind_people_2018_2021", "value"] == "2899"
    assert totals["source_url"].str.startswith("https://health.maryland.gov").all()


def test_burden_keeps_suppressed_counts_missing(burden):
    assert len(burden) == 48
    assert set(burden["year"]) == {2022, 2023}
    by_key = burden.set_index(["fips", "year"])
    kent = by_key.loc[("24029", 2022)]
    assert pd.isna(kent["deaths"]) and kent["suppressed"]
    assert pd.isna(by_key.loc[("24023", 2022), "deaths"])
    assert by_key.loc[("24023", 2023), "deaths"] == 13
    assert by_key.loc[("24510", 2023), "deaths"] == 868
    assert burden["suppressed"].sum() == 3
    assert not (burden["deaths"] == 0).any()


def test_manifest_matches_files():
    manifest = layers.load_manifest()
    entries = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {f"raw/{p.name}" for p in RAW_DIR.iterdir() if p.name != "PROVENANCE.md"}
    on_disk |= {f"processed/{p.name}" for p in PROCESSED_DIR.iterdir()}
    assert set(entries) == on_disk
    for path, entry in entries.items():
        full = DATA_DIR / path
        assert entry["sha256"] == sha256_of(full), path
        assert entry["rows"] == count_rows(full), path
        for field in ("source", "vintage", "licence", "key_column", "title"):
            assert entry[field], (path, field)
    assert {s.filename for s in RAW_SOURCES} == {p[4:] for p in entries if p.startswith("raw/")}


def test_processed_layers_agree_with_a_fresh_build():
    rebuilt = build_layers(RAW_DIR)
    for name, frame in rebuilt.items():
        path = PROCESSED_DIR / LAYERS[name].filename
        stored = gpd.read_parquet(path) if LAYERS[name].is_geo else pd.read_parquet(path)
        pd.testing.assert_frame_equal(
            pd.DataFrame(stored).reset_index(drop=True),
            pd.DataFrame(frame).reset_index(drop=True),
            check_dtype=False,
            obj=name,
        )


def test_population_tracts_sum_per_jurisdiction_as_a_numpy_check(population):
    values = population["population"].to_numpy()
    assert values.dtype.kind == "i"
    assert int(np.sum(values)) == 6_177_224


@pytest.mark.parametrize(
    "loader",
    [
        layers.load_sites,
        layers.load_jurisdictions,
        layers.load_population,
        layers.load_burden,
        layers.load_leave_behind,
    ],
)
def test_loaders_return_fresh_frames(loader):
    first = loader()
    second = loader()
    assert first is not second
    assert first.equals(second)


def test_a_layer_file_is_read_once_while_it_stays_the_same(tmp_path, monkeypatch):
    """Repeated loads (the page frame, the data and the map labels each load the
    jurisdictions) read the file once; a fresh copy each time; a rebuilt file is read
    again."""
    for layer in LAYERS.values():
        (tmp_path / layer.filename).write_bytes((PROCESSED_DIR / layer.filename).read_bytes())
    reads = []
    real = gpd.read_parquet

    def counted(path, *args, **kwargs):
        reads.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(gpd, "read_parquet", counted)
    first = layers.load_jurisdictions(tmp_path)
    first.loc[0, "name"] = "changed"
    second = layers.load_jurisdictions(tmp_path)
    assert len(reads) == 1
    assert second.equals(layers.load_jurisdictions())
    fewer = second.iloc[:-1]
    fewer.to_parquet(tmp_path / LAYERS["jurisdictions"].filename)
    with pytest.raises(DataFileError, match="expected 24 jurisdictions"):
        layers.load_jurisdictions(tmp_path)
    assert len(reads) == 2
