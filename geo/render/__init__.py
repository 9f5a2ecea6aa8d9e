"""Everything people see or download: interactive and static maps, briefings, exports.

Folium maps that work offline (:mod:`geo.render.maps`, on the base in
:mod:`geo.render.base_map`, built from the Leaflet layers in :mod:`geo.render.map_layers`,
the controls in :mod:`geo.render.map_controls` and the shared point layers in
:mod:`geo.render.map_points`), matplotlib maps for print (:mod:`geo.render.static_maps`,
their layers in :mod:`geo.render.static_layers`), both coloured from
:mod:`geo.render.palette` and named from :mod:`geo.render.map_labels` (jurisdictions and
main towns, laid out by :mod:`geo.render.label_layout`); :mod:`geo.render.map_exports`
builds each dashboard map once for the page, its downloads and ``python -m geo map``;
briefing PDFs, CSV/GeoJSON exports and number formatting. Imports analysis and below;
never Streamlit.
"""

__all__ = [
    "base_map",
    "briefing",
    "exports",
    "formatting",
    "label_layout",
    "map_controls",
    "map_exports",
    "map_labels",
    "map_layers",
    "map_points",
    "maps",
    "palette",
    "static_layers",
    "static_maps",
]
