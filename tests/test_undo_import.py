"""Staff can undo their own import (issue 18, item 4): right after it on the upload page, or on the history
page, while no later version of its table exists; never someone else's, nor an older one, even by forging
widget state. The undo is a rollback version like any other."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import store
from geo.accounts import auth
from geo.upload import check_file, commit, undo_import
from tests.hostile import store_dump

APP = str(Path(__file__).resolve().parent.parent / "app.py")
CLERK = auth.User("clerk", "staff")
OTHER = auth.User("other", "staff")
DAY = "小区编号,日期,封闭状态\n0501,2020-02-26,全封闭\n0502,2020-02-26,全封闭\n".encode()
SITES = "工地编号,日期,复工状态\nS1,2020-02-26,已复工\n".encode()


@pytest.fixture
def city(page_env):
    auth.add_user(auth.SYSTEM, page_env, "other", "staff", "tulip-harbor-2020")
    auth.add_user(auth.SYSTEM, page_env, "reader", "viewer", "tulip-harbor-2020")
    return page_env


def _import(engine, user: auth.User, kind: str = "compound_status", content: bytes = DAY) -> int:
    check = check_file(engine, kind, content, "日报.csv")
    assert check.ok, [p.message() for p in check.problems]
    return commit(engine, check, user, confirmed=True).version


def _open(page: str, user: auth.User, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(user)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_staff_undo_their_latest_import_as_a_new_version(city):
    before = store.current(city, "compound_status")
    version = _import(city, CLERK)
    assert store.undoable_import(city, "clerk")[0] == version
    applied = undo_import(city, version, CLERK)
    newest = store.history(city).iloc[0]
    assert (newest["id"], newest["action"], newest["user_name"]) == (applied.version, "rollback", "clerk")
    assert applied.removed == 2
    assert store.current(city, "compound_status").equals(before)
    assert store.undoable_import(city, "clerk") is None  # the undo is the table's newest version now
    with pytest.raises(auth.PermissionDenied):
        undo_import(city, version, CLERK)


def test_nobody_undoes_another_ones_or_an_older_import(city):
    own = _import(city, CLERK)
    theirs = _import(city, OTHER, "site_status", SITES)
    with pytest.raises(auth.PermissionDenied):
        undo_import(city, theirs, CLERK)  # someone else's
    newer = _import(city, CLERK, content=DAY.replace(b"2020-02-26", b"2020-02-25"))
    with pytest.raises(auth.PermissionDenied):
        undo_import(city, own, CLERK)  # an older one of their own
    _import(city, OTHER, content=DAY.replace(b"0502", b"0503"))
    with pytest.raises(auth.PermissionDenied):
        undo_import(city, newer, CLERK)  # their newest, but a later version of its table builds on it
    for nobody in (None, auth.User("reader", "viewer")):
        with pytest.raises(auth.PermissionDenied):
            undo_import(city, theirs, nobody)


def test_the_upload_page_offers_to_undo_the_import_just_made(city):
    before = store.current(city, "compound_status")
    at = _open("pages/upload.py", CLERK)
    at.selectbox(key="upload_kind").set_value("compound_status").run()
    at.file_uploader[0].set_value(("日报.csv", DAY, "text/csv")).run()
    at.button(key="upload_confirm_button").click().run()
    version = store.newest_version(city)
    undo = at.button(key=f"upload_undo_{version}")
    assert undo.label == f"撤销本次导入（版本 {version}）"
    at.file_uploader[0].set_value(("另一份.csv", DAY.replace(b"2020-02-26", b"2020-02-25"), "text/csv")).run()
    assert at.session_state["upload_pending"].file_name == "另一份.csv"  # another file's preview: no undo beside it
    assert not [b for b in at.button if (b.key or "").startswith("upload_undo")]
    at.file_uploader[0].set_value(None).run()
    undo = at.button(key=f"upload_undo_{version}")
    undo.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"已撤销版本 {version} 的导入" in s.value for s in at.success)
    assert store.history(city).iloc[0]["action"] == "rollback"
    assert store.current(city, "compound_status").equals(before)
    assert not [b for b in at.button if (b.key or "").startswith("upload_undo")]


def test_the_history_page_offers_staff_their_own_latest_import_only(city):
    own = _import(city, CLERK)
    theirs = _import(city, OTHER, "site_status", SITES)
    at = _open("pages/history.py", CLERK)
    at.selectbox(key="history_version").set_value(theirs).run()
    assert not [b for b in at.button if (b.key or "").startswith("history_undo")]
    at.selectbox(key="history_version").set_value(own).run()
    at.button(key=f"history_undo_{own}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"已撤销版本 {own}" in s.value for s in at.success)
    assert store.history(city).iloc[0]["action"] == "rollback"


@pytest.mark.parametrize("page,state", [
    ("pages/history.py", lambda v: {"history_version": v, f"history_undo_{v}": True}),
    ("pages/upload.py", lambda v: {"upload_last": v, f"upload_undo_{v}": True}),
])
def test_forged_widget_state_cannot_undo_another_ones_import(city, page, state):
    theirs = _import(city, OTHER)
    before = store_dump(city.url.database)
    at = _open(page, CLERK, state(theirs))
    assert not [b for b in at.button if "undo" in (b.key or "")]
    assert store_dump(city.url.database) == before


def test_an_undo_is_refused_when_an_import_of_the_same_table_lands_between_its_check_and_its_rollback(tiny_store):
    """The rollback itself checks, under the write lock, that the import is still the table's newest version."""
    from geo.store import NewerVersion, apply_rows, current, history, rollback

    versions = history(tiny_store)
    newest = int(versions.loc[versions["kind"] == "sites", "id"].max())
    sites = current(tiny_store, "sites")
    apply_rows(tiny_store, "sites", sites.assign(contractor="后来者"), "other", present=["id", "contractor"])
    with pytest.raises(NewerVersion):
        rollback(tiny_store, newest, "clerk", newest=newest)  # undoing back to it would undo the later one too
    assert (current(tiny_store, "sites")["contractor"] == "后来者").all()
