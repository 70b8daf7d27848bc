"""Tiny hand-built city: two zones, three compounds, two sites, two report dates."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from tests.filled_stores import SHARED_ENV, open_filled
from tests.needs import unavailable

XSS = "<img src=x onerror=alert(1)>"


def _polygon(x0, y0, x1, y1):
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def _collection(features):
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geometry} for props, geometry in features
    ]}, ensure_ascii=False)


def write_tiny_city(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "zones.geojson").write_text(_collection([
        ({"id": "Z1", "name": "温泉街道第一片区", "district": "咸安区", "street": "温泉街道", "leader": "张伟",
          "phone": "13800000001"}, _polygon(114.30, 29.83, 114.32, 29.85)),
        ({"id": "Z2", "name": "浮山街道第一片区", "district": "咸安区", "street": "浮山街道", "leader": "李娜",
          "phone": "13800000002"}, _polygon(114.32, 29.83, 114.34, 29.85)),
    ]), encoding="utf-8")
    (folder / "compounds.geojson").write_text(_collection([
        ({"id": "0501", "name": "金桂花园", "address": "金桂路1号", "zone": "Z1", "households": 300,
          "property_company": "咸宁市安居物业"}, _polygon(114.301, 29.831, 114.303, 29.833)),
        ({"id": "0502", "name": XSS, "address": "=HYPERLINK(\"http://x\")", "zone": "Z1", "households": 120,
          "property_company": "X"}, _polygon(114.305, 29.835, 114.307, 29.837)),
        # no zone: the spatial join puts it in Z2
        ({"id": "0503", "name": "浮山小区", "address": "浮山路2号", "zone": "", "households": 80,
          "property_company": "Y"}, _polygon(114.325, 29.835, 114.327, 29.837)),
    ]), encoding="utf-8")
    (folder / "sites.geojson").write_text(_collection([
        ({"id": "S1", "name": "六岭棚改项目", "kind": "棚户区改造", "developer": "A", "contractor": "B", "zone": "Z1"},
         {"type": "Point", "coordinates": [114.31, 29.84]}),
        ({"id": "S2", "name": "学校建设工程", "kind": "公共建筑", "developer": "C", "contractor": "D", "zone": "Z2"},
         {"type": "Point", "coordinates": [114.33, 29.84]}),
    ]), encoding="utf-8")
    (folder / "compound_status.csv").write_text(
        "compound_id,date,closure,gates_open,staff_on_duty,volunteers_on_duty,residents,fever_reports,"
        "home_isolation,vulnerable,note\n"
        "0501,2020-02-24,open,3,4,2,900,0,1,5,\n"
        "0502,2020-02-24,controlled,1,3,2,360,0,0,2,\n"
        "0503,2020-02-24,controlled,1,2,1,240,1,2,1,\n"
        "0501,2020-02-25,controlled,1,4,3,900,0,1,5,已设卡口测温\n"
        "0502,2020-02-25,sealed,0,3,2,360,2,3,2,\n", encoding="utf-8")
    (folder / "site_status.csv").write_text(
        "site_id,date,resumption,workers_total,workers_returned,health_ledger,note\n"
        "S1,2020-02-24,approved,200,20,yes,\n"
        "S2,2020-02-24,not_resumed,100,0,no,\n"
        "S1,2020-02-25,resumed,200,150,yes,\n"
        "S2,2020-02-25,applied,100,0,no,\n", encoding="utf-8")
    rows = ["place_id,date,item,on_hand,daily_use"]
    for date, masks in (("2020-02-24", 1000), ("2020-02-25", 100)):
        rows += [f"0501,{date},masks,{masks},50", f"0501,{date},disinfectant,100,5",
                 f"0502,{date},masks,2000,50", f"S1,{date},masks,500,100", f"S2,{date},masks,150,100"]
    (folder / "supplies.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def write_other_places(folder: Path) -> Path:
    """The tiny city's other places (geo/domain/kinds.py): a place or two of each kind, reports on both days."""
    def point(x, y):
        return {"type": "Point", "coordinates": [x, y]}

    layers = {
        "markets": [({"id": "M1", "name": "温泉农贸市场", "address": "温泉路3号", "zone": "Z1", "vendors": 300,
                      "manager": "温泉市场管理所", "contact": "王芳", "phone": "13800000011"}, point(114.311, 29.835)),
                    ({"id": "M2", "name": XSS, "zone": "", "vendors": 80}, point(114.331, 29.836))],  # zone by join
        "sales_offices": [({"id": "O1", "name": "金桂花园售楼部", "zone": "Z1", "developer": "金桂置业"},
                           point(114.312, 29.841))],
        "agencies": [({"id": "A1", "name": "香城房产（温泉路店）", "zone": "Z2", "company": "香城经纪"},
                      point(114.333, 29.842))],
        "parks": [({"id": "P1", "name": "十六潭公园", "zone": "Z2", "manager": "园林所"}, point(114.335, 29.845))],
        "plants": [({"id": "W1", "name": "咸宁市第一水厂", "zone": "Z1", "plant_type": "自来水厂", "capacity": 100000},
                    point(114.305, 29.848)),
                   ({"id": "W2", "name": "永安污水处理厂", "zone": "Z2", "plant_type": "污水处理厂", "capacity": 50000},
                    point(114.338, 29.832))],
    }
    for name, features in layers.items():
        (folder / f"{name}.geojson").write_text(_collection(features), encoding="utf-8")
    reports = {
        "market_status": "market_id,date,opening,vendors_open,staff,disinfections,note\n"
                         "M1,2020-02-24,suspended,0,2,1,停市全面消杀\nM1,2020-02-25,open,240,8,2,\n"
                         "M2,2020-02-24,open,60,4,2,\n",  # M2 does not report on the 25th
        "sales_office_status": "office_id,date,opening,visits,staff,disinfections,note\n"
                               "O1,2020-02-24,suspended,0,1,1,\nO1,2020-02-25,suspended,0,1,1,按通知暂停开放\n",
        "agency_status": "agency_id,date,opening,staff,note\nA1,2020-02-24,suspended,0,\nA1,2020-02-25,open,3,\n",
        "park_status": "park_id,date,opening,visitors,staff,disinfections,note\nP1,2020-02-25,暂停开放,0,3,1,\n",
        "plant_status": "plant_id,date,operation,output,water_quality,staff,note\n"
                        "W1,2020-02-24,running,80000,yes,20,\nW1,2020-02-25,running,82000,yes,21,\n"
                        "W2,2020-02-24,running,30000,yes,12,\nW2,2020-02-25,减量运行,15000,yes,6,人员不足\n",
    }
    for name, text in reports.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def tiny_dir(tmp_path) -> Path:
    return write_tiny_city(tmp_path / "city")


