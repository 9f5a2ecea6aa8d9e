"""Everything people see or download: interactive and static maps, briefings, exports.

Folium maps that work offline (:mod:`geo.render.maps`), matplotlib maps for print
(:mod:`geo.render.static_maps`), briefing PDFs, CSV/GeoJSON exports and number
formatting. Imports analysis and below; never Streamlit.
"""

__all__ = ["briefing", "exports", "formatting", "maps", "static_maps"]
