"""The relations and entity clusters of the open document: a list of the relations (type,
then from span → to span) above a tree of each cluster that has a mention here, with its
knowledge-base id and every mention (those in the translations named by their document).

Rows carry ids only: ("relation", uid), ("entity", cluster id), ("mention", span uid,
in this document). The controllers do every edit. Keys: Del removes the row (a relation, a
mention from its cluster, a whole cluster), F2 or Enter on a cluster chooses its
knowledge-base id, Enter on a relation or mention selects its span in the text; Tab goes
from the relations to the clusters.

The relations are a flat table over RelationsModel, which keeps each relation as a plain
tuple and quotes its ends only when the view paints that row; rows have one fixed height,
so the view never walks them all (a tree view lays out every row of an open branch, through
the model, on each insert). Showing 10,000 relations costs one read of the layer, and a
change of a relation inserts, removes or updates its own row (RelationsModel.update_relations)
instead of filling the list again.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import quiet, tooltip

ROW = Qt.ItemDataRole.UserRole
HINT = ("Ctrl+R: relate the selected span (Tab to the other, Enter) · =: same entity as another span · "
        "Ctrl+K: knowledge-base id · Del removes the row here · Tab: relations, then entities")

# A relation as the model keeps it: (order key, uid, from span uid, type, to span uid); the key
# (its id in the store) puts a relation put back by an undo where a full read would list it.
RelationRow = tuple[int, str, str, str, str]
Mention = tuple[tuple, str, str]  # (row id, where, text)
Cluster = tuple[tuple, str, str, list[Mention]]  # (row id, heading, detail, mentions)
AnyIndex = QModelIndex | QPersistentModelIndex


class RelationsModel(QAbstractTableModel):
    """The relations as rows (type, "from → to"), their ends quoted by `span_text` when painted."""

    def __init__(self, span_text: Callable[[str], str] = str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.span_text = span_text
        self.rows: list[RelationRow] = []
        self._keys: list[int] = []  # the rows' keys, for bisect

    def set_relations(self, rows: list[RelationRow]) -> None:
        self.beginResetModel()
        self.rows = sorted(rows)
        self._keys = [r[0] for r in self.rows]
        self.endResetModel()

    def update_relations(self, removed: Iterable[str], added: Iterable[RelationRow]) -> None:
        """Rows out (by uid) and rows in or updated (by uid), each signalled on its own."""
        for uid in removed:
            if (at := self.find(uid)) is not None:
                self._remove(at)
        for row in added:
            at = self.find(row[1])
            if at is not None and self.rows[at][0] == row[0]:  # updated in place
                self.rows[at] = row
                self.dataChanged.emit(self.index(at, 0), self.index(at, 1))
                continue
            if at is not None:  # its key changed: out, and in where it goes now
                self._remove(at)
            at = bisect_left(self._keys, row[0])
            self.beginInsertRows(QModelIndex(), at, at)
            self.rows.insert(at, row)
            self._keys.insert(at, row[0])
            self.endInsertRows()

    def _remove(self, at: int) -> None:
        self.beginRemoveRows(QModelIndex(), at, at)
        del self.rows[at], self._keys[at]
        self.endRemoveRows()

    def quotes_changed(self) -> None:
        """The ends' text or label changed: the view asks the visible rows again."""
        if self.rows:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self.rows) - 1, 1))

    def find(self, uid: str) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r[1] == uid), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 2

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            _key, _uid, a, type_, b = self.rows[index.row()]
            return type_ if index.column() == 0 else f"{self.span_text(a)} → {self.span_text(b)}"
        if role == ROW:
            return ("relation", self.rows[index.row()][1])
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:  # the whole of a quote cut short
            _key, _uid, a, _type, b = self.rows[index.row()]
            return tooltip(f"{self.span_text(a)} → {self.span_text(b)}")
        return None


