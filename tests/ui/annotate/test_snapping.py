"""Snapping a sloppy drag to whole words (issue 17): the real mouse drags over part of
"Mircea Geoană met today"; on release the selection already shows the whole words, and
the label key takes exactly that. With the option off (View menu, remembered) the
selection is kept as dragged (trimmed, on grapheme edges)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.ui.app.main_window import MainWindow
from tests.ui.helpers import open_doc, shown

EN = "004_8ff92d06c738168c"
BN = "000_00eeb79877075e28"


@pytest.fixture
def win(qtbot, project):
    w = MainWindow(project, "ana")
    w.resize(1360, 820)  # the drags' places on screen, whatever the (offscreen 800 x 800) screen
    return shown(qtbot, w, activate=True)


def point_of(win, cp: int) -> QPoint:
    """The viewport point just after the caret position of code point `cp`."""
    cursor = win.view.textCursor()
    cursor.setPosition(win.workspace.omap.to_display(cp))
    rect = win.view.cursorRect(cursor)
    return QPoint(rect.center().x() + 1, rect.center().y())


def drag(qtbot, win, start: int, end: int) -> None:
    """Press at code point `start`, move to `end`, release: the real mouse on the viewport."""
    port = win.view.viewport()
    qtbot.mousePress(port, Qt.MouseButton.LeftButton, pos=point_of(win, start))
    middle = (point_of(win, start) + point_of(win, end)) / 2
    qtbot.mouseMove(port, middle)
    qtbot.mouseMove(port, point_of(win, end))
    qtbot.mouseRelease(port, Qt.MouseButton.LeftButton, pos=point_of(win, end))


def selected(win) -> str:
    s, e = win.workspace.to_code_points(*win.view.selection())
    return win.workspace.text[s:e]


def stored(win) -> list[tuple[str, str]]:
    return [(m.label, win.workspace.text[m.start:m.end]) for m in win.workspace.spans()]


def test_a_sloppy_drag_snaps_to_whole_words_before_the_label_key(win, qtbot):
    open_doc(win, qtbot, EN)
    text = win.workspace.text
    whole = text.index("Mircea Geoană met today")
    drag(qtbot, win, whole + 2, whole + len("Mircea Geoană met tod"))  # "rcea Geoană met tod"
    assert selected(win) == "Mircea Geoană met today"  # shown before any key
    qtbot.keyClick(win.view, Qt.Key.Key_1)
    assert stored(win) == [("PERSON", "Mircea Geoană met today")]


def test_a_grouped_number_snaps_whole(win, qtbot):
    open_doc(win, qtbot, EN)
    text = win.workspace.text
    at = text.index("4,000 soldiers")
    drag(qtbot, win, at + 3, at + len("4,000 sold"))  # "00 sold"
    assert selected(win) == "4,000 soldiers"


def test_bengali_drag_snaps_to_whole_words(win, qtbot):
    open_doc(win, qtbot, BN)
    text = win.workspace.text
    word = "কেএফওআর"
    at = text.index(word)
    drag(qtbot, win, at + 2, at + 5)
    assert selected(win) == word


def test_with_snapping_off_the_dragged_extent_is_kept_and_the_choice_remembered(win, qtbot, project):
    action = win.actions_by_name["snap_words"]
    assert action.isChecked()  # on by default
    view_menu = next(m for m in win.menuBar().actions() if m.text() == "&View").menu()
    assert action in view_menu.actions()
    action.trigger()  # as a click on the menu entry
    assert not action.isChecked()
    open_doc(win, qtbot, EN)
    text = win.workspace.text
    whole = text.index("Mircea Geoană met today")
    drag(qtbot, win, whole + 2, whole + len("Mircea Geoană met tod"))
    assert selected(win) == "rcea Geoană met tod"
    qtbot.keyClick(win.view, Qt.Key.Key_1)
    assert stored(win) == [("PERSON", "rcea Geoană met tod")]
    win.close()
    again = shown(qtbot, MainWindow(project, "ana"), activate=True)
    assert not again.actions_by_name["snap_words"].isChecked() and not again.workspace.snap_words
