"""The store as it was before migrations (commit 304369c): geometry as WKB hex text.

Revision ID: 0001
Revises:
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('files',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('store_meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('failed_count', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_login', sa.DateTime(), nullable=True),
    sa.CheckConstraint("role IN ('viewer', 'staff', 'admin')", name='users_role_known'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('versions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_name', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('rows_in_file', sa.Integer(), nullable=True),
    sa.Column('rows_added', sa.Integer(), nullable=False),
    sa.Column('rows_changed', sa.Integer(), nullable=False),
    sa.Column('rows_removed', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('target_version', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['file_id'], ['files.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('changes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('change', sa.String(length=16), nullable=False),
    sa.Column('place', sa.String(length=255), nullable=True),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=True),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_changes_version_id'), ['version_id'], unique=False)

    op.create_table('rows_compound_status',
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('compound_id', sa.Text(), nullable=True),
    sa.Column('compound_name', sa.Text(), nullable=True),
    sa.Column('date', sa.Text(), nullable=True),
    sa.Column('closure', sa.Text(), nullable=True),
    sa.Column('gates_open', sa.Integer(), nullable=True),
    sa.Column('staff_on_duty', sa.Integer(), nullable=True),
    sa.Column('volunteers_on_duty', sa.Integer(), nullable=True),
    sa.Column('residents', sa.Integer(), nullable=True),
    sa.Column('fever_reports', sa.Integer(), nullable=True),
    sa.Column('home_isolation', sa.Integer(), nullable=True),
    sa.Column('vulnerable', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['added_in'], ['versions.id'], ),
    sa.ForeignKeyConstraint(['removed_in'], ['versions.id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('rows_compound_status', schema=None) as batch_op:
        batch_op.create_index('ix_rows_compound_status_added', ['added_in'], unique=False)
        batch_op.create_index('ix_rows_compound_status_current', ['removed_in', 'compound_id', 'date'], unique=False)

    op.create_table('rows_compounds',
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('id', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('zone', sa.Text(), nullable=True),
    sa.Column('households', sa.Integer(), nullable=True),
    sa.Column('property_company', sa.Text(), nullable=True),
    sa.Column('geometry', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['added_in'], ['versions.id'], ),
    sa.ForeignKeyConstraint(['removed_in'], ['versions.id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('rows_compounds', schema=None) as batch_op:
        batch_op.create_index('ix_rows_compounds_added', ['added_in'], unique=False)
        batch_op.create_index('ix_rows_compounds_current', ['removed_in', 'id'], unique=False)

    op.create_table('rows_site_status',
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('site_id', sa.Text(), nullable=True),
    sa.Column('site_name', sa.Text(), nullable=True),
    sa.Column('date', sa.Text(), nullable=True),
    sa.Column('resumption', sa.Text(), nullable=True),
    sa.Column('workers_total', sa.Integer(), nullable=True),
    sa.Column('workers_returned', sa.Integer(), nullable=True),
    sa.Column('health_ledger', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['added_in'], ['versions.id'], ),
    sa.ForeignKeyConstraint(['removed_in'], ['versions.id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('rows_site_status', schema=None) as batch_op:
        batch_op.create_index('ix_rows_site_status_added', ['added_in'], unique=False)
        batch_op.create_index('ix_rows_site_status_current', ['removed_in', 'site_id', 'date'], unique=False)

    op.create_table('rows_sites',
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('id', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('kind', sa.Text(), nullable=True),
    sa.Column('developer', sa.Text(), nullable=True),
    sa.Column('contractor', sa.Text(), nullable=True),
    sa.Column('zone', sa.Text(), nullable=True),
    sa.Column('geometry', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['added_in'], ['versions.id'], ),
    sa.ForeignKeyConstraint(['removed_in'], ['versions.id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('rows_sites', schema=None) as batch_op:
        batch_op.create_index('ix_rows_sites_added', ['added_in'], unique=False)
        batch_op.create_index('ix_rows_sites_current', ['removed_in', 'id'], unique=False)

    op.create_table('rows_supplies',
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('place_id', sa.Text(), nullable=True),
    sa.Column('place_name', sa.Text(), nullable=True),
    sa.Column('date', sa.Text(), nullable=True),
    sa.Column('item', sa.Text(), nullable=True),
    sa.Column('on_hand', sa.Float(), nullable=True),
    sa.Column('daily_use', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['added_in'], ['versions.id'], ),
    sa.ForeignKeyConstraint(['removed_in'], ['versions.id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('rows_supplies', schema=None) as batch_op:
        batch_op.create_index('ix_rows_supplies_added', ['added_in'], unique=False)
        batch_op.create_index('ix_rows_supplies_current', ['removed_in', 'place_id', 'date', 'item'], unique=False)

    op.create_table('rows_zones',
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('id', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('district', sa.Text(), nullable=True),
    sa.Column('street', sa.Text(), nullable=True),
    sa.Column('leader', sa.Text(), nullable=True),
    sa.Column('phone', sa.Text(), nullable=True),
    sa.Column('geometry', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['added_in'], ['versions.id'], ),
    sa.ForeignKeyConstraint(['removed_in'], ['versions.id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('rows_zones', schema=None) as batch_op:
        batch_op.create_index('ix_rows_zones_added', ['added_in'], unique=False)
        batch_op.create_index('ix_rows_zones_current', ['removed_in', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('rows_zones', schema=None) as batch_op:
        batch_op.drop_index('ix_rows_zones_current')
        batch_op.drop_index('ix_rows_zones_added')

    op.drop_table('rows_zones')
    with op.batch_alter_table('rows_supplies', schema=None) as batch_op:
        batch_op.drop_index('ix_rows_supplies_current')
        batch_op.drop_index('ix_rows_supplies_added')

    op.drop_table('rows_supplies')
    with op.batch_alter_table('rows_sites', schema=None) as batch_op:
        batch_op.drop_index('ix_rows_sites_current')
        batch_op.drop_index('ix_rows_sites_added')

    op.drop_table('rows_sites')
    with op.batch_alter_table('rows_site_status', schema=None) as batch_op:
        batch_op.drop_index('ix_rows_site_status_current')
        batch_op.drop_index('ix_rows_site_status_added')

    op.drop_table('rows_site_status')
    with op.batch_alter_table('rows_compounds', schema=None) as batch_op:
        batch_op.drop_index('ix_rows_compounds_current')
        batch_op.drop_index('ix_rows_compounds_added')

    op.drop_table('rows_compounds')
    with op.batch_alter_table('rows_compound_status', schema=None) as batch_op:
        batch_op.drop_index('ix_rows_compound_status_current')
        batch_op.drop_index('ix_rows_compound_status_added')

    op.drop_table('rows_compound_status')
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_changes_version_id'))

    op.drop_table('changes')
    op.drop_table('versions')
    op.drop_table('users')
    op.drop_table('store_meta')
    op.drop_table('files')