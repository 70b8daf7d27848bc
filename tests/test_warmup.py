"""The server builds each new data version before a visitor asks (issue #22, item 1: no slow first visit after a
start or an import): ``ui/warmup.py``, started by ``serve.py``.

The pages' caches are the process's own, shared by AppTest's runs here as by a server's sessions: after the
warm-up, the overview's first run reads nothing from the store and makes no view, and the packs of the
places are written already.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
import time
import weakref

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import geo.store.snapshot
import ui.cache
import ui.data
import ui.packs
import ui.placemaps
import ui.placepage
import ui.trends
import ui.warmup
from geo.accounts import SYSTEM
from geo.domain import kinds
from geo.settings import load
from geo.store import connect, newest_version, snapshot_folder
from geo.upload import check_file, commit
from tests.conftest import open_app_page
from ui.data import VERSION_READ_KEY, built_version
from ui.follow import RETRY_SECONDS, newer_version_ready, rerun_due
from ui.warmup import Warmer


@pytest.fixture
def counted(monkeypatch):
    """How often the pages' caches read the store (whole, or the reports written since), make a view, pack the
    places, make a run of daily figures (the overview's small trends) or a place page's map (each a miss of their
    cache)."""
    calls = {"read_store": 0, "refresh_store": 0, "view_of": 0, "pack_places": 0, "daily_figures": 0, "place_map": 0}

    def counting(name, real):
        def call(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(ui.cache, "read_newest", counting("read_store", ui.cache.read_newest))
    monkeypatch.setattr(ui.cache, "refresh_store", counting("refresh_store", ui.cache.refresh_store))
    monkeypatch.setattr(ui.cache, "view_of", counting("view_of", ui.cache.view_of))
    monkeypatch.setattr(ui.packs, "pack_places", counting("pack_places", ui.packs.pack_places))
    monkeypatch.setattr(ui.trends, "daily_figures", counting("daily_figures", ui.trends.daily_figures))
    monkeypatch.setattr(ui.placemaps, "map_state_for", counting("place_map", ui.placemaps.map_state_for))
    return calls


NOTHING = {"read_store": 0, "refresh_store": 0, "view_of": 0, "pack_places": 0, "daily_figures": 0, "place_map": 0}


def test_a_version_built_by_the_warm_up_is_what_the_first_visit_finds(page_env, app_store_url, counted, monkeypatch):
    warmer = Warmer(lambda: connect(app_store_url), load())
    assert warmer.step() and warmer.warmed == newest_version(page_env)
    # built here, once: the dataset, the views, the packs of the places (written for the browser to fetch), the
    # overview's small trends (fourteen days of every kind's views: 2.8 s of the demo city's first visit)
    assert counted["read_store"] == 1 and counted["view_of"] > 0 and counted["pack_places"] > 0
    assert counted["daily_figures"] == 1
    # the maps of the pages of places as they open (the first visit after an import at 100,000 compounds spent
    # 0.7 s of its run on one)
    assert counted["place_map"] == len(kinds.reporting_kinds())
    assert not warmer.step()  # nothing new: nothing built again

    counted.update(NOTHING)
    at = open_app_page("pages/overview.py")
    assert at.metric  # the overview drawn, its figures shown
    assert counted == NOTHING, counted  # the first visit found everything built
    # the pages of places find their maps made (the time line's glimpses of the dates before and after are the
    # page's own, asked for once it has sent everything else)
    monkeypatch.setattr(ui.placepage, "step_glimpses", lambda *args: None)
    for page in ("compounds", "sites", "supplies"):
        open_app_page(f"pages/{page}.py")
        assert counted == NOTHING, (page, counted)


def _import(engine, closure: str) -> None:
    check = check_file(engine, "compound_status",
                       f"compound_id,date,closure,gates_open\n0501,2020-02-25,{closure},1\n".encode(), "day.csv")
    assert check.ok, [p.zh for p in check.problems]
    commit(engine, check, SYSTEM)


def test_an_import_is_built_at_the_next_look_and_a_visit_after_it_finds_it(page_env, app_store_url, counted,
                                                                           monkeypatch):
    now = [0.0]
    warmer = Warmer(lambda: connect(app_store_url), load(), clock=lambda: now[0])
    warmer.step()
    _import(page_env, "sealed")
    now[0] += 1
    counted.update(NOTHING)
    assert warmer.step() and warmer.warmed == newest_version(page_env)  # a second after the start's build: at once
    # the new version read once, by the warm-up: only the daily report it wrote, not the whole store, and the
    # places it did not change are not packed again
    assert counted["refresh_store"] == 1 and counted["read_store"] == 0 and counted["pack_places"] == 0
    _import(page_env, "open")
    now[0] += 10
    assert not warmer.step()  # 10 s after the last new version's build: not yet (phone reports, one every few s)
    now[0] += 25
    assert warmer.step() and warmer.warmed == newest_version(page_env)

    counted.update(NOTHING)
    monkeypatch.setattr(ui.placepage, "step_glimpses", lambda *args: None)  # the page's own, after all else
    open_app_page("pages/compounds.py")
    assert counted == NOTHING, counted
    open_app_page("pages/overview.py")  # its small trends too: the import's day made by the warm-up
    assert counted == NOTHING, counted


def test_a_visit_while_the_server_builds_an_import_is_drawn_from_the_version_before_and_follows_it_once_built(
        page_env, app_store_url, counted, monkeypatch):
    """At a million compounds the first visitor after an import waited 14 s for what the warm-up was building. A
    visit meanwhile is drawn from the version the server has built, says that new data is being prepared, and
    shows the new version once it is built. A version the warm-up is not building, or has been building too
    long, is the page's own."""
    warmer = Warmer(lambda: connect(app_store_url), load())
    warmer.step()
    built = newest_version(page_env)
    _import(page_env, "sealed")  # written by another program, as far as the pages are concerned
    ui.data.mark_building(app_store_url, newest_version(page_env))  # as the warm-up does as it starts the build
    counted.update(NOTHING)
    monkeypatch.setattr(ui.placepage, "step_glimpses", lambda *args: None)
    at = open_app_page("pages/compounds.py")
    assert at.session_state[VERSION_READ_KEY] == built and counted == NOTHING, counted  # nothing built for it
    pending = [i.value for i in at.info]
    assert any("新数据已到达，正在准备中" in text for text in pending), pending

    assert warmer.step()
    at.run()  # as ui.follow reruns it
    assert at.session_state[VERSION_READ_KEY] == newest_version(page_env) > built
    assert not any("新数据已到达" in i.value for i in at.info)

    _import(page_env, "open")
    assert open_app_page("pages/compounds.py").session_state[VERSION_READ_KEY] == newest_version(page_env)  # no
    # build under way (the warm-up spaces builds out during a morning of phone reports): the page builds it
    _import(page_env, "sealed")
    ui.data.mark_building(app_store_url, newest_version(page_env))
    monkeypatch.setattr(ui.data, "BUILD_WAIT_SECONDS", -1.0)  # written too long ago: a build that does not end
    assert open_app_page("pages/compounds.py").session_state[VERSION_READ_KEY] == newest_version(page_env)


def _writes_then_looks():
    """A page that writes a version and reads no store key after it in that run (the upload page reruns)."""
    import streamlit as st

    from geo.accounts import SYSTEM
    from geo.store import when_written
    from geo.upload import check_file, commit
    from ui.data import engine, remember_written, store_key

    when_written(remember_written)  # as app.py does
    if not st.session_state.get("wrote"):
        check = check_file(engine(), "compound_status", b"compound_id,date,closure,gates_open\n0501,2020-02-25,open,1\n",
                           "day.csv")
        commit(engine(), check, SYSTEM)
        st.session_state["wrote"] = True
    else:
        st.write(f"shown {store_key()[1]}")


def test_the_session_that_wrote_a_version_shows_it_before_the_server_has_built_it(page_env, app_store_url):
    Warmer(lambda: connect(app_store_url), load()).step()
    at = AppTest.from_function(_writes_then_looks, default_timeout=60).run()
    ui.data.mark_building(app_store_url, newest_version(page_env))  # the warm-up at work on it
    at.run()  # the next run of the session that wrote
    assert not at.exception and built_version(app_store_url) < newest_version(page_env)
    assert at.markdown[0].value == f"shown {newest_version(page_env)}"


def test_a_store_that_cannot_be_read_is_left_to_the_pages(tmp_path):
    folder = tmp_path / "not-a-store.sqlite"
    folder.mkdir()  # a folder where the file should be: every read fails
    warmer = Warmer(lambda: connect(f"sqlite:///{folder}"), load())
    assert not warmer.step() and warmer.warmed is None  # said in the log; the pages say it in their own words


def test_a_server_stopped_during_a_build_writes_the_snapshot_of_the_version_it_is_building(page_env, app_store_url,
                                                                                        monkeypatch):
    """A restart just after an import: the build of its version (views, maps) may outlast the service manager's
    patience, but its dataset, read first, is written at once."""
    folder = snapshot_folder(app_store_url)
    warmer = Warmer(lambda: connect(app_store_url), load())
    assert warmer.step()
    first = newest_version(page_env)
    _import(page_env, "sealed")
    reading, release = threading.Event(), threading.Event()

    def slow_build(url, version, settings):  # reads the dataset, then builds the rest for a long while
        ui.cache.load_dataset(url, version)
        reading.set()
        release.wait(30)

    monkeypatch.setattr(ui.warmup, "warm", slow_build)
    warmer.poll = 0.05
    warmer.start()
    try:
        assert reading.wait(30) and _snapshots(folder) == [f"v{first}"]  # spaced: none for this version yet
        stopping = threading.Thread(target=warmer.stop)
        stopping.start()
        for _ in range(200):
            if _snapshots(folder) != [f"v{first}"]:
                break
            time.sleep(0.05)
        assert _snapshots(folder) == [f"v{newest_version(page_env)}"] and warmer._thread.is_alive()  # mid-build
    finally:
        release.set()
    stopping.join(30)
    assert not warmer._thread.is_alive()


def test_the_thread_stops_with_the_server(page_env, app_store_url):
    warmer = Warmer(lambda: connect(app_store_url), load(), poll=0.05).start()
    try:
        for _ in range(200):
            if warmer.warmed:
                break
            warmer._stop.wait(0.05)
        assert warmer.warmed == newest_version(page_env)
    finally:
        warmer.stop()
    assert not warmer._thread.is_alive()


def test_an_open_page_follows_a_new_version_once_the_server_has_built_it(page_env, app_store_url):
    """ui.follow: a page left open reruns for the version the warm-up built, not for each one written (a
    crowd of screens then redraws from what is built once; a morning of phone reports, every 30 s at most)."""
    settings = load()
    now = [0.0]
    warmer = Warmer(lambda: connect(app_store_url), settings, clock=lambda: now[0])
    warmer.step()
    assert built_version(settings.database_url) == newest_version(page_env)
    at = open_app_page("pages/overview.py")
    read = at.session_state[VERSION_READ_KEY]
    assert read == newest_version(page_env) and newer_version_ready(read, settings.database_url) is None

    _import(page_env, "sealed")
    assert newer_version_ready(read, settings.database_url) is None  # written, not built yet: the page waits
    now[0] += 1
    assert warmer.step()
    assert newer_version_ready(read, settings.database_url) == newest_version(page_env) == read + 1
    at.run()  # what the page's rerun then reads
    assert not at.exception and at.session_state[VERSION_READ_KEY] == read + 1


def test_without_a_warm_up_an_open_page_follows_the_store_s_newest_version(page_env, app_store_url, monkeypatch):
    monkeypatch.setattr(ui.data, "_built", {})  # no warm-up thread in this process (a test's app)
    url = load().database_url
    read = newest_version(page_env)
    assert newer_version_ready(read, url) is None
    _import(page_env, "sealed")
    assert newer_version_ready(read, url) == read + 1
    assert newer_version_ready(None, url) is None  # a session that read nothing yet has nothing to follow


def _import_day(engine, day: str) -> None:
    check = check_file(engine, "compound_status",
                       f"compound_id,date,closure,gates_open\n0501,{day},sealed,1\n".encode(), "day.csv")
    assert check.ok, [p.zh for p in check.problems]
    commit(engine, check, SYSTEM)


def test_a_page_on_the_newest_day_moves_to_a_new_day_and_one_on_a_chosen_day_stays(page_env, monkeypatch):
    monkeypatch.setenv("CMDMAP_COMPLETE_SHARE", "0")  # a day counts with any report (the tiny city's is one)
    following, staying = open_app_page("pages/overview.py"), open_app_page("pages/overview.py")
    dates = staying.selectbox(key="date").options
    newest = following.selectbox(key="date").value
    assert newest == max(dates)
    staying.selectbox(key="date").select(min(dates)).run()
    day = (dt.date.fromisoformat(newest) + dt.timedelta(days=1)).isoformat()
    _import_day(page_env, day)
    following.run()  # the rerun ui.follow makes for the new version
    staying.run()
    assert following.selectbox(key="date").value == day and following.query_params["date"] == day
    assert staying.selectbox(key="date").value == min(dates)


def test_a_page_reruns_once_for_a_version_and_again_only_if_it_still_has_not_read_it_later():
    """A page whose store fails as it reruns still shows the older version: it must not rerun at every look, nor
    stay behind for good (the wall would wait for its own refresh)."""
    assert rerun_due(None, 7, 100.0) and rerun_due((6, 99.0), 7, 100.0)
    assert not rerun_due((7, 99.0), 7, 100.0) and not rerun_due((7, 99.0), 7, 99.0 + RETRY_SECONDS - 1)
    assert rerun_due((7, 99.0), 7, 99.0 + RETRY_SECONDS)


def test_a_nation_s_tiles_and_dots_are_built_by_the_warm_up_and_the_map_finds_them(page_env, app_store_url,
                                                                                    monkeypatch):
    """Past ``map_places_at_once`` places the packs are tiles and dots (geo/maps/tiles.py): the warm-up makes them
    as it makes a whole pack, written for the browser to fetch, and the compounds map's first visit makes none."""
    monkeypatch.setenv("CMDMAP_MAP_PLACES_AT_ONCE", "2")  # the tiny city's compounds stand for a nation
    made = []
    real = ui.packs.pack_tiles
    monkeypatch.setattr(ui.packs, "pack_tiles", lambda *args, **kwargs: made.append(args) or real(*args, **kwargs))
    Warmer(lambda: connect(app_store_url), load()).step()
    assert made  # the compounds (and any other kind of more than two places) cut into tiles
    version = newest_version(page_env)
    sources = ui.packs._sources(app_store_url, version, "", "compounds", "wgs84", 2)
    assert [s.role for s in sources[:2]] == ["dots", "tile"] and len({s.role for s in sources}) == 2
    assert all(len(s.pack.ids) == 1 for s in sources[1:])  # tiles of a thirty-second of two: one place each
    assert all((ui.packs.PACK_DIR / s.url.rsplit("/", 1)[-1]).is_file() for s in sources)  # written to fetch
    made.clear()
    at = open_app_page("pages/compounds.py")
    assert not at.exception
    assert made == []  # the first visit found them built


def test_after_a_new_day_is_imported_the_views_of_the_days_before_are_not_made_again(page_env, app_store_url,
                                                                                       monkeypatch):
    """A view of a day reads no later day's reports: after a new day's import (at a million compounds each
    kind's view of the day before took seconds to make again) the views of the days before are the same."""
    settings = load()
    low, critical = settings.supply_low_days, settings.supply_critical_days
    Warmer(lambda: connect(app_store_url), settings).step()
    version = newest_version(page_env)
    newest = ui.cache.report_dates(ui.cache.load_dataset(app_store_url, version))[-1]
    shown = ui.cache._view("compounds", app_store_url, version, "", newest, low, critical)
    new_day = (dt.date.fromisoformat(newest) + dt.timedelta(days=1)).isoformat()
    made = []
    real = ui.cache.view_of
    monkeypatch.setattr(ui.cache, "view_of", lambda ds, kind, date, *rest: made.append(date) or real(ds, kind, date,
                                                                                                     *rest))
    check = check_file(page_env, "compound_status",
                       f"compound_id,date,closure,gates_open\n0501,{new_day},sealed,1\n".encode(), "day.csv",
                       today=dt.date.fromisoformat(new_day))
    assert check.ok, [p.zh for p in check.problems]
    commit(page_env, check, SYSTEM)
    Warmer(lambda: connect(app_store_url), settings).step()
    after = newest_version(page_env)
    assert after > version and newest not in made, made
    assert ui.cache._view("compounds", app_store_url, after, "", newest, low, critical) is shown
    ui.cache._view("compounds", app_store_url, after, "", new_day, low, critical)
    assert made == [new_day]  # the new day's view is made
    # a correction of that day makes its view again
    check = check_file(page_env, "compound_status",
                       f"compound_id,date,closure,gates_open\n0501,{newest},open,1\n".encode(), "fix.csv",
                       today=dt.date.fromisoformat(new_day))
    commit(page_env, check, SYSTEM)
    latest = newest_version(page_env)
    assert ui.cache._view("compounds", app_store_url, latest, "", newest, low, critical) is not shown


def test_once_an_import_is_built_nothing_of_the_version_before_stays_in_the_caches(page_env, app_store_url,
                                                                                  monkeypatch):
    """At a million compounds the version before an import stayed in every cache beside the new one until pushed
    out (its reports, lookups, views and maps: 4.1 GB after the build, where a start on the new version holds
    3.0). Once the new version is built, nothing holds the old one's dataset, nor its views of a day the build does
    not make again: the whole city's, a zone's."""
    monkeypatch.setenv("CMDMAP_COMPLETE_SHARE", "0")  # every day complete: the new one is shown once imported
    settings = load()
    low, critical = settings.supply_low_days, settings.supply_critical_days
    Warmer(lambda: connect(app_store_url), settings).step()
    version = newest_version(page_env)
    dataset = ui.cache.load_dataset(app_store_url, version)
    first, *_, newest = ui.cache.report_dates(dataset)
    # a leader's look at the first day, which the new version's build does not make (it makes the day it shows and
    # the one before)
    old = [weakref.ref(dataset),
           weakref.ref(ui.cache._view("compounds", app_store_url, version, "", first, low, critical)),
           weakref.ref(ui.cache._scoped_view("compounds", app_store_url, version, "zone:Z1", first, low, critical))]
    del dataset
    new_day = (dt.date.fromisoformat(newest) + dt.timedelta(days=1)).isoformat()
    check = check_file(page_env, "compound_status",
                       f"compound_id,date,closure,gates_open\n0501,{new_day},sealed,1\n".encode(), "day.csv",
                       today=dt.date.fromisoformat(new_day))
    commit(page_env, check, SYSTEM)
    Warmer(lambda: connect(app_store_url), settings).step()
    gc.collect()
    assert [ref() is None for ref in old] == [True, True, True]
    assert ui.cache.days_for(app_store_url, newest_version(page_env), "", 0).current == new_day  # the build's


def test_a_restart_reads_the_snapshot_the_warm_up_wrote_not_the_store(page_env, app_store_url, counted, monkeypatch):
    """A million compounds' store took 68 s to read at every start: the warm-up keeps what it read as the store's
    snapshot (geo.store.snapshot), and the next process starts from it."""
    warmer = Warmer(lambda: connect(app_store_url), load())
    assert warmer.step()
    assert (snapshot_folder(app_store_url) / f"v{newest_version(page_env)}").is_dir()
    monkeypatch.setattr(ui.cache, "_last_read", {})  # a new process: nothing read yet, no cache
    st.cache_resource.clear()
    whole = []
    monkeypatch.setattr(geo.store.snapshot, "read_store", lambda engine: whole.append(engine))
    counted.update(NOTHING)
    at = open_app_page("pages/compounds.py")
    assert not at.exception
    assert counted["read_store"] == 1 and whole == []  # read once, from the snapshot: no row of the store


def _snapshots(folder) -> list[str]:
    """The snapshots' folders in ``folder`` (the index of the map's packs is kept beside them)."""
    return sorted(path.name for path in folder.glob("v*"))


def test_the_warm_up_writes_a_snapshot_at_most_once_every_ten_minutes(page_env, app_store_url):
    """A morning of phone reports builds a version every 30 s: each snapshot of 100,000 compounds is 62 MB."""
    now = [0.0]
    warmer = Warmer(lambda: connect(app_store_url), load(), clock=lambda: now[0])
    folder = snapshot_folder(app_store_url)
    assert warmer.step() and _snapshots(folder) == [f"v{newest_version(page_env)}"]
    first = newest_version(page_env)
    _import(page_env, "sealed")
    now[0] += 60
    assert warmer.step()  # built, and no snapshot of it: the one of a minute ago stays
    assert _snapshots(folder) == [f"v{first}"]
    _import(page_env, "open")
    now[0] += ui.warmup.SNAPSHOT_SPACING
    assert warmer.step() and _snapshots(folder) == [f"v{newest_version(page_env)}"]


def test_a_version_built_since_the_last_snapshot_gets_its_own_when_the_server_stops(page_env, app_store_url):
    """An import, then a restart within ten minutes: the next start would read the import's rows from the store
    again (a million compounds' day: 16 s) had the server not written the snapshot as it stopped."""
    now = [0.0]
    warmer = Warmer(lambda: connect(app_store_url), load(), clock=lambda: now[0])
    folder = snapshot_folder(app_store_url)
    assert warmer.step()
    first = newest_version(page_env)
    _import(page_env, "sealed")
    now[0] += 60
    assert warmer.step() and _snapshots(folder) == [f"v{first}"]
    warmer.stop()
    assert _snapshots(folder) == [f"v{newest_version(page_env)}"] != [f"v{first}"]
    written = (folder / f"v{newest_version(page_env)}").stat().st_mtime_ns
    warmer.stop()  # stopped again: nothing new to write
    assert (folder / f"v{newest_version(page_env)}").stat().st_mtime_ns == written
