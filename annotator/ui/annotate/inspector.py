"""The span inspector: the selected span's label, exact text, offsets, normalised value
and note, and the fragments of a discontinuous span. Edits are committed as a whole
(Enter or focus-out for the value; focus-out or Ctrl+Enter for the note), never per
keystroke, and only when something really changed. Del in the fragment list removes
that fragment."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.core import values
from annotator.core.schema import Schema
from annotator.store.spans import SpanData
from annotator.ui.annotate.palette import swatch_icon
from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import plain_label, tooltip

# Characters that look like nothing (or like something else) and what stands for them.
_SHOWN_AS = {
    " ": "·", "\u00a0": "⍽", "\u202f": "[NNBSP]", "\u2007": "[FIGSP]", "\u2009": "[THINSP]",
    "\u200b": "[ZWSP]", "\u200c": "[ZWNJ]", "\u200d": "[ZWJ]", "\u2060": "[WJ]", "\ufeff": "[BOM]",
    "\u00ad": "[SHY]", "\u200e": "[LRM]", "\u200f": "[RLM]", "\t": "→", "\r": "[CR]", "\n": "↵",
    "\u2028": "[LS]", "\u2029": "[PS]",
}
_MAX_CODE_POINTS_LISTED = 40


def _hidden(ch: str) -> bool:
    return ch != " " and (ch in _SHOWN_AS or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zs", "Zl", "Zp"))


def reveal(text: str) -> str | None:
    """`text` with its invisible characters made visible (NBSP as ⍽, ZWJ as [ZWJ], LF as ↵,
    a plain space as ·), or None when there is nothing to reveal: no invisible character
    and no leading or trailing whitespace."""
    if not any(_hidden(ch) for ch in text) and text == text.strip():
        return None
    return "".join(_SHOWN_AS.get(ch) or (f"[U+{ord(ch):04X}]" if _hidden(ch) else ch) for ch in text)


def code_points(text: str, limit: int = _MAX_CODE_POINTS_LISTED) -> str:
    """One line per code point: 'U+00A0  NO-BREAK SPACE'."""
    lines = [f"U+{ord(ch):04X}  {unicodedata.name(ch, '(unnamed)')}" for ch in text[:limit]]
    if len(text) > limit:
        lines.append(f"… and {len(text) - limit} more")
    return "\n".join(lines)


def offsets_text(start: int, end: int) -> str:
    n = end - start
    return f"{start}–{end} ({n} character{'' if n == 1 else 's'})"


class _NoteEdit(QPlainTextEdit):
    """A note field that reports when its text should be committed."""

    committed = Signal()

    @staticmethod
    def _is_save_key(event) -> bool:
        return (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier))

    def event(self, event) -> bool:
        # Ctrl+Enter is also the window's "mark done and go to the next": claim it while the
        # note has the keyboard, so it saves the note instead of leaving the document.
        if event.type() == QEvent.Type.ShortcutOverride and self._is_save_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        if self._is_save_key(event):
            self.committed.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.committed.emit()


class SpanInspector(QWidget):
    labelChosen = Signal(str, str)
    valueEdited = Signal(str, object)
    noteEdited = Signal(str, object)
    fragmentRemoved = Signal(str, int)  # span uid, the fragment's index (from 0, in text order)

    def __init__(self, schema: Schema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schema = schema
        self._span: SpanData | None = None
        self._label = ""
        self._value: str | None = None
        self._note: str | None = None

        self.title = plain_label()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Its width never pushes the side column: a longer uid (the time-ordered ones are 29
        # characters) widened it, narrowed the text and laid the whole document out again
        # on the edit. Cut at the panel's edge; the whole title in the tooltip.
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label_combo = QComboBox()
        for label in schema.labels:
            self.label_combo.addItem(swatch_icon(label.colour), label.name, label.name)
            self.label_combo.setItemData(self.label_combo.count() - 1, tooltip(label.description),
                                         Qt.ItemDataRole.ToolTipRole)
        self.text_view = QLabel()
        self.text_view.setTextFormat(Qt.TextFormat.PlainText)
        self.text_view.setWordWrap(True)
        self.text_view.setFont(fonts.with_fallbacks(self.text_view.font()))
        self.text_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                               | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.revealed = QLabel()
        self.revealed.setTextFormat(Qt.TextFormat.PlainText)
        self.revealed.setWordWrap(True)
        self.revealed.setFont(fonts.with_fallbacks(self.revealed.font()))
        self.revealed.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.revealed.setStyleSheet("color: palette(dark);")
        self.offsets = plain_label()
        self.offsets.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.value_edit = QLineEdit()
        self.value_edit.setClearButtonEnabled(True)
        self.value_hint = plain_label()
        self.value_hint.setWordWrap(True)
        self.value_hint.setStyleSheet("color: #c62828;")
        self.value_hint.hide()
        self.note_edit = _NoteEdit()
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlaceholderText("Note (Ctrl+Enter to save)")
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 4 + 12)

        self.fragments = QListWidget()
        self.fragments.setFont(fonts.with_fallbacks(self.fragments.font()))
        self.fragments.setMaximumHeight(self.fragments.fontMetrics().lineSpacing() * 4 + 10)
        self.fragments.setToolTip("The pieces of a discontinuous span: Del removes the current one")
        self.fragments.installEventFilter(self)
        self.fragments_label = QLabel("F&ragments")
        self.fragments_label.setBuddy(self.fragments)

        text_box = QVBoxLayout()
        text_box.setSpacing(0)
        text_box.addWidget(self.text_view)
        text_box.addWidget(self.revealed)
        value_box = QVBoxLayout()
        value_box.setSpacing(2)
        value_box.addWidget(self.value_edit)
        value_box.addWidget(self.value_hint)
        self.form = QWidget()
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Label", self.label_combo)
        form.addRow("Text", text_box)
        form.addRow("Offsets", self.offsets)
        form.addRow(self.fragments_label, self.fragments)
        self._form_layout = form
        # Alt+U: Alt+V is the View menu's. A row of a layout gets no buddy by itself.
        value_label = QLabel("Val&ue")
        value_label.setBuddy(self.value_edit)
        form.addRow(value_label, value_box)
        form.addRow("N&ote", self.note_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.form)
        layout.addStretch(1)

        self.label_combo.activated.connect(self._label_activated)
        self.value_edit.editingFinished.connect(self._commit_value)
        self.value_edit.textEdited.connect(self._value_typed)
        self.note_edit.committed.connect(self._commit_note)
        self.show_span(None)

    # -- API ---------------------------------------------------------------------------
    def span(self) -> SpanData | None:
        return self._span

    def show_span(self, span: SpanData | None, span_text: str = "") -> None:
        """Shows `span` (whose text is `span_text`), or the empty state for None. An edit
        still pending for the previously shown span is committed first."""
        self.commit_pending()
        self._span = span
        self._label = span.label if span else ""
        # Baselines as the fields read them back, so an untouched field never counts as an edit.
        self._value = values.clean(span.value) if span else None
        self._note = span.note if span and span.note and span.note.strip() else None
        while self.label_combo.count() > len(self.schema.labels):
            self.label_combo.removeItem(self.label_combo.count() - 1)
        if span is not None and self.label_combo.findData(span.label) < 0:
            self.label_combo.addItem(f"{span.label} (not in schema)", span.label)
        self.label_combo.setCurrentIndex(self.label_combo.findData(span.label) if span else -1)
        self.title.setText(f"Span {span.uid} · {span.annotator}" if span else "No span selected")
        self.title.setToolTip(tooltip(self.title.text()))
        self.text_view.setText(span_text)
        self.text_view.setToolTip(code_points(span_text))
        shown = reveal(span_text) if span else None
        self.revealed.setText(shown or "")
        self.revealed.setToolTip(self.text_view.toolTip())
        self.revealed.setVisible(shown is not None)
        self.offsets.setText(offsets_text(span.start, span.end) if span else "")
        self.value_edit.setText(span.value or "" if span else "")
        self.value_edit.setPlaceholderText(values.placeholder(self._label))
        self._show_problem(values.value_problem(self._label, self._value))
        self.note_edit.setPlainText(span.note or "" if span else "")
        self.form.setEnabled(span is not None)
        self.show_fragments([])

    def show_fragments(self, parts: list[tuple[int, int, str]]) -> None:
        """The shown span's fragments as (start, end, text); none: a continuous span, and
        the row is hidden."""
        keep = self.fragments.currentRow()
        self.fragments.clear()
        for n, (start, end, text) in enumerate(parts, 1):
            self.fragments.addItem(f"{n}. {text}   [{start}–{end}]")
        if parts:
            self.fragments.setCurrentRow(min(max(keep, 0), len(parts) - 1))
        if self._span is not None:  # a discontinuous span's start and end are its outer bounds
            self.offsets.setText(offsets_text(self._span.start, self._span.end) + (", outer bounds" if parts else ""))
        self._form_layout.setRowVisible(self.fragments, bool(parts))

    def fragment_rows(self) -> list[str]:
        return [self.fragments.item(i).text() for i in range(self.fragments.count())]

    def eventFilter(self, obj, event) -> bool:
        if (obj is self.fragments and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)):
            if self._span is not None and self.fragments.currentRow() >= 0:
                self.fragmentRemoved.emit(self._span.uid, self.fragments.currentRow())
            return True
        return super().eventFilter(obj, event)

    def commit_pending(self) -> None:
        """Commits typed but uncommitted value and note edits (emitting if they changed)."""
        self._commit_value()
        self._commit_note()

    # -- internals ---------------------------------------------------------------------
    def _label_activated(self, index: int) -> None:
        name = self.label_combo.itemData(index)
        if self._span is None or not name or name == self._label:
            return
        self._label = name
        self.value_edit.setPlaceholderText(values.placeholder(name))
        self._show_problem(values.value_problem(name, values.clean(self.value_edit.text())))
        self.labelChosen.emit(self._span.uid, name)

    def _value_typed(self, text: str) -> None:
        # Clear a stale hint as soon as the text is acceptable; a new one waits for commit.
        if values.value_problem(self._label, values.clean(text)) is None:
            self._show_problem(None)

    def _commit_value(self) -> None:
        if self._span is None:
            return
        value = values.clean(self.value_edit.text())
        problem = values.value_problem(self._label, value)
        self._show_problem(problem)
        if problem is not None or value == self._value:
            return
        self._value = value
        self.valueEdited.emit(self._span.uid, value)

    def _commit_note(self) -> None:
        if self._span is None:
            return
        # toPlainText() would turn NBSP into a space; the raw text ends blocks with U+2029.
        text = self.note_edit.document().toRawText().replace("\u2029", "\n")
        note = text if text.strip() else None
        if note == self._note:
            return
        self._note = note
        self.noteEdited.emit(self._span.uid, note)

    def _show_problem(self, problem: str | None) -> None:
        self.value_hint.setText(problem or "")
        self.value_hint.setVisible(problem is not None)
