"""A small keyboard-first chooser: an event type, an argument role.

Each choice has a key (the schema's type key, or a digit); with nothing typed, pressing
a key picks its choice at once. Other letters filter by type-ahead and Enter takes the
first choice left. Choices that cannot be taken stay listed, greyed, with the reason,
so the annotator learns why instead of wondering where a role went.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from annotator.ui.widgets.plain import esc, rich_label, tooltip


@dataclass(frozen=True)
class Choice:
    name: str
    key: str = ""
    detail: str = ""
    refused: str = ""  # why it cannot be chosen; empty if it can
    description: str = ""  # its definition from the schema: the row's tooltip
    search: str = ""  # more text typing finds it by (a knowledge-base entry's aliases)


class ChoicePopup(QDialog):
    def __init__(self, title: str, choices: list[Choice], parent: QWidget | None = None,
                 keys_pick: bool = True, limit: int | None = None) -> None:
        super().__init__(parent)
        # At most `limit` rows listed (a table of many thousand entries), then a line saying
        # how many more match: typing narrows them.
        self.limit = limit
        self.setWindowTitle(title)
        self.choices = choices
        # False: every letter typed filters (many choices, names typed rather than keys).
        self.keys_pick = keys_pick
        self.chosen: str | None = None
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Press a key, or type to filter; Enter picks, Esc cancels" if keys_pick
                                       else "Type to filter; Up and Down choose, Enter picks, Esc cancels")
        self.list = QListWidget()
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the filter keeps the keys
        layout = QVBoxLayout(self)
        layout.addWidget(rich_label(f"<b>{esc(title)}</b>"))
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.filter.textChanged.connect(self._refill)
        self.filter.installEventFilter(self)
        self.list.itemActivated.connect(self._take_item)
        self._refill("")
        self.resize(420, min(80 + 28 * len(choices), 420))

    def _refill(self, text: str) -> None:
        self.list.clear()
        needle = text.casefold()
        shown = hidden = 0
        for c in self.choices:
            if needle and needle not in c.name.casefold() and needle not in c.search.casefold():
                continue
            if self.limit is not None and shown >= self.limit:
                hidden += 1
                continue
            shown += 1
            label = f"{c.key}  {c.name}" if c.key else c.name
            if c.detail:
                label += f"   ({c.detail})"
            if c.refused:
                label += f" — {c.refused}"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, c.name)
            if c.description:
                item.setToolTip(tooltip(c.description))
            if c.refused:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(item)
        if hidden:
            more = QListWidgetItem(f"… {hidden:,} more: type to narrow")
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(more)
        first = next((i for i in range(self.list.count()) if self.list.item(i).flags() & Qt.ItemFlag.ItemIsEnabled),
                     None)
        if first is not None:
            self.list.setCurrentRow(first)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.filter and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._take_item(self.list.currentItem())
                return True
            if self.keys_pick and not self.filter.text() and event.text():
                hit = next((c for c in self.choices if c.key and c.key == event.text()), None)
                if hit is not None:
                    self._take(hit)
                    return True
        return super().eventFilter(obj, event)

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        for _ in range(self.list.count()):
            row = (row + step) % max(self.list.count(), 1)
            if self.list.item(row).flags() & Qt.ItemFlag.ItemIsEnabled:
                self.list.setCurrentRow(row)
                return

    def _take_item(self, item: QListWidgetItem | None) -> None:
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return
        self._take(next(c for c in self.choices if c.name == item.data(Qt.ItemDataRole.UserRole)))

    def _take(self, choice: Choice) -> None:
        if choice.refused:
            return
        self.chosen = choice.name
        self.accept()

    @classmethod
    def ask(cls, title: str, choices: list[Choice], parent: QWidget | None = None,
            keys_pick: bool = True) -> str | None:
        popup = cls(title, choices, parent, keys_pick)
        popup.filter.setFocus()
        return popup.chosen if popup.exec() == QDialog.DialogCode.Accepted else None
