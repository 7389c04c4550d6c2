"""Ghost spans in the main window, reviewed with the real keys: Return accepts the
suggestion at the caret, a label key accepts it as that label, Ctrl+Backspace rejects it,
F8 goes to the next, Ctrl+Shift+Return accepts all above the threshold as one undo step,
Ctrl+Shift+H hides them; Ctrl+Z undoes each. Imported suggestions are read from the
project (they survive a restart), trained ones are recomputed after each training, which
runs off the GUI thread; a rejected suggestion never comes back."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QTextCharFormat
from PySide6.QtWidgets import QApplication, QToolTip

from annotator.core.occurrences import find_occurrences
from annotator.store import spans as ops
from annotator.store.queries import document_text, layer_spans, list_documents
from annotator.store.spans import SpanData
from annotator.store.suggestions import load_suggestions, rejections, stored_suggestions
from annotator.suggest.training import Suggester
from annotator.ui.annotate import suggestions as suggestions_module
from annotator.ui.annotate.recommenders import sentence_confidences
from annotator.ui.annotate.suggestions import UNCERTAIN
from annotator.ui.app.document_list import DocumentIdRole
from annotator.ui.app.main_window import MainWindow
from annotator.ui.document.suggestion_layer import OVERLAY
from annotator.ui.parallel.panes import suggestion_format
from tests.ui.helpers import open_doc, shown

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
EN, BN, FR = "004_8ff92d06c738168c", "000_00eeb79877075e28", "002_348658bd2cc7c365"
# What a first annotator ("alice") labelled, by language: every whole-word occurrence.
TAUGHT = {"en": (("NATO", "ORG"), ("EU", "ORG"), ("KFOR", "ORG"), ("Geoană", "PERSON")),
          "fr": (("OTAN", "ORG"), ("UE", "ORG"), ("KFOR", "ORG"), ("Geoană", "PERSON")),
          "bn": (("ন্যাটো", "ORG"), ("ইইউ", "ORG"), ("কসোভো", "ORG"))}


def doc_ids(project) -> dict[str, int]:
    with project.read() as conn:
        return {r.uid: r.id for r in list_documents(conn)}


@pytest.fixture
def taught(project):
    """The seed project with alice's layer on the en, fr and bn documents."""
    with project.read() as conn:
        rows = [(r.id, r.lang, document_text(conn, r.id)) for r in list_documents(conn) if r.lang in TAUGHT]
    for doc, lang, text in rows:
        ops.add_spans(project, [SpanData("", doc, "alice", s, e, label) for word, label in TAUGHT[lang]
                                for s, e in find_occurrences(text, word)])
    return project


def trained_window(qtbot, project, uid: str = EN) -> MainWindow:
    win = shown(qtbot, MainWindow(project, "tester"), activate=True)
    qtbot.waitUntil(lambda: win.suggestions.trainings > 0, timeout=20000)
    open_doc(win, qtbot, uid)
    return win


@pytest.fixture
def win(qtbot, taught):
    return trained_window(qtbot, taught)


def spans_of_tester(win) -> list[tuple[int, int, str]]:
    with win.project.read() as conn:
        return [(s, e, lab) for s, e, lab, _uid in layer_spans(conn, win.workspace.doc_id, "tester")]


def shown_ranges(win) -> list[tuple[int, int]]:
    return [win.suggestions.layer.display_range(g) for g in win.suggestions.shown()]


