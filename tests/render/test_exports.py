"""Briefing exports: the files open and say what they claim (issue 5)."""

from __future__ import annotations

import io
import json
import re
import shutil
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from geo.analysis import metrics
from geo.cli import main as cli_main
from geo.config import RAW_DIR
from geo.data.build import build
from geo.render import briefing, formatting, maps, static_maps
from geo.render.exports import csv_bytes, geojson_bytes, neutralise_formula
from tests.support.cli import run_geo
from tests.support.fast_set import first_in_fast_set
from tests.support.offline import external_resources, external_urls


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize(
    "jurisdiction, name",
    first_in_fast_set(
        [
            ("24001", "Allegany County"),
            ("baltimore city", "Baltimore City"),
            ("Prince George's County", "Prince George's County"),
        ],
        keep=1,
    ),
)
def test_jurisdiction_briefing_pdf_names_it_and_shows_library_values(data, jurisdiction, name):
    document = briefing.briefing_pdf(data, jurisdiction, generated="2026-11-21")
    reader = PdfReader(io.BytesIO(document))
    # Issue 26 added the trend chart (was 2-3 pages); Baltimore City also has the walking
    # section (issue 25), so its sources run onto a fifth page.
    assert 2 <= len(reader.pages) <= (5 if name == "Baltimore City" else 4)
    text = pdf_text(document)
    assert f"{name}\nNaloxone access briefing, generated 2026-11-21" in text
    fips = briefing.resolve_jurisdiction(data, jurisdiction)
    table = metrics.jurisdiction_metrics(
        data, metrics.select_sites(data), metrics.radius_m_from(miles=5)
    ).set_index("fips")
    for column, fmt in (
        ("pct_pop_within_radius", formatting.percent),
        ("uncovered_population", formatting.count),
        ("sites_per_100k", formatting.decimal),
        ("mean_distance_miles", formatting.miles),
        ("population", formatting.count),
    ):
        assert fmt(table.loc[fips, column]) in text, column
        assert fmt(table.loc["24", column]) in text, column
    status = data.leave_behind.set_index("fips").loc[fips, "status"]
    assert {
        "documented": "Documented",
        "announced": "Announced",
        "no public evidence found": "no public evidence",
    }[status] in text
    assert "OpenStreetMap contributors" in text
    assert "not confirmed stock" in text


def test_statewide_briefing(data):
    text = pdf_text(briefing.briefing_pdf(data, "Maryland"))
    assert "Maryland\nNaloxone access briefing, generated" in text
    assert "7,844 doses" in text


def test_resolve_jurisdiction(data):
    assert briefing.resolve_jurisdiction(data, "001") == "24001"
    assert briefing.resolve_jurisdiction(data, "Saint Mary's") == "24037"
    assert briefing.resolve_jurisdiction(data, "24") == "24"
    with pytest.raises(ValueError, match="unknown jurisdiction"):
        briefing.resolve_jurisdiction(data, "Narnia")


@pytest.fixture(scope="module")
def drawer(data):
    return static_maps.sites_drawer(data.jurisdictions, data.sites)


def test_png_has_the_expected_size_and_is_not_blank(data, drawer):
    png = static_maps.figure_bytes(
        static_maps.map_figure(drawer, data.jurisdictions, "Naloxone access points"), "png", dpi=100
    )
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (1100, 750)
    pixels = np.asarray(image)
    not_white = (pixels < 245).any(axis=2).mean()
    assert 0.05 < not_white < 0.9
    site_blue = np.all(np.abs(pixels.astype(int) - [0, 114, 178]) < 12, axis=2).sum()
    assert site_blue > 500, "pharmacy markers are drawn"


def test_svg_and_pdf_maps_carry_title_and_sources(data):
    draw = static_maps.leave_behind_drawer(data.jurisdictions, data.leave_behind)
    svg = static_maps.figure_bytes(
        static_maps.map_figure(draw, data.jurisdictions, "EMS leave-behind"), "svg"
    )
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert b"EMS leave-behind" in svg and b"OpenStreetMap contributors" in svg
    pdf = static_maps.figure_bytes(
        static_maps.map_figure(draw, data.jurisdictions, "EMS leave-behind", zoom_fips="24027"),
        "pdf",
    )
    text = pdf_text(pdf)
    assert "EMS leave-behind" in text and "Unknown: no public evidence found" in text
    assert re.search(r"\b\d+ mi\b", text), "scale bar in miles"
    with pytest.raises(ValueError, match="unknown image format"):
        static_maps.figure_bytes(static_maps.map_figure(draw, data.jurisdictions, "x"), "bmp")


