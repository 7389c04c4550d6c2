"""Relations, entity clusters and knowledge-base ids made with the keyboard alone in the main
window: Ctrl+R, a type, Tab to the other span, Enter; =, Tab, Enter; Ctrl+K and the picker.
Each is read back from the project file (a connection of its own), undone and redone;
a pair the schema refuses is refused with its reason in the status bar."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from annotator.store import parallel
from annotator.store.entities import add_to_entity
from annotator.store.queries import list_documents
from annotator.store.relations import add_relation, delete_relation, span_relations
from annotator.store.spans import SpanData, add_spans
from annotator.ui.app import file_dialogs
from annotator.ui.app.main_window import MainWindow
from annotator.ui.widgets.choice_popup import ChoicePopup
from tests.ui.helpers import open_doc, shown

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
EN, FR, BN = "004_8ff92d06c738168c", "002_348658bd2cc7c365", "000_00eeb79877075e28"
KB = "id,label,aliases\nQ7184,NATO,OTAN|North Atlantic Treaty Organization\nQ458,European Union,EU|UE\n" \
     "Q7809,Mircea Geoană,Geoana\nQ1,Miroslav Lajčák,Lajcak\n"


@pytest.fixture
def win(qtbot, project):
    return shown(qtbot, MainWindow(project, "ana"), activate=True)


def doc_id(project, uid):
    with project.read() as conn:
        return next(d.id for d in list_documents(conn) if d.uid == uid)


def label_spans(project, uid, wanted):
    """Spans (needle, occurrence, label) of `uid` stored for "ana"; their uids in that order."""
    with project.read() as conn:
        text = project.texts.get(conn, doc_id(project, uid))
    spans = []
    for needle, nth, label in wanted:
        start = -1
        for _ in range(nth + 1):
            start = text.index(needle, start + 1)
        spans.append(SpanData("", doc_id(project, uid), "ana", start, start + len(needle), label))
    return [s.uid for s in add_spans(project, spans).result]


def from_file(project, sql):
    """Rows read from the project file by a connection of its own: what is on disk."""
    with sqlite3.connect(project.path) as conn:
        return conn.execute(sql).fetchall()


def relations_on_disk(project):
    return from_file(project, "SELECT r.type, a.uid, b.uid FROM relations r JOIN spans a ON a.id = r.from_span_id "
                              "JOIN spans b ON b.id = r.to_span_id ORDER BY r.id")


def clusters_on_disk(project):
    rows = from_file(project, "SELECT e.uid, e.kb, s.uid FROM entity_members m JOIN entities e ON e.id = m.entity_id "
                              "JOIN spans s ON s.id = m.span_id ORDER BY s.start")
    out: dict[str, tuple] = {}
    for ent, kb, span in rows:
        out.setdefault(ent, (kb, []))[1].append(span)
    return sorted(((kb, sorted(spans)) for kb, spans in out.values()), key=lambda c: (c[0] or "", c[1]))


def answer_popup(qtbot, *keys):
    """Press `keys` in the next modal popup once it shows."""
    def press():
        popup = QApplication.activeModalWidget()
        if popup is None:
            QTimer.singleShot(20, press)
            return
        target = popup.filter if isinstance(popup, ChoicePopup) else popup
        for key in keys:
            qtbot.keyClick(target, key)
    QTimer.singleShot(0, press)


def back(win, qtbot):
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.view.setFocus()


def tab_to(win, qtbot, n_words):
    """From the top, Tab to the first span, Ctrl+Right `n_words` times, Tab again: the
    keyboard's way to the next span past those words."""
    view = win.view
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    for _ in range(n_words):
        qtbot.keyClick(view, Qt.Key.Key_Right, CTRL)
    if n_words:
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    return win.workspace.selected


def status(win):
    return win.statusBar().currentMessage()


