"""Labelling as a user does it: real keys and clicks on the real window; the assertions
are about what the store holds afterwards."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.core.records import DocumentRecord, SpanRecord
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.ui.app.main_window import MainWindow
from tests.ui.helpers import open_doc, painted, painted_colours, shown

CTRL, SHIFT, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.AltModifier
TEXTS = {
    "emoji": "A😀B",
    "bengali": "ন্যাটো রাস্তার বাধা দূর করে। ক্ষমতা",
    "crlf": "First line\r\nMircea Geoană met NATO.\r\n",
    "english": "The EU Special Representative met NATO, and NATO met the EU.",
    "french": "Le 14\u00a0juin, l’OTAN a rencontré l’UE. L’OTAN",
    "numbers": "4,000 troops; 4.000 soldați; 4 000, 4\u00a0000 et 4\u202f000 soldats; ৪,০০০ সেনা",
}


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b"".join(gold_jsonl.dumps(DocumentRecord(id=k, lang="en", text=v)) for k, v in TEXTS.items()))
    with Project.create(tmp_path / "ws.annotator") as project:
        import_paths(project, [path])
        yield project


@pytest.fixture
def win(qtbot, project):
    return shown(qtbot, MainWindow(project, "ana"))


def stored(project, doc="emoji"):
    """(start, end, label, text) of ana's spans in `doc`, straight from the database file."""
    con = sqlite3.connect(project.path)
    try:
        return con.execute(
            'SELECT s.start, s."end", s.label, substr(d.text, s.start + 1, s."end" - s.start) FROM spans s '
            "JOIN documents d ON d.id = s.document_id JOIN annotators a ON a.id = s.annotator_id "
            "WHERE d.uid = ? AND a.name = 'ana' ORDER BY s.start, s.\"end\", s.label", (doc,)).fetchall()
    finally:
        con.close()


def accept_preview(qtbot, win):
    """Enter in the preview of "Label every occurrence", as the user accepts it."""
    qtbot.waitUntil(lambda: win.workspace.preview is not None and win.workspace.preview.isVisible())
    qtbot.keyClick(win.workspace.preview.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.workspace.preview is None)


def key(qtbot, win, k, mod=Qt.KeyboardModifier.NoModifier, times=1):
    for _ in range(times):
        qtbot.keyClick(win.view, k, mod)


def point_of(win, pos: int) -> QPoint:
    cursor = win.view.textCursor()
    cursor.setPosition(pos)
    return win.view.cursorRect(cursor).center() + QPoint(2, 0)


def test_select_b_after_an_emoji_by_keyboard_and_press_1(win, qtbot, project):
    key(qtbot, win, Qt.Key.Key_Home, CTRL)
    key(qtbot, win, Qt.Key.Key_Right, times=2)  # over "A" and over the emoji (two UTF-16 units)
    key(qtbot, win, Qt.Key.Key_Right, SHIFT)
    key(qtbot, win, Qt.Key.Key_1)
    assert stored(project) == [(2, 3, "PERSON", "B")]
    assert win.saved_label.text().startswith("✓ Saved")


def test_double_click_takes_the_whole_bengali_word(win, qtbot, project):
    open_doc(win, qtbot, "bengali")
    text = TEXTS["bengali"]
    start = text.index("রাস্তার")
    qtbot.mouseDClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(win, start + 3))
    key(qtbot, win, Qt.Key.Key_2)
    assert stored(project, "bengali") == [(start, start + len("রাস্তার"), "ORG", "রাস্তার")]


def test_ctrl_shift_right_selects_by_word_and_edges_are_trimmed(win, qtbot, project):
    open_doc(win, qtbot, "bengali")
    key(qtbot, win, Qt.Key.Key_Home, CTRL)
    key(qtbot, win, Qt.Key.Key_Right, CTRL | SHIFT)
    key(qtbot, win, Qt.Key.Key_2)
    assert stored(project, "bengali") == [(0, 6, "ORG", "ন্যাটো")]
    # A selection with the danda and the space around the last word keeps only the word.
    text = TEXTS["bengali"]
    win.view.select(text.index("।"), len(text))
    key(qtbot, win, Qt.Key.Key_3)
    assert stored(project, "bengali")[-1] == (text.index("ক্ষমতা"), len(text), "FIGURE", "ক্ষমতা")


