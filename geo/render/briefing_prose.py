"""A briefing's paragraphs as plain text: what the measures mean, the EMS leave-behind
evidence, the recommended locations by place, where the pharmacy list is likely
incomplete, and the sources as a reader cites them."""

from __future__ import annotations

import pandas as pd

from geo.analysis.ranking import GAP_MEASURES
from geo.config import MARYLAND_STATE_FIPS
from geo.data.citations import (
    HOST_SITE_FILES,
    TRACT_CONTEXT_FILES,
    ReaderCitation,
    reader_citations,
)
from geo.render import formatting
from geo.render.briefing_text import spelled_out
from geo.schema import LEAVE_BEHIND_STATUS_LABELS, SITE_TYPE_LABELS


def meanings(
    radius: str,
    catchment: str,
    types: tuple[str, ...],
    decay: str,
    gap_measure: str,
    *,
    ranked: bool = True,
) -> list[tuple[str, str]]:
    """(term, one plain sentence) per measure, in the order of the key figures; the
    ranks among the 24 are explained when ``ranked``."""
    kinds = ", ".join(SITE_TYPE_LABELS[t].lower() for t in types)
    rank = (
        [
            (
                "Rank among the 24:",
                "Where the jurisdiction stands among Maryland's 23 "
                "counties and Baltimore City; 1st is the best value (the 'better when' column "
                "says which way is better). Jurisdictions without a value of their own are not "
                "ranked.",
            )
        ]
        if ranked
        else []
    )
    decay_text = "" if decay == "none" else f"; nearer sites count more ({decay} distance decay)"
    gap = GAP_MEASURES[gap_measure]
    terms = [
        (
            "Residents:",
            "People counted by the 2020 census, placed at the centre of "
            "population of their census tract (a neighbourhood of a few thousand people).",
        ),
        (
            "Listed sites:",
            f"Places of these kinds with a mapped location: {kinds}. A "
            "listing does not confirm that naloxone is in stock.",
        ),
        (
            f"Within {radius}:",
            f"A resident is within reach when the straight-line distance "
            f"from their tract centre to the nearest listed site is {radius} or less; no road "
            "network is used.",
        ),
        (
            "Average distance and 90% distance:",
            "The straight-line distance from each "
            "tract centre to its nearest listed site, averaged over residents; and the "
            "distance that 9 in 10 residents live within.",
        ),
        (
            "Access score:",
            f"Listed sites per 100,000 residents reachable within {catchment}, "
            "counting each site's load: every site within reach of a neighbourhood counts as "
            f"one site shared by all the people who live within {catchment} of it{decay_text}; "
            "averaged over residents, higher is better.",
        ),
        (
            "Drug-induced deaths and rate:",
            "Deaths of residents from drug-induced causes "
            "recorded by CDC WONDER (Centers for Disease Control and Prevention); counts under "
            f"10 a year are suppressed and shown as '{formatting.MISSING}'. The rate is deaths "
            "per 100,000 residents a year, 2022-2023 pooled or the one published year.",
        ),
        (
            "Access gap:",
            spelled_out(
                f"{gap.label}: {gap.formula}. 1st largest means the "
                "largest gap of the 24 jurisdictions; the plausible range comes from 2,000 random "
                "resamples of the death counts."
            ),
        ),
    ]
    return terms + rank


def leave_behind_lines(leave_behind: pd.DataFrame, fips: str, full_name: str) -> list[str]:
    """The jurisdiction's emergency medical services (EMS) leave-behind status with its
    evidence, source and as-of date; statewide, the counts by status. Unknown is "no
    public evidence found", never "no program"."""
    if fips == MARYLAND_STATE_FIPS:
        counts = leave_behind["status"].value_counts()
        return [
            f"Documented in {counts.get('documented', 0)} jurisdictions, announced in "
            f"{counts.get('announced', 0)}; no public evidence found for "
            f"{counts.get('no public evidence found', 0)} (unknown, which is not the "
            "same as having no program)."
        ]
    record = leave_behind.set_index("fips").loc[fips]
    lines = [f"Status: {LEAVE_BEHIND_STATUS_LABELS[record['status']]}."]
    if record["status"] == "no public evidence found":
        lines.append(
            f"No public page describing a leave-behind program in {full_name} was "
            "found; this is unknown, not evidence that there is no program."
        )
    if pd.notna(record["evidence"]):
        evidence = formatting.clip(record["evidence"])
        cut = " (shortened; the full text is in the leave-behind export)"
        lines.append(f"Evidence: {evidence}" + (cut if evidence.endswith("…") else ""))
    if pd.notna(record["earliest_date"]):
        lines.append(f"As of: {record['earliest_date']} (earliest dated evidence).")
    if pd.notna(record["source_url"]) and str(record["source_url"]).strip():
        lines.append(f"Source: {formatting.clip(record['source_url'], 300)}")
    return lines


