"""The relations and entity clusters of the open document, as a tree: one branch lists the
relations (from span, type, to span), the other each cluster that has a mention here,
with its knowledge-base id and every mention (those in the translations named by their
document).

Rows carry ids only: ("relation", uid), ("entity", cluster id), ("mention", span uid,
document id). The controllers do every edit. Keys: Del removes the row (a relation, a
mention from its cluster, a whole cluster), F2 or Enter on a cluster chooses its
knowledge-base id, Enter on a relation or mention selects its span in the text.

The tree is a view over RelationsModel, which keeps each relation as a plain tuple and
quotes its ends only when the view paints that row: showing 10,000 relations costs one
read of the layer, and a change of a relation inserts, removes or updates its own row
(RelationsModel.update_relations) instead of filling the list again.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTreeView, QVBoxLayout, QWidget

from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import tooltip

ROW = Qt.ItemDataRole.UserRole
HINT = ("Ctrl+R: relate the selected span (Tab to the other, Enter) · =: same entity as another span · "
        "Ctrl+K: knowledge-base id · Del removes the row here")

# A relation as the model keeps it: (order key, uid, from span uid, type, to span uid); the key
# (its id in the store) puts a relation put back by an undo where a full read would list it.
RelationRow = tuple[int, str, str, str, str]
Mention = tuple[tuple, str, str]  # (row id, where, text)
Cluster = tuple[tuple, str, str, list[Mention]]  # (row id, heading, detail, mentions)

# internalId of an index: which level it is on. Mentions carry MENTIONS + their cluster's row.
TOP, RELATION, CLUSTER, MENTIONS = 0, 1, 2, 3
RELATIONS_ROW, ENTITIES_ROW = 0, 1
GREY = QBrush(QColor("#777"))
AnyIndex = QModelIndex | QPersistentModelIndex


class RelationsModel(QAbstractItemModel):
    """Two branches: the relations (rows read as tuples, their ends quoted by `span_text`
    when painted) and the clusters with their mentions."""

    def __init__(self, span_text: Callable[[str], str] = str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.span_text = span_text
        self.rows: list[RelationRow] = []
        self._keys: list[int] = []  # the rows' keys, for bisect
        self.clusters: list[Cluster] = []
        self._bold = QFont()
        self._bold.setBold(True)

    # -- filling and following changes ----------------------------------------------------
    def set_relations(self, rows: list[RelationRow]) -> None:
        ordered = sorted(rows)
        self._replace_children(RELATIONS_ROW, len(self.rows), len(ordered),
                               lambda: self._set_rows(ordered))

    def _set_rows(self, rows: list[RelationRow]) -> None:
        self.rows = rows
        self._keys = [r[0] for r in rows]

    def update_relations(self, removed: Iterable[str], added: Iterable[RelationRow]) -> None:
        """Rows out (by uid) and rows in or updated (by uid), each signalled on its own."""
        parent = self.index(RELATIONS_ROW, 0)
        for uid in removed:
            at = self._find(uid)
            if at is not None:
                self.beginRemoveRows(parent, at, at)
                del self.rows[at], self._keys[at]
                self.endRemoveRows()
        for row in added:
            at = self._find(row[1])
            if at is not None and self.rows[at][0] == row[0]:  # updated in place
                self.rows[at] = row
                self.dataChanged.emit(self.index(at, 0, parent), self.index(at, 1, parent))
                continue
            if at is not None:  # its key changed: out, and in where it goes now
                self.beginRemoveRows(parent, at, at)
                del self.rows[at], self._keys[at]
                self.endRemoveRows()
            at = bisect_left(self._keys, row[0])
            self.beginInsertRows(parent, at, at)
            self.rows.insert(at, row)
            self._keys.insert(at, row[0])
            self.endInsertRows()
        self._heading_changed(RELATIONS_ROW)

    def quotes_changed(self) -> None:
        """The ends' text or label changed: the view asks the visible rows again."""
        if self.rows:
            parent = self.index(RELATIONS_ROW, 0)
            self.dataChanged.emit(self.index(0, 1, parent), self.index(len(self.rows) - 1, 1, parent))

    def set_clusters(self, clusters: list[Cluster]) -> None:
        self._replace_children(ENTITIES_ROW, len(self.clusters), len(clusters),
                               lambda: setattr(self, "clusters", list(clusters)))

    def _replace_children(self, top: int, old: int, new: int, replace: Callable[[], object]) -> None:
        parent = self.index(top, 0)
        if old:
            self.beginRemoveRows(parent, 0, old - 1)
            self._clear(top)
            self.endRemoveRows()
        if new:
            self.beginInsertRows(parent, 0, new - 1)
            replace()
            self.endInsertRows()
        else:
            replace()
        self._heading_changed(top)

    def _clear(self, top: int) -> None:
        if top == RELATIONS_ROW:
            self._set_rows([])
        else:
            self.clusters = []

    def _heading_changed(self, top: int) -> None:
        at = self.index(top, 0)
        self.dataChanged.emit(at, at)

    def _find(self, uid: str) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r[1] == uid), None)

    def relation_index(self, uid: str) -> QModelIndex:
        at = self._find(uid)
        return self.index(at, 0, self.index(RELATIONS_ROW, 0)) if at is not None else QModelIndex()

    def find(self, row_id: tuple) -> QModelIndex:
        if row_id[0] == "relation":
            return self.relation_index(row_id[1])
        entities = self.index(ENTITIES_ROW, 0)
        for c, (cluster_id, _h, _d, mentions) in enumerate(self.clusters):
            if cluster_id == row_id:
                return self.index(c, 0, entities)
            for m, (mention_id, _w, _t) in enumerate(mentions):
                if mention_id == row_id:
                    return self.index(m, 0, self.index(c, 0, entities))
        return QModelIndex()

    # -- QAbstractItemModel ---------------------------------------------------------------
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, TOP)
        level = parent.internalId()
        if level == TOP:
            return self.createIndex(row, column, RELATION if parent.row() == RELATIONS_ROW else CLUSTER)
        if level == CLUSTER:
            return self.createIndex(row, column, MENTIONS + parent.row())
        return QModelIndex()

    def parent(self, index: AnyIndex | None = None) -> QModelIndex:  # type: ignore[override]
        if index is None or not index.isValid():
            return QModelIndex()
        level = index.internalId()
        if level == TOP:
            return QModelIndex()
        if level == RELATION:
            return self.createIndex(RELATIONS_ROW, 0, TOP)
        if level == CLUSTER:
            return self.createIndex(ENTITIES_ROW, 0, TOP)
        return self.createIndex(level - MENTIONS, 0, CLUSTER)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return 2
        if parent.column() > 0:
            return 0
        level = parent.internalId()
        if level == TOP:
            return len(self.rows) if parent.row() == RELATIONS_ROW else len(self.clusters)
        if level == CLUSTER:
            return len(self.clusters[parent.row()][3])
        return 0

    def columnCount(self, _parent: AnyIndex = QModelIndex()) -> int:
        return 2

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if index.isValid() and index.internalId() == TOP:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        level, row, col = index.internalId(), index.row(), index.column()
        if level == TOP:
            if role == Qt.ItemDataRole.DisplayRole:
                return (f"Relations ({len(self.rows)})" if row == RELATIONS_ROW else f"Entities ({len(self.clusters)})"
                        ) if col == 0 else ""
            return self._bold if role == Qt.ItemDataRole.FontRole else None
        if level == RELATION:
            _key, uid, a, type_, b = self.rows[row]
            if role == ROW:
                return ("relation", uid)
            if role == Qt.ItemDataRole.DisplayRole:
                return type_ if col == 0 else f"{self.span_text(a)} → {self.span_text(b)}"
            return None
        if level == CLUSTER:
            row_id, heading, detail, _mentions = self.clusters[row]
            return _cell(role, col, row_id, heading, detail)
        mention_id, where, text = self.clusters[level - MENTIONS][3][row]
        if role == Qt.ItemDataRole.ForegroundRole and not mention_id[2]:  # in a translation: not in this text
            return GREY
        return _cell(role, col, mention_id, where, text)


