"""The document list: one row per document, at any corpus size.

A corpus of 100,000 documents must open, scroll, filter and sort without a pause a user
can see (50 ms). So what the filters need of every document (id, language, status) is
read at once from an index (store.queries.document_list); the rest of a row (uid, title,
group, length) and its span count are read for the rows a view asks for, a page of a few
hundred at a time; and the filter and the sort are the proxy's own Python over lists,
never one call into Python per row or per comparison from Qt (QSortFilterProxyModel
calls filterAcceptsRow once per row and data() twice per comparison: seconds at 100,000
rows). Sorting by title or count reads every row once. The text itself is read only for
the document on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QAbstractProxyModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.store.queries import DocumentDetails, DocumentListRow, DocumentRow
from annotator.ui.app.background import Background
from annotator.ui.widgets.plain import tooltip

COLUMNS = ("Title", "Lang", "Status", "Spans")
TITLE, LANG, STATUS, SPANS = range(len(COLUMNS))
STATUS_TEXT = {"todo": "to do", "in_progress": "in progress", "done": "done"}
STATUS_ORDER = ("todo", "in_progress", "done")

# Custom roles: the document's database id and its stable id (uid); the sort key.
DocumentIdRole = Qt.ItemDataRole.UserRole + 1
DocumentUidRole = Qt.ItemDataRole.UserRole + 2
SortRole = Qt.ItemDataRole.UserRole + 3
# The recommenders' confidence in the document, the sort key of "least sure first"; a
# document they have no model for sorts after every other.
UncertaintyRole = Qt.ItemDataRole.UserRole + 4
NO_CONFIDENCE = 2.0
# The proxy's sort "column" for least sure first (no column of the table shows it).
UNCERTAINTY = len(COLUMNS)

Index = QModelIndex | QPersistentModelIndex
# What a model asks the store for, a page of rows at a time (None: every document):
# (their details, their span counts).
PageReader = Callable[[list[int] | None], tuple[dict[int, DocumentDetails], dict[int, int]]]
# Rows read around the row a view asks for: one read per screenful or so while scrolling.
COUNT_PAGE = 200
_ID, _LANG, _STATUS = range(3)
_UID = 0  # in DocumentDetails


class DocumentTableModel(QAbstractTableModel):
    """Every document in import order. Given DocumentRows, everything is known; given
    document_list rows and a page reader, a row's title, uid, group, length and span count
    are read when a view first asks for them, with the rest of their page."""

    def __init__(self, rows: list[DocumentRow] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._docs: list[DocumentListRow] = []
        self._row_of: dict[int, int] = {}
        self._details: dict[int, DocumentDetails] = {}
        self._counts: dict[int, int] = {}
        self._reader: PageReader | None = None
        self.page_reads = 0  # reads made for pages of rows (the tests check that they stay few)
        self.edits = 0  # rows updated after an edit: a sort order worked out meanwhile may be stale
        self.confidence: dict[int, float | None] = {}  # document id: the recommenders' confidence
        if rows:
            self._set_known(rows)

    # -- contents -------------------------------------------------------------------
    def set_confidence(self, confidence: dict[int, float | None]) -> None:
        self.confidence = dict(confidence)
        if self._docs:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._docs) - 1, self.columnCount() - 1))

    def set_rows(self, rows: list[DocumentRow]) -> None:
        self.beginResetModel()
        self._set_known(rows)
        self.endResetModel()

    def _set_known(self, rows: list[DocumentRow]) -> None:
        self._set([(r.id, r.lang, r.status) for r in rows], None)
        self._details = {r.id: (r.uid, r.title, r.group, r.length) for r in rows}
        self._counts = {r.id: r.spans for r in rows}

    def set_documents(self, docs: list[DocumentListRow], reader: PageReader) -> None:
        """Every document, the rest of each row to be read by `reader` when a view asks."""
        self.beginResetModel()
        self._set(docs, reader)
        self.endResetModel()

    def _set(self, docs: list[DocumentListRow], reader: PageReader | None) -> None:
        self._docs = docs
        self._row_of = {d[_ID]: i for i, d in enumerate(docs)}
        self._details, self._counts = {}, {}
        self._reader = reader

    def update_rows(self, rows: list[DocumentRow]) -> None:
        """Replace the rows of these documents in place (after an edit), keeping the rest."""
        self.update_documents([(r.id, r.lang, r.status) for r in rows],
                              {r.id: (r.uid, r.title, r.group, r.length) for r in rows}, {r.id: r.spans for r in rows})

    def update_documents(self, docs: list[DocumentListRow], details: dict[int, DocumentDetails],
                         counts: dict[int, int]) -> None:
        """New statuses, details and span counts of these documents (after an edit),
        told in one signal for the rows from the first changed to the last: a corpus-wide
        label changes tens of thousands, and a signal each costs the proxy a pass each."""
        changed = []
        self.edits += 1
        for new in docs:
            i = self._row_of.get(new[_ID], -1)
            if i >= 0:
                self._docs[i] = new
                if new[_ID] in details:
                    self._details[new[_ID]] = details[new[_ID]]
                self._counts[new[_ID]] = counts.get(new[_ID], 0)
                changed.append(i)
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), self.columnCount() - 1))

    def row_at(self, row: int) -> DocumentRow:
        d = self._docs[row]
        uid, title, group, length = self.details(row)
        return DocumentRow(d[_ID], uid, title, d[_LANG], d[_STATUS], self.count(row), group, length)

    def row_of(self, doc_id: int) -> int:
        """The row showing document `doc_id`, or -1."""
        return self._row_of.get(doc_id, -1)

    def documents(self) -> list[DocumentListRow]:
        """Every row's (id, lang, status), in import order (not to be changed)."""
        return self._docs

    def languages(self) -> set[str]:
        return {d[_LANG] for d in self._docs}

    # -- the rest of a row, read lazily -------------------------------------------------
    def details(self, row: int) -> DocumentDetails:
        doc_id = self._docs[row][_ID]
        if doc_id not in self._details:
            self.load_rows(range(max(0, row - COUNT_PAGE // 2), min(len(self._docs), row + COUNT_PAGE // 2)))
        return self._details.get(doc_id, ("", None, None, 0))

    def count(self, row: int) -> int:
        doc_id = self._docs[row][_ID]
        if doc_id not in self._counts:
            self.load_rows(range(max(0, row - COUNT_PAGE // 2), min(len(self._docs), row + COUNT_PAGE // 2)))
        return self._counts.get(doc_id, 0)

    def load_rows(self, rows: Iterable[int]) -> None:
        """Read the rows among these not read yet, in one read."""
        if self._reader is None:
            return
        ids = [d for r in rows if (d := self._docs[r][_ID]) not in self._counts or d not in self._details]
        if ids:
            self.page_reads += 1
            details, counts = self._reader(ids)
            self._details.update(details)
            self._counts.update({i: counts.get(i, 0) for i in ids})

    def with_details(self, doc_ids: Iterable[int]) -> list[int]:
        """Those of `doc_ids` whose details were read (the others are read when shown)."""
        return [d for d in doc_ids if d in self._details]

    def all_known(self) -> bool:
        return self._reader is None or len(self._counts) == len(self._details) == len(self._docs)

    def read_all(self) -> tuple[dict[int, DocumentDetails], dict[int, int]]:
        """Every row's details and count, read and returned, the model left as it is (a
        worker thread may call it): a scan of the documents and one of the layer index."""
        assert self._reader is not None
        return self._reader(None)

    def set_all(self, read: tuple[dict[int, DocumentDetails], dict[int, int]]) -> None:
        """What read_all returned, for every row (rows edited meanwhile keep their newer reads)."""
        details, counts = read
        self.page_reads += 1
        self._details = {**details, **self._details}
        self._counts = {d[_ID]: self._counts.get(d[_ID], counts.get(d[_ID], 0)) for d in self._docs}

    def every_count(self) -> list[int]:
        """Every row's count, in row order (after load_all)."""
        counts = self._counts
        return [counts.get(d[_ID], 0) for d in self._docs]

    def every_details(self) -> list[DocumentDetails]:
        """Every row's details, in row order (after load_all)."""
        details, missing = self._details, ("", None, None, 0)
        return [details.get(d[_ID], missing) for d in self._docs]

    def load_all(self) -> None:
        """Every row's details and count, read here (sorting by title or count needs them)."""
        if not self.all_known():
            self.set_all(self.read_all())

    def known(self, row: int) -> bool:
        doc_id = self._docs[row][_ID]
        return doc_id in self._counts and doc_id in self._details

    # -- QAbstractItemModel ------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._docs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._docs):
            return None
        row, col = index.row(), index.column()
        d = self._docs[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == TITLE:
                uid, title, _group, _length = self.details(row)
                return title or uid
            if col == LANG:
                return d[_LANG]
            if col == STATUS:
                return STATUS_TEXT.get(d[_STATUS], d[_STATUS])
            if col == SPANS:
                return self.count(row)
        elif role == Qt.ItemDataRole.ToolTipRole:
            uid, title, group, length = self.details(row)
            in_group = f"\ntranslation group: {group}" if group else ""
            sure = self.confidence.get(d[_ID])
            sure_text = f"\nrecommenders {sure:.0%} sure" if sure is not None else ""
            return tooltip(f"{title or ''}\n{uid} · {length} characters{in_group}{sure_text}".strip())
        elif role == Qt.ItemDataRole.TextAlignmentRole and col == SPANS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == DocumentIdRole:
            return d[_ID]
        elif role == DocumentUidRole:
            return self.details(row)[_UID]
        elif role == SortRole:
            return _column_key(col, self, row)
        elif role == UncertaintyRole:
            return _column_key(UNCERTAINTY, self, row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return section + 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def _column_key(col: int, model: DocumentTableModel, row: int) -> object:
    """A row's sort key: folded case for the title, progress order for the status,
    numbers for counts, the recommenders' confidence for least sure first."""
    if col == UNCERTAINTY:
        sure = model.confidence.get(model.documents()[row][_ID])
        return NO_CONFIDENCE if sure is None else sure
    if col == STATUS:
        status = model.documents()[row][_STATUS]
        return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)
    if col == TITLE:
        uid, title, _group, _length = model.details(row)
        return (title or uid).casefold()
    if col == SPANS:
        return model.count(row)
    return model.documents()[row][_LANG]


def _column_keys(col: int, model: DocumentTableModel) -> list:
    """Every row's sort key for column `col`, the same as _column_key's, in one
    comprehension (no Qt call nor function call per row)."""
    docs = model.documents()
    if col == UNCERTAINTY:
        conf = model.confidence
        return [NO_CONFIDENCE if (sure := conf.get(d[_ID])) is None else sure for d in docs]
    if col == LANG:
        return [d[_LANG] for d in docs]
    if col == STATUS:
        rank = {s: i for i, s in enumerate(STATUS_ORDER)}
        return [rank.get(d[_STATUS], len(STATUS_ORDER)) for d in docs]
    model.load_all()
    if col == SPANS:
        return model.every_count()
    return [(title or uid).casefold() for uid, title, _group, _length in model.every_details()]


def _read_in_order(model: DocumentTableModel, docs: list[DocumentListRow], edits: int, column: int,
                   order: Qt.SortOrder) -> SortRead:
    """On a worker thread: every row's details and count (read_all), and the rows in the
    order of `column` worked out from them, so that the window only takes them over (the
    sort of 100,000 titles is 50-70 ms of Python: a pause the user sees). `docs` and
    `edits` are the model's when the sort was asked for, taken on the GUI thread."""
    read = model.read_all()
    details, counts = read
    if column == SPANS:
        keys: list = [counts.get(d[_ID], 0) for d in docs]
    else:
        missing = ("", None, None, 0)
        keys = [(title or uid).casefold() for uid, title, _group, _length in
                (details.get(d[_ID], missing) for d in docs)]
    rows = sorted(range(len(docs)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
    return read, (docs, edits, column, order, rows)


# What _read_in_order returns: the read, and the order it worked out with what it was for
# (the model's rows and edits then, the column and direction).
SortRead = tuple[tuple[dict[int, DocumentDetails], dict[int, int]],
                 tuple[list[DocumentListRow], int, int, Qt.SortOrder, list[int]]]

_KEEP = object()


class DocumentFilterProxy(QAbstractProxyModel):
    """The document list filtered by language, status and a set of ids (the documents a
    text search found); None means "no filter" for each. Unsorted, it keeps the source
    (import) order; header clicks sort (stable, as Qt's own proxy). Rows are lists of
    source row numbers, rebuilt in one pass when a filter or the sort changes; a change
    of the layout keeps the current row and the selection on their documents."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._lang: str | None = None
        self._status: str | None = None
        self._ids: frozenset[int] | None = None
        self.pinned: int | None = None  # the open document (see _accepted)
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self._orders: dict[tuple[int, Qt.SortOrder], list[int]] = {}  # sorted source rows, until the source changes
        self._rows: list[int] = []  # proxy row -> source row
        self._pos: list[int] | None = []  # source row -> proxy row, or -1; None: not built yet
        self._shown: list[int] | range = range(0)  # the order last shown (before filtering)
        # Set by the navigator: a sort that must first read every title or count reads
        # them on a worker thread (seconds for 100,000 documents) and sorts when they arrive.
        self.background: Background | None = None

    # -- the source -----------------------------------------------------------------
    def setSourceModel(self, model) -> None:  # type: ignore[override]
        self.beginResetModel()
        old = self.sourceModel()
        if old is not None:
            old.modelAboutToBeReset.disconnect(self.beginResetModel)
            old.modelReset.disconnect(self._source_reset)
            old.dataChanged.disconnect(self._source_changed)
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.dataChanged.connect(self._source_changed)
        self._orders.clear()
        self._build()
        self.endResetModel()

    def _source_reset(self) -> None:
        if self.background is not None:
            self.background.cancel("sort")  # the rows it would sort are gone
        self._orders.clear()
        self._build()
        self.endResetModel()

    def _source_changed(self, top: QModelIndex, bottom: QModelIndex, roles=()) -> None:
        """Documents edited: shown or hidden by the filters, moved by the sort, as Qt's
        own proxy would; otherwise only their cells repaint."""
        self._orders = {k: v for k, v in self._orders.items() if k[0] in (TITLE, LANG)}
        rows = range(top.row(), bottom.row() + 1)
        moves = self._sort[0] in (STATUS, SPANS, UNCERTAINTY)
        if len(rows) > 1:
            self._position_map()  # many look-ups follow: one pass, not a scan each
        docs = self._model().documents()  # once: sourceModel() is a call into Qt
        if moves or any(self._accepted(r, docs) != (self._proxy_row(r) >= 0) for r in rows):
            self._relayout()
            return
        shown = [p for r in rows if (p := self._proxy_row(r)) >= 0]
        if shown:
            self.dataChanged.emit(self.index(min(shown), 0), self.index(max(shown), len(COLUMNS) - 1))

    def _model(self) -> DocumentTableModel:
        model = self.sourceModel()
        assert isinstance(model, DocumentTableModel)
        return model

    # -- filters and sort ----------------------------------------------------------------
    def set_filters(self, lang=_KEEP, status=_KEEP, ids=_KEEP) -> None:
        """Change any of the three filters at once (others are kept); `ids` is a
        collection of document ids or None."""
        if lang is not _KEEP:
            self._lang = lang
        if status is not _KEEP:
            self._status = status
        if ids is not _KEEP:
            self._ids = None if ids is None else frozenset(ids)
        self._relayout()

    def filters(self) -> tuple[str | None, str | None, frozenset[int] | None]:
        return self._lang, self._status, self._ids

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (-1: import order; UNCERTAINTY: least sure first)."""
        self._sort = (column if 0 <= column <= UNCERTAINTY else -1, order)
        self._orders.pop((UNCERTAINTY, order), None)  # confidences change with each training
        self._relayout()

    def _accepted(self, source_row: int, docs: list[DocumentListRow] | None = None) -> bool:
        d = (docs if docs is not None else self._model().documents())[source_row]
        lang_ok = self._lang is None or d[_LANG] == self._lang
        ids_ok = self._ids is None or d[_ID] in self._ids
        # The open document whose status changed under a status filter stays.
        return lang_ok and ids_ok and (self._status is None or d[_STATUS] == self._status or d[_ID] == self.pinned)

    def _order(self) -> list[int] | range:
        """Source rows in the sort's order (before filtering)."""
        column, order = self._sort
        model = self._model()
        n = model.rowCount()
        if column < 0:
            return range(n)
        key = (column, order)
        if key not in self._orders:
            if column in (TITLE, SPANS) and not model.all_known():
                if self.background is not None:
                    if not self.sorting():
                        docs, edits = model.documents(), model.edits
                        self.background.run("sort", lambda: _read_in_order(model, docs, edits, column, order),
                                            self._all_read)
                    return self._shown if len(self._shown) == n else range(n)  # as they were, meanwhile
                model.load_all()
            keys = _column_keys(column, model)
            # Stable both ways, as Qt's proxy sorts: equal keys keep the import order.
            self._orders[key] = sorted(range(n), key=keys.__getitem__,
                                       reverse=order == Qt.SortOrder.DescendingOrder)
        return self._orders[key]

    def sorting(self) -> bool:
        """Every title or count is being read for a sort: the rows are not in its order yet."""
        return self.background is not None and self.background.busy("sort")

    def _all_read(self, result: SortRead) -> None:
        read, (docs, edits, column, order, rows) = result
        model = self._model()
        model.set_all(read)
        # The order worked out beside the read holds if nothing changed the rows since.
        if model.documents() is docs and model.edits == edits:
            self._orders[(column, order)] = rows
        self._relayout()

    def _build(self) -> None:
        model = self.sourceModel()
        if not isinstance(model, DocumentTableModel):
            self._rows, self._pos = [], []
            return
        docs = model.documents()
        lang, status, ids, pinned = self._lang, self._status, self._ids, self.pinned
        order = self._shown = self._order()
        if lang is None and status is None and ids is None:
            rows = list(order)
        elif ids is not None and isinstance(order, range) and len(ids) * 8 < len(docs):
            # A search's few hits in import order: their rows, not a pass over every row.
            found = sorted(r for r in map(model.row_of, ids) if r >= 0)
            rows = [r for r in found
                    if (lang is None or docs[r][_LANG] == lang)
                    and (status is None or docs[r][_STATUS] == status or docs[r][_ID] == pinned)]
        else:  # one comprehension over the tuples: about 10 ms for 100,000 rows
            rows = [r for r in order
                    if (lang is None or docs[r][_LANG] == lang)
                    and (ids is None or docs[r][_ID] in ids)
                    and (status is None or docs[r][_STATUS] == status or docs[r][_ID] == pinned)]
        self._rows, self._pos = rows, None

    def _proxy_row(self, source_row: int) -> int:
        """The proxy row of a source row, or -1. One look-up is a scan in C (about 1 ms for
        100,000 rows); the full map is built only when something asks for many."""
        if self._pos is None:
            try:
                return self._rows.index(source_row)
            except ValueError:
                return -1
        return self._pos[source_row] if 0 <= source_row < len(self._pos) else -1

    def _position_map(self) -> list[int]:
        if self._pos is None:
            pos = [-1] * self._model().rowCount()
            for p, r in enumerate(self._rows):
                pos[r] = p
            self._pos = pos
        return self._pos

    def _relayout(self) -> None:
        """Rebuild the rows; persistent indexes (the current row, the selection) follow
        their documents, or become invalid if the filters hide them."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        sources = [(self._rows[i.row()], i.column()) if 0 <= i.row() < len(self._rows) else None for i in old]
        self._build()
        rows = [self._proxy_row(s[0]) if s is not None else -1 for s in sources]
        new = [self.index(r, s[1]) if s is not None and r >= 0 else QModelIndex() for r, s in zip(rows, sources)]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def proxy_row_of(self, doc_id: int) -> int:
        """The row showing `doc_id` in this view, or -1 (unknown or filtered out)."""
        source_row = self._model().row_of(doc_id) if isinstance(self.sourceModel(), DocumentTableModel) else -1
        return self._proxy_row(source_row) if source_row >= 0 else -1

    # -- QAbstractProxyModel ---------------------------------------------------------------
    def mapToSource(self, index: Index) -> QModelIndex:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return QModelIndex()
        return self.sourceModel().index(self._rows[index.row()], index.column())

    def mapFromSource(self, index: Index) -> QModelIndex:
        pos = self._position_map() if index.isValid() else []
        if not 0 <= index.row() < len(pos) or pos[index.row()] < 0:
            return QModelIndex()
        return self.index(pos[index.row()], index.column())

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if parent.isValid() or not (0 <= row < len(self._rows) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and bool(self._rows)

    def sibling(self, row: int, column: int, index: Index) -> QModelIndex:
        return self.index(row, column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        source_row = self._rows[index.row()]
        if index.column() in (TITLE, SPANS) and role == Qt.ItemDataRole.DisplayRole:
            model = self._model()
            if not model.known(source_row):
                # The rows around this one in this view's order, in one read: the next
                # screenfuls scrolled to need none.
                r = index.row()
                model.load_rows(self._rows[max(0, r - COUNT_PAGE // 2):r + COUNT_PAGE // 2])
        return self.sourceModel().index(source_row, index.column()).data(role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            return self.sourceModel().headerData(section, orientation, role)
        return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
