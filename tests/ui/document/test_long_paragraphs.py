"""A very long paragraph: shown in pieces broken at spaces (every position unchanged), or,
when it has no place to break, not shown, with the document, its size, the limit and what
to do. Sized just above the limit, so the test stays fast."""

from __future__ import annotations

import pytest

from annotator.core.records import DocumentRecord
from annotator.store.queries import layer_spans, list_documents
from annotator.store.records_in import Incoming, write_records
from annotator.ui.app.main_window import MainWindow
from annotator.ui.document.long_paragraphs import LONGEST_WHOLE, PIECE, for_display
from tests.ui.helpers import shown, shown_text

WORDS = "Ana met Bob in Pristina on Monday and they talked about the road".split()


def one_line(n: int) -> str:
    words, size = [], 0
    while size < n:
        w = WORDS[len(words) % len(WORDS)]
        words.append(w)
        size += len(w) + 1
    return " ".join(words)


def test_a_long_paragraph_is_broken_at_spaces_only():
    text = "Title\n" + one_line(3 * LONGEST_WHOLE) + "\nlast line"
    display = for_display(text)
    assert len(display.text) == len(text)
    changed = [i for i, (a, b) in enumerate(zip(text, display.text)) if a != b]
    assert changed and all(text[i] == " " and display.text[i] == "\n" for i in changed)
    assert max(len(line) for line in display.text.split("\n")) <= PIECE
    assert display.broken == 1 and display.longest == len(text.split("\n")[1])
    assert for_display("short\ntext").text == "short\ntext"


def test_a_run_without_a_space_is_refused_with_where_and_why():
    text = "Intro words here.\n" + "a b " * 10 + "x" * (LONGEST_WHOLE + 5)
    display = for_display(text)
    assert display.text is None
    start = text.index("x")  # the run of x after the last space
    assert display.unbreakable == (start, len(text) - start)
    note = display.note("doc-7")
    assert "“doc-7”" in note and f"{len(text) - start:,}" in note and f"{LONGEST_WHOLE:,}" in note
    assert "Split the text" in note


@pytest.fixture
def long_project(project):
    with project.write() as conn:
        write_records(conn, [Incoming(DocumentRecord("long-line", "en", one_line(LONGEST_WHOLE + 50_000)), "t"),
                             Incoming(DocumentRecord("no-spaces", "en", "x" * (LONGEST_WHOLE + 10)), "t")])
    return project


def open_uid(win, qtbot, uid: str) -> int:
    with win.project.read() as conn:
        doc_id = next(d.id for d in list_documents(conn) if d.uid == uid)
    win.navigator.select_document(doc_id)
    qtbot.waitUntil(lambda: win.workspace.doc_id == doc_id)
    return doc_id


def test_a_long_line_opens_in_pieces_and_labels_the_right_text(qtbot, long_project):
    win = shown(qtbot, MainWindow(long_project, "ana"), activate=True)
    doc_id = open_uid(win, qtbot, "long-line")
    view = win.view
    assert view.blockCount() > (LONGEST_WHOLE + 50_000) // PIECE  # laid out in pieces, not one block
    assert shown_text(win).replace("\n", " ") == win.workspace.text  # same characters, same positions
    assert "“long-line” has a paragraph of" in win.statusBar().currentMessage()

    # A word near the end, selected and labelled: the span is that word in the stored text.
    text = win.workspace.text
    start = text.rindex("Pristina")
    view.select(start, start + len("Pristina"))
    view.setFocus()
    qtbot.keyClick(view, "1")
    with long_project.read() as conn:
        spans = layer_spans(conn, doc_id, "ana")
    assert [(s[0], s[1], s[2]) for s in spans] == [(start, start + len("Pristina"), "PERSON")]


def test_a_line_without_spaces_is_not_shown_and_says_why(qtbot, long_project):
    win = shown(qtbot, MainWindow(long_project, "ana"), activate=True)
    open_uid(win, qtbot, "no-spaces")
    placeholder = win.view.placeholderText()
    assert win.view.toPlainText() == ""
    assert "“no-spaces” is not shown" in placeholder and f"{LONGEST_WHOLE:,}" in placeholder
    assert f"{LONGEST_WHOLE + 10:,} characters without a space" in placeholder
    assert win.statusBar().currentMessage() == placeholder
    qtbot.keyClick(win.view, "1")  # keys on the empty view change nothing and break nothing
    # The next document is shown as usual.
    open_uid(win, qtbot, "long-line")
    assert win.view.placeholderText() == "" and win.view.toPlainText()


@pytest.mark.parametrize("size", ["long paragraph", "long text"])
def test_no_claim_suggestions_in_a_text_too_long_to_scan_and_q_says_so(qtbot, project, size):
    from annotator.ui.annotate.frames import MAX_SUGGESTED_TEXT

    # Reporting verbs in a text without sentence ends: each cue's clause ran to the end of
    # the paragraph, so the scan took minutes on a long line.
    if size == "long paragraph":
        text = one_line(LONGEST_WHOLE + 1000).replace("talked", "said that the road is closed")
    else:  # lines of a usual length, many of them
        text = "\n".join(["Ana said that the road is closed. " * 30] * (MAX_SUGGESTED_TEXT // 1000 + 1))
    with project.write() as conn:
        write_records(conn, [Incoming(DocumentRecord("huge", "en", text), "t")])
    win = shown(qtbot, MainWindow(project, "ana"), activate=True)
    open_uid(win, qtbot, "huge")
    assert win.frames.suggestions == []
    win.view.setFocus()
    qtbot.keyClick(win.view, "q")
    assert win.statusBar().currentMessage().startswith(f"No claim suggestions in documents over {MAX_SUGGESTED_TEXT:,}")
