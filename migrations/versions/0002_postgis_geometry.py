"""Geometry in PostGIS columns with spatial (GIST) indexes on PostgreSQL; SQLite keeps WKB hex text.

A PostgreSQL store made before this revision held WKB hex text too: every shape is
converted in place, so no row is lost.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LAYERS = ("zones", "compounds", "sites")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    for kind in LAYERS:
        op.execute(f"ALTER TABLE rows_{kind} ALTER COLUMN geometry TYPE geometry(Geometry, 4326) "
                   f"USING ST_SetSRID(ST_GeomFromEWKB(decode(geometry, 'hex')), 4326)")
        op.execute(f"CREATE INDEX ix_rows_{kind}_geometry ON rows_{kind} USING gist (geometry)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for kind in LAYERS:
        op.execute(f"DROP INDEX ix_rows_{kind}_geometry")
        op.execute(f"ALTER TABLE rows_{kind} ALTER COLUMN geometry TYPE text "
                   f"USING upper(encode(ST_AsEWKB(ST_SetSRID(geometry, 0), 'NDR'), 'hex'))")
