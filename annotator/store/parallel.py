"""Translation groups, sentence alignments and span links: reads, and unit-of-work
operations that each run one committed transaction and return its Change.

An alignment belongs to an annotator and a pair of documents; it is stored once, in
the direction it was saved (a, b). Reading (b, a) when only (a, b) is stored returns
it swapped. Its crossing links (sentences that translate each other out of order, each
untranslated in the monotone blocks) are stored beside it, in the same direction. Links are stored in one direction too and read in both.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, Row, and_, func, or_, select
from sqlalchemy.orm import aliased

from annotator.core.alignment_edit import kept_crossings
from annotator.core.errors import AnnotatorError
from annotator.core.records import Block
from annotator.store.changes import Change, Recorder
from annotator.store.models import (
    AlignmentBlock,
    AlignmentCrossing,
    Annotator,
    Document,
    Span,
    SpanLink,
    TranslationGroup,
)
from annotator.store.project import Project


def document_ids(conn: Connection, uids: list[str]) -> dict[str, int]:
    """Row ids of the documents with these uids (absent uids are left out)."""
    return dict(conn.execute(select(Document.uid, Document.id).where(Document.uid.in_(uids))).all())


def document_texts(conn: Connection, doc_ids: list[int]) -> list[tuple[str, str]]:
    """(text, lang) of each document, in the order asked."""
    rows = {i: (t, lang) for i, t, lang in conn.execute(
        select(Document.id, Document.text, Document.lang).where(Document.id.in_(doc_ids)))}
    return [rows[i] for i in doc_ids]


def span_annotators(conn: Connection, doc_id: int) -> list[str]:
    """Names of the annotators with spans in the document, sorted."""
    return list(conn.scalars(select(Annotator.name).join(Span, Span.annotator_id == Annotator.id)
                             .where(Span.document_id == doc_id).distinct().order_by(Annotator.name)))


def _swap(b: Block) -> Block:
    return Block(b.b_start, b.b_end, b.a_start, b.a_end)


def _read_blocks(conn: Connection, doc_a_id: int, doc_b_id: int, ann: int) -> list[Block]:
    rows = conn.execute(select(AlignmentBlock.a_start, AlignmentBlock.a_end, AlignmentBlock.b_start,
                               AlignmentBlock.b_end)
                        .where(AlignmentBlock.doc_a_id == doc_a_id, AlignmentBlock.doc_b_id == doc_b_id,
                               AlignmentBlock.annotator_id == ann).order_by(AlignmentBlock.position))
    return [Block(*r) for r in rows]


def stored_alignment(conn: Connection, doc_a_id: int, doc_b_id: int, annotator: str) -> list[Block] | None:
    """`annotator`'s alignment of a with b, oriented (a, b); None if none is stored."""
    ann = conn.scalar(select(Annotator.id).where(Annotator.name == annotator))
    if ann is None:
        return None
    blocks = _read_blocks(conn, doc_a_id, doc_b_id, ann)
    if blocks:
        return blocks
    blocks = _read_blocks(conn, doc_b_id, doc_a_id, ann)
    return [_swap(b) for b in blocks] if blocks else None


def _read_crossings(conn: Connection, doc_a_id: int, doc_b_id: int, ann: int) -> list[Block]:
    rows = conn.execute(select(AlignmentCrossing.a_start, AlignmentCrossing.a_end, AlignmentCrossing.b_start,
                               AlignmentCrossing.b_end)
                        .where(AlignmentCrossing.doc_a_id == doc_a_id, AlignmentCrossing.doc_b_id == doc_b_id,
                               AlignmentCrossing.annotator_id == ann).order_by(AlignmentCrossing.a_start))
    return [Block(*r) for r in rows]


def stored_crossings(conn: Connection, doc_a_id: int, doc_b_id: int, annotator: str) -> list[Block]:
    """`annotator`'s crossing links between a and b, oriented (a, b), by their side-a start."""
    ann = conn.scalar(select(Annotator.id).where(Annotator.name == annotator))
    if ann is None:
        return []
    here = _read_crossings(conn, doc_a_id, doc_b_id, ann)
    there = [_swap(c) for c in _read_crossings(conn, doc_b_id, doc_a_id, ann)]
    return sorted(here + there, key=lambda c: (c.a_start, c.b_start))


LEARN_ALIGNMENTS = 20  # the most recent stored alignments a language pair's length model is learned from


