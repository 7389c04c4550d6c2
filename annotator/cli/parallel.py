"""Command-line commands of the parallel area (registered by annotator.cli).

    annotator align PROJECT DOC_A DOC_B [--annotator NAME] [--format jsonl|vecalign] [--aligner auto|length|embeddings]
    annotator project-spans PROJECT --from DOC_A --to DOC_B [--annotator NAME]
    annotator groups PROJECT [--suggest]

Output is JSON Lines on stdout; which alignment or layer was used is said on stderr.
Documents are named by their ids (uids); projects are opened read-only.
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson

from annotator.cli.args import project_arg
from annotator.core.errors import AnnotatorError


def register(sub) -> dict:
    """Add this area's subparsers to `sub`; return {command name: handler(args) -> exit status}."""
    p = sub.add_parser("align", help="sentence alignment of two documents, one JSON block per line",
                       description="Print the sentence alignment of DOC_A with DOC_B: the one stored by "
                                   "--annotator (default: the first annotator, by name, who stored one), "
                                   "else a suggested one.")
    p.add_argument("project", type=project_arg, metavar="PROJECT")
    p.add_argument("doc_a", metavar="DOC_A")
    p.add_argument("doc_b", metavar="DOC_B")
    p.add_argument("--annotator", metavar="NAME", help="use this annotator's stored alignment")
    p.add_argument("--format", choices=("jsonl", "vecalign"), default="jsonl",
                   help="jsonl: character ranges, one JSON block per line (default); vecalign: "
                        "`[0]:[0, 1]` lines of sentence indices (the app's sentences), as the field's scorers read")
    p.add_argument("--aligner", choices=("auto", "length", "embeddings"), default="auto",
                   help="for a suggested alignment: the embedding aligner of the `embeddings` extra when it is "
                        "installed (auto, default), the length-and-anchors aligner (length)")

    p = sub.add_parser("project-spans", help="propose DOC_B spans from DOC_A's spans, one JSON object per line",
                       description="Project the spans of DOC_A onto DOC_B through their sentence alignment "
                                   "(stored, else suggested); spans already in DOC_B's layer are not proposed.")
    p.add_argument("project", type=project_arg, metavar="PROJECT")
    p.add_argument("--from", dest="doc_a", required=True, metavar="DOC_A")
    p.add_argument("--to", dest="doc_b", required=True, metavar="DOC_B")
    p.add_argument("--annotator", metavar="NAME", help="whose layer to project (default: the only annotator with spans in DOC_A)")

    p = sub.add_parser("groups", help="translation groups: stored, or suggested with --suggest")
    p.add_argument("project", type=project_arg, metavar="PROJECT")
    p.add_argument("--suggest", action="store_true", help="suggest groups from the texts instead")
    return {"align": _align, "project-spans": _project_spans, "groups": _groups}


def _emit(obj) -> None:
    sys.stdout.buffer.write(orjson.dumps(obj) + b"\n")


def _resolve(conn, project_path: Path, uids: list[str]) -> list[int]:
    from annotator.store.parallel import document_ids

    found = document_ids(conn, uids)
    for uid in uids:
        if uid not in found:
            raise AnnotatorError(f"{project_path}: no document {uid!r}")
    return [found[u] for u in uids]


def _alignment(conn, ids: list[int], texts: list[tuple[str, str]], annotator: str | None, method: str = "auto"):
    """(blocks, crossing links, description): the stored alignment of `annotator` (or of
    the first annotator by name who stored one), else a suggested one (no crossing links)."""
    from annotator.core.alignment import align_sentences, aligner_in_use
    from annotator.store.parallel import alignment_annotators, stored_alignment, stored_crossings

    names = [annotator] if annotator else alignment_annotators(conn, *ids)
    for name in names:
        blocks = stored_alignment(conn, ids[0], ids[1], name)
        if blocks is not None:
            crossings = stored_crossings(conn, ids[0], ids[1], name)
            return blocks, crossings, f"{name}'s stored alignment" + (
                f" with {len(crossings)} crossing link(s)" if crossings else "")
    (ta, la), (tb, lb) = texts
    used = {"length": "length and anchors", "embeddings": "embeddings"}[aligner_in_use(method)]
    model, learned = learned_model(conn, la, lb)
    return align_sentences(ta, la, tb, lb, method=method, model=model), [], f"suggested alignment ({used}; none stored" + (
        f" by {annotator}" if annotator else "") + (f"; {learned})" if learned else ")")


