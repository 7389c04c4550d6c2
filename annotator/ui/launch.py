"""Starting the GUI: check the display, open the project, show the main window.

Called by `annotator.cli` (`annotator` with no arguments, `annotator gui`). Returns the
process exit status: 0 after a normal close, 1 when the window cannot open or the project
cannot be opened (with the reason on stderr and, when a window can exist, in a dialog).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.identity import default_annotator
from annotator.ui.qt_platform import load_library, platform_problem

APP_NAME = "Annotator"


def launch(project: Path, annotator: str | None, default: bool = False) -> int:
    problem = platform_problem(os.environ, load_library)
    if problem:
        print(problem, file=sys.stderr)
        return 1

    # Qt is imported only now: a failed check above must not load it.
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    # argv[0] "annotator" names the X11 WM_CLASS instance (not "__main__.py").
    app = QApplication.instance() or QApplication(["annotator"])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("annotator")

    try:
        opened = open_project(Path(project), default)
    except AnnotatorError as exc:
        show_error(str(exc))
        return 1

    from annotator.ui.main_window import MainWindow

    previous_sigint = signal.getsignal(signal.SIGINT)
    try:
        window = MainWindow(opened, annotator or default_annotator())
        window.show()
        window.raise_()
        window.activateWindow()
        # Ctrl+C in the terminal closes the window normally (lock released). Python runs
        # signal handlers only between bytecodes, so a timer wakes the interpreter.
        signal.signal(signal.SIGINT, lambda *_: app.closeAllWindows())
        wake = QTimer(window)
        wake.timeout.connect(lambda: None)
        wake.start(200)
        return int(app.exec())
    finally:
        signal.signal(signal.SIGINT, previous_sigint)
        opened.close()


def open_project(path: Path, default: bool):
    if default:
        from annotator.importer import open_default_project

        return open_default_project(path)
    from annotator.store.project import Project

    return Project.open(path)


def show_error(message: str) -> None:
    """The message on stderr and in a modal dialog (a QApplication exists by now)."""
    print(f"annotator: {message}", file=sys.stderr)
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(None, f"{APP_NAME}: cannot open the project", message)
