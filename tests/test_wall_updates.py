"""Fifty walls turning together make each view's map statuses once (``ui/wallscreen.py::_update_of``): each wall
made them again at every turn, 15 % of the server's time under bench/load.py's crowd."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd

import ui.wallscreen
from geo.maps import Layer, MapUpdate, Pack, Source


def test_walls_showing_the_same_layers_share_one_update_and_a_change_makes_a_new_one(monkeypatch):
    made = []

    def map_update(layers, sources, datum, hidden, at_once):
        made.append([layer.highlight for layer in layers])
        return MapUpdate({"states": [{"key": layer.key, "h": sorted(layer.highlight)} for layer in layers]})

    monkeypatch.setattr(ui.wallscreen, "map_update", map_update)
    monkeypatch.setattr(ui.wallscreen, "_UPDATES", {})
    frame = pd.DataFrame({"id": ["a", "b"], "category": ["open", "sealed"]})
    laid_out = Layer("小区", "compounds", frame, {"sealed": {}, "open": {}})
    sources: dict = {}

    first = ui.wallscreen._update_of([replace(laid_out)], sources, "wgs84", ())
    second = ui.wallscreen._update_of([replace(laid_out)], sources, "wgs84", ())  # another wall, the same view
    assert len(made) == 1
    assert first is not second and first.message == second.message  # each wall draws a copy of its own

    lit = ui.wallscreen._update_of([replace(laid_out, highlight=frozenset({"a"}))], sources, "wgs84", ())
    assert len(made) == 2 and '"h":["a"]' in lit.message  # a wall that saw "a" change: its own highlights
    newer = replace(laid_out, frame=frame.assign(category="open"))  # the next version's layout
    ui.wallscreen._update_of([newer], sources, "wgs84", ())
    ui.wallscreen._update_of([replace(laid_out)], sources, "wgs84", ("sites",))  # another view hidden
    assert len(made) == 4


def test_a_wall_screen_nobody_points_at_is_sent_no_tooltip_columns(monkeypatch):
    """``?kiosk=1``: the update leaves out the tooltips' columns (a code per place per column, most of its bytes at
    every refresh); the wall page opened from the menu keeps them; the two are made and kept apart."""
    monkeypatch.setattr(ui.wallscreen, "_UPDATES", {})
    frame = pd.DataFrame({"id": ["a", "b"], "category": ["open", "sealed"], "residents": [120, 340]})
    laid_out = Layer("小区", "compounds", frame, {"sealed": {}, "open": {}}, fields=[("人数", "residents")])
    pack = Pack(np.array(["a", "b"]), "", "ab")
    sources = {"compounds": [Source(pack)]}

    screen = ui.wallscreen._update_of([laid_out], sources, "wgs84", (), tooltips=False)
    menu = ui.wallscreen._update_of([laid_out], sources, "wgs84", ())
    fields = [[state["fields"] for state in json.loads(update.message)["states"]] for update in (screen, menu)]
    assert fields == [[[]], [[["人数", ["120", "340"]]]]]
    assert len(screen.message) < len(menu.message)
    assert json.loads(screen.message)["states"][0]["c"] == json.loads(menu.message)["states"][0]["c"]  # same colours
