"""The annotation list: every span, event and claim of the open document in the current
annotator's layer, filterable by label and by text, sortable by any column. Its scope box
switches to the whole corpus: every span of one label across the documents (with a
"Without a value" filter); a click or Enter there opens the span's document and selects it.

The model holds plain rows (kind, label, text, offsets, uid), never store objects; it is
re-read from the store when the edit runner announces a change of this document's spans,
events or claims, and only while the list is on screen (a hidden list is re-read when it is
shown). A click or Enter selects the item in the document: a span through the workspace, an
event or claim as the current frame of the frame controller. Enter also gives the text the
keyboard, so a label key or Alt+arrow acts on the item at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.store import events
from annotator.store.queries import corpus_label_spans, layer_spans
from annotator.ui.annotate.annotation_corpus import DOC, CorpusFilter, CorpusModel, ItemsModel, one_line
from annotator.ui.annotate.frames import FrameController
from annotator.ui.annotate.workspace import Workspace
from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import plain_label, tooltip

SORT = Qt.ItemDataRole.UserRole  # the value a column sorts by (offsets numerically)
KEY = Qt.ItemDataRole.UserRole + 1  # the row's (kind, uid)
DOCUMENT, CORPUS = "document", "corpus"  # the scopes
ALL, EVENTS, CLAIMS = "", "\x00event", "\x00claim"  # filter keys besides the labels' names


@dataclass(frozen=True)
class Row:
    kind: str  # span, event, claim
    label: str  # the span's label, the event's type, "" for a claim
    text: str
    start: int
    end: int
    uid: str

    @property
    def heading(self) -> str:
        return {"span": self.label, "event": f"Event {self.label}", "claim": "Claim"}[self.kind]

    @property
    def filter_key(self) -> str:
        return self.label if self.kind == "span" else EVENTS if self.kind == "event" else CLAIMS


class AnnotationModel(ItemsModel):
    HEADERS = ("Kind / label", "Text", "Offsets")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.items: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.items = rows
        self.endResetModel()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = self.items[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.heading, one_line(row.text), f"{row.start}–{row.end}")[col]
        if role == SORT:
            return (row.heading, row.text.casefold(), row.start * 1_000_000_000 + row.end)[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return tooltip(row.text)  # shown literally, even when it looks like markup
        if role == KEY:
            return row.kind, row.uid
        return None


class AnnotationFilter(QSortFilterProxyModel):
    """Rows of one label (or kind) whose text contains the typed text, case-insensitively."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.label, self.needle = ALL, ""
        self.setSortRole(SORT)

    def set_filter(self, label: str, needle: str) -> None:
        self.beginFilterChange()
        self.label, self.needle = label, needle.casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        row = self.sourceModel().items[source_row]
        return (self.label == ALL or row.filter_key == self.label) and self.needle in row.text.casefold()