def test_offsets_after_crlf_are_code_points(win, qtbot, project):
    open_doc(win, qtbot, "crlf")
    text = TEXTS["crlf"]
    start = text.index("Geoană")
    qtbot.mouseDClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(win, start - 1 + 2))
    key(qtbot, win, Qt.Key.Key_1)
    assert stored(project, "crlf") == [(start, start + 6, "PERSON", "Geoană")]


def test_click_relabel_delete_and_undo_redo_restore_exactly(win, qtbot, project):
    open_doc(win, qtbot, "english")
    text = TEXTS["english"]
    nato = text.index("NATO")
    win.view.select(nato, nato + 4)
    key(qtbot, win, Qt.Key.Key_1)
    after_add = stored(project, "english")
    uid = win.workspace.selected
    # Click the span (no text selected), then press 2: relabelled, not a second span.
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(win, nato + 1))
    assert win.workspace.selected == uid
    key(qtbot, win, Qt.Key.Key_2)
    after_relabel = stored(project, "english")
    assert after_relabel == [(nato, nato + 4, "ORG", "NATO")]
    key(qtbot, win, Qt.Key.Key_Delete)
    assert stored(project, "english") == []
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert stored(project, "english") == after_relabel
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert stored(project, "english") == after_add
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert stored(project, "english") == []
    key(qtbot, win, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(project, "english") == after_add
    key(qtbot, win, Qt.Key.Key_Y, CTRL)
    assert stored(project, "english") == after_relabel
    key(qtbot, win, Qt.Key.Key_Y, CTRL)
    assert stored(project, "english") == []
    # The restored span is the same span (same id), as the highlighter shows it.
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert [m.uid for m in win.workspace.spans()] == [uid]


def test_nested_spans_are_both_selectable_by_click_and_tab(win, qtbot, project):
    open_doc(win, qtbot, "english")
    text = TEXTS["english"]
    outer = (text.index("EU Special Representative"), text.index("EU Special Representative") + 25)
    win.view.select(*outer)
    key(qtbot, win, Qt.Key.Key_1)
    win.view.select(outer[0], outer[0] + 2)
    key(qtbot, win, Qt.Key.Key_2)
    assert stored(project, "english") == [(outer[0], outer[0] + 2, "ORG", "EU"),
                                          (outer[0], outer[1], "PERSON", "EU Special Representative")]
    person, org = (m.uid for m in sorted(win.workspace.spans(), key=lambda m: -m.end))
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(win, outer[0] + 1))
    first = win.workspace.selected
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(win, outer[0] + 1))
    assert {first, win.workspace.selected} == {person, org}  # a second click reaches the inner span
    key(qtbot, win, Qt.Key.Key_Tab)
    assert win.workspace.selected == first  # Tab cycles through the spans under the caret
    # The inspector shows the selected span's exact text and offsets.
    assert win.inspector.span().uid == first


def test_label_every_occurrence_in_the_document_and_corpus_is_one_undo_step(win, qtbot, project):
    open_doc(win, qtbot, "english")
    text = TEXTS["english"]
    win.view.select(text.index("NATO"), text.index("NATO") + 4)
    key(qtbot, win, Qt.Key.Key_2)
    key(qtbot, win, Qt.Key.Key_E, CTRL)
    accept_preview(qtbot, win)
    assert [s[0] for s in stored(project, "english")] == [text.index("NATO"), text.rindex("NATO")]
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert len(stored(project, "english")) == 1
    win.view.select(text.index("EU"), text.index("EU") + 2)
    key(qtbot, win, Qt.Key.Key_2)
    key(qtbot, win, Qt.Key.Key_E, CTRL | SHIFT)
    accept_preview(qtbot, win)
    assert [s[3] for s in stored(project, "english")] == ["EU", "NATO", "EU"]
    assert stored(project, "french") == []  # "l’UE" is not "EU"; nothing inside other words
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert [s[3] for s in stored(project, "english")] == ["EU", "NATO"]


