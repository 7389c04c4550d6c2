"""Label every occurrence of a word across the corpus (Ctrl+Shift+E without the preview),
as the workspace does it: finding the occurrences, then writing them as one change (one
transaction, one undo step), the views told; then undoing it (issue 18).

    python bench/bench_label_all.py PROJECT [--word Lajčák] [--runs 3] [--profile out.prof [--profile-run 2]]

PROJECT is modified (spans added, then undone): pass a copy. Prints, per run, the CPU and
wall time of finding, writing (the store's transaction and the views' refresh) and
undoing, then their medians. The suggestions' background training is held off (it would
run on a worker thread through every figure).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import OUT  # noqa: F401  (puts the worktree on sys.path)

ANNOTATOR = "bench"


def clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(t: tuple[float, float]) -> tuple[float, float]:
    return time.perf_counter() - t[0], time.process_time() - t[1]


@contextmanager
def profiled(path: Path | None) -> Iterator[None]:
    """cProfile what runs inside into `path` (nothing if None)."""
    if path is None:
        yield
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        profiler.dump_stats(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--word", default="Lajčák")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="cProfile a run's write into this file "
                                                     "(its finding into F.find, its undo into F.undo)")
    parser.add_argument("--profile-run", type=int, default=1, help="the run --profile profiles (1: the first)")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from annotator.store import spans as ops
    from annotator.store.project import Project
    from annotator.store.queries import document_texts
    from annotator.store.search import search_documents
    from annotator.ui.app.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    # The suggestions' training runs on a worker thread of this process: the first one starts
    # as the window opens and, at 100,000 documents, runs for minutes, through every figure
    # below (time.process_time counts every thread, and the worker holds the GIL half the
    # time). Held off here, with the retraining 1.5 s after edits pause (below), so each
    # figure is the step's own.
    from annotator.ui.annotate.recommenders import Retrainer
    Retrainer.request = lambda *_a, **_k: None  # type: ignore[method-assign]
    project = Project.open(args.project)
    window = MainWindow(project, ANNOTATOR)
    window.show()
    app.processEvents()
    ws = window.workspace
    with project.read() as conn:
        doc_id = next(d for d in search_documents(conn, args.word) if d is not None)
        text = document_texts(conn, [doc_id])[doc_id]
    window.navigator.select_document(doc_id)
    while ws.doc_id != doc_id:
        app.processEvents()
    start = text.index(args.word)
    marks = {m.uid for m in ws.spans()}
    source = next((m for m in ws.spans() if (m.start, m.end) == (start, start + len(args.word))), None)
    if source is None:
        window.edits.run(lambda: ops.add_spans(project, [ops.SpanData("", doc_id, ANNOTATOR, start,
                                                                      start + len(args.word), "PERSON")]))
        app.processEvents()
        source = next(m for m in ws.spans() if m.uid not in marks)
    print(f"project: {args.project}; word: {args.word}; load average at start: {os.getloadavg()[0]:.1f}")
    figures: dict[str, list[tuple[float, float]]] = {"find": [], "write": [], "undo": []}
    for run in range(args.runs):
        window.navigator.select_document(doc_id)  # an undo may have shown another document
        while ws.doc_id != doc_id:
            app.processEvents()
        ws.select_span(source.uid)
        profiling = args.profile is not None and run == args.profile_run - 1
        with profiled(args.profile.with_suffix(args.profile.suffix + ".find") if profiling else None):
            t = clock()
            found = ws.occurrences(source, True, ws._progressed, contexts=False)  # as without the preview
            figures["find"].append(since(t))
        assert found
        with profiled(args.profile if profiling else None):
            t = clock()
            n = ws._add_occurrences([o.span for o in found])
            app.processEvents()
            figures["write"].append(since(t))
        with profiled(args.profile.with_suffix(args.profile.suffix + ".undo") if profiling else None):
            t = clock()
            assert window.edits.undo()
            app.processEvents()
            figures["undo"].append(since(t))
        print(f"run {run + 1}: {n:,} occurrences; " + "; ".join(
            f"{k} {v[-1][1]:.2f} s CPU ({v[-1][0]:.2f} s wall)" for k, v in figures.items()), flush=True)
    for k, v in figures.items():
        print(f"{k:<6} median {statistics.median(c for _w, c in v):.2f} s CPU, "
              f"{statistics.median(w for w, _c in v):.2f} s wall")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    window.close()
    project.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
