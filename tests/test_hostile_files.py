"""Broken and hostile files through the command line and the upload page: a clear message, the store untouched.

The cases are in ``tests/hostile.py``; ``docs/reliability.md`` lists them with what the product did.
"""

from __future__ import annotations

import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import store
from geo.accounts import auth
from geo.cli.main import main
from geo.io.export import to_csv_bytes, to_xlsx_bytes
from geo.store.engine import connect
from geo.upload import seed_from_folder
from tests.conftest import write_tiny_city
from tests.hostile import ACCEPTED, REFUSED, SCRIPT, million_rows_xlsx, status_csv, store_dump, zip_bomb

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """The tiny city seeded once, with a clerk (staff): each test gets a copy of the file."""
    folder = tmp_path_factory.mktemp("seeded")
    city = write_tiny_city(folder / "city")
    engine = connect(f"sqlite:///{folder / 'store.sqlite'}")
    seed_from_folder(engine, city)
    auth.add_user(auth.SYSTEM, engine, "clerk", "staff", "tulip-harbor-2020")
    engine.dispose()
    return folder


@pytest.fixture
def staffed(seeded, tmp_path, monkeypatch) -> Path:
    """A store file of this test's own, seeded with the tiny city; returns its path."""
    path = tmp_path / "store.sqlite"
    with sqlite3.connect(seeded / "store.sqlite") as source, sqlite3.connect(path) as target:
        source.backup(target)
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(seeded / "city"))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")
    return path


