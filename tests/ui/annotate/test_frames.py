"""Events and claims as a user makes them: select, press E or C, pick by key, attach with A;
the panel, the store and undo agree afterwards."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.store import events as ops
from annotator.ui.app.main_window import MainWindow
from annotator.ui.widgets.choice_popup import ChoicePopup
from tests.ui.helpers import open_doc, shown

CTRL = Qt.KeyboardModifier.ControlModifier
EN = "004_8ff92d06c738168c"
BN = "000_00eeb79877075e28"


@pytest.fixture
def win(qtbot, project):
    return shown(qtbot, MainWindow(project, "ana"), activate=True)


def select_text(win, needle, nth=0):
    """Select the nth occurrence of `needle` in the view, as Shift+arrows would."""
    start = -1
    for _ in range(nth + 1):
        start = win.workspace.text.index(needle, start + 1)
    d = win.workspace.omap.to_display
    win.view.select(d(start), d(start + len(needle)))
    return start


def label(win, qtbot, needle, key, nth=0):
    select_text(win, needle, nth)
    qtbot.keyClick(win.view, key)
    return win.workspace.selected


def back(win, qtbot):
    """The main window active again after a popup (its shortcuts need that)."""
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)


def answer_popup(qtbot, *keys):
    """Press `keys` in the next modal popup (event type, role, confirmation) once it shows."""
    def press():
        popup = QApplication.activeModalWidget()
        if popup is None:
            QTimer.singleShot(20, press)
            return
        target = popup.filter if isinstance(popup, ChoicePopup) else popup
        for key in keys:
            qtbot.keyClick(target, key)
    QTimer.singleShot(0, press)


def frames(win, kind):
    with win.project.read() as conn:
        return ops.layer_frames(conn, kind, win.workspace.doc_id, "ana")


def test_event_by_keys_with_arguments_refusal_and_undo(win, qtbot):
    open_doc(win, qtbot, EN)
    person = label(win, qtbot, "Mircea Geoană", "1")
    date = label(win, qtbot, "13 June 2023", "4", nth=0)
    figure = label(win, qtbot, "4,000", "3")
    select_text(win, "met")
    answer_popup(qtbot, "m")  # MEETING by its key
    qtbot.keyClick(win.view, "e")
    back(win, qtbot)
    [event] = frames(win, "event")
    assert (event.type, win.workspace.text[event.start:event.end]) == ("MEETING", "met")
    assert win.frames_panel.rows() == [("MEETING", "met")]

    # Attach by picking spans: only one role takes a PERSON, so A attaches at once.
    win.workspace.select_span(person)
    qtbot.keyClick(win.view, "a")
    back(win, qtbot)
    win.workspace.select_span(date)
    qtbot.keyClick(win.view, "a")
    back(win, qtbot)
    assert frames(win, "event")[0].arguments == (ops.ArgumentRecord("participant", person),
                                                 ops.ArgumentRecord("time", date))
    assert ("participant", "Mircea Geoană (PERSON)") in win.frames_panel.arguments(0)

    # A FIGURE fits no role of a MEETING: refused, with the reason, and nothing stored.
    win.workspace.select_span(figure)
    qtbot.keyClick(win.view, "a")
    back(win, qtbot)
    assert "cannot be an argument" in win.saved_label.toolTip() or "cannot" in win.statusBar().currentMessage()
    assert len(frames(win, "event")[0].arguments) == 2

    # The current event's trigger and arguments are boxed in the text, with role tags.
    tags = sorted(b.tag for b in win.view.boxes("current"))
    assert tags == ["MEETING", "participant", "time"]

    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)  # the time goes
    assert [a.role for a in frames(win, "event")[0].arguments] == ["participant"]
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)  # the event goes
    assert frames(win, "event") == [] and win.frames_panel.rows() == []
    for _ in range(3):
        qtbot.keyClick(win.view, Qt.Key.Key_Y, CTRL)
    assert frames(win, "event")[0].arguments == (ops.ArgumentRecord("participant", person),
                                                 ops.ArgumentRecord("time", date))


def test_type_ahead_and_role_choice(win, qtbot):
    open_doc(win, qtbot, EN)
    org = label(win, qtbot, "NATO", "2", nth=1)
    select_text(win, "briefed")
    answer_popup(qtbot, "S", "T", "A", Qt.Key.Key_Return)  # type-ahead "STA" + Enter: STATEMENT
    qtbot.keyClick(win.view, "e")
    back(win, qtbot)
    [event] = frames(win, "event")
    assert event.type == "STATEMENT"
    win.workspace.select_span(org)
    answer_popup(qtbot, "2")  # speaker (1) and addressee (2) both take an ORG: the popup asks
    qtbot.keyClick(win.view, "a")
    back(win, qtbot)
    assert frames(win, "event")[0].arguments == (ops.ArgumentRecord("addressee", org),)


def test_claim_suggestion_accepted_with_one_key(win, qtbot):
    open_doc(win, qtbot, EN)
    geoana = label(win, qtbot, "Geoană", "1", nth=1)  # “...,” said Deputy Secretary General Geoană.
    text = win.workspace.text
    quote = "The long-standing, excellent cooperation between NATO and the EU in the region continues to make " \
            "a difference"
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(win.view, "q")  # the first suggestion: that quotation
    qtbot.keyClick(win.view, "c")
    [claim] = frames(win, "claim")
    assert text[claim.start:claim.end] == quote
    assert claim.arguments == (ops.ArgumentRecord("claimant", geoana),)
    assert win.frames_panel.rows()[0][0] == "CLAIM"
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)  # one step: claim and claimant
    assert frames(win, "claim") == []


def test_accepting_a_claim_never_takes_its_claimant_from_a_quotation(win, qtbot):
    open_doc(win, qtbot, EN)
    text = win.workspace.text
    label(win, qtbot, "NATO", "2", nth=3)  # “NATO Headquarters, …”: inside the second quotation
    label(win, qtbot, "NATO", "2", nth=4)  # “NATO has been committed …”: inside the third
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(win.view, "q")  # the first quotation, its speaker Geoană not labelled yet
    qtbot.keyClick(win.view, "c")
    [claim] = frames(win, "claim")
    assert text[claim.start:claim.end].startswith("The long-standing")
    assert claim.arguments == ()  # no ORG of the next quotation as its claimant
    geoana = label(win, qtbot, "Geoană", "1", nth=1)
    label(win, qtbot, "Geoana", "1")  # Mr. Geoana recalled …: after the second quotation's cue
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(win.view, "q")  # the first suggestion left: “NATO Headquarters …,” he added
    qtbot.keyClick(win.view, "c")
    second = next(f for f in frames(win, "claim") if text[f.start:f.end].startswith("NATO Headquarters"))
    assert second.arguments == (ops.ArgumentRecord("claimant", geoana),)  # "he": the person named before


def test_deleting_a_span_in_use_asks_and_undoes_as_one_step(win, qtbot):
    open_doc(win, qtbot, EN)
    person = label(win, qtbot, "Mircea Geoană", "1")
    select_text(win, "met")
    answer_popup(qtbot, "m")
    qtbot.keyClick(win.view, "e")
    back(win, qtbot)
    win.workspace.select_span(person)
    qtbot.keyClick(win.view, "a")
    back(win, qtbot)

    answer_popup(qtbot, Qt.Key.Key_Escape)  # "No" first: nothing changes
    qtbot.keyClick(win.view, Qt.Key.Key_Delete)
    back(win, qtbot)
    assert win.workspace.highlighter.mark(person) is not None
    assert len(frames(win, "event")[0].arguments) == 1

    def yes():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, yes)
            return
        box.button(QMessageBox.StandardButton.Yes).click()
    QTimer.singleShot(0, yes)
    win.workspace.select_span(person)
    qtbot.keyClick(win.view, Qt.Key.Key_Delete)
    back(win, qtbot)
    assert win.workspace.highlighter.mark(person) is None
    assert frames(win, "event")[0].arguments == ()
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    assert win.workspace.highlighter.mark(person) is not None
    assert frames(win, "event")[0].arguments == (ops.ArgumentRecord("participant", person),)


def test_panel_edits_role_type_and_removal(win, qtbot):
    open_doc(win, qtbot, EN)
    org = label(win, qtbot, "NATO", "2", nth=1)
    select_text(win, "briefed")
    answer_popup(qtbot, "s")
    qtbot.keyClick(win.view, "e")
    back(win, qtbot)
    win.workspace.select_span(org)
    answer_popup(qtbot, "1")
    qtbot.keyClick(win.view, "a")
    back(win, qtbot)
    tree = win.frames_panel.tree
    qtbot.keyClick(win, Qt.Key.Key_F6)
    assert tree.hasFocus()
    tree.setCurrentItem(tree.topLevelItem(0).child(0))  # the speaker row
    answer_popup(qtbot, "2")  # F2: the role becomes addressee
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    back(win, qtbot)
    assert frames(win, "event")[0].arguments == (ops.ArgumentRecord("addressee", org),)
    tree.setCurrentItem(tree.topLevelItem(0))
    answer_popup(qtbot, "v")  # the type becomes VISIT? It has no addressee: refused, kept
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    back(win, qtbot)
    assert frames(win, "event")[0].type == "STATEMENT"
    tree.setCurrentItem(tree.topLevelItem(0).child(0))
    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    back(win, qtbot)
    assert frames(win, "event")[0].arguments == ()
    tree.setCurrentItem(tree.topLevelItem(0))
    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    back(win, qtbot)
    assert frames(win, "event") == []
    qtbot.keyClick(tree, Qt.Key.Key_Z, CTRL)
    assert frames(win, "event")[0].type == "STATEMENT"


def test_bengali_trigger_snaps_to_whole_graphemes(win, qtbot):
    open_doc(win, qtbot, BN)
    text = win.workspace.text
    word = "বৈঠকটি"  # the last cluster is টি: a consonant and a vowel sign
    start = text.index(word)
    d = win.workspace.omap.to_display
    win.view.select(d(start), d(start + len(word)) - 1)  # ends between ট and ি
    answer_popup(qtbot, "m")
    qtbot.keyClick(win.view, "e")
    back(win, qtbot)
    [event] = frames(win, "event")
    assert text[event.start:event.end] == word


def test_dates_and_figures_get_their_normalised_value_when_labelled(win, qtbot):
    open_doc(win, qtbot, EN)
    date = label(win, qtbot, "13 June 2023", "4")
    figure = label(win, qtbot, "4,000", "3")
    june5 = label(win, qtbot, "June 5, 2023", "4")
    from annotator.store.spans import get_span

    with win.project.read() as conn:
        assert [get_span(conn, u).value for u in (date, figure, june5)] == ["2023-06-13", "4000", "2023-06-05"]
    assert win.inspector.value_edit.text() == "2023-06-05"  # shown for the new span, editable there


def test_a_figure_does_not_wait_for_the_documents_year_and_a_date_reads_it_once(win, qtbot, monkeypatch):
    """The year of undated mentions reads every year in the text (a third of a second in
    a 1 MB document): a FIGURE, whose value needs no year, never pays it; DATEs pay once."""
    import annotator.ui.annotate.year_ahead as year_module

    years: list[str] = []
    real = year_module.document_year
    monkeypatch.setattr(year_module, "document_year", lambda text, lang: (years.append(lang), real(text, lang))[1])
    open_doc(win, qtbot, EN)
    figure = label(win, qtbot, "4,000", "3")
    assert years == []
    date = label(win, qtbot, "13 June 2023", "4")
    june5 = label(win, qtbot, "June 5, 2023", "4")
    assert years == ["en"]
    from annotator.store.spans import get_span

    with win.project.read() as conn:
        assert [get_span(conn, u).value for u in (figure, date, june5)] == ["4000", "2023-06-13", "2023-06-05"]


def test_labelling_every_occurrence_in_the_corpus_gives_each_its_own_value(win, qtbot):
    open_doc(win, qtbot, EN)
    label(win, qtbot, "2023", "4", nth=0)  # "June 13, 2023" in the title line: the year alone
    qtbot.keyClick(win.view, Qt.Key.Key_E, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: win.workspace.preview is not None and win.workspace.preview.isVisible())
    qtbot.keyClick(win.workspace.preview.tree, Qt.Key.Key_Return)  # the preview: Enter labels every ticked one
    qtbot.waitUntil(lambda: win.workspace.preview is None)
    import sqlite3

    con = sqlite3.connect(win.project.path)
    try:
        rows = con.execute("SELECT d.uid, s.value FROM spans s JOIN documents d ON d.id = s.document_id "
                           "WHERE s.label = 'DATE'").fetchall()
    finally:
        con.close()
    assert len({uid for uid, _v in rows}) > 1  # other documents have "2023" too
    assert {v for _uid, v in rows} == {"2023"}


def test_a_long_documents_year_is_worked_out_off_the_gui_thread_before_its_first_date(qtbot, project, monkeypatch):
    """In a long text the year of undated dates is read from every year mention (0.18 s
    of CPU in 1 MB): a worker works it out after the document opens, so labelling the first
    DATE there does not compute it inside the edit, and the value still has the right year."""
    from annotator.core.records import DocumentRecord
    from annotator.store.records_in import Incoming, write_records
    from annotator.store.spans import get_span
    from annotator.ui.annotate import year_ahead

    para = "On 3 May 2021 the council met. The budget for 2021 was set on Friday.\n"
    text = para * (year_ahead.LONG_TEXT // len(para) + 10) + "The vote was on 14 June.\n"
    with project.write() as conn:
        write_records(conn, [Incoming(DocumentRecord("long-dated", "en", text), "t")])
    win = shown(qtbot, MainWindow(project, "ana"), activate=True)
    threads: list[str] = []
    real = year_ahead.document_year

    def spy(text, lang):
        import threading

        threads.append(threading.current_thread().name)
        return real(text, lang)

    monkeypatch.setattr(year_ahead, "document_year", spy)
    open_doc(win, qtbot, "long-dated")
    qtbot.waitUntil(win.workspace.year_ahead.ready)
    june14 = label(win, qtbot, "14 June", "4")
    with win.project.read() as conn:
        assert get_span(conn, june14).value == "2021-06-14"
    assert len(threads) == 1 and threads[0].startswith("document-year")  # once, on the worker
