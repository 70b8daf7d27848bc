"""Filters narrow a view (their URL form is tested through AppTest in test_pages.py)."""

from geo.analysis.filters import Filters, apply_filters
from geo.analysis.views import compound_view


def test_filters_narrow_the_view(tiny):
    view = compound_view(tiny, "2020-02-25")
    assert apply_filters(view, Filters(zone=("Z2",)))["id"].tolist() == ["0503"]
    assert apply_filters(view, Filters(status=("missing",)))["id"].tolist() == ["0503"]
    assert apply_filters(view, Filters(q="0501"))["id"].tolist() == ["0501"]
    assert apply_filters(view, Filters(street=("温泉街道",), status=("sealed",)))["id"].tolist() == ["0502"]
    assert len(apply_filters(view, Filters())) == 3