def test_label_every_occurrence_in_the_corpus_shows_progress_and_is_one_undo_step(win, qtbot, project, monkeypatch):
    import annotator.ui.annotate.workspace as workspace

    monkeypatch.setattr(workspace, "OCCURRENCE_BATCH", 1)  # a batch per document: progress after each
    open_doc(win, qtbot, "english")
    text = TEXTS["english"]
    win.view.select(text.index("NATO"), text.index("NATO") + 4)
    key(qtbot, win, Qt.Key.Key_2)
    key(qtbot, win, Qt.Key.Key_E, CTRL | SHIFT)
    accept_preview(qtbot, win)
    # The search index names the two documents holding "NATO" (not the Bengali ন্যাটো):
    # read one at a time, each step reported.
    assert win.workspace.progress_seen == [(0, 2), (1, 2), (2, 2)]
    assert win.workspace.progress is None  # closed
    assert [s[3] for s in stored(project, "english")] == ["NATO", "NATO"]
    assert [s[3] for s in stored(project, "crlf")] == ["NATO"]
    key(qtbot, win, Qt.Key.Key_Z, CTRL)  # one step: both documents' new spans go
    assert [s[3] for s in stored(project, "english")] == ["NATO"] and stored(project, "crlf") == []


def layers_and_spans(project):
    """Every span and layer status as the file holds them (ids, uids and timestamps too)."""
    con = sqlite3.connect(project.path)
    try:
        return (con.execute("SELECT * FROM spans ORDER BY id").fetchall(),
                con.execute("SELECT * FROM document_status ORDER BY document_id, annotator_id").fetchall())
    finally:
        con.close()


def label_nato_in_the_corpus(win, qtbot):
    open_doc(win, qtbot, "english")
    text = TEXTS["english"]
    win.view.select(text.index("NATO"), text.index("NATO") + 4)
    key(qtbot, win, Qt.Key.Key_2)
    key(qtbot, win, Qt.Key.Key_E, CTRL | SHIFT)
    accept_preview(qtbot, win)


def test_label_every_occurrence_shows_progress_while_writing_and_undo_restores_exactly(win, qtbot, project,
                                                                                       monkeypatch):
    monkeypatch.setattr("annotator.store.spans.WRITE_CHUNK", 1)  # a report after each span written
    open_doc(win, qtbot, "english")
    text = TEXTS["english"]
    win.view.select(text.index("NATO"), text.index("NATO") + 4)
    key(qtbot, win, Qt.Key.Key_2)
    before = layers_and_spans(project)
    key(qtbot, win, Qt.Key.Key_E, CTRL | SHIFT)
    accept_preview(qtbot, win)
    # The other NATO of this document and the one in "crlf" (a layer started there): two spans.
    assert win.workspace.write_progress_seen == [(0, 2), (1, 2), (2, 2)]
    assert win.workspace.progress is None  # closed
    after = layers_and_spans(project)
    assert len(after[0]) == len(before[0]) + 2 and len(after[1]) == len(before[1]) + 1
    key(qtbot, win, Qt.Key.Key_Z, CTRL)  # one step undoes both documents' spans and the new layer
    assert layers_and_spans(project) == before
    win.edits.redo()
    assert layers_and_spans(project) == after  # the same rows again, to the timestamp


