"""Export: a format of the registry (listed from formats.registry, so a new writer appears
here by itself), the layers (every annotator's, the gold layer, or a choice), the
documents, and the target file (or new folder, for formats that write one). The writing is
annotator.exporter's, with the command line's rules: a project, its companions or another
project are refused as the target, an existing file is replaced only when asked, and the
file appears complete or not at all. It runs on a worker thread with Cancel.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.identity import GOLD_ANNOTATOR
from annotator.exporter import ExportCancelled, ExportChoice, export
from annotator.formats import registry
from annotator.store.layers import has_gold_layer, layer_annotators
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.ui.app import file_dialogs
from annotator.ui.app.file_job import Cancelled
from annotator.ui.app.file_job_dialog import FileJobDialog
from annotator.ui.widgets import fonts


def _checkable(text: str, data, checked: bool = True) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, data)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


def _checked(widget: QListWidget) -> list:
    return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


class ExportDialog(FileJobDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__("&Export", "", parent)
        self.project = project
        self.setWindowTitle(f"Export from {project.path.name}")
        self.result = None

        self.format = QComboBox()
        for form in registry.FORMATS:
            if form.write is not None:
                self.format.addItem(f"{form.name} — {form.description}", form.name)
        with project.read() as conn:
            annotators = [n for n in layer_annotators(conn) if n != GOLD_ANNOTATOR]
            gold = has_gold_layer(conn)
            documents = list_documents(conn)
        self.layers = QListWidget()
        for name in annotators:
            self.layers.addItem(_checkable(f"{name}'s layer", name))
        if gold:
            self.layers.addItem(_checkable("gold (adjudicated; alone: only the documents that have it)",
                                           GOLD_ANNOTATOR))
        self.layers.setMaximumHeight(120)
        self.documents = QListWidget()
        self.documents.setFont(fonts.with_fallbacks(self.documents.font()))
        for row in documents:
            self.documents.addItem(_checkable(f"{row.uid}  {row.title or ''}  ({row.lang})", row.id))
        all_docs, no_docs = QPushButton("&All"), QPushButton("&None")
        all_docs.clicked.connect(lambda: self._check_all(self.documents, True))
        no_docs.clicked.connect(lambda: self._check_all(self.documents, False))
        doc_buttons = QHBoxLayout()
        doc_buttons.addWidget(all_docs)
        doc_buttons.addWidget(no_docs)
        doc_buttons.addStretch(1)

        self.target = QLineEdit()
        self.target.setPlaceholderText("the file (or, for a folder format, the new folder) to write")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        target_row = QHBoxLayout()
        target_row.addWidget(self.target, 1)
        target_row.addWidget(browse)
        self.force = QCheckBox("Replace the file if it exists (never a project)")

        form = QFormLayout()
        form.addRow("&Format:", self.format)
        form.addRow("&Layers:", self.layers)
        form.addRow("&Documents:", self.documents)
        form.addRow("", doc_buttons)
        form.addRow("Target:", target_row)
        form.addRow("", self.force)

        self.summary.setMaximumHeight(110)
        self.export_button = self.action_button

        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(680, 620)
        self.update_buttons()

    @staticmethod
    def _check_all(widget: QListWidget, on: bool) -> None:
        for i in range(widget.count()):
            widget.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _browse(self) -> None:
        form = registry.get(self.format.currentData(), writable=True)
        suffix = "" if form.writes_folder else (form.extensions[0] if form.extensions else "")
        path = file_dialogs.save_file(self, "Export to", f"{self.project.path.stem}-export{suffix}")
        if path is not None:
            self.target.setText(str(path))

    def choice(self) -> ExportChoice:
        layers = _checked(self.layers)
        every_layer = len(layers) == self.layers.count()  # as `annotator export` with no --annotator
        docs = _checked(self.documents)
        return ExportChoice(Path(self.target.text().strip()), self.format.currentData(),
                            None if every_layer else layers,
                            None if len(docs) == self.documents.count() else docs, self.force.isChecked())

    def start(self) -> None:
        if self.running:
            return
        if not self.target.text().strip():
            self.status.setText("Choose the target file first (Browse…).")
            return
        choice = self.choice()
        project = self.project

        def run(cancelled, progress):
            try:
                return export(project, choice, cancelled, lambda n: progress(n, 0, f"Writing… {n} record(s) so far"))
            except ExportCancelled:
                raise Cancelled() from None

        self.run_job(run, "Writing…", self._finished, "Nothing exported", "Cancelled: nothing was written.")

    def _finished(self, result) -> None:
        self.result = result
        lines = [f"Exported {result.count} record(s) as {result.fmt} to {result.output}"]
        lines += [f"{result.fmt} has no place for {what}: left out" for what in result.left_out]
        self.ended(lines[0], "\n".join(lines))
