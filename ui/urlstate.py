"""Widget state that lives in the URL, with codes (not display labels) as the values.

A widget's key is its query parameter. On a page's first run the URL sets the
widget; afterwards every change is written back, so a copied link opens the same
view, in either language (``?status=sealed`` whatever the labels say).
"""

from __future__ import annotations

from typing import Sequence

import streamlit as st


def from_url(key: str, options: Sequence[str], default=None, multi: bool = False) -> None:
    """Set ``st.session_state[key]`` from the URL (first run) and keep it within ``options``.

    Call before creating the widget with ``key=key`` and no default of its own.
    """
    allowed = list(options)
    if key not in st.session_state:
        # a link names it, else the value it had on the page before: Streamlit forgets a widget's state, and
        # the URL its parameters, when another page is opened, and a leader's date and district go with them
        wanted = st.query_params.get_all(key) if key in st.query_params else _kept(key)
        if multi:
            st.session_state[key] = [v for v in dict.fromkeys(wanted) if v in allowed]
        else:
            st.session_state[key] = next((v for v in wanted if v in allowed), default)
    current = st.session_state[key]
    # Options can shrink (another filter narrowed them): drop what is no longer offered.
    if multi:
        st.session_state[key] = [v for v in (current or []) if v in allowed]  # written again: see below
    elif current not in allowed and not (current is None or isinstance(current, str) and not allowed):
        st.session_state[key] = default if default in allowed else (allowed[0] if allowed else None)
    else:
        # written again: the widget of this name on another page is another widget, which would otherwise
        # start from its default instead of the value chosen on the page before
        st.session_state[key] = current


def text_from_url(key: str, limit: int) -> None:
    """As :func:`from_url`, for a text widget: at most ``limit`` characters."""
    if key not in st.session_state:
        given = st.query_params.get(key) if key in st.query_params else next(iter(_kept(key)), "")
        st.session_state[key] = (given or "")[:limit]
    else:
        st.session_state[key] = st.session_state[key]  # see from_url


KEPT = "_url_kept"  # session state: the last value of each parameter, carried from page to page


def _kept(key: str) -> list[str]:
    value = st.session_state.get(KEPT, {}).get(key)
    if value in (None, "", [], ()):
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def to_url(key: str, value) -> None:
    """Write one widget's value to the URL (an empty value removes the parameter), and keep it for the next page."""
    st.session_state.setdefault(KEPT, {})[key] = value
    if value in (None, "", [], ()):
        if key in st.query_params:
            del st.query_params[key]
    elif isinstance(value, (list, tuple)):
        if st.query_params.get_all(key) != list(value):
            st.query_params[key] = list(value)
    elif st.query_params.get(key) != str(value):
        st.query_params[key] = str(value)