def test_relation_by_keys_refusal_drawing_panel_undo_and_redo(win, qtbot, project):
    nato, geoana, lajcak = label_spans(project, EN, [("NATO", 1, "ORG"), ("Mircea Geoană", 0, "PERSON"),
                                                     ("Miroslav Lajcak", 0, "PERSON")])
    open_doc(win, qtbot, EN)
    view = win.view
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert win.workspace.selected == nato

    # ORG -> PERSON: member_of (digit 1) is offered from an ORG, but refused for a PERSON target.
    answer_popup(qtbot, "1")
    qtbot.keyClick(view, Qt.Key.Key_R, CTRL)
    back(win, qtbot)
    assert win.target_pick.active
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert win.workspace.selected == geoana and "refused, member_of does not go from ORG to PERSON" in status(win)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert status(win) == "member_of does not go from ORG to PERSON (it accepts PERSON -> ORG, ORG -> ORG)"
    assert relations_on_disk(project) == [] and not win.target_pick.active

    # PERSON -> ORG: member_of is the only type a PERSON starts, so no popup; Shift+Tab back to NATO.
    qtbot.keyClick(view, Qt.Key.Key_R, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Backtab, SHIFT)
    assert win.workspace.selected == nato
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert relations_on_disk(project) == [("member_of", geoana, nato)]
    assert win.relations_panel.relations() == [("member_of", "Mircea Geoană (PERSON) → NATO (ORG)")]
    # Drawn while either end is selected: both ends boxed, an arrow tagged with the type.
    [arc] = view.arcs()
    assert arc.tag == "member_of" and len(view.boxes("relations")) == 2
    assert tab_to(win, qtbot, 6) == lajcak  # past "NATO Deputy Secretary General Mircea Geoană met"
    assert view.arcs() == []

    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert relations_on_disk(project) == [] and win.relations_panel.relations() == []
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert relations_on_disk(project) == [("member_of", geoana, nato)]
    # An end resized (Alt+Shift+Left): the panel quotes its new text.
    assert tab_to(win, qtbot, 4) == geoana
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier | SHIFT)
    assert win.relations_panel.relations() == [("member_of", "Mircea Geoan (PERSON) → NATO (ORG)")]
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert win.relations_panel.relations() == [("member_of", "Mircea Geoană (PERSON) → NATO (ORG)")]

    # Esc gives up a relation half made; Del in the panel (F10) removes one, Ctrl+Z brings it back.
    qtbot.keyClick(view, Qt.Key.Key_R, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not win.target_pick.active and view.boxes("picking") == []
    qtbot.keyClick(win, Qt.Key.Key_F10)
    tree = win.relations_panel.tree
    assert tree.hasFocus() and win.relations_panel.current_row()[0] == "relation"
    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    assert relations_on_disk(project) == []
    qtbot.keyClick(tree, Qt.Key.Key_Z, CTRL)
    assert relations_on_disk(project) == [("member_of", geoana, nato)]


def test_the_relations_tab_follows_a_change_by_its_own_rows(win, qtbot, project):
    nato, geoana, lajcak = label_spans(project, EN, [("NATO", 1, "ORG"), ("Mircea Geoană", 0, "PERSON"),
                                                     ("Miroslav Lajcak", 0, "PERSON")])
    add_relation(project, "member_of", geoana, nato)
    second = add_relation(project, "member_of", lajcak, nato).result.uid
    open_doc(win, qtbot, EN)
    both = [("member_of", "Mircea Geoană (PERSON) → NATO (ORG)"), ("member_of", "Miroslav Lajcak (PERSON) → NATO (ORG)")]
    qtbot.keyClick(win, Qt.Key.Key_F10)
    panel, tree = win.relations_panel, win.relations_panel.tree
    assert panel.relations() == both
    seen = []
    model = tree.model()
    model.rowsRemoved.connect(lambda _parent, first, last: seen.append(("removed", first, last)))
    model.rowsInserted.connect(lambda _parent, first, last: seen.append(("inserted", first, last)))
    model.modelReset.connect(lambda: seen.append(("reset",)))

    # Del on the second relation takes out its row alone; Ctrl+Z puts that row back where it was.
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert panel.current_row() == ("relation", second)
    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    assert relations_on_disk(project) == [("member_of", geoana, nato)]
    assert seen == [("removed", 1, 1)] and panel.relations() == both[:1]
    qtbot.keyClick(tree, Qt.Key.Key_Z, CTRL)
    assert seen[1:] == [("inserted", 1, 1)] and panel.relations() == both

    # An end resized: its rows quote the new text, none taken out or put in.
    seen.clear()
    assert tab_to(win, qtbot, 4) == geoana
    qtbot.keyClick(win.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier | SHIFT)
    assert panel.relations()[0] == ("member_of", "Mircea Geoan (PERSON) → NATO (ORG)") and seen == []


def test_tab_goes_from_the_relations_to_the_clusters_where_f2_and_del_work(win, qtbot, project):
    nato, geoana, said = label_spans(project, EN, [("NATO", 1, "ORG"), ("Mircea Geoană", 0, "PERSON"),
                                                   ("Geoană", 1, "PERSON")])
    add_relation(project, "member_of", geoana, nato)
    add_to_entity(project, [geoana, said])
    open_doc(win, qtbot, EN)
    qtbot.keyClick(win, Qt.Key.Key_F10)
    panel = win.relations_panel
    assert panel.tree.hasFocus() and panel.current_row()[0] == "relation"
    qtbot.keyClick(panel.tree, Qt.Key.Key_Tab)
    assert panel.clusters.hasFocus() and panel.tree is panel.clusters and panel.current_row()[0] == "entity"
    qtbot.keyClick(panel.tree, Qt.Key.Key_F2)  # the cluster's id: no table yet, the way to import one is named
    assert "No knowledge-base table yet" in status(win)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Down)
    assert panel.current_row()[:2] == ("mention", geoana)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)  # the mention out of its cluster
    assert clusters_on_disk(project) == [(None, [said])]
    assert relations_on_disk(project) == [("member_of", geoana, nato)]


