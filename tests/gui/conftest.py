"""Fixtures of the GUI tests: a seeded project in tmp_path and a shown main window."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.importer import seed
from annotator.store.project import Project
from annotator.ui.main_window import MainWindow


@pytest.fixture
def project(tmp_path: Path):
    with Project.create(tmp_path / "gui.annotator") as project:
        seed(project)
        yield project


@pytest.fixture
def window(qtbot, project):
    win = MainWindow(project, "tester")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win
