"""Importing site lists: formats, encodings, column mapping, row-by-row validation, CLI."""

from __future__ import annotations

import io
import json
import subprocess

import pandas as pd
import pytest

from geo.config import REPO_ROOT
from geo.local import auth, importing
from geo.local.store import Store
from geo.render.exports import csv_bytes
from tests.support.cli import run_geo

ROWS = """Site Name,Type,Street,ZIP,Latitude,Longitude,County
Harbor Pharmacy,pharmacy,1 Light St,21202,39.2870,-76.6130,Baltimore City
Swapped Clinic,otp,,,-76.6,39.3,
Over the Line,ssp,,,40.5,-76.0,
Bad Latitude,otp,,,abc,-76.0,
Easton Prevention Office,health department,,21601,,,
Kent Box,naloxone box,,,,,Kent
Nowhere,vending machine,,,,,
Beckman's Pharmacy,pharmacy,,,39.65076,-78.78065,
Wrong County,pharmacy,,,39.65,-78.76,Garrett
,pharmacy,,,,,Kent
Odd,clinic,,,,,Kent
Harbor Pharmacy,pharmacy,,,39.28702,-76.61301,
"""
EXPECTED_REJECTIONS = {
    3: ("lat", "look swapped"),
    4: ("lat", "outside Maryland"),
    5: ("lat", "is not a number"),
    9: ("name", "likely duplicate of existing site osm_rx_0001"),
    10: ("jurisdiction", "lies in Allegany, not Garrett"),
    11: ("name", "needs a name"),
    12: ("type", "unknown type 'clinic'"),
    13: ("name", "likely duplicate of row 2"),
}


def _validate(data, filename: str, content: bytes):
    table = importing.read_upload(filename, content)
    mapping = importing.guess_mapping(list(table.frame.columns))
    return table, importing.validate(table, mapping, data.jurisdictions, data.sites)


def test_row_by_row_validation(data):
    table, report = _validate(data, "sites.csv", ROWS.encode("utf-8"))
    found = {r["row"]: (r["field"], r["reason"]) for r in report.rejected}
    assert set(found) == set(EXPECTED_REJECTIONS)
    for row, (field, reason) in EXPECTED_REJECTIONS.items():
        assert found[row][0] == field and reason in found[row][1], (row, found[row])
    accepted = report.accepted.set_index("_row")
    assert accepted.loc[2, "jurisdiction_fips"] == "24510"
    assert accepted.loc[2, "location_precision"] == "exact"
    assert accepted.loc[6, "location_precision"] == "zip_centroid"
    assert accepted.loc[6, "jurisdiction_fips"] == "24041"
    assert accepted.loc[7, "location_precision"] == "none"
    assert pd.isna(accepted.loc[7, "lat"])
    assert accepted.loc[7, "type"] == "vending_machine"
    assert accepted.loc[8, "jurisdiction_fips"] == "24", "nothing locatable: statewide"
    assert accepted.loc[8, "location_precision"] == "none" and pd.isna(accepted.loc[8, "lat"])
    rejected_csv = csv_bytes(importing.rejected_rows_frame(table, report)).decode("utf-8-sig")
    assert "Swapped Clinic" in rejected_csv and "look swapped" in rejected_csv


def test_windows_encoded_file_imports(data):
    content = "name,type,lat,lon\nFarmacia Peña,pharmacy,39.30,-76.60\n".encode("cp1252")
    _, report = _validate(data, "latin.csv", content)
    assert report.accepted["name"].tolist() == ["Farmacia Peña"]
    assert report.notes == ["read as cp1252"]


def test_excel_and_geojson(data, tmp_path):
    frame = pd.DataFrame(
        {
            "Name": ["Dundalk Box"],
            "Category": ["vending machine"],
            "Lat": [39.2655],
            "Lng": [-76.5000],
        }
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    _, report = _validate(data, "sites.xlsx", buffer.getvalue())
    assert report.accepted["jurisdiction_fips"].tolist() == ["24005"]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Salisbury SSP", "type": "ssp"},
                "geometry": {"type": "Point", "coordinates": [-75.60, 38.37]},
            },
            {
                "type": "Feature",
                "properties": {"name": "Far", "type": "ssp"},
                "geometry": {"type": "Point", "coordinates": [-80.5, 38.0]},
            },
        ],
    }
    _, report = _validate(data, "sites.geojson", json.dumps(geojson).encode())
    assert report.accepted["jurisdiction_fips"].tolist() == ["24045"]
    assert report.rejected == [
        {"row": 2, "field": "lat", "reason": "(38.00000, -80.50000) is outside Maryland"}
    ]


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("big.csv", b"a" * (importing.MAX_IMPORT_BYTES + 1), "over the 5 MB import limit"),
        ("empty.csv", b"   ", "the file is empty"),
        ("sites.pdf", b"%PDF-1.4", "unsupported file type"),
        ("broken.xlsx", b"PK\x03\x04 not really", "cannot be read as an Excel workbook"),
        ("broken.geojson", b'{"type": 1}', "not a GeoJSON FeatureCollection"),
    ],
)
def test_bad_files_are_refused_with_the_file_named(filename, content, message):
    with pytest.raises(ValueError, match=message) as info:
        importing.read_upload(filename, content)
    assert filename in str(info.value)


