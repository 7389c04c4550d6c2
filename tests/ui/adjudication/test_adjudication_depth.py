"""Adjudicating attributes, relations and clusters with the keyboard (issue 14): the
second list shows where two annotators' layers differ, Alt+N (the list focused with
Ctrl+Shift+L) gives gold that annotator's version, Alt+0 none, Ctrl+Z takes it back;
the assertions read the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.identity import GOLD_ANNOTATOR
from annotator.ui.adjudication.window import AdjudicationWindow
from annotator.ui.edits import Edits
from tests.store.test_adjudication_depth import doc_id, project, read  # noqa: F401 (a fixture)
from tests.ui.helpers import shown

CTRL, SHIFT, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.AltModifier


@pytest.fixture
def win(qtbot, project):  # noqa: F811
    window = AdjudicationWindow(project, "cur", Edits(project), doc_id(project))
    window.resize(1400, 800)
    return shown(qtbot, window, activate=True)


def go_to(qtbot, win, kind: str, text: str) -> None:
    """Down the list (keys only) to the first row of `kind` whose words contain `text`."""
    model = win.depth_model
    target = next(i for i in range(model.rowCount()) if model.row(i).kind == kind
                  and text in model.index(i, 1).data())
    qtbot.keyClick(win.gold_view, Qt.Key.Key_L, CTRL | SHIFT)
    assert win.depth_list.hasFocus()
    qtbot.keyClick(win.depth_list, Qt.Key.Key_Home)
    for _ in range(target):
        qtbot.keyClick(win.depth_list, Qt.Key.Key_Down)
    assert win.depth_list.currentIndex().row() == target


def test_attributes_relations_and_clusters_are_listed_and_accepted_with_keys(qtbot, win, project):  # noqa: F811
    model = win.depth_model
    kinds = {model.row(i).kind for i in range(model.rowCount())}
    assert kinds == {"attribute", "relation", "cluster"}
    qtbot.keyClick(win.gold_view, Qt.Key.Key_1, CTRL)  # gold starts from ana's spans, events and claims
    qtbot.waitUntil(lambda: read(project, GOLD_ANNOTATOR) is not None)

    go_to(qtbot, win, "attribute", "realis")
    row = win.depth_list.currentIndex().row()
    assert model.index(row, 2).data() == "actual" and model.index(row, 3).data() == "generic"
    assert model.index(row, 4).data() == "—" and not model.decided(row)
    qtbot.keyClick(win.depth_list, Qt.Key.Key_2, ALT)  # bob's version
    assert dict(read(project, GOLD_ANNOTATOR).events[0].attributes) == {"realis": "generic"}
    assert model.index(row, 4).data() == "generic" and model.decided(row)
    qtbot.keyClick(win.depth_list, Qt.Key.Key_Z, CTRL)
    assert read(project, GOLD_ANNOTATOR).events[0].attributes == ()
    qtbot.keyClick(win.depth_list, Qt.Key.Key_Z, CTRL | SHIFT)
    assert dict(read(project, GOLD_ANNOTATOR).events[0].attributes) == {"realis": "generic"}

    go_to(qtbot, win, "relation", "quantity_of")
    qtbot.keyClick(win.depth_list, Qt.Key.Key_1, ALT)  # ana drew it
    gold = read(project, GOLD_ANNOTATOR)
    assert [r.type for r in gold.relations] == ["quantity_of"]
    qtbot.keyClick(win.depth_list, Qt.Key.Key_0, ALT)  # none after all
    assert read(project, GOLD_ANNOTATOR).relations == ()

    go_to(qtbot, win, "cluster", "«he»")
    qtbot.keyClick(win.depth_list, Qt.Key.Key_1, ALT)  # ana: "he" is Geoană
    gold = read(project, GOLD_ANNOTATOR)
    assert sorted(s.text for s in gold.spans if s.entity) == ["Mircea Geoană", "he"]
    assert "with «Mircea Geoană» (Q2071493)" in model.index(win.depth_list.currentIndex().row(), 4).data()


def test_before_gold_has_the_items_the_reason_is_shown(qtbot, win):
    go_to(qtbot, win, "attribute", "realis")
    qtbot.keyClick(win.depth_list, Qt.Key.Key_1, ALT)
    qtbot.waitUntil(lambda: "accept the spans first" in win.statusBar().currentMessage())
