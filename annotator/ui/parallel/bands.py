"""The gutter between two panes: each alignment block is a band joining its sentences on
the left to its sentences on the right, so a reader sees which text answers which even
when the translations break lines differently. Links between spans of the two documents
are thin lines across it. A crossing link (two sentences that translate each other out
of order, each untranslated in the monotone blocks) is a hatched violet band that
crosses the others, drawn over them. Clicking a band makes its block current; right-click offers the
alignment edits.

Blocks are in code points; the panes turn them into pixels at paint time, so the bands
follow scrolling, zooming, re-wrapping and the gutter's width (a splitter handle on
either side widens it) without being told. BandLegend names the colours."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from annotator.core.records import Block
from annotator.ui.parallel.panes import ParallelPane

FILLS = (QColor(70, 130, 200, 55), QColor(60, 170, 110, 55))  # alternate, so neighbours differ
CURRENT = QColor(230, 140, 20, 110)
UNTRANSLATED = QColor(200, 40, 40, 90)
CROSSING = QColor(140, 60, 190, 120)
EDGE = 4.0
GUTTER = 140  # wide enough that crossing bands of reordered translations stay apart
MIN_GUTTER = 48


class AlignmentBands(QWidget):
    blockClicked = Signal(int)
    contextMenu = Signal(int, QPoint)  # block index (-1: none), global position

    def __init__(self, left: ParallelPane, right: ParallelPane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.left, self.right = left, right
        self.blocks: list[Block] = []
        self.stored = False  # False: the aligner's suggestion, not saved yet (dashed)
        self.current: int | None = None
        self.crossings: list[Block] = []  # crossing links, oriented (left, right)
        self.links: list[tuple[tuple[int, int], tuple[int, int], str]] = []  # left range, right range, colour
        self.setMinimumWidth(MIN_GUTTER)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        for pane in (left, right):
            pane.view.viewChanged.connect(self.update)
            pane.view.cursorPositionChanged.connect(self.update)

    def sizeHint(self) -> QSize:
        return QSize(GUTTER, 200)

    def set_alignment(self, blocks: list[Block], stored: bool) -> None:
        self.blocks, self.stored = list(blocks), stored
        if self.current is not None and self.current >= len(self.blocks):
            self.current = len(self.blocks) - 1 if self.blocks else None
        self.update()

    def set_crossings(self, crossings: list[Block]) -> None:
        self.crossings = list(crossings)
        self.update()

    def set_current(self, index: int | None) -> None:
        if index != self.current:
            self.current = index
            self.update()

    def set_links(self, links: list[tuple[tuple[int, int], tuple[int, int], str]]) -> None:
        self.links = links
        self.update()

    # -- geometry ------------------------------------------------------------------------
    def _y(self, pane: ParallelPane, y: int) -> float:
        return float(self.mapFromGlobal(pane.view.viewport().mapToGlobal(QPoint(0, y))).y())

    def band(self, i: int) -> QPainterPath:
        """The band of block i in this widget's coordinates."""
        return self._band(self.blocks[i])

    def crossing_band(self, n: int) -> QPainterPath:
        """The band of crossing link n in this widget's coordinates."""
        return self._band(self.crossings[n])

    def visible_crossings(self, ranges: tuple[tuple[int, int], tuple[int, int]] | None = None) -> list[int]:
        """Crossing links with an end on screen, or one end above it and the other below."""
        (l0, l1), (r0, r1) = ranges or (self.left.visible_range(), self.right.visible_range())

        def where(start: int, end: int, lo: int, hi: int) -> int:
            return -1 if end < lo else 1 if start > hi else 0

        return [n for n, c in enumerate(self.crossings)
                if not (where(c.a_start, c.a_end, l0, l1) == where(c.b_start, c.b_end, r0, r1) != 0)]

    def _band(self, b: Block) -> QPainterPath:
        lt, lb = (self._y(self.left, y) for y in self.left.y_range(b.a_start, b.a_end))
        rt, rb = (self._y(self.right, y) for y in self.right.y_range(b.b_start, b.b_end))
        if b.a_start == b.a_end:  # nothing on the left: a wedge to where it would be
            lt = lb = (lt + lb) / 2
        if b.b_start == b.b_end:
            rt = rb = (rt + rb) / 2
        w, mid = float(self.width()), self.width() / 2
        path = QPainterPath(QPointF(0, lt))
        path.cubicTo(QPointF(mid, lt), QPointF(mid, rt), QPointF(w, rt))
        path.lineTo(QPointF(w, rb))
        path.cubicTo(QPointF(mid, rb), QPointF(mid, lb), QPointF(0, lb))
        path.closeSubpath()
        return path

    def visible_blocks(self, ranges: tuple[tuple[int, int], tuple[int, int]] | None = None) -> list[int]:
        """Blocks with text on screen on either side (a range test in code points, so
        a long document costs no pixel geometry for the blocks out of view)."""
        (l0, l1), (r0, r1) = ranges or (self.left.visible_range(), self.right.visible_range())
        return [i for i, b in enumerate(self.blocks)
                if (b.a_start <= l1 and b.a_end >= l0) or (b.b_start <= r1 and b.b_end >= r0)]

    def visible_links(self, ranges: tuple[tuple[int, int], tuple[int, int]] | None = None) -> list:
        """Links whose line may cross the visible gutter: an end on screen, or one end
        above and the other below (the same test in code points as for blocks)."""
        (l0, l1), (r0, r1) = ranges or (self.left.visible_range(), self.right.visible_range())

        def where(cp: int, lo: int, hi: int) -> int:
            return -1 if cp < lo else 1 if cp > hi else 0

        out = []
        for link in self.links:
            a, b = where(link[0][0], l0, l1), where(link[1][0], r0, r1)
            if not (a == b != 0):  # both above or both below: nothing of it shows
                out.append(link)
        return out

    def block_at(self, point: QPoint) -> int:
        for i in self.visible_blocks():
            if self.band(i).contains(QPointF(point)):
                return i
        return -1

    # -- painting and mouse -----------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().window())
        if self.left.row is not None and self.right.row is not None:
            self._paint(painter)
        painter.end()

    def _paint(self, painter: QPainter) -> None:
        outline = QPen(QColor(60, 60, 60, 150), 1, Qt.PenStyle.SolidLine if self.stored else Qt.PenStyle.DashLine)
        ranges = self.left.visible_range(), self.right.visible_range()
        # The current block last, so that its outline is on top of its neighbours'.
        for i in sorted(self.visible_blocks(ranges), key=lambda i: i == self.current):
            b = self.blocks[i]
            empty = b.a_start == b.a_end or b.b_start == b.b_end
            fill = CURRENT if i == self.current else UNTRANSLATED if empty else FILLS[i % 2]
            painter.setPen(QPen(QColor(20, 20, 20), 2) if i == self.current else outline)
            painter.setBrush(fill)
            path = self.band(i)
            painter.drawPath(path)
            # Solid bars along both edges show each side's extent where bands cross.
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(fill.red(), fill.green(), fill.blue(), 200))
            for x, (top, bottom) in ((0.0, _edge(path, 0.0)), (self.width() - EDGE, _edge(path, self.width()))):
                painter.drawRect(QRectF(x, top, EDGE, max(2.0, bottom - top)))
        for n in self.visible_crossings(ranges):
            painter.setPen(QPen(CROSSING.darker(160), 2, Qt.PenStyle.SolidLine))
            painter.setBrush(CROSSING)
            painter.drawPath(self.crossing_band(n))
            painter.setBrush(QBrush(CROSSING.darker(180), Qt.BrushStyle.BDiagPattern))
            painter.drawPath(self.crossing_band(n))
        for (ls, _le), (rs, _re), colour in self.visible_links(ranges):
            ly = sum(self._y(self.left, y) for y in self.left.y_range(ls, ls)) / 2
            ry = sum(self._y(self.right, y) for y in self.right.y_range(rs, rs)) / 2
            if max(ly, ry) < 0 or min(ly, ry) > self.height():
                continue
            painter.setPen(QPen(QColor(colour).darker(170), 2))
            painter.drawLine(QPointF(0, ly), QPointF(self.width(), ry))
            painter.setBrush(QColor(colour).darker(170))
            for x, y in ((3.0, ly), (self.width() - 3.0, ry)):
                painter.drawEllipse(QRectF(x - 3, y - 3, 6, 6))
        if not self.stored and self.blocks:
            painter.setPen(QColor(90, 90, 90))
            painter.drawText(self.rect().adjusted(2, 2, -2, -2),
                             Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter, "suggested")

    def mousePressEvent(self, event) -> None:
        i = self.block_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and i >= 0:
            self.blockClicked.emit(i)
        elif event.button() == Qt.MouseButton.RightButton:
            if i >= 0:
                self.blockClicked.emit(i)
            self.contextMenu.emit(i, event.globalPosition().toPoint())


