"""The annotation list with real keys and clicks: F7 shows it, it lists the layer's spans,
events and claims, its label and text filters narrow it, a click or Enter selects the item
in the document, and it follows every edit and undo of its document."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from annotator.store.queries import list_documents
from tests.ui.helpers import open_doc

CTRL = Qt.KeyboardModifier.ControlModifier


def seed_uid(window, prefix: str) -> str:
    with window.project.read() as conn:
        return next(d.uid for d in list_documents(conn) if d.uid.startswith(prefix))


def label(qtbot, window, text: str, key: Qt.Key, after: int = 0) -> None:
    """Select the first `text` at or after `after` in the shown document and press `key`."""
    ws = window.workspace
    start = ws.text.index(text, after)
    window.view.select(ws.omap.to_display(start), ws.omap.to_display(start + len(text)))
    window.view.setFocus()
    qtbot.keyClick(window.view, key)


def show_list(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F7)
    panel = window.annotation_list
    qtbot.waitUntil(lambda: panel.isVisible() and panel.table.hasFocus())
    return panel


def offsets(window, text: str, after: int = 0) -> str:
    start = window.workspace.text.index(text, after)
    return f"{start}–{start + len(text)}"


def english(qtbot, window):
    """Seed 004 open with Geoană (PERSON), NATO (ORG) and 13 June 2023 (DATE) labelled."""
    open_doc(window, qtbot, seed_uid(window, "004"))
    label(qtbot, window, "Mircea Geoană", Qt.Key.Key_1)
    label(qtbot, window, "NATO", Qt.Key.Key_2)
    label(qtbot, window, "13 June 2023", Qt.Key.Key_4)


def test_f7_lists_the_spans_of_the_open_document_in_text_order(qtbot, window):
    english(qtbot, window)
    panel = show_list(qtbot, window)
    assert panel.rows() == [("ORG", "NATO", offsets(window, "NATO")),
                            ("PERSON", "Mircea Geoană", offsets(window, "Mircea Geoană")),
                            ("DATE", "13 June 2023", offsets(window, "13 June 2023"))]
    assert panel.title.text() == "Annotations (3)"


def test_label_combo_and_typed_text_narrow_the_list(qtbot, window):
    english(qtbot, window)
    panel = show_list(qtbot, window)
    panel.label_box.setFocus()
    qtbot.keyClicks(panel.label_box, "PERSON")  # a combo takes the typed name
    assert panel.label_box.currentText() == "PERSON"
    assert [r[1] for r in panel.rows()] == ["Mircea Geoană"]
    assert panel.title.text() == "Annotations (1 of 3)"
    panel.label_box.setCurrentIndex(0)  # all labels again
    panel.text_box.setFocus()
    qtbot.keyClicks(panel.text_box, "jun")  # case-insensitive, narrowed as it is typed
    assert [r[1] for r in panel.rows()] == ["13 June 2023"]
    panel.text_box.clear()
    assert len(panel.rows()) == 3


def test_clicking_a_header_sorts_the_list(qtbot, window):
    english(qtbot, window)
    panel = show_list(qtbot, window)
    header = panel.table.horizontalHeader()
    x = header.sectionViewportPosition(1) + header.sectionSize(1) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert [r[1] for r in panel.rows()] == ["13 June 2023", "Mircea Geoană", "NATO"]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert [r[1] for r in panel.rows()] == ["NATO", "Mircea Geoană", "13 June 2023"]


def test_enter_selects_the_span_in_the_document_and_gives_the_text_the_keyboard(qtbot, window):
    english(qtbot, window)
    window.workspace.select_span(None)
    panel = show_list(qtbot, window)
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)  # from the first row (NATO) to Geoană
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    mark = window.workspace.highlighter.mark(window.workspace.selected)
    assert window.workspace.text[mark.start:mark.end] == "Mircea Geoană"
    assert window.inspector.isEnabled()
    qtbot.waitUntil(window.view.hasFocus)
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # the label key now relabels the span chosen in the list
    assert ("ORG", "Mircea Geoană", offsets(window, "Mircea Geoană")) in panel.rows()


def test_a_click_selects_the_span_and_keeps_the_keyboard_in_the_list(qtbot, window):
    english(qtbot, window)
    panel = show_list(qtbot, window)
    rect = panel.table.visualRect(panel.proxy.index(2, 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    mark = window.workspace.highlighter.mark(window.workspace.selected)
    assert window.workspace.text[mark.start:mark.end] == "13 June 2023"
    assert panel.table.hasFocus()


def test_new_label_relabel_delete_and_undo_update_the_list(qtbot, window):
    english(qtbot, window)
    panel = show_list(qtbot, window)
    label(qtbot, window, "KFOR", Qt.Key.Key_2)
    assert ("ORG", "KFOR", offsets(window, "KFOR")) in panel.rows()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)  # the new span is selected
    assert "KFOR" not in [r[1] for r in panel.rows()]
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert ("ORG", "KFOR", offsets(window, "KFOR")) in panel.rows()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # and the date
    assert [r[1] for r in panel.rows()] == ["NATO", "Mircea Geoană"]


def test_events_and_claims_are_listed_and_enter_makes_them_current(qtbot, window, monkeypatch):
    english(qtbot, window)
    monkeypatch.setattr("annotator.ui.widgets.choice_popup.ChoicePopup.ask", lambda *a, **k: "MEETING")
    label(qtbot, window, "met", Qt.Key.Key_E)
    panel = show_list(qtbot, window)
    assert ("Event MEETING", "met", offsets(window, "met")) in panel.rows()
    panel.label_box.setCurrentIndex(panel.label_box.findData("\x00event"))
    assert [r[0] for r in panel.rows()] == ["Event MEETING"]
    window.frames.select(None)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    frame = window.frames.current_frame()
    assert frame is not None and frame.type == "MEETING"


def test_other_documents_and_hidden_lists_do_not_reload_until_shown(qtbot, window):
    english(qtbot, window)
    panel = show_list(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F6)  # the events tab: the list is hidden
    qtbot.waitUntil(lambda: not panel.isVisible())
    label(qtbot, window, "KFOR", Qt.Key.Key_2)
    assert "KFOR" not in [r[1] for r in panel.rows()]  # not read while hidden
    show_list(qtbot, window)
    assert "KFOR" in [r[1] for r in panel.rows()]


def test_bengali_text_is_shown_as_it_is(qtbot, window):
    open_doc(window, qtbot, seed_uid(window, "000"))
    label(qtbot, window, "ন্যাটো", Qt.Key.Key_2)
    label(qtbot, window, "কেএফওআর", Qt.Key.Key_2)
    panel = show_list(qtbot, window)
    assert [r[1] for r in panel.rows()] == ["ন্যাটো", "কেএফওআর"]
    panel.text_box.setFocus()
    for ch in "কেএফ":  # as an input method types it (QTest.keyClicks aborts on non-ASCII)
        QTest.sendKeyEvent(QTest.KeyAction.Click, panel.text_box, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)
    assert [r[1] for r in panel.rows()] == ["কেএফওআর"]


def test_the_span_selected_in_the_text_is_the_current_row(qtbot, window):
    english(qtbot, window)
    panel = show_list(qtbot, window)
    window.view.setFocus()
    caret = window.workspace.omap.to_display(window.workspace.text.index("Mircea Geoană"))
    window.view.select(caret, caret)
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)  # the span under the caret
    assert panel.table.currentIndex().siblingAtColumn(1).data() == "Mircea Geoană"
