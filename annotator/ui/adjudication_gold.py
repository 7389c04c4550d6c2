"""The curator's decisions on the gold layer, as undoable, committed operations.

Each decision runs one store.adjudication operation (one transaction) before anything is
shown, then pushes a command whose redo/undo reapply or revert the returned GoldChange
with the same span ids, and repaints the gold pane's highlighter for just those spans.
A rejection ("none of these versions") is stored as a decision on the place by the same
transaction that removes the versions from gold, so it lasts, and its undo forgets it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator.core.errors import AnnotatorError
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.store import adjudication as adj
from annotator.store.project import Project
from annotator.store.spans import set_status
from annotator.ui.adjudication_model import GoldState, Row
from annotator.ui.commands import StoreCommand
from annotator.ui.highlighter import Mark
from annotator.ui.workspace import Workspace


class GoldEditor(QObject):
    changed = Signal(object)  # ids of the documents whose gold layer changed
    saved = Signal(str)  # what was committed
    failed = Signal(str)  # why nothing was
    info = Signal(str)  # a hint for the status bar

    def __init__(self, project: Project, gold: Workspace, undo: QUndoStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project, self.gold, self.undo = project, gold, undo
        self.doc_id: int | None = None
        self.annotators: list[str] = []

    def set_document(self, doc_id: int, annotators: list[str]) -> None:
        self.doc_id, self.annotators = doc_id, list(annotators)

    # -- decisions: each returns whether it was made -------------------------------------
    def accept_version(self, row: Row, state: GoldState, n: int) -> bool:
        """Gold gets annotator n's version of `row` in place of the others' versions."""
        if n >= len(self.annotators):
            return False
        name, version = self.annotators[n], row.versions[n]
        if version is None:  # this annotator has nothing here: neither should gold
            return self.reject(row, state, f"Accept {name}'s version (no span)")
        gold = {m.uid: (m.start, m.end, m.label) for m in self.gold.spans()}
        replacing = [uid for uid in state.gold_uids if gold.get(uid) != version.key]
        add = [] if version.key in gold.values() else [version.uid]
        if not add and not replacing:
            self.info.emit(f"Gold already has {name}'s version")
            return True
        change = self._execute(lambda: adj.accept_spans(self.project, self.doc_id, name, add, replacing,
                                                        (row.start, row.end)))
        if change is None:
            return False
        self._push(f"Accept {name}'s {version.label}", change)
        return True

    def reject(self, row: Row, state: GoldState, text: str = "Reject every version") -> bool:
        """Gold gets none of `row`'s versions, and the place is stored as decided so."""
        change = self._execute(lambda: adj.reject_spans(self.project, self.doc_id, state.gold_uids,
                                                        (row.start, row.end)))
        if change is None:
            return False
        if not change:
            self.info.emit("Every version here is already rejected")
            return True
        self._push(text, change)
        return True

    def accept_agreed(self) -> None:
        if len(self.annotators) < 2:
            self.info.emit("Agreement needs the layers of at least two annotators")
            return
        change = self._execute(lambda: adj.accept_agreed(self.project, self.doc_id, self.annotators))
        if change is not None and not change:
            self.info.emit("Every agreed span is already in gold")
        elif change is not None:
            n = len(change.added.spans)
            self._push(f"Accept {n} agreed span{'s' if n != 1 else ''}", change)

    def accept_layer(self, n: int) -> None:
        if n >= len(self.annotators):
            return
        name = self.annotators[n]
        change = self._execute(lambda: adj.accept_layer(self.project, self.doc_id, name))
        if change is not None:
            self._push(f"Start gold from {name}'s layer", change)

    def mark_done(self) -> None:
        doc_id = self.doc_id
        old = self._execute(lambda: set_status(self.project, doc_id, GOLD_ANNOTATOR, "done"))
        if old is None:
            return

        def status(value: str) -> None:
            set_status(self.project, doc_id, GOLD_ANNOTATOR, value)
            self.changed.emit({doc_id})
        self.undo.push(StoreCommand("Mark gold done", lambda: status("done"), lambda: status(old), self._report))
        self.changed.emit({doc_id})
        self.saved.emit("gold marked done")

    # -- undo ------------------------------------------------------------------------------
    def _push(self, text: str, change: adj.GoldChange) -> None:
        """Shows a committed change and pushes its command."""
        def apply(forward: bool) -> None:
            (adj.reapply if forward else adj.revert)(self.project, change)
            self._applied(change, forward)
        self._applied(change, True)
        self.undo.push(StoreCommand(text, lambda: apply(True), lambda: apply(False), self._report))
        self.saved.emit(text)

    def _applied(self, change: adj.GoldChange, forward: bool) -> None:
        doc_id = change.added.doc_id
        added, removed = (change.added, change.removed) if forward else (change.removed, change.added)
        if doc_id == self.gold.doc_id:  # the command may belong to a document left since
            for s in removed.spans:
                self.gold.highlighter.remove(s.uid)
            for s in added.spans:
                self.gold.highlighter.add(Mark(s.start, s.end, s.label, s.uid))
            if self.gold.selected in {s.uid for s in removed.spans}:
                self.gold.select_span(None)
        self.changed.emit({doc_id})

    def _execute(self, fn):
        try:
            return fn()
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
            return None

    def _report(self, exc: Exception) -> None:
        self.failed.emit(str(exc))