def test_cancel_while_writing_the_occurrences_writes_nothing(win, qtbot, project, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    import annotator.ui.annotate.workspace as workspace

    monkeypatch.setattr("annotator.store.spans.WRITE_CHUNK", 1)
    monkeypatch.setattr(workspace, "PROGRESS_AFTER_MS", 0)  # the dialog shows at once

    def press_cancel():  # the user presses Cancel on the writing progress once it shows
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QProgressDialog) and dialog.isVisible() and "Labelling" in dialog.labelText():
            qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
            timer.stop()

    timer = QTimer()
    timer.timeout.connect(press_cancel)
    timer.start(0)
    open_doc(win, qtbot, "english")
    text = TEXTS["english"]
    win.view.select(text.index("NATO"), text.index("NATO") + 4)
    key(qtbot, win, Qt.Key.Key_2)
    before, steps = layers_and_spans(project), win.edits.stack.count()
    key(qtbot, win, Qt.Key.Key_E, CTRL | SHIFT)
    accept_preview(qtbot, win)
    timer.stop()
    assert not timer.isActive() and win.workspace.write_progress_seen[0] == (0, 2)  # pressed while writing
    assert layers_and_spans(project) == before  # rolled back: no span, no layer started
    assert win.edits.stack.count() == steps  # and nothing on the undo history
    assert "Cancelled" in win.statusBar().currentMessage()


def test_mark_done_moves_on_and_is_undoable(win, qtbot, project):
    first = win.workspace.doc_id
    key(qtbot, win, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: win.workspace.doc_id != first)
    with project.read() as conn:
        assert next(d for d in list_documents(conn, "ana") if d.id == first).status == "done"
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    with project.read() as conn:
        assert next(d for d in list_documents(conn, "ana") if d.id == first).status == "todo"


def test_value_typed_in_the_inspector_is_stored_and_undoable(win, qtbot, project):
    open_doc(win, qtbot, "french")
    text = TEXTS["french"]
    win.view.select(text.index("14"), text.index(","))
    key(qtbot, win, Qt.Key.Key_4)
    assert stored(project, "french") == [(3, 10, "DATE", "14\u00a0juin")]
    qtbot.keyClicks(win.inspector.value_edit, "2023-06-14")
    qtbot.keyClick(win.inspector.value_edit, Qt.Key.Key_Return)
    con = sqlite3.connect(project.path)
    assert con.execute("SELECT value FROM spans").fetchall() == [("2023-06-14",)]
    win.edits.undo()
    assert con.execute("SELECT value FROM spans").fetchall() == [(None,)]
    con.close()


def test_a_failed_edit_is_reported_and_not_shown_as_saved(win, qtbot, project, monkeypatch):
    def refuse(*_a, **_k):
        from annotator.core.errors import AnnotatorError
        raise AnnotatorError("database is locked")

    monkeypatch.setattr("annotator.store.spans.add_spans", refuse)
    win.view.select(0, 1)
    key(qtbot, win, Qt.Key.Key_1)
    assert win.saved_label.text() == "✗ Not saved" and "locked" in win.saved_label.toolTip()
    assert win.workspace.spans() == [] and not win.edits.stack.canUndo()


def test_each_annotator_sees_and_edits_only_their_own_layer(win, qtbot, project, monkeypatch):
    key(qtbot, win, Qt.Key.Key_Home, CTRL)
    key(qtbot, win, Qt.Key.Key_Right, SHIFT)
    key(qtbot, win, Qt.Key.Key_2)  # ana labels "A"
    monkeypatch.setattr("annotator.ui.app.main_window.AnnotatorDialog.ask",
                        staticmethod(lambda parent, suggested, known: "bob"))
    key(qtbot, win, Qt.Key.Key_A, CTRL | SHIFT)
    assert win.annotator_label.text() == "Annotator: bob"
    assert win.workspace.spans() == []  # ana's layer is not shown
    key(qtbot, win, Qt.Key.Key_End, CTRL)
    key(qtbot, win, Qt.Key.Key_Left, SHIFT)
    key(qtbot, win, Qt.Key.Key_1)  # bob labels "B"
    assert not win.edits.stack.canRedo()
    con = sqlite3.connect(project.path)
    rows = con.execute("SELECT a.name, s.start, s.label FROM spans s JOIN annotators a ON a.id = s.annotator_id "
                       "ORDER BY a.name").fetchall()
    con.close()
    assert rows == [("ana", 0, "ORG"), ("bob", 2, "PERSON")]
    monkeypatch.setattr("annotator.ui.app.main_window.AnnotatorDialog.ask",
                        staticmethod(lambda parent, suggested, known: "ana"))
    key(qtbot, win, Qt.Key.Key_A, CTRL | SHIFT)
    assert [(m.start, m.label) for m in win.workspace.spans()] == [(0, "ORG")]


