"""The windows the main window opens (side by side, adjudication, statistics, group
suggestions) and catching up with what they commit.

The side-by-side window lives as long as the main window and shares its undo history: an
edit made there is undone here and the other way round. Adjudication and statistics
windows have their own history, as closing them must not leave commands that point at
their widgets. What another window commits shows in the main window once it is active
again.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from annotator.store.parallel import group_members


class OtherWindows(QObject):
    def __init__(self, main) -> None:
        super().__init__(main)
        self.main = main
        self.parallel = None  # the side-by-side window, made on first use
        self.side_by_side_docs: set[int] = set()  # every document it has shown
        self.dashboard = None
        self.groups = None
        self.open_windows: list[QWidget] = []
        self._stale = False

    def open_side_by_side(self) -> None:
        from annotator.ui.parallel_view import ParallelWindow

        main = self.main
        if main.workspace.doc_id is None:
            return
        main.inspector.commit_pending()
        with main.project.read() as conn:
            self.side_by_side_docs.update(group_members(conn, main.workspace.doc_id))
        if self.parallel is None:
            self.parallel = ParallelWindow(main.project, main.annotator, main.undo_stack, main.workspace.doc_id, main)
            self.parallel.setWindowFlag(Qt.WindowType.Window, True)
        else:
            self.parallel.open_document(main.workspace.doc_id)
        self.parallel.show()
        self.parallel.raise_()
        self.parallel.activateWindow()

    def open_adjudication(self) -> QWidget | None:
        from annotator.ui.adjudication import AdjudicationWindow

        main = self.main
        if main.workspace.doc_id is None:
            return None
        return self._open(lambda stack: AdjudicationWindow(main.project, main.annotator, stack,
                                                           main.workspace.doc_id, main))

    def open_statistics(self) -> QWidget:
        """One dashboard, kept: its figures are computed on worker threads that must not
        outlive it, so closing only hides it (see close_all)."""
        from annotator.ui.dashboard import Dashboard  # pyqtgraph and numpy load on first use

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
        from annotator.ui.groups_dialog import GroupsDialog

        # Kept, not deleted: its grouping commands stay on the shared history and call
        # back into it when undone after it has closed.
        if self.groups is None:
            self.groups = GroupsDialog(self.main.project, self.main, self.main.undo_stack)
            self.groups.groupsChanged.connect(self.main.navigator.refresh_documents)
        else:
            self.groups.refresh()
        self.groups.exec()

    def set_annotator(self, name: str) -> None:
        if self.parallel is not None:
            self.parallel.set_annotator(name)

    def _open(self, make) -> QWidget:
        self.main.inspector.commit_pending()
        stack = QUndoStack()
        window = make(stack)
        stack.setParent(window)
        window.setWindowFlag(Qt.WindowType.Window, True)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        stack.indexChanged.connect(self.changed_elsewhere)
        window.show()
        window.activateWindow()
        self.open_windows.append(window)
        window.destroyed.connect(lambda: self.open_windows.remove(window) if window in self.open_windows else None)
        return window

    # -- catching up -------------------------------------------------------------------------
    def shared_stack_changed(self) -> None:
        """An edit, undo or redo on the history the side-by-side window shares: it may have
        changed this window's document from there, or the side-by-side's from here."""
        main = self.main
        # Only a document the side-by-side window has shown can have been changed there:
        # elsewhere every command on the history is this window's, already on screen.
        if main.workspace.doc_id not in self.side_by_side_docs:
            return
        if main.workspace.sync_from_store():
            main.frames.reload()
            main._update_counts()

    def changed_elsewhere(self, *_args) -> None:
        self._stale = True
        if self.main.isActiveWindow():
            self.catch_up()

    def catch_up(self) -> None:
        """Show what another window committed: the open document's layer and the list."""
        if not self._stale:
            return
        self._stale = False
        main = self.main
        caret = main.view.textCursor().position()
        scroll = main.view.verticalScrollBar().value()
        main.workspace.open_document(main.workspace.doc_id)
        main.frames.reload()
        cursor = main.view.textCursor()
        cursor.setPosition(min(caret, main.view.document().characterCount() - 1))
        main.view.setTextCursor(cursor)
        main.view.verticalScrollBar().setValue(scroll)
        main.navigator.refresh()
        main._update_counts()
