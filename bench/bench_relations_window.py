"""The main window on the 1 MB, 50,000-span document with 10,000 relations (bench_depth's
file): opening it (workspace, events panel, relations and clusters, annotation list:
MainWindow.open_document to first paint), then showing the Relations tab (its list of
10,000 filled), removing one relation and undoing that while the tab is shown (the list
follows each change), and labelling a span (commit + repaint) while those relations are
there. Medians of N runs after a warm-up, in CPU time of this process (the machine it runs
on is shared, so wall time says little); QT_QPA_PLATFORM=offscreen by default.

    python bench/bench_relations_window.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import bench_depth
import gen_corpus
from _common import result_line, scratch_dir  # also puts the checkout on sys.path


class CpuTimer:
    """Seconds of CPU this process spent (all its threads) inside the block."""

    def __enter__(self) -> CpuTimer:
        self._t0 = time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.process_time() - self._t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from PySide6.QtWidgets import QApplication

    from annotator.importer import import_paths, seed
    from annotator.store.project import Project
    from annotator.store.queries import list_documents

    app = QApplication.instance() or QApplication([])
    plain = gen_corpus.big_path()
    deep = plain.with_name(plain.stem + "_depth.jsonl")
    if not deep.is_file():
        bench_depth.with_depth(plain, deep)
    with scratch_dir("relations-window-") as tmp:
        os.environ["ANNOTATOR_DATA_DIR"] = str(tmp / "data")
        from annotator.ui.app.main_window import MainWindow

        project = Project.create(tmp / "big.annotator", bench_depth.bench_schema())
        report = import_paths(project, [deep])
        seed(project)
        with project.read() as conn:
            docs = list_documents(conn)
        big = next(d.id for d in docs if d.uid == report.added[0])
        small = next(d.id for d in docs if d.id != big)
        with project.read() as conn:
            from annotator.store.records_out import iter_records
            annotator = next(r.annotator for r in iter_records(conn, document_ids=[big]) if r.annotator)
        window = MainWindow(project, annotator)
        window.resize(1360, 820)
        window.show()
        app.processEvents()
        opens, panels, changes, labels = [], [], [], []
        for i in range(args.runs + 1):
            window.open_document(small)
            app.processEvents()
            with CpuTimer() as t:
                window.open_document(big)
                window.view.viewport().repaint()
            with CpuTimer() as p:  # the Relations tab shown: the list filled
                if hasattr(window, "relations_panel"):  # absent before this code: its "before" figure is 0
                    window.side_tabs.setCurrentWidget(window.relations_panel)
                    app.processEvents()
                    window.side_tabs.setCurrentIndex(0)
            if i:  # the first is the warm-up
                opens.append(t.seconds * 1000)
                panels.append(p.seconds * 1000)
        n_relations = len(window.relations.layer()) if hasattr(window, "relations") else 0
        ws = window.workspace
        if n_relations:  # Del on one relation in the shown tab, then Ctrl+Z: two changes the list follows
            window.side_tabs.setCurrentWidget(window.relations_panel)
            app.processEvents()
            for i in range(args.runs + 1):
                uid = window.relations.layer()[n_relations // 2 + i].uid
                with CpuTimer() as t:
                    window.relations_panel.deleteRequested.emit(("relation", uid))
                    app.processEvents()
                    ws.edits.undo()
                    app.processEvents()
                if i:
                    changes.append(t.seconds * 1000 / 2)
            window.side_tabs.setCurrentIndex(0)
        base = len(ws.text) // 2
        for i in range(args.runs + 1):
            start = ws.text.index(" ", base + 40 * i) + 1
            end = ws.text.index(" ", start)
            ws.view.select(ws.omap.to_display(start), ws.omap.to_display(end))
            with CpuTimer() as t:
                ws.label("ORG")
                ws.view.viewport().repaint()
            if i:
                labels.append(t.seconds * 1000)
        window.close()
        project.close()
    figures = {"relations": n_relations, "open_ms": statistics.median(opens),
               "relations_tab_ms": statistics.median(panels),
               "relation_change_ms": statistics.median(changes) if changes else 0.0, "label_ms": statistics.median(labels)}
    print(f"{n_relations} relations (CPU time): open {figures['open_ms']:.0f} ms; showing the Relations tab "
          f"{figures['relations_tab_ms']:.0f} ms; a relation removed or put back while it is shown "
          f"{figures['relation_change_ms']:.0f} ms; label a span {figures['label_ms']:.1f} ms")
    print(result_line("relations_window", **{k: f"{v:.2f}" for k, v in figures.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
