"""The one action registry: every window builds its menus, shortcuts and F1 overview from it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from annotator.core.command_keys import COMMAND_KEYS
from annotator.store.queries import list_documents
from annotator.ui.adjudication.window import AdjudicationWindow
from annotator.ui.edits import Edits
from annotator.ui.parallel.window import ParallelWindow
from annotator.ui.widgets.actions import ADJUDICATION, AREAS, MAIN, SIDE_BY_SIDE, Area, key_text
from tests.ui.helpers import shown


def first_doc(project) -> int:
    with project.read() as conn:
        return next(d.id for d in list_documents(conn) if d.uid.startswith("004"))


@pytest.fixture
def windows(qtbot, project, window):
    """The main window, side by side and adjudication over the seeded project, with their areas."""
    edits = Edits(project)
    side = shown(qtbot, ParallelWindow(project, "tester", edits, first_doc(project)), activate=True)
    side.edits_keepalive = edits
    adjudication = shown(qtbot, AdjudicationWindow(project, "cur", edits, first_doc(project)))
    return [(window, MAIN), (side, SIDE_BY_SIDE), (adjudication, ADJUDICATION)]


def normal(key) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)


@pytest.mark.parametrize("area", AREAS, ids=lambda area: area.title)
def test_no_key_is_declared_twice_in_one_area(area: Area, schema, qapp):  # a QKeySequence needs the app
    """Two actions on one key in a window: Qt runs neither (an ambiguous shortcut)."""
    owner: dict[str, str] = {}
    for spec in area.actions:
        for key in spec.keys:
            assert owner.setdefault(normal(key), spec.id) == spec.id, \
                f"{area.title}: {normal(key)} is bound to {owner[normal(key)]} and {spec.id}"
    assert not {normal(lab.key) for lab in schema.labels} & set(owner)  # label keys stay the views'


def test_no_key_sequence_is_bound_twice_in_a_window(windows):
    for window, area in windows:
        seen: dict[str, str] = {}
        for action in window.findChildren(QAction):
            for key in action.shortcuts():
                text = key.toString(QKeySequence.SequenceFormat.PortableText)
                assert seen.setdefault(text, action.text()) == action.text(), \
                    f"{area.title}: {text} is bound to {seen[text]!r} and {action.text()!r}"
        bound = {normal(k) for spec in area.actions if not spec.in_view for k in spec.keys}
        assert bound <= set(seen)  # every registered window key is bound


def test_f1_lists_every_registered_action_in_every_window(windows, qtbot, monkeypatch):
    everything = {(spec.text.replace("&", ""), key_text(spec.keys)) for area in AREAS for spec in area.actions}
    for window, area in windows:
        shown_rows: list[tuple[str, str, str]] = []
        monkeypatch.setattr("annotator.ui.widgets.shortcuts_dialog.ShortcutsDialog.exec",
                            lambda dialog, rows=shown_rows: rows.extend(dialog.visible_rows()))
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window, Qt.Key.Key_F1)
        listed = {(text.replace("&", ""), keys) for _group, text, keys in shown_rows}
        assert everything <= listed, f"{area.title}'s overview misses {everything - listed}"
        own = {(group, text) for group, text, _keys in shown_rows}
        assert {(spec.menu, spec.text) for spec in area.actions} <= own  # its own under its menus


def test_menus_hold_every_action_with_its_keys(windows):
    for window, area in windows:
        menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
        assert list(menus) == list(area.menus)
        for spec in area.actions:
            entries = [a for a in menus[spec.menu].actions() if a in window.actions_by_name.group(spec.id)]
            assert len(entries) == (len(spec.keys) if spec.per_key else 1), spec.id
            if spec.in_view:  # handled by the document view: its keys show in the menu all the same
                assert entries[0].text().endswith("\t" + key_text(spec.keys))


def test_command_letters_come_from_the_one_key_table(window, qtbot):
    for command in COMMAND_KEYS:
        spec = MAIN[command.action]
        assert spec.in_view and spec.keys == (command.shortcut,)
        assert window.view._command_keys[command.letter] == command.action
        if command.hint:  # the panel's key hint names it too
            assert f"{command.letter.upper()}: {command.hint}" in window.frames_panel.hint.text()
    ran = []
    window.frames.command = ran.append
    for command in COMMAND_KEYS:
        qtbot.keyClicks(window.view, command.letter)
        window.actions_by_name[command.action].trigger()  # the menu entry runs the same command
    assert ran == [c.action for c in COMMAND_KEYS for _ in (0, 1)]
