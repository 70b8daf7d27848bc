"""Your own city: started empty (``geo init``), its data folder read through the upload's checks, a layer
replaced whole (and the replacement rolled back), and the welcome page of a city with no places yet."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import store
from geo.accounts import auth
from geo.cli.main import main
from geo.store.backup import backup_before_reset
from geo.store.engine import connect
from geo.upload import check_file, commit, open_city, rollback_to, start_city

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def without_compound(tiny_dir: Path, place: str) -> bytes:
    """The tiny city's compounds layer without ``place``: a file that is the whole layer as it should be."""
    collection = json.loads((tiny_dir / "compounds.geojson").read_text(encoding="utf-8"))
    collection["features"] = [f for f in collection["features"] if f["properties"]["id"] != place]
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


@pytest.fixture
def city_env(app_store_url):
    """The settings of a city whose data folder is the tiny city's; its store (SQLite) not opened yet."""
    return app_store_url


# ---- python -m geo init -------------------------------------------------------------------------------------


def test_init_starts_a_named_city_with_nothing_in_it_and_the_data_folder_is_not_read(city_env, tiny_dir, capsys):
    assert main(["init", "--city", "楚雄市"]) == 0
    out = capsys.readouterr().out
    assert "已新建城市“楚雄市”" in out and "欢迎页" in out
    engine = open_city(city_env, tiny_dir)  # as the app and every command open it
    assert store.newest_version(engine) == 0 and not store.has_places(engine)
    assert store.city_name(engine) == "楚雄市"
    assert main(["init", "--city", "楚雄市 "]) == 0  # an empty city may be renamed: nothing to lose
    assert store.city_name(engine) == "楚雄市"


def test_init_refuses_a_store_with_data_in_chinese_and_changes_nothing(city_env, tiny_dir, capsys):
    engine = open_city(city_env, tiny_dir)
    before = store.newest_version(engine), store.current_counts(engine)
    assert main(["init", "--city", "楚雄市"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("这里已有数据") and "7 个场所、19 行日报" in err and "--force" in err
    assert (store.newest_version(engine), store.current_counts(engine)) == before
    assert store.city_name(engine) is None
    assert not (Path(city_env.removeprefix("sqlite:///")).parent / "backups").exists()


def test_init_names_are_required_and_sane(city_env, capsys):
    assert main(["init"]) == 2
    assert "请用 --city 给城市起个名字" in capsys.readouterr().err
    assert main(["init", "--city", "   "]) == 2
    assert "城市名称不能为空" in capsys.readouterr().err
    assert main(["init", "--city", "市" * 41]) == 2


def test_init_force_backs_up_then_retires_everything_as_versions_a_rollback_undoes(city_env, tiny_dir, capsys):
    engine = open_city(city_env, tiny_dir)
    auth.add_user(auth.SYSTEM, engine, "boss", "admin", "tulip-harbor-2020")
    counts = store.current_counts(engine)
    seeded = store.newest_version(engine)
    assert main(["init", "--city", "楚雄市", "--force"]) == 0
    out = capsys.readouterr().out
    backups = sorted((Path(city_env.removeprefix("sqlite:///")).parent / "backups").glob("before-init-*.sqlite"))
    assert len(backups) == 1 and str(backups[0]) in out
    assert store.current_counts(connect(f"sqlite:///{backups[0]}")) == counts  # the copy holds everything
    assert not any(store.current_counts(engine).values()) and store.city_name(engine) == "楚雄市"
    assert auth.find_user(engine, "boss") is not None  # the accounts stay
    versions = store.history(engine)
    retired = versions[versions["id"] > seeded]
    assert set(retired["action"]) == {"init"} and sorted(retired["kind"]) == sorted(k for k, n in counts.items() if n)
    assert retired["rows_removed"].sum() == sum(counts.values())
    assert store.newest_version(open_city(city_env, tiny_dir)) == seeded + 6  # the data folder is not read again
    # each table comes back by a rollback, as after any upload
    compounds = int(versions.loc[(versions["kind"] == "compounds") & (versions["id"] <= seeded), "id"].max())
    rollback_to(engine, compounds, auth.User("boss", "admin"))
    assert sorted(store.current(engine, "compounds")["id"]) == ["0501", "0502", "0503"]


def test_init_demo_imports_the_demo_city_through_the_checks(city_env, tiny_dir, capsys):
    assert main(["init", "--demo"]) == 0
    engine = open_city(city_env, tiny_dir)
    assert store.city_name(engine) == "咸安区（演示）" and store.refused_files(engine) == []
    assert store.current_counts(engine)["compounds"] == 200
    # the data through the checks, the morning's phone reports as the officers' own saves
    assert set(store.history(engine)["action"]) == {"seed", "report"}
    officers = {a.name: a for a in auth.list_users(engine) if a.role == "officer"}
    assert len(officers) == 24 and officers["xa-z01"].scope == "zone:XA-Z01"
    out = capsys.readouterr().out
    assert "xa-z01" in out  # its first password printed once, with the others
    assert "已新建演示城市“咸安区（演示）”" in out and "还没有任何场所" not in out  # not told it is empty


def test_backup_before_reset_copies_the_whole_store_into_an_sqlite_file(tiny_store, tmp_path):
    """SQLite's file copied as before an import; PostgreSQL's tables copied into a file ``move-store`` reads."""
    kept = backup_before_reset(tiny_store, folder=tmp_path)
    assert kept.parent == tmp_path and kept.name.startswith("before-init-")
    assert store.current_counts(connect(f"sqlite:///{kept}")) == store.current_counts(tiny_store)


# ---- the data folder, read through the upload's checks ------------------------------------------------------


def write_bad_compounds(folder: Path) -> None:
    """Compounds as a list of points, one with an id and one without: a bureau's own list exported as GeoJSON and
    half numbered by hand (a file where no feature has an id gets made ids, see tests/test_names_and_ids.py)."""
    folder.joinpath("compounds.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name, "address": "鹿城镇", **({"id": "C1"} if i else {})},
         "geometry": {"type": "Point", "coordinates": [101.54 + i / 100, 25.04]}}
        for i, name in enumerate(["龙潭社区", "阳光花园"])]}, ensure_ascii=False), encoding="utf-8")