def _cli(args: list[str], capsys) -> tuple[int, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_command_line_refuses_with_a_clear_message_and_stores_nothing(case, staffed, tmp_path, capsys):
    path = tmp_path / case.file
    path.write_bytes(case.content())
    before = store_dump(staffed)
    code, output = _cli(["import", case.kind, str(path), "--user", "clerk"], capsys)
    assert code in (1, 2) and case.expect in output, output[-2000:]
    assert store_dump(staffed) == before


@pytest.mark.parametrize("case", ACCEPTED, ids=[c.name for c in ACCEPTED])
def test_command_line_imports_odd_but_valid_files_as_written(case, staffed, tmp_path, capsys):
    path = tmp_path / case.file
    path.write_bytes(case.content())
    code, output = _cli(["import", case.kind, str(path), "--user", "clerk"], capsys)
    assert code == 0, output
    engine = connect(f"sqlite:///{staffed}")
    stored = store.current(engine, case.kind)
    key = "compound_id" if case.kind == "compound_status" else "id"
    assert "0501" in set(stored[key])  # leading zeros kept; a BOM never glued to an id
    if case.name == "bom_in_middle":
        assert {"0501", "0503"} <= set(stored.loc[stored["date"] == "2020-02-26", key])
    if case.name in ("formulas", "script_everywhere"):
        text = set(stored["compound_name"].dropna()) | set(stored["note"].dropna())
        assert any(v.startswith(("=HYPERLINK", "@SUM")) for v in text) or SCRIPT in text  # kept as text, verbatim
        # and defused on the way out: no export cell starts a formula
        csv_text = to_csv_bytes(stored).decode("utf-8-sig")
        assert ",=HYPERLINK" not in csv_text and ",+cmd" not in csv_text and ",@SUM" not in csv_text
        assert b"<f>" not in to_xlsx_bytes(stored)  # no formula element in the sheet XML
    if case.name == "small_loop":  # repaired, the area kept, and said
        shape = stored.set_index("id").geometry["0501"]
        assert shape.is_valid and abs(shape.area / 4e-6 - 1) < 0.01
        assert "已修复 1 个自相交的图形，面积不变：第 1 个要素。" in output
    if case.name == "bow_tie_among_good":  # the good one imported, the others skipped and named
        assert not {"0509", "0510"} & set(stored["id"])
        assert ("将跳过 2 个要素（边界交叉成 8 字形，修复会改变面积，请核对顶点顺序：第 2 个；"
                "少于三个不同的点，围不成面：第 3 个），其余 1 个照常导入。") in output
    if case.name.startswith("bidi"):  # shown as typed, never reversed: the controls are gone
        name = "compound_name" if case.kind == "compound_status" else "name"
        text = "".join(stored[name].dropna()) + "".join(stored.get("note", stored[name]).dropna())
        assert "金桂园花" in text and not set(text) & set("\u202e\u2067\u2069\u200f")
    if case.name == "gcj02":
        # converted to WGS-84: back on top of the stored square it was shifted from
        centre = stored.set_index("id").geometry["0501"].centroid
        assert abs(centre.x - 114.302) < 1e-5 and abs(centre.y - 29.832) < 1e-5


def test_command_line_refuses_a_file_over_the_size_limit(staffed, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CMDMAP_UPLOAD_MAX_MB", "0.05")
    path = tmp_path / "big.csv"
    path.write_bytes(status_csv(*["0501,金桂花园,2020-02-26,全封闭,900,"] * 3000))
    before = store_dump(staffed)
    code, output = _cli(["import", "compound_status", str(path), "--user", "clerk"], capsys)
    assert code == 1 and "超过上限 0.05 MB" in output
    assert store_dump(staffed) == before


@pytest.mark.parametrize("limit", ["inf", "nan", "-inf"])
def test_command_line_takes_a_limit_that_is_no_number_as_the_default(limit, staffed, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CMDMAP_UPLOAD_MAX_MB", limit)  # int(inf * 1e6) was a traceback
    path = tmp_path / "day.csv"
    path.write_bytes(status_csv("0501,金桂花园,2020-02-26,全封闭,900,"))
    code, output = _cli(["check", "compound_status", str(path)], capsys)
    assert code == 0 and "可以导入" in output and "Traceback" not in output


@pytest.mark.parametrize("name,build", [("bomb.xlsx", zip_bomb), ("million.xlsx", million_rows_xlsx)])
def test_zip_bomb_and_million_rows_are_refused_fast_and_small(name, build, staffed, tmp_path):
    """A separate process, so that its time and peak memory are its own."""
    path = tmp_path / name
    path.write_bytes(build())
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-c", _MEASURED, "check", "compound_status", str(path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - start
    peak_mb = int(result.stdout.strip().splitlines()[-1]) / 1024
    assert result.returncode == 2 and "文件太大" in result.stdout, result.stdout + result.stderr
    assert elapsed < 30 and peak_mb < 600, (elapsed, peak_mb)


# runs ``python -m geo`` and prints its own peak memory (KiB) last
# The peak is the process's own high-water mark (VmHWM, in kB): ru_maxrss is kept across exec, so a child of a
# large pytest process reported the parent's size (680 MB after the suite's first half) instead of its own.
_MEASURED = """
import sys
from geo.cli.main import main
code = main(sys.argv[1:])
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
sys.exit(code)
"""


def test_upload_page_refuses_every_broken_file_and_stores_nothing(staffed):
    before = store_dump(staffed)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["auth_session"] = auth.start_session(auth.User("clerk", "staff"))
    at.switch_page("pages/upload.py")
    at.run()
    for case in REFUSED:
        at.selectbox(key="upload_kind").set_value(case.kind).run()
        at.file_uploader[0].set_value((case.file, case.content(), "application/octet-stream")).run()
        assert not at.exception, (case.name, [e.value for e in at.exception])
        assert at.error, case.name
        messages = " ".join(at.dataframe[0].value.astype(str).stack())
        assert case.expect in messages, (case.name, messages)
        assert not [b for b in at.button if b.key == "upload_confirm_button"], case.name
    assert store_dump(staffed) == before


def test_upload_page_refuses_a_file_over_the_size_limit(staffed, monkeypatch):
    monkeypatch.setenv("CMDMAP_UPLOAD_MAX_MB", "0.05")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(auth.User("clerk", "staff"))
    at.switch_page("pages/upload.py")
    at.run()
    at.selectbox(key="upload_kind").set_value("compound_status").run()
    at.file_uploader[0].set_value(("big.csv", status_csv(*["0501,金桂花园,2020-02-26,全封闭,900,"] * 3000),
                                   "text/csv")).run()
    assert "超过上限 0.05 MB" in " ".join(at.dataframe[0].value.astype(str).stack())
    assert not [b for b in at.button if b.key == "upload_confirm_button"]


assert resource  # the measured child uses it; imported here so a missing module fails early
