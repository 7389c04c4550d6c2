"""Issue 18: spans are painted by the view from the highlighter's marks, as selections of
QTextLayout.draw; an edit lays no paragraph out again (a QSyntaxHighlighter's char formats
made Qt shape the whole paragraph again: 5-14 ms in the 1 MB document) and repaints only
the lines of its span, which show the new colour at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QColor, QRegion
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
