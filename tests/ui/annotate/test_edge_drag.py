"""Boundary editing with the real mouse: pressing on the selected span's start or end and
dragging moves that edge; on release it lands on a grapheme cluster edge and is one undo
step; the span stays the same span. A press elsewhere selects text as before."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.core import graphemes
from annotator.core.records import DocumentRecord
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.ui.app.main_window import MainWindow
from tests.ui.helpers import open_doc, shown

LEFT = Qt.MouseButton.LeftButton
NO_MOD = Qt.KeyboardModifier.NoModifier
TEXTS = {
    "english": "Mircea Geoană met NATO today.",
    "bengali": "ন্যাটো রাস্তার বাধা দূর করে। ক্ষমতা",
}


@pytest.fixture
def win(qtbot, tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b"".join(gold_jsonl.dumps(DocumentRecord(id=k, lang="en", text=v)) for k, v in TEXTS.items()))
    with Project.create(tmp_path / "ws.annotator") as project:
        import_paths(project, [path])
        yield shown(qtbot, MainWindow(project, "ana"), activate=True)


def stored(win) -> list[tuple]:
    """(uid, start, end, label, value, note, text) of ana's spans, from the database file."""
    con = sqlite3.connect(win.project.path)
    try:
        return con.execute('SELECT s.uid, s.start, s."end", s.label, s.value, s.note, '
                           'substr(d.text, s.start + 1, s."end" - s.start) FROM spans s '
                           "JOIN documents d ON d.id = s.document_id ORDER BY s.start").fetchall()
    finally:
        con.close()


def label(qtbot, win, start: int, end: int) -> str:
    """Labels [start, end) with the first label key; the new span is selected."""
    win.view.select(start, end)
    qtbot.keyClick(win.view, Qt.Key.Key_1)
    assert win.workspace.selected is not None
    return win.workspace.selected


def caret(win, pos: int) -> QPoint:
    """The middle of the caret at widget position `pos`: exactly on an edge there."""
    cursor = win.view.textCursor()
    cursor.setPosition(pos)
    return win.view.cursorRect(cursor).center()


def drag(qtbot, win, start: QPoint, end: QPoint, while_dragging=None) -> None:
    """Press at `start`, move through the middle to `end`, release there."""
    port = win.view.viewport()
    qtbot.mousePress(port, LEFT, NO_MOD, start)
    qtbot.mouseMove(port, (start + end) / 2)
    qtbot.mouseMove(port, end)
    if while_dragging is not None:
        while_dragging()
    qtbot.mouseRelease(port, LEFT, NO_MOD, end)


def test_dragging_the_end_one_word_right_moves_it_and_ctrl_z_restores(win, qtbot):
    open_doc(win, qtbot, "english")
    text = TEXTS["english"]
    geo, met = text.index("Geoană"), text.index("met")
    uid = label(qtbot, win, geo, geo + 6)
    win.workspace.update_fields(uid, note="checked")
    [(_, _, _, name, value, note, _)] = stored(win)
    port = win.view.viewport()

    qtbot.mouseMove(port, caret(win, geo + 6) + QPoint(1, 0))  # hovering the end: a resize cursor
    assert port.cursor().shape() == Qt.CursorShape.SizeHorCursor
    qtbot.mouseMove(port, caret(win, geo + 3))  # inside the span: the text cursor again
    assert port.cursor().shape() == Qt.CursorShape.IBeamCursor

    extents = []
    drag(qtbot, win, caret(win, geo + 6), caret(win, met + 3),
         lambda: extents.append(win.view.dragged_extent()))
    assert extents == [(geo, met + 3)]  # the extent shows while dragging, before anything is stored
    assert stored(win) == [(uid, geo, met + 3, name, value, "checked", "Geoană met")]
    assert win.workspace.selected == uid and win.view.dragged_extent() is None
    assert win.inspector.offsets.text() == f"{geo}–{met + 3} ({met + 3 - geo} characters)"

    qtbot.keyClick(win.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one undo step
    assert stored(win) == [(uid, geo, geo + 6, name, value, "checked", "Geoană")]


def test_dragging_the_start_in_bengali_lands_on_a_cluster_edge(win, qtbot):
    open_doc(win, qtbot, "bengali")
    text = TEXTS["bengali"]
    start = text.index("রাস্তার")
    end = start + len("রাস্তার")
    edges = graphemes.boundaries(text)
    uid = label(qtbot, win, start, end)
    # After রা and the conjunct স্তা (four code points): a code-point step would cut it.
    target = text.index("র", start + 1)
    assert target - start == 6 and target in edges and not all(p in edges for p in range(start, target))
    drag(qtbot, win, caret(win, start), caret(win, target))
    assert stored(win)[0][:3] == (uid, target, end)

    # A position inside the conjunct (as another shaping engine may give) widens to its start.
    inside = text.index("্", start + 2)
    assert inside not in edges
    win.workspace.drag_edge("start", inside)
    assert stored(win)[0][:3] == (uid, text.index("স", start), end)
    assert stored(win)[0][1] in edges


def test_a_drag_that_would_empty_the_span_is_refused(win, qtbot):
    open_doc(win, qtbot, "english")
    text = TEXTS["english"]
    met = text.index("met")
    uid = label(qtbot, win, met, met + 3)
    drag(qtbot, win, caret(win, met + 3), caret(win, met))
    assert stored(win)[0][:3] == (uid, met, met + 3)
    assert "cannot be made empty" in win.statusBar().currentMessage()
    assert win.workspace.selected == uid and win.view.dragged_extent() is None


def test_a_drag_away_from_the_edges_still_selects_text_snapped_to_words(win, qtbot):
    open_doc(win, qtbot, "english")
    text = TEXTS["english"]
    geo, nato = text.index("Geoană"), text.index("NATO")
    uid = label(qtbot, win, geo, geo + 6)
    drag(qtbot, win, caret(win, nato + 1), caret(win, nato + 3))  # inside NATO, no span edge near
    assert win.view.selection() == (nato, nato + 4)
    assert stored(win)[0][:3] == (uid, geo, geo + 6)
