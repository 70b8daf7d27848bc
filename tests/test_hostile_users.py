"""Hostile users: forged widget state, query parameters and sessions get nobody in; no secret is shipped.

Extends tests/test_auth.py (hashing, throttling, expiry, the users page) and
tests/test_upload_pages.py (which pages each role is offered): here a viewer or a
logged-out browser tries every way round the pages, and each attempt must leave
the store exactly as it was.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.accounts import auth
from geo.store.engine import connect
from geo.upload.check import check_file
from tests.filled_stores import open_filled
from tests.hostile import store_dump

ROOT = Path(__file__).resolve().parent.parent
DAY = "小区编号,日期,封闭状态\n0501,2020-02-26,全封闭\n".encode()
INTRUDERS = [None, auth.User("reader", "viewer")]


@pytest.fixture
def city(tiny_dir, monkeypatch):
    path = tiny_dir.parent / "store.sqlite"
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")
    engine = open_filled(f"sqlite:///{path}", tiny_dir)
    auth.add_user(auth.SYSTEM, engine, "reader", "viewer", "tulip-harbor-2020")
    auth.add_user(auth.SYSTEM, engine, "clerk", "staff", "tulip-harbor-2020")
    return path


def _run(page: str, user: auth.User | None, state: dict | None = None, query: dict | None = None,
         direct: bool = False) -> AppTest:
    """Ask app.py for ``page`` (one the user may not use is hidden from the menu, its address kept so that it can
    say who may open it), or, ``direct``, run the page's file itself, as a request past the navigation would."""
    at = AppTest.from_file(str(ROOT / (page if direct else "app.py")), default_timeout=60)
    if user is not None:
        at.session_state["auth_session"] = auth.start_session(user)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if not direct:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def refused(at: AppTest, user: auth.User | None, action: str) -> bool:
    """Whether the page stopped with the warning that ``user`` may not do ``action``."""
    with pytest.raises(auth.PermissionDenied) as denied:
        auth.require(user, action)
    return [w.value for w in at.warning] == [denied.value.message("zh")]


@pytest.mark.parametrize("user", INTRUDERS, ids=["logged-out", "viewer"])
def test_forged_widget_state_cannot_upload(city, user):
    engine = connect(f"sqlite:///{city}")
    pending = check_file(engine, "compound_status", DAY, "day.csv")
    assert pending.ok  # a file that staff could import
    before = store_dump(city)
    forged = {"upload_pending": pending, "upload_kind": "compound_status", "upload_confirm_button": True,
              "upload_signature": ("compound_status", "day.csv", "x", None, None), "upload_done": 99}
    query = {"page": "upload", "role": "admin", "confirm": "1"}
    assert refused(_run("pages/upload.py", user, forged, query), user, "upload")
    at = _run("pages/upload.py", user, forged, query, direct=True)  # the forged state reaches the page itself
    assert refused(at, user, "upload")
    assert not at.file_uploader and not [b for b in at.button if b.key == "upload_confirm_button"]
    assert not at.success
    assert store_dump(city) == before


@pytest.mark.parametrize("user", INTRUDERS, ids=["logged-out", "viewer"])
def test_forged_widget_state_cannot_roll_back(city, user):
    before = store_dump(city)
    forged = {"history_version": 1, "history_sure_1": True, "history_rollback_1": True}
    query = {"version": "1", "rollback": "1"}
    assert refused(_run("pages/history.py", user, forged, query), user, "history")
    at = _run("pages/history.py", user, forged, query, direct=True)
    assert refused(at, user, "history")
    assert not [b for b in at.button if "rollback" in (b.key or "")]
    assert store_dump(city) == before


@pytest.mark.parametrize("user", [*INTRUDERS, auth.User("clerk", "staff")], ids=["logged-out", "viewer", "staff"])
def test_forged_widget_state_cannot_manage_users(city, user):
    before = store_dump(city)
    forged = {"auth_add_name": "mallory", "auth_add_role": "admin", "auth_add_password": "tulip-harbor-2020",
              "auth_add_password2": "tulip-harbor-2020", "auth_add_submit": True}
    query = {"user": "mallory", "role": "admin"}
    assert refused(_run("pages/users.py", user, forged, query), user, "manage_users")
    assert refused(_run("pages/users.py", user, forged, query, direct=True), user, "manage_users")
    assert auth.find_user(connect(f"sqlite:///{city}"), "mallory") is None
    assert store_dump(city) == before


def test_a_session_claiming_a_higher_role_gets_the_stored_one(city):
    """The session keeps a copy of the user; every run re-reads the account, so a forged role is ignored."""
    before = store_dump(city)
    at = _run("pages/upload.py", auth.User("reader", "admin"))
    assert refused(at, auth.User("reader", "viewer"), "upload") and not at.file_uploader
    at = _run("pages/upload.py", auth.User("reader", "admin"), direct=True)
    assert refused(at, auth.User("reader", "viewer"), "upload") and not at.file_uploader
    at = _run("pages/upload.py", auth.User("nobody", "admin"))  # an account that does not exist
    assert refused(at, None, "upload") and not at.file_uploader and "auth_session" not in at.session_state
    at = _run("pages/upload.py", auth.User("nobody", "admin"), direct=True)
    assert refused(at, None, "upload") and "auth_session" not in at.session_state
    assert store_dump(city) == before


