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
        wanted = st.query_params.get_all(key)
        if multi:
            st.session_state[key] = [v for v in dict.fromkeys(wanted) if v in allowed]
        else:
            st.session_state[key] = next((v for v in wanted if v in allowed), default)
    current = st.session_state[key]
    # Options can shrink (another filter narrowed them): drop what is no longer offered.
    if multi:
        kept = [v for v in (current or []) if v in allowed]
        if kept != current:
            st.session_state[key] = kept
    elif current not in allowed and not (current is None or isinstance(current, str) and not allowed):
        st.session_state[key] = default if default in allowed else (allowed[0] if allowed else None)


def text_from_url(key: str, limit: int) -> None:
    if key not in st.session_state:
        st.session_state[key] = (st.query_params.get(key) or "")[:limit]


def to_url(key: str, value) -> None:
    """Write one widget's value to the URL (an empty value removes the parameter)."""
    if value in (None, "", [], ()):
        if key in st.query_params:
            del st.query_params[key]
    elif isinstance(value, (list, tuple)):
        if st.query_params.get_all(key) != list(value):
            st.query_params[key] = list(value)
    elif st.query_params.get(key) != str(value):
        st.query_params[key] = str(value)
