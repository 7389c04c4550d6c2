"""The windows the main window opens (side by side, adjudication, statistics, group
suggestions). They all edit through the main window's edit runner (ui.edits): one undo
history for the project, and every window refreshes from the changes it announces.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget


class OtherWindows(QObject):
    def __init__(self, main) -> None:
        super().__init__(main)
        self.main = main
        self.parallel = None  # the side-by-side window, made on first use
        self.dashboard = None
        self.groups = None
        self.open_windows: list[QWidget] = []

    def open_side_by_side(self) -> None:
        from annotator.ui.parallel.window import ParallelWindow

        main = self.main
        if main.workspace.doc_id is None:
            return
        main.inspector.commit_pending()
        if self.parallel is None:
            self.parallel = ParallelWindow(main.project, main.annotator, main.edits, main.workspace.doc_id, main)
            self.parallel.setWindowFlag(Qt.WindowType.Window, True)
        else:
            self.parallel.open_document(main.workspace.doc_id)
        self.parallel.show()
        self.parallel.raise_()
        self.parallel.activateWindow()

    def open_adjudication(self) -> QWidget | None:
        from annotator.ui.adjudication.window import AdjudicationWindow

        main = self.main
        if main.workspace.doc_id is None:
            return None
        return self._open(lambda edits: AdjudicationWindow(main.project, main.annotator, edits,
                                                           main.workspace.doc_id, main))

    def open_statistics(self) -> QWidget:
        """One dashboard, kept: its figures are computed on worker threads that must not
        outlive it, so closing only hides it (see close_all)."""
        from annotator.ui.dashboard.window import Dashboard  # pyqtgraph and numpy load on first use

        fresh = self.dashboard is None
        if fresh:
            self.dashboard = Dashboard(self.main.project, self.main)
            self.dashboard.setWindowFlag(Qt.WindowType.Window, True)
        self.dashboard.show()  # first: a closed dashboard computes nothing
        self.dashboard.raise_()
        self.dashboard.activateWindow()
        if not fresh:
            self.dashboard.refresh()
        return self.dashboard

    def close_all(self) -> None:
        """Before the project closes: no window may read it afterwards."""
        for window in list(self.open_windows):
            window.close()
        if self.parallel is not None:
            self.parallel.close()
        if self.dashboard is not None:
            self.dashboard.close()
            self.dashboard.wait()

    def open_group_suggestions(self) -> None:
        from annotator.ui.parallel.groups_dialog import GroupsDialog

        # Kept: it remembers the suggestions rejected this session.
        if self.groups is None:
            self.groups = GroupsDialog(self.main.project, self.main.edits, self.main)
        else:
            self.groups.refresh()
        self.groups.exec()

    def set_annotator(self, name: str) -> None:
        if self.parallel is not None:
            self.parallel.set_annotator(name)

    def _open(self, make) -> QWidget:
        self.main.inspector.commit_pending()
        window = make(self.main.edits)
        window.setWindowFlag(Qt.WindowType.Window, True)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()
        window.activateWindow()
        self.open_windows.append(window)
        window.destroyed.connect(lambda: self.open_windows.remove(window) if window in self.open_windows else None)
        return window
