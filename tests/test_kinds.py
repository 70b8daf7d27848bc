"""The registry of kinds of places: the built-in entries hold together, and a new kind is one entry.

A throw-away kind, pharmacies (药店: points, their own daily report and vocabulary), is
registered for a test and seen on the map pages, in the upload check and in the
templates; nothing else in the project names it.
"""

import io
import itertools
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo import store
from geo.analysis import kpi
from geo.domain import kinds, labels, schema, vocab
from geo.domain.kinds import Kind
from geo.domain.schema import Column, Table
from geo.domain.vocab import Term
from geo.io.templates import template_bytes
from geo.store.tables import metadata
from geo.upload import open_city
from geo.upload.check import check_file
from tests.cities import map_sent as drawn
from tests.conftest import _collection, write_tiny_city

APP = str(Path(__file__).resolve().parent.parent / "app.py")

PHARMACIES = Kind(
    name="pharmacies", title="page_pharmacies", layer="pharmacies", report="pharmacy_status",
    vocabulary="pharmacy_state", legend="legend_pharmacy_state", layer_title="layer_pharmacies",
    state_label="col_pharmacy_state", overview="shown", wall=5,
    tables=(
        Table("pharmacies", "pharmacies.geojson", "药店", "Pharmacies", (
            Column("id", "药店编号", "Pharmacy ID", required=True),
            Column("name", "药店名称", "Pharmacy name", required=True),
            Column("zone", "所属片区", "Zone ID"),
        ), geometry="Point"),
        Table("pharmacy_status", "pharmacy_status.csv", "药店日报", "Pharmacy daily report", (
            Column("pharmacy_id", "药店编号", "Pharmacy ID", required=True),
            Column("pharmacy_name", "药店名称", "Pharmacy name"),
            Column("date", "日期", "Date", "date", required=True),
            Column("state", "营业状态", "Trading state", "code:pharmacy_state", required=True),
        ), key=("pharmacy_id", "date")),
    ),
    terms=(Term("trading", "正常营业", "Trading", "#2e7d31"), Term("limited", "限流营业", "Limited", "#ffa000"),
           Term("closed", "暂停营业", "Closed", "#4a148c")),
    texts={"page_pharmacies": ("药店", "Pharmacies"), "legend_pharmacy_state": ("药店营业状态", "Pharmacy trading"),
           "layer_pharmacies": ("药店（营业状态）", "Pharmacies (trading)"),
           "col_pharmacy_state": ("营业状态", "Trading state")},
)

PHARMACIES_GEOJSON = _collection([
    ({"id": "M1", "name": "温泉大药房", "zone": "Z1"}, {"type": "Point", "coordinates": [114.311, 29.835]}),
    ({"id": "M2", "name": "浮山药店", "zone": ""}, {"type": "Point", "coordinates": [114.331, 29.835]}),  # zone by join
])
PHARMACY_STATUS_CSV = ("pharmacy_id,pharmacy_name,date,state\n"
                       "M1,温泉大药房,2020-02-24,closed\n"
                       "M1,温泉大药房,2020-02-25,trading\n"
                       "M2,浮山药店,2020-02-25,限流营业\n")

_memory_stores = itertools.count(1)


@pytest.fixture
def pharmacies():
    """Pharmacies registered for one test, and gone afterwards whatever happens."""
    with kinds.registered(PHARMACIES) as kind:
        yield kind
    assert "pharmacies" not in kinds.KINDS and "pharmacies" not in schema.TABLES
    assert "pharmacy_state" not in vocab.VOCABULARIES and "page_pharmacies" not in labels.LABELS


@pytest.fixture
def city_with_pharmacies(tmp_path) -> Path:
    folder = write_tiny_city(tmp_path / "city")
    (folder / "pharmacies.geojson").write_text(PHARMACIES_GEOJSON, encoding="utf-8")
    (folder / "pharmacy_status.csv").write_text(PHARMACY_STATUS_CSV, encoding="utf-8")
    return folder


# SQLAlchemy picks its pool for a named in-memory database itself and warns that it will pick another one day;
# either keeps the database while the engine lives.
in_memory = pytest.mark.filterwarnings("ignore:Selection of the SingletonThreadPool:DeprecationWarning")


def memory_store(data_dir: Path):
    """A new in-memory SQLite store filled from ``data_dir`` (its own name: no other test shares it)."""
    return open_city(f"sqlite:///file:kinds{next(_memory_stores)}?mode=memory&cache=shared&uri=true", data_dir)


