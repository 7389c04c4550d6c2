"""Suggested translation groups: the seed translations (001 vi, 002 fr, 004 en), taken out
of their group, are suggested as one group with a score; Return accepts, Del rejects,
Ctrl+Z undoes either."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.store.parallel import group_members, set_group
from annotator.store.queries import list_documents
from annotator.ui.edits import Edits
from annotator.ui.parallel.groups_dialog import GroupsDialog
from tests.ui.helpers import shown

TRANSLATIONS = ("001_4b158e7d9e1f12f6", "002_348658bd2cc7c365", "004_8ff92d06c738168c")


@pytest.fixture
def ungrouped(project):
    with project.read() as conn:
        ids = {d.uid: d.id for d in list_documents(conn)}
    set_group(project, [ids[u] for u in TRANSLATIONS], None)
    return ids


@pytest.fixture
def dialog(qtbot, project, ungrouped):
    edits = Edits(project)
    dlg = GroupsDialog(project, edits)
    dlg.edits_keepalive = edits
    return shown(qtbot, dlg, activate=True)


def members(project, doc_id):
    with project.read() as conn:
        return sorted(group_members(conn, doc_id))


def test_the_translations_are_suggested_with_a_score_and_accepted_by_return(dialog, qtbot, project, ungrouped):
    assert [g.documents for g in dialog.suggestions] == [TRANSLATIONS]
    item = dialog.tree.topLevelItem(0)
    assert 0.1 <= float(item.text(2)) <= 1 and item.childCount() == 3
    assert "Phó Tổng thư ký" in item.child(0).text(0)  # titles, shaped by the list's font
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    en = ungrouped["004_8ff92d06c738168c"]
    assert members(project, en) == sorted(ungrouped[u] for u in TRANSLATIONS)
    assert dialog.suggestions == []  # grouped documents are no longer suggested
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert members(project, en) == [en]
    assert [g.documents for g in dialog.suggestions] == [TRANSLATIONS]


def test_a_rejected_suggestion_goes_and_undo_brings_it_back(dialog, qtbot, project, ungrouped):
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Delete)
    assert dialog.suggestions == [] and "No group to suggest" in dialog.heading.text()
    en = ungrouped["004_8ff92d06c738168c"]
    assert members(project, en) == [en]  # nothing stored
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [g.documents for g in dialog.suggestions] == [TRANSLATIONS]


def test_accept_by_mouse_tells_the_main_window_which_documents_changed(dialog, qtbot, ungrouped):
    with qtbot.waitSignal(dialog.edits.changed) as signal:
        qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert set(signal.args[0].documents) == {ungrouped[u] for u in TRANSLATIONS}
