"""A daily report's current rows by date (issue #22): ``ix_rows_<kind>_dated`` on ``removed_in, date``, so that
an import's check finds the newest report date, and the rows of one date, without reading every report (a
million compounds' week is seven million rows). Only the date: the places that reported on a date are read
from the index of places (``ix_rows_<kind>_current``), which holds them, and the index stays half the size.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# each daily report's table as it was at this revision
REPORTS = ("compound_status", "site_status", "supplies", "market_status", "sales_office_status", "agency_status",
           "park_status", "plant_status")


def upgrade() -> None:
    for kind in REPORTS:
        op.create_index(f"ix_rows_{kind}_dated", f"rows_{kind}", ["removed_in", "date"])


def downgrade() -> None:
    for kind in REPORTS:
        op.drop_index(f"ix_rows_{kind}_dated", f"rows_{kind}")
