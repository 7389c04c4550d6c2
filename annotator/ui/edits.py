"""The one edit runner of a project: every window edits, undoes and redoes through it.

`run` calls a store operation (a function returning a store Change). A failure is
reported through `failed` and changes neither the screen nor the history. A change is
pushed as one Step on the project's single undo history, shared by every window, and
announced by `changed(change, initiator)`; each view has one handler for that signal and
refreshes only what the change touches. Undo and redo apply the change backward or
forward first and move the history only once that has committed, so a refused undo (the
project busy, or changed by another program) leaves the history where it was. Before a
change of a layer is undone or redone, the document is put on screen (in the window that
made it, or the main window), so nothing changes out of sight.

Changes someone else committed (live updates on a server, ui/live.py) come in through
`remote`: announced by `changed` like an edit, with initiator REMOTE, never put on this
history. The runner keeps the versions of shared items (store/versions.py) that the
views show, so an edit of gold, an alignment or a group that someone else changed
unseen is refused with who and when; the refused edit is kept and `retry` makes it
again once their change is on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack

from annotator.core.errors import AnnotatorError
from annotator.store import versions
from annotator.store.changes import Change, apply
from annotator.store.project import Project
from annotator.store.queries import document_name

REMOTE = "remote"  # the initiator of a change someone else committed


class Step(QUndoCommand):
    """A change on the history. It does nothing itself: the runner applies the change
    and then moves the history over it."""

    def __init__(self, change: Change, initiator: object, text: str) -> None:
        super().__init__(text)
        self.change, self.initiator = change, initiator

    def redo(self) -> None:
        pass

    def undo(self) -> None:
        pass


class Edits(QObject):
    changed = Signal(object, object)  # the Change as applied (its inverse for an undo), initiator
    failed = Signal(str, object)  # why an edit, undo or redo was not made; the window that asked
    done = Signal(str, object)  # what an undo or redo did, for the status bar; the window that asked

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.stack = QUndoStack(self)
        self.views: list = []  # windows that show documents: shows(doc_id), show_document(doc_id)
        self._names: dict[int, str] = {}  # document id: “en · 004”
        self.refused: tuple[Callable[[], Change], object, str] | None = None  # the last edit a version refused
        try:  # what the views show now: the versions every later edit is checked against
            with project.read() as conn:
                project.seen_versions = versions.read_all(conn)
        except AnnotatorError:  # cannot read now: edits are not checked (a refused read is shown elsewhere)
            project.seen_versions = None

    # -- editing -------------------------------------------------------------------------------
    def run(self, operation: Callable[[], Change], initiator: object = None) -> Change | None:
        """The change made by `operation`, pushed and announced; None (reported) if it
        failed. An empty change (nothing to do) is returned but not pushed."""
        try:
            change = operation()
        except versions.VersionConflict as exc:  # kept, to be made again on top of their change
            self.refused = (operation, initiator, exc.description)
            self.failed.emit(f"{exc}: their change is shown now. Your edit is kept: Edit ▸ Make my refused edit "
                             "again (Ctrl+Shift+Y) makes it on top of theirs", initiator)
            return None
        except (AnnotatorError, OSError) as exc:  # a StoreError is an AnnotatorError
            self.failed.emit(str(exc), initiator)
            return None
        self._saw(change.versions)
        if change:
            self.stack.push(Step(change, initiator, self._name(change)))
            self.changed.emit(change, initiator)
        return change

    def retry(self) -> Change | None:
        """Make the edit a version conflict refused again (now over the change that was
        missing from the screen); None if there is none or it is refused again."""
        if self.refused is None:
            return None
        operation, initiator, _what = self.refused
        self.refused = None
        return self.run(operation, initiator)

    def remote(self, change: Change, seen: Mapping[str, int]) -> None:
        """A change someone else committed: every view shows it; not on this history."""
        self._saw(seen.items())
        if change:
            self.changed.emit(change, REMOTE)

    def _saw(self, items) -> None:
        if self.project.seen_versions is not None:
            self.project.seen_versions.update(items)

    def undo(self, by: object = None) -> bool:
        return self._move(False, by)

    def redo(self, by: object = None) -> bool:
        return self._move(True, by)

    def clear(self) -> None:
        self.stack.clear()

    def _move(self, forward: bool, by: object) -> bool:
        i = self.stack.index()
        if not (self.stack.canRedo() if forward else self.stack.canUndo()):
            return False
        step: Step = self.stack.command(i if forward else i - 1)
        self._show_first(step)
        try:
            applied = apply(self.project, step.change, forward)  # the inverse, for an undo
        except (AnnotatorError, OSError) as exc:  # a StoreError is an AnnotatorError
            self.failed.emit(f"Not {'redone' if forward else 'undone'}: {exc}", by)
            return False
        self._saw(applied.versions)
        self.stack.setIndex(i + 1 if forward else i - 1)  # Step.undo/redo do nothing
        self.changed.emit(applied, step.initiator)
        self.done.emit(f"{'Redo' if forward else 'Undo'}: {step.text()}", by)
        return True

    # -- showing ---------------------------------------------------------------------------------
    def register(self, view) -> None:
        """A window that shows documents; the first registered (the main window) shows
        what no other window shows."""
        self.views.append(view)
        if isinstance(view, QObject):
            view.destroyed.connect(lambda *_a, v=view: v in self.views and self.views.remove(v))

    def _show_first(self, step: Step) -> None:
        # The layers' documents; a change of no layer (a group, an argument's role) names its documents.
        docs = [s.document_id for s in step.change.layers] or list(step.change.documents)
        if not docs or not self.views:
            return
        if any(v.isVisible() and v.shows(d) for v in self.views for d in docs):
            return
        target = step.initiator if step.initiator in self.views else self.views[0]
        target.show_document(docs[0])

    def _name(self, change: Change) -> str:
        """“label PERSON «Geoană» in en · 004”: the change and the document of its layers."""
        docs = {s.document_id for s in change.layers} or set(change.documents)
        if len(docs) != 1:
            return change.description
        doc = docs.pop()
        if doc not in self._names:  # a document's language and uid never change: read once
            try:
                with self.project.read() as conn:
                    self._names[doc] = document_name(conn, doc)
            except AnnotatorError:  # the change is committed: it is pushed and shown all the same
                return change.description
        return f"{change.description} in {self._names[doc]}"

    # -- menus -----------------------------------------------------------------------------------
    def bind(self, window, undo: QAction, redo: QAction) -> None:
        """Keeps a window's Undo and Redo actions enabled, and named after the step they take."""
        def update(*_args) -> None:
            if not (shiboken6.isValid(self.stack) and shiboken6.isValid(undo) and shiboken6.isValid(redo)):
                return  # the history or the window is being destroyed
            for action, verb, can, text in ((undo, "Undo", self.stack.canUndo(), self.stack.undoText()),
                                            (redo, "Redo", self.stack.canRedo(), self.stack.redoText())):
                action.setEnabled(can)
                # The step's text quotes data: an & in it is a letter, not a mnemonic.
                action.setText(f"&{verb}: {text.replace('&', '&&')}" if can else f"&{verb}")
        undo.triggered.connect(lambda: self.undo(window))
        redo.triggered.connect(lambda: self.redo(window))
        self.stack.indexChanged.connect(update)
        update()
