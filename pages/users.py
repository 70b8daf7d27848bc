"""Accounts (admins only): the list of users, add a user, change a role, set the area an account sees (its
scope: a district, streets, zones or places), reset a password, disable or enable, unlock a name's logins, and
the wall displays' tokens (create: the address is shown once; revoke).

Each form's button runs its change in a callback, before the page is drawn again,
through geo.accounts.auth with the acting user, which checks the role again. Password
fields are emptied by the callback so no password stays in the session.
"""

import pandas as pd
import streamlit as st

from geo.accounts import (
    Scope,
    ScopeRefused,
    add_display,
    auth,
    create_accounts,
    describe,
    list_displays,
    read_accounts,
    revoke_display,
    throttle,
    unknown_values,
    wall_path,
)
from geo.domain import listing, t
from geo.io import to_csv_bytes
from ui.cache import dataset, zone_names
from ui.escape import plain
from ui.login import accounts_engine, current_user, require_role
from ui.navigation import require_navigation
from ui.settings import lang

DONE = "auth_users_done"  # the message of the last change
REFUSED = "auth_users_refused"  # (form, refusal) of the last refused change

require_navigation()
require_role("manage_users")
lg = lang()


def role_name(role: str) -> str:
    return t(f"auth_role_{role}", lang())


def take(key: str, clear: bool = False) -> str:
    """The value of widget ``key``; ``clear``: empty it (passwords)."""
    value = st.session_state.get(key) or ""
    if clear:
        st.session_state[key] = ""
    return value


def act(form: str, change, done_key: str, **values) -> bool:
    """Run ``change(acting)`` for the form ``form``; keep the outcome for the page to show."""
    try:
        change(current_user())
    except auth.Refusal as refusal:
        st.session_state[REFUSED] = (form, refusal)
        return False
    st.session_state[DONE] = (done_key, values)
    return True


def refuse_mismatch(form: str) -> None:
    st.session_state[REFUSED] = (form, auth.AccountError("auth_password_mismatch"))


def add_submitted() -> None:
    name, role = take("auth_add_name").strip(), take("auth_add_role")
    password, again = take("auth_add_password", True), take("auth_add_password2", True)
    if password != again:
        return refuse_mismatch("add")
    if act("add", lambda acting: auth.add_user(acting, accounts_engine(), name, role, password),
           "auth_done_added", name=name, role=auth.describe_role(role)):
        st.session_state["auth_add_name"] = ""


def role_submitted() -> None:
    name, role = take("auth_role_user"), take("auth_role_new")
    act("role", lambda acting: auth.set_role(acting, accounts_engine(), name, role),
        "auth_done_role", name=name, role=auth.describe_role(role))


SCOPE_KINDS = ("", "district", "street", "zone", "places")  # '': the whole city


def chosen_scope() -> Scope | None:
    """The scope the scope tab's widgets describe; AccountError naming what is wrong with it."""
    by = take("auth_scope_by")
    if not by:
        return None
    values = take("auth_scope_places").replace("\n", ",") if by == "places" \
        else ",".join(st.session_state.get(f"auth_scope_{by}") or [])
    try:
        scope = Scope.parse(f"{by}:{values}")
    except ScopeRefused as refused:
        raise auth.AccountError(refused.key) from None
    if unknown := unknown_values(dataset(), scope):  # the admin's page: the whole city
        raise auth.AccountError("scope_unknown_values", by=t(f"scope_by_{by}"), values=listing(unknown))
    return scope


def scope_submitted() -> None:
    name = take("auth_scope_user")
    made = {}

    def change(acting):
        made["scope"] = chosen_scope()
        auth.set_scope(acting, accounts_engine(), name, made["scope"])

    if act("scope", change, "auth_done_scope", name=name):
        st.session_state[DONE] = ("auth_done_scope", {"name": name, "scope": describe(made["scope"])})


