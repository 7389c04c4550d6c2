"""Ctrl+C in the terminal closes the GUI cleanly: exit status 0 and the lock released."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from annotator.store.lock import lock_path
from annotator.store.project import Project


def start_and_interrupt(args: list[str], data: Path) -> subprocess.Popen:
    """Start the GUI, wait until it says Ctrl+C is handled (ANNOTATOR_READY_FILE: its
    handler is installed and an event loop runs), press Ctrl+C."""
    ready = data.parent / "ready"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ANNOTATOR_DATA_DIR=str(data), ANNOTATOR_READY_FILE=str(ready))
    gui = subprocess.Popen([sys.executable, "-m", "annotator", *args], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120  # hang guard only: the window normally opens in about a second
        while not ready.exists() and gui.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists() and gui.poll() is None, gui.stderr.read() if gui.poll() is not None else "not ready"
        gui.send_signal(signal.SIGINT)
        gui.wait(timeout=120)
    finally:
        if gui.poll() is None:
            gui.kill()
    return gui


def test_ctrl_c_closes_the_window_and_releases_the_lock(tmp_path):
    project = tmp_path / "p.annotator"
    Project.create(project).close()
    gui = start_and_interrupt(["gui", str(project), "--annotator", "ana"], tmp_path / "data")
    assert gui.returncode == 0
    assert "Traceback" not in gui.stderr.read()
    assert not lock_path(project).exists()


def test_ctrl_c_during_the_first_start_dialog_exits_cleanly(tmp_path):
    data = tmp_path / "data"
    project = data / "default.annotator"
    gui = start_and_interrupt([], data)  # ready while the "who is annotating?" dialog is up
    assert gui.returncode == 0
    assert "Traceback" not in gui.stderr.read()
    assert project.is_file() and not lock_path(project).exists()


def test_a_window_shown_after_ctrl_c_was_handled_is_closed_too(qtbot, qapp):
    """Python runs the handler between any two bytecodes: here in the middle of code that
    shows a window (as the first start's tour is shown on the event loop's first turn)."""
    from PySide6.QtWidgets import QWidget

    from annotator.ui.app.launch import close_all_on_signal

    window, tour = QWidget(), QWidget()
    qtbot.addWidget(window)
    qtbot.addWidget(tour)
    window.show()
    interrupted: list[int] = []
    close_all_on_signal(qapp, interrupted)(signal.SIGINT, None)
    tour.show()
    qtbot.waitUntil(lambda: not window.isVisible() and not tour.isVisible())
    assert interrupted == [signal.SIGINT]
