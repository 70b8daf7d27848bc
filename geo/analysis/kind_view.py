"""The status view of any kind of place by its name, for the pages and the wall.

A kind of :mod:`geo.domain.kinds` with a layer and a daily report of its own is
viewed by joining the two (:func:`geo.analysis.views.place_view`); the kinds whose
view is computed otherwise name their function here.

Examples
--------
>>> sorted(OWN_VIEWS)
['supplies', 'zones']
"""

from __future__ import annotations

import geopandas as gpd

from geo.analysis.views import Thresholds, place_view, supply_view
from geo.analysis.zones import zone_metrics
from geo.store import Dataset

#: Kinds with a view of their own: supplies gathered over compounds and sites, zones summing up their places.
OWN_VIEWS = {"supplies": supply_view, "zones": zone_metrics}


def view_of(ds: Dataset, kind: str, date: str, thresholds: Thresholds = Thresholds(),
            kept: bool = True) -> gpd.GeoDataFrame:
    """The view of ``kind`` on ``date``: one row per place (or zone), its state in ``category``. ``kept``: a place's
    view is kept with the dataset (see :func:`geo.analysis.place_view`), not for a day looked at once."""
    own = OWN_VIEWS.get(kind)
    return own(ds, date, thresholds) if own else place_view(ds, kind, date, thresholds, kept)
