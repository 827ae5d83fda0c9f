"""Alembic environment: runs migrations against the app's own database engine."""

from alembic import context
from flask import current_app

config = context.config
db = current_app.extensions["migrate"].db


def run_migrations_offline() -> None:
    """Write the SQL for the migrations without a database connection."""
    url = db.engine.url.render_as_string(hide_password=False)
    context.configure(
        url=url, target_metadata=db.metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Apply the migrations over a connection to the app's database."""

    def skip_empty(context_, revision, directives):
        # An autogenerate run that finds no change writes no empty revision.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []

    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by copying it and dropping the old one; with foreign keys
            # enforced, dropping a profile table would cascade to every section, statement and
            # revision. Off for the migration (it cannot change inside a transaction), and
            # every reference checked once it is done.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            process_revision_directives=skip_empty,
            # SQLite alters tables by copying them; batch mode makes that automatic.
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"The migration left rows pointing at nothing: {broken}")
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
