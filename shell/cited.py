"""Cited sentences on a page: each sentence with its source (linked) and date."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from geo.analysis import learn
from geo.i18n import Translator
from geo.render.formatting import markdown_link, markdown_literal


def cited_markdown(line: learn.CitedLine, _: Translator | None = None) -> str:
    """A cited sentence: the text, then its source (linked when it has an address) and date;
    every value is shown literally."""
    _ = _ or (lambda message: message)
    title = (
        markdown_link(line.source_title, line.source_url)
        if line.source_url
        else markdown_literal(line.source_title)
    )
    date = markdown_literal(learn.source_date_text(line.source_date, _))
    label = _("Source:")
    return f"{markdown_literal(line.text)}  \n  _{label} {title}, {date}_"


def show_cited_lines(
    heading: str, lines: Sequence[learn.CitedLine], _: Translator | None = None
) -> None:
    """A small heading and the sentences as a list (nothing at all when there are none)."""
    if not lines:
        return
    st.markdown(f"#### {heading}")  # our own words, never data
    st.markdown("\n".join(f"- {cited_markdown(line, _)}" for line in lines))
