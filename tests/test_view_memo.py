"""A dataset's views are made once (geo.analysis.place_view, kept in ``Dataset.made``).

A page's compounds, supplies and zones each asked for the compounds' view of its date: at a million compounds,
three times 4 s of the first page after a start.
"""

from __future__ import annotations

import geo.analysis.views as views
from geo.analysis import Thresholds, compound_view, supply_view, view_of
from geo.analysis.views import VIEWS_KEPT
from geo.store import Dataset


def test_the_supplies_and_zones_of_a_date_reuse_its_compounds_view(tiny, monkeypatch):
    made = []
    real = views._place_view
    monkeypatch.setattr(views, "_place_view",
                        lambda ds, kind, date, t: made.append((kind, date)) or real(ds, kind, date, t))
    date = tiny.compound_status["date"].max()
    compounds = view_of(tiny, "compounds", date)
    view_of(tiny, "supplies", date)
    view_of(tiny, "zones", date)
    assert made.count(("compounds", date)) == 1 and made.count(("sites", date)) == 1
    assert compound_view(tiny, date) is compounds
    assert compound_view(tiny, date, Thresholds(low=10)) is not compounds  # other thresholds: another view
    assert supply_view(tiny, date)["id"].tolist()  # still whole


def test_a_dataset_keeps_only_its_newest_views_and_another_dataset_none_of_them(tiny):
    dates = sorted(tiny.compound_status["date"].dropna().unique())
    first = compound_view(tiny, dates[-1])
    for low in range(VIEWS_KEPT):
        compound_view(tiny, dates[0], Thresholds(low=float(low + 10)))
    assert len(tiny.made) == VIEWS_KEPT
    assert compound_view(tiny, dates[-1]) is not first  # pushed out by the newer ones: made again
    other = Dataset(dict(tiny.tables))  # the same tables in a new dataset (a refresh, a scope) keep nothing
    assert other.made == {} and compound_view(other, dates[-1]) is not first


def test_a_view_made_for_one_look_is_taken_when_kept_but_neither_kept_nor_pushing_the_kept_out(tiny):
    dates = sorted(tiny.compound_status["date"].dropna().unique())
    kept = compound_view(tiny, dates[-1])
    assert view_of(tiny, "compounds", dates[-1], kept=False) is kept  # made already: taken
    once = view_of(tiny, "compounds", dates[0], kept=False)
    assert list(tiny.made) == [("place_view", "compounds", dates[-1], Thresholds())]
    assert view_of(tiny, "compounds", dates[0], kept=False) is not once  # a trend's older day: made at each look


def test_the_compounds_and_sites_of_a_date_sum_up_its_supplies_once(tiny, monkeypatch):
    summed = []
    real = views._place_supplies
    monkeypatch.setattr(views, "_place_supplies", lambda ds, date, t: summed.append(date) or real(ds, date, t))
    dates = sorted(tiny.supplies["date"].dropna().unique())
    compounds, sites = compound_view(tiny, dates[-1]), view_of(tiny, "sites", dates[-1])
    assert summed == [dates[-1]] and compounds["supply_level"].notna().any() and sites["supply_level"].notna().any()
    compound_view(tiny, dates[0])
    compound_view(tiny, dates[-1], Thresholds(low=30))  # other thresholds: other levels
    assert summed == [dates[-1], dates[0], dates[-1]]


def test_the_views_of_two_dates_share_their_places_zone_columns(tiny):
    dates = sorted(tiny.compound_status["date"].dropna().unique())
    first, last = compound_view(tiny, dates[0]), compound_view(tiny, dates[-1])

    def buffers(view, column):
        return [b.address for chunk in view[column].array.__arrow_array__().chunks for b in chunk.buffers() if b]

    for column in ("zone_name", "district", "street", "leader", "zone_phone"):
        assert buffers(first, column) == buffers(last, column) and first[column].notna().any()
    assert first["closure"].tolist() != last["closure"].tolist()  # the days' own reports: not shared


def test_a_date_without_supplies_gives_its_supply_columns_as_a_date_with_some_does(tiny):
    dates = sorted(tiny.compound_status["date"].dropna().unique())
    supplied = compound_view(tiny, sorted(tiny.supplies["date"].dropna().unique())[-1])
    none = compound_view(Dataset({**tiny.tables, "supplies": tiny.supplies.iloc[0:0]}), dates[-1])
    assert none["supply_level"].isna().all() and none["min_days"].isna().all() and (none["short_items"] == "").all()
    for column in ("supply_level", "min_days"):
        # a million empty objects were 30 MB a column of every view
        assert none[column].dtype == supplied[column].dtype and none[column].dtype != object
