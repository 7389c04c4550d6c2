from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.store.queries import DocumentRow, list_documents
from annotator.ui.app.document_list import SPANS, STATUS, TITLE, DocumentIdRole, DocumentTableModel


def test_model_with_seed_rows_passes_the_model_tester(qtmodeltester, project):
    with project.read() as conn:
        rows = list_documents(conn, "tester")
    model = DocumentTableModel(rows)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 5 and model.columnCount() == 4


def test_empty_model_and_reset_pass_the_model_tester(qtmodeltester, project):
    model = DocumentTableModel()
    qtmodeltester.check(model, force_py=True)
    with project.read() as conn:
        model.set_rows(list_documents(conn))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 5


def test_cells_and_roles():
    rows = [DocumentRow(7, "doc-7", None, "fr", "in_progress", 12, "g1", 300),
            DocumentRow(9, "doc-9", "Titre", "en", "todo", 0, None, 10)]
    model = DocumentTableModel(rows)
    assert model.index(0, TITLE).data() == "doc-7"  # no title: the uid
    assert model.index(1, TITLE).data() == "Titre"
    assert model.index(0, STATUS).data() == "in progress"
    assert model.index(0, SPANS).data() == 12
    assert model.index(1, TITLE).data(DocumentIdRole) == 9
    assert "g1" in model.index(0, TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert model.row_of(9) == 1 and model.row_of(8) == -1


def _many(n: int):
    """n documents as document_list rows, and a count reader that records what it is asked."""
    docs = [(i, ("fr", "en", "bn")[i % 3], ("todo", "done")[i % 2]) for i in range(1, n + 1)]
    asked: list[list[int] | None] = []

    def reader(ids):
        asked.append(None if ids is None else list(ids))
        ids = ids if ids is not None else range(1, n + 1)
        return {i: (f"doc-{i:05d}", None, None, 100) for i in ids}, {i: i % 7 for i in ids}

    return docs, reader, asked


def _filtered(n: int):
    """_many(n) in a model behind the navigator's filter proxy: (docs, reader, asked, model, proxy)."""
    from annotator.ui.app.document_list import DocumentFilterProxy

    docs, reader, asked = _many(n)
    model = DocumentTableModel()
    model.set_documents(docs, reader)
    proxy = DocumentFilterProxy()
    proxy.setSourceModel(model)
    return docs, reader, asked, model, proxy


def _sorting(docs, reader):
    """A model of `docs` behind the navigator's proxy, whose reads of every row (a sort by
    title or count) run on a worker as the navigator's do: (model, proxy)."""
    from annotator.ui.app.background import Background
    from annotator.ui.app.document_list import DocumentFilterProxy

    model = DocumentTableModel()
    model.set_documents(docs, reader)
    proxy = DocumentFilterProxy()
    proxy.background = Background(failed=lambda exc: pytest.fail(str(exc)), parent=proxy)
    proxy.setSourceModel(model)
    return model, proxy


def test_titles_and_counts_are_read_for_the_rows_on_screen_only(qtbot):
    from PySide6.QtWidgets import QTableView

    from annotator.ui.app.document_list import COUNT_PAGE

    docs, reader, asked, model, proxy = _filtered(20_000)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    assert proxy.rowCount() == 20_000
    qtbot.waitUntil(lambda: bool(asked))  # the first paint asks for the counts on screen
    assert all(ids is not None and len(ids) <= COUNT_PAGE for ids in asked)
    first = sum(len(ids) for ids in asked if ids)
    assert first <= COUNT_PAGE
    view.scrollToBottom()
    qtbot.waitUntil(lambda: proxy.index(19_999, SPANS).data() == 20_000 % 7)
    read = {i for ids in asked if ids for i in ids}
    assert 20_000 in read and len(read) <= 3 * COUNT_PAGE  # two screenfuls, not 20,000 rows
    # Sorting by the count needs every count: one read of all of them, not one per row.
    before = len(asked)
    proxy.sort(SPANS, Qt.SortOrder.DescendingOrder)
    assert asked[before:] == [None]
    assert proxy.index(0, SPANS).data() == 6


def test_filter_and_sort_keep_the_current_document(qtbot):
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QTableView

    from annotator.ui.app.document_list import LANG

    docs, reader, _asked, model, proxy = _filtered(3_000)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    target = proxy.index(proxy.proxy_row_of(2_002), TITLE)  # an "en" document
    view.selectionModel().setCurrentIndex(target, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    proxy.set_filters(lang="en")
    assert view.currentIndex().data(DocumentIdRole) == 2_002
    assert all(proxy.index(r, LANG).data() == "en" for r in range(proxy.rowCount()))
    assert proxy.rowCount() == 1_000
    proxy.sort(TITLE, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, TITLE).data() == "doc-02998"
    assert view.currentIndex().data(DocumentIdRole) == 2_002
    proxy.set_filters(lang="fr")  # hides it: no current row left
    assert not view.currentIndex().isValid()
    proxy.sort(-1)
    assert [proxy.index(r, TITLE).data() for r in range(2)] == ["doc-00003", "doc-00006"]


def test_a_sort_that_needs_every_title_reads_them_off_the_gui_thread(qtbot):
    import threading


    docs, reader, asked = _many(3_000)
    threads = []

    def recording(ids):
        threads.append((ids is None, threading.get_ident()))
        return reader(ids)

    _model, proxy = _sorting(docs, recording)
    proxy.sort(TITLE, Qt.SortOrder.DescendingOrder)
    assert proxy.sorting()  # the rows keep their order meanwhile
    assert proxy.index(0, TITLE).data() == "doc-00001"
    qtbot.waitUntil(lambda: not proxy.sorting())
    assert [proxy.index(r, TITLE).data() for r in range(2)] == ["doc-03000", "doc-02999"]
    whole = [thread for everything, thread in threads if everything]
    assert len(whole) == 1 and whole[0] != threading.get_ident()  # one read of all, on another thread
    proxy.sort(SPANS, Qt.SortOrder.AscendingOrder)  # every count is known now: at once
    assert not proxy.sorting() and proxy.index(0, SPANS).data() == 0


def test_the_order_of_a_sort_that_reads_every_title_is_worked_out_off_the_gui_thread(qtbot, monkeypatch):
    """Sorting 100,000 titles is 50-70 ms of Python: the worker that reads them sorts them
    too, and the window only takes the order over (the navigator's 50 ms pause target)."""
    import threading

    from annotator.ui.app import document_list

    gui = threading.get_ident()
    keyed_on_gui = []
    real = document_list._column_keys
    monkeypatch.setattr(document_list, "_column_keys",
                        lambda col, model: (keyed_on_gui.append(threading.get_ident() == gui), real(col, model))[1])
    docs, reader, _asked = _many(3_000)
    _model, proxy = _sorting(docs, reader)
    proxy.sort(TITLE, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not proxy.sorting())
    assert [proxy.index(r, TITLE).data() for r in range(2)] == ["doc-03000", "doc-02999"]
    assert True not in keyed_on_gui


def test_an_edit_while_every_count_is_read_for_a_sort_is_sorted_with_its_new_count(qtbot):
    """The order worked out beside the read is of the counts read; a row edited meanwhile
    has a newer count, so the window sorts again with it."""
    import threading


    docs, reader, _asked = _many(3_000)
    go = threading.Event()

    def held(ids):
        if ids is None:
            assert go.wait(30)
        return reader(ids)

    model, proxy = _sorting(docs, held)
    proxy.sort(SPANS, Qt.SortOrder.DescendingOrder)
    assert proxy.sorting()
    model.update_documents([docs[41]], {42: ("doc-00042", None, None, 100)}, {42: 1_000})  # an edit meanwhile
    go.set()
    qtbot.waitUntil(lambda: not proxy.sorting())
    assert proxy.index(0, TITLE).data() == "doc-00042" and proxy.index(0, SPANS).data() == 1_000
    assert proxy.index(1, SPANS).data() == 6


def test_a_few_search_hits_filter_in_import_order_with_the_other_filters():

    docs, reader, _asked, model, proxy = _filtered(3_000)
    proxy.set_filters(ids={2_002, 5, 3, 99_999})  # an id no document has is no row
    assert [proxy.index(r, 0).data(DocumentIdRole) for r in range(proxy.rowCount())] == [3, 5, 2_002]
    proxy.set_filters(lang="en")
    assert [proxy.index(r, 0).data(DocumentIdRole) for r in range(proxy.rowCount())] == [2_002]
    proxy.set_filters(lang=None, status="done")  # odd ids are done
    assert [proxy.index(r, 0).data(DocumentIdRole) for r in range(proxy.rowCount())] == [3, 5]
    assert proxy.proxy_row_of(5) == 1 and proxy.proxy_row_of(2_002) == -1