@pytest.mark.parametrize("text", ["\ufeffNATO met", "a\r\nb😀c\r\n\ufeffd", "\ufeff\r\nA😀B"])
def test_widget_positions_match_what_qt_shows(qtbot, text):
    """The offset map agrees with a real QTextDocument, character by character."""
    from PySide6.QtGui import QTextDocument

    from annotator.core.offsets import OffsetMap

    doc = QTextDocument()
    doc.setPlainText(text)
    shown = doc.toRawText()
    m = OffsetMap.for_text(text)
    assert m.display_length == len(shown.encode("utf-16-le")) // 2
    for cp, ch in enumerate(text):
        if ch in "\r\n" or (cp == 0 and ch == "\ufeff"):
            continue
        pos = m.to_display(cp)
        assert shown.encode("utf-16-le")[2 * pos:2 * pos + len(ch.encode("utf-16-le"))].decode("utf-16-le") == ch


def test_undone_mark_done_lets_the_next_label_mark_it_in_progress(win, qtbot, project):
    first = win.workspace.doc_id
    key(qtbot, win, Qt.Key.Key_Return, CTRL)
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    win.navigator.select_document(first)
    qtbot.waitUntil(lambda: win.workspace.doc_id == first)
    win.view.setFocus()
    win.view.select(0, 1)
    key(qtbot, win, Qt.Key.Key_1)
    with project.read() as conn:
        assert next(d for d in list_documents(conn, "ana") if d.id == first).status == "in_progress"


def test_zooming_out_highlights_every_block_that_comes_into_view(qtbot, tmp_path):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    paragraphs = [f"Paragraph {i}: NATO met the EU." for i in range(400)]
    text = "\n".join(paragraphs)
    path = tmp_path / "long.jsonl"
    spans = tuple(SpanRecord(f"s{i}", text.index(p) + len(f"Paragraph {i}: "), text.index(p) + len(f"Paragraph {i}: ") + 4,
                             "ORG", "NATO") for i, p in enumerate(paragraphs))
    path.write_bytes(gold_jsonl.dumps(DocumentRecord(id="long", lang="en", text=text, annotator="ana", spans=spans)))
    with Project.create(tmp_path / "z.annotator") as project:
        import_paths(project, [path])
        window = MainWindow(project, "ana")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        view = window.view
        before = len(nato_on_screen(view))
        for _ in range(8):  # Ctrl+wheel down: zoom out, many more lines fit
            event = QWheelEvent(QPointF(50, 50), QPointF(view.viewport().mapToGlobal(view.viewport().rect().center())),
                                QPoint(0, 0), QPoint(0, -120), Qt.MouseButton.NoButton, CTRL,
                                Qt.ScrollPhase.NoScrollPhase, False)
            QApplication.sendEvent(view.viewport(), event)
        positions = nato_on_screen(view)
        assert len(positions) > before  # zoomed out: more paragraphs on screen
        assert all(painted(view, positions))


def nato_on_screen(view) -> list[int]:
    """Where "NATO" is in each paragraph wholly on screen (widget positions)."""
    positions, block = [], view.firstVisibleBlock()
    while block.isValid():
        if view.blockBoundingGeometry(block).translated(view.contentOffset()).bottom() > view.viewport().height():
            break
        positions.append(block.position() + block.text().index("NATO") + 1)
        block = block.next()
    return positions


