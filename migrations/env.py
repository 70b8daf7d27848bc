"""Alembic's entry: run the migrations on the connection :func:`geo.store.migrate.migrate` hands over."""

from alembic import context

from geo.store.tables import metadata

connection = context.config.attributes["connection"]


def include_object(obj, _name, _type, _reflected, _compare_to) -> bool:
    """For autogenerate: an index made for one database only (PostGIS's GIST) is not missing elsewhere."""
    only = getattr(obj, "_ddl_if", None)
    return only is None or only.dialect in (None, connection.dialect.name)


context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  include_object=include_object)
with context.begin_transaction():
    context.run_migrations()
