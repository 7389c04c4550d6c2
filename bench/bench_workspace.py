"""The annotation workspace on the 1 MB, 50,000-span document: open (store to first
paint), add / relabel / delete a span (commit + repaint), scroll a page, and startup to a
usable window. Run with QT_QPA_PLATFORM=offscreen (default) or under Xvfb with xcb.

    python bench/bench_workspace.py [--depth] [--no-startup] [--no-training]

--depth: the same document with an attribute on every span and 10,000 relations (issue
14; gen_corpus.big_depth_path, in a project with gen_corpus.depth_schema). Open and edit
figures are given in wall time, in this process's CPU time (steadier on a loaded
machine; it includes a worker thread's) and in the GUI thread's CPU time.

The window trains the recommenders when it opens (the CRF on the document's 50,000 spans
takes tens of seconds) and after edits: the figures are those of a window training in
the background, and each phase says whether a training was running at its start and end.
--no-training: the window never trains (Retrainer.request does nothing), for the figures
without it."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import Timer, scratch_dir
from gen_corpus import big_depth_path, big_path, depth_schema


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", action="store_true", help="attributes on every span and 10,000 relations")
    parser.add_argument("--no-startup", action="store_true", help="leave out the start-up runs")
    parser.add_argument("--no-training", action="store_true", help="the window never trains the recommenders")
    args = parser.parse_args(argv)
    from PySide6.QtWidgets import QApplication

    from annotator.importer import import_paths, seed
    from annotator.store.project import Project
    from annotator.store.queries import list_documents

    app = QApplication.instance() or QApplication([])
    with scratch_dir("workspace-") as tmp:
        os.environ["ANNOTATOR_DATA_DIR"] = str(tmp / "data")
        from annotator.ui.annotate.recommenders import Retrainer
        from annotator.ui.app.main_window import MainWindow

        if args.no_training:
            Retrainer.request = lambda *_args, **_kwargs: None  # type: ignore[method-assign]

        project = Project.create(tmp / "big.annotator", depth_schema() if args.depth else None)
        import_paths(project, [big_depth_path() if args.depth else big_path()])
        seed(project)
        with project.read() as conn:
            docs = list_documents(conn)
        big = next(d for d in docs if d.uid == "bench-big")
        small = docs[-1].id
        window = MainWindow(project, "bench")
        window.resize(1360, 820)
        window.show()
        app.processEvents()
        view, ws = window.view, window.workspace
        retrainer = window.suggestions.retrainer
        training: dict[str, str] = {}  # phase: whether a training ran at its start and its end

        def phase(name: str, at: str) -> None:
            training[name] = training.get(name, "") + (" -> " if at == "end" else "") + \
                ("training" if retrainer.running else "idle")

        opens, opens_cpu, opens_thread = [], [], []
        phase("open", "start")
        for _ in range(5):
            ws.open_document(small)
            app.processEvents()
            with Timer() as t:
                ws.open_document(big.id)
                view.viewport().repaint()
            opens.append(t.seconds * 1000)
            opens_cpu.append(t.cpu * 1000)
            opens_thread.append(t.thread_cpu * 1000)
        phase("open", "end")
        n_spans = len(ws.spans())

        # Edits in the middle of the text, where the view is scrolled to.
        edits: dict[str, list[float]] = {"add": [], "relabel": [], "delete": []}
        cpu: dict[str, list[float]] = {"add": [], "relabel": [], "delete": []}
        thread: dict[str, list[float]] = {"add": [], "relabel": [], "delete": []}
        text = ws.text
        base = len(text) // 2
        view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
        app.processEvents()
        phase("edits", "start")
        for i in range(30):
            pos = text.index(" ", base + i * 997) + 1
            end = text.index(" ", pos)
            view.select(ws.omap.to_display(pos), ws.omap.to_display(end))
            # The selection is painted (and the view scrolled to it) before the key is
            # pressed, as a user's selection is: that repaint of the whole view is not the edit's.
            app.processEvents()
            # The key press's whole effect: commit, re-highlight, and the event loop's
            # repaint of what changed (the span's paragraph, the inspector, the status bar).
            # The document list's counts follow 100 ms after the last edit, not counted here.
            with Timer() as t:
                ws.label("FIGURE")
                app.processEvents()
            edits["add"].append(t.seconds * 1000)
            cpu["add"].append(t.cpu * 1000)
            thread["add"].append(t.thread_cpu * 1000)
            with Timer() as t:
                ws.label("DATE")  # the new span is selected: relabel
                app.processEvents()
            edits["relabel"].append(t.seconds * 1000)
            cpu["relabel"].append(t.cpu * 1000)
            thread["relabel"].append(t.thread_cpu * 1000)
            with Timer() as t:
                ws.delete_selected()
                app.processEvents()
            edits["delete"].append(t.seconds * 1000)
            cpu["delete"].append(t.cpu * 1000)
            thread["delete"].append(t.thread_cpu * 1000)

        phase("edits", "end")

        # The durable part alone: one committed transaction per edit, no UI.
        from annotator.store import spans as ops
        commits = []
        for i in range(30):
            pos = text.index(" ", base + i * 991) + 1
            with Timer() as t:
                added = ops.add_span(project, big.id, "bench", pos, text.index(" ", pos), "FIGURE").result
            commits.append(t.seconds * 1000)
            ops.delete_span(project, added.uid)

        bar = view.verticalScrollBar()
        bar.setValue(0)
        app.processEvents()
        scrolls, scrolls_cpu = [], []
        for _ in range(60):
            with Timer() as t:
                bar.setValue(bar.value() + bar.pageStep())
                view.viewport().repaint()
            scrolls.append(t.seconds * 1000)
            scrolls_cpu.append(t.cpu * 1000)
        # The same edits in a real news text (seed 004: paragraphs of a few hundred characters).
        seed_doc = next(d.id for d in docs if d.uid.startswith("004_"))
        ws.open_document(seed_doc)
        app.processEvents()
        seed_text = ws.text
        seed_edits, seed_thread = [], []
        phase("seed", "start")
        for i in range(30):
            pos = seed_text.index(" ", (i * 71) % (len(seed_text) - 200)) + 1
            end = seed_text.index(" ", pos)
            view.select(ws.omap.to_display(pos), ws.omap.to_display(end))
            app.processEvents()
            with Timer() as t:
                ws.label("FIGURE")
                app.processEvents()
            seed_edits.append(t.seconds * 1000)
            seed_thread.append(t.thread_cpu * 1000)
            ws.delete_selected()
            app.processEvents()
        phase("seed", "end")
        trainings = window.suggestions.trainings

        window.close()
        project.close()

        # Startup: a fresh process, from exec to the main window shown on a seeded project.
        startup = []
        env = dict(os.environ, ANNOTATOR_EXIT_WHEN_SHOWN="1")
        small_project = tmp / "seeds.annotator"
        Project.create(small_project).close()
        with Project.open(small_project) as p:
            seed(p)
        for _ in range(0 if args.no_startup else 5):
            t0 = time.time()
            out = subprocess.run([sys.executable, "-m", "annotator", "gui", str(small_project), "--annotator", "b"],
                                 env=env, capture_output=True, text=True, check=True).stdout
            shown = float(next(line for line in out.splitlines() if line.startswith("shown")).split()[1])
            startup.append((shown - t0) * 1000)

    med = statistics.median
    print(f"platform: {os.environ['QT_QPA_PLATFORM']}; document: {len(text):,} characters, {n_spans:,} spans")
    print("depth: an attribute on every span, 10,000 relations" if args.depth else "depth: none")
    print(f"load average: {os.getloadavg()[0]:.1f} (CPU times are what a loaded machine does not stretch)")
    print("training: " + ("never (--no-training)" if args.no_training else
                          "; ".join(f"{k} {v}" for k, v in training.items()) + f"; {trainings} delivered"))
    print(f"open (store -> first paint):   median {med(opens):7.1f} ms, CPU {med(opens_cpu):7.1f} ms, "
          f"GUI thread {med(opens_thread):7.1f} ms  (target <= 150 ms; runs {_fmt(opens)})")
    for name, times in edits.items():
        print(f"{name:<8} span (commit + repaint): median {med(times):6.1f} ms, CPU {med(cpu[name]):6.1f} ms, "
              f"GUI thread {med(thread[name]):6.1f} ms, p90 {_p90(times):6.1f} ms  (target <= 8 ms)")
    print(f"  of which the commit (one transaction): median {med(commits):5.1f} ms")
    print(f"add span in seed 004 (news paragraphs): median {med(seed_edits):5.1f} ms, "
          f"GUI thread {med(seed_thread):5.1f} ms, p90 {_p90(seed_edits):5.1f} ms")
    print(f"scroll one page (repaint):      median {med(scrolls):6.1f} ms, CPU {med(scrolls_cpu):6.1f} ms, "
          f"p90 {_p90(scrolls):6.1f} ms  (target < 16 ms)")
    if startup:
        print(f"startup to usable window:       median {med(startup):6.0f} ms  (target < 1000 ms; runs {_fmt(startup)})")
    return 0


def _p90(xs: list[float]) -> float:
    return sorted(xs)[int(len(xs) * 0.9) - 1]


def _fmt(xs: list[float]) -> str:
    return ", ".join(f"{x:.0f}" for x in xs)


if __name__ == "__main__":
    raise SystemExit(main())
