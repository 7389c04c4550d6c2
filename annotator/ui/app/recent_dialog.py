"""Open recent: the remembered projects, newest first; one that is gone from disk is shown
greyed as missing and can be removed (one, or every missing one) instead of opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from annotator.ui.app.recent_projects import RecentProjects
from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import plain_label


def entry_text(path: Path, missing: bool) -> str:
    return f"{path.name}   {path.parent}" + ("   (missing)" if missing else "")


class RecentDialog(QDialog):
    def __init__(self, recent: RecentProjects, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open a recent project")
        self.recent = recent
        self.chosen: Path | None = None
        self.list = QListWidget()
        self.list.setFont(fonts.with_fallbacks(self.list.font()))
        self.list.itemActivated.connect(lambda _item: self._open())
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.AcceptRole)
        self.remove_button = QPushButton("&Remove from the list")
        self.remove_missing_button = QPushButton("Remove every &missing one")
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.remove_missing_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.open_button.clicked.connect(self._open)
        self.remove_button.clicked.connect(self._remove)
        self.remove_missing_button.clicked.connect(self._remove_missing)
        buttons.rejected.connect(self.reject)
        self.note = plain_label("")
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(640, 360)
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        for entry in self.recent.entries():
            item = QListWidgetItem(entry_text(entry.path, entry.missing))
            item.setData(Qt.ItemDataRole.UserRole, str(entry.path))
            item.setToolTip(f"{entry.path}" + (": no longer there (moved, renamed or deleted)" if entry.missing else ""))
            if entry.missing:
                item.setForeground(self.palette().color(self.palette().ColorGroup.Disabled,
                                                        self.palette().ColorRole.Text))
            item.setData(Qt.ItemDataRole.UserRole + 1, entry.missing)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.note.setText("" if self.list.count() else "No project opened yet.")
        self._update_buttons()

    def _current(self) -> tuple[Path, bool] | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return Path(item.data(Qt.ItemDataRole.UserRole)), bool(item.data(Qt.ItemDataRole.UserRole + 1))

    def _update_buttons(self) -> None:
        current = self._current()
        self.open_button.setEnabled(current is not None and not current[1])
        self.remove_button.setEnabled(current is not None)
        self.remove_missing_button.setEnabled(any(e.missing for e in self.recent.entries()))

    def _open(self) -> None:
        current = self._current()
        if current is None:
            return
        if current[1]:
            self.note.setText(f"{current[0]} is missing: it was moved, renamed or deleted. Remove it from the list, "
                              "or open it where it is now with File > Open project.")
            return
        self.chosen = current[0]
        self.accept()

    def _remove(self) -> None:
        if (current := self._current()) is not None:
            self.recent.remove(current[0])
            self._fill()

    def _remove_missing(self) -> None:
        gone = self.recent.remove_missing()
        self._fill()
        self.note.setText(f"Removed {gone} missing project(s) from the list.")

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> Path | None:
        dialog = cls(RecentProjects(), parent)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None
