"""A searchable list of keyboard shortcuts, grouped, built from rows the caller derives
from its action registry: (group, action text, shortcut text). Esc closes it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.widgets.plain import plain_label

Row = tuple[str, str, str]


def matches(row: Row, query: str) -> bool:
    """Every whitespace-separated term of `query` occurs, case-insensitively, in the
    group, the action text or the shortcut text of `row`."""
    haystack = " ".join(row).replace("&", "").casefold()
    return all(term in haystack for term in query.casefold().split())


def grouped(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    """Groups sorted by name (case-insensitively); rows keep their given order in a group."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row)
    return sorted(groups.items(), key=lambda item: (item[0].casefold(), item[0]))


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[Row], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(520, 520)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by action, key or group")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Action", "Shortcut"])
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tree.setStyleSheet("QTreeView::item { padding: 1px 10px 1px 0px; }")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = plain_label()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()

        self._items: list[tuple[QTreeWidgetItem, Row]] = []
        self._groups: list[QTreeWidgetItem] = []
        for group, members in grouped(rows):
            group_item = QTreeWidgetItem(self.tree, [group])
            font = group_item.font(0)
            font.setBold(True)
            group_item.setFont(0, font)
            group_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            group_item.setFirstColumnSpanned(True)
            for row in members:
                item = QTreeWidgetItem(group_item, [row[1].replace("&", ""), row[2]])
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self._items.append((item, row))
            self._groups.append(group_item)
        self.tree.expandAll()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        # Enter in the filter must not close the dialog.
        close.setAutoDefault(False)
        close.setDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self.apply_filter)
        self.filter.setFocus()

    def apply_filter(self, query: str) -> None:
        for item, row in self._items:
            item.setHidden(not matches(row, query))
        for group_item in self._groups:
            children = (group_item.child(i) for i in range(group_item.childCount()))
            group_item.setHidden(all(child.isHidden() for child in children))
        nothing = bool(self._items) and not self.visible_rows()
        self.empty.setText(f"No shortcut matches “{query.strip()}”" if nothing else "")
        self.empty.setVisible(nothing)

    def visible_rows(self) -> list[Row]:
        """The rows shown, in display order."""
        return [row for item, row in self._items if not item.isHidden()]
