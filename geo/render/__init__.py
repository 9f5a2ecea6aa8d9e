"""Everything people see or download: interactive and static maps, briefings, exports.

Folium maps that work offline (:mod:`geo.render.maps`, built from the Leaflet pieces in
:mod:`geo.render.map_layers`), matplotlib maps for print (:mod:`geo.render.static_maps`),
both coloured from :mod:`geo.render.palette`; briefing PDFs, CSV/GeoJSON exports and
number formatting. Imports analysis and below; never Streamlit.
"""

__all__ = ["briefing", "exports", "formatting", "map_layers", "maps", "palette", "static_maps"]