def confirmed_alignments(conn: Connection, lang_a: str, lang_b: str,
                         limit: int = LEARN_ALIGNMENTS) -> list[tuple[str, str, list[Block]]]:
    """(text_a, text_b, blocks) of the alignments stored between a `lang_a` document and a
    `lang_b` one, by any annotator (each was kept or edited by someone), oriented (lang_a,
    lang_b); the `limit` most recently saved (a save rewrites its blocks, so the highest
    block id is the latest), newest first."""
    doc_a, doc_b = aliased(Document), aliased(Document)
    rows = conn.execute(
        select(AlignmentBlock.doc_a_id, AlignmentBlock.doc_b_id, AlignmentBlock.annotator_id, doc_a.lang)
        .join(doc_a, doc_a.id == AlignmentBlock.doc_a_id).join(doc_b, doc_b.id == AlignmentBlock.doc_b_id)
        .where(or_(and_(doc_a.lang == lang_a, doc_b.lang == lang_b), and_(doc_a.lang == lang_b, doc_b.lang == lang_a)))
        .group_by(AlignmentBlock.doc_a_id, AlignmentBlock.doc_b_id, AlignmentBlock.annotator_id, doc_a.lang)
        .order_by(func.max(AlignmentBlock.id).desc()).limit(limit)).all()
    ids = sorted({i for a, b, _ann, _lang in rows for i in (a, b)})
    texts = dict(conn.execute(select(Document.id, Document.text).where(Document.id.in_(ids))).all())
    out = []
    for a, b, ann, lang in rows:
        blocks = _read_blocks(conn, a, b, ann)
        if lang == lang_a:
            out.append((texts[a], texts[b], blocks))
        else:
            out.append((texts[b], texts[a], [_swap(x) for x in blocks]))
    return out


def alignment_annotators(conn: Connection, doc_a_id: int, doc_b_id: int) -> list[str]:
    """Names of the annotators who stored an alignment of the pair (either way), sorted."""
    pair = or_(and_(AlignmentBlock.doc_a_id == doc_a_id, AlignmentBlock.doc_b_id == doc_b_id),
               and_(AlignmentBlock.doc_a_id == doc_b_id, AlignmentBlock.doc_b_id == doc_a_id))
    return list(conn.scalars(select(Annotator.name).join(AlignmentBlock, AlignmentBlock.annotator_id == Annotator.id)
                             .where(pair).distinct().order_by(Annotator.name)))


def save_alignment(project: Project, doc_a_id: int, doc_b_id: int, annotator: str,
                   blocks: list[Block] | None, what: str = "edit the alignment",
                   crossings: list[Block] | None = None) -> Change:
    """Replaces `annotator`'s alignment of the pair (stored either way) by `blocks`
    (None or [] removes it) and its crossing links by `crossings` (None: the stored ones
    that `blocks` still leaves untranslated on both sides, alignment_edit.kept_crossings);
    the change's result is the previous alignment, oriented (a, b). A crossing link whose
    sentences are not both untranslated blocks of `blocks` is refused."""
    if doc_a_id == doc_b_id:
        raise AnnotatorError("a document cannot be aligned with itself")
    with project.write() as conn:
        lengths = dict(conn.execute(select(Document.id, Document.length)
                                    .where(Document.id.in_([doc_a_id, doc_b_id]))).all())
        if len(lengths) != 2:
            raise AnnotatorError(f"no document {doc_a_id if doc_a_id not in lengths else doc_b_id}")
        for i, b in enumerate(blocks or []):
            if not (0 <= b.a_start <= b.a_end <= lengths[doc_a_id] and 0 <= b.b_start <= b.b_end <= lengths[doc_b_id]):
                raise AnnotatorError(f"alignment block {i} ({b.a_start}, {b.a_end}) / ({b.b_start}, {b.b_end}) "
                                     "is not inside the two documents")
        new_crossings = kept_crossings(blocks or [], stored_crossings(conn, doc_a_id, doc_b_id, annotator)
                                       if crossings is None else crossings)
        if crossings is not None and len(new_crossings) != len(crossings):
            bad = next(c for c in crossings if c not in new_crossings)
            raise AnnotatorError(f"crossing link ({bad.a_start}, {bad.a_end}) / ({bad.b_start}, {bad.b_end}) does "
                                 "not join two sentences the alignment leaves untranslated")
        rec = Recorder(conn)
        ann = rec.annotator(annotator)
        previous = stored_alignment(conn, doc_a_id, doc_b_id, annotator)
        for table in (AlignmentBlock, AlignmentCrossing):
            rec.delete(table, table.annotator_id == ann,
                       or_(and_(table.doc_a_id == doc_a_id, table.doc_b_id == doc_b_id),
                           and_(table.doc_a_id == doc_b_id, table.doc_b_id == doc_a_id)))
        rec.insert(AlignmentBlock, [
            {"doc_a_id": doc_a_id, "doc_b_id": doc_b_id, "annotator_id": ann, "position": i,
             "a_start": b.a_start, "a_end": b.a_end, "b_start": b.b_start, "b_end": b.b_end}
            for i, b in enumerate(blocks or [])])
        rec.insert(AlignmentCrossing, [
            {"doc_a_id": doc_a_id, "doc_b_id": doc_b_id, "annotator_id": ann,
             "a_start": c.a_start, "a_end": c.a_end, "b_start": c.b_start, "b_end": c.b_end} for c in new_crossings])
        rec.touch(doc_a_id, ann)
        rec.touch(doc_b_id, ann)
        return rec.change(what, previous)


