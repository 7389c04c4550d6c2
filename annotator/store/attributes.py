"""Attribute values of items (spans, events, claims, their arguments) and of a layer's
document (document labels), declared by the schema's `attributes` (core.schema).

`set_attribute` is the one write: one transaction, one Change (undo and redo through
store.changes.apply); a value of None removes the attribute. `layer_attributes` reads a
whole layer in one query. Values are stored as JSON text and come back as they were
written (a string, a number or a boolean).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from annotator.core.errors import AnnotatorError
from annotator.store.changes import Change, Recorder
from annotator.store.models import (
    Annotator,
    AttributeValue,
    Claim,
    ClaimArgument,
    Document,
    Event,
    EventArgument,
    Span,
)
from annotator.store.project import Project

KINDS = ("document", "span", "event", "claim", "event_argument", "claim_argument")
# The schema's name of each kind of item (core.schema.Attribute.applies).
_SCHEMA_KIND = {"document": "document", "span": "span", "event": "event", "claim": "claim",
                "event_argument": "argument", "claim_argument": "argument"}


@dataclass(frozen=True)
class Target:
    """What an attribute is set on, in one document and annotator's layer: the document
    itself, a span, event or claim (`uid`), or an argument (`uid` of its event or claim,
    its `role` and the uid of its `span`)."""

    kind: str
    document_id: int
    annotator: str
    uid: str | None = None
    role: str | None = None
    span: str | None = None


def encode(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def decode(text: str) -> Any:
    return json.loads(text)


def set_attribute(project: Project, target: Target, name: str, value: object) -> Change:
    """Sets attribute `name` of `target` to `value` (None: removes it), refused with the
    reason if the schema does not declare it there or the value is not of its kind. The
    change's result is the value before (None if unset)."""
    if target.kind not in KINDS:
        raise AnnotatorError(f"attributes are set on {', '.join(KINDS)}, not on {target.kind!r}")
    with project.write() as conn:
        column, row_id, schema_name, what = _resolve(conn, target)
        attr = project.schema.attribute(name)
        if attr is None or not attr.applies(_SCHEMA_KIND[target.kind], schema_name):
            declared = ", ".join(a.name for a in project.schema.attributes_for(_SCHEMA_KIND[target.kind], schema_name))
            raise AnnotatorError(f"the schema declares no attribute {name!r} on {what}"
                                 + (f" (it declares {declared})" if declared else ""))
        if value is not None and (why := attr.problem(value)):
            raise AnnotatorError(f"{name} of {what}: {why}")
        rec = Recorder(conn)
        ann = rec.annotator(target.annotator)
        where = [AttributeValue.document_id == target.document_id, AttributeValue.annotator_id == ann,
                 AttributeValue.name == name]
        where += [getattr(AttributeValue, c).is_(None) for c in _COLUMNS if c != column]
        if column is not None:
            where.append(getattr(AttributeValue, column) == row_id)
        gone = rec.delete(AttributeValue, *where)
        before = decode(gone[0]["value"]) if gone else None
        if value is not None:
            row: dict[str, Any] = {"document_id": target.document_id, "annotator_id": ann, "name": name,
                                   "value": encode(value)}
            if column is not None:
                row[column] = row_id
            rec.insert(AttributeValue, [row])
            rec.start_layer(target.document_id, ann)
        rec.touch(target.document_id, ann)
        verb = f"set {name} of {what} to {value}" if value is not None else f"clear {name} of {what}"
        return rec.change(verb, before)


def layer_attributes(conn: Connection, doc_id: int, annotator: str) -> dict[Target, dict[str, Any]]:
    """Every attribute value of one layer, by target, in one query."""
    av = AttributeValue
    span, es, cs = aliased(Span), aliased(Span), aliased(Span)
    ev, eo, cl, co = aliased(Event), aliased(Event), aliased(Claim), aliased(Claim)
    ea, ca = aliased(EventArgument), aliased(ClaimArgument)
    stmt = (select(av.name, av.value, span.uid, ev.uid, cl.uid, eo.uid, ea.role, es.uid, co.uid, ca.role, cs.uid)
            .join(Annotator, av.annotator_id == Annotator.id)
            .outerjoin(span, av.span_id == span.id).outerjoin(ev, av.event_id == ev.id)
            .outerjoin(cl, av.claim_id == cl.id)
            .outerjoin(ea, av.event_argument_id == ea.id).outerjoin(eo, ea.event_id == eo.id)
            .outerjoin(es, ea.span_id == es.id)
            .outerjoin(ca, av.claim_argument_id == ca.id).outerjoin(co, ca.claim_id == co.id)
            .outerjoin(cs, ca.span_id == cs.id)
            .where(av.document_id == doc_id, Annotator.name == annotator).order_by(av.id))
    out: dict[Target, dict[str, Any]] = {}
    for name, value, s, e, c, eo_uid, e_role, e_span, co_uid, c_role, c_span in conn.execute(stmt):
        if s is not None:
            t = Target("span", doc_id, annotator, s)
        elif e is not None:
            t = Target("event", doc_id, annotator, e)
        elif c is not None:
            t = Target("claim", doc_id, annotator, c)
        elif eo_uid is not None:
            t = Target("event_argument", doc_id, annotator, eo_uid, e_role, e_span)
        elif co_uid is not None:
            t = Target("claim_argument", doc_id, annotator, co_uid, c_role, c_span)
        else:
            t = Target("document", doc_id, annotator)
        out.setdefault(t, {})[name] = decode(value)
    return out