def _cell(role: int, col: int, row_id: tuple, first: str, second: str) -> object:
    if role == ROW:
        return row_id
    if role == Qt.ItemDataRole.DisplayRole:
        return first if col == 0 else second
    if role == Qt.ItemDataRole.ToolTipRole and col == 1:
        return tooltip(second)
    return None


class RelationsPanel(QWidget):
    rowSelected = Signal(object)  # the row's id tuple
    deleteRequested = Signal(object)
    editRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("<b>Relations and entities</b>")
        self.model = RelationsModel(parent=self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)  # no row measured to lay out 10,000
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setFont(fonts.with_fallbacks(self.tree.font()))
        self.tree.setMinimumHeight(40)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.doubleClicked.connect(lambda index: self.editRequested.emit(index.data(ROW)))
        self.tree.installEventFilter(self)
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
            if "entities" in pending:
                self.model.set_clusters(pending["entities"]())
            for top in (RELATIONS_ROW, ENTITIES_ROW):  # not expandAll: it would ask 10,000 relations
                self.tree.expand(self.model.index(top, 0))
            for cluster in self._children(self.model.index(ENTITIES_ROW, 0)):
                self.tree.expand(cluster)
            self.tree.resizeColumnToContents(0)  # Qt measures at most the header's precision of rows

        self._keeping_current(fill)

    def _keeping_current(self, change: Callable[[], object]) -> None:
        current = self.current_row()
        self._filling = True
        try:
            change()
            if current is not None and current != self.current_row():
                self.select_row(current)
        finally:
            self._filling = False

    def select_row(self, row_id: tuple | None) -> None:
        if row_id is None:
            return
        found = self.model.find(row_id)
        if found.isValid():
            self.tree.setCurrentIndex(found)

    def current_row(self) -> tuple | None:
        current = self.tree.currentIndex()
        return current.data(ROW) if current.isValid() else None

    def relations(self) -> list[tuple[str, str]]:
        """(type, "from → to") of each relation row, as the tab shows them when looked at:
        for tests and screen readers."""
        self._fill()
        return [(self._text(i, 0), self._text(i, 1)) for i in self._children(self.model.index(RELATIONS_ROW, 0))]

    def entities(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        self._fill()
        return [(self._text(c, 0), self._text(c, 1), [(self._text(m, 0), self._text(m, 1)) for m in self._children(c)])
                for c in self._children(self.model.index(ENTITIES_ROW, 0))]

    def _children(self, parent: QModelIndex) -> list[QModelIndex]:
        return [self.model.index(i, 0, parent) for i in range(self.model.rowCount(parent))]

    def _text(self, index: QModelIndex, column: int) -> str:
        return str(index.siblingAtColumn(column).data())

    def focus_first(self) -> None:
        """The keyboard in the tree, on its first row if none is current."""
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.current_row() is None:
            for top in (RELATIONS_ROW, ENTITIES_ROW):
                first = self.model.index(0, 0, self.model.index(top, 0))
                if first.isValid():
                    self.tree.setCurrentIndex(first)
                    return

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._filling and current.isValid() and current.data(ROW) is not None:
            self.rowSelected.emit(current.data(ROW))

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
