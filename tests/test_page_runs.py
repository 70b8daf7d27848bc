"""What a page's run reads once, and what fifty open screens share (issue #22, item 2: a crowd watching an import).

AppTest's sessions share the process's caches here as a server's do.
"""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

import geo.analysis.wall
import ui.data
import ui.wallscreen
from geo.accounts import SYSTEM
from geo.store import NewProblem, file_problem, move_problem, problems_stamp
from geo.upload import check_file, commit
from tests.conftest import open_app_page

PROBLEM = NewProblem("compounds", "0501", "金桂花园", dt.date(2020, 2, 20), "gate", "东门无人值守", "property",
                     "咸宁市安居物业", "王经理", "13800000000", dt.date(2020, 2, 23))
SEALED = "小区编号,日期,封闭状态\n0501,2020-02-26,全封闭\n0502,2020-02-26,全封闭\n".encode()


def _import(engine, content: bytes = SEALED) -> int:
    check = check_file(engine, "compound_status", content, "日报.csv")
    assert check.ok, [p.message() for p in check.problems]
    return commit(engine, check, SYSTEM, confirmed=True).version


def test_a_page_run_asks_the_store_for_its_newest_version_once(page_env, monkeypatch):
    asked = []
    real = ui.data.newest_version
    monkeypatch.setattr(ui.data, "newest_version", lambda engine: asked.append(1) or real(engine))
    at = open_app_page("pages/overview.py")
    assert at.metric and len(asked) == 1  # the page asks for the key of its caches some seventy times a run
    asked.clear()
    at.run()
    assert len(asked) == 1  # and again on its next run: a new version is seen at once


def writes_then_reads():
    import streamlit as st

    from geo.accounts import SYSTEM
    from geo.upload import check_file, commit
    from ui.data import engine, store_key

    before = store_key()[1]
    check = check_file(engine(), "compound_status", "小区编号,日期,封闭状态\n0501,2020-02-26,全封闭\n".encode(),
                       "日报.csv")
    written = commit(engine(), check, SYSTEM, confirmed=True).version
    st.write(f"{before} {written} {store_key()[1]}")


def test_a_run_that_writes_a_version_reads_it_afterwards(page_env):
    at = AppTest.from_function(writes_then_reads, default_timeout=60).run()
    assert not at.exception, at.exception
    before, written, after = (int(n) for n in at.markdown[0].value.split())
    assert written > before and after == written


def _highlighted(at: AppTest) -> set[str]:
    """The places the wall ``at`` draws lit as changed."""
    layers, _ = at.session_state["wall_last_good"].shown["compounds"]
    return {place for layer in layers for place in layer.highlight}


def test_walls_share_one_layout_and_each_lights_what_it_saw_change(page_env, monkeypatch):
    monkeypatch.setenv("CMDMAP_COMPLETE_SHARE", "0")  # the new day shown as soon as it has a report
    made = []
    real = ui.wallscreen.attention_items
    monkeypatch.setattr(ui.wallscreen, "attention_items", lambda *a, **k: made.append(1) or real(*a, **k))
    compared = []  # the pairs of states compared: once for every wall (fifty walls took 0.7 s each at a million)
    real_compared = geo.analysis.wall._compared
    monkeypatch.setattr(geo.analysis.wall, "_compared", lambda previous, current: compared.append(
        (id(previous), id(current))) or real_compared(previous, current))
    before = [open_app_page("pages/wall.py", kiosk="1", view="compounds") for _ in range(2)]
    assert len(made) == 1  # the second wall drew the first's layout
    assert not _highlighted(before[0]) and not _highlighted(before[1])

    _import(page_env)  # 2020-02-26: 0501 controlled -> sealed, 0502 sealed as before
    for at in before:
        at.run()
        assert not at.exception, at.exception
    assert len(made) == 2  # one layout for the new version
    assert _highlighted(before[0]) == _highlighted(before[1]) == {"0501"}
    assert compared and len(set(compared)) == len(compared)  # each layer's states compared once for both walls
    # A wall opened now never saw 0501 otherwise: nothing lit, though two walls lit it from the same layout.
    assert not _highlighted(open_app_page("pages/wall.py", kiosk="1", view="compounds"))
    assert len(made) == 2


def test_the_problems_stamp_moves_with_every_problem_and_change(tiny_store):
    start = problems_stamp(tiny_store)
    pid = file_problem(tiny_store, PROBLEM, by="li")
    filed = problems_stamp(tiny_store)
    move_problem(tiny_store, pid, seen=1, to="in_progress", by="li", role="admin")
    moved = problems_stamp(tiny_store)
    assert len({start, filed, moved}) == 3 and problems_stamp(tiny_store) == moved


def test_the_problems_are_read_again_only_when_their_stamp_moved(page_env, monkeypatch):
    reads = []
    real = ui.data.store.problems_frame
    monkeypatch.setattr(ui.data.store, "problems_frame", lambda engine: reads.append(1) or real(engine))
    first = ui.data.every_problem()
    assert ui.data.every_problem().equals(first) and len(reads) == 1
    pid = file_problem(page_env, PROBLEM, by="li")
    assert list(ui.data.every_problem()["id"]) == [*first["id"], pid] and len(reads) == 2
    move_problem(page_env, pid, seen=1, to="in_progress", by="li", role="admin")
    assert ui.data.every_problem().set_index("id").loc[pid, "state"] == "in_progress" and len(reads) == 3


def test_a_place_page_s_next_run_pairs_no_day_again_and_lists_no_zone_again(page_env, monkeypatch):
    """At a million compounds and 71,000 zones a warm run of the compounds page took 1.3 s: each paired every
    compound with its state the day before and made the zones' names and options again (py-spy)."""
    import ui.filterbar
    import ui.placemaps

    made = {"with_previous": 0, "zone options": 0}

    def counting(name, real):
        return lambda *args: made.__setitem__(name, made[name] + 1) or real(*args)

    monkeypatch.setattr(ui.placemaps, "with_previous", counting("with_previous", ui.placemaps.with_previous))
    monkeypatch.setattr(ui.filterbar, "sorted", counting("zone options", sorted), raising=False)
    at = open_app_page("pages/compounds.py")
    first = dict(made)
    assert first["with_previous"] >= 1 and first["zone options"] >= 1  # the day shown (and the time line's next)
    assert at.sidebar.multiselect(key="zone").options  # the zones listed
    at.run()
    assert made == first and not at.exception
    again = open_app_page("pages/compounds.py")  # another visitor of the same day: the same pairs and lists
    assert made == first
    assert again.sidebar.multiselect(key="zone").options == at.sidebar.multiselect(key="zone").options
