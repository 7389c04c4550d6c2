"""The dashboard's plot panels and the pyqtgraph helpers its figures are drawn with.

pyqtgraph is imported here and only here: the other dashboard modules take `pg` from this
module, so that its Qt binding is chosen before pyqtgraph is first imported.
"""

from __future__ import annotations

import os
from html import escape

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSimpleTextItem,
    QLabel,
    QLayout,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

# pyqtgraph picks its Qt binding when first imported: PySide6 (already imported above)
# and nothing else, even if the environment names another binding.
os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
import pyqtgraph as pg

from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import esc, plain_label, quiet, rich_label

if pg.Qt.QT_LIB != "PySide6":  # pragma: no cover - another binding was imported first
    raise ImportError(f"pyqtgraph is bound to {pg.Qt.QT_LIB}, the application to PySide6")

MAX_VALUE_TEXTS = 60  # numbers written above bars, when there are few bars


class Panel(QWidget):
    """A titled plot that can give way to a message ("needs two annotators ...").

    Its size is the dashboard grid's share alone, whatever its legend and note say: a
    figure that arrives with a longer note must not re-lay out the grid, which resized
    every other plot of the window and had each lay out its axes again in Python (a
    100 ms pause at 100,000 documents). `minimum_height` sets the least it may have.
    """

    def __init__(self, title: str, plot: pg.PlotWidget) -> None:
        super().__init__()
        self.title = rich_label(f"<b>{esc(title)}</b>")
        self.title.setFont(fonts.with_fallbacks(self.title.font(), 11))
        self.plot = plot
        self.message = plain_label()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setFont(fonts.with_fallbacks(self.message.font(), 11))
        self.message.setStyleSheet("color: palette(text); background: palette(base); border: 1px solid palette(mid);")
        self.stack = QStackedWidget()
        self.stack.addWidget(plot)
        self.stack.addWidget(self.message)
        self.note = plain_label()
        self.note.setWordWrap(True)
        self.note.setFont(fonts.with_fallbacks(self.note.font(), 9))
        quiet(self.note)
        # Outside the plot, so it never hides a bar.
        self.legend = QLabel()
        self.legend.setFont(fonts.with_fallbacks(self.legend.font(), 10))
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        for label in (self.title, self.legend):  # both may wrap: no minimum width for the window
            label.setWordWrap(True)
            label.setMinimumWidth(60)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # its minimum: not the texts'
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.legend)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.note)

    def hasHeightForWidth(self) -> bool:
        return False  # its word-wrapped labels' heights stay inside it

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def set_plot_minimum_height(self, pixels: int) -> None:
        """The plot at least `pixels` high, the panel with room for its title and a two-line note."""
        self.plot.setMinimumHeight(pixels)
        chrome = self.title.fontMetrics().lineSpacing() + 2 * self.note.fontMetrics().lineSpacing() + 14
        if self.minimumHeight() != pixels + chrome:
            self.setMinimumHeight(pixels + chrome)

    def set_legend(self, entries) -> None:
        """(colour, text) or (colour, text, symbol) pairs, drawn as coloured squares."""
        # Lines break between entries only.
        self.legend.setVisible(bool(entries))
        self.legend.setText("&nbsp; ".join(
            f'<span style="color:{e[0]}; font-size:13pt">{e[2] if len(e) > 2 else "■"}</span>&nbsp;'
            + escape(e[1]).replace(" ", "&nbsp;") for e in entries))

    def show_message(self, text: str, note: str = "") -> None:
        self.set_legend([])
        self.message.setText(text)
        self.note.setText(note)
        self.stack.setCurrentWidget(self.message)

    def show_plot(self, note: str = "") -> None:
        self.note.setText(note)
        self.stack.setCurrentWidget(self.plot)

    @property
    def showing_message(self) -> bool:
        return self.stack.currentWidget() is self.message


def plot_widget(axis_items: dict | None = None) -> pg.PlotWidget:
    plot = pg.PlotWidget(background="w", axisItems=axis_items)
    item = plot.getPlotItem()
    tick_font = fonts.with_fallbacks(QFont(), 10)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen("#333"))
        axis.setTextPen(pg.mkPen("#111"))
        axis.setTickFont(tick_font)
    item.setMouseEnabled(False, False)
    item.hideButtons()
    item.setMenuEnabled(False)
    item.showGrid(x=False, y=False)
    item.disableAutoRange()  # every figure sets its ranges: no bounds of every item recomputed as it is added
    return plot




def integer_ticks(axis, maximum: float, most: int = 8) -> None:
    """Whole-number ticks (documents, spans) from 0 to `maximum`: steps of 1, 2, 5, 10, ..."""
    step = 1
    while maximum / step > most:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if maximum / step <= most:
                break
    axis.setTicks([[(float(v), f"{v:,}") for v in range(0, int(maximum) + 1, step)]])


def add_bars(plot: pg.PlotWidget, name: str | None, colour: str, **kw) -> pg.BarGraphItem:
    pen = pg.mkPen(QColor(colour).darker(160), width=1)
    bars = pg.BarGraphItem(brush=kw.pop("brush", pg.mkBrush(colour)), pen=pen, **kw)
    plot.addItem(bars)
    return bars


def add_value_texts(plot: pg.PlotWidget, xs, tops, texts, slot: float, x_span: float) -> None:
    """Numbers above bars `slot` data units wide, on an x axis `x_span` units long; none
    when there are too many or one would be wider than its bar."""
    if len(texts) > MAX_VALUE_TEXTS or not texts:
        return
    font = fonts.with_fallbacks(QFont(), 8)
    widest = max(QFontMetrics(font).horizontalAdvance(t) for t in texts)
    if widest > slot / x_span * max(100, plot.width() - 70):  # 70 px: the left axis and margins
        return
    add_texts(plot, [(float(x), float(top), text) for x, top, text in zip(xs, tops, texts)], font, (0.5, 1.0))


def add_texts(plot: pg.PlotWidget, placed, font: QFont, anchor: tuple[float, float]) -> None:
    """(x, y, text) written at data points, upright and unscaled, the point at `anchor`
    of each text ((0.5, 1): its bottom centre). Plain Qt text items under one group:
    pyqtgraph's TextItem, an item of the view each, cost the window 1 ms apiece."""
    group = pg.ItemGroup()
    plot.addItem(group, ignoreBounds=True)
    metrics = QFontMetrics(font)
    colour = QBrush(QColor("#111"))
    for x, y, text in placed:
        item = QGraphicsSimpleTextItem(text, group)
        item.setFont(font)
        item.setBrush(colour)
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        item.setPos(x, y)
        # In pixels (the item ignores the view's scale): the anchor onto the point, 2 px clear of it.
        width, height = metrics.horizontalAdvance(text), metrics.height()
        item.setTransform(QTransform.fromTranslate(-anchor[0] * width, -anchor[1] * height - 2 * anchor[1]))
