"""The maps of the pages of places (:mod:`ui.placepage`) as functions of a data key (store URL, version, scope
text): made once for every session of a data version, by the first page to ask or beforehand by the server's
warm-up (:mod:`ui.warmup`), which has no session."""

from __future__ import annotations

import pandas as pd

from geo.analysis import Days, Filters, Thresholds, apply_filters, place_key, with_previous
from geo.domain import kinds
from geo.maps import initial_bounds, overlay_datum
from geo.maps.layers import kind_legend, layer_of, zone_outlines
from geo.settings import Settings
from ui.cache import days_for, scoped, shared_for, view_for
from ui.mapstate import MapState, map_state_for


def place_rows_for(data: tuple[str, int, str], dated: Days, kind: str, date: str | None,
                   limits: Thresholds) -> pd.DataFrame:
    """Every place of ``kind`` on ``date``, each with its state on the complete report date before (of ``dated``),
    for the data key ``data`` (store URL, version, scope text): once per data version for every session, where a
    million compounds paired with the day before took 0.6 s a run."""
    before = dated.before(date)

    def build() -> pd.DataFrame:
        previous = view_for(kind, *data, before, limits) if before else None
        return with_previous(view_for(kind, *data, date, limits), previous)

    return shared_for(data, ("place_rows", kind, date, before, limits.low, limits.critical), build)


def place_map_for(data: tuple[str, int, str], dated: Days, kind: str, filters: Filters, lg: str, limits: Thresholds,
                  datum: str, at_once: int, shown: pd.DataFrame | None = None) -> MapState:
    """The map's state for ``filters`` (``shown``: the places they keep, when already known) of the data key
    ``data``, made once for every session: by the first page to ask, or by the server's warm-up (:mod:`ui.warmup`)
    for the pages' first look."""
    fit = place_key(filters)

    def build() -> MapState:
        rows = shown if shown is not None else apply_filters(place_rows_for(data, dated, kind, filters.date, limits),
                                                             filters)
        return map_state_for(data, [*zone_outlines(scoped(*data).zones, lg), layer_of(kind, rows, lg)],
                             [kind_legend(kind, rows, lg, limits)], datum, at_once,
                             bounds=initial_bounds(rows) if fit else None, fit_key=fit)

    return shared_for(data, ("place_map", kind, filters, lg, limits.low, limits.critical, datum), build)


def prepare_place_maps(data: tuple[str, int, str], date: str, settings: Settings) -> None:
    """The maps of the pages of the kinds reported daily as they open on ``date`` (no filter set, the server's
    language): made by the server's warm-up (:mod:`ui.warmup`), where the first visit after an import at
    100,000 compounds made its map in 0.7 s of its page's run.

    The maps of the dates a step of the time line goes to are left to the page, which asks for them after it
    has sent everything else: made here for every kind, they pushed what the other pages share out of
    :func:`ui.cache.shared` (and a million places' states on two more dates cost memory whether looked at or not)."""
    dated = days_for(*data, settings.complete_share)
    limits = Thresholds(settings.supply_low_days, settings.supply_critical_days)
    datum = overlay_datum(settings)
    for entry in kinds.reporting_kinds():
        place_map_for(data, dated, entry.name, Filters(date=date), settings.language, limits, datum,
                      settings.map_places_at_once)
