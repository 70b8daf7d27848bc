"""Many accounts at once from a table (issue #21, item 5): a district's grid officers, one a row.

The table (CSV in any common encoding, or .xlsx, as every upload) has the columns 用户名, 角色
(viewer/staff/admin or 只读用户/工作人员/管理员, 查看者 and 网格员 too; empty: 只读用户), 范围 (``片区：Z1``, ``zone:Z1,Z2``,
``街道：温泉街道``; empty: the whole city) and 手机 (a mobile or a landline with its area code: kept with
the account, for the call list of places not reported, and with the first passwords, to hand them out). :func:`read_accounts` checks every row at once, naming row, column and fix like
every upload; :func:`create_accounts` creates them, each with a first password of its own made
here, shown once (the caller offers them as a file to download, then forgets them).

Examples
--------
>>> planned, problems = read_accounts("用户名,角色,范围,手机\\n张伟,,zone:Z1,138 0013 8000\\n".encode(), "a.csv", set(),
...                                   None)
>>> [(a.name, a.role, a.scope.text, a.phone) for a in planned], problems
([('张伟', 'viewer', 'zone:Z1', '13800138000')], [])
>>> _, problems = read_accounts("用户名,范围\\n张伟,town:x\\n张伟,\\n".encode(), "a.csv", {"li"}, None)
>>> [(p.row, p.column, p.key) for p in problems]
[(2, '范围', 'scope_unknown_kind'), (3, '用户名', 'batch_name_twice')]
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine

from geo.accounts.auth import (
    ROLES,
    AccountError,
    User,
    add_user,
    check_name,
    describe_role,
    require,
    set_phone,
    set_scope,
)
from geo.accounts.passwords import password_problem
from geo.accounts.scope import Scope, ScopeRefused, unknown_values
from geo.domain import Problem, phone_number, t
from geo.io import raw_rows
from geo.store import Dataset

#: The columns, each with the headers a table may give it.
HEADERS = {"name": ("用户名", "账号", "姓名", "name", "user"), "role": ("角色", "role"),
           "scope": ("范围", "查看范围", "scope", "area"), "phone": ("手机", "手机号", "电话", "联系电话", "phone")}
MAX_ACCOUNTS = 2000  # a city's officers at once; more is a mistake
PASSWORD_WORDS = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread when typed from a phone


@dataclass(frozen=True)
class NewAccount:
    row: int  # as the spreadsheet shows it
    name: str
    role: str
    scope: Scope | None
    phone: str


ROLE_WORDS = {"查看者": "viewer", "只读": "viewer", "查看": "viewer", "网格员": "officer"}  # as tables write them


def _role(text: str) -> str | None:
    if not text:
        return "viewer"
    if text.strip() in ROLE_WORDS:
        return ROLE_WORDS[text.strip()]
    for role in ROLES:
        label = describe_role(role)
        if text.strip().casefold() in {role, label.zh, label.en.casefold()}:
            return role
    return None


def new_password() -> str:
    """A first password: four groups of four letters and digits (some 80 bits), easy to type on a phone.

    >>> len(new_password()), new_password().count("-")
    (19, 3)
    """
    while True:
        password = "-".join("".join(secrets.choice(PASSWORD_WORDS) for _ in range(4)) for _ in range(4))
        if password_problem(password) is None:
            return password


def read_accounts(data: bytes, source: str, existing: set[str], ds: Dataset | None
                  ) -> tuple[list[NewAccount], list[Problem]]:
    """The accounts a table asks for, and every problem with its rows (none are created while there is one).

    ``existing``: the names already taken; ``ds``: the whole city, whose districts, streets, zones and places
    a scope must name (None: not checked).
    """
    try:
        raw = raw_rows(data, None, limit=MAX_ACCOUNTS + 1)
    except Exception as exc:  # a broken file of any kind is a message, never a traceback
        return [], [Problem.of(source, None, None, None, "read_unreadable_table", detail=str(exc)[:120])]
    if raw.empty:
        return [], [Problem.of(source, None, None, None, "read_empty")]
    headers = [str(h).strip() if isinstance(h, str) else "" for h in raw.iloc[0].tolist()]
    where = {field: next((i for i, h in enumerate(headers) if h.casefold() in names), None)
             for field, names in HEADERS.items()}
    header = {field: headers[i] if i is not None else HEADERS[field][0] for field, i in where.items()}
    if where["name"] is None:
        return [], [Problem.of(source, 1, "用户名", None, "batch_no_name_column")]
    body = raw.iloc[1:]
    planned, problems, seen = [], [], {}

    def cell(values, field) -> str:
        i = where[field]
        value = values.iloc[i] if i is not None and i < len(values) else None
        return "" if value is None or pd.isna(value) else str(value).strip()

    for offset, (_, values) in enumerate(body.iterrows()):
        row = offset + 2
        if values.isna().all():
            continue
        name, role_text, scope_text, phone = (cell(values, f) for f in ("name", "role", "scope", "phone"))
        found = len(problems)
        try:
            name = check_name(name)
            if name in existing:
                problems.append(Problem.of(source, row, header["name"], name, "batch_name_taken", name=name))
            elif name in seen:
                problems.append(Problem.of(source, row, header["name"], name, "batch_name_twice", name=name,
                                           first=seen[name]))
            seen.setdefault(name, row)
        except AccountError as error:
            problems.append(Problem(source, row, header["name"], name, error.text, key=error.key))
        role = _role(role_text)
        if role is None:
            problems.append(Problem.of(source, row, header["role"], role_text, "auth_role_unknown", role=role_text,
                                       roles=", ".join(ROLES)))
        scope = None
        try:
            scope = Scope.parse(scope_text)
        except ScopeRefused as refused:
            problems.append(Problem.of(source, row, header["scope"], scope_text, refused.key))
        if scope is not None and ds is not None and (unknown := unknown_values(ds, scope)):
            problems.append(Problem.of(source, row, header["scope"], scope_text, "scope_unknown_values",
                                       by=t(f"scope_by_{scope.by}"), values="、".join(unknown[:5])))
        if phone and phone_number(phone) is None:
            problems.append(Problem.of(source, row, header["phone"], phone, "auth_phone_not_dialable", phone=phone))
        if len(problems) == found:
            planned.append(NewAccount(row, name, role or "viewer", scope, phone_number(phone) if phone else ""))
    if len(planned) + len({p.row for p in problems}) > MAX_ACCOUNTS:
        return [], [Problem.of(source, None, None, None, "batch_too_many", limit=MAX_ACCOUNTS)]
    return planned, problems


def create_accounts(acting: User | None, engine: Engine, planned: list[NewAccount]) -> list[tuple[NewAccount, str]]:
    """Create ``planned`` (checked by :func:`read_accounts`), each with a new first password; the accounts with
    their passwords, for the caller to hand out once. Raises PermissionDenied, AccountError (a name taken since:
    the accounts before it are kept, the error names the one that failed)."""
    require(acting, "manage_users")
    made = []
    for account in planned:
        password = new_password()
        add_user(acting, engine, account.name, account.role, password)
        if account.scope is not None:
            set_scope(acting, engine, account.name, account.scope)
        if account.phone:  # whom the command post rings when the account's places have not reported
            set_phone(acting, engine, account.name, account.phone)
        made.append((account, password))
    return made


def officer_name(zone_id: str) -> str:
    """The name of a zone's grid officer: its id in lower case, blanks as hyphens.

    >>> officer_name("WG-001"), officer_name(" Z 1 ")
    ('wg-001', 'z-1')
    """
    return "-".join(str(zone_id).split()).lower()


def add_zone_officers(acting: User | None, engine: Engine, zones: list[str],
                      taken: set[str]) -> list[tuple[str, str, str]]:
    """One grid officer per zone of ``zones`` whose name (:func:`officer_name`) is not in ``taken``, scoped to
    its zone, each with a first password (:func:`new_password`): (name, zone, password), to be shown once."""
    require(acting, "manage_users")
    made = []
    for zone in zones:
        name = officer_name(zone)
        if name in taken:
            continue
        password = new_password()
        add_user(acting, engine, name, "officer", password)
        set_scope(acting, engine, name, Scope("zone", (zone,)))
        made.append((name, zone, password))
    return made

