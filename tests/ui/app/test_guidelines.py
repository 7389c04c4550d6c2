"""Help > Guidelines (F9): the project's guidelines in a dockable panel, imported from a
file as one undoable step, following the selected span's label, never loading what the
Markdown names."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFileDialog

from annotator.store.guidelines import guidelines
from annotator.ui.app.main_window import MainWindow
from tests.ui.helpers import shown

CTRL = Qt.KeyboardModifier.ControlModifier


def test_f9_shows_the_seed_guidelines_at_the_selected_spans_rule_and_hides_them(qtbot, window):
    dock = window.guidelines
    assert not dock.isVisible()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F9)
    assert dock.isVisible() and dock.browser.hasFocus()
    shown_text = dock.browser.toPlainText()
    assert "Gold annotation of the seeds" in shown_text and "**" not in shown_text  # rendered, not raw
    assert dock.browser.verticalScrollBar().value() == 0  # from the top
    window.view.setFocus()
    text = window.view.toPlainText()  # a seed in Latin script: no astral characters before the word
    word = next(w for w in ("NATO", "OTAN") if w in text)
    cursor = window.view.textCursor()
    cursor.setPosition(text.index(word) + 1)
    at = window.view.cursorRect(cursor).center() + QPoint(2, 0)
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # ORG: the new span is the selected one
    assert window.workspace.highlighter.mark(window.workspace.selected).label == "ORG"
    at = dock.browser.rule_for("ORG")
    assert dock.browser.document().findBlock(at).text().startswith("ORG")
    assert dock.browser.verticalScrollBar().value() > 0  # scrolled down to the ORG rule
    assert dock.browser.textCursor().block().text().startswith("ORG")
    qtbot.keyClick(window.view, Qt.Key.Key_F9)  # the panel is shown: F9 goes to it
    assert dock.browser.hasFocus()
    qtbot.keyClick(dock.browser, Qt.Key.Key_F9)  # and from it, hides it
    assert not dock.isVisible() and window.view.hasFocus()


def test_importing_a_file_is_one_undoable_step_kept_in_the_project(qtbot, window, project, tmp_path, monkeypatch):
    rules = tmp_path / "rules.md"
    rules.write_text("# Our rules\n\n## DATE\n\nDates carry an ISO value: ১৩ জুন ২০২৩ is 2023-06-13.\n",
                     encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(rules), ""))
    qtbot.keyClick(window.view, Qt.Key.Key_F9)
    qtbot.mouseClick(window.guidelines.import_button, Qt.MouseButton.LeftButton)
    assert "১৩ জুন ২০২৩" in window.guidelines.browser.toPlainText()
    with project.read() as conn:
        assert guidelines(conn).startswith("# Our rules")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert "Gold annotation of the seeds" in window.guidelines.browser.toPlainText()
    with project.read() as conn:
        assert guidelines(conn).startswith("# Gold annotation of the seeds")
    qtbot.keyClick(window.view, Qt.Key.Key_Y, CTRL)
    window.close()
    again = shown(qtbot, MainWindow(project, "tester"))  # the panel restored open renders after the window
    qtbot.waitUntil(lambda: "Our rules" in again.guidelines.browser.toPlainText())


def test_a_file_that_is_not_text_is_refused_with_its_name_and_nothing_changes(qtbot, window, project, tmp_path,
                                                                              monkeypatch):
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7\x00\x01\x02")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(binary), ""))
    qtbot.keyClick(window.view, Qt.Key.Key_F9)
    qtbot.mouseClick(window.guidelines.import_button, Qt.MouseButton.LeftButton)
    assert "scan.pdf" in window.statusBar().currentMessage()
    with project.read() as conn:
        assert guidelines(conn).startswith("# Gold annotation of the seeds")


def test_the_markdown_never_loads_what_it_names(qtbot, window, project, tmp_path):
    picture = tmp_path / "picture.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    url = QUrl.fromLocalFile(str(picture))
    browser = window.guidelines.browser
    browser.show_markdown(f'![p]({url.toString()})\n\n<img src="{url.toString()}">\n')
    image = int(QTextDocument.ResourceType.ImageResource)
    assert not browser.loadResource(image, url)
    assert not browser.document().resource(image, url)  # the document did not read the file either


def test_a_project_without_guidelines_says_how_to_add_them(qtbot, empty_project):
    win = shown(qtbot, MainWindow(empty_project, "ana"), activate=True)
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_F9)
    assert win.guidelines.empty.isVisible() and "no guidelines yet" in win.guidelines.empty.text()
