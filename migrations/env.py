"""Alembic's entry: run the migrations on the connection :func:`geo.migrate.upgrade` hands over."""

from alembic import context

from geo.db import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
