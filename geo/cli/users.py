"""Command line for accounts: ``python -m geo user add|list|passwd|role|scope|disable|enable|unlock|display``.

The command line acts as :data:`geo.accounts.auth.SYSTEM` (whoever can run it on the
server is trusted as an admin), so this is how the first admin is created::

    python -m geo user add zhangwei --role admin

``user scope NAME "zone:Z1,Z2"`` limits an account to an area (``district:咸安区``, ``street:温泉街道``,
``zone:…``, ``places:…``; ``""`` gives it the whole city again): names the city does not have are refused.

``user officers`` creates a grid officer (网格员) for each zone of the city, scoped to its zone and named
after it in lower case (the demo city's ``xa-z01``), and prints their first passwords once; a zone whose officer
exists already is left as it is.

``user unlock NAME`` ends every login lock of a name (from every address). ``user display
add|list|revoke NAME`` manages the wall displays' tokens (:mod:`geo.accounts.displays`): ``add``
prints the wall's address with its token, once.

Passwords are asked twice without echo, or read once from standard input with
``--password-stdin`` (for scripts). Messages are printed in Chinese, then
English. Exit codes: 0 done, 1 refused or invalid.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from geo.accounts import Scope, ScopeRefused, add_zone_officers, auth, describe, displays, officer_name, unknown_values
from geo.domain import Text, listing, t
from geo.settings import load
from geo.store import connect, current, load_store
from geo.upload import open_city


def register(subparsers) -> None:
    """Add the ``user`` command and its subcommands to an argparse ``subparsers`` object.

    Each subcommand sets ``func``, which takes the parsed arguments and returns the exit code.
    """
    user = subparsers.add_parser("user", help="accounts: add, list, passwd, role, disable, enable, unlock, display")
    sub = user.add_subparsers(dest="user_command", required=True)

    add = sub.add_parser("add", help="add an account (password asked twice, or --password-stdin)")
    add.add_argument("name")
    add.add_argument("--role", required=True, help="viewer, staff or admin")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=add_account)

    sub.add_parser("list", help="list the accounts").set_defaults(func=list_accounts)

    passwd = sub.add_parser("passwd", help="set a new password (and unlock the account)")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    passwd.set_defaults(func=change_password)

    role = sub.add_parser("role", help="change the role of an account")
    role.add_argument("name")
    role.add_argument("role", help="viewer, staff or admin")
    role.set_defaults(func=change_role)

    scope = sub.add_parser("scope", help='limit an account to an area: "district:NAME", "street:NAME", '
                                         '"zone:Z1,Z2" or "places:ID,ID"; "" for the whole city')
    scope.add_argument("name")
    scope.add_argument("scope")
    scope.set_defaults(func=change_scope)
    phone = sub.add_parser("phone", help='keep an account\'s phone (a grid officer\'s: in the call list of places '
                                         'not reported); "" removes it')
    phone.add_argument("name")
    phone.add_argument("phone")
    phone.set_defaults(func=change_phone)

    for command, disabled in (("disable", True), ("enable", False)):
        parser = sub.add_parser(command, help=f"{command} an account")
        parser.add_argument("name")
        parser.set_defaults(func=change_disabled, disabled=disabled)

    unlock = sub.add_parser("unlock", help="end the login locks of an account, from every address")
    unlock.add_argument("name")
    unlock.set_defaults(func=unlock_account)

    officers = sub.add_parser("officers", help="a grid officer per zone, scoped to it (first passwords printed once)")
    officers.set_defaults(func=add_officers)

    display = sub.add_parser("display", help="wall displays: add (prints the wall's address once), list, revoke")
    display_sub = display.add_subparsers(dest="display_command", required=True)
    add_display = display_sub.add_parser("add", help="a token for one screen to show the wall without a password")
    add_display.add_argument("label", help="the screen's name, e.g. 指挥大厅")
    add_display.set_defaults(func=add_display_token)
    display_sub.add_parser("list", help="list the displays").set_defaults(func=list_display_tokens)
    revoke = display_sub.add_parser("revoke", help="revoke a display's token (the screen stops at its next refresh)")
    revoke.add_argument("label")
    revoke.set_defaults(func=revoke_display_token)


def open_engine():
    """The engine of the ``database_url`` setting."""

    return connect(load().database_url)


def say(key: str, stream=None, **values) -> None:
    """Print the label ``key`` in Chinese, then in English."""
    print(t(key, **values).both(), file=stream or sys.stdout)


def refuse(error: auth.Refusal) -> int:
    """Print a refusal to standard error; return exit code 1."""
    print(error.text.both(), file=sys.stderr)
    return 1


def read_password(args: argparse.Namespace) -> str:
    """The password from standard input (``--password-stdin``) or typed twice; AccountError when they differ."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    try:
        first = getpass.getpass(f"{t('auth_password').both()}: ")
        second = getpass.getpass(f"{t('auth_password_again').both()}: ")
    except EOFError:  # no terminal, and standard input ended: a script that forgot --password-stdin
        raise auth.AccountError("auth_password_not_read") from None
    if first != second:
        raise auth.AccountError("auth_password_mismatch")
    return first


def parse_role(text: str) -> str:
    """A role code from a code or its Chinese or English label (``管理员`` → ``admin``)."""
    for role in auth.ROLES:
        label = auth.describe_role(role)
        if text.strip().casefold() in {role, label.zh, label.en.casefold()}:
            return role
    return text


def _role_and_code(role: str) -> Text:
    """The role's Chinese name, and in English the code that is typed on the command line."""
    return Text(auth.describe_role(role).zh, role)


