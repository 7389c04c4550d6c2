"""Ctrl+C in the terminal closes the GUI cleanly: exit status 0 and the lock released."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from annotator.store.lock import lock_path
from annotator.store.project import Project


def start_and_interrupt(args: list[str], data: Path, project: Path, settle: float) -> subprocess.Popen:
    """Start the GUI, wait until it holds the project, let it settle, press Ctrl+C."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ANNOTATOR_DATA_DIR=str(data))
    gui = subprocess.Popen([sys.executable, "-m", "annotator", *args], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60  # hang guard only: the window normally opens in about a second
        while not lock_path(project).exists() and gui.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(settle)
        assert gui.poll() is None, gui.stderr.read()
        gui.send_signal(signal.SIGINT)
        gui.wait(timeout=60)
    finally:
        if gui.poll() is None:
            gui.kill()
    return gui


def test_ctrl_c_closes_the_window_and_releases_the_lock(tmp_path):
    project = tmp_path / "p.annotator"
    Project.create(project).close()
    gui = start_and_interrupt(["gui", str(project), "--annotator", "ana"], tmp_path / "data", project, 0.5)
    assert gui.returncode == 0
    assert "Traceback" not in gui.stderr.read()
    assert not lock_path(project).exists()


def test_ctrl_c_during_the_first_start_dialog_exits_cleanly(tmp_path):
    data = tmp_path / "data"
    project = data / "default.annotator"
    gui = start_and_interrupt([], data, project, 1.0)  # the "who is annotating?" dialog is up
    assert gui.returncode == 0
    assert "Traceback" not in gui.stderr.read()
    assert project.is_file() and not lock_path(project).exists()
