"""Filters and their URL form."""

from geo.filters import Filters, apply_filters
from geo.status import compound_view


def test_round_trip_through_the_query_string():
    f = Filters(date="2020-02-25", street=("温泉街道",), status=("sealed", "missing"), q="金桂")
    assert Filters.from_query(f.to_query()) == f


def test_unknown_values_and_dates_are_dropped():
    f = Filters.from_query({"status": ["sealed", "<script>"], "date": ["1999-01-01"]},
                           statuses=["sealed"], dates=["2020-02-25"])
    assert f.status == ("sealed",) and f.date is None


def test_filters_narrow_the_view(tiny):
    view = compound_view(tiny, "2020-02-25")
    assert apply_filters(view, Filters(zone=("Z2",)))["id"].tolist() == ["0503"]
    assert apply_filters(view, Filters(status=("missing",)))["id"].tolist() == ["0503"]
    assert apply_filters(view, Filters(q="0501"))["id"].tolist() == ["0501"]
    assert apply_filters(view, Filters(street=("温泉街道",), status=("sealed",)))["id"].tolist() == ["0502"]
    assert len(apply_filters(view, Filters())) == 3