def phone_submitted() -> None:
    name, phone = take("auth_phone_user"), take("auth_phone_number")
    if act("phone", lambda acting: auth.set_phone(acting, accounts_engine(), name, phone or None), "auth_done_phone",
           name=name):
        st.session_state["auth_phone_number"] = ""


BATCH_MADE = "auth_batch_made"  # the accounts just created with their first passwords: shown once


def batch_submitted() -> None:
    upload = st.session_state.get("auth_batch_file")
    if upload is None:
        return
    planned, problems = read_accounts(upload.getvalue(), upload.name, set(names), dataset())
    if problems:
        return
    made = {}
    if act("batch", lambda acting: made.update(rows=create_accounts(acting, accounts_engine(), planned)),
           "auth_done_batch", count=len(planned)):
        st.session_state[BATCH_MADE] = made["rows"]


def passwords_table(made, lg: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("auth_col_name", lg): [account.name for account, _ in made],
        t("auth_batch_col_password", lg): [password for _, password in made],
        t("auth_col_role", lg): [role_name(account.role) for account, _ in made],
        t("auth_col_scope", lg): [describe(account.scope).pick(lg) for account, _ in made],
        t("auth_batch_col_phone", lg): [account.phone for account, _ in made],
    })


def shown_scope(text: str | None) -> str:
    """An account's scope in words (as kept, when it cannot be read: it then admits nothing)."""
    try:
        return describe(Scope.parse(text)).pick(lang())
    except ScopeRefused:
        return str(text)


def passwd_submitted() -> None:
    name = take("auth_passwd_user")
    password, again = take("auth_passwd_new", True), take("auth_passwd_new2", True)
    if password != again:
        return refuse_mismatch("passwd")
    act("passwd", lambda acting: auth.set_password(acting, accounts_engine(), name, password),
        "auth_done_password", name=name)


def status_submitted(disabled: bool) -> None:
    name = take("auth_status_user")
    act("status", lambda acting: auth.set_disabled(acting, accounts_engine(), name, disabled),
        "auth_done_disabled" if disabled else "auth_done_enabled", name=name)


def unlock_submitted() -> None:
    name = take("auth_unlock_user")
    act("unlock", lambda acting: auth.unlock(acting, accounts_engine(), name), "auth_done_unlocked", name=name)


def display_submitted() -> None:
    label = take("display_add_label").strip()
    made = {}
    if act("display", lambda acting: made.update(token=add_display(acting, accounts_engine(), label)),
           "display_done_added", label=label, path=""):
        st.session_state["display_add_label"] = ""
        # shown once, on the next draw, then gone from the session
        st.session_state[DONE] = ("display_done_added", {"label": label, "path": wall_path(made["token"])})


def revoke_submitted() -> None:
    label = take("display_revoke_label")
    act("display", lambda acting: revoke_display(acting, accounts_engine(), label), "display_done_revoked",
        label=label)


def show_outcome(form: str) -> None:
    """The success or refusal of the last change made with ``form``, in the current language."""
    refused = st.session_state.get(REFUSED)
    if refused and refused[0] == form:
        st.error(plain(refused[1].message(lg)))
        del st.session_state[REFUSED]
    done = st.session_state.get(DONE)
    if done and form == "top":
        key, values = done
        if key == "display_done_added":  # the address with its token: shown this once, as code to copy
            st.success(plain(t(key, lg, **dict(values, path=""))))
            st.code(values["path"], language=None)
        else:
            st.success(plain(t(key, lg, **values)))
        del st.session_state[DONE]


