"""Grid officers (网格员, issue #21) and responsible units (责任单位, issue #20): the roles ``officer`` and ``unit``
join the roles an account may have.

The check on ``users.role`` is widened (SQLite recreates the table, batch mode copying every row; PostgreSQL
alters it in place, which keeps the ids' sequence).
Going down turns officers and units into viewers first: the narrower check would refuse them, and a viewer
sees no more than an officer did.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_NAME = "users_role_known"


def _recheck(roles: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{role}'" for role in roles)
    with op.batch_alter_table("users") as batch:  # SQLite recreates the table; PostgreSQL alters it in place
        batch.drop_constraint(_NAME, type_="check")
        batch.create_check_constraint(_NAME, sa.text(f"role IN ({listed})"))


def upgrade() -> None:
    _recheck(("viewer", "officer", "unit", "staff", "admin"))


def downgrade() -> None:
    op.execute("UPDATE users SET role = 'viewer' WHERE role IN ('officer', 'unit')")
    _recheck(("viewer", "staff", "admin"))
