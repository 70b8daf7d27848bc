"""A city's store: filled from its data folder through the upload's checks, or started empty with a name.

The data folder (setting ``data_dir``) is read once, when a store that was never filled is first
opened (:func:`open_city`). Each file goes through :func:`~geo.upload.check.check_file` and
:func:`~geo.upload.check.commit` as an upload by :data:`geo.accounts.SYSTEM` would, layers first
(zones, then the places in them), then the daily reports that name those places, then a morning of
phone reports (``phone_reports.json``, as the grid officers' own saves) and the loop's records. A file with
problems is not stored at all: the log says why, and the welcome and upload pages list it
(:func:`geo.store.refused_files`) until the store is read again.

``python -m geo init --city NAME`` starts a city with nothing in it (:func:`start_city`): the
data folder is then never read, and the pages open on their welcome page.

The shipped demo city fills a store with 16 versions of its files and 45 of its officers' phone reports,
and refuses no file (``tests/test_demo.py``; filling it takes 20 s, too long for an example here).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy.engine import Engine

from geo import store
from geo.accounts import SYSTEM, User
from geo.domain import TABLES, Text, group_problems, join, layer_tables, report_tables, t
from geo.io import MAX_ROWS
from geo.upload.check import Check, check_file, commit
from geo.upload.phone_file import FILE as PHONE_FILE
from geo.upload.phone_file import import_phone_reports
from geo.upload.tasks import FILE as TASKS_FILE
from geo.upload.tasks import import_tasks

log = logging.getLogger(__name__)
SHOWN_GROUPS = 5  # of a refused file, the first kinds of problem kept to be shown (the count says how many there are)
LIST_SUFFIXES = ("csv", "xlsx")  # a table's file under its own name, when not the standard one
MAX_CITY_NAME = 40  # characters: the name stands before the title of every page


@dataclass(frozen=True)
class Reading:
    """What reading a data folder did: the versions it stored, the files it refused."""

    imported: list[tuple[str, int]]  # (file, version)
    refused: list[store.RefusedFile]


def problem_lines(check: Check) -> tuple[Text, ...]:
    """A refused file's problems (and warnings), a line per kind: a kind found once says where it is and what is
    wrong, a kind found many times says how many and where (its group's title); the first kinds only."""
    features = check.by_feature
    lines = []
    for group in group_problems(check.problems + check.warnings, features)[:SHOWN_GROUPS]:
        if group.count == 1:
            (problem,) = group.problems
            lines.append(problem.located(features))
        else:
            lines.append(group.title)
    return tuple(lines)


def table_file(folder: Path, kind: str) -> Path | None:
    """The file of table ``kind`` in ``folder``: its standard name (``compounds.geojson``), else a list of the
    same name (``compounds.csv``, ``compounds.xlsx``), as a bureau's own city is most often kept.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "zones.xlsx").write_bytes(b"")
    >>> table_file(folder, "zones").name, table_file(folder, "sites")
    ('zones.xlsx', None)
    """
    standard = folder / TABLES[kind].file
    stem = standard.name.split(".", 1)[0]
    for path in (standard, *(folder / f"{stem}.{ext}" for ext in LIST_SUFFIXES)):
        if path.is_file():
            return path
    return None


def import_folder(engine: Engine, folder: str | Path, user: User = SYSTEM, action: str = "seed",
                  max_rows: int = MAX_ROWS) -> Reading:
    """Check and store each table's file of ``folder`` that is there, layers first; a file with problems (or of
    more than ``max_rows`` rows) is skipped, and the list of skipped files is kept in the store (and logged)."""
    folder = Path(folder)
    imported, refused = [], []
    for kind in (*layer_tables(), *report_tables()):
        path = table_file(folder, kind)
        if path is None:
            continue
        check = check_file(engine, kind, path.read_bytes(), path.name, max_rows=max_rows)
        if check.ok and not check.warnings:
            applied = commit(engine, check, user, action=action)
            imported.append((path.name, applied.version))
            log.info(t("seed_imported", "zh", file=path.name, version=applied.version))
            continue
        # a warning (a stored place moved far) is for a person to confirm: nobody is there to
        lines = problem_lines(check)
        count = len(check.problems) + len(check.warnings)
        refused.append(store.RefusedFile(path.name, kind, count, lines))
        log.warning(t("seed_refused", "zh", file=path.name, count=count, first=join(lines, Text("；", "; ")).zh))
    phone = folder / PHONE_FILE
    if phone.is_file() and not store.has_phone_reports(engine):  # after the days before it; read once
        stored, skipped = import_phone_reports(engine, phone.read_bytes(), phone.name)
        log.info(t("seed_phone_imported", "zh", file=phone.name, count=stored))
        for reason in skipped:
            log.warning(reason.zh)
    tasks = folder / TASKS_FILE
    if tasks.is_file() and store.problems_frame(engine).empty and store.inspections_frame(engine).empty:
        # the loop's records after the places they name; read once (a folder read again adds nothing twice)
        stored, skipped = import_tasks(engine, tasks.read_bytes(), tasks.name, by=user.name)
        log.info(t("seed_tasks_imported", "zh", file=tasks.name, count=stored))
        for reason in skipped:
            log.warning(reason.zh)
    store.record_refused(engine, refused)
    return Reading(imported, refused)


def seed_from_folder(engine: Engine, data_dir: str | Path, max_rows: int = MAX_ROWS) -> Reading | None:
    """Fill a new store from the data folder, once (None: it was read, or the city started empty, before)."""
    if not store.claim_seeding(engine, str(data_dir)):
        return None
    return import_folder(engine, data_dir, max_rows=max_rows)


def open_city(url: str, data_dir: str | Path, max_rows: int = MAX_ROWS) -> Engine:
    """The store at ``url``; a store that was never filled is first filled from ``data_dir`` (see above), each
    file of at most ``max_rows`` rows (the setting ``upload_max_rows``)."""
    engine = store.open_store(url)
    if store.newest_version(engine) == 0 and not store.seeding_claimed(engine):
        seed_from_folder(engine, data_dir, max_rows)
    return engine


def _nothing(kind: str) -> pd.DataFrame:
    """A table of ``kind`` without rows, typed as the store reads them."""
    columns = {name: pd.Series(dtype="string") for name in TABLES[kind].names}
    if TABLES[kind].geometry:
        return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    return pd.DataFrame(columns)


def city_name_problem(name: str) -> Text | None:
    """What is wrong with a city's name, or None.

    >>> city_name_problem("楚雄市") is None, city_name_problem("  ") is not None
    (True, True)
    """
    if not name.strip():
        return t("city_name_blank")
    if len(name.strip()) > MAX_CITY_NAME or any(not ch.isprintable() for ch in name):
        return t("city_name_too_long", limit=MAX_CITY_NAME)
    return None


def start_city(engine: Engine, name: str, user: User = SYSTEM) -> list[store.Applied]:
    """Start the city ``name`` in this store with nothing in it.

    Every current row of every table is retired, one version per table that had rows (a rollback
    brings a table back); the data folder will not be read; the list of its refused files is cleared.
    Back the store up first (:func:`geo.store.backup.backup_before_reset`).
    """
    problem = city_name_problem(name)
    if problem is not None:
        raise ValueError(problem.en)
    store.claim_seeding(engine, "")
    counts = store.current_counts(engine)
    applied = [store.apply_rows(engine, kind, _nothing(kind), user.name, "init",
                                summary=[t("version_new_city", city=name.strip())], rows_in_file=0, replace=True)
               for kind in (*layer_tables(), *report_tables()) if counts[kind]]
    store.set_city_name(engine, name.strip())
    store.record_refused(engine, [])
    return applied
