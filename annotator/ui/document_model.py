"""The document list: one row per document, from `annotator.store.queries.DocumentRow`.

Rows are plain tuples read in one query; the text itself is read only for the document
on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.store.queries import DocumentRow

COLUMNS = ("Title", "Lang", "Status", "Spans")
TITLE, LANG, STATUS, SPANS = range(len(COLUMNS))
STATUS_TEXT = {"todo": "to do", "in_progress": "in progress", "done": "done"}

# Custom roles: the document's database id and its stable id (uid).
DocumentIdRole = Qt.ItemDataRole.UserRole + 1
DocumentUidRole = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class DocumentTableModel(QAbstractTableModel):
    def __init__(self, rows: list[DocumentRow] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[DocumentRow] = list(rows or [])

    # -- contents -------------------------------------------------------------------
    def set_rows(self, rows: list[DocumentRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> DocumentRow:
        return self._rows[row]

    def row_of(self, doc_id: int) -> int:
        """The row showing document `doc_id`, or -1."""
        for i, r in enumerate(self._rows):
            if r.id == doc_id:
                return i
        return -1

    # -- QAbstractItemModel ------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == TITLE:
                return r.title or r.uid
            if col == LANG:
                return r.lang
            if col == STATUS:
                return STATUS_TEXT.get(r.status, r.status)
            if col == SPANS:
                return r.spans
        elif role == Qt.ItemDataRole.ToolTipRole:
            group = f"\ntranslation group: {r.group}" if r.group else ""
            return f"{r.title or ''}\n{r.uid} · {r.length} characters{group}".strip()
        elif role == Qt.ItemDataRole.TextAlignmentRole and col == SPANS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == DocumentIdRole:
            return r.id
        elif role == DocumentUidRole:
            return r.uid
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return section + 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
