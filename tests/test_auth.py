"""Accounts: hashing, logins and throttling, roles, the last admin, sessions, the CLI and the users page."""

from __future__ import annotations

import argparse
import getpass
import io
import json
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from geo.accounts import add_display, auth, drop_login, find_display, keep_login, kept_login, revoke_display, throttle
from geo.accounts.auth import SYSTEM, AccountError, LoginRefused, PermissionDenied, Session, User
from geo.cli import users as cli_user
from geo.domain.labels import t
from geo.store.engine import connect
from geo.store.tables import display_tokens, users

APP = str(Path(__file__).resolve().parent.parent / "app.py")
USERS_PAGE = str(Path(__file__).resolve().parent.parent / "pages" / "users.py")
T0 = datetime(2020, 2, 25, 8, 0, 0)
GOOD = "correct horse"


@pytest.fixture
def url(store_url) -> str:
    return store_url  # each test runs on SQLite and on PostgreSQL


@pytest.fixture
def engine(url):
    return connect(url)


@pytest.fixture
def boss(engine) -> User:
    return auth.add_user(SYSTEM, engine, "boss", "admin", GOOD)


def stored(engine, name: str):
    with engine.connect() as conn:
        return conn.execute(select(users).where(users.c.name == name)).one()


def enabled_admins(engine) -> int:
    return sum(account.role == "admin" and not account.disabled for account in auth.list_users(engine))


def refused(engine, name, password, now, address=None) -> LoginRefused:
    with pytest.raises(LoginRefused) as caught:
        auth.authenticate(engine, name, password, now=now, address=address)
    return caught.value


# --- passwords --------------------------------------------------------------------------------


def test_password_is_stored_as_an_argon2id_hash(engine, boss):
    row = stored(engine, "boss")
    assert row.password_hash.startswith("$argon2id$")
    assert GOOD not in row.password_hash
    assert auth.authenticate(engine, "boss", GOOD, now=T0) == User("boss", "admin")
    assert stored(engine, "boss").last_login == T0


def test_list_users_returns_no_hashes(engine, boss):
    (account,) = auth.list_users(engine)
    assert account.name == "boss" and account.role == "admin" and not account.disabled
    assert not any("hash" in field for field in vars(account))
    assert "$argon2" not in repr(account)


def test_short_password_is_refused_with_a_clear_message(engine, boss):
    with pytest.raises(AccountError) as caught:
        auth.add_user(SYSTEM, engine, "li", "staff", "wQ8#zN4r!")
    assert caught.value.message("zh") == "密码太短：至少需要 10 个字符。"
    assert "at least 10 characters" in caught.value.message("en")
    auth.add_user(SYSTEM, engine, "li", "staff", "wQ8#zN4r!x")  # exactly 10 is enough when they are not guessable


@pytest.mark.parametrize("password,key", [
    (" " * 8, "auth_password_short"), ("12345678", "auth_password_short"), ("password", "auth_password_short"),
    (" " * 12, "auth_password_blank"), ("\t \u3000\u200b" * 4, "auth_password_blank"),
    (" a  b  c  d  e ", "auth_password_blank"),
    ("1234567890", "auth_password_common"), ("password123", "auth_password_common"),
    ("qwertyuiop", "auth_password_common"), ("P@ssw0rd2020", "auth_password_common"),
    ("woaini1314", "auth_password_common"), ("8888888888", "auth_password_common"),
    ("1qaz2wsx3edc", "auth_password_common"),
    ("zhangwei2020", "auth_password_common"),  # the account's own name and a year
    ("x" * 1025, "auth_password_long")])
def test_blank_common_and_guessable_passwords_are_refused_for_every_account(engine, boss, cli, password, key):
    """By the library and the command line alike (the page: below), for a new account and a new password."""
    code, _, err = cli("user", "add", "zhangwei", "--role", "admin", "--password-stdin", stdin=password + "\n")
    assert code == 1 and t(key, "zh", min=10, max=1024) in err
    with pytest.raises(AccountError) as caught:
        auth.add_user(SYSTEM, engine, "zhangwei", "admin", password)
    assert caught.value.key == key
    auth.add_user(SYSTEM, engine, "zhangwei", "admin", GOOD)
    for acting in (boss, User("zhangwei", "admin")):  # an admin for another, or oneself
        with pytest.raises(AccountError) as caught:
            auth.set_password(acting, engine, "zhangwei", password)
        assert caught.value.key == key
    code, _, err = cli("user", "passwd", "zhangwei", "--password-stdin", stdin=password + "\n")
    assert code == 1 and t(key, "zh", min=10, max=1024) in err
    assert auth.authenticate(engine, "zhangwei", GOOD, now=T0).name == "zhangwei"  # the old password holds


@pytest.mark.parametrize("name,key", [("", "auth_name_invalid"), ("li si", "auth_name_invalid"),
                                      ("a\x00b", "auth_name_invalid"), ("x" * 65, "auth_name_invalid"),
                                      ("System", "auth_name_reserved"), ("boss", "auth_name_taken"),
                                      (" boss ", "auth_name_taken")])
def test_bad_names_are_refused(engine, boss, name, key):
    with pytest.raises(AccountError) as caught:
        auth.add_user(SYSTEM, engine, name, "staff", GOOD)
    assert caught.value.key == key


