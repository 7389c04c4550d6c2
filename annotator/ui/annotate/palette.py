"""The label palette: one compact row per schema label with its colour, its name, the
current document's span count and its key in a keycap. Clicking a row (or pressing Space
or Enter on a focused row) emits `labelClicked(name)`.

The rows scroll: the palette asks for room for all of them up to VISIBLE_ROWS and needs
only MIN_ROWS, so a schema of 70 labels (brat's) does not make the window taller than a
screen; every label is also reachable by the type-to-filter picker (label_picker.py)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from annotator.core.schema import Label, Schema
from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import plain_label, tooltip

SWATCH_SIZE = 14
VISIBLE_ROWS = 12  # shown without scrolling when there is room
MIN_ROWS = 4  # the least the palette shrinks to: the default schema's four labels stay in sight

_ROW_STYLE = """
#paletteRow { border-radius: 3px; }
#paletteRow:hover { background: palette(midlight); }
#paletteRow:focus { border: 1px solid palette(highlight); }
"""
_KEYCAP_STYLE = """
QLabel { border: 1px solid palette(mid); border-bottom-width: 2px; border-radius: 3px;
         background: palette(base); color: palette(text); padding: 0px 4px;
         font-family: monospace; }
"""


def swatch_pixmap(colour: str, size: int = SWATCH_SIZE) -> QPixmap:
    """A rounded square of `colour` with a darker outline, legible on light and dark themes."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor(colour)
    painter.setPen(fill.darker(160))
    painter.setBrush(fill)
    painter.drawRoundedRect(0.5, 0.5, size - 1, size - 1, 3, 3)
    painter.end()
    return pixmap


def swatch_icon(colour: str, size: int = SWATCH_SIZE) -> QIcon:
    return QIcon(swatch_pixmap(colour, size))


class ElidedLabel(QLabel):
    """Plain text shown as far as the room it is given, ending in '…'. It asks for no
    width of its own, so a long description never widens the palette or the window."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full = text
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setForegroundRole(QPalette.ColorRole.PlaceholderText)

    def resizeEvent(self, event) -> None:
        self.setText(self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideRight, self.width()))
        super().resizeEvent(event)


class PaletteRow(QFrame):
    """One label: swatch, name, its description as far as it fits, count, keycap."""

    clicked = Signal()

    def __init__(self, label: Label, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.setObjectName("paletteRow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(_ROW_STYLE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        tip = label.description or label.name
        how = f"Key: {label.key}" if label.key else "No key: pick it by name with Ctrl+L, or click it"
        self.setToolTip(tooltip(f"{tip}\n{how}"))
        self.setAccessibleName(f"{label.name}, key {label.key}" if label.key else f"{label.name}, no key")

        self.swatch = QLabel()
        self.swatch.setPixmap(swatch_pixmap(label.colour))
        self.name = plain_label(label.name)
        self.name.setFont(fonts.with_fallbacks(self.name.font()))
        # The definition beside the name, in the room the row has left: one line, so the
        # rows (and the palette's least height) are no taller than without it.
        self.description = ElidedLabel(label.description)
        self.description.setFont(self.name.font())
        self.count = QLabel("0")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count.setToolTip("Spans with this label in the current document")
        self.key = plain_label(label.key)
        self.key.setStyleSheet(_KEYCAP_STYLE)
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key.setMinimumWidth(self.key.fontMetrics().horizontalAdvance("M") + 12)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(6)
        layout.addWidget(self.swatch)
        layout.addWidget(self.name)
        layout.addWidget(self.description, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.key)
        policy = self.key.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the counts stay in one column
        self.key.setSizePolicy(policy)
        self.key.setVisible(bool(label.key))
        self.set_count(0)

    def set_count(self, n: int) -> None:
        self.count.setText(str(n))
        # A zero is shown, but quieter than a real count.
        self.count.setEnabled(n > 0)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mousePressEvent(self, event) -> None:
        # Accept the press so the release comes to this row, not to a parent.
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.clicked.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class LabelPalette(QWidget):
    labelClicked = Signal(str)

    def __init__(self, schema: Schema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, PaletteRow] = {}
        self.inner = QWidget()
        rows = QVBoxLayout(self.inner)
        rows.setContentsMargins(2, 2, 2, 2)
        rows.setSpacing(1)
        for label in schema.labels:
            row = PaletteRow(label, self.inner)
            row.clicked.connect(lambda name=label.name: self.labelClicked.emit(name))
            rows.addWidget(row)
            self.rows[label.name] = row
        rows.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.inner)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def _height_for(self, n: int) -> int:
        row = max((r.sizeHint().height() for r in self.rows.values()), default=0) + 1
        return min(n, len(self.rows)) * row + 6

    def sizeHint(self) -> QSize:
        width = self.inner.sizeHint().width() + self.scroll.verticalScrollBar().sizeHint().width()
        return QSize(width, self._height_for(VISIBLE_ROWS))

    def minimumSizeHint(self) -> QSize:
        return QSize(self.sizeHint().width(), self._height_for(MIN_ROWS))

    def show_row(self, name: str) -> None:
        """Scroll so the row of label `name` is in sight."""
        self.scroll.ensureWidgetVisible(self.rows[name])

    def set_counts(self, counts: dict[str, int]) -> None:
        """Per-label span counts of the current document; labels not given show 0.
        Counts of labels the schema doesn't know are ignored."""
        for name, row in self.rows.items():
            row.set_count(counts.get(name, 0))

    def count_text(self, name: str) -> str:
        return self.rows[name].count.text()
