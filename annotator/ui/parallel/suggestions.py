"""Projected spans as suggestions: computed by core.projection from one pane's spans
and the alignment, shown hatched in the target panes and listed below them; accepted or
rejected one by one or all at once.

Suggestions are not stored. What is shown is derived from the store on every refresh: a
proposal disappears once its target layer has a span with its offsets and label (accepted,
or labelled by hand) and comes back if that span goes (undo). Only rejections are state
of their own, kept here and undoable like everything else."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core import values
from annotator.core.ids import new_id
from annotator.core.projection import Proposal, project_spans
from annotator.store import spans as ops
from annotator.store.changes import Change
from annotator.store.project import Project
from annotator.store.records_out import iter_records
from annotator.store.spans import SpanData
from annotator.ui.edits import Edits
from annotator.ui.parallel.panes import ParallelPane, suggestion_format
from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import tooltip

NONE_YET = "No suggestions. Put the caret in a pane and press Ctrl+P to project its spans into the other documents."


def stored_value(p: Proposal) -> str | None:
    """What accepting stores: the projected value if it is a value the inspector accepts.
    "--06-14" (a day and month, no year anywhere in the target) has no ISO form to store,
    and a year taken from the other translation would be a guess: it stays unstored."""
    return p.value if p.value and values.value_problem(p.label, p.value) is None else None


def shown_value(p: Proposal) -> str:
    """The value column says what accepting will store."""
    if not p.value:
        return ""
    return p.value if stored_value(p) is not None else f"{p.value} (no year: not stored)"


@dataclass(frozen=True)
class Suggestion:
    target: ParallelPane
    source: ParallelPane
    proposal: Proposal

    @property
    def key(self) -> tuple:
        p = self.proposal
        return self.target.doc_id, p.start, p.end, p.label, p.source


class SuggestionPanel(QWidget):
    currentChanged = Signal()  # the user chose another suggestion (list, F8)
    decided = Signal(bool, bool)  # a button, Return or Del in the list: accept?, all of them?
    failed = Signal(str)

    def __init__(self, project: Project, annotator: str, edits: Edits, window: QWidget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project, self.annotator, self.edits, self.window = project, annotator, edits, window
        edits.changed.connect(self._on_change)
        self.all: list[Suggestion] = []
        self.rejected: set[tuple] = set()
        self.shown: list[Suggestion] = []
        self._row = 0  # the current row, so that the next one becomes current when it goes
        self._painted: set[ParallelPane] = set()  # panes whose overlays show suggestions
        self.heading = QLabel(NONE_YET)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["Label", "Suggested text", "Into", "From", "Value"])
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setFont(fonts.with_fallbacks(self.list.font()))
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemActivated.connect(lambda *_: self.decided.emit(True, False))
        buttons = QHBoxLayout()
        for text, accept, all_shown in (("&Accept", True, False), ("&Reject", False, False),
                                        ("Accept a&ll", True, True), ("Reject all", False, True)):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, a=accept, n=all_shown: self.decided.emit(a, n))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def set_suggestions(self, suggestions: list[Suggestion]) -> None:
        self.all, self.rejected = suggestions, set()
        self.refresh()
        if self.shown:
            self.list.setCurrentItem(self.list.topLevelItem(0))

    def clear(self) -> None:
        self.set_suggestions([])

    def project_from(self, source: ParallelPane, panes: list[ParallelPane], blocks_of, crossings_of) -> str:
        """Proposals for `source`'s spans in every other pane, along `blocks_of(source,
        target)` and the crossing links `crossings_of(source, target)`; they replace the current suggestions. Returns what to tell the user."""
        with self.project.read() as conn:
            records = {r.id: r for r in iter_records(conn, annotator=self.annotator,
                                                     document_ids=[p.doc_id for p in panes])}
        spans = records[source.row.uid].spans
        if not spans:
            return f"The {source.row.lang} document has no spans to project yet"
        found = []
        for target in panes:
            if target is not source:
                blocks, _stored = blocks_of(source, target)
                found += [Suggestion(target, source, p) for p in project_spans(
                    source.text, source.row.lang, list(spans), target.text, target.row.lang, blocks,
                    existing=records[target.row.uid].spans, crossings=crossings_of(source, target))]
        self.set_suggestions(found)
        return (f"{len(found)} suggestion(s) from the {source.row.lang} spans" if found
                else "No suggestions: every span already has its counterpart")

    # -- what is shown ---------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-derive the shown suggestions from the panes' spans (the store's state)."""
        current = self.current()
        taken = {(pane.doc_id, m.start, m.end, m.label) for pane in {s.target for s in self.all}
                 for m in pane.workspace.spans()}
        self.shown = [s for s in self.all if s.key not in self.rejected and s.key[:4] not in taken]
        self.list.blockSignals(True)
        self.list.clear()
        for s in self.shown:
            p = s.proposal
            item = QTreeWidgetItem([p.label, p.text, s.target.row.lang, s.source.row.lang, shown_value(p)])
            item.setToolTip(1, tooltip(f"[{p.start}, {p.end}) in {s.target.row.uid}"))
            self.list.addTopLevelItem(item)
        keep = next((i for i, s in enumerate(self.shown) if current and s.key == current.key), None)
        if keep is None and current is not None:  # the current one went: its successor is next
            keep = min(self._row, len(self.shown) - 1) if self.shown else None
        if keep is not None:
            self.list.setCurrentItem(self.list.topLevelItem(keep))
            self._row = keep
        self.list.blockSignals(False)
        n = len(self.shown)
        self.heading.setText(f"{n} suggestion{'s' if n != 1 else ''}: F8 / Shift+F8 to go through them, "
                             "Ctrl+Return accepts, Ctrl+Backspace rejects, with Shift: all of them"
                             if n else "No suggestions left." if self.all else NONE_YET)
        self.paint()

    def _current_changed(self, *_args) -> None:
        if self.list.currentItem() is not None:
            self._row = self.list.indexOfTopLevelItem(self.list.currentItem())
        self.paint()
        self.currentChanged.emit()

    def paint(self) -> None:
        """The shown suggestions as overlays of their target panes, per label colour."""
        colours = {lab.name: lab.colour for lab in self.project.schema.labels}
        current = self.current()
        self._painted |= {s.target for s in self.all}  # and those that showed earlier ones: cleared
        for pane in self._painted:
            for label, colour in colours.items():
                pane.show_ranges(f"suggestion:{label}", [(s.proposal.start, s.proposal.end) for s in self.shown
                                                         if s.target is pane and s.proposal.label == label],
                                 suggestion_format(colour))
            here = current is not None and current.target is pane
            pane.show_ranges("suggestion:current", [(current.proposal.start, current.proposal.end)] if here else [],
                             suggestion_format(colours.get(current.proposal.label, "#999999"), True) if here else None)

    def current(self) -> Suggestion | None:
        item = self.list.currentItem()
        i = self.list.indexOfTopLevelItem(item) if item is not None else -1
        return self.shown[i] if 0 <= i < len(self.shown) else None

    def step(self, forward: bool) -> Suggestion | None:
        if not self.shown:
            return None
        i = self.list.indexOfTopLevelItem(self.list.currentItem()) if self.list.currentItem() else -1
        i = (i + (1 if forward else -1)) % len(self.shown) if i >= 0 else (0 if forward else len(self.shown) - 1)
        self.list.setCurrentItem(self.list.topLevelItem(i))
        return self.shown[i]

    # -- decisions -----------------------------------------------------------------------------
    def accept(self, all_shown: bool) -> int:
        """Creates the span (label, value) and its link to the source span, one undo step."""
        chosen = list(self.shown) if all_shown else [s for s in [self.current()] if s is not None]
        if not chosen:
            return 0
        spans = []
        for s in chosen:
            p, uid = s.proposal, new_id("s")
            value = stored_value(p)
            spans.append(SpanData(uid, s.target.doc_id, self.annotator, p.start, p.end, p.label, value,
                                  links=((p.source, uid),)))
        change = self.edits.run(lambda: ops.add_spans(self.project, spans), self.window)
        return len(change.result) if change else 0

    def reject(self, all_shown: bool) -> int:
        chosen = list(self.shown) if all_shown else [s for s in [self.current()] if s is not None]
        keys = {s.key for s in chosen}
        if not keys:
            return 0
        what = f"reject {len(keys)} suggestion{'s' if len(keys) != 1 else ''}"
        self.edits.run(lambda: Change(what, dismissed=frozenset(("suggestion", k) for k in keys)), self.window)
        return len(keys)

    def _on_change(self, change, _initiator) -> None:
        keys = {k[1] for k in change.dismissed if k[0] == "suggestion"}
        (self.rejected.update if change.forward else self.rejected.difference_update)(keys)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Delete:  # in the list, Del rejects as Return accepts
            self.decided.emit(False, False)
            return
        super().keyPressEvent(event)
