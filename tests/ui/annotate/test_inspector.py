from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.values import DATE_PROBLEM, FIGURE_PROBLEM
from annotator.store.spans import SpanData
from annotator.ui.annotate.inspector import SpanInspector, code_points, offsets_text, reveal
from tests.ui.helpers import shown

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def inspector(qtbot, schema):
    return shown(qtbot, SpanInspector(schema), activate=True)


@pytest.fixture
def emitted(inspector):
    """Every signal the inspector emits, as (signal name, args)."""
    log: list[tuple] = []
    inspector.labelChosen.connect(lambda *a: log.append(("labelChosen", a)))
    inspector.valueEdited.connect(lambda *a: log.append(("valueEdited", a)))
    inspector.noteEdited.connect(lambda *a: log.append(("noteEdited", a)))
    return log


def span(label="PERSON", value=None, note=None, uid="s1", start=10, end=14) -> SpanData:
    return SpanData(uid, 1, "tester", start, end, label, value, note)


def test_reveal_makes_invisible_characters_visible():
    assert reveal("Mircea Geoană") is None
    assert reveal("Mircea\u00a0Geoană") == "Mircea⍽Geoană"
    assert reveal("👨\u200d👩\u200cx") == "👨[ZWJ]👩[ZWNJ]x"
    assert reveal("one\r\ntwo\n") == "one[CR]↵two↵"
    assert reveal(" lead") == "·lead"
    assert reveal("a\u2060b\u0007") == "a[WJ]b[U+0007]"
    assert "U+00A0  NO-BREAK SPACE" in code_points("a\u00a0b")
    assert code_points("x" * 50, limit=3).endswith("… and 47 more")
    assert offsets_text(3, 4) == "3–4 (1 character)"


def test_shows_text_and_code_point_offsets_of_a_span_with_nbsp_and_emoji(inspector, emitted):
    text = "«\u00a0Geoană 😀\u00a0»"
    inspector.show_span(span(start=7, end=7 + len(text)), text)
    assert len(text) == 12  # the emoji is one code point (two UTF-16 units)
    assert inspector.offsets.text() == "7–19 (12 characters)"
    assert inspector.text_view.text() == text
    assert inspector.revealed.isVisible()
    assert inspector.revealed.text() == "«⍽Geoană·😀⍽»"
    assert "U+1F600  GRINNING FACE" in inspector.text_view.toolTip()
    assert inspector.label_combo.currentText() == "PERSON"
    assert inspector.form.isEnabled()
    assert "s1" in inspector.title.text()
    assert emitted == []


def test_plain_text_has_no_revealed_line(inspector):
    inspector.show_span(span(), "NATO")
    assert not inspector.revealed.isVisible()


def test_choosing_a_label_by_keyboard_emits_label_chosen(inspector, emitted, qtbot):
    inspector.show_span(span(label="PERSON"), "NATO")
    inspector.label_combo.setFocus()
    with qtbot.waitSignal(inspector.labelChosen) as blocker:
        qtbot.keyClick(inspector.label_combo, Qt.Key.Key_Down)
    assert blocker.args == ["s1", "ORG"]
    assert inspector.label_combo.currentText() == "ORG"
    assert emitted == [("labelChosen", ("s1", "ORG"))]
    assert all(inspector.label_combo.itemIcon(i).isNull() is False for i in range(inspector.label_combo.count()))


