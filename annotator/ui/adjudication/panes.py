"""The text panes of the adjudication window: one read-only view per annotator's layer
and the editable gold view, each under a header, scrolled together.

Positions given to the views are widget positions, converted from code points with the
document's OffsetMap here and nowhere else in the window.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from annotator.core.offsets import OffsetMap
from annotator.ui.document.highlighter import Mark, SpanHighlighter
from annotator.ui.document.view import DocumentView
from annotator.ui.widgets import fonts

OVERLAY = "disagreement"  # the selected disagreement
OPEN_OVERLAY = "open"  # every disagreement not decided yet


def region_format() -> QTextCharFormat:
    """The place in question: red text with a dashed red underline, over the label colours
    (which stay visible, so each annotator's label still shows)."""
    fmt = QTextCharFormat()
    fmt.setForeground(QColor("#a00018"))
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
    fmt.setUnderlineColor(QColor("#d0021b"))
    return fmt


def open_format() -> QTextCharFormat:
    """Places still to decide, seen at a glance while scrolling: a dotted underline."""
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    fmt.setUnderlineColor(QColor("#d0021b"))
    return fmt


class Pane(QWidget):
    """A header line over a DocumentView."""

    def __init__(self, view: DocumentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.header = QLabel()
        self.header.setFont(fonts.with_fallbacks(self.header.font()))
        self.header.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addWidget(view, 1)
        self.omap = OffsetMap.for_text("")

    def set_header(self, html: str) -> None:
        """`html` is rich text: data in it must be escaped (plain.esc)."""
        self.header.setText(html)

    def show_place(self, start: int, end: int, outline: tuple[int, int] | None, select: bool = False) -> None:
        """Emphasise [start, end) (code points), draw a box around `outline`, centre the place; with
        `select`, select its text (so a label key makes it a span)."""
        d0, d1 = self.omap.to_display(start), self.omap.to_display(end)
        self.view.set_overlay(OVERLAY, [])  # re-added last, so it is drawn over the open places
        self.view.set_overlay(OVERLAY, [(d0, d1)], region_format())
        self.view.set_outline(None if outline is None else
                              (self.omap.to_display(outline[0]), self.omap.to_display(outline[1])))
        cursor = self.view.textCursor()
        cursor.setPosition(self.view.clamp(d0))
        if select:
            cursor.setPosition(self.view.clamp(d1), QTextCursor.MoveMode.KeepAnchor)
        self.view.setTextCursor(cursor)
        self.view.centerCursor()

    def show_open(self, ranges: list[tuple[int, int]]) -> None:
        """Underline the places (code points) still to decide."""
        self.view.set_overlay(OPEN_OVERLAY, [(self.omap.to_display(s), self.omap.to_display(e)) for s, e in ranges],
                              open_format())


class LayerPane(Pane):
    """One annotator's layer, read only: label keys do nothing here."""

    def __init__(self, colours: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(DocumentView({}), parent)
        self.highlighter = SpanHighlighter(self.view, colours)

    def show_layer(self, text: str, omap: OffsetMap, marks: list[Mark]) -> None:
        self.omap = omap
        self.highlighter.set_marks(marks, omap, repaint=False)
        self.view.show_text(text)  # the view paints the marks of the lines it shows


class ScrollSync(QObject):
    """Keeps the panes' vertical scroll positions equal: the same text at the same width
    lays out the same, so equal positions show the same lines."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views: list[DocumentView] = []
        self._busy = False

    def set_views(self, views: list[DocumentView]) -> None:
        new = [v for v in views if v not in self._views]  # views kept from before are connected
        self._views = list(views)
        for view in new:
            view.verticalScrollBar().valueChanged.connect(lambda value, v=view: self._follow(v, value))

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Each pane centres the place itself (panes of other heights need other values)."""
        self._busy = True
        try:
            yield
        finally:
            self._busy = False

    def _follow(self, source: DocumentView, value: int) -> None:
        if self._busy or source not in self._views:
            return
        self._busy = True
        try:
            for view in self._views:
                if view is not source:
                    view.verticalScrollBar().setValue(value)
        finally:
            self._busy = False
