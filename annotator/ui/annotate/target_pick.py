"""Choosing the other span of a relation or of an entity cluster with the keyboard, after
its first span: Tab and Shift+Tab walk the document's spans in text order (the status bar
says whether each would be taken), Enter takes the span selected, or the one under the
caret when the arrows moved it, Esc gives up. The first span stays boxed, with a tag
saying what is being made, until then. Nothing is written here: the caller's `take`
runs the edit, and the store's check refuses what does not fit, with the reason."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from annotator.ui.document.view import Box

PICKING = "#00695c"  # the first span while its partner is being chosen: dark teal


class TargetPick(QObject):
    def __init__(self, workspace) -> None:
        super().__init__(workspace)
        self.ws = workspace
        self.source: str | None = None
        self._doc: int | None = None
        self._what = ""
        self._take: Callable[[str], object] | None = None
        self._verdict: Callable[[str], str] = lambda _uid: ""
        workspace.view.installEventFilter(self)

    @property
    def active(self) -> bool:
        return self.source is not None

    def start(self, source: str, what: str, take: Callable[[str], object],
              verdict: Callable[[str], str] = lambda _uid: "") -> None:
        """Asks for the span to go with `source`; `what` ("member_of") tags it, `take(uid)`
        makes the edit, `verdict(uid)` says why a span would be refused ("" if it fits)."""
        self.source, self._doc, self._what, self._take, self._verdict = source, self.ws.doc_id, what, take, verdict
        self._paint()
        self.ws.info.emit(f"{what}: Tab to the other span, Enter takes it, Esc cancels")

    def cancel(self, why: str = "") -> None:
        if self.source is None:
            return
        self.source = self._take = None
        self.ws.view.set_boxes("picking", [])
        if why:
            self.ws.info.emit(why)

    def _paint(self) -> None:
        mark = self.ws.highlighter.mark(self.source) if self.source else None
        boxes = []
        if mark is not None:
            d = self.ws.omap.to_display
            boxes = [Box(d(mark.start), d(mark.end), PICKING, dashed=True, width=2.5, tag=f"{self._what} …")]
        self.ws.view.set_boxes("picking", boxes)

    # -- keys ------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        if self.source is None or obj is not self.ws.view or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        ours = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        if not ours or event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:  # Esc is the window's "back to the text"
            event.accept()
            return True
        if event.type() != QEvent.Type.KeyPress:
            return False
        if self.ws.doc_id != self._doc or self.ws.highlighter.mark(self.source) is None:
            self.cancel("The first span is gone: start again")
        elif key == Qt.Key.Key_Escape:
            self.cancel("Cancelled")
        elif key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self.step(key == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        else:
            self.confirm()
        return True

    def step(self, forward: bool) -> None:
        """The next (previous) span in the text after the selected one, the first span left out."""
        marks = [m for m in self.ws.spans() if m.uid != self.source]
        if not marks:
            self.ws.info.emit("No other span in this document")
            return
        current = self.ws.highlighter.mark(self.ws.selected) if self.ws.selected else None
        here = current or self.ws.highlighter.mark(self.source)
        after = [m for m in marks if (m > here if forward else m < here)]
        target = (after[0] if forward else after[-1]) if after else (marks[0] if forward else marks[-1])
        caret = self.ws.omap.to_display(target.start)
        self.ws.view.select(caret, caret)
        self.ws.view.ensureCursorVisible()
        self.ws.select_span(target.uid)
        why = self._verdict(target.uid)
        text = self.ws.text[target.start:target.end]
        self.ws.info.emit(f"«{text}» ({target.label}): " + (f"refused, {why}" if why else "Enter takes it"))

    def chosen(self) -> str | None:
        """The span Enter would take: the selected one if the caret is in it, else the
        innermost under the caret."""
        pos = self.ws.omap.from_display(self.ws.view.textCursor().position())
        under = [m for m in self.ws.highlighter.marks_at(pos) if m.uid != self.source]
        if self.ws.selected and self.ws.selected != self.source and (
                not under or self.ws.selected in {m.uid for m in under}):
            return self.ws.selected
        return min(under, key=lambda m: m.end - m.start).uid if under else None

    def confirm(self) -> None:
        target, take = self.chosen(), self._take
        if target is None or take is None:
            self.ws.info.emit("Tab to the other span (or put the caret in it), then Enter; Esc cancels")
            return
        self.cancel()
        take(target)