def unset_required(project: Project, conn: Connection, doc_id: int, annotator: str) -> list[tuple[Target, str]]:
    """Required attributes that items of the layer (and its document) do not have yet:
    the reminders the inspector lists."""
    schema = project.schema
    have = layer_attributes(conn, doc_id, annotator)
    ann = select(Annotator.id).where(Annotator.name == annotator).scalar_subquery()
    items: list[tuple[Target, str, str | None]] = [(Target("document", doc_id, annotator), "document", None)]
    items += [(Target("span", doc_id, annotator, uid), "span", label) for uid, label in conn.execute(
        select(Span.uid, Span.label).where(Span.document_id == doc_id, Span.annotator_id == ann).order_by(Span.start))]
    items += [(Target("event", doc_id, annotator, uid), "event", type_) for uid, type_ in conn.execute(
        select(Event.uid, Event.type).where(Event.document_id == doc_id, Event.annotator_id == ann)
        .order_by(Event.trigger_start))]
    items += [(Target("claim", doc_id, annotator, uid), "claim", None) for (uid,) in conn.execute(
        select(Claim.uid).where(Claim.document_id == doc_id, Claim.annotator_id == ann).order_by(Claim.start))]
    items += [(Target("event_argument", doc_id, annotator, f_uid, role, s_uid), "argument", role)
              for f_uid, role, s_uid in conn.execute(
                  select(Event.uid, EventArgument.role, Span.uid).join(Event, EventArgument.event_id == Event.id)
                  .join(Span, EventArgument.span_id == Span.id)
                  .where(Event.document_id == doc_id, Event.annotator_id == ann)
                  .order_by(Event.id, EventArgument.position))]
    items += [(Target("claim_argument", doc_id, annotator, f_uid, role, s_uid), "argument", role)
              for f_uid, role, s_uid in conn.execute(
                  select(Claim.uid, ClaimArgument.role, Span.uid).join(Claim, ClaimArgument.claim_id == Claim.id)
                  .join(Span, ClaimArgument.span_id == Span.id)
                  .where(Claim.document_id == doc_id, Claim.annotator_id == ann)
                  .order_by(Claim.id, ClaimArgument.position))]
    return [(t, a.name) for t, kind, name in items for a in schema.attributes_for(kind, name)
            if a.required and a.name not in have.get(t, {})]


_COLUMNS = ("span_id", "event_id", "claim_id", "event_argument_id", "claim_argument_id")


def _resolve(conn: Connection, t: Target) -> tuple[str | None, int | None, str | None, str]:
    """(item column, item row id, its schema name, words for messages) of a target, or
    AnnotatorError if it is not an item of that document and layer."""
    layer = (Document.id == t.document_id, Annotator.name == t.annotator)
    if t.kind == "document":
        if conn.scalar(select(Document.id).where(Document.id == t.document_id)) is None:
            raise AnnotatorError(f"no document {t.document_id}")
        return None, None, None, "the document"
    if t.kind in ("span", "event", "claim"):
        models: dict[str, type[Span | Event | Claim]] = {"span": Span, "event": Event, "claim": Claim}
        model = models[t.kind]
        name_col = {"span": Span.label, "event": Event.type, "claim": Claim.uid}[t.kind]
        row = conn.execute(select(model.id, name_col).join(Document, model.document_id == Document.id)
                           .join(Annotator, model.annotator_id == Annotator.id)
                           .where(model.uid == t.uid, *layer)).first()
        if row is None:
            raise AnnotatorError(f"no {t.kind} {t.uid!r} in that document and layer")
        name = None if t.kind == "claim" else row[1]
        what = {"span": f"the {name} span", "event": f"the {name} event", "claim": "the claim"}[t.kind]
        return f"{t.kind}_id", row[0], name, what
    frame, args, owner = ((Event, EventArgument, EventArgument.event_id) if t.kind == "event_argument"
                          else (Claim, ClaimArgument, ClaimArgument.claim_id))
    arg_id = conn.scalar(select(args.id).join(frame, owner == frame.id).join(Span, args.span_id == Span.id)
                         .join(Document, frame.document_id == Document.id)
                         .join(Annotator, frame.annotator_id == Annotator.id)
                         .where(frame.uid == t.uid, args.role == t.role, Span.uid == t.span, *layer))
    if arg_id is None:
        raise AnnotatorError(f"no argument {t.role!r} of {t.uid!r} with span {t.span!r} in that document and layer")
    return f"{t.kind}_id", arg_id, t.role, f"the {t.role} argument"
