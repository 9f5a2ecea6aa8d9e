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
    return pd.read_csv(
        io.BytesIO(capsysbinary.readouterr().out),
        encoding="utf-8-sig",
        dtype={"candidate_id": str, "fips": str},
    )


def test_recommend_adds_place_columns_and_keeps_the_old_ones(data, capsysbinary):
    assert cli.main(["recommend", "--k", "3", "--radius-miles", "5"]) == 0
    printed = printed_csv(capsysbinary)
    expected = metrics.recommend_sites(
        data, metrics.select_sites(data), 3, metrics.radius_m_from(miles=5), gap_measure="deaths"
    )
    assert set(expected.columns) <= set(printed.columns)
    assert printed["candidate_id"].tolist() == expected["candidate_id"].tolist()
    # "near <town>, <county> (x mi)", or by direction when far from any town (issue 28.4)
    assert printed["place"].str.match(r"^(near|[a-z-]+ of) .+ \(\d+\.\d mi\)$").all()
    for column in (
        "nearest_town",
        "nearest_town_county",
        "nearest_town_distance_miles",
        "jurisdiction",
        "place_source",
    ):
        assert printed[column].notna().all(), column
    assert (printed["place_source"] == "Place names © GeoNames, CC BY 4.0").all()
    assert printed["jurisdiction"].str.endswith(" County").all()


@pytest.mark.parametrize(
    "arguments", [["--radius-km", "8"], ["--radius-miles", "5", "--unit", "km"]]
)
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


def test_brief_in_km_prints_km_and_never_miles(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "garrett.pdf"
    assert (
        cli.main(
            [
                "brief",
                "--jurisdiction",
                "Garrett County",
                "--radius-km",
                "8",
                "--out",
                str(out),
                "--public-only",
            ]
        )
        == 0
    )
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "within 8 km" in text and "Garrett County" in text
    assert " mi)" not in text and "mile" not in text


@pytest.mark.parametrize(
    ("arguments", "radius_m", "unit"),
    [
        ([], 5 * 1609.344, "mi"),
        (["--unit", "km"], 5 * 1609.344, "km"),
        (["--radius-km", "8"], 8000.0, "km"),
        (["--radius-km", "8", "--unit", "mi"], 8000.0, "mi"),
    ],
)
def test_brief_passes_radius_and_unit_to_the_briefing(
    tmp_path, monkeypatch, arguments, radius_m, unit
):
    from geo.render import briefing

    calls = []
    monkeypatch.setattr(
        briefing,
        "scenario_briefing_pdf",
        lambda scenario, fips, **kw: (
            calls.append((scenario.radius_m, fips, kw["unit"])) or b"%PDF-"
        ),
    )
    assert (
        cli.main(
            [
                "brief",
                "--jurisdiction",
                "24001",
                "--out",
                str(tmp_path / "b.pdf"),
                "--public-only",
                *arguments,
            ]
        )
        == 0
    )
    assert calls == [(pytest.approx(radius_m), "24001", unit)]


def test_brief_takes_one_radius_only(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(
            [
                "brief",
                "--jurisdiction",
                "24001",
                "--out",
                str(tmp_path / "b.pdf"),
                "--radius-km",
                "8",
                "--radius-miles",
                "5",
            ]
        )
    assert stopped.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
