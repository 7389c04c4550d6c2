"""Helpers shared by the GUI tests."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from annotator.store.project import Project
from annotator.store.queries import document_text, list_documents

SEED_LANGS = ["bn", "vi", "fr", "sr", "en"]


def stored_texts(project: Project) -> list[str]:
    with project.read() as conn:
        return [document_text(conn, r.id) for r in list_documents(conn)]


def shown_text(win) -> str:
    """The editor's text as stored: toRawText keeps NBSP (toPlainText turns it into a
    space) but ends each block with U+2029, which stands for the stored "\\n"."""
    return win.view.document().toRawText().replace("\u2029", "\n")


def shown(qtbot, widget, activate: bool = False):
    """`widget` shown on screen (closed after the test), optionally the active window."""
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    if activate:
        widget.activateWindow()
        qtbot.waitUntil(widget.isActiveWindow)
    return widget


def open_doc(win, qtbot, uid: str) -> int:
    """Open document `uid` through the navigator, as a click in the list does; the text
    gets the keyboard focus. Returns the document's id."""
    with win.project.read() as conn:
        doc_id = next(d.id for d in list_documents(conn) if d.uid == uid)
    win.navigator.select_document(doc_id)
    qtbot.waitUntil(lambda: win.workspace.doc_id == doc_id)
    win.view.setFocus()
    return doc_id


def painted_colours(view, positions: list[int]) -> list[QColor]:
    """What the document view paints behind each character (widget positions), read from
    its pixels: a little below the top of the character's line (clear of the selected
    span's outline and of most glyphs), between the character's two carets. The caret and
    the selected span's outline, drawn over the fills, are left out while it is read."""
    outline, width = (view._outline, view._outline_parts), view.cursorWidth()
    view.set_outline(None)
    view.setCursorWidth(0)
    image = view.viewport().grab().toImage()
    view.set_outline(*outline)
    view.setCursorWidth(width)
    ratio = image.devicePixelRatio()
    out = []
    for pos in positions:
        block = view.document().findBlock(pos)
        geom = view.blockBoundingGeometry(block).translated(view.contentOffset())
        rel = pos - block.position()
        line = block.layout().lineForTextPosition(rel)
        x = (line.cursorToX(rel)[0] + line.cursorToX(rel + 1)[0]) / 2
        point = QPointF(x, line.y() + 3) + geom.topLeft()
        assert view.viewport().rect().contains(point.toPoint()), f"character {pos} is not on screen"
        out.append(image.pixelColor(int(point.x() * ratio), int(point.y() * ratio)))
    return out


def painted(view, positions: list[int]) -> list[bool]:
    """Whether each character (widget positions) has a fill behind it (not the view's base)."""
    base = view.palette().base().color()
    return [c != base for c in painted_colours(view, positions)]


def process_gone(pid: int) -> bool:
    """Whether process `pid` has ended and been reaped (by its parent, this process)."""
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False
