from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from annotator.ui.app.annotator_dialog import AnnotatorDialog
from annotator.ui.widgets.shortcuts_dialog import ShortcutsDialog, grouped, matches

ROWS = [
    ("Navigation", "&Next document", "Alt+Down"),
    ("Navigation", "&Previous document", "Alt+Up"),
    ("File", "&Quit", "Ctrl+Q"),
    ("Labels", "Label as PERSON", "1"),
    ("Labels", "Label as ORG", "2"),
    ("Edit", "Undo", "Ctrl+Z"),
]


def type_text(widget, text: str) -> None:
    """Types any Unicode text as key events (QTest.keyClicks aborts on some non-ASCII)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def test_rows_are_grouped_and_sorted_by_group():
    assert [g for g, _ in grouped(ROWS)] == ["Edit", "File", "Labels", "Navigation"]
    assert [r[1] for r in dict(grouped(ROWS))["Navigation"]] == ["&Next document", "&Previous document"]
    assert matches(ROWS[0], "next DOC") and matches(ROWS[0], "alt+down") and matches(ROWS[0], "navig")
    assert not matches(ROWS[0], "next up")


def test_shortcuts_dialog_filter_narrows_rows(qtbot):
    dialog = ShortcutsDialog(ROWS)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert len(dialog.visible_rows()) == 6
    assert dialog.visible_rows()[0] == ("Edit", "Undo", "Ctrl+Z")  # grouped by group
    assert dialog.tree.topLevelItem(3).child(0).text(0) == "Next document"  # no mnemonic '&'
    qtbot.keyClicks(dialog.filter, "doc")
    assert dialog.visible_rows() == ROWS[:2]
    assert [dialog.tree.topLevelItem(i).isHidden() for i in range(4)] == [True, True, True, False]
    dialog.filter.clear()
    qtbot.keyClicks(dialog.filter, "ctrl")
    assert dialog.visible_rows() == [ROWS[5], ROWS[2]]
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)  # Enter in the filter doesn't close
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.filter, " nothing-like-this")
    assert dialog.visible_rows() == [] and dialog.empty.isVisible()
    dialog.filter.clear()
    assert len(dialog.visible_rows()) == 6 and not dialog.empty.isVisible()


def test_shortcuts_dialog_closes_with_escape(qtbot):
    dialog = ShortcutsDialog(ROWS)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_annotator_dialog_prefills_and_disables_ok_for_blank(qtbot):
    dialog = AnnotatorDialog("alice", ["bob", "alice", "bob", "  "])
    qtbot.addWidget(dialog)
    assert [dialog.combo.itemText(i) for i in range(dialog.combo.count())] == ["bob", "alice"]
    assert dialog.combo.currentText() == "alice" and dialog.ok_button.isEnabled()
    dialog.combo.lineEdit().selectAll()
    qtbot.keyClicks(dialog.combo.lineEdit(), "   ")
    assert dialog.combo.currentText() == "   "
    assert not dialog.ok_button.isEnabled()
    type_text(dialog.combo.lineEdit(), "Zoë ")
    assert dialog.ok_button.isEnabled() and dialog.name() == "Zoë"


def _when_shown(qtbot, act):
    """Runs `act(dialog)` once the modal AnnotatorDialog is up."""
    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, AnnotatorDialog) and dialog.isVisible():
            try:
                act(dialog)
            finally:  # a failed step must not leave exec() waiting forever
                if dialog.isVisible():
                    dialog.done(99)
        else:
            QTimer.singleShot(10, poll)
    QTimer.singleShot(0, poll)


def test_ask_returns_the_typed_stripped_name(qtbot):
    def act(dialog):
        edit = dialog.combo.lineEdit()
        edit.selectAll()
        qtbot.keyClicks(edit, "  bo ")  # a prefix of a known name stays what was typed
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    _when_shown(qtbot, act)
    assert AnnotatorDialog.ask(None, "tester", ["bob", "tester"]) == "bo"


def test_ask_enter_accepts_but_not_when_blank(qtbot):
    def act(dialog):
        edit = dialog.combo.lineEdit()
        edit.selectAll()
        qtbot.keyClick(edit, Qt.Key.Key_Delete)
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        still_open.append(dialog.isVisible())  # blank: Enter does nothing
        qtbot.keyClicks(edit, "carol")
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    still_open: list[bool] = []
    _when_shown(qtbot, act)
    assert AnnotatorDialog.ask(None, "", []) == "carol"
    assert still_open == [True]


def test_ask_returns_none_on_cancel(qtbot):
    _when_shown(qtbot, lambda d: qtbot.mouseClick(d.buttons.button(d.buttons.StandardButton.Cancel),
                                                  Qt.MouseButton.LeftButton))
    assert AnnotatorDialog.ask(None, "tester", []) is None


def test_ask_returns_none_on_escape(qtbot):
    _when_shown(qtbot, lambda d: qtbot.keyClick(d.combo.lineEdit(), Qt.Key.Key_Escape))
    assert AnnotatorDialog.ask(None, "tester", ["tester"]) is None
