"""A discontinuous span made with the keyboard: label a span, extend the text selection
with Ctrl+Shift+arrows, press Ctrl+Shift+D; the highlighter paints the fragments only, the
inspector lists them, Del there removes one; undo and redo; read back from the file."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from annotator.ui.app.main_window import MainWindow
from tests.ui.helpers import open_doc, shown
from tests.ui.helpers import painted as painted_at

CTRL, SHIFT, ALT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                    Qt.KeyboardModifier.AltModifier)
EN = "004_8ff92d06c738168c"


@pytest.fixture
def win(qtbot, project):
    return shown(qtbot, MainWindow(project, "ana"), activate=True)


def fragments_in_file(path, uid):
    with sqlite3.connect(path) as conn:
        return conn.execute('SELECT f.start, f."end" FROM span_fragments f JOIN spans s ON f.span_id = s.id '
                            "WHERE s.uid = ? ORDER BY f.position", (uid,)).fetchall()


def bounds_in_file(path, uid):
    with sqlite3.connect(path) as conn:
        return conn.execute('SELECT start, "end" FROM spans WHERE uid = ?', (uid,)).fetchone()


def painted(win, start, end):
    """Whether characters [start, end) (code points) are painted with a fill."""
    d = win.workspace.omap.to_display
    return painted_at(win.view, [d(i) for i in range(start, end)])


def test_fragment_added_listed_painted_removed_undone_and_in_the_file(win, qtbot):
    open_doc(win, qtbot, EN)
    text = win.workspace.text
    e = text.index("EU Special Representative")
    d = win.workspace.omap.to_display
    win.view.select(d(e), d(e + 2))  # “EU”, as Shift+arrows would
    qtbot.keyClick(win.view, "2")  # ORG
    uid = win.workspace.selected
    assert uid is not None and bounds_in_file(win.project.path, uid) == (e, e + 2)

    # The caret is after “EU”: two words on, select “Representative” with the keyboard.
    qtbot.keyClick(win.view, Qt.Key.Key_Right, CTRL)
    qtbot.keyClick(win.view, Qt.Key.Key_Right, CTRL)
    qtbot.keyClick(win.view, Qt.Key.Key_Right, CTRL | SHIFT)
    assert win.workspace.selected == uid  # moving the caret keeps the span selected
    qtbot.keyClick(win.view, Qt.Key.Key_D, CTRL | SHIFT)
    r0, r1 = e + 11, e + 25
    assert text[r0:r1] == "Representative"
    assert fragments_in_file(win.project.path, uid) == [(e, e + 2), (r0, r1)]
    assert bounds_in_file(win.project.path, uid) == (e, r1)  # the outer bounds
    assert win.edits.stack.undoText().startswith("make the ORG span «EU» … «Representative»")

    # Painted on the fragments only, not on “ Special ”; listed in the inspector; outlined in two parts.
    assert all(painted(win, e, e + 2)) and all(painted(win, r0, r1)) and not any(painted(win, e + 2, r0))
    assert [row.split("   ")[0] for row in win.inspector.fragment_rows()] == ["1. EU", "2. Representative"]
    assert win.inspector.fragments.isVisible()
    assert win.view._outline_parts == [(d(e), d(e + 2)), (d(r0), d(r1))]

    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    assert fragments_in_file(win.project.path, uid) == [] and bounds_in_file(win.project.path, uid) == (e, e + 2)
    assert win.inspector.fragment_rows() == [] and not win.inspector.fragments.isVisible()
    assert not any(painted(win, r0, r1))
    qtbot.keyClick(win.view, Qt.Key.Key_Y, CTRL)
    assert fragments_in_file(win.project.path, uid) == [(e, e + 2), (r0, r1)]
    assert all(painted(win, r0, r1))

    # Alt+R goes to the fragment list; Del removes the current one: continuous over what is left.
    qtbot.keyClick(win.view, Qt.Key.Key_R, ALT)
    assert win.inspector.fragments.hasFocus()
    qtbot.keyClick(win.inspector.fragments, Qt.Key.Key_Down)
    qtbot.keyClick(win.inspector.fragments, Qt.Key.Key_Delete)
    assert fragments_in_file(win.project.path, uid) == [] and bounds_in_file(win.project.path, uid) == (e, e + 2)
    assert not any(painted(win, r0, r1)) and all(painted(win, e, e + 2))
    qtbot.keyClick(win.inspector.fragments, Qt.Key.Key_Z, CTRL)
    assert fragments_in_file(win.project.path, uid) == [(e, e + 2), (r0, r1)]


def test_fragment_key_without_a_span_or_over_the_span_says_why(win, qtbot):
    open_doc(win, qtbot, EN)
    text = win.workspace.text
    e = text.index("EU Special Representative")
    d = win.workspace.omap.to_display
    win.view.select(d(e), d(e + 11))
    qtbot.keyClick(win.view, Qt.Key.Key_D, CTRL | SHIFT)  # no span selected
    assert "Select a span" in win.statusBar().currentMessage()
    qtbot.keyClick(win.view, "2")
    uid = win.workspace.selected
    win.view.select(d(e + 3), d(e + 10))  # “Special”, inside the span: overlaps it
    qtbot.keyClick(win.view, Qt.Key.Key_D, CTRL | SHIFT)
    assert "overlaps" in win.statusBar().currentMessage()
    assert fragments_in_file(win.project.path, uid) == []
