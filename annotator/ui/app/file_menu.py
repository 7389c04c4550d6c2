"""The main window's File menu: new, open, open recent and close (the session's), import
and export (dialogs over this project), and files dropped on the window (imported through
the same dialog and summary; a dropped project is opened instead)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from annotator.store.recognise import is_project_file

if TYPE_CHECKING:  # imported when first opened: the formats and the exporter are not start-up's
    from annotator.ui.app.export_dialog import ExportDialog
    from annotator.ui.app.import_dialog import ImportDialog


class FileMenu(QObject):
    def __init__(self, main, session) -> None:
        super().__init__(main)
        self.main, self.session = main, session
        self.import_dialog: ImportDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self._labels_added = False  # by an import: the window is rebuilt once its dialog closes

    def slots(self) -> dict:
        main, session = self.main, self.session
        return {
            "new_project": lambda: session.new_project(main), "open_project": lambda: session.open_dialog(main),
            "open_recent": lambda: session.open_recent(main), "import_documents": lambda: self.open_import(),
            "export": self.open_export, "close_project": session.close_project,
        }

    # -- import ----------------------------------------------------------------------------
    def open_import(self, paths: list[Path] | None = None) -> ImportDialog:
        """The import dialog (one, kept while open), with `paths` added to its files."""
        if self.import_dialog is None:
            from annotator.ui.app.import_dialog import ImportDialog

            self.import_dialog = ImportDialog(self.main.project, self.main)
            self.import_dialog.imported.connect(self._imported)
            self.import_dialog.suggestionsLoaded.connect(self._suggestions_loaded)
            self.import_dialog.finished.connect(self._import_closed)
        if paths:
            self.import_dialog.add_paths(paths)
        self.import_dialog.show()
        self.import_dialog.raise_()
        self.import_dialog.activateWindow()
        return self.import_dialog

    def _import_closed(self) -> None:
        if self.import_dialog is not None and not (self.import_dialog.job and self.import_dialog.job.running):
            self.import_dialog.deleteLater()
            self.import_dialog = None
            if self._labels_added:  # the palette, keys and colours are built from the schema: a fresh window
                self._labels_added = False
                self.session.show_project(self.main.project, self.main.annotator)

    def _imported(self, report) -> None:
        main = self.main
        main.navigator.refresh()
        if main.workspace.doc_id is None and report.added:
            main.navigator.next_document()
        labels = [lab.name for lab in main.project.schema.labels]
        self._labels_added = self._labels_added or labels != list(main.palette.rows)

    def _suggestions_loaded(self, summary: str) -> None:
        """Loaded outside the edit runner: the open document's suggestions are read again."""
        self.main.suggestions.reload()
        self.main.statusBar().showMessage(summary, 8000)

    # -- export ----------------------------------------------------------------------------
    def open_export(self) -> ExportDialog:
        self.main.inspector.commit_pending()  # a note being typed belongs in the export
        if self.export_dialog is None:
            from annotator.ui.app.export_dialog import ExportDialog

            self.export_dialog = ExportDialog(self.main.project, self.main)
            self.export_dialog.finished.connect(self._export_closed)
        self.export_dialog.show()
        self.export_dialog.raise_()
        self.export_dialog.activateWindow()
        return self.export_dialog

    def _export_closed(self) -> None:
        if self.export_dialog is not None and not (self.export_dialog.job and self.export_dialog.job.running):
            self.export_dialog.deleteLater()
            self.export_dialog = None

    # -- drag and drop ---------------------------------------------------------------------
    @staticmethod
    def dropped_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def drag_enter(self, event: QDragEnterEvent) -> None:
        if self.dropped_paths(event):
            event.acceptProposedAction()

    def drop(self, event: QDropEvent) -> None:
        paths = self.dropped_paths(event)
        if not paths:
            return
        event.acceptProposedAction()
        if len(paths) == 1 and paths[0].is_file() and is_project_file(paths[0]):
            self.session.open_path(paths[0], self.main)
            return
        self.open_import(paths)

    def close_dialogs(self) -> None:
        """Before the project closes: a running import or export finishes or stops first."""
        self._labels_added = False  # the window is closing: nothing to rebuild
        for dialog in (self.import_dialog, self.export_dialog):
            if dialog is not None:
                dialog.close()
