"""``python -m geo export`` for every layer, as a user runs it."""

from __future__ import annotations

import io
import json
import subprocess

import pandas as pd
import pytest

from geo.analysis.tables import EXPORTABLE_LAYERS
from geo.config import REPO_ROOT
from tests.support.cli import run_geo

EXPECTED_ROWS = {"jurisdictions": 24, "population": 1475, "leave-behind": 24, "burden": 48}


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return run_geo(args, cwd=REPO_ROOT, text=False)


@pytest.mark.parametrize("layer", EXPORTABLE_LAYERS)
def test_export_csv_to_stdout(layer, sites):
    result = run_cli("export", layer, "--format", "csv")
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM for Excel"
    frame = pd.read_csv(io.BytesIO(result.stdout), encoding="utf-8-sig", dtype=str)
    assert len(frame) == EXPECTED_ROWS.get(layer, len(sites))
    assert "geometry" not in frame.columns


@pytest.mark.parametrize("layer", EXPORTABLE_LAYERS)
def test_export_geojson_to_file(layer, tmp_path, sites):
    out = tmp_path / f"{layer}.geojson"
    result = run_cli("export", layer, "--format", "geojson", "--out", str(out))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b""
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["type"] == "FeatureCollection"
    assert len(document["features"]) == EXPECTED_ROWS.get(layer, len(sites))
    geometries = [f["geometry"] for f in document["features"]]
    assert any(g is not None for g in geometries)
    if layer == "sites":
        unmapped = [f for f in document["features"] if f["geometry"] is None]
        assert unmapped and all(f["properties"]["location_precision"] == "none" for f in unmapped)


def test_export_help_documents_the_command():
    result = run_cli("export", "--help")
    assert result.returncode == 0
    text = result.stdout.decode()
    for word in (
        "jurisdictions",
        "population",
        "sites",
        "leave-behind",
        "burden",
        "--format",
        "--out",
    ):
        assert word in text


def test_unknown_layer_is_a_clean_error():
    result = run_cli("export", "pharmacies")
    assert result.returncode == 2
    assert b"invalid choice" in result.stderr
    assert b"Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("export", "sites", "--out", "/missing/dir/sites.csv"),
        ("export", "sites", "--format", "geojson", "--out", "/"),
        ("metrics", "--radius-miles", "5", "--out", "/missing/dir/metrics.csv"),
        ("recommend", "--k", "2", "--radius-miles", "5", "--out", "/proc/metrics.csv"),
    ],
)
def test_unwritable_output_is_a_one_line_error(args):
    result = run_cli(*args)
    assert result.returncode == 2, result.stderr
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write"), stderr


@pytest.mark.parametrize("store", ["garbage-file", "postgresql://editor:s3cret-pw@127.0.0.1:9/db"])
def test_unreadable_store_is_one_line_without_credentials(tmp_path, store):
    if store == "garbage-file":
        store = str(tmp_path / "store.sqlite")
        (tmp_path / "store.sqlite").write_bytes(b"not a database at all" * 100)
    for args in (
        ("export", "sites", "--out", str(tmp_path / "s.csv")),
        ("brief", "--jurisdiction", "24001", "--out", str(tmp_path / "b.pdf")),
    ):
        result = run_geo(args, cwd=REPO_ROOT, env={"NALOXONE_STORE": store}, text=False)
        stderr = result.stderr.decode()
        assert result.returncode == 1, stderr
        assert "Traceback" not in stderr and "s3cret" not in stderr
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and "local-updates store" in lines[0], stderr
