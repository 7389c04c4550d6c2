"""Reading one layer of a long document: a 1 MB document with 50,000 spans.

    python bench/bench_store.py [--runs N]

Imports the document into a fresh project, then times
`queries.layer_spans(conn, doc_id, "bench")` inside `with project.read() as conn:`, so
the figure includes opening the read transaction (what the editor pays when it opens a
document). Median of N runs after one warm-up. Target: < 50 ms.
"""

from __future__ import annotations

import argparse
import sys

import gen_corpus
from _common import Timer, median_ms, peak_rss_mb, result_line, scratch_dir  # also puts the checkout on sys.path

from annotator.importer import import_paths
from annotator.store import queries
from annotator.store.project import Project

TARGET_MS = 50.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)

    path = gen_corpus.big_path()
    with scratch_dir("store-") as tmp, Project.create(tmp / "big.annotator") as project:
        with Timer() as imp:
            report = import_paths(project, [path])
        with project.read() as conn:
            doc_id = next(d.id for d in queries.list_documents(conn) if d.uid == report.added[0])
            length = len(queries.document_text(conn, doc_id))

        def read_layer():
            with project.read() as conn:
                return queries.layer_spans(conn, doc_id, "bench")

        n_spans = len(read_layer())
        assert n_spans == 50_000, n_spans
        median, fastest, slowest = median_ms(read_layer, args.runs)

        def read_layer_in_open_transaction():
            return queries.layer_spans(conn, doc_id, "bench")

        with project.read() as conn:
            median_inner, _, _ = median_ms(read_layer_in_open_transaction, args.runs)

    print(f"document: {length} characters, {n_spans} spans; import {imp.seconds:.2f} s")
    print(f"layer_spans: median {median:.1f} ms (min {fastest:.1f}, max {slowest:.1f}) over {args.runs} runs, "
          f"read transaction included; {median_inner:.1f} ms inside an open one  (target < {TARGET_MS:.0f} ms)")
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    print(result_line("big_import", seconds=f"{imp.seconds:.2f}", spans=n_spans))
    print(result_line("layer_spans", median_ms=f"{median:.1f}", min_ms=f"{fastest:.1f}", max_ms=f"{slowest:.1f}",
                      in_transaction_ms=f"{median_inner:.1f}", target=f"<{TARGET_MS:g}ms", ok=median < TARGET_MS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
