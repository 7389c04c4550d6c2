"""The annotation list's corpus scope with real keys and clicks: the scope box (reached
with Shift+Tab from the list) lists one label's spans of the layer across thousands of
spans through a virtual model, "Without a value" and the typed text narrow it, and Enter
or a click opens the span's document with the span selected."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from annotator.core.records import DocumentRecord
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.store.spans import SpanData, add_spans
from annotator.ui.app.main_window import MainWindow
from tests.ui.helpers import shown

N_DOCS, DATES = 400, ("1 May", "2 May", "3 May", "4 May", "5 May", "6 May", "7 May", "8 May")


def text_of(i: int) -> str:
    return f"Report {i:04}: talks on " + ", ".join(DATES) + f" and a visit by Ana {i:04}."


@pytest.fixture
def big(tmp_path):
    """400 documents with 8 DATE spans each (3,200), every fourth span with a value."""
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"".join(gold_jsonl.dumps(DocumentRecord(id=f"r{i:04}", lang="en", text=text_of(i)))
                              for i in range(N_DOCS)))
    with Project.create(tmp_path / "c.annotator") as project:
        import_paths(project, [path])
        with project.read() as conn:
            docs = [d.id for d in list_documents(conn)]
        t = text_of(0)
        add_spans(project, [SpanData(f"s{d}-{k}", d, "ana", t.index(date), t.index(date) + len(date), "DATE",
                                     value=f"2023-05-0{k + 1}" if k % 4 == 0 else None)
                            for d in docs for k, date in enumerate(DATES)])
        yield project


@pytest.fixture
def win(qtbot, big):
    return shown(qtbot, MainWindow(big, "ana"), activate=True)


def corpus_scope(qtbot, win, label: str):
    """F7, Shift+Tab back to the scope box, Down to "Whole corpus", the label typed in."""
    panel = win.annotation_list
    qtbot.keyClick(win, Qt.Key.Key_F7)
    qtbot.waitUntil(panel.table.hasFocus)
    for _ in range(6):
        if panel.scope_box.hasFocus():
            break
        qtbot.keyClick(win.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert panel.scope_box.hasFocus()
    qtbot.keyClick(panel.scope_box, Qt.Key.Key_Down)
    assert panel.scope_box.currentText() == "Whole corpus"
    panel.label_box.setFocus()
    qtbot.keyClicks(panel.label_box, label)
    assert panel.label_box.currentText() == label
    return panel


def test_thousands_of_spans_in_a_virtual_list_narrowed_by_value_and_text(qtbot, win):
    panel = corpus_scope(qtbot, win, "DATE")
    assert panel.title.text() == f"DATE in the corpus ({N_DOCS * 8})"
    assert panel.table.model().rowCount() == N_DOCS * 8
    assert panel.rows()[:2] == [("en · r0000", "1 May", "2023-05-01"), ("en · r0000", "2 May", "—")]
    # A model, not a widget per row: as many widgets with 3,200 rows as with the document's 8.
    widgets = len(panel.findChildren(QWidget))
    panel.scope_box.setFocus()
    qtbot.keyClick(panel.scope_box, Qt.Key.Key_Up)
    assert panel.table.model().rowCount() == 8 and len(panel.findChildren(QWidget)) == widgets
    qtbot.keyClick(panel.scope_box, Qt.Key.Key_Down)
    assert panel.table.model().rowCount() == N_DOCS * 8
    panel.no_value_box.click()
    assert panel.title.text() == f"DATE in the corpus ({N_DOCS * 6} of {N_DOCS * 8})"
    assert all(value == "—" for _doc, _text, value in panel.rows())
    panel.text_box.setFocus()
    qtbot.keyClicks(panel.text_box, "8 MAY")
    assert panel.title.text() == f"DATE in the corpus ({N_DOCS} of {N_DOCS * 8})"
    # The events and claims entries do not apply to the corpus scope.
    events = panel.label_box.findText("Events")
    assert not panel.label_box.model().item(events).isEnabled()


def test_enter_opens_the_spans_document_and_selects_it(qtbot, win):
    panel = corpus_scope(qtbot, win, "DATE")
    panel.text_box.setFocus()
    qtbot.keyClicks(panel.text_box, "3 may")
    panel.table.setFocus()
    for _ in range(250):  # down the list to the 251st document's "3 May"
        qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert panel.table.currentIndex().row() == 250
    doc, text, _value = panel.rows()[250]
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    ws = win.workspace
    assert doc == "en · r0250" and text == "3 May"
    assert ws.text == text_of(250)
    assert ws.selected is not None and ws.highlighter.mark(ws.selected).label == "DATE"
    mark = ws.highlighter.mark(ws.selected)
    assert ws.text[mark.start:mark.end] == "3 May"
    assert win.view.hasFocus()  # a label key or a value acts on it at once
    assert panel.current_key() == ("span", ws.selected)  # the list keeps its place


def test_a_click_opens_another_document_and_the_list_stays(qtbot, win):
    panel = corpus_scope(qtbot, win, "DATE")
    table = panel.table
    row = 9  # document r0001's "2 May"
    table.scrollTo(table.model().index(row, 0))
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    ws = win.workspace
    assert ws.text == text_of(1)
    assert ws.text[ws.highlighter.mark(ws.selected).start:].startswith("2 May")
    assert panel.scope_box.currentText() == "Whole corpus" and panel.table.model().rowCount() == N_DOCS * 8


def test_giving_a_value_takes_the_row_off_the_without_value_list_and_the_next_follows(qtbot, win):
    panel = corpus_scope(qtbot, win, "DATE")
    panel.no_value_box.click()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)  # the first span without a value: r0000's "2 May"
    ws = win.workspace
    first = ws.selected
    assert ws.text[ws.highlighter.mark(first).start:].startswith("2 May")
    field = win.inspector.value_edit
    field.setFocus()
    qtbot.keyClicks(field, "2023-05-02")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.title.text() == f"DATE in the corpus ({N_DOCS * 6 - 1} of {N_DOCS * 8})")
    assert ("span", first) not in [panel.table.model().index(r, 0).data(Qt.ItemDataRole.UserRole + 1)
                                   for r in range(panel.table.model().rowCount())]
    assert panel.rows()[panel.table.currentIndex().row()][1] == "3 May"  # the next one is current


def test_back_to_this_document_lists_its_spans_events_and_claims(qtbot, win):
    panel = corpus_scope(qtbot, win, "DATE")
    panel.scope_box.setFocus()
    qtbot.keyClick(panel.scope_box, Qt.Key.Key_Up)
    assert panel.scope_box.currentText() == "This document"
    assert not panel.no_value_box.isVisible()
    assert [r[1] for r in panel.rows()] == list(DATES)
    assert panel.title.text() == "Annotations (8)"


def test_a_filter_that_hides_the_current_row_leaves_no_other_row_current(qtbot, win):
    panel = corpus_scope(qtbot, win, "DATE")
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)  # r0000's "1 May", which has a value
    assert panel.current_key() == ("span", win.workspace.selected)
    panel.no_value_box.click()
    assert panel.current_key() is None  # not r0000's "2 May", which the text does not select