def open_kind_page(at: AppTest, url_path: str) -> AppTest:
    """Open the sidebar page of a kind that has no script of its own, as a click in the sidebar does.

    AppTest.switch_page() only finds pages by their file; the navigation registers
    this one by its URL path, so its hash is looked up there (AppTest's own table).
    """
    at.run()
    found = [h for h, info in at._registered_pages.items() if info.get("url_pathname") == url_path]
    assert found, f"no page /{url_path} in the navigation"
    at._page_hash = found[0]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_every_kind_names_what_exists():
    for kind in kinds.KINDS.values():
        for key in (kind.title, kind.legend, kind.layer_title, kind.state_label):
            assert key is None or key in labels.LABELS, (kind.name, key)
        assert kind.vocabulary is None or kind.vocabulary in vocab.VOCABULARIES
        assert kind.layer is None or schema.TABLES[kind.layer].geometry, kind.name
        assert kind.report is None or not schema.TABLES[kind.report].geometry, kind.name
        assert all(schema.TABLES[layer].geometry for layer in kind.place_layers), kind.name
        assert kind.page is None or (Path(APP).parent / kind.page).is_file()
        assert kind.overview in (None, "shown", "hidden")
        if kind.report and kind.vocabulary and kind.layer:  # coloured by a state its daily report gives
            assert kind.state_column, kind.name
    turns = {k.wall for k in kinds.KINDS.values() if k.wall is not None}  # kinds may share a turn
    assert sorted(turns) == list(range(len(turns)))


def test_the_registry_says_what_each_kind_is():
    assert kinds.kind("compounds").accepts == ("Polygon", "MultiPolygon", "Point")  # a compound known by its address
    assert kinds.kind("sites").accepts == ("Point",)
    assert kinds.kind("compounds").state_column == "closure" and kinds.kind("supplies").state_column is None
    assert kinds.of_report("supplies").place_layers == ("compounds", "sites")
    assert kinds.kind("zones").map_layers == ("zones",) and kinds.of_report("zones") is None
    with pytest.raises(KeyError, match="pharmacies"):
        kinds.kind("pharmacies")


def test_the_headline_figures_are_the_registry_s():
    empty = pd.DataFrame({"category": [], "supply_level": [], "report": []})
    assert list(kpi.figures(empty, empty)) == [f.key for f in kinds.figures()]
    assert {f.key: f.rise for f in kinds.figures() if f.rise} == {
        "kpi_resumption_rate": "good", "kpi_short": "bad", "kpi_markets_open": "good", "kpi_plants_running": "good",
        "kpi_not_reported": "bad"}
    assert kinds.figure("kpi_resumption_rate").unit == "%" and kinds.figure("kpi_sealed").rise is None


def test_a_kind_that_would_replace_or_lacks_something_is_refused():
    with pytest.raises(ValueError, match="already"):
        kinds.register(kinds.kind("sites"))
    with pytest.raises(ValueError, match="neither exist"):
        kinds.register(Kind(name="kiosks", title="page_zones", layer="kiosks", vocabulary="kiosk_state"))
    with pytest.raises(ValueError, match="would replace"):
        kinds.register(Kind(name="kiosks", title="page_zones", layer="zones", tables=(schema.TABLES["zones"],)))
    assert "kiosks" not in kinds.KINDS


def test_a_registered_kind_is_on_its_own_page_and_on_the_overview(pharmacies, city_with_pharmacies, monkeypatch):
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(city_with_pharmacies))
    # a file, not memory: the page runs in AppTest's script thread, on connections of its own
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{city_with_pharmacies.parent / 'store.sqlite'}")
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")

    at = open_kind_page(AppTest.from_file(APP, default_timeout=60), "pharmacies")
    assert at.title[0].value == "药店"
    assert at.selectbox(key="date").value == "2020-02-25"
    assert at.multiselect(key="status").options == ["正常营业", "限流营业", "暂停营业", "未报告"]
    table = next(df.value for df in at.dataframe if df.value.columns[0] == "编号")
    assert table["编号"].tolist() == ["M1", "M2"]
    assert table["营业状态"].tolist() == ["正常营业", "限流营业"]
    assert table["较上一日报变化"].tolist() == ["暂停营业 → 正常营业", "未报告 → 限流营业"]
    script, update = drawn(at)
    assert json.dumps("药店（营业状态）") in script  # its name in the layer control
    states = {state["key"]: state for state in update["states"]}
    assert list(states) == ["outlines", "pharmacies"]
    assert states["pharmacies"]["cats"] == ["trading", "limited", "closed", "missing"]
    assert states["pharmacies"]["fields"][0] == ["营业状态", ["正常营业（第 1 天）", "限流营业（第 1 天）"]]  # and how long it has held
    assert "药店营业状态" in update["legend"] and "#ffa000" in update["legend"]

    at.multiselect(key="zone").set_value(["Z2"]).run()  # M2's zone came from the spatial join
    assert next(df.value for df in at.dataframe if df.value.columns[0] == "编号")["编号"].tolist() == ["M2"]

    overview = AppTest.from_file(APP, default_timeout=60)
    overview.switch_page("pages/overview.py")
    overview.run()
    assert not overview.exception
    script, update = drawn(overview)
    # the city has no markets, parks, …: their layers are not offered; the pharmacies are shown
    assert [state["key"] for state in update["states"]] == ["outlines", "compounds", "sites", "supplies", "pharmacies"]
    assert json.dumps("药店（营业状态）") in script and "药店营业状态" in update["legend"]


