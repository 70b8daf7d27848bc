"""The obvious way, for bench/scale.py: geopandas' explore() of the compounds in a Streamlit page via st_folium.

Started by the benchmark from a copy in ``bench/out/explore_app/`` (next to a link to the app's static folder,
so that Leaflet is served offline). The data is read once per process, as the product caches its own; the map
is built on every run, as st_folium needs a fresh one (it alters the map it renders).
"""

import os
import sys

import streamlit as st
from streamlit_folium import st_folium

sys.path.insert(0, os.environ["CMDMAP_ROOT"])
sys.path.insert(0, os.path.join(os.environ["CMDMAP_ROOT"], "bench"))

from scale import _latest_view, explore_map  # noqa: E402


@st.cache_resource
def compound_view():
    return _latest_view(os.environ["CMDMAP_DATABASE_URL"])[1]


def compounds_map():
    m = explore_map(compound_view())
    # Offline: Leaflet from the app's static folder; the other CDN assets are not needed by polygons.
    def walk(element):
        yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)
    for element in walk(m):
        for attr, local in (("default_js", ("leaflet", "/app/static/vendor/leaflet/leaflet.js")),
                            ("default_css", ("leaflet_css", "/app/static/vendor/leaflet/leaflet.css"))):
            if hasattr(element, attr):
                setattr(element, attr, [local] if element is m else [])
    return m


st.title("explore()")
st_folium(compounds_map(), height=600, use_container_width=True, returned_objects=[])
