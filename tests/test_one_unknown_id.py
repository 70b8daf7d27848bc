"""A daily report whose 260 rows carry one id that matches no place is one problem with its rows (issue 18,
item 7): said once on the upload page and by ``geo check``, every row at hand in the table and in the CSV file
of rows to fix."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from geo.accounts import auth
from tests.conftest import open_app_page

ROOT = Path(__file__).resolve().parent.parent
LAST = dt.date(2020, 2, 25)
# one compound's 260 days of reports under an id the city does not have (0599): one row a date, nothing else wrong
REPORT = ("小区编号,日期,封闭状态\n" + "".join(f"0599,{LAST - dt.timedelta(days=259 - n)},全封闭\n"
                                         for n in range(260))).encode()
TITLE = "260 行的编号在地图上找不到：第 2–261 行"
EXAMPLE = "编号 0599 在地图上找不到。请核对编号，或先上传该场所的图层。"


def test_the_command_line_says_it_once_with_its_rows(tmp_path, tiny_dir):
    report = tmp_path / "日报.csv"
    report.write_bytes(REPORT)
    env = {**os.environ, "CMDMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite'}",
           "CMDMAP_DATA_DIR": str(tiny_dir)}
    result = subprocess.run([sys.executable, "-m", "geo", "check", "compound_status", str(report)], cwd=ROOT,
                            env=env, capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout.splitlines() == [
        "日报.csv: 260 行 / rows",
        f"  错误 / error: {TITLE}",
        f"    例 / e.g.: 第 2 行、列“小区编号”：{EXAMPLE}",
        "  （同类问题合并列出；加 --json 可得到每一处问题） / (problems of one kind listed together; --json lists each "
        "one)",
        "共 260 个问题，未导入 / invalid",
    ]


def test_the_upload_page_says_it_once_and_gives_its_rows_as_a_file_to_fix(page_env, monkeypatch):
    files = {}  # what the page handed Streamlit for its downloads, by file name
    keep = MemoryMediaFileStorage.load_and_get_id

    def kept(self, path_or_data, mimetype, kind, filename=None):
        files[filename] = path_or_data
        return keep(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", kept)
    at = open_app_page("pages/upload.py")
    at.session_state["auth_session"] = auth.start_session(auth.User("clerk", "staff"))  # staff may upload
    at.run()
    at.selectbox(key="upload_kind").set_value("compound_status").run()
    next(u for u in at.file_uploader if u.key == "upload_file_compound_status").set_value(
        ("日报.csv", REPORT, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "260 个问题" in at.error[0].value
    listed = " ".join(md.value for md in at.markdown).replace("\\", "")
    assert listed.count(TITLE) == 1 and listed.count(EXAMPLE) == 1  # one problem, one example: not 260 lines
    table = at.dataframe[0].value
    assert table["行"].astype(int).tolist() == list(range(2, 262))
    assert [b for b in at.get("download_button") if b.key == "upload_problems_csv"]
    rows = pd.read_csv(io.BytesIO(files["日报-problems.csv"]), dtype=str, encoding="utf-8-sig")
    assert list(rows.columns) == ["行", "列", "内容", "说明"]
    assert rows["行"].astype(int).tolist() == list(range(2, 262))  # every row to fix, in the file's numbering
    assert set(rows["列"]) == {"小区编号"} and set(rows["内容"]) == {"0599"} and set(rows["说明"]) == {EXAMPLE}
    assert not [b for b in at.button if b.key == "upload_confirm_button"]
