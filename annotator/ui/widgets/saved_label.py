"""The status bar's word on durability, the same in every window: "✓ Saved HH:MM:SS"
after each commit (the tooltip says what and where), "✗ Not saved" with the reason."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from annotator.ui.widgets.plain import tooltip

OK, BAD = "color: #1a7f37;", "color: #b00020;"


class SavedLabel(QLabel):
    def __init__(self) -> None:
        super().__init__("✓ All changes saved")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(OK)

    def saved(self, what: str, path: Path) -> None:
        self.setText(f"✓ Saved {datetime.now():%H:%M:%S}")
        self.setToolTip(tooltip(f"Committed to {path}: {what}"))
        self._colour(OK)

    def failed(self, message: str) -> None:
        self.setText("✗ Not saved")
        self.setToolTip(tooltip(message))
        self._colour(BAD)

    def _colour(self, sheet: str) -> None:
        # Setting a style sheet polishes the label again (and lays out the status bar)
        # even when it is the same: after every edit, only when it changes.
        if self.styleSheet() != sheet:
            self.setStyleSheet(sheet)
