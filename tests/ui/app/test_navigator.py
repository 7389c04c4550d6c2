from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from annotator.store.spans import set_status
from annotator.ui.app.document_list import LANG, SPANS, DocumentUidRole
from annotator.ui.app.navigator import Navigator
from tests.ui.helpers import shown as on_screen


def type_text(qtbot, widget, text: str) -> None:
    """Key presses for `text`. QTest.keyClicks aborts on non-ASCII (qasciikey.cpp asserts),
    so other characters go as key events carrying their text, as an input method sends."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def shown(nav: Navigator) -> list[str]:
    """Seed numbers (the first three characters of the uid) of the rows in view order."""
    return [nav.proxy.index(r, 0).data(DocumentUidRole)[:3] for r in range(nav.proxy.rowCount())]


def current(nav: Navigator) -> str | None:
    row = nav.proxy.proxy_row_of(nav.current_document()) if nav.current_document() is not None else -1
    return nav.proxy.index(row, 0).data(DocumentUidRole)[:3] if row >= 0 else None


@pytest.fixture
def nav(qtbot, project):
    widget = on_screen(qtbot, Navigator(project, "tester"))
    widget.activated = []
    widget.documentActivated.connect(widget.activated.append)
    return widget


def search_for(qtbot, nav: Navigator, text: str, expected: list[str]) -> None:
    nav.search.setFocus()
    type_text(qtbot, nav.search, text)
    assert nav.search.text() == text
    assert nav._timer.isActive()  # debounced: nothing searched while typing
    qtbot.waitUntil(lambda: shown(nav) == expected, timeout=2000)


def test_lists_every_document_with_the_first_current(nav):
    assert shown(nav) == ["000", "001", "002", "003", "004"]
    assert nav.count_label.text() == "5 of 5 documents"
    assert current(nav) == "000"
    assert [nav.proxy.index(r, LANG).data() for r in range(5)] == ["bn", "vi", "fr", "sr", "en"]
    assert [nav.language.itemText(i) for i in range(nav.language.count())] == ["All languages", "bn", "vi", "fr",
                                                                                "sr", "en"]
    assert [nav.status.itemText(i) for i in range(nav.status.count())] == ["All statuses", "To do", "In progress",
                                                                            "Done"]


def test_bengali_search_shows_only_seed_000(qtbot, nav):
    search_for(qtbot, nav, "রাস্তার", ["000"])
    assert nav.count_label.text() == "1 of 5 documents"
    assert nav.activated == []  # 000 was current already


def test_name_search_without_diacritics_and_activation(qtbot, nav):
    search_for(qtbot, nav, "Geoana", ["001", "002", "004"])
    assert current(nav) is None  # 000 went out of view: nothing opens while the user types
    assert nav.activated == []
    assert nav.count_label.text() == "3 of 5 documents"
    qtbot.keyClick(nav.search, Qt.Key.Key_Down)  # the user chooses: the first hit
    assert nav.table.hasFocus() and current(nav) == "001"
    assert nav.activated == [nav.current_document()]


def test_vietnamese_search_with_diacritics(qtbot, nav):
    search_for(qtbot, nav, "Tổng thư ký", ["001"])


def test_escape_clears_the_search_at_once(qtbot, nav):
    search_for(qtbot, nav, "Geoana", ["001", "002", "004"])
    qtbot.keyClick(nav.search, Qt.Key.Key_Escape)
    assert nav.search.text() == ""
    assert shown(nav) == ["000", "001", "002", "003", "004"]
    assert current(nav) == "000" and nav.activated == []  # the open document, still open


def test_language_filter(qtbot, nav):
    nav.language.setCurrentIndex(nav.language.findData("fr"))
    assert shown(nav) == ["002"]
    assert current(nav) == "002"
    assert nav.count_label.text() == "1 of 5 documents"
    search_for(qtbot, nav, "রাস্তার", [])  # a Bengali word in French documents: nothing
    assert nav.count_label.text() == "0 of 5 documents"
    assert nav.current_document() is None
    nav.language.setCurrentIndex(0)
    qtbot.keyClick(nav.search, Qt.Key.Key_Escape)
    assert len(shown(nav)) == 5


def test_status_filter_follows_the_annotator(qtbot, nav, project):
    ids = {nav.proxy.index(r, 0).data(DocumentUidRole)[:3]: nav.model.row_at(r).id for r in range(5)}
    set_status(project, ids["003"], "tester", "done")
    set_status(project, ids["001"], "tester", "in_progress")
    set_status(project, ids["002"], "other", "done")
    nav.refresh()
    nav.status.setCurrentIndex(nav.status.findData("done"))
    assert shown(nav) == ["003"]
    nav.status.setCurrentIndex(nav.status.findData("in_progress"))
    assert shown(nav) == ["001"]
    nav.status.setCurrentIndex(nav.status.findData("todo"))
    assert shown(nav) == ["000", "002", "004"]
    nav.set_annotator("other")
    assert shown(nav) == ["000", "001", "003", "004"]
    nav.status.setCurrentIndex(nav.status.findData("done"))
    assert shown(nav) == ["002"]


def test_filters_combine(qtbot, nav):
    nav.language.setCurrentIndex(nav.language.findData("en"))
    search_for(qtbot, nav, "Geoana", ["004"])


def test_next_and_previous_move_within_the_view(qtbot, nav):
    search_for(qtbot, nav, "Geoana", ["001", "002", "004"])
    assert nav.next_document() and current(nav) == "001"  # the first hit: 000 is not shown
    assert nav.next_document() and current(nav) == "002"
    assert nav.next_document() and current(nav) == "004"
    assert not nav.next_document() and current(nav) == "004"
    assert nav.previous_document() and current(nav) == "002"
    assert nav.previous_document() and current(nav) == "001"
    assert not nav.previous_document() and current(nav) == "001"
    assert len(nav.activated) == 5 and len(set(nav.activated)) == 3


def test_select_a_hidden_document_clears_the_filters(qtbot, nav):
    search_for(qtbot, nav, "Geoana", ["001", "002", "004"])
    target = nav.model.row_at(3).id  # seed 003, not shown
    assert nav.select_document(target)
    assert current(nav) == "003" and nav.search.text() == "" and len(shown(nav)) == 5
    assert nav.activated[-1] == target and nav.activated.count(target) == 1
    assert not nav.select_document(99999)


def test_clicking_and_sorting(qtbot, nav):
    rect = nav.table.visualRect(nav.proxy.index(2, 0))
    qtbot.mouseClick(nav.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert current(nav) == "002" and len(nav.activated) == 1
    nav.table.sortByColumn(SPANS, Qt.SortOrder.DescendingOrder)
    nav.table.sortByColumn(LANG, Qt.SortOrder.AscendingOrder)
    assert shown(nav) == ["000", "004", "002", "003", "001"]  # bn en fr sr vi
    assert current(nav) == "002" and len(nav.activated) == 1  # re-sorting activates nothing


def test_down_in_the_search_box_goes_to_the_list(qtbot, nav):
    nav.search.setFocus()
    qtbot.waitUntil(nav.search.hasFocus)
    qtbot.keyClick(nav.search, Qt.Key.Key_Down)
    assert nav.table.hasFocus()
    qtbot.keyClick(nav.table, Qt.Key.Key_Down)
    assert current(nav) == "001" and len(nav.activated) == 1


def test_proxy_passes_the_model_tester(qtbot, qtmodeltester, nav):
    # One check connects the tester, which then verifies every signal of what follows
    # (a second check would connect it twice); the last one checks the final structure.
    qtmodeltester.check(nav.proxy, force_py=True)
    nav.language.setCurrentIndex(nav.language.findData("vi"))
    nav.language.setCurrentIndex(0)
    search_for(qtbot, nav, "Geoana", ["001", "002", "004"])
    nav.table.sortByColumn(LANG, Qt.SortOrder.DescendingOrder)
    nav.status.setCurrentIndex(nav.status.findData("done"))
    nav.status.setCurrentIndex(0)
    nav.refresh()
    qtbot.keyClick(nav.search, Qt.Key.Key_Escape)
    qtmodeltester.check(nav.proxy, force_py=True)


def test_an_empty_project(qtbot, tmp_path):
    from annotator.store.project import Project

    with Project.create(tmp_path / "empty.annotator") as project:
        widget = Navigator(project, "tester")
        qtbot.addWidget(widget)
        assert widget.current_document() is None
        assert widget.count_label.text() == "0 of 0 documents"
        assert not widget.next_document() and not widget.previous_document()
        assert not widget.select_document(1)
        type_text(qtbot, widget.search, "ab")
        qtbot.waitUntil(lambda: not widget._timer.isActive())
        assert widget.proxy.rowCount() == 0


def test_labelling_under_a_to_do_filter_keeps_the_open_document(qtbot, tmp_path):
    from annotator.importer import seed
    from annotator.store.project import Project
    from annotator.ui.app.main_window import MainWindow

    with Project.create(tmp_path / "p.annotator") as project:
        seed(project)
        win = MainWindow(project, "ana")
        qtbot.addWidget(win)
        win.show()
        nav = win.navigator
        nav.status.setCurrentIndex(nav.status.findData("todo"))
        opened = win.workspace.doc_id
        win.view.select(0, 6)
        qtbot.keyClick(win.view, Qt.Key.Key_2)
        # The list shows the new count once edits pause, and the document stays open.
        # (A count not read yet is read when asked for: wait for the status, which follows the edit.)
        qtbot.waitUntil(lambda: nav.model.row_at(nav.model.row_of(opened)).status == "in_progress")
        assert nav.model.row_at(nav.model.row_of(opened)).spans == 1
        assert win.workspace.doc_id == opened and nav.current_document() == opened


def test_a_search_shows_its_first_hits_first(qtbot, nav, monkeypatch):
    import annotator.ui.app.navigator as navigator

    monkeypatch.setattr(navigator, "FIRST_HITS", 2)
    nav.search.setText("Geoana")
    nav._run_search()  # what the timer calls once typing pauses
    assert shown(nav) == ["001", "002"] and nav.count_label.text() == "2+ of 5 documents"
    qtbot.waitUntil(lambda: shown(nav) == ["001", "002", "004"])  # the rest, from a worker thread
    assert nav.count_label.text() == "3 of 5 documents" and not nav.searching()
    nav.search.setText("রাস্তার")  # fewer hits than the first batch: nothing more to wait for
    nav._run_search()
    assert shown(nav) == ["000"] and not nav.searching()


def test_a_search_with_no_hit_among_many_candidates_is_finished_by_the_worker(qtbot, nav, monkeypatch):
    """Words that are common but never together: the window tests only the first
    candidates itself and says nothing is found once the worker has tested the rest."""
    import annotator.store.search as search

    monkeypatch.setattr(search, "FIRST_CANDIDATES", 2)
    nav.search.setText("te na")  # in 4 of the seeds' texts as trigrams, in none as a phrase
    nav._run_search()
    assert shown(nav) == [] and nav.searching() and nav.count_label.text() == "0+ of 5 documents"
    qtbot.waitUntil(lambda: not nav.searching())
    assert shown(nav) == [] and nav.count_label.text() == "0 of 5 documents"
    monkeypatch.setattr(search, "FIRST_CANDIDATES", 100)  # every candidate tested at once: no worker
    nav.search.setText("na te")
    nav._run_search()
    assert shown(nav) == [] and not nav.searching()


def ids_by_seed(nav: Navigator) -> dict[str, int]:
    model = nav.model
    return {model.index(r, 0).data(DocumentUidRole)[:3]: model.documents()[r][0] for r in range(model.rowCount())}


def test_least_sure_first_then_a_header_click_leaves_it(qtbot, nav):
    """The order combo's least sure first is a sort key of the lazy proxy: a training's
    confidences sort it, a header click sorts by that column and leaves it (a later
    training no longer re-sorts), choosing it again sorts by the confidences again."""
    ids = ids_by_seed(nav)
    confidence = {ids["003"]: 0.2, ids["001"]: 0.5, ids["004"]: 0.9}  # 000 and 002: no model for them
    wanted = []
    nav.uncertaintyOrder.connect(wanted.append)
    nav.order.setCurrentIndex(1)
    assert wanted == [True]
    nav.set_confidences(confidence)
    assert shown(nav) == ["003", "001", "004", "000", "002"]
    nav.refresh_documents([ids["004"]])  # an edit keeps the order
    assert shown(nav) == ["003", "001", "004", "000", "002"]

    header = nav.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().topLeft() + QPoint(header.sectionViewportPosition(LANG) + 5, 5))
    assert nav.order.currentIndex() == 0 and wanted == [True, False]
    assert shown(nav) == ["000", "004", "002", "003", "001"]  # bn en fr sr vi
    nav.set_confidences({ids["002"]: 0.1})
    assert shown(nav) == ["000", "004", "002", "003", "001"]

    nav.order.setCurrentIndex(1)
    assert header.sortIndicatorSection() == -1 or header.sortIndicatorSection() >= header.count()
    assert shown(nav)[0] == "002"


def test_a_team_queue_and_an_edit_outside_it(qtbot, nav, project):
    """The team queue is a filter of the rows read: an edit of a document outside it (a
    live update) adds no row; the status filter works within it."""
    ids = ids_by_seed(nav)
    nav.set_queue([ids["001"], ids["004"]])
    assert shown(nav) == ["001", "004"]
    set_status(project, ids["002"], "tester", "done")
    nav.refresh_documents([ids["002"], ids["004"]])
    assert shown(nav) == ["001", "004"] and nav.model.rowCount() == 2
    set_status(project, ids["004"], "tester", "done")
    nav.refresh_documents([ids["004"]])
    nav.status.setCurrentIndex(nav.status.findData("done"))
    assert "004" in shown(nav) and "002" not in shown(nav)  # (the current document is kept: pinned)
    nav.status.setCurrentIndex(0)
    nav.set_queue(None)
    assert len(shown(nav)) == 5