def test_opening_long_paragraphs_highlights_no_block_and_paints_what_comes_into_view(qtbot, tmp_path):
    # 40 paragraphs of about 5,000 characters with a span each: no block gets a format
    # (that would lay it out again); the view paints the spans of the lines it shows.
    words = " ".join(["word"] * 1_000)
    paragraphs = [f"NATO {i} {words}" for i in range(40)]
    text = "\n".join(paragraphs)
    starts = [text.index(p) for p in paragraphs]
    path = tmp_path / "long.jsonl"
    spans = tuple(SpanRecord(f"s{i}", s, s + 4, "ORG", "NATO") for i, s in enumerate(starts))
    path.write_bytes(gold_jsonl.dumps(DocumentRecord(id="long", lang="en", text=text, annotator="ana", spans=spans)))
    with Project.create(tmp_path / "p.annotator") as project:
        import_paths(project, [path])
        window = shown(qtbot, MainWindow(project, "ana"))
        view = window.view
        view.viewport().repaint()

        def formatted() -> list[int]:
            found, block = [], view.document().firstBlock()
            while block.isValid():
                if block.layout().formats():
                    found.append(block.blockNumber())
                block = block.next()
            return found

        assert formatted() == []
        assert painted(view, [starts[0] + 1]) == [True]
        last = view.document().lastBlock()
        view.select(last.position(), last.position())
        view.ensureCursorVisible()  # the last paragraph's start
        assert painted(view, [last.position() + 1, last.position() + 6]) == [True, False]
        assert formatted() == []


def test_relabel_and_its_undo_recolour_the_span_on_screen(win, qtbot, project):
    open_doc(win, qtbot, "english")
    nato = TEXTS["english"].index("NATO")
    win.view.select(nato, nato + 4)
    key(qtbot, win, Qt.Key.Key_1)
    schema = {lab.key: lab for lab in project.schema.labels}

    def shown_colour() -> str:
        return painted_colours(win.view, [nato + 1])[0].name()

    assert shown_colour() == schema["1"].colour.lower()
    key(qtbot, win, Qt.Key.Key_2)  # the new span is selected: relabelled
    assert [m.label for m in win.workspace.spans()] == [schema["2"].name]
    assert shown_colour() == schema["2"].colour.lower()
    assert win.inspector.label_combo.currentData() == schema["2"].name
    assert win.actions_by_name["undo"].text() == f"&Undo: relabel {schema['1'].name} «NATO» as {schema['2'].name} in en · english"
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert shown_colour() == schema["1"].colour.lower()
    assert win.inspector.label_combo.currentData() == schema["1"].name


def test_ctrl_enter_in_the_note_saves_it_and_stays_in_the_document(win, qtbot, project):
    doc = open_doc(win, qtbot, "english")
    text = TEXTS["english"]
    win.view.select(text.index("NATO"), text.index("NATO") + 4)
    key(qtbot, win, Qt.Key.Key_2)
    undo_steps = win.edits.stack.count()
    qtbot.mouseClick(win.inspector.note_edit.viewport(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(win.inspector.note_edit.hasFocus)
    qtbot.keyClicks(win.inspector.note_edit, "check the spelling")
    qtbot.keyClick(win.inspector.note_edit, Qt.Key.Key_Return, CTRL)
    assert win.workspace.doc_id == doc  # not marked done, not moved on
    with project.read() as conn:
        assert next(d for d in list_documents(conn, "ana") if d.id == doc).status != "done"
    con = sqlite3.connect(project.path)
    try:
        assert con.execute("SELECT note FROM spans").fetchall() == [("check the spelling",)]
        assert win.edits.stack.count() == undo_steps + 1  # one undoable edit
        win.edits.undo()
        assert con.execute("SELECT note FROM spans").fetchall() == [(None,)]
    finally:
        con.close()
    assert win.inspector.note_edit.hasFocus()


def test_double_click_takes_a_number_with_group_separators_whole(win, qtbot, project):
    open_doc(win, qtbot, "numbers")
    text = TEXTS["numbers"]
    numbers = ["4,000", "4.000", "4 000", "4\u00a0000", "4\u202f000", "৪,০০০"]
    for number in numbers:
        start = text.index(number)
        qtbot.mouseDClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(win, start + len(number) - 2))
        key(qtbot, win, Qt.Key.Key_3)
    assert sorted(span[3] for span in stored(project, "numbers")) == sorted(numbers)
    con = sqlite3.connect(project.path)
    try:  # every one worth 4000, also "4 000" in this English document; never 0 (the "000" alone)
        assert sorted(v for (v,) in con.execute("SELECT value FROM spans")) == ["4000"] * 6
    finally:
        con.close()
