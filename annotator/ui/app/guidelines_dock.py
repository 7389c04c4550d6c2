"""The project's guidelines (Markdown kept in the project) in a dockable panel.

The Markdown is rendered, but nothing it names is ever loaded: images, style sheets and
links to files stay unread (an imported `<img src="/dev/zero">` must not hang the app), and
only http(s) links open, in the browser. When a span is selected the panel scrolls to the
heading (or paragraph) that opens with its label, so the rule is at hand where it is needed.
"""

from __future__ import annotations

from pathlib import Path

import regex
from PySide6.QtCore import QByteArray, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QDockWidget, QFileDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.textdecode import decode_text
from annotator.store.guidelines import guidelines, set_guidelines
from annotator.store.project import Project
from annotator.ui.edits import Edits
from annotator.ui.widgets.plain import plain_label

EMPTY = ("This project has no guidelines yet. Import a Markdown file (the button below, or "
         "`annotator guidelines PROJECT --set FILE`); every copy of the project then carries it.")


class _SealedDocument(QTextDocument):
    """A document that reads no resource: images, style sheets and files stay unread.
    (Overriding the browser's loadResource is not enough: given nothing, the document
    falls back to reading a local file itself.)"""

    def loadResource(self, _type: int, _name: QUrl) -> object:
        return QByteArray()


class GuidelinesBrowser(QTextBrowser):
    """A Markdown view that never loads a resource and follows only web links."""

    def __init__(self) -> None:
        super().__init__()
        self._sealed = _SealedDocument(self)  # kept: without a Python reference its override is lost
        self.setDocument(self._sealed)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._follow)

    def loadResource(self, _type: int, _name: QUrl) -> object:
        return QByteArray()  # images, style sheets, files: never read

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment() and not url.scheme():
            self.scrollToAnchor(url.fragment())

    def show_markdown(self, text: str) -> None:
        self.document().setMarkdown(text, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
        self.scroll_to(0)  # from the top (the caret would otherwise be left at the end)

    def rule_for(self, name: str) -> int | None:
        """Where the rule for `name` starts: the first heading that names it as a whole
        word, else the first paragraph that opens with it ("**PERSON** – a named person")."""
        word = regex.compile(rf"(?<!\w){regex.escape(name)}(?!\w)", regex.IGNORECASE)
        opening = None
        block = self.document().begin()
        while block.isValid():
            text = block.text()
            if block.blockFormat().headingLevel() > 0 and word.search(text):
                return block.position()
            if opening is None and (found := word.match(text.lstrip())) is not None and found.start() == 0:
                opening = block.position()
            block = block.next()
        return opening

    def scroll_to(self, position: int) -> None:
        """The block at `position` at the top of the view, the caret at its start."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        self.setTextCursor(cursor)
        block = self.document().findBlock(position)
        top = self.document().documentLayout().blockBoundingRect(block).top()
        self.verticalScrollBar().setValue(max(0, int(top - self.document().documentMargin())))


class GuidelinesDock(QDockWidget):
    """Help > Guidelines (F9): the guidelines beside the text, importable from a file."""

    imported = Signal(str)  # what was imported, for the status bar

    def __init__(self, project: Project, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__("Guidelines", parent)
        self.setObjectName("guidelines")  # the main window's saveState() remembers where it is
        self.project, self.edits = project, edits
        self.browser = GuidelinesBrowser()
        self.empty = plain_label(EMPTY)
        self.empty.setWordWrap(True)
        self.import_button = QPushButton("Import from a file…")
        self.import_button.clicked.connect(self.choose_file)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty)
        layout.addWidget(self.browser, 1)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.setWidget(body)
        edits.changed.connect(lambda change, _by: change.touches("project_meta") and self.reload())
        # Rendered when first shown, never at start-up: the window comes first (a dock
        # restored open renders just after the window is painted).
        self._stale = True

    def reload(self) -> None:
        """Render the project's guidelines now if the panel is on screen, else when shown."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        with self.project.read() as conn:
            text = guidelines(conn)
        self.browser.show_markdown(text)
        self.empty.setVisible(not text)
        self.browser.setVisible(bool(text))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            QTimer.singleShot(0, self._render_if_stale)

    def _render_if_stale(self) -> None:
        if self._stale:
            self.reload()

    def show_label(self, label: str | None) -> None:
        """Scroll to the rule for `label` (the selected span's), if the guidelines have one."""
        if not self.isVisible():
            return
        self._render_if_stale()  # F9 at once after showing: the rules are there to scroll to
        if label and (at := self.browser.rule_for(label)) is not None:
            self.browser.scroll_to(at)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import guidelines", "",
                                              "Markdown or text (*.md *.markdown *.txt);;All files (*)")
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> bool:
        """Make the file's text the project's guidelines (one undoable step); False, with
        the reason in the status bar, if it cannot be read."""
        try:
            text = decode_text(path.read_bytes(), str(path))
        except OSError as exc:
            self.edits.failed.emit(f"{path}: cannot read the guidelines ({exc.strerror or exc})", None)
            return False
        except AnnotatorError as exc:  # not text: the message names the file and the byte
            self.edits.failed.emit(str(exc), None)
            return False
        if self.edits.run(lambda: set_guidelines(self.project, text, path.name), self) is None:
            return False
        self.imported.emit(f"Guidelines imported from {path.name}")
        return True
