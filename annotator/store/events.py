"""Unit-of-work operations on events and claims and their arguments.

Events and claims share one shape (an anchor range plus arguments that point at spans of
the same document and layer): in code both are a frame, in the FrameNet sense (a trigger or
claimed text with role-filling arguments; a drawn outline is a box, never a frame). Every
operation takes a `kind`, "event" or "claim", and works on the matching pair of tables.
Each function is one committed transaction and returns its Change (store.changes), which
undoes and redoes it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, select
from sqlalchemy.orm import InstrumentedAttribute

from annotator.core.errors import AnnotatorError
from annotator.core.ids import new_id
from annotator.core.records import ArgumentRecord
from annotator.core.schema import Role
from annotator.store import dependents
from annotator.store.changes import Change, Recorder
from annotator.store.models import Annotator, AttributeValue, Claim, ClaimArgument, Event, EventArgument, Span
from annotator.store.project import Project
from annotator.store.spans import describe, remove_spans

KINDS = ("event", "claim")


@dataclass(frozen=True)
class Frame:
    """An event (type set, range = trigger) or a claim (type None, range = claimed text)."""

    kind: str
    uid: str
    document_id: int
    annotator: str
    type: str | None
    start: int
    end: int
    arguments: tuple[ArgumentRecord, ...] = ()


@dataclass(frozen=True)
class ArgumentUse:
    """One argument as stored, with its place in the list, so an undo can reinsert it there."""

    kind: str
    owner: str  # event or claim uid
    role: str
    span: str  # span uid
    position: int


# A kind's table, its arguments' table, the arguments' owner column, and the columns of
# its place (trigger or claim start and end).
_Tables = tuple[type[Event | Claim], type[EventArgument | ClaimArgument], InstrumentedAttribute[int],
                InstrumentedAttribute[int], InstrumentedAttribute[int]]


def _tables(kind: str) -> _Tables:
    if kind == "event":
        return Event, EventArgument, EventArgument.event_id, Event.trigger_start, Event.trigger_end
    if kind == "claim":
        return Claim, ClaimArgument, ClaimArgument.claim_id, Claim.start, Claim.end
    raise AnnotatorError(f"unknown kind {kind!r}: expected event or claim")


def role_for(project: Project, kind: str, frame_type: str | None, role: str) -> Role:
    schema = project.schema
    found = schema.event_role(frame_type or "", role) if kind == "event" else schema.claim_role(role)
    if found is None:
        where = f"{frame_type} events" if kind == "event" else "claims"
        raise AnnotatorError(f"the schema has no role {role!r} for {where}")
    return found


def allowed_roles(project: Project, kind: str, frame_type: str | None) -> tuple[Role, ...]:
    if kind == "claim":
        return project.schema.claim_roles
    et = project.schema.event_type(frame_type or "")
    return et.roles if et else ()


def refusal(project: Project, kind: str, frame_type: str | None, role: str, label: str) -> str | None:
    """Why a `label` span cannot fill `role`, or None if it can."""
    r = role_for(project, kind, frame_type, role)
    if r.accepts(label):
        return None
    owner = f"of a {frame_type} event" if kind == "event" else "of a claim"
    return f"the role {role!r} {owner} takes {' or '.join(r.labels)}, not {label}"


# -- reading -----------------------------------------------------------------------------
def layer_frames(conn: Connection, kind: str, doc_id: int, annotator: str) -> list[Frame]:
    """The events or claims of one document and layer in text order, with their arguments."""
    table, args, owner_col, start_col, end_col = _tables(kind)
    type_col = Event.type if kind == "event" else None  # table is Event then
    cols: list[InstrumentedAttribute[Any]] = [table.id, table.uid, start_col, end_col] + (
        [type_col] if type_col is not None else [])
    rows = conn.execute(select(*cols).join(Annotator, table.annotator_id == Annotator.id)
                        .where(table.document_id == doc_id, Annotator.name == annotator)
                        .order_by(start_col, end_col, table.id)).all()
    if not rows:
        return []
    by_owner: dict[int, list[ArgumentRecord]] = {}
    for owner, role, span in conn.execute(select(owner_col, args.role, Span.uid).join(Span, args.span_id == Span.id)
                                          .where(owner_col.in_([r[0] for r in rows]))
                                          .order_by(owner_col, args.position, args.id)):
        by_owner.setdefault(owner, []).append(ArgumentRecord(role, span))
    return [Frame(kind, r[1], doc_id, annotator, r[4] if type_col is not None else None, r[2], r[3],
                  tuple(by_owner.get(r[0], ()))) for r in rows]


def get_frame(conn: Connection, kind: str, uid: str) -> Frame | None:
    table = _tables(kind)[0]
    row = conn.execute(select(table.document_id, Annotator.name).join(Annotator, table.annotator_id == Annotator.id)
                       .where(table.uid == uid)).first()
    if row is None:
        return None
    return next((f for f in layer_frames(conn, kind, row[0], row[1]) if f.uid == uid), None)


def span_uses(conn: Connection, span_uids: list[str]) -> list[ArgumentUse]:
    """Every event and claim argument that points at one of these spans."""
    uses = []
    for kind in KINDS:
        for owner, role, span, pos in conn.execute(_uses_of(kind), {"uids": span_uids}):
            uses.append(ArgumentUse(kind, owner, role, span, pos))
    return uses


@cache
def _uses_of(kind: str) -> Select[str, str, str, int]:
    """Built once per kind: asked before every delete of a span, it costs more to build than to run."""
    table, args, owner_col, _s, _e = _tables(kind)
    return (select(table.uid, args.role, Span.uid, args.position)
            .join(table, owner_col == table.id).join(Span, args.span_id == Span.id)
            .where(Span.uid.in_(bindparam("uids", expanding=True))).order_by(table.uid, args.position))


# -- events and claims -------------------------------------------------------------------
def add_frame(project: Project, frame: Frame) -> Change:
    """Creates an event or claim with its arguments; fills in a uid (the change's result)."""
    with project.write() as conn:
        rec = Recorder(conn)
        frame = insert_frame(rec, project, frame)
        what = f"{frame.type} event" if frame.kind == "event" else "claim"
        return rec.change(f"add {what} {_quote(project, conn, frame)}", frame)


def insert_frame(rec: Recorder, project: Project, frame: Frame) -> Frame:
    """The one way an event or claim is written (gold copies too), inside `rec`."""
    table, args, owner_col, _s, _e = _tables(frame.kind)
    if frame.kind == "event" and project.schema.event_type(frame.type or "") is None:
        raise AnnotatorError(f"unknown event type {frame.type!r}")
    frame = frame if frame.uid else replace(frame, uid=new_id("e" if frame.kind == "event" else "c"))
    length = project.texts.lengths(rec.conn, [frame.document_id]).get(frame.document_id)
    if length is None or not 0 <= frame.start < frame.end <= length:
        raise AnnotatorError(f"range [{frame.start}, {frame.end}) is outside document {frame.document_id}")
    ann = rec.annotator(frame.annotator)
    values = {"uid": frame.uid, "document_id": frame.document_id, "annotator_id": ann}
    if frame.kind == "event":
        values |= {"type": frame.type, "trigger_start": frame.start, "trigger_end": frame.end}
    else:
        values |= {"start": frame.start, "end": frame.end}
    owner = rec.insert(table, [values])[0]
    for pos, a in enumerate(frame.arguments):
        _insert_argument(rec, project, frame, owner, a.role, a.span, pos)
    rec.start_layer(frame.document_id, ann)
    return frame


def delete_frame(project: Project, kind: str, uid: str) -> Change:
    """Removes an event or claim with its arguments (never the spans); the change's
    result is the Frame as it was."""
    table, args, owner_col, _s, _e = _tables(kind)
    with project.write() as conn:
        frame = get_frame(conn, kind, uid)
        if frame is None:
            raise AnnotatorError(f"no {kind} {uid!r}")
        rec = Recorder(conn)
        owner = conn.execute(select(table.id).where(table.uid == uid)).scalar_one()
        dependents.remove_for_frames(rec, kind, [owner])
        rec.delete(args, owner_col == owner)
        rec.delete(table, table.id == owner)
        what = f"{frame.type} event" if kind == "event" else "claim"
        return rec.change(f"delete {what} {_quote(project, conn, frame)}", frame)


def set_event_type(project: Project, uid: str, new_type: str) -> Change:
    """Changes an event's type if its arguments keep roles the new type has; the
    change's result is the old type."""
    et = project.schema.event_type(new_type)
    if et is None:
        raise AnnotatorError(f"unknown event type {new_type!r}")
    with project.write() as conn:
        frame = get_frame(conn, "event", uid)
        if frame is None:
            raise AnnotatorError(f"no event {uid!r}")
        labels = _labels(conn, [a.span for a in frame.arguments])
        for a in frame.arguments:
            role = next((r for r in et.roles if r.name == a.role), None)
            if role is None or not role.accepts(labels[a.span]):
                raise AnnotatorError(f"a {new_type} event has no role {a.role!r} for its {labels[a.span]} argument; "
                                     f"remove that argument first")
        for (name,) in conn.execute(select(AttributeValue.name).join(Event, AttributeValue.event_id == Event.id)
                                    .where(Event.uid == uid)):
            attr = project.schema.attribute(name)
            if attr is not None and not attr.applies("event", new_type):
                raise AnnotatorError(f"a {new_type} event does not take the attribute {name}; clear it first")
        rec = Recorder(conn)
        rec.update(Event, {"type": new_type}, Event.uid == uid)
        return rec.change(f"make the {frame.type} event {_quote(project, conn, frame)} a {new_type}", frame.type or "")


# -- arguments -----------------------------------------------------------------------------
def add_argument(project: Project, kind: str, owner_uid: str, role: str, span_uid: str,
                 position: int | None = None) -> Change:
    """Attaches a span in `role`; refuses (with the reason) a role that does not take its
    label. The change's result is the ArgumentUse."""
    table, args, owner_col, _s, _e = _tables(kind)
    with project.write() as conn:
        frame = get_frame(conn, kind, owner_uid)
        if frame is None:
            raise AnnotatorError(f"no {kind} {owner_uid!r}")
        if any(a.span == span_uid and a.role == role for a in frame.arguments):
            raise AnnotatorError(f"that span is already the {role} of this {kind}")
        owner = conn.execute(select(table.id).where(table.uid == owner_uid)).scalar_one()  # uid is unique
        last = conn.scalar(select(func.max(args.position)).where(owner_col == owner))
        pos = (-1 if last is None else last) + 1 if position is None else position
        rec = Recorder(conn)
        _insert_argument(rec, project, frame, owner, role, span_uid, pos)
        return rec.change(f"attach the {role} of {_name(frame)} {_quote(project, conn, frame)}",
                          ArgumentUse(kind, owner_uid, role, span_uid, pos))


def remove_argument(project: Project, kind: str, owner_uid: str, role: str, span_uid: str) -> Change:
    table, args, owner_col, _s, _e = _tables(kind)
    with project.write() as conn:
        row = conn.execute(select(args.id, args.position, table.document_id, table.annotator_id)
                           .join(table, owner_col == table.id).join(Span, args.span_id == Span.id)
                           .where(table.uid == owner_uid, args.role == role, Span.uid == span_uid)).first()
        if row is None:
            raise AnnotatorError(f"that span is not the {role} of this {kind}")
        rec = Recorder(conn)
        dependents.remove_for_arguments(rec, kind, [row[0]])
        rec.delete(args, args.id == row[0])
        rec.touch(row[2], row[3])
        return rec.change(f"remove the {role} of {'an event' if kind == 'event' else 'a claim'}",
                          ArgumentUse(kind, owner_uid, role, span_uid, row[1]))


def set_argument_role(project: Project, kind: str, owner_uid: str, span_uid: str, old: str, new: str) -> Change:
    """Moves an argument from role `old` to `new` (if `new` takes its label)."""
    table, args, owner_col, _s, _e = _tables(kind)
    with project.write() as conn:
        frame = get_frame(conn, kind, owner_uid)
        if frame is None:
            raise AnnotatorError(f"no {kind} {owner_uid!r}")
        why = refusal(project, kind, frame.type, new, _labels(conn, [span_uid])[span_uid])
        if why:
            raise AnnotatorError(f"cannot make it the {new}: {why}")
        arg_id = conn.scalar(select(args.id).join(table, owner_col == table.id).join(Span, args.span_id == Span.id)
                             .where(table.uid == owner_uid, args.role == old, Span.uid == span_uid))
        if arg_id is None:
            raise AnnotatorError(f"that span is not the {old} of this {kind}")
        rec = Recorder(conn)
        if new == old:  # nothing to do: an empty change, which is not put on the history
            return rec.change("")
        if conn.scalar(select(args.id).join(table, owner_col == table.id).join(Span, args.span_id == Span.id)
                       .where(table.uid == owner_uid, args.role == new, Span.uid == span_uid)) is not None:
            raise AnnotatorError(f"that span is already the {new} of this {kind}")
        rec.update(args, {"role": new}, args.id == arg_id)
        rec.touch(frame.document_id, rec.annotator(frame.annotator))
        return rec.change(f"make the {old} of {_name(frame)} {_quote(project, conn, frame)} its {new}", old)


def _insert_argument(rec: Recorder, project: Project, frame: Frame, owner_id: int, role: str,
                     span_uid: str, position: int) -> None:
    conn = rec.conn
    row = conn.execute(select(Span.id, Span.document_id, Span.label, Annotator.name, Span.annotator_id)
                       .join(Annotator, Span.annotator_id == Annotator.id).where(Span.uid == span_uid)).first()
    if row is None:
        raise AnnotatorError(f"no span {span_uid!r}")
    span_id, doc_id, label, annotator, ann = row
    if (doc_id, annotator) != (frame.document_id, frame.annotator):
        raise AnnotatorError("an argument must be a span of the same document and annotator")
    why = refusal(project, frame.kind, frame.type, role, label)
    if why:
        raise AnnotatorError(f"cannot attach it as {role}: {why}")
    _table, args, owner_col, _s, _e = _tables(frame.kind)
    # Keep positions dense: later arguments move one place down.
    rec.update(args, {"position": args.position + 1}, owner_col == owner_id, args.position >= position)
    rec.insert(args, [{owner_col.key: owner_id, "role": role, "span_id": span_id, "position": position}])
    rec.touch(doc_id, ann)


def _name(frame: Frame) -> str:
    return f"the {frame.type} event" if frame.kind == "event" else "the claim"


def _quote(project: Project, conn: Connection, frame: Frame) -> str:
    return project.texts.quote(conn, frame.document_id, frame.start, frame.end)


def _labels(conn: Connection, span_uids: list[str]) -> dict[str, str]:
    return dict(conn.execute(select(Span.uid, Span.label).where(Span.uid.in_(span_uids))).all())


def delete_spans_and_uses(project: Project, span_uids: list[str]) -> Change:
    """Removes spans together with the event and claim arguments that point at them, in one
    transaction and one change; its result is (removed spans, removed argument uses)."""
    with project.write() as conn:
        uses = span_uses(conn, span_uids)
        ids = list(conn.scalars(select(Span.id).where(Span.uid.in_(span_uids))))
        rec = Recorder(conn)
        for kind, args in (("event", EventArgument), ("claim", ClaimArgument)):
            dependents.remove_for_arguments(rec, kind, list(conn.scalars(select(args.id).where(args.span_id.in_(ids)))))
            rec.delete(args, args.span_id.in_(ids))
        removed = remove_spans(rec, span_uids)
        return rec.change(describe(project, conn, "delete", removed) + " and its arguments", (removed, uses))
