"""Right-to-left news (issue 17): an Arabic paragraph with Arabic-Indic and Western
digits, harakat and Latin names, a Persian and a Hebrew line. Selected by keyboard and by
double-click and labelled; stored spans equal the words; figures get their value;
paragraphs are laid out right to left from the right edge; boxes sit on the right glyphs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt

from annotator.core.records import DocumentRecord
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store import spans as span_ops
from annotator.store.project import Project
from annotator.ui.app.main_window import MainWindow
from tests.ui.helpers import open_doc, shown

SHIFT = Qt.KeyboardModifier.ShiftModifier
ARABIC = (
    "قال الأمين العام لحلف شمال الأطلسي مارك روته، في مؤتمر صحفي عقده في بروكسل يوم ١٣ يونيو ٢٠٢٣، "
    "إن الحلف سيرسل ٤٬٠٠٠ جندي إضافي إلى كوسوفو. وأضاف أن بعثة KFOR التي يقودها الجنرال "
    "Angelo Michele Ristuccia تضم حاليًا 3,700 عسكري من ٢٧ دولة، وأن ميزانيتها ارتفعت بنسبة ٣٫٥٪ "
    "خلال عام 2022. وأكّد المتحدث باسم الاتحاد الأوروبي Peter Stano أنّ الحوار سيُستأنف الأسبوع المقبل.\n"
    "به گزارش خبرگزاری ایرنا، ۴۰۰ نیروی تازه به کوزوو اعزام شدند.\n"
    "לפי הדיווח, 4,000 חיילים של נאט\"ו נשלחו לקוסובו.\n")


@pytest.fixture
def win(qtbot, tmp_path):
    path = tmp_path / "ar.jsonl"
    path.write_bytes(gold_jsonl.dumps(DocumentRecord(id="ar-1", lang="ar", text=ARABIC)))
    with Project.create(tmp_path / "rtl.annotator") as project:
        import_paths(project, [path])
        w = MainWindow(project, "ana")
        w.resize(1360, 820)  # the line breaks these glyph positions were worked out on, whatever the screen
        w = shown(qtbot, w, activate=True)
        open_doc(w, qtbot, "ar-1")
        yield w
        w.close()


def point_of(win, cp: int, after: bool = True) -> QPoint:
    """A point on the glyph of code point `cp`: beside its caret on the side the text runs."""
    cursor = win.view.textCursor()
    cursor.setPosition(win.workspace.omap.to_display(cp))
    rect = win.view.cursorRect(cursor)
    rtl = cursor.block().textDirection() == Qt.LayoutDirection.RightToLeft
    return QPoint(rect.center().x() + (-3 if rtl == after else 3), rect.center().y())


def stored(win) -> list[tuple[str, str, str | None]]:
    with win.project.read() as conn:
        return [(m.label, ARABIC[m.start:m.end], span_ops.get_span(conn, m.uid).value) for m in win.workspace.spans()]


def test_rtl_paragraphs_run_from_the_right_edge(win):
    view = win.view
    for number in (0, 1, 2):  # Arabic (several lines), Persian and Hebrew (one short line each)
        block = view.document().findBlockByNumber(number)
        assert block.textDirection() == Qt.LayoutDirection.RightToLeft
        cursor = view.textCursor()
        cursor.setPosition(block.position())  # the caret before the paragraph's first letter
        assert view.cursorRect(cursor).x() > view.viewport().width() * 0.9, f"paragraph {number} starts at the left"


def test_select_a_word_by_shift_arrows_and_label_it(win, qtbot):
    word = "روته"
    at = ARABIC.index(word)
    cursor = win.view.textCursor()
    cursor.setPosition(win.workspace.omap.to_display(at))
    win.view.setTextCursor(cursor)
    before = win.view.cursorRect().x()
    for _ in word:  # Left runs forward through Arabic: the caret moves left on screen
        qtbot.keyClick(win.view, Qt.Key.Key_Left, SHIFT)
    assert win.view.cursorRect().x() < before
    qtbot.keyClick(win.view, Qt.Key.Key_1)
    assert stored(win) == [("PERSON", word, None)]


def test_double_click_takes_whole_words_with_harakat_and_labels_them(win, qtbot):
    for word, key in (("وأكّد", "1"), ("سيُستأنف", "2"), ("حاليًا", "1")):
        at = ARABIC.index(word)
        qtbot.mouseDClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(win, at + 1))
        s, e = win.workspace.to_code_points(*win.view.selection())
        assert ARABIC[s:e] == word
        qtbot.keyClick(win.view, key)
    assert sorted(text for _l, text, _v in stored(win)) == sorted(["وأكّد", "سيُستأنف", "حاليًا"])


def test_figures_inside_arabic_text_get_their_value(win, qtbot):
    for figure in ("٤٬٠٠٠", "3,700", "٢٧"):
        at = ARABIC.index(figure)
        qtbot.mouseDClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(win, at + 1))
        s, e = win.workspace.to_code_points(*win.view.selection())
        assert ARABIC[s:e] == figure
        qtbot.keyClick(win.view, "3")
    assert sorted((t, v) for _l, t, v in stored(win)) == sorted([("٤٬٠٠٠", "4000"), ("3,700", "3700"), ("٢٧", "27")])


def test_latin_name_inside_arabic_is_selected_labelled_and_outlined_on_its_glyphs(win, qtbot):
    name = "Angelo Michele Ristuccia"
    at = ARABIC.index(name)
    d = win.workspace.omap.to_display
    win.view.select(d(at), d(at + len(name)))
    qtbot.keyClick(win.view, Qt.Key.Key_1)
    assert stored(win) == [("PERSON", name, None)]
    # A span running from the Latin name into the Arabic word after it: its outline covers
    # exactly those glyphs (in two pieces on screen), not the words between their carets.
    mixed = name + " تضم"
    win.view.select(d(at), d(at + len(mixed)))
    qtbot.keyClick(win.view, Qt.Key.Key_2)
    uid = next(m.uid for m in win.workspace.spans() if ARABIC[m.start:m.end] == mixed)
    win.workspace.select_span(uid)
    rects = win.view._span_rects(d(at), d(at + len(mixed)))

    def inside(cp):  # the middle of the glyph of code point cp
        p = point_of(win, cp)
        return any(QRectF(r).adjusted(-1, -1, 1, 1).contains(p) for r in rects)

    for i in range(len(mixed)):
        if not mixed[i].isspace():
            assert inside(at + i), f"{mixed[i]!r} of the span is outside its outline"
    outside = ARABIC.index("حاليًا")  # the word after the span: not inside its outline
    assert not inside(outside + 1)
