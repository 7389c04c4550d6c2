"""Ctrl++ / Ctrl+- / Ctrl+0 zoom the document text, and each project remembers its size."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.ui.app.main_window import MainWindow
from annotator.ui.document.view import ZOOM_LIMITS
from annotator.ui.widgets import fonts
from tests.ui.helpers import shown

CTRL = Qt.KeyboardModifier.ControlModifier


def size(win) -> float:
    return win.view.font().pointSizeF()


def test_zoom_keys_change_the_text_size_and_the_project_remembers_it(qtbot, project, empty_project):
    normal = fonts.text_font().pointSizeF()
    win = shown(qtbot, MainWindow(project, "ana"), activate=True)
    win.view.setFocus()
    assert size(win) == normal
    qtbot.keyClick(win.view, Qt.Key.Key_Plus, CTRL)
    qtbot.keyClick(win.view, Qt.Key.Key_Equal, CTRL)  # Ctrl+= too: + needs Shift on many keyboards
    assert size(win) == normal + 2
    qtbot.keyClick(win.view, Qt.Key.Key_Minus, CTRL)
    assert size(win) == normal + 1
    win.close()

    again = shown(qtbot, MainWindow(project, "ana"), activate=True)
    assert size(again) == normal + 1  # remembered for this project
    other = shown(qtbot, MainWindow(empty_project, "ana"))
    assert size(other) == normal  # and only for it
    other.close()
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow)
    again.view.setFocus()
    qtbot.keyClick(again.view, Qt.Key.Key_0, CTRL)
    assert size(again) == normal
    for _ in range(ZOOM_LIMITS[0] * -1 + 3):
        qtbot.keyClick(again.view, Qt.Key.Key_Minus, CTRL)
    assert size(again) == normal + ZOOM_LIMITS[0]  # never smaller than the limit
    assert again.view.toPlainText()  # the text is still there, only smaller
