"""Unit-of-work operations on spans. Each function is one committed transaction and
returns its Change (store.changes), which undoes and redoes it; nothing is shown as done
before its transaction has committed. insert_spans and remove_spans are the one way a
span is written or removed, inside a caller's Recorder (events and gold use them too)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import cast

from sqlalchemy import BindParameter, Connection, bindparam, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from annotator.core import graphemes
from annotator.core.errors import AnnotatorError, Cancelled
from annotator.core.ids import new_id, new_ids
from annotator.store import dependents, span_counts
from annotator.store.changes import Change, Recorder
from annotator.store.models import (
    Annotator,
    AttributeValue,
    ClaimArgument,
    DocumentStatus,
    EntityMember,
    Event,
    EventArgument,
    Relation,
    Span,
    SpanFragment,
    SpanLink,
)
from annotator.store.project import Project

Progress = Callable[[int, int], bool]  # (done, total) -> go on
WRITE_CHUNK = 5000  # spans written between two reports of progress: a few tenths of a second


@dataclass(frozen=True)
class SpanData:
    uid: str
    document_id: int
    annotator: str
    start: int
    end: int
    label: str
    value: str | None = None
    note: str | None = None
    # Translation links to make with this span, as (source uid, target uid) (an accepted
    # suggestion is linked to its source).
    links: tuple[tuple[str, str], ...] = ()


def add_span(project: Project, doc_id: int, annotator: str, start: int, end: int, label: str,
             uid: str | None = None, value: str | None = None, note: str | None = None) -> Change:
    """Adds one span; the change's result is its SpanData."""
    change = add_spans(project, [SpanData(uid or new_id("s"), doc_id, annotator, start, end, label, value, note)])
    return replace(change, result=cast("list[SpanData]", change.result)[0])


def add_spans(project: Project, spans: list[SpanData], progress: Progress | None = None) -> Change:
    """Adds spans (of any documents, one annotator or several) in one transaction; the
    change's result is the list of SpanData, uids filled in. `progress` is told the spans
    written and to write after each chunk of WRITE_CHUNK; when it answers False, the
    transaction is rolled back and Cancelled raised: nothing is written."""
    with project.write() as conn:
        rec = Recorder(conn)
        added = insert_spans(rec, project, spans, progress)
        return rec.change(describe(project, conn, "label", added), added)


def insert_spans(rec: Recorder, project: Project, spans: list[SpanData],
                 progress: Progress | None = None) -> list[SpanData]:
    """Checks and writes spans (and the links they carry) through `rec`; the first span
    on a layer marks it in progress. `progress`: as in add_spans."""
    for label in dict.fromkeys(s.label for s in spans):  # each label once: a bulk label has one
        if project.schema.label(label) is None:
            raise AnnotatorError(f"unknown label {label!r}")
    if not spans:
        return []
    conn = rec.conn
    # New uids grow with time (core/ids.py), in one run: inserted in that order, they go
    # at one place of the unique uid index instead of a page of it each (issue 18).
    uids = iter(new_ids("s", sum(1 for s in spans if not s.uid)))
    spans = [s if s.uid else SpanData(next(uids), s.document_id, s.annotator, s.start, s.end, s.label, s.value,
                                      s.note, s.links) for s in spans]
    doc_ids = sorted({s.document_id for s in spans})
    lengths = project.texts.lengths(conn, doc_ids)
    for s in spans:
        length = lengths.get(s.document_id)
        if length is None or not 0 <= s.start < s.end <= length:
            raise AnnotatorError(f"span [{s.start}, {s.end}) is outside document {s.document_id}")
    annotators = {name: rec.annotator(name) for name in sorted({s.annotator for s in spans})}
    first = rec.next_id(Span)
    # Counted in by range once written (SQLite, many spans), not by the trigger a span.
    with span_counts.inserted_range(conn, first, first + len(spans) - 1) if first is not None else nullcontext():
        for i in range(0, len(spans), WRITE_CHUNK):
            if progress is not None and not progress(i, len(spans)):
                raise Cancelled("cancelled: nothing written")
            rec.insert(Span, [{"uid": s.uid, "document_id": s.document_id, "annotator_id": annotators[s.annotator],
                               "start": s.start, "end": s.end, "label": s.label, "value": s.value, "note": s.note}
                              for s in spans[i:i + WRITE_CHUNK]])
    rec.start_layers(sorted({(s.document_id, annotators[s.annotator]) for s in spans}))
    pairs = sorted({pair for s in spans for pair in s.links})
    if pairs:
        ids = dict(conn.execute(select(Span.uid, Span.id).where(Span.uid.in_({u for p in pairs for u in p}))).all())
        rec.insert(SpanLink, [{"source_span_id": ids[a], "target_span_id": ids[b]}
                              for a, b in pairs if a in ids and b in ids])
    if progress is not None and not progress(len(spans), len(spans)):  # not committed yet: still undone
        raise Cancelled("cancelled: nothing written")
    return spans


