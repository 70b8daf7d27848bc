"""Opening the store: the first use of an empty one fills it from the data folder (the demo city).

One "seed" version per file, so the app always reads the store.

Examples
--------
>>> import tempfile
>>> from geo.settings import PROJECT_DIR
>>> engine = open_store(f"sqlite:///{tempfile.mkdtemp()}/store.sqlite", PROJECT_DIR / "data")
>>> newest_version(engine) >= 6
True
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from geo.domain import TABLES, layer_tables, report_tables, t
from geo.io import read_layer, read_table
from geo.store.engine import connect
from geo.store.tables import KINDS, ROWS, store_meta
from geo.store.versions import apply_rows, newest_version

SYSTEM_USER = "system"


def seed_from_folder(engine: Engine, data_dir: str | Path) -> bool:
    """Fill an empty store from the data folder, once (safe when several processes start together)."""
    try:
        with engine.begin() as conn:
            conn.execute(insert(store_meta).values(key="seeded", value=str(data_dir)))
    except IntegrityError:
        return False
    data_dir = Path(data_dir)
    for kind in (*layer_tables(), *report_tables()):
        path = data_dir / TABLES[kind].file
        if not path.exists():
            continue
        content = path.read_bytes()
        if TABLES[kind].geometry:
            frame, problems = read_layer(content, kind, name=path.name)
        else:
            reading = read_table(content, kind, name=path.name)
            frame, problems = reading.frame, reading.problems
        summary = [t("version_seeded", count=len(frame))]
        if problems:
            summary.append(t("version_seed_problems", count=len(problems)))
        apply_rows(engine, kind, frame, SYSTEM_USER, "seed", path.name, content, summary, rows_in_file=len(frame))
    return True


def open_store(url: str, data_dir: str | Path) -> Engine:
    """The store at ``url``, filled from ``data_dir`` if it is still empty; the row tables of every kind made."""
    engine = connect(url)
    for kind in (*layer_tables(), *report_tables()):
        if kind not in KINDS:  # a table of a kind registered at run time: no migration makes it
            ROWS[kind].create(engine, checkfirst=True)
    if newest_version(engine) == 0:
        seed_from_folder(engine, data_dir)
    return engine
