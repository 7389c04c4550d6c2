"""The document view: read-only text with a caret, selection by mouse and keyboard,
and the keys that act on spans. It knows widget positions only; the workspace converts
them to code points (core.offsets) before anything reaches the store."""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QRegion,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextLayout,
    QTextLine,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.ui.document.long_paragraphs import for_display
from annotator.ui.document.relation_overlay import Arc, paint_arcs
from annotator.ui.document.tag_room import TagRoomLayout, tag_font, tag_height
from annotator.ui.widgets import fonts

# Zoom levels in points from the normal text size: never unreadably small, never one word a line.
ZOOM_LIMITS = (-6, 24)
# How near (pixels) the mouse must be to the selected span's start or end to drag it.
EDGE_REACH = 4



class SpanStyle(NamedTuple):
    """How characters of spans are drawn: the char format Qt's selections take, and the
    same read out once, for the one-pass paint of a line (reading a format's properties
    through the bindings on every paint cost more than drawing them)."""
    format: QTextCharFormat
    fill: QColor
    pen: QColor  # the text's colour on the fill
    underline: int  # NO_UNDERLINE, SOLID or WAVE
    underline_colour: QColor

    @classmethod
    def of(cls, fmt: QTextCharFormat) -> SpanStyle:
        style = fmt.underlineStyle()
        kind = NO_UNDERLINE if style == QTextCharFormat.UnderlineStyle.NoUnderline \
            else WAVE if style == QTextCharFormat.UnderlineStyle.WaveUnderline else SOLID
        return cls(fmt, fmt.background().color(), fmt.foreground().color(), kind, fmt.underlineColor())


NO_UNDERLINE, SOLID, WAVE = 0, 1, 2
# What the spans paint over characters lo..hi of a block (positions in the block):
# (start, end, style), sorted and none overlapping another (the highlighter's block_ranges).
SpanRun = tuple[int, int, SpanStyle]
SpanRanges = Callable[[QTextBlock, int, int], list[SpanRun]]
# Characters that may show a paragraph's characters out of their order: right-to-left
# letters (Hebrew to NKo, their presentation forms, the right-to-left planes) and the
# explicit direction marks, embeddings, overrides and isolates.
_REORDERED = re.compile("[\u0590-\u08ff\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufefc"
                        "\U00010800-\U00010fff\U0001e800-\U0001efff]")


@dataclass(frozen=True)
class Box:
    start: int  # widget positions
    end: int
    colour: str
    dashed: bool = False
    tag: str = ""
    width: float = 2.0


