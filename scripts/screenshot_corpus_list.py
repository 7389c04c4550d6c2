"""Screenshots of the annotation list's corpus scope: every DATE span of a layer across the
five seed documents (screenshots/corpus-list.png), then only those without a value
(corpus-list-no-value.png), with one opened from the list.

Run through scripts/screenshots.sh (a private Xvfb, xcb, a throw-away user data directory).
The layer "ana" is the seeds' gold DATE spans with every other value left out, so the
"Without a value" filter has something to keep. The list is reached as F7 does.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.ui.app.qt_platform import load_library, platform_problem

GOLD = ROOT / "seeds" / "gold" / "seeds.gold.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--settle-ms", type=int, default=500)
    args = parser.parse_args()
    if "ANNOTATOR_DATA_DIR" not in os.environ:
        print("screenshot_corpus_list.py: set ANNOTATOR_DATA_DIR to a scratch directory (scripts/screenshots.sh does)",
              file=sys.stderr)
        return 2
    if problem := platform_problem(os.environ, load_library):
        print(problem, file=sys.stderr)
        return 1

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.core.ids import new_id
    from annotator.importer import create_project, import_paths
    from annotator.store.queries import corpus_label_spans
    from annotator.store.spans import SpanData, add_spans
    from annotator.ui.app.main_window import MainWindow
    from annotator.ui.app.session import Session

    app = QApplication(["annotator"])
    app.setApplicationDisplayName("Annotator")
    args.out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    errors: list[str] = []

    def settle(ms: int = args.settle_ms) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def grab(win, name: str) -> None:
        settle()
        target = args.out / name
        pixmap = win.screen().grabWindow(win.winId())  # what the X server shows
        if pixmap.isNull() or not pixmap.save(str(target)):
            errors.append(f"could not save {target}")
        else:
            saved.append(target)

    with tempfile.TemporaryDirectory() as tmp:
        project = create_project(Path(tmp) / "news.annotator")
        import_paths(project, [GOLD])
        with project.read() as conn:
            dates = corpus_label_spans(conn, "gold", "DATE")
        if not dates:
            print(f"screenshot_corpus_list.py: {GOLD} has no DATE spans", file=sys.stderr)
            return 1
        add_spans(project, [SpanData(new_id("s"), s.doc_id, "ana", s.start, s.end, "DATE",
                                     s.value if i % 2 == 0 else None) for i, s in enumerate(dates)])
        session = Session(lambda p, a, s: MainWindow(p, a, session=s))
        win = session.show_project(project, "ana")
        win.move(0, 0)
        win.resize(1360, 820)
        win.splitter.setSizes([300, 600, 460])  # the side panel dragged wider, as a user would
        settle()
        win.actions_by_name["focus_annotations"].trigger()
        panel = win.annotation_list
        panel.scope_box.setCurrentIndex(panel.scope_box.findData("corpus"))
        panel.label_box.setCurrentIndex(panel.label_box.findData("DATE"))
        bengali = next((r for r in range(panel.table.model().rowCount())
                        if panel.table.model().index(r, 0).data().startswith("bn")), 0)
        panel.table.setCurrentIndex(panel.table.model().index(bengali, 0))
        panel.jump(panel.table.currentIndex(), take_keyboard=False)  # as Enter does
        grab(win, "corpus-list.png")
        panel.no_value_box.setChecked(True)
        panel.table.setFocus()
        grab(win, "corpus-list-no-value.png")
        win.close()
        session.close()
    for path in saved:
        print(path)
    for error in errors:
        print(f"screenshot_corpus_list.py: {error}", file=sys.stderr)
    if app.platformName() != "xcb":
        print(f"screenshot_corpus_list.py: platform is {app.platformName()}, expected xcb", file=sys.stderr)
        return 1
    return 1 if errors or not saved else 0


if __name__ == "__main__":
    raise SystemExit(main())
