"""Text that comes from data (document ids, titles, languages, annotator names, labels,
notes, schema descriptions, error messages) shown as text, never as markup.

Qt reads a QLabel's text, a tooltip and a message box's text as HTML when the first
line merely looks like it (Qt::mightBeRichText); HTML can load resources, so an imported
`<img src="/dev/zero">` aborted the application. Labels that show data therefore say
PlainText, labels that need formatting say RichText and escape every piece of data with
`esc`, and tooltips and message boxes go through the helpers here.
"""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QPalette, Qt  # QtGui adds mightBeRichText and convertFromPlainText
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def esc(value: object) -> str:
    """`value` as HTML text, for a piece of data inside a rich-text label."""
    return escape(str(value), quote=True)


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows its text literally, whatever it contains."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def quiet(label: QLabel) -> QLabel:
    """A hint in the theme's quiet text colour, readable in the light and the dark theme
    alike (a fixed grey was dark grey on the dark window)."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def rich_label(html: str = "", parent: QWidget | None = None) -> QLabel:
    """A label for a formatted template: every piece of data in it must go through `esc`."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setText(html)
    return label


def tooltip(text: str) -> str:
    """`text` as a tooltip that shows it literally: Qt would take a tooltip whose first
    line looks like markup for HTML, so such a text is handed over as escaped HTML."""
    if not text or not Qt.mightBeRichText(text):
        return text
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def plain_mnemonic(text: str) -> str:
    """`text` in a menu or button text: a '&' in data is shown, not taken as a shortcut."""
    return text.replace("&", "&&")


def error(parent: QWidget | None, title: str, text: str) -> None:
    """A modal error box whose text (often a file name or data) is shown literally."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.exec()


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A Yes/No question (No by default) whose text is shown literally."""
    box = QMessageBox(QMessageBox.Icon.Question, title, "", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                      parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.exec()
    return box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes
