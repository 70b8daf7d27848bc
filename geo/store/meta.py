"""The store's own facts, one row each in ``store_meta``: the city's name, whether the data folder was read and
which of its files were refused; and opening the store.

Reading the data folder goes through the upload's checks, on floor 4 (:mod:`geo.upload.city`); this floor
keeps what it found. ``store_meta`` has been a table of the store since the first schema, so a store of
any age takes these rows without a migration.

Examples
--------
>>> engine = open_store("sqlite://")
>>> city_name(engine) is None
True
>>> set_city_name(engine, "楚雄市")
>>> city_name(engine)
'楚雄市'
>>> claim_seeding(engine, "data"), claim_seeding(engine, "data")
(True, False)
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from geo.domain import Text, layer_tables, report_tables
from geo.store.engine import connect
from geo.store.tables import KINDS, ROWS, store_meta

SEEDED = "seeded"  # the data folder was read (or the city was started empty): it never is again
CITY = "city_name"
DATUM = "upload_datum"  # the datum the city's last import of a layer was read in
REFUSED = "seed_refused"  # the data folder's files that were not imported, and why


@dataclass(frozen=True)
class RefusedFile:
    """A file of the data folder that was not imported: its table, how many problems, the first of them."""

    file: str
    kind: str
    count: int
    lines: tuple[Text, ...]  # the first problems, each with where it is


def open_store(url: str) -> Engine:
    """The store at ``url`` at the newest schema, with the row tables of every kind (also those registered
    at run time: no migration makes them). Nothing is read into it: see :func:`geo.upload.open_city`."""
    engine = connect(url)
    for kind in (*layer_tables(), *report_tables()):
        if kind not in KINDS:
            ROWS[kind].create(engine, checkfirst=True)
    return engine


def read_meta(engine: Engine, key: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(store_meta.c.value).where(store_meta.c.key == key)).scalar_one_or_none()


def write_meta(engine: Engine, key: str, value: str | None) -> None:
    """Set (None: remove) one fact, in one transaction."""
    with engine.begin() as conn:
        conn.execute(delete(store_meta).where(store_meta.c.key == key))
        if value is not None:
            conn.execute(insert(store_meta).values(key=key, value=value))


def city_name(engine: Engine) -> str | None:
    """The name the city was started with (``python -m geo init --city``), or None."""
    return read_meta(engine, CITY) or None


def set_city_name(engine: Engine, name: str) -> None:
    write_meta(engine, CITY, name.strip() or None)


def last_datum(engine: Engine, kind: str) -> str | None:
    """The datum the city's last import of layer ``kind`` was read in (else of any layer), or None.

    >>> engine = open_store("sqlite://")
    >>> remember_datum(engine, "zones", "gcj02")
    >>> last_datum(engine, "compounds"), last_datum(engine, "zones")
    ('gcj02', 'gcj02')
    """
    return read_meta(engine, f"{DATUM}:{kind}") or read_meta(engine, DATUM)


def remember_datum(engine: Engine, kind: str, datum: str) -> None:
    """Keep the datum an import of layer ``kind`` was read in: the city's next lists are likely the same."""
    write_meta(engine, f"{DATUM}:{kind}", datum)
    write_meta(engine, DATUM, datum)


def seeding_claimed(engine: Engine) -> bool:
    return read_meta(engine, SEEDED) is not None


def claim_seeding(engine: Engine, source: str) -> bool:
    """Claim the one reading of the data folder ``source``; False when it was claimed before.

    An insert of a primary key: when several processes start together on an empty store, one wins.
    """
    try:
        with engine.begin() as conn:
            conn.execute(insert(store_meta).values(key=SEEDED, value=source))
    except IntegrityError:
        return False
    return True


def refused_files(engine: Engine) -> list[RefusedFile]:
    """The files of the data folder that the last reading did not import ([] when every file was)."""
    stored = json.loads(read_meta(engine, REFUSED) or "[]")
    return [RefusedFile(r["file"], r["kind"], r["count"], tuple(Text(*line) for line in r["lines"]))
            for r in stored]


def record_refused(engine: Engine, refused: list[RefusedFile]) -> None:
    value = json.dumps([{"file": r.file, "kind": r.kind, "count": r.count, "lines": [list(x) for x in r.lines]}
                        for r in refused], ensure_ascii=False)
    write_meta(engine, REFUSED, value if refused else None)
