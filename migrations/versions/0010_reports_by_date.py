"""A daily report's current rows by date (issue #22): ``ix_rows_<kind>_dated`` on ``removed_in, date`` and the
rest of the key, so that an import's check finds the newest report date and the places that reported on a date
without reading every report (a million compounds' week is seven million rows).

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# each daily report's table and its key without the date, as they were at this revision
KEYS = {"compound_status": ["compound_id"], "site_status": ["site_id"], "supplies": ["place_id", "item"],
        "market_status": ["market_id"], "sales_office_status": ["office_id"], "agency_status": ["agency_id"],
        "park_status": ["park_id"], "plant_status": ["plant_id"]}


def upgrade() -> None:
    for kind, rest in KEYS.items():
        op.create_index(f"ix_rows_{kind}_dated", f"rows_{kind}", ["removed_in", "date", *rest])


def downgrade() -> None:
    for kind in KEYS:
        op.drop_index(f"ix_rows_{kind}_dated", f"rows_{kind}")
