"""Input bounds (issue 22, item 9): every free-text field is bounded at entry, in
imports and in the store, and every layout bounds what it shows (a 200,000-character
leave-behind evidence made a 36-page briefing); counts and coordinates are validated
before the store, so SQLite and PostgreSQL refuse the same values with the same message
(3,000,000,000 doses failed on PostgreSQL's integer but saved on SQLite)."""

from __future__ import annotations

import dataclasses
import io

import pandas as pd
import pytest
from pypdf import PdfReader

from geo.local import importing
from geo.local.limits import FIELD_CHARS, MAX_COUNT
from geo.render import briefing
from tests.support.stores import SITE

HUGE = "evidence " * 22_223  # ~200,000 characters


@pytest.mark.parametrize("doses", [3_000_000_000, MAX_COUNT + 1, -1])
def test_a_count_out_of_range_is_refused_alike_on_both_stores(store, doses):
    with pytest.raises(ValueError, match="doses must be") as refused:
        store.save_leave_behind(
            "24001", {"status": "documented", "doses": doses}, expected_version=0, who="Dana"
        )
    assert "\n" not in str(refused.value)
    assert store.leave_behind().empty and store.changes().empty


def test_the_largest_count_is_stored_alike_on_both_stores(store):
    store.save_leave_behind(
        "24001", {"status": "documented", "doses": MAX_COUNT}, expected_version=0, who="Dana"
    )
    assert int(store.leave_behind()["doses"].iloc[0]) == MAX_COUNT


def test_long_evidence_is_refused_before_the_store(store):
    with pytest.raises(ValueError) as refused:
        store.save_leave_behind(
            "24001", {"status": "documented", "evidence": HUGE}, expected_version=0, who="Dana"
        )
    assert str(refused.value) == (
        f"evidence is {len(HUGE):,} characters long, over the "
        f"{FIELD_CHARS['evidence']:,}-character limit; shorten it"
    )
    assert store.leave_behind().empty


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": "N" * 201}, "name is 201 characters long, over the 200-character limit"),
        ({"notes": "x" * 2_001}, "notes is 2,001 characters long"),
        ({"lat": float("inf")}, "lat must be from -90 to 90"),
        ({"lon": 1e308}, "lon must be from -180 to 180"),
    ],
)
def test_sites_out_of_bounds_are_refused_on_both_stores(store, values, message):
    with pytest.raises(ValueError, match=message):
        store.save_site("local-x", {**SITE, **values}, expected_version=0, who="Dana")
    with pytest.raises(ValueError, match=f"row 1, {message}"):
        store.add_sites(pd.DataFrame([{**SITE, **values}]), who="Dana")
    assert store.sites().empty


def test_an_import_rejects_a_field_over_its_limit(data):
    content = (
        "name,type,county,source\n"
        f"{'N' * 250},pharmacy,Kent,\n"
        f"Kent Box,naloxone box,Kent,{'s' * 600}\n"
        "Kent Rx,pharmacy,Kent,fine\n"
    ).encode()
    table = importing.read_upload("long.csv", content)
    mapping = importing.guess_mapping(list(table.frame.columns))
    report = importing.validate(table, mapping, data.jurisdictions, data.sites)
    assert report.rejected == [
        {
            "row": 2,
            "field": "name",
            "reason": "is 250 characters long, over the 200-character limit; "
            "shorten it and import again",
        },
        {
            "row": 3,
            "field": "source",
            "reason": "is 600 characters long, over the 500-character limit; "
            "shorten it and import again",
        },
    ]
    assert report.accepted["name"].tolist() == ["Kent Rx"]


def pages(document: bytes) -> int:
    return len(PdfReader(io.BytesIO(document)).pages)


def test_a_briefing_bounds_long_evidence_and_long_lists(data):
    """Text already in the data (an older store, a public file) is bounded in the layout."""
    normal = pages(briefing.briefing_pdf(data, "Allegany", generated="2026-12-07"))
    leave_behind = data.leave_behind.copy()
    leave_behind.loc[leave_behind["fips"] == "24001", "evidence"] = HUGE
    sites = data.sites.copy()
    unmapped = sites["jurisdiction_fips"].eq("24001") & sites["lat"].isna()
    sites.loc[unmapped, "name"] = "Q" * 5_000
    hostile = dataclasses.replace(data, leave_behind=leave_behind, sites=sites)
    document = briefing.briefing_pdf(hostile, "Allegany", generated="2026-12-07")
    assert pages(document) <= normal + 1
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)
    assert "shortened; the full text is in the leave-behind export" in " ".join(text.split())


def test_a_handout_bounds_long_names_and_hours(data):
    """A site with a 5,000-character name and hours still prints on one page."""
    from geo.analysis.finder import Finder
    from geo.data.layers import load_cited_facts
    from geo.render import handout

    result = Finder.from_data(data).find("21201", 3)
    results = result.results.copy()
    results["name"] = results["name"].astype(object)
    results.loc[results.index[0], "name"] = "N" * 5_000
    results["hours"] = "Mo-Fr " * 1_000
    hostile = dataclasses.replace(result, results=results)
    link = handout.finder_link("http://127.0.0.1:8501", result.query.text)
    content = handout.handout_content(hostile, load_cited_facts(), data.sites, link)
    document = handout.handout_pdf(content)
    reader = PdfReader(io.BytesIO(document))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "…" in text and "N" * 200 not in text
