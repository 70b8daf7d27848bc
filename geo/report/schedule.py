"""The morning briefing written by the server itself every day at a set time, as Word and PDF, into a folder.

The command post sends its 日报 up every morning; with ``briefing_time`` set (``07:30``,
the server's local time) the app writes the briefing of the current report day (the
newest complete one, as the overview shows it) once a day, after that time, into
``briefing_dir``, where every one is kept and the overview lists the newest for
download. Several app processes on one store write it once: each day's claim is a
file made with ``O_EXCL`` in the folder, and only the process that made it writes.

Examples
--------
>>> import datetime as dt
>>> parse_time("07:30"), parse_time("7:05"), parse_time(""), parse_time("7.30")
(datetime.time(7, 30), datetime.time(7, 5), None, None)
>>> due(dt.datetime(2026, 12, 5, 7, 29), dt.time(7, 30)), due(dt.datetime(2026, 12, 5, 7, 30), dt.time(7, 30))
(False, True)
>>> scheduled_stem(dt.date(2026, 12, 5), "2020-02-25")
'2026-12-05_疫情防控工作日报_2020-02-25'
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from geo.accounts import SYSTEM
from geo.analysis import report_days
from geo.domain import t
from geo.report.briefing import BriefingRefused, build_briefing
from geo.report.documents import WRITERS, briefing_file
from geo.report.fonts import FontMissing
from geo.settings import Settings
from geo.store import city_name, load_store, newest_version_time, private_folder

log = logging.getLogger(__name__)
CHECK_SECONDS = 30  # how often the schedule looks at the clock
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def parse_time(raw: str) -> dt.time | None:
    """``HH:MM`` as a time of day; None for an empty or unreadable value (no schedule)."""
    found = _TIME.fullmatch(raw.strip())
    return dt.time(int(found.group(1)), int(found.group(2))) if found else None


def due(now: dt.datetime, at: dt.time) -> bool:
    """Whether today's briefing is due at ``now`` (local time): once the time of day ``at`` has come."""
    return now.time() >= at


def scheduled_stem(day: dt.date, report_date: str) -> str:
    """The name (without suffix) of the briefing written on calendar ``day`` for ``report_date``."""
    return f"{day.isoformat()}_{t('briefing_title', 'zh')}_{report_date}"


def _claim_name(day: dt.date) -> str:
    return f".claimed-{day.isoformat()}"


def _claim(folder: Path, day: dt.date) -> bool:
    """Claim calendar ``day``'s briefing for this process; False when it is claimed already (by anyone)."""
    try:
        os.close(os.open(folder / _claim_name(day), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    return True


def write_scheduled(engine: Engine, settings: Settings, folder: Path, day: dt.date) -> list[Path]:
    """Write calendar ``day``'s briefing (Word and PDF) of the current report day into ``folder``, once.

    Returns the files written; nothing when the day was claimed before (by this or another process)
    or there is no report date yet (then the next call tries again). Each file appears whole (written aside, then renamed).
    """
    folder = private_folder(Path(folder))
    if (folder / _claim_name(day)).exists():
        return []
    ds = load_store(engine)
    report_date = report_days(ds, settings.complete_share).current
    if report_date is None:  # nothing reported yet: tried again at the next look, and written once data comes
        return []
    if not _claim(folder, day):
        return []
    briefing = build_briefing(ds, report_date, None, user=SYSTEM, settings=settings,
                              updated=newest_version_time(engine), city=city_name(engine) or "")
    written = []
    for suffix in WRITERS:
        target = folder / f"{scheduled_stem(day, report_date)}{suffix}"
        aside = target.with_name(f".{target.name}.part")
        aside.write_bytes(briefing_file(briefing, suffix))
        aside.replace(target)
        written.append(target)
    log.info(t("briefing_scheduled_written", "zh", files="、".join(p.name for p in written)))
    return written


@dataclass(frozen=True)
class Kept:
    """A briefing in the folder: its file, and when it was written."""

    path: Path
    written: dt.datetime


def kept_briefings(folder: Path, limit: int = 14) -> list[Kept]:
    """The briefings in ``folder``, newest first (at most ``limit``); none when there is no such folder."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if p.suffix in WRITERS and not p.name.startswith(".")]
    files.sort(key=lambda p: p.name, reverse=True)  # names start with the calendar day
    return [Kept(p, dt.datetime.fromtimestamp(p.stat().st_mtime)) for p in files[:limit]]


class BriefingSchedule:
    """A daemon thread that writes the briefing once a day after ``at``; :meth:`stop` ends it."""

    def __init__(self, engine_of, settings: Settings, at: dt.time, now=dt.datetime.now):
        self._engine_of, self._settings, self._at, self._now = engine_of, settings, at, now
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="briefing-schedule", daemon=True)

    def start(self) -> "BriefingSchedule":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            now = self._now()
            if due(now, self._at):
                try:
                    write_scheduled(self._engine_of(), self._settings, Path(self._settings.briefing_dir), now.date())
                except (BriefingRefused, FontMissing) as refused:
                    log.error(refused.text.pick("zh"))
                except Exception:  # the schedule must outlive a bad morning: said in the log, tried tomorrow
                    log.exception(t("briefing_scheduled_failed", "zh"))
            self._stop.wait(CHECK_SECONDS)


def start_schedule(engine_of, settings: Settings) -> BriefingSchedule | None:
    """Start writing the briefing every day at ``settings.briefing_time``; None when none is set (or unreadable,
    which is said in the log)."""
    if not settings.briefing_time.strip():
        return None
    at = parse_time(settings.briefing_time)
    if at is None:
        log.error(t("briefing_time_unreadable", "zh", value=settings.briefing_time))
        return None
    return BriefingSchedule(engine_of, settings, at).start()
