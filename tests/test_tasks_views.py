"""The loop on the overview and the wall (issue #20, item 3), AppTest on the tiny city with a week of records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import XSS, open_app_page
from tests.test_cities import drawn_states, map_sent

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def problem(place_id, name, found, deadline, states, kind="compounds"):
    history = [{"state": "handed_out", "at": f"{found}T10:00:00", "by": "督导组"}]
    history += [{"state": state, "at": f"{day}T15:00:00", "by": "物业", "note": "已整改"} for state, day in states]
    return {"kind": kind, "place_id": place_id, "place_name": name, "found_on": found, "deadline": deadline,
            "category": "gate", "description": f"<img src=x onerror=alert(1)> {name}", "unit_type": "property",
            "unit_name": "咸宁市安居物业", "person": "王经理", "phone": "13800000000", "history": history}


RECORDS = {"inspections": [], "problems": [
    problem("0502", XSS, "2020-02-20", "2020-02-22", []),  # overdue on the 25th
    problem("0503", "浮山小区", "2020-02-24", "2020-02-27", []),  # open, in time; zone Z2
    problem("S1", "六岭棚改项目", "2020-02-19", "2020-02-21", [("rectified", "2020-02-21"), ("closed", "2020-02-23")],
            kind="sites"),
    problem("0501", "金桂花园", "2020-02-21", "2020-02-23", [("rectified", "2020-02-23")]),  # fixed: not overdue
]}


@pytest.fixture
def app(tiny_dir, monkeypatch):
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{tiny_dir.parent / 'store.sqlite'}")
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")

    def open_page(page, records=RECORDS, **query):
        if records is not None:
            (tiny_dir / "tasks.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        return open_app_page(page, **query)

    return open_page


def loop_tiles(at) -> dict[str, tuple[str, str | None]]:
    keys = ("待整改问题", "逾期未整改", "近 7 日销号", "整改率")
    return {m.label: (m.value, m.delta or None) for m in at.metric if m.label in keys}


def test_the_overview_counts_the_loop_on_the_last_day_of_the_records(app):
    at = app("pages/overview.py")
    assert loop_tiles(at) == {"待整改问题": ("3", None), "逾期未整改": ("1", None), "近 7 日销号": ("1", None),
                              "整改率": ("25%", None)}
    assert any("问题整改（截至 2020-02-25）" in c.value for c in at.caption)  # not years overdue in 2026
    # the map's problems layer (in the layer control): a ring round each place with open problems, red if overdue
    assert sorted(drawn_states(at)["problems"]) == ["open", "open", "overdue"]
    script, update = map_sent(at)
    assert "待整改问题" in update["legend"] and "有逾期问题的场所" in update["legend"]


def test_the_loop_figures_follow_the_filters(app):
    at = app("pages/overview.py")
    at.multiselect(key="zone").set_value(["Z2"]).run()
    assert not at.exception
    assert loop_tiles(at) == {"待整改问题": ("1", None), "逾期未整改": ("0", None), "近 7 日销号": ("0", None),
                              "整改率": ("0%", None)}


def test_a_city_without_problems_gets_no_loop_tiles(app):
    at = app("pages/overview.py", records=None)
    assert loop_tiles(at) == {} and len(at.metric) > 0


def test_the_walls_attention_list_names_the_place_with_an_overdue_problem_escaped(app):
    at = app("pages/wall.py", kiosk="1")
    board = " ".join(md.value for md in at.markdown)
    assert "逾期未整改" in board and "1 个问题逾期" in board
    assert XSS not in board and "&lt;" in board