def test_unknown_role_is_refused(engine, boss):
    with pytest.raises(AccountError, match="未知角色"):
        auth.add_user(SYSTEM, engine, "li", "root", GOOD)
    with pytest.raises(AccountError):
        auth.set_role(SYSTEM, engine, "boss", "root")


def test_outdated_hash_is_rehashed_on_login(engine, boss, monkeypatch):
    old = stored(engine, "boss").password_hash
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    auth.authenticate(engine, "boss", GOOD, now=T0)
    new = stored(engine, "boss").password_hash
    assert new != old and "m=2048,t=2,p=1" in new
    auth.authenticate(engine, "boss", GOOD, now=T0)
    assert stored(engine, "boss").password_hash == new  # up to date: left alone


# --- logging in -------------------------------------------------------------------------------


def test_wrong_password_and_unknown_user_get_the_same_message(engine, boss, monkeypatch):
    calls = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda h, p: calls.append(h) or real(h, p))
    wrong = refused(engine, "boss", "not the password", T0)
    unknown = refused(engine, "nobody", "not the password", T0)
    assert wrong.message("zh") == unknown.message("zh") == "用户名或密码错误。"
    assert wrong.message("en") == unknown.message("en")
    assert str(unknown) == "用户名或密码错误。"
    assert len(calls) == 2 and calls[1].startswith("$argon2id$")  # the unknown name was verified too
    assert unknown.wait_seconds == 0


def test_throttling_doubles_the_lock_and_success_resets(engine, boss, monkeypatch):
    def at(seconds):
        return T0 + timedelta(seconds=seconds)

    for _ in range(2):
        assert refused(engine, "boss", "wrong", at(0)).wait_seconds == 0
    third = refused(engine, "boss", "wrong", at(0))
    assert third.key == "auth_bad_credentials" and third.wait_seconds == 1

    checks = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda h, p: checks.append(p) or real(h, p))
    locked = refused(engine, "boss", GOOD, at(0.5))  # even the right password
    assert locked.key == "auth_locked" and locked.wait_seconds == 1
    assert "1 秒后再试" in locked.message("zh")
    assert checks == []  # refused without looking at the password, and not counted:
    assert refused(engine, "boss", "wrong", at(1)).wait_seconds == 2  # 4th failure: 2 s
    assert refused(engine, "boss", GOOD, at(2.9)).key == "auth_locked"
    assert refused(engine, "boss", "wrong", at(3)).wait_seconds == 4  # 5th failure: 4 s
    assert refused(engine, "boss", GOOD, at(6)).wait_seconds == 1

    assert auth.authenticate(engine, "boss", GOOD, now=at(7)) == User("boss", "admin")
    assert refused(engine, "boss", "wrong", at(7)).wait_seconds == 0  # counting starts again


def test_lock_grows_to_five_minutes_at_most():
    assert [throttle.PAIR.lock_seconds(n) for n in range(1, 8)] == [0, 0, 1, 2, 4, 8, 16]
    assert throttle.PAIR.lock_seconds(12) == throttle.PAIR.lock_seconds(10_000) == 300


class CountingHasher(PasswordHasher):
    """A cheap argon2 hasher that counts the passwords it verifies (thread-safe)."""

    def __init__(self):
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified = 0
        self._lock = threading.Lock()

    def verify(self, hash, password):  # noqa: A002 - argon2's own parameter name
        with self._lock:
            self.verified += 1
        return super().verify(hash, password)


