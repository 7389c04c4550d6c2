"""The edit runner (ui/edits.py): one history per project, undo that names its step and
shows its document first, a refused undo that leaves the history where it was, and
layer statuses restored by undo (issues 11 and 19)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from annotator.importer import seed
from annotator.store import engine
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.ui.app.main_window import MainWindow
from tests.ui.helpers import shown


def _doc(project, prefix: str):
    with project.read() as conn:
        return next(d for d in list_documents(conn) if d.uid.startswith(prefix))


def _status(project, doc_id: int, annotator: str) -> str:
    with project.read() as conn:
        return list_documents(conn, annotator, doc_ids=[doc_id])[0].status


def _label(win, doc_id: int, words: str, label: str) -> None:
    win.navigator.select_document(doc_id)
    win.open_document(doc_id)
    start = win.workspace.text.index(words)
    win.view.select(win.workspace.omap.to_display(start), win.workspace.omap.to_display(start + len(words)))
    win.workspace.label(label)


def test_undo_of_a_first_span_leaves_the_document_to_do(qtbot, project):
    win = shown(qtbot, MainWindow(project, "ana"))
    doc = _doc(project, "004")
    assert _status(project, doc.id, "ana") == "todo"
    _label(win, doc.id, "Miroslav Lajcak", "PERSON")
    assert _status(project, doc.id, "ana") == "in_progress"
    win.actions_by_name["undo"].trigger()
    assert _status(project, doc.id, "ana") == "todo" and win.workspace.spans() == []


def test_undo_names_the_step_and_its_document_and_shows_that_document_first(qtbot, project):
    win = shown(qtbot, MainWindow(project, "ana"))
    en, other = _doc(project, "004"), _doc(project, "002")
    _label(win, en.id, "Miroslav Lajcak", "PERSON")
    name = f"label PERSON «Miroslav Lajcak» in en · {en.uid}"
    assert win.actions_by_name["undo"].text() == f"&Undo: {name}"
    win.navigator.select_document(other.id)
    win.open_document(other.id)
    assert win.workspace.doc_id == other.id
    win.actions_by_name["undo"].trigger()
    # The undone document is on screen, and the change is seen happening there.
    assert win.workspace.doc_id == en.id and win.workspace.spans() == []
    assert win.statusBar().currentMessage() == f"Undo: {name}"
    assert win.actions_by_name["redo"].text() == f"&Redo: {name}"


def test_a_refused_undo_leaves_the_history_where_it_was(qtbot, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 100)  # the project answers "busy" at once
    with Project.create(tmp_path / "busy.annotator") as project:
        seed(project)
        win = shown(qtbot, MainWindow(project, "ana"))
        en = _doc(project, "004")
        _label(win, en.id, "Miroslav Lajcak", "PERSON")
        _label(win, en.id, "NATO", "ORG")
        failures = []
        win.edits.failed.connect(lambda message, _by: failures.append(message))
        other = sqlite3.connect(project.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            win.actions_by_name["undo"].trigger()
            assert failures and "Not undone" in failures[0]
            assert win.edits.stack.index() == 2 and len(win.workspace.spans()) == 2
        finally:
            other.execute("ROLLBACK")
            other.close()
        win.actions_by_name["undo"].trigger()  # the same step, once the project is free
        assert [m.label for m in win.workspace.spans()] == ["PERSON"] and win.edits.stack.index() == 1
        win.close()


def test_only_the_edit_runner_pushes_undo_commands():
    ui = Path(__file__).resolve().parents[2] / "annotator" / "ui"
    pattern = re.compile(r"QUndoCommand|QUndoStack|\.push\(")
    users = sorted(p.name for p in ui.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8")))
    assert users == ["edits.py"]


def test_a_window_never_takes_another_layer_for_its_own_after_an_undo(qtbot, project):
    # Undoing ana's first span removes her annotator row; the next annotator created (gold)
    # may take its id. Her window must not then show gold's spans as hers, nor delete them.
    from annotator.store.adjudication import accept_layer
    from annotator.store.spans import add_span

    doc = _doc(project, "004")
    add_span(project, doc.id, "bob", 0, 4, "ORG")
    win = shown(qtbot, MainWindow(project, "ana"))
    _label(win, doc.id, "Miroslav Lajcak", "PERSON")
    win.actions_by_name["undo"].trigger()
    assert win.workspace.spans() == []
    win.edits.run(lambda: accept_layer(project, doc.id, "bob"))  # gold starts as bob's layer
    assert win.workspace.spans() == []  # ana still has nothing here
    fresh = shown(qtbot, MainWindow(project, "ana"))
    fresh.open_document(doc.id)
    assert fresh.workspace.spans() == []


def test_an_ampersand_in_the_step_is_shown_as_itself_in_the_edit_menu(qtbot, project, tmp_path):
    from annotator.importer import import_paths

    (tmp_path / "att.txt").write_text("AT&T signed the deal with NATO on Monday.\n", encoding="utf-8")
    import_paths(project, [tmp_path / "att.txt"])
    win = shown(qtbot, MainWindow(project, "ana"))
    _label(win, _doc(project, "att").id, "AT&T", "ORG")
    text = win.actions_by_name["undo"].text()
    # "&&" is how a menu shows one "&"; a lone "&" would underline the next letter instead.
    assert text.startswith("&Undo: label ORG «AT&&T»")
