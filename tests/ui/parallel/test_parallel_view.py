"""The side-by-side view of the seed group (004 en, 001 vi, 002 fr) used as a user would:
real keys and clicks on the real window; assertions on what the store holds and what
the panes and bands show."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from annotator.core.alignment_edit import units
from annotator.core.records import Block
from annotator.core.values import value_problem
from annotator.store.parallel import document_links, stored_alignment, stored_crossings
from annotator.store.queries import layer_spans, list_documents
from annotator.store.spans import get_span
from annotator.ui.app.main_window import MainWindow
from annotator.ui.edits import Edits
from annotator.ui.parallel.window import ParallelWindow
from annotator.ui.widgets.actions import SIDE_BY_SIDE
from tests.ui.helpers import shown

CTRL, SHIFT, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.AltModifier
EN, VI, FR = 0, 1, 2  # pane order: the opened document, then the group by id


def doc_ids(project) -> dict[str, int]:
    with project.read() as conn:
        return {d.uid[:3]: d.id for d in list_documents(conn)}


@pytest.fixture
def win(qtbot, project):
    edits = Edits(project)
    window = ParallelWindow(project, "ana", edits, doc_ids(project)["004"])
    window.resize(1500, 900)
    window.edits_keepalive = edits
    return wait_aligned(qtbot, shown(qtbot, window, activate=True))


def wait_aligned(qtbot, window):
    """`window` once the suggestions of the pairs on screen are computed (off the GUI
    thread) and shown."""
    qtbot.waitUntil(lambda: not window.alignments.jobs, timeout=30000)
    return window


def press(qtbot, win, key, mod=Qt.KeyboardModifier.NoModifier, times=1):
    """A key pressed where the keyboard focus is, as a user types it; then the window
    catches up with the store (its sync is deferred to when the event loop is idle)."""
    for _ in range(times):
        qtbot.keyClick(QApplication.focusWidget() or win, key, mod)
    synced(qtbot, win)


def synced(qtbot, win):
    qtbot.waitUntil(lambda: not win.sync_pending())


def spans(win, pane):
    """(start, end, label, text) of ana's spans in a pane's document, from the store."""
    p = win.panes[pane]
    with win.project.read() as conn:
        return [(s, e, label, p.text[s:e]) for s, e, label, _uid in layer_spans(conn, p.doc_id, "ana")]


def label(qtbot, win, pane, needle, key, nth=0):
    """Select `needle` (its nth occurrence) in a pane by keyboard-free selection, press the label key."""
    p = win.panes[pane]
    start = -1
    for _ in range(nth + 1):
        start = p.text.index(needle, start + 1)
    omap = p.workspace.omap
    p.view.setFocus()
    p.view.select(omap.to_display(start), omap.to_display(start + len(needle)))
    qtbot.keyClick(p.view, key)
    synced(qtbot, win)
    return start


def alignment(win, a=EN, b=VI):
    with win.project.read() as conn:
        return stored_alignment(conn, win.panes[a].doc_id, win.panes[b].doc_id, "ana")


def caret_to(win, pane, cp):
    win.panes[pane].place_caret(cp, focus=True)


def test_the_group_opens_side_by_side_with_a_band_per_block(win):
    assert [p.row.lang for p in win.open_panes] == ["en", "vi", "fr"]
    assert all(p.isVisible() for p in win.panes) and all(b.isVisible() for b in win.bands)
    # Every sentence of each document is in exactly one block of the suggested alignment.
    for k, band in enumerate(win.bands):
        assert band.blocks and not band.stored
        left, right = win.panes[k], win.panes[k + 1]
        for pane, side, sents in ((left, "a", left.sentences), (right, "b", right.sentences)):
            covered = [u for b in band.blocks for u in units(*((b.a_start, b.a_end) if side == "a" else
                                                                (b.b_start, b.b_end)), sents)]
            assert [pane.text[s:e].strip() for s, e in covered] == [pane.text[s:e] for s, e in sents]
        # The bands that are on screen are drawn inside the gutter.
        assert band.visible_blocks()
    assert "en ↔ vi" in win.pair_label.text() and "suggested" in win.pair_label.text()


def test_scrolling_one_pane_scrolls_the_others_in_step(win, qtbot):
    win.resize(1200, 500)
    qtbot.waitUntil(lambda: win.panes[EN].view.verticalScrollBar().maximum() > 0)
    win.panes[EN].view.setFocus()
    press(qtbot, win, Qt.Key.Key_PageDown, times=2)  # the English pane scrolls down
    assert win.panes[EN].view.verticalScrollBar().value() > 0
    for k, pane in enumerate(win.panes[1:]):
        # Its first line holds the text aligned with English's first line (or it is at its end).
        expected = win.map(k, "a", win.panes[k].top())
        bar = pane.view.verticalScrollBar()
        line = pane.view.fontMetrics().height() + 2
        assert bar.value() > 0
        assert abs(pane.y_range(expected, expected)[0]) <= line or bar.value() == bar.maximum()
    press(qtbot, win, Qt.Key.Key_Home, CTRL)
    assert all(p.view.verticalScrollBar().value() == 0 for p in win.panes)


def test_labelling_works_in_either_pane_and_undo_restores(win, qtbot):
    label(qtbot, win, EN, "Mircea Geoană", Qt.Key.Key_1)
    label(qtbot, win, VI, "Mircea Geoana", Qt.Key.Key_1)
    assert [s[2:] for s in spans(win, EN)] == [("PERSON", "Mircea Geoană")]
    assert [s[2:] for s in spans(win, VI)] == [("PERSON", "Mircea Geoana")]
    assert win.saved_label.text().startswith("✓ Saved")
    press(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert spans(win, VI) == [] and len(spans(win, EN)) == 1
    assert win.panes[VI].workspace.spans() == []  # the pane shows what the store holds


def test_merge_split_and_untranslated_by_keyboard_with_undo(win, qtbot):
    suggested = list(win.bands[0].blocks)
    en = win.panes[EN]
    second = en.sentences[1]  # "NATO Deputy Secretary General Mircea Geoană met today ..."
    caret_to(win, EN, second[0] + 3)
    i = win.bands[0].current
    assert i is not None and win.bands[0].blocks[i].a_start <= second[0] < win.bands[0].blocks[i].a_end
    press(qtbot, win, Qt.Key.Key_M, CTRL)  # merge with the next block: stored, one block fewer
    merged = alignment(win)
    assert merged is not None and len(merged) == len(suggested) - 1
    assert win.bands[0].blocks == merged and win.bands[0].stored
    # Split after the sentence at the caret: the merged block is two again.
    press(qtbot, win, Qt.Key.Key_B, CTRL)
    split = alignment(win)
    assert len(split) == len(suggested)
    # The sentence at the caret, untranslated: a block of its own with nothing in Vietnamese.
    press(qtbot, win, Qt.Key.Key_U, CTRL)
    alone = [b for b in alignment(win) if (b.a_start, b.a_end) == second]
    assert alone and alone[0].b_start == alone[0].b_end
    assert win.bands[0].blocks == alignment(win)
    press(qtbot, win, Qt.Key.Key_Z, CTRL, times=3)
    assert alignment(win) is None  # back to nothing stored: the suggestion shows again
    assert win.bands[0].blocks == suggested and not win.bands[0].stored
    press(qtbot, win, Qt.Key.Key_Y, CTRL)
    assert alignment(win) == merged


def test_split_in_the_last_sentence_of_a_block_explains_instead(win, qtbot):
    en = win.panes[EN]
    band = win.bands[0]
    block = next(b for b in band.blocks if b.a_start < b.a_end)
    last = units(block.a_start, block.a_end, en.sentences)[-1]
    caret_to(win, EN, last[0] + 1)
    press(qtbot, win, Qt.Key.Key_B, CTRL)
    assert alignment(win) is None  # nothing saved
    assert "last sentence" in win.statusBar().currentMessage()


def test_a_band_is_clicked_and_merged_by_mouse(win, qtbot):
    band = win.bands[0]
    visible = [i for i in band.visible_blocks() if band.blocks[i].a_start < band.blocks[i].a_end]
    target = visible[1]
    centre = band.band(target).boundingRect().center().toPoint()
    point = next(QPoint(x, centre.y()) for x in range(band.width() // 2, band.width())
                 if band.block_at(QPoint(x, centre.y())) == target)
    qtbot.mouseClick(band, Qt.MouseButton.LeftButton, pos=point)
    assert band.current == target  # the caret went to the block's English side
    assert win.panes[EN].caret() == band.blocks[target].a_start
    before = len(band.blocks)

    def choose_merge():
        menu = QApplication.activePopupWidget()
        action = next(a for a in menu.actions() if a.text() == SIDE_BY_SIDE["merge_next"].text)
        action.trigger()
        menu.close()

    QTimer.singleShot(0, choose_merge)
    qtbot.mouseClick(band, Qt.MouseButton.RightButton, pos=point)
    synced(qtbot, win)
    assert len(alignment(win)) == before - 1
    assert len(band.blocks) == before - 1


def test_link_a_span_by_key_then_pick_by_keyboard_and_by_click(win, qtbot):
    label(qtbot, win, EN, "Mircea Geoană", Qt.Key.Key_1)
    vi_start = label(qtbot, win, VI, "Mircea Geoana", Qt.Key.Key_1)
    fr_start = label(qtbot, win, FR, "Mircea Geoana", Qt.Key.Key_1)
    en_uid = win.panes[EN].workspace.spans()[0].uid
    win.panes[EN].view.setFocus()
    win.panes[EN].workspace.select_span(en_uid)
    press(qtbot, win, Qt.Key.Key_L, CTRL)  # link: the focus moves on to the next pane
    assert win.active == VI
    win.panes[VI].place_caret(vi_start + 2)
    press(qtbot, win, Qt.Key.Key_Tab)  # the span under the caret
    press(qtbot, win, Qt.Key.Key_Return)
    vi_uid = win.panes[VI].workspace.spans()[0].uid
    with win.project.read() as conn:
        assert document_links(conn, win.panes[EN].doc_id, "ana") == [(en_uid, win.panes[VI].row.uid, vi_uid)]
    assert win.bands[0].links  # drawn across the gutter
    # Selecting the English span shows its counterpart in Vietnamese.
    win.panes[EN].view.setFocus()
    win.panes[EN].workspace.select_span(en_uid)
    assert win.panes[VI].shown_ranges("linked") == [(vi_start, vi_start + len("Mircea Geoana"))]
    # Mouse: Ctrl+L, then a click on the French span.
    press(qtbot, win, Qt.Key.Key_L, CTRL)
    fr = win.panes[FR]
    cursor = fr.view.textCursor()
    cursor.setPosition(fr.workspace.omap.to_display(fr_start + 3))
    qtbot.mouseClick(fr.view.viewport(), Qt.MouseButton.LeftButton, pos=fr.view.cursorRect(cursor).center())
    synced(qtbot, win)
    with win.project.read() as conn:
        assert len(document_links(conn, win.panes[EN].doc_id, "ana")) == 2
    press(qtbot, win, Qt.Key.Key_Z, CTRL)
    press(qtbot, win, Qt.Key.Key_Z, CTRL)
    with win.project.read() as conn:
        assert document_links(conn, win.panes[EN].doc_id, "ana") == []
    assert not win.bands[0].links


def test_projection_suggestions_accepted_and_rejected_by_keyboard(win, qtbot):
    label(qtbot, win, EN, "Mircea Geoană", Qt.Key.Key_1)
    label(qtbot, win, EN, "4,000", Qt.Key.Key_3)
    label(qtbot, win, EN, "Miroslav Lajcak", Qt.Key.Key_1)
    label(qtbot, win, EN, "13 June 2023", Qt.Key.Key_4)  # vi "14/6" has no year: value "--06-14"
    win.panes[EN].view.setFocus()
    press(qtbot, win, Qt.Key.Key_P, CTRL)
    shown_before = list(win.suggestions.shown)
    assert len(shown_before) >= 3 and spans(win, VI) == [] and spans(win, FR) == []
    # Suggestions are overlays in the target panes, not spans.
    targets = {s.target for s in shown_before}
    assert all(any(p.shown_ranges(f"suggestion:{lab}") for lab in ("PERSON", "FIGURE")) for p in targets)
    assert all(p.workspace.spans() == [] for p in targets)
    press(qtbot, win, Qt.Key.Key_F8)
    first = win.suggestions.current()
    press(qtbot, win, Qt.Key.Key_Return, CTRL)  # accept: the span and its link
    pane = win.panes.index(first.target)
    made = [s for s in spans(win, pane) if (s[0], s[1], s[2]) == (first.proposal.start, first.proposal.end,
                                                                    first.proposal.label)]
    assert made and first not in win.suggestions.shown
    with win.project.read() as conn:
        links = document_links(conn, first.target.doc_id, "ana")
    assert [lk[2] for lk in links] == [first.proposal.source]
    rejected = win.suggestions.current()
    press(qtbot, win, Qt.Key.Key_Backspace, CTRL)
    assert rejected not in win.suggestions.shown
    left = len(win.suggestions.shown)
    total_before = len(spans(win, VI)) + len(spans(win, FR))
    press(qtbot, win, Qt.Key.Key_Return, CTRL | SHIFT)  # accept all that are left: N spans, N links
    assert len(spans(win, VI)) + len(spans(win, FR)) == total_before + left
    assert win.suggestions.shown == []
    with win.project.read() as conn:  # each accepted span is linked to its source span
        links = [lk for p in (win.panes[VI], win.panes[FR]) for lk in document_links(conn, p.doc_id, "ana")]
    assert len(links) == 1 + left and {lk[1] for lk in links} == {win.panes[EN].row.uid}
    assert not any(p.shown_ranges(f"suggestion:{lab}") for p in targets for lab in ("PERSON", "FIGURE", "DATE"))
    figure = [s for s in win.suggestions.all if s.proposal.label == "FIGURE" and s.key not in win.suggestions.rejected]
    with win.project.read() as conn:
        values = {get_span(conn, m.uid).value for s in figure for m in s.target.workspace.spans()
                  if (m.start, m.end) == (s.proposal.start, s.proposal.end)}
    assert values <= {"4000", "4200"} and values
    with win.project.read() as conn:  # a proposal's partial date ("--06-14") is shown, never stored
        stored = [get_span(conn, m.uid) for p in (win.panes[VI], win.panes[FR]) for m in p.workspace.spans()]
    assert any(s.label == "DATE" for s in stored)
    assert all(value_problem(s.label, s.value) is None for s in stored)
    press(qtbot, win, Qt.Key.Key_Z, CTRL)  # undo accept-all: the suggestions come back
    assert len(win.suggestions.shown) == left
    press(qtbot, win, Qt.Key.Key_Z, CTRL)  # undo the rejection
    assert rejected in win.suggestions.shown


def test_disagreements_are_listed_and_show_their_spans(win, qtbot):
    en_start = label(qtbot, win, EN, "13 June 2023", Qt.Key.Key_4)
    fr_start = label(qtbot, win, FR, "14 juin", Qt.Key.Key_4)
    en_uid = win.panes[EN].workspace.spans()[0].uid
    win.panes[EN].workspace.select_span(en_uid)
    win.panes[EN].view.setFocus()
    press(qtbot, win, Qt.Key.Key_L, CTRL)
    win.focus_pane(FR)
    win.panes[FR].workspace.select_span(win.panes[FR].workspace.spans()[0].uid)
    press(qtbot, win, Qt.Key.Key_Return)
    press(qtbot, win, Qt.Key.Key_D, CTRL)
    kinds = [d.kind for d in win.disagreements.items]
    assert "value" in kinds and "Disagreements (" in win.tabs.tabText(1)
    row = kinds.index("value")
    win.disagreements.list.setCurrentItem(win.disagreements.list.topLevelItem(row))
    assert win.panes[EN].shown_ranges("disagreement") == [(en_start, en_start + len("13 June 2023"))]
    assert win.panes[FR].shown_ranges("disagreement") == [(fr_start, fr_start + len("14 juin"))]


def test_a_document_without_group_gets_a_message(qtbot, project):
    window = wait_aligned(qtbot, shown(qtbot, ParallelWindow(project, "ana", Edits(project), doc_ids(project)["000"])))
    assert window.stack.currentWidget() is window.message
    assert "not in a translation group" in window.message.text()
    assert window.open_panes == []


def test_right_click_on_a_sentence_marks_it_untranslated(win, qtbot):
    en = win.panes[EN]
    sentence = en.sentences[2]
    cursor = en.view.textCursor()
    cursor.setPosition(en.workspace.omap.to_display(sentence[0] + 2))
    point = en.view.cursorRect(cursor).center()

    def choose():
        menu = QApplication.activePopupWidget()
        next(a for a in menu.actions() if a.text() == SIDE_BY_SIDE["untranslated"].text).trigger()
        menu.close()

    QTimer.singleShot(0, choose)
    # What the platform sends on a right-click (QTest's mouse events do not make one).
    QApplication.sendEvent(en.view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                                                                 en.view.viewport().mapToGlobal(point)))
    synced(qtbot, win)
    alone = [b for b in alignment(win) if (b.a_start, b.a_end) == sentence]
    assert alone and alone[0].b_start == alone[0].b_end


def test_edits_made_in_the_main_window_show_in_the_side_by_side_view(qtbot, project):
    main = shown(qtbot, MainWindow(project, "ana"))
    ids = doc_ids(project)
    side = wait_aligned(qtbot, shown(qtbot, ParallelWindow(project, "ana", main.edits, ids["004"])))
    main.navigator.select_document(ids["004"])
    qtbot.waitUntil(lambda: main.workspace.doc_id == ids["004"])
    text = main.workspace.text
    start = text.index("Miroslav Lajcak")
    main.view.setFocus()
    main.view.select(start, start + len("Miroslav Lajcak"))
    qtbot.keyClick(main.view, Qt.Key.Key_1)
    synced(qtbot, side)
    assert [(m.start, m.label) for m in side.panes[EN].workspace.spans()] == [(start, "PERSON")]
    main.edits.undo()  # as Ctrl+Z in the main window does
    synced(qtbot, side)
    assert side.panes[EN].workspace.spans() == []


def test_keep_the_suggested_alignment_and_walk_blocks_and_panes_by_keyboard(win, qtbot):
    band = win.bands[0]
    suggested = list(band.blocks)
    caret_to(win, EN, 0)
    first = band.current
    press(qtbot, win, Qt.Key.Key_Down, ALT)  # next block: the caret goes to its first sentence
    nxt = next(i for i in range(first + 1, len(suggested)) if suggested[i].a_start < suggested[i].a_end)
    assert band.current == nxt and win.panes[EN].caret() == suggested[nxt].a_start
    press(qtbot, win, Qt.Key.Key_Up, ALT)
    assert band.current == first
    press(qtbot, win, Qt.Key.Key_K, CTRL)  # keep the suggestion as it is: stored, solid bands
    assert alignment(win) == suggested and band.stored
    assert "suggested" not in win.pair_label.text()
    press(qtbot, win, Qt.Key.Key_F6)
    assert win.active == VI and "vi ↔ fr" in win.pair_label.text()
    press(qtbot, win, Qt.Key.Key_F6)
    assert win.active == FR and "vi ↔ fr" in win.pair_label.text()  # the last pane edits with its left
    press(qtbot, win, Qt.Key.Key_F6, SHIFT)
    assert win.active == VI
    press(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert alignment(win) is None


def counting(monkeypatch, owner, name):
    """Calls of owner.name, counted (the original still runs)."""
    calls = []
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return calls


def test_disagreements_are_computed_only_while_their_tab_is_shown(win, qtbot, monkeypatch):
    from annotator.ui.parallel import disagreements as disagreement_panel
    reports = counting(monkeypatch, disagreement_panel, "group_report")
    assert win.tabs.currentWidget() is win.suggestions
    label(qtbot, win, EN, "13 June 2023", Qt.Key.Key_4)
    label(qtbot, win, FR, "14 juin", Qt.Key.Key_4)
    press(qtbot, win, Qt.Key.Key_Z, CTRL)
    press(qtbot, win, Qt.Key.Key_Y, CTRL)
    assert len(spans(win, FR)) == 1 and win.panes[FR].workspace.spans()  # synced...
    assert reports == []  # ...without the report nobody sees
    assert win.tabs.tabText(1) == "Disagreements"
    win.tabs.setCurrentWidget(win.disagreements)  # shown: computed from what the store holds
    assert len(reports) == 1
    assert {d.kind for d in win.disagreements.items} == {"unlinked"} and win.tabs.tabText(1) == "Disagreements (4)"
    label(qtbot, win, VI, "14/6", Qt.Key.Key_4)  # while shown, each sync recomputes it
    assert len(reports) == 2 and win.tabs.tabText(1) == "Disagreements (6)"
    win.tabs.setCurrentWidget(win.suggestions)
    press(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert len(reports) == 2 and win.tabs.tabText(1) == "Disagreements"  # no stale count left in the title
    press(qtbot, win, Qt.Key.Key_D, CTRL)
    assert len(reports) == 3 and win.tabs.tabText(1) == "Disagreements (4)"
    win.tabs.setCurrentWidget(win.suggestions)
    win.tabs.setCurrentWidget(win.disagreements)  # nothing changed meanwhile: not recomputed
    assert len(reports) == 3


def test_a_burst_of_changes_costs_one_sync_and_a_hidden_window_none(win, qtbot, monkeypatch):
    from annotator.store.changes import Change
    syncs = counting(monkeypatch, win.ops, "sync_links")
    for i in range(5):  # as a macro's pieces, or another window's quick edits
        win.edits.run(lambda i=i: Change(f"nothing {i}", dismissed=frozenset({("test", i)})))
    assert syncs == [] and win.sync_pending()
    synced(qtbot, win)
    assert len(syncs) == 1
    win.hide()
    win.edits.undo()
    win.edits.undo()
    qtbot.wait(20)
    assert len(syncs) == 1 and not win.sync_pending()  # hidden: only remembered
    win.show()
    qtbot.waitExposed(win)
    assert len(syncs) == 2  # shown: caught up


def test_an_edit_typed_before_the_window_caught_up_uses_the_stored_blocks(win, qtbot):
    suggested = list(win.bands[0].blocks)
    caret_to(win, EN, win.panes[EN].sentences[1][0] + 3)
    # Two merges in one go, before the event loop idles: the second is made on the first's result.
    qtbot.keyClick(win.panes[EN].view, Qt.Key.Key_M, CTRL)
    assert win.sync_pending()
    qtbot.keyClick(win.panes[EN].view, Qt.Key.Key_M, CTRL)
    synced(qtbot, win)
    assert len(alignment(win)) == len(suggested) - 2 and win.bands[0].blocks == alignment(win)


def test_unlink_removes_all_links_of_the_span_in_one_step(win, qtbot):
    label(qtbot, win, EN, "Mircea Geoană", Qt.Key.Key_1)
    label(qtbot, win, VI, "Mircea Geoana", Qt.Key.Key_1)
    label(qtbot, win, FR, "Mircea Geoana", Qt.Key.Key_1)
    en_uid = win.panes[EN].workspace.spans()[0].uid
    for target in (VI, FR):
        win.panes[EN].view.setFocus()
        win.panes[EN].workspace.select_span(en_uid)
        press(qtbot, win, Qt.Key.Key_L, CTRL)
        win.focus_pane(target)
        win.panes[target].workspace.select_span(win.panes[target].workspace.spans()[0].uid)
        press(qtbot, win, Qt.Key.Key_Return)

    def links():
        with win.project.read() as conn:
            return document_links(conn, win.panes[EN].doc_id, "ana")

    both = links()
    assert len(both) == 2
    win.panes[EN].view.setFocus()
    win.panes[EN].workspace.select_span(en_uid)
    depth = win.edits.stack.index()
    press(qtbot, win, Qt.Key.Key_L, CTRL | SHIFT)
    assert links() == [] and win.edits.stack.index() == depth + 1 and not win.bands[0].links
    press(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert links() == both and win.bands[0].links
    press(qtbot, win, Qt.Key.Key_Y, CTRL)
    assert links() == []


def test_only_the_links_near_the_screen_are_laid_out(win, qtbot, monkeypatch):
    win.resize(1200, 500)
    en, vi = win.panes[EN], win.panes[VI]
    qtbot.waitUntil(lambda: en.view.verticalScrollBar().maximum() > 0 and vi.view.verticalScrollBar().maximum() > 0)
    band = win.bands[0]
    (l0, l1), (r0, r1) = en.visible_range(), vi.visible_range()
    far_l, far_r = len(en.text) - 2, len(vi.text) - 2
    assert far_l > l1 and far_r > r1
    shown_link = ((l0 + 1, l0 + 3), (r0 + 1, r0 + 3), "#ff0000")
    crossing = ((l0 + 1, l0 + 3), (far_r, far_r + 1), "#00ff00")  # from the top down past the bottom: drawn
    away = ((far_l, far_l + 1), (far_r, far_r + 1), "#0000ff")  # below the screen on both sides
    band.set_links([shown_link, crossing, away])
    assert band.visible_links() == [shown_link, crossing]
    asked = counting(monkeypatch, en, "y_range")
    band.repaint()
    assert (l0 + 1, l0 + 1) in asked and (far_l, far_l) not in asked


def test_the_disagreement_list_is_filtered_by_kind_from_the_keyboard(win, qtbot):
    label(qtbot, win, EN, "13 June 2023", Qt.Key.Key_4)
    label(qtbot, win, FR, "14 juin", Qt.Key.Key_4)
    label(qtbot, win, EN, "4,000", Qt.Key.Key_3)
    win.panes[EN].workspace.select_span(win.panes[EN].workspace.spans()[0].uid)
    win.panes[EN].view.setFocus()
    press(qtbot, win, Qt.Key.Key_L, CTRL)
    win.focus_pane(FR)
    win.panes[FR].workspace.select_span(win.panes[FR].workspace.spans()[0].uid)
    press(qtbot, win, Qt.Key.Key_Return)
    press(qtbot, win, Qt.Key.Key_D, CTRL)
    panel = win.disagreements
    kinds = {d.kind for d in panel.items}
    assert {"value", "unlinked"} <= kinds and panel.list.topLevelItemCount() == len(panel.items)

    def listed():
        return [panel.list.topLevelItem(i).text(0) for i in range(panel.list.topLevelItemCount())]

    press(qtbot, win, Qt.Key.Key_K, ALT)  # the kind filter takes the keyboard
    assert QApplication.focusWidget() is panel.kind
    press(qtbot, win, Qt.Key.Key_Down)  # All kinds -> value
    assert listed() == ["value"]
    press(qtbot, win, Qt.Key.Key_Down)  # -> unlinked
    assert listed() and set(listed()) == {"unlinked"}
    assert len(listed()) == sum(d.kind == "unlinked" for d in panel.items)
    # Selecting a filtered row shows that row's spans, not the unfiltered list's row.
    press(qtbot, win, Qt.Key.Key_D, CTRL)  # back to the list: its first row is the first unlinked one
    assert QApplication.focusWidget() is panel.list
    press(qtbot, win, Qt.Key.Key_Down)
    assert panel.current().kind == "unlinked" and panel.current() == [d for d in panel.items
                                                                     if d.kind == "unlinked"][1]
    press(qtbot, win, Qt.Key.Key_K, ALT)
    press(qtbot, win, Qt.Key.Key_Home)  # all kinds again
    assert len(listed()) == len(panel.items)


def test_the_band_colours_have_a_legend(win):
    from annotator.ui.parallel.bands import CURRENT, FILLS, UNTRANSLATED
    assert win.legend.isVisible()
    assert {c.name() for c in win.legend.swatches.values()} >= {FILLS[0].name(), FILLS[1].name(),
                                                                 CURRENT.name(), UNTRANSLATED.name()}
    texts = [w.text() for w in win.legend.findChildren(type(win.pair_label))]
    assert any("untranslated" in t for t in texts) and any("current" in t for t in texts)


def test_the_gutter_is_wide_and_its_splitter_handle_widens_it(win, qtbot):
    band = win.bands[0]
    assert band.width() >= 120  # a 64 px gutter bundles the French-English bands together
    handle = win.row.handle(win.row.indexOf(band) + 1)  # between the gutter and the Vietnamese pane
    before = band.width()
    start = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(handle, start + QPoint(80, 0))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=start + QPoint(80, 0))
    qtbot.waitUntil(lambda: band.width() > before + 40)
    # The bands are drawn across the whole new width.
    i = band.visible_blocks()[0]
    box = band.band(i).boundingRect()
    assert box.left() == 0 and box.right() == band.width()


def test_an_accepted_partial_date_and_the_disagreement_list_say_the_same(win, qtbot):
    """"14/6" projected from "13 June 2023" reads --06-14, which has no ISO form to store
    (no year in the Vietnamese text): the suggestion says so before it is accepted, the
    span is stored without a value, and the disagreement list says its --06-14 is read from
    the text, not a stored value."""
    label(qtbot, win, EN, "13 June 2023", Qt.Key.Key_4)
    win.panes[EN].view.setFocus()
    press(qtbot, win, Qt.Key.Key_P, CTRL)
    panel = win.suggestions
    rows = [panel.list.topLevelItem(i) for i in range(panel.list.topLevelItemCount())]
    vi_row = next(i for i, s in enumerate(panel.shown) if s.target is win.panes[VI] and s.proposal.label == "DATE")
    assert panel.shown[vi_row].proposal.value == "--06-14"
    assert rows[vi_row].text(4) == "--06-14 (no year: not stored)"
    press(qtbot, win, Qt.Key.Key_F8, times=vi_row + 1)
    assert panel.current() is panel.shown[vi_row]
    press(qtbot, win, Qt.Key.Key_Return, CTRL)
    [(s, e, lab, text)] = spans(win, VI)
    assert (lab, text) == ("DATE", "14/6")
    with win.project.read() as conn:
        assert get_span(conn, win.panes[VI].workspace.spans()[0].uid).value is None
    press(qtbot, win, Qt.Key.Key_D, CTRL)
    [value] = [d for d in win.disagreements.items if d.kind == "value"]
    assert "'14/6' = --06-14 (read from the text, no value stored)" in value.detail
    assert "'13 June 2023' = 2023-06-13 but" in value.detail


def test_the_counterpart_prompt_goes_once_the_link_is_made(win, qtbot):
    label(qtbot, win, EN, "Mircea Geoană", Qt.Key.Key_1)
    vi_start = label(qtbot, win, VI, "Mircea Geoana", Qt.Key.Key_1)
    win.panes[EN].view.setFocus()
    win.panes[EN].workspace.select_span(win.panes[EN].workspace.spans()[0].uid)
    press(qtbot, win, Qt.Key.Key_L, CTRL)
    assert "click its counterpart" in win.statusBar().currentMessage()
    win.panes[VI].place_caret(vi_start + 2)
    press(qtbot, win, Qt.Key.Key_Tab)
    press(qtbot, win, Qt.Key.Key_Return)
    with win.project.read() as conn:
        assert len(document_links(conn, win.panes[EN].doc_id, "ana")) == 1
    assert "counterpart" not in win.statusBar().currentMessage()


def test_the_window_and_the_groups_dialog_open_within_a_1000_px_screen(qtbot, project, monkeypatch):
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    from annotator.ui.parallel.groups_dialog import GroupsDialog
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1280, 1000 - 32))
    window = ParallelWindow(project, "ana", Edits(project), doc_ids(project)["004"])
    qtbot.addWidget(window)
    wait_aligned(qtbot, window)
    assert window.width() == 1280 - 16 and window.height() + 48 <= 1000 - 32
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 640, 400))
    dialog = GroupsDialog(project, Edits(project))
    qtbot.addWidget(dialog)
    assert dialog.width() <= 640 - 16 and dialog.height() <= 400 - 48


def crossings(win, a=EN, b=VI):
    with win.project.read() as conn:
        return stored_crossings(conn, win.panes[a].doc_id, win.panes[b].doc_id, "ana")


def test_a_sentence_out_of_order_is_marked_as_a_crossing_link_by_key_and_undone(win, qtbot):
    suggested = list(win.bands[0].blocks)
    en, vi = win.panes[EN], win.panes[VI]
    s_en, s_vi = en.sentences[1], vi.sentences[4]  # not in one block: an out-of-order pair
    vi.place_caret(s_vi[0] + 2)
    caret_to(win, EN, s_en[0] + 3)
    press(qtbot, win, Qt.Key.Key_X, CTRL | SHIFT)
    stored = alignment(win)
    assert crossings(win) == [Block(*s_en, *s_vi)]
    assert crossings(win, VI, EN) == [Block(*s_vi, *s_en)]
    # Both sentences are untranslated in their places; every other sentence keeps its block.
    assert [b for b in stored if (b.a_start, b.a_end) == s_en and b.b_start == b.b_end]
    assert [b for b in stored if (b.b_start, b.b_end) == s_vi and b.a_start == b.a_end]
    assert len(stored) <= len(suggested) + 4
    # Drawn: a crossing band in the gutter, over the blocks, named in the legend.
    assert win.bands[0].crossings == [Block(*s_en, *s_vi)] and win.bands[0].visible_crossings() == [0]
    path = win.bands[0].crossing_band(0)
    assert path.boundingRect().width() == win.bands[0].width()
    assert any("crossing" in t for t in win.legend.swatches)
    # One undo step puts the previous alignment back (here: the suggestion, nothing stored).
    press(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert alignment(win) is None and crossings(win) == []
    assert win.bands[0].crossings == [] and win.bands[0].blocks == suggested
    press(qtbot, win, Qt.Key.Key_Y, CTRL)
    assert crossings(win) == [Block(*s_en, *s_vi)]
    # The key again on a crossed sentence removes the crossing link, not the alignment.
    caret_to(win, EN, s_en[0] + 3)
    press(qtbot, win, Qt.Key.Key_X, CTRL | SHIFT)
    assert crossings(win) == [] and alignment(win) == stored
    # Merging a crossed sentence back into a block ends its crossing link.
    press(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert crossings(win) == [Block(*s_en, *s_vi)]
    caret_to(win, EN, s_en[0] + 3)
    press(qtbot, win, Qt.Key.Key_M, CTRL | SHIFT)
    assert crossings(win) == [] and win.bands[0].crossings == []


def test_two_sentences_of_one_block_are_not_a_crossing(win, qtbot):
    band = win.bands[0]
    block = next(b for b in band.blocks if b.a_start < b.a_end and b.b_start < b.b_end)
    win.panes[VI].place_caret(block.b_start)
    caret_to(win, EN, block.a_start)
    press(qtbot, win, Qt.Key.Key_X, CTRL | SHIFT)
    assert alignment(win) is None and crossings(win) == []
    assert "same block" in win.statusBar().currentMessage()
