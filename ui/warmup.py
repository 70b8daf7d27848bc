"""What the first visit after a start or an import would wait for, built beforehand on a thread of the server.

At 100,000 compounds the first visit after the server started took 7.0 s, the page script's first run
alone 5.1 s: reading the store, the views of the date shown, the packs of places. The first visitor paid
for what every later visit finds cached (:mod:`ui.cache`, :mod:`ui.packs`), and again after every import,
whose new data version is a new key of every cache. A thread of the server (``serve.py``) watches the
store's newest version and builds those for the whole city as soon as it changes, and at start, with the
same cached functions the pages call: a visitor then finds them built, or waits only for the rest of a
build already under way (a cache computes each value once, whoever asks).

A scoped account's dataset and views are cut from the whole city's, and cost little once it is built.
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow

from geo.analysis import Filters, Thresholds
from geo.maps import overlay_datum
from geo.settings import Settings
from geo.store import newest_version
from ui.cache import forget_versions_before, keep_snapshot, prepare
from ui.data import STORE_ERRORS, mark_building, mark_built
from ui.packs import prepare_packs
from ui.placemaps import prepare_place_maps
from ui.trends import SPARKLINE_DATES, trend_for

log = logging.getLogger(__name__)

#: Seconds between two looks at the store's newest version (one indexed query each): half of it, on average,
#: is added to the time before every screen left open shows an import.
POLL_SECONDS = 1.0

#: Seconds between two snapshots of the store written by a warmer (the first at once). A morning of phone reports
#: builds a version every ``build_spacing_seconds``; a snapshot of each would write 100,000 compounds' 62 MB twice
#: a minute, where a start from one ten minutes old reads only the reports written since.
SNAPSHOT_SPACING = 600.0


def hand_back_memory() -> None:
    """Give the memory freed since back to the system: Arrow's allocator and the C library's keep what is freed
    for the next ask. At a million compounds, once the version before an import had left the caches, the server
    held 3.75 GB, 3.15 GB once handed back (in 0.02 s)."""
    pyarrow.default_memory_pool().release_unused()
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # the process's C library: glibc has it, not every one
    if trim is not None:
        trim(0)


def warm(url: str, version: int, settings: Settings) -> str | None:
    """Build the whole city's dataset of ``version``, the packs of its places, what its pages ask for first
    (:func:`ui.cache.prepare`), the overview's small trends of the date it opens on and the maps of the pages of
    places reported daily (:func:`ui.placemaps.prepare_place_maps`); the date warmed (None when no day has been
    reported yet: the places only)."""
    prepare_packs(url, version, overlay_datum(settings), settings.map_places_at_once)
    date = prepare(url, version, settings)
    if date is not None:
        limits = Thresholds(settings.supply_low_days, settings.supply_critical_days)
        trend_for((url, version, ""), Filters(), date, SPARKLINE_DATES, limits, settings.complete_share)
        prepare_place_maps((url, version, ""), date, settings)
    return date


@dataclass
class Warmer:
    """A thread that calls :func:`warm` for the newest version of the store that ``engine()`` opens, when it is
    new, and at most once every ``build_spacing_seconds`` (a setting) after the first new version: a morning of
    officers' phone reports makes a version every few seconds, and built for each, the whole city would be read
    again and again for nobody (a visitor meanwhile builds what its page needs). The build at start is not
    spaced: an import just after a restart is built at once.

    Once built, the dataset is written as the store's snapshot, which the next start reads instead of the store
    (:mod:`geo.store.snapshot`), at most once every :data:`SNAPSHOT_SPACING` seconds, and when the server stops.

    A failure is logged and tried again at the next version: a page asking for the same build meets the
    same problem and says it in its own words.
    """

    engine: Callable[[], object]
    settings: Settings
    poll: float = POLL_SECONDS
    clock: Callable[[], float] = time.monotonic
    warmed: int | None = None  # the version built last
    _built_at: float | None = None
    _snapshot_at: float | None = None
    _snapshot_of: int | None = None  # the version built when the snapshot was written last
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _writing: threading.Lock = field(default_factory=threading.Lock)  # the thread's snapshot and the stop's

    def step(self) -> bool:
        """Build the newest version if it is not built yet; whether it built one."""
        try:
            version = newest_version(self.engine())
        except STORE_ERRORS as exc:  # the pages say it; nothing to build meanwhile
            log.info("warm-up: the store cannot be read: %s", exc)
            return False
        except Exception:  # noqa: BLE001 - never end the thread: the next look may find the store again
            log.exception("warm-up: the store could not be opened")
            return False
        if version == self.warmed or version == 0:
            return False
        if self._built_at is not None and self.clock() - self._built_at < self.settings.build_spacing_seconds:
            return False  # a new version built a moment ago: this one at a later look
        if self.warmed is not None:  # the build at start is what the store held, not a new version: not spaced
            self._built_at = self.clock()
        mark_building(self.settings.database_url, version)
        try:
            warm(self.settings.database_url, version, self.settings)
        except Exception:  # noqa: BLE001 - the pages build it again and show their own message
            log.exception("warm-up of data version %s failed", version)
        else:  # the pages now read this one: the versions before it leave the caches
            forget_versions_before(self.settings.database_url, version)
        hand_back_memory()
        self.warmed = version
        mark_built(self.settings.database_url, version)
        if self._snapshot_at is None or self.clock() - self._snapshot_at >= SNAPSHOT_SPACING:
            self._snapshot_at = self.clock()
            self._keep_snapshot()  # after the pages were told (ui.follow): a million compounds' takes seconds
        return True

    def _keep_snapshot(self) -> None:
        with self._writing:  # one at a time: the second finds the snapshot written
            self._snapshot_of = self.warmed
            try:
                keep_snapshot(self.settings.database_url)
            except Exception:  # noqa: BLE001 - the next start reads the store instead
                log.exception("the snapshot of data version %s could not be written", self.warmed)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.step()
            self._stop.wait(self.poll)

    def start(self) -> Warmer:
        self._thread = threading.Thread(target=self._run, name="cmdmap-warmup", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread, and write the snapshot of the dataset read last if it has none yet: an import just before
        a restart would otherwise be read again from the store at the next start (a million compounds with an
        import's day not in their snapshot: 20.5 s, against 8 to 10 s from a snapshot of it).

        A build still under way has read its version's dataset first: that is written at once, not after the rest
        of the build, which a service manager may not wait for (the benchmarks killed a server 10 s after asking it
        to stop, as the build after a million compounds' import was still making their maps)."""
        self._stop.set()
        if self._thread is not None and self._thread.is_alive():
            self._keep_snapshot()  # nothing when the snapshot has it already (an idle thread's version)
            self._thread.join(timeout=10)
        elif self.warmed is not None and self.warmed != self._snapshot_of:
            self._keep_snapshot()
