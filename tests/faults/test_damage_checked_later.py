"""Issue 18, start-up: the GUI opens a project with its damage check in the background
(`Project.open(check_later=True)`). A damaged project is still refused: nothing is
written to it, with the same message as before, and the window says so unasked."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMainWindow

from annotator.exporter import ExportChoice, export
from annotator.store.project import Project
from annotator.store.recognise import DamagedProject
from annotator.store.spans import add_span
from annotator.ui.app import integrity_watch

from .conftest import sha
from .test_damage_and_busy import damage_an_index_page, project_with_spans


def test_a_damaged_project_checked_later_is_never_written(tmp_path):
    path = project_with_spans(tmp_path / "p.annotator")
    page = damage_an_index_page(path)
    before = sha(path)
    with Project.open(path, check_later=True) as project:
        with pytest.raises(DamagedProject, match=f"damaged .*page {page}"):
            add_span(project, 1, "ana", 0, 1, "ORG")
        assert project.integrity is not None and project.integrity.done
        out = tmp_path / "gold.jsonl"
        with pytest.raises(DamagedProject):  # no export read half from it either
            export(project, ExportChoice(out))
        assert not out.exists()
    assert sha(path) == before


def test_a_whole_project_checked_later_is_written_once_checked(tmp_path):
    path = project_with_spans(tmp_path / "p.annotator")
    with Project.open(path, check_later=True) as project:
        add_span(project, 1, "ana", 1, 2, "ORG")  # waits for the check, which passes
        assert project.integrity is not None and project.integrity.problem is None


def test_the_window_says_a_damaged_project_at_once(tmp_path, qtbot, monkeypatch):
    path = project_with_spans(tmp_path / "p.annotator")
    damage_an_index_page(path)
    shown: list[str] = []
    monkeypatch.setattr(integrity_watch, "error", lambda _parent, _title, text: shown.append(text))
    with Project.open(path, check_later=True) as project:
        window = QMainWindow()
        qtbot.addWidget(window)
        integrity_watch.watch_integrity(project, window)
        qtbot.waitUntil(lambda: bool(shown))
        assert "damaged" in shown[0] and "Nothing will be saved" in shown[0]
        assert "damaged" in window.statusBar().currentMessage()