def test_a_file_of_the_data_folder_with_problems_is_not_stored_and_says_why(tmp_path, tiny_dir, caplog):
    write_bad_compounds(tiny_dir)
    with caplog.at_level(logging.INFO, logger="geo.upload.city"):
        engine = open_city(f"sqlite:///{tmp_path / 'store.sqlite'}", tiny_dir)
    counts = store.current_counts(engine)
    assert counts["zones"] == 2 and counts["sites"] == 2 and counts["site_status"] == 4  # the good files
    assert counts["compounds"] == 0 and counts["compound_status"] == 0 and counts["supplies"] == 0
    refused = {found.file: found for found in store.refused_files(engine)}
    assert sorted(refused) == ["compound_status.csv", "compounds.geojson", "supplies.csv"]
    assert refused["compounds.geojson"].kind == "compounds"
    assert refused["compounds.geojson"].lines[0].zh.startswith("第 1 个要素没有编号（id），而其他要素有")
    # the reports name compounds that were not imported: problems of one kind are one line, saying where
    assert refused["compound_status.csv"].count == 5
    assert [line.zh for line in refused["compound_status.csv"].lines] == ["5 行的编号在地图上找不到：第 2–6 行"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3 and warnings[0].startswith("数据目录中的 compounds.geojson 有")
    assert all("没有导入" in w for w in warnings)
    assert any(r.getMessage().startswith("数据目录中的 zones.geojson 已通过检查并导入") for r in caplog.records)


def test_the_data_folder_is_read_once_in_the_order_layers_then_reports(store_url, tiny_dir):
    engine = open_city(store_url, tiny_dir)
    kinds = store.history(engine).sort_values("id")["kind"].tolist()
    assert kinds == ["zones", "compounds", "sites", "compound_status", "site_status", "supplies"]
    assert set(store.history(engine)["user_name"]) == {"system"} and store.refused_files(engine) == []
    assert store.newest_version(open_city(store_url, tiny_dir)) == 6


def test_the_command_line_says_which_files_of_the_data_folder_were_not_imported(city_env, tiny_dir):
    import subprocess
    import sys

    write_bad_compounds(tiny_dir)
    result = subprocess.run([sys.executable, "-m", "geo", "history"], cwd=Path(APP).parent, capture_output=True,
                            text=True)
    assert result.returncode == 0
    assert "数据目录中的 compounds.geojson 有" in result.stderr and "Traceback" not in result.stderr


# ---- a whole layer replaced ----------------------------------------------------------------------------------


def test_a_replacement_lists_what_it_retires_stores_one_version_and_a_rollback_brings_them_back(tiny_store,
                                                                                               tiny_dir):
    clerk, boss = auth.User("clerk", "staff"), auth.User("boss", "admin")
    before = store.current(tiny_store, "compounds")
    reports = store.current(tiny_store, "compound_status")
    previous = store.newest_version(tiny_store)
    content = without_compound(tiny_dir, "0503")
    adding = check_file(tiny_store, "compounds", content, "小区.geojson", datum="wgs84")
    assert adding.ok and adding.removed.empty and not adding.delta.size  # without the choice: nothing changes
    check = check_file(tiny_store, "compounds", content, "小区.geojson", datum="wgs84", replace=True)
    assert check.ok and check.removed.values.tolist() == [["0503", "浮山小区"]]
    assert "1 个物业小区不在文件中，将停用" in " ".join(line.zh for line in check.summary)
    applied = commit(tiny_store, check, clerk)
    assert (applied.version, applied.added, applied.changed, applied.removed) == (previous + 1, 0, 0, 1)
    assert sorted(store.current(tiny_store, "compounds")["id"]) == ["0501", "0502"]
    assert store.current(tiny_store, "compound_status").equals(reports)  # the place's reports keep their history
    log = store.version_changes(tiny_store, applied.version)
    assert log[["change", "key", "place"]].values.tolist() == [["removed", "0503", "浮山小区"]]
    assert store.history(tiny_store).iloc[0]["rows_removed"] == 1

    versions = store.history(tiny_store)
    rollback_to(tiny_store, int(versions.loc[(versions["kind"] == "compounds") & (versions["id"] <= previous),
                                             "id"].max()), boss)
    after = store.current(tiny_store, "compounds")
    assert sorted(after["id"]) == ["0501", "0502", "0503"]
    back = after.set_index("id").loc["0503"]
    assert back["name"] == "浮山小区" and back.geometry.equals(before.set_index("id").loc["0503"].geometry)


def test_only_a_layer_can_be_replaced(tiny_store, tiny_dir):
    with pytest.raises(ValueError):
        check_file(tiny_store, "compound_status", b"compound_id,date,closure\n0501,2020-02-26,open\n", "a.csv",
                   replace=True)
    with pytest.raises(ValueError):  # outlines matched by position change shapes only: they retire nothing
        check_file(tiny_store, "compounds", without_compound(tiny_dir, "0503"), "a.geojson", replace=True,
                   match_by_position=True)


def test_import_replace_on_the_command_line(city_env, tiny_dir, tmp_path, capsys):
    engine = open_city(city_env, tiny_dir)
    auth.add_user(auth.SYSTEM, engine, "clerk", "staff", "tulip-harbor-2020")
    path = tmp_path / "小区.geojson"
    path.write_bytes(without_compound(tiny_dir, "0502"))
    assert main(["check", "compounds", str(path), "--replace", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["removed"] == [{"id": "0502", "name": "<img src=x onerror=alert(1)>"}]
    assert main(["import", "compounds", str(path), "--replace", "--user", "clerk"]) == 0
    out = capsys.readouterr().out
    assert "1 个物业小区不在文件中，将停用" in out and out.rstrip().endswith("+0 ~0 -1")
    assert sorted(store.current(engine, "compounds")["id"]) == ["0501", "0503"]
    newest = store.newest_version(engine)
    assert main(["import", "compounds", str(path), "--user", "clerk"]) == 0  # without --replace: only adds
    assert "与现有数据相同，未导入" in capsys.readouterr().out
    assert store.newest_version(engine) == newest  # an identical file makes no empty version
    assert main(["check", "compound_status", str(path), "--replace"]) == 2
    assert "只有图层" in capsys.readouterr().err
    assert main(["check", "compounds", str(path), "--replace", "--match-outlines"]) == 2
    assert "--match-outlines" in capsys.readouterr().err


# ---- the pages -------------------------------------------------------------------------------------------------


def open_app(page=None, user=None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    if user:
        at.session_state["auth_session"] = auth.start_session(user)
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


CLERK = auth.User("clerk", "staff")


def with_clerk(engine):
    """The store with an account for CLERK (a page drops the login of a name it cannot find)."""
    auth.add_user(auth.SYSTEM, engine, CLERK.name, CLERK.role, "tulip-harbor-2020")
    return engine


def page_links(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.get("page_link")]


def test_a_city_with_no_places_opens_on_its_welcome_page(city_env, tiny_dir):
    start_city(with_clerk(open_city(city_env, tiny_dir)), "楚雄市")
    at = open_app()
    assert [title.value for title in at.title] == ["欢迎使用楚雄市疫情防控指挥图"]
    steps = [header.value for header in at.subheader]
    assert steps == ["第一步：上传场所", "第二步：查看地图", "第三步：上传今日日报"]
    assert page_links(at) == ["打开物业小区地图"]  # nobody logged in: no upload offered
    assert any("请在左侧登录" in info.value for info in at.info)
    assert len(at.get("download_button")) == 2  # the daily report's templates
    assert "python -m geo init --demo" in at.caption[-1].value

    clerk = open_app(user=CLERK, lang="en")
    assert [title.value for title in clerk.title] == ["Welcome to the command map of 楚雄市"]
    assert page_links(clerk) == ["Upload Grid zones", "Upload Residential compounds", "Upload Construction sites",
                                 "Open the compounds map", "Upload the compound daily report"]
    assert [header.value for header in clerk.subheader][0] == "Step 1: upload the places"


def test_the_welcome_page_goes_once_the_city_has_places(city_env, tiny_dir):
    engine = open_city(city_env, tiny_dir)
    start_city(engine, "楚雄市")
    assert open_app().title[0].value.startswith("欢迎")
    check = check_file(engine, "zones", (tiny_dir / "zones.geojson").read_bytes(), "zones.geojson", datum="wgs84")
    commit(engine, check, CLERK)
    assert open_app().title[0].value == "总览"


def test_the_welcome_and_upload_pages_list_the_files_the_data_folder_could_not_import(city_env, tiny_dir):
    write_bad_compounds(tiny_dir)
    (tiny_dir / "zones.geojson").unlink()  # and nothing else is a place: the city has none yet
    (tiny_dir / "sites.geojson").unlink()
    with_clerk(open_city(city_env, tiny_dir))
    at = open_app()
    assert at.title[0].value == "欢迎使用住建局疫情防控指挥图"
    warning = at.warning[0].value
    assert warning.startswith("数据目录中有 4 个文件没有通过检查") and "compounds\\.geojson（物业小区）：共 1 个问题" in warning
    assert "第 1 个要素没有编号（id），而其他要素有" in warning and "10 行的编号在地图上找不到：第 2–11 行" in warning
    upload = open_app("pages/upload.py", user=CLERK, upload_kind="sites")
    assert upload.warning[0].value == warning
    assert upload.selectbox(key="upload_kind").value == "sites"  # the welcome page's links choose the table


def test_the_upload_page_offers_to_replace_a_layer_and_lists_the_places_it_retires(city_env, tiny_dir):
    engine = with_clerk(open_city(city_env, tiny_dir))
    at = open_app("pages/upload.py", user=CLERK, upload_kind="compounds")
    at.selectbox(key="upload_datum").set_value("wgs84").run()
    at.file_uploader[0].set_value(("小区.geojson", without_compound(tiny_dir, "0503"), "application/json")).run()
    assert not at.warning and "与现有数据相同" in " ".join(md.value for md in at.markdown)
    assert "无需导入" in at.info[-1].value and not [b for b in at.button if b.key == "upload_confirm_button"]
    at.checkbox(key="upload_replace_compounds").check().run()
    assert [w.value for w in at.warning] == ["将停用 1 个场所：浮山小区（0503）"]
    at.button(key="upload_confirm_button").click().run()
    assert not at.exception
    assert sorted(store.current(engine, "compounds")["id"]) == ["0501", "0502"]
    assert at.checkbox(key="upload_replace_compounds").value is False  # the next file replaces only if ticked again
    one = json.loads(without_compound(tiny_dir, "0503"))
    one["features"] = one["features"][:1]
    at.checkbox(key="upload_replace_compounds").check().run()
    at.file_uploader[0].set_value(("一个.geojson", json.dumps(one, ensure_ascii=False).encode(), "application/json"))
    at.run()  # a file of one place would retire the other: most of the layer, so a warning to confirm first
    assert any("整层替换将停用 1 个物业小区，而文件只有 1 个" in w.zh for w in at.session_state["upload_pending"].warnings)
    assert "upload_confirm_button" not in [b.key for b in at.button]
    assert open_app("pages/upload.py", user=CLERK, upload_kind="zones").checkbox(
        key="upload_replace_zones").value is False
    report = open_app("pages/upload.py", user=CLERK, upload_kind="compound_status")
    assert not [c for c in report.checkbox if c.key.startswith("upload_replace")]  # a report replaces no layer


def test_the_title_names_the_city(city_env, tiny_dir, monkeypatch):
    engine = open_city(city_env, tiny_dir)
    wall = " ".join(md.value for md in open_app("pages/wall.py", kiosk="1").markdown)
    assert '<span class="wall-title">住建局疫情防控指挥图</span>' in wall  # no name: the title alone
    store.set_city_name(engine, "<b>楚雄市</b>")
    wall = " ".join(md.value for md in open_app("pages/wall.py", kiosk="1").markdown)
    assert '<span class="wall-title">&lt;b&gt;楚雄市&lt;/b&gt; · 住建局疫情防控指挥图</span>' in wall  # escaped
    store.set_city_name(engine, "楚雄市")
    monkeypatch.setenv("CMDMAP_REQUIRE_LOGIN", "true")
    assert open_app().title[0].value == "楚雄市 · 住建局疫情防控指挥图"  # the login page, before anything else
    store.set_city_name(engine, "[楚雄](http://x)")
    assert open_app().title[0].value == "\\[楚雄\\]\\(http\\://x\\) · 住建局疫情防控指挥图"  # no link made


def test_a_new_city_works_after_the_three_steps_with_no_sites_and_no_supplies(city_env, tiny_dir):
    """The welcome page's steps, and nothing more: zones, compounds, a compound daily report."""
    engine = open_city(city_env, tiny_dir)
    start_city(engine, "楚雄市")
    for kind, name in (("zones", "zones.geojson"), ("compounds", "compounds.geojson"),
                       ("compound_status", "compound_status.csv")):
        check = check_file(engine, kind, (tiny_dir / name).read_bytes(), name, datum="wgs84")
        assert check.ok, [p.zh for p in check.problems]
        commit(engine, check, CLERK)
    for page in ("pages/overview.py", "pages/compounds.py", "pages/zones.py", "pages/sites.py", "pages/supplies.py"):
        at = open_app(page)  # no exception (open_app asserts it)
        assert not at.error, (page, [e.value for e in at.error])
    assert open_app("pages/compounds.py").selectbox(key="date").value == "2020-02-25"


def test_a_replacement_keeps_the_places_of_features_whose_shapes_could_not_be_read(tiny_store, tiny_dir):
    """A bow tie or coordinates given as text are skipped; their places are in the file, so none is retired."""
    layer = json.loads((tiny_dir / "compounds.geojson").read_text(encoding="utf-8"))
    layer["features"][1]["geometry"]["coordinates"] = [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]  # crossed, no area
    layer["features"][2]["geometry"]["coordinates"] = [[["114.3", "29.8"], ["114.31", "29.8"], ["114.3", "29.81"]]]
    content = json.dumps(layer, ensure_ascii=False).encode("utf-8")
    before = store.current(tiny_store, "compounds").set_index("id")
    check = check_file(tiny_store, "compounds", content, "小区.geojson", datum="wgs84", replace=True)
    assert check.ok and check.removed.empty, check.removed
    assert any("保留原有图形和信息，不停用" in n.zh and "（编号 0503）" in n.zh for n in check.notices), check.notices
    assert any("跳过的要素中有编号的 2 个：0502、0503" in n.zh for n in check.notices)  # to find them by
    assert not check.changes  # the file's readable feature is as stored: nothing to import
    layer["features"][0]["properties"]["name"] = "金桂花园二期"
    check = check_file(tiny_store, "compounds", json.dumps(layer, ensure_ascii=False).encode("utf-8"),
                       "小区.geojson", datum="wgs84", replace=True)
    commit(tiny_store, check, auth.User("clerk", "staff"))
    after = store.current(tiny_store, "compounds").set_index("id")
    assert sorted(after.index) == ["0501", "0502", "0503"] and after.loc["0501", "name"] == "金桂花园二期"
    assert after.loc["0503"].geometry.equals(before.loc["0503"].geometry)


def test_a_list_without_any_position_keeps_the_stored_outlines_of_its_places(tiny_store):
    before = store.current(tiny_store, "compounds").set_index("id")
    rows = "小区名称,经度,纬度,户数\r\n金桂花园,,,357\r\n".encode("gb18030")
    check = check_file(tiny_store, "compounds", rows, "小区.csv")
    assert check.ok, [p.zh for p in check.problems]
    assert check.fields["field"].tolist() == ["households"], check.fields  # not the outline
    assert not any("待定位" in n.zh for n in check.notices)
    commit(tiny_store, check, auth.User("clerk", "staff"))
    after = store.current(tiny_store, "compounds").set_index("id")
    assert after.loc["0501"].geometry.equals(before.loc["0501"].geometry) and after.loc["0501", "households"] == 357


def test_a_single_feature_or_a_collection_nested_in_another_is_read_as_its_features(tiny_store, tiny_dir):
    layer = json.loads((tiny_dir / "compounds.geojson").read_text(encoding="utf-8"))
    feature = layer["features"][0]
    feature["properties"]["name"] = "金桂花园（一期）"
    check = check_file(tiny_store, "compounds", json.dumps(feature, ensure_ascii=False).encode(), "一个.geojson",
                       datum="wgs84")
    assert check.ok and check.fields[["key", "field"]].to_numpy().tolist() == [["0501", "name"]]
    nested = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:4326"}},
              "features": [{"type": "FeatureCollection", "features": layer["features"]}]}
    check = check_file(tiny_store, "compounds", json.dumps(nested, ensure_ascii=False).encode(), "套.geojson",
                       datum="wgs84")
    assert check.ok and len(check.frame) == len(layer["features"]), [p.zh for p in check.problems]
    assert not any("生成编号" in n.zh or "没有坐标" in n.zh for n in check.notices), check.notices


def test_a_new_place_that_repeats_a_stored_one_by_name_or_shape_is_a_warning_to_confirm(tiny_store, tiny_dir):
    zones = json.loads((tiny_dir / "zones.geojson").read_text(encoding="utf-8"))
    for number, feature in enumerate(zones["features"]):  # DataV's export of the same zones: adcodes for ids
        feature["properties"] = {"adcode": 421202001 + number, "name": feature["properties"]["name"]}
    check = check_file(tiny_store, "zones", json.dumps(zones, ensure_ascii=False).encode(), "datav.geojson",
                       datum="wgs84")
    said = [w.zh for w in check.warnings if w.key == "check_repeats_stored"]
    assert len(said) == 2 and "就是已有的“温泉街道第一片区”（编号 Z1）" in said[0], said
    with pytest.raises(ValueError):
        commit(tiny_store, check, auth.User("clerk", "staff"))  # not stored twice without a person's word
    rows = "小区名称,经度,纬度\r\n金桂花园小区,114.302,29.832\r\n新建小区,114.318,29.848\r\n".encode("gb18030")
    check = check_file(tiny_store, "compounds", rows, "高德.csv", datum="wgs84")
    [warning] = [w for w in check.warnings if w.key == "check_repeats_stored"]
    assert warning.row == 2 and "“金桂花园小区”" in warning.zh and "“金桂花园”（编号 0501）" in warning.zh