# Statements built once (an edit runs each of them): building one costs more than running it.
_GET_SPAN = (select(Span.uid, Span.document_id, Annotator.name, Span.start, Span.end, Span.label, Span.value, Span.note)
             .join(Annotator, Span.annotator_id == Annotator.id).where(Span.uid == bindparam("uid")))
_SPAN_ID = select(Span.id).where(Span.uid == bindparam("uid")).scalar_subquery()
_EVENT_ROLES = (select(Event.type, EventArgument.role).join(Event, EventArgument.event_id == Event.id)
                .where(EventArgument.span_id == _SPAN_ID))
_CLAIM_ROLES = select(ClaimArgument.role).where(ClaimArgument.span_id == _SPAN_ID)
_CHUNK = 500  # uids or ids bound in one IN (...)
_SPAN_COLUMNS = (Span.id, Span.uid, Span.document_id, Annotator.name, Span.start, Span.end, Span.label, Span.value,
                 Span.note)
_SPANS_BY_UID = (select(*_SPAN_COLUMNS).join(Annotator, Span.annotator_id == Annotator.id)
                 .where(Span.uid.in_(bindparam("uids", expanding=True))))
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
# (arguments using the spans, rows of other tables hanging on them): one read before a delete.
_USES_AND_HANGERS = select(
    select(func.count()).select_from(EventArgument).where(EventArgument.span_id.in_(_IDS)).scalar_subquery()
    + select(func.count()).select_from(ClaimArgument).where(ClaimArgument.span_id.in_(_IDS)).scalar_subquery(),
    sum((select(func.count()).select_from(model).where(where).scalar_subquery() for model, where in (
        (Relation, or_(Relation.from_span_id.in_(_IDS), Relation.to_span_id.in_(_IDS))),
        (AttributeValue, AttributeValue.span_id.in_(_IDS)),
        (SpanFragment, SpanFragment.span_id.in_(_IDS)),
        (EntityMember, EntityMember.span_id.in_(_IDS)),
        (SpanLink, or_(SpanLink.source_span_id.in_(_IDS), SpanLink.target_span_id.in_(_IDS))))), literal(0)))

_END = aliased(Span)
# (type, whether the span is the from end, the other end's label) of the span's relations.
_RELATION_ENDS = union_all(
    select(Relation.type, literal(True), _END.label).join(_END, Relation.to_span_id == _END.id)
    .where(Relation.from_span_id == _SPAN_ID),
    select(Relation.type, literal(False), _END.label).join(_END, Relation.from_span_id == _END.id)
    .where(Relation.to_span_id == _SPAN_ID))
_SPAN_ATTRIBUTES = select(AttributeValue.name).where(AttributeValue.span_id == _SPAN_ID)
# A span's row and whether anything that may refuse a new label hangs on it: one read per relabel.
_SPAN_AND_HANGERS = select(*_SPAN_COLUMNS, sum((
    select(func.count()).select_from(model).where(where).scalar_subquery() for model, where in (
        (EventArgument, EventArgument.span_id == Span.id),
        (ClaimArgument, ClaimArgument.span_id == Span.id),
        (Relation, or_(Relation.from_span_id == Span.id, Relation.to_span_id == Span.id)),
        (AttributeValue, AttributeValue.span_id == Span.id))), literal(0))).join(
    Annotator, Span.annotator_id == Annotator.id).where(Span.uid == bindparam("uid"))
_HAS_FRAGMENTS = select(SpanFragment.id).where(SpanFragment.span_id == _SPAN_ID).limit(1)

