"""Damaged, missing or wrongly shaped data files give clear, named errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo import layers
from geo.build import build, build_layers
from geo.catalog import LAYERS
from geo.errors import DataFileError
from geo.paths import PROCESSED_DIR, RAW_DIR


@pytest.fixture()
def raw_copy(tmp_path: Path) -> Path:
    target = tmp_path / "raw"
    shutil.copytree(RAW_DIR, target)
    return target


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_missing_raw_file_is_named(raw_copy):
    (raw_copy / "md_pharmacies_osm2023.csv").unlink()
    with pytest.raises(DataFileError, match=r"md_pharmacies_osm2023\.csv: file not found"):
        build_layers(raw_copy)


def test_missing_column_is_named(raw_copy):
    _rewrite(raw_copy / "md_tract_pop_centroids_cenpop2020.csv", "POPULATION", "POP")
    with pytest.raises(DataFileError, match=r"cenpop2020\.csv: missing column\(s\) 'POPULATION'"):
        build_layers(raw_copy)


def test_bad_number_names_row_and_field(raw_copy):
    _rewrite(raw_copy / "md_pharmacies_osm2023.csv", "39.638286", "thirty-nine")
    with pytest.raises(DataFileError) as info:
        build_layers(raw_copy)
    assert info.value.row == 3
    assert info.value.field == "lat"
    assert "md_pharmacies_osm2023.csv, row 3, field 'lat': 'thirty-nine' is not a number" \
        in str(info.value)


def test_exact_site_in_wrong_jurisdiction_is_an_error(raw_copy):
    # osm_rx_0002 is in Allegany (24001); claim it is in Garrett.
    _rewrite(raw_copy / "md_pharmacies_osm2023.csv", "osm_rx_0002,CVS Pharmacy,24001",
             "osm_rx_0002,CVS Pharmacy,24023")
    with pytest.raises(DataFileError, match=r"osm_rx_0002 lies in Allegany"):
        build_layers(raw_copy)


def test_unknown_leave_behind_status_is_rejected(raw_copy):
    _rewrite(raw_copy / "md_ems_leave_behind_by_jurisdiction.csv",
             "24027,Howard,documented", "24027,Howard,maybe")
    with pytest.raises(DataFileError, match=r"field 'leave_behind_status': 'maybe'"):
        build_layers(raw_copy)


def test_binary_garbage_csv(raw_copy):
    (raw_copy / "md_cited_facts.csv").write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(DataFileError, match=r"md_cited_facts\.csv: not valid UTF-8"):
        build_layers(raw_copy)


def test_damaged_geojson(raw_copy):
    (raw_copy / "md_counties_cb2020_500k.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"md_counties_cb2020_500k\.geojson: cannot be read"):
        build_layers(raw_copy)


def test_damaged_processed_layer(tmp_path):
    processed = tmp_path / "processed"
    shutil.copytree(PROCESSED_DIR, processed)
    (processed / LAYERS["sites"].filename).write_bytes(b"PAR1 truncated")
    with pytest.raises(DataFileError, match=r"sites\.parquet: cannot be read"):
        layers.load_sites(processed)
    (processed / LAYERS["burden"].filename).unlink()
    with pytest.raises(DataFileError, match=r"burden\.parquet: file not found"):
        layers.load_burden(processed)


def test_wrongly_shaped_processed_layer(tmp_path):
    processed = tmp_path / "processed"
    shutil.copytree(PROCESSED_DIR, processed)
    frame = layers.load_leave_behind().drop(columns="status")
    frame.to_parquet(processed / LAYERS["leave-behind"].filename)
    with pytest.raises(DataFileError, match=r"leave_behind\.parquet: missing column\(s\) 'status'"):
        layers.load_leave_behind(processed)


def test_failed_build_leaves_existing_layers_untouched(raw_copy, tmp_path):
    processed = tmp_path / "processed"
    manifest = tmp_path / "manifest.json"
    build(raw_copy, processed, manifest)
    before = {p.name: p.read_bytes() for p in processed.iterdir()}
    manifest_before = manifest.read_bytes()
    _rewrite(raw_copy / "md_pharmacies_osm2023.csv", "39.638286", "x")
    with pytest.raises(DataFileError):
        build(raw_copy, processed, manifest)
    assert {p.name: p.read_bytes() for p in processed.iterdir()} == before
    assert manifest.read_bytes() == manifest_before
