"""Where the translations of a group disagree (core.disagreements.group_report over the
group's records of this annotator): a list; the selected item's spans are shown in their
panes. Real translations disagree (14 June in French and Vietnamese, 13 June in English),
and the point is to see it, not to smooth it over. A kind filter (Alt+K, or Tab from the
list) narrows a long report to the values, the unlinked spans or the counts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.disagreements import group_report
from annotator.core.records import DocumentRecord
from annotator.store.project import Project
from annotator.store.records_out import iter_records
from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import plain_label, tooltip

KINDS = ("value", "unlinked", "count")


class DisagreementPanel(QWidget):
    # doc uid, span uid | None, other doc uid | None, other span uid | None
    chosen = Signal(str, object, object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._docs: dict = {}
        self._spans: dict = {}
        self.items: list = []  # the whole report
        self.shown: list = []  # the items of the chosen kind, as listed
        self.heading = plain_label()
        self.kind = QComboBox()
        self.kind.addItem("All kinds", None)
        for kind in KINDS:
            self.kind.addItem(kind, kind)
        self.kind.currentIndexChanged.connect(lambda _i: self._fill())
        kind_label = QLabel("&Kind:")
        kind_label.setBuddy(self.kind)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["Kind", "Where", "Span", "Counterpart", "Detail"])
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setFont(fonts.with_fallbacks(self.list.font()))
        self.list.currentItemChanged.connect(self._current)
        header = self.list.header()
        for column, width in ((0, 80), (1, 60), (2, 260), (3, 260)):
            header.resizeSection(column, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(kind_label)
        top.addWidget(self.kind)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        self.setTabOrder(self.list, self.kind)

    def refresh(self, project: Project, annotator: str, doc_ids: list[int]) -> int:
        """Re-read the group's records (this annotator's layers) and recompute; returns the count."""
        records = []
        if len(doc_ids) > 1:
            with project.read() as conn:
                records = list(iter_records(conn, annotator=annotator, document_ids=doc_ids))
        self.set_records(records)
        return len(self.items)

    def set_records(self, records: list[DocumentRecord]) -> None:
        """Recompute the report; the selected item stays selected if it is still there."""
        self.items = group_report(records) if len(records) > 1 else []
        self._docs = {r.id: r for r in records}
        self._spans = {(r.id, s.id): s for r in records for s in r.spans}
        self._fill()

    def _fill(self) -> None:
        """List the items of the chosen kind; the heading counts each kind."""
        before = self._key(self.current())
        kind = self.kind.currentData()
        self.shown = [d for d in self.items if kind is None or d.kind == kind]
        docs, spans = self._docs, self._spans

        def describe(doc, span):
            if doc is None:
                return ""
            lang = docs[doc].lang if doc in docs else doc
            s = spans.get((doc, span))
            return f"{lang}: {s.label} “{s.text}”" if s else lang

        self.list.blockSignals(True)
        self.list.clear()
        for d in self.shown:
            item = QTreeWidgetItem([d.kind, docs[d.doc].lang if d.doc in docs else d.doc,
                                    describe(d.doc, d.span), describe(d.other_doc, d.other_span), d.detail or ""])
            item.setToolTip(4, tooltip(d.detail or ""))
            self.list.addTopLevelItem(item)
        keep = next((i for i, d in enumerate(self.shown) if self._key(d) == before), None)
        if keep is not None:
            self.list.setCurrentItem(self.list.topLevelItem(keep))
        self.list.blockSignals(False)
        n = len(self.items)
        per_kind = ", ".join(f"{k} {c}" for k in KINDS if (c := sum(d.kind == k for d in self.items)))
        self.heading.setText(f"{n} disagreement{'s' if n != 1 else ''} between the translations ({per_kind}); "
                             "select one to see its spans" if n else "The translations agree: no disagreement found.")

    def current(self):
        item = self.list.currentItem()
        i = self.list.indexOfTopLevelItem(item) if item is not None else -1
        return self.shown[i] if 0 <= i < len(self.shown) else None

    @staticmethod
    def _key(d) -> tuple | None:
        return None if d is None else (d.kind, d.doc, d.span, d.other_doc, d.other_span)

    def _current(self, *_args) -> None:
        d = self.current()
        if d is not None:
            self.chosen.emit(d.doc, d.span, d.other_doc, d.other_span)

    def focus_list(self) -> None:
        self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.list.currentItem() is None and self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(0))
