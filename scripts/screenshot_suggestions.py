"""Screenshots of ghost spans (issue 15): docs/screenshots/suggestions-bengali.png and
suggestions-english.png.

Run through scripts/screenshots.sh (a private Xvfb, xcb, a throw-away user data directory).
The seeds' gold layer is what the recommenders learn from; the annotator "ana" has
accepted two suggestions with Return (solid spans), F8 went to the next one (the tagged,
stronger ghost) and the mouse rests on another (its tooltip: label, confidence, source).
The English picture has the navigator in "Least sure first" order. The whole screen
around the window is grabbed, so the tooltip is in the picture.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from shots import ROOT  # scripts/ is on the path of a script run; it puts the repository there
from shots import start as start_shots

GOLD = ROOT / "seeds" / "gold" / "seeds.gold.jsonl"


def main() -> int:
    shots = start_shots("screenshot_suggestions.py", __doc__, ROOT / "docs" / "screenshots", settle_ms=600)
    if isinstance(shots, int):
        return shots

    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from annotator.importer import create_project, import_paths
    from annotator.store.queries import list_documents
    from annotator.ui.app.main_window import MainWindow
    from annotator.ui.app.session import Session

    settle, errors = shots.settle, shots.errors

    def grab(win, name: str) -> None:
        settle()
        geometry = win.frameGeometry()
        # The screen, not the window: the tooltip is a window of its own.
        pixmap = win.screen().grabWindow(0, geometry.x(), geometry.y(), geometry.width(), geometry.height() + 40)
        shots.save(pixmap, name)

    def hover(win, ghost) -> None:
        start, end = win.suggestions.layer.display_range(ghost)
        cursor = win.view.textCursor()
        cursor.setPosition((start + end) // 2)
        point = win.view.cursorRect(cursor).center()
        QTest.mouseMove(win.view.viewport(), point)
        QApplication.sendEvent(win.view.viewport(), QHelpEvent(QEvent.Type.ToolTip, point,
                                                               win.view.viewport().mapToGlobal(point)))

    with tempfile.TemporaryDirectory() as tmp:
        project = create_project(Path(tmp) / "news.annotator")
        import_paths(project, [GOLD])
        with project.read() as conn:
            docs = {d.lang: d.id for d in list_documents(conn)}
        session = Session(lambda p, a, s: MainWindow(p, a, session=s))
        win = session.show_project(project, "ana")
        win.move(0, 0)
        win.resize(1360, 820)
        while win.suggestions.trainings == 0:
            settle(100)
        if win.suggestions.trained.suggester is None:
            print("screenshot_suggestions.py: nothing trained from the seed gold", file=sys.stderr)
            return 1
        for lang, name in (("bn", "suggestions-bengali.png"), ("en", "suggestions-english.png")):
            if lang == "en":
                win.navigator.order.setCurrentIndex(1)  # least sure first
                while not win.navigator.model.confidence:
                    settle(100)
            win.navigator.select_document(docs[lang])
            win.view.setFocus()
            settle()
            for _ in range(2):  # two accepted with Return: solid spans beside the ghosts
                QTest.keyClick(win.view, Qt.Key.Key_F8)
                QTest.keyClick(win.view, Qt.Key.Key_Return)
            QTest.keyClick(win.view, Qt.Key.Key_F8)
            QTest.keyClick(win.view, Qt.Key.Key_F8)
            current = win.suggestions.layer.current
            others = [g for g in win.suggestions.shown() if g != current and g.start > (current.end if current else 0)]
            if current is None or not others:
                errors.append(f"{lang}: not enough suggestions to show ({len(win.suggestions.shown())})")
                continue
            win.view.setFocus()
            settle()
            hover(win, others[min(2, len(others) - 1)])
            grab(win, name)
        win.close()
        session.close()
    return shots.finish()


if __name__ == "__main__":
    raise SystemExit(main())