def add_account(args: argparse.Namespace) -> int:
    engine = open_engine()
    try:
        role = parse_role(args.role)
        name = auth.check_name(args.name)
        auth.check_role(role)
        if name in {account.name for account in auth.list_users(engine)}:  # before asking the password
            raise auth.AccountError("auth_name_taken", name=name)
        user = auth.add_user(auth.SYSTEM, engine, name, role, read_password(args))
    except auth.Refusal as error:
        return refuse(error)
    print(t("auth_done_added", name=user.name, role=_role_and_code(role)).both())
    return 0


def list_accounts(args: argparse.Namespace) -> int:
    accounts = auth.list_users(open_engine())
    if not accounts:
        say("auth_no_users")
        return 0
    header = ("auth_col_name", "auth_col_role", "auth_col_scope", "auth_col_disabled", "auth_col_created",
              "auth_col_last_login")
    print("\t".join(t(key).both("/") for key in header))
    for account in accounts:
        state = "auth_state_disabled" if account.disabled else "auth_state_active"
        print("\t".join([
            account.name,
            _role_and_code(account.role).both("/"),
            account.scope or t("scope_whole_city").both("/"),
            t(state).both("/"),
            auth.format_time(account.created_at),
            auth.format_time(account.last_login) if account.last_login else t("auth_never").both("/"),
        ]))
    return 0


def change_password(args: argparse.Namespace) -> int:
    engine = open_engine()
    try:
        if args.name not in {account.name for account in auth.list_users(engine)}:
            raise auth.AccountError("auth_user_unknown", name=args.name)
        auth.set_password(auth.SYSTEM, engine, args.name, read_password(args))
    except auth.Refusal as error:
        return refuse(error)
    say("auth_done_password", name=args.name)
    return 0


def change_role(args: argparse.Namespace) -> int:
    role = parse_role(args.role)
    try:
        auth.set_role(auth.SYSTEM, open_engine(), args.name, role)
    except auth.Refusal as error:
        return refuse(error)
    print(t("auth_done_role", name=args.name, role=_role_and_code(role)).both())
    return 0


def change_scope(args: argparse.Namespace) -> int:
    """Set an account's area (the command line is the admin: it sees the whole city itself)."""
    engine = open_engine()
    try:
        scope = Scope.parse(args.scope)
    except ScopeRefused as refused:
        print(t(refused.key).both(), file=sys.stderr)
        return 1
    if scope is not None and (unknown := unknown_values(load_store(engine), scope)):
        print(t("scope_unknown_values", by=t(f"scope_by_{scope.by}"), values=listing(unknown)).both(), file=sys.stderr)
        return 1
    try:
        auth.set_scope(auth.SYSTEM, engine, args.name, scope)
    except auth.Refusal as error:
        return refuse(error)
    print(t("auth_done_scope", name=args.name, scope=describe(scope)).both())
    return 0


def change_phone(args: argparse.Namespace) -> int:
    """Keep an account's phone (checked: a mobile, or a landline with its area code)."""
    try:
        auth.set_phone(auth.SYSTEM, open_engine(), args.name, args.phone or None)
    except auth.Refusal as error:
        return refuse(error)
    print(t("auth_done_phone", name=args.name).both())
    return 0


def change_disabled(args: argparse.Namespace) -> int:
    try:
        auth.set_disabled(auth.SYSTEM, open_engine(), args.name, args.disabled)
    except auth.Refusal as error:
        return refuse(error)
    say("auth_done_disabled" if args.disabled else "auth_done_enabled", name=args.name)
    return 0


def unlock_account(args: argparse.Namespace) -> int:
    try:
        auth.unlock(auth.SYSTEM, open_engine(), args.name)
    except auth.Refusal as error:
        return refuse(error)
    say("auth_done_unlocked", name=args.name)
    return 0


def add_display_token(args: argparse.Namespace) -> int:
    try:
        token = displays.add_display(auth.SYSTEM, open_engine(), args.label)
    except auth.Refusal as error:
        return refuse(error)
    say("display_done_added", label=args.label.strip(), path=displays.wall_path(token))
    return 0


def list_display_tokens(args: argparse.Namespace) -> int:
    found = displays.list_displays(open_engine())
    if not found:
        say("display_none")
        return 0
    header = ("display_col_label", "display_col_created", "display_col_created_by", "display_col_last_used")
    print("\t".join(t(key).both("/") for key in header))
    for display in found:
        print("\t".join([display.label, auth.format_time(display.created_at), display.created_by,
                         auth.format_time(display.last_used) or t("auth_never").both("/")]))
    return 0


def revoke_display_token(args: argparse.Namespace) -> int:
    try:
        displays.revoke_display(auth.SYSTEM, open_engine(), args.label)
    except auth.Refusal as error:
        return refuse(error)
    say("display_done_revoked", label=args.label)
    return 0


def add_officers(args: argparse.Namespace) -> int:
    """One officer per zone of the store, scoped to its zone, each with a first password printed once."""
    settings = load()
    return make_officers(open_city(settings.database_url, settings.data_dir, settings.upload_max_rows))  # a new store is filled first


def make_officers(engine) -> int:
    """One officer per zone of ``engine``'s city not having one yet; their first passwords printed once."""
    zones = current(engine, "zones")["id"].dropna().astype(str).tolist()
    taken = {account.name for account in auth.list_users(engine)}
    for zone in zones:
        if officer_name(zone) in taken:
            say("cli_officer_exists", name=officer_name(zone), zone=zone)
    try:
        made = add_zone_officers(auth.SYSTEM, engine, zones, taken)
    except auth.Refusal as error:
        return refuse(error)
    if made:
        print("\t".join(t(key).both("/") for key in ("auth_col_name", "col_zone", "auth_password")))
        for row in made:
            print("\t".join(row))
    say("cli_officers_done", count=len(made))
    return 0
