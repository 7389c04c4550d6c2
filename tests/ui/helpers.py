"""Helpers shared by the GUI tests."""

from __future__ import annotations

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
