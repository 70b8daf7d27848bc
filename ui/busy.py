"""Saving while the store is busy: wait for the write lock, saying so, instead of failing after the busy timeout.

SQLite has one writer at a time, and an import of a large file holds the store for a
while. A save (an upload confirmed, an undo, a rollback, a place moved) that finds the
store locked waits here with a visible "busy, retrying" line and saves once the lock is
free; after :data:`BUSY_WAIT_SECONDS` it gives up with a plain message, having changed
nothing. Logins wait the same way (``ui/login.py``).
"""

from __future__ import annotations

import time
from typing import Callable, TypeVar

import streamlit as st
from sqlalchemy.exc import OperationalError

from geo.domain import t
from geo.store import write_locked
from ui.data import engine
from ui.settings import lang

BUSY_WAIT_SECONDS = 90
BUSY_RETRY_SECONDS = 2

Result = TypeVar("Result")


class StoreStayedBusy(Exception):
    """The store's write lock was held by another writer for longer than :data:`BUSY_WAIT_SECONDS`."""


def _locked(error: OperationalError) -> bool:
    return "locked" in str(getattr(error, "orig", error)).lower() or "busy" in str(error).lower()


def save_when_free(save: Callable[[], Result], wait: float | None = None) -> Result:
    """Run ``save`` once the store's write lock is free, saying on the page how long it has waited.

    Raises :class:`StoreStayedBusy` (after saying so on the page) when the lock stays taken for ``wait``
    seconds (default :data:`BUSY_WAIT_SECONDS`).
    """
    wait = BUSY_WAIT_SECONDS if wait is None else wait
    lg, notice, start = lang(), st.empty(), time.monotonic()
    while True:
        waited = time.monotonic() - start
        try:
            if not write_locked(engine()):
                result = save()
                notice.empty()
                return result
        except OperationalError as error:
            if not _locked(error):
                raise
        if waited + BUSY_RETRY_SECONDS > wait:  # the line stays: how long it waited, and that nothing changed
            notice.error(t("store_busy_gave_up", lg, seconds=int(wait)))
            raise StoreStayedBusy
        notice.info(t("store_busy_retrying", lg, seconds=int(waited)))
        time.sleep(BUSY_RETRY_SECONDS)