def test_access_gap_static_map(data):
    selected = metrics.select_sites(data)
    radius = metrics.radius_m_from(miles=5)
    draw = static_maps.access_gap_drawer(
        data.jurisdictions,
        metrics.nearest_sites(data, selected),
        selected,
        radius,
        "5 miles",
        recommended=metrics.recommend_sites(data, selected, 3, radius),
    )
    text = pdf_text(
        static_maps.figure_bytes(
            static_maps.map_figure(draw, data.jurisdictions, "Distance"), "pdf"
        )
    )
    assert "Recommended new location (hypothetical)" in text
    assert "Residents over 15 miles" in text


@pytest.mark.parametrize("builder", ["sites", "leave-behind", "access-gaps"])
def test_standalone_html_references_no_outside_url(data, builder):
    selected = metrics.select_sites(data)
    if builder == "sites":
        fmap = maps.sites_map(data.jurisdictions, data.sites)
    elif builder == "leave-behind":
        fmap = maps.leave_behind_map(data.jurisdictions, data.leave_behind, data.sites)
    else:
        fmap = maps.access_gap_map(
            data.jurisdictions,
            metrics.nearest_sites(data, selected),
            data.sites[data.sites["lat"].notna()],
            8046.72,
            "5 miles",
        )
    document = maps.standalone_html(fmap)
    assert external_resources(document) == []
    assert external_urls(document) == []
    assert "L.map(" in document or "L.map (" in document
    assert "<style>" in document and "leaflet-container" in document


def test_csv_injection_is_neutralised():
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x")', "+A1", "-2+3", "@SUM(A1)", "\tx", "\rx", "Plain"],
            "n": [1, 2, 3, 4, 5, 6, 7],
        }
    )
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back["name"].tolist()[:4] == ['\'=HYPERLINK("http://x")', "'+A1", "'-2+3", "'@SUM(A1)"]
    assert back["name"].iloc[-1] == "Plain"
    assert back["n"].tolist() == [str(i) for i in range(1, 8)], "numbers stay numbers"
    assert neutralise_formula(-5) == -5


def test_numbers_kept_as_text_are_not_quoted():
    """A rejected row keeps its cells as text: a negative longitude stays a number."""
    frame = pd.DataFrame({"lon": ["-79.3197", "+1", "-2", ".5", "-1e-5", "-", "-x"]})
    back = pd.read_csv(
        io.BytesIO(csv_bytes(frame)), encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    assert back["lon"].tolist() == ["-79.3197", "+1", "-2", ".5", "-1e-5", "'-", "'-x"]


def test_site_named_like_a_formula_comes_out_inert(tmp_path, monkeypatch, capsysbinary):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    path = raw / "md_pharmacies_osm2023.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "osm_rx_0001,Beckman's Pharmacy", 'osm_rx_0001,"=HYPERLINK(""http://x"")"'
        ),
        encoding="utf-8",
    )
    processed = tmp_path / "processed"
    build(raw, processed, tmp_path / "manifest.json")
    monkeypatch.setattr("geo.data.layers.PROCESSED_DIR", processed)
    assert cli_main(["export", "sites", "--format", "csv"]) == 0
    output = capsysbinary.readouterr().out
    frame = pd.read_csv(io.BytesIO(output), encoding="utf-8-sig", dtype=str)
    name = frame.set_index("id").loc["osm_rx_0001", "name"]
    assert name == '\'=HYPERLINK("http://x")'
    assert cli_main(["export", "sites", "--format", "geojson"]) == 0
    document = json.loads(capsysbinary.readouterr().out)
    names = [f["properties"]["name"] for f in document["features"]]
    assert '=HYPERLINK("http://x")' in names, "GeoJSON keeps the text as data"
    assert geojson_bytes(pd.DataFrame({"a": [1]}))


def test_cli_brief_one(tmp_path):
    out = tmp_path / "kent.pdf"
    result = run_geo(["brief", "--jurisdiction", "Kent", "--out", out])
    assert result.returncode == 0, result.stderr
    assert "Kent County\nNaloxone access briefing" in pdf_text(out.read_bytes())


