"""Shared page plumbing: language, settings, the cached dataset and views, safe text."""

from __future__ import annotations

import re

import streamlit as st

from geo import settings as settings_mod
from geo.dataset import Dataset, fingerprint, load_dataset
from geo.labels import t
from geo.status import Thresholds, compound_view, report_dates, site_view, supply_view
from geo.zonestats import zone_metrics

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """Text for a Streamlit markdown element, shown as typed: every markdown and HTML character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def require_navigation() -> None:
    """Make sure app.py (and so st.navigation) runs, even when the first visit opens a page's URL.

    Streamlit treats a folder named ``pages/`` as the old multipage layout until
    ``st.navigation`` is called once in the process; a first visit to
    ``/compounds`` would then run the page without app.py (no language switch,
    no page set-up). Leaving that mode and rerunning hands the URL to st.navigation.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def settings() -> dict:
    return settings_mod.load()


def lang() -> str:
    """The UI language chosen by the sidebar switch (bound to ``?lang=``), else the setting."""
    chosen = st.session_state.get("lang")
    return chosen if chosen in ("zh", "en") else settings()["language"]


def thresholds() -> Thresholds:
    s = settings()
    return Thresholds(low=float(s["supply_low_days"]), critical=float(s["supply_critical_days"]))


@st.cache_resource(show_spinner=False, max_entries=2)
def _load(data_dir: str, stamp: tuple) -> Dataset:
    # The stamp is part of the cache key: a changed file loads a new dataset.
    return load_dataset(data_dir)


def dataset() -> Dataset:
    data_dir = str(settings()["data_dir"])
    return _load(data_dir, fingerprint(data_dir))


def _key() -> tuple:
    data_dir = str(settings()["data_dir"])
    return data_dir, fingerprint(data_dir)


@st.cache_data(show_spinner=False, max_entries=64)
def _view(kind: str, data_dir: str, stamp: tuple, date: str, low: float, critical: float):
    ds = _load(data_dir, stamp)
    limits = Thresholds(low, critical)
    if kind == "compounds":
        return compound_view(ds, date, limits)
    if kind == "sites":
        return site_view(ds, date, limits)
    if kind == "supplies":
        return supply_view(ds, date, limits)
    return zone_metrics(ds, date, limits)


def view(kind: str, date: str):
    """The status view of ``kind`` ('compounds', 'sites', 'supplies', 'zones') on ``date``, cached."""
    limits = thresholds()
    return _view(kind, *_key(), date, limits.low, limits.critical)


def dates() -> list[str]:
    return report_dates(dataset())


def page_header(title_key: str, date: str | None) -> None:
    lg = lang()
    st.title(t(title_key, lg), anchor=False)
    if date:
        st.caption(t("data_as_of", lg, date=date))
