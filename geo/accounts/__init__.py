"""Accounts, floor 3: roles, passwords, logins and the checks every action makes of who is asking."""

from geo.accounts.auth import (
                               ROLES,
                               SYSTEM,
                               Account,
                               AccountError,
                               LoginRefused,
                               PermissionDenied,
                               Refusal,
                               Session,
                               User,
                               add_user,
                               authenticate,
                               can,
                               find_user,
                               format_time,
                               list_users,
                               require,
                               set_disabled,
                               set_password,
                               set_role,
                               set_scope,
                               start_session,
                               unlock,
)
from geo.accounts.browsers import COOKIE_NAME, IDENTITY_HEADER, LOGINS, Logins, browser_key, new_browser_id
from geo.accounts.displays import (
                               Display,
                               add_display,
                               display_live,
                               find_display,
                               list_displays,
                               revoke_display,
                               wall_path,
)
from geo.accounts.scope import Scope, ScopeRefused, describe, place_ids, scoped_dataset, unknown_values, zones_kept

__all__ = ["COOKIE_NAME", "IDENTITY_HEADER", "LOGINS", "Logins", "browser_key", "new_browser_id",
           "Account", "AccountError", "LoginRefused", "PermissionDenied", "ROLES", "Refusal", "SYSTEM", "Session",
           "User", "add_user", "authenticate", "can", "find_user", "format_time", "list_users", "require",
           "set_disabled", "set_password", "set_role", "set_scope", "start_session", "unlock", "Scope", "ScopeRefused", "describe", "place_ids", "scoped_dataset", "unknown_values", "zones_kept",
           "Display", "add_display", "display_live", "find_display", "list_displays", "revoke_display", "wall_path"]

from geo.accounts.batch import (  # noqa: E402
    NewAccount,
    add_zone_officers,
    create_accounts,
    new_password,
    officer_name,
    read_accounts,
)
from geo.accounts.kept import KeptLogin, drop_login, keep_login, kept_login, touch_login  # noqa: E402

__all__ += ["NewAccount", "add_zone_officers", "create_accounts", "new_password", "officer_name", "read_accounts", "KeptLogin", "drop_login", "keep_login", "kept_login", "touch_login"]
