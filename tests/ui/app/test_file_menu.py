"""The File menu through its real keys and buttons: new project, import (with progress,
cancel and summary), export (the same bytes as `annotator export`), open, open recent,
close, drag and drop, the window title, and the old project's lock released on a switch.

File choosers are answered through ui.app.file_dialogs (the seam the actions call)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from annotator import import_reading
from annotator.cli.commands import main as cli_main
from annotator.store import lock as locking
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.ui.app import file_dialogs
from annotator.ui.app.import_dialog import ImportDialog
from annotator.ui.app.main_window import MainWindow
from annotator.ui.app.new_project_dialog import NewProjectDialog
from annotator.ui.app.recent_dialog import RecentDialog
from annotator.ui.app.recent_projects import RecentProjects
from annotator.ui.app.start_window import StartWindow
from tests.ui.app.file_helpers import button, conll_file, when_modal
from tests.ui.helpers import process_gone, stored_texts

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    """A settings file of this test's own: the recent list starts empty."""
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "user-data"))


@pytest.fixture
def app_window(qtbot, project):
    """A shown main window of the seeded project. Not handed to qtbot: a switch of project
    deletes it; whatever window the session ends with is closed and its project released
    after the test."""
    window = MainWindow(project, "tester")
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield window
    session = window.session
    for other in (session.window, session.start_window):
        if other is not None and shiboken6.isValid(other):
            other.close()
    session.close()


def doc_count(project: Project) -> int:
    with project.read() as conn:
        return len(list_documents(conn))


def assert_released(path: Path) -> None:
    """Nobody holds the project's lock: this process can take it (flock is per open file)."""
    taken = locking.acquire(path)
    taken.release()


def new_project(qtbot, win, path: Path, seeds: bool, monkeypatch) -> MainWindow:
    monkeypatch.setattr(file_dialogs, "save_file", lambda *a, **k: path)

    def fill(dialog: NewProjectDialog) -> None:
        qtbot.mouseClick(button(dialog, "Browse…"), Qt.MouseButton.LeftButton)
        dialog.seeds.setChecked(seeds)
        qtbot.mouseClick(button(dialog, "Create"), Qt.MouseButton.LeftButton)

    when_modal(NewProjectDialog, fill)
    qtbot.keyClick(win, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: win.session.window is not win)
    return win.session.window


def run_import(qtbot, dialog: ImportDialog) -> None:
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.job.running, timeout=30000)


def test_title_names_the_project_and_its_folder(app_window, project):
    assert project.path.name in app_window.windowTitle()
    assert str(project.path.resolve().parent) in app_window.windowTitle()


def test_ctrl_n_makes_an_empty_project_and_an_import_by_the_dialog_shows_its_documents(
        qtbot, app_window, project, tmp_path, monkeypatch):
    old = project.path
    target = tmp_path / "fresh.annotator"
    win = new_project(qtbot, app_window, target, seeds=False, monkeypatch=monkeypatch)
    assert win.project.path == target and doc_count(win.project) == 0
    assert target.name in win.windowTitle()
    assert not app_window.isVisible()
    assert_released(old)  # the old project's lock went with it

    source = conll_file(tmp_path)
    monkeypatch.setattr(file_dialogs, "open_files", lambda *a, **k: [source])
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.keyClick(win, Qt.Key.Key_I, CTRL)
    dialog = win.files.import_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.mouseClick(button(dialog, "Add files…"), Qt.MouseButton.LeftButton)
    assert dialog.paths() == [source]
    dialog.layer.setText("wikiann")
    run_import(qtbot, dialog)
    summary = dialog.summary.toPlainText()
    assert "Added 2 document(s)" in summary and "LOC" in summary, summary
    assert win.navigator.model.rowCount() == 2  # in the navigator at once
    with win.project.read() as conn:
        from annotator.store.layers import layer_annotators
        assert layer_annotators(conn) == ["wikiann"]  # the layer name field named the layer
    # LOC was added to the schema: once the summary is closed the window shows it.
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.session.window is not win)
    assert "LOC" in win.session.window.palette.rows