def group_members(conn: Connection, doc_id: int) -> list[int]:
    """The documents of doc_id's translation group (itself included) in uid order;
    [doc_id] if it has no group."""
    group = conn.scalar(select(Document.group_id).where(Document.id == doc_id))
    if group is None:
        return [doc_id]
    return list(conn.scalars(select(Document.id).where(Document.group_id == group).order_by(Document.uid)))


def set_group(project: Project, doc_ids: list[int], group_uid: str | None) -> Change:
    """Puts the documents into group `group_uid` (created if new; None: no group); the
    change's result is each document's previous group uid. Groups left empty are removed."""
    with project.write() as conn:
        rows = conn.execute(select(Document.id, TranslationGroup.uid, Document.group_id)
                            .outerjoin(TranslationGroup, Document.group_id == TranslationGroup.id)
                            .where(Document.id.in_(doc_ids))).all()
        missing = set(doc_ids) - {r[0] for r in rows}
        if missing:
            raise AnnotatorError(f"no document {min(missing)}")
        previous = {doc: uid for doc, uid, _g in rows}
        rec = Recorder(conn)
        new_group = None
        if group_uid is not None:
            new_group = conn.scalar(select(TranslationGroup.id).where(TranslationGroup.uid == group_uid))
            if new_group is None:
                new_group = rec.insert(TranslationGroup, [{"uid": group_uid}])[0]
        rec.update(Document, {"group_id": new_group}, Document.id.in_(doc_ids))
        old_groups = {g for _d, _u, g in rows if g is not None and g != new_group}
        for g in sorted(old_groups):
            if not conn.scalar(select(func.count()).select_from(Document).where(Document.group_id == g)):
                rec.delete(TranslationGroup, TranslationGroup.id == g)
        what = f"group {len(doc_ids)} documents" if group_uid else f"ungroup {len(doc_ids)} documents"
        return rec.change(what, previous)


def documents_for_grouping(conn: Connection) -> list[tuple[str, str, str]]:
    """(uid, lang, text) of every document, in import order: the input of suggest_groups."""
    return [(uid, lang, text) for uid, lang, text in
            conn.execute(select(Document.uid, Document.lang, Document.text).order_by(Document.id))]


def groups(conn: Connection) -> list[tuple[str, list[str]]]:
    """(group uid, member document uids in uid order) of every group with members."""
    out: dict[str, list[str]] = {}
    for g, d in conn.execute(select(TranslationGroup.uid, Document.uid)
                             .join(Document, Document.group_id == TranslationGroup.id)
                             .order_by(TranslationGroup.uid, Document.uid)):
        out.setdefault(g, []).append(d)
    return list(out.items())


