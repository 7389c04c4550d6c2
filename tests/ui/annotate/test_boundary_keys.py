"""Boundary editing with the real keys: Alt+arrows move the selected span's start, with
Shift its end, with Ctrl by a word; the span stays the same span and Ctrl+Z puts its
old extent back."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from annotator.core import graphemes
from annotator.core.records import DocumentRecord
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.ui.app.main_window import MainWindow
from annotator.ui.widgets.actions import MAIN, key_text, overview_rows
from tests.ui.helpers import open_doc, shown
from tests.ui.helpers import painted as painted_at

CTRL, SHIFT, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.AltModifier
LEFT, RIGHT = Qt.Key.Key_Left, Qt.Key.Key_Right
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


def press(qtbot, win, k, mod, times=1):
    for _ in range(times):
        qtbot.keyClick(win.view, k, mod)


def label(qtbot, win, start: int, end: int) -> str:
    """Labels [start, end) with the first label key; the new span is selected."""
    win.view.select(start, end)
    qtbot.keyClick(win.view, Qt.Key.Key_1)
    assert win.workspace.selected is not None
    return win.workspace.selected


def painted(win, pos: int) -> bool:
    return painted_at(win.view, [pos])[0]


def test_alt_arrows_move_the_edges_and_ctrl_z_restores_the_old_extent(win, qtbot):
    win.resize(1200, 700)  # one line: a space where a line wraps is drawn as no width at all
    open_doc(win, qtbot, "english")
    text = TEXTS["english"]
    geo = text.index("Geoană")
    uid = label(qtbot, win, geo, geo + 6)
    win.workspace.update_fields(uid, note="checked")
    [(_, _, _, name, value, note, _)] = stored(win)
    assert not painted(win, 0)

    press(qtbot, win, LEFT, ALT | CTRL)  # the start to the word before
    assert stored(win) == [(uid, 0, geo + 6, name, value, "checked", "Mircea Geoană")]
    assert painted(win, 0) and win.inspector.offsets.text() == f"0–{geo + 6} ({geo + 6} characters)"
    press(qtbot, win, RIGHT, ALT | SHIFT | CTRL)  # the end to the next word's end
    press(qtbot, win, RIGHT, ALT | SHIFT)  # and one character further: the space
    press(qtbot, win, RIGHT, ALT, times=2)  # the start two characters right
    assert stored(win) == [(uid, 2, text.index("met") + 4, name, value, "checked", "rcea Geoană met ")]
    assert not painted(win, 0) and painted(win, text.index("met") + 3)
    press(qtbot, win, LEFT, ALT | SHIFT)
    assert stored(win)[0][1:3] == (2, text.index("met") + 3)
    assert win.workspace.selected == uid  # still selected: the keys go on moving it

    for _ in range(6):  # one step per key press
        qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    assert stored(win) == [(uid, geo, geo + 6, name, value, "checked", "Geoană")]
    assert not painted(win, 0) and painted(win, geo)
    assert win.inspector.offsets.text() == f"{geo}–{geo + 6} (6 characters)"
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL | SHIFT)  # redo
    assert stored(win)[0][1:3] == (0, geo + 6)


def test_bengali_edges_step_over_whole_grapheme_clusters(win, qtbot):
    open_doc(win, qtbot, "bengali")
    text = TEXTS["bengali"]
    start = text.index("রাস্তার")
    end = start + len("রাস্তার")
    uid = label(qtbot, win, start, end)
    edges = graphemes.boundaries(text)
    inside = [p for p in edges if start < p < end]
    assert len(inside) < end - start - 1  # clusters of several code points: a code-point step would cut one
    seen = []
    for _ in inside:
        press(qtbot, win, LEFT, ALT | SHIFT)
        seen.append(stored(win)[0][2])
    assert seen == inside[::-1]
    press(qtbot, win, LEFT, ALT | SHIFT)  # one cluster left: it would be empty
    assert stored(win)[0][1:3] == (start, inside[0])
    assert "cannot be made empty" in win.statusBar().currentMessage()
    press(qtbot, win, RIGHT, ALT | SHIFT | CTRL)  # the end to the word's end again
    press(qtbot, win, LEFT, ALT)  # the start over the space before
    press(qtbot, win, LEFT, ALT)  # and over the last cluster of ন্যাটো (টো: two code points)
    uid_, s, e = stored(win)[0][:3]
    assert (uid_, s, e) == (uid, text.index("টো"), end) and s in edges


def test_boundary_keys_without_a_selected_span_say_what_to_do(win, qtbot):
    open_doc(win, qtbot, "english")
    press(qtbot, win, RIGHT, ALT)
    assert stored(win) == []
    assert "Select a span" in win.statusBar().currentMessage()


def test_the_boundary_keys_are_window_keys_listed_in_the_f1_overview(win):
    assert win.actions_by_name["end_right_word"].shortcut() == QKeySequence("Ctrl+Alt+Shift+Right")
    assert win.actions_by_name["start_left"].shortcut() == QKeySequence("Alt+Left")
    rows = {row[1]: row[2] for row in overview_rows(MAIN, [])}
    assert rows["Move the span's end right by a word"] == key_text([QKeySequence("Ctrl+Alt+Shift+Right")])
    assert sum(text.startswith("Move the span's") for text in rows) == 8