def test_missing_required_column_mapping(data):
    table = importing.read_upload("x.csv", b"title,lat,lon\nA,39.3,-76.6\n")
    with pytest.raises(ValueError, match="choose the column for name, type"):
        importing.validate(
            table,
            importing.guess_mapping(list(table.frame.columns)),
            data.jurisdictions,
            data.sites,
        )


def _cli(store: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_geo(["sites", "import", *args], cwd=REPO_ROOT, env={"NALOXONE_STORE": store})


def test_cli_import_json_report_dry_run_and_write(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(ROWS, encoding="utf-8")
    store = str(tmp_path / "store.sqlite")
    result = _cli(store, str(path), "--dry-run", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["accepted"] == 4 and report["dry_run"] is True
    assert sorted(r["row"] for r in report["rejected"]) == sorted(EXPECTED_REJECTIONS)
    assert set(report["rejected"][0]) == {"row", "field", "reason"}
    assert Store.open_existing(store) is None or Store(store).sites().empty
    result = _cli(store, str(path))
    assert result.returncode == 0, result.stderr
    assert "imported 4 site(s), rejected 8" in result.stdout
    assert "row 3, lat: latitude -76.6 and longitude 39.3 look swapped" in result.stdout
    assert len(Store(store).sites()) == 4
    again = json.loads(_cli(store, str(path), "--format", "json").stdout)
    assert again["accepted"] == 0, "everything is now a duplicate or invalid"


def test_cli_import_bad_file(tmp_path):
    result = _cli(str(tmp_path / "s.sqlite"), str(tmp_path / "missing.csv"))
    assert result.returncode == 2 and "file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_password_hashing():
    stored = auth.hash_password("correct horse")
    assert stored.startswith("scrypt$")
    assert auth.verify_password("correct horse", stored)
    assert not auth.verify_password("correct hors", stored)
    assert not auth.verify_password("x", "garbage")
    assert not auth.verify_password("x", "scrypt$1$2$3$zz$zz")
    with pytest.raises(ValueError):
        auth.hash_password("short")
    assert auth.configured_hash({"editor": {"password_hash": stored}}) == stored
    assert auth.configured_hash({}) is None
    assert auth.oidc_editor_emails({"editor": {"emails": ["A@x.org"]}}) is None
    assert auth.oidc_editor_emails({"auth": {}, "editor": {"emails": ["A@x.org ", ""]}}) == {
        "a@x.org"
    }


def test_cli_import_holds_a_near_duplicate_under_another_name(tmp_path):
    store = str(tmp_path / "store.sqlite")
    first = tmp_path / "first.csv"
    first.write_text(
        "name,type,lat,lon\nHarbor Pharmacy,pharmacy,39.2904,-76.6122\n", encoding="utf-8"
    )
    assert _cli(store, str(first)).returncode == 0
    second = tmp_path / "second.csv"  # ~0.5 m from the stored site, another name
    second.write_text(
        "name,type,lat,lon\nHarbor Drugs East,pharmacy,39.290404,-76.6122\n", encoding="utf-8"
    )
    result = _cli(store, str(second))
    assert result.returncode == 0, result.stderr
    assert "imported 0 site(s), rejected 1" in result.stdout
    assert "row 2, location: likely duplicate of existing site local-" in result.stdout
    assert "--confirm-duplicates" in result.stdout
    assert len(Store(store).sites()) == 1
    # confirmed: the store's own check (same rule, in the transaction) lets it through
    result = _cli(store, str(second), "--confirm-duplicates")
    assert result.returncode == 0, result.stderr
    assert "imported 1 site(s), rejected 0" in result.stdout
    stored = Store(store).sites().set_index("name")
    assert "confirmed as a separate site" in stored.loc["Harbor Drugs East", "notes"]
    # the same file again: now a duplicate by name, refused even when confirmed
    result = _cli(store, str(second), "--confirm-duplicates")
    assert "imported 0 site(s), rejected 1" in result.stdout
    assert len(Store(store).sites()) == 2


@pytest.mark.postgres
def test_cli_import_json_never_shows_the_store_password(tmp_path):
    from tests.support.postgres import postgres_bin, running_postgres

    if postgres_bin() is None:
        pytest.skip("PostgreSQL server binaries are not installed")
    path = tmp_path / "sites.csv"
    path.write_text(ROWS, encoding="utf-8")
    with running_postgres() as url:
        secret_url = url.replace("postgres@", "postgres:hunter2@")
        result = _cli(secret_url, str(path), "--dry-run", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "hunter2" not in result.stdout + result.stderr
    assert json.loads(result.stdout)["store"].startswith("postgresql://postgres:***@")