def recommendation_rows(
    named: pd.DataFrame, radius: str
) -> tuple[list[str], list[tuple[str, ...]]]:
    """Headers and one row per recommended location (named by place), best first;
    coordinates last."""
    hosts = "kind" in named and bool((named["kind"] != "tract").any())
    headers = [
        "#",
        "Candidate host site (name, address)"
        if hosts
        else "Location (nearest town, jurisdiction; distance to the town)",
        f"Residents newly within {radius}",
        "Running total (residents)",
        "Coordinates (latitude, longitude)",
    ]
    rows = [
        (str(rank), place, formatting.count(gain), formatting.count(total), f"{lat:.4f}, {lon:.4f}")
        for rank, place, gain, total, lat, lon in zip(
            named["rank"],
            named["place"],
            named["newly_covered_population"],
            named["cumulative_covered_population"],
            named["lat"],
            named["lon"],
            strict=True,
        )
    ]
    return headers, rows


def briefing_citations(
    gap_measure: str, host_files: tuple[str, ...] = ()
) -> tuple[ReaderCitation, ...]:
    """The sources a briefing cites: every raw source but the ZIP centres (cited in the
    licences of the sites placed at them) and, unless the gap measure uses it, the
    county context table."""
    skip = {"md_zip_centroids_zipcodes3.csv"}
    if gap_measure != "svi":
        skip.add("md_county_context_oeps.csv")
    if gap_measure == "no-vehicle":
        skip.add(TRACT_CONTEXT_FILES[1])
    elif gap_measure == "rurality":
        skip.add(TRACT_CONTEXT_FILES[0])
    else:
        skip.update(TRACT_CONTEXT_FILES)
    skip.update(f for f in HOST_SITE_FILES if f not in host_files)
    return tuple(c for c in reader_citations() if c.filename not in skip)


#: The raw files of each kind of candidate host site.
_HOST_FILES_BY_KIND = {
    "health_center": HOST_SITE_FILES[0:1],
    "treatment": HOST_SITE_FILES[1:2],
    "rail": HOST_SITE_FILES[2:5],
    "bus": HOST_SITE_FILES[5:6],
}


def host_site_files(recommended: pd.DataFrame) -> tuple[str, ...]:
    """The raw files the recommended host sites come from (none for tract centres)."""
    kinds = recommended["kind"].unique() if "kind" in recommended else ()
    return tuple(f for kind in kinds for f in _HOST_FILES_BY_KIND.get(str(kind), ()))


def refresh_citations(sites: pd.DataFrame) -> list[str]:
    """The sources of sites a published refresh added or moved (local rows that name a
    public source and its licence), one sentence each with how many sites and the
    licence: ``OpenStreetMap via the Overpass API, as of 2026-12-01: 12 sites added or
    moved by a reviewed refresh. Licence: ODbL 1.0 (© OpenStreetMap contributors).``"""
    from geo.local.merge import LOCAL_LICENCE

    if "origin" not in sites or "licence" not in sites:
        return []
    local = sites[sites["origin"].ne("public") & sites["licence"].notna()]
    local = local[local["licence"].ne(LOCAL_LICENCE) & local["source"].notna()]
    counts = local.groupby(["source", "licence"], sort=True).size()
    return [
        f"{source}: {int(n)} site{'' if n == 1 else 's'} added or moved by a reviewed "
        f"refresh. Licence: {licence}."
        for (source, licence), n in counts.items()
    ]


def completeness_sentence(row: pd.Series, full_name: str, radius: str) -> str:
    """One plain sentence on how complete our pharmacy list is in ``row``'s area (a row of
    :func:`geo.analysis.metrics.jurisdiction_metrics`): the residents of tracts where the
    list likely misses a pharmacy and what it means for the figures; empty when unknown."""
    tracts, people = row.get("list_gap_tracts"), row.get("list_gap_population")
    if pd.isna(tracts) or pd.isna(people):
        return ""
    if int(tracts) == 0:
        return (
            f"Checked against the drive times to pharmacies published by OEPS (2025), our "
            f"pharmacy list shows no tract in {full_name} where it likely misses a pharmacy."
        )
    beyond = row.get("list_gap_uncovered_population")
    beyond_text = (
        f", {formatting.count(beyond)} of them farther than {radius} from any listed site"
        if pd.notna(beyond) and int(beyond) > 0
        else ""
    )
    plural = "" if int(tracts) == 1 else "s"
    return (
        f"Our pharmacy list is likely missing pharmacies in {formatting.count(tracts)} "
        f"census tract{plural} of {full_name} where {formatting.count(people)} people "
        f"live{beyond_text}: there, distances and gaps may be overstated, because OEPS's "
        "2025 drive times show a pharmacy closer than any on our list."
    )