class BandLegend(QWidget):
    """What the gutter's colours and lines mean, in one line under the panes."""

    ENTRIES = (("block (sentences that translate each other)", FILLS[0]), ("next block", FILLS[1]),
               ("current block", CURRENT), ("untranslated", UNTRANSLATED),
               ("crossing link (translated out of order)", CROSSING))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self.swatches: dict[str, QColor] = {}
        for text, colour in self.ENTRIES:
            self._entry(layout, text, colour)
        self._entry(layout, "link between spans", QColor(90, 90, 90), line=True)
        layout.addWidget(QLabel("dashed outline: the aligner's suggestion, not saved yet"))
        layout.addStretch(1)

    def _entry(self, layout: QHBoxLayout, text: str, colour: QColor, line: bool = False) -> None:
        swatch = _Swatch(colour, line)
        layout.addWidget(swatch)
        layout.addWidget(QLabel(text))
        layout.addSpacing(10)
        self.swatches[text] = colour


class _Swatch(QWidget):
    def __init__(self, colour: QColor, line: bool) -> None:
        super().__init__()
        self.colour, self.line = colour, line
        self.setFixedSize(22, 12)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        if self.line:
            painter.setPen(QPen(self.colour, 2))
            painter.drawLine(0, 6, 22, 6)
        else:
            painter.fillRect(self.rect(), QColor(self.colour.red(), self.colour.green(), self.colour.blue(), 200))
        painter.end()


def _edge(path: QPainterPath, x: float) -> tuple[float, float]:
    """Top and bottom of a band where it meets the pane at `x` (its first or last points)."""
    ys = [path.elementAt(i).y for i in range(path.elementCount()) if abs(path.elementAt(i).x - x) < 0.5]
    return (min(ys), max(ys)) if ys else (0.0, 0.0)