def test_cluster_by_keys_across_a_translation_and_a_kb_id_from_an_imported_table(win, qtbot, project, tmp_path,
                                                                                    monkeypatch):
    mircea, lajcak, said, mr = label_spans(project, EN, [("Mircea Geoană", 0, "PERSON"), ("Miroslav Lajcak", 0, "PERSON"),
                                                         ("Geoană", 1, "PERSON"), ("Geoana", 0, "PERSON")])
    [fr] = label_spans(project, FR, [("Mircea Geoana", 0, "PERSON")])
    parallel.add_link(project, mircea, fr)
    open_doc(win, qtbot, EN)
    view = win.view
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert win.workspace.selected == mircea

    # = then Tab past Lajcak to the second Geoană, Enter: one cluster of two.
    qtbot.keyClick(view, "=")
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert win.workspace.selected == said
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert clusters_on_disk(project) == [(None, sorted([mircea, said]))]
    # From that mention, = and Tab to "Geoana": the cluster grows.
    qtbot.keyClick(view, "=")
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert clusters_on_disk(project) == [(None, sorted([mircea, said, mr]))]
    assert len(win.view.boxes("entity")) == 3
    # Its linked mention in the French translation joins with Ctrl+Shift+T.
    assert tab_to(win, qtbot, 0) == mircea
    qtbot.keyClick(view, Qt.Key.Key_T, CTRL | SHIFT)
    assert clusters_on_disk(project) == [(None, sorted([mircea, said, mr, fr]))]
    [(_heading, _detail, mentions)] = win.relations_panel.entities()
    assert ("PERSON", "Mircea Geoana  · fr · 002_348658bd2cc7c365") in mentions
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert clusters_on_disk(project) == [(None, sorted([mircea, said]))]
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert clusters_on_disk(project) == [(None, sorted([mircea, said, mr, fr]))]
    # Undoing the translation's mention put the French text on screen, where it changed.
    assert win.workspace.doc_id == doc_id(project, FR)
    open_doc(win, qtbot, EN)

    # Ctrl+K with no table yet: the way to import one is named.
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert win.workspace.selected == mircea
    qtbot.keyClick(view, Qt.Key.Key_K, CTRL)
    assert "No knowledge-base table yet" in status(win)
    table = tmp_path / "kb.csv"
    table.write_text(KB, encoding="utf-8")
    monkeypatch.setattr(file_dialogs, "open_file", lambda *_a: table)
    win.actions_by_name["import_kb"].trigger()
    assert "4 rows" in status(win)

    # The picker lists the label match first: Enter takes it.
    win.view.setFocus()
    seen = []
    def look_and_take():
        popup = QApplication.activeModalWidget()
        if popup is None:
            QTimer.singleShot(20, look_and_take)
            return
        seen.extend(popup.list.item(i).text() for i in range(popup.list.count()))
        qtbot.keyClick(popup.filter, Qt.Key.Key_Return)
    QTimer.singleShot(0, look_and_take)
    qtbot.keyClick(view, Qt.Key.Key_K, CTRL)
    back(win, qtbot)
    assert seen[0].startswith("Q7809   (Mircea Geoană — suggested: label «Mircea Geoană»")
    assert clusters_on_disk(project) == [("Q7809", sorted([mircea, said, mr, fr]))]
    assert win.relations_panel.entities()[0][:2] == ("Q7809", "Mircea Geoană · 4 mentions")

    # Typing filters by alias too ("lajc" finds Q1 by its alias Lajcak): another id, then undo, redo.
    answer_popup(qtbot, "l", "a", "j", "c", Qt.Key.Key_Return)
    qtbot.keyClick(view, Qt.Key.Key_K, CTRL)
    back(win, qtbot)
    assert clusters_on_disk(project) == [("Q1", sorted([mircea, said, mr, fr]))]
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert clusters_on_disk(project) == [("Q7809", sorted([mircea, said, mr, fr]))]
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert clusters_on_disk(project) == [(None, sorted([mircea, said, mr, fr]))]
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert clusters_on_disk(project) == [("Q7809", sorted([mircea, said, mr, fr]))]
    # Lajcak alone: Ctrl+K makes it a cluster of its own with the id chosen.
    assert tab_to(win, qtbot, 2) == lajcak  # past "Mircea Geoană"
    answer_popup(qtbot, "l", "a", "j", Qt.Key.Key_Return)
    qtbot.keyClick(view, Qt.Key.Key_K, CTRL)
    back(win, qtbot)
    assert ("Q1", [lajcak]) in clusters_on_disk(project)


