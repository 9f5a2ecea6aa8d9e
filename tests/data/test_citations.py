"""Issue 12: every raw source has a reader citation (publisher, dataset, vintage, licence)
and none carries repository commits or file hashes."""

from __future__ import annotations

import re

from geo.data import catalog, citations


def test_every_raw_source_has_one_reader_citation():
    cited = [c.filename for c in citations.READER_CITATIONS]
    assert sorted(cited) == sorted(s.filename for s in catalog.RAW_SOURCES)
    assert len(set(cited)) == len(cited)


def test_reader_citations_name_publisher_dataset_vintage_licence_without_build_details():
    for citation in citations.reader_citations():
        text = citation.text()
        assert text.startswith(citation.publisher + ". " + citation.dataset + ". ")
        assert citation.vintage and f"Licence: {citation.licence}." in text
        assert "commit" not in text.lower() and "DSPG" not in text and ".csv" not in text
        assert not re.search(r"\b[0-9a-f]{8,}\b", text), text
    deaths = citations.reader_citations(("md_drug_alcohol_induced_deaths_cdcwonder_2022_2023.csv",))
    assert [c.vintage for c in deaths] == ["2022-2023"]
    pharmacies = citations.reader_citations(("md_pharmacies_osm2023.csv",))[0]
    assert pharmacies.vintage == "Jan 2023"
    assert "© OpenStreetMap contributors" in pharmacies.licence
