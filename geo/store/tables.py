"""Every table of the store, on one MetaData: versions, their changes and files, the rows of each kind, accounts.

The row table ``rows_<kind>`` of each table in :data:`geo.domain.schema.TABLES`
carries the version that added a row (``added_in``) and, once replaced, the version
that retired it (``removed_in``); see :mod:`geo.store.versions`. Migrations
(:mod:`geo.store.migrate`, ``migrations/``) compare against :data:`metadata`.

Examples
--------
>>> sorted(ROWS)[:4]
['agencies', 'agency_status', 'compound_status', 'compounds']
>>> users.c.role.type.length
16
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from geo.domain import GEOMETRY_TABLES, STATUS_TABLES, TABLES
from geo.store.geomtype import Geometry

KINDS = GEOMETRY_TABLES + STATUS_TABLES  # the tables whose row tables the migrations make
MAX_NAME = 64  # characters of an account name

metadata = MetaData()

store_meta = Table("store_meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text))

files = Table(
    "files", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

versions = Table(
    "versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("action", String(16), nullable=False),  # seed, import, rollback
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("user_name", String(64), nullable=False),
    Column("file_name", String(255)),
    Column("file_id", Integer, ForeignKey("files.id")),
    Column("rows_in_file", Integer),
    Column("rows_added", Integer, nullable=False, default=0),
    Column("rows_changed", Integer, nullable=False, default=0),
    Column("rows_removed", Integer, nullable=False, default=0),
    Column("summary", Text),  # JSON list of [zh, en] lines
    Column("target_version", Integer),
)

changes = Table(
    "changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False, index=True),
    Column("change", String(16), nullable=False),  # added, changed, removed
    Column("place", String(255)),
    Column("key", Text, nullable=False),
    Column("field", String(64)),
    Column("before", Text),
    Column("after", Text),
)

_TYPES = {"int": Integer, "float": Float}


def _row_table(kind: str, tables: MetaData = metadata) -> Table:
    table = TABLES[kind]
    columns = [Column("row_id", Integer, primary_key=True, autoincrement=True),
               Column("added_in", Integer, ForeignKey("versions.id"), nullable=False),
               Column("removed_in", Integer, ForeignKey("versions.id"))]
    columns += [Column(col.name, _TYPES.get(col.kind, Text)) for col in table.columns]
    if table.geometry:
        columns.append(Column("geometry", Geometry()))  # WKB hex to Python; a PostGIS geometry on PostgreSQL
    rows = Table(f"rows_{kind}", tables, *columns)
    if table.geometry:
        Index(f"ix_rows_{kind}_geometry", rows.c.geometry, postgresql_using="gist").ddl_if(dialect="postgresql")
    Index(f"ix_rows_{kind}_current", rows.c.removed_in, *[rows.c[k] for k in table.key])
    Index(f"ix_rows_{kind}_added", rows.c.added_in)
    if "date" in table.key:  # a daily report's newest date, and its rows of one date, without reading them all
        Index(f"ix_rows_{kind}_dated", rows.c.removed_in, rows.c.date)
    return rows



class RowTables(dict):
    """Row tables by table name: those the migrations make, and those of kinds registered at run time.

    The first are on the shared metadata. A table a kind registered at run time brings
    (see :func:`geo.domain.kinds.register`) gets its row table when first asked for, on
    a metadata of its own, so that the schema the migrations make stays the shared
    metadata's; :func:`geo.store.meta.open_store` creates it in the database.
    """

    def __init__(self) -> None:
        super().__init__({kind: _row_table(kind) for kind in KINDS})
        self.registered = MetaData()
        versions.to_metadata(self.registered)  # the row tables' foreign keys point to it

    def __missing__(self, kind: str) -> Table:
        rows = self.registered.tables.get(f"rows_{kind}")
        if rows is not None and rows.info["table"] is TABLES[kind]:
            return rows
        if rows is not None:  # the kind was registered again with other columns
            self.registered.remove(rows)
        rows = _row_table(kind, self.registered)
        rows.info["table"] = TABLES[kind]
        return rows


ROWS = RowTables()

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(MAX_NAME), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", DateTime, nullable=False),  # UTC, naive
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_count", Integer, nullable=False, default=0),
    Column("locked_until", DateTime, nullable=True),  # UTC, naive
    Column("last_login", DateTime, nullable=True),  # UTC, naive
    Column("scope", Text, nullable=True),  # the area it sees (geo.accounts.scope); none: the whole city
    Column("phone", String(32), nullable=True),  # a mobile or a landline with its area code (geo.domain.phones)
    CheckConstraint("role IN ('viewer', 'officer', 'unit', 'staff', 'admin')", name="users_role_known"),
)

display_tokens = Table(
    "display_tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("label", String(MAX_NAME), nullable=False, unique=True),  # the screen, as the admin named it
    Column("token_hash", String(64), nullable=False, unique=True),  # SHA-256 hex of the token: never the token
    Column("created_at", DateTime, nullable=False),  # UTC, naive
    Column("created_by", String(MAX_NAME), nullable=False),
    Column("last_used", DateTime, nullable=True),  # UTC, naive
)
"""The wall displays' tokens: each lets one screen show the wall, and nothing else, without a password."""

