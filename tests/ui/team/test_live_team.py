"""Team mode in the GUI on a real server: each window logged in as a person; a curator's
gold decision made elsewhere arrives live, an edit over an unseen change is refused with
who and when and made again on request, an annotator sees only their queue and takes
the next document from the pool; the window says when the server goes away and comes back."""

from __future__ import annotations

import psycopg
import pytest
from PySide6.QtCore import Qt

from annotator.store import adjudication as adj
from annotator.store.project import Project
from annotator.store.queries import layer_spans
from annotator.store.roles import add_user
from annotator.ui.adjudication.window import AdjudicationWindow
from annotator.ui.app.main_window import MainWindow
from annotator.ui.app.team_mode import AssignDialog
from tests.ui.adjudication.test_adjudication import ANA, BOB, ENGLISH, import_layers
from tests.ui.helpers import shown
from tests.ui.team.test_gui_on_server import as_login

ALT = Qt.KeyboardModifier.AltModifier
PEOPLE = {"ana": "annotator", "bob": "annotator", "cora": "curator", "dan": "curator"}


@pytest.fixture
def team(pg_databases, tmp_path):
    location = pg_databases.copy_of("seeded")
    for name, role in PEOPLE.items():
        add_user(location, name, role, f"pw-{name}")
    with Project.open(location) as owner:
        doc, _text = import_layers(owner, tmp_path, ENGLISH, {"ana": ANA, "bob": BOB})
    opened: list[Project] = []

    def login(name: str) -> Project:
        opened.append(Project.open(as_login(location, name, f"pw-{name}")))
        return opened[-1]
    yield location, doc, login
    for project in opened:
        project.close()


def live_window(qtbot, project, name, activate=False):
    win = shown(qtbot, MainWindow(project, name), activate=activate)
    qtbot.waitUntil(lambda: win.team.live.connected)
    return win


def uid_of(project, doc, annotator, start_text, label):
    with project.read() as conn:
        text = project.texts.get(conn, doc)
        start = text.index(start_text)
        return next(s[3] for s in layer_spans(conn, doc, annotator) if s[0] == start and s[2] == label)


def gold_labels(window) -> list[tuple[int, str]]:
    return [(m.start, m.label) for m in window.gold.spans()]


def test_a_curators_gold_decision_reaches_another_curators_window_live(team, qtbot):
    _location, doc, login = team
    cora = login("cora")
    win = live_window(qtbot, cora, "cora")
    adjudicate = shown(qtbot, AdjudicationWindow(cora, "cora", win.edits, doc))
    assert gold_labels(adjudicate) == []
    dan = login("dan")
    date = uid_of(dan, doc, "ana", "13 June 2023", "DATE")
    adj.accept_spans(dan, doc, "ana", [date])  # dan's own program, his own connection
    qtbot.waitUntil(lambda: [label for _s, label in gold_labels(adjudicate)] == ["DATE"])
    assert "dan: accept ana's" in win.statusBar().currentMessage()
    assert not win.edits.stack.canUndo()  # their change is shown, not put on cora's history


def test_an_edit_over_an_unseen_change_is_refused_with_who_and_when_and_made_again(team, qtbot):
    _location, doc, login = team
    cora, dan = login("cora"), login("dan")
    win = live_window(qtbot, cora, "cora")
    adjudicate = shown(qtbot, AdjudicationWindow(cora, "cora", win.edits, doc), activate=True)
    adjudicate.select_row(1)  # the second disagreement (the first is the date)
    # dan decides the date; before cora's window has heard of it, she decides her place.
    adj.accept_spans(dan, doc, "ana", [uid_of(dan, doc, "ana", "13 June 2023", "DATE")])
    qtbot.keyClick(adjudicate.gold_view, Qt.Key.Key_1, ALT)  # accept ana's version of the second place
    message = adjudicate.statusBar().currentMessage()
    assert "the gold layer of document" in message and "was changed by dan at " in message
    assert "UTC" in message and "Your edit is kept" in message and "Ctrl+Shift+Y" in message
    qtbot.waitUntil(lambda: len(gold_labels(adjudicate)) == 1)  # dan's decision arrives
    win.actions_by_name["retry_edit"].trigger()  # cora's decision, made again on top of dan's
    with cora.read() as conn:
        stored = sorted(s[2] for s in layer_spans(conn, doc, "gold"))
    assert stored == ["DATE", "PERSON"]
    qtbot.waitUntil(lambda: len(gold_labels(adjudicate)) == 2)


