"""Adjudication as a curator does it: real keys and clicks on the real window, with two
annotators' layers on seed documents; the assertions are about what the store holds."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence

from annotator.core.records import DocumentRecord, SpanRecord
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store.queries import document_text, list_documents
from annotator.ui.adjudication.window import AdjudicationWindow
from annotator.ui.edits import Edits
from annotator.ui.widgets.actions import ADJUDICATION
from tests.ui.helpers import shown

CTRL, SHIFT, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.AltModifier
ENGLISH, BENGALI = "004_8ff92d06c738168c", "000_00eeb79877075e28"
# (text, label, occurrence) per annotator. English: two agreed spans; a label, a boundary
# and three "missing" disagreements, the last far down the text.
COMMON = [("NATO", "ORG", 0), ("Mircea Geoană", "PERSON", 0)]
ANA = COMMON + [("13 June 2023", "DATE", 0), ("EU Special Representative", "PERSON", 0), ("KFOR", "ORG", 0),
                ("Miroslav Lajcak", "PERSON", 0)]
BOB = COMMON + [("13 June 2023", "FIGURE", 0), ("Special Representative", "PERSON", 0), ("500", "FIGURE", 0)]


def import_layers(project, tmp_path, uid: str, layers: dict[str, list[tuple[str, str, int]]]) -> tuple[int, str]:
    with project.read() as conn:
        doc_id = next(d.id for d in list_documents(conn) if d.uid == uid)
        text = document_text(conn, doc_id)
    lines = []
    for name, mentions in layers.items():
        spans = []
        for i, (needle, label, nth) in enumerate(mentions):
            start = -1
            for _ in range(nth + 1):
                start = text.index(needle, start + 1)
            spans.append(SpanRecord(f"{name}{i}", start, start + len(needle), label, needle))
        lines.append(gold_jsonl.dumps(DocumentRecord(uid, "en", text, spans=tuple(spans), annotator=name)))
    (tmp_path / f"{uid}.jsonl").write_bytes(b"".join(lines))
    import_paths(project, [tmp_path / f"{uid}.jsonl"])
    return doc_id, text


@pytest.fixture
def english(project, tmp_path):
    return import_layers(project, tmp_path, ENGLISH, {"ana": ANA, "bob": BOB})


@pytest.fixture
def win(qtbot, project, english):
    window = AdjudicationWindow(project, "cur", Edits(project), english[0])
    window.resize(1400, 700)
    return shown(qtbot, window, activate=True)


def gold(project) -> list[tuple[int, int, str, str]]:
    """The gold layer as stored in the database file: (start, end, label, text)."""
    con = sqlite3.connect(project.path)
    try:
        return con.execute(
            'SELECT s.start, s."end", s.label, substr(d.text, s.start + 1, s."end" - s.start) FROM spans s '
            "JOIN documents d ON d.id = s.document_id JOIN annotators a ON a.id = s.annotator_id "
            "WHERE a.name = 'gold' ORDER BY s.start, s.\"end\", s.label").fetchall()
    finally:
        con.close()


def key(qtbot, win, k, mod=Qt.KeyboardModifier.NoModifier, widget=None):
    qtbot.keyClick(widget or win.gold_view, k, mod)


def cells(win, column: int) -> list[str]:
    return [win.model.data(win.model.index(i, column)) for i in range(win.model.rowCount())]


def test_the_list_shows_the_known_disagreements(win, qtmodeltester):
    qtmodeltester.check(win.model)
    assert cells(win, 1) == ["label", "missing", "boundary", "missing", "missing"]
    assert cells(win, 2) == ["DATE «13 June 2023»", "PERSON «Miroslav Lajcak»", "PERSON «EU Special Representative»",
                             "ORG «KFOR»", "—"]
    assert cells(win, 3) == ["FIGURE «13 June 2023»", "—", "PERSON «Special Representative»", "—", "FIGURE «500»"]
    assert cells(win, 4) == ["open"] * 5
    assert [p.header.text().split(" — ")[0] for p in win.panes] == ["<b>1</b> · ana", "<b>2</b> · bob"]
    assert "5 open" in win.summary.text() and "2 agreed spans" in win.summary.text()


def test_keys_walk_the_list_and_every_pane_shows_the_place(win, qtbot, english):
    _doc, text = english
    assert win.current_row() == 0
    key(qtbot, win, Qt.Key.Key_F8)
    key(qtbot, win, Qt.Key.Key_N)
    assert win.current_row() == 2
    key(qtbot, win, Qt.Key.Key_F8, SHIFT)
    assert win.current_row() == 1
    key(qtbot, win, Qt.Key.Key_P)
    assert win.current_row() == 0
    key(qtbot, win, Qt.Key.Key_P)  # no wrapping: the first stays selected
    assert win.current_row() == 0
    win.list.setFocus()
    for _ in range(4):  # n works from the list too (not the list's type-ahead search)
        key(qtbot, win, Qt.Key.Key_N, widget=win.list)
    assert win.current_row() == 4
    five = text.index("500")
    for pane in (*win.panes, win.gold_pane):  # far down the text, yet shown in every pane
        assert pane.view.overlay("disagreement") == [(five, five + 3)]
        cursor = pane.view.textCursor()
        assert pane.view.viewport().rect().contains(pane.view.cursorRect(cursor).center())
    # No gold span there: the place's text is selected in gold, ready for a label key.
    assert win.gold_view.selection() == (five, five + 3)


def test_accepting_a_version_writes_gold_and_undo_removes_it(win, qtbot, english):
    _doc, text = english
    date = text.index("13 June 2023")
    key(qtbot, win, Qt.Key.Key_1, ALT)
    assert gold(win.project) == [(date, date + 12, "DATE", "13 June 2023")]
    assert cells(win, 4)[0] == "✓ ana" and win.current_row() == 0  # the decided row stays selected
    key(qtbot, win, Qt.Key.Key_2, ALT)  # bob's version replaces ana's
    assert gold(win.project) == [(date, date + 12, "FIGURE", "13 June 2023")]
    assert cells(win, 4)[0] == "✓ bob"
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert gold(win.project) == [(date, date + 12, "DATE", "13 June 2023")]
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert gold(win.project) == [] and cells(win, 4)[0] == "open"
    assert win.gold.spans() == []  # the gold pane shows what the store holds
    key(qtbot, win, Qt.Key.Key_Z, CTRL | SHIFT)
    assert gold(win.project) == [(date, date + 12, "DATE", "13 June 2023")]
    assert [(m.start, m.label) for m in win.gold.spans()] == [(date, "DATE")]


def test_rejecting_every_version_takes_it_out_of_gold(win, qtbot, english):
    _doc, text = english
    key(qtbot, win, Qt.Key.Key_F8)
    key(qtbot, win, Qt.Key.Key_F8)
    key(qtbot, win, Qt.Key.Key_2, ALT)
    rep = text.index("Special Representative")
    assert gold(win.project) == [(rep, rep + 22, "PERSON", "Special Representative")]
    key(qtbot, win, Qt.Key.Key_0, ALT)
    assert gold(win.project) == [] and cells(win, 4)[2] == "✗ none"
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert gold(win.project) == [(rep, rep + 22, "PERSON", "Special Representative")]
    assert cells(win, 4)[2] == "✓ bob"


def test_accept_agreed_copies_exactly_the_agreed_spans(win, qtbot, english):
    _doc, text = english
    key(qtbot, win, Qt.Key.Key_G, CTRL)
    nato, geoana = text.index("NATO"), text.index("Mircea Geoană")
    assert gold(win.project) == [(nato, nato + 4, "ORG", "NATO"), (geoana, geoana + 13, "PERSON", "Mircea Geoană")]
    assert "2 in gold" in win.summary.text() and cells(win, 4) == ["open"] * 5
    key(qtbot, win, Qt.Key.Key_G, CTRL)  # a second time: nothing more to copy
    assert len(gold(win.project)) == 2
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert gold(win.project) == []


def test_the_curator_writes_their_own_span_in_gold_with_a_label_key(win, qtbot, english):
    _doc, text = english
    key(qtbot, win, Qt.Key.Key_F8)
    key(qtbot, win, Qt.Key.Key_F8)  # the boundary: no gold span there, so its text is selected
    key(qtbot, win, Qt.Key.Key_2)  # ORG, a label neither annotator chose
    rep = text.index("EU Special Representative")
    assert gold(win.project) == [(rep, rep + 25, "ORG", "EU Special Representative")]
    assert cells(win, 4)[2] == "✎ own"


def test_clicking_a_version_in_a_layer_selects_its_disagreement(win, qtbot, english):
    _doc, text = english
    view = win.panes[0].view
    cursor = view.textCursor()
    cursor.setPosition(text.index("KFOR") + 1)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center() + QPoint(2, 0))
    assert win.current_row() == 3


def test_start_gold_from_a_whole_layer_once(win, qtbot, english):
    key(qtbot, win, Qt.Key.Key_1, CTRL)
    assert [g[2:] for g in gold(win.project)] == [("ORG", "NATO"), ("PERSON", "Mircea Geoană"),
                                                  ("DATE", "13 June 2023"), ("PERSON", "Miroslav Lajcak"),
                                                  ("PERSON", "EU Special Representative"), ("ORG", "KFOR")]
    assert cells(win, 4) == ["✓ ana"] * 4 + ["open"]
    key(qtbot, win, Qt.Key.Key_2, CTRL)  # refused: gold is started
    assert win.saved_label.text() == "✗ Not saved" and len(gold(win.project)) == 6


def test_every_registry_key_is_bound_once(win):
    bound: dict[str, str] = {}
    for spec in ADJUDICATION.actions:
        if spec.in_view:
            continue
        keys = [s.toString() for a in win.actions_by_name.group(spec.id) for s in a.shortcuts()]
        assert keys == [QKeySequence(k).toString() for k in spec.keys]
        for k in keys:
            assert bound.setdefault(k, spec.id) == spec.id, f"{k} is bound to {bound[k]} and {spec.id}"
    assert not {lab.key for lab in win.project.schema.labels} & set(bound)  # label keys stay the gold view's


def test_bengali_and_astral_offsets_are_code_points(qtbot, project, tmp_path):
    mentions = {"ana": [("ন্যাটো", "ORG", 0), ("মিরসিয়া জিওনা", "PERSON", 0)],
                "bob": [("ন্যাটো-নেতৃত্বাধীন", "ORG", 0), ("মিরসিয়া জিওনা", "PERSON", 0)]}
    doc_id, text = import_layers(project, tmp_path, BENGALI, mentions)
    window = shown(qtbot, AdjudicationWindow(project, "cur", Edits(project), doc_id), activate=True)
    assert cells(window, 1) == ["boundary"]
    key(qtbot, window, Qt.Key.Key_1, ALT)
    assert gold(project) == [(0, 6, "ORG", "ন্যাটো")]


def test_widget_positions_after_an_emoji_are_converted_at_the_panes(qtbot, project, tmp_path):
    text = "😀 NATO 🇪🇺 met\r\nthe EU today"
    eu = text.index("EU")
    path = tmp_path / "astral.jsonl"
    path.write_bytes(b"".join(gold_jsonl.dumps(DocumentRecord("astral", "en", text, annotator=name, spans=(s,)))
                              for name, s in (("ana", SpanRecord("a", eu, eu + 2, "ORG", "EU")),
                                              ("bob", SpanRecord("b", eu - 4, eu + 2, "ORG", "the EU")))))
    import_paths(project, [path])
    with project.read() as conn:
        doc_id = next(d.id for d in list_documents(conn) if d.uid == "astral")
    window = shown(qtbot, AdjudicationWindow(project, "cur", Edits(project), doc_id), activate=True)
    # Before the place, three astral characters take two widget positions each and CR LF one.
    shift = 3 - 1
    assert window.panes[1].view.overlay("disagreement") == [(eu - 4 + shift, eu + 2 + shift)]
    key(qtbot, window, Qt.Key.Key_2, ALT)
    assert gold(project) == [(eu - 4, eu + 2, "ORG", "the EU")]


def test_accept_then_n_as_the_readme_says_visits_every_disagreement(win, qtbot, english):
    decided = []
    for _ in range(win.model.rowCount()):
        decided.append(win.current_row())
        key(qtbot, win, Qt.Key.Key_1 if len(decided) % 2 else Qt.Key.Key_0, ALT)  # accept ana's, or reject
        assert win.current_row() == decided[-1]  # still on the decided row
        key(qtbot, win, Qt.Key.Key_N)
    assert decided == [0, 1, 2, 3, 4]
    assert cells(win, 4) == ["✓ ana", "✗ none", "✓ ana", "✗ none", "✗ none"]
    assert "0 open" in win.summary.text()


def test_deleting_a_gold_span_in_the_gold_pane_reopens_its_disagreement(win, qtbot, english):
    key(qtbot, win, Qt.Key.Key_1, ALT)  # the row stays selected, and its new gold span in the gold pane
    assert win.gold.selected == win.model.state(0).gold_uids[0]
    key(qtbot, win, Qt.Key.Key_Delete)
    assert gold(win.project) == [] and cells(win, 4)[0] == "open"


def gold_done(project, doc_id) -> bool:
    with project.read() as conn:
        return list_documents(conn, "gold", doc_ids=[doc_id])[0].status == "done"


def test_marking_gold_done_with_open_disagreements_asks_first(win, qtbot, english, monkeypatch):
    questions: list[str] = []
    answer = False

    def ask(_parent, _title, text):
        questions.append(text)
        return answer

    monkeypatch.setattr("annotator.ui.adjudication.window.ask", ask)
    key(qtbot, win, Qt.Key.Key_1, ALT)
    key(qtbot, win, Qt.Key.Key_Return, CTRL)
    assert len(questions) == 1 and "4 of 5 disagreements are still open" in questions[0]
    assert not gold_done(win.project, english[0]) and "4 disagreements open" in win.statusBar().currentMessage()
    answer = True
    key(qtbot, win, Qt.Key.Key_Return, CTRL)
    assert len(questions) == 2 and gold_done(win.project, english[0])
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    for _ in range(4):  # every disagreement decided: done without a question
        key(qtbot, win, Qt.Key.Key_N)
        key(qtbot, win, Qt.Key.Key_0, ALT)
    key(qtbot, win, Qt.Key.Key_Return, CTRL)
    assert len(questions) == 2 and gold_done(win.project, english[0])


def test_marking_gold_done_is_undoable(win, qtbot, english, monkeypatch):
    monkeypatch.setattr("annotator.ui.adjudication.window.ask", lambda *_a: True)  # 4 are still open
    key(qtbot, win, Qt.Key.Key_1, ALT)
    key(qtbot, win, Qt.Key.Key_Return, CTRL)
    with win.project.read() as conn:
        assert list_documents(conn, "gold", doc_ids=[english[0]])[0].status == "done"
    assert "· done" in win.gold_pane.header.text()
    key(qtbot, win, Qt.Key.Key_Z, CTRL)
    with win.project.read() as conn:
        assert list_documents(conn, "gold", doc_ids=[english[0]])[0].status == "in_progress"


def test_a_refused_decision_is_reported_and_changes_nothing(win, qtbot, monkeypatch):
    def refuse(*_a, **_k):
        from annotator.core.errors import AnnotatorError
        raise AnnotatorError("database is locked")

    monkeypatch.setattr("annotator.store.adjudication.accept_spans", refuse)
    key(qtbot, win, Qt.Key.Key_1, ALT)
    assert win.saved_label.text() == "✗ Not saved" and "locked" in win.saved_label.toolTip()
    assert gold(win.project) == [] and not win.edits.stack.canUndo() and win.current_row() == 0


def test_a_document_with_one_layer_has_nothing_to_compare(qtbot, project, tmp_path):
    doc_id, _text = import_layers(project, tmp_path, BENGALI, {"ana": [("ন্যাটো", "ORG", 0)]})
    window = shown(qtbot, AdjudicationWindow(project, "cur", Edits(project), doc_id), activate=True)
    assert window.model.rowCount() == 0 and "nothing to compare" in window.summary.text()
    key(qtbot, window, Qt.Key.Key_N)  # nothing to go to, and no error
    key(qtbot, window, Qt.Key.Key_1, CTRL)
    assert gold(project) == [(0, 6, "ORG", "ন্যাটো")]


def stored_decisions(project) -> list[tuple[int, int, str]]:
    con = sqlite3.connect(project.path)
    try:
        return con.execute('SELECT start, "end", decision FROM adjudication_decisions ORDER BY start').fetchall()
    finally:
        con.close()


def test_a_rejection_lasts_after_the_window_is_closed_and_its_undo_forgets_it(win, qtbot, project, english):
    doc_id, text = english
    lajcak, kfor = text.index("Miroslav Lajcak"), text.index("KFOR")
    key(qtbot, win, Qt.Key.Key_F8)  # Miroslav Lajcak: only ana has it, gold has nothing there
    key(qtbot, win, Qt.Key.Key_0, ALT)
    assert cells(win, 4)[1] == "✗ none" and gold(project) == []
    assert stored_decisions(project) == [(lajcak, lajcak + 15, "none")]
    win.close()
    again = shown(qtbot, AdjudicationWindow(project, "cur", Edits(project), doc_id), activate=True)
    assert cells(again, 4) == ["open", "✗ none", "open", "open", "open"]
    assert "4 open" in again.summary.text() and again.current_row() == 0  # the first open place
    again.select_row(1)
    assert "✓ rejected" in again.detail.text()
    key(qtbot, again, Qt.Key.Key_1, ALT)  # ana's version after all: it replaces the rejection
    assert gold(project) == [(lajcak, lajcak + 15, "PERSON", "Miroslav Lajcak")] and stored_decisions(project) == []
    assert cells(again, 4)[1] == "✓ ana"
    key(qtbot, again, Qt.Key.Key_Z, CTRL)
    assert gold(project) == [] and cells(again, 4)[1] == "✗ none"
    again.select_row(3)  # KFOR: rejected, then the rejection undone
    key(qtbot, again, Qt.Key.Key_0, ALT)
    assert cells(again, 4)[3] == "✗ none"
    key(qtbot, again, Qt.Key.Key_Z, CTRL)
    assert cells(again, 4)[3] == "open" and stored_decisions(project) == [(lajcak, lajcak + 15, "none")]
    again.close()
    third = shown(qtbot, AdjudicationWindow(project, "cur", Edits(project), doc_id), activate=True)
    assert cells(third, 4) == ["open", "✗ none", "open", "open", "open"]
    assert kfor not in [d[0] for d in stored_decisions(project)]


def test_the_window_opens_within_a_768_px_screen(qtbot, project, english, monkeypatch):
    """1500 x 900 plus a title bar is taller than a 1366 x 768 laptop screen (less its panel)."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1366, 768 - 32))
    window = AdjudicationWindow(project, "cur", Edits(project), english[0])
    qtbot.addWidget(window)
    assert window.width() + 16 <= 1366 and window.height() + 48 <= 768 - 32


def test_an_annotators_edit_elsewhere_updates_the_list_and_keeps_the_curators_place(win, qtbot, english):
    # Bob labels KFOR in the main window (or a teammate's edit arrives live) while the
    # curator is on the second disagreement: the KFOR disagreement is gone, bob's pane
    # shows the span, the curator stays where they were, and gold is untouched.
    from annotator.store.spans import add_span

    doc_id, text = english

    def places() -> list[str]:
        return [text[r.start:r.end] for r in win.model.rows()]

    assert "KFOR" in places() and "5 spans" in win.panes[1].header.text()
    key(qtbot, win, Qt.Key.Key_N)
    before = win.model.row(win.current_row())
    assert "KFOR" not in text[before.start:before.end]
    kfor = text.index("KFOR")
    win.edits.run(lambda: add_span(win.project, doc_id, "bob", kfor, kfor + 4, "ORG"), None)
    assert "KFOR" not in places() and len(places()) == 4 and "6 spans" in win.panes[1].header.text()
    now = win.model.row(win.current_row())
    assert (now.start, now.end) == (before.start, before.end)
    assert gold(win.project) == [] and win.gold_view.hasFocus()
