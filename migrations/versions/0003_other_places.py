"""The other places the bureau supervises: markets, sales offices, housing agencies, parks, water and sewage plants.

Each is a layer of points (a PostGIS geometry with its GIST index on PostgreSQL, WKB hex
text on SQLite, as 0002 left the others) and a daily report; the new row tables start
empty and no other table is touched.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from geo.store.geomtype import Geometry

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The tables as this revision makes them, written out rather than read from geo/domain/schema.py:
# a later change of the schema is a revision of its own, and this one stays what it was.
T, I = sa.Text, sa.Integer
TABLES = {  # name: (key, has a geometry, columns)
    "markets": (("id",), True, "id name address zone vendors:I manager contact phone"),
    "market_status": (("market_id", "date"), False,
                      "market_id market_name date opening vendors_open:I staff:I disinfections:I note"),
    "sales_offices": (("id",), True, "id name address zone developer contact phone"),
    "sales_office_status": (("office_id", "date"), False,
                            "office_id office_name date opening visits:I staff:I disinfections:I note"),
    "agencies": (("id",), True, "id name address zone company contact phone"),
    "agency_status": (("agency_id", "date"), False, "agency_id agency_name date opening staff:I note"),
    "parks": (("id",), True, "id name address zone manager contact phone"),
    "park_status": (("park_id", "date"), False, "park_id park_name date opening visitors:I staff:I disinfections:I note"),
    "plants": (("id",), True, "id name address zone plant_type operator capacity:I contact phone"),
    "plant_status": (("plant_id", "date"), False, "plant_id plant_name date operation output:I water_quality staff:I note"),
}


def _columns(spec: str) -> list[sa.Column]:
    """'name zone vendors:I' -> Text and Integer columns, in that order."""
    return [sa.Column(name, I() if kind == "I" else T(), nullable=True)
            for name, _, kind in (word.partition(":") for word in spec.split())]


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, (key, geometry, spec) in TABLES.items():
        op.create_table(
            f"rows_{name}",
            sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("added_in", sa.Integer(), nullable=False),
            sa.Column("removed_in", sa.Integer(), nullable=True),
            *_columns(spec),
            *([sa.Column("geometry", Geometry(), nullable=True)] if geometry else []),
            sa.ForeignKeyConstraint(["added_in"], ["versions.id"]),
            sa.ForeignKeyConstraint(["removed_in"], ["versions.id"]),
            sa.PrimaryKeyConstraint("row_id"),
        )
        op.create_index(f"ix_rows_{name}_added", f"rows_{name}", ["added_in"], unique=False)
        op.create_index(f"ix_rows_{name}_current", f"rows_{name}", ["removed_in", *key], unique=False)
        if geometry and postgresql:
            op.execute(f"CREATE INDEX ix_rows_{name}_geometry ON rows_{name} USING gist (geometry)")


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(f"rows_{name}")  # its indexes go with it
