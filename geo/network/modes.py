"""The travel modes and their rules: one home for which segments each mode may use and
how fast it goes.

- **walk** (the bundled Baltimore City network): every Baltimore City DOT street
  centre-line except those whose ``subtype_label`` is in :data:`WALK_EXCLUDED_SUBTYPES`
  (freeways, ramps and tunnels have no footway), in both directions, at
  :data:`WALK_SPEED_M_PER_MIN` = 80 m/min (4.8 km/h).
- **drive** (from an OpenStreetMap extract the operator supplies, :mod:`geo.network.osm`):
  the ``highway`` classes in :data:`DRIVE_SPEED_KMH`, one-way streets honoured, the way's
  ``maxspeed`` when it has a usable one and otherwise the speed of its class in that table.

A point joins the network at the nearest node of the largest strongly connected component;
the straight-line distance to it is added to the trip at the mode's ``access_speed_m_per_min``
(walking speed for walking; for driving, the residential-street speed: the last stretch is
a local street). A point more than :data:`FAR_FROM_NETWORK_M` from its node is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Baltimore City DOT ``subtype_label`` values pedestrians cannot use.
WALK_EXCLUDED_SUBTYPES: tuple[str, ...] = ("Limited Access", "Ramp", "Tunnel")
#: Walking speed, metres per minute (4.8 km/h).
WALK_SPEED_M_PER_MIN = 80.0
#: Segment end points closer than this (metres) are one node.
JOIN_TOLERANCE_M = 0.5
#: A point farther than this (metres) from the network is flagged in every output.
FAR_FROM_NETWORK_M = 500.0

#: Driving speed (km/h) by OpenStreetMap ``highway`` class when a way has no usable
#: ``maxspeed``: typical posted limits in Maryland (Transportation Article §21-801.1:
#: 30 mph in business districts and on undivided residential roads, 55 mph elsewhere on
#: highways, 65-70 mph on posted interstates); link roads a little below their road.
#: An assumption by road class, labelled as such wherever drive minutes are shown.
DRIVE_SPEED_KMH: dict[str, float] = {
    "motorway": 105.0,  # 65 mph
    "motorway_link": 72.0,  # 45 mph
    "trunk": 88.0,  # 55 mph
    "trunk_link": 56.0,  # 35 mph
    "primary": 64.0,  # 40 mph
    "primary_link": 48.0,  # 30 mph
    "secondary": 56.0,  # 35 mph
    "secondary_link": 48.0,
    "tertiary": 48.0,  # 30 mph
    "tertiary_link": 40.0,  # 25 mph
    "unclassified": 40.0,  # 25 mph
    "residential": 40.0,  # 25 mph
    "living_street": 16.0,  # 10 mph
    "service": 24.0,  # 15 mph
}
#: ``highway`` values treated as one-way unless tagged ``oneway=no``.
IMPLIED_ONEWAY: tuple[str, ...] = ("motorway", "motorway_link")


@dataclass(frozen=True)
class Mode:
    """A travel mode: its name, a label for outputs, and the speed (m/min) at which the
    straight-line distance between a point and its network node is travelled."""

    name: str
    label: str
    access_speed_m_per_min: float
    #: The speeds in a few words, for notes under results.
    basis: str = ""
    #: The noun of one trip: "walk", "drive".
    trip: str = ""


WALK = Mode(
    "walk",
    "walking minutes",
    WALK_SPEED_M_PER_MIN,
    f"{WALK_SPEED_M_PER_MIN:g} m/min, {WALK_SPEED_M_PER_MIN * 60 / 1000:g} km/h",
    "walk",
)
DRIVE = Mode(
    "drive",
    "driving minutes",
    DRIVE_SPEED_KMH["residential"] * 1000.0 / 60.0,
    "posted speed limits, else assumed speeds by road class; one-way streets honoured; no traffic",
    "drive",
)
MODES: dict[str, Mode] = {mode.name: mode for mode in (WALK, DRIVE)}

#: The walking method in one sentence, for outputs and the Data & methods page.
WALK_METHOD = (
    "Walking minutes on the Baltimore City DOT street centre-lines (2021): every segment "
    "except " + ", ".join(f'"{s}"' for s in WALK_EXCLUDED_SUBTYPES) + " (no footway), in "
    f"both directions, at {WALK_SPEED_M_PER_MIN:g} m/min "
    f"({WALK_SPEED_M_PER_MIN * 60 / 1000:g} km/h); tract centres of population and sites "
    "join the network at its nearest node and the straight line to it is walked too; "
    f"points more than {FAR_FROM_NETWORK_M:g} m from the network are flagged. Baltimore "
    "City only: no other walking network is bundled."
)
#: The driving method in one sentence.
DRIVE_METHOD = (
    "Driving minutes on an OpenStreetMap extract installed by the operator (© OpenStreetMap "
    "contributors, ODbL): one-way streets honoured; each way's posted maxspeed, otherwise an "
    "assumed speed by road class (see docs/travel-time.md); no traffic or turn delays."
)