class AnnotationList(QWidget):
    openDocument = Signal(int)  # corpus scope: a row of another document was chosen; open it

    def __init__(self, workspace: Workspace, frames: FrameController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.frames = workspace, frames
        self.model = AnnotationModel(self)
        self.proxy = AnnotationFilter(self)
        self.proxy.setSourceModel(self.model)
        self.corpus_model = CorpusModel(self)
        self.corpus_proxy = CorpusFilter(self)
        self.corpus_proxy.setSourceModel(self.corpus_model)
        self._corpus_of: tuple[str, str] | None = None  # (annotator, label) the corpus rows were read for
        self._corpus_timer = QTimer(self, singleShot=True, interval=200)  # a burst of edits: one re-read
        self._corpus_timer.timeout.connect(self.reload)
        self.title = plain_label("Annotations")
        self.scope_box = QComboBox()
        self.scope_box.setAccessibleName("Scope")
        self.scope_box.addItem("This document", DOCUMENT)
        self.scope_box.addItem("Whole corpus", CORPUS)
        self.no_value_box = QCheckBox("Without a value")
        self.no_value_box.hide()  # the corpus scope's filter
        self.label_box = QComboBox()
        self.label_box.setAccessibleName("Filter by label")
        self.label_box.addItem("All kinds and labels", ALL)
        for lab in workspace.project.schema.labels:
            self.label_box.addItem(lab.name, lab.name)
        self.label_box.addItem("Events", EVENTS)
        self.label_box.addItem("Claims", CLAIMS)
        self.text_box = QLineEdit()
        self.text_box.setPlaceholderText("Filter by text")
        self.text_box.setClearButtonEnabled(True)
        self.text_box.setFont(fonts.with_fallbacks(self.text_box.font()))
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # text order first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setFont(fonts.with_fallbacks(self.table.font()))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(40)  # the window stays resizable to small screens
        scope = QHBoxLayout()
        scope.addWidget(self.scope_box)
        scope.addWidget(self.no_value_box)
        scope.addStretch(1)
        filters = QHBoxLayout()
        filters.addWidget(self.label_box)
        filters.addWidget(self.text_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(scope)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self.scope_box.currentIndexChanged.connect(self._scope_changed)
        self.label_box.currentIndexChanged.connect(self._filter)
        self.text_box.textChanged.connect(self._filter)
        self.no_value_box.toggled.connect(self._filter)
        self.table.clicked.connect(lambda index: self.jump(index, take_keyboard=False))
        self.table.installEventFilter(self)
        workspace.edits.changed.connect(self._on_change)
        # The span selected in the text (a click, Tab) becomes the list's current row.
        workspace.selectionChanged.connect(lambda data, _text: data is not None and self.select_key(("span", data.uid)))
        self._stale = True

    # -- reading -----------------------------------------------------------------------------
    def scope(self) -> str:
        return self.scope_box.currentData()

    def reload(self) -> None:
        """Re-read the list's scope now if the list is on screen, else when shown."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        current = self.current_key()
        if self.scope() == CORPUS:
            self._read_corpus()
        else:
            self._read_document()
        self._update_title()
        if current is not None:
            self.select_key(current)

    def _read_document(self) -> None:
        ws = self.ws
        rows: list[Row] = []
        if ws.doc_id is not None:
            with ws.project.read() as conn:
                rows = [Row("span", label, ws.text[s:e], s, e, uid)
                        for s, e, label, uid in layer_spans(conn, ws.doc_id, ws.annotator)]
                for kind in ("event", "claim"):
                    rows += [Row(kind, f.type or "", ws.text[f.start:f.end], f.start, f.end, f.uid)
                             for f in events.layer_frames(conn, kind, ws.doc_id, ws.annotator)]
        self.model.set_rows(rows)

    def _read_corpus(self) -> None:
        """One bulk read, only when the layer, the label or a span somewhere has changed
        (opening another document from the list re-reads nothing)."""
        of = (self.ws.annotator, self.label_box.currentData())
        if of == self._corpus_of:
            return
        position = self.table.currentIndex().row()
        with self.ws.project.read() as conn:
            self.corpus_model.set_rows(corpus_label_spans(conn, *of))
        self._corpus_of = of
        # Working down the list ("all DATE spans without a value"): a row that has left it
        # (its value given) leaves the next one current.
        if position >= 0 and self.corpus_proxy.rowCount():
            self.table.setCurrentIndex(self.corpus_proxy.index(min(position, self.corpus_proxy.rowCount() - 1), 0))

    def _on_change(self, change, _initiator) -> None:
        if change.touches("spans"):
            self._corpus_of = None  # any document's spans: the corpus rows are read again
            if self.scope() == CORPUS:
                self._corpus_timer.start()
                return
        if self.ws.doc_id in change.documents and change.touches("spans", "events", "claims"):
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _scope_changed(self) -> None:
        corpus = self.scope() == CORPUS
        labels = self.label_box.model()
        for i in range(self.label_box.count()):  # the corpus scope lists one label's spans
            if self.label_box.itemData(i) in (ALL, EVENTS, CLAIMS):
                labels.item(i).setEnabled(not corpus)
        self.no_value_box.setVisible(corpus)
        self.table.setModel(self.corpus_proxy if corpus else self.proxy)
        self.table.sortByColumn(0 if corpus else 2, Qt.SortOrder.AscendingOrder)
        if corpus and self.label_box.currentData() in (ALL, EVENTS, CLAIMS):
            # The selected span's label, else the schema's first.
            mark = self.ws.highlighter.mark(self.ws.selected) if self.ws.selected else None
            names = [lab.name for lab in self.ws.project.schema.labels]
            if mark is not None or names:
                self.label_box.setCurrentIndex(self.label_box.findData(mark.label if mark else names[0]))
        self.reload()

    def _filter(self) -> None:
        current = self.current_key()
        self.proxy.set_filter(self.label_box.currentData(), self.text_box.text())
        self.corpus_proxy.set_filter(self.no_value_box.isChecked(), self.text_box.text())
        if self.scope() == CORPUS:
            self.reload()  # another label: read again; the same: nothing to read
        if self.current_key() != current:  # the current row filtered out: no other row
            self.table.setCurrentIndex(QModelIndex())  # stands for the item selected in the text
            if current is not None:
                self.select_key(current)
        self._update_title()

    def _update_title(self) -> None:
        if self.scope() == CORPUS:
            shown, total = self.corpus_proxy.rowCount(), self.corpus_model.rowCount()
            label = self.label_box.currentText()
            self.title.setText(f"{label} in the corpus ({total})" if shown == total
                               else f"{label} in the corpus ({shown} of {total})")
            return
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.title.setText(f"Annotations ({total})" if shown == total else f"Annotations ({shown} of {total})")

    # -- what the list shows, for tests and screen readers ----------------------------------
    def rows(self) -> list[tuple[str, str, str]]:
        shown = self.table.model()
        return [tuple(shown.index(r, c).data() for c in range(3)) for r in range(shown.rowCount())]

    def current_key(self) -> tuple[str, str] | None:
        index = self.table.currentIndex()
        return index.data(KEY) if index.isValid() else None

    def select_key(self, key: tuple[str, str]) -> None:
        if self.scope() == CORPUS:
            index = self.corpus_proxy.mapFromSource(self.corpus_model.index_of(key[1]))
            if index.isValid():
                self.table.setCurrentIndex(index)
            return
        shown = self.table.model()
        for r in range(shown.rowCount()):
            if shown.index(r, 0).data(KEY) == key:
                self.table.setCurrentIndex(shown.index(r, 0))
                return

    # -- jumping -------------------------------------------------------------------------------
    def jump(self, index: QModelIndex, take_keyboard: bool) -> None:
        """Select the row's item in the document and bring it into view."""
        if not index.isValid():
            return
        kind, uid = index.data(KEY)
        ws, view = self.ws, self.ws.view
        doc_id = index.data(DOC)  # corpus rows only
        if doc_id is not None and doc_id != ws.doc_id:
            self.openDocument.emit(doc_id)
            if ws.doc_id != doc_id:  # not opened (the main window said why)
                return
        if kind == "span":
            mark = ws.highlighter.mark(uid)
            if mark is None:
                return
            caret = view.clamp(ws.omap.to_display(mark.start))
            view.select(caret, caret)
            view.ensureCursorVisible()
            ws.select_span(uid)
        else:
            ws.select_span(None)
            self.frames.select((kind, uid, None, None))  # the frame controller brings it into view
        if take_keyboard:
            view.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.table and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.table.currentIndex()
            if not index.isValid():  # none current (a filter hid it): the first row
                index = self.table.model().index(0, 0)
                self.table.setCurrentIndex(index)
            self.jump(index, take_keyboard=True)
            return True
        return super().eventFilter(obj, event)
