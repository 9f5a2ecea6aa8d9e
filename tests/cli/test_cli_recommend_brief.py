"""Issue 12: ``recommend`` names its locations by place in the chosen unit; ``brief``
takes --unit and --radius-km."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from geo import cli
from geo.analysis import metrics


def printed_csv(capsysbinary) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(capsysbinary.readouterr().out), encoding="utf-8-sig",
                       dtype={"candidate_id": str, "fips": str})


def test_recommend_adds_place_columns_and_keeps_the_old_ones(data, capsysbinary):
    assert cli.main(["recommend", "--k", "3", "--radius-miles", "5"]) == 0
    printed = printed_csv(capsysbinary)
    expected = metrics.recommend_sites(data, metrics.select_sites(data), 3,
                                       metrics.radius_m_from(miles=5))
    assert set(expected.columns) <= set(printed.columns)
    assert printed["candidate_id"].tolist() == expected["candidate_id"].tolist()
    assert printed["place"].str.match(r"^near .+ \(\d+\.\d mi\)$").all()
    for column in ("nearest_town", "nearest_town_county", "nearest_town_distance_mi",
                   "jurisdiction", "place_source"):
        assert printed[column].notna().all(), column
    assert (printed["place_source"] == "Place names © GeoNames, CC BY 4.0").all()
    assert printed["jurisdiction"].str.endswith(" County").all()


@pytest.mark.parametrize("arguments", [["--radius-km", "8"],
                                       ["--radius-miles", "5", "--unit", "km"]])
def test_recommend_in_km_never_shows_miles(capsysbinary, arguments):
    assert cli.main(["recommend", "--k", "2", "--format", "json", *arguments]) == 0
    records = json.loads(capsysbinary.readouterr().out)
    assert all(record["place"].endswith(" km)") for record in records)
    assert all("nearest_town_distance_km" in record for record in records)
    assert not any("mi" in key.split("_") or "miles" in key for key in records[0])


def test_recommend_refuses_an_unknown_unit(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["recommend", "--k", "2", "--radius-miles", "5", "--unit", "miles"])
    assert stopped.value.code == 2
    assert "invalid choice: 'miles'" in capsys.readouterr().err
