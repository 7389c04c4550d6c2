"""The annotation list's corpus scope: every span of one label in the annotator's layer
across the corpus ("all DATE spans without a value"), as a virtual table model.

The rows are plain CorpusSpan values read by one bulk query (store.queries); the view asks
only for the rows on screen, so thousands of spans cost no widgets. The filter keeps the
rows without a value and those whose text contains the typed text, case-insensitively.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from annotator.store.queries import CorpusSpan
from annotator.ui.widgets.plain import tooltip

SORT = Qt.ItemDataRole.UserRole  # the same roles as the document list's model
KEY = Qt.ItemDataRole.UserRole + 1
DOC = Qt.ItemDataRole.UserRole + 2  # the row's document id
SHOWN_TEXT = 120
NO_VALUE = "—"  # what the Value column shows for a span without one


def one_line(text: str) -> str:
    flat = " ".join(text.splitlines())
    return flat if len(flat) <= SHOWN_TEXT else flat[:SHOWN_TEXT] + "…"


class ItemsModel(QAbstractTableModel):
    """A read-only table over a list of rows (`items`), one column per header: what the
    document's annotation list and the corpus list share."""

    HEADERS: tuple[str, ...] = ()
    items: list

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class CorpusModel(ItemsModel):
    HEADERS = ("Document", "Text", "Value")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.items: list[CorpusSpan] = []
        self._rows: dict[str, int] = {}

    def set_rows(self, rows: list[CorpusSpan]) -> None:
        self.beginResetModel()
        self.items = rows
        self._rows = {row.uid: i for i, row in enumerate(rows)}
        self.endResetModel()

    def index_of(self, uid: str) -> QModelIndex:
        """The row of span `uid` (invalid if it is not listed), without a walk over the rows."""
        row = self._rows.get(uid)
        return self.index(row, 0) if row is not None else QModelIndex()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = self.items[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.document, one_line(row.text), row.value or NO_VALUE)[col]
        if role == SORT:
            # Documents in import order, a document's spans in text order.
            return (row.doc_id * 1_000_000_000 + row.start, row.text.casefold(), row.value or "")[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return tooltip(row.text)
        if role == KEY:
            return "span", row.uid
        if role == DOC:
            return row.doc_id
        return None


class CorpusFilter(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.without_value, self.needle = False, ""
        self.setSortRole(SORT)

    def set_filter(self, without_value: bool, needle: str) -> None:
        self.beginFilterChange()
        self.without_value, self.needle = without_value, needle.casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        row = self.sourceModel().items[source_row]
        return (not self.without_value or not row.value) and self.needle in row.text.casefold()