st.title(t("auth_page_users", lg), anchor=False)
show_outcome("top")
accounts = auth.list_users(accounts_engine())
locked = throttle.locked_names(accounts_engine(), auth.utc_now())
st.dataframe(pd.DataFrame({
    t("auth_col_name", lg): [a.name for a in accounts],
    t("auth_col_role", lg): [role_name(a.role) for a in accounts],
    t("auth_col_scope", lg): [shown_scope(a.scope) for a in accounts],
    t("auth_batch_col_phone", lg): [a.phone or "" for a in accounts],
    t("auth_col_disabled", lg): [a.disabled for a in accounts],
    t("auth_col_created", lg): [auth.format_time(a.created_at) for a in accounts],
    t("auth_col_last_login", lg): [auth.format_time(a.last_login) or t("auth_never", lg) for a in accounts],
    t("auth_col_locked", lg): [locked.get(throttle.name_key(a.name), 0) for a in accounts],
}), hide_index=True, width="stretch")
names = [a.name for a in accounts]

made = st.session_state.pop(BATCH_MADE, None)  # the first passwords: this once, then gone from the session
if made:
    st.warning(t("auth_batch_once", lg))
    st.download_button(t("auth_batch_download", lg), to_csv_bytes(passwords_table(made, "zh")),
                       f"{t('auth_batch_file', 'zh')}.csv", "text/csv", key="auth_batch_download",
                       on_click="ignore", icon=":material/download:")
    st.dataframe(passwords_table(made, lg), hide_index=True, width="stretch")

add_tab, batch_tab, role_tab, scope_tab, passwd_tab, status_tab, unlock_tab, display_tab = st.tabs([
    t("auth_add_title", lg), t("auth_batch_title", lg), t("auth_role_title", lg), t("auth_scope_title", lg),
    t("auth_passwd_title", lg), t("auth_status_title", lg), t("auth_unlock_title", lg), t("display_title", lg)])

with add_tab:
    with st.form("auth_add"):
        st.text_input(t("auth_name", lg), key="auth_add_name", max_chars=auth.MAX_NAME)
        st.selectbox(t("auth_role", lg), auth.ROLES, format_func=role_name, key="auth_add_role")
        st.text_input(t("auth_password", lg), type="password", key="auth_add_password",
                      help=t("auth_password_rule", lg, min=auth.MIN_PASSWORD))
        st.text_input(t("auth_password_again", lg), type="password", key="auth_add_password2")
        st.form_submit_button(t("auth_add_button", lg), key="auth_add_submit", on_click=add_submitted)
    show_outcome("add")

with batch_tab:
    st.caption(t("auth_batch_help", lg))
    upload = st.file_uploader(t("auth_batch_upload", lg), type=["csv", "xlsx"], key="auth_batch_file")
    if upload is not None:
        planned, problems = read_accounts(upload.getvalue(), upload.name, set(names), dataset())
        if problems:
            st.error(t("auth_batch_problems", lg, count=len(problems)))
            st.dataframe(pd.DataFrame({
                t("auth_batch_col_row", lg): [p.row for p in problems],
                t("auth_batch_col_column", lg): [p.column or "" for p in problems],
                t("auth_batch_col_value", lg): [p.value or "" for p in problems],
                t("auth_batch_col_problem", lg): [p.text.pick(lg) for p in problems],
            }), hide_index=True, width="stretch")
        elif planned:
            st.dataframe(pd.DataFrame({
                t("auth_col_name", lg): [a.name for a in planned],
                t("auth_col_role", lg): [role_name(a.role) for a in planned],
                t("auth_col_scope", lg): [describe(a.scope).pick(lg) for a in planned],
                t("auth_batch_col_phone", lg): [a.phone for a in planned],
            }), hide_index=True, width="stretch")
            st.button(t("auth_batch_button", lg, count=len(planned)), key="auth_batch_submit",
                      on_click=batch_submitted, type="primary")
    show_outcome("batch")

with role_tab:
    with st.form("auth_role"):
        st.selectbox(t("auth_user", lg), names, key="auth_role_user")
        st.selectbox(t("auth_role", lg), auth.ROLES, format_func=role_name, key="auth_role_new")
        st.form_submit_button(t("auth_role_button", lg), key="auth_role_submit", on_click=role_submitted)
    show_outcome("role")

