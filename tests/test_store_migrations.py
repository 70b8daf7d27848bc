"""Migrations: a store written before them (commit 304369c) upgrades with every row; fresh and migrated schemas agree.

``fixtures/store_304369c.sql`` is the dump of a store written by the code of that
commit (see ``fixtures/make_store_304369c.py``): the tiny city, two accounts, an
import, its rollback and a second import.
"""

from __future__ import annotations

import datetime
import sqlite3
import warnings
from pathlib import Path

import pytest
from alembic.command import downgrade
from sqlalchemy import Boolean, MetaData, create_engine, insert, inspect, select, text, update
from sqlalchemy.exc import IntegrityError

from geo import store
from geo.accounts import auth
from geo.domain import layer_tables
from geo.store.engine import connect
from geo.store.migrate import BASELINE, config, current_revision, head, migrate
from geo.store.move import _advance_sequences
from geo.store.tables import metadata, users
from tests.pgserver import fresh_schema

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "store_304369c.sql"
# the store's tables at that commit (the other places' tables came with migration 0003)
OLD_TABLES = ["store_meta", "files", "versions", "changes", "users", *[f"rows_{kind}" for kind in (
    "zones", "compounds", "sites", "compound_status", "site_status", "supplies")]]


def sqlite_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the old schema, read with sqlite3 (no SQLAlchemy in between)."""
    with sqlite3.connect(path) as db:
        return {name: db.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall() for name in OLD_TABLES}


def store_rows(engine) -> dict[str, list[dict]]:
    """Every row of every table as the store code reads it (geometry as WKB hex, times in UTC)."""
    out = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings().all()
            out[table.name] = [{k: (v.replace(tzinfo=datetime.timezone.utc) if isinstance(v, datetime.datetime)
                                    and v.tzinfo is None and k == "created_at" and table.name == "versions" else v)
                                for k, v in row.items()} for row in rows]
    return out


def old_store(tmp_path) -> tuple[Path, str]:
    """(file, URL) of the old store, rebuilt from its dump."""
    path = tmp_path / "old.sqlite"
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(FIXTURE.read_text(encoding="utf-8"))
    db.close()
    return path, f"sqlite:///{path}"


def test_the_fixture_is_the_old_schema(tmp_path):
    path, _ = old_store(tmp_path)
    with sqlite3.connect(path) as db:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "alembic_version" not in names and set(OLD_TABLES) <= names


def test_sqlite_store_from_304369c_upgrades_with_every_row(tmp_path):
    path, url = old_store(tmp_path)
    before = sqlite_rows(path)
    engine = connect(url)
    assert current_revision(engine) == head()
    after = sqlite_rows(path)  # every old row and value kept; columns added later (users.scope) come empty
    assert {name: [row[:len(rows[0])] for row in after[name]] if rows else after[name]
            for name, rows in before.items()} == before
    assert all(value is None for row in after["users"] for value in row[len(before["users"][0]):])
    assert store.newest_version(engine) == 9
    assert len(store.history(engine)) == 9
    assert store.original_file(engine, 9)[0] == "2月26日（重传）.csv"
    assert auth.authenticate(engine, "boss", "correct horse").role == "admin"
    # and it keeps working: the next version follows the old ones
    frame = store.current(engine, "site_status").head(1).assign(note="迁移后")
    assert store.apply_rows(engine, "site_status", frame, "boss").version == 10


def _load_old_schema_into_postgresql(url: str, old: Path) -> None:
    """A PostgreSQL store as the code of 304369c made one: geometry as WKB hex text, the old store's rows."""
    engine = create_engine(url)
    migrate(engine, BASELINE)
    rows = sqlite_rows(old)
    reflected = MetaData()
    with engine.begin() as conn:
        conn.execute(text("SET TIME ZONE 'UTC'"))  # the old store's times are UTC
        reflected.reflect(conn)
        for name in OLD_TABLES:
            table = reflected.tables[name]
            columns = [c.name for c in table.columns]
            booleans = {c.name for c in table.columns if isinstance(c.type, Boolean)}
            data = [{k: (bool(v) if k in booleans else v) for k, v in zip(columns, row)} for row in rows[name]]
            if data:
                conn.execute(insert(table), data)
        _advance_sequences(conn, [reflected.tables[name] for name in OLD_TABLES])
    engine.dispose()


