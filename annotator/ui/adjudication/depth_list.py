"""The adjudication window's second list (issue 14): attributes, relations and entity
clusters where the annotators' layers differ, or agree while gold holds something else,
each annotator's version and what gold holds now. Alt+N (with the list focused) gives gold
annotator N's version, Alt+0 none; core.depth_diff finds the places and
store.adjudication_depth writes the choice through the edit runner."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from annotator.core.depth_diff import DepthDisagreement, SpanKey, describe, gold_version, show_version
from annotator.ui.adjudication.model import DECIDED, OPEN


class DepthModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[DepthDisagreement] = []
        self._annotators: list[str] = []
        self._quote: Mapping[SpanKey, str] = {}
        self._gold: Mapping[tuple[str, Hashable], object] = {}

    def set_rows(self, rows: Sequence[DepthDisagreement], annotators: Sequence[str],
                 quote: Mapping[SpanKey, str]) -> None:
        self.beginResetModel()
        self._rows, self._annotators, self._quote = list(rows), list(annotators), quote
        self._gold = {}
        self.endResetModel()

    def set_gold(self, in_gold: Mapping[tuple[str, Hashable], object]) -> None:
        """gold_places of the gold layer as stored now."""
        self._gold = in_gold
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))

    def row(self, i: int) -> DepthDisagreement:
        return self._rows[i]

    def gold(self, i: int) -> object:
        return gold_version(self._rows[i], self._gold)

    def decided(self, i: int) -> bool:
        """Gold holds one of the versions."""
        d = self._rows[i]
        return repr(self.gold(i)) in {repr(v) for v in d.versions.values()} or (
            len(d.versions) < len(self._annotators) and self.gold(i) in (None, False))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3 + len(self._annotators)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        names = ["#", "attribute, relation or cluster", *(f"{i + 1} {a}" for i, a in enumerate(self._annotators)),
                 "gold"]
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        i, col = index.row(), index.column()
        d = self._rows[i]
        gold_col = 2 + len(self._annotators)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return str(i + 1)
            if col == 1:
                return describe(d, self._quote)
            if col == gold_col:
                return show_version(d, self.gold(i), self._quote)
            name = self._annotators[col - 2]
            if name not in d.versions:
                return "(no such item)"
            return show_version(d, d.versions[name], self._quote)
        if role == Qt.ItemDataRole.BackgroundRole and self.decided(i):
            return QBrush(DECIDED)
        if role == Qt.ItemDataRole.ForegroundRole and col == gold_col and not self.decided(i):
            return QBrush(OPEN)
        return None
