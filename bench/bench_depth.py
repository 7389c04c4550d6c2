"""The 1 MB, 50,000-span document with what issue 14 adds: an attribute on every span and
10,000 relations, against the same document without them.

    python bench/bench_depth.py [--runs N]

For each version: import time, then (median of N runs after a warm-up) reading the
layer's spans as the editor does (`queries.layer_spans`), the layer's attributes and
relations (`attributes.layer_attributes`, `relations.layer_relations`), one span's
attributes (`attributes.target_attributes`, what the inspector reads), exporting the
document (`records_out.iter_records` + `gold_jsonl.dumps`), and three edits through the
store API (set an attribute, add a relation, delete a span with its relations and
attributes, each undone again). Also checks the export round-trips byte-identically.
"""

from __future__ import annotations

import argparse
import sys

import gen_corpus
from _common import Timer, median_ms, peak_rss_mb, result_line, scratch_dir  # also puts the checkout on sys.path

from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store import attributes, queries, relations
from annotator.store.changes import apply
from annotator.store.project import Project
from annotator.store.records_out import iter_records
from annotator.store.spans import delete_span

bench_schema = gen_corpus.depth_schema


def measure(name: str, path, runs: int) -> dict[str, float]:
    with scratch_dir("depth-") as tmp, Project.create(tmp / "p.annotator", bench_schema()) as project:
        with Timer() as imp:
            report = import_paths(project, [path])
        with project.read() as conn:
            doc = next(d.id for d in queries.list_documents(conn) if d.uid == report.added[0])
            annotator = next(r.annotator for r in iter_records(conn, document_ids=[doc]) if r.annotator)

        def read(fn):
            def run():
                with project.read() as conn:
                    return fn(conn)
            return run

        spans_ms = median_ms(read(lambda c: queries.layer_spans(c, doc, annotator)), runs)[0]
        extra_ms = median_ms(read(lambda c: (attributes.layer_attributes(c, doc, annotator),
                                             relations.layer_relations(c, doc, annotator))), runs)[0]
        first = read(lambda c: queries.layer_spans(c, doc, annotator))()[0][3]
        one_ms = median_ms(read(lambda c: attributes.target_attributes(
            c, attributes.Target("span", doc, annotator, first))), runs)[0]
        export_ms = median_ms(read(lambda c: [gold_jsonl.dumps(r) for r in iter_records(c, document_ids=[doc])]),
                              runs)[0]
        with project.read() as conn:
            out = b"".join(gold_jsonl.dumps(r) for r in iter_records(conn, document_ids=[doc]))
        assert out == path.read_bytes(), "the export differs from the imported file"
        uids = [r[3] for r in read(lambda c: queries.layer_spans(c, doc, annotator))()][:200]

        def edit(make):
            state = iter(range(10_000))

            def run():
                change = make(next(state))
                apply(project, change, False)
            return run

        set_ms = median_ms(edit(lambda i: attributes.set_attribute(
            project, attributes.Target("span", doc, annotator, uids[i % 100]), "confidence", "low")), runs)[0]
        rel_ms = median_ms(edit(lambda i: relations.add_relation(project, "near", uids[100 + i % 50],
                                                                 uids[150 + i % 50])), runs)[0]
        del_ms = median_ms(edit(lambda i: delete_span(project, uids[i % 100])), runs)[0]
    figures = {"import_s": imp.seconds, "layer_spans_ms": spans_ms, "attributes_relations_ms": extra_ms, "one_span_attributes_ms": one_ms,
               "export_ms": export_ms, "set_attribute_ms": set_ms, "add_relation_ms": rel_ms,
               "delete_span_ms": del_ms}
    print(f"{name}: import {imp.seconds:.2f} s; layer_spans {spans_ms:.1f} ms; attributes+relations "
          f"{extra_ms:.1f} ms; one span's attributes {one_ms:.1f} ms; export {export_ms:.0f} ms; set attribute {set_ms:.1f} ms; add relation "
          f"{rel_ms:.1f} ms; delete span {del_ms:.1f} ms (each edit then undone)")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    plain, deep = gen_corpus.big_path(), gen_corpus.big_depth_path()
    for name, path in (("without", plain), ("with", deep)):
        figures = measure(f"{name} attributes and relations", path, args.runs)
        print(result_line(f"depth_{name}", **{k: f"{v:.2f}" for k, v in figures.items()}))
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
