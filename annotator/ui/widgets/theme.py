"""Light and dark themes, or the system's choice; remembered for every project.

Qt follows the desktop's colour scheme where the platform reports one; where it reports
none (plain X11, offscreen) "system" means light. Dark is Fusion with a dark palette, set
explicitly so it looks the same on every platform. Label colours are pale fills, so text
on a label keeps a dark pen in both themes (`text_on`), and is readable whatever the
theme's own text colour is.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from annotator.paths import user_data_dir

THEMES = ("system", "light", "dark")
_KEY = "app/theme"


def _settings() -> QSettings:
    return QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def saved_theme() -> str:
    value = _settings().value(_KEY, "system")
    return value if value in THEMES else "system"


def is_dark(theme: str) -> bool:
    if theme == "system":
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    return theme == "dark"


def dark_palette() -> QPalette:
    p = QPalette()
    base, window, text, mid = QColor("#1e1f22"), QColor("#2b2d30"), QColor("#e6e6e6"), QColor("#3c3f41")
    for role, colour in ((QPalette.ColorRole.Window, window), (QPalette.ColorRole.WindowText, text),
                         (QPalette.ColorRole.Base, base), (QPalette.ColorRole.AlternateBase, mid),
                         (QPalette.ColorRole.ToolTipBase, mid), (QPalette.ColorRole.ToolTipText, text),
                         (QPalette.ColorRole.Text, text), (QPalette.ColorRole.Button, mid),
                         (QPalette.ColorRole.ButtonText, text), (QPalette.ColorRole.BrightText, QColor("#ff6b6b")),
                         (QPalette.ColorRole.Link, QColor("#7aa7ff")), (QPalette.ColorRole.Highlight, QColor("#2f65ca")),
                         (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
                         (QPalette.ColorRole.PlaceholderText, QColor("#9a9a9a"))):
        p.setColor(role, colour)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7f7f7f"))
    return p


def apply_theme(theme: str, remember: bool = True) -> None:
    """Make `theme` ("system", "light" or "dark") the application's, now, in every window."""
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(dark_palette() if is_dark(theme) else app.style().standardPalette())
    # A widget with a style sheet keeps the palette it was polished with, and so do its
    # children (the palette's rows: names black on the dark window, keycaps still light):
    # setting its sheet again polishes it, and them, with the new palette.
    for widget in app.allWidgets():
        if sheet := widget.styleSheet():
            widget.setStyleSheet(sheet)
    if remember:
        s = _settings()
        s.setValue(_KEY, theme)
        s.sync()


def text_on(fill: QColor) -> QColor:
    """A pen that reads on `fill`: black on pale label colours, white on dark ones
    (WCAG relative luminance, threshold where both contrasts are equal)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * linear(fill.redF()) + 0.7152 * linear(fill.greenF()) + 0.0722 * linear(fill.blueF())
    return QColor("#000000") if lum > 0.179 else QColor("#ffffff")
