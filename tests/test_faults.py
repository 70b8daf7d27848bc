"""Faults: imports killed mid-transaction, two staff at once, a broken store, a missing layer.

The store must always hold the previous or the new version, whole; the app and the
command line say clearly what is wrong and keep serving what they can.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import store
from geo.accounts import auth, drop_login, keep_login, kept_login
from geo.store import backup
from geo.store.engine import connect
from geo.upload import open_city
from tests.conftest import write_tiny_city
from tests.filled_stores import open_filled

ROOT = Path(__file__).resolve().parent.parent
N = 600  # compounds per file: enough for the transaction to take a good part of the import
SEEDED = 6  # versions of the tiny city's seed, one per table


def _layer(path: Path, label: str) -> Path:
    features = []
    for i in range(N):
        x, y = 114.300 + (i % 50) * 0.0003, 29.830 + (i // 50) * 0.0003
        ring = [[x, y], [x + 0.0002, y], [x + 0.0002, y + 0.0002], [x, y + 0.0002], [x, y]]
        features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                         "properties": {"id": f"N{i:05d}", "name": f"{label}{i}", "zone": "Z1"}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


@pytest.fixture
def city(tmp_path, monkeypatch):
    """A store file with the tiny city and a clerk; the environment points the command line at it."""
    data = write_tiny_city(tmp_path / "city")
    path = tmp_path / "store" / "cmdmap.sqlite"
    for name, value in (("DATA_DIR", str(data)), ("DATABASE_URL", f"sqlite:///{path}"), ("BASEMAP", "none"),
                        ("BACKUP_KEEP", "3")):
        monkeypatch.setenv(f"CMDMAP_{name}", value)
    engine = open_filled(f"sqlite:///{path}", data)
    auth.add_user(auth.SYSTEM, engine, "clerk", "staff", "tulip-harbor-2020")
    auth.add_user(auth.SYSTEM, engine, "clerk2", "staff", "tulip-harbor-2020")
    return path


def _state(path: Path, read_only: bool = False) -> tuple[int, set[str]]:
    """The newest version and the labels of the imported compounds; asserts the store is whole.

    ``read_only``: a closed store (no -wal) in a folder that cannot be written, read as it is on disk.
    """
    with (sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True) if read_only else sqlite3.connect(path)) \
            as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        newest = conn.execute("SELECT max(id) FROM versions").fetchone()[0]
        names = [r[0] for r in conn.execute(
            "SELECT name FROM rows_compounds WHERE removed_in IS NULL AND id LIKE 'N%'")]
        added = conn.execute("SELECT rows_added + rows_changed FROM versions WHERE id = ?", (newest,)).fetchone()[0]
    labels = {name.rstrip("0123456789") for name in names}
    assert len(names) in (0, N) and len(labels) <= 1, (len(names), labels)  # never half a file
    assert newest <= SEEDED or added == N  # the newest import's rows are all there
    return newest, labels


def _fork_import(path: Path) -> int:
    """A child process running ``python -m geo import`` as the command line does (no start-up cost)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            connect.cache_clear()  # never share the parent's pooled connections
            from geo.cli.main import main

            os._exit(main(["import", "compounds", str(path), "--user", "clerk"]))
        finally:
            os._exit(70)
    return pid


def test_imports_killed_at_random_points_leave_the_old_or_the_new_version_whole(city, tmp_path):
    files = [_layer(tmp_path / "a.geojson", "甲"), _layer(tmp_path / "b.geojson", "乙")]
    rng = random.Random(6)
    pid = _fork_import(files[0])
    assert os.waitpid(pid, 0)[1] == 0
    # how long an import changing all N rows takes here, so that the kills spread over the whole of it
    start = time.monotonic()
    pid = _fork_import(files[1])
    assert os.waitpid(pid, 0)[1] == 0
    span = time.monotonic() - start
    version, labels = _state(city)
    assert labels == {"乙"}
    outcomes = []
    for _ in range(20):
        pid = _fork_import(files[1] if labels == {"甲"} else files[0])  # always a change of all N rows
        time.sleep(rng.uniform(0.2, 1.6) * span)
        os.kill(pid, signal.SIGKILL)
        status = os.waitpid(pid, 0)[1]
        newest, labels = _state(city)
        outcomes.append("finished" if os.WIFEXITED(status) else ("committed" if newest > version else "rolled back"))
        assert os.WIFEXITED(status) or newest in (version, version + 1)
        version = newest
    print("20 kills:", {o: outcomes.count(o) for o in set(outcomes)})
    assert "rolled back" in outcomes  # some kills did land inside the transaction
    # and the store still takes a whole import afterwards
    pid = _fork_import(files[1] if labels == {"甲"} else files[0])
    assert os.waitpid(pid, 0)[1] == 0
    assert _state(city)[1] == ({"乙"} if labels == {"甲"} else {"甲"})


