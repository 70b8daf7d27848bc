"""Which passwords an account may have: not blank-like, not short, not guessable.

The guessability is judged by `zxcvbn <https://github.com/dwolfhub/zxcvbn-python>`_ (MIT,
on PyPI), which ships its own frequency lists (the 30,000 most common leaked passwords,
English words, names, keyboard patterns, dates, repeats and sequences, "l33t" spellings) and
needs no network. Its score runs from 0 (in the first thousand guesses) to 4; a password
must reach :data:`MIN_SCORE` (3: more than a hundred million guesses), which refuses ``1234567890``,
``password123``, ``qwertyuiop`` and ``woaini1314`` alike, and the account's own name in it
counts as guessable. Only the first :data:`SCORED_CHARACTERS` are scored, as zxcvbn's time
grows fast with length; a longer password is at least as strong as its start.

Examples
--------
>>> password_problem("password12"), password_problem(" " * 12), password_problem("12345678")
('auth_password_common', 'auth_password_blank', 'auth_password_short')
>>> password_problem("tulip-harbor-2020") is None
True
>>> password_problem("zhangwei-2020-tulip", name="zhangwei") is None, password_problem("zhangwei2020", name="zhangwei")
(True, 'auth_password_common')
"""

from __future__ import annotations

import unicodedata

from zxcvbn import zxcvbn

MIN_PASSWORD = 10  # with MIN_SCORE: zxcvbn scores any 9 characters or fewer below 3 anyway
MAX_PASSWORD = 1024
MIN_SCORE = 3
SCORED_CHARACTERS = 72  # zxcvbn refuses longer input


def visible_characters(password: str) -> str:
    """``password`` without blanks and invisible characters (spaces, tabs, zero-width and control characters).

    >>> visible_characters(" a\\u200bb\\tc ")
    'abc'
    """
    return "".join(ch for ch in password if not (ch.isspace() or unicodedata.category(ch)[0] in "CZ"))


def password_problem(password: str, name: str | None = None) -> str | None:
    """The label key of what is wrong with ``password`` for the account ``name``, or None when it may be used.

    Parameters
    ----------
    password : str
        As typed.
    name : str, optional
        The account's name: a password built on it is guessable.

    Returns
    -------
    str or None
        ``auth_password_short``, ``auth_password_long``, ``auth_password_blank`` (fewer than
        :data:`MIN_PASSWORD` visible characters) or ``auth_password_common`` (guessable).
    """
    password = password or ""
    if len(password) < MIN_PASSWORD:
        return "auth_password_short"
    if len(password) > MAX_PASSWORD:
        return "auth_password_long"
    if len(visible_characters(password)) < MIN_PASSWORD:
        return "auth_password_blank"
    hints = [name] if name else []
    if zxcvbn(password[:SCORED_CHARACTERS], user_inputs=hints)["score"] < MIN_SCORE:
        return "auth_password_common"
    return None
