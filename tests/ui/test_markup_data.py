"""Data that looks like HTML is shown as text in every window, never read as markup.

Every field that reaches the screen from a project (document ids, titles, languages,
groups, texts, annotator names, labels, values, notes, event types, roles, a schema
label's description) carries `<b>...</b>` and an `<img>`. Qt reads a label, a tooltip or
a message box as HTML when its first line merely looks like it, and an imported
`<img src="/dev/zero">` aborted the application (std::bad_alloc) at every start.
The records are written with the store's own writer, as an older project may hold them
whatever import checks today.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import Qt, QTextDocument  # QtGui's Qt has mightBeRichText
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QMessageBox, QWidget

from annotator.core.records import ArgumentRecord, ClaimRecord, DocumentRecord, EventRecord, SpanRecord
from annotator.paths import resources_dir
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.store.records_in import Incoming, write_records
from annotator.ui.app.main_window import MainWindow
from annotator.ui.parallel.groups_dialog import GroupsDialog
from annotator.ui.widgets.shortcuts_dialog import ShortcutsDialog
from tests.ui.helpers import shown

IMG = '<img src="/nonexistent/annotator-markup-test.png">'


def m(field: str) -> str:
    """A field's value: markup a rich-text widget would render as bold text and an image."""
    return f"<b>{field}</b>{IMG}"


def markup_schema() -> str:
    schema = json.loads((resources_dir() / "schema.json").read_text(encoding="utf-8"))
    schema["labels"][0]["description"] = m("description")  # PERSON
    schema["claim_roles"][0]["description"] = m("claimant")  # the claim's reminder row shows it
    return json.dumps(schema)


def records() -> list[DocumentRecord]:
    """Two translations in one group, each with two annotators' layers, and two documents
    without a group that share numbers (so a group is suggested for them)."""
    quote = m("text")
    text_a = f"Ana met Bob in Pristina on 12 March 2023 with 4512 people. {quote} said Ana."
    text_b = f"Ana a rencontré Bob à Pristina le 12 mars 2023 avec 4512 personnes. {quote} a dit Ana."
    out = []
    for key, lang, text in (("A", m("la"), text_a), ("B", m("lb"), text_b)):
        q = text.index(quote)
        for name, label in ((m("ana"), "PERSON"), (m("bob"), m("label"))):
            spans = (SpanRecord("s1", 0, 3, label, "Ana"),
                     SpanRecord("s2", q, q + len(quote), "ORG", quote, value=m("value"), note=m("note")))
            met = text.index(text.split()[1])
            out.append(DocumentRecord(
                m("uid" + key), lang, text, title=m("title" + key), group=m("group"), annotator=name, spans=spans,
                events=(EventRecord("e1", m("etype"), met, met + len(text.split()[1]), text.split()[1],
                                    (ArgumentRecord(m("role"), "s1"),)),),
                claims=(ClaimRecord("c1", q, q + len(quote), quote, (ArgumentRecord(m("crole"), "s2"),)),),
                status="in_progress"))
    for key, lang, word in (("C", m("lc"), "Report"), ("D", m("ld"), "Rapport")):
        out.append(DocumentRecord(m("uid" + key), lang, f"{word} 7731: 88412 votes, 55190 ballots, 39276 seats in 1987.",
                                  title=m("title" + key)))
    return out


def make_project(path: Path) -> Project:
    project = Project.create(path, markup_schema())
    with project.write() as conn:
        write_records(conn, [Incoming(r, "test") for r in records()])
    return project


@pytest.fixture
def markup_project(tmp_path):
    with make_project(tmp_path / "markup.annotator") as project:
        yield project


@pytest.fixture
def win(qtbot, markup_project):
    window = shown(qtbot, MainWindow(markup_project, m("ana")), activate=True)
    with markup_project.read() as conn:
        doc = next(d for d in list_documents(conn) if d.uid == m("uidA"))
    window.navigator.select_document(doc.id)
    qtbot.waitUntil(lambda: window.workspace.doc_id == doc.id)
    return window


# -- what a widget shows ----------------------------------------------------------------
def is_rich(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> bool:
    return fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and Qt.mightBeRichText(text))


