from __future__ import annotations

import json

from PySide6.QtCore import QSize, Qt

from annotator.paths import seeds_dir
from annotator.ui.app.document_list import LANG, TITLE
from annotator.ui.app.main_window import MainWindow
from tests.ui.helpers import SEED_LANGS, shown_text, stored_texts


def test_lists_the_five_seed_documents(window):
    model = window.navigator.model
    assert model.rowCount() == 5
    assert [model.index(r, LANG).data() for r in range(5)] == SEED_LANGS
    manifest = json.loads((seeds_dir() / "manifest.json").read_text(encoding="utf-8"))
    assert [model.index(r, TITLE).data() for r in range(5)] == [d["title"] for d in manifest["documents"]]


def test_window_title_status_bar_and_focus(window, project):
    assert project.path.name in window.windowTitle()
    assert window.annotator_label.text() == "Annotator: tester"
    assert window.saved_label.text() == "✓ All changes saved"
    assert window.view.hasFocus()  # ready for the keyboard as soon as a document opens


def test_first_document_selected_with_its_exact_text(window, project):
    texts = stored_texts(project)
    assert window.navigator.current_document() == window.workspace.doc_id
    assert "\r" not in texts[0] and "\u2029" not in texts[0]  # so the U+2029 mapping is exact
    assert shown_text(window) == texts[0]
    assert window.view.isReadOnly()