class DocumentView(QPlainTextEdit):
    labelKey = Signal(str)  # a label's key was pressed: its name
    deleteKey = Signal()
    cycleKey = Signal(bool)  # Tab (True) / Shift+Tab (False): next span under the caret
    clicked = Signal(int)  # a plain click (no drag) at this widget position
    wordRequested = Signal(int)  # a double-click at this widget position
    dragSelected = Signal()  # the mouse was released after dragging out a selection
    viewChanged = Signal()  # scrolled, resized or re-laid out: other blocks may show
    commandKey = Signal(str)  # a letter bound to an annotation command (see set_command_keys)
    edgeDragged = Signal(str, int)  # "start" / "end" of the outlined span dragged to this widget position
    acceptKey = Signal()  # Return or Enter: accept the suggestion at the caret

    def __init__(self, label_keys: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        document = QTextDocument(self)
        # Each paragraph's direction from its own text (Arabic, Persian, Hebrew right to left).
        option = document.defaultTextOption()
        option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
        document.setDefaultTextOption(option)
        self.tag_room = tag_height()
        document.setDocumentLayout(TagRoomLayout(document, self.tag_room))
        self.setDocument(document)
        self.painted_tags: list[tuple[QRectF, str]] = []  # where the last paint put each tag
        # key text -> label name; a label without a key ("") is picked by name, never by a key press
        self._label_keys = {key: name for key, name in label_keys.items() if key}
        self._outline: tuple[int, int] | None = None
        self._outline_parts: list[tuple[int, int]] | None = None
        self._overlays: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self._overlay_specs: dict[str, list[tuple[int, int, QTextCharFormat | None]]] = {}
        self._boxes: dict[str, list[Box]] = {}
        self._arcs: list[Arc] = []  # relations drawn over the text (relation_overlay)
        self._span_ranges: SpanRanges | None = None
        self._command_keys: dict[str, str] = {}
        self.long_paragraphs = False  # the text shown has a paragraph over LONGEST_WHOLE (in pieces, or not shown)
        self._press: QPoint | None = None
        # Dragging an edge of the outlined span (with edges_draggable): which, and the other end.
        self.edges_draggable = False
        self._edge: tuple[str, int] | None = None
        self._dragged: tuple[int, int] | None = None  # (start, end) under the mouse while dragging
        self._zoom = 0  # points above (below) the normal text size
        # What a tooltip says at a widget position ('' for none): the suggestion layer's.
        self.tooltip_at: Callable[[int], str] | None = None
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setFont(fonts.text_font())
        self.setCursorWidth(2)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.verticalScrollBar().valueChanged.connect(self.viewChanged)
        self.viewport().setMouseTracking(True)  # hovering an edge shows the resize cursor

    def zoom(self) -> int:
        return self._zoom

    def set_zoom(self, level: int) -> int:
        """The text `level` points larger (smaller if negative) than normal, within
        ZOOM_LIMITS; returns the level set."""
        self._zoom = max(ZOOM_LIMITS[0], min(ZOOM_LIMITS[1], level))
        font = fonts.text_font()
        font.setPointSizeF(font.pointSizeF() + self._zoom)
        self.setFont(font)
        return self._zoom

    def set_command_keys(self, keys: dict[str, str]) -> None:
        """Plain letters that emit commandKey(name) instead of moving the caret."""
        self._command_keys = dict(keys)

    def show_text(self, text: str, name: str = "this document") -> str:
        """Shows `text`; a paragraph too long to lay out at once is shown in pieces, or the
        text not at all (long_paragraphs). Returns a line for the user about that, or ''."""
        self._outline, self._outline_parts = None, None
        self._edge = self._dragged = None
        self._boxes.clear()
        self._arcs = []
        self._overlays.clear()
        self._overlay_specs.clear()
        self.setExtraSelections([])
        display = for_display(text)
        self.long_paragraphs = display.text is None or display.broken > 0
        note = display.note(name)
        # Shown in the empty view when the text cannot be: the reason, where the text would be.
        self.setPlaceholderText(note if display.text is None else "")
        self.setPlainText(display.text or "")
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        return note

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.viewChanged.emit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # Ctrl+wheel zoom: other blocks now show
            self.viewChanged.emit()

    def selection(self) -> tuple[int, int]:
        cursor = self.textCursor()
        return cursor.selectionStart(), cursor.selectionEnd()

    def clamp(self, pos: int) -> int:
        """`pos` within the shown text (which is empty when the text cannot be shown)."""
        return min(pos, self.document().characterCount() - 1)

    def select(self, start: int, end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self.clamp(start))
        cursor.setPosition(self.clamp(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def set_outline(self, span: tuple[int, int] | None, parts: list[tuple[int, int]] | None = None) -> None:
        """Outline the selected span (widget positions), or nothing; a discontinuous span
        is outlined on each of its `parts` (its fragments), its edges stay its outer bounds."""
        self._update_around(self._outline_parts or ([self._outline] if self._outline else []))
        self._outline = span
        self._outline_parts = parts if span is not None and parts else None
        self._update_around(self._outline_parts or ([span] if span else []))

    def _update_around(self, ranges: list[tuple[int, int]]) -> None:
        """Repaint the outline's rectangles around `ranges` (widget positions), nothing else."""
        for start, end in ranges:
            for rect in self._span_rects(start, end):
                self.viewport().update(rect.adjusted(-4, -3, 4, 3).toAlignedRect())

    def set_span_ranges(self, ranges: SpanRanges | None) -> None:
        """Where the spans' colours come from while a block is painted (the highlighter)."""
        self._span_ranges = ranges
        self.viewport().update()

    def repaint_range(self, start: int, end: int) -> None:
        """Repaint the lines that show widget positions start..end, and nothing else: a
        span's colours are drawn at paint time, so its edit lays nothing out again."""
        doc = self.document()
        offset = self.contentOffset()
        height, width = self.viewport().height(), self.viewport().width()
        block = doc.findBlock(start)
        while block.isValid() and block.position() <= max(start, end - 1):
            if block.isVisible():
                geom = self.blockBoundingGeometry(block).translated(offset)
                if geom.top() > height:
                    break
                layout = block.layout()
                lo, hi = start - block.position(), end - block.position()
                for i in range(_line_of(layout, lo), layout.lineCount() if geom.bottom() >= 0 else 0):
                    line = layout.lineAt(i)
                    if line.textStart() > hi:
                        break
                    if line.textStart() + line.textLength() >= lo:
                        top = geom.top() + line.y()
                        self.viewport().update(QRect(0, int(top) - 1, width, int(line.height()) + 3))
            block = block.next()

    def set_overlay(self, name: str, ranges: list[tuple[int, int]], fmt: QTextCharFormat | None = None,
                    formats: list[QTextCharFormat] | None = None) -> None:
        """Show a few ranges (widget positions) in `fmt` (or each in its own of `formats`)
        on top of the span colours, as the named layer `name` (replacing what that layer
        showed); no ranges clears it.

        Extra selections repaint the whole view on every change: fine for the handful of
        ranges an emphasised event or a list of suggestions needs, never for the spans
        themselves (those are the highlighter's). The same ranges again change nothing
        (the suggestions are shown again after every edit)."""
        spec = [(self.clamp(start), self.clamp(end), formats[i] if formats is not None else fmt)
                for i, (start, end) in enumerate(ranges)]
        if spec == self._overlay_specs.get(name, []):
            return
        self._overlay_specs[name] = spec
        selections = []
        for i, (start, end) in enumerate(ranges):
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.clamp(start))
            cursor.setPosition(self.clamp(end), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            sel.format = formats[i] if formats is not None else fmt if fmt is not None else QTextCharFormat()
            selections.append(sel)
        if selections:
            self._overlays[name] = selections
        else:
            self._overlays.pop(name, None)
        self.setExtraSelections([s for layer in self._overlays.values() for s in layer])

    def set_boxes(self, name: str, boxes: list[Box]) -> None:
        """Box ranges (widget positions) as the named layer, drawn over the text without
        changing its formats: an event's trigger and arguments, claim suggestions. The same
        boxes again repaint nothing; others repaint the lines of the boxes that went or came."""
        old = self._boxes.get(name, [])
        if list(boxes) == old:
            return
        if boxes:
            self._boxes[name] = list(boxes)
        else:
            self._boxes.pop(name, None)
        changed = set(old) ^ set(boxes)
        if len(changed) > 50:  # the lines of that many boxes would take longer than a whole repaint
            self.viewport().update()
            return
        width = self.viewport().width()
        for box in changed:  # with the room above each line, where a box's tag is drawn
            for rect in self._span_rects(box.start, box.end):
                self.viewport().update(QRect(0, int(rect.top() - self.tag_room) - 3, width,
                                             int(rect.height() + self.tag_room) + 6))

    def set_arcs(self, arcs: list[Arc]) -> None:
        """Relations to draw as arrows between spans (widget positions); [] draws none."""
        if list(arcs) != self._arcs:
            self._arcs = list(arcs)
            self.viewport().update()

    def arcs(self) -> list[Arc]:
        return list(self._arcs)

    def boxes(self, name: str) -> list[Box]:
        return list(self._boxes.get(name, []))

    def overlay(self, name: str) -> list[tuple[int, int]]:
        """The ranges (widget positions) the named overlay shows."""
        return [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in self._overlays.get(name, [])]

    # -- keys ----------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        # Tab would move the focus out of the view; here it walks the spans instead.
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self.cycleKey.emit(event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = not event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier)
        if plain and event.text() in self._label_keys:
            self.labelKey.emit(self._label_keys[event.text()])
            return
        if plain and event.text() and event.text() in self._command_keys:
            self.commandKey.emit(self._command_keys[event.text()])
            return
        if plain and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.deleteKey.emit()
            return
        if plain and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.acceptKey.emit()
            return
        super().keyPressEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.tooltip_at is not None and isinstance(event, QHelpEvent):
            text = self.tooltip_at(self.cursorForPosition(event.pos()).position())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    # -- mouse ---------------------------------------------------------------------
    def edge_at(self, point: QPoint) -> str | None:
        """"start" or "end" when `point` is within EDGE_REACH pixels of that edge of the
        outlined span, on its line (either edge's caret, in any direction of text)."""
        if not self.edges_draggable or self._outline is None:
            return None
        for name, pos in (("end", self._outline[1]), ("start", self._outline[0])):
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.clamp(pos))
            rect = self.cursorRect(cursor)
            if rect.top() <= point.y() <= rect.bottom() and abs(point.x() - rect.center().x()) <= EDGE_REACH:
                return name
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        edge = self.edge_at(self._press) if event.button() == Qt.MouseButton.LeftButton else None
        if edge is not None and self._outline is not None:
            # The text selection stays as it is: the drag moves the edge, shown by the outline.
            self._edge = (edge, self._outline[0] if edge == "end" else self._outline[1])
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._edge is not None:
            edge, fixed = self._edge
            pos = self.cursorForPosition(point).position()
            self._dragged = (fixed, pos) if edge == "end" else (pos, fixed)
            self.viewport().update()
            return
        if self.edge_at(point) is not None:
            self.viewport().setCursor(Qt.CursorShape.SizeHorCursor)
        elif self.viewport().cursor().shape() == Qt.CursorShape.SizeHorCursor:
            self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._edge is not None and event.button() == Qt.MouseButton.LeftButton:
            (edge, _fixed), self._edge, self._dragged = self._edge, None, None
            point = event.position().toPoint()
            self.viewport().update()
            if self._press is not None and (point - self._press).manhattanLength() < 4:
                self.clicked.emit(self.cursorForPosition(point).position())  # a click on the edge
            else:
                self.edgeDragged.emit(edge, self.cursorForPosition(point).position())
            self._press = None
            return
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            if (event.position().toPoint() - self._press).manhattanLength() < 4 \
                    and not self.textCursor().hasSelection():
                self.clicked.emit(self.cursorForPosition(event.position().toPoint()).position())
            elif self.textCursor().hasSelection():
                self.dragSelected.emit()
        self._press = None

    def dragged_extent(self) -> tuple[int, int] | None:
        """While an edge is dragged: the extent (widget positions) it would give the span."""
        return None if self._dragged is None else (min(self._dragged), max(self._dragged))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # Qt's own word selection is replaced by UAX #29 words from core (whole Bengali words).
        self.wordRequested.emit(self.cursorForPosition(event.position().toPoint()).position())

    # -- boxes and the selected span's outline ------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        self._paint_text(event)
        self.painted_tags = []
        if self._outline is None and not self._boxes and self._dragged is None and not self._arcs:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Only boxes that reach the screen: a long document may have thousands.
        first = self.firstVisibleBlock().position()
        corner = self.cursorForPosition(QPoint(self.viewport().width() - 1, self.viewport().height() - 1)).block()
        last = corner.position() + corner.length()
        if self._arcs:  # under the boxes and their tags, which say what each end is
            paint_arcs(painter, self._arcs, self._span_rects, self.tag_room, self.painted_tags)
        for layer in self._boxes.values():
            for box in layer:
                if box.end < first or box.start > last:
                    continue
                pen = QPen(QColor(box.colour), box.width)
                pen.setStyle(Qt.PenStyle.DashLine if box.dashed else Qt.PenStyle.SolidLine)
                painter.setPen(pen)
                rects = self._span_rects(box.start, box.end)
                for rect in rects:
                    painter.drawRoundedRect(rect.adjusted(-2, -1, 2, 1), 3, 3)
                if box.tag and rects:
                    self._draw_tag(painter, rects[0], box)
        if self._outline is not None:
            painter.setPen(QPen(QColor("#202020"), 2))
            for part in self._outline_parts or [self._outline]:
                for rect in self._span_rects(*part):
                    painter.drawRoundedRect(rect.adjusted(-1, 0, 1, 0), 3, 3)
        extent = self.dragged_extent()
        if extent is not None:  # where the dragged edge would put the span, before the release
            pen = QPen(QColor("#1565c0"), 2)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            for rect in self._span_rects(*extent):
                painter.drawRoundedRect(rect.adjusted(-3, -2, 3, 2), 3, 3)
        painter.end()

    # -- the text, with the spans' colours ----------------------------------------
    def _paint_text(self, event: QPaintEvent) -> None:
        """QPlainTextEdit's paint, block by block as Qt does it (contentOffset,
        layout.draw with selections, the caret by layout.drawCursor), with the spans'
        ranges drawn as selections under the extra selections and the user's. Each line
        in the repainted region is drawn on its own with the ranges on it: a selection
        redraws every line `draw` is given, so a block of 180 spans would be drawn 180 times."""
        painter = QPainter(self.viewport())
        doc = self.document()
        offset = QPointF(self.contentOffset())
        region = event.region()
        er = QRect(event.rect())
        viewport = self.viewport().rect()
        doc_width = doc.documentLayout().documentSize().width()
        painter.setBrushOrigin(offset)  # where a wavy underline's wave starts
        # The right margin stays clean of full-width selections, as in Qt.
        er.setRight(min(er.right(), int(offset.x() + max(viewport.width(), doc_width)
                                        - doc.documentMargin() + self.cursorWidth())))
        painter.setClipRect(er)
        if doc.isEmpty() and self.placeholderText():
            painter.setPen(self.palette().placeholderText().color())
            margin = int(doc.documentMargin())
            painter.drawText(QRectF(viewport.adjusted(margin, margin, 0, 0)),
                             Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, self.placeholderText())
        context = self.getPaintContext()
        text_pen = context.palette.text().color()
        painter.setPen(text_pen)
        # Copies: the context's selections are gone once it is (and their formats with them).
        extra = [(s.cursor.selectionStart(), s.cursor.selectionEnd(), QTextCharFormat(s.format))
                 for s in context.selections if s.cursor.hasSelection()]
        caret = context.cursorPosition if (not self.isReadOnly() or self.textInteractionFlags()
                                           & Qt.TextInteractionFlag.TextSelectableByKeyboard) else -1
        metrics = QFontMetricsF(doc.defaultFont())  # where underlines go
        block = self.firstVisibleBlock()
        while block.isValid():
            r = self.blockBoundingRect(block).translated(offset)
            if block.isVisible() and r.bottom() >= er.top() and r.top() <= er.bottom():
                self._paint_block(painter, block, offset, r, region, extra, metrics)
                if block.position() <= caret < block.position() + block.length():
                    painter.setPen(text_pen)
                    block.layout().drawCursor(painter, offset, caret - block.position(), self.cursorWidth())
            offset.setY(offset.y() + r.height())
            if offset.y() > viewport.height():
                break
            block = block.next()
        painter.end()

    def _paint_block(self, painter: QPainter, block: QTextBlock, offset: QPointF, r: QRectF, region,
                     extra: list[tuple[int, int, QTextCharFormat]], metrics: QFontMetricsF) -> None:
        layout = block.layout()
        top = offset.y() + layout.position().y()
        width = max(r.width(), self.viewport().width())
        count = layout.lineCount()
        bounds = region.boundingRect()
        # The lines from the first whose bottom reaches the region to the last whose top does.
        first = bisect_left(range(count), bounds.top() - 1,
                            key=lambda n: top + layout.lineAt(n).y() + layout.lineAt(n).height())
        last = bisect_right(range(count), bounds.bottom() + 1, key=lambda n: top + layout.lineAt(n).y())
        # Each line with its clip, from halfway to the line above to halfway to the next: every
        # pixel is one line's, so no glyph is drawn twice (draw() also draws the line just
        # above its clip, and a glyph may reach into the room between lines).
        lines = []
        for n in range(first, last):
            line = layout.lineAt(n)
            y, h = top + line.y(), line.height()
            if not region.intersects(QRect(0, int(y) - 1, int(width), int(h) + 3)):
                continue
            above = r.top() if n == 0 else (top + layout.lineAt(n - 1).y() + layout.lineAt(n - 1).height() + y) / 2
            below = r.bottom() if n == count - 1 else (y + h + top + layout.lineAt(n + 1).y()) / 2
            lines.append((line, QRectF(r.left(), above, width, below - above)))
        if not lines:
            return
        b0, length = block.position(), block.length()
        lo, hi = lines[0][0].textStart(), lines[-1][0].textStart() + lines[-1][0].textLength()
        spans = self._span_ranges(block, lo, hi) if self._span_ranges is not None else []
        starts = [s for s, _e, _style in spans]
        ends = [e for _s, e, _style in spans]
        mine = [(max(s - b0, 0), min(e - b0, length), f) for s, e, f in extra if s - b0 < length and e > b0]
        # Without right-to-left text a line shows its characters in their order, so a range's
        # fill is the stretch between its two carets.
        in_order = _REORDERED.search(block.text()) is None
        origin = QPointF(offset.x() + layout.position().x(), top)  # where the lines' positions count from
        pen = painter.pen().color()
        painter.save()
        for line, clip in lines:
            a, b = line.textStart(), line.textStart() + line.textLength()
            on_line = spans[bisect_right(ends, a):bisect_left(starts, b)]
            shown = [(s, e, fmt) for s, e, fmt in mine if s <= b and e > a]
            clip = clip.intersected(QRectF(bounds))
            painter.setClipRect(clip)
            if in_order and not shown:
                _paint_line(painter, line, origin, on_line, clip, pen, metrics)
                continue
            # The user's selection, an overlay or reordered text on the line: Qt's selections,
            # each drawn over the line again (slower, and on a few lines only).
            selections = [format_range(s, e - s, style.format) for s, e, style in on_line]
            for s, e, fmt in shown:
                selections += _over_spans(spans, starts, s, e, fmt)
            layout.draw(painter, offset, selections, clip)
        painter.restore()

    def _draw_tag(self, painter: QPainter, rect: QRectF, box: Box) -> None:
        """A label (a role or type name) in the room above the box's first line, where no
        text is; moved right past a tag already drawn there."""
        painter.setFont(tag_font())
        metrics = painter.fontMetrics()
        w, h = metrics.horizontalAdvance(box.tag) + 8, min(metrics.height() + 2, self.tag_room - 1)
        tag = QRectF(rect.left() - 2, rect.top() - 1 - h, w, h)
        for placed, _text in self.painted_tags:
            if placed.intersects(tag):
                tag.moveLeft(placed.right() + 2)
        if tag.right() > self.viewport().width():  # pushed off the right edge: left of the others
            tag.moveRight(self.viewport().width() - 1)
            for placed, _text in sorted(self.painted_tags, key=lambda p: -p[0].left()):
                if placed.intersects(tag):
                    tag.moveRight(placed.left() - 2)
        painter.fillRect(tag, QColor(box.colour))
        painter.setPen(QColor("white"))
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, box.tag)
        self.painted_tags.append((tag, box.tag))

    def _span_rects(self, start: int, end: int) -> list[QRectF]:
        rects = []
        doc = self.document()
        block = doc.findBlock(start)
        offset = self.contentOffset()
        while block.isValid() and block.position() < end:
            if block.isVisible():
                geom = self.blockBoundingGeometry(block).translated(offset)
                if geom.top() > self.viewport().height():
                    break
                layout = block.layout()
                lo, hi = max(start, block.position()) - block.position(), min(end, block.position() + block.length()) - block.position()
                for i in range(_line_of(layout, lo), layout.lineCount()):  # the lines from lo's to hi's
                    line = layout.lineAt(i)
                    if line.textStart() >= hi:
                        break
                    a, b = max(lo, line.textStart()), min(hi, line.textStart() + line.textLength())
                    if a >= b:
                        continue
                    r = line.rect()
                    for x1, x2 in _glyph_extents(line, a, b):
                        rects.append(QRectF(x1, r.top(), x2 - x1, r.height()).translated(geom.topLeft()))
            block = block.next()
        return rects


def _line_of(layout: QTextLayout, pos: int) -> int:
    """The number of the line of `layout` that shows position `pos` of its block (0 before
    the first): a long paragraph has dozens, and a span is on one or two."""
    line = layout.lineForTextPosition(max(pos, 0))
    return line.lineNumber() if line.isValid() else 0


def _paint_line(painter: QPainter, line: QTextLine, origin: QPointF, ranges: list[SpanRun],
                clip: QRectF, pen: QColor, metrics: QFontMetricsF) -> None:
    """One line whose characters show in their order, with the spans on it: each range's
    fill from caret to caret, then the line's text in one draw (its glyphs as shaped for
    the whole line, so a colour edge splits no cluster), in the span's text colour where
    that differs, then the underlines of nested spans. A Qt selection per range would draw
    the line once per range, through a clip path: 1-2 ms a line of the 1 MB document."""
    a, b = line.textStart(), line.textStart() + line.textLength()
    y, h = origin.y() + line.y(), line.height()
    pens: dict[int, tuple[QColor, QRegion]] = {}  # other text colours, where they are
    underlined = []
    left = origin.x()
    for start, end, style in ranges:
        x1, x2 = line.cursorToX(max(start, a))[0], line.cursorToX(min(end, b))[0]
        rect = QRectF(left + min(x1, x2), y, abs(x2 - x1), h)
        painter.fillRect(rect.toAlignedRect(), style.fill)  # as Qt fills a format's background
        if style.pen != pen:
            key = style.pen.rgba()
            where = pens[key][1] if key in pens else QRegion()
            pens[key] = (style.pen, where.united(rect.toRect()))
        if style.underline:
            underlined.append((rect, style))
    at = QPointF(origin.x(), origin.y())
    if not pens:
        line.draw(painter, at)
    else:  # each colour's glyphs clipped to where it is: one pixel drawn in one colour only
        whole = QRegion(clip.toRect())
        rest = whole
        for colour, where in pens.values():
            rest = rest.subtracted(where)
            painter.setClipRegion(whole.intersected(where))
            painter.setPen(colour)
            line.draw(painter, at)
        painter.setClipRegion(rest)
        painter.setPen(pen)
        line.draw(painter, at)
        painter.setClipRect(clip)
    baseline = y + line.ascent()
    for rect, style in underlined:
        _underline(painter, rect.left(), rect.right(), baseline, style, metrics)


def _underline(painter: QPainter, x1: float, x2: float, baseline: float, style: SpanStyle,
               metrics: QFontMetricsF) -> None:
    """A nested span's underline where Qt draws one (QPainter's text decoration): a line
    just under the baseline, or a wave of the same size as Qt's."""
    pen = QPen(style.underline_colour)
    painter.save()
    if style.underline == WAVE:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = math.floor(max(1.0, min(max(metrics.underlinePos(), 1.0), (metrics.descent() - 1) / 2)) * 2) / 2
        half = max(2.0, radius * 1.61803399)
        # Qt's wave starts at multiples of its period from x = 0, whatever the range's start.
        x = math.floor(x1 / (2 * half)) * 2 * half
        y = baseline + 1 + radius
        path = QPainterPath(QPointF(x, y))
        sign = -1
        while x < x2:
            path.quadTo(x + half / 2, y + sign * radius, x + half, y)
            x += half
            sign = -sign
        height = min(math.ceil(2 * radius), math.floor(metrics.descent() - 1))  # Qt's tile, cut at the descent
        painter.setClipRect(QRectF(x1, baseline + 1, x2 - x1, height), Qt.ClipOperation.IntersectClip)
        pen.setCapStyle(Qt.PenCapStyle.SquareCap)
        painter.setPen(pen)
        painter.drawPath(path)
    else:
        pen.setWidthF(metrics.lineWidth())
        painter.setPen(pen)
        y = baseline + math.ceil(metrics.underlinePos()) + 0.5
        painter.drawLine(QPointF(x1, y), QPointF(x2, y))
    painter.restore()


def _over_spans(spans: list[SpanRun], starts: list[int], s: int, e: int,
                fmt: QTextCharFormat) -> list[QTextLayout.FormatRange]:
    """An extra selection (s..e in the block) in pieces: over a span, the span's format
    merged with the selection's (what Qt did when the spans were char formats: the
    selection's colours over them, the span's text pen and underline where it sets none)."""
    out, pos = [], s
    for rs, re_, style in spans[max(bisect_left(starts, s) - 1, 0):bisect_left(starts, e)]:
        if re_ <= pos:
            continue
        if rs > pos:
            out.append(format_range(pos, rs - pos, fmt))
        merged = QTextCharFormat(style.format)
        merged.merge(fmt)
        a, b = max(rs, pos), min(re_, e)
        out.append(format_range(a, b - a, merged))
        pos = b
    if pos < e:
        out.append(format_range(pos, e - pos, fmt))
    return out


def format_range(start: int, length: int, fmt: QTextCharFormat) -> QTextLayout.FormatRange:
    r = QTextLayout.FormatRange()
    r.start, r.length, r.format = start, length, fmt
    return r


def _glyph_extents(line, a: int, b: int) -> list[tuple[float, float]]:
    """Where characters a..b of a line are drawn, left to right. In mixed-direction text
    (a Latin name in Arabic) they may lie in pieces: each glyph run's own extent, joined
    where they touch, never the stretch between the two ends' carets."""
    runs = sorted((run.boundingRect().left(), run.boundingRect().right()) for run in line.glyphRuns(a, b - a))
    merged: list[tuple[float, float]] = []
    for x1, x2 in runs:
        if merged and x1 <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], x2))
        else:
            merged.append((x1, x2))
    if not merged:  # nothing drawn (white space only): between the carets
        x1, x2 = line.cursorToX(a)[0], line.cursorToX(b)[0]
        merged = [(min(x1, x2), max(x1, x2))]
    return merged
