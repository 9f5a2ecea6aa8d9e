"""NALOXONE_DATA_DIR: the bundled data can be read from (and built into) another folder."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo import config
from geo.config import DATA_DIR, REPO_ROOT


def _run_geo(*args: str, data_dir: Path | None, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop(config.DATA_DIR_ENV, None)
    if data_dir is not None:
        env[config.DATA_DIR_ENV] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "bundled data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_data_dir_comes_from_the_environment(tmp_path):
    assert config.data_dir({}) == REPO_ROOT / "data"
    assert config.data_dir({config.DATA_DIR_ENV: "  "}) == REPO_ROOT / "data"
    assert config.data_dir({config.DATA_DIR_ENV: str(tmp_path)}) == tmp_path.resolve()


def test_the_cli_reads_the_layers_from_the_data_dir(data_copy, tmp_path):
    sites_path = data_copy / "processed" / "sites.parquet"
    sites = gpd.read_parquet(sites_path)
    sites.loc[sites["id"] == "osm_rx_0001", "name"] = "Copied Data Pharmacy"
    sites.to_parquet(sites_path, index=False)

    copied = _run_geo(
        "export", "sites", "--format", "csv", "--public-only", data_dir=data_copy, cwd=tmp_path
    )
    assert copied.returncode == 0, copied.stderr
    names = pd.read_csv(io.BytesIO(copied.stdout), encoding="utf-8-sig", dtype=str)["name"]
    assert "Copied Data Pharmacy" in set(names)

    bundled = _run_geo(
        "export", "sites", "--format", "csv", "--public-only", data_dir=None, cwd=tmp_path
    )
    assert bundled.returncode == 0, bundled.stderr
    assert b"Copied Data Pharmacy" not in bundled.stdout


@pytest.mark.slow  # a full rebuild in a fresh process; runs in the full suite
def test_the_build_reads_and_writes_only_the_data_dir(data_copy, tmp_path):
    raw_pharmacies = data_copy / "raw" / "md_pharmacies_osm2023.csv"
    raw_pharmacies.write_text(
        raw_pharmacies.read_text(encoding="utf-8").replace(
            "osm_rx_0001,Beckman's Pharmacy", "osm_rx_0001,Rebuilt Pharmacy"
        ),
        encoding="utf-8",
    )
    bundled = {
        path: path.stat().st_mtime_ns
        for path in [DATA_DIR / "manifest.json", *(DATA_DIR / "processed").iterdir()]
    }

    result = _run_geo("build", data_dir=data_copy, cwd=tmp_path)
    assert result.returncode == 0, result.stderr

    rebuilt = pd.read_parquet(data_copy / "processed" / "sites.parquet").set_index("id")
    assert rebuilt.loc["osm_rx_0001", "name"] == "Rebuilt Pharmacy"
    manifest = (data_copy / "manifest.json").read_text(encoding="utf-8")
    assert manifest != (DATA_DIR / "manifest.json").read_text(encoding="utf-8"), "new checksum"
    assert {path: path.stat().st_mtime_ns for path in bundled} == bundled, "bundled untouched"


def test_a_missing_data_dir_is_named(tmp_path):
    missing = tmp_path / "no such folder"
    result = _run_geo(
        "export", "sites", "--format", "csv", "--public-only", data_dir=missing, cwd=tmp_path
    )
    assert result.returncode != 0
    assert b"Traceback" not in result.stderr
    assert b".parquet: file not found" in result.stderr
