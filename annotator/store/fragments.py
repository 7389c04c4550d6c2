"""Discontinuous spans: a span with fragments ("the EU ... mission"). The span's start and
end are its outer bounds; the fragments, in order, lie inside them without overlapping,
and every offset rule (inside the text, grapheme-cluster edges) holds per fragment. A
span without fragments is continuous. Each operation is one transaction and one Change."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, func, select

from annotator.core import graphemes
from annotator.core.errors import AnnotatorError
from annotator.store.changes import Change, Recorder
from annotator.store.models import Annotator, Span, SpanFragment
from annotator.store.project import Project


def fragment_problem(text: str, fragments: list[tuple[int, int]]) -> str | None:
    """Why `fragments` cannot be the fragments of a span of `text`, or None."""
    if len(fragments) < 2:
        return "a discontinuous span has at least two fragments"
    last = -1
    for start, end in fragments:
        if not 0 <= start < end <= len(text):
            return f"fragment [{start}, {end}) is not a non-empty range inside the text"
        if start <= last:
            return f"fragment [{start}, {end}) overlaps or comes before the one before it"
        for pos in (start, end):
            if not graphemes.is_boundary(text, pos):
                return f"offset {pos} of fragment [{start}, {end}) is inside a grapheme cluster"
        last = end
    return None


def set_fragments(project: Project, span_uid: str, fragments: list[tuple[int, int]]) -> Change:
    """Makes the span discontinuous with `fragments` (its start and end become their outer
    bounds), or continuous again with an empty list (start and end stay). The change's
    result is the fragments before (empty if it was continuous)."""
    with project.write() as conn:
        return _write(project, conn, span_uid, sorted(fragments), None)


def remove_fragment(project: Project, span_uid: str, index: int) -> Change:
    """Removes the span's fragment number `index` (from 0, in text order). With two or
    more left the span stays discontinuous over them; with one left it becomes continuous
    over that one (its start and end are the fragment's). The change's result is the
    fragments before."""
    with project.write() as conn:
        now = _fragments(conn, _span_row(conn, span_uid)[0])
        if not 0 <= index < len(now):
            raise AnnotatorError(f"the span has {len(now)} fragments: there is no fragment {index + 1}"
                                 if now else "the span is continuous: it has no fragment to remove")
        left = now[:index] + now[index + 1:]
        return _write(project, conn, span_uid, left if len(left) > 1 else [], left[0] if len(left) == 1 else None)


def _span_row(conn: Connection, span_uid: str) -> tuple[int, int, int, str]:
    row = conn.execute(select(Span.id, Span.document_id, Span.annotator_id, Span.label)
                       .where(Span.uid == span_uid)).first()
    if row is None:
        raise AnnotatorError(f"no span {span_uid!r}")
    return row[0], row[1], row[2], row[3]


def _fragments(conn: Connection, span_id: int) -> list[tuple[int, int]]:
    return [(s, e) for s, e in conn.execute(select(SpanFragment.start, SpanFragment.end)
                                           .where(SpanFragment.span_id == span_id).order_by(SpanFragment.position))]


def _write(project: Project, conn: Connection, span_uid: str, fragments: list[tuple[int, int]],
           extent: tuple[int, int] | None) -> Change:
    """The span's fragments replaced by `fragments` (sorted; empty: continuous), and with
    `extent` its start and end set to it (a continuous span over what is left)."""
    span_id, doc_id, ann, label = _span_row(conn, span_uid)
    text = project.texts.get(conn, doc_id) or ""
    if fragments and (why := fragment_problem(text, fragments)):
        raise AnnotatorError(why)
    bounds = (fragments[0][0], fragments[-1][1]) if fragments else extent
    if bounds is not None and conn.scalar(select(func.count()).select_from(Span).where(
            Span.document_id == doc_id, Span.annotator_id == ann, Span.label == label, Span.id != span_id,
            Span.start == bounds[0], Span.end == bounds[1])):
        raise AnnotatorError(f"another {label} span has these {'outer bounds' if fragments else 'bounds'}")
    rec = Recorder(conn)
    gone = rec.delete(SpanFragment, SpanFragment.span_id == span_id)
    before = [(g["start"], g["end"]) for g in gone]
    if fragments:
        rec.insert(SpanFragment, [{"span_id": span_id, "document_id": doc_id, "annotator_id": ann,
                                   "position": i, "start": s, "end": e} for i, (s, e) in enumerate(fragments)])
    if bounds is not None:
        rec.update(Span, {"start": bounds[0], "end": bounds[1], "updated_at": func.current_timestamp()},
                   Span.id == span_id)
    rec.touch(doc_id, ann)
    if fragments:
        pieces = " … ".join(project.texts.quote(conn, doc_id, s, e) for s, e in fragments)
        return rec.change(f"make the {label} span {pieces}", before)
    if extent is not None:
        return rec.change(f"make the {label} span continuous: {project.texts.quote(conn, doc_id, *extent)}", before)
    return rec.change(f"make the {label} span continuous", before)


def add_fragment(project: Project, span_uid: str, start: int, end: int) -> Change:
    """Adds [start, end) to the span's fragments (a continuous span's own extent becomes
    its first fragment): the select-then-key edit."""
    with project.write() as conn:
        span_id = _span_row(conn, span_uid)[0]
        outer = conn.execute(select(Span.start, Span.end).where(Span.id == span_id)).one()
        now = _fragments(conn, span_id) or [(outer[0], outer[1])]
        return _write(project, conn, span_uid, sorted([*now, (start, end)]), None)


def span_fragments(conn: Connection, span_uid: str) -> list[tuple[int, int]]:
    """The fragments of one span, in order; empty for a continuous span (what the
    inspector lists for the selection)."""
    return [(s, e) for s, e in conn.execute(select(SpanFragment.start, SpanFragment.end)
                                           .join(Span, SpanFragment.span_id == Span.id)
                                           .where(Span.uid == span_uid).order_by(SpanFragment.position))]


def layer_fragments(conn: Connection, doc_id: int, annotator: str) -> dict[str, list[tuple[int, int]]]:
    """The fragments of each discontinuous span of one layer, by span uid."""
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    stmt = (select(Span.uid, SpanFragment.start, SpanFragment.end).join(Span, SpanFragment.span_id == Span.id)
            .join(Annotator, SpanFragment.annotator_id == Annotator.id)
            .where(SpanFragment.document_id == doc_id, Annotator.name == annotator)
            .order_by(SpanFragment.span_id, SpanFragment.position))
    for uid, s, e in conn.execute(stmt):
        out[uid].append((s, e))
    return dict(out)