def _link_ids(conn: Connection, source_uid: str, target_uid: str) -> tuple[int, int]:
    rows = {uid: (i, doc, ann, group) for uid, i, doc, ann, group in conn.execute(
        select(Span.uid, Span.id, Span.document_id, Span.annotator_id, Document.group_id)
        .join(Document, Span.document_id == Document.id).where(Span.uid.in_([source_uid, target_uid])))}
    for uid in (source_uid, target_uid):
        if uid not in rows:
            raise AnnotatorError(f"cannot link: no span {uid!r}")
    (si, sdoc, sann, sgroup), (ti, tdoc, tann, tgroup) = rows[source_uid], rows[target_uid]
    if sdoc == tdoc:
        raise AnnotatorError(f"cannot link spans {source_uid!r} and {target_uid!r}: they are in the same document")
    if sgroup is None or sgroup != tgroup:
        raise AnnotatorError(f"cannot link spans {source_uid!r} and {target_uid!r}: their documents are not in "
                             "the same translation group")
    if sann != tann:
        raise AnnotatorError(f"cannot link spans {source_uid!r} and {target_uid!r}: they belong to different "
                             "annotators' layers")
    return si, ti


def _pair_clause(si: int, ti: int) -> ColumnElement[bool]:
    return or_(and_(SpanLink.source_span_id == si, SpanLink.target_span_id == ti),
               and_(SpanLink.source_span_id == ti, SpanLink.target_span_id == si))


def add_links(project: Project, pairs: list[tuple[str, str]]) -> Change:
    """Links each (source uid, target uid) pair, all in one transaction: if any pair is
    refused (as add_link refuses it) nothing is linked. The change's result is the pairs
    linked now, leaving out those already linked (either way)."""
    added = []
    with project.write() as conn:
        rec = Recorder(conn)
        for source_uid, target_uid in pairs:
            si, ti = _link_ids(conn, source_uid, target_uid)
            if not conn.scalar(select(func.count()).select_from(SpanLink).where(_pair_clause(si, ti))):
                rec.insert(SpanLink, [{"source_span_id": si, "target_span_id": ti}])
                added.append((source_uid, target_uid))
        _touch_span_layers(rec, [u for p in added for u in p])
        return rec.change(f"link {len(added)} pair{'s' if len(added) != 1 else ''} of spans", added)


def add_link(project: Project, source_uid: str, target_uid: str) -> Change:
    """Links two spans; an empty change if they were already linked (either way)."""
    return add_links(project, [(source_uid, target_uid)])


def remove_links(project: Project, pairs: list[tuple[str, str]]) -> Change:
    """Unlinks each pair of span uids (stored either way), all in one transaction. The
    change's result is the pairs that were linked and are not now."""
    with project.write() as conn:
        rec = Recorder(conn)
        removed = [(a, b) for a, b in pairs if _unlink(rec, a, b)]
        _touch_span_layers(rec, [u for p in removed for u in p])
        return rec.change(f"unlink {len(removed)} pair{'s' if len(removed) != 1 else ''} of spans", removed)


def _unlink(rec: Recorder, source_uid: str, target_uid: str) -> bool:
    ids = dict(rec.conn.execute(select(Span.uid, Span.id).where(Span.uid.in_([source_uid, target_uid]))).all())
    si, ti = ids.get(source_uid), ids.get(target_uid)
    return si is not None and ti is not None and bool(rec.delete(SpanLink, _pair_clause(si, ti)))


def remove_link(project: Project, source_uid: str, target_uid: str) -> Change:
    """Unlinks two spans (stored either way); an empty change if they were not linked."""
    return remove_links(project, [(source_uid, target_uid)])


def _touch_span_layers(rec: Recorder, uids: list[str]) -> None:
    for doc, ann in rec.conn.execute(select(Span.document_id, Span.annotator_id).where(Span.uid.in_(uids))):
        rec.touch(doc, ann)


def document_links(conn: Connection, doc_id: int, annotator: str) -> list[tuple[str, str, str]]:
    """(span uid, other document uid, other span uid) of every link of `annotator`'s
    spans in doc_id, whichever way it was stored, sorted."""
    ann = conn.scalar(select(Annotator.id).where(Annotator.name == annotator))
    if ann is None:
        return []
    here, there, other_doc = aliased(Span), aliased(Span), aliased(Document)
    out: set[Row[str, str, str]] = set()
    for mine, theirs in ((SpanLink.source_span_id, SpanLink.target_span_id),
                         (SpanLink.target_span_id, SpanLink.source_span_id)):
        out.update(conn.execute(select(here.uid, other_doc.uid, there.uid).select_from(SpanLink)
                                .join(here, mine == here.id).join(there, theirs == there.id)
                                .join(other_doc, there.document_id == other_doc.id)
                                .where(here.document_id == doc_id, here.annotator_id == ann)).all())
    return sorted((span, doc, other) for span, doc, other in out)
