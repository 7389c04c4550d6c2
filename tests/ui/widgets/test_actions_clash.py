"""The action registry refuses a key bound to two actions of one window (Qt would run
neither and say nothing), and no window of the app has such a clash."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMainWindow

from annotator.ui.widgets.actions import AREAS, MAIN, Action, Area, build, key_names, refuse_clashes


def test_no_window_binds_one_key_twice(qapp):
    for area in AREAS:
        refuse_clashes(area)


def test_a_clash_is_refused_when_the_window_is_built(qtbot):
    area = Area("Test", ("File",), (Action("one", "File", "One", ("Ctrl+Shift+X",)),
                                    Action("two", "File", "Two", ("Ctrl+Shift+X",))))
    window = QMainWindow()
    qtbot.addWidget(window)
    with pytest.raises(ValueError, match="Ctrl\\+Shift\\+X is the key of both 'one' and 'two'"):
        build(window, area, {"one": lambda: None, "two": lambda: None})


def test_export_and_the_file_keys_do_not_clash_with_the_statistics_key(qapp):
    taken = {a.id: {n for k in a.keys for n in key_names(k)} for a in MAIN.actions}
    assert taken["export"].isdisjoint(taken["statistics"] | taken["label_all_corpus"])
    assert "Ctrl+N" in taken["new_project"] and "Ctrl+O" in taken["open_project"] and "Ctrl+Q" in taken["quit"]
