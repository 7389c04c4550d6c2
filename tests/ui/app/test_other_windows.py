"""The main window's ways into the other windows, by their shortcuts, and the main window
showing what was committed there once it is active again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.records import DocumentRecord, SpanRecord
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store.queries import document_text, list_documents
from annotator.ui.adjudication.window import AdjudicationWindow
from annotator.ui.app.main_window import MainWindow
from annotator.ui.dashboard.window import Dashboard
from annotator.ui.parallel.window import ParallelWindow
from tests.ui.helpers import shown

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
EN = "004_8ff92d06c738168c"


@pytest.fixture
def win(qtbot, project):
    return shown(qtbot, MainWindow(project, "ana"), activate=True)


def open_en(win, qtbot):
    with win.project.read() as conn:
        doc = next(d for d in list_documents(conn) if d.uid == EN)
    win.navigator.select_document(doc.id)
    qtbot.waitUntil(lambda: win.workspace.doc_id == doc.id)
    win.view.setFocus()
    return doc.id


def activate(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_side_by_side_shares_undo_and_the_main_window_catches_up(win, qtbot):
    open_en(win, qtbot)
    qtbot.keyClick(win.view, Qt.Key.Key_T, CTRL)
    parallel = win.others.parallel
    assert isinstance(parallel, ParallelWindow) and parallel.isVisible()
    qtbot.waitUntil(parallel.isActiveWindow)
    pane = parallel.panes[0]
    assert pane.doc_id == win.workspace.doc_id
    start = pane.text.index("Mircea Geoană")
    pane.view.setFocus()
    pane.view.select(pane.workspace.omap.to_display(start), pane.workspace.omap.to_display(start + 13))
    qtbot.keyClick(pane.view, "1")
    assert [m.label for m in pane.workspace.spans()] == ["PERSON"]

    activate(qtbot, win)  # the main window shows the span labelled over there...
    assert [(m.start, m.label) for m in win.workspace.spans()] == [(start, "PERSON")]
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)  # ...and undoes it: one shared history
    assert win.workspace.spans() == []
    qtbot.waitUntil(lambda: pane.workspace.spans() == [])
    qtbot.keyClick(win.view, Qt.Key.Key_T, CTRL)
    assert win.others.parallel is parallel  # one side-by-side window, reused


def test_adjudication_opens_on_the_document_and_gold_shows_after(win, qtbot, project, tmp_path):
    doc = open_en(win, qtbot)
    with project.read() as conn:
        text = document_text(conn, doc)
    start = text.index("KFOR")
    layers = [DocumentRecord(id=EN, lang="en", text=text, annotator=who,
                             spans=(SpanRecord(f"{who}-k", start, start + 4, label, "KFOR"),))
              for who, label in (("ana", "ORG"), ("bob", "ORG"))]
    path = tmp_path / "layers.jsonl"
    path.write_bytes(b"".join(gold_jsonl.dumps(r) for r in layers))
    import_paths(project, [path])
    qtbot.keyClick(win.view, Qt.Key.Key_J, CTRL)
    adjudication = next(w for w in win.others.open_windows if isinstance(w, AdjudicationWindow))
    qtbot.waitUntil(adjudication.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or adjudication, Qt.Key.Key_G, CTRL)  # accept the agreed span
    adjudication.close()
    win.set_annotator("gold")
    assert [(m.start, m.label) for m in win.workspace.spans()] == [(start, "ORG")]


def test_statistics_window_by_its_shortcut(win, qtbot):
    open_en(win, qtbot)
    qtbot.keyClick(win.view, Qt.Key.Key_S, CTRL | SHIFT)
    dashboard = win.others.dashboard
    assert isinstance(dashboard, Dashboard) and dashboard.isVisible()
    dashboard.wait()
    qtbot.waitUntil(lambda: "overview" in dashboard.drawn_since_refresh)
    dashboard.close()
    activate(qtbot, win)
    qtbot.keyClick(win.view, Qt.Key.Key_S, CTRL | SHIFT)
    assert win.others.dashboard is dashboard and dashboard.isVisible()  # the same one, refreshed...
    dashboard.wait()
    qtbot.waitUntil(lambda: "overview" in dashboard.drawn_since_refresh)  # ...and computing again
    win.close()  # waits for its figures before the project closes
    assert not dashboard.isVisible()


def test_grouping_undone_after_the_suggestions_dialog_closed(win, qtbot, project):
    from PySide6.QtCore import QTimer

    with project.read() as conn:  # the seed group dissolved: three documents to suggest again
        ids = [d.id for d in list_documents(conn) if d.group]
    from annotator.store.parallel import set_group

    set_group(project, ids, None)
    win.navigator.refresh()

    def accept_and_close():
        dialog = win.others.groups
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, accept_and_close)
            return
        dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
        dialog.accept_current()
        dialog.close()
    QTimer.singleShot(0, accept_and_close)
    qtbot.keyClick(win.view, Qt.Key.Key_G, CTRL)
    with project.read() as conn:
        assert len({d.group for d in list_documents(conn) if d.id in ids}) == 1
    activate(qtbot, win)
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)  # undone from the main window, the dialog closed
    with project.read() as conn:
        assert {d.group for d in list_documents(conn) if d.id in ids} == {None}
    assert "Not saved" not in win.saved_label.text()


def test_undo_in_the_main_window_after_side_by_side_closed(win, qtbot):
    open_en(win, qtbot)
    qtbot.keyClick(win.view, Qt.Key.Key_T, CTRL)
    parallel = win.others.parallel
    qtbot.waitUntil(parallel.isActiveWindow)
    pane = parallel.panes[0]
    start = pane.text.index("KFOR")
    pane.view.setFocus()
    pane.view.select(pane.workspace.omap.to_display(start), pane.workspace.omap.to_display(start + 4))
    qtbot.keyClick(pane.view, "2")
    parallel.close()
    activate(qtbot, win)
    assert [(m.start, m.label) for m in win.workspace.spans()] == [(start, "ORG")]
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    assert win.workspace.spans() == []  # what the store holds, not a span that is gone
