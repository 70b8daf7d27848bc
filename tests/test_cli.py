"""The command line: templates."""

import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def test_template_command_writes_chinese_headers(tmp_path):
    out = tmp_path / "t.csv"
    subprocess.run([sys.executable, "-m", "geo", "template", "compound_status", "--out", str(out)],
                   cwd=ROOT, check=True)
    assert out.read_text(encoding="utf-8-sig").startswith("小区编号,小区名称,日期,封闭状态")


def test_unknown_kind_is_refused_with_usage():
    result = subprocess.run([sys.executable, "-m", "geo", "template", "nope"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_check_reports_in_both_languages_line_by_line(tmp_path):
    """The lines of ``check``, as staff read them (each sentence comes from the catalogue, composed here)."""
    from tests.conftest import write_tiny_city

    city = write_tiny_city(tmp_path / "city")
    bad = tmp_path / "bad.csv"
    bad.write_text("小区编号,日期,封闭状态\n0501,2020-02-26,关门\n0599,2020-02-26,全封闭\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("小区编号,日期,封闭状态,今日发热人数\n0501,2020-02-26,全封闭,2\n\n", encoding="utf-8")
    env = {**os.environ, "CMDMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite'}",
           "CMDMAP_DATA_DIR": str(city)}

    def check(path):
        return subprocess.run([sys.executable, "-m", "geo", "check", "compound_status", str(path)], cwd=ROOT,
                              env=env, capture_output=True, text=True)

    refused = check(bad)
    assert refused.returncode == 1 and refused.stdout.splitlines() == [
        "bad.csv: 2 行 / rows",
        "  错误 / error: 第 2 行、列“封闭状态”：“关门”无法识别，应为未封闭/封闭管理/全封闭。",
        "  错误 / error: 第 3 行、列“小区编号”：编号 0599 在地图上找不到。请核对编号，或先上传该场所的图层。",
        "共 2 个问题，未导入 / invalid",
    ]
    accepted = check(good)
    assert accepted.returncode == 0 and accepted.stdout.splitlines() == [
        "good.csv: 1 行 / rows",
        "  提示 / note: 忽略了 1 个空行。 (1 blank row ignored.)",
        "  将会 / would: 新增 1 行小区日报 (1 new compound daily report)",
        "  将会 / would: 1 个小区封闭状态变化（1 个转为全封闭） (1 compound changes closure status (1 to sealed))",
        "  将会 / would: 报告发热 2 人 (2 fever reports)",
        "  将会 / would: 导入后 2020-02-26 仍有 2/3 个场所未报告 (After this import 2 of 3 places still have no "
        "report for 2020-02-26)",
        "可以导入 / valid",
    ]
    missing = check(tmp_path / "nope.csv")
    assert missing.returncode == 2 and missing.stderr.startswith("无法打开文件 / cannot open the file: ")


def test_export_writes_every_stored_table_so_that_its_upload_reads_it_back_unchanged(tmp_path, tiny_store, tiny_dir,
                                                                                     monkeypatch):
    """``geo export``: a city's places taken out as they were put in (layers as GeoJSON in WGS-84, reports as
    CSV or .xlsx with the template's headers); checking the file again finds nothing to change."""
    from geo import store
    from geo.cli.main import main
    from geo.upload import check_file

    monkeypatch.setenv("CMDMAP_DATABASE_URL", tiny_store.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    for kind in ("zones", "compounds", "sites", "compound_status", "site_status", "supplies"):
        for fmt in ("--csv", "--xlsx", None):  # a layer: a list with 经度/纬度, or GeoJSON
            out = tmp_path / f"{kind}-{fmt}"
            assert main(["export", kind, "--out", str(out), *([fmt] if fmt else [])]) == 0
            content = out.read_bytes()
            check = check_file(tiny_store, kind, content, out.name, datum="wgs84")
            assert not check.problems, (kind, [p.zh for p in check.problems][:3])
            delta = store.compare(tiny_store, kind, check.frame).delta
            assert delta.empty, (kind, delta.head())
            assert len(check.frame) == len(store.current(tiny_store, kind)) > 0
    assert (tmp_path / "supplies---xlsx").read_bytes()[:2] == b"PK"  # a daily report asked for as Excel is an .xlsx
    assert (tmp_path / "sites---xlsx").read_bytes()[:2] == b"PK"  # and so is a layer's list


def test_export_writes_the_format_its_out_files_extension_names(tmp_path, tiny_store, tiny_dir, monkeypatch):
    """``geo export sites --out 工地.csv`` (no --csv): a CSV list, as the name says, not GeoJSON under that name."""
    from geo.cli.main import main

    monkeypatch.setenv("CMDMAP_DATABASE_URL", tiny_store.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    for name in ("工地.csv", "工地.XLSX", "工地.geojson", "日报.geojson"):
        kind = "site_status" if name.startswith("日报") else "sites"
        assert main(["export", kind, "--out", str(tmp_path / name)]) == 0
    listed = pd.read_csv(tmp_path / "工地.csv", dtype=str, encoding="utf-8-sig")
    assert {"工地编号", "经度", "纬度"} <= set(listed.columns) and len(listed) == 2
    assert (tmp_path / "工地.XLSX").read_bytes()[:2] == b"PK"
    assert json.loads((tmp_path / "工地.geojson").read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    assert (tmp_path / "日报.geojson").read_text(encoding="utf-8-sig").startswith("工地编号,")  # a report has no GeoJSON


def test_history_reads_as_the_history_page_in_chinese_or_english(tmp_path, monkeypatch, capsys):
    """Was (stranger's trial): English column names of the store and "None" for what a version has not."""
    from geo.cli.main import main
    from tests.conftest import write_tiny_city

    monkeypatch.setenv("CMDMAP_DATA_DIR", str(write_tiny_city(tmp_path / "city")))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert out.split()[:4] == ["版本", "表格", "操作", "时间"] and "初始数据" in out
    assert "None" not in out and "NaN" not in out and "user_name" not in out
    assert main(["history", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.split()[:4] == ["Version", "Table", "Action", "Time"] and "Initial data" in out and "；" not in out


def test_an_error_nobody_foresaw_is_a_sentence_and_a_file_of_details_never_a_traceback(tmp_path, monkeypatch,
                                                                                          capsys):
    cli = importlib.import_module("geo.cli.main")  # the module: geo.cli's name "main" is its function

    def broken(args):
        raise KeyError("columns")  # a fault of ours, deep in a command

    monkeypatch.setattr(cli, "_template", broken)
    assert cli.main(["template", "compound_status", "--out", str(tmp_path / "t.csv")]) == 5
    said = capsys.readouterr().err
    assert "命令因意外错误中止" in said and "unexpected error" in said and "Traceback" not in said
    [named] = set(re.findall(r"/\S*?cmdmap-error-\w+\.txt", said))  # the same file in both languages
    details = Path(named)
    try:
        text = details.read_text(encoding="utf-8")
        assert "Traceback" in text and "KeyError: 'columns'" in text  # for the administrator
    finally:
        details.unlink()


def test_the_most_rows_a_file_may_have_is_a_setting_the_check_honours(tmp_path):
    """``CMDMAP_UPLOAD_MAX_ROWS``: a list or a layer longer than it is refused before parsing, saying to split it
    (exit status 2: the whole file); raised (a nation's million compounds), the same files pass."""
    from tests.conftest import write_tiny_city

    city = write_tiny_city(tmp_path / "city")
    rows = tmp_path / "rows.csv"
    rows.write_text("小区编号,日期,封闭状态\n" + "0501,2020-02-26,全封闭\n0502,2020-02-26,全封闭\n0503,2020-02-26,全封闭\n",
                    encoding="utf-8")
    env = {**os.environ, "CMDMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite'}", "CMDMAP_DATA_DIR": str(city)}

    def check(kind, path, most):
        return subprocess.run([sys.executable, "-m", "geo", "check", kind, str(path)], cwd=ROOT,
                              env={**env, "CMDMAP_UPLOAD_MAX_ROWS": most}, capture_output=True, text=True)

    assert check("compound_status", rows, "1000").returncode == 0  # the store filled from the city's folder first
    refused = check("compound_status", rows, "2")
    assert refused.returncode == 2 and "超过 2 行" in refused.stdout and "拆分" in refused.stdout, refused.stdout
    assert check("compound_status", rows, "4").returncode == 0  # its header is a row of the file too
    layer = city / "compounds.geojson"
    features = len(json.loads(layer.read_text(encoding="utf-8"))["features"])
    refused = check("compounds", layer, str(features - 1))
    assert refused.returncode == 2 and f"超过 {features - 1} 个要素" in refused.stdout, refused.stdout
    assert check("compounds", layer, str(features)).returncode == 0