def test_the_real_command_killed_after_its_check_leaves_the_store_whole(city, tmp_path):
    files = {"甲": _layer(tmp_path / "a.geojson", "甲"), "乙": _layer(tmp_path / "b.geojson", "乙")}
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for delay in (0.0, 0.3, 0.8):
        before = _state(city)
        label = "乙" if before[1] == {"甲"} else "甲"
        process = subprocess.Popen([sys.executable, "-m", "geo", "import", "compounds", str(files[label]),
                                    "--user", "clerk"],
                                   cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in process.stdout:  # the check is done: the transaction is next
            if "可以导入" in line:
                break
        else:  # the command ended without passing its check: there was nothing to kill
            pytest.fail(f"the import never reached its transaction (exit {process.wait()})")
        time.sleep(delay)
        process.kill()
        process.wait()
        after = _state(city)
        assert after == before or (after[0] == before[0] + 1 and after[1] == {label})


def test_two_staff_importing_at_the_same_moment_both_land_in_order(city, tmp_path):
    files = []
    for day, closure in (("2020-02-26", "全封闭"), ("2020-02-27", "封闭管理")):
        path = tmp_path / f"{day}.csv"
        path.write_text(f"小区编号,日期,封闭状态\n0501,{day},{closure}\n0503,{day},{closure}\n", encoding="utf-8")
        files.append(path)
    before = store.newest_version(connect(f"sqlite:///{city}"))
    processes = [subprocess.Popen([sys.executable, "-m", "geo", "import", "compound_status", str(path),
                                   "--user", user], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True) for path, user in zip(files, ("clerk", "clerk2"))]
    outputs = [p.communicate(timeout=120)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    engine = connect(f"sqlite:///{city}")
    versions = store.history(engine).sort_values("id")
    new = versions.loc[versions["id"] > before]
    assert len(new) == 2 and set(new["user_name"]) == {"clerk", "clerk2"}
    assert new["id"].tolist() == [before + 1, before + 2] and new["created_at"].is_monotonic_increasing
    rows = store.current(engine, "compound_status")
    assert {"2020-02-26", "2020-02-27"} <= set(rows["date"])  # neither import lost the other


def test_each_import_and_rollback_is_backed_up_first_and_a_backup_restores(city, tmp_path, capsys):
    from geo.cli.main import main

    engine = connect(f"sqlite:///{city}")
    folder = backup.backup_folder(engine)
    day = tmp_path / "day.csv"
    day.write_text("小区编号,日期,封闭状态\n0501,2020-02-26,全封闭\n", encoding="utf-8")
    assert main(["import", "compound_status", str(day), "--user", "clerk"]) == 0
    copies = backup.backups(folder)
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as conn:  # the copy holds the store as it was before the import
        assert conn.execute("SELECT max(id) FROM versions").fetchone()[0] == store.newest_version(engine) - 1
    for closure in ("封闭管理", "未封闭", "全封闭"):
        day.write_text(f"小区编号,日期,封闭状态\n0501,2020-02-26,{closure}\n", encoding="utf-8")
        assert main(["import", "compound_status", str(day), "--user", "clerk"]) == 0
    assert len(backup.backups(folder)) == 3  # CMDMAP_BACKUP_KEEP=3: the oldest are pruned
    newest = store.newest_version(engine)
    # restore the newest backup: the store is back to the version before the last import
    assert main(["restore", str(backup.backups(folder)[-1])]) == 0
    assert "已从" in capsys.readouterr().out
    assert store.newest_version(engine) == newest - 1
    assert main(["restore"]) == 0 and "cmdmap-" in capsys.readouterr().out  # no file: lists the backups


def test_the_backup_is_made_alongside_the_change_and_holds_the_store_before_it(city, tmp_path):
    """A million compounds' store took 12 s to copy before their day's import began; the copy now reads the
    store as it was when the change began, while the change is written."""
    engine = connect(f"sqlite:///{city}")
    newest = store.newest_version(engine)
    rows = store.current(engine, "compound_status").head(1).assign(date="2020-02-27")
    written = []

    def change_while_copying():  # the copy's view of the store is fixed, and the copy has not begun
        written.append(store.apply_rows(engine, "compound_status", rows, "clerk").version)

    source = backup.store_file(engine)
    backup.copy_store(source, tmp_path / "copy.sqlite", held=change_while_copying)
    assert written == [newest + 1]  # the change was not kept waiting for the copy (it would time out)
    with sqlite3.connect(tmp_path / "copy.sqlite") as conn:
        assert conn.execute("SELECT max(id) FROM versions").fetchone()[0] == newest
    conn.close()
    # the hook of every change: the block's change is stored, the backup is of the store before it
    with backup.before_change(engine):
        version = store.apply_rows(engine, "compound_status", rows.assign(date="2020-02-28"), "clerk").version
    with sqlite3.connect(backup.backups(backup.backup_folder(engine))[-1]) as conn:
        assert conn.execute("SELECT max(id) FROM versions").fetchone()[0] == version - 1
    conn.close()


def test_a_corrupted_store_is_restored_from_its_backup(city, tmp_path, capsys):
    from geo.cli.main import main

    engine = connect(f"sqlite:///{city}")
    copy = backup.make_backup(engine, keep=5)
    newest = store.newest_version(engine)
    engine.dispose()
    with open(city, "r+b") as handle:  # wreck the header and the first pages
        handle.write(b"\xde\xad" * 4096)
    for suffix in ("-wal", "-shm"):
        Path(f"{city}{suffix}").unlink(missing_ok=True)
    connect.cache_clear()
    code = main(["history"])
    err = capsys.readouterr().err
    assert code == 3 and "数据存储无法读取" in err and "python -m geo restore" in err
    assert main(["restore", str(copy)]) == 0
    connect.cache_clear()
    assert store.newest_version(connect(f"sqlite:///{city}")) == newest


def test_backups_are_skipped_on_other_databases():
    from sqlalchemy import create_engine

    assert backup.make_backup(create_engine("sqlite://"), keep=5) is None
    assert backup.store_file("postgresql+psycopg://u@db/cmdmap") is None


def _page(page: str, user: auth.User | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if user:
        at.session_state["auth_session"] = auth.start_session(user)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _wreck(path: Path) -> None:
    connect(f"sqlite:///{path}").dispose()
    with open(path, "r+b") as handle:
        handle.write(b"\xde\xad" * 4096)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def test_a_corrupted_store_the_app_keeps_showing_the_last_good_data_with_a_notice(city):
    before = _page("pages/compounds.py")
    rows = len(before.dataframe[0].value)
    _wreck(city)
    for page in ("pages/overview.py", "pages/compounds.py", "pages/sites.py"):
        at = _page(page)
        assert "正在显示上次读到的数据" in " ".join(w.value for w in at.warning), page
    assert len(at.dataframe[0].value) > 0 and len(_page("pages/compounds.py").dataframe[0].value) == rows
    # a staff member cannot act on a store whose accounts cannot be read
    assert not _page("pages/upload.py", auth.User("clerk", "staff")).file_uploader


def test_a_store_that_was_never_readable_gives_a_clear_error_not_a_traceback(tmp_path, monkeypatch):
    path = tmp_path / "broken.sqlite"
    path.write_bytes(b"this is not a database" * 500)
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(write_tiny_city(tmp_path / "city")))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{path}")
    at = _page("pages/overview.py")
    assert "数据存储暂时无法读取或写入" in at.error[0].value


def test_a_store_upgraded_by_a_newer_program_is_refused_plainly_and_left_as_it_is(city, tmp_path, capsys):
    from geo.cli.main import main

    connect(f"sqlite:///{city}").dispose()
    connect.cache_clear()
    with sqlite3.connect(city) as conn:  # what a later program's migration 0099 would leave
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    before = _state(city)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/overview.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "数据存储的结构（版本 0099）比本程序新" in at.error[0].value
    day = tmp_path / "day.csv"
    day.write_text("小区编号,日期,封闭状态\n0501,2020-02-26,全封闭\n", encoding="utf-8")
    assert main(["import", "compound_status", str(day), "--user", "clerk"]) == 3
    err = capsys.readouterr().err
    assert "比本程序新" in err and "newer than this program's" in err and "unexpected" not in err
    assert _state(city) == before
    with sqlite3.connect(city) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0099",)]


def test_a_locked_store_refuses_the_import_clearly_and_changes_nothing(city, tmp_path, monkeypatch, capsys):
    from geo.cli.main import main
    from geo.store import engine as db

    def short_wait(dbapi_connection, _record):  # the store's own pragmas, with a 1 s wait instead of 30 s
        real_pragmas(dbapi_connection, _record)
        dbapi_connection.execute("PRAGMA busy_timeout=1000")

    real_pragmas = db._sqlite_pragmas
    monkeypatch.setattr(db, "_sqlite_pragmas", short_wait)
    connect.cache_clear()
    day = tmp_path / "day.csv"
    day.write_text("小区编号,日期,封闭状态\n0501,2020-02-26,全封闭\n", encoding="utf-8")
    before = _state(city)
    holder = sqlite3.connect(city, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        code = main(["import", "compound_status", str(day), "--user", "clerk"])
        assert code == 3 and "数据存储无法读取或写入" in capsys.readouterr().err
        at = _page("pages/compounds.py")  # readers still read (write-ahead log)
        assert len(at.dataframe[0].value) > 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        connect.cache_clear()
    assert _state(city) == before


def test_a_read_only_store_is_served_and_refuses_imports_clearly(city, tmp_path, monkeypatch, capsys):
    from geo.cli.main import main

    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///file:{city}?mode=ro&uri=true")
    day = tmp_path / "day.csv"
    day.write_text("小区编号,日期,封闭状态\n0501,2020-02-26,全封闭\n", encoding="utf-8")
    before = _state(city)
    assert main(["import", "compound_status", str(day), "--user", "clerk"]) == 3
    assert "readonly" in capsys.readouterr().err
    assert len(_page("pages/compounds.py").dataframe[0].value) > 0
    assert _state(city) == before
    # what the app keeps beside the store (the map's packs' index) goes beside the file the URI names, not into a
    # folder "file:" wherever the app was started
    assert not Path("file:").exists() and (city.parent / f"{city.name}.snapshot" / "packs").is_dir()


@pytest.fixture
def read_only_folder(city):
    """The city's store closed (no -wal/-shm left, as after a clean stop), in a folder that cannot be written:
    what a disk mounted read-only does. Writable again afterwards."""
    connect(f"sqlite:///{city}").dispose()
    connect.cache_clear()
    assert not Path(f"{city}-wal").exists() and not Path(f"{city}-shm").exists()
    os.chmod(city, 0o400)
    os.chmod(city.parent, 0o500)
    try:
        yield city
    finally:
        os.chmod(city.parent, 0o700)
        os.chmod(city, 0o600)
        connect.cache_clear()


def test_a_store_on_a_read_only_disk_is_served_and_says_that_nothing_can_be_saved(read_only_folder, tmp_path,
                                                                                  capsys):
    """Was (issue #17, item 11): a write-ahead-log store in a read-only folder could not even be opened (SQLite
    makes its -shm file first). Now it is opened read-only: read, exported, logged into, never written."""
    from geo.cli.main import main

    city = read_only_folder
    if os.access(city.parent, os.W_OK):  # root, whom file modes do not bind (CI may run as root): run again bound
        _run_bound_by_file_modes("test_a_store_on_a_read_only_disk_is_served_and_says_that_nothing_can_be_saved")
        return
    before = _state(city, read_only=True)
    url = f"sqlite:///{city}"
    engine = open_city(url, tmp_path / "city")
    assert store.read_only(engine)
    data = store.load_store(engine)
    assert len(data.compounds) == 3 and len(data.compound_status) > 0 and not data.unreadable
    # a login still works, and tries are still counted (in a file of this process): the fourth wrong one waits
    assert auth.authenticate(engine, "clerk", "tulip-harbor-2020").role == "staff"
    refusals = []
    for _ in range(4):
        with pytest.raises(auth.LoginRefused) as refused:
            auth.authenticate(engine, "clerk2", "wrong-password-1", address="10.0.0.9")
        refusals.append(refused.value.key)
    assert refusals[-1] == "auth_locked"
    # an import is refused in plain Chinese, and nothing is stored
    day = tmp_path / "day.csv"
    day.write_text("小区编号,日期,封闭状态\n0501,2020-02-26,全封闭\n", encoding="utf-8")
    assert main(["import", "compound_status", str(day), "--user", "clerk"]) == 3
    assert "数据存储是只读的" in capsys.readouterr().err
    # the pages read as usual, with one notice; the upload and edit pages offer nothing that could not be saved
    overview = _page("pages/overview.py")
    assert overview.metric and [m.value for m in overview.info if "只读" in m.value] == [
        "数据存储现在是只读的：所有数据可以照常查看和导出，但不能保存任何更改（上传、修改场所、回退、账户）。"
        "请管理员检查存储所在的磁盘或文件夹能否写入；恢复后本系统自动恢复保存。"]
    assert not overview.error
    assert len(_page("pages/compounds.py").dataframe[0].value) == 3
    wall = _page("pages/wall.py")  # the wall too, without the notice (it has its own discreet one)
    assert not wall.error and not [m for m in wall.info if "只读" in m.value]
    clerk = auth.User("clerk", "staff")
    for page in ("pages/upload.py", "pages/edit.py"):
        at = _page(page, clerk)
        assert [w.value for w in at.warning] == [
            "数据存储现在是只读的，本页的更改无法保存，所以暂不提供。数据可以在其他页面照常查看和导出。"], page
        assert not at.get("file_uploader") and [b.key for b in at.button] == ["auth_logout"], page
    assert _state(city, read_only=True) == before
    # the folder writable again: saving comes back by itself, without a restart
    os.chmod(city.parent, 0o700)
    os.chmod(city, 0o600)
    assert not store.read_only(connect(url))
    assert main(["import", "compound_status", str(day), "--user", "clerk"]) == 0
    assert not [m for m in _page("pages/overview.py").info if "只读" in m.value]




# root can write anyway: the bounding set without these, and root is bound by file modes like anyone
WITHOUT_OVERRIDE = ["--bounding-set=-dac_override,-dac_read_search,-fowner",
                    "--inh-caps=-dac_override,-dac_read_search,-fowner"]


def _run_bound_by_file_modes(test: str) -> None:
    """Run ``test`` of this file again in a process without the capabilities that let root write to anything
    (util-linux's setpriv, in every Debian), and require that it passed there."""
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is missing: the read-only store cannot be tested as root"
    done = subprocess.run([setpriv, *WITHOUT_OVERRIDE, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           f"tests/{Path(__file__).name}::{test}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout[-3000:] + done.stderr[-2000:]


def test_a_layer_missing_from_the_data_folder_leaves_the_others_on_the_map(tmp_path, monkeypatch):
    data = write_tiny_city(tmp_path / "city")
    (data / "sites.geojson").unlink()
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(data))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")
    overview = _page("pages/overview.py")
    assert overview.metric  # the headline figures are there
    assert len(_page("pages/compounds.py").dataframe[0].value) == 3
    assert len(_page("pages/zones.py").dataframe[0].value) == 2
    sites = _page("pages/sites.py")  # no sites at all: an empty page, not an error
    assert not sites.error


def test_a_restore_keeps_the_accounts_as_they_are_now(city, capsys):
    """An older backup must not bring back a disabled or demoted admin, a removed account, or a leaked password."""
    from geo.cli.main import main

    engine = connect(f"sqlite:///{city}")
    for name in ("boss", "deputy"):
        auth.add_user(auth.SYSTEM, engine, name, "admin", "tulip-harbor-2020")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO users (name, role, password_hash, created_at, disabled, failed_count) "
                             "SELECT 'gone', 'admin', password_hash, created_at, 0, 0 FROM users WHERE name = 'boss'")
    now = auth.utc_now()
    keep_login(engine, "a" * 64, "deputy", now)  # deputy's browser, logged in at the backup
    copy = backup.make_backup(engine, keep=5)
    newest = store.newest_version(engine)
    drop_login(engine, "a" * 64)  # and logged out since
    keep_login(engine, "b" * 64, "wang", now)  # a login since the backup
    auth.set_disabled(auth.SYSTEM, engine, "deputy", True)  # found out: disabled
    auth.set_role(auth.SYSTEM, engine, "clerk2", "viewer")  # demoted
    auth.set_password(auth.SYSTEM, engine, "boss", "new-harbor-lantern-7")  # the old one leaked
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM users WHERE name = 'gone'")  # removed
    auth.add_user(auth.SYSTEM, engine, "wang", "staff", "copper-kettle-2021")  # new since the backup
    day = city.parent / "day.csv"
    day.write_text("小区编号,日期,封闭状态\n0501,2020-02-26,全封闭\n", encoding="utf-8")
    assert main(["import", "compound_status", str(day), "--user", "clerk"]) == 0

    assert main(["restore", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "账户保持恢复前的状态" in out and "5 个账户" in out and "boss、clerk2、deputy、gone、wang" in out
    assert store.newest_version(engine) == newest  # the data is the backup's
    accounts = {a.name: a for a in auth.list_users(engine)}  # the accounts are today's
    assert sorted(accounts) == ["boss", "clerk", "clerk2", "deputy", "wang"]
    assert accounts["deputy"].disabled and accounts["clerk2"].role == "viewer"
    assert auth.authenticate(engine, "boss", "new-harbor-lantern-7").role == "admin"
    with pytest.raises(auth.LoginRefused):
        auth.authenticate(engine, "boss", "tulip-harbor-2020")
    with pytest.raises(auth.LoginRefused):
        auth.authenticate(engine, "deputy", "tulip-harbor-2020")
    assert auth.authenticate(engine, "wang", "copper-kettle-2021").role == "staff"
    assert kept_login(engine, "a" * 64, 60, now) is None and kept_login(engine, "b" * 64, 60, now).name == "wang"
    folder = backup.backup_folder(engine)
    assert not [p.name for p in folder.iterdir() if p.name.endswith(("-wal", "-shm", "-journal", ".part"))]
    assert not list(city.parent.glob(".*restoring*"))
    assert main(["restore", str(copy)]) == 0 and "与备份中的相同" not in capsys.readouterr().out


def test_the_store_its_backups_and_their_folders_are_private(tmp_path, monkeypatch, capsys):
    """They hold password hashes: 0600 files, 0700 folders, whatever the umask; no half-written copy stays."""
    from geo.cli.main import main

    old_umask = os.umask(0o022)
    try:
        data = write_tiny_city(tmp_path / "city")
        path = tmp_path / "srv" / "store" / "cmdmap.sqlite"
        for name, value in (("DATA_DIR", str(data)), ("DATABASE_URL", f"sqlite:///{path}"), ("BASEMAP", "none")):
            monkeypatch.setenv(f"CMDMAP_{name}", value)
        engine = open_city(f"sqlite:///{path}", data)
        auth.add_user(auth.SYSTEM, engine, "clerk", "staff", "tulip-harbor-2020")
        folder = backup.backup_folder(engine)
        folder.mkdir(mode=0o755)
        (folder / "cmdmap-20200226-081500-000000.sqlite.part").write_bytes(b"half")  # a kill mid-copy
        day = tmp_path / "day.csv"
        day.write_text("小区编号,日期,封闭状态\n0501,2020-02-26,全封闭\n", encoding="utf-8")
        assert main(["import", "compound_status", str(day), "--user", "clerk"]) == 0
        copy = backup.backups(folder)[-1]
        assert main(["restore", str(copy)]) == 0
        assert main(["init", "--force", "--city", "咸宁市"]) == 0
        made = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), *folder.iterdir()]
        assert {p.name.split("-")[0] for p in folder.iterdir()} == {"cmdmap", "before"}
        assert {p.name: oct(p.stat().st_mode & 0o777) for p in made} == {p.name: "0o600" for p in made}
        for made_folder in (path.parent.parent, path.parent, folder):
            assert oct(made_folder.stat().st_mode & 0o777) == "0o700", made_folder
        with pytest.raises(sqlite3.Error):  # a copy that fails half-way leaves no .part behind
            backup.copy_store(tmp_path / "no such store.sqlite", folder / "cmdmap-x.sqlite")
        assert not list(folder.glob("*.part"))
    finally:
        os.umask(old_umask)


def test_an_import_on_a_full_disk_fails_in_chinese_loses_nothing_and_the_next_one_works(city, tmp_path):
    """Was (issue #17, item 11): the backup's half-written .part took the last space and stayed, so imports failed.

    A full disk, without root: the real ``python -m geo import`` in a process whose files cannot grow past
    128 KiB (``RLIMIT_FSIZE``, SIGXFSZ ignored, so a write past it is short or fails as on a full disk). The
    store (272 KiB) cannot be copied, and the import's write-ahead log cannot hold 600 compounds.
    """
    from geo.cli.main import main

    files = {"甲": _layer(tmp_path / "a.geojson", "甲"), "乙": _layer(tmp_path / "b.geojson", "乙")}
    command = ["import", "compounds", "--user", "clerk"]
    assert main([*command, str(files["甲"])]) == 0
    folder = backup.backup_folder(connect(f"sqlite:///{city}"))
    connect(f"sqlite:///{city}").dispose()
    with sqlite3.connect(city) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the next writer starts its log from the beginning
    conn.close()
    before, copies = _state(city), backup.backups(folder)
    assert city.stat().st_size > 2 * 128 * 1024

    def full_disk():  # in the child, before it runs python
        resource.setrlimit(resource.RLIMIT_FSIZE, (128 * 1024 + 100, 128 * 1024 + 100))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    failed = subprocess.run([sys.executable, "-m", "geo", *command, str(files["乙"])], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, preexec_fn=full_disk)
    assert failed.returncode == 3, failed.stderr
    assert ("磁盘已满或写不进去，数据存储无法写入（disk I/O error）：这次的更改没有保存，已保存的数据完好无损。"
            "请管理员清理或扩充存储所在的磁盘（磁盘未满时请检查磁盘是否故障），然后重新导入即可，无需其他操作。") \
        in failed.stderr.splitlines(), failed.stderr
    assert "这次更改前的自动备份没有做成（disk I/O error），没写完的备份已删除" in failed.stderr  # the log says it too
    assert "Traceback" not in failed.stderr
    assert _state(city) == before  # nothing stored is lost, nothing half-stored
    assert backup.backups(folder) == copies and not list(folder.glob("*.part"))  # the partial backup is gone
    # space freed: the same import again works by itself, and is backed up first
    assert main([*command, str(files["乙"])]) == 0
    assert _state(city) == (before[0] + 1, {"乙"})
    assert len(backup.backups(folder)) == len(copies) + 1 and not list(folder.glob("*.part"))
    # and restoring that backup leaves no side files in backups/
    assert main(["restore", str(backup.backups(folder)[-1])]) == 0
    assert _state(city) == before
    assert not [p.name for p in folder.iterdir() if p.name.endswith(("-wal", "-shm", "-journal", ".part"))]


def _damage_table(path: Path, table: str) -> None:
    """Overwrite the first page of one table, as a disk or a careless copy does; the other tables stay whole."""
    connect(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * size)
        handle.write(b"\xde\xad" * (size // 2))
    connect.cache_clear()


def test_a_damaged_table_is_named_on_the_pages_and_the_rest_is_served(city, monkeypatch):
    """pandas wraps the driver's error in its own DatabaseError: still the Chinese message, never the error page."""
    from geo.cli.main import main
    from ui import cache

    copy = backup.make_backup(connect(f"sqlite:///{city}"), keep=5)
    _damage_table(city, "rows_compound_status")
    for page in ("pages/overview.py", "pages/compounds.py", "pages/sites.py", "pages/zones.py"):
        at = _page(page)
        assert [e.value for e in at.error] == ["数据表“小区日报”暂时无法读取（database disk image is malformed），这些数据"
                                               "暂不显示，其余数据照常显示。请管理员按 README 从自动备份恢复（python -m geo "
                                               "restore）；恢复后本页自动恢复。"], page
    assert len(_page("pages/sites.py").dataframe[0].value) == 2  # the sites' tables are whole: served
    assert main(["restore", str(copy)]) == 0
    monkeypatch.setattr(cache, "RETRY_SECONDS", 0)  # instead of waiting half a minute for the next read
    _page("pages/compounds.py")
    at = _page("pages/compounds.py")
    assert not at.error and "全封闭" in at.dataframe[0].value.astype(str).to_string()


def _hold_write_lock(path: Path, release: threading.Event | float) -> threading.Thread:
    """Another program (an import) holding the store's write lock, from a thread, until ``release`` is set
    (or for that many seconds). Taken just before the click it stands in the way of, so that a slow machine's
    first run of the page does not use up the wait."""
    started = threading.Event()

    def hold():
        conn = sqlite3.connect(path, timeout=30)
        conn.execute("BEGIN IMMEDIATE")
        started.set()
        if isinstance(release, threading.Event):
            release.wait(120)
        else:
            time.sleep(release)
        conn.rollback()
        conn.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    started.wait(10)
    return thread


def _sidebar_login_form(password: str = "tulip-harbor-2020") -> AppTest:
    """The app's sidebar login filled in, not yet submitted."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.text_input(key="auth_login_sidebar_name").input("clerk")
    at.text_input(key="auth_login_sidebar_password").input(password)
    return at


def _submit(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_login_while_an_import_holds_the_store_waits_saying_so_then_logs_in(city):
    at = _sidebar_login_form()
    holder = _hold_write_lock(city, 4)
    started = time.monotonic()
    _submit(at, "auth_login_sidebar_submit")
    assert time.monotonic() - started > 3  # it waited for the lock rather than failing
    holder.join()
    assert "已登录：clerk" in " ".join(m.value for m in at.sidebar.markdown)
    assert auth.list_users(connect(f"sqlite:///{city}"))[0].last_login is not None  # the login was recorded


def test_a_login_gives_up_in_chinese_when_the_store_stays_busy(city, monkeypatch):
    from ui import login

    monkeypatch.setattr(login, "BUSY_WAIT_SECONDS", 3)  # instead of a minute and a half
    at = _sidebar_login_form()
    release = threading.Event()
    holder = _hold_write_lock(city, release)
    _submit(at, "auth_login_sidebar_submit")
    release.set()
    holder.join()
    assert any(m.value.startswith("数据存储正忙（可能正在导入数据），正在重试登录……已等待") for m in at.info)
    assert [e.value for e in at.error] == ["数据存储一直忙（已等待 3 秒），登录未完成。请稍后再试。"]
    assert not any("已登录" in m.value for m in at.sidebar.markdown)


def _upload_ready(city: Path) -> AppTest:
    """The clerk's upload page with a day checked and ready to confirm."""
    at = _page("pages/upload.py", auth.User("clerk", "staff"))
    day = "小区编号,日期,封闭状态\n0501,2020-02-26,全封闭\n".encode("utf-8")
    at.file_uploader[0].set_value(("day.csv", day, "text/csv")).run()
    assert [b for b in at.button if b.key == "upload_confirm_button"]
    return at


def test_an_upload_confirmed_while_an_import_holds_the_store_waits_saying_so_then_saves(city):
    """Issue #17, item 11: writes wait with a visible "busy, retrying" instead of failing after the busy timeout."""
    at = _upload_ready(city)
    before = store.newest_version(connect(f"sqlite:///{city}"))
    holder = _hold_write_lock(city, 4)
    started = time.monotonic()
    _submit(at, "upload_confirm_button")
    assert time.monotonic() - started > 3  # it waited for the lock rather than failing
    holder.join()
    assert store.newest_version(connect(f"sqlite:///{city}")) == before + 1 and any("已导入" in s.value for s in at.success)


def test_an_upload_gives_up_in_chinese_when_the_store_stays_busy_and_keeps_the_checked_file(city, monkeypatch):
    from ui import busy

    monkeypatch.setattr(busy, "BUSY_WAIT_SECONDS", 3)
    at = _upload_ready(city)
    before = store.newest_version(connect(f"sqlite:///{city}"))
    release = threading.Event()
    holder = _hold_write_lock(city, release)
    _submit(at, "upload_confirm_button")
    release.set()
    holder.join()
    assert [e.value for e in at.error] == ["数据存储一直忙（已等待 3 秒），这次的更改没有保存，已保存的数据完好无损。请稍后再试。"]
    assert store.newest_version(connect(f"sqlite:///{city}")) == before
    at.button(key="upload_confirm_button").click().run()  # the checked file is still there: confirmed again, saved
    assert store.newest_version(connect(f"sqlite:///{city}")) == before + 1


def test_the_wall_shows_what_can_be_read_when_one_table_is_damaged(city):
    """Was (hostile pass): an empty wall although five of six tables were intact. The wall's figures of what
    can be read are shown; the damaged table is named discreetly, never a traceback."""
    _damage_table(city, "rows_compound_status")
    at = _page("pages/wall.py")
    shown = " ".join(m.value for m in at.markdown if "<style>" not in m.value)
    assert '<div class="label">工地复工率</div><div class="value">50%</div>' in shown  # from the sites' tables
    assert "数据表“小区日报”暂时无法读取，相关数字暂不显示" in shown and "Traceback" not in shown


def test_a_restore_keeps_the_loops_records_as_they_are_now(city, capsys):
    """Issue #20: a problem handed out, fixed and closed after the backup stays so through a restore."""
    import datetime as dt

    from geo.cli.main import main
    from geo.store import NewProblem, file_problem, move_problem, problem_history, problems_frame

    engine = connect(f"sqlite:///{city}")
    copy = backup.make_backup(engine, keep=5)
    pid = file_problem(engine, NewProblem("compounds", "0501", "金桂花园", dt.date(2020, 2, 25), "gate", "东门无人",
                                          "property", "咸宁市安居物业", None, None, dt.date(2020, 2, 28)), by="clerk")
    move_problem(engine, pid, seen=1, to="rectified", by="物业", role="unit", photos=1)
    assert main(["restore", str(copy)]) == 0
    capsys.readouterr()
    assert problems_frame(engine)[["id", "state"]].values.tolist() == [[pid, "rectified"]]
    assert problem_history(engine, pid)["state"].tolist() == ["handed_out", "rectified"]