def test_typing_a_value_and_enter_emits_once(inspector, emitted, qtbot):
    inspector.show_span(span(label="DATE"), "13 June 2023")
    assert inspector.value_edit.placeholderText() == "ISO date, e.g. 2023-06-13"
    qtbot.mouseClick(inspector.value_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(inspector.value_edit, "2023-06-13")
    assert emitted == []  # not per keystroke
    qtbot.keyClick(inspector.value_edit, Qt.Key.Key_Return)
    assert emitted == [("valueEdited", ("s1", "2023-06-13"))]
    qtbot.mouseClick(inspector.note_edit.viewport(), Qt.MouseButton.LeftButton)  # focus-out: nothing new
    qtbot.waitUntil(inspector.note_edit.hasFocus)
    assert emitted == [("valueEdited", ("s1", "2023-06-13"))]
    assert not inspector.value_hint.isVisible()


def test_value_is_committed_on_focus_out(inspector, emitted, qtbot):
    inspector.show_span(span(label="FIGURE"), "4,000")
    assert inspector.value_edit.placeholderText() == "number, e.g. 4000"
    qtbot.mouseClick(inspector.value_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(inspector.value_edit, "4000")
    qtbot.mouseClick(inspector.note_edit.viewport(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: emitted != [])
    assert emitted == [("valueEdited", ("s1", "4000"))]


def test_invalid_date_shows_hint_and_emits_nothing(inspector, emitted, qtbot):
    inspector.show_span(span(label="DATE"), "13 June")
    qtbot.mouseClick(inspector.value_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(inspector.value_edit, "13 June")
    qtbot.keyClick(inspector.value_edit, Qt.Key.Key_Return)
    assert inspector.value_hint.isVisible()
    assert inspector.value_hint.text() == DATE_PROBLEM
    qtbot.mouseClick(inspector.note_edit.viewport(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(inspector.note_edit.hasFocus)
    assert emitted == []
    # Correcting it clears the hint and commits.
    qtbot.mouseClick(inspector.value_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClick(inspector.value_edit, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(inspector.value_edit, "2023-06")
    assert not inspector.value_hint.isVisible()
    qtbot.keyClick(inspector.value_edit, Qt.Key.Key_Return)
    assert emitted == [("valueEdited", ("s1", "2023-06"))]


def test_invalid_figure_shows_hint(inspector, emitted, qtbot):
    inspector.show_span(span(label="FIGURE"), "4 000")
    qtbot.keyClicks(inspector.value_edit, "4 000")
    qtbot.keyClick(inspector.value_edit, Qt.Key.Key_Return)
    assert inspector.value_hint.text() == FIGURE_PROBLEM and inspector.value_hint.isVisible()
    assert emitted == []


def test_clearing_a_value_emits_none(inspector, emitted, qtbot):
    inspector.show_span(span(label="DATE", value="2023"), "2023")
    assert inspector.value_edit.text() == "2023"
    qtbot.mouseClick(inspector.value_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClick(inspector.value_edit, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(inspector.value_edit, Qt.Key.Key_Delete)
    qtbot.keyClick(inspector.value_edit, Qt.Key.Key_Return)
    assert emitted == [("valueEdited", ("s1", None))]


def test_note_is_committed_by_ctrl_enter_once(inspector, emitted, qtbot):
    inspector.show_span(span(), "NATO")
    qtbot.mouseClick(inspector.note_edit.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(inspector.note_edit, "check the")
    qtbot.keyClick(inspector.note_edit, Qt.Key.Key_Return)  # a plain Enter is a new line
    qtbot.keyClicks(inspector.note_edit, "«\u00a0» spacing")
    assert emitted == []
    qtbot.keyClick(inspector.note_edit, Qt.Key.Key_Return, CTRL)
    assert emitted == [("noteEdited", ("s1", "check the\n«\u00a0» spacing"))]  # NBSP kept
    qtbot.mouseClick(inspector.value_edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(inspector.value_edit.hasFocus)
    assert len(emitted) == 1


def test_show_span_emits_nothing_and_pending_edit_goes_to_the_old_span(inspector, emitted, qtbot):
    inspector.show_span(span(label="DATE", value="2023", note="n"), "2023")
    inspector.show_span(span(label="FIGURE", value="4000", uid="s2"), "4000")
    assert emitted == []
    qtbot.keyClicks(inspector.value_edit, "0")  # 40000, typed but not committed
    inspector.show_span(span(uid="s3"), "NATO")
    assert emitted == [("valueEdited", ("s2", "40000"))]
    assert inspector.value_edit.text() == ""


def test_show_none_disables_the_inspector(inspector, emitted, qtbot):
    inspector.show_span(span(value="x", note="y"), "NATO")
    inspector.show_span(None)
    assert inspector.title.text() == "No span selected"
    assert not inspector.form.isEnabled()
    assert not inspector.label_combo.isEnabled() and not inspector.value_edit.isEnabled()
    assert inspector.value_edit.text() == "" and inspector.note_edit.toPlainText() == ""
    assert inspector.offsets.text() == "" and inspector.text_view.text() == ""
    qtbot.keyClick(inspector.label_combo, Qt.Key.Key_Down)
    assert emitted == []


def test_a_label_missing_from_the_schema_is_shown(inspector):
    inspector.show_span(span(label="EVENTISH"), "x")
    assert inspector.label_combo.currentText() == "EVENTISH (not in schema)"
    inspector.show_span(span(label="ORG"), "x")
    assert inspector.label_combo.findData("EVENTISH") == -1
