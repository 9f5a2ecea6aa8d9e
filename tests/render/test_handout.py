"""The printable handout (issue 27.3): one page, the sites, the caveat, the cited sentences
with their sources, and a QR code that decodes back to the finder link of the search."""

from __future__ import annotations

import io
import shutil
import subprocess

import pandas as pd
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from geo.analysis.finder import Finder
from geo.cli import main as cli_main
from geo.data.layers import load_cited_facts
from geo.render import handout
from geo.render.finder_output import distance_phrase

BASE = "http://127.0.0.1:8501"


@pytest.fixture(scope="module")
def city(data):
    return Finder.from_data(data).find("21201", 5)


def _pdf(result, data, paper="letter", lang="en") -> bytes:
    link = handout.finder_link(BASE, result.query.text, lang)
    content = handout.handout_content(
        result, load_cited_facts(), data.sites, link, lang=lang, generated="2026-12-07"
    )
    return handout.handout_pdf(content, paper)


def _text(document: bytes) -> str:
    reader = PdfReader(io.BytesIO(document))
    assert len(reader.pages) == 1
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _decode(image: Image.Image) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(image.convert("L"))]


def test_the_handout_lists_the_sites_caveat_and_every_source(city, data):
    document = _pdf(city, data)
    text = _text(document)
    assert "Free naloxone near ZIP code 21201 (Baltimore)" in text
    assert "Call ahead: a listing is not confirmed stock." in text
    assert "straight-line (as the crow flies)" in text
    shown = 0
    for number, (_, row) in enumerate(city.results.iterrows(), start=1):
        if f"{number}. {row['name']}" not in text:
            break
        shown = number
        assert distance_phrase(row) in text  # "about ... to its ZIP centre" when approximate
    assert shown >= 3
    if shown < len(city.results):  # the rest are counted, never silently dropped
        assert f"{len(city.results) - shown} more sites of this search" in text
    assert "0.0 mi" not in text
    first = city.results.iloc[0]
    assert f"Address: {first['address']}" in text  # since issue 24 an NPPES pharmacy
    assert "410-433-5175" in text  # Baltimore City: the crisis line
    for url in (
        "https://bha.health.maryland.gov/naloxone/Pages/home.aspx",
        "https://store.samhsa.gov",
        "Good-Samaritan-Law.aspx",
        "https://health.baltimorecity.gov/naloxone",
    ):
        assert url in text.replace(" ", ""), url
    # each cited sentence is numbered to a source listed at the foot
    assert "call 911. [3]" in text and "[3] SAMHSA Overdose Prevention and Response" in text


@pytest.mark.parametrize(("paper", "size"), [("letter", (612, 792)), ("a4", (595, 842))])
def test_one_page_of_either_paper(city, data, paper, size):
    page = PdfReader(io.BytesIO(_pdf(city, data, paper))).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size


def test_the_qr_code_decodes_back_to_the_finder_link(city, data, tmp_path):
    document = _pdf(city, data)
    link = handout.finder_link(BASE, "21201")
    assert link == f"{BASE}/find?q=21201"
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) renders the page as printed")
    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes(document)
    for dpi in ("150", "100"):  # the whole page as printed, at two resolutions
        subprocess.run(
            ["pdftoppm", "-png", "-r", dpi, "-singlefile", str(pdf), str(tmp_path / dpi)],
            check=True,
        )
        assert _decode(Image.open(tmp_path / f"{dpi}.png")) == [link], dpi


def test_walking_minutes_when_the_result_carries_them(city, data):
    results = city.results.copy()
    results["travel_minutes"] = [6.6, 8.2, 10.0, 10.4, 30.7]
    results["travel_mode"] = "walk"
    from dataclasses import replace

    text = _text(_pdf(replace(city, results=results), data))
    first = city.results["name"].iloc[0]  # Rite Aid before issue 24: closed now
    assert f"1. {first} — " in text and "7 min walk" in text and "10 min walk" in text
    assert "Walking minutes along the streets" in text
    assert "straight-line" not in text.split("Walking minutes")[1].split("What naloxone")[0]


def test_unknown_paper_and_a_missing_source_is_not_printed(city, data):
    link = handout.finder_link(BASE, "21201")
    facts = load_cited_facts()
    facts.loc[facts["fact"] == "baltimore_city_crisis_line", "source_url"] = pd.NA
    content = handout.handout_content(city, facts, data.sites, link)
    with pytest.raises(ValueError, match="paper is one of"):
        handout.handout_pdf(content, "legal")
    assert "5175" not in _text(handout.handout_pdf(content))


