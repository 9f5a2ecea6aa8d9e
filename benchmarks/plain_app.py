"""Reference app of the dashboard benchmarks: the same KPIs and map layers drawn the usual
way with folium and streamlit-folium (points as one GeoJSON layer each), the map built and
passed to ``st_folium`` on every rerun (``?page=overview``: 24 jurisdictions and 519
sites; ``?page=access-gaps``: and the 1,475 tract centres coloured by distance). Assets
are the vendored Leaflet, so it runs offline too. Not part of the dashboard:
``benchmarks/app.py`` runs it under AppTest.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo.analysis import metrics
from geo.analysis.scenario import Scenario
from geo.config import METRES_PER_MILE
from geo.render.maps import localise_assets
from geo.render.palette import DISTANCE_CLASS_COLOURS, SITE_TYPE_COLOURS, distance_class


@st.cache_resource
def access_data() -> metrics.AccessData:
    return metrics.load_access_data()


data = access_data()
page = st.query_params.get("page", "overview")
radius = st.sidebar.number_input("Radius", 0.5, 50.0, 5.0, 0.5, key="radius_widget")
scenario = Scenario.from_data(data, radius_m=radius * METRES_PER_MILE)
state = scenario.table().set_index("fips").loc["24"]
st.title("Naloxone access (plain folium)")
st.metric(f"Residents within {radius:g} miles", f"{state['pct_pop_within_radius']:.1f}%")
st.metric("Residents farther", f"{state['uncovered_population']:,.0f}")

fmap = folium.Map(location=[38.95, -77.0], zoom_start=8, tiles=None)
folium.GeoJson(
    data.jurisdictions[["fips", "name", "geometry"]], tooltip=folium.GeoJsonTooltip(fields=["name"])
).add_to(fmap)


def points(frame, colours, fields, radius_px):
    """One GeoJSON layer of circle markers coloured by ``colour``, with tooltips."""
    frame = gpd.GeoDataFrame(
        frame.assign(colour=colours)[[*fields, "colour"]],
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
        crs=4326,
    )
    folium.GeoJson(
        frame,
        marker=folium.CircleMarker(radius=radius_px, weight=0.5, fill=True, fill_opacity=0.9),
        style_function=lambda feature: {"fillColor": feature["properties"]["colour"]},
        tooltip=folium.GeoJsonTooltip(fields=fields),
    ).add_to(fmap)


if page == "access-gaps":
    nearest = scenario.nearest
    classes = distance_class(nearest["distance_m"].to_numpy(), scenario.radius_m)
    points(
        nearest.round({"distance_miles": 2}),
        [DISTANCE_CLASS_COLOURS[c] for c in classes],
        ["geoid", "distance_miles"],
        4,
    )
sites = data.sites[data.sites["lat"].notna() & ~data.sites["closed"]]
points(sites, sites["type"].map(SITE_TYPE_COLOURS), ["name", "type", "address"], 4.5)
localise_assets(fmap)
st_folium(fmap, key="map", height=560, use_container_width=True, returned_objects=[])