def rendered(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """The characters a label (or tooltip) with this text and format puts on the screen."""
    if not is_rich(text, fmt):
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def label_shows(label: QLabel) -> str:
    return rendered(label.text(), label.textFormat())


def item_tooltips(view: QAbstractItemView) -> list[str]:
    model, tips = view.model(), []
    if model is None:
        return tips

    def walk(parent, depth):
        for row in range(model.rowCount(parent)):
            for col in range(model.columnCount(parent)):
                index = model.index(row, col, parent)
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str):
                    tips.append(tip)
                if col == 0 and depth < 2:
                    walk(index, depth + 1)
    walk(model.index(-1, -1), 0)
    return tips


def assert_nothing_read_as_markup(window: QWidget) -> int:
    """No label, tooltip or list tooltip of `window` takes data for markup: wherever the
    image tag of the data is in a text, it is on the screen as text. Returns how many
    texts carried data, so a caller can tell the sweep saw some."""
    seen = 0
    for label in window.findChildren(QLabel):
        if "<img" in label.text() or "&lt;img" in label.text():
            seen += 1
            shown = label_shows(label)
            # A quotation cut short ("«…»") shows the start of the data, still as text.
            cut = "…»" in shown and "<b>text</b><img" in shown
            assert IMG in shown or cut, (label.objectName(), label.text())
    tips = [w.toolTip() for w in [window, *window.findChildren(QWidget)]]
    for view in window.findChildren(QAbstractItemView):
        tips += item_tooltips(view)
    for tip in tips:
        if "<img" in tip or "&lt;img" in tip:
            seen += 1
            assert IMG in rendered(tip), tip
    return seen


# -- the windows ---------------------------------------------------------------------------
def test_main_window_shows_every_field_as_text(win, qtbot):
    shows = label_shows(win.doc_title)
    for value in (m("titleA"), m("la"), m("uidA")):
        assert value in shows
    assert label_shows(win.annotator_label) == f"Annotator: {m('ana')}"
    # The text itself, with the quoted markup, is in the view as characters.
    assert m("text") in win.view.toPlainText()

    # Inspector: the span on the markup with its value and note.
    quote = next(s for s in win.workspace.spans() if s.label == "ORG")
    win.workspace.select_span(quote.uid)
    insp = win.inspector
    assert m("ana") in label_shows(insp.title)
    assert label_shows(insp.text_view) == m("text")
    assert insp.value_edit.text() == m("value")
    assert insp.note_edit.toPlainText() == m("note")
    # The span labelled with a label the schema does not have (bob's layer is not shown;
    # ana's PERSON is): the label combo lists schema labels with their description.
    tip = insp.label_combo.itemData(0, Qt.ItemDataRole.ToolTipRole)
    assert rendered(tip) == m("description")

    # Palette: the description is the PERSON row's tooltip, literally.
    person = win.palette.findChildren(QWidget, "paletteRow")[0]
    assert rendered(person.toolTip()).startswith(m("description"))

    # Events and claims panel: type and role names, the claim's text, literally.
    rows = win.frames_panel.rows()
    assert any(m("etype") in heading for heading, _text in rows), rows
    assert any(m("text") in text for _heading, text in rows), rows
    args = [a for i in range(len(rows)) for a in win.frames_panel.arguments(i)]
    assert any(m("role") in role for role, _text in args) and any(m("crole") in role for role, _t in args), args
    # A role's description from the schema: the tooltip of its cell, literally.
    claim = next(i for i, (heading, _text) in enumerate(rows) if heading == "CLAIM")
    top = win.frames_panel.tree.topLevelItem(claim)
    claimant = next(top.child(j) for j in range(top.childCount()) if top.child(j).text(0) == "claimant")
    assert rendered(claimant.toolTip(0)) == m("claimant")
    assert assert_nothing_read_as_markup(win) >= 5


def test_side_by_side_headers_are_text(win, qtbot):
    win.others.open_side_by_side()
    parallel = win.others.parallel
    qtbot.waitUntil(parallel.isVisible)
    titles = [label_shows(p.title) for p in parallel.open_panes]
    assert m("titleA") in titles[0] and m("la") in titles[0] and m("uidA") in titles[0]
    assert m("titleB") in titles[1] and m("lb") in titles[1] and m("uidB") in titles[1]
    parallel.open_panes[0].view.setFocus()
    qtbot.waitUntil(lambda: bool(parallel.pair_label.text()))
    assert f"{m('la')} ↔ {m('lb')}" in label_shows(parallel.pair_label)
    assert assert_nothing_read_as_markup(parallel) >= 2


