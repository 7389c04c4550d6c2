"""Attributes of events, claims and arguments, and the document's labels, made with the
keyboard only (F4, Shift+F4, digits, type-ahead, Enter, Del), undone and redone with
Ctrl+Z / Ctrl+Y, and read back from the project file by a fresh connection."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from annotator.store import events as ops
from annotator.store.attributes import Target, target_attributes
from annotator.store.project import Project
from annotator.ui.annotate.attributes_panel import ValueEntry
from annotator.ui.app.main_window import MainWindow
from annotator.ui.widgets.choice_popup import ChoicePopup
from tests.ui.helpers import open_doc, shown

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
EN = "004_8ff92d06c738168c"


@pytest.fixture
def win(qtbot, project):
    return shown(qtbot, MainWindow(project, "ana"), activate=True)


def back(win, qtbot):
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)


def answer(qtbot, *keys, seen=None):
    """Press `keys` in the next modal popup (a value picker or entry) once it shows;
    `seen` collects what the popup said (its list rows or its refusal)."""
    def press():
        popup = QApplication.activeModalWidget()
        if popup is None:
            QTimer.singleShot(20, press)
            return
        target = popup.filter if isinstance(popup, ChoicePopup) else popup.line
        for key in keys:
            if isinstance(key, str) and len(key) > 1:
                qtbot.keyClicks(target, key)
            else:
                qtbot.keyClick(target, key)
            if seen is not None and isinstance(popup, ValueEntry) and popup.isVisible():
                seen.append(popup.hint.text() if popup.hint.isVisibleTo(popup) else "")
        if seen is not None and isinstance(popup, ValueEntry) and popup.isVisible():
            qtbot.keyClick(popup.line, Qt.Key.Key_Escape)
    QTimer.singleShot(0, press)


def stored(path, sql, *args):
    """Rows read from the project file by a connection of its own, not the window's."""
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, args).fetchall()


def values_in_file(path, kind, uid=None):
    """{name: JSON text} of one item (or of the document, uid None) read from the file."""
    column = {"event": "event_id", "claim": "claim_id"}.get(kind)
    if column is None:
        return dict(stored(path, "SELECT name, value FROM attribute_values WHERE span_id IS NULL AND event_id IS NULL"
                                 " AND claim_id IS NULL AND event_argument_id IS NULL AND claim_argument_id IS NULL"))
    table = {"event": "events", "claim": "claims"}[kind]
    return dict(stored(path, f"SELECT a.name, a.value FROM attribute_values a JOIN {table} t ON a.{column} = t.id"
                             " WHERE t.uid = ?", uid))


def make_event(win, qtbot):
    text = win.workspace.text
    start = text.index("met")
    d = win.workspace.omap.to_display
    win.view.select(d(start), d(start + 3))
    answer(qtbot, "m")  # MEETING
    qtbot.keyClick(win.view, "e")
    back(win, qtbot)
    with win.project.read() as conn:
        [event] = ops.layer_frames(conn, "event", win.workspace.doc_id, "ana")
    return event


def test_event_attribute_by_keys_reminded_until_set_undone_and_redone(win, qtbot):
    doc = open_doc(win, qtbot, EN)
    event = make_event(win, qtbot)
    panel = win.attributes_panel
    # The new event is current: its attributes are listed, defaults in grey, required ones reminded.
    assert panel.rows()[0] == ("realis", "actual (default, not set) · required")
    assert panel.missing() == ["realis", "polarity"]
    reminders = [r for r, text in win.frames_panel.arguments(0) if "required attribute" in text]
    assert reminders == ["realis", "polarity"]

    qtbot.keyClick(win.view, Qt.Key.Key_F4)
    assert panel.tree.hasFocus()
    answer(qtbot, "g", "e", "n", Qt.Key.Key_Return)  # type-ahead "gen" + Enter: generic
    qtbot.keyClick(panel.tree, "1")  # realis
    back(win, qtbot)
    with win.project.read() as conn:
        assert target_attributes(conn, Target("event", doc, "ana", event.uid)) == {"realis": "generic"}
    assert panel.rows()[0] == ("realis", "generic")
    assert panel.missing() == ["polarity"]
    assert [r for r, t in win.frames_panel.arguments(0) if "required attribute" in t] == ["polarity"]
    assert win.edits.stack.undoText().startswith("set realis of the MEETING event to generic")

    # tense (3) by its value's key: 3 is "future".
    panel.tree.setFocus()
    answer(qtbot, "3")
    qtbot.keyClick(panel.tree, "3")
    back(win, qtbot)
    assert values_in_file(win.project.path, "event", event.uid) == {"realis": '"generic"', "tense": '"future"'}

    qtbot.keyClick(panel.tree, Qt.Key.Key_Z, CTRL)
    assert values_in_file(win.project.path, "event", event.uid) == {"realis": '"generic"'}
    assert panel.rows()[2] == ("tense", "unspecified (default, not set)")
    qtbot.keyClick(panel.tree, Qt.Key.Key_Z, CTRL)
    assert values_in_file(win.project.path, "event", event.uid) == {}
    assert panel.missing() == ["realis", "polarity"]
    qtbot.keyClick(panel.tree, Qt.Key.Key_Y, CTRL)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Y, CTRL)
    assert values_in_file(win.project.path, "event", event.uid) == {"realis": '"generic"', "tense": '"future"'}

    # Del clears the current attribute (one more undo step); Esc goes back to the text.
    panel.tree.setCurrentItem(panel.tree.topLevelItem(2))
    qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)
    assert values_in_file(win.project.path, "event", event.uid) == {"realis": '"generic"'}
    qtbot.keyClick(panel.tree, Qt.Key.Key_Escape)
    assert win.view.hasFocus()


