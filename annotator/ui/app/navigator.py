"""The document navigator: every document with its language, title, status and span count,
filtered by language, status and a text search (folded: Bengali as typed, Vietnamese and
other Latin text with or without diacritics; see annotator.store.search).

The navigator owns its current document. `documentActivated(id)` is emitted once each
time the current document changes (by click, keys, `select_document`, next/previous, or a
language or status filter hiding the old one: then the first visible document becomes
current); never for a mere re-sort or refresh that keeps the same document. While the
search box holds text, a filter that hides the open document leaves no row current and
opens nothing: the user is still typing, and opening a hit would take the keyboard from
the search box. Down, Enter or a click then chooses a hit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.store.project import Project
from annotator.store.queries import DocumentDetails, document_details, document_list, span_counts
from annotator.store.search import first_hits, search_documents
from annotator.ui.app.background import Background
from annotator.ui.app.document_list import (
    LANG,
    SPANS,
    STATUS,
    STATUS_TEXT,
    TITLE,
    UNCERTAINTY,
    DocumentFilterProxy,
    DocumentIdRole,
    DocumentTableModel,
)
from annotator.ui.widgets import fonts

SEARCH_DELAY_MS = 150
# A search shows this many hits at once; if there may be more, the rest are read on a
# worker thread (a word in half of 100,000 documents takes a second or more to confirm).
FIRST_HITS = 500
STATUS_FILTERS = (("All statuses", None), ("To do", "todo"), ("In progress", "in_progress"), ("Done", "done"))
ORDERS = (("Import order", False), ("Least sure first", True))


class SearchBox(QLineEdit):
    """A line edit where Esc clears the text, and Down or Return moves to the list."""

    leaveRequested = Signal()

    def event(self, event: QEvent) -> bool:
        # Esc is ours while there is text to clear, even if a window action uses it.
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape and self.text()):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
        elif event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.leaveRequested.emit()
        else:
            super().keyPressEvent(event)


class Navigator(QWidget):
    documentActivated = Signal(int)
    uncertaintyOrder = Signal(bool)  # "least sure first" chosen (True) or left: the confidences are wanted

    def __init__(self, project: Project, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.annotator = annotator
        self._current_id: int | None = None  # the last document announced
        self._quiet = 0  # > 0 while a batch of changes settles: announce once at the end
        self.queue: frozenset[int] | None = None  # team mode: only these documents are listed (set_queue)

        self.model = DocumentTableModel(parent=self)
        self.proxy = DocumentFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.background = Background(self._background_failed, self)
        self.proxy.background = self.background

        self.search = SearchBox()
        self.search.setPlaceholderText("Search titles and texts")
        self.search.setClearButtonEnabled(True)
        self.search.setFont(fonts.with_fallbacks(self.search.font()))
        self.language = QComboBox()
        self.language.setToolTip("Show documents in one language")
        self.status = QComboBox()
        self.status.setToolTip("Show documents by their status in your layer")
        for text, value in STATUS_FILTERS:
            self.status.addItem(text, value)
        self.order = QComboBox()
        self.order.setToolTip("Import order, or the documents the recommenders are least sure of first "
                              "(active learning: what teaches them most)")
        for text, value in ORDERS:
            self.order.addItem(text, value)
        self.table = self._make_table()
        self.count_label = QLabel()
        small = self.count_label.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.count_label.setFont(small)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)

        filters = QHBoxLayout()
        filters.addWidget(self.language, 1)
        filters.addWidget(self.status, 1)
        filters.addWidget(self.order, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.search.textChanged.connect(self._search_text_changed)
        self.search.leaveRequested.connect(self._focus_table)
        self._timer.timeout.connect(self._run_search)
        self.language.currentIndexChanged.connect(self._combo_changed)
        self.status.currentIndexChanged.connect(self._combo_changed)
        self.order.currentIndexChanged.connect(self._order_changed)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._header_sorted)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.refresh()

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
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
        # Widths from the longest text each column can hold, not ResizeToContents: that
        # measures every row while the table is hidden (240,000 calls into Python for
        # 10,000 documents at start-up) and 1,000 rows on every change after.
        metrics = table.fontMetrics()
        samples = {LANG: "Lang  ", STATUS: STATUS_TEXT["in_progress"] + "  ", SPANS: "Spans  "}
        for col, sample in samples.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, max(metrics.horizontalAdvance(sample) + 24, header.sectionSizeHint(col)))
        # Import order until a header is clicked; a third click goes back to it.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorClearable(True)
        table.setSortingEnabled(True)
        return table

    # -- public API ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the documents (statuses of this annotator; span counts as rows are
        shown) and re-run the search; the current document stays current if it is still shown."""
        query = self.search.text()
        with self.project.read() as conn:
            docs = document_list(conn, self.annotator)
            if self.queue is not None:
                docs = [d for d in docs if d[0] in self.queue]
            ids = self._search(conn, query) if query.strip() else None
        with self._batch():
            self.model.set_documents(docs, self._read_rows)
            self._fill_languages(self.model.languages())
            self.proxy.set_filters(lang=self.language.currentData(), ids=ids)

    def _read_rows(self, doc_ids: list[int] | None) -> tuple[dict[int, DocumentDetails], dict[int, int]]:
        with self.project.read() as conn:
            return document_details(conn, doc_ids), span_counts(conn, self.annotator, doc_ids)

    def refresh_documents(self, doc_ids) -> None:
        """Re-read only these documents' statuses and span counts (cheap: after each edit)."""
        ids = [i for i in doc_ids if i is not None]
        # Details of rows not read yet are read when shown: a corpus-wide label touches
        # tens of thousands of documents, and reading each one's row costs seconds.
        known = self.model.with_details(ids)
        with self.project.read() as conn:
            docs = document_list(conn, self.annotator, doc_ids=ids)
            details, counts = document_details(conn, known) if known else {}, span_counts(conn, self.annotator, ids)
        self.proxy.pinned = self._current_id  # editing never makes the open document vanish
        self.model.update_documents(docs, details, counts)

    def set_queue(self, doc_ids) -> None:
        """List only `doc_ids` (an annotator's assigned documents), or every document (None)."""
        queue = None if doc_ids is None else frozenset(doc_ids)
        if queue != self.queue:
            self.queue = queue
            self.refresh()

    def set_annotator(self, name: str) -> None:
        self.annotator = name
        self.refresh()

    def current_document(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(DocumentIdRole) if index.isValid() else None

    def select_document(self, doc_id: int) -> bool:
        """Make `doc_id` current; if the filters hide it, they are cleared first.
        False if there is no such document."""
        if self.model.row_of(doc_id) < 0:
            return False
        with self._batch(target=doc_id):
            if self.proxy.proxy_row_of(doc_id) < 0:
                self.clear_filters()
        return True

    def next_document(self) -> bool:
        return self._select_row(self._current_row() + 1)

    def previous_document(self) -> bool:
        row = self._current_row()
        return row > 0 and self._select_row(row - 1)

    def clear_filters(self) -> None:
        with self._batch():
            self._timer.stop()
            for widget in (self.search, self.language, self.status):
                widget.blockSignals(True)
            self.search.clear()
            self.language.setCurrentIndex(0)
            self.status.setCurrentIndex(0)
            for widget in (self.search, self.language, self.status):
                widget.blockSignals(False)
            self.background.cancel("search")
            self.proxy.set_filters(lang=None, status=None, ids=None)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- order by uncertainty ------------------------------------------------------------
    def by_uncertainty(self) -> bool:
        return bool(self.order.currentData())

    def set_confidences(self, confidence: dict[int, float | None]) -> None:
        """The recommenders' confidence per document (after a training); re-sorts if the
        list is in "least sure first" order."""
        with self._batch():
            self.model.set_confidence(confidence)
            if self.by_uncertainty():
                self.proxy.sort(UNCERTAINTY, Qt.SortOrder.AscendingOrder)

    def _order_changed(self) -> None:
        on = self.by_uncertainty()
        with self._batch():
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
            if on and self.model.confidence:
                self.proxy.sort(UNCERTAINTY, Qt.SortOrder.AscendingOrder)
            elif not on:
                self.proxy.sort(-1)
        self.uncertaintyOrder.emit(on)

    def _header_sorted(self, column: int, order: Qt.SortOrder) -> None:
        """A header click sorts by that column: the list leaves "least sure first"."""
        if not self.by_uncertainty():
            return
        self.order.blockSignals(True)
        self.order.setCurrentIndex(0)
        self.order.blockSignals(False)
        with self._batch():
            self.proxy.sort(column, order)
        self.uncertaintyOrder.emit(False)

    # -- filters -------------------------------------------------------------------------
    def _fill_languages(self, present: set[str]) -> None:
        chosen = self.language.currentData()
        langs = list(self.project.languages)
        langs += sorted(present - set(langs))
        self.language.blockSignals(True)
        self.language.clear()
        self.language.addItem("All languages", None)
        for lang in langs:
            self.language.addItem(lang, lang)
        self.language.setCurrentIndex(max(self.language.findData(chosen), 0) if chosen else 0)
        self.language.blockSignals(False)

    def _combo_changed(self) -> None:
        with self._batch():
            self.proxy.set_filters(lang=self.language.currentData(), status=self.status.currentData())

    def _search_text_changed(self, text: str) -> None:
        if text.strip():
            self._timer.start()  # restarts: one search once typing pauses
        else:
            self._timer.stop()
            self.background.cancel("search")
            with self._batch():
                self.proxy.set_filters(ids=None)

    def _run_search(self) -> None:
        query = self.search.text()
        if not query.strip():
            return
        with self.project.read() as conn:
            ids = self._search(conn, query)
        with self._batch():
            self.proxy.set_filters(ids=ids)

    def _search(self, conn, query: str) -> list[int]:
        """The first hits of `query`, now; the whole answer follows from a worker thread
        if there may be more (first results first)."""
        ids, whole = first_hits(conn, query, FIRST_HITS)
        if whole:
            self.background.cancel("search")
        else:
            self.background.run("search", lambda: self._search_all(query), lambda found: self._searched(query, found))
        return ids

    def _search_all(self, query: str) -> list[int]:  # on a worker thread
        with self.project.read() as conn:
            return search_documents(conn, query)

    def _searched(self, query: str, ids: list[int]) -> None:
        if self.search.text() == query:
            with self._batch():
                self.proxy.set_filters(ids=ids)

    def searching(self) -> bool:
        """The first hits are shown and the rest are still being read."""
        return self.background.busy("search")

    def _background_failed(self, exc: Exception) -> None:
        self.count_label.setText(f"Could not read the documents: {exc}")

    # -- current document ----------------------------------------------------------------
    @contextmanager
    def _batch(self, target: int | None = None) -> Iterator[None]:
        """Changes inside settle on one current document (`target`, else the current one
        if still shown, else the first shown), announced once at the end."""
        outer = not self._quiet
        self._quiet += 1
        try:
            yield
            if outer:
                wanted = target if target is not None else self._current_id
                row = self.proxy.proxy_row_of(wanted) if wanted is not None else -1
                if row < 0 and target is None and self.search.text().strip():
                    self.table.selectionModel().clear()  # searching: the open document stays open
                else:
                    self._select_row(row if row >= 0 else 0)
        finally:
            self._quiet -= 1
        if outer:
            n, m = self.proxy.rowCount(), self.model.rowCount()
            more = "+" if self.searching() else ""  # first hits shown, the rest on their way
            self.count_label.setText(f"{n}{more} of {m} document{'' if m == 1 else 's'}")
            self._announce()

    def _announce(self) -> None:
        doc_id = self.current_document()
        if doc_id is not None and doc_id != self._current_id:
            self._current_id = doc_id
            self.documentActivated.emit(doc_id)

    def _current_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._quiet:
            self._announce()

    def _current_row(self) -> int:
        index = self.table.selectionModel().currentIndex()
        return index.row() if index.isValid() else -1

    def _select_row(self, row: int) -> bool:
        if not 0 <= row < self.proxy.rowCount():
            return False
        index = self.proxy.index(row, TITLE)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        return True

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self._current_row() < 0:
            self._select_row(0)
