"""Packs of places written once per data version, for the browser to fetch beside the page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.maps import Source, pack_places, write_pack
from ui.cache import load_dataset
from ui.data import store_key

#: Packs of places are written here and served by Streamlit's static file serving (``/app/static/cache``).
PACK_DIR = Path(__file__).resolve().parent.parent / "static" / "cache"


@st.cache_resource(show_spinner=False, max_entries=12)
def _source(url: str, version: int, kind: str, datum: str) -> Source:
    pack = pack_places(load_dataset(url, version).layer(kind), datum)
    written = write_pack(pack, PACK_DIR)  # a read-only install embeds the pack in the page instead
    return Source(pack, f"/app/static/cache/{pack.file_name}" if written else None)


def place_sources(kinds: tuple[str, ...], datum: str) -> list[Source]:
    """The packed places of dataset layers ``kinds``, built once per data version for every session."""
    return [_source(*store_key(), kind, datum) for kind in kinds]
