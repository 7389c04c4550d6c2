"""New project: where (a file chooser, or typed), and whether it starts empty or with the
seed documents."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from annotator.ui.app import file_dialogs

SUFFIX = ".annotator"


class NewProjectDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project")
        self.path = QLineEdit()
        self.path.setPlaceholderText(f"a new file, for example news{SUFFIX}")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.seeds = QCheckBox("Start with the seed documents (news in several languages, to try the app on)")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Create")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Project file:", row)
        form.addRow("", self.seeds)
        form.addRow(self.buttons)
        self.resize(620, 140)

    def _browse(self) -> None:
        path = file_dialogs.save_file(self, "New project", f"project{SUFFIX}", file_dialogs.PROJECT_FILTER)
        if path is not None:
            self.path.setText(str(path))

    def chosen(self) -> Path | None:
        text = self.path.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return path if path.suffix else path.with_suffix(SUFFIX)

    def _accept(self) -> None:
        if self.chosen() is not None:
            self.accept()
        else:
            self.path.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> tuple[Path, bool] | None:
        dialog = cls(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        path = dialog.chosen()
        return (path, dialog.seeds.isChecked()) if path is not None else None