def test_a_bad_table_is_refused_with_its_lines_and_nothing_changes(win, qtbot, project, tmp_path, monkeypatch):
    table = tmp_path / "bad.csv"
    table.write_text("Q1,One\nQ01,Zero\nQ2\n", encoding="utf-8")
    shown_errors = []
    monkeypatch.setattr("annotator.ui.app.kb_import.error", lambda _w, _title, text: shown_errors.append(text))
    monkeypatch.setattr(file_dialogs, "open_file", lambda *_a: table)
    win.actions_by_name["import_kb"].trigger()
    [text] = shown_errors
    assert text.splitlines() == [f"{table}: 2 bad rows, nothing imported: line 2: 'Q01' is not a Wikidata id "
                                 "(Q followed by digits, no leading zero, e.g. Q458)",
                                 "line 3: expected id,label[,aliases], found 1 column"]
    assert from_file(project, "SELECT value FROM project_meta WHERE key = 'kb_table'") == []


def test_many_relation_types_are_typed_to_filter_and_a_span_no_type_starts_from_is_refused(qtbot, project):
    import json

    from annotator.paths import resources_dir
    from annotator.store.schema_change import replace_schema

    data = json.loads((resources_dir() / "schema.json").read_text(encoding="utf-8"))
    data["relations"] = [{"type": f"rel_{i:02}", "directed": True, "pairs": [["PERSON", "ORG"]]} for i in range(1, 12)]
    replace_schema(project, json.dumps(data), "many.json")
    geoana, nato, date = label_spans(project, EN, [("Mircea Geoană", 0, "PERSON"), ("NATO", 2, "ORG"),
                                                   ("13 June 2023", 0, "DATE")])
    win = shown(qtbot, MainWindow(project, "ana"), activate=True)
    open_doc(win, qtbot, EN)
    view = win.view
    assert tab_to(win, qtbot, 0) == geoana
    answer_popup(qtbot, "1", "1", Qt.Key.Key_Return)  # typed: "11" leaves rel_11 alone (no digit keys past nine)
    qtbot.keyClick(view, Qt.Key.Key_R, CTRL)
    back(win, qtbot)
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # the next span in the text: NATO, past the date
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert win.workspace.selected == nato
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert relations_on_disk(project) == [("rel_11", geoana, nato)]
    # A DATE starts none of them: refused before any picker, with the reason.
    assert tab_to(win, qtbot, 7) == date
    qtbot.keyClick(view, Qt.Key.Key_R, CTRL)
    assert status(win).startswith("No relation of the schema starts from a DATE span: rel_01 takes PERSON → ORG")
    assert not win.target_pick.active


