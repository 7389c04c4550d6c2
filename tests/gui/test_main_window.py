from __future__ import annotations

import json

from PySide6.QtCore import Qt

from annotator.paths import seeds_dir
from annotator.ui.document_model import LANG, TITLE, DocumentIdRole
from .helpers import SEED_LANGS, shown_text, stored_texts


def test_lists_the_five_seed_documents(window, project):
    model = window.model
    assert model.rowCount() == 5
    assert [model.index(r, LANG).data() for r in range(5)] == SEED_LANGS
    manifest = json.loads((seeds_dir() / "manifest.json").read_text(encoding="utf-8"))
    assert [model.index(r, TITLE).data() for r in range(5)] == [d["title"] for d in manifest["documents"]]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == ["Title", "Lang", "Status", "Spans"]


def test_window_title_and_status_bar(window, project):
    assert project.path.name in window.windowTitle()
    assert window.annotator_label.text() == "Annotator: tester"
    assert window.count_label.text() == "5 documents"


def test_first_document_selected_with_its_exact_text(window, project):
    texts = stored_texts(project)
    assert window.current_row() == 0
    assert window.table.selectionModel().isRowSelected(0)
    assert "\r" not in texts[0] and "\u2029" not in texts[0]  # so the U+2029 mapping is exact
    assert shown_text(window) == texts[0]
    assert window.editor.isReadOnly()


def test_alt_down_and_alt_up_walk_the_documents(window, project, qtbot):
    texts = stored_texts(project)
    for row in range(1, 5):
        qtbot.keyClick(window.editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
        assert window.current_row() == row
        assert shown_text(window) == texts[row]
    qtbot.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.current_row() == 4  # stays on the last document
    for row in (3, 2, 1, 0, 0):
        qtbot.keyClick(window.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
        assert window.current_row() == row
        assert shown_text(window) == texts[row]


def test_clicking_a_row_shows_that_document(window, project, qtbot):
    texts = stored_texts(project)
    for row in (3, 1):
        index = window.model.index(row, TITLE)
        rect = window.table.visualRect(index)
        qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.current_row() == row
        assert window.current_document_id() == index.data(DocumentIdRole)
        assert shown_text(window) == texts[row]


def test_refresh_keeps_the_current_document(window, project):
    window.select_row(2)
    window.refresh()
    assert window.current_row() == 2
    assert shown_text(window) == stored_texts(project)[2]
