"""The relations and entity clusters of the open document, as a tree: one branch lists the
relations (from span, type, to span), the other each cluster that has a mention here,
with its knowledge-base id and every mention (those in the translations named by their
document).

Rows carry ids only: ("relation", uid), ("entity", cluster id), ("mention", span uid,
document id). The controllers do every edit. Keys: Del removes the row (a relation, a
mention from its cluster, a whole cluster), F2 or Enter on a cluster chooses its
knowledge-base id, Enter on a relation or mention selects its span in the text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import tooltip

ROW = Qt.ItemDataRole.UserRole
HINT = ("Ctrl+R: relate the selected span (Tab to the other, Enter) · =: same entity as another span · "
        "Ctrl+K: knowledge-base id · Del removes the row here")


class RelationsPanel(QWidget):
    rowSelected = Signal(object)  # the row's id tuple
    deleteRequested = Signal(object)
    editRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("<b>Relations and entities</b>")
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(2)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setFont(fonts.with_fallbacks(self.tree.font()))
        self.tree.setMinimumHeight(40)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self.editRequested.emit(item.data(0, ROW)))
        self.tree.installEventFilter(self)
        self.relations_item = QTreeWidgetItem(["Relations", ""])
        self.entities_item = QTreeWidgetItem(["Entities", ""])
        for top in (self.relations_item, self.entities_item):
            f = top.font(0)
            f.setBold(True)
            top.setFont(0, f)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(top)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)
        self._filling = False
        self._pending: dict[str, Callable[[], list]] = {}  # rows to show once the tab is seen

    def show_relations(self, rows: Callable[[], list[tuple[tuple, str, str, str]]]) -> None:
        """`rows()` gives (row id, from text, type, to text) of each relation. Called when the
        panel is seen (now, if it is): a document with 10,000 relations opens as fast as one
        with none while the tab is not shown."""
        self._pending["relations"] = rows
        if self.isVisible():
            self._fill()

    def show_entities(self, rows: Callable[[], list[tuple[tuple, str, str, list[tuple[tuple, str, str]]]]]) -> None:
        """`rows()` gives (row id, heading, detail, [(mention row id, where, text)]) of each
        cluster; a mention's row id is ("mention", span uid, in this document)."""
        self._pending["entities"] = rows
        if self.isVisible():
            self._fill()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fill()

    def _fill(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        current = self.current_row()
        self._filling = True
        if "relations" in pending:
            rows = pending["relations"]()
            self.relations_item.takeChildren()
            items = []
            for row_id, a, type_, b in rows:
                item = QTreeWidgetItem([type_, f"{a} → {b}"])
                item.setData(0, ROW, row_id)
                items.append(item)
            self.relations_item.addChildren(items)  # at once: one layout for thousands
            self.relations_item.setText(0, f"Relations ({len(rows)})")
        if "entities" in pending:
            clusters = pending["entities"]()
            self.entities_item.takeChildren()
            for row_id, heading, detail, mentions in clusters:
                item = QTreeWidgetItem([heading, detail])
                item.setData(0, ROW, row_id)
                item.setToolTip(1, tooltip(detail))
                for m_id, where, text in mentions:
                    child = QTreeWidgetItem([where, text])
                    child.setData(0, ROW, m_id)
                    child.setToolTip(1, tooltip(text))
                    if not m_id[2]:  # in a translation: listed, not in this text
                        child.setForeground(0, QBrush(QColor("#777")))
                        child.setForeground(1, QBrush(QColor("#777")))
                    item.addChild(child)
                self.entities_item.addChild(item)
                item.setExpanded(True)
            self.entities_item.setText(0, f"Entities ({len(clusters)})")
        self._done(current)

    def _done(self, current: tuple | None) -> None:
        self.relations_item.setExpanded(True)
        self.entities_item.setExpanded(True)
        self.tree.resizeColumnToContents(0)  # Qt measures at most the header's precision of rows
        self.select_row(current)
        self._filling = False

    def select_row(self, row_id: tuple | None) -> None:
        if row_id is None:
            return
        for top in (self.relations_item, self.entities_item):
            for i in range(top.childCount()):
                item = top.child(i)
                for it in [item] + [item.child(j) for j in range(item.childCount())]:
                    if it.data(0, ROW) == row_id:
                        self.tree.setCurrentItem(it)
                        return

    def current_row(self) -> tuple | None:
        item = self.tree.currentItem()
        return item.data(0, ROW) if item is not None else None

    def relations(self) -> list[tuple[str, str]]:
        """(type, "from → to") of each relation row, as the tab shows them when looked at:
        for tests and screen readers."""
        self._fill()
        top = self.relations_item
        return [(top.child(i).text(0), top.child(i).text(1)) for i in range(top.childCount())]

    def entities(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        self._fill()
        top = self.entities_item
        out = []
        for i in range(top.childCount()):
            item = top.child(i)
            out.append((item.text(0), item.text(1),
                        [(item.child(j).text(0), item.child(j).text(1)) for j in range(item.childCount())]))
        return out

    def focus_first(self) -> None:
        """The keyboard in the tree, on its first row if none is current."""
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.current_row() is None:
            first = self.relations_item.child(0) or self.entities_item.child(0)
            if first is not None:
                self.tree.setCurrentItem(first)

    def _current_changed(self, item, _previous) -> None:
        if not self._filling and item is not None and item.data(0, ROW) is not None:
            self.rowSelected.emit(item.data(0, ROW))

    def eventFilter(self, obj, event) -> bool:
        if obj is self.tree and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            row = self.current_row()
            if row is not None and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.deleteRequested.emit(row)
                return True
            if row is not None and event.key() in (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.editRequested.emit(row)
                return True
        return super().eventFilter(obj, event)
