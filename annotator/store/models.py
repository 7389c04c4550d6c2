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
    Float,
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
    uid: Mapped[str] = mapped_column(String(64), nullable=False)  # unique: uq_spans_uid below
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
        # A unique index rather than a constraint of the table: an import into a table of
        # few spans drops it and builds it again after loading (store/span_indexes.py),
        # which SQLite allows for an index only (revision 0011).
        Index("uq_spans_uid", "uid", unique=True),
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


class AlignmentCrossing(Base):
    """Two sentences that translate each other out of order (a crossing link): [a_start,
    a_end) of document a and [b_start, b_end) of document b. Each is an untranslated block
    of the same annotator's monotone alignment (AlignmentBlock), which stays monotone."""

    __tablename__ = "alignment_crossings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_a_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    doc_b_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), nullable=False)
    a_start: Mapped[int] = mapped_column(Integer, nullable=False)
    a_end: Mapped[int] = mapped_column(Integer, nullable=False)
    b_start: Mapped[int] = mapped_column(Integer, nullable=False)
    b_end: Mapped[int] = mapped_column(Integer, nullable=False)
    __table_args__ = (
        CheckConstraint("a_start >= 0 AND a_end > a_start AND b_start >= 0 AND b_end > b_start", name="ranges"),
        CheckConstraint("doc_a_id <> doc_b_id", name="two_documents"),
        UniqueConstraint("doc_a_id", "doc_b_id", "annotator_id", "a_start", name="uq_alignment_crossings_a"),
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


# The item columns of attribute_values; none set: the value is the document's.
_ITEM_COLUMNS = ("span_id", "event_id", "claim_id", "event_argument_id", "claim_argument_id")


class AttributeValue(Base):
    """One attribute of an item of one layer (issue 14): of a span, event, claim or
    argument (exactly one of the item columns set), or of the document itself (none
    set: a document label of that layer). `value` is the JSON text of the value, so a
    number, a boolean or a string comes back as it was written."""

    __tablename__ = "attribute_values"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), nullable=False)
    # No cascades: removing an item removes its values through the Recorder, so undo
    # puts them back.
    span_id: Mapped[int | None] = mapped_column(ForeignKey("spans.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    event_argument_id: Mapped[int | None] = mapped_column(ForeignKey("event_arguments.id"), index=True)
    claim_argument_id: Mapped[int | None] = mapped_column(ForeignKey("claim_arguments.id"), index=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    value: Mapped[str] = mapped_column(Text, nullable=False)
    __table_args__ = (
        CheckConstraint(" + ".join(f"CASE WHEN {c} IS NULL THEN 0 ELSE 1 END" for c in _ITEM_COLUMNS) + " <= 1",
                        name="one_item"),
        Index("ix_attribute_values_layer", "document_id", "annotator_id"),
    )


class Relation(Base):
    """A typed relation from one span to another of the same document and layer."""

    __tablename__ = "relations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), nullable=False)
    type: Mapped[str] = mapped_column(String(64), nullable=False)
    from_span_id: Mapped[int] = mapped_column(ForeignKey("spans.id"), nullable=False, index=True)
    to_span_id: Mapped[int] = mapped_column(ForeignKey("spans.id"), nullable=False, index=True)
    created_at: Mapped[datetime] = _created()
    __table_args__ = (
        CheckConstraint("from_span_id <> to_span_id", name="distinct"),
        Index("ix_relations_layer", "document_id", "annotator_id"),
    )


class Entity(Base):
    """A cluster of mentions of one real-world entity in one annotator's layers (across
    the documents of a translation group too), with an optional knowledge-base id
    (a Wikidata QID). `uid` is unique within the annotator's layers."""

    __tablename__ = "entities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), nullable=False)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), nullable=False)
    kb: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = _created()
    __table_args__ = (UniqueConstraint("annotator_id", "uid", name="uq_entities_annotator_uid"),)


class EntityMember(Base):
    """A span's place in a cluster (at most one). The span's document and layer are
    repeated so that a change to the membership names the layer it touches."""

    __tablename__ = "entity_members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), nullable=False, index=True)
    span_id: Mapped[int] = mapped_column(ForeignKey("spans.id"), nullable=False, unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), nullable=False)
    __table_args__ = (Index("ix_entity_members_layer", "document_id", "annotator_id"),)


class SpanFragment(Base):
    """A fragment [start, end) of a discontinuous span, in order; the span's own start
    and end are the outer bounds. A span without fragment rows is continuous."""

    __tablename__ = "span_fragments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    span_id: Mapped[int] = mapped_column(ForeignKey("spans.id"), nullable=False)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    __table_args__ = (
        CheckConstraint("start >= 0 AND \"end\" > start", name="range"),
        UniqueConstraint("span_id", "position", name="uq_span_fragments_position"),
        Index("ix_span_fragments_layer", "document_id", "annotator_id"),
    )


class SuggestionSource(Base):
    """A named set of suggestions loaded from elsewhere (`annotator import
    --as-suggestions`): another model's predictions, reviewed with the same keys as the
    project's own recommenders. Trained suggestions are recomputed, never stored."""

    __tablename__ = "suggestion_sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    created_at: Mapped[datetime] = _created()


class StoredSuggestion(Base):
    """One suggestion of a source: never a span of any layer, never exported or counted in
    agreement; accepting it adds a span through the edit runner."""

    __tablename__ = "suggestions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("suggestion_sources.id", ondelete="CASCADE"), nullable=False)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
                                             index=True)
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    label: Mapped[str] = mapped_column(String(64), nullable=False)
    score: Mapped[float] = mapped_column(Float, nullable=False)
    __table_args__ = (
        CheckConstraint("start >= 0 AND \"end\" > start", name="range"),
        UniqueConstraint("source_id", "document_id", "start", "end", "label", name="uq_suggestions_item"),
    )


class SuggestionRejection(Base):
    """A suggestion an annotator rejected in a document: negative evidence for the
    recommenders, and never suggested again (from any source)."""

    __tablename__ = "suggestion_rejections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), nullable=False)
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    label: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = _created()
    __table_args__ = (
        CheckConstraint("start >= 0 AND \"end\" > start", name="range"),
        # Also the index of a document's rejections.
        UniqueConstraint("document_id", "annotator_id", "start", "end", "label", name="uq_suggestion_rejections_item"),
    )


class ItemVersion(Base):
    """The version of one shared item (annotator.store.versions names them: the gold layer
    of a document, an alignment, a document's translation group), counted up by every
    committed change of it, with who made that change and when (UTC). An item never
    changed has no row (version 0)."""

    __tablename__ = "item_versions"
    item: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    changed_by: Mapped[str] = mapped_column(String(200), nullable=False)
    changed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


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
