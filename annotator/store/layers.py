"""Several annotators' layers at once, for agreement and adjudication.

A document is in an annotator's layer when that annotator has done anything on it (a
span, event, claim, alignment, or a status past "todo"): a layer marked done with no
spans is a real "nothing here", while a document nobody opened says nothing and must not
count as agreement on emptiness.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from annotator.core.errors import AnnotatorError
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.core.records import DocumentRecord
from annotator.store import record_rows
from annotator.store.models import Annotator, Document, DocumentStatus, Span
from annotator.store.records_out import connection_query, iter_records
from annotator.suggest.base import LayerDocument


def layer_annotators(conn: Connection) -> list[str]:
    """Names of the annotators that have a layer on at least one document, sorted."""
    return record_rows.layer_annotators(connection_query(conn))


def has_gold_layer(conn: Connection) -> bool:
    return record_rows.has_gold_layer(connection_query(conn))


def annotator_layers(conn: Connection, annotators: list[str] | None = None,
                     document_ids: list[int] | None = None) -> dict[str, list[DocumentRecord]]:
    """{annotator: their records} for `annotators` (default: everyone with a layer except
    the gold layer, which is adjudicated from the others and would inflate agreement),
    each list in document order and holding only the documents that annotator worked on.
    An unknown name is an error: a typo must not read as agreement on nothing."""
    if annotators is None:
        wanted = [a for a in layer_annotators(conn) if a != GOLD_ANNOTATOR]
    else:
        wanted = list(dict.fromkeys(annotators))
        # The annotators table, not layer_annotators: this runs once per chunk of documents.
        known = set(conn.scalars(select(Annotator.name)))
        unknown = [a for a in wanted if a not in known]
        if unknown:
            raise AnnotatorError(f"no layer by {', '.join(map(repr, unknown))} in this project "
                                 f"(annotators with layers: {', '.join(layer_annotators(conn)) or 'none'})")
    layers: dict[str, list[DocumentRecord]] = {a: [] for a in wanted}
    for rec in iter_records(conn, document_ids=document_ids):
        if rec.annotator in layers and rec.has_layer:
            layers[rec.annotator].append(rec)
    return layers


def training_layers(conn: Connection, annotators: list[str] | None = None) -> list[LayerDocument]:
    """Every layer of `annotators` (default: every annotator with a layer, gold
    included) with its document's text and spans, for training the recommenders: three
    bulk reads, no ORM objects. A layer is a document the annotator labelled a span in or
    moved past "todo" (a done layer with no spans is real evidence of no entity)."""
    known = dict(conn.execute(select(Annotator.name, Annotator.id)).all())
    if annotators is None:
        wanted = {known[a]: a for a in layer_annotators(conn)}
    else:
        unknown = [a for a in annotators if a not in known]
        if unknown:
            raise AnnotatorError(f"no layer by {', '.join(map(repr, unknown))} in this project "
                                 f"(annotators with layers: {', '.join(layer_annotators(conn)) or 'none'})")
        wanted = {known[a]: a for a in annotators}
    spans: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    for doc_id, ann_id, start, end, label in conn.execute(
            select(Span.document_id, Span.annotator_id, Span.start, Span.end, Span.label)
            .where(Span.annotator_id.in_(list(wanted))).order_by(Span.document_id, Span.start, Span.end)):
        spans.setdefault((doc_id, ann_id), []).append((start, end, label))
    for doc_id, ann_id in conn.execute(select(DocumentStatus.document_id, DocumentStatus.annotator_id)
                                       .where(DocumentStatus.annotator_id.in_(list(wanted)),
                                              DocumentStatus.status != "todo")):
        spans.setdefault((doc_id, ann_id), [])
    docs = {i: (uid, lang, text) for i, uid, lang, text in conn.execute(
        select(Document.id, Document.uid, Document.lang, Document.text)
        .where(Document.id.in_(list({d for d, _ in spans}))))}
    return [LayerDocument(docs[d][0], docs[d][1], docs[d][2], wanted[a], tuple(s))
            for (d, a), s in sorted(spans.items())]
