"""The schema's definitions where the annotator decides (issue 17, guidelines in the app):
hovering an event's type or an argument's role in the events-and-claims panel shows its
description, and the rows of the event-type, role and label pickers carry theirs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from annotator.ui.annotate.label_picker import make_picker
from annotator.ui.app.main_window import MainWindow
from annotator.ui.widgets.choice_popup import ChoicePopup
from tests.ui.annotate.test_frames import back, label, select_text
from tests.ui.helpers import open_doc, shown

EN = "004_8ff92d06c738168c"


@pytest.fixture
def win(qtbot, project):
    return shown(qtbot, MainWindow(project, "ana"), activate=True)


def hover(qtbot, tree, item, column: int) -> str:
    """The tooltip Qt shows when the pointer rests on a cell."""
    QToolTip.hideText()
    rect = tree.visualItemRect(item)
    pos = QPoint(tree.header().sectionViewportPosition(column) + 4, rect.center().y())
    QApplication.sendEvent(tree.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, tree.viewport().mapToGlobal(pos)))
    qtbot.waitUntil(QToolTip.isVisible)
    return QToolTip.text()


def popup_rows(qtbot, seen: list, *keys) -> None:
    """Record the (text, tooltip) rows of the next ChoicePopup, then press `keys` in it."""
    def look():
        popup = QApplication.activeModalWidget()
        if not isinstance(popup, ChoicePopup):
            QTimer.singleShot(20, look)
            return
        seen.extend((popup.list.item(i).data(Qt.ItemDataRole.UserRole), popup.list.item(i).toolTip())
                    for i in range(popup.list.count()))
        for key in keys:
            qtbot.keyClick(popup.filter, key)
    QTimer.singleShot(0, look)


def test_type_and_role_cells_show_the_schemas_definitions(win, qtbot):
    schema = win.project.schema
    open_doc(win, qtbot, EN)
    org = label(win, qtbot, "NATO", "2", nth=1)
    select_text(win, "briefed")
    types: list = []
    popup_rows(qtbot, types, "s")
    qtbot.keyClick(win.view, "e")
    back(win, qtbot)
    # The event-type picker: every type's row carries its definition.
    assert types == [(et.name, et.description) for et in schema.event_types]

    roles: list = []
    popup_rows(qtbot, roles, "1")  # speaker and addressee both take an ORG: the role picker asks
    win.workspace.select_span(org)
    qtbot.keyClick(win.view, "a")
    back(win, qtbot)
    statement = schema.event_type("STATEMENT")
    assert roles == [(r.name, r.description) for r in statement.roles]

    tree = win.frames_panel.tree
    top = tree.topLevelItem(0)
    speaker, addressee = top.child(0), top.child(1)  # speaker filled, addressee a reminder row
    assert (top.text(0), speaker.text(0), addressee.text(0)) == ("STATEMENT", "speaker", "addressee")
    assert statement.description and statement.roles[0].description
    assert hover(qtbot, tree, top, 0) == statement.description
    assert hover(qtbot, tree, speaker, 0) == schema.event_role("STATEMENT", "speaker").description
    assert addressee.toolTip(0) == schema.event_role("STATEMENT", "addressee").description
    assert speaker.toolTip(1) != speaker.toolTip(0)  # the text cell keeps its own tooltip


def test_claim_role_cells_show_the_claim_roles_definitions(win, qtbot):
    schema = win.project.schema
    open_doc(win, qtbot, EN)
    label(win, qtbot, "Geoană", "1", nth=1)
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(win.view, "q")
    qtbot.keyClick(win.view, "c")
    top = win.frames_panel.tree.topLevelItem(0)
    cells = {top.child(i).text(0): top.child(i).toolTip(0) for i in range(top.childCount())}
    # The roles, then the reminders of the claim's required attributes, with their guidance.
    assert cells == {r.name: r.description for r in schema.claim_roles} | {
        a.name: a.guidance for a in schema.attributes_for("claim") if a.required}
    assert top.toolTip(0) == ""  # a claim has no type to define


def test_label_picker_rows_carry_the_label_descriptions(win, qtbot):
    popup = make_picker(win.project.schema, False, win)
    rows = [(popup.list.item(i).data(Qt.ItemDataRole.UserRole), popup.list.item(i).toolTip())
            for i in range(popup.list.count())]
    assert rows == [(lab.name, lab.description) for lab in win.project.schema.labels]
    assert all(tip for _, tip in rows)
