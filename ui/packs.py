"""Packs of places written once per data version and scope, for the browser to fetch beside the page.

A scoped account's packs hold only its scope's places (the dataset of :mod:`ui.cache`) and are written
into a folder of their own, ``static/cache/s-<scope digest>/``: the web server (``ui/server.py``) hands a
browser logged in only with scoped accounts nothing of ``static/cache`` but its own scope's folder and the
map's scripts, so the whole city's packs never reach it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.accounts import Scope
from geo.domain import layer_tables
from geo.maps import Source, pack_places, write_pack
from ui.cache import data_key, scoped

#: Packs of places are written here and served by Streamlit's static file serving (``/app/static/cache``).
PACK_DIR = Path(__file__).resolve().parent.parent / "static" / "cache"


def scope_folder(scope: Scope | None) -> str:
    """The folder under ``static/cache`` of a scope's packs ('' for the whole city's).

    >>> scope_folder(None), scope_folder(Scope.parse("zone:Z1"))
    ('', 's-7d54998b7f5c1d51/')
    """
    return f"s-{scope.digest}/" if scope is not None else ""


@st.cache_resource(show_spinner=False, max_entries=12)
def _source(url: str, version: int, scope: str, kind: str, datum: str) -> Source:
    pack = pack_places(scoped(url, version, scope).layer(kind), datum)
    folder = scope_folder(Scope.of_text(scope))
    written = write_pack(pack, PACK_DIR / folder)  # a read-only install embeds the pack in the page instead
    return Source(pack, f"/app/static/cache/{folder}{pack.file_name}" if written else None)


def place_sources(kinds: tuple[str, ...], datum: str) -> list[Source]:
    """The packed places of dataset layers ``kinds`` inside the viewing account's scope, built once per data
    version and scope for every session."""
    return [_source(*data_key(), kind, datum) for kind in kinds]


def prepare_packs(url: str, version: int, datum: str) -> None:
    """The packs of every layer of places of ``version`` that has any, for the whole city, written as
    :func:`place_sources` writes them (:mod:`ui.warmup` calls it off the pages' threads)."""
    ds = scoped(url, version, "")
    for kind in layer_tables():
        if not ds.layer(kind).empty:
            _source(url, version, "", kind, datum)