def test_new_project_with_the_seeds(qtbot, app_window, tmp_path, monkeypatch):
    win = new_project(qtbot, app_window, tmp_path / "seeded.annotator", seeds=True, monkeypatch=monkeypatch)
    assert doc_count(win.project) == doc_count(app_window.project) > 0


def test_export_to_jsonl_equals_annotator_export(qtbot, app_window, project, tmp_path, monkeypatch):
    (tmp_path / "gui").mkdir()
    (tmp_path / "cli").mkdir()
    out = tmp_path / "gui" / "gold.jsonl"  # the same name: each line names the schema file written beside it
    monkeypatch.setattr(file_dialogs, "save_file", lambda *a, **k: out)
    qtbot.keyClick(app_window, Qt.Key.Key_X, CTRL | SHIFT)
    dialog = app_window.files.export_dialog
    assert dialog is not None and dialog.format.currentData() == "jsonl"
    qtbot.mouseClick(button(dialog, "Browse…"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30000)
    cli = tmp_path / "cli" / "gold.jsonl"
    assert cli_main(["export", str(project.path), "-o", str(cli)]) == 0
    assert out.read_bytes() == cli.read_bytes()
    assert (tmp_path / "gui" / "gold.jsonl.schema.json").read_bytes() == (tmp_path / "cli" / "gold.jsonl.schema.json").read_bytes()
    assert f"Exported {doc_count(project)}" in dialog.status.text() or "Exported" in dialog.status.text()


def test_export_of_chosen_documents_and_one_layer(qtbot, app_window, project, tmp_path):
    import json

    dialog = app_window.files.open_export()
    qtbot.mouseClick(button(dialog, "None"), Qt.MouseButton.LeftButton)
    dialog.documents.item(1).setCheckState(Qt.CheckState.Checked)
    wanted = dialog.documents.item(1).text().split()[0]
    dialog.target.setText(str(tmp_path / "one.jsonl"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30000)
    ids = {json.loads(line)["id"] for line in (tmp_path / "one.jsonl").read_text(encoding="utf-8").splitlines()}
    assert ids == {wanted}


def test_export_refuses_the_project_as_target(qtbot, app_window, project):
    before = project.path.read_bytes()
    dialog = app_window.files.open_export()
    dialog.target.setText(str(project.path))
    dialog.force.setChecked(True)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.job.running, timeout=30000)
    assert "Nothing exported" in dialog.status.text() and "project" in dialog.status.text()
    assert dialog.result is None
    assert project.path.read_bytes() == before


def test_cancelling_an_import_leaves_the_project_unchanged(qtbot, app_window, project, tmp_path, monkeypatch):
    first = conll_file(tmp_path, "a.conll")
    second = conll_file(tmp_path, "b.conll", "-DOCSTART- O\n\nAnother B-PERSON\nname O\n")
    before = stored_texts(project)
    entered, release = threading.Event(), threading.Event()
    real = import_reading._read_file  # what import_paths reads each (non-JSONL) file with, inside its transaction

    def held(*args, **kwargs):  # the first read waits until the test has pressed Cancel
        entered.set()
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(import_reading, "_read_file", held)
    dialog = app_window.files.open_import([first, second])
    run = dialog.import_button
    qtbot.mouseClick(run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(entered.is_set)
    assert dialog.cancel_button.isEnabled() and not dialog.import_button.isEnabled()
    assert app_window.view.isEnabled()  # the window is not blocked
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not dialog.job.running, timeout=30000)
    assert dialog.status.text().startswith("Cancelled: nothing imported")
    assert stored_texts(project) == before


def test_the_import_dialog_says_how_far_in_kilobytes_and_records(qtbot, app_window, tmp_path):
    """The streaming importer reports bytes read and records written (their total is known
    only at the end): the line says so, not "Reading reading and checking the files (1 of 0)"."""
    dialog = app_window.files.open_import([conll_file(tmp_path, "a.conll")])
    shown: list[tuple[int, int, str]] = []
    progress = dialog._progress

    def record(done: int, total: int, what: str) -> None:
        progress(done, total, what)
        shown.append((dialog.progress.value(), dialog.progress.maximum(), dialog.status.text()))

    dialog._progress = record  # connected when the import starts
    run_import(qtbot, dialog)
    assert shown and shown[-1] == (1, 1, "Read 1 of 1 kB; 2 record(s) written so far"), shown


def test_a_failed_import_says_why_and_writes_nothing(qtbot, app_window, project, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    before = stored_texts(project)
    dialog = app_window.files.open_import([bad])
    run_import(qtbot, dialog)
    assert dialog.status.text().startswith("Nothing imported:") and "bad.jsonl" in dialog.status.text()
    assert stored_texts(project) == before


def test_the_import_dialog_lists_every_readable_format_of_the_registry(app_window):
    from annotator.formats import registry

    dialog = app_window.files.open_import()
    listed = [dialog.format.itemData(i) for i in range(dialog.format.count())]
    assert listed == [None] + [f.name for f in registry.FORMATS if f.read is not None]


def _drop(qtbot, target, paths: list[Path]) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(target.rect().center())
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


def test_files_dropped_on_the_window_are_imported_through_the_dialog(qtbot, app_window, project, tmp_path):
    source = conll_file(tmp_path)
    n = doc_count(project)
    assert _drop(qtbot, app_window, [source])
    dialog = app_window.files.import_dialog
    assert dialog is not None and dialog.paths() == [source]
    run_import(qtbot, dialog)
    assert doc_count(project) == n + 2
    assert app_window.navigator.model.rowCount() == n + 2
    assert "Added 2 document(s)" in dialog.summary.toPlainText()


def test_a_dropped_project_is_opened_and_the_old_lock_released(qtbot, app_window, project, tmp_path):
    other = tmp_path / "other.annotator"
    Project.create(other).close()
    assert _drop(qtbot, app_window, [other])
    qtbot.waitUntil(lambda: app_window.session.window is not app_window)
    assert app_window.session.project.path == other
    assert_released(project.path)


def test_ctrl_o_opens_another_project_and_remembers_it(qtbot, app_window, project, tmp_path, monkeypatch):
    other = tmp_path / "other.annotator"
    Project.create(other).close()
    monkeypatch.setattr(file_dialogs, "open_file", lambda *a, **k: other)
    qtbot.keyClick(app_window, Qt.Key.Key_O, CTRL)
    qtbot.waitUntil(lambda: app_window.session.window is not app_window)
    win = app_window.session.window
    assert win.project.path == other and other.name in win.windowTitle()
    assert win.edits is not app_window.edits  # an undo history of its own
    assert_released(project.path)
    assert RecentProjects().paths()[:2] == [other.resolve(), project.path.resolve()]


def test_ctrl_o_on_a_file_that_is_no_project_keeps_the_current_one(qtbot, app_window, project, tmp_path,
                                                                   monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    text = tmp_path / "notes.txt"
    text.write_text("not a project", encoding="utf-8")
    monkeypatch.setattr(file_dialogs, "open_file", lambda *a, **k: text)
    seen: list[str] = []

    def read(box: QMessageBox) -> None:
        seen.append(box.text() + box.informativeText())
        box.accept()

    when_modal(QMessageBox, read)
    qtbot.keyClick(app_window, Qt.Key.Key_O, CTRL)
    assert seen and "notes.txt" in seen[0]
    assert app_window.session.window is app_window and app_window.session.project is project
    assert doc_count(project) > 0  # still open


def test_open_recent_marks_missing_projects_and_removes_them(qtbot, app_window, project, tmp_path):
    gone, kept = tmp_path / "gone.annotator", tmp_path / "kept.annotator"
    for path in (gone, kept):
        Project.create(path).close()
    recent = RecentProjects()
    recent.add(gone)
    recent.add(kept)
    gone.unlink()
    seen: dict[str, object] = {}

    def use(dialog: RecentDialog) -> None:  # what it shows is checked after it closed
        seen["texts"] = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        dialog.list.setCurrentRow(1)
        seen["open_missing"] = dialog.open_button.isEnabled()
        qtbot.mouseClick(dialog.remove_missing_button, Qt.MouseButton.LeftButton)
        seen["after"] = [Path(dialog.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(dialog.list.count())]
        dialog.list.setCurrentRow(0)
        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)

    when_modal(RecentDialog, use)
    qtbot.keyClick(app_window, Qt.Key.Key_O, CTRL | SHIFT)
    texts = seen["texts"]
    assert texts[0].startswith("kept.annotator") and texts[1].startswith("gone.annotator")
    assert texts[1].endswith("(missing)") and not texts[0].endswith("(missing)")
    assert seen["open_missing"] is False
    assert seen["after"] == [kept.resolve(), project.path.resolve()]
    qtbot.waitUntil(lambda: app_window.session.window is not app_window)
    assert app_window.session.project.path.resolve() == kept.resolve()
    assert gone.resolve() not in RecentProjects().paths()


def test_close_project_shows_the_start_window_and_releases_the_lock(qtbot, app_window, project, tmp_path,
                                                                    monkeypatch):
    qtbot.keyClick(app_window, Qt.Key.Key_W, CTRL | SHIFT)
    start = app_window.session.start_window
    assert isinstance(start, StartWindow) and start.isVisible()
    assert app_window.session.project is None
    assert_released(project.path)
    # From the start window, Ctrl+O opens a project again.
    monkeypatch.setattr(file_dialogs, "open_file", lambda *a, **k: project.path)
    qtbot.waitExposed(start)
    start.activateWindow()
    qtbot.waitUntil(start.isActiveWindow)
    qtbot.keyClick(start, Qt.Key.Key_O, CTRL)
    qtbot.waitUntil(lambda: app_window.session.window is not None)
    assert app_window.session.window.project.path == project.path
    assert app_window.session.start_window is None


def test_switching_closes_the_old_projects_other_windows(qtbot, app_window, project, tmp_path, monkeypatch):
    assert app_window.workspace.doc_id is not None  # the first document is open
    adjudication = app_window.others.open_adjudication()
    dashboard = app_window.others.open_statistics()
    # The dashboard's child process (agreement, groups) has started: it ends with the project.
    qtbot.waitUntil(lambda: dashboard.process is not None and dashboard.process.pid is not None, timeout=120_000)
    child = dashboard.process.pid
    other = tmp_path / "other.annotator"
    Project.create(other).close()
    monkeypatch.setattr(file_dialogs, "open_file", lambda *a, **k: other)
    app_window.activateWindow()
    qtbot.waitUntil(app_window.isActiveWindow)
    qtbot.keyClick(app_window, Qt.Key.Key_O, CTRL)
    qtbot.waitUntil(lambda: app_window.session.window is not app_window)
    assert not dashboard.isVisible()
    assert not adjudication.isVisible()
    assert dashboard.process is None and process_gone(child)
    assert_released(project.path)


def test_files_dropped_on_the_text_reach_the_import_dialog(qtbot, app_window, tmp_path):
    source = conll_file(tmp_path)
    assert _drop(qtbot, app_window.view.viewport(), [source])
    assert app_window.files.import_dialog is not None and app_window.files.import_dialog.paths() == [source]


def test_esc_cancels_an_export_and_nothing_is_written(qtbot, app_window, project, tmp_path, monkeypatch):
    from annotator.ui.app import export_dialog

    entered, release = threading.Event(), threading.Event()
    real = export_dialog.export

    def held(project, choice, cancelled, progress):  # the first progress report waits for the user
        def report(n):
            if not entered.is_set():
                entered.set()
                release.wait(30)
            progress(n)
        return real(project, choice, cancelled, report)

    monkeypatch.setattr(export_dialog, "export", held)
    out = tmp_path / "cancelled.jsonl"
    dialog = app_window.files.open_export()
    dialog.target.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(entered.is_set)
    assert not dialog.close_button.isEnabled() and not dialog.export_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc cancels the export, it does not close the dialog
    assert dialog.isVisible() and dialog.status.text() == "Cancelling…" and not dialog.cancel_button.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: not dialog.job.running, timeout=30000)
    assert dialog.status.text() == "Cancelled: nothing was written." and dialog.close_button.isEnabled()
    assert not out.exists() and dialog.result is None
