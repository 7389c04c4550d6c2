"""Where the translations of a group disagree (core.disagreements.group_report over the
group's records of this annotator): a list; the selected item's spans are shown in their
panes. Real translations disagree (14 June in French and Vietnamese, 13 June in English),
and the point is to see it, not to smooth it over."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.core.disagreements import group_report
from annotator.core.records import DocumentRecord
from annotator.store.project import Project
from annotator.store.records_out import iter_records
from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import plain_label, tooltip


class DisagreementPanel(QWidget):
    # doc uid, span uid | None, other doc uid | None, other span uid | None
    chosen = Signal(str, object, object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list = []
        self.heading = plain_label()
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
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)

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
        before = self._key(self.current())
        self.items = group_report(records) if len(records) > 1 else []
        docs = {r.id: r for r in records}
        spans = {(r.id, s.id): s for r in records for s in r.spans}

        def describe(doc, span):
            if doc is None:
                return ""
            lang = docs[doc].lang if doc in docs else doc
            s = spans.get((doc, span))
            return f"{lang}: {s.label} “{s.text}”" if s else lang

        self.list.blockSignals(True)
        self.list.clear()
        for d in self.items:
            item = QTreeWidgetItem([d.kind, docs[d.doc].lang if d.doc in docs else d.doc,
                                    describe(d.doc, d.span), describe(d.other_doc, d.other_span), d.detail or ""])
            item.setToolTip(4, tooltip(d.detail or ""))
            self.list.addTopLevelItem(item)
        keep = next((i for i, d in enumerate(self.items) if self._key(d) == before), None)
        if keep is not None:
            self.list.setCurrentItem(self.list.topLevelItem(keep))
        self.list.blockSignals(False)
        n = len(self.items)
        self.heading.setText(f"{n} disagreement{'s' if n != 1 else ''} between the translations "
                             "(select one to see its spans)" if n else "The translations agree: no disagreement found.")

    def current(self):
        item = self.list.currentItem()
        i = self.list.indexOfTopLevelItem(item) if item is not None else -1
        return self.items[i] if 0 <= i < len(self.items) else None

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