def test_two_clusters_become_one_keeping_the_id_and_different_ids_are_refused(win, qtbot, project):
    from annotator.store import entities

    mircea, lajcak, said, mr = label_spans(project, EN, [("Mircea Geoană", 0, "PERSON"), ("Miroslav Lajcak", 0, "PERSON"),
                                                         ("Geoană", 1, "PERSON"), ("Geoana", 0, "PERSON")])
    entities.add_to_entity(project, [mircea], kb="Q7809")
    entities.add_to_entity(project, [said, mr])
    entities.add_to_entity(project, [lajcak], kb="Q1")
    open_doc(win, qtbot, EN)
    view = win.view
    assert tab_to(win, qtbot, 0) == mircea
    # Mircea's cluster (Q7809) and the one of "Geoană" and "Geoana" (no id): one, with Q7809.
    qtbot.keyClick(view, "=")
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert win.workspace.selected == said
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert ("Q7809", sorted([mircea, said, mr])) in clusters_on_disk(project)
    # With Lajcak's (Q1): refused, the two ids named, nothing changed.
    assert tab_to(win, qtbot, 0) == mircea
    qtbot.keyClick(view, "=")
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert status(win) == "These are two entities with different ids (Q7809 and Q1): clear one first (Ctrl+K, “(no id)”)"
    assert clusters_on_disk(project) == [("Q1", [lajcak]), ("Q7809", sorted([mircea, said, mr]))]
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert clusters_on_disk(project) == [(None, sorted([said, mr])), ("Q1", [lajcak]), ("Q7809", [mircea])]


def test_translations_in_an_entity_with_another_id_are_not_moved(win, qtbot, project):
    from annotator.store import entities

    [mircea] = label_spans(project, EN, [("Mircea Geoană", 0, "PERSON")])
    [fr] = label_spans(project, FR, [("Mircea Geoana", 0, "PERSON")])
    parallel.add_link(project, mircea, fr)
    entities.add_to_entity(project, [fr], kb="Q1")
    open_doc(win, qtbot, EN)
    assert tab_to(win, qtbot, 0) == mircea
    qtbot.keyClick(win.view, Qt.Key.Key_T, CTRL | SHIFT)
    assert status(win).startswith("Its translations' mentions are in an entity with id Q1, this one has none")
    assert clusters_on_disk(project) == [("Q1", [fr])]


def test_the_selected_spans_relations_are_drawn_as_read_afresh_after_every_edit(win, qtbot, project):
    """What is drawn for the selected span is remembered between changes of relations (a
    relabel or a new span reads nothing), and equals a fresh read after an add, relabel,
    delete, undo and redo, and after a relation made or removed elsewhere."""
    nato, geoana, _lajcak = label_spans(project, EN, [("NATO", 1, "ORG"), ("Mircea Geoană", 0, "PERSON"),
                                                      ("Miroslav Lajcak", 0, "PERSON")])
    relation = add_relation(project, "member_of", geoana, nato).result.uid
    open_doc(win, qtbot, EN)
    view, ws = win.view, win.workspace
    reads: list[str] = []
    event.listen(project.engine, "before_cursor_execute",
                 lambda _conn, _cursor, sql, *_args: sql.startswith("SELECT relations.uid") and reads.append(sql))

    def drawn_as_fresh() -> list[tuple[str, str, str]]:
        with project.read() as conn:
            fresh = [(r.type, r.from_span, r.to_span) for r in span_relations(conn, ws.selected)] if ws.selected else []
        reads.clear()  # the check's own read
        assert [(r.type, r.from_span, r.to_span) for r in win.relations.shown()] == fresh
        assert [a.tag for a in view.arcs()] == [t for t, _a, _b in fresh]
        return fresh

    assert tab_to(win, qtbot, 4) == geoana
    assert drawn_as_fresh() == [("member_of", geoana, nato)]
    qtbot.keyClick(view, Qt.Key.Key_2)  # relabelled ORG (member_of takes ORG -> ORG): still drawn, not read again
    assert relations_on_disk(project) == [("member_of", geoana, nato)] and reads == []
    assert drawn_as_fresh() == [("member_of", geoana, nato)]
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert drawn_as_fresh() == [("member_of", geoana, nato)]

    # Removed and put back through the edit runner (as the panel's Del and Ctrl+Z do).
    win.edits.run(lambda: delete_relation(project, relation), win)
    assert drawn_as_fresh() == []
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert drawn_as_fresh() == [("member_of", geoana, nato)]

    # Del on the span takes its relation with it; Ctrl+Z brings both back, Ctrl+Y removes them again.
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert ws.selected is None and view.arcs() == [] and relations_on_disk(project) == []
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert tab_to(win, qtbot, 4) == geoana
    assert drawn_as_fresh() == [("member_of", geoana, nato)]
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert relations_on_disk(project) == [] and drawn_as_fresh() == []

    # A new span is selected with nothing drawn, and no relation read for it.
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Right, CTRL | SHIFT)
    reads.clear()
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert ws.selected is not None and ws.selected not in (nato, geoana) and reads == []
    assert drawn_as_fresh() == []
