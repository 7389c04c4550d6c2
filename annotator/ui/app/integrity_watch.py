"""The damage check of a project opened with `check_later` (store/recognise.py
BackgroundCheck) runs while the window is already up; this says its outcome once known.

A damaged project is still refused: every write waits for the check and fails with its
message, and this shows the message as soon as the check finds it, without waiting for
the user to try an edit."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow

from annotator.store.project import Project
from annotator.ui.widgets.plain import error

POLL_MS = 100  # a check runs for seconds at most; it sets no Qt signal (a plain thread)


def watch_integrity(project: Project, window: QMainWindow) -> None:
    """Start the check once the window has been shown (its reading, a second of CPU on
    100,000 documents, is not on the way to the window) and say what it finds."""
    check = project.integrity
    if check is None or check.done and check.problem is None:
        return
    QTimer.singleShot(0, check.start)  # the next turn of the event loop: the window is up
    timer = QTimer(window)
    timer.setInterval(POLL_MS)

    def poll() -> None:
        if not check.done:
            return
        timer.stop()  # freed with the window
        if check.problem is not None:
            window.statusBar().showMessage("The project is damaged: nothing can be saved to it")
            error(window, "The project is damaged",
                  f"{check.problem}\n\nNothing will be saved to this project; close it and follow the steps above.")

    timer.timeout.connect(poll)
    timer.start()
