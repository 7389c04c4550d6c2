"""The main window: the document list on the left, the selected document's text on the
right, the annotator and the document count in the status bar."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QMainWindow, QPlainTextEdit,
                               QSplitter, QTableView, QVBoxLayout, QWidget)

from annotator.store.project import Project
from annotator.store.queries import document_text, list_documents
from annotator.ui import fonts
from annotator.ui.document_model import LANG, SPANS, STATUS, TITLE, DocumentTableModel

# Every action's text and shortcut, defined once. Shortcuts are spelled as strings or
# standard keys: a QKeySequence made before the QApplication exists crashes Qt.
ACTIONS = {
    "next_document": ("&Next document", "Alt+Down"),
    "previous_document": ("&Previous document", "Alt+Up"),
    "quit": ("&Quit", QKeySequence.StandardKey.Quit),
}


class MainWindow(QMainWindow):
    def __init__(self, project: Project, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.annotator = annotator
        self.setWindowTitle(f"{project.path.name} — Annotator")
        self.resize(1200, 760)

        self.model = DocumentTableModel(parent=self)
        self.table = self._make_table()
        self.doc_title = QLabel()
        self.doc_title.setWordWrap(True)
        self.doc_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.doc_title.setFont(fonts.with_fallbacks(self.doc_title.font()))
        self.editor = self._make_editor()

        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.doc_title)
        layout.addWidget(self.editor, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([440, 760])
        self.setCentralWidget(self.splitter)

        self.annotator_label = QLabel()
        self.count_label = QLabel()
        self.statusBar().addWidget(self.annotator_label)
        self.statusBar().addPermanentWidget(self.count_label)

        self.actions_by_name = self._make_actions()
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.refresh()
        self.select_row(0)

    # -- construction ----------------------------------------------------------------
    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setFont(fonts.with_fallbacks(table.font()))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for col in (LANG, STATUS, SPANS):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        return table

    def _make_editor(self) -> QPlainTextEdit:
        editor = QPlainTextEdit()
        editor.setReadOnly(True)
        editor.setUndoRedoEnabled(False)
        editor.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                       | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        editor.setFont(fonts.text_font())
        return editor

    def _make_actions(self) -> dict[str, QAction]:
        slots = {"next_document": self.next_document, "previous_document": self.previous_document,
                 "quit": self.close}
        actions = {}
        for name, (text, shortcut) in ACTIONS.items():
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slots[name])
            actions[name] = action
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(actions["quit"])
        go_menu = self.menuBar().addMenu("&Go")
        go_menu.addAction(actions["previous_document"])
        go_menu.addAction(actions["next_document"])
        return actions

    # -- reading the store -------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the document list, keeping the current document selected."""
        current = self.current_document_id()
        with self.project.read() as conn:
            rows = list_documents(conn, self.annotator)
        self.model.set_rows(rows)
        self.annotator_label.setText(f"Annotator: {self.annotator}")
        self.count_label.setText(f"{len(rows)} document{'' if len(rows) == 1 else 's'}")
        if current is not None and (row := self.model.row_of(current)) >= 0:
            self.select_row(row)

    def show_document(self, doc_id: int | None) -> None:
        if doc_id is None:
            self.doc_title.clear()
            self.editor.clear()
            return
        with self.project.read() as conn:
            text = document_text(conn, doc_id)
        r = self.model.row_at(self.model.row_of(doc_id))
        self.doc_title.setText(f"<b>{_html(r.title or r.uid)}</b>  <small>{r.lang} · {r.uid}</small>")
        self.editor.setPlainText(text)

    # -- navigation --------------------------------------------------------------------
    def current_row(self) -> int:
        index = self.table.selectionModel().currentIndex()
        return index.row() if index.isValid() else -1

    def current_document_id(self) -> int | None:
        row = self.current_row()
        return self.model.row_at(row).id if row >= 0 else None

    def select_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        index = self.model.index(row, TITLE)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def next_document(self) -> None:
        self.select_row(self.current_row() + 1)

    def previous_document(self) -> None:
        self.select_row(max(self.current_row() - 1, 0))

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.show_document(self.model.row_at(current.row()).id if current.isValid() else None)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