@pytest.mark.parametrize("page", ["pages/upload.py", "pages/wall.py"])
def test_a_login_made_in_another_browser_is_dropped_with_everything_in_the_session(city, page):
    """A session holding a login whose browser cookie this connection does not present (a session id reused
    elsewhere, were Streamlit to hand the session over): the first run, the wall's included, drops the login
    and empties the session. tests/test_browser_identity.py attacks it with real clients."""
    state = {"upload_pending": "the clerk's checked file", "upload_digest": "abc"}
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(auth.User("clerk", "staff"), browser="0" * 64)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "auth_session" not in at.session_state and not any(key in at.session_state for key in state)
    assert not at.file_uploader


@pytest.mark.parametrize("action", ["upload", "rollback"])
def test_the_actions_refuse_intruders_whatever_called_them(city, action):
    from geo.upload.check import commit, rollback_to

    engine = connect(f"sqlite:///{city}")
    pending = check_file(engine, "compound_status", DAY, "day.csv")
    before = store_dump(city)
    for user in INTRUDERS:
        with pytest.raises(auth.PermissionDenied):
            commit(engine, pending, user) if action == "upload" else rollback_to(engine, 1, user)
    assert store_dump(city) == before


# --------------------------------------------------------------------------- what is shipped

SECRETS = [
    ("private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("AWS key", re.compile(r"AKIA[0-9A-Z]{16}")),
    ("GitHub token", re.compile(r"gh[pousr]_[A-Za-z0-9]{30,}")),
    ("Slack token", re.compile(r"xox[baprs]-[A-Za-z0-9-]{10,}")),
    ("API key", re.compile(r"\bsk-[A-Za-z0-9]{24,}")),
    ("Tianditu key", re.compile(r"\btk=[0-9a-f]{32}\b")),
    ("cookie secret", re.compile(r"cookieSecret\s*=")),
    ("password in code", re.compile(r"(?i)\b(password|passwd|secret|api_key|token)\s*=\s*['\"][^'\"\s]{6,}['\"]")),
    # printable ASCII only: the bytes of an image (a screenshot) may otherwise spell a user and password by chance
    ("database URL with a password", re.compile(r"://[A-Za-z0-9._%+-]+:[A-Za-z0-9._%+~!$&*=-]+@")),
]
# test fixtures may hold made-up passwords for made-up accounts; nothing else may
FIXTURE_FILES = re.compile(r"^tests/")


def _tracked() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [Path(name) for name in listed.decode().split("\0") if name]


def test_no_secret_is_in_the_repository():
    found = []
    for name in _tracked():
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for what, pattern in SECRETS:
            if what == "password in code" and FIXTURE_FILES.match(str(name)):
                continue
            found += [f"{name}: {what}: {m.group(0)[:40]}" for m in pattern.finditer(text)]
    assert found == []


def test_no_store_backup_or_environment_file_is_tracked():
    shipped = [str(p) for p in _tracked()
               if p.suffix in (".sqlite", ".db", ".pem", ".key") or p.name in (".env", "secrets.toml")
               or p.parts[0] == "store"]
    assert shipped == []
    assert "/store/" in (ROOT / ".gitignore").read_text()


def test_streamlit_keeps_xsrf_protection_and_hides_errors():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = config["server"]
    assert server.get("enableXsrfProtection", True) is True  # the XSRF cookie guards uploads
    assert server.get("enableCORS", True) is True
    assert "cookieSecret" not in server  # generated per start, never committed
    assert config["client"]["showErrorDetails"] in ("none", False)
    assert server["maxUploadSize"] >= 1


def test_the_server_leaves_the_pages_folder_layout_before_its_first_session():
    """The start (serve.py) as ``streamlit run`` loads it, then the session manager of app.py's first session:
    Streamlit must not take ``pages/`` for its old layout, whose menu of raw file names the login screen kept
    (the browser's view: tests/test_browser_identity.py::test_the_sidebar_never_shows_the_raw_file_names_…)."""
    probe = ("import runpy, sys; from streamlit.runtime.pages_manager import PagesManager as P; "
             "runpy.run_path('serve.py'); P('app.py'); print(P.uses_pages_directory)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items() if not k.startswith("CMDMAP_")})
    assert done.stdout.split()[-1:] == ["False"], done.stderr[-2000:]


def test_passwords_are_never_stored_or_kept_in_clear(city):
    engine = connect(f"sqlite:///{city}")
    assert sorted(a.name for a in auth.list_users(engine)) == ["clerk", "reader"]  # both set "tulip-harbor-2020"
    assert "tulip-harbor-2020" not in store_dump(city)
    session = auth.start_session(auth.User("clerk", "staff"))
    assert "password" not in repr(session).lower()


def test_every_timed_or_background_fragment_checks_the_login_first():
    """A fragment reruns alone (``run_every``: by the clock), without app.py's gate: each must check the login
    (``may_still_view``) before it draws anything. The wall's is attacked in tests/test_browser_guard.py."""
    fragments = []
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any("fragment" in ast.unparse(d) for d in node.decorator_list):
                body = [statement for statement in node.body
                        if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))]
                fragments.append((f"{path.name}:{node.name}", "may_still_view()" in ast.unparse(body[0])))
    assert fragments and all(checked for _, checked in fragments), fragments
