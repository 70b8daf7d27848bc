"""The login of each browser, kept so that a reload or a server restart keeps it (issue #18, item 2).

``browser_logins``: one row per browser logged in, under the SHA-256 of its cookie. It
replaces the marks ``login:<key>`` in ``store_meta`` that only said a login had ended,
which are removed. No other table is touched.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "browser_logins",
        sa.Column("browser", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("browser"),
    )
    op.execute("DELETE FROM store_meta WHERE key LIKE 'login:%'")


def downgrade() -> None:
    op.drop_table("browser_logins")
