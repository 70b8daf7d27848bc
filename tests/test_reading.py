"""Finding and reading a page (issue #18, item 6), each the way it was found, driven by AppTest on the tiny city."""

from html import escape
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.cities import map_sent

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app(tiny_dir, monkeypatch):
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{tiny_dir.parent / 'store.sqlite'}")
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")

    def open_page(page, **query):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(page)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def test_the_supply_legend_states_the_days_of_cover_its_levels_stand_for(app, monkeypatch):
    """The thresholds were settings nobody could see: 偏紧 and 告急 now say their days, as set."""
    monkeypatch.setenv("CMDMAP_SUPPLY_LOW_DAYS", "10")
    monkeypatch.setenv("CMDMAP_SUPPLY_CRITICAL_DAYS", "2.5")
    _, update = map_sent(app("pages/supplies.py"))
    for label in ("充足（≥10 天）", "偏紧（2.5–10 天）", "告急（<2.5 天）"):
        assert f"{escape(label)} <span" in update["legend"]
    _, update = map_sent(app("pages/overview.py", lang="en"))  # the overview's supply layer too, in English
    assert "Low (2.5–10 days)" in update["legend"] and "Critical (&lt;2.5 days)" in update["legend"]