_OTHER = aliased(Span)
# Another span of the same layer and label on [start, end).
_SAME_EXTENT = (select(func.count()).select_from(Span).join(_OTHER, (_OTHER.document_id == Span.document_id)
                                                           & (_OTHER.annotator_id == Span.annotator_id)
                                                           & (_OTHER.label == Span.label) & (_OTHER.uid != Span.uid))
                .where(Span.uid == bindparam("uid"), _OTHER.start == bindparam("start"), _OTHER.end == bindparam("end")))


def get_span(conn: Connection, uid: str) -> SpanData | None:
    row = conn.execute(_GET_SPAN, {"uid": uid}).first()
    return SpanData(*row) if row else None


def relabel_span(project: Project, uid: str, label: str) -> Change:
    """The change's result is the previous label."""
    if project.schema.label(label) is None:
        raise AnnotatorError(f"unknown label {label!r}")
    with project.write() as conn:
        row = conn.execute(_SPAN_AND_HANGERS, {"uid": uid}).first()
        if row is None:
            raise AnnotatorError(f"no span {uid!r}")
        span_id, *fields, hangers = row
        span = SpanData(*fields)
        if hangers:  # roles, relations or attributes that may not take the new label
            _check_roles_take(conn, project, uid, label)
        rec = Recorder(conn)
        rec.update_keys(Span, {"label": label}, [span_id], stamp="updated_at")
        return rec.change(f"relabel {span.label} {_quote(project, conn, span)} as {label}", span.label)


def _check_roles_take(conn: Connection, project: Project, uid: str, label: str) -> None:
    """A span that is an event's or claim's argument keeps a label its roles take: the
    layer must stay one the schema describes (validate, schema changes)."""
    schema = project.schema
    roles = [(f"the {role} of a {kind} event", schema.event_role(kind, role))
             for kind, role in conn.execute(_EVENT_ROLES, {"uid": uid})]
    roles += [(f"the {role} of a claim", schema.claim_role(role)) for (role,) in conn.execute(_CLAIM_ROLES, {"uid": uid})]
    for what, role in roles:
        if role is not None and not role.accepts(label):
            raise AnnotatorError(f"this span is {what}, which takes {' or '.join(role.labels)}, not {label}; "
                                 "remove it from there first")
    # Its relations must still accept the pair, and its attributes the label.
    for type_, first, other in conn.execute(_RELATION_ENDS, {"uid": uid}):
        declared = schema.relation(type_)
        why = declared and (declared.problem(label, other) if first else declared.problem(other, label))
        if why:
            raise AnnotatorError(f"this span is in a relation: {why}; remove the relation first")
    for (name,) in conn.execute(_SPAN_ATTRIBUTES, {"uid": uid}):
        attr = schema.attribute(name)
        if attr is not None and not attr.applies("span", label):
            raise AnnotatorError(f"this span has the attribute {name}, which a {label} span does not take; "
                                 "clear it first")


def resize_span(project: Project, uid: str, start: int, end: int) -> Change:
    """Moves the span's start and end to [start, end) in place: its uid, label, value,
    note, links and the events and claims that use it stay. Refused if the span would be
    empty, leave the text, cut a grapheme cluster or repeat a span of its layer. The
    change's result is the span as it was before."""
    with project.write() as conn:
        before = get_span(conn, uid)
        if before is None:
            raise AnnotatorError(f"no span {uid!r}")
        text = project.texts.get(conn, before.document_id) or ""
        if conn.scalar(_HAS_FRAGMENTS, {"uid": uid}) is not None:
            raise AnnotatorError("this span has fragments: change its fragments instead of its outer bounds")
        if start >= end:
            raise AnnotatorError("a span cannot be made empty: delete it instead")
        if not 0 <= start < end <= len(text):
            raise AnnotatorError(f"span [{start}, {end}) would leave the text (0 to {len(text)})")
        cut = next((p for p in (start, end) if not graphemes.is_boundary(text, p)), None)
        if cut is not None:
            raise AnnotatorError(f"offset {cut} is inside a character (a grapheme cluster): a span edge goes "
                                 "before or after it")
        if conn.scalar(_SAME_EXTENT, {"uid": uid, "start": start, "end": end}):
            raise AnnotatorError(f"a {before.label} span already covers {project.texts.quote(conn, before.document_id, start, end)}")
        rec = Recorder(conn)
        rec.update(Span, {"start": start, "end": end, "updated_at": func.current_timestamp()}, Span.uid == uid)
        return rec.change(f"resize {before.label} {_quote(project, conn, before)} to "
                          f"{project.texts.quote(conn, before.document_id, start, end)}", before)


