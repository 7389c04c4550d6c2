"""Fixtures of the GUI tests: a seeded project in tmp_path and a shown main window."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.schema import parse_schema
from annotator.importer import seed
from annotator.paths import resources_dir
from annotator.store.project import Project
from annotator.ui.app.main_window import MainWindow
from tests.ui.helpers import shown


@pytest.fixture
def schema():
    """The default annotation schema."""
    return parse_schema((resources_dir() / "schema.json").read_text(encoding="utf-8"), "schema.json")


@pytest.fixture
def project(tmp_path: Path):
    with Project.create(tmp_path / "gui.annotator") as project:
        seed(project)
        yield project


@pytest.fixture
def window(qtbot, project):
    return shown(qtbot, MainWindow(project, "tester"), activate=True)
