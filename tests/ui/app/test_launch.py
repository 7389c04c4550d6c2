from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.importer import seed
from annotator.paths import default_project_path
from annotator.store import lock
from annotator.store.project import Project
from annotator.ui.app.launch import launch
from annotator.ui.app.main_window import MainWindow


@pytest.fixture
def dialogs(monkeypatch):
    """Message boxes recorded instead of shown (a modal dialog would block); each must show
    its text literally (a file name is data, not markup)."""
    shown = []

    def record(box):
        assert box.textFormat() == Qt.TextFormat.PlainText
        shown.append(box.text())

    monkeypatch.setattr(QMessageBox, "exec", record)
    return shown


@pytest.mark.parametrize("default", [False, True])
def test_locked_project_exits_1_naming_project_and_pid(qapp, tmp_path, dialogs, capsys, default):
    path = default_project_path() if default else tmp_path / "busy.annotator"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        with Project.create(path) as project:
            seed(project)
    held = lock.acquire(path)
    try:
        assert launch(path, "tester", default=default) == 1
    finally:
        held.release()
    assert len(dialogs) == 1
    message = dialogs[0]
    assert str(path) in message and f"pid {os.getpid()}" in message
    err = capsys.readouterr().err
    assert str(path) in err and f"pid {os.getpid()}" in err


def test_missing_project_file_exits_1(qapp, tmp_path, dialogs):
    assert launch(tmp_path / "nope.annotator", None) == 1
    assert "no such project file" in dialogs[0]


def test_a_file_name_with_markup_is_shown_as_text(qapp, tmp_path, dialogs):
    # An <img> read as rich text made Qt read /dev/zero until it aborted (std::bad_alloc).
    path = tmp_path / '<img src="/dev/zero"><b>x</b>.annotator'
    assert launch(path, None) == 1
    assert str(path) in dialogs[0] and "no such project file" in dialogs[0]


def test_no_display_exits_1_before_qt_opens_anything(qapp, monkeypatch, dialogs, capsys, tmp_path):
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert launch(tmp_path / "x.annotator", None, default=True) == 1
    assert "QT_QPA_PLATFORM=offscreen" in capsys.readouterr().err
    assert dialogs == [] and not (tmp_path / "x.annotator").exists()


def test_default_project_is_created_from_the_seeds_and_shown(qapp, monkeypatch):
    path = Path(os.environ["ANNOTATOR_DATA_DIR"]) / "first-start" / "default.annotator"
    seen = {}

    def inspect_and_close():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows:
            seen["rows"] = windows[0].navigator.model.rowCount()
            seen["annotator"] = windows[0].annotator
            windows[0].close()  # the last window: the event loop ends by itself

    monkeypatch.setattr("annotator.ui.app.annotator_dialog.default_annotator", lambda: "login-name")
    asked = []
    # First start asks who is annotating, suggesting the login name; accepting it here.
    monkeypatch.setattr("annotator.ui.app.annotator_dialog.AnnotatorDialog.ask",
                        staticmethod(lambda parent, suggested, known: asked.append((suggested, known)) or suggested))
    # Exiting the loop by hand (quit/exit) leaves activation events pending that keep later
    # windows from becoming active; closing the only window ends it the normal way.
    assert qapp.quitOnLastWindowClosed()
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    QTimer.singleShot(0, inspect_and_close)
    assert launch(path, None, default=True) == 0
    assert seen == {"rows": 5, "annotator": "login-name"}
    assert asked == [("login-name", [])]
    # The second start remembers the annotator of this project and does not ask again.
    QTimer.singleShot(0, inspect_and_close)
    assert launch(path, None, default=True) == 0
    assert seen["annotator"] == "login-name" and len(asked) == 1
    assert path.is_file() and not lock.lock_path(path).exists()  # closed and unlocked
