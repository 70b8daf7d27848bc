"""The problems page's map: a ring round each place with open problems (red when one is overdue), the zones'
outlines, and a dot where each of their photos was taken; a click on a ring shows that place's problem."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.analysis import Filters, open_by_place
from geo.domain import t
from geo.maps import initial_bounds
from geo.maps.layers import photo_layer, problem_layer, problem_legend, zone_outlines
from geo.store import located_photos
from ui.cache import dataset
from ui.data import engine
from ui.mappage import show_map
from ui.mappicture import layers_picture_button
from ui.mapstate import map_state

KEY = "map_problems"


def problems_map(shown: pd.DataFrame, day: dt.date, lg: str) -> None:
    """The map of the problems ``shown`` (the list's, after its filters), counted on ``day``. A click on a place
    chooses its most pressing open problem (overdue first, then the oldest) in the details below."""
    open_places = open_by_place(shown, day)
    if open_places.empty:
        return
    ds = dataset()
    rings = problem_layer(open_places, lg)
    layers = [*zone_outlines(ds.zones, lg), rings]
    photos = located_photos(engine())
    photos = photos.loc[photos["problem_id"].isin(set(shown["id"]))]
    if len(photos):
        layers.append(photo_layer(photos, shown, lg))
    # the map opens on the places to act on (and where their photos were taken), not on the whole city
    wanted = set(open_places["place_id"].astype(str))
    shapes = [ds.layer(layer).loc[lambda f: f["id"].astype(str).isin(wanted), ["geometry"]]
              for layer in rings.places if len(ds.layer(layer))]
    shapes.append(gpd.GeoDataFrame(geometry=gpd.points_from_xy(photos["lon"], photos["lat"]), crs="EPSG:4326"))
    home = initial_bounds(gpd.GeoDataFrame(pd.concat(shapes, ignore_index=True), geometry="geometry"), share=1.0)
    legends = [problem_legend(open_places, lg)]
    clicked = show_map(map_state(layers, legends), key=KEY, home=home)
    layers_picture_button(layers, legends, "page_problems", Filters(date=day.isoformat()),
                          f"{t('page_problems', lg)}_{day.isoformat()}", key=f"problems_{day.isoformat()}")
    if clicked and clicked[0] == "problems" and clicked != st.session_state.get(f"{KEY}_last"):
        st.session_state[f"{KEY}_last"] = clicked
        of_place = shown.loc[(shown["place_id"].astype(str) == clicked[1]) & shown["state"].ne("closed")]
        if len(of_place):
            first = of_place.sort_values(["deadline", "found_on", "id"]).iloc[0]
            st.session_state["problem_show"] = str(first["id"])
