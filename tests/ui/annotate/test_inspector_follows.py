"""The inspector in the main window follows an edit of the selected span from the change
itself (the columns the update wrote), not from a read: what it shows equals the span as
read afresh after a relabel, a note, a resize and their undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import event

from annotator.store.queries import list_documents
from annotator.store.spans import SpanData, add_spans, get_span
from annotator.ui.app.main_window import MainWindow
from tests.ui.helpers import open_doc, shown

CTRL = Qt.KeyboardModifier.ControlModifier
EN = "004_8ff92d06c738168c"


@pytest.fixture
def win(qtbot, project):
    return shown(qtbot, MainWindow(project, "ana"), activate=True)


def test_the_inspector_shows_the_selected_span_as_read_afresh_after_each_edit(win, qtbot, project):
    with project.read() as conn:
        doc = next(d.id for d in list_documents(conn) if d.uid == EN)
        text = project.texts.get(conn, doc)
    start = text.index("Mircea Geoană")
    [geoana] = add_spans(project, [SpanData("", doc, "ana", start, start + len("Mircea Geoană"), "PERSON")]).result
    open_doc(win, qtbot, EN)
    view, inspector = win.view, win.inspector
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert win.workspace.selected == geoana.uid
    reads: list[str] = []
    event.listen(project.engine, "before_cursor_execute", lambda _conn, _cursor, sql, *_args:
                 sql.startswith("SELECT spans.uid, spans.document_id, annotators.name") and reads.append(sql))

    def as_read() -> SpanData | None:
        with project.read() as conn:
            fresh = get_span(conn, geoana.uid)
        reads.clear()  # the check's own read
        return fresh

    qtbot.keyClick(view, Qt.Key.Key_2)  # relabelled ORG: shown from the change, nothing read
    assert reads == [] and inspector.span() == as_read() and inspector.span().label == "ORG"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert inspector.span() == as_read() and inspector.span().label == "PERSON"

    inspector.note_edit.setFocus()
    qtbot.keyClicks(inspector.note_edit, "checked")
    qtbot.keyClick(inspector.note_edit, Qt.Key.Key_Return, CTRL)
    assert inspector.span() == as_read() and inspector.span().note == "checked"
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    assert inspector.span() == as_read() and inspector.span().end == geoana.end - 1
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert inspector.span() == as_read() == geoana