def test_forty_parallel_wrong_passwords_are_not_all_checked(tiny_store, monkeypatch):
    """Issue #17 item 6: a try is counted before its password is checked, under a lock; 3 are checked, not 40."""
    engine = tiny_store
    auth.add_user(SYSTEM, engine, "wall", "viewer", GOOD)
    hasher = CountingHasher()
    monkeypatch.setattr(auth, "HASHER", hasher)
    keys: list[str] = []
    barrier = threading.Barrier(40)

    def guess(i: int) -> None:
        barrier.wait()
        with pytest.raises(LoginRefused) as caught:
            auth.authenticate(engine, "wall", f"guess {i}", now=T0, address="10.9.9.9")
        keys.append(caught.value.key)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert hasher.verified == 3
    assert sorted(keys) == ["auth_bad_credentials"] * 3 + ["auth_locked"] * 37
    # unknown names the same, in parallel too: the lock and its message do not tell them apart
    hasher.verified = 0
    unknown: list[str] = []
    barrier = threading.Barrier(40)

    def guess_name(i: int) -> None:
        barrier.wait()
        with pytest.raises(LoginRefused) as caught:
            auth.authenticate(engine, "nobody", f"guess {i}", now=T0, address="10.9.9.8")
        unknown.append(caught.value.message("zh"))

    threads = [threading.Thread(target=guess_name, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert hasher.verified == 3
    assert sorted(unknown) == ["用户名或密码错误。"] * 3 + [t("auth_locked", "zh", seconds=1)] * 37


def test_unknown_names_are_locked_like_known_ones(engine, boss):
    """The same answers, try by try, for a real name and a made-up one: names cannot be found by trying."""
    def answers(name: str) -> list[tuple[str, int]]:
        found = []
        for second in (0, 0, 0, 0.5, 1, 2):
            caught = refused(engine, name, "wrong", T0 + timedelta(seconds=second))
            found.append((caught.message("zh"), caught.wait_seconds))
        return found

    assert answers("boss") == answers("nobody")


def test_a_slow_guesser_does_not_lock_the_account_for_everybody(engine, boss):
    """One wrong password every 300 s from one address locks that address out, never the account's owner."""
    for attempt in range(48):  # four hours of one try every five minutes
        refused(engine, "boss", "wrong", T0 + timedelta(seconds=300 * attempt), address="10.6.6.6")
    later = T0 + timedelta(seconds=300 * 47 + 290)
    assert refused(engine, "boss", GOOD, later, address="10.6.6.6").key == "auth_locked"  # the guesser waits 5 min
    assert auth.authenticate(engine, "boss", GOOD, now=later, address="10.1.1.1") == User("boss", "admin")


def test_one_address_trying_many_names_is_stopped_and_many_addresses_lock_the_name(engine, boss):
    names = [f"user{i}" for i in range(10)]
    for name in names:  # 10 names, one try each: the address's tenth failure locks it
        refused(engine, name, "wrong", T0, address="10.7.7.7")
    assert refused(engine, "boss", GOOD, T0, address="10.7.7.7").key == "auth_locked"
    assert auth.authenticate(engine, "boss", GOOD, now=T0, address="10.1.1.1") == User("boss", "admin")
    # a guess spread over 20 addresses locks the name for everybody, until an admin unlocks it
    for i in range(20):
        refused(engine, "boss", "wrong", T0, address=f"10.8.0.{i}")
    assert refused(engine, "boss", GOOD, T0, address="10.1.1.1").key == "auth_locked"
    auth.unlock(SYSTEM, engine, "boss")
    assert auth.authenticate(engine, "boss", GOOD, now=T0, address="10.1.1.1") == User("boss", "admin")
    with pytest.raises(PermissionDenied):
        auth.unlock(User("li", "staff"), engine, "boss")


def test_aware_times_are_taken_in_utc(engine, boss):
    beijing = timezone(timedelta(hours=8))
    auth.authenticate(engine, "boss", GOOD, now=datetime(2020, 2, 25, 16, 0, tzinfo=beijing))
    assert stored(engine, "boss").last_login == T0


def test_disabled_user_is_refused_and_enabling_restores(engine, boss):
    auth.add_user(SYSTEM, engine, "li", "staff", GOOD)
    auth.set_disabled(boss, engine, "li", True)
    assert refused(engine, "li", GOOD, T0).key == "auth_disabled"
    assert refused(engine, "li", "wrong", T0).key == "auth_bad_credentials"  # no hint without the password
    assert auth.find_user(engine, "li") is None
    auth.set_disabled(boss, engine, "li", False)
    assert auth.authenticate(engine, "li", GOOD, now=T0) == User("li", "staff")


def test_set_password_changes_login_and_unlocks(engine, boss):
    auth.add_user(SYSTEM, engine, "li", "staff", GOOD)
    for _ in range(3):
        refused(engine, "li", "wrong", T0)
    auth.set_password(boss, engine, "li", "a new password")
    assert auth.authenticate(engine, "li", "a new password", now=T0) == User("li", "staff")
    assert refused(engine, "li", GOOD, T0).key == "auth_bad_credentials"


# --- roles ------------------------------------------------------------------------------------

MATRIX = {
    "viewer": {"view"},
    "officer": {"view", "report_daily"},  # a grid officer: today's state of its places, no upload, no history
    "unit": {"view", "fix_problems"},  # a property company, a contractor: fixes its problems, closes none
    "staff": {"view", "upload", "history", "undo_own", "task_sheets",  # undo_own: their own latest import only
              "handle_problems", "inspect", "report_daily", "fix_problems"},
    "admin": {"view", "upload", "history", "undo_own", "rollback", "manage_users", "task_sheets", "handle_problems",
              "inspect", "edit_checklists", "report_daily", "fix_problems"},
}


@pytest.mark.parametrize("role", auth.ROLES)
@pytest.mark.parametrize("action", sorted(auth.ACTIONS))
def test_a_scoped_account_of_any_role_may_only_view_and_report_its_places(role, action):
    user = User("x", role, auth.Scope.parse("zone:Z1"))
    expected = action == "view" or (action == "report_daily" and role in ("officer", "staff", "admin")) or (
        action == "fix_problems" and role in ("unit", "staff", "admin"))  # its own places (test_report, test_pages_tasks)
    assert auth.can(user, action) is expected
    if not expected:
        with pytest.raises(PermissionDenied):
            auth.require(user, action)


@pytest.mark.parametrize("role", auth.ROLES)
@pytest.mark.parametrize("action", sorted(auth.ACTIONS))
def test_roles_matrix(role, action):
    user = User("x", role)
    expected = action in MATRIX[role]
    assert auth.can(user, action) is expected
    assert auth.can(user, action, require_login=True) is expected
    if expected:
        auth.require(user, action)
    else:
        with pytest.raises(PermissionDenied) as caught:
            auth.require(user, action)
        assert isinstance(caught.value, PermissionError)
        assert caught.value.message("zh").startswith(f"您的角色（{t('auth_role_' + role, 'zh')}）无权")


@pytest.mark.parametrize("action", sorted(auth.ACTIONS))
def test_logged_out_may_only_view_and_only_without_require_login(action):
    assert auth.can(None, action) is (action == "view")
    assert auth.can(None, action, require_login=True) is False
    with pytest.raises(PermissionDenied) as caught:
        auth.require(None, action, require_login=True)
    assert caught.value.message("zh").startswith("请先登录")
    assert caught.value.message("en").startswith("Please log in")


def test_denied_message_names_the_action_in_both_languages():
    with pytest.raises(PermissionDenied) as caught:
        auth.require(User("li", "staff"), "rollback")
    assert caught.value.message("zh") == "您的角色（工作人员）无权回退版本。"
    assert caught.value.message("en") == "Your role (Staff) may not roll back a version."


def test_account_changes_check_the_acting_user(engine, boss):
    auth.add_user(boss, engine, "li", "staff", GOOD)
    staff = User("li", "staff")
    for change in (lambda who: auth.add_user(who, engine, "wang", "viewer", GOOD),
                   lambda who: auth.set_role(who, engine, "li", "admin"),
                   lambda who: auth.set_disabled(who, engine, "boss", True),
                   lambda who: auth.set_password(who, engine, "boss", "taken over!")):
        for who in (None, staff):
            with pytest.raises(PermissionDenied):
                change(who)
    assert stored(engine, "li").role == "staff"
    auth.set_password(staff, engine, "li", "my own new one")  # one's own password is allowed
    assert auth.authenticate(engine, "li", "my own new one", now=T0) == staff


def test_last_admin_cannot_be_demoted_or_disabled(engine, boss):
    assert enabled_admins(engine) == 1
    with pytest.raises(AccountError) as caught:
        auth.set_role(boss, engine, "boss", "staff")
    assert caught.value.message("zh") == "不能停用或降级最后一个管理员。"
    with pytest.raises(AccountError):
        auth.set_disabled(boss, engine, "boss", True)

    auth.add_user(boss, engine, "deputy", "admin", GOOD)
    assert enabled_admins(engine) == 2
    auth.set_disabled(boss, engine, "deputy", True)  # two admins: one may go
    assert enabled_admins(engine) == 1
    with pytest.raises(AccountError):
        auth.set_role(boss, engine, "boss", "viewer")  # the disabled one does not count
    auth.set_role(boss, engine, "deputy", "staff")  # a disabled admin may be demoted
    auth.set_role(boss, engine, "deputy", "admin")
    auth.set_disabled(boss, engine, "deputy", False)
    auth.set_role(boss, engine, "boss", "staff")
    assert enabled_admins(engine) == 1 and stored(engine, "boss").role == "staff"


def test_two_admins_demoting_each_other_at_once_leave_one_admin(engine, boss):
    """The check and the change are one locked transaction: the second waits and then sees the first."""
    deputy = User("deputy", "admin")
    auth.add_user(boss, engine, "deputy", "admin", GOOD)
    for attempt in range(6):
        start, outcomes = threading.Barrier(2), []

        def change(acting, name):
            start.wait()
            try:
                if attempt % 2:
                    auth.set_disabled(acting, engine, name, True)
                else:
                    auth.set_role(acting, engine, name, "staff")
                outcomes.append("done")
            except AccountError as error:
                outcomes.append(error.key)

        threads = [threading.Thread(target=change, args=(boss, "deputy")),
                   threading.Thread(target=change, args=(deputy, "boss"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert enabled_admins(engine) == 1, f"attempt {attempt}: {outcomes}"
        assert sorted(outcomes) == ["auth_last_admin", "done"]
        with engine.begin() as conn:  # both admins again for the next attempt
            conn.execute(users.update().values(role="admin", disabled=False))


def test_changes_to_unknown_users_are_refused(engine, boss):
    for change in (lambda: auth.set_role(boss, engine, "ghost", "staff"),
                   lambda: auth.set_disabled(boss, engine, "ghost", True),
                   lambda: auth.set_password(boss, engine, "ghost", GOOD)):
        with pytest.raises(AccountError, match="ghost"):
            change()


# --- sessions ---------------------------------------------------------------------------------


def test_session_expires_after_idle_minutes_and_touching_extends_it():
    session = auth.start_session(User("li", "staff"), now=T0)
    assert session == Session(User("li", "staff"), T0, T0)
    assert not session.expired(T0 + timedelta(minutes=480), minutes=480)
    assert session.expired(T0 + timedelta(minutes=481), minutes=480)
    later = session.touched(T0 + timedelta(minutes=400))
    assert later.started_at == T0 and later.last_seen == T0 + timedelta(minutes=400)
    assert not later.expired(T0 + timedelta(minutes=481), minutes=480)
    assert session.last_seen == T0  # frozen: touching returns a new session


# --- command line -----------------------------------------------------------------------------


@pytest.fixture
def cli(url, monkeypatch, capsys):
    monkeypatch.setenv("CMDMAP_DATABASE_URL", url)
    parser = argparse.ArgumentParser(prog="python -m geo")
    cli_user.register(parser.add_subparsers(dest="command", required=True))

    def run(*argv, stdin=""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        args = parser.parse_args(list(argv))
        code = args.func(args)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_cli_add_and_list(cli, engine):
    code, out, _ = cli("user", "add", "boss", "--role", "admin", "--password-stdin", stdin=GOOD + "\n")
    assert code == 0 and out.startswith("已添加用户 boss（管理员）。")
    code, _, _ = cli("user", "add", "li", "--role", "工作人员", "--password-stdin", stdin="pass-word-1\n")
    assert code == 0
    code, out, _ = cli("user", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("用户名")
    assert lines[1].split("\t")[:4] == ["boss", "管理员/admin", "全市/whole city", "启用/active"]
    assert lines[2].split("\t")[:2] == ["li", "工作人员/staff"] and lines[2].endswith("从未/never")
    assert auth.authenticate(engine, "li", "pass-word-1") == User("li", "staff")
    assert stored(engine, "li").password_hash.startswith("$argon2id$")


def test_cli_refusals_exit_1(cli, engine):
    code, _, err = cli("user", "add", "li", "--role", "staff", "--password-stdin", stdin="short\n")
    assert code == 1 and "密码太短" in err
    code, _, err = cli("user", "add", "li", "--role", "boss", "--password-stdin", stdin=GOOD + "\n")
    assert code == 1 and "未知角色" in err
    cli("user", "add", "boss", "--role", "admin", "--password-stdin", stdin=GOOD + "\n")
    code, _, err = cli("user", "disable", "boss")
    assert code == 1 and "最后一个管理员" in err
    code, _, err = cli("user", "role", "boss", "viewer")
    assert code == 1
    code, _, err = cli("user", "passwd", "ghost", "--password-stdin", stdin=GOOD + "\n")
    assert code == 1 and "ghost" in err
    assert auth.list_users(engine)[0].role == "admin"


def test_a_password_typed_once_where_there_is_no_terminal_is_refused_in_plain_words(cli, engine):
    """A script piping one line without --password-stdin: getpass reads standard input, which ends before the
    password is asked again. It stopped on an 'unexpected error' with a file of traceback for the administrator."""
    with pytest.warns(getpass.GetPassWarning):  # no terminal: getpass says it may echo
        code, _, err = cli("user", "add", "li", "--role", "staff", stdin="tulip-harbor-2020\n")
    assert code == 1 and "没有读到密码" in err and "--password-stdin" in err and "Traceback" not in err
    assert auth.list_users(engine) == []


def test_cli_passwd_role_disable_enable(cli, engine, monkeypatch):
    cli("user", "add", "boss", "--role", "admin", "--password-stdin", stdin=GOOD + "\n")
    typed = iter(["first password", "first password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    assert cli("user", "add", "li", "--role", "viewer")[0] == 0
    typed = iter(["one password", "another one!"])
    code, _, err = cli("user", "passwd", "li")
    assert code == 1 and "两次输入的密码不一致" in err
    assert cli("user", "passwd", "li", "--password-stdin", stdin="second password\n")[0] == 0
    assert auth.authenticate(engine, "li", "second password") == User("li", "viewer")
    assert cli("user", "role", "li", "staff")[0] == 0
    assert cli("user", "disable", "li")[:2] == (0, "已停用 li。 / Disabled li.\n")
    assert auth.find_user(engine, "li") is None
    assert cli("user", "enable", "li")[0] == 0
    assert auth.find_user(engine, "li") == User("li", "staff")


# --- the users page ---------------------------------------------------------------------------


@pytest.fixture
def page(tiny_dir, url, monkeypatch):
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")
    monkeypatch.setenv("CMDMAP_DATABASE_URL", url)

    def open_users(session: Session | None = None, direct: bool = False, **query):
        """The users page through app.py (as a browser opens /users), or run alone (``direct``)."""
        at = AppTest.from_file(USERS_PAGE if direct else APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        if session is not None:
            at.session_state["auth_session"] = session  # how ui/auth.py keeps a login
        if not direct:
            at.switch_page("pages/users.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_users


def shows_accounts(at) -> bool:
    """Whether anything of the users page is on screen: its title, table or forms."""
    return (any(title.value in ("账户管理", "Accounts") for title in at.title)
            or any(df.value.columns[0] == "用户名" for df in at.dataframe)
            or any(widget.key == "auth_add_name" for widget in at.text_input))


def test_the_accounts_page_refuses_a_common_password_and_says_why(page, engine, boss):
    at = page(auth.start_session(boss), direct=True)
    assert at.text_input(key="auth_add_password").help == t("auth_password_rule", "zh", min=10)
    at.text_input(key="auth_add_name").input("li")
    at.text_input(key="auth_add_password").input("password123")
    at.text_input(key="auth_add_password2").input("password123")
    at.button(key="auth_add_submit").click().run()
    assert t("auth_password_common", "zh") in [e.value for e in at.error]
    assert "li" not in [a.name for a in auth.list_users(engine)]


def test_users_page_refuses_logged_out(page):
    assert not shows_accounts(page())  # app.py does not even offer the page
    at = page(direct=True)  # and the page refuses on its own
    assert at.warning[0].value == "请先登录，再管理账户。"
    assert not shows_accounts(at)


def test_users_page_refuses_viewer(page, engine, boss):
    auth.add_user(boss, engine, "kan", "viewer", GOOD)
    session = auth.start_session(User("kan", "viewer"))
    assert not shows_accounts(page(session))
    at = page(session, direct=True)
    assert at.warning[0].value == "您的角色（只读用户）无权管理账户。"
    assert not shows_accounts(at)


def test_users_page_uses_the_current_role_not_the_session_copy(page, engine, boss):
    auth.add_user(boss, engine, "deputy", "staff", GOOD)
    session = auth.start_session(User("deputy", "admin"))  # demoted since logging in
    assert not shows_accounts(page(session))
    at = page(session, direct=True)
    assert at.warning[0].value == "您的角色（工作人员）无权管理账户。" and not shows_accounts(at)


def test_users_page_expired_session_is_logged_out(page, engine, boss):
    session = auth.start_session(boss, now=auth.utc_now() - timedelta(minutes=481))
    at = page(session)
    assert not shows_accounts(at) and "auth_session" not in at.session_state
    at = page(session, direct=True)
    assert at.warning[0].value == "请先登录，再管理账户。"


def test_admin_adds_a_user(page, engine, boss):
    at = page(auth.start_session(boss))
    assert not at.warning
    assert at.dataframe[0].value["用户名"].tolist() == ["boss"]
    at.text_input(key="auth_add_name").input("li")
    at.selectbox(key="auth_add_role").set_value("staff")
    at.text_input(key="auth_add_password").input("li's tulip garden")
    at.text_input(key="auth_add_password2").input("li's tulip garden")
    at.button(key="auth_add_submit").click().run()
    assert not at.exception and not at.error
    assert "已添加用户 li（工作人员）" in at.success[0].value
    table = at.dataframe[0].value
    assert table["用户名"].tolist() == ["boss", "li"] and table["角色"].tolist() == ["管理员", "工作人员"]
    assert auth.authenticate(engine, "li", "li's tulip garden") == User("li", "staff")


def test_admin_sees_refusals_and_changes_roles(page, engine, boss):
    at = page(auth.start_session(boss))
    at.text_input(key="auth_add_name").input("li")
    at.text_input(key="auth_add_password").input("short")
    at.text_input(key="auth_add_password2").input("short")
    at.button(key="auth_add_submit").click().run()
    assert at.error[0].value.startswith("密码太短")
    assert at.session_state["auth_add_password"] == "" and at.session_state["auth_add_name"] == "li"
    at.selectbox(key="auth_role_user").set_value("boss")
    at.selectbox(key="auth_role_new").set_value("viewer")
    at.button(key="auth_role_submit").click().run()
    assert at.error[0].value == "不能停用或降级最后一个管理员。"
    assert [(a.name, a.role) for a in auth.list_users(engine)] == [("boss", "admin")]


def test_admin_resets_password_disables_and_enables(page, engine, boss):
    auth.add_user(boss, engine, "li", "viewer", GOOD)
    at = page(auth.start_session(boss))
    at.selectbox(key="auth_passwd_user").set_value("li")
    at.text_input(key="auth_passwd_new").input("a fresh password")
    at.text_input(key="auth_passwd_new2").input("a different one")
    at.button(key="auth_passwd_submit").click().run()
    assert at.error[0].value == "两次输入的密码不一致。"
    at.selectbox(key="auth_passwd_user").set_value("li")
    at.text_input(key="auth_passwd_new").input("a fresh password")
    at.text_input(key="auth_passwd_new2").input("a fresh password")
    at.button(key="auth_passwd_submit").click().run()
    assert at.success[0].value == "已为 li 设置新密码。"
    assert at.session_state["auth_passwd_new"] == ""  # not kept in the session
    assert auth.authenticate(engine, "li", "a fresh password") == User("li", "viewer")

    at.selectbox(key="auth_status_user").set_value("li")
    at.button(key="auth_disable_submit").click().run()
    assert at.success[0].value == "已停用 li。" and at.dataframe[0].value["已停用"].tolist() == [False, True]
    at.selectbox(key="auth_status_user").set_value("li")
    at.button(key="auth_enable_submit").click().run()
    assert at.success[0].value == "已启用 li。" and auth.find_user(engine, "li") == User("li", "viewer")


def test_users_page_in_english(page, engine, boss):
    at = page(auth.start_session(boss), lang="en")
    assert at.title[0].value == "Accounts"
    assert at.dataframe[0].value.columns.tolist() == ["User name", "Role", "Area", "Phone", "Disabled", "Created",
                                                      "Last login", "Login locked (seconds left)"]
    assert at.dataframe[0].value["Area"].tolist() == ["whole city"]
    assert at.dataframe[0].value["Role"].tolist() == ["Administrator"]


def test_admin_unlocks_a_name_and_creates_and_revokes_a_wall_display(page, engine, boss):
    auth.add_user(SYSTEM, engine, "li", "viewer", GOOD)
    start = auth.utc_now()
    for second in (0, 0, 0, 1, 3, 7, 15, 31):  # each try as its lock ends: the eighth locks li for 32 s
        refused(engine, "li", "wrong", start + timedelta(seconds=second), address="10.2.2.2")
    at = page(auth.start_session(boss))
    assert at.dataframe[0].value.set_index("用户名").loc["li", "登录锁定（剩余秒数）"] > 0
    at.selectbox(key="auth_unlock_user").set_value("li")
    at.button(key="auth_unlock_submit").click().run()
    assert at.success[0].value == "已解除 li 的登录锁定（所有地址）。"
    assert at.dataframe[0].value.set_index("用户名").loc["li", "登录锁定（剩余秒数）"] == 0
    assert auth.authenticate(engine, "li", GOOD, address="10.2.2.2") == User("li", "viewer")

    at.text_input(key="display_add_label").input("指挥大厅")
    at.button(key="display_add_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    address = at.code[0].value
    token = address.split("display=", 1)[1]
    assert address.startswith("/wall?kiosk=1&display=") and find_display(engine, token).label == "指挥大厅"
    assert token not in repr(at.session_state)  # shown once, not kept
    at.run()
    assert not at.code  # gone on the next draw
    at.selectbox(key="display_revoke_label").set_value("指挥大厅")
    at.button(key="display_revoke_submit").click().run()
    assert at.success[0].value.startswith("已撤销大屏“指挥大厅”的授权") and find_display(engine, token) is None


def test_cli_unlocks_and_manages_wall_displays(cli, engine, boss):
    for _ in range(3):
        refused(engine, "boss", "wrong", T0 + timedelta(days=3650), address="10.3.3.3")
    assert cli("user", "unlock", "boss")[:2] == (0, "已解除 boss 的登录锁定（所有地址）。 / Logins of boss unlocked "
                                                "(from every address).\n")
    assert cli("user", "unlock", "nobody")[0] == 1
    code, out, _ = cli("user", "display", "add", "指挥大厅")
    token = out.split("display=", 1)[1].split()[0]
    assert code == 0 and find_display(engine, token).label == "指挥大厅"
    with engine.connect() as conn:  # only its hash is stored
        assert token not in repr(conn.execute(select(display_tokens)).all())
    assert cli("user", "display", "add", "指挥大厅")[0] == 1  # the name is taken
    code, out, _ = cli("user", "display", "list")
    assert code == 0 and "指挥大厅\t" in out and "system" in out and token not in out
    assert cli("user", "display", "revoke", "指挥大厅")[0] == 0 and find_display(engine, token) is None
    assert cli("user", "display", "revoke", "指挥大厅")[0] == 1


# --- login, logout and the gate (ui/auth.py) --------------------------------------------------


def login_script():
    import streamlit as st

    from ui.login import current_user, gate, login_sidebar

    login_sidebar()
    gate()
    st.write(f"content for {current_user()}")


@pytest.fixture
def login_app(url, monkeypatch, tmp_path):
    monkeypatch.setenv("CMDMAP_DATABASE_URL", url)
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tmp_path / "no-data"))  # logins only: no city to read in the run

    def open_app(**state):
        at = AppTest.from_function(login_script, default_timeout=30)
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_app


def sidebar_login(at, name, password, form="auth_login_sidebar"):
    at.text_input(key=f"{form}_name").input(name)
    at.text_input(key=f"{form}_password").input(password)
    at.button(key=f"{form}_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_sidebar_login_and_logout(login_app, engine, boss):
    at = login_app()
    assert at.main.markdown[-1].value == "content for None"  # require_login off: anyone views
    sidebar_login(at, "boss", GOOD)
    assert at.session_state["auth_session"].user == boss
    assert "已登录：boss（管理员）" in at.sidebar.markdown[0].value.replace("\\", "")
    assert at.main.markdown[-1].value == f"content for {boss}"
    assert not any(w.key == "auth_login_sidebar_password" for w in at.text_input)  # form gone
    at.button(key="auth_logout").click().run()
    assert "auth_session" not in at.session_state
    assert at.main.markdown[-1].value == "content for None"


def test_sidebar_login_error_in_the_current_language(login_app, engine, boss):
    at = login_app(lang="en")
    sidebar_login(at, "boss", "wrong password")
    assert at.error[0].value == "Wrong user name or password."
    assert "auth_session" not in at.session_state
    assert at.text_input(key="auth_login_sidebar_password").value == ""  # not kept after submit


def test_gate_requires_login_when_the_setting_says_so(login_app, engine, boss, monkeypatch):
    monkeypatch.setenv("CMDMAP_REQUIRE_LOGIN", "true")
    at = login_app()
    assert not any("content for" in m.value for m in at.main.markdown)  # stopped
    assert not at.sidebar.text_input  # one login form only: the gate's
    sidebar_login(at, "boss", GOOD, form="auth_login_main")
    assert at.main.markdown[-1].value == f"content for {boss}"


def test_disabled_account_is_logged_out_at_once(login_app, engine, boss):
    auth.add_user(boss, engine, "li", "staff", GOOD)
    at = login_app(auth_session=auth.start_session(User("li", "staff")))
    assert at.main.markdown[-1].value == "content for User(name='li', role='staff', scope=None)"
    auth.set_disabled(boss, engine, "li", True)
    at.run()
    assert at.main.markdown[-1].value == "content for None" and "auth_session" not in at.session_state


def test_expired_session_says_so_on_the_login_form(login_app, engine, boss, monkeypatch):
    monkeypatch.setenv("CMDMAP_SESSION_MINUTES", "20")
    at = login_app(auth_session=auth.start_session(boss, now=auth.utc_now() - timedelta(minutes=21)))
    assert at.main.markdown[-1].value == "content for None"
    assert at.info[0].value == "登录已超时，请重新登录。"
    sidebar_login(at, "boss", GOOD)
    assert at.main.markdown[-1].value == f"content for {boss}" and not at.info


# --- the wall: a timed refresh, an expired login, a display token (ui/login.py, pages/wall.py, app.py) --------


@pytest.fixture
def wall(tiny_dir, url, monkeypatch):
    """The wall through app.py (as /wall?kiosk=1 opens it), with login required."""
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")
    monkeypatch.setenv("CMDMAP_DATABASE_URL", url)
    monkeypatch.setenv("CMDMAP_REQUIRE_LOGIN", "true")

    def open_wall(session: Session | None = None, **query):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in {"kiosk": "1", **query}.items():
            at.query_params[key] = value
        if session is not None:
            at.session_state["auth_session"] = session
        at.switch_page("pages/wall.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_wall


def wall_drawn(at) -> bool:
    return any("wall-tile" in m.value for m in at.markdown)


def test_an_expired_login_on_the_wall_shows_the_login_form_and_no_data(wall, engine, boss):
    assert wall_drawn(wall(auth.start_session(boss)))
    at = wall(auth.start_session(boss, now=auth.utc_now() - timedelta(days=1)))  # idle past session_minutes
    assert not wall_drawn(at) and "登录已超时，请重新登录。" in [info.value for info in at.info]
    assert at.text_input(key="auth_login_main_name")


def test_a_display_token_shows_the_wall_and_no_other_page(wall, engine, boss):
    token = add_display(SYSTEM, engine, "指挥大厅")
    at = wall(display=token)
    assert wall_drawn(at) and not at.text_input
    with pytest.raises(ValueError, match=r"Known pages: \['[^']*pages/wall.py'\]"):  # the one page it has
        at.switch_page("pages/upload.py")
    assert not wall_drawn(wall(display="x" * 43))  # a made-up token is none
    revoke_display(SYSTEM, engine, "指挥大厅")
    at.run()
    assert not wall_drawn(at) and at.error[0].value.startswith("此大屏地址的授权无效或已被撤销")
    at = wall()
    assert not wall_drawn(at) and at.text_input(key="auth_login_main_name")


def test_a_kept_login_is_taken_up_by_a_new_session_of_its_browser_only(engine, boss):
    """A reload keeps the login (issue #18): kept per browser key, for as long as it is used, until a logout."""
    browser, other, start = "a" * 64, "b" * 64, datetime(2026, 12, 4, 8, 0)
    keep_login(engine, browser, "boss", start)
    assert kept_login(engine, browser, 30, start + timedelta(minutes=29)).name == "boss"
    assert kept_login(engine, other, 30, start) is None  # another browser has no login
    keep_login(engine, other, "boss", start)  # the same account in two browsers: two logins
    drop_login(engine, other)  # a logout in one of them
    assert kept_login(engine, other, 30, start) is None and kept_login(engine, browser, 30, start).name == "boss"
    keep_login(engine, browser, "clerk", start + timedelta(minutes=5))  # another account logs in in that browser
    assert kept_login(engine, browser, 30, start + timedelta(minutes=6)).name == "clerk"
    assert kept_login(engine, browser, 30, start + timedelta(minutes=36)) is None  # idle too long: gone for good
    assert kept_login(engine, browser, 600, start + timedelta(minutes=36)) is None


def test_a_deep_link_to_the_wall_in_kiosk_mode_lands_there_after_the_login(wall, engine, boss):
    """Issue #18, item 2: ``/wall?kiosk=1`` opened where a login is required landed, after the login, on the
    overview with no menu. The login form first, nothing of the wall; after it, the wall in kiosk mode."""
    at = wall()
    assert not wall_drawn(at) and at.text_input(key="auth_login_main_name")
    sidebar_login(at, "boss", GOOD, form="auth_login_main")
    assert wall_drawn(at) and at.query_params["kiosk"] == "1"
    maps = [json.loads(e.proto.json_args) for e in at.get("component_instance")
            if e.proto.component_name == "streamlit_folium.st_folium"]
    assert len(maps) == 1 and '"zoomControl": false' in maps[0]["script"]  # the kiosk's map: nothing to press
    assert not any(m.label == "全封闭小区" for m in at.metric)  # not the overview's tiles


def test_good_logins_from_one_address_never_lock_it_and_its_failures_still_count(engine, boss):
    """Thirty officers logging in from one shared address (a command post, a carrier, a proxy) within a minute:
    none waits; ten wrong passwords from that address still lock it (bench/load.py --officers found the
    eleventh good login locked out when good logins counted on the address like failures)."""
    for n in range(30):
        auth.add_user(SYSTEM, engine, f"wg-{n}", "officer", GOOD)
        assert auth.authenticate(engine, f"wg-{n}", GOOD, now=T0 + timedelta(seconds=n), address="10.4.4.4").name \
            == f"wg-{n}"
    for n in range(10):
        refused(engine, f"wg-{n}", "wrong", T0 + timedelta(seconds=40), address="10.4.4.4")
    assert refused(engine, "boss", GOOD, T0 + timedelta(seconds=40), address="10.4.4.4").key == "auth_locked"
