"""Import and export of a 10,000-document, 200,000-span gold JSONL corpus.

    python bench/bench_import_export.py [--docs N]

Times `importer.import_paths` into a fresh project and the export
(`records_out.iter_records` + `gold_jsonl.write` to a file), then checks the round trip:
the export equals the input file byte for byte (the generator writes the export format),
and re-importing the export into a second project and exporting again gives the same
bytes. Targets (10,000 documents): import <= 3 s, export <= 0.6 s (issue 18). bench_scale.py
times the whole commands, each in its own process, with CPU time and peak memory.
"""

from __future__ import annotations

import argparse
import sys

import gen_corpus
from _common import Timer, peak_rss_mb, result_line, scratch_dir  # also puts the checkout on sys.path

from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.records_out import iter_records

IMPORT_TARGET_S = 3.0
EXPORT_TARGET_S = 0.6


def export(project: Project, path) -> int:
    with project.read() as conn, path.open("wb") as out:
        return gold_jsonl.write(iter_records(conn), out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    args = parser.parse_args(argv)

    with Timer() as gen:
        corpus = gen_corpus.corpus_path(args.docs)
    n_docs = args.docs
    n_spans = n_docs * 20
    size_mb = corpus.stat().st_size / 1e6
    print(f"corpus: {corpus.name}, {n_docs} documents, {n_spans} spans, {size_mb:.1f} MB "
          f"(ready in {gen.seconds:.1f} s)")

    with scratch_dir("import-export-") as tmp:
        first, second = tmp / "first.annotator", tmp / "second.annotator"
        out1, out2 = tmp / "export1.jsonl", tmp / "export2.jsonl"
        with Project.create(first) as project:
            with Timer() as imp:
                report = import_paths(project, [corpus])
            rss_import = peak_rss_mb()
            assert len(report.added) == n_docs, (len(report.added), report.duplicates[:3])
            with Timer() as exp:
                written = export(project, out1)
            rss_export = peak_rss_mb()
            assert written == n_docs, written
        db_mb = first.stat().st_size / 1e6

        same_as_input = out1.read_bytes() == corpus.read_bytes()
        with Project.create(second) as project2:
            import_paths(project2, [out1])
            export(project2, out2)
        round_trip = out2.read_bytes() == out1.read_bytes()

    print(f"import: {imp.seconds:6.2f} s  {n_docs / imp.seconds:8.0f} docs/s  {n_spans / imp.seconds:9.0f} spans/s  "
          f"peak RSS {rss_import:.0f} MB  (target < {IMPORT_TARGET_S:.0f} s)")
    print(f"export: {exp.seconds:6.2f} s  {n_docs / exp.seconds:8.0f} docs/s  {n_spans / exp.seconds:9.0f} spans/s  "
          f"peak RSS {rss_export:.0f} MB  (target < {EXPORT_TARGET_S:.0f} s)")
    print(f"project file: {db_mb:.1f} MB")
    print(f"export == input file: {'yes' if same_as_input else 'NO'}; "
          f"re-import + export == export: {'yes' if round_trip else 'NO'}")
    print(result_line("import", seconds=f"{imp.seconds:.2f}", docs_s=f"{n_docs / imp.seconds:.0f}",
                      spans_s=f"{n_spans / imp.seconds:.0f}", rss_mb=f"{rss_import:.0f}",
                      target=f"<{IMPORT_TARGET_S:g}s", ok=imp.seconds < IMPORT_TARGET_S))
    print(result_line("export", seconds=f"{exp.seconds:.2f}", docs_s=f"{n_docs / exp.seconds:.0f}",
                      spans_s=f"{n_spans / exp.seconds:.0f}", rss_mb=f"{rss_export:.0f}",
                      target=f"<{EXPORT_TARGET_S:g}s", ok=exp.seconds < EXPORT_TARGET_S))
    print(result_line("round_trip", same_as_input=same_as_input, reimport_identical=round_trip,
                      ok=same_as_input and round_trip))
    return 0 if same_as_input and round_trip else 1


if __name__ == "__main__":
    sys.exit(main())
