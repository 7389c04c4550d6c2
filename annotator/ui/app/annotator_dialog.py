"""Asks who is annotating: a known name or a new one. Every span records its annotator,
so the name is required; blank or whitespace-only names can't be confirmed."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from annotator.core.identity import default_annotator
from annotator.store.queries import annotator_names
from annotator.ui.app.settings import ProjectSettings
from annotator.ui.widgets import fonts


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for name in names:
        name = name.strip()
        if name:
            seen.setdefault(name, None)
    return list(seen)


class AnnotatorDialog(QDialog):
    def __init__(self, suggested: str, known: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is annotating?")
        intro = QLabel("Your name is stored with every span you make.\n"
                       "Pick a known annotator or type a new name.")
        intro.setWordWrap(True)

        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # No inline completion: typing "bob" must give "bob", not a known "bobby".
        self.combo.setCompleter(None)
        self.combo.setFont(fonts.with_fallbacks(self.combo.font()))
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.combo.setMinimumContentsLength(24)
        self.combo.addItems(_unique(known))
        self.combo.setCurrentIndex(self.combo.findText(suggested.strip()))
        self.combo.setEditText(suggested)
        self.combo.lineEdit().setPlaceholderText("Your name")
        self.combo.lineEdit().selectAll()
        name_label = QLabel("&Annotator:")
        name_label.setBuddy(self.combo)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(name_label)
        layout.addWidget(self.combo)
        layout.addWidget(self.buttons)
        self.combo.editTextChanged.connect(self._update_ok)
        self._update_ok()
        self.combo.setFocus()

    def name(self) -> str:
        """The name as it would be returned: stripped; empty if blank."""
        return self.combo.currentText().strip()

    def accept(self) -> None:
        if self.name():  # Enter in the field reaches here even with OK disabled
            super().accept()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.name()))

    @staticmethod
    def ask(parent: QWidget | None, suggested: str, known: list[str]) -> str | None:
        """Runs the dialog modally; the stripped name on OK, None on Cancel or Esc."""
        dialog = AnnotatorDialog(suggested, known, parent)
        try:
            return dialog.name() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


def choose_annotator(project) -> str:
    """The name given last time for this project; on first start, ask (default: login)."""
    settings = ProjectSettings(project.path)
    remembered = settings.get("annotator")
    if remembered:
        return str(remembered)
    with project.read() as conn:
        known = annotator_names(conn)
    name = AnnotatorDialog.ask(None, default_annotator(), known) or default_annotator()
    settings.set("annotator", name)
    return name