def test_adjudication_headers_and_detail_are_text(win, qtbot):
    adjudication = win.others.open_adjudication()
    qtbot.waitExposed(adjudication)
    title = label_shows(adjudication.title)
    for value in (m("titleA"), m("la"), m("uidA"), m("ana")):
        assert value in title
    headers = [label_shows(p.header) for p in adjudication.panes]
    assert m("ana") in headers[0] and m("bob") in headers[1]
    # ana's PERSON against bob's label from the data: the detail names both, literally.
    row = next(i for i in range(adjudication.model.rowCount()) if adjudication.model.row(i).start == 0)
    adjudication.select_row(row)
    detail = label_shows(adjudication.detail)
    assert m("bob") in detail and m("label") in detail
    assert assert_nothing_read_as_markup(adjudication) >= 4
    adjudication.close()


def test_dashboard_is_text(win, qtbot):
    dash = win.others.open_statistics()
    qtbot.waitUntil(lambda: {"overview", "agreement", "groups"} <= dash.drawn_since_refresh, timeout=20000)
    names = [dash.layer_box.itemText(i) for i in range(dash.layer_box.count())]
    assert m("ana") in names and m("bob") in names
    assert_nothing_read_as_markup(dash)
    dash.close()
    dash.wait()


def test_groups_dialog_lists_titles_and_ids_as_text(win, qtbot, markup_project):
    dialog = shown(qtbot, GroupsDialog(markup_project, win.edits, win))
    top = dialog.tree.topLevelItem(0)
    assert top is not None, "the two documents without a group share their numbers: one suggestion"
    members = [top.child(i).text(0) for i in range(top.childCount())]
    assert members == [f"{m('titleC')}  ({m('uidC')})", f"{m('titleD')}  ({m('uidD')})"]
    assert top.text(0) == f"2 documents: {m('lc')} · {m('ld')}"
    assert_nothing_read_as_markup(dialog)


def test_shortcuts_filter_echo_is_text(win, qtbot):
    dialog = shown(qtbot, ShortcutsDialog([("Go", "Next", "N")], win))
    dialog.filter.setText("<b>x</b>")
    assert label_shows(dialog.empty) == "No shortcut matches “<b>x</b>”"


def test_question_about_a_span_in_use_is_text(win, qtbot):
    ana = next(s for s in win.workspace.spans() if s.start == 0)
    asked = []

    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        asked.append(rendered(box.text(), box.textFormat()))
        box.button(QMessageBox.StandardButton.No).click()
    QTimer.singleShot(0, answer)
    win.workspace.select_span(ana.uid)
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked))
    assert f"the {m('role')} of an event" in asked[0]
    assert win.workspace.highlighter.mark(ana.uid) is not None  # "No": nothing deleted


# -- the real thing, where a regression aborts: in a child process with bounded memory ----------
CHILD = textwrap.dedent("""
    import resource, sys
    from pathlib import Path
    # Old code read /dev/zero until allocation failed: bound it, so it fails fast.
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication, QToolTip, QWidget
    from tests.ui import test_markup_data as t
    t.IMG = '<img src="/dev/zero">'
    app = QApplication([])
    project = t.make_project(Path(sys.argv[1]))
    from annotator.ui.app.main_window import MainWindow
    win = MainWindow(project, t.m("ana"))
    win.show()
    app.processEvents()
    win.others.open_side_by_side()
    win.others.open_adjudication()
    person = win.palette.findChildren(QWidget, "paletteRow")[0]
    QToolTip.showText(person.mapToGlobal(QPoint(2, 2)), person.toolTip(), person)
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.grab()  # lays out and paints every label
    app.processEvents()
    print("alive", QToolTip.isVisible())
    win.others.close_all()
    project.close()
""")


def test_an_image_of_dev_zero_in_the_data_does_not_abort(tmp_path):
    root = Path(__file__).resolve().parents[2]
    env = {**__import__("os").environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen",
           "ANNOTATOR_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "zero.annotator")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("alive"), proc.stdout