@pytest.mark.slow  # 25 briefings (about a minute); runs in the full suite
def test_cli_brief_all(tmp_path):
    result = run_geo(["brief", "--all", "--out-dir", tmp_path / "all"])
    assert result.returncode == 0, result.stderr
    files = sorted((tmp_path / "all").glob("*.pdf"))
    assert len(files) == 25
    assert "25/25" in result.stderr, "progress bar"
    assert (tmp_path / "all" / "briefing-24510-baltimore-city.pdf").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("brief", "--jurisdiction", "Narnia", "--out", "x.pdf"),
        ("brief", "--jurisdiction", "24001"),
        ("brief", "--all"),
        ("brief", "--jurisdiction", "24001", "--out", "x.pdf", "--radius-miles", "0"),
    ],
)
def test_cli_brief_bad_input(args, tmp_path):
    result = run_geo(args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


MATHTEXT_NAME = r"$\undefinedcmd{x}$"
DOLLAR_EVIDENCE = "Kits cost $5 & $10; see $x$ and a lone $ sign"


def _with_hostile_text(data: metrics.AccessData) -> metrics.AccessData:
    """Allegany with an unmapped site named like mathtext and evidence full of dollars."""
    sites = data.sites.copy()
    row = sites.index[sites["jurisdiction_fips"] == "24001"][0]
    sites.loc[row, ["lat", "lon"]] = np.nan
    sites.loc[row, ["location_precision", "name"]] = ["none", MATHTEXT_NAME]
    leave_behind = data.leave_behind.copy()
    leave_behind.loc[leave_behind["fips"] == "24001", "evidence"] = DOLLAR_EVIDENCE
    return metrics.make_access_data(
        data.jurisdictions, data.population, sites, data.burden, leave_behind
    )


def test_briefing_draws_mathtext_like_data_literally(data):
    text = pdf_text(briefing.briefing_pdf(_with_hostile_text(data), "24001"))
    flat = text.replace("\n", " ")
    assert MATHTEXT_NAME in flat
    assert "$5 & $10" in flat and "$x$" in flat and "lone $ sign" in flat
    assert "<NA>" not in flat, "evidence without a source URL prints no 'Source: <NA>'"


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png"])
def test_static_map_draws_mathtext_like_titles_literally(data, drawer, fmt):
    figure = static_maps.map_figure(
        drawer, data.jurisdictions, MATHTEXT_NAME, subtitle=f"{DOLLAR_EVIDENCE} \\alpha"
    )
    output = static_maps.figure_bytes(figure, fmt, dpi=50)
    if fmt == "svg":
        root = ET.fromstring(output)
        texts = " ".join(
            "".join(node.itertext()) for node in root.iter() if node.tag.endswith("text")
        )
        assert MATHTEXT_NAME in texts and DOLLAR_EVIDENCE in texts
    elif fmt == "pdf":
        assert MATHTEXT_NAME in pdf_text(output)
    else:
        assert output.startswith(b"\x89PNG")


def _store_with_local_site(tmp_path) -> str:
    from geo.local.store import Store

    location = str(tmp_path / "store.sqlite")
    Store(location).add_sites(
        pd.DataFrame(
            [
                {
                    "name": "Harbor Test Pharmacy",
                    "type": "pharmacy",
                    "jurisdiction_fips": "24001",
                    "lat": None,
                    "lon": None,
                    "location_precision": "none",
                    "status": "open",
                    "source": "test",
                    "source_date": "2026-11",
                }
            ]
        ),
        who="test",
    )
    Store(location).publish(None, who="test")  # visitors see published updates only
    return location


def test_cli_brief_includes_local_updates_unless_public_only(tmp_path):
    env = {"NALOXONE_STORE": _store_with_local_site(tmp_path)}
    texts = {}
    for label, extra in (("local", []), ("public", ["--public-only"])):
        out = tmp_path / f"{label}.pdf"
        result = run_geo(
            ["brief", "--jurisdiction", "24001", "--out", out, *extra], cwd=tmp_path, env=env
        )
        assert result.returncode == 0, result.stderr
        texts[label] = pdf_text(out.read_bytes()).replace("\n", " ")
    assert "Harbor Test Pharmacy" in texts["local"]
    assert "Harbor Test Pharmacy" not in texts["public"]
    assert "and 1 local update." in texts["local"] and "local update" not in texts["public"]


@pytest.mark.parametrize(
    "args",
    [
        ("--jurisdiction", "24001", "--out", "/missing/dir/x.pdf"),
        ("--jurisdiction", "24001", "--out", "."),
        ("--all", "--out-dir", "/proc/no-such-dir"),
    ],
)
def test_cli_brief_unwritable_output_is_one_line(args, tmp_path):
    result = run_geo(["brief", *args], cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "/missing/dir" in lines[0] or "'.'" in lines[0] or "/proc/no-such-dir" in lines[0], (
        lines[0]
    )


def test_a_failed_atomic_write_leaves_no_partial_file(tmp_path):
    from geo.render.exports import write_bytes_atomic

    target = tmp_path / "taken"
    target.mkdir()  # a folder where the file should go: the final rename fails
    with pytest.raises(OSError):
        write_bytes_atomic(b"data", target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_writing_to_a_pipe_or_device_writes_through_it_and_keeps_it(tmp_path):
    """``--out /dev/null`` or a named pipe: the data goes through it and the special file
    stays what it was (an atomic replace would leave a plain file in its place)."""
    import os
    import stat
    import threading

    from geo.render.exports import write_bytes_atomic

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    write_bytes_atomic(b"a,b\n1,2\n", pipe)
    reader.join(timeout=10)
    assert received == [b"a,b\n1,2\n"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]
