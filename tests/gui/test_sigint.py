"""Ctrl+C in the terminal closes the GUI cleanly: exit status 0 and the lock released."""

import os
import signal
import subprocess
import sys
import time

from annotator.store.lock import lock_path
from annotator.store.project import Project


def test_ctrl_c_closes_the_window_and_releases_the_lock(tmp_path):
    project = tmp_path / "p.annotator"
    Project.create(project).close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ANNOTATOR_DATA_DIR=str(tmp_path / "data"))
    gui = subprocess.Popen([sys.executable, "-m", "annotator", "gui", str(project), "--annotator", "ana"], env=env,
                           stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60  # hang guard only: the window normally opens in about a second
        while not lock_path(project).exists() and gui.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gui.poll() is None, gui.stderr.read()
        time.sleep(0.5)  # let the event loop start
        gui.send_signal(signal.SIGINT)
        assert gui.wait(timeout=60) == 0
    finally:
        if gui.poll() is None:
            gui.kill()
    assert "Traceback" not in gui.stderr.read()
    assert not lock_path(project).exists()


def test_ctrl_c_during_the_first_start_dialog_exits_cleanly(tmp_path):
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ANNOTATOR_DATA_DIR=str(data))
    project = data / "default.annotator"
    gui = subprocess.Popen([sys.executable, "-m", "annotator"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60  # hang guard only
        while not lock_path(project).exists() and gui.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # the "who is annotating?" dialog is up now
        assert gui.poll() is None, gui.stderr.read()
        gui.send_signal(signal.SIGINT)
        assert gui.wait(timeout=60) == 0
    finally:
        if gui.poll() is None:
            gui.kill()
    assert "Traceback" not in gui.stderr.read()
    assert project.is_file() and not lock_path(project).exists()
