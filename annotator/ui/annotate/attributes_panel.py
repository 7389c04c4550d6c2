"""A list of the attributes the schema declares for one item (a span, an event, a claim,
an argument) or for the document (its labels: topic, genre, publication date), each
edited with the keyboard.

Keys in the list: 1–9 edit that attribute at once; Enter, Space or F2 edit the current
one; Del clears it; Esc goes back to the text. An enumeration opens a picker (its values
by key, or type to filter), a boolean toggles, a number, date, text or URL opens an entry
that refuses, with the schema's reason, what the store would refuse. A value not set
shows the default in grey; a required one not set is a reminder in amber. The panel only
shows and asks: the values come from, and edits go to, its controller
(attribute_targets.py).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.schema import Attribute
from annotator.ui.widgets import fonts
from annotator.ui.widgets.choice_popup import Choice, ChoicePopup
from annotator.ui.widgets.plain import esc, plain_label, quiet, rich_label, tooltip

NAME = Qt.ItemDataRole.UserRole  # the attribute's name, on each row
DEFAULT_GREY, REMINDER = "#808080", "#b26a00"
_INTEGER = re.compile(r"[+-]?\d+")


def shown_value(value: Any) -> str:
    """A value as the list shows it: booleans as yes / no, the rest as written."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def parse_entry(attr: Attribute, text: str) -> tuple[Any, str | None]:
    """(the value typed for `attr`, why it is refused or None): a number is read as an
    integer when it is one, else as a decimal; other kinds stay text, stripped."""
    text = text.strip()
    if not text:
        return None, "empty: Del in the list clears a value"
    value: Any = text
    if attr.kind == "number":
        try:
            value = int(text) if _INTEGER.fullmatch(text) else float(text)
        except ValueError:
            return None, f"expected a number (like 12 or 3.5), got {text!r}"
    return value, attr.problem(value)


