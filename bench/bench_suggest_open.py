"""What showing a document's suggestions adds to opening it in the main window.

    QT_QPA_PLATFORM=offscreen python bench/bench_suggest_open.py [--runs 21]

A scratch project with the five seed documents (bn, vi, fr, sr, en); a first annotator
("alice") has labelled every whole-word occurrence of the names in NAMES in each, so the
string matcher and a CRF per language are trained (in the background, as the window
does). Each document is then opened by the workspace (store read, text laid out, spans
highlighted, ghost spans computed and drawn, the viewport painted) with suggestions shown
and with them hidden, alternately; the figure is the difference of the medians, in CPU
time of the GUI thread (time.thread_time: what the user waits for on an idle machine,
not inflated by other processes on a loaded one) and in wall time. Also
printed: the time the recommenders take to tag each document alone (Suggester.suggest),
which sets suggestions.SYNC_CHARS, and the training time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import scratch_dir

NAMES = {"en": (("NATO", "ORG"), ("EU", "ORG"), ("KFOR", "ORG"), ("Geoană", "PERSON"), ("Kosovo", "ORG")),
         "fr": (("OTAN", "ORG"), ("UE", "ORG"), ("KFOR", "ORG"), ("Geoană", "PERSON"), ("Kosovo", "ORG")),
         "bn": (("ন্যাটো", "ORG"), ("ইইউ", "ORG"), ("কসোভো", "ORG")),
         "vi": (("NATO", "ORG"), ("EU", "ORG"), ("KFOR", "ORG"), ("Kosovo", "ORG")),
         "sr": (("NATO", "ORG"), ("EU", "ORG"), ("KFOR", "ORG"), ("Kosovu", "ORG"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from annotator.core.occurrences import find_occurrences
    from annotator.importer import seed
    from annotator.store import spans as ops
    from annotator.store.project import Project
    from annotator.store.queries import document_text, list_documents
    from annotator.store.spans import SpanData

    app = QApplication.instance() or QApplication([])
    with scratch_dir("suggest-open-") as tmp:
        os.environ["ANNOTATOR_DATA_DIR"] = str(tmp / "data")
        from annotator.ui.app.main_window import MainWindow

        project = Project.create(tmp / "open.annotator")
        seed(project)
        with project.read() as conn:
            docs = list_documents(conn)
            texts = {d.id: document_text(conn, d.id) for d in docs}
        for d in docs:
            ops.add_spans(project, [SpanData("", d.id, "alice", s, e, label) for word, label in NAMES.get(d.lang, ())
                                    for s, e in find_occurrences(texts[d.id], word)])
        window = MainWindow(project, "bench")
        window.resize(1360, 820)
        window.show()
        sugg, ws, view = window.suggestions, window.workspace, window.view
        while sugg.trainings == 0:  # the window's first training, on its worker thread
            app.processEvents()
            time.sleep(0.005)
        trained = sugg.trained
        print(f"trained on {trained.layers} layers, {trained.spans} spans in {trained.seconds * 1000:.0f} ms "
              f"(worker thread)")

        def open_ms(doc_id: int, shown: bool) -> tuple[float, float]:
            """(GUI-thread CPU ms, wall ms) of opening `doc_id` and painting it."""
            sugg.visible = shown
            ws.open_document(None)
            app.processEvents()
            c0, t0 = time.thread_time(), time.perf_counter()
            ws.open_document(doc_id)
            view.viewport().repaint()
            return (time.thread_time() - c0) * 1000, (time.perf_counter() - t0) * 1000

        added_cpu, added_wall, rates = [], [], []
        print(f"{'document':24} {'chars':>6} {'ghosts':>6} {'hidden ms':>10} {'shown ms':>9} {'added ms':>9} "
              f"{'added wall':>10} {'tagging ms':>10}")
        for d in docs:
            hidden, shown = [], []
            for _ in range(args.runs):
                hidden.append(open_ms(d.id, False))
                shown.append(open_ms(d.id, True))
            ghosts = len(sugg.shown())
            tag = []
            for _ in range(args.runs):
                c0 = time.thread_time()
                trained.suggester.suggest(texts[d.id], d.lang)
                tag.append((time.thread_time() - c0) * 1000)
            h, s = (statistics.median(x[0] for x in runs) for runs in (hidden, shown))
            hw, sw = (statistics.median(x[1] for x in runs) for runs in (hidden, shown))
            added_cpu.append(s - h)
            added_wall.append(sw - hw)
            rates.append(len(texts[d.id]) / statistics.median(tag))
            print(f"{d.uid:24} {len(texts[d.id]):>6} {ghosts:>6} {h:>10.1f} {s:>9.1f} {s - h:>9.1f} {sw - hw:>10.1f} "
                  f"{statistics.median(tag):>10.1f}")
        print(f"RESULT suggest_open_added_ms cpu_median={statistics.median(added_cpu):.1f} "
              f"cpu_max={max(added_cpu):.1f} wall_median={statistics.median(added_wall):.1f} (target < 20); "
              f"tagging {statistics.median(rates):.0f} characters per CPU ms; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        window.suggestions.close()
        window.close()
        project.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
