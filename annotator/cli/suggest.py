"""Command-line commands of the suggestions area (registered by annotator.cli):

    annotator suggest PROJECT [--documents ID...] [--train-on ANNOTATOR...] [--gazetteer FILE] [--layer NAME]

Trains the recommenders (annotator.suggest) on the project's layers and prints one JSON
object per suggestion: document, start, end, label, score, source. Imported suggestion
sources (`annotator import --as-suggestions`) are merged in; rejected suggestions are
never printed and count against their surface in the matcher. The project is opened
read-only; what was trained on is said on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson

from annotator.core.errors import AnnotatorError


def register(sub) -> dict:
    """Add this area's subparsers to `sub`; return {command name: handler(args) -> exit status}."""
    p = sub.add_parser("suggest", help="suggest spans learnt from the project's layers, one JSON object per line",
                       description="Train the string matcher and a CRF per language on the named layers "
                                   "(default: every layer and gold; gold wins where a document has both) and "
                                   "print suggestions for the documents as JSON lines (document, start, end, "
                                   "label, score, source).")
    p.add_argument("project", type=Path, metavar="PROJECT")
    p.add_argument("--documents", nargs="+", metavar="ID", help="suggest for these documents (default: all)")
    p.add_argument("--train-on", nargs="+", metavar="ANNOTATOR",
                   help="train on these layers (default: every annotator with a layer, and gold)")
    p.add_argument("--gazetteer", type=Path, action="append", default=[], metavar="FILE",
                   help="CSV/TSV of term, label[, language] to match and to use as a feature (repeatable)")
    p.add_argument("--layer", metavar="NAME",
                   help="the layer being annotated: drop suggestions overlapping its spans (default: none)")
    return {"suggest": _suggest}


def _suggest(args) -> int:
    from annotator.store.parallel import document_ids
    from annotator.store.project import Project
    from annotator.store.queries import annotator_names, layer_spans, list_documents
    from annotator.store.suggestions import rejections, stored_suggestions
    from annotator.store.training_data import corpus_texts, read_training
    from annotator.suggest.base import Suggestion
    from annotator.suggest.gazetteer_file import read_gazetteer
    from annotator.suggest.training import Suggester

    with Project.open(args.project, readonly=True) as project, project.read() as conn:
        labels = {lab.name for lab in project.schema.labels}
        gazetteer = [e for path in args.gazetteer for e in read_gazetteer(path, labels)]
        # the examples, as the window's training reads them (store/training_data.py)
        data = read_training(conn, args.train_on)
        if args.layer and args.layer not in annotator_names(conn):
            raise AnnotatorError(f"{args.project}: no layer by {args.layer!r} (--layer)")
        rows = list_documents(conn)
        # every document, annotated or not, is the corpus the tagger's word clusters are learnt from
        corpus = corpus_texts(conn, data)
        if args.documents:
            found = document_ids(conn, args.documents)
            missing = [u for u in args.documents if u not in found]
            if missing:
                raise AnnotatorError(f"{args.project}: no document {', '.join(map(repr, missing))}")
            wanted = set(args.documents)
            rows = [r for r in rows if r.uid in wanted]
        texts = {d: t for lang, ids in data.documents.items() for d, t in zip(ids, corpus[lang], strict=True)}
        refused = rejections(conn)
        imported: dict[int, list[Suggestion]] = {}
        for row in stored_suggestions(conn, [r.id for r in rows]):
            imported.setdefault(row.document_id, []).append(
                Suggestion(row.start, row.end, row.label, row.score, row.source))
        targets = [(r.id, r.uid, r.lang, texts[r.id]) for r in rows]
        existing = {r.id: [(s, e) for s, e, _l, _u in layer_spans(conn, r.id, args.layer)] for r in rows} \
            if args.layer else {}
    examples = data.examples
    print(f"trained on {data.layers} layer(s) of {data.layer_documents} document(s), {data.spans} span(s), "
          f"languages: {', '.join(sorted(examples)) or 'none'}", file=sys.stderr)
    suggester = Suggester.train(examples, gazetteer, texts=corpus)
    out = sys.stdout.buffer
    for doc_id, uid, lang, text in targets:
        for s in suggester.suggest(text, lang, existing.get(doc_id, ()), refused.get(doc_id, set()),
                                   imported.get(doc_id, ())):
            out.write(orjson.dumps({"document": uid, "start": s.start, "end": s.end, "label": s.label,
                                    "score": round(s.score, 4), "source": s.source}) + b"\n")
    out.flush()
    return 0
