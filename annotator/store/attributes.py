"""Attribute values of items (spans, events, claims, their arguments) and of a layer's
document (document labels), declared by the schema's `attributes` (core.schema).

`set_attribute` is the one write: one transaction, one Change (undo and redo through
store.changes.apply); a value of None removes the attribute. `layer_attributes` reads a
whole layer in one query. Values are stored as JSON text and come back as they were
written (a string, a number or a boolean).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, NamedTuple

import orjson
from sqlalchemy import ColumnElement, Connection, case, func, select

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


class Target(NamedTuple):  # a tuple: a layer's read makes one per item, 50,000 in a long document
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
    return orjson.dumps(value).decode()


def decode(text: str) -> Any:
    return orjson.loads(text)


def item_kind() -> ColumnElement[int]:
    """SQL: 0 for a document's value, 1 to 5 for a span's, event's, claim's, event
    argument's, claim argument's (the order of _COLUMNS)."""
    return case(*[(getattr(AttributeValue, c).is_not(None), k) for k, c in enumerate(_COLUMNS, 1)], else_=0)


def item_id() -> ColumnElement[int]:
    """SQL: the row id of the item a value belongs to (0 for the document)."""
    return func.coalesce(*[getattr(AttributeValue, c) for c in _COLUMNS], 0)


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
        # An item's values by its own index; the document's by the layer's.
        where = [AttributeValue.name == name]
        if column is not None:
            where.append(getattr(AttributeValue, column) == row_id)
        else:
            where += [AttributeValue.document_id == target.document_id, AttributeValue.annotator_id == ann]
            where += [getattr(AttributeValue, c).is_(None) for c in _COLUMNS]
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


def target_attributes(conn: Connection, target: Target) -> dict[str, Any]:
    """The attribute values of one target (what the inspector shows for the selection):
    read by the item's own index, so as fast on a 50,000-span layer as on a small one."""
    column, row_id, _name, _what = _resolve(conn, target)
    where: list[ColumnElement[bool]] = [AttributeValue.name.is_not(None)]
    if column is not None:
        where.append(getattr(AttributeValue, column) == row_id)
    else:
        where += [AttributeValue.document_id == target.document_id,
                  AttributeValue.annotator_id == select(Annotator.id).where(Annotator.name == target.annotator)
                  .scalar_subquery()]
        where += [getattr(AttributeValue, c).is_(None) for c in _COLUMNS]
    rows = conn.execute(select(AttributeValue.name, AttributeValue.value).where(*where).order_by(AttributeValue.id))
    return {name: decode(value) for name, value in rows}


def layer_attributes(conn: Connection, doc_id: int, annotator: str) -> dict[Target, dict[str, Any]]:
    """Every attribute value of one layer, by target: the values by the layer's index,
    then the uids of the items they belong to, read only for the kinds present. For
    exports and reminders: on a 50,000-span layer with a value on every span it takes
    about half a second, so a view reads the selection's with target_attributes."""
    ann = conn.scalar(select(Annotator.id).where(Annotator.name == annotator))
    if ann is None:
        return {}
    rows = conn.execute(select(AttributeValue.name, AttributeValue.value, item_kind(), item_id())
                        .where(AttributeValue.document_id == doc_id, AttributeValue.annotator_id == ann)
                        .order_by(AttributeValue.id)).all()
    kinds = {r[2] for r in rows}
    layer = {"span": (Span.document_id == doc_id) & (Span.annotator_id == ann),
             "event": (Event.document_id == doc_id) & (Event.annotator_id == ann),
             "claim": (Claim.document_id == doc_id) & (Claim.annotator_id == ann)}
    targets: dict[tuple[int, int], Target] = {(0, 0): Target("document", doc_id, annotator)}
    for k, model in ((1, Span), (2, Event), (3, Claim)):
        if k in kinds:
            targets.update(((k, i), Target(KINDS[k], doc_id, annotator, uid))
                           for i, uid in conn.execute(select(model.id, model.uid).where(layer[KINDS[k]])))
    if 4 in kinds:
        targets.update(((4, i), Target("event_argument", doc_id, annotator, f, role, s)) for i, f, role, s in
                       conn.execute(select(EventArgument.id, Event.uid, EventArgument.role, Span.uid)
                                    .join(Event, EventArgument.event_id == Event.id)
                                    .join(Span, EventArgument.span_id == Span.id).where(layer["event"])))
    if 5 in kinds:
        targets.update(((5, i), Target("claim_argument", doc_id, annotator, c, role, s)) for i, c, role, s in
                       conn.execute(select(ClaimArgument.id, Claim.uid, ClaimArgument.role, Span.uid)
                                    .join(Claim, ClaimArgument.claim_id == Claim.id)
                                    .join(Span, ClaimArgument.span_id == Span.id).where(layer["claim"])))
    out: dict[Target, dict[str, Any]] = {}
    for name, value, item, row_id in rows:
        out.setdefault(targets[(item, row_id)], {})[name] = decode(value)
    return out


def frame_attribute_names(conn: Connection, doc_id: int, annotator: str) -> dict[tuple[str, str], set[str]]:
    """The names of the attributes set on each event and claim of one layer, by (kind,
    uid): what the events and claims panel needs for its reminders, in one query per kind
    by the frames' own index, without the layer's span values."""
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    ann = select(Annotator.id).where(Annotator.name == annotator).scalar_subquery()
    for kind, model, column in (("event", Event, AttributeValue.event_id), ("claim", Claim, AttributeValue.claim_id)):
        for uid, name in conn.execute(select(model.uid, AttributeValue.name).join(AttributeValue, column == model.id)
                                      .where(model.document_id == doc_id, model.annotator_id == ann)):
            out[(kind, uid)].add(name)
    return dict(out)


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
