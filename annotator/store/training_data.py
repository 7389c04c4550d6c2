"""What the recommenders learn from, read from the project: the examples of the named
layers (gold winning where a document has it, rejections riding along as negative
evidence: suggest.training.examples_by_language) and the corpus, every document's text
by language. `annotator suggest` and the window's training process
(training_job.py) read them here, the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from annotator.store.layers import layer_annotators, training_layers
from annotator.store.queries import corpus_keys, document_texts, list_documents
from annotator.store.suggestions import rejections
from annotator.suggest.base import Example
from annotator.suggest.training import examples_by_language


@dataclass(frozen=True)
class TrainingData:
    examples: dict[str, list[Example]]  # {language: examples}
    layers: int  # the layers read
    layer_documents: int  # the documents they are layers of
    spans: int  # the labelled spans of the examples
    documents: dict[str, list[int]]  # {language: every document id, in import order}: the corpus
    keys: dict[str, str]  # queries.corpus_keys: whether a language's texts changed since
    texts: dict[int, str]  # {document id: its text} of the documents with a layer read (the corpus has them)


def read_training(conn: Connection, only: list[str] | None = None, missing_ok: bool = False) -> TrainingData:
    """Every layer and gold, or the layers of `only` (an unknown one is an error, unless
    `missing_ok`: then only those that exist)."""
    if only is not None and missing_ok:
        present = set(layer_annotators(conn))
        names = [a for a in only if a in present]
        layers = training_layers(conn, names) if names else []
    else:
        layers = training_layers(conn, only)
    refused = rejections(conn)
    documents: dict[str, list[int]] = {}
    uids, ids = {}, {}
    for d in list_documents(conn):
        uids[d.id], ids[d.uid] = d.uid, d.id
        documents.setdefault(d.lang, []).append(d.id)
    examples = examples_by_language(layers, {uids[d]: r for d, r in refused.items() if d in uids})
    return TrainingData(examples, len(layers), len({la.document for la in layers}),
                        sum(len(ex.spans) for exs in examples.values() for ex in exs), documents, corpus_keys(conn),
                        {ids[la.document]: la.text for la in layers})


def corpus_texts(conn: Connection, data: TrainingData, documents: dict[str, list[int]] | None = None
                 ) -> dict[str, list[str]]:
    """{language: the texts of its documents (`documents`, else every one), in their
    order}: the corpus the CRF's word clusters and capitalisation are learnt from (and the
    texts scored for uncertainty). The texts the layers brought are not read again (at
    100,000 documents with a layer each: 0.7 GB and 2-4 s saved)."""
    wanted = data.documents if documents is None else documents
    texts = data.texts
    missing = [d for docs in wanted.values() for d in docs if d not in texts]
    if missing:
        texts = {**texts, **document_texts(conn, missing)}
    return {lang: [texts[d] for d in docs] for lang, docs in wanted.items()}
