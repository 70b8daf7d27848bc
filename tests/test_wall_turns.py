"""The wall's turns (geo/analysis/wall.py) and what it lists (geo/analysis/attention.py), with the time passed in.

Found in a real browser: the rotation (every 30 s) advanced only when the data was read again (every
60 s), so with four views the wall alternated two of them for 6.5 minutes. These tests drive the turns
with both clocks, jittered as a browser's timers are, and check every view and every page comes.
"""

from __future__ import annotations

import random

import pandas as pd

from geo.analysis import (
    Turn,
    attention_items,
    next_view,
    page_count,
    page_of,
    place_view,
    take_turn,
    with_last_reports,
)
from geo.domain import wall_views

VIEWS = ("compounds", "sites", "supplies", "zones", "markets")


def watch(seconds: float, rotate: float, refresh: float, views=VIEWS, pages: int = 7, jitter: float = 0.8,
          seed: int = 1) -> list[Turn]:
    """Every turn the wall makes in ``seconds``: its own ticks every ``rotate`` s and the data refresh's every
    ``refresh`` s (which draws the board too), each a little early or late."""
    rng = random.Random(seed)
    ticks = sorted([n * rotate + rng.uniform(-jitter, jitter) for n in range(1, int(seconds / rotate) + 1)]
                   + [n * refresh + rng.uniform(-jitter, jitter) for n in range(1, int(seconds / refresh) + 1)])
    turns = [take_turn(None, 0.0, rotate, views, pages)]
    for now in ticks:
        turn = take_turn(turns[-1], now, rotate, views, pages)
        if turn != turns[-1]:
            turns.append(turn)
    return turns


def test_the_demo_city_s_views_are_those_the_tests_watch():
    assert wall_views() == VIEWS


def test_every_view_comes_in_its_order_on_the_rotation_s_clock_not_the_refresh_s():
    turns = watch(6.5 * 60, rotate=30, refresh=60)
    views = [turn.view for turn in turns]
    assert len(turns) == 1 + 13  # the first, then one a rotation (6.5 minutes of 30 s); refreshes turn nothing
    assert views == [VIEWS[n % len(VIEWS)] for n in range(len(turns))]
    assert all(views.count(view) >= 2 for view in VIEWS)


def test_a_refresh_faster_than_the_rotation_does_not_hurry_it():
    turns = watch(60, rotate=6, refresh=5)
    assert [turn.view for turn in turns] == [VIEWS[n % len(VIEWS)] for n in range(len(turns))]
    assert 9 <= len(turns) <= 11
    assert all(b.since - a.since >= 6 - 1 for a, b in zip(turns, turns[1:]))


def test_a_late_tick_is_one_step_never_a_skipped_view():
    turn = Turn("sites", 2, since=0)
    for late in (31, 95, 600):
        assert take_turn(turn, late, 30, VIEWS, pages=7) == Turn("supplies", 3, since=late)


def test_the_pages_go_round_every_item_once():
    for total in (0, 1, 5, 6, 33, 181):
        items = pd.DataFrame({"n": range(total)})
        pages = page_count(total, 5)
        shown = [n for page in range(pages) for n in page_of(items, page, 5)["n"]]
        assert shown == list(range(total)), total
    turns = watch(8 * 30, rotate=30, refresh=60, pages=7)
    assert [turn.page for turn in turns] == [n % 7 for n in range(len(turns))]


def test_views_and_pages_that_change_with_new_data_keep_the_turn_going():
    # the supplies view gone (its places removed): the zones come next, as they would have after it
    assert take_turn(Turn("supplies", 6, since=0), 10, 30, ("compounds", "sites", "zones"), pages=3) == Turn(
        "zones", 0, since=0)
    assert next_view("markets", ("compounds", "sites")) == "compounds"
    # one view (pinned, or no rotation): the pages still turn
    assert [take_turn(Turn("sites", p, 0), 30, 30, ("sites",), 3).page for p in range(3)] == [1, 2, 0]


def test_each_listed_place_says_when_it_last_reported(tiny):
    date = "2020-02-25"
    compounds, sites = place_view(tiny, "compounds", date), place_view(tiny, "sites", date)
    items = with_last_reports(attention_items(compounds, sites, 3), tiny, date)
    assert len(items) and items["last_report"].notna().any()
    silent = items["reason"] == "missing"
    assert silent.any() and (items.loc[~silent, "last_report"] == date).all()
    assert all(day is None or day < date for day in items.loc[silent, "last_report"])
    reports = tiny.layer("compound_status")
    for row in items.loc[silent & (items["kind"] == "compounds")].itertuples():
        own = reports.loc[reports["compound_id"].astype(str) == row.id, "date"].astype(str)
        assert row.last_report == (own.max() if len(own) else None)
