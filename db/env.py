"""Alembic environment. The project API passes its own connection (so migrations run on
the engine with our pragmas); `alembic -x path=FILE upgrade head` works from a shell too."""

from alembic import context
from sqlalchemy import create_engine

from annotator.store.models import Base
from annotator.store.search import include_name

config = context.config
target_metadata = Base.metadata


def run(connection) -> None:
    # render_as_batch: SQLite cannot ALTER most things; batch mode copies the table.
    # include_name: the SQLite FTS search table (revision 0002) is not in the models;
    # autogenerate must neither drop nor copy it.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    path = context.get_x_argument(as_dictionary=True).get("path")
    if not path:
        raise SystemExit("usage: alembic -c db/alembic.ini -x path=PROJECT upgrade head")
    with create_engine(f"sqlite:///{path}").begin() as conn:
        run(conn)
