"""Team mode: managers open places on documents (each document for N annotators), and
each annotator takes the next document from the pool.

"Next document" is one transaction: the annotator's own places whose document they
marked done become 'done'; a place they hold and have not finished is their queue and
comes back first; otherwise the first open place (or one abandoned: taken longer ago
than the timeout) on a document they have no place on is taken. On PostgreSQL the pool
is read with `SELECT ... FOR UPDATE SKIP LOCKED` at READ COMMITTED, so annotators asking
at the same moment get different places without waiting on each other; on SQLite the
write lock taken at BEGIN already serialises them. Times are UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Connection, and_, func, or_, select, update

from annotator.core.errors import AnnotatorError
from annotator.store.models import Annotator, Assignment, Document, DocumentStatus, ProjectMeta
from annotator.store.project import Project, annotator_id

TIMEOUT_KEY = "assignment_timeout_minutes"
QUOTA_KEY = "assignment_quota"
DEFAULT_TIMEOUT_MINUTES = 120


@dataclass(frozen=True)
class Settings:
    timeout: timedelta
    quota: int | None  # documents one annotator may take in all; None (stored: 0 or nothing): no limit


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _set_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(ProjectMeta.__table__.delete().where(ProjectMeta.key == key))
    conn.execute(ProjectMeta.__table__.insert(), [{"key": key, "value": value}])


def settings(conn: Connection) -> Settings:
    meta: dict[str, str] = {key: value for key, value in conn.execute(
        select(ProjectMeta.key, ProjectMeta.value).where(ProjectMeta.key.in_([TIMEOUT_KEY, QUOTA_KEY])))}
    quota = meta.get(QUOTA_KEY)
    return Settings(timedelta(minutes=int(meta.get(TIMEOUT_KEY, DEFAULT_TIMEOUT_MINUTES))),
                    int(quota) if quota and int(quota) > 0 else None)  # 0: no limit (the dialog's)


def assign(project: Project, copies: int, timeout_minutes: int | None = None, quota: int | None = None) -> int:
    """Open places so that every document has `copies` of them (never fewer than it has);
    returns how many were added. Timeout and quota are kept for later calls when given."""
    if copies < 1:
        raise AnnotatorError(f"{project.path}: --copies must be at least 1 (got {copies})")
    if timeout_minutes is not None and timeout_minutes < 1:
        raise AnnotatorError(f"{project.path}: --timeout must be at least 1 minute (got {timeout_minutes})")
    with project.write() as conn:
        have: dict[int, int] = {doc: top for doc, top in conn.execute(
            select(Assignment.document_id, func.max(Assignment.place)).group_by(Assignment.document_id))}
        rows = [{"document_id": doc, "place": place, "state": "open"}
                for doc in conn.scalars(select(Document.id).order_by(Document.id))
                for place in range(have.get(doc, 0) + 1, copies + 1)]
        if rows:
            conn.execute(Assignment.__table__.insert(), rows)
        if timeout_minutes is not None:
            _set_meta(conn, TIMEOUT_KEY, str(timeout_minutes))
        if quota is not None:
            _set_meta(conn, QUOTA_KEY, str(quota))
    return len(rows)


def next_document(project: Project, annotator: str) -> int | None:
    """The document `annotator` works on next (see the module docstring); None when the
    pool has nothing for them (or their quota is reached)."""
    with project.write(isolation="READ COMMITTED") as conn:
        me = annotator_id(conn, annotator)
        finished = select(DocumentStatus.document_id).where(DocumentStatus.annotator_id == me,
                                                            DocumentStatus.status == "done")
        conn.execute(update(Assignment).where(Assignment.annotator_id == me, Assignment.state == "taken",
                                              Assignment.document_id.in_(finished)).values(state="done"))
        mine = conn.scalar(select(Assignment.document_id).where(Assignment.annotator_id == me,
                                                                Assignment.state == "taken")
                           .order_by(Assignment.taken_at, Assignment.id).limit(1))
        if mine is not None:
            return int(mine)
        rules = settings(conn)
        if rules.quota is not None and (conn.scalar(select(func.count()).select_from(Assignment)
                                                    .where(Assignment.annotator_id == me)) or 0) >= rules.quota:
            return None
        cutoff = now() - rules.timeout
        takeable = or_(Assignment.state == "open",
                       and_(Assignment.state == "taken", Assignment.taken_at < cutoff))
        held = select(Assignment.document_id).where(Assignment.annotator_id == me)
        pick = (select(Assignment.id, Assignment.document_id)
                .where(takeable, Assignment.document_id.not_in(held))
                .order_by(Assignment.document_id, Assignment.place).limit(1))
        if conn.dialect.name == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        row = conn.execute(pick).first()
        if row is None:
            return None
        taken = conn.execute(update(Assignment).where(Assignment.id == row.id, takeable)
                             .values(annotator_id=me, state="taken", taken_at=now()))
        if taken.rowcount != 1:  # taken by someone between the read and the lock: ask again
            raise AnnotatorError(f"{project.path}: that document was just taken by someone else; ask again")
        return int(row.document_id)


def queue(conn: Connection, annotator: str) -> list[int]:
    """The documents `annotator` holds and has not finished, oldest first."""
    me = select(Annotator.id).where(Annotator.name == annotator).scalar_subquery()
    return list(conn.scalars(select(Assignment.document_id)
                             .where(Assignment.state == "taken", Assignment.annotator_id == me)
                             .order_by(Assignment.taken_at, Assignment.id)))


def held(conn: Connection, annotator: str) -> list[int]:
    """The documents `annotator` took, finished or not (what their navigator lists), oldest first."""
    me = select(Annotator.id).where(Annotator.name == annotator).scalar_subquery()
    return list(conn.scalars(select(Assignment.document_id)
                             .where(Assignment.state.in_(("taken", "done")), Assignment.annotator_id == me)
                             .order_by(Assignment.taken_at, Assignment.id)))


def in_use(conn: Connection) -> bool:
    """Whether a manager has opened places (a project without them is not assigned work)."""
    return conn.scalar(select(Assignment.id).limit(1)) is not None
