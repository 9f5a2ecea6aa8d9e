"""The briefing of a jurisdiction with no public leave-behind evidence carries the cited
"how a county starts" paragraph; a documented jurisdiction's does not (issue 29)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from geo.render import briefing


def _text(document: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def test_county_start_paragraph_only_where_no_program_is_documented(data):
    allegany = " ".join(
        _text(briefing.briefing_pdf(data, "Allegany", generated="2026-12-07")).split()
    )
    assert "How a county starts EMS naloxone leave-behind" in allegany
    assert "opt-in: each county chooses to join" in allegany
    assert "EMS companies the naloxone at no cost" in allegany
    assert "5.16 times" in allegany and "Scharf et al." in allegany
    howard = _text(briefing.briefing_pdf(data, "Howard", generated="2026-12-07"))
    assert "How a county starts" not in howard
