"""Maryland naloxone access dashboard: ``streamlit run dashboard.py``."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo import layers, maps
from geo.catalog import STOCK_CAVEAT
from geo.schema import SITE_TYPE_LABELS

st.set_page_config(page_title="Maryland naloxone access", layout="wide")


@st.cache_data(show_spinner=False)
def _load():
    return layers.load_jurisdictions(), layers.load_sites()


jurisdictions, sites = _load()
st.title("Naloxone access in Maryland")
st.warning(STOCK_CAVEAT)
mapped = sites["lat"].notna()
columns = st.columns(3)
columns[0].metric("Listed access points", f"{len(sites):,}")
columns[1].metric("Mapped", f"{int(mapped.sum()):,}")
columns[2].metric("Unmapped (no coordinates)", f"{int((~mapped).sum()):,}")
counts = sites["type"].value_counts()
st.dataframe({"Type": [SITE_TYPE_LABELS[t] for t in counts.index],
              "Sites": counts.to_list()}, hide_index=True)
st_folium(maps.sites_map(jurisdictions, sites), height=560, use_container_width=True,
          returned_objects=[], key="overview_map")
