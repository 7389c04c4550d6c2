"""What the check on opening costs: `PRAGMA quick_check` on the 10,000-document corpus.

    python bench/bench_open_check.py [--docs N] [--runs N]

Imports the corpus into a fresh project once, then times, each as the median of N runs
after one warm-up (the file is in the page cache, as after any recent use):
`PRAGMA quick_check` alone on a read-only connection, the whole recognition step
(`recognise.recognise`: header, tables, quick_check), and `Project.open` read-only
(what `export` and `stats` pay) and for writing (what the GUI and `import` pay). Also
`PRAGMA integrity_check`, which runs only before a backup and after a migration.
Target: quick_check < 1 s on 10,000 documents.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys

import gen_corpus
from _common import Timer, median_ms, result_line, scratch_dir  # also puts the checkout on sys.path

from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.recognise import recognise

TARGET_MS = 1000.0


def pragma(path, name: str):
    def run():
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            assert con.execute(f"PRAGMA {name}").fetchall() == [("ok",)]
        finally:
            con.close()
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    corpus = gen_corpus.corpus_path(args.docs)
    with scratch_dir("open-check-") as tmp:
        path = tmp / "corpus.annotator"
        with Timer() as imp, Project.create(path) as project:
            import_paths(project, [corpus])
            project.checkpoint()
        size_mb = path.stat().st_size / 1e6
        quick, quick_min, quick_max = median_ms(pragma(path, "quick_check"), args.runs)
        whole, _, _ = median_ms(lambda: recognise(path), args.runs)
        read_open, _, _ = median_ms(lambda: Project.open(path, readonly=True).close(), args.runs)
        write_open, _, _ = median_ms(lambda: Project.open(path).close(), args.runs)
        integrity, _, _ = median_ms(pragma(path, "integrity_check"), max(1, args.runs // 2))

    print(f"project: {args.docs} documents, {size_mb:.1f} MB (import {imp.seconds:.1f} s)")
    print(f"PRAGMA quick_check: median {quick:.0f} ms (min {quick_min:.0f}, max {quick_max:.0f}) "
          f"over {args.runs} runs  (target < {TARGET_MS:.0f} ms)")
    print(f"recognition with quick_check: {whole:.0f} ms; Project.open read-only {read_open:.0f} ms, "
          f"for writing {write_open:.0f} ms")
    print(f"PRAGMA integrity_check (before a backup, after a migration): {integrity:.0f} ms")
    print(result_line("quick_check", docs=args.docs, mb=f"{size_mb:.1f}", median_ms=f"{quick:.0f}",
                      open_ro_ms=f"{read_open:.0f}", open_rw_ms=f"{write_open:.0f}",
                      integrity_ms=f"{integrity:.0f}", target=f"<{TARGET_MS:g}ms", ok=quick < TARGET_MS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