with scope_tab:  # no form: the list of districts, streets or zones follows the kind chosen
    st.caption(t("auth_scope_help", lg))
    st.selectbox(t("auth_user", lg), names, key="auth_scope_user")
    by = st.selectbox(t("auth_scope_by", lg), SCOPE_KINDS, key="auth_scope_by",
                      format_func=lambda code: t(f"scope_by_{code}" if code else "scope_whole_city", lg))
    zones = dataset().zones
    if by in ("district", "street") and by in zones:
        st.multiselect(t(f"scope_by_{by}", lg), sorted(zones[by].dropna().astype(str).unique()),
                       key=f"auth_scope_{by}")
    elif by == "zone":
        names = zone_names()
        st.multiselect(t("scope_by_zone", lg), list(names), key="auth_scope_zone",
                       format_func=lambda z: f"{names[z]}（{z}）" if names.get(z, z) != z else z)
    elif by == "places":
        st.text_area(t("auth_scope_places", lg), key="auth_scope_places", max_chars=100_000)
    st.button(t("auth_scope_button", lg), key="auth_scope_submit", on_click=scope_submitted)
    show_outcome("scope")
    with st.form("auth_phone"):  # whom the command post rings when the account's places have not reported
        st.selectbox(t("auth_user", lg), names, key="auth_phone_user")
        st.text_input(t("auth_batch_col_phone", lg), key="auth_phone_number", max_chars=40,
                      help=t("auth_phone_help", lg))
        st.form_submit_button(t("auth_phone_button", lg), key="auth_phone_submit", on_click=phone_submitted)
    show_outcome("phone")

with passwd_tab:
    with st.form("auth_passwd"):
        st.selectbox(t("auth_user", lg), names, key="auth_passwd_user")
        st.text_input(t("auth_new_password", lg), type="password", key="auth_passwd_new",
                      help=t("auth_password_rule", lg, min=auth.MIN_PASSWORD))
        st.text_input(t("auth_password_again", lg), type="password", key="auth_passwd_new2")
        st.form_submit_button(t("auth_passwd_button", lg), key="auth_passwd_submit", on_click=passwd_submitted)
    show_outcome("passwd")

with status_tab:
    with st.form("auth_status"):
        st.selectbox(t("auth_user", lg), names, key="auth_status_user")
        left, right = st.columns(2)
        left.form_submit_button(t("auth_disable_button", lg), key="auth_disable_submit",
                                on_click=status_submitted, args=(True,))
        right.form_submit_button(t("auth_enable_button", lg), key="auth_enable_submit",
                                 on_click=status_submitted, args=(False,))
    show_outcome("status")

with unlock_tab:
    with st.form("auth_unlock"):
        st.selectbox(t("auth_user", lg), names, key="auth_unlock_user")
        st.form_submit_button(t("auth_unlock_button", lg), key="auth_unlock_submit", on_click=unlock_submitted)
    show_outcome("unlock")

with display_tab:
    st.caption(t("display_help", lg))
    screens = list_displays(accounts_engine())
    if screens:
        st.dataframe(pd.DataFrame({
            t("display_col_label", lg): [d.label for d in screens],
            t("display_col_created", lg): [auth.format_time(d.created_at) for d in screens],
            t("display_col_created_by", lg): [d.created_by for d in screens],
            t("display_col_last_used", lg): [auth.format_time(d.last_used) or t("auth_never", lg) for d in screens],
        }), hide_index=True, width="stretch")
    else:
        st.info(t("display_none", lg))
    with st.form("display_add"):
        st.text_input(t("display_label", lg), key="display_add_label", max_chars=auth.MAX_NAME)
        st.form_submit_button(t("display_add_button", lg), key="display_add_submit", on_click=display_submitted)
    if screens:
        with st.form("display_revoke"):
            st.selectbox(t("display_label", lg), [d.label for d in screens], key="display_revoke_label")
            st.form_submit_button(t("display_revoke_button", lg), key="display_revoke_submit",
                                  on_click=revoke_submitted)
    show_outcome("display")
