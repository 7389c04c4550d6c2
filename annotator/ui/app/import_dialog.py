"""Import documents: the files (chosen, dropped on the window, or a folder), the format
(decided by each file's content, or one of the registry's readable formats, listed from
formats.registry so a new format appears here by itself), the layer name for records that
carry none, then progress with Cancel and a summary of what was added, skipped and why.
"As suggestions" loads the files' spans as the suggestions of a named source instead
(predictions made by another model, reviewed in the workspace with the suggestion keys).

The import runs on a worker thread (file_job_dialog.FileJobDialog); the window stays
usable, and a cancelled or failed import has written nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.formats import registry
from annotator.store.project import Project
from annotator.ui.app import file_dialogs
from annotator.ui.app.file_job_dialog import FileJobDialog
from annotator.ui.app.import_run import ImportChoice, run_import, suggestion_summary_lines, summary_lines
from annotator.ui.widgets.plain import plain_label

DETECT = "Decided by each file's content"


class ImportDialog(FileJobDialog):
    imported = Signal(object)  # the ImportReport of an import that wrote
    suggestionsLoaded = Signal(str)  # the summary's first line, after suggestions were loaded

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__("&Import", "Add the files to import, or drop them on the main window.", parent)
        self.project = project
        self.setWindowTitle(f"Import documents into {project.path.name}")
        self.import_button = self.action_button
        self.report = None

        self.files = QListWidget()
        self.files.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        add_files, add_folder, remove = QPushButton("Add &files…"), QPushButton("Add f&older…"), QPushButton("&Remove")
        add_files.clicked.connect(self._add_files)
        add_folder.clicked.connect(self._add_folder)
        remove.clicked.connect(self._remove_selected)
        file_buttons = QHBoxLayout()
        for button in (add_files, add_folder, remove):
            file_buttons.addWidget(button)
        file_buttons.addStretch(1)

        self.format = QComboBox()
        self.format.addItem(DETECT, None)
        for form in registry.FORMATS:
            if form.read is not None:
                self.format.addItem(f"{form.name} — {form.description}", form.name)
        self.layer = QLineEdit()
        self.layer.setPlaceholderText("default: each file's name")
        self.layer.setToolTip("The annotator (layer) of records that name none: CoNLL, brat and other tools' files")
        self.add_labels = QCheckBox("Add labels the project's schema lacks (listed in the summary)")
        self.add_labels.setChecked(True)
        self.strict = QCheckBox("Strict: refuse the import on any warning")
        self.as_suggestions = QCheckBox("As &suggestions of a named source (predictions made elsewhere, "
                                        "reviewed with the suggestion keys)")
        self.as_suggestions.setToolTip("The files' spans become suggestions on the documents with the same text, "
                                       "never a layer; loading a source again replaces its suggestions")
        self.source = QLineEdit()
        self.source.setPlaceholderText("default: the first file's name")
        self.source.setToolTip("The suggestion source's name, shown with each of its suggestions")
        self.as_suggestions.toggled.connect(self._update_options)
        form = QFormLayout()
        form.addRow("&Format:", self.format)
        form.addRow("&Layer name:", self.layer)
        form.addRow("", self.add_labels)
        form.addRow("", self.strict)
        form.addRow("", self.as_suggestions)
        form.addRow("Source &name:", self.source)

        self.summary.setPlaceholderText("The summary of the import appears here.")

        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("Files and folders:"))
        layout.addWidget(self.files)
        layout.addLayout(file_buttons)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 560)
        self._update_options()
        self.update_buttons()

    # -- the files -----------------------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> None:
        known = set(self.paths())
        for path in paths:
            if Path(path) not in known:
                self.files.addItem(str(path))
                known.add(Path(path))
        self.update_buttons()

    def paths(self) -> list[Path]:
        return [Path(self.files.item(i).text()) for i in range(self.files.count())]

    def _add_files(self) -> None:
        self.add_paths(file_dialogs.open_files(self, "Files to import"))

    def _add_folder(self) -> None:
        if (folder := file_dialogs.open_folder(self, "A folder to import")) is not None:
            self.add_paths([folder])

    def _remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self.update_buttons()

    # -- running -------------------------------------------------------------------------
    def choice(self) -> ImportChoice:
        paths = tuple(self.paths())
        source = None
        if self.as_suggestions.isChecked():
            source = self.source.text().strip() or (paths[0].stem if paths else None)
        return ImportChoice(paths, self.format.currentData(), self.layer.text().strip() or None,
                            self.add_labels.isChecked(), self.strict.isChecked(), source)

    def _update_options(self) -> None:
        # Suggestions add no labels and have no warnings to be strict about: those options are a layer's.
        suggestions = self.as_suggestions.isChecked()
        self.source.setEnabled(suggestions)
        self.add_labels.setEnabled(not suggestions)
        self.strict.setEnabled(not suggestions)

    def can_start(self) -> bool:
        return self.files.count() > 0

    def start(self) -> None:
        if self.running or not self.paths():
            return
        choice = self.choice()
        self.run_job(lambda **kw: run_import(self.project, choice, **kw),
                     f"Reading {len(choice.paths)} file(s) or folder(s)…",
                     lambda report: self._finished(report, choice.suggestion_source),
                     "Nothing imported", "Cancelled: nothing imported, the project is unchanged.")

    def _finished(self, report, source: str | None) -> None:
        self.report = report
        lines = summary_lines(report) if source is None else suggestion_summary_lines(report, source)
        self.ended(lines[0], "\n".join(lines))
        if source is None:
            self.imported.emit(report)
        else:
            self.suggestionsLoaded.emit(lines[0])

    def keyPressEvent(self, event) -> None:
        # Enter in the layer field must not start (or restart) an import by itself.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.focusWidget() in (self.layer, self.source):
            return
        super().keyPressEvent(event)
