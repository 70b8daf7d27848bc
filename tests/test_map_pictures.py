"""Any map as a picture (#19 item 7): the overview's, the zones', the comparison's and the problems' maps offer a PNG
of the page's own layers and legends, drawn on the server (geo.report.layers_picture) as the browser colours them."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pytest
from PIL import Image

from geo.analysis import compound_view, open_by_place, site_view
from geo.domain import vocab
from geo.maps.layers import PROBLEM_COLORS, kind_legends, layer_of, problem_layer, problem_legend, zone_outlines
from geo.report import find_cjk_font, layers_picture
from geo.store import load_store, problems_frame
from tests.conftest import open_app_page
from tests.test_pages_tasks import open_as, problem


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))


def colours_of(png: bytes) -> set[tuple[int, int, int]]:
    return {tuple(p) for p in np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3).tolist()}


def picture_buttons(at) -> list:
    return [b for b in at.get("download_button") if b.proto.id and "picture_" in b.proto.id]


@pytest.mark.parametrize("page,key", [("pages/overview.py", "picture_overview_2020-02-25"),
                                      ("pages/zones.py", "picture_zones_"),
                                      ("pages/compare.py", "picture_compare_compounds_2020-02-24_2020-02-25")])
def test_the_overview_zones_and_comparison_maps_offer_their_picture(page_env, page, key):
    at = open_app_page(page, date="2020-02-25")
    buttons = picture_buttons(at)
    assert len(buttons) == 1 and key in buttons[0].proto.id and buttons[0].proto.label == "地图图片（PNG）"
    assert buttons[0].proto.deferred_file_id and buttons[0].proto.ignore_rerun  # drawn when clicked, no rerun


def test_the_problems_map_offers_its_picture(page_env):
    problem(page_env)
    at = open_as("clerk", "staff", "pages/problems.py")
    buttons = picture_buttons(at)
    assert len(buttons) == 1 and "picture_problems_" in buttons[0].proto.id


def test_a_picture_draws_the_pages_layers_in_their_map_colours_and_leaves_an_unticked_layer_out(page_env):
    ds = load_store(page_env)
    problem(page_env)
    compounds, sites = compound_view(ds, "2020-02-25"), site_view(ds, "2020-02-25")
    open_places = open_by_place(problems_frame(page_env), dt.date(2020, 2, 25))
    views = {"compounds": compounds, "sites": sites}
    layers = [*zone_outlines(ds.zones, "zh"), layer_of("compounds", compounds, "zh"),
              layer_of("sites", sites, "zh"), problem_layer(open_places, "zh")]
    legends = [*kind_legends(["compounds", "sites"], views, "zh"), problem_legend(open_places, "zh")]
    png = layers_picture(layers, legends, ds.layer, "总览 · 2020-02-25", "zh", find_cjk_font())
    assert [round(d) for d in Image.open(io.BytesIO(png)).info["dpi"]] == [300, 300]
    in_legend = colours_of(png)
    drawn = colours_of(layers_picture(layers, [], ds.layer, "总览", "zh", find_cjk_font()))  # no legend's swatches
    for colour in (vocab.color("closure", "sealed"), vocab.color("closure", "controlled"),
                   vocab.color("resumption", "resumed"), PROBLEM_COLORS["overdue"]):  # 0501's is past its deadline
        assert rgb(colour) in drawn and rgb(colour) in in_legend, colour
    assert rgb(PROBLEM_COLORS["open"]) in in_legend - drawn  # none in time: in the legend (0), on no place
    layers[-1].show = False  # opened unticked on the overview: not in the picture, nor its legend
    hidden = colours_of(layers_picture(layers, legends, ds.layer, "总览", "zh", find_cjk_font()))
    assert not {rgb(c) for c in PROBLEM_COLORS.values()} & hidden
