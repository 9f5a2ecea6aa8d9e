"""Issue 28, item 6: Washington County's vending machines linked to an unrelated news
article (a Pennsylvania police story). A wrong link is never shown: it is withheld and
the source said in words."""

from __future__ import annotations

from geo.config import RAW_DIR
from geo.data import layers, sites_raw


def test_no_site_links_to_the_unrelated_article():
    sites = layers.load_sites()
    assert not sites["source_url"].fillna("").str.contains("thehancocknews").any()
    assert not sites["source"].fillna("").str.contains("pennsylvania-state-police").any()
    washington = sites[
        (sites["jurisdiction_fips"] == "24043") & (sites["type"] == "vending_machine")
    ]
    assert len(washington) == 3
    assert washington["source_url"].isna().all()
    assert washington["source"].str.startswith("The Hancock News, 12 March 2024").all()


def test_the_raw_file_still_holds_it_and_the_reader_withdraws_it():
    path = RAW_DIR / "md_harm_reduction_sites_from_public_pages.csv"
    assert "thehancocknews" in path.read_text(encoding="utf-8")  # the source file unedited
    read = sites_raw.read_harm_reduction(path)
    assert read["source_url"].dropna().isin(list(sites_raw.WITHDRAWN_SOURCE_LINKS)).sum() == 0