def update_span(project: Project, uid: str, **fields: str | None) -> Change:
    """Sets `value` and/or `note`; the change's result is the span as it was before."""
    unknown = set(fields) - {"value", "note"}
    if unknown:
        raise AnnotatorError(f"cannot edit {', '.join(sorted(unknown))} of a span")
    with project.write() as conn:
        before = get_span(conn, uid)
        if before is None:
            raise AnnotatorError(f"no span {uid!r}")
        rec = Recorder(conn)
        rec.update(Span, {**fields, "updated_at": func.current_timestamp()}, Span.uid == uid)
        return rec.change(f"edit the {' and '.join(fields)} of {before.label} {_quote(project, conn, before)}", before)


def delete_span(project: Project, uid: str) -> Change:
    change = delete_spans(project, [uid])
    return replace(change, result=cast("list[SpanData]", change.result)[0])


def delete_spans(project: Project, uids: list[str]) -> Change:
    """Removes spans that no event or claim uses, with their translation links; the
    change's result is the list of removed SpanData."""
    with project.write() as conn:
        rec = Recorder(conn)
        removed = remove_spans(rec, uids)
        return rec.change(describe(project, conn, "delete", removed), removed)


def remove_spans(rec: Recorder, uids: list[str]) -> list[SpanData]:
    """Removes spans through `rec`, links first; refused for a span an argument uses."""
    conn = rec.conn
    found: dict[str, tuple[int, SpanData]] = {}
    for i in range(0, len(uids), _CHUNK):
        for row in conn.execute(_SPANS_BY_UID, {"uids": uids[i:i + _CHUNK]}):
            found[row[1]] = (row[0], SpanData(*row[1:]))
    removed = []
    for uid in uids:
        if uid not in found:
            raise AnnotatorError(f"no span {uid!r}")
        removed.append(found[uid][1])
    ids = sorted({span_id for span_id, _span in found.values()})
    used = hanging = 0
    for i in range(0, len(ids), _CHUNK):
        uses, hangers = conn.execute(_USES_AND_HANGERS, {"ids": ids[i:i + _CHUNK]}).one()
        used, hanging = used + uses, hanging + hangers
    if used:
        raise AnnotatorError(f"{'this span is' if len(uids) == 1 else 'these spans are'} used by "
                             f"{used} event or claim argument(s)")
    if hanging:  # most spans have nothing hanging on them: one read instead of five
        dependents.remove_for_spans(rec, ids)
        rec.delete(SpanLink, or_(SpanLink.source_span_id.in_(ids), SpanLink.target_span_id.in_(ids)))
    rec.delete_keys(Span, ids)
    return removed


def set_status(project: Project, doc_id: int, annotator: str, status: str) -> Change:
    """The change's result is the previous status."""
    with project.write() as conn:
        rec = Recorder(conn)
        ann = rec.annotator(annotator)
        old = conn.scalar(select(DocumentStatus.status).where(DocumentStatus.document_id == doc_id,
                                                              DocumentStatus.annotator_id == ann)) or "todo"
        if old != status:
            rec.delete(DocumentStatus, DocumentStatus.document_id == doc_id, DocumentStatus.annotator_id == ann)
            if status != "todo":  # no row means to do, and lets the next span mark it in progress
                rec.insert(DocumentStatus, [{"document_id": doc_id, "annotator_id": ann, "status": status}])
        rec.touch(doc_id, ann)
        return rec.change(f"mark {annotator}'s layer {status.replace('_', ' ')}", old)


def describe(project: Project, conn: Connection, verb: str, spans: list[SpanData]) -> str:
    """“label PERSON «Geoană»”, or “label 12 PERSON spans in 3 documents”."""
    if len(spans) == 1:
        return f"{verb} {spans[0].label} {_quote(project, conn, spans[0])}"
    labels = sorted({s.label for s in spans})
    docs = len({s.document_id for s in spans})
    return (f"{verb} {len(spans)} {labels[0] + ' ' if len(labels) == 1 else ''}spans"
            + (f" in {docs} documents" if docs > 1 else ""))


def _quote(project: Project, conn: Connection, span: SpanData) -> str:
    return project.texts.quote(conn, span.document_id, span.start, span.end)
