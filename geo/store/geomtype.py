"""The geometry column of the layer tables: WKB hex text on SQLite, a PostGIS geometry on PostgreSQL.

The store's code only ever sees WKB as upper-case hex (what ``shapely.to_wkb(..., hex=True)``
writes), whatever the database: PostgreSQL converts it to a ``geometry(Geometry, 4326)``
on the way in and back to the same hex on the way out, so comparisons between versions
and between back ends are exact.

Examples
--------
>>> from sqlalchemy import Column, MetaData, Table, select
>>> from sqlalchemy.dialects import postgresql, sqlite
>>> table = Table("t", MetaData(), Column("geometry", Geometry()))
>>> [
...     "ST_AsEWKB" in str(select(table.c.geometry).compile(dialect=d.dialect())) for d in (sqlite, postgresql)]
[False, True]
"""

from __future__ import annotations

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.types import Text, UserDefinedType

SRID = 4326


class Geometry(UserDefinedType):
    """WKB hex in Python; TEXT on SQLite, ``geometry(Geometry, 4326)`` on PostgreSQL."""

    cache_ok = True

    def get_col_spec(self, **_kw) -> str:
        return "TEXT"  # the PostgreSQL spelling is chosen by the compiler hook below

    def bind_expression(self, bindvalue):
        return _ToDatabase(bindvalue)

    def column_expression(self, column):
        return _FromDatabase(column)


class _ToDatabase(ColumnElement):
    inherit_cache = True

    def __init__(self, value):
        self.value = value
        self.type = Text()


class _FromDatabase(ColumnElement):
    inherit_cache = True

    def __init__(self, column):
        self.column = column
        self.type = Text()


@compiles(Geometry, "postgresql")
def _geometry_type(_type, _compiler, **_kw) -> str:
    return f"geometry(Geometry, {SRID})"


@compiles(_ToDatabase)
def _to_text(element, compiler, **kw) -> str:
    return compiler.process(element.value, **kw)


@compiles(_ToDatabase, "postgresql")
def _to_postgis(element, compiler, **kw) -> str:
    return f"ST_SetSRID(ST_GeomFromEWKB(decode({compiler.process(element.value, **kw)}, 'hex')), {SRID})"


@compiles(_FromDatabase)
def _from_text(element, compiler, **kw) -> str:
    return compiler.process(element.column, **kw)


@compiles(_FromDatabase, "postgresql")
def _from_postgis(element, compiler, **kw) -> str:
    # EWKB without an SRID is the "extended" WKB shapely writes, Z and M included
    return f"upper(encode(ST_AsEWKB(ST_SetSRID({compiler.process(element.column, **kw)}, 0), 'NDR'), 'hex'))"
