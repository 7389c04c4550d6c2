"""The whole product's tables, typed declarative SQLAlchemy 2.

Portable SQL only (SQLite now, PostgreSQL for teams). Integer primary keys for joins;
`uid` text columns are the stable ids that appear in exports. Indexes serve the reads the
UI makes: spans of one document and layer in offset order, read from the index alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    if TYPE_CHECKING:
        # Every model here is mapped to a Table (SQLAlchemy's own annotation says any
        # FromClause, which has no insert()): the bulk paths use the Core table on purpose.
        __table__: ClassVar[Table]


def _created() -> Mapped[datetime]:
    return mapped_column(DateTime, server_default=func.current_timestamp(), nullable=False)


class ProjectMeta(Base):
    """Key/value project settings: format version, label schema, languages."""

    __tablename__ = "project_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class Annotator(Base):
    __tablename__ = "annotators"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    created_at: Mapped[datetime] = _created()


class TranslationGroup(Base):
    __tablename__ = "translation_groups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    name: Mapped[str | None] = mapped_column(Text)


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    title: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    # In code points. Stored: SQL's length() would read the whole text (1 MB) every time.
    length: Mapped[int] = mapped_column(Integer, nullable=False)
    source: Mapped[str | None] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("translation_groups.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = _created()


class DocumentStatus(Base):
    """Progress of one annotator's layer on one document (absent row: to do)."""

    __tablename__ = "document_status"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    updated_at: Mapped[datetime] = _created()
    __table_args__ = (CheckConstraint("status IN ('todo', 'in_progress', 'done')", name="status"),)


class Span(Base):
    __tablename__ = "spans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), nullable=False)
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    label: Mapped[str] = mapped_column(String(64), nullable=False)
    value: Mapped[str | None] = mapped_column(Text)  # normalised value: ISO date, number
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _created()
    __table_args__ = (
        CheckConstraint("start >= 0 AND \"end\" > start", name="range"),
        # Covering index: a document's layer in offset order without touching the table.
        Index("ix_spans_layer", "document_id", "annotator_id", "start", "end", "label", "uid"),
        Index("ix_spans_annotator_created", "annotator_id", "created_at"),
    )


class Event(Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), nullable=False)
    type: Mapped[str] = mapped_column(String(64), nullable=False)
    trigger_start: Mapped[int] = mapped_column(Integer, nullable=False)
    trigger_end: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = _created()
    __table_args__ = (
        CheckConstraint("trigger_start >= 0 AND trigger_end > trigger_start", name="range"),
        Index("ix_events_layer", "document_id", "annotator_id", "trigger_start"),
    )


class EventArgument(Base):
    __tablename__ = "event_arguments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(64), nullable=False)
    # No cascade: removing a span an event uses must be an explicit, undoable decision.
    span_id: Mapped[int] = mapped_column(ForeignKey("spans.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Claim(Base):
    __tablename__ = "claims"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), nullable=False)
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = _created()
    __table_args__ = (
        CheckConstraint("start >= 0 AND \"end\" > start", name="range"),
        Index("ix_claims_layer", "document_id", "annotator_id", "start"),
    )


class ClaimArgument(Base):
    __tablename__ = "claim_arguments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(64), nullable=False)
    span_id: Mapped[int] = mapped_column(ForeignKey("spans.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class AlignmentBlock(Base):
    """One n-to-m block of a sentence alignment between two documents of a group:
    character ranges [a_start, a_end) in document a and [b_start, b_end) in document b;
    an empty range means that side has no sentence in the block."""

    __tablename__ = "alignment_blocks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_a_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    doc_b_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    a_start: Mapped[int] = mapped_column(Integer, nullable=False)
    a_end: Mapped[int] = mapped_column(Integer, nullable=False)
    b_start: Mapped[int] = mapped_column(Integer, nullable=False)
    b_end: Mapped[int] = mapped_column(Integer, nullable=False)
    __table_args__ = (
        CheckConstraint("a_start >= 0 AND a_end >= a_start AND b_start >= 0 AND b_end >= b_start", name="ranges"),
        CheckConstraint("doc_a_id <> doc_b_id", name="two_documents"),
        UniqueConstraint("doc_a_id", "doc_b_id", "annotator_id", "position", name="uq_alignment_blocks_position"),
    )


class SpanLink(Base):
    """A span linked to its counterpart in another document of its translation group."""

    __tablename__ = "span_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_span_id: Mapped[int] = mapped_column(ForeignKey("spans.id", ondelete="CASCADE"), nullable=False)
    target_span_id: Mapped[int] = mapped_column(ForeignKey("spans.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[datetime] = _created()
    __table_args__ = (
        UniqueConstraint("source_span_id", "target_span_id", name="uq_span_links_pair"),
        CheckConstraint("source_span_id <> target_span_id", name="distinct"),
    )


class AdjudicationDecision(Base):
    """A curator's decision on a place [start, end) of a document (code points) that the
    gold layer cannot show by itself. `decision` is 'none': every annotator's version there
    was rejected, so gold has nothing there on purpose. It describes the adjudication, not
    the gold, and is not exported. Other kinds of decision are new values of `decision`
    (and of its check); one decision per place."""

    __tablename__ = "adjudication_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    decision: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = _created()
    __table_args__ = (
        CheckConstraint("start >= 0 AND \"end\" > start", name="range"),
        CheckConstraint("decision IN ('none')", name="decision"),
        # Also the index of a document's decisions.
        UniqueConstraint("document_id", "start", "end", name="uq_adjudication_decisions_place"),
    )


class Assignment(Base):
    """Team mode: one of the `place`s (1..N) a manager opened on a document for N
    annotators. Open while annotator_id is NULL; "next document" takes one (state
    'taken', taken_at in UTC); it is 'done' once its annotator marked the document done.
    A place taken longer ago than the project's timeout goes back to the pool."""

    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    place: Mapped[int] = mapped_column(Integer, nullable=False)
    annotator_id: Mapped[int | None] = mapped_column(ForeignKey("annotators.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), nullable=False)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime)
    __table_args__ = (
        CheckConstraint("state IN ('open', 'taken', 'done')", name="state"),
        CheckConstraint("place >= 1", name="place"),
        UniqueConstraint("document_id", "place", name="uq_assignments_place"),
    )
