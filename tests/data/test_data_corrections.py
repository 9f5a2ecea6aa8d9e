"""Issue 24 item 1: what is known to be wrong in the site list, corrected at build time
from bundled, cited files (closures, health department buildings, new sites, NPPES)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.analysis import metrics
from geo.analysis.finder import Finder
from geo.config import RAW_DIR
from geo.data import layers, site_corrections


@pytest.fixture(scope="module")
def sites():
    return layers.load_sites()


def test_the_61_rite_aid_stores_are_closed_with_date_and_citation(sites):
    rite_aid = sites["name"].str.lower().str.startswith("rite aid")
    assert rite_aid.sum() == 61
    assert sites.loc[rite_aid, "closed"].all()
    assert not sites.loc[~rite_aid, "closed"].any()
    assert (sites.loc[rite_aid, "closed_date"] == "2025-10-04").all()
    assert sites.loc[rite_aid, "closed_source"].str.contains("baltimorebanner").all()
    assert sites.loc[rite_aid, "status"].str.startswith("closed").all()


def test_closed_sites_are_out_of_distances_counts_and_the_finder(sites):
    data = metrics.load_access_data()
    selected = metrics.select_sites(data, ["pharmacy"])
    closed_ids = set(sites.loc[sites["closed"], "id"])
    assert not closed_ids & set(selected["id"])
    assert len(selected) == int((sites["type"].eq("pharmacy") & ~sites["closed"]).sum())
    finder = Finder.from_data(data)
    assert not closed_ids & set(finder.sites["id"])


def test_health_departments_at_their_building_for_18(sites):
    lhd = sites[sites["type"] == "health_department"].set_index("id")
    assert (lhd["location_precision"] == "exact").sum() == 18
    approximate = lhd[lhd["location_precision"] == "zip_centroid"]
    assert sorted(approximate["jurisdiction_fips"]) == [
        "24019", "24029", "24031", "24033", "24039", "24041"
    ]  # fmt: skip
    assert approximate["notes"].str.contains("Location approximate: ZIP centre").all()
    garrett = lhd.loc["lhd_24023"]
    assert (garrett["lat"], garrett["lon"]) == (39.41639, -79.39235)
    assert garrett["phone"] == "(301) 334-7700"
    city = lhd.loc["lhd_24510"]
    assert city["address"].startswith("1001 E. Fayette Street")
    assert city["location_precision"] == "exact"
    succurro = lhd.loc["lhd_24001"]
    assert "CC BY-NC 4.0" in succurro["licence"]


def test_round4_sites_added_and_drop_boxes_left_out(sites):
    by_id = sites.set_index("id")
    assert not sites["id"].str.startswith("bc_dropbox").any()
    boxes = sites[sites["id"].str.startswith("metro_onebox")]
    assert len(boxes) == 14
    assert (boxes["location_precision"] == "exact").all()
    assert (boxes["jurisdiction_fips"] == "24005").sum() == 3
    assert boxes["status"].str.contains("announced 2025-11-03").all()
    for unmapped in ("so_vending_princessanne", "so_vending_crisfield", "bc_vending_cccc_bchd"):
        assert by_id.loc[unmapped, "location_precision"] == "none"
        assert by_id.loc[unmapped, "type"] == "vending_machine"
    assert by_id.loc["bc_cccc_dropin", "type"] == "harm_reduction"
    assert by_id.loc["bc_cccc_dropin", "evidence_date"] == "2024-06-26"
    assert pd.isna(by_id.loc["bc_sparc_center", "evidence_date"])  # undated page
    assert by_id.loc["fr_vending_frederickhealth_ed", "evidence_date"] == "2025-10"


def test_nppes_matches_first_then_zip_centres(sites):
    by_id = sites.set_index("id")
    nppes = pd.read_csv(RAW_DIR / site_corrections.NPPES_FILE, dtype=str)
    independent = nppes[nppes["list_type"] == "independent"]
    assert len(independent) == 631
    matched = sites[sites["notes"].fillna("").str.contains("Active in CMS NPPES")]
    added = sites[sites["id"].str.startswith("nppes_")]
    assert len(matched) == 33
    assert matched["id"].str.startswith("osm_rx_").all()
    assert len(added) == 565
    assert (added["location_precision"] == "zip_centroid").all()
    assert added["notes"].str.contains("location approximate").all()
    # 37 NPIs matched + 593 at ZIP centres (one site per name and ZIP) + 1 ZIP outside
    # Maryland (22192, Virginia) left out = 631.
    npis = added["notes"].str.extract(r"NPI ([\d, ]+);")[0].str.split(", ").map(len)
    assert matched["notes"].str.count("NPI").sum() + npis.sum() + 1 == 631
    mimikay = matched[matched["name"] == "MimiKay Pharmacy"].iloc[0]
    row = independent[independent["name"] == "MIMIKAY PHARMACY"].iloc[0]
    digits = row["phone"]
    assert mimikay["phone"] == f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    assert mimikay["evidence_date"] == "2026-02-09"
    assert not (by_id["name"] == "EXPO E MART, LLC").any()


def test_name_key_hand_cases():
    assert site_corrections.name_key("CRAIG'S DRUG STORE, INC.") == site_corrections.name_key(
        "Craig's Drugs"
    )
    assert site_corrections.name_key(
        "LANGLEY PARK PHARMACY & MEDICAL SUPPLIES LLC"
    ) == site_corrections.name_key("Langley Park Pharmacy and Medical Supplies")
    assert site_corrections.name_key("Pharmacy") == ""


def test_evidence_dates_by_source(sites):
    by_id = sites.set_index("id")
    osm = sites[
        sites["id"].str.startswith("osm_rx_") & ~sites["notes"].fillna("").str.contains("NPPES")
    ]
    assert (osm["evidence_date"] == "2023-01-01").all()
    assert (
        sites.loc[sites["type"] == "opioid_treatment_program", "evidence_date"] == "2021-07"
    ).all()
    assert by_id.loc["lhd_24023", "evidence_date"] == "2026-03"


def test_pharmacies_at_one_zip_centre_stay_separate_listings():
    """Issue 28's one-listing-per-place must not join different pharmacies that share a
    ZIP centre only because their street address is unknown."""
    data = metrics.load_access_data()
    result = Finder.from_data(data).find("21201", 5, ["pharmacy"])
    approximate = result.results[result.results["location_precision"] == "zip_centroid"]
    assert len(approximate) >= 2
    assert not approximate["name"].str.contains(" / ").any()
