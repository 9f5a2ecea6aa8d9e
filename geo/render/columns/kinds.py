"""Columns whose meaning differs by the table they are in."""

from __future__ import annotations

from geo.render.columns.spec import _COMPUTED, _LEAVE, _SITE, _TRAVEL, Column
from geo.render.travel_columns import TRAVEL_METRIC_COLUMNS

#: Columns whose meaning differs by table (``kind``): in a table of sites ``name`` is the
#: site's; in the deaths layer ``population`` is CDC WONDER's for that year.
KINDS: dict[str, dict[str, Column]] = {
    "sites": {"name": _SITE},
    # A tract's trip to its nearest site on a street network (geo.analysis.travel).
    "travel": {
        "minutes": Column(
            "Travel time to nearest site",
            "minutes",
            "Network minutes (walking or driving, as the file name and notes say) from the "
            "tract centre of population to the nearest listed site of the network's area, "
            "including the straight lines to and from the nearest street node.",
            _TRAVEL,
            1,
        ),
    },
    "leave-behind": {
        "status": Column(
            "Leave-behind status",
            "",
            "What public evidence says "
            "about the jurisdiction's EMS leave-behind program; "
            "'no public evidence found' is not 'no program'.",
            _LEAVE,
        ),
        "source_url": Column("Source links", "", "Public pages read (separated by ' ; ').", _LEAVE),
    },
    "recommendations": {
        "rank": Column(
            "Rank",
            "",
            "Order in which the search added the location (1 = the largest reduction "
            "of the chosen gap measure: its weighted residents newly within reach).",
            _COMPUTED,
        ),
        "place": Column(
            "Location",
            "",
            "Where the recommended location is: a real host site by its name and "
            "address, or for a tract centre the nearest town, the jurisdiction and the "
            "straight-line distance to the town.",
            ("census", "geonames", "candidates"),
        ),
        "candidate_id": Column(
            "Candidate ID",
            "",
            "2020 census tract of a tract centre, or the host site's identifier.",
            ("census", "candidates"),
        ),
        "name": Column(
            "Jurisdiction (short name)",
            "",
            "Maryland county or Baltimore City the location lies in.",
            ("census",),
        ),
        "lat": Column(
            "Latitude",
            "degrees, WGS84",
            "Latitude of the host site, or of the tract's centre of population.",
            ("census",),
            5,
        ),
        "lon": Column(
            "Longitude",
            "degrees, WGS84",
            "Longitude of the host site, or of the tract's centre of population.",
            ("census",),
            5,
        ),
    },
    "travel-metrics": TRAVEL_METRIC_COLUMNS,
    "burden": {
        "population": Column(
            "Population (CDC WONDER)",
            "people",
            "Residents in that year as used by CDC WONDER for the rate.",
            ("deaths",),
        )
    },
}
