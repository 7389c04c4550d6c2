"""Start-up shows the window first: the import and export dialogs (with the formats and
the exporter they pull in) are imported when first opened, and the guidelines' Markdown
is rendered when the panel is first shown, not while the window is being built."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import Qt

from annotator.ui.app.main_window import MainWindow
from tests.ui.helpers import shown

LATER = ("annotator.exporter", "annotator.ui.app.export_dialog", "annotator.ui.app.import_dialog")


def test_the_main_window_module_does_not_import_the_file_dialogs():
    code = ("import sys, annotator.ui.app.main_window\n"
            f"print(sorted(m for m in {LATER!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen")).stdout
    assert out.strip() == "[]"


def test_the_guidelines_are_rendered_when_their_panel_is_shown(qtbot, project):
    window = MainWindow(project, "tester")
    qtbot.addWidget(window)
    assert window.guidelines.browser.document().isEmpty()  # building the window rendered nothing
    shown(qtbot, window, activate=True)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F9)
    assert "Gold annotation of the seeds" in window.guidelines.browser.toPlainText()