class RelationsPanel(QWidget):
    rowSelected = Signal(object)  # the row's id tuple
    deleteRequested = Signal(object)
    editRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("<b>Relations and entities</b>")
        self.model = RelationsModel(parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no row measured: 10,000 cost what 20 do
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves for the clusters
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setFont(fonts.with_fallbacks(self.table.font()))
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setMinimumHeight(40)
        self.table.selectionModel().currentChanged.connect(lambda current, _previous: self._chosen(current.data(ROW)))
        self.table.doubleClicked.connect(lambda index: self.editRequested.emit(index.data(ROW)))
        self.model.rowsInserted.connect(self._count_relations)
        self.model.rowsRemoved.connect(self._count_relations)
        self.model.modelReset.connect(self._count_relations)
        self.clusters = QTreeWidget()
        self.clusters.setHeaderHidden(True)
        self.clusters.setColumnCount(2)
        self.clusters.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.clusters.setFont(fonts.with_fallbacks(self.clusters.font()))
        self.clusters.setMinimumHeight(40)
        self.clusters.currentItemChanged.connect(lambda item, _previous: self._chosen(item.data(0, ROW) if item else None))
        self.clusters.itemDoubleClicked.connect(lambda item, _col: self.editRequested.emit(item.data(0, ROW)))
        self.relations_label, self.entities_label = _heading("Relations (0)"), _heading("Entities (0)")
        self.relations_label.setBuddy(self.table)
        self.entities_label.setBuddy(self.clusters)
        for view in (self.table, self.clusters):
            view.installEventFilter(self)
        self._active: QAbstractItemView = self.table  # the view the keyboard was last in
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        quiet(hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.relations_label)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.entities_label)
        layout.addWidget(self.clusters, 1)
        layout.addWidget(hint)
        self._filling = False
        self._pending: dict[str, Callable[[], list]] = {}  # rows to show once the tab is seen

    @property
    def tree(self) -> QAbstractItemView:
        """The view F10 puts the keyboard in (and the one it was last in): the relations,
        or the clusters."""
        return self._active

    def set_span_text(self, span_text: Callable[[str], str]) -> None:
        """How a relation's end is quoted (asked as its row is painted)."""
        self.model.span_text = span_text

    def show_relations(self, rows: Callable[[], list[RelationRow]]) -> None:
        """`rows()` gives the relations (RelationRow). Called when the panel is seen (now,
        if it is): a document with 10,000 relations opens as fast as one with none while
        the tab is not shown."""
        self._pending["relations"] = rows
        if self.isVisible():
            self._fill()

    def update_relations(self, removed: Iterable[str], added: Iterable[RelationRow]) -> None:
        """A change of some relations: only their rows change. Nothing to do while the whole
        list waits to be read (that read sees the change)."""
        if "relations" not in self._pending:
            self._keeping_current(lambda: self.model.update_relations(removed, added))
            self._size_types()

    def quotes_changed(self) -> None:
        self.model.quotes_changed()

    def show_entities(self, rows: Callable[[], list[Cluster]]) -> None:
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

        def fill() -> None:
            if "relations" in pending:
                self.model.set_relations(pending["relations"]())
                self._size_types()
            if "entities" in pending:
                self._fill_clusters(pending["entities"]())

        self._keeping_current(fill)

    def _fill_clusters(self, clusters: list[Cluster]) -> None:
        self.clusters.clear()
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
            self.clusters.addTopLevelItem(item)
            item.setExpanded(True)
        self.clusters.resizeColumnToContents(0)
        self.entities_label.setText(f"<b>Entities ({len(clusters)})</b>")

    def _size_types(self) -> None:
        """The type column as wide as its widest type: the schema's few, not 10,000 rows measured."""
        metrics = self.table.fontMetrics()
        types = {r[3] for r in self.model.rows}
        self.table.setColumnWidth(0, max((metrics.horizontalAdvance(t) for t in types), default=0) + 16)

    def _count_relations(self, *_args) -> None:
        self.relations_label.setText(f"<b>Relations ({len(self.model.rows)})</b>")

    def _keeping_current(self, change: Callable[[], object]) -> None:
        """Runs `change` (a fill or an update), then puts back each view's current row
        where it is still listed, without telling the controllers (nothing was chosen)."""
        currents = self._currents()
        self._filling = True
        try:
            change()
            for before, now in zip(currents, self._currents(), strict=True):
                if before is not None and before != now:
                    self.select_row(before)
        finally:
            self._filling = False

    def _currents(self) -> tuple[tuple | None, tuple | None]:
        current, item = self.table.currentIndex(), self.clusters.currentItem()
        return (current.data(ROW) if current.isValid() else None, item.data(0, ROW) if item is not None else None)

    def select_row(self, row_id: tuple | None) -> None:
        if row_id is None:
            return
        if row_id[0] == "relation":
            at = self.model.find(row_id[1])
            if at is not None:
                self.table.setCurrentIndex(self.model.index(at, 0))
            return
        for i in range(self.clusters.topLevelItemCount()):
            item = self.clusters.topLevelItem(i)
            for it in [item] + [item.child(j) for j in range(item.childCount())]:
                if it.data(0, ROW) == row_id:
                    self.clusters.setCurrentItem(it)
                    return

    def current_row(self) -> tuple | None:
        """The current row of the view the keyboard is (or was last) in."""
        relation, cluster = self._currents()
        return relation if self._active is self.table else cluster

    def relations(self) -> list[tuple[str, str]]:
        """(type, "from → to") of each relation row, as the tab shows them when looked at:
        for tests and screen readers."""
        self._fill()
        m = self.model
        return [(m.index(i, 0).data(), m.index(i, 1).data()) for i in range(m.rowCount())]

    def entities(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        self._fill()
        out = []
        for i in range(self.clusters.topLevelItemCount()):
            item = self.clusters.topLevelItem(i)
            out.append((item.text(0), item.text(1),
                        [(item.child(j).text(0), item.child(j).text(1)) for j in range(item.childCount())]))
        return out

    def focus_first(self) -> None:
        """The keyboard in the relations (the clusters when there are none), on the first
        row if none is current."""
        self._fill()
        if self.model.rowCount() or not self.clusters.topLevelItemCount():
            self._active = self.table
            if not self.table.currentIndex().isValid() and self.model.rowCount():
                self.table.setCurrentIndex(self.model.index(0, 0))
        else:
            self._active = self.clusters
            if self.clusters.currentItem() is None:
                self.clusters.setCurrentItem(self.clusters.topLevelItem(0))
        self._active.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _chosen(self, row: tuple | None) -> None:
        if not self._filling and row is not None:
            self.rowSelected.emit(row)

    def eventFilter(self, obj, event) -> bool:
        if obj in (self.table, self.clusters) and event.type() == QEvent.Type.FocusIn:
            self._active = obj
        if obj in (self.table, self.clusters) and isinstance(event, QKeyEvent) \
                and event.type() == QEvent.Type.KeyPress:
            row = self.current_row()
            if row is not None and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.deleteRequested.emit(row)
                return True
            if row is not None and event.key() in (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.editRequested.emit(row)
                return True
        return super().eventFilter(obj, event)


def _heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    label.setTextFormat(Qt.TextFormat.RichText)
    return label