def test_claim_boolean_toggles_and_url_entry_refuses_with_the_reason(win, qtbot):
    doc = open_doc(win, qtbot, EN)
    text = win.workspace.text
    start = text.index("The long-standing")
    d = win.workspace.omap.to_display
    win.view.select(d(start), d(start + len("The long-standing, excellent cooperation")))
    qtbot.keyClick(win.view, "c")
    with win.project.read() as conn:
        [claim] = ops.layer_frames(conn, "claim", doc, "ana")
    panel = win.attributes_panel
    assert [name for name, _ in panel.rows()] == ["stance", "check_worthy", "claim_type", "verdict", "verdict_source"]
    qtbot.keyClick(win.view, Qt.Key.Key_F4)
    qtbot.keyClick(panel.tree, "2")  # check_worthy: the default (no) toggled to yes
    assert values_in_file(win.project.path, "claim", claim.uid) == {"check_worthy": "true"}
    qtbot.keyClick(panel.tree, Qt.Key.Key_Space)  # the current row, toggled back: an explicit no
    assert values_in_file(win.project.path, "claim", claim.uid) == {"check_worthy": "false"}
    assert panel.rows()[1] == ("check_worthy", "no")

    seen: list[str] = []
    answer(qtbot, "ftp://example.org", Qt.Key.Key_Return, seen=seen)  # refused: stays open, says why, Esc
    qtbot.keyClick(panel.tree, "5")
    back(win, qtbot)
    assert seen and "not an http or https URL" in seen[-1]
    assert "verdict_source" not in values_in_file(win.project.path, "claim", claim.uid)
    answer(qtbot, "https://www.nato.int/cps/en/natohq/news_215801.htm", Qt.Key.Key_Return)
    qtbot.keyClick(panel.tree, "5")
    back(win, qtbot)
    assert values_in_file(win.project.path, "claim", claim.uid)["verdict_source"] == \
        '"https://www.nato.int/cps/en/natohq/news_215801.htm"'
    qtbot.keyClick(panel.tree, Qt.Key.Key_Z, CTRL)
    assert "verdict_source" not in values_in_file(win.project.path, "claim", claim.uid)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Y, CTRL)
    assert "verdict_source" in values_in_file(win.project.path, "claim", claim.uid)


def test_argument_attribute_needs_a_schema_that_declares_one(win, qtbot):
    """The default schema declares none on roles: the panel says so for an argument."""
    open_doc(win, qtbot, EN)
    make_event(win, qtbot)
    text = win.workspace.text
    start = text.index("Mircea Geoană")
    d = win.workspace.omap.to_display
    win.view.select(d(start), d(start + len("Mircea Geoană")))
    qtbot.keyClick(win.view, "1")
    qtbot.keyClick(win.view, "a")
    back(win, qtbot)
    event = win.frames.frames[0]
    win.frames_panel.tree.setFocus()
    win.frames.select((event.kind, event.uid, "participant", event.arguments[0].span))
    assert "participant" in win.attributes_panel.title.text()
    assert win.attributes_panel.rows() == []
    assert "no attributes on participant arguments" in win.attributes_panel.hint.text()


def test_document_labels_by_keys_undone_redone_and_in_the_file(win, qtbot):
    doc = open_doc(win, qtbot, EN)
    labels = win.document_labels
    qtbot.keyClick(win.view, Qt.Key.Key_F4, SHIFT)
    assert win.side_tabs.currentWidget() is labels and labels.tree.hasFocus()
    assert [name for name, _ in labels.rows()] == ["topic", "genre", "publication_date"]

    answer(qtbot, "2")  # topic: security (its second value)
    qtbot.keyClick(labels.tree, "1")
    back(win, qtbot)
    seen: list[str] = []
    answer(qtbot, "2023-13-01", Qt.Key.Key_Return, seen=seen)
    qtbot.keyClick(labels.tree, "3")
    back(win, qtbot)
    assert "not an ISO date" in seen[-1]
    answer(qtbot, "2023-06-13", Qt.Key.Key_Return)
    qtbot.keyClick(labels.tree, "3")
    back(win, qtbot)
    assert values_in_file(win.project.path, "document") == {"topic": '"security"', "publication_date": '"2023-06-13"'}
    assert labels.rows()[2] == ("publication_date", "2023-06-13")
    assert win.edits.stack.undoText() == f"set publication_date of the document to 2023-06-13 in en · {EN}"

    qtbot.keyClick(labels.tree, Qt.Key.Key_Z, CTRL)
    assert values_in_file(win.project.path, "document") == {"topic": '"security"'}
    assert labels.rows()[2][1].startswith("—")
    qtbot.keyClick(labels.tree, Qt.Key.Key_Y, CTRL)
    assert labels.rows()[2] == ("publication_date", "2023-06-13")

    # A fresh session on the file reads the same labels.
    win.close()
    with Project.open(win.project.path, readonly=True) as fresh, fresh.read() as conn:
        assert target_attributes(conn, Target("document", doc, "ana")) == {
            "topic": "security", "publication_date": "2023-06-13"}