def test_ghosts_are_shown_apart_from_spans_with_confidence_and_source_on_hover(win, qtbot):
    ghosts = win.suggestions.shown()
    text = win.workspace.text
    assert ghosts and {text[g.start:g.end] for g in ghosts} >= {"NATO", "EU", "KFOR"}
    assert win.view.overlay(OVERLAY) == shown_ranges(win)
    # A pale wash with a dotted underline: neither a span's solid fill nor a projected suggestion's hatching.
    sel = win.view.extraSelections()[0]
    assert sel.format.background().color().alpha() < 255
    assert sel.format.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
    assert sel.format.background().style() != suggestion_format("#9ecae1").background().style()
    assert win.suggestions.layer.ghosts[0].label in win.workspace.highlighter._colours
    # Hovering the first ghost: a tooltip with its label, confidence and source.
    first = ghosts[0]
    start, end = win.suggestions.layer.display_range(first)
    rect = win.view.cursorRect(_cursor(win, (start + end) // 2))
    point = rect.center()
    QApplication.sendEvent(win.view.viewport(),
                           QHelpEvent(QEvent.Type.ToolTip, point, win.view.viewport().mapToGlobal(point)))
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == f"{first.label} suggested · {first.score:.0%} sure · {first.source}"


def _cursor(win, pos: int):
    cursor = win.view.textCursor()
    cursor.setPosition(pos)
    return cursor


def test_return_accepts_the_suggestion_at_the_caret_and_ctrl_z_undoes(win, qtbot):
    qtbot.keyClick(win.view, Qt.Key.Key_F8)
    first = win.suggestions.layer.current
    assert first is not None and win.view.textCursor().position() == win.suggestions.layer.display_range(first)[0]
    qtbot.keyClick(win.view, Qt.Key.Key_Return)
    assert spans_of_tester(win) == [(first.start, first.end, first.label)]
    assert first not in win.suggestions.shown()
    assert [(m.start, m.end, m.label) for m in win.workspace.spans()] == [(first.start, first.end, first.label)]
    # The review moved on to the next suggestion.
    assert win.suggestions.layer.current is not None and win.suggestions.layer.current.start >= first.end
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    assert spans_of_tester(win) == []
    assert first in win.suggestions.shown()


def test_a_label_key_accepts_the_suggestion_as_that_label(win, qtbot):
    qtbot.keyClick(win.view, Qt.Key.Key_F8)
    first = win.suggestions.layer.current
    assert first.label == "ORG"
    qtbot.keyClick(win.view, Qt.Key.Key_1)  # PERSON's key
    assert spans_of_tester(win) == [(first.start, first.end, "PERSON")]
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    assert spans_of_tester(win) == []


def test_a_label_key_without_a_suggestion_at_the_caret_still_asks_for_a_selection(win, qtbot):
    free = next(p for p in range(len(win.workspace.text)) if win.suggestions.layer.at(p) is None
                and win.workspace.text[p].isalpha())
    pos = win.workspace.omap.to_display(free)
    win.view.select(pos, pos)
    with qtbot.waitSignal(win.workspace.info) as said:
        qtbot.keyClick(win.view, Qt.Key.Key_1)
    assert "Select some text" in said.args[0] and spans_of_tester(win) == []


def test_a_rejected_suggestion_does_not_come_back_after_retraining_or_a_restart(win, qtbot, taught):
    qtbot.keyClick(win.view, Qt.Key.Key_F8)
    first = win.suggestions.layer.current
    qtbot.keyClick(win.view, Qt.Key.Key_Backspace, CTRL)
    with taught.read() as conn:
        assert rejections(conn, annotator="tester") == {win.workspace.doc_id: {(first.start, first.end, first.label)}}
    assert first not in win.suggestions.shown() and spans_of_tester(win) == []
    # The rejection is a commit: the recommenders are retrained with it, and it stays out.
    with qtbot.waitSignal(win.suggestions.retrained, timeout=20000):
        pass
    assert all((g.start, g.end, g.label) != first[:3] for g in win.suggestions.shown())
    win.close()
    again = trained_window(qtbot, taught)
    assert again.suggestions.shown() and all((g.start, g.end, g.label) != first[:3] for g in again.suggestions.shown())


def test_undoing_a_rejection_brings_the_suggestion_back(win, qtbot):
    qtbot.keyClick(win.view, Qt.Key.Key_F8)
    first = win.suggestions.layer.current
    qtbot.keyClick(win.view, Qt.Key.Key_Backspace, CTRL)
    assert first not in win.suggestions.shown()
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    assert first in win.suggestions.shown()
    with win.project.read() as conn:
        assert rejections(conn) == {}


def test_ctrl_backspace_in_a_text_field_deletes_a_word_and_rejects_nothing(win, qtbot):
    """The review keys that edit are the text's: in the search box or the find bar
    Ctrl+Backspace deletes the previous word and Ctrl+Shift+Return accepts nothing."""
    qtbot.keyClick(win.view, Qt.Key.Key_F8)  # a suggestion at the caret
    ghosts = win.suggestions.shown()
    win.find_bar.open_bar()
    for field in (win.navigator.search, win.find_bar.field):
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        qtbot.keyClicks(field, "EU mission")
        qtbot.keyClick(field, Qt.Key.Key_Backspace, CTRL)
        assert field.text() == "EU "
        qtbot.keyClick(field, Qt.Key.Key_Return, CTRL | SHIFT)
        field.clear()
    assert win.suggestions.shown() == ghosts and spans_of_tester(win) == []
    with win.project.read() as conn:
        assert rejections(conn) == {}


def test_accept_all_above_the_threshold_is_one_undo_step(win, qtbot):
    ghosts = win.suggestions.shown()
    above = [g for g in ghosts if g.score >= win.suggestions.threshold]
    assert above
    depth = win.edits.stack.count()
    qtbot.keyClick(win.view, Qt.Key.Key_Return, CTRL | SHIFT)
    assert sorted(spans_of_tester(win)) == sorted((g.start, g.end, g.label) for g in above)
    assert win.edits.stack.count() == depth + 1
    assert all(g.score < win.suggestions.threshold for g in win.suggestions.shown())
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    assert spans_of_tester(win) == [] and win.suggestions.shown() == ghosts


def test_the_threshold_decides_what_accept_all_takes(win, qtbot):
    win.suggestions.threshold = 1.0
    qtbot.keyClick(win.view, Qt.Key.Key_Return, CTRL | SHIFT)
    assert spans_of_tester(win) == []
    win.suggestions.threshold = 0.0
    n = len(win.suggestions.shown())
    qtbot.keyClick(win.view, Qt.Key.Key_Return, CTRL | SHIFT)
    assert len(spans_of_tester(win)) == n and win.suggestions.shown() == []


def test_the_toggle_hides_the_suggestions_and_their_keys(win, qtbot):
    assert win.view.overlay(OVERLAY)
    qtbot.keyClick(win.view, Qt.Key.Key_H, CTRL | SHIFT)
    assert not win.actions_by_name["suggestions_shown"].isChecked()
    assert win.view.overlay(OVERLAY) == [] and win.suggestions.shown() == []
    qtbot.keyClick(win.view, Qt.Key.Key_F8)
    qtbot.keyClick(win.view, Qt.Key.Key_Return)
    assert spans_of_tester(win) == []
    qtbot.keyClick(win.view, Qt.Key.Key_H, CTRL | SHIFT)
    assert win.view.overlay(OVERLAY) == shown_ranges(win) != []


def test_bengali_ghosts_are_whole_words(qtbot, taught):
    win = trained_window(qtbot, taught, BN)
    text = win.workspace.text
    ghosts = win.suggestions.shown()
    assert "ন্যাটো" in {text[g.start:g.end] for g in ghosts}
    qtbot.keyClick(win.view, Qt.Key.Key_F8)
    first = win.suggestions.layer.current
    qtbot.keyClick(win.view, Qt.Key.Key_Return)
    assert spans_of_tester(win) == [(first.start, first.end, first.label)]


def test_imported_suggestions_survive_a_restart(qtbot, project):
    en = doc_ids(project)[EN]
    with project.read() as conn:
        text = document_text(conn, en)
    start = text.index("Mircea Geoană")
    load_suggestions(project, "gliner", [(en, start, start + len("Mircea Geoană"), "PERSON", 0.75)])
    for _restart in range(2):
        win = shown(qtbot, MainWindow(project, "tester"), activate=True)
        open_doc(win, qtbot, EN)
        # Shown at once, before (and without) any training: nothing is labelled to learn from.
        assert win.suggestions.shown() == [(start, start + 13, "PERSON", 0.75, "gliner")]
        qtbot.waitUntil(lambda win=win: win.suggestions.trainings > 0, timeout=20000)
        assert win.suggestions.trained.suggester is None
        assert [g.source for g in win.suggestions.shown()] == ["gliner"]
        win.close()


def test_trained_suggestions_are_recomputed_not_stored(qtbot, taught):
    first = trained_window(qtbot, taught)
    ghosts = first.suggestions.shown()
    assert {g.source for g in ghosts} <= {"crf", "matcher"} and ghosts
    first.close()
    with taught.read() as conn:
        assert stored_suggestions(conn) == []
    second = MainWindow(taught, "tester")
    # Its first training's result arrives through the event loop, which has not run yet.
    second.workspace.open_document(doc_ids(taught)[EN])
    assert second.suggestions.trainings == 0 and second.suggestions.shown() == []
    shown(qtbot, second, activate=True)
    qtbot.waitUntil(lambda: second.suggestions.trainings > 0, timeout=20000)
    assert second.suggestions.shown() == ghosts


def test_retraining_follows_commits_off_the_gui_thread(win, qtbot):
    before = win.suggestions.trained.spans
    qtbot.keyClick(win.view, Qt.Key.Key_F8)
    assert not win.suggestions.timer.isActive()
    qtbot.keyClick(win.view, Qt.Key.Key_Return)
    # Debounced: the commit starts the timer, no training yet.
    assert win.suggestions.timer.isActive() and not win.suggestions.retrainer.running
    with qtbot.waitSignal(win.suggestions.retrained, timeout=20000) as done:
        pass
    trained = done.args[0]
    assert trained.thread != threading.get_ident()
    # The new models learnt from the accepted span (tester's layer is one more example).
    assert trained.spans == before + 1
    assert win.suggestions.trained is trained


def test_the_navigator_lists_the_least_sure_documents_first(win, qtbot):
    nav = win.navigator
    import_order = [nav.proxy.index(r, 0).data() for r in range(nav.proxy.rowCount())]
    with qtbot.waitSignal(win.suggestions.confidences, timeout=20000) as got:
        nav.order.setCurrentIndex(1)
    confidence = got.args[0]
    ids = doc_ids(win.project)
    with_model = {ids[u] for u in (EN, FR, BN)}
    assert {d for d, c in confidence.items() if c is not None} == with_model
    rows = [nav.proxy.index(r, 0).data(DocumentIdRole) for r in range(nav.proxy.rowCount())]
    assert set(rows[:3]) == with_model
    assert [confidence[d] for d in rows[:3]] == sorted(confidence[d] for d in with_model)
    assert win.workspace.doc_id == ids[EN]  # re-sorting keeps the open document open
    nav.order.setCurrentIndex(0)
    assert [nav.proxy.index(r, 0).data() for r in range(nav.proxy.rowCount())] == import_order


def test_ctrl_f8_steps_through_the_sentences_least_sure_first(win, qtbot):
    suggester = win.suggestions.trained.suggester
    expected = sorted(sentence_confidences(suggester, win.workspace.text, "en"), key=lambda s: (s[2], s[0]))
    omap = win.workspace.omap
    for a, b, _c in expected[:3]:
        qtbot.keyClick(win.view, Qt.Key.Key_F8, CTRL)
        assert win.view.overlay(UNCERTAIN) == [(omap.to_display(a), omap.to_display(b))]
        assert win.view.textCursor().position() == omap.to_display(a)
    assert expected[0][2] <= expected[1][2] <= expected[2][2]


def test_the_suggestion_keys_are_in_the_menu_and_f1(win):
    texts = [a.text() for a in win.findChildren(type(win.actions_by_name["suggestion_next"]))]
    assert any(t.startswith("&Accept the suggestion at the caret") and t.endswith("\tReturn") for t in texts)
    assert win.actions_by_name["suggestion_next"].shortcut().toString() == "F8"


def test_a_long_documents_suggestions_come_from_the_worker_thread(qtbot, taught, monkeypatch):
    monkeypatch.setattr(suggestions_module, "SYNC_CHARS", 100)  # the seed documents count as long
    threads = []
    original = Suggester.suggest

    def suggest(self, *args, **kwargs):
        threads.append(threading.get_ident())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Suggester, "suggest", suggest)
    win = trained_window(qtbot, taught)
    suggester = win.suggestions.trained.suggester
    gui = threading.get_ident()
    expected = [(s.start, s.end, s.label, s.score, s.source) for s in suggester.suggest(win.workspace.text, "en")]
    qtbot.waitUntil(lambda: [tuple(g) for g in win.suggestions.shown()] == expected, timeout=20000)
    # The window tagged only on the worker: the GUI thread's one call is this test's own
    # (a worker may be called again after it, when a later training is delivered).
    assert threads.count(gui) == 1 and len(threads) > 1
    # Accepting in a long document re-filters what the worker gave: no new tagging.
    qtbot.keyClick(win.view, Qt.Key.Key_F8)
    first = win.suggestions.layer.current
    qtbot.keyClick(win.view, Qt.Key.Key_Return)
    assert spans_of_tester(win) == [(first.start, first.end, first.label)]
    assert [tuple(g) for g in win.suggestions.shown()] == [e for e in expected if e != tuple(first)]


def test_f8_from_the_start_of_the_text_goes_to_a_suggestion_starting_there(win, qtbot):
    first = win.suggestions.shown()[0]
    assert first.start == 6  # "News: NATO"
    at = win.workspace.omap.to_display(first.start)
    win.view.select(at, at)
    qtbot.keyClick(win.view, Qt.Key.Key_F8)
    assert win.suggestions.layer.current == first
    qtbot.keyClick(win.view, Qt.Key.Key_F8)
    assert win.suggestions.layer.current == win.suggestions.shown()[1]
    qtbot.keyClick(win.view, Qt.Key.Key_F8, SHIFT)
    assert win.suggestions.layer.current == first


def test_a_rejection_is_the_annotators_own(win, qtbot):
    qtbot.keyClick(win.view, Qt.Key.Key_F8)
    first = win.suggestions.layer.current
    qtbot.keyClick(win.view, Qt.Key.Key_Backspace, CTRL)
    assert first not in win.suggestions.shown()
    win.set_annotator("bob")  # the same document in bob's layer: he never rejected it
    assert first in win.suggestions.shown()
    win.set_annotator("tester")
    assert first not in win.suggestions.shown()


def test_an_edit_filters_the_suggestions_again_without_tagging_the_document(win, qtbot, monkeypatch):
    calls = []
    original = Suggester.suggest
    monkeypatch.setattr(Suggester, "suggest", lambda self, *a, **k: calls.append(1) or original(self, *a, **k))
    ghost = win.suggestions.shown()[0]
    a, b = win.suggestions.layer.display_range(ghost)
    win.view.select(a, b)
    qtbot.keyClick(win.view, Qt.Key.Key_2)  # labelled by hand, over the suggestion
    assert spans_of_tester(win) == [(ghost.start, ghost.end, "ORG")]
    assert ghost not in win.suggestions.shown() and calls == []


def test_learning_only_from_your_layer_and_gold_leaves_other_annotators_out(win, qtbot):
    assert win.suggestions.shown()  # learnt from alice's layer
    with qtbot.waitSignal(win.suggestions.retrained, timeout=20000) as done:
        win.actions_by_name["suggestions_learn_from_all"].trigger()  # off: tester's layer and gold only
    assert done.args[0].suggester is None and win.suggestions.shown() == []
    with win.project.read() as conn:  # tester labels KFOR in the French document: that is learnt from
        fr = doc_ids(win.project)[FR]
        text = document_text(conn, fr)
    with qtbot.waitSignal(win.suggestions.retrained, timeout=20000) as done:
        win.edits.run(lambda: ops.add_spans(win.project, [SpanData("", fr, "tester", s, e, "ORG")
                                                          for s, e in find_occurrences(text, "KFOR")]))
    assert done.args[0].layers == 1
    with qtbot.waitSignal(win.suggestions.retrained, timeout=20000):
        win.actions_by_name["suggestions_learn_from_all"].trigger()  # on again
    assert win.suggestions.trained.layers == 4


def test_after_a_commit_the_updated_crfs_suggestions_are_shown(win, qtbot):
    """After a commit the CRF in use is updated in the training process (a warm-started
    pass, crf_job.update) rather than kept as it was until enough more is annotated: the
    training after the commit runs off the GUI thread, and the ghosts shown are the
    updated model's suggestions, with its scores."""
    from annotator.suggest.crf import CrfModel

    assert win.suggestions.trained.crf_retrained
    before = {(g.start, g.end, g.label, round(g.score, 6)) for g in win.suggestions.shown()}
    qtbot.keyClick(win.view, Qt.Key.Key_F8)
    accepted = win.suggestions.layer.current
    qtbot.keyClick(win.view, Qt.Key.Key_Return)  # a commit
    with qtbot.waitSignal(win.suggestions.retrained, timeout=30000) as done:
        pass
    trained = done.args[0]
    assert trained.thread != threading.get_ident() and trained.crf_updated and not trained.crf_retrained
    crf = next(m for m in trained.suggester.models if isinstance(m, CrfModel))
    assert "en" in crf.linear  # the updated model tags
    with win.project.read() as conn:
        text = document_text(conn, win.workspace.doc_id)
    layer = [(s, e) for s, e, _label in spans_of_tester(win)]
    assert layer == [(accepted.start, accepted.end)]
    expected = {(x.start, x.end, x.label, round(x.score, 6)) for x in trained.suggester.suggest(text, "en", layer)}
    after = {(g.start, g.end, g.label, round(g.score, 6)) for g in win.suggestions.shown()}
    assert after == expected and after != before
