"""``python -m geo sites import``: the import rules on a mixed latin-1 file."""

from __future__ import annotations

import json

from geo.local.store import Store
from tests.cli.test_cli_import_round_trip import sites_import

MIXED = """name,type,lat,lon,zip,county
Farmacia Peña,pharmacy,39.2870,-76.6130,,
Cumberland Outreach Team,ssp,,,,Allegany
Peer Outreach (mail-based),ssp,,,,
Statewide Mail Program,naloxone box,,,,Maryland
Swapped Clinic,otp,-76.6,39.3,,
Over the Line,ssp,40.5,-76.0,,
Bad Latitude,otp,abc,-76.0,,
Half Point,otp,39.3,,,
Wrong County,pharmacy,39.65,-78.76,,Garrett
,pharmacy,,,,Kent
No Type,,39.3,-76.6,,
Odd,clinic,,,,Kent
Nowhere County,ssp,,,,Atlantis
Farmacia Peña,pharmacy,39.28702,-76.61301,,
CVS Pharmacy Oakland,pharmacy,39.413820,-79.404166,,
"""
GOOD = {
    "Farmacia Peña",
    "Cumberland Outreach Team",
    "Peer Outreach (mail-based)",
    "Statewide Mail Program",
}
BAD_ROWS = {6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
NEAR_CVS = 16  # 0.5 m from the listed "CVS Pharmacy" (osm_rx_0174), another name


def test_a_latin1_file_imports_exactly_its_good_rows(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(MIXED.encode("latin-1"))
    store = str(tmp_path / "store.sqlite")
    result = sites_import(store, str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {r["row"] for r in report["rejected"]} == BAD_ROWS | {NEAR_CVS}, report["rejected"]
    assert report["likely_duplicates"] == [NEAR_CVS]
    stored = Store(store).sites().set_index("name")
    assert set(stored.index) == GOOD
    unmapped = stored.loc[["Peer Outreach (mail-based)", "Statewide Mail Program"]]
    assert unmapped["jurisdiction_fips"].tolist() == ["24", "24"], "statewide"
    assert unmapped["lat"].isna().all() and unmapped["lon"].isna().all()
    assert stored.loc["Cumberland Outreach Team", "jurisdiction_fips"] == "24001"


def test_a_statewide_site_is_listed_and_never_used_in_distances(tmp_path):
    from geo.analysis import metrics
    from geo.analysis.tables import export_frame

    path = tmp_path / "mixed.csv"
    path.write_bytes(MIXED.encode("latin-1"))
    store = str(tmp_path / "store.sqlite")
    assert sites_import(store, str(path)).returncode == 0
    Store(store).publish(None, who="test")  # visitors see published updates only
    listed = export_frame(
        "sites", with_geometry=False, include_local=True, store_location=store
    ).set_index("name")
    assert listed.loc["Peer Outreach (mail-based)", "jurisdiction"] == "Maryland (statewide)"
    data = metrics.load_access_data(include_local=True, store_location=store)
    assert "Peer Outreach (mail-based)" in set(data.sites["name"])
    assert "Peer Outreach (mail-based)" not in set(metrics.select_sites(data)["name"])


def test_a_likely_duplicate_needs_confirmation(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(MIXED.encode("latin-1"))
    store = str(tmp_path / "store.sqlite")
    result = sites_import(store, str(path), "--confirm-duplicates", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {r["row"] for r in report["rejected"]} == BAD_ROWS
    assert set(Store(store).sites()["name"]) == GOOD | {"CVS Pharmacy Oakland"}
