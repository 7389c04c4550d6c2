"""Starting the GUI: check the display, open the project, show the main window.

Called by `annotator.cli` (`annotator` with no arguments, `annotator gui`). Returns the
process exit status: 0 after a normal close, 1 when the window cannot open or the project
cannot be opened (with the reason on stderr and, when a window can exist, in a dialog).
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import time
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.store.location import project_location
from annotator.ui.app.qt_platform import load_library, platform_problem

APP_NAME = "Annotator"


def launch(project: Path, annotator: str | None, default: bool = False) -> int:
    problem = platform_problem(os.environ, load_library)
    if problem:
        print(problem, file=sys.stderr)
        return 1

    start_gc = StartupGc()
    try:
        return _launch(project, annotator, default, start_gc)
    finally:
        start_gc.resume()


def _launch(project: Path, annotator: str | None, default: bool, start_gc: StartupGc) -> int:
    import_before_qt()
    # Qt is imported only now: a failed check above must not load it.
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    # argv[0] "annotator" names the X11 WM_CLASS instance (not "__main__.py").
    app = QApplication.instance() or QApplication(["annotator"])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("annotator")

    try:
        opened = open_project(project_location(project), default)
    except AnnotatorError as exc:
        show_error(str(exc))
        return 1
    except OSError as exc:  # a file the store did not foresee: still one message naming it
        show_error(f"{exc.filename or project}: cannot open the project ({exc.strerror or exc})")
        return 1

    from annotator.ui.app.annotator_dialog import choose_annotator
    from annotator.ui.app.main_window import MainWindow
    from annotator.ui.app.session import Session

    # Ctrl+C in the terminal (and a polite kill) closes every window normally, the first
    # start's dialog included, and the project is closed with its lock released. Python
    # runs signal handlers only between bytecodes, so a timer keeps waking it.
    interrupted: list[int] = []
    session = None
    stop = close_all_on_signal(app, interrupted)
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    try:
        for sig in previous:
            signal.signal(sig, stop)
        wake.start(200)
        if ready := os.environ.get("ANNOTATOR_READY_FILE"):  # tests: Ctrl+C is handled once an event loop runs
            QTimer.singleShot(0, lambda: Path(ready).touch())  # the first start's dialog's, else the window's
        name = login_annotator(opened, annotator) or annotator
        if not name:
            start_gc.resume()  # a dialog waits for the user: garbage is collected meanwhile
            name = choose_annotator(opened)
        if interrupted:
            return 0
        from annotator.ui.app import tour
        from annotator.ui.widgets.theme import apply_theme, saved_theme

        apply_theme(saved_theme(), remember=False)
        # The session holds the open project from here on: File > Open may switch it.
        session = Session(lambda project, who, s: MainWindow(project, who, session=s))
        window = session.show_project(opened, name)
        QTimer.singleShot(0, start_gc.resume)
        if os.environ.get("ANNOTATOR_EXIT_WHEN_SHOWN"):  # startup benchmarks and smoke tests
            QTimer.singleShot(0, lambda: (print(f"shown {time.time():.6f}", flush=True), window.close()))
        elif smoke := os.environ.get("ANNOTATOR_SMOKE_ACTIONS"):  # the bundle test: every window opens
            QTimer.singleShot(0, lambda: _trigger(window, smoke.split(",")))
        elif not tour.seen():  # the first start: the window first, then the tour over it
            QTimer.singleShot(0, lambda: tour.show_tour(window))
        return int(app.exec())
    finally:
        wake.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if session is not None:
            session.close()
        opened.close()


def close_all_on_signal(app, interrupted: list[int]):
    """A signal handler that closes every window on the event loop's next turn. Python
    runs it between any two bytecodes, possibly in code about to show a window (the first
    start's tour): windows closed at once left that one open, and the app running on with
    it (the Ctrl+C test hung about one run in ten under load)."""
    from PySide6.QtCore import QTimer

    def stop(signum, _frame) -> None:
        interrupted.append(signum)
        QTimer.singleShot(0, app.closeAllWindows)

    return stop


class StartupGc:
    """No cyclic garbage collection from the start of the launch until the window is
    shown: importing SQLAlchemy, the models and PySide6 makes several hundred thousand
    objects and nothing to collect, yet set off about 200 collections, a full one among
    them (about 80 ms of CPU of a 1 s launch). Then the objects made so far are frozen
    (gc.freeze: later full collections do not walk them again; the few cycles the start
    left as garbage stay, the price of that) and collection resumes. Shares the pause of
    worker_threads, so a worker's own pause meanwhile is kept."""

    def __init__(self) -> None:
        import contextlib

        from annotator.ui.widgets.worker_threads import cyclic_gc_paused

        self._paused: contextlib.ExitStack | None = contextlib.ExitStack()
        self._paused.enter_context(cyclic_gc_paused())

    def resume(self) -> None:
        if self._paused is None:
            return
        import gc

        gc.freeze()
        self._paused, paused = None, self._paused
        paused.close()


# The store and core modules the main window uses (SQLAlchemy and its ORM, the regex
# tables): PySide6 reads the source of every module imported after it once (its
# `__feature__` check, inspect.getsource), 300 modules at start-up that do not use Qt.
# Imported before Qt, only the few that a Qt module names again are read.
BEFORE_QT = ("sqlalchemy.dialects.sqlite", "annotator.store.project", "annotator.store.queries", "annotator.store.spans", "annotator.store.events",
             "annotator.store.relations", "annotator.store.entities", "annotator.store.suggestions",
             "annotator.store.layers", "annotator.store.guidelines", "annotator.core.normalise",
             "annotator.core.claim_cues", "annotator.core.find", "annotator.suggest.combine",
             "annotator.suggest.worker_process", "annotator.store.attributes", "annotator.store.fragments",
             "annotator.store.search", "annotator.store.versions", "annotator.store.kb_table",
             "annotator.store.assignment", "annotator.core.occurrences", "annotator.core.offsets",
             "annotator.core.textdecode", "html")


def import_before_qt() -> None:
    for name in BEFORE_QT:
        importlib.import_module(name)


def _trigger(window, names: list[str]) -> None:
    for name in names:
        window.actions_by_name[name].trigger()
        print(f"triggered {name}", flush=True)
    window.close()


def login_annotator(project, asked: str | None) -> str | None:
    """On a server the annotator is the login (its layer is what the server lets it write);
    None for a file. Asking for another name there is an error, not a silent switch."""
    name = project.login_name()
    if name is not None and asked is not None and asked != name:
        raise AnnotatorError(f"{project.path}: on a server you annotate as your login, {name}; "
                             f"log in as {asked} to annotate as {asked}")
    return name


def open_project(path, default: bool):
    if default:
        from annotator.importer import open_default_project

        return open_default_project(path, check_later=True)
    from annotator.store.project import Project

    # The damage check (seconds on a large project) runs while the window opens; writes
    # wait for it and a damaged project is said at once (ui/app/integrity_watch.py).
    return Project.open(path, check_later=True)


def show_error(message: str) -> None:
    """The message on stderr and in a modal dialog (a QApplication exists by now)."""
    print(f"annotator: {message}", file=sys.stderr)
    from annotator.ui.widgets.plain import error

    error(None, f"{APP_NAME}: cannot open the project", message)
