"""The open project of the app and its main window: new, open, open recent, close.

Opening another project switches the whole app: the new project is opened first (a
refusal leaves the current one as it was), its main window is shown, then the old main
window closes (and with it the side-by-side, adjudication and statistics windows and the
old undo history) and the old project is closed, its lock released. With no project open,
a start window offers New, Open and the recent projects.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QWidget

from annotator.core.errors import AnnotatorError
from annotator.store.project import Project
from annotator.ui.app import file_dialogs
from annotator.ui.app.annotator_dialog import choose_annotator
from annotator.ui.app.new_project_dialog import NewProjectDialog
from annotator.ui.app.recent_dialog import RecentDialog
from annotator.ui.app.recent_projects import RecentProjects
from annotator.ui.app.settings import ProjectSettings
from annotator.ui.widgets.plain import error

WindowFactory = Callable[[Project, str, "Session"], QMainWindow]


def project_title(path) -> str:
    """The window title: the project's name, then its folder (a server project: its
    database, then the server, the password never shown)."""
    if not isinstance(path, Path):
        return f"{path.name} — {path} — Annotator"
    return f"{path.name} — {path.resolve().parent} — Annotator"


class Session(QObject):
    def __init__(self, make_window: WindowFactory) -> None:
        super().__init__()
        self._make_window = make_window
        self.project: Project | None = None
        self.window: QMainWindow | None = None
        self.start_window: QMainWindow | None = None
        self._annotator: str | None = None  # who annotates in the current window

    # -- switching -------------------------------------------------------------------------
    def show_project(self, project: Project, annotator: str | None = None) -> QMainWindow:
        old_window, old_project = self.window, self.project
        try:
            window = self._make_window(project, annotator or self._annotator_for(project), self)
        except BaseException:
            if project is not old_project:
                project.close()
            raise
        self.project, self.window = project, window
        self._annotator = getattr(window, "annotator", None)
        RecentProjects().add(project.path)
        window.show()
        window.raise_()
        window.activateWindow()
        from annotator.ui.app.integrity_watch import watch_integrity

        watch_integrity(project, window)  # a project opened with its damage check still running
        if old_window is not None:
            old_window.close()  # its other windows and pending edits first, while its project is open
            old_window.deleteLater()
        if old_project is not None and old_project is not project:
            old_project.close()
        if self.start_window is not None:
            self.start_window.close()
            self.start_window.deleteLater()
            self.start_window = None
        return window

    def _annotator_for(self, project: Project) -> str:
        """The name last used in this project; else whoever is annotating now goes on
        under their name; with nobody yet (the start window), ask."""
        settings = ProjectSettings(project.path)
        if remembered := settings.get("annotator"):
            return str(remembered)
        if current := getattr(self.window, "annotator", None) or self._annotator:
            settings.set("annotator", current)
            return current
        return choose_annotator(project)

    def adopt(self, project: Project, window: QMainWindow) -> None:
        """A main window made without a session (tests, embedding): this session is its."""
        self.project, self.window = project, window
        self._annotator = getattr(window, "annotator", None)
        RecentProjects().add(project.path)

    def open_path(self, path: Path, parent: QWidget | None) -> bool:
        path = Path(path)
        if self.project is not None and _same_file(path, self.project.path):
            self.window.raise_()
            self.window.activateWindow()
            return True
        try:
            project = Project.open(path, check_later=True)  # the window first; writes wait for the check
        except AnnotatorError as exc:
            error(parent, "Cannot open the project", str(exc))
            return False
        except OSError as exc:
            error(parent, "Cannot open the project", f"{exc.filename or path}: {exc.strerror or exc}")
            return False
        self.show_project(project)
        return True

    def close_project(self) -> None:
        """Back to the start window; the project is closed and its lock released."""
        from annotator.ui.app.start_window import StartWindow

        window, project = self.window, self.project
        self._annotator = getattr(window, "annotator", None) or self._annotator
        self.start_window = StartWindow(self)
        self.start_window.show()
        self.window = self.project = None
        if window is not None:
            window.close()
            window.deleteLater()
        if project is not None:
            project.close()

    def close(self) -> None:
        """At the end of the app: the project closed, its lock released."""
        if self.project is not None:
            self.project.close()
            self.project = None

    # -- the File menu's actions that need no project ---------------------------------------
    def new_project(self, parent: QWidget | None) -> bool:
        answer = NewProjectDialog.ask(parent)
        if answer is None:
            return False
        path, with_seeds = answer
        from annotator.importer import create_project

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            project = create_project(path, with_seeds=with_seeds)
        except AnnotatorError as exc:
            error(parent, "Cannot create the project", str(exc))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.show_project(project)
        return True

    def open_dialog(self, parent: QWidget | None) -> bool:
        path = file_dialogs.open_file(parent, "Open project")
        return path is not None and self.open_path(path, parent)

    def open_recent(self, parent: QWidget | None) -> bool:
        path = RecentDialog.ask(parent)
        return path is not None and self.open_path(path, parent)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
