"""Schema migrations: every store is brought to the newest schema by Alembic, never rebuilt.

The migrations live in ``migrations/`` of the project. A store made before there
were migrations (no ``alembic_version`` table but the store's tables) is the
first revision, :data:`BASELINE`, and is upgraded from there. A brand-new empty
database gets the tables of :data:`geo.store.engine.metadata` at once and is stamped as the
newest revision, which is what the migrations make too (a test compares both).

Examples
--------
>>> from geo.store.engine import connect
>>> current_revision(connect("sqlite://")) == head()
True
"""

from __future__ import annotations

from functools import lru_cache

from alembic.command import stamp, upgrade
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

from geo.domain import t
from geo.settings import PROJECT_DIR
from geo.store.tables import metadata

BASELINE = "0001"  # the schema of the store before migrations


class StoreTooNew(RuntimeError):
    """The store's schema is a revision this program's migrations do not know: a newer program upgraded it.

    Opening it is refused before anything is read or written (an older program's tables would not match), with
    ``text`` saying so in both languages.

    >>> StoreTooNew("0011").text.zh.startswith("数据存储的结构（版本 0011）比本程序新")
    True
    """

    def __init__(self, revision: str):
        self.revision = revision
        self.text = t("store_too_new", revision=revision, head=head())
        super().__init__(self.text.en)


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(PROJECT_DIR / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def head() -> str:
    """The newest revision."""
    return ScriptDirectory.from_config(config()).get_current_head()


@lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    """Every revision of this program's migrations."""
    return frozenset(script.revision for script in ScriptDirectory.from_config(config()).walk_revisions())


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the store at ``engine`` to ``revision`` (default: the newest schema), keeping every row.

    Raises :class:`StoreTooNew` for a store of a revision these migrations do not know.
    """
    with engine.begin() as conn:
        lock(conn)
        tables = set(inspect(conn).get_table_names())
        current = MigrationContext.configure(conn).get_current_revision() if "alembic_version" in tables else None
        if current == head() and current is not None:
            return
        if current is not None and current not in known_revisions():
            raise StoreTooNew(current)
        if revision == "head" and not tables - {"alembic_version"}:
            metadata.create_all(conn, checkfirst=False)  # an empty database: the newest schema at once
            stamp(config(conn), "head")
            return
        if "alembic_version" not in tables and "versions" in tables:
            stamp(config(conn), BASELINE)  # a store from before migrations
        upgrade(config(conn), revision)


def lock(conn: Connection) -> None:
    """Several app processes may start together: one migrates, the others wait for it."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(730001)")