def test_alt_down_and_alt_up_walk_the_documents(window, project, qtbot):
    texts = stored_texts(project)
    for row in range(1, 5):
        qtbot.keyClick(window.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
        assert shown_text(window) == texts[row]
    qtbot.keyClick(window.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert shown_text(window) == texts[4]  # stays on the last document
    for row in (3, 2, 1, 0, 0):
        qtbot.keyClick(window.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
        assert shown_text(window) == texts[row]


def test_clicking_a_row_shows_that_document(window, project, qtbot):
    texts = stored_texts(project)
    table = window.navigator.table
    for row in (3, 1):
        rect = table.visualRect(table.model().index(row, TITLE))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert shown_text(window) == texts[row]


def test_last_document_and_geometry_are_remembered_per_project(window, project, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    # Halfway between the window's minimum size and the screen: a size the window takes
    # and the screen holds, whatever minimum the panels come to.
    least = window.minimumSize().expandedTo(window.minimumSizeHint())  # what Qt enforces
    screen = window.screen().availableSize()
    size = QSize((least.width() + screen.width()) // 2, (least.height() + screen.height()) // 2)
    window.resize(size)
    assert window.size() == size
    window.close()
    again = MainWindow(project, "tester")
    qtbot.addWidget(again)
    assert shown_text(again) == stored_texts(project)[2]
    assert again.size() == size


def test_f1_lists_every_action_and_label_key(window, qtbot, monkeypatch):
    shown = {}
    monkeypatch.setattr("annotator.ui.widgets.shortcuts_dialog.ShortcutsDialog.exec",
                        lambda dialog: shown.setdefault("rows", dialog.visible_rows()))
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    texts = {row[1] for row in shown["rows"]}
    assert {"&Undo", "Mark &done and go to the next", "PERSON", "DATE"} <= texts or \
        {"Undo", "Mark done and go to the next", "PERSON", "DATE"} <= texts


def test_question_mark_also_opens_the_overview(window, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr("annotator.ui.widgets.shortcuts_dialog.ShortcutsDialog.exec", lambda dialog: opened.append(True))
    qtbot.keyClick(window.view, "?")
    assert opened == [True]


def test_typing_slowly_in_the_search_box_keeps_the_keyboard_and_the_open_document(window, project, qtbot):
    nav = window.navigator
    first = window.workspace.doc_id
    texts = stored_texts(project)
    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(nav.search.hasFocus)
    for part in ("Geo", "ana"):  # a pause after "Geo": its search runs, the open document drops out
        qtbot.keyClicks(nav.search, part)
        qtbot.waitUntil(lambda: not nav._timer.isActive())
        assert nav.search.hasFocus()
        assert window.workspace.doc_id == first and shown_text(window) == texts[0]
    assert nav.search.text() == "Geoana"  # every letter went into the search box
    assert nav.proxy.rowCount() == 3 and nav.current_document() is None
    assert window.workspace.spans() == [] and not window.edits.stack.canUndo()
    qtbot.keyClick(nav.search, Qt.Key.Key_Down)  # the user chooses: the first hit opens
    qtbot.waitUntil(lambda: window.workspace.doc_id != first)
    assert shown_text(window) == texts[1]


def test_the_window_opens_within_a_768_px_screen(project, qtbot, monkeypatch):
    """1360 x 820 plus a title bar is taller than a 1366 x 768 laptop screen (less its panel)."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1366, 768 - 32))
    window = MainWindow(project, "tester")
    qtbot.addWidget(window)
    assert window.width() + 16 <= 1366 and window.height() + 48 <= 768 - 32
    window.show()
    qtbot.waitExposed(window)
    assert window.height() + 48 <= 768 - 32  # the panels' minimum sizes do not push it back


def test_no_two_alt_letters_of_the_window_collide(window):
    """Menu titles, labels' buddies (the inspector's), buttons and tabs each take an Alt+letter;
    two on one letter make Qt's shortcut ambiguous (the View menu, added later, took the
    inspector's Alt+V for Value), and the registry's Alt+letter actions must not take one either."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel, QTabWidget

    from annotator.ui.widgets.actions import MAIN

    def letter(text: str) -> str | None:
        found = re.search(r"&([^&])", text.replace("&&", ""))
        return found.group(1).upper() if found else None

    taken = [(letter(a.text()), f"menu {a.text()}") for a in window.menuBar().actions()]
    taken += [(letter(w.text()), f"label {w.text()}") for w in window.findChildren(QLabel) if w.buddy() is not None]
    taken += [(letter(w.text()), f"button {w.text()}") for w in window.findChildren(QAbstractButton)]
    taken += [(letter(t.tabText(i)), f"tab {t.tabText(i)}") for t in window.findChildren(QTabWidget)
              for i in range(t.count())]
    taken += [(k[-1], f"action {a.id}") for a in MAIN.actions for k in a.keys
              if isinstance(k, str) and re.fullmatch(r"Alt\+[A-Z0-9]", k)]
    by_letter: dict[str, list[str]] = {}
    for key, what in taken:
        if key:
            by_letter.setdefault(key, []).append(what)
    assert {k: v for k, v in by_letter.items() if len(v) > 1} == {}
    # The fields' keys are listed in F1 (MAIN.fields), the same the labels take: Alt+R the fragments (README).
    fields = sorted(letter(w.text()) for w in window.findChildren(QLabel)
                    if w.buddy() is not None and letter(w.text()))
    assert fields == sorted(key[-1] for _panel, _field, key in MAIN.fields) and "R" in fields


def test_every_side_tab_is_in_sight_and_names_its_key(window, qtbot):
    """The side column's four panels: no tab hides behind scroll arrows, at the window's
    size and with the column dragged to its narrowest; a click on each shows its panel."""
    tabs = window.side_tabs
    bar = tabs.tabBar()
    for narrow in (False, True):
        if narrow:
            sizes, least = window.splitter.sizes(), window.splitter.widget(2).minimumSizeHint().width()
            assert sizes[2] > least
            window.splitter.setSizes([sizes[0], sizes[1] + sizes[2] - least, least])  # dragged as far as it goes
            qtbot.waitUntil(lambda least=least: window.splitter.sizes()[2] == least)
        for i in range(tabs.count()):
            assert bar.rect().contains(bar.tabRect(i)), (narrow, bar.tabText(i), bar.tabRect(i), bar.rect())
            qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(i).center())
            assert tabs.currentIndex() == i
    tips = [bar.tabToolTip(i) for i in range(tabs.count())]
    assert tips == ["Events and claims panel (F6)", "Annotation list (spans, events, claims) (F7)",
                    "Document labels (topic, genre, publication date) (Shift+F4)",
                    "Relations and entities panel (F10)"]