login_throttle = Table(
    "login_throttle", metadata,
    # "address:<ip>", "pair:<name>|<ip>" or "name:<name>" (any name typed, known or not: see geo.accounts.throttle)
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("window_start", DateTime, nullable=False),  # UTC, naive: failures older than the window are forgotten
    Column("locked_until", DateTime, nullable=True),  # UTC, naive
)
"""Failed logins by client address, by name and address, and by name: who must wait before trying again."""

browser_logins = Table(
    "browser_logins", metadata,
    Column("browser", String(64), primary_key=True),  # SHA-256 hex of the browser's cookie: never the cookie
    Column("user_name", String(MAX_NAME), nullable=False),
    Column("started_at", DateTime, nullable=False),  # UTC, naive
    Column("last_seen", DateTime, nullable=False),  # UTC, naive: idle longer than session_minutes, it is over
)
"""The login of each browser, so that a reload, a new tab or a server restart keeps it (geo.accounts.kept)."""

# The loop of acting on the map (geo.domain.tasks, geo.store.tasks): rows are only ever added, like the versions.
# A checklist edited is its old items retired and new ones added; a problem's state is its newest event.

checklist_items = Table(
    "checklist_items", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("checklist", String(32), nullable=False, index=True),  # a key of geo.domain.tasks.DEFAULT_CHECKLISTS
    Column("code", String(32), nullable=False),
    Column("zh", Text, nullable=False),
    Column("en", Text, nullable=False),
    Column("category", String(32), nullable=False),
    Column("position", Integer, nullable=False),
    Column("added_at", DateTime, nullable=False),  # UTC, naive
    Column("added_by", String(MAX_NAME), nullable=False),
    Column("retired_at", DateTime, nullable=True),  # UTC, naive: no longer asked since
)
"""The checklists inspections fill in, as an admin last saved them (the defaults until then)."""

inspections = Table(
    "inspections", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("place_id", Text, nullable=False),
    Column("place_name", Text, nullable=False),  # as it was called that day
    Column("inspected_on", String(10), nullable=False, index=True),  # YYYY-MM-DD, like the report dates
    Column("inspectors", Text, nullable=False),
    Column("result", String(8), nullable=False),  # pass, fail: fail when any item failed
    Column("notes", Text),
    Column("source", String(16), nullable=False),  # form, table, demo
    Column("file_name", String(255)),
    Column("created_at", DateTime, nullable=False),  # UTC, naive
    Column("created_by", String(MAX_NAME), nullable=False),
    Index("ix_inspections_place", "kind", "place_id"),
)
"""Inspections (督导检查): one row per visit to a place."""

inspection_results = Table(
    "inspection_results", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("inspection_id", Integer, ForeignKey("inspections.id"), nullable=False, index=True),
    Column("item_code", String(32), nullable=False),
    Column("item", Text, nullable=False),  # the item's words when it was asked (Chinese)
    Column("category", String(32), nullable=False),
    Column("result", String(8), nullable=False),  # pass, fail
    Column("note", Text),
)
"""Each checklist item's result of an inspection."""

problems = Table(
    "problems", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("place_id", Text, nullable=False),
    Column("place_name", Text, nullable=False),
    Column("found_on", String(10), nullable=False),  # YYYY-MM-DD
    Column("category", String(32), nullable=False),
    Column("description", Text, nullable=False),
    Column("unit_type", String(16), nullable=False),
    Column("unit_name", Text, nullable=False),  # the responsible unit: a property company, a contractor, a street
    Column("person", Text),
    Column("phone", String(32)),
    Column("deadline", String(10), nullable=False),  # YYYY-MM-DD
    Column("inspection_id", Integer, ForeignKey("inspections.id"), nullable=True),
    Column("item_code", String(32)),  # the failed checklist item it came from
    Column("created_at", DateTime, nullable=False),  # UTC, naive
    Column("created_by", String(MAX_NAME), nullable=False),
    Index("ix_problems_place", "kind", "place_id"),
)
"""Problems (问题): what was found and who must fix it by when; the state is in :data:`problem_events`."""

problem_events = Table(
    "problem_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("problem_id", Integer, ForeignKey("problems.id"), nullable=False),
    Column("seq", Integer, nullable=False),  # 1 when handed out, one more each change: two changes of one seq clash
    Column("state", String(16), nullable=False),  # the state it moved to (geo.domain.tasks.STATES)
    Column("at", DateTime, nullable=False),  # UTC, naive
    Column("by", String(MAX_NAME), nullable=False),
    Column("note", Text),
    UniqueConstraint("problem_id", "seq", name="problem_events_one_change_at_a_time"),
)
"""Every change of a problem's state, who made it and when; the newest is the problem's state."""

photos = Table(
    "photos", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("problem_id", Integer, ForeignKey("problems.id"), nullable=True, index=True),
    Column("event_id", Integer, ForeignKey("problem_events.id"), nullable=True),  # the fix it shows
    Column("inspection_id", Integer, ForeignKey("inspections.id"), nullable=True, index=True),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),  # JPEG, resized, without EXIF (geo.io.photos)
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("lat", Float),  # where it was taken (WGS-84), from its EXIF
    Column("lon", Float),
    Column("taken_at", DateTime),
    Column("name", Text),
    Column("created_at", DateTime, nullable=False),  # UTC, naive
    Column("created_by", String(MAX_NAME), nullable=False),
)
"""Photos of problems, of their fixes and of inspections, in the store so that every app server sees them."""

#: The loop's tables, in the order their rows may be written (foreign keys point up the list).
TASK_TABLES = ("checklist_items", "inspections", "inspection_results", "problems", "problem_events", "photos")