def test_find_writes_the_handout(tmp_path, capsys):
    out = tmp_path / "handout.pdf"
    assert cli_main(["find", "21550", "--handout", str(out), "--paper", "a4"]) == 0
    text = _text(out.read_bytes())
    assert "Free naloxone near ZIP code 21550 (Oakland)" in text
    assert "Garrett County Health Department" in text
    assert "Garrett County Health Department" in capsys.readouterr().out


def test_the_spanish_handout_has_no_english_sentence(city, data, tmp_path):
    from tests.support.english import data_values, english_left, english_msgids_left

    document = _pdf(city, data, lang="es")
    text = _text(document)
    assert "Naloxona gratis cerca de código postal 21201 (Baltimore)" in text
    assert "Llame antes de ir" in text and "llame al 911" in text.lower()
    assert "410-433-5175" in text and "Ley del Buen Samaritano de Maryland" in text
    from geo.analysis import learn

    values = data_values(
        city.results,
        city.also_in_jurisdiction,
        data.sites[["name", "source", "phone"]],
        extra=[
            *learn.SOURCE_TITLES.values(),
            "Baltimore City",
            "Narcan",
            "OpenStreetMap",
            "GeoNames",
            "ODbL",
            "CC BY",
            "PEP23-03-00-001",
        ],
    )
    flat = " ".join(text.split())
    assert english_left(flat, values) == []
    assert english_msgids_left(flat, values) == []
    # the file's own title and subject, shown by PDF readers, are Spanish too
    metadata = PdfReader(io.BytesIO(document)).metadata
    assert metadata.title.startswith("Naloxona gratis cerca de")
    assert metadata.subject == "Naloxona gratis: los lugares más cercanos de la lista"
    # the QR code links the Spanish finder
    pdf = tmp_path / "es.pdf"
    pdf.write_bytes(document)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(tmp_path / "es")],
            check=True,
        )
        assert _decode(Image.open(tmp_path / "es.png")) == [f"{BASE}/find?q=21201&lang=es"]


def test_find_in_spanish(capsys, data):
    from tests.support.english import data_values, english_left, english_msgids_left

    assert cli_main(["find", "21550", "--lang", "es"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Lugares con naloxona más cercanos a centro del código postal 21550")
    assert "Farmacia · cerca de" in text and "Fuente:" in text and "Llame antes de ir" in text
    result = Finder.from_data(data).find("21550", 5)
    values = data_values(result.results, result.also_in_jurisdiction, extra=["GeoNames", "CC BY"])
    assert english_left(text, values) == []
    assert english_msgids_left(text, values) == []
    assert cli_main(["find", "Bel Air", "--lang", "es"]) == 2
    assert "Hay más de un lugar en Maryland llamado Bel Air: elija uno." in capsys.readouterr().err


def test_twenty_sites_give_way_to_the_link_to_stay_on_one_page(data):
    result = Finder.from_data(data).find("21201", 20)
    text = _text(_pdf(result, data))
    assert f"1. {result.results['name'].iloc[0]}" in text
    assert "Rite Aid" not in text  # every Rite Aid closed in 2025 (issue 24)
    shown = sum(f"{n}. {name}" in text for n, name in enumerate(result.results["name"], 1))
    assert 1 <= shown <= handout.MAX_HANDOUT_SITES
    assert f"{20 - shown} more sites of this search: scan the code or open the link." in text


def test_find_walk_handout_shows_minutes_and_links_the_walking_search(tmp_path, monkeypatch):
    monkeypatch.setenv("NALOXONE_PUBLIC_URL", "https://naloxone.example.org/")
    out = tmp_path / "walk.pdf"
    args = ["find", "21201", "--measure", "walk", "--lang", "es", "--handout", str(out)]
    assert cli_main(args) == 0
    text = _text(out.read_bytes())
    assert "min a pie" in text and "Minutos a pie por la calle" in text
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "150", "-singlefile", str(out), str(tmp_path / "w")],
            check=True,
        )
        assert _decode(Image.open(tmp_path / "w.png")) == [
            "https://naloxone.example.org/find?q=21201&lang=es&measure=walk"
        ]


def test_a_phone_number_is_never_split_across_lines(data):
    result = Finder.from_data(data).find("Crisfield", 5)
    reader = PdfReader(io.BytesIO(_pdf(result, data)))
    lines = reader.pages[0].extract_text().splitlines()
    phone = "(410) 651-1020"  # Somerset County Health Department, in two places
    assert sum(phone in line for line in lines) == 2, [ln for ln in lines if "651" in ln]
