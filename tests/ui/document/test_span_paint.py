"""Issue 18: spans are painted by the view from the highlighter's marks, as selections of
QTextLayout.draw; an edit lays no paragraph out again (a QSyntaxHighlighter's char formats
made Qt shape the whole paragraph again: 5-14 ms in the 1 MB document) and repaints only
the lines of its span, which show the new colour at once."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QRegion, QTextLayout, QTextLine
from PySide6.QtWidgets import QApplication

from annotator.core.offsets import OffsetMap
from annotator.ui.app.main_window import MainWindow
from annotator.ui.document.highlighter import Mark, SpanHighlighter
from annotator.ui.document.view import DocumentView
from annotator.ui.widgets.theme import apply_theme, text_on
from tests.ui.helpers import open_doc, painted_colours, shown

EN = "004_8ff92d06c738168c"


class PaintRegions(QObject):
    """The regions of the paint events a widget gets."""

    def __init__(self, widget) -> None:
        super().__init__(widget)
        self.regions: list[QRegion] = []
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.regions.append(QRegion(event.region()))
        return False


@pytest.fixture
def win(qtbot, project):
    w = shown(qtbot, MainWindow(project, "ana"), activate=True)
    w.resize(1200, 800)
    return w


def span_rect(view, start: int, end: int) -> QRect:
    return view._span_rects(start, end)[0].toAlignedRect()


def test_a_label_key_lays_out_no_paragraph_again_and_shows_the_span_at_once(win, qtbot, project):
    open_doc(win, qtbot, EN)
    view = win.view
    view.viewport().repaint()
    text = win.workspace.text
    d = win.workspace.omap.to_display
    nato = text.index("NATO")
    start, end = d(nato), d(nato + 4)
    layout_changes = []
    view.document().documentLayout().update.connect(lambda rect: layout_changes.append(rect))
    view.document().documentLayout().updateBlock.connect(lambda block: layout_changes.append(block))
    lines_before = view.document().findBlock(start).layout().lineCount()
    view.select(start, end)
    qtbot.waitUntil(lambda: True)  # the selection's own repaint is not the edit's
    paints = PaintRegions(view.viewport())
    qtbot.keyClick(view, "2")  # ORG
    rect = span_rect(view, start, end)
    qtbot.waitUntil(lambda: any(r.contains(rect) for r in paints.regions))

    assert layout_changes == []  # no block laid out again
    block = view.document().findBlock(start)
    assert block.layout().formats() == [] and block.layout().lineCount() == lines_before
    org = next(lab.colour for lab in project.schema.labels if lab.key == "2")
    assert painted_colours(view, [start + 1, end - 1]) == [QColor(org)] * 2

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo: unpainted at once
    assert painted_colours(view, [start + 1])[0] == view.palette().base().color()
    assert layout_changes == []


@pytest.fixture
def dark():
    apply_theme("dark", remember=False)
    yield
    apply_theme("light", remember=False)


def test_text_on_a_fill_takes_the_dark_pen_in_the_dark_theme(dark, win, qtbot, project):
    open_doc(win, qtbot, EN)
    view = win.view
    text = win.workspace.text
    d = win.workspace.omap.to_display
    nato = text.index("NATO")
    view.select(d(nato), d(nato + 4))
    qtbot.keyClick(view, "2")
    view.select(d(nato), d(nato))  # no selection over it
    win.workspace.select_span(None)
    org = QColor(next(lab.colour for lab in project.schema.labels if lab.key == "2"))
    image = view.viewport().grab().toImage()
    inside = span_rect(view, d(nato), d(nato + 4)).adjusted(1, 1, -1, -1)
    pixels = [image.pixelColor(x, y) for x in range(inside.left(), inside.right()) for y in range(inside.top(), inside.bottom())]
    darkest = min(pixels, key=lambda c: c.lightness())
    assert darkest.lightness() < 60 and text_on(org).lightness() < 60  # glyphs in the pen that reads on the fill
    word = text.index("Headquarters") if "Headquarters" in text else text.index(" ", nato + 5) + 1
    outside = span_rect(view, d(word), d(word + 4))
    pixels = [image.pixelColor(x, y) for x in range(outside.left(), outside.right())
              for y in range(outside.top(), outside.bottom())]
    assert max(c.lightness() for c in pixels) > 180  # unlabelled text keeps the theme's light pen


def test_a_mark_added_relabelled_or_removed_repaints_the_lines_of_its_span_only(qtbot):
    view = DocumentView({})
    highlighter = SpanHighlighter(view, {"ORG": "#9ecae1", "PERSON": "#fdae6b"})
    text = "\n".join(f"Paragraph {i}: NATO met the EU in Brussels, and ক্ষমতা রাস্তার." for i in range(40))
    omap = OffsetMap.for_text(text)
    highlighter.set_marks([], omap, repaint=False)
    view.show_text(text)
    view.resize(700, 500)
    shown(qtbot, view)
    block = view.document().findBlockByNumber(3)
    nato = block.position() + block.text().index("NATO")
    view.select(nato, nato)  # a blinking caret repaints its own place: on that line
    paints = PaintRegions(view.viewport())
    view.viewport().repaint()
    QApplication.processEvents()
    steps = [lambda: highlighter.add(Mark(nato, nato + 4, "ORG", "s1")),
             lambda: highlighter.relabel("s1", "PERSON"),
             lambda: highlighter.remove("s1")]
    colours = [QColor("#9ecae1"), QColor("#fdae6b"), view.palette().base().color()]
    rect = span_rect(view, nato, nato + 4)
    line = view.blockBoundingGeometry(block).translated(view.contentOffset())
    for step, colour in zip(steps, colours):
        paints.regions.clear()
        step()
        qtbot.waitUntil(lambda: any(r.contains(rect) for r in paints.regions))
        painted = QRegion()
        for region in paints.regions:
            painted = painted.united(region)
        bounds = painted.boundingRect()
        assert line.top() - 2 <= bounds.top() and bounds.bottom() <= line.bottom() + 2  # that line only
        assert painted_colours(view, [nato + 1]) == [colour]


def _spans_view(qtbot, text: str, words: dict[str, str]) -> DocumentView:
    """A view of `text` with every occurrence of each word of `words` marked in its label."""
    view = DocumentView({})
    highlighter = SpanHighlighter(view, {"ORG": "#9ecae1", "PERSON": "#fdae6b"})
    marks = [Mark(m.start(), m.end(), label, f"{word}{m.start()}")
             for word, label in words.items() for m in re.finditer(word, text)]
    highlighter.set_marks(marks, OffsetMap.for_text(text), repaint=False)
    view.show_text(text)
    view.resize(700, 500)
    view.setCursorWidth(0)  # no caret drawn over a line (it is drawn apart from the lines)
    return shown(qtbot, view)


class Draws:
    """The calls of QTextLayout.draw (Qt's selections) and QTextLine.draw (one line drawn) while
    the view paints: each line drawn once is one QTextLine.draw at its own place."""

    def __init__(self, monkeypatch) -> None:
        self.layouts = 0
        self.lines: list[tuple[float, float]] = []  # (the layout's top on screen, the line's y in it)
        layout_draw, line_draw = QTextLayout.draw, QTextLine.draw

        def on_layout(layout, *args):
            self.layouts += 1
            return layout_draw(layout, *args)

        def on_line(line, painter, at):
            self.lines.append((at.y(), line.y()))
            return line_draw(line, painter, at)

        monkeypatch.setattr(QTextLayout, "draw", on_layout)
        monkeypatch.setattr(QTextLine, "draw", on_line)


def test_a_page_scrolled_to_draws_each_line_once_over_the_fills_of_its_spans(qtbot, monkeypatch):
    # Long paragraphs of many lines, a span every few words (the 1 MB document's kind): the
    # lines of a page scrolled to are drawn once each, the text over the fills; a Qt selection
    # per span drew each line again per span (1-2 ms a line: 27-37 ms a page).
    paragraph = " ".join(f"word{j} NATO met ক্ষমতা রাস্তার" for j in range(40))
    text = "\n".join(f"{i}: {paragraph}" for i in range(20))
    view = _spans_view(qtbot, text, {"NATO": "ORG", "ক্ষমতা": "PERSON"})
    bar = view.verticalScrollBar()
    bar.setValue(3 * bar.pageStep())
    draws = Draws(monkeypatch)
    image = view.viewport().grab().toImage()  # one paint of the whole page

    assert draws.layouts == 0  # no line drawn through Qt's selections
    assert draws.lines and len(set(draws.lines)) == len(draws.lines)  # no line drawn twice
    cursor = view.cursorForPosition(QPoint(view.viewport().width() // 2, view.viewport().height() // 2))
    block = cursor.block()
    at = block.position() + block.text().index("NATO", cursor.positionInBlock())
    line = block.layout().lineForTextPosition(at - block.position())
    local = block.text()[line.textStart():line.textStart() + line.textLength()]
    nato = block.position() + line.textStart() + local.index("NATO")
    bengali = block.position() + line.textStart() + local.index("ক্ষমতা")
    met = nato + len("NATO ")
    assert painted_colours(view, [nato + 1, nato + 3, bengali + 1, met, met + 1]) == \
        [QColor("#9ecae1")] * 2 + [QColor("#fdae6b")] + [view.palette().base().color()] * 2
    for start, end in ((nato, nato + 4), (bengali, bengali + len("ক্ষমতা"))):  # the glyphs over the fill
        rect = span_rect(view, start, end).adjusted(1, 1, -1, -1)
        darkest = min((image.pixelColor(x, y) for x in range(rect.left(), rect.right())
                       for y in range(rect.top(), rect.bottom())), key=lambda c: c.lightness())
        assert darkest.lightness() < 80


def test_a_right_to_left_line_and_a_selected_line_keep_qt_s_selections(qtbot, monkeypatch):
    # Characters out of their order (Arabic) or the user's selection on a line: Qt's
    # selections draw that line (a fill from caret to caret would cover the wrong letters).
    text = "مرحبا بالعالم في بغداد اليوم\nNATO met the EU in Brussels today"
    view = _spans_view(qtbot, text, {"بغداد": "ORG", "NATO": "PERSON"})
    draws = Draws(monkeypatch)
    view.viewport().grab()
    assert draws.layouts == 1 and len(draws.lines) == 1  # the Arabic line through Qt, the other on its own
    baghdad, nato = text.index("بغداد"), text.index("NATO")
    assert painted_colours(view, [baghdad + 1, baghdad + 3, text.index("اليوم") + 1]) == \
        [QColor("#9ecae1")] * 2 + [view.palette().base().color()]
    view.select(nato, nato + 2)
    draws.layouts, draws.lines = 0, []
    view.viewport().grab()
    assert draws.layouts == 2 and draws.lines == []
    assert painted_colours(view, [nato + 3]) == [QColor("#fdae6b")]  # the span beyond the selection
    assert painted_colours(view, [nato + 1])[0] != QColor("#fdae6b")  # the selection over it


def test_a_long_span_id_in_the_inspector_leaves_the_text_its_width(win, qtbot, project):
    """Ids from other tools' files are as long as they are (and new ids are 29 characters):
    the inspector naming the selected span must not widen the side column, which narrowed
    the text and laid the whole document out again on the edit."""
    from annotator.store.spans import SpanData, add_spans

    open_doc(win, qtbot, EN)
    view, ws = win.view, win.workspace
    nato = ws.text.index("NATO")
    uid = "brat-T" + "7" * 120
    add_spans(project, [SpanData(uid, ws.doc_id, "ana", nato, nato + 4, "ORG")])
    ws.sync_from_store()
    qtbot.waitUntil(lambda: True)
    width = view.viewport().width()
    ws.select_span(uid)
    qtbot.waitUntil(lambda: uid in win.inspector.title.text())
    for _ in range(5):
        QApplication.processEvents()
    assert view.viewport().width() == width
