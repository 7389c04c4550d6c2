"""One pane of the side-by-side view: a document's title, its DocumentView and the
Workspace that labels it, plus what the parallel view needs from a pane: sentences,
positions on screen in code points, overlays for suggestions and linked spans.

Widget positions stop here as in the workspace: everything a pane hands out or takes is
in code points (core.offsets)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from annotator.core.sentences import split_sentences
from annotator.store.project import Project
from annotator.store.queries import DocumentRow
from annotator.ui.annotate.workspace import Workspace
from annotator.ui.document.view import DocumentView
from annotator.ui.edits import Edits
from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import esc, rich_label


def suggestion_format(colour: str, current: bool = False) -> QTextCharFormat:
    """Hatched, not filled, with a dashed underline: a suggestion never looks like a span."""
    fmt = QTextCharFormat()
    base = QColor(colour).darker(190 if current else 150)
    fmt.setBackground(QBrush(base, Qt.BrushStyle.Dense4Pattern if current else Qt.BrushStyle.BDiagPattern))
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
    fmt.setUnderlineColor(QColor(colour).darker(220))
    if current:
        fmt.setForeground(QColor("#000000"))
        fmt.setFontUnderline(True)
    return fmt


def emphasis_format() -> QTextCharFormat:
    """Linked counterparts and disagreeing spans: red text over whatever colour is there."""
    fmt = QTextCharFormat()
    fmt.setForeground(QColor("#b00020"))
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    fmt.setUnderlineColor(QColor("#b00020"))
    return fmt


class ParallelPane(QWidget):
    focused = Signal()  # the text got the keyboard focus
    contextMenu = Signal(int, QPoint)  # right-click: code point under the mouse, global position

    def __init__(self, project: Project, annotator: str, edits: Edits, window: QWidget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.row: DocumentRow | None = None
        self.sentences: list[tuple[int, int]] = []
        self.title = rich_label()
        self.title.setWordWrap(True)
        self.title.setFont(fonts.with_fallbacks(self.title.font()))
        self.title.setFixedHeight(self.title.fontMetrics().height() * 2 + 6)
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.view = DocumentView({lab.key: lab.name for lab in project.schema.labels})
        self.workspace = Workspace(project, annotator, self.view, edits, window)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        self.view.installEventFilter(self)
        self.view.viewport().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.view and event.type() == QEvent.Type.FocusIn:
            self.focused.emit()
        elif obj is self.view.viewport() and event.type() == QEvent.Type.ContextMenu:
            pos = self.view.cursorForPosition(event.pos()).position()
            self.contextMenu.emit(self.workspace.omap.from_display(pos), event.globalPos())
            return True
        return False

    # -- the document --------------------------------------------------------------
    @property
    def doc_id(self) -> int | None:
        return self.row.id if self.row else None

    @property
    def text(self) -> str:
        return self.workspace.text

    def open(self, row: DocumentRow) -> None:
        self.row = row
        self.workspace.open_document(row.id)
        self.sentences = split_sentences(self.workspace.text, row.lang)
        self.title.setText(f"<b>{esc(row.title or row.uid)}</b><br><small>{esc(row.lang)} · {esc(row.uid)}</small>")
        self.setAccessibleName(f"{row.lang} document {row.uid}")

    def sync_spans(self) -> bool:
        """Show what the store holds now (edits may come from another pane, the main
        window or an undo there); True if anything changed."""
        return self.row is not None and self.workspace.sync_from_store()

    # -- positions -------------------------------------------------------------------
    def caret(self) -> int:
        return self.workspace.omap.from_display(self.view.textCursor().position())

    def top(self) -> int:
        """Code point at the top left of the visible text."""
        return self.workspace.omap.from_display(self.view.cursorForPosition(QPoint(2, 2)).position())

    def visible_range(self) -> tuple[int, int]:
        """Code points at the top left and the bottom right of the visible text."""
        corner = QPoint(self.view.viewport().width() - 1, self.view.viewport().height() - 1)
        return self.top(), self.workspace.omap.from_display(self.view.cursorForPosition(corner).position())

    def scroll_to(self, cp: int) -> None:
        """Scroll so that the line holding `cp` is the first one shown."""
        pos = self.workspace.omap.to_display(min(max(cp, 0), len(self.text)))
        block = self.view.document().findBlock(pos)
        if not block.isValid():
            return
        line = block.layout().lineForTextPosition(pos - block.position()) if block.layout() else None
        number = block.firstLineNumber() + (line.lineNumber() if line is not None and line.isValid() else 0)
        self.view.verticalScrollBar().setValue(number)

    def y_range(self, start: int, end: int) -> tuple[int, int]:
        """Top of the line of `start` and bottom of the line of `end`, in viewport pixels."""
        top = self.view.cursorRect(self._cursor(start)).top()
        bottom = self.view.cursorRect(self._cursor(end)).bottom()
        return top, max(bottom, top + 2)

    def _cursor(self, cp: int) -> QTextCursor:
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self.view.clamp(self.workspace.omap.to_display(min(max(cp, 0), len(self.text)))))
        return cursor

    def place_caret(self, cp: int, focus: bool = False) -> None:
        pos = self.workspace.omap.to_display(cp)
        self.view.select(pos, pos)
        self.view.ensureCursorVisible()
        if focus:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- overlays ------------------------------------------------------------------------
    def show_ranges(self, name: str, ranges: list[tuple[int, int]], fmt: QTextCharFormat | None = None) -> None:
        """DocumentView.set_overlay in code points."""
        omap = self.workspace.omap
        self.view.set_overlay(name, [(omap.to_display(s), omap.to_display(e)) for s, e in ranges], fmt)

    def shown_ranges(self, name: str) -> list[tuple[int, int]]:
        omap = self.workspace.omap
        return [(omap.from_display(s), omap.from_display(e)) for s, e in self.view.overlay(name)]