def test_the_document_labels_tab_shows_what_changed_while_it_was_not_chosen(win, qtbot):
    """The tab is read when chosen (not at every document opened behind it): what another
    window set and the document opened meanwhile are both there when it shows."""
    from annotator.store.attributes import set_attribute

    first = open_doc(win, qtbot, EN)
    labels = win.document_labels
    assert win.side_tabs.currentWidget() is not labels
    set_attribute(win.project, Target("document", first, "ana"), "topic", "security")  # as another window would
    qtbot.keyClick(win.view, Qt.Key.Key_F4, SHIFT)
    assert win.side_tabs.currentWidget() is labels
    assert labels.rows()[0] == ("topic", "security")
    assert "this document" in labels.title.text()

    win.side_tabs.setCurrentIndex(0)  # the Events tab again: the labels tab hidden
    other = next(d for d in win.navigator.model.documents() if d[0] != first)[0]
    win.open_document(other)
    win.side_tabs.setCurrentWidget(labels)
    assert labels.rows()[0][0] == "topic" and labels.rows()[0][1].startswith("—")  # the other document's: none set


@pytest.fixture
def depth_schema(project):
    """The default schema plus a text attribute on PERSON spans and a number on participants."""
    import json

    from annotator.store.schema_change import replace_schema
    data = json.loads(project.schema.to_json())
    data["attributes"] += [
        {"name": "title", "kind": "text", "required": True, "applies_to": {"labels": ["PERSON"]},
         "guidance": "The office the text gives the person"},
        {"name": "confidence", "kind": "number", "applies_to": {"roles": ["participant"]},
         "guidance": "How sure the annotator is, from 0 to 1"},
    ]
    replace_schema(project, json.dumps(data), "test schema")
    return project


def test_span_and_argument_attributes_by_keys(depth_schema, qtbot):
    win = shown(qtbot, MainWindow(depth_schema, "ana"), activate=True)
    open_doc(win, qtbot, EN)
    event = make_event(win, qtbot)
    text = win.workspace.text
    start = text.index("Mircea Geoană")
    d = win.workspace.omap.to_display
    win.view.select(d(start), d(start + len("Mircea Geoană")))
    qtbot.keyClick(win.view, "1")  # PERSON, selected: its attributes are listed, the title reminded
    person = win.workspace.selected
    panel = win.attributes_panel
    assert panel.missing() == ["title"] and "PERSON span «Mircea Geoană»" in panel.title.text()
    qtbot.keyClick(win.view, Qt.Key.Key_F4)
    answer(qtbot, "Deputy Secretary General", Qt.Key.Key_Return)
    qtbot.keyClick(panel.tree, "1")
    back(win, qtbot)
    assert stored(win.project.path, "SELECT a.value FROM attribute_values a JOIN spans s ON a.span_id = s.id "
                                    "WHERE s.uid = ?", person) == [('"Deputy Secretary General"',)]
    assert panel.missing() == []

    qtbot.keyClick(win.view, "a")  # attach: participant, the only role a PERSON takes
    back(win, qtbot)
    qtbot.keyClick(win.view, Qt.Key.Key_F6)  # the panel; Down to the argument row
    tree = win.frames_panel.tree
    assert tree.hasFocus() and tree.currentItem() is tree.topLevelItem(0)  # the event, current since E
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert "the participant «Mircea Geoană» of the MEETING event" in panel.title.text()
    qtbot.keyClick(tree, Qt.Key.Key_F4)
    seen: list[str] = []
    answer(qtbot, "high", Qt.Key.Key_Return, seen=seen)  # not a number: refused, Esc
    qtbot.keyClick(panel.tree, "1")
    back(win, qtbot)
    assert "expected a number" in seen[-1]
    answer(qtbot, "0.8", Qt.Key.Key_Return)
    qtbot.keyClick(panel.tree, "1")
    back(win, qtbot)
    arg_values = ("SELECT a.name, a.value FROM attribute_values a JOIN event_arguments g "
                  "ON a.event_argument_id = g.id JOIN events e ON g.event_id = e.id WHERE e.uid = ?")
    assert stored(win.project.path, arg_values, event.uid) == [("confidence", "0.8")]
    assert panel.rows() == [("confidence", "0.8")]
    qtbot.keyClick(panel.tree, Qt.Key.Key_Z, CTRL)
    assert stored(win.project.path, arg_values, event.uid) == []
    qtbot.keyClick(panel.tree, Qt.Key.Key_Y, CTRL)
    assert stored(win.project.path, arg_values, event.uid) == [("confidence", "0.8")]
