"""Finding and reading a page (issue #18, item 6), each the way it was found, driven by AppTest on the tiny city."""

import io
import json
from html import escape
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.analysis import Filters, export_stem, export_title
from geo.domain import MISSING
from geo.io import to_csv_bytes, to_xlsx_bytes
from tests.cities import map_sent
from tests.conftest import open_app_page

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app(tiny_dir, monkeypatch):
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{tiny_dir.parent / 'store.sqlite'}")
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")

    return open_app_page


def test_the_supply_legend_states_the_days_of_cover_its_levels_stand_for(app, monkeypatch):
    """The thresholds were settings nobody could see: 偏紧 and 告急 now say their days, as set."""
    monkeypatch.setenv("CMDMAP_SUPPLY_LOW_DAYS", "10")
    monkeypatch.setenv("CMDMAP_SUPPLY_CRITICAL_DAYS", "2.5")
    _, update = map_sent(app("pages/supplies.py"))
    for label in ("充足（≥10 天）", "偏紧（2.5–10 天）", "告急（<2.5 天）"):
        assert f"{escape(label)} <span" in update["legend"]
    _, update = map_sent(app("pages/overview.py", lang="en"))  # the overview's supply layer too, in English
    assert "Low (2.5–10 days)" in update["legend"] and "Critical (&lt;2.5 days)" in update["legend"]


def test_an_export_says_its_date_and_filters_in_its_name_and_its_first_line():
    """A file sent on to the district said only compounds_2020-02-25: now which places, which date."""
    filters = Filters(date="2020-02-25", district=("咸安区",), zone=("Z2",), status=("sealed", MISSING),
                      q="金桂/花园", held=14)
    names = {"Z2": "浮山街道第一片区"}
    assert export_stem("物业小区", filters, "zh", names, "closure") == \
        "物业小区_2020-02-25_咸安区_浮山街道第一片区_全封闭、未报告_金桂_花园_14"
    title = export_title("Compounds", filters, "en", names, "closure")
    assert title == ("Compounds · 2020-02-25 · District: 咸安区 · Zone: 浮山街道第一片区 · Status: Sealed, Not reported"
                     " · Search by name or id: 金桂/花园 · In this state for at least (days): 14")
    assert len(export_stem("x", Filters(q="长" * 100), "zh")) == 80  # a name any file system takes
    table = pd.DataFrame({"编号": ["C1"], "名称": ["=金桂花园"]})
    csv_text = to_csv_bytes(table, title=title).decode("utf-8-sig").splitlines()
    assert csv_text[0] == f'"{title}"' and csv_text[1] == "编号,名称"  # one cell, commas and all
    sheet = pd.read_excel(io.BytesIO(to_xlsx_bytes(table, sheet="x", title=title)), header=None)
    assert sheet.iloc[0, 0] == title and sheet.iloc[1].tolist() == ["编号", "名称"]
    assert sheet.iloc[2].tolist() == ["C1", "'=金桂花园"]  # still no live formula under a title


def test_details_show_no_none_and_whole_values(app):
    """0503 sent no report on the 25th: its details used to list None and nan; numbers read 300.0."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/compounds.py")
    at.session_state["compounds_selected"] = ("compounds", "0503")  # as a click on it leaves it
    at.run()
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert "浮山小区" in shown and "封闭状态：**未报告**" in shown
    for empty in ("None", "nan", "NaN", "<NA>", ".0**"):
        assert empty not in shown
    assert "户数：**80**" in shown  # a whole number, whole
    assert not [df for df in at.dataframe if "字段" in df.value.columns]  # a list that wraps, not a grid that cuts


@pytest.mark.parametrize("page,q,where", [("pages/compounds.py", "金桂", (114.302, 29.832)),
                                          ("pages/overview.py", "学校", (114.33, 29.84))])
def test_a_search_for_one_place_frames_it_among_its_streets(app, page, q, where):
    """One compound found framed a 200-metre box (a 10 m scale), a site found on the overview did not move it."""
    _, update = map_sent(app(page, q=q))
    (south, west), (north, east) = update["fit"]["bounds"]
    assert west <= where[0] <= east and south <= where[1] <= north
    assert 0.0049 < east - west < 0.02 and 0.0049 < north - south < 0.02  # some 500 m to 2 km across


def focus_sent(at: AppTest) -> dict:
    """What the map's update asks the open map to fly to (geo/maps/build.py MapFocus)."""
    maps = [json.loads(e.proto.json_args) for e in at.get("component_instance")
            if e.proto.component_name == "streamlit_folium.st_folium"]
    update = maps[0]["feature_group"]
    start = update.index("cmdmap.focus(") + len("cmdmap.focus(")
    return json.JSONDecoder().raw_decode(update[start:])[0]


def test_a_row_chosen_in_the_table_takes_the_map_to_its_place(app):
    at = app("pages/compounds.py")
    assert focus_sent(at) == {"key": "", "bounds": None}  # nothing chosen: the map stays where it is
    table = next(df for df in at.dataframe if df.value.columns[0] == "编号")
    row = table.value["编号"].tolist().index("0503")
    at.session_state["table_compounds"] = {"selection": {"rows": [row], "columns": []}}  # as a click on the row
    at.run()
    focus = focus_sent(at)
    (south, west), (north, east) = focus["bounds"]
    assert focus["key"].endswith("0503") and west < 114.326 < east and south < 29.836 < north  # 浮山小区
    assert "浮山小区" in "\n".join(m.value for m in at.markdown)  # and its details beside the map



def test_the_places_of_a_zone_show_blank_not_none_for_a_place_that_has_not_reported(app):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/zones.py")
    at.session_state["zones_selected"] = ("zones", "Z2")  # 浮山小区 (0503) sent nothing on the 25th
    at.run()
    places = next(df.value for df in at.dataframe if "居民人数" in df.value.columns and "编号" not in df.value.columns)
    row = places.set_index("名称").loc["浮山小区"]
    assert row["封闭状态"] == "未报告" and row["居民人数"] == ""
    assert not places.isna().any().any()
