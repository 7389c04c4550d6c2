"""Moving a whole project between a file and a server, both ways (`annotator server push
FILE URL`, `annotator server pull URL FILE`): every row of every table, ids kept, so
the export of the copy is byte for byte the export of the original.

The target is made new (Project.create refuses an existing file or a database that holds
anything) and filled in one transaction: a failure leaves a database with the empty
schema only on a server (which `drop_project` then removes), and no file at all.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, func, select, text

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.store.location import Location, ServerLocation
from annotator.store.models import Base, ProjectMeta
from annotator.store.project import Project
from annotator.store.search import index_documents, reindex_all
from annotator.store.server import APP_VERSION_KEY, drop_project

BATCH = 1000


def copy_project(source: Location, target: Location) -> dict[str, int]:
    """Copy the project at `source` to the new project `target`; returns rows per table."""
    counts: dict[str, int] = {}
    with Project.open(source, readonly=True) as src:
        made = Project.create(target, schema_text=src.meta("schema"))
        try:
            with src.read() as reader, made.write() as writer:
                writer.execute(ProjectMeta.__table__.delete())  # the source's settings replace the new ones
                for table in Base.metadata.sorted_tables:  # parents before children
                    counts[table.name] = _copy_table(reader, writer, table)
                _after_copy(writer)
        except BaseException:
            if isinstance(target, ServerLocation):
                drop_project(made.engine)
            made.close()
            if isinstance(target, Path):
                for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
                    leftover.unlink(missing_ok=True)
            raise
        made.close()
    return counts


def _copy_table(reader: Connection, writer: Connection, table) -> int:  # type: ignore[no-untyped-def]
    order = list(table.primary_key.columns)
    rows = reader.execute(select(table).order_by(*order).execution_options(yield_per=BATCH)).mappings()
    batch: list[dict[str, object]] = []
    n = 0
    for row in rows:
        batch.append(dict(row))
        if len(batch) == BATCH:
            writer.execute(table.insert(), batch)
            n += len(batch)
            batch = []
    if batch:
        writer.execute(table.insert(), batch)
        n += len(batch)
    return n


def _after_copy(writer: Connection) -> None:
    """Rows came with their ids: move PostgreSQL's sequences past them, and fill the search index."""
    if writer.dialect.name == "postgresql":
        for table in Base.metadata.sorted_tables:
            if [c.name for c in table.primary_key.columns] == ["id"]:
                top = writer.scalar(select(func.max(table.c.id)))
                if top is not None:
                    writer.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), :n)"),
                                   {"n": top})
        from annotator.store.models import Document

        index_documents(writer, list(writer.scalars(select(Document.id))), new=True)
        # Which version's schema the server has, for older clients' messages (store/server.py).
        writer.execute(ProjectMeta.__table__.delete().where(ProjectMeta.key == APP_VERSION_KEY))
        writer.execute(ProjectMeta.__table__.insert(), [{"key": APP_VERSION_KEY, "value": __version__}])
    else:
        reindex_all(writer)


def refuse_same_kind(source: Location, target: Location, verb: str) -> None:
    if isinstance(source, ServerLocation) == isinstance(target, ServerLocation):
        raise AnnotatorError(f"{verb} moves a project between a file and a server; "
                             f"{source} and {target} are both {'servers' if isinstance(source, ServerLocation) else 'files'}")
