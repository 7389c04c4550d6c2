"""The curator's decisions on the gold layer, as edits of the project's edit runner.

Each decision is one store.adjudication operation (one transaction) run by ui.edits: a
failure is reported before anything is shown, and the gold pane (a Workspace) repaints
from the change like any other edit. A rejection ("none of these versions") is stored as
a decision on the place by the same transaction that removes the versions from gold, so
it lasts, and its undo forgets it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.core.identity import GOLD_ANNOTATOR
from annotator.store import adjudication as adj
from annotator.store.project import Project
from annotator.store.spans import set_status
from annotator.ui.adjudication.model import GoldState, Row
from annotator.ui.annotate.workspace import Workspace
from annotator.ui.edits import Edits


class GoldEditor(QObject):
    saved = Signal(str)  # what was committed
    failed = Signal(str)  # why nothing was
    info = Signal(str)  # a hint for the status bar

    def __init__(self, project: Project, gold: Workspace, edits: Edits, window: QObject) -> None:
        super().__init__(window)
        self.project, self.gold, self.edits, self.window = project, gold, edits, window
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
        return self._run(lambda: adj.accept_spans(self.project, self.doc_id, name, add, replacing,
                                                  (row.start, row.end))) is not None

    def reject(self, row: Row, state: GoldState, text: str = "Reject every version") -> bool:
        """Gold gets none of `row`'s versions, and the place is stored as decided so."""
        change = self._run(lambda: adj.reject_spans(self.project, self.doc_id, state.gold_uids,
                                                    (row.start, row.end)))
        if change is not None and not change:
            self.info.emit("Every version here is already rejected")
        return change is not None

    def accept_agreed(self) -> None:
        if len(self.annotators) < 2:
            self.info.emit("Agreement needs the layers of at least two annotators")
            return
        change = self._run(lambda: adj.accept_agreed(self.project, self.doc_id, self.annotators))
        if change is not None and not change:
            self.info.emit("Every agreed span is already in gold")

    def accept_layer(self, n: int) -> None:
        if n >= len(self.annotators):
            return
        name = self.annotators[n]
        self._run(lambda: adj.accept_layer(self.project, self.doc_id, name))

    def mark_done(self) -> None:
        doc_id = self.doc_id
        if self._run(lambda: set_status(self.project, doc_id, GOLD_ANNOTATOR, "done")):
            self.saved.emit("gold marked done")

    def _run(self, operation):
        change = self.edits.run(operation, self.window)
        if change:
            self.saved.emit(change.description)
        return change
