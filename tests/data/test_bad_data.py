"""Damaged, missing or wrongly shaped data files give clear, named errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import MultiPolygon, Point, Polygon

from geo.cli import main as cli_main
from geo.config import MANIFEST_PATH, PROCESSED_DIR, RAW_DIR
from geo.data import layers
from geo.data.build import build, build_layers
from geo.data.catalog import LAYERS
from geo.data.raw import read_zip_centroids
from geo.errors import DataFileError


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
    assert "md_pharmacies_osm2023.csv, row 3, field 'lat': 'thirty-nine' is not a number" in str(
        info.value
    )


def test_exact_site_in_wrong_jurisdiction_is_an_error(raw_copy):
    # osm_rx_0002 is in Allegany (24001); claim it is in Garrett.
    _rewrite(
        raw_copy / "md_pharmacies_osm2023.csv",
        "osm_rx_0002,CVS Pharmacy,24001",
        "osm_rx_0002,CVS Pharmacy,24023",
    )
    with pytest.raises(DataFileError, match=r"osm_rx_0002 lies in Allegany"):
        build_layers(raw_copy)


def test_unknown_leave_behind_status_is_rejected(raw_copy):
    _rewrite(
        raw_copy / "md_ems_leave_behind_by_jurisdiction.csv",
        "24027,Howard,documented",
        "24027,Howard,maybe",
    )
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


def test_failed_build_leaves_existing_layers_untouched(built_copy):
    raw_copy, processed, manifest = built_copy  # the bundled layers, as a build writes them
    before = {p.name: p.read_bytes() for p in processed.iterdir()}
    manifest_before = manifest.read_bytes()
    _rewrite(raw_copy / "md_pharmacies_osm2023.csv", "39.638286", "x")
    with pytest.raises(DataFileError):
        build(raw_copy, processed, manifest)
    assert {p.name: p.read_bytes() for p in processed.iterdir()} == before
    assert manifest.read_bytes() == manifest_before


# --- damaged geometry in the processed layers (issue 9, item 12) --------------------------

BOWTIE = Polygon([(-78.9, 39.2), (-78.3, 39.7), (-78.3, 39.2), (-78.9, 39.7)])


@pytest.fixture()
def processed_copy(tmp_path: Path) -> Path:
    target = tmp_path / "processed"
    shutil.copytree(PROCESSED_DIR, target)
    return target


@pytest.mark.parametrize(
    "geometry, problem",
    [
        (MultiPolygon([BOWTIE]), "invalid geometry"),
        (Polygon(), "empty geometry"),
        (None, "missing geometry"),
        (Point(-78.6, 39.5), "Point where"),
    ],
)
def test_damaged_jurisdiction_geometry_is_refused(processed_copy, geometry, problem):
    frame = layers.load_jurisdictions()
    frame.loc[0, "geometry"] = geometry
    frame.to_parquet(processed_copy / LAYERS["jurisdictions"].filename, index=False)
    with pytest.raises(DataFileError, match=problem) as info:
        layers.load_jurisdictions(processed_copy)
    assert info.value.path.name == "jurisdictions.parquet"
    assert info.value.row == 2 and info.value.field == "geometry"
    assert "24001" in str(info.value)


def test_damaged_point_layers_are_refused(processed_copy):
    population = layers.load_population()
    population.loc[5, "geometry"] = BOWTIE
    population.to_parquet(processed_copy / LAYERS["population"].filename, index=False)
    with pytest.raises(DataFileError, match=r"population\.parquet, row 7, field 'geometry'"):
        layers.load_population(processed_copy)
    sites = layers.load_sites()
    mapped = int(np.flatnonzero(sites["lat"].notna().to_numpy())[3])
    sites.loc[mapped, "geometry"] = None
    sites.to_parquet(processed_copy / LAYERS["sites"].filename, index=False)
    with pytest.raises(
        DataFileError,
        match=rf"sites\.parquet, row {mapped + 2}, "
        r"field 'geometry': missing geometry",
    ):
        layers.load_sites(processed_copy)


def test_metrics_cli_refuses_a_corrupted_geometry(processed_copy, monkeypatch, capsys):
    frame = layers.load_jurisdictions()
    frame.loc[0, "geometry"] = MultiPolygon([BOWTIE])
    frame.to_parquet(processed_copy / LAYERS["jurisdictions"].filename, index=False)
    monkeypatch.setattr("geo.data.layers.PROCESSED_DIR", processed_copy)
    assert cli_main(["metrics", "--radius-miles", "5"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "jurisdictions.parquet, row 2, field 'geometry'" in err[0], err


# --- the ZIP centroid file ------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"\xff\xfe\x00\x81garbage", "not valid UTF-8"),
        (b"zip,latitude\n21201,39.3\n", "missing column"),
        (b"zip,lat,lon\n21201,39.29,-76.62\n21202,north,-76.6\n", r"row 3, field 'lat'"),
        (b"zip,lat,lon\n21201,39.29,-76.62\n21202,39.3,-276.6\n", r"row 3, field 'lon'"),
        (b"", "cannot be read"),
    ],
)
def test_corrupt_zip_centroid_file_is_named(tmp_path, content, problem):
    path = tmp_path / "md_zip_centroids_zipcodes3.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=problem) as info:
        read_zip_centroids(path)
    assert str(info.value).startswith("md_zip_centroids_zipcodes3.csv")


def test_bundled_zip_centroids_still_load():
    zips = read_zip_centroids(RAW_DIR / "md_zip_centroids_zipcodes3.csv")
    assert len(zips) > 500 and zips.index.str.fullmatch(r"\d{5}").all()
    assert zips["lat"].between(37.8, 39.8).all()


# --- row counts against the manifest ----------------------------------------------------------


@pytest.fixture()
def built_copy(raw_copy: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """Raw files, processed layers and manifest copied from the repository."""
    processed = tmp_path / "processed"
    shutil.copytree(PROCESSED_DIR, processed)
    manifest = tmp_path / "manifest.json"
    shutil.copy(MANIFEST_PATH, manifest)
    return raw_copy, processed, manifest


def _keep_rows(path: Path, rows: int) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[: rows + 1]), encoding="utf-8")


@pytest.mark.parametrize(
    "filename, keep",
    [
        ("md_pharmacies_osm2023.csv", 199),
        # a full rebuild each: the other sources run in the full suite (slow)
        pytest.param("md_ems_leave_behind_by_jurisdiction.csv", 13, marks=pytest.mark.slow),
        pytest.param("md_zip_centroids_zipcodes3.csv", 300, marks=pytest.mark.slow),
    ],
)
def test_build_refuses_truncated_sources(built_copy, filename, keep):
    raw_dir, processed, manifest = built_copy
    before = {p.name: p.read_bytes() for p in processed.iterdir()}
    manifest_before = manifest.read_bytes()
    _keep_rows(raw_dir / filename, keep)
    with pytest.raises(DataFileError) as info:
        build(raw_dir, processed, manifest)
    assert str(info.value).startswith(filename), str(info.value)
    assert f"{keep} rows" in str(info.value) and "--accept-row-changes" in str(info.value)
    assert {p.name: p.read_bytes() for p in processed.iterdir()} == before
    assert manifest.read_bytes() == manifest_before


@pytest.mark.slow  # a full rebuild (test_data_layer builds the layers in the fast set)
def test_build_with_unchanged_sources_passes_the_row_check(built_copy):
    raw_dir, processed, manifest = built_copy
    result = build(raw_dir, processed, manifest)
    assert result.row_changes == []
    assert len(result.layers["sites"]) == 1121


@pytest.mark.slow  # three full rebuilds; runs in the full suite
def test_deliberate_row_changes_are_accepted_and_reported(built_copy, monkeypatch, capsys):
    raw_dir, processed, manifest = built_copy
    _keep_rows(raw_dir / "md_pharmacies_osm2023.csv", 199)
    monkeypatch.setattr("geo.data.build.RAW_DIR", raw_dir)
    monkeypatch.setattr("geo.data.build.PROCESSED_DIR", processed)
    monkeypatch.setattr("geo.data.build.MANIFEST_PATH", manifest)
    assert cli_main(["build"]) == 1
    assert "md_pharmacies_osm2023.csv" in capsys.readouterr().err
    assert cli_main(["build", "--accept-row-changes"]) == 0
    err = capsys.readouterr().err
    assert "raw/md_pharmacies_osm2023.csv: 397 → 199 rows" in err
    assert "processed/sites.parquet: 1,121 → 939 rows" in err
    assert layers.load_manifest(manifest)["files"][3]["rows"] == 199
    assert len(layers.load_sites(processed)) == 939
    assert cli_main(["build"]) == 0, "the accepted counts are the new expectation"


@pytest.mark.slow  # a full rebuild; runs in the full suite
def test_accepted_row_changes_still_refuse_layers_the_app_cannot_load(built_copy):
    raw_dir, processed, manifest = built_copy
    before = {p.name: p.read_bytes() for p in processed.iterdir()}
    _keep_rows(raw_dir / "md_ems_leave_behind_by_jurisdiction.csv", 13)
    with pytest.raises(
        DataFileError,
        match=r"leave_behind\.parquet.*expected 24 "
        r"jurisdictions, found 13",
    ):
        build(raw_dir, processed, manifest, accept_row_changes=True)
    assert {p.name: p.read_bytes() for p in processed.iterdir()} == before


def test_invalid_raw_boundary_is_refused_with_the_feature_named(raw_copy):
    import json

    path = raw_copy / "md_counties_cb2020_500k.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"][0]["geometry"] = BOWTIE.__geo_interface__
    path.write_text(json.dumps(document), encoding="utf-8")
    geoid = document["features"][0]["properties"]["GEOID"]
    with pytest.raises(
        DataFileError,
        match=rf"geojson, row 2, field 'geometry': invalid "
        rf"geometry \(Self-intersection.*for {geoid}",
    ):
        build_layers(raw_copy)


def test_messages_about_damaged_files_never_carry_server_paths(tmp_path):
    from geo.data import layers

    processed = tmp_path / "deep" / "server" / "processed"
    processed.mkdir(parents=True)
    for layer in ("jurisdictions", "population", "sites", "leave_behind", "burden"):
        (processed / f"{layer}.parquet").write_bytes(b"not parquet")
    with pytest.raises(DataFileError) as info:
        layers.load_sites(processed)
    assert "sites.parquet" in str(info.value)
    assert str(tmp_path) not in str(info.value) and "/deep/" not in str(info.value)
