"""A leader's date and filters follow them from page to page (#18: changing page dropped them)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.test_cities import APP


def test_the_date_and_filters_chosen_on_one_page_hold_on_the_next(page_env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/compounds.py").run()
    at.selectbox(key="date").set_value("2020-02-24").run()
    at.multiselect(key="district").set_value(["咸安区"]).run()
    at.switch_page("pages/wall.py").run()  # a page without these filters in between
    at.switch_page("pages/sites.py").run()
    assert not at.exception
    assert at.selectbox(key="date").value == "2020-02-24"
    assert at.multiselect(key="district").value == ["咸安区"]
    assert at.query_params["date"] == "2020-02-24"  # and the link says so again
    at.multiselect(key="district").set_value([]).run()  # a filter taken away stays away
    at.switch_page("pages/zones.py").run()
    assert at.multiselect(key="district").value == [] and at.selectbox(key="date").value == "2020-02-24"
