"""Predictions made elsewhere loaded through the Import dialog's "as suggestions" option,
with its real buttons and keys: the open document shows them as ghost spans of the named
source at once, the dialog and the status bar count them; a broken file is refused with
its name and line, and nothing is written."""

from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import Qt

from annotator.store.layers import layer_annotators
from annotator.store.queries import document_text
from annotator.store.suggestions import stored_suggestions
from annotator.ui.app import file_dialogs
from annotator.ui.app.main_window import MainWindow
from tests.ui.app.file_helpers import button
from tests.ui.helpers import open_doc, shown

CTRL = Qt.KeyboardModifier.ControlModifier
EN = "004_8ff92d06c738168c"


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "user-data"))


def import_through_the_dialog(qtbot, win, monkeypatch, path, source: str):
    """Ctrl+I, Add files… (answered with `path`), the "as suggestions" box, the source
    name typed, Import; back once the job has ended."""
    monkeypatch.setattr(file_dialogs, "open_files", lambda *a, **k: [path])
    qtbot.keyClick(win, Qt.Key.Key_I, CTRL)
    dialog = win.files.import_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.mouseClick(button(dialog, "Remove"), Qt.MouseButton.LeftButton)  # nothing selected: keeps the list
    dialog.files.selectAll()
    qtbot.mouseClick(button(dialog, "Remove"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(dialog, "Add files…"), Qt.MouseButton.LeftButton)
    assert dialog.paths() == [path]
    if not dialog.as_suggestions.isChecked():
        assert not dialog.source.isEnabled()
        qtbot.mouseClick(dialog.as_suggestions, Qt.MouseButton.LeftButton)
    assert dialog.source.isEnabled() and not dialog.strict.isEnabled()
    dialog.source.clear()
    qtbot.mouseClick(dialog.source, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.source, source)
    qtbot.keyClick(dialog.source, Qt.Key.Key_Return)  # Enter in the name field does not start it
    assert dialog.job is None or not dialog.job.running
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.job.running, timeout=30000)
    return dialog


def test_predictions_load_as_a_named_source_and_show_as_ghosts(qtbot, project, tmp_path, monkeypatch):
    win = shown(qtbot, MainWindow(project, "tester"), activate=True)
    en = open_doc(win, qtbot, EN)
    with project.read() as conn:
        text = document_text(conn, en)
        layers = layer_annotators(conn)
    start = text.index("Mircea Geoană")
    end = start + len("Mircea Geoană")

    # A broken second line: refused with the file and the line, nothing written.
    bad = tmp_path / "broken.jsonl"
    good_line = orjson.dumps({"id": "p1", "lang": "en", "text": text,
                              "spans": [{"start": start, "end": end, "label": "PERSON"}]}).decode()
    bad.write_text(good_line + '\n{"id": "p2", "text": \n', encoding="utf-8")
    dialog = import_through_the_dialog(qtbot, win, monkeypatch, bad, "llm")
    message = dialog.status.text()
    assert message.startswith("Nothing imported:") and str(bad) in message and "line 2" in message, message
    with project.read() as conn:
        assert stored_suggestions(conn) == [] and layer_annotators(conn) == layers
    assert [g for g in win.suggestions.shown() if g.source == "llm"] == []

    # The same prediction and one record for a text the project lacks: one suggestion loaded, one record named.
    good = tmp_path / "predictions.jsonl"
    stray = orjson.dumps({"id": "p3", "lang": "en", "text": "Not in the project.", "spans": []}).decode()
    good.write_text(good_line + "\n" + stray + "\n", encoding="utf-8")
    dialog = import_through_the_dialog(qtbot, win, monkeypatch, good, "llm")
    counted = "Loaded 1 suggestion(s) for 1 document(s) as source «llm»; 1 record(s) matched no document."
    assert dialog.status.text() == counted
    assert f"{good}: line 2: no document in the project has this text" in dialog.summary.toPlainText()
    assert win.statusBar().currentMessage() == counted
    # In the open document at once, as a ghost of that source (not a span of any layer).
    assert [(g.start, g.end, g.label, g.source) for g in win.suggestions.shown() if g.source == "llm"] == \
        [(start, end, "PERSON", "llm")]
    with project.read() as conn:
        assert [(r.start, r.end, r.label, r.source) for r in stored_suggestions(conn)] == [(start, end, "PERSON", "llm")]
        assert layer_annotators(conn) == layers
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    win.close()
