"""Room above every line of the document view for the role and type tags of events and
claims, so a tag never covers a glyph of the line above (nor is cut off on the first).

QPlainTextEdit's layout ignores a block's line height and margins, so this layout moves
each line of a block down by TAG_ROOM times its number once the block is laid out; the
block's bounding rectangle (which the view uses to paint, hit-test and scroll) follows
from the moved lines. A right-to-left paragraph is aligned right there too. Every caller asks for the bounding rectangle before it draws a
block, and a freshly laid-out block (lines back at the top) is moved again right there.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QTextBlock, QTextDocument
from PySide6.QtWidgets import QApplication, QPlainTextDocumentLayout


def tag_font() -> QFont:
    """The tags' font: the UI's, a little smaller (never under 8 pt), bold to stay legible
    on a coloured ground."""
    font = QFont(QApplication.font())
    font.setPointSizeF(max(8.0, font.pointSizeF() - 0.5))
    font.setBold(True)
    return font


def tag_height() -> float:
    return QFontMetricsF(tag_font()).height() + 2


class TagRoomLayout(QPlainTextDocumentLayout):
    def __init__(self, document: QTextDocument, room: float) -> None:
        super().__init__(document)
        self.room = room  # pixels above each line

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)  # lays the block out if it is not
        layout = block.layout()
        count = layout.lineCount() if layout is not None else 0
        if count and layout.lineAt(0).y() < self.room / 2:  # just laid out: not moved yet
            if block.textDirection() == Qt.LayoutDirection.RightToLeft:
                # The plain-text layout aligns every paragraph left; Arabic, Persian and
                # Hebrew ones start at the right edge. Alignment applies when lines are drawn.
                option = layout.textOption()
                option.setAlignment(Qt.AlignmentFlag.AlignRight)
                layout.setTextOption(option)
            for i in range(count):
                line = layout.lineAt(i)
                line.setPosition(QPointF(line.x(), line.y() + self.room * (i + 1)))
            rect = super().blockBoundingRect(block)
        return rect
