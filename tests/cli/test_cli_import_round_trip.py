"""The rejected rows of an import, downloaded as CSV, fixed and imported again."""

from __future__ import annotations

import io
import subprocess

import pandas as pd

from geo.analysis import metrics
from geo.config import REPO_ROOT
from geo.local import importing
from geo.local.store import Store
from geo.render.exports import csv_bytes
from tests.support.cli import run_geo

FILE = """name,type,lat,lon
Oakland Outreach Van,ssp,-79.4065,39.4079
Westernport Box,naloxone box,39.4854,-79.0447
Frostburg Box,naloxone box,-78.9286,39.6581
"""


def sites_import(store: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m geo sites import ARGS`` with ``store`` as the store."""
    return run_geo(["sites", "import", *args], cwd=REPO_ROOT, env={"NALOXONE_STORE": store})


def test_download_fix_and_reimport_the_rejected_rows(tmp_path):
    store = str(tmp_path / "store.sqlite")
    first = tmp_path / "sites.csv"
    first.write_text(FILE, encoding="utf-8")
    result = sites_import(store, str(first))
    assert result.returncode == 0, result.stderr
    assert "imported 1 site(s), rejected 2" in result.stdout

    # "Download rejected rows for fixing" (the Manage page writes exactly this)
    table = importing.read_upload(first.name, first.read_bytes())
    data = metrics.load_access_data()
    report = importing.validate(
        table, importing.guess_mapping(list(table.frame.columns)), data.jurisdictions, data.sites
    )
    downloaded = csv_bytes(importing.rejected_rows_frame(table, report))
    assert b"'-" not in downloaded, "negative coordinates are numbers, not formulas"

    # fixed in a spreadsheet: latitude and longitude swapped back, saved as CSV
    fixed = pd.read_csv(io.BytesIO(downloaded), encoding="utf-8-sig", dtype=str)
    fixed[["lat", "lon"]] = fixed[["lon", "lat"]].to_numpy()
    second = tmp_path / "fixed.csv"
    fixed.to_csv(second, index=False)
    result = sites_import(store, str(second))
    assert result.returncode == 0, result.stderr
    assert "imported 2 site(s), rejected 0" in result.stdout, result.stdout
    assert sorted(Store(store).sites()["name"]) == [
        "Frostburg Box",
        "Oakland Outreach Van",
        "Westernport Box",
    ]