def learned_model(conn, lang_a: str, lang_b: str):
    """(length model, what to say about it): learned from the language pair's stored
    alignments when they are enough (store.parallel.confirmed_alignments), else (None, "")."""
    from annotator.core.alignment import learned_length_model
    from annotator.store.parallel import confirmed_alignments

    confirmed = confirmed_alignments(conn, lang_a, lang_b)
    model = learned_length_model(confirmed)
    if model.ratio is None:
        return None, ""
    return model, f"length model learned from {len(confirmed)} confirmed alignment(s) of {lang_a}-{lang_b}"


def _align(args) -> int:
    from annotator.store.parallel import document_texts
    from annotator.store.project import Project

    with Project.open(args.project, readonly=True) as project, project.read() as conn:
        ids = _resolve(conn, args.project, [args.doc_a, args.doc_b])
        texts = document_texts(conn, ids)
        blocks, crossings, what = _alignment(conn, ids, texts, args.annotator, args.aligner)
    print(f"{args.doc_a} / {args.doc_b}: {what}, {len(blocks)} block(s)", file=sys.stderr)
    if args.format == "vecalign":
        from annotator.core.alignment import vecalign_lines

        (ta, la), (tb, lb) = texts
        sys.stdout.write("".join(line + "\n" for line in vecalign_lines(blocks, ta, la, tb, lb, crossings)))
        return 0
    for b in blocks:
        _emit({"a": [b.a_start, b.a_end], "b": [b.b_start, b.b_end]})
    for c in crossings:  # after the monotone blocks, marked (only when there are some)
        _emit({"a": [c.a_start, c.a_end], "b": [c.b_start, c.b_end], "crossing": True})
    return 0


def _project_spans(args) -> int:
    from annotator.core.projection import project_spans
    from annotator.store.parallel import document_texts
    from annotator.store.project import Project
    from annotator.store.records_out import iter_records

    with Project.open(args.project, readonly=True) as project, project.read() as conn:
        ids = _resolve(conn, args.project, [args.doc_a, args.doc_b])
        annotator = args.annotator or _only_annotator(conn, args.project, ids[0], args.doc_a)
        texts = document_texts(conn, ids)
        blocks, crossings, what = _alignment(conn, ids, texts, annotator)
        records = {r.id: r for r in iter_records(conn, annotator=annotator or "", document_ids=ids)}
    source, target = records[args.doc_a], records[args.doc_b]
    proposals = project_spans(source.text, source.lang, source.spans, target.text, target.lang, blocks,
                              existing=target.spans, crossings=crossings)
    print(f"{args.doc_a} -> {args.doc_b}: {len(source.spans)} span(s) of {annotator or 'nobody'}'s layer, "
          f"{what}; {len(proposals)} proposal(s)", file=sys.stderr)
    for p in proposals:
        _emit({"source": p.source, "start": p.start, "end": p.end, "label": p.label, "text": p.text})
    return 0


def _only_annotator(conn, project_path: Path, doc_id: int, uid: str) -> str | None:
    from annotator.store.parallel import span_annotators

    names = span_annotators(conn, doc_id)
    if len(names) > 1:
        raise AnnotatorError(f"{project_path}: document {uid!r} has spans of several annotators "
                             f"({', '.join(names)}); choose one with --annotator")
    return names[0] if names else None


def _groups(args) -> int:
    from annotator.core.grouping import suggest_groups
    from annotator.store.parallel import documents_for_grouping, groups
    from annotator.store.project import Project

    with Project.open(args.project, readonly=True) as project, project.read() as conn:
        if not args.suggest:
            for uid, members in groups(conn):
                _emit({"group": uid, "documents": members})
            return 0
        docs = documents_for_grouping(conn)
    for g in suggest_groups(docs):
        _emit({"documents": list(g.documents), "score": g.score})
    return 0
