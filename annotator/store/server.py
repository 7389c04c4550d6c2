"""A project on a PostgreSQL server: creating its schema with the same Alembic migrations
as a file, recognising it, refusing a schema newer than this version knows, and saying a
server's refusals in words a user can act on.

A server has no file lock (many users write at once; transactions keep them apart) and
needs no backup before an upgrade (PostgreSQL's DDL is transactional: a failed upgrade
leaves the schema as it was).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, create_engine, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.store import migrate
from annotator.store.location import ServerLocation
from annotator.store.models import ProjectMeta

# project_meta key: the annotator version whose migrations brought the schema to its
# revision, so an older client can say which version to install.
APP_VERSION_KEY = "app_version"


def reason_of(exc: BaseException) -> str:
    text_ = str(getattr(exc, "orig", None) or exc).strip()
    return text_.splitlines()[0] if text_ else type(exc).__name__


def describe(location: ServerLocation, exc: BaseException, doing: str = "nothing was saved") -> str:
    """One line for a server's refusal of an operation."""
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None) or ""
    reason = reason_of(exc)
    if state in ("40001", "40P01"):  # serialization failure, deadlock
        return (f"{location}: someone else changed the same thing at the same moment; {doing}. "
                "Try again (the view shows their change)")
    if state == "42501" or "row-level security" in reason:  # insufficient privilege
        return f"{location}: the server refused it: your role may not do this ({reason}); {doing}"
    if state == "23505":  # unique violation: what this edit writes, another one wrote first
        return f"{location}: the project changed since (another edit holds this place: {reason}); {doing}"
    if state == "25006":  # read-only transaction
        return f"{location}: opened read-only; {doing}"
    if state == "53300" or "connection slots are reserved" in reason:
        return (f"{location}: the server has no connection left for you (its max_connections is reached); "
                f"{doing}. Try again in a moment, or ask the server's manager to raise it")
    if state.startswith("08") or "connection" in reason.lower() and "refused" in reason.lower():
        return (f"{location}: the server cannot be reached ({reason}); {doing}. It is retried on the next "
                "action; check the network or ask the server's manager")
    if state == "57P03" or "the database system is" in reason:  # shutting down, starting up, in recovery
        return f"{location}: the server is restarting or stopping ({reason}); {doing}. Try again when it is back"
    if state == "57P01" or "terminating connection" in reason:
        return f"{location}: the server was restarted or stopped ({reason}); {doing}. Try again when it is back"
    return f"{location}: the server refused the change ({reason}); {doing}"


def describe_connect(location: ServerLocation, exc: BaseException) -> AnnotatorError:
    reason = reason_of(exc)
    if "password authentication failed" in reason or "no password supplied" in reason:
        return AnnotatorError(f"{location}: the server refused the login ({reason}). Give the password as libpq "
                              "reads it: a password file (~/.pgpass or PGPASSFILE), PGPASSWORD, or a service file")
    if "does not exist" in reason and "database" in reason:
        return AnnotatorError(f"{location}: no database {location.database!r} on that server; "
                              f"`annotator server init {location}` creates a project there")
    return AnnotatorError(f"{location}: cannot open the project on the server ({reason})")


def create_database_if_missing(location: ServerLocation) -> None:
    """CREATE DATABASE through the server's `postgres` database when the project's is missing
    (needs the CREATEDB privilege; say so otherwise)."""
    probe = create_engine(location.sqlalchemy_url())
    try:
        with probe.connect():
            return
    except SQLAlchemyError as exc:
        if "does not exist" not in reason_of(exc):
            raise describe_connect(location, exc) from exc
    finally:
        probe.dispose()
    admin = create_engine(location.with_database("postgres").sqlalchemy_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            quoted = conn.dialect.identifier_preparer.quote(location.database)
            conn.exec_driver_sql(f"CREATE DATABASE {quoted} ENCODING 'UTF8' TEMPLATE template0")
    except SQLAlchemyError as exc:
        raise AnnotatorError(f"{location}: cannot create the database ({reason_of(exc)}); create it on the "
                             "server (CREATE DATABASE) or ask its administrator") from exc
    finally:
        admin.dispose()


def refuse_nonempty(conn: Connection, location: ServerLocation) -> None:
    tables = inspect(conn).get_table_names()
    if "project_meta" in tables:
        raise AnnotatorError(f"{location}: already holds a project; open it, or name another database")
    if tables:
        shown = ", ".join(sorted(tables)[:8])
        raise AnnotatorError(f"{location}: the database already holds other tables ({shown}); "
                             "a project needs a database of its own")


def create_schema(conn: Connection) -> None:
    """The schema by running every migration from the first (the same as files are upgraded by)."""
    from alembic import command

    command.upgrade(migrate.alembic_config(conn), "head")
    conn.execute(ProjectMeta.__table__.insert(), [{"key": APP_VERSION_KEY, "value": __version__}])


def recognise(conn: Connection, location: ServerLocation) -> None:
    tables = inspect(conn).get_table_names()
    if "project_meta" not in tables or conn.scalar(
            select(ProjectMeta.value).where(ProjectMeta.key == "format_version")) is None:
        shown = ", ".join(sorted(tables)[:8]) or "none"
        raise AnnotatorError(f"{location}: the database holds no annotator project (tables: {shown}); "
                             f"`annotator server init {location}` creates one in an empty database")


def ensure_current(engine: Engine, location: ServerLocation) -> None:
    """Refuse a schema newer than this version knows (naming the version to install) or
    older (a manager upgrades it for everyone with `annotator server upgrade`)."""
    with engine.connect() as conn, conn.begin():
        recognise(conn, location)
        current = migrate.current_revision(conn)
        written_by = conn.scalar(select(ProjectMeta.value).where(ProjectMeta.key == APP_VERSION_KEY))
    if current == migrate.HEAD_REVISION:
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    head = script.get_current_head()
    if current == head:
        return
    known = {rev.revision for rev in script.walk_revisions()}
    if current not in known:
        install = f"install annotator {written_by} or newer" if written_by else "install a newer annotator"
        raise migrate.NewerProject(f"{location}: the project on the server has schema revision {current}, newer "
                                   f"than this annotator ({__version__}, up to {head}) knows; {install} to open it")
    raise AnnotatorError(f"{location}: the project on the server has schema revision {current}; this version "
                         f"needs {head}. A manager upgrades it for everyone with `annotator server upgrade {location}`")


def upgrade(engine: Engine, location: ServerLocation) -> str | None:
    """Bring a server's project to head in one transaction; returns the revision it had."""
    from alembic import command

    with engine.connect() as conn, conn.begin():
        recognise(conn, location)
        before = migrate.current_revision(conn)
        command.upgrade(migrate.alembic_config(conn), "head")
        conn.execute(ProjectMeta.__table__.delete().where(ProjectMeta.key == APP_VERSION_KEY))
        conn.execute(ProjectMeta.__table__.insert(), [{"key": APP_VERSION_KEY, "value": __version__}])
    return before


def drop_project(engine: Engine) -> None:
    """Remove every table a project has (after a failed creation of a database that was empty)."""
    from annotator.store.models import Base

    with engine.connect() as conn, conn.begin():
        conn.exec_driver_sql("DROP TABLE IF EXISTS document_search, change_log, alembic_version")
        Base.metadata.drop_all(conn)


def current_user(conn: Connection) -> str:
    return str(conn.scalar(text("SELECT current_user")))
