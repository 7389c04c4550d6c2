"""The disagreement list of the adjudication window: one row per disagreement among the
annotators' layers of one document, with what the gold layer holds for it.

Rows are plain values (code-point offsets, labels, span ids), never ORM objects. The gold
column is recomputed from the gold layer's marks after every change, so it always says
what is stored: the versions gold has, a span of the curator's own, or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.core.agreement import LayerDisagreement
from annotator.ui.widgets.plain import tooltip

DECIDED = QColor("#e3f2e1")
OPEN = QColor("#6b6b6b")


@dataclass(frozen=True)
class Version:
    start: int  # code points
    end: int
    label: str
    uid: str
    text: str

    @property
    def key(self) -> tuple[int, int, str]:
        return self.start, self.end, self.label


@dataclass(frozen=True)
class Row:
    start: int
    end: int
    kind: str
    versions: tuple[Version | None, ...]  # one per annotator, in pane order

    def keys(self) -> set[tuple[int, int, str]]:
        return {v.key for v in self.versions if v is not None}


@dataclass(frozen=True)
class GoldState:
    """What gold holds for one row: which annotators' versions (indices), the ids of those
    gold spans, whether a span of the curator's own covers it, and whether every version
    was rejected (a decision the store keeps)."""

    accepted: tuple[int, ...] = ()
    gold_uids: tuple[str, ...] = ()
    own: bool = False
    rejected: bool = False

    @property
    def decided(self) -> bool:
        return bool(self.accepted or self.own or self.rejected)


def build_rows(disagreements: Sequence[LayerDisagreement], annotators: Sequence[str]) -> list[Row]:
    def version(span) -> Version | None:
        return None if span is None else Version(span.start, span.end, span.label, span.id, span.text)
    return [Row(d.start, d.end, d.kind, tuple(version(d.versions.get(a)) for a in annotators))
            for d in disagreements]


def gold_state(row: Row, gold: Sequence[tuple[int, int, str, str]], rejected: bool) -> GoldState:
    """`gold`: the gold layer's (start, end, label, uid), code points."""
    keys = row.keys()
    labels = {k[2] for k in keys}
    ranges = {k[:2] for k in keys}
    matching = [g for g in gold if g[:3] in keys]
    accepted = tuple(i for i, v in enumerate(row.versions) if v is not None and any(g[:3] == v.key for g in matching))
    # A gold span of the curator's own: over this place with one of the labels in question,
    # or on a version's offsets with another label. Nested spans of other labels (an ORG
    # inside a PERSON) are separate matters and do not count.
    own = any(g[:3] not in keys and g[0] < row.end and g[1] > row.start and (g[2] in labels or g[:2] in ranges)
              for g in gold)
    return GoldState(accepted, tuple(g[3] for g in matching), own, rejected)


class DisagreementModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._states: list[GoldState] = []
        self._annotators: list[str] = []

    # -- contents ----------------------------------------------------------------------
    def set_rows(self, rows: list[Row], annotators: list[str]) -> None:
        self.beginResetModel()
        self._rows, self._annotators = list(rows), list(annotators)
        self._states = [GoldState() for _ in rows]
        self.endResetModel()

    def set_gold(self, gold: Sequence[tuple[int, int, str, str]], rejected: Mapping[int, bool]) -> None:
        """Recomputes the gold column; `rejected` maps the numbers of the rows whose every
        version was rejected (the stored decisions)."""
        self._states = [gold_state(r, gold, rejected.get(i, False)) for i, r in enumerate(self._rows)]
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))

    def row(self, i: int) -> Row:
        return self._rows[i]

    def state(self, i: int) -> GoldState:
        return self._states[i]

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, cp: int) -> int | None:
        """The first row whose range covers code point `cp`."""
        return next((i for i, r in enumerate(self._rows) if r.start <= cp < r.end), None)

    # -- Qt's model interface ----------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3 + len(self._annotators)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        names = ["#", "kind", *(f"{i + 1} {a}" for i, a in enumerate(self._annotators)), "gold"]
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, state, col = self._rows[index.row()], self._states[index.row()], index.column()
        gold_col = 2 + len(self._annotators)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return str(index.row() + 1)
            if col == 1:
                return row.kind
            if col == gold_col:
                return self._gold_text(state)
            v = row.versions[col - 2]
            return "—" if v is None else f"{v.label} «{_short(v.text)}»"
        if role == Qt.ItemDataRole.ToolTipRole and 2 <= col < gold_col:
            v = row.versions[col - 2]
            return tooltip(f"{self._annotators[col - 2]}: no span here" if v is None
                           else f"{self._annotators[col - 2]}: {v.label} [{v.start}, {v.end}) «{v.text}»")
        if role == Qt.ItemDataRole.BackgroundRole and state.decided:
            return QBrush(DECIDED)
        if role == Qt.ItemDataRole.ForegroundRole and col == gold_col and not state.decided:
            return QBrush(OPEN)
        return None

    def _gold_text(self, state: GoldState) -> str:
        if state.accepted:
            return "✓ " + ", ".join(self._annotators[i] for i in state.accepted)
        if state.own:
            return "✎ own"
        if state.rejected:
            return "✗ none"
        return "open"


def _short(text: str, limit: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
