"""A document that is one very long line: time from opening the main window on it to
the first paint, and the peak RSS, for generated texts of a few sizes. Each run is its own
process (peak RSS is per process). "one block" lays the same text out the way the view
did before long_paragraphs (a QPlainTextEdit given the line as one paragraph), the
measure of what the pieces save; it is skipped above --unbroken-max MB (51 MB took 28 s
and 8.8 GB that way).

    python bench/bench_long_paragraph.py                 # 5, 20 and 50 MB
    python bench/bench_long_paragraph.py --mb 5 --unbroken-max 5
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import peak_rss_mb, scratch_dir

WORDS = ("the minister said that talks in Pristina on 12 March 2023 with 4,500 delegates from NATO and the EU "
         "would continue next week according to officials").split()


def one_line(mb: float) -> str:
    rng = random.Random(7)
    n, words, size = int(mb * 1_000_000), [], 0
    while size < n:
        w = rng.choice(WORDS)
        words.append(w)
        size += len(w) + 1
    return " ".join(words)


def make(path: str, mb: float) -> None:
    """The project with the one document, made in a process of its own: the import's
    memory is not the window's."""
    from annotator.core.records import DocumentRecord
    from annotator.store.project import Project
    from annotator.store.records_in import Incoming, write_records

    with Project.create(Path(path)) as project, project.write() as conn:
        write_records(conn, [Incoming(DocumentRecord("long-line", "en", one_line(mb)), "bench")])


def child(mode: str, mb: float, path: str) -> None:
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    app = QApplication.instance() or QApplication([])
    if mode == "one-block":
        text = one_line(mb)
        before = peak_rss_mb()
        view = QPlainTextEdit()
        view.setReadOnly(True)
        view.resize(700, 800)
        view.show()
        t0 = time.perf_counter()
        view.setPlainText(text)
        view.viewport().repaint()
        app.processEvents()
    else:
        from annotator.store.project import Project
        from annotator.ui.app.main_window import MainWindow

        project = Project.open(Path(path))
        before = peak_rss_mb()
        t0 = time.perf_counter()
        window = MainWindow(project, "bench")  # opens the only document
        window.resize(1360, 820)
        window.show()
        window.view.viewport().repaint()
        app.processEvents()
    seconds = time.perf_counter() - t0
    print(f"RESULT long_line_{mode}_{mb:g}mb open_s={seconds:.2f} peak_rss_mb={peak_rss_mb():.0f} "
          f"before_open_mb={before:.0f}", flush=True)
    if mode == "window":
        window.close()
        project.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[5, 20, 50])
    parser.add_argument("--unbroken-max", type=float, default=20, help="largest size to lay out as one block")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "MB", "PROJECT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, mb, path = args.child
        (make if mode == "make" else lambda p, m: child(mode, m, p))(path, float(mb))
        return 0
    status = 0
    with scratch_dir("long-") as tmp:
        os.environ["ANNOTATOR_DATA_DIR"] = str(tmp / "data")
        for mb in args.mb:
            path = str(tmp / f"long-{mb:g}.annotator")
            for mode in ("make", "one-block", "window"):
                if mode == "one-block" and mb > args.unbroken_max:
                    continue
                proc = subprocess.run([sys.executable, __file__, "--child", mode, str(mb), path],
                                      capture_output=True, text=True)
                if mode != "make" or proc.returncode:
                    print(proc.stdout.strip() or proc.stderr.strip()[-500:], flush=True)
                status |= proc.returncode != 0
    return status


if __name__ == "__main__":
    raise SystemExit(main())