def test_postgresql_store_of_the_old_schema_upgrades_to_postgis_with_every_row(tmp_path, postgres_url):
    url = fresh_schema(postgres_url, "old_schema")
    old, sqlite_url = old_store(tmp_path)
    _load_old_schema_into_postgresql(url, old)
    engine = connect(url)
    assert current_revision(engine) == head()
    assert store_rows(engine) == store_rows(connect(sqlite_url))
    with engine.connect() as conn:
        types = set(conn.execute(text("SELECT udt_name FROM information_schema.columns WHERE column_name = 'geometry' "
                                      "AND table_schema = current_schema()")).scalars())
        gist = conn.execute(text("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() "
                                 "AND indexdef LIKE '%USING gist (geometry)%'")).scalar_one()
    assert types == {"geometry"} and gist == len(layer_tables())  # the other places' layers too (0003)
    assert store.apply_rows(engine, "site_status", store.current(engine, "site_status").head(1).assign(note="x"),
                            "boss").version == 10


def describe(engine) -> dict:
    """The schema as the database reports it, for comparing two stores."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy does not know PostGIS's type by name; both sides alike
        inspector = inspect(engine)
        tables = {}
        for name in sorted(inspector.get_table_names()):
            tables[name] = {
                "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(name)],
                "primary_key": inspector.get_pk_constraint(name)["constrained_columns"],
                "foreign_keys": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                                        tuple(f["referred_columns"])) for f in inspector.get_foreign_keys(name)),
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                  for i in inspector.get_indexes(name)),
                "unique": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(name)),
                "checks": sorted(c["sqltext"] for c in inspector.get_check_constraints(name)),
            }
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            tables["pg_indexes"] = sorted(conn.execute(text(
                "SELECT indexname, replace(indexdef, current_schema() || '.', '') FROM pg_indexes "
                "WHERE schemaname = current_schema()")).all())
            tables["pg_types"] = sorted(conn.execute(text(
                "SELECT table_name, column_name, udt_name FROM information_schema.columns "
                "WHERE table_schema = current_schema()")).all())
    return tables


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_fresh_store_has_exactly_the_schema_the_migrations_make(backend, tmp_path, request):
    if backend == "sqlite":
        fresh_url, migrated_url = f"sqlite:///{tmp_path / 'fresh.sqlite'}", f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    else:
        server = request.getfixturevalue("postgres_url")
        fresh_url, migrated_url = fresh_schema(server, "fresh"), fresh_schema(server, "migrated")
    fresh = connect(fresh_url)  # an empty database: created from the tables and stamped
    migrated = create_engine(migrated_url)
    migrate(migrated, BASELINE)  # every migration, one after the other
    migrate(migrated)
    assert current_revision(fresh) == current_revision(migrated) == head()
    assert describe(fresh) == describe(migrated)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_officer_role_migration_goes_up_and_down_keeping_every_account(backend, tmp_path, request):
    url = (f"sqlite:///{tmp_path / 'store.sqlite'}" if backend == "sqlite"
           else fresh_schema(request.getfixturevalue("postgres_url"), "officer_updown"))
    engine = create_engine(url)
    migrate(engine, "0007")
    with engine.begin() as conn:
        conn.execute(insert(users).values(name="li", role="staff", password_hash="h", created_at=datetime.datetime(
            2020, 2, 25), disabled=False, failed_count=0, scope="zone:Z1"))
    with pytest.raises(IntegrityError), engine.begin() as conn:  # before it, no officer is possible
        conn.execute(insert(users).values(name="wg", role="officer", password_hash="h",
                                          created_at=datetime.datetime(2020, 2, 25), disabled=False, failed_count=0))
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(insert(users).values(name="wg-z1", role="officer", password_hash="h",
                                          created_at=datetime.datetime(2020, 2, 25), disabled=False, failed_count=0))
    with engine.connect() as conn:
        assert conn.execute(select(users.c.name, users.c.role, users.c.scope).order_by(users.c.id)).all() == [
            ("li", "staff", "zone:Z1"), ("wg-z1", "officer", None)]
    with engine.begin() as conn:
        downgrade(config(conn), "0007")
    with engine.connect() as conn:  # the officer is a viewer now: the old check would refuse an officer
        assert conn.execute(select(users.c.name, users.c.role).order_by(users.c.id)).all() == [
            ("li", "staff"), ("wg-z1", "viewer")]
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(update(users).where(users.c.name == "li").values(role="officer"))
    migrate(engine)
    assert current_revision(engine) == head()
    engine.dispose()
