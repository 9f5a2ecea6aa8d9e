"""Issue 24: the OEPS 2025 tract drive-time file, bundled as an outside layer."""

from __future__ import annotations

import pytest

from geo.data import layers, raw
from geo.errors import DataFileError


def test_bundled_drive_times_as_published():
    times = layers.load_drive_times()
    assert len(times) == 1465
    assert times["geoid"].is_unique
    assert times["drive_minutes"].isna().sum() == 1
    assert times.loc[times["drive_minutes"].isna(), "geoid"].tolist() == ["24035990200"]
    row = times.set_index("geoid").loc["24001000100"]
    assert row["drive_minutes"] == pytest.approx(26.89)
    assert int(row["pharmacies_within_30min"]) == 2
    assert times["drive_minutes"].max() <= 90


def test_bad_geoid_is_named(tmp_path):
    path = tmp_path / "times.csv"
    path.write_text("GEOID,RxCntDr,RxTmDr,RxTmDr2\n2400100010,2,26.89,53.78\n")
    with pytest.raises(DataFileError, match="not an 11-digit Maryland tract GEOID") as info:
        raw.read_tract_drive_times(path)
    assert "row 2" in str(info.value)


def test_negative_minutes_refused(tmp_path):
    path = tmp_path / "times.csv"
    path.write_text("GEOID,RxCntDr,RxTmDr,RxTmDr2\n24001000100,2,-1,53.78\n")
    with pytest.raises(DataFileError, match="RxTmDr"):
        raw.read_tract_drive_times(path)
