"""Helpers of the File menu tests: answering modal dialogs, files to import, isolated
recent lists."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

# Two documents in CoNLL columns, one English and one Bengali; LOC is not in the default schema.
CONLL = ("-DOCSTART- O\n\nMircea B-PERSON\nGeoană I-PERSON\nvisited O\nDhaka B-LOC\n. O\n\n"
         "-DOCSTART- O\n\nশেখ B-PERSON\nহাসিনা I-PERSON\nঢাকায় B-LOC\nছিলেন O\n। O\n")


def conll_file(folder: Path, name: str = "news.conll", text: str = CONLL) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def when_modal(kind: type, act) -> None:
    """Run act(dialog) once a modal dialog of `kind` is up (the key that opens it is
    pressed next, and blocks in the dialog's own event loop)."""
    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, kind) or not widget.isVisible():
            QTimer.singleShot(10, poll)
            return
        act(widget)

    QTimer.singleShot(0, poll)


def button(parent: QWidget, text: str) -> QPushButton:
    """The push button of `parent` whose text (without its & mnemonic) is `text`."""
    found = [b for b in parent.findChildren(QPushButton) if b.text().replace("&", "") == text]
    assert len(found) == 1, f"{len(found)} buttons {text!r} in {parent}"
    return found[0]
