"""The upload and history pages through AppTest: dry run, confirm, see it, roll back; and refusals."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import store
from geo.accounts import auth
from tests.filled_stores import open_filled

APP = str(Path(__file__).resolve().parent.parent / "app.py")
DAY = ("小区编号,小区名称,日期,封闭状态,今日发热人数\n"
       "0501,金桂花园,2020-02-26,全封闭,1\n"
       "0503,浮山小区,2020-02-26,封闭管理,0\n").encode("gbk")
BAD = ("小区编号,日期,封闭状态,居民人数\n"
       "0501,2020-02-26,关门,10\n"
       "XA-9,2020-02-26,open,-3\n").encode("utf-8")


@pytest.fixture
def env(tiny_dir, store_url, monkeypatch):
    url = store_url  # SQLite and PostgreSQL
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", url)
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")
    engine = open_filled(url, tiny_dir)
    for name, role in (("clerk", "staff"), ("boss", "admin"), ("reader", "viewer")):
        auth.add_user(auth.SYSTEM, engine, name, role, "tulip-harbor-2020")
    return engine


def open_as(name, role, page, direct=False):
    """The app asked for ``page`` as this user; ``direct``: the page's file run itself (past the navigation)."""
    at = AppTest.from_file(str(Path(APP).parent / page) if direct else APP, default_timeout=60)
    if name:
        at.session_state["auth_session"] = auth.start_session(auth.User(name, role))
    if not direct:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_staff_dry_run_then_confirm_then_admin_rolls_back(env):
    before = store.newest_version(env)
    at = open_as("clerk", "staff", "pages/upload.py")
    at.selectbox(key="upload_kind").set_value("compound_status").run()
    at.file_uploader[0].set_value(("日报.csv", DAY, "text/csv")).run()
    assert not at.exception
    assert store.newest_version(env) == before  # the dry run stores nothing
    lines = " ".join(md.value for md in at.markdown)
    assert "新增 2 行小区日报" in lines and "1 个转为全封闭" in lines
    at.button(key="upload_confirm_button").click().run()
    assert not at.exception
    assert store.newest_version(env) == before + 1
    assert any("已导入" in s.value for s in at.success)
    # 2 of 5 places reported for 2020-02-26: the maps stay on the complete day and offer the new one
    compounds = open_as("clerk", "staff", "pages/compounds.py")
    assert compounds.selectbox(key="date").value == "2020-02-25"
    assert "2020-02-26" in compounds.selectbox(key="date").options
    assert any("2020-02-26 已报告 2/5" in info.value for info in compounds.info)

    versions = store.history(env)
    target = int(versions.loc[(versions["kind"] == "compound_status") & (versions["id"] <= before), "id"].max())
    hist = open_as("boss", "admin", "pages/history.py")
    hist.selectbox(key="history_version").set_value(target).run()
    hist.checkbox(key=f"history_sure_{target}").check().run()
    hist.button(key=f"history_rollback_{target}").click().run()
    assert not hist.exception
    assert store.newest_version(env) == before + 2
    assert store.history(env).iloc[0]["action"] == "rollback"
    assert open_as("boss", "admin", "pages/compounds.py").selectbox(key="date").value == "2020-02-25"


def test_every_problem_is_listed_and_nothing_can_be_confirmed(env):
    at = open_as("clerk", "staff", "pages/upload.py")
    at.selectbox(key="upload_kind").set_value("compound_status").run()
    at.file_uploader[0].set_value(("bad.csv", BAD, "text/csv")).run()
    assert at.error and "3 个问题" in at.error[0].value
    problems = at.dataframe[0].value
    assert problems.iloc[:, 0].tolist() == [2, 3, 3]  # unknown status; unknown id and negative number
    assert not [b for b in at.button if b.key == "upload_confirm_button"]


@pytest.mark.parametrize("limit", ["inf", "nan"])
def test_the_upload_page_takes_a_limit_that_is_no_number_as_the_default(env, limit, monkeypatch):
    monkeypatch.setenv("CMDMAP_UPLOAD_MAX_MB", limit)
    at = open_as("clerk", "staff", "pages/upload.py")  # no exception (open_as asserts it)
    at.selectbox(key="upload_kind").set_value("compound_status").run()
    assert "不超过 20 MB" in at.file_uploader[0].label
    at.file_uploader[0].set_value(("day.csv", DAY, "text/csv")).run()
    assert not at.exception and not at.error
    assert [b for b in at.button if b.key == "upload_confirm_button"]  # checked against 20 MB: ready to import


@pytest.mark.parametrize("name,role,page", [(None, None, "pages/upload.py"), ("reader", "viewer", "pages/upload.py"),
                                            ("reader", "viewer", "pages/history.py"),
                                            ("clerk", "staff", "pages/users.py")])
def test_pages_refuse_roles_that_may_not_use_them(env, name, role, page):
    action = {"pages/upload.py": "upload", "pages/history.py": "history", "pages/users.py": "manage_users"}[page]
    with pytest.raises(auth.PermissionDenied) as denied:
        auth.require(auth.User(name, role) if name else None, action)
    at = open_as(name, role, page)  # not in the menu; its address (a link) says who may open it, nothing more
    assert [w.value for w in at.warning] == [denied.value.message("zh")]
    assert not at.file_uploader and not [b for b in at.button if "rollback" in (b.key or "")]
    at = open_as(name, role, page, direct=True)  # and the page itself refuses, saying why
    assert [w.value for w in at.warning] == [denied.value.message("zh")]
    assert not at.file_uploader and not [b for b in at.button if "rollback" in (b.key or "")]


def test_history_lists_versions_and_offers_originals_but_not_rollback_to_staff(env):
    at = open_as("clerk", "staff", "pages/history.py")
    assert len(at.dataframe[0].value) == store.newest_version(env)
    assert not at.checkbox  # rollback is for admins


def test_staff_cannot_roll_back_even_by_calling_the_action(env):
    from geo.upload.check import rollback_to

    with pytest.raises(auth.PermissionDenied):
        rollback_to(env, 1, auth.User("clerk", "staff"))
