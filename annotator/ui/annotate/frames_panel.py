"""The events and claims of the open document, with their arguments, as a tree.

Rows carry ids only (kind, uid, role, span uid); the frame controller owns the data and
does every edit. Keys: Del removes the row (a whole event or claim, or one argument), F2
or Enter changes an event's type or an argument's role, Esc goes back to the text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.core.command_keys import hint_line
from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import quiet, tooltip

ROW = Qt.ItemDataRole.UserRole  # (kind, uid, role or None, span uid or None)


class FramesPanel(QWidget):
    rowSelected = Signal(object)  # (kind, uid, role, span) or None
    deleteRequested = Signal(object)  # the row's tuple
    editRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("<b>Events and claims</b>")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["", ""])
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(2)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setFont(fonts.with_fallbacks(self.tree.font()))
        self.tree.setRootIsDecorated(True)
        self.tree.setMinimumHeight(40)  # the window stays resizable to small screens
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self.editRequested.emit(item.data(0, ROW)))
        self.tree.installEventFilter(self)
        self.hint = QLabel(hint_line())  # the command letters of core's one key table
        self.hint.setWordWrap(True)
        quiet(self.hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.hint)
        self._filling = False

    def show_frames(self, rows: list[tuple[tuple, str, str, list[tuple[tuple, str, str, bool]]]],
                    current: tuple | None, describe: Callable[[tuple, str | None], str] | None = None) -> None:
        """rows: (row id, heading, text, [(argument row id, role, text, missing)]); keeps
        `current` selected (a frame or argument row id) if it is still there. `describe`
        (frame row id, role or None for the frame's type) gives the schema's definition,
        the tooltip of the type and role cells."""
        self._filling = True
        self.tree.clear()
        select = None
        for row_id, heading, text, args in rows:
            top = QTreeWidgetItem([heading, text])
            top.setData(0, ROW, row_id)
            top.setToolTip(1, tooltip(text))
            if describe is not None:
                top.setToolTip(0, tooltip(describe(row_id, None)))
            f = top.font(0)
            f.setBold(True)
            top.setFont(0, f)
            for arg_id, role, arg_text, missing in args:
                child = QTreeWidgetItem([role, arg_text])
                child.setData(0, ROW, arg_id)
                if describe is not None:
                    child.setToolTip(0, tooltip(describe(row_id, role)))
                if missing:  # a role of the schema not filled yet: a reminder, not a row to act on
                    child.setForeground(0, QBrush(QColor("#999")))
                    child.setForeground(1, QBrush(QColor("#999")))
                    child.setFlags(Qt.ItemFlag.ItemIsEnabled)
                top.addChild(child)
                if current is not None and arg_id == current:
                    select = child
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
            if current is not None and row_id == current:
                select = top
        self.tree.resizeColumnToContents(0)
        self.title.setText(f"<b>Events and claims</b> ({len(rows)})")
        if select is not None:
            self.tree.setCurrentItem(select)
        self._filling = False

    def current_row(self) -> tuple | None:
        item = self.tree.currentItem()
        return item.data(0, ROW) if item is not None else None

    def select_row(self, row_id: tuple | None) -> None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for item in [top] + [top.child(j) for j in range(top.childCount())]:
                if item.data(0, ROW) == row_id:
                    self.tree.setCurrentItem(item)
                    return
        self.tree.setCurrentItem(None)

    def rows(self) -> list[tuple[str, str]]:
        """What the panel shows, top-level rows as (heading, text): for tests and screen readers."""
        return [(self.tree.topLevelItem(i).text(0), self.tree.topLevelItem(i).text(1))
                for i in range(self.tree.topLevelItemCount())]

    def arguments(self, i: int) -> list[tuple[str, str]]:
        top = self.tree.topLevelItem(i)
        return [(top.child(j).text(0), top.child(j).text(1)) for j in range(top.childCount())]

    def _current_changed(self, item, _previous) -> None:
        if not self._filling:
            self.rowSelected.emit(item.data(0, ROW) if item is not None else None)

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