class ValueEntry(QDialog):
    """One line for a number, date, text or URL attribute; Enter takes it only if the
    schema accepts it, otherwise the reason shows under the line and the entry stays."""

    def __init__(self, title: str, attr: Attribute, current: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.attr, self.value = attr, None
        self.line = QLineEdit("" if current is None else str(current))
        self.line.setFont(fonts.with_fallbacks(self.line.font()))
        self.line.setPlaceholderText({"date": "YYYY-MM-DD, YYYY-MM or YYYY", "url": "https://…",
                                      "number": "a number"}.get(attr.kind, "text"))
        self.hint = plain_label()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #c62828;")
        self.hint.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(rich_label(f"<b>{esc(title)}</b>"))
        if attr.guidance:
            guide = plain_label(attr.guidance)
            guide.setWordWrap(True)
            layout.addWidget(guide)
        layout.addWidget(self.line)
        layout.addWidget(self.hint)
        layout.addWidget(plain_label("Enter takes it, Esc cancels"))
        self.line.returnPressed.connect(self._take)
        self.line.textEdited.connect(lambda _t: self.hint.hide())
        self.resize(440, self.sizeHint().height())

    def _take(self) -> None:
        value, problem = parse_entry(self.attr, self.line.text())
        if problem is not None:
            self.hint.setText(problem)
            self.hint.show()
            return
        self.value = value
        self.accept()

    @classmethod
    def ask(cls, title: str, attr: Attribute, current: Any, parent: QWidget | None = None) -> Any:
        entry = cls(title, attr, current, parent)
        entry.line.setFocus()
        entry.line.selectAll()
        return entry.value if entry.exec() == QDialog.DialogCode.Accepted else None


class AttributesPanel(QWidget):
    edited = Signal(str, object)  # attribute name, its new value (None: cleared)
    leave = Signal()  # Esc: back to the text
    shown = Signal()  # made visible (its tab chosen): a panel filled only when seen fills now

    def __init__(self, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = heading
        self._what = ""
        self._declared: tuple[Attribute, ...] = ()
        self._values: dict[str, Any] = {}
        self.title = rich_label(f"<b>{esc(heading)}</b>")
        self.title.setWordWrap(True)
        self.title.setFont(fonts.with_fallbacks(self.title.font()))
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setFont(fonts.with_fallbacks(self.tree.font()))
        self.tree.setMinimumHeight(40)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self.edit(item.data(0, NAME)))
        self.tree.installEventFilter(self)
        self.reminder = plain_label()
        self.reminder.setWordWrap(True)
        self.reminder.setStyleSheet(f"color: {REMINDER};")
        self.reminder.hide()
        self.hint = plain_label("1–9 or Enter: edit · Del: clear · Esc: back to the text")
        quiet(self.hint)
        self.hint.setWordWrap(True)  # never widens the side column, whatever it says
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.tree)
        layout.addWidget(self.reminder)
        layout.addWidget(self.hint)
        layout.addStretch(1)  # in a tall tab the list stays at the top, as tall as its rows
        self.show_attributes("", (), {}, "")

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.shown.emit()

    # -- showing -------------------------------------------------------------------------
    def show_attributes(self, what: str, declared: tuple[Attribute, ...], values: dict[str, Any],
                        empty: str) -> None:
        """The `declared` attributes of the item `what` ("the MEETING event «met»") with
        their `values`; `empty` says why there is nothing to list."""
        name = self.tree.currentItem().data(0, NAME) if self.tree.currentItem() is not None else None
        self._what, self._declared, self._values = what, declared, dict(values)
        self.title.setText(f"<b>{esc(self.heading)}</b>" + (f" · {esc(what)}" if what else ""))
        self.tree.clear()
        for n, attr in enumerate(declared, 1):
            item = QTreeWidgetItem([str(n) if n <= 9 else "", attr.name, ""])
            item.setData(0, NAME, attr.name)
            item.setToolTip(1, tooltip(f"{attr.name} ({attr.kind}{', required' if attr.required else ''}): "
                                       f"{attr.guidance}" if attr.guidance else attr.name))
            self._fill(item, attr)
            self.tree.addTopLevelItem(item)
            if attr.name == name:
                self.tree.setCurrentItem(item)
        if self.tree.currentItem() is None and declared:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        if declared:  # as tall as its rows: the panel sits between the inspector and the tabs
            self.tree.setFixedHeight(self.tree.sizeHintForRow(0) * len(declared) + 2 * self.tree.frameWidth() + 2)
        missing = self.missing()
        self.reminder.setText(f"Required, not set: {', '.join(missing)}" if missing else "")
        self.reminder.setVisible(bool(missing))
        self.tree.setVisible(bool(declared))
        self.hint.setText("1–9 or Enter: edit · Del: clear · Esc: back to the text" if declared else empty)
        self.setEnabled(bool(what))

    def _fill(self, item: QTreeWidgetItem, attr: Attribute) -> None:
        value = self._values.get(attr.name)
        italic = QFont(self.tree.font())
        italic.setItalic(True)
        if value is not None:
            item.setText(2, shown_value(value))
            return
        if attr.default is not None:
            item.setText(2, f"{shown_value(attr.default)} (default, not set)")
        else:
            item.setText(2, "—")
        colour = REMINDER if attr.required else DEFAULT_GREY
        item.setText(2, item.text(2) + (" · required" if attr.required else ""))
        for column in (1, 2):
            item.setForeground(column, QBrush(QColor(colour)))
        item.setFont(2, italic)

    def missing(self) -> list[str]:
        """Required attributes without a value: the reminders."""
        return [a.name for a in self._declared if a.required and a.name not in self._values]

    def rows(self) -> list[tuple[str, str]]:
        """(attribute, what its value column says): for tests and screen readers."""
        return [(self.tree.topLevelItem(i).text(1), self.tree.topLevelItem(i).text(2))
                for i in range(self.tree.topLevelItemCount())]

    def focus_list(self) -> bool:
        """Gives the list the keyboard; False when there is nothing to edit."""
        if not self._declared:
            return False
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    # -- editing -------------------------------------------------------------------------
    def edit(self, name: str | None) -> None:
        """Asks for a new value of attribute `name` as its kind asks (see the module)."""
        attr = next((a for a in self._declared if a.name == name), None)
        if attr is None:
            return
        current = self._values.get(attr.name)
        title = f"{attr.name} of {self._what}"
        if attr.kind == "bool":
            shown = current if current is not None else bool(attr.default)
            self.edited.emit(attr.name, not shown)
            return
        if attr.kind == "enum":
            choices = [Choice(v, str(i) if i <= 9 else "",
                              ", ".join(w for w, on in (("now", v == current), ("default", v == attr.default)) if on),
                              description=attr.guidance)
                       for i, v in enumerate(attr.values, 1)]
            value: Any = ChoicePopup.ask(title, choices, self)
        else:
            value = ValueEntry.ask(title, attr, current, self)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        if value is not None and value != current:
            self.edited.emit(attr.name, value)

    def _current_name(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, NAME) if item is not None else None

    def eventFilter(self, obj, event) -> bool:
        if obj is self.tree and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            key, text = event.key(), event.text()
            if text.isdigit() and text != "0" and int(text) <= len(self._declared):
                item = self.tree.topLevelItem(int(text) - 1)
                self.tree.setCurrentItem(item)
                self.edit(item.data(0, NAME))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space, Qt.Key.Key_F2):
                self.edit(self._current_name())
                return True
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                name = self._current_name()
                if name is not None and name in self._values:
                    self.edited.emit(name, None)
                return True
            if key == Qt.Key.Key_Escape:
                self.leave.emit()
                return True
        return super().eventFilter(obj, event)