@pytest.fixture
def tiny(tiny_dir):
    from geo.store.dataset import load_store

    return load_store(open_filled(f"sqlite:///{tiny_dir.parent / 'tiny.sqlite'}", tiny_dir))


@pytest.fixture
def tiny_store(tiny_dir, store_url):
    """The tiny city in a store on each back end."""
    return open_filled(store_url, tiny_dir)


@pytest.fixture
def app_store_url(tiny_dir, tmp_path, monkeypatch) -> str:
    """The settings the app (AppTest, the command line) reads: the tiny city as its data folder, no base map, and
    the URL of its SQLite store, not opened yet."""
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", url)
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")
    return url


@pytest.fixture
def page_env(tiny_dir, app_store_url):
    """The tiny city in an SQLite store that the app (AppTest) reads, without a base map, and a clerk (staff)."""
    from geo.accounts import auth

    engine = open_filled(app_store_url, tiny_dir)
    auth.add_user(auth.SYSTEM, engine, "clerk", "staff", "tulip-harbor-2020")
    return engine


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL database with PostGIS for this test session (started once, stopped at the end).

    Skips when there is no server to start, but fails in CI (env ``CI`` set), as the browser tests do.
    """
    from tests.pgserver import start

    try:
        server = start()
    except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or ""
        reason = f"no PostgreSQL for the tests: {exc} {detail}".strip()
        unavailable(reason)
    yield server.url
    server.stop()


_stores = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_store(postgres_url) -> str:
    """The URL of one migrated store schema for the session; :func:`store_url` empties it for each test."""
    from geo.store.engine import connect
    from tests.pgserver import fresh_schema

    url = fresh_schema(postgres_url, f"store_{os.getpid()}")
    connect(url)
    return url


def _empty_postgres_store(url: str) -> None:
    import psycopg

    from geo.store.tables import metadata

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("SET lock_timeout = '20s'")  # a connection left in a transaction fails the test, not the run
        conn.execute(f"TRUNCATE {', '.join(t.name for t in metadata.sorted_tables)} RESTART IDENTITY CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """An empty store's URL on each back end: an SQLite file, or the session's PostgreSQL store emptied.

    Emptying one migrated schema is ten times faster than migrating a new one. Each test
    gets its own URL (a different application_name), so no engine or page cache keyed on
    the URL is shared between tests.
    """
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    url = request.getfixturevalue("postgres_store")
    _empty_postgres_store(url)
    return f"{url}&application_name=test{next(_stores)}"


@pytest.fixture(autouse=True, scope="session")
def components_found_once():
    """AppTest looks for installed custom components (reading the metadata of every installed package: 0.8 s)
    once per AppTest, and the suite makes over a thousand: found once per process here, as a server does once
    at its start. The app declares no component of that kind (streamlit-folium is of the older kind)."""
    from streamlit.testing.v1 import app_test

    found = app_test.BidiComponentManager()
    found.discover_and_register_components(start_file_watching=False)
    found.discover_and_register_components = lambda **_: None  # what AppTest calls next on the one it makes
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app_test, "BidiComponentManager", lambda: found)
        yield


@pytest.fixture(autouse=True)
def app_fills_by_copy(monkeypatch):
    """A page run in this process (AppTest) that finds its SQLite store not made yet takes a copy of one filled
    from a data folder of the same content (:func:`tests.filled_stores.open_filled`) instead of filling its own:
    about 2 s for the tiny city, which hundreds of page tests would each fill again. The tests of the filling
    itself call ``geo.upload.open_city``; servers the tests start fill their own."""
    from ui import data

    monkeypatch.setattr(data, "open_city", lambda url, data_dir, max_rows: open_filled(url, Path(data_dir)))


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """Argon2 at its default cost takes a fifth of a second a hash, and the tests make hundreds of accounts and
    logins: tests in this process use a cheap one (a server the tests start hashes at the real cost, and rehashes
    a cheap hash at its first login as it would an old one)."""
    from argon2 import PasswordHasher

    from geo.accounts import auth

    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(autouse=True)
def served_navigation(monkeypatch):
    """Run AppTest as a served app runs after its first page: in st.navigation mode.

    AppTest resets ``PagesManager.uses_pages_directory`` before every run, so each
    run would start in the old ``pages/`` mode and ``require_navigation`` would
    rerun it, dropping button clicks. A server leaves that mode once, for good.
    """
    real_init = PagesManager.__init__

    def init_after_navigation(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init_after_navigation)


APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_app_page(page: str, **query) -> AppTest:
    """``page`` run through app.py as its own URL opens it (a shared link), ``query`` in the address; no exception."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def pytest_configure(config):
    """The controller (or a run without workers) makes the folder of filled stores its workers share."""
    if not hasattr(config, "workerinput") and SHARED_ENV not in os.environ:
        shared = tempfile.mkdtemp(prefix="cmdmap-filled-")
        os.environ[SHARED_ENV] = shared  # the workers, started after this, inherit it
        config.add_cleanup(lambda: shutil.rmtree(shared, ignore_errors=True))
        config.add_cleanup(lambda: os.environ.pop(SHARED_ENV, None))

