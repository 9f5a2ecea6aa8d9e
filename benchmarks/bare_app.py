"""Reference app of the cold-start benchmark: a bare Streamlit app that imports the
libraries the dashboard draws its maps with and shows a title."""

import folium  # noqa: F401
import geopandas  # noqa: F401
import streamlit as st
import streamlit_folium  # noqa: F401

st.title("Bare app")
