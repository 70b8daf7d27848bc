"""The zones' choropleth keeps its class breaks from date to date (issue 18, item 6).

Tested the way it was found: the largest fever count of a zone is 9 on 2020-02-24 and 11 on 2020-02-25, so
breaks drawn from each date's own maximum were 0–2 … 9–10 one day and 0–5 … 21–25 the next. The breaks now
cover the metric's peak over every report date of the view, and the legend states the same classes on both.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from geo.analysis import report_dates, zone_metrics, zone_peaks
from geo.analysis.zones import METRICS, class_breaks
from geo.maps.layers import zone_choropleth
from geo.store import load_store
from geo.upload import open_city
from tests.cities import map_sent
from tests.conftest import open_app_page
from tests.filled_stores import demo_store

FEVERISH = {"0501,2020-02-24,open,3,4,2,900,0,1,5,": "0501,2020-02-24,open,3,4,2,900,9,1,5,",  # Z1: 9 on 02-24
            "0502,2020-02-25,sealed,0,3,2,360,2,3,2,": "0502,2020-02-25,sealed,0,3,2,360,11,3,2,"}  # 11 on 02-25


def feverish(folder):
    """The tiny city with a zone's fever count peaking at 9 on the first date and 11 on the second."""
    path = folder / "compound_status.csv"
    text = path.read_text(encoding="utf-8")
    for old, new in FEVERISH.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return folder


def classes(legend_html: str) -> list[str]:
    """The classes a legend states ('0–5', '6–10', …), without their counts."""
    return re.findall(r"<span>(\d+(?:–\d+)?%?) <span", legend_html)


def test_two_dates_with_different_maxima_get_the_same_breaks(tiny_dir):
    ds = load_store(open_city(f"sqlite:///{tiny_dir.parent / 'z.sqlite'}", feverish(tiny_dir)))
    first, second = (zone_metrics(ds, date) for date in ("2020-02-24", "2020-02-25"))
    assert (first["fever_reports"].max(), second["fever_reports"].max()) == (9, 11)
    # each date's own maximum: the classes changed with the date (what was found)
    assert class_breaks(first["fever_reports"]) != class_breaks(second["fever_reports"])
    top = zone_peaks(ds, report_dates(ds))["fever_reports"].max()
    assert top == 11
    breaks = class_breaks(first["fever_reports"], top=top)
    assert breaks == class_breaks(second["fever_reports"], top=top) == [5.0, 10.0, 15.0, 20.0, 25.0]  # whole
    legends = [classes(zone_choropleth(day, "fever_reports", "zh", top=top)[1].html()) for day in (first, second)]
    assert legends[0] == legends[1] == ["0–5", "6–10", "11–15", "16–20", "21–25"]
    # a share's classes are fixed whatever the dates hold
    assert classes(zone_choropleth(first, "sealed_share", "zh", top=None)[1].html())[:2] == ["0–20%", "20–40%"]


def test_a_zone_filter_takes_the_peak_of_its_own_zones(tiny_dir):
    ds = load_store(open_city(f"sqlite:///{tiny_dir.parent / 'z.sqlite'}", feverish(tiny_dir)))
    peaks = zone_peaks(ds, report_dates(ds))
    assert peaks.loc["Z1", "fever_reports"] == 11 and peaks.loc["Z2", "fever_reports"] == 1
    assert peaks.loc["Z1", "residents"] == 1260  # every date's largest, not the last date's


@pytest.fixture
def fever_env(tiny_dir, request):
    feverish(tiny_dir)
    return request.getfixturevalue("page_env")


def test_stepping_through_the_dates_keeps_the_legends_breaks(fever_env):
    at = open_app_page("pages/zones.py", metric="fever_reports")
    assert at.selectbox(key="date").value == "2020-02-25"
    newest = classes(map_sent(at)[1]["legend"])
    assert newest == ["0–5", "6–10", "11–15", "16–20", "21–25"]
    at.button(key="timeline_back").click().run()
    assert not at.exception and at.selectbox(key="date").value == "2020-02-24"
    assert classes(map_sent(at)[1]["legend"]) == newest  # 9 at most on this date: the same classes all the same


@pytest.mark.parametrize("city", ["tiny", "demo"])
def test_the_peaks_are_each_dates_zone_figures_at_their_largest(city, tiny_dir, tmp_path):
    """zone_peaks reads the report tables at once: the same figures as the largest of zone_metrics of each
    date, for every count (the demo city: 200 compounds, 14 dates, every kind of place)."""
    folder = feverish(tiny_dir) if city == "tiny" else Path(__file__).resolve().parent.parent / "data"
    url = f"sqlite:///{tmp_path / 'p.sqlite'}" if city == "tiny" else demo_store(tmp_path / "p.sqlite")
    ds = load_store(open_city(url, folder))
    dates = report_dates(ds)
    peaks = zone_peaks(ds, dates)
    counts = [m.code for m in METRICS if m.unit != "%"]
    assert list(peaks.columns) == counts
    each = pd.concat([zone_metrics(ds, date).set_index("id")[counts] for date in dates])
    largest = each.groupby(level=0).max().astype(float)
    largest.index = largest.index.astype(str)
    pd.testing.assert_frame_equal(peaks, largest.reindex(peaks.index), check_names=False)
    assert peaks["missing_reports"].max() > 0 and peaks["short_places"].max() > 0  # something to compare
