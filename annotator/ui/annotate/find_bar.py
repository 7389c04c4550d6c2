"""Find in the document (Ctrl+F): a bar under the text. Every match is highlighted as
the query is typed; Enter, F3 and Shift+F3 step through them and select the match in the
text, which takes the keyboard, so a label key labels it; Esc closes the bar.

Matching is core.find's, on the stored text in code points (grapheme edges; case and
accents ignored unless "Match case and accents" is ticked); widget positions come from
the workspace's offset map only to show and select.
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QToolButton, QWidget

from annotator.core.find import find_all
from annotator.ui.annotate.workspace import Workspace
from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import plain_label

# Extra selections repaint the whole view on each change: beyond this many, only the first
# are highlighted (the count says so); stepping still reaches every match.
MAX_HIGHLIGHTED = 2000
# A letter or two in a long text matches everywhere: the search stops at this many (the
# count says so, and a longer query finds the rest).
MAX_FOUND = 10_000
MATCH_COLOUR = "#ffe066"


class FindBar(QWidget):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.view = workspace, workspace.view
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find in the document (Enter / F3 next, Shift+F3 previous, Esc closes)")
        self.field.setFont(fonts.with_fallbacks(self.field.font()))
        self.field.setClearButtonEnabled(True)
        self.exact = QCheckBox("Match case and &accents")
        self.count = plain_label()
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.exact)
        layout.addWidget(self.count)
        layout.addWidget(close)
        self.matches: list[tuple[int, int]] = []  # code points
        self.current = -1
        self._searched: tuple[str, str, bool] | None = None  # (text, query, exact) matched last
        self._format = QTextCharFormat()
        self._format.setBackground(QColor(MATCH_COLOUR))
        self.field.textChanged.connect(lambda _t: self._refresh(select_first=True))
        self.exact.toggled.connect(lambda _on: self._refresh(select_first=True))
        self.field.installEventFilter(self)
        self.view.textChanged.connect(self._document_changed)  # another document opened
        self.hide()

    # -- opening and closing -----------------------------------------------------------
    def open_bar(self) -> None:
        """Show the bar with the field focused; selected text (one line) becomes the query."""
        start, end = self.view.selection()
        if start != end:
            cp_start, cp_end = self.ws.to_code_points(start, end)
            picked = self.ws.text[cp_start:cp_end]
            if picked and "\n" not in picked and "\r" not in picked:
                self.field.setText(picked)
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        self._refresh(select_first=False)

    def close_bar(self) -> None:
        self.hide()
        self.view.set_overlay("find", [])
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.field and event.type() == QKeyEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step(not event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            return True
        return super().eventFilter(watched, event)

    # -- matching -------------------------------------------------------------------------
    def _document_changed(self) -> None:
        if self._searched is not None and self._searched[0] is self.ws.text:
            return  # re-highlighting, not another text
        self.current = -1
        if self.isVisible():
            self._refresh(select_first=False)

    def _refresh(self, select_first: bool) -> None:
        query, exact = self.field.text(), self.exact.isChecked()
        key = (self.ws.text, query, exact)
        if key != self._searched:
            self._searched = key
            self.matches = find_all(self.ws.text, query, loose=not exact, limit=MAX_FOUND)
            self.current = -1
        d = self.ws.omap.to_display
        self.view.set_overlay("find", [(d(s), d(e)) for s, e in self.matches[:MAX_HIGHLIGHTED]], self._format)
        if select_first and self.matches:
            caret = self.ws.omap.from_display(self.view.selection()[0])
            self._go(bisect_left(self.matches, (caret, -1)) % len(self.matches), focus_text=False)
        self._show_count()

    def _show_count(self) -> None:
        n = len(self.matches)
        if not self.field.text():
            self.count.setText("")
        elif not n:
            self.count.setText("No match")
        else:
            more = "+ (the first; type more to narrow)" if n >= MAX_FOUND else ""
            shown = f" (first {MAX_HIGHLIGHTED:,} highlighted)" if n > MAX_HIGHLIGHTED and not more else ""
            self.count.setText(f"{self.current + 1 if self.current >= 0 else '–'} of {n:,}{more}{shown}")

    def step(self, forward: bool = True) -> None:
        """F3 / Shift+F3: select the next (previous) match after (before) the caret; the
        text takes the keyboard so a label key labels it."""
        if not self.isVisible() or not self.field.text():
            self.open_bar()
            return
        self._refresh(select_first=False)
        if not self.matches:
            self.ws.info.emit(f"“{self.field.text()}” is not in this document")
            return
        if 0 <= self.current < len(self.matches) and self._is_selected(self.current):
            i = (self.current + (1 if forward else -1)) % len(self.matches)
        else:  # the caret moved since: the match nearest to it in that direction
            caret = self.ws.omap.from_display(self.view.textCursor().position())
            i = bisect_left(self.matches, (caret, -1))
            i = i % len(self.matches) if forward else (i - 1) % len(self.matches)
        self._go(i, focus_text=True)

    def _is_selected(self, i: int) -> bool:
        s, e = self.matches[i]
        return self.view.selection() == (self.ws.omap.to_display(s), self.ws.omap.to_display(e))

    def _go(self, i: int, focus_text: bool) -> None:
        self.current = i
        s, e = self.matches[i]
        self.ws.select_span(None)  # the label key then labels the match, not a span
        self.view.select(self.ws.omap.to_display(s), self.ws.omap.to_display(e))
        self.view.ensureCursorVisible()
        if focus_text:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_count()
