"""The settings a page reads, and the language it speaks."""

from __future__ import annotations

import streamlit as st

from geo import settings as settings_mod
from geo.analysis import Thresholds


def settings() -> settings_mod.Settings:
    return settings_mod.load()


def lang() -> str:
    """The UI language chosen by the sidebar switch (bound to ``?lang=``), else the setting."""
    chosen = st.session_state.get("lang")
    return chosen if chosen in ("zh", "en") else settings().language


def thresholds() -> Thresholds:
    s = settings()
    return Thresholds(low=s.supply_low_days, critical=s.supply_critical_days)
