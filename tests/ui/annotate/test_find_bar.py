"""Find in the document (issue 17): Ctrl+F in the text opens the find bar, matches are
highlighted, Enter / F3 / Shift+F3 step and select the match, a label key labels it, Esc
closes; the corpus search moved to Ctrl+Shift+F. Real keys and clicks throughout."""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import Qt

from annotator.core.find import find_all
from annotator.ui.app.main_window import MainWindow
from annotator.ui.widgets.actions import MAIN, overview_rows
from tests.ui.helpers import open_doc, shown

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
EN = "004_8ff92d06c738168c"
BN = "000_00eeb79877075e28"


@pytest.fixture
def win(qtbot, project):
    return shown(qtbot, MainWindow(project, "ana"), activate=True)


def spans(win):
    return [(m.label, win.workspace.text[m.start:m.end]) for m in win.workspace.spans()]


def selected_text(win):
    s, e = win.workspace.to_code_points(*win.view.selection())
    return win.workspace.text[s:e]


def test_ctrl_f_in_the_text_finds_steps_and_a_label_key_labels_the_match(win, qtbot):
    open_doc(win, qtbot, EN)
    text = win.workspace.text
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL)
    bar = win.find_bar
    qtbot.waitUntil(bar.field.hasFocus)
    assert not win.navigator.search.hasFocus()  # not the corpus search
    qtbot.keyClicks(bar.field, "nato")
    expected = [(text.find("NATO", i), text.find("NATO", i) + 4) for i in range(len(text))
                if text.find("NATO", i) == i]
    d = win.workspace.omap.to_display
    assert win.view.overlay("find") == [(d(s), d(e)) for s, e in expected]  # every match highlighted
    assert bar.count.text().endswith(f"of {len(expected)}")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)  # Enter: the match is selected, the text has the keyboard
    qtbot.waitUntil(win.view.hasFocus)
    assert selected_text(win) == "NATO"
    first = win.view.selection()
    qtbot.keyClick(win.view, Qt.Key.Key_F3)
    second = win.view.selection()
    assert second[0] > first[0] and selected_text(win) == "NATO"
    qtbot.keyClick(win.view, Qt.Key.Key_F3, SHIFT)
    assert win.view.selection() == first
    qtbot.keyClick(win.view, Qt.Key.Key_F3)
    qtbot.keyClick(win.view, Qt.Key.Key_2)  # ORG: the match is what gets labelled
    assert spans(win) == [("ORG", "NATO")]
    assert win.workspace.spans()[0].start == win.workspace.to_code_points(*second)[0]
    qtbot.keyClick(win.view, Qt.Key.Key_F3)  # on to the next one, label it too
    qtbot.keyClick(win.view, Qt.Key.Key_2)
    assert spans(win) == [("ORG", "NATO"), ("ORG", "NATO")]
    qtbot.keyClick(win.view, Qt.Key.Key_Escape)  # Esc closes the bar and clears the highlight
    qtbot.waitUntil(lambda: not bar.isVisible())
    assert win.view.overlay("find") == [] and win.view.hasFocus()


def test_esc_in_the_find_field_closes_the_bar(win, qtbot):
    open_doc(win, qtbot, EN)
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(win.find_bar.field.hasFocus)
    qtbot.keyClicks(win.find_bar.field, "KFOR")
    assert win.view.overlay("find")
    qtbot.keyClick(win.find_bar.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not win.find_bar.isVisible())
    assert win.view.overlay("find") == [] and win.view.hasFocus()
    assert win.workspace.spans() == []  # nothing written


def test_case_and_accents_are_ignored_unless_asked(win, qtbot):
    open_doc(win, qtbot, EN)
    text = win.workspace.text
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(win.find_bar.field, "geoana")
    found = [text[s:e] for s, e in win.find_bar.matches]
    assert "Geoană" in found and "Geoana" in found
    qtbot.mouseClick(win.find_bar.exact, Qt.MouseButton.LeftButton)  # Match case and accents
    assert win.find_bar.exact.isChecked()
    assert win.find_bar.matches == [] and win.find_bar.count.text() == "No match"
    win.find_bar.field.clear()
    win.find_bar.field.insert("Geoană")  # as an input method commits it (QTest types Latin-1 only)
    assert {text[s:e] for s, e in win.find_bar.matches} == {"Geoană"}


