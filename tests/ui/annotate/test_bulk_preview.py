"""Preview before bulk edits (issue 17): Ctrl+E / Ctrl+Shift+E show every unlabelled
occurrence with its context, per document, ticked; the user unticks some (Space), Enter
labels the rest in ONE undo step, Esc writes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.store.queries import document_text, layer_spans, list_documents
from annotator.ui.app.main_window import MainWindow
from tests.ui.helpers import open_doc, shown

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
EN = "004_8ff92d06c738168c"


@pytest.fixture
def win(qtbot, project):
    return shown(qtbot, MainWindow(project, "ana"), activate=True)


def label_first(win, qtbot, needle: str, key: str) -> None:
    start = win.workspace.text.index(needle)
    d = win.workspace.omap.to_display
    win.view.select(d(start), d(start + len(needle)))
    qtbot.keyClick(win.view, key)


def preview(win, qtbot):
    qtbot.waitUntil(lambda: win.workspace.preview is not None and win.workspace.preview.isVisible())
    return win.workspace.preview


def all_spans(project):
    with project.read() as conn:
        return {d.uid: [(s, e, label) for s, e, label, _u in layer_spans(conn, d.id, "ana")]
                for d in list_documents(conn)}


def test_document_preview_lists_matches_with_context_untick_one_then_one_undo_step(win, qtbot, project):
    open_doc(win, qtbot, EN)
    text = win.workspace.text
    label_first(win, qtbot, "KFOR", "2")
    before = all_spans(project)
    qtbot.keyClick(win.view, Qt.Key.Key_E, CTRL)
    dialog = preview(win, qtbot)
    assert all_spans(project) == before  # nothing written while it shows
    tree = dialog.tree
    [doc] = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    rows = [doc.child(i) for i in range(doc.childCount())]
    others = text.count("KFOR") - 1
    assert len(rows) == others > 1
    assert all("«KFOR»" in r.text(0) for r in rows)  # the match in its context
    assert rows[0].checkState(0) == Qt.CheckState.Checked
    tree.setFocus()
    tree.setCurrentItem(rows[0])
    qtbot.keyClick(tree, Qt.Key.Key_Space)  # untick the first
    assert rows[0].checkState(0) == Qt.CheckState.Unchecked
    assert dialog.ok.text() == f"Label {others - 1}"
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.workspace.preview is None)
    kfor = [(m.start, m.end) for m in win.workspace.spans() if text[m.start:m.end] == "KFOR"]
    starts = [i for i in range(len(text)) if text.startswith("KFOR", i)]
    assert len(kfor) == others and starts[1] not in [s for s, _e in kfor]  # the unticked one is left
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)  # one step takes them all back
    assert [text[m.start:m.end] for m in win.workspace.spans()] == ["KFOR"]


def test_corpus_preview_groups_by_document_and_esc_writes_nothing(win, qtbot, project):
    open_doc(win, qtbot, EN)
    label_first(win, qtbot, "NATO", "2")
    before = all_spans(project)
    qtbot.keyClick(win.view, Qt.Key.Key_E, CTRL | SHIFT)
    dialog = preview(win, qtbot)
    tree = dialog.tree
    docs = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    with project.read() as conn:
        having = [d.uid for d in list_documents(conn) if "NATO" in document_text(conn, d.id)]
    assert len(docs) == len(having) > 1 and all(any(d.startswith(uid) for d in docs) for uid in having)
    qtbot.keyClick(tree, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: win.workspace.preview is None)
    assert all_spans(project) == before
    assert not win.edits.stack.canRedo()


def test_unticking_a_document_leaves_all_of_it(win, qtbot, project):
    open_doc(win, qtbot, EN)
    label_first(win, qtbot, "NATO", "2")
    qtbot.keyClick(win.view, Qt.Key.Key_E, CTRL | SHIFT)
    dialog = preview(win, qtbot)
    tree = dialog.tree
    other = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                 if not tree.topLevelItem(i).text(0).startswith("004"))
    tree.setFocus()
    tree.setCurrentItem(other)
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert all(other.child(i).checkState(0) == Qt.CheckState.Unchecked for i in range(other.childCount()))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.workspace.preview is None)
    uid = other.text(0).split(" ")[0]
    assert all_spans(project)[uid] == []
    assert sum(len(v) for k, v in all_spans(project).items() if k != uid) > 1