def test_a_registered_kind_is_on_the_wall(pharmacies, city_with_pharmacies, monkeypatch):
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(city_with_pharmacies))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{city_with_pharmacies.parent / 'store.sqlite'}")
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")
    assert kinds.wall_views() == ("compounds", "sites", "supplies", "zones", "markets", "pharmacies")
    wall = AppTest.from_file(APP, default_timeout=60)
    wall.query_params["kiosk"], wall.query_params["view"] = "1", "pharmacies"
    wall.switch_page("pages/wall.py")
    wall.run()
    assert not wall.exception
    shown = " ".join(md.value for md in wall.markdown)
    assert '<span class="wall-view">药店</span>' in shown and "<h4>药店营业状态</h4>" in shown
    assert "正常营业 (1)" in shown and "限流营业 (1)" in shown


@in_memory
def test_a_registered_kind_is_checked_on_upload(pharmacies, city_with_pharmacies):
    engine = memory_store(city_with_pharmacies)
    assert set(store.current(engine, "pharmacies")["id"]) == {"M1", "M2"}

    layer = _collection([
        ({"id": "M3", "name": "新药店", "zone": "Z1"}, {"type": "Point", "coordinates": [114.312, 29.836]}),
        ({"id": "M4", "name": "画错的药店", "zone": "Z1"},
         {"type": "Polygon", "coordinates": [[[114.31, 29.83], [114.311, 29.83], [114.311, 29.831], [114.31, 29.83]]]}),
    ]).encode("utf-8")
    check = check_file(engine, "pharmacies", layer, "pharmacies.geojson")
    assert [(p.row, p.value) for p in check.problems] == [(2, "M4")]
    assert "药店应为点（Point）" in check.problems[0].zh
    check = check_file(engine, "pharmacies", layer.replace(b"Polygon", b"Point").replace(
        b"[[[114.31, 29.83], [114.311, 29.83], [114.311, 29.831], [114.31, 29.83]]]", b"[114.313, 29.837]"),
        "pharmacies.geojson")
    assert check.ok and check.changed_ids == ["M3", "M4"] and check.summary[0][0] == "新增 2 个药店"

    reports = ("药店编号,药店名称,日期,营业状态\n"
               "M1,温泉大药房,2020-02-26,暂停营业\n"   # a Chinese label: its code
               "M2,浮山药店,2020-02-26,半开\n"         # 3: not a pharmacy state
               "M9,温泉大药房,2020-02-26,trading\n")  # 4: no such pharmacy; its name points to M1
    check = check_file(engine, "pharmacy_status", reports.encode("utf-8"), "pharmacy_status.csv")
    assert sorted((p.row, p.column) for p in check.problems) == [(3, "营业状态"), (4, "药店编号")]
    assert "M1（温泉大药房）" in next(p for p in check.problems if p.row == 4).zh
    assert check.frame.loc[check.frame["pharmacy_id"] == "M1", "state"].tolist() == ["closed"]


def test_a_registered_kind_has_its_templates(pharmacies):
    assert template_bytes("pharmacy_status", "csv").decode("utf-8-sig").splitlines() == ["药店编号,药店名称,日期,营业状态"]
    assert template_bytes("pharmacies", "csv").decode("utf-8-sig").splitlines() == ["药店编号,药店名称,所属片区,经度,纬度"]
    book = openpyxl.load_workbook(io.BytesIO(template_bytes("pharmacy_status", "xlsx")))
    assert book.sheetnames == ["药店日报", "填写说明"]
    rules = {row[0]: row[3] for row in book["填写说明"].iter_rows(min_row=2, values_only=True)}
    assert rules["营业状态"] == "以下之一：正常营业/限流营业/暂停营业"


@in_memory
def test_a_registered_kind_leaves_the_migrated_schema_alone(pharmacies, city_with_pharmacies):
    memory_store(city_with_pharmacies)
    assert not any("pharmac" in name for name in metadata.tables)  # the migrations make what is on it
