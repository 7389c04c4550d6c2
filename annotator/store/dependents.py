"""Rows that hang on spans, events, claims and arguments (attribute values, relations,
entity cluster memberships, fragments), removed with their item through the caller's
Recorder, so that the item's removal is one change and undoing it puts them back.

Nothing here cascades in the database: a cascade would delete behind the Recorder's back.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select

from annotator.store.changes import Recorder
from annotator.store.models import (
    AttributeValue,
    ClaimArgument,
    Entity,
    EntityMember,
    EventArgument,
    Relation,
    SpanFragment,
)


def remove_for_spans(rec: Recorder, span_ids: list[int]) -> None:
    """Before spans `span_ids` are removed: their relations (either end), attribute
    values, fragments and memberships; a cluster left without members goes too."""
    if not span_ids:
        return
    rec.delete(Relation, or_(Relation.from_span_id.in_(span_ids), Relation.to_span_id.in_(span_ids)))
    rec.delete(AttributeValue, AttributeValue.span_id.in_(span_ids))
    rec.delete(SpanFragment, SpanFragment.span_id.in_(span_ids))
    gone = rec.delete(EntityMember, EntityMember.span_id.in_(span_ids))
    remove_empty_entities(rec, sorted({r["entity_id"] for r in gone}))


def remove_empty_entities(rec: Recorder, entity_ids: list[int]) -> None:
    """Clusters among `entity_ids` that have no member left (a cluster is its mentions)."""
    if not entity_ids:
        return
    used = set(rec.conn.scalars(select(EntityMember.entity_id).where(EntityMember.entity_id.in_(entity_ids))
                                .group_by(EntityMember.entity_id).having(func.count() > 0)))
    empty = [e for e in entity_ids if e not in used]
    if empty:
        rec.delete(Entity, Entity.id.in_(empty))


def remove_for_frames(rec: Recorder, kind: str, frame_ids: list[int]) -> None:
    """Before events or claims (`kind`) `frame_ids` are removed with their arguments:
    the attribute values of the frames and of their arguments."""
    if not frame_ids:
        return
    args, owner = (EventArgument, EventArgument.event_id) if kind == "event" else (ClaimArgument, ClaimArgument.claim_id)
    arg_ids = list(rec.conn.scalars(select(args.id).where(owner.in_(frame_ids))))
    remove_for_arguments(rec, kind, arg_ids)
    column = AttributeValue.event_id if kind == "event" else AttributeValue.claim_id
    rec.delete(AttributeValue, column.in_(frame_ids))


def remove_for_arguments(rec: Recorder, kind: str, argument_ids: list[int]) -> None:
    """Before arguments of events or claims (`kind`) are removed: their attribute values."""
    if argument_ids:
        column = AttributeValue.event_argument_id if kind == "event" else AttributeValue.claim_argument_id
        rec.delete(AttributeValue, column.in_(argument_ids))