def test_bengali_is_found_on_grapheme_edges_and_labelled(win, qtbot):
    open_doc(win, qtbot, BN)
    text = win.workspace.text
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL)
    win.find_bar.field.insert("ন্যাটো")  # as an input method commits it
    assert win.find_bar.matches and all(text[s:e] == "ন্যাটো" for s, e in win.find_bar.matches)
    qtbot.keyClick(win.find_bar.field, Qt.Key.Key_Return)
    qtbot.waitUntil(win.view.hasFocus)
    qtbot.keyClick(win.view, Qt.Key.Key_2)
    assert spans(win) == [("ORG", "ন্যাটো")]
    # "ক" alone is never found inside a conjunct such as "ক্ষ" (a cluster of its own).
    win.find_bar.field.clear()
    win.find_bar.field.insert("ক")
    for s, e in win.find_bar.matches:
        assert text[s:e] == "ক" and text[e:e + 1] != "\u09cd"


def test_matches_and_selection_are_exact_after_an_emoji_and_crlf(tmp_path, qtbot):
    """UTF-16 positions in the view, code points in the store: an astral character and CR LF
    before the match shift them apart."""
    from annotator.core.records import DocumentRecord
    from annotator.formats import gold_jsonl
    from annotator.importer import import_paths
    from annotator.store.project import Project

    text = "😀 Señor\r\nNFD: " + unicodedata.normalize("NFD", "Señor") + " met 😀 señor."
    path = tmp_path / "d.jsonl"
    path.write_bytes(gold_jsonl.dumps(DocumentRecord(id="d", lang="es", text=text)))
    with Project.create(tmp_path / "p.annotator") as project:
        import_paths(project, [path])
        win = shown(qtbot, MainWindow(project, "ana"), activate=True)
        open_doc(win, qtbot, "d")
        qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL)
        qtbot.keyClicks(win.find_bar.field, "senor")
        assert [text[s:e] for s, e in win.find_bar.matches] == ["Señor", unicodedata.normalize("NFD", "Señor"),
                                                                "señor"]
        for _ in range(3):
            qtbot.keyClick(win.view if win.view.hasFocus() else win.find_bar.field, Qt.Key.Key_F3)
            qtbot.keyClick(win.view, Qt.Key.Key_1)
        assert sorted(spans(win)) == sorted([("PERSON", text[s:e]) for s, e in find_all(text, "senor")])
        win.close()


def test_the_corpus_search_has_ctrl_shift_f_and_f1_lists_both(win, qtbot):
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL | SHIFT)
    qtbot.waitUntil(win.navigator.search.hasFocus)
    assert not win.find_bar.isVisible()
    rows = {(text, keys) for _menu, text, keys in overview_rows(MAIN, [])}
    assert ("&Find in the document…", "Ctrl+F") in rows
    assert ("&Search the corpus", "Ctrl+Shift+F") in rows
    assert ("Find ne&xt (select the match)", "F3") in rows


def test_a_query_matching_everywhere_stops_at_the_limit_and_says_so(tmp_path, qtbot):
    from annotator.core.records import DocumentRecord
    from annotator.formats import gold_jsonl
    from annotator.importer import import_paths
    from annotator.store.project import Project
    from annotator.ui.annotate.find_bar import MAX_FOUND

    path = tmp_path / "d.jsonl"
    path.write_bytes(gold_jsonl.dumps(DocumentRecord(id="many", lang="en", text="Na na. " * (MAX_FOUND // 2 + 500))))
    with Project.create(tmp_path / "p.annotator") as project:
        import_paths(project, [path])
        win = shown(qtbot, MainWindow(project, "ana"), activate=True)
        open_doc(win, qtbot, "many")
        qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL)
        qtbot.keyClicks(win.find_bar.field, "na")
        assert len(win.find_bar.matches) == MAX_FOUND
        assert f"{MAX_FOUND:,}+" in win.find_bar.count.text()
        win.close()
