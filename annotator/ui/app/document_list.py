"""The document list: one row per document, from `annotator.store.queries.DocumentRow`.

Rows are plain tuples read in one query; the text itself is read only for the document
on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from annotator.store.queries import DocumentRow
from annotator.ui.widgets.plain import tooltip

COLUMNS = ("Title", "Lang", "Status", "Spans")
TITLE, LANG, STATUS, SPANS = range(len(COLUMNS))
STATUS_TEXT = {"todo": "to do", "in_progress": "in progress", "done": "done"}
STATUS_ORDER = ("todo", "in_progress", "done")

# Custom roles: the document's database id and its stable id (uid); the sort key.
DocumentIdRole = Qt.ItemDataRole.UserRole + 1
DocumentUidRole = Qt.ItemDataRole.UserRole + 2
SortRole = Qt.ItemDataRole.UserRole + 3
# The recommenders' confidence in the document, the sort key of "least sure first"; a
# document they have no model for sorts after every other.
UncertaintyRole = Qt.ItemDataRole.UserRole + 4
NO_CONFIDENCE = 2.0

Index = QModelIndex | QPersistentModelIndex


class DocumentTableModel(QAbstractTableModel):
    def __init__(self, rows: list[DocumentRow] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[DocumentRow] = list(rows or [])
        self.confidence: dict[int, float | None] = {}  # document id: the recommenders' confidence

    def set_confidence(self, confidence: dict[int, float | None]) -> None:
        self.confidence = dict(confidence)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))

    # -- contents -------------------------------------------------------------------
    def set_rows(self, rows: list[DocumentRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def update_rows(self, rows: list[DocumentRow]) -> None:
        """Replace the rows of these documents in place (after an edit), keeping the rest."""
        for new in rows:
            i = self.row_of(new.id)
            if i >= 0:
                self._rows[i] = new
                self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))

    def row_at(self, row: int) -> DocumentRow:
        return self._rows[row]

    def row_of(self, doc_id: int) -> int:
        """The row showing document `doc_id`, or -1."""
        for i, r in enumerate(self._rows):
            if r.id == doc_id:
                return i
        return -1

    # -- QAbstractItemModel ------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
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
            sure = self.confidence.get(r.id)
            sure_text = f"\nrecommenders {sure:.0%} sure" if sure is not None else ""
            return tooltip(f"{r.title or ''}\n{r.uid} · {r.length} characters{group}{sure_text}".strip())
        elif role == Qt.ItemDataRole.TextAlignmentRole and col == SPANS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == DocumentIdRole:
            return r.id
        elif role == DocumentUidRole:
            return r.uid
        elif role == UncertaintyRole:
            sure = self.confidence.get(r.id)
            return NO_CONFIDENCE if sure is None else sure
        elif role == SortRole:
            # Progress order for the status, numbers for counts, folded case for text.
            if col == STATUS:
                return STATUS_ORDER.index(r.status) if r.status in STATUS_ORDER else len(STATUS_ORDER)
            if col == SPANS:
                return r.spans
            return (r.title or r.uid).casefold() if col == TITLE else r.lang
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


_KEEP = object()


class DocumentFilterProxy(QSortFilterProxyModel):
    """The document list filtered by language, status and a set of ids (the documents a
    text search found); None means "no filter" for each. Unsorted, it keeps the source
    (import) order; header clicks sort by `SortRole`."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self._lang: str | None = None
        self._status: str | None = None
        self._ids: frozenset[int] | None = None
        self.pinned: int | None = None  # the open document (see filterAcceptsRow)

    def set_filters(self, lang=_KEEP, status=_KEEP, ids=_KEEP) -> None:
        """Change any of the three filters at once (others are kept); `ids` is a
        collection of document ids or None."""
        self.beginFilterChange()
        if lang is not _KEEP:
            self._lang = lang
        if status is not _KEEP:
            self._status = status
        if ids is not _KEEP:
            self._ids = None if ids is None else frozenset(ids)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filters(self) -> tuple[str | None, str | None, frozenset[int] | None]:
        return self._lang, self._status, self._ids

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if source_parent.isValid() or not isinstance(model, DocumentTableModel):
            return True
        r = model.row_at(source_row)
        if r.id == self.pinned and self._status is not None and (self._lang is None or r.lang == self._lang) \
                and (self._ids is None or r.id in self._ids):
            return True  # the open document's status changed under a status filter: it stays
        return ((self._lang is None or r.lang == self._lang)
                and (self._status is None or r.status == self._status)
                and (self._ids is None or r.id in self._ids))

    def proxy_row_of(self, doc_id: int) -> int:
        """The row showing `doc_id` in this view, or -1 (unknown or filtered out)."""
        model = self.sourceModel()
        source_row = model.row_of(doc_id) if isinstance(model, DocumentTableModel) else -1
        if source_row < 0:
            return -1
        return self.mapFromSource(model.index(source_row, 0)).row()
