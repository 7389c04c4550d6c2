"""A window's first size, within the screen it opens on: 1500 x 940 is comfortable on a
large screen and taller than a 1000 px laptop screen once the title bar is added."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room for the window manager's frame and title bar, which are not known before showing.
FRAME_WIDTH, FRAME_HEIGHT = 16, 48


def resize_to_fit(window: QWidget, width: int, height: int) -> None:
    """Resize `window` to width x height, or less where its screen's available area
    (without task bars and docks) is smaller."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        width = min(width, area.width() - FRAME_WIDTH)
        height = min(height, area.height() - FRAME_HEIGHT)
    window.resize(max(width, window.minimumWidth()), max(height, window.minimumHeight()))