def test_an_annotator_sees_only_their_queue_and_takes_the_next_document(team, qtbot):
    location, _doc, login = team
    ana = live_window(qtbot, login("ana"), "ana")
    assert ana.navigator.model.rowCount() > 1  # no assignment yet: every document
    manager = shown(qtbot, AssignDialog(Project.open(location)))
    manager.copies.setValue(1)
    assert manager.quota.text() == "no limit"  # 0, the default: a quota of 0 would let no one take work
    assert manager.run() > 0
    manager.project.close()
    # The new assignment reaches ana's window live: her queue is empty until she takes one.
    qtbot.waitUntil(lambda: ana.navigator.model.rowCount() == 0)
    ana.activateWindow()
    qtbot.waitUntil(ana.isActiveWindow)
    qtbot.keyClick(ana.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | ALT)
    qtbot.waitUntil(lambda: ana.workspace.doc_id is not None)
    mine = ana.workspace.doc_id
    assert ana.navigator.model.rowCount() == 1 and ana.navigator.queue == {mine}
    bob = live_window(qtbot, login("bob"), "bob")
    bob.team.take_next()
    assert bob.workspace.doc_id not in (None, mine) and bob.navigator.queue == {bob.workspace.doc_id}
    ana.view.select(0, 3)
    qtbot.keyClick(ana.view, "2")  # ORG, in ana's layer of her document
    qtbot.waitUntil(lambda: ana.workspace.selected is not None)
    with psycopg.connect(location.url) as owner:
        assert owner.execute("SELECT a.name, s.document_id FROM spans s JOIN annotators a ON a.id = s.annotator_id "
                             "WHERE s.label = 'ORG' AND a.name = 'ana' AND s.start = 0").fetchall() == [("ana", mine)]


def test_the_window_says_when_the_server_goes_away_and_when_it_is_back(team, pg_cluster, qtbot):
    from annotator.store import cluster
    from tests.conftest import TEST_SERVER_SETTINGS

    _location, doc, login = team
    cora = login("cora")
    win = live_window(qtbot, cora, "cora")
    assert win.team.state.text() == "● live"
    cluster.stop(pg_cluster.folder, mode="fast")  # a restart by the server's administrator
    try:
        qtbot.waitUntil(lambda: win.team.state.text() == "✕ server away")
        assert "Live updates: lost the server" in win.statusBar().currentMessage()
        assert "not shown meanwhile" in win.team.state.toolTip()
    finally:
        cluster.start(pg_cluster.folder, settings=TEST_SERVER_SETTINGS)
    qtbot.waitUntil(lambda: win.team.state.text() == "● live", timeout=15000)
    assert "is back" in win.statusBar().currentMessage()
    # Changes made after the restart arrive as before.
    adjudicate = shown(qtbot, AdjudicationWindow(cora, "cora", win.edits, doc))
    dan = login("dan")
    adj.accept_spans(dan, doc, "ana", [uid_of(dan, doc, "ana", "13 June 2023", "DATE")])
    qtbot.waitUntil(lambda: [label for _s, label in gold_labels(adjudicate)] == ["DATE"])


def test_an_annotators_relation_and_attribute_reach_her_other_window_live(team, qtbot):
    """Issue 14's items on a server: a relation and a document label made in one of ana's
    windows are logged for her layer and shown by her other window (another session)."""
    from annotator.store.attributes import Target, set_attribute

    _location, doc, login = team
    first, second = login("ana"), login("ana")
    here = live_window(qtbot, first, "ana")
    there = live_window(qtbot, second, "ana")
    for win in (here, there):
        win.open_document(doc)
    there.actions_by_name["focus_relations"].trigger()  # F10: the Relations tab, read as it is seen
    assert there.relations.panel.model.rowCount() == 0
    kfor, nato = uid_of(first, doc, "ana", "KFOR", "ORG"), uid_of(first, doc, "ana", "NATO", "ORG")
    made = here.relations.add("member_of", kfor, nato)
    assert made is not None
    qtbot.waitUntil(lambda: there.relations.panel.model.rowCount() == 1)
    assert [r.uid for r in there.relations.layer()] == [made.uid]
    there.actions_by_name["document_labels"].trigger()  # Shift+F4: the labels tab, read as it is seen
    set_attribute(first, Target("document", doc, "ana"), "topic", "security")
    qtbot.waitUntil(lambda: "security" in repr(there.document_labels.rows()))
