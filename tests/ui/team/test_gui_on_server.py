"""The GUI on a project on the PostgreSQL server, logged in as an annotator: it annotates
as the login, labels with the real key, and the server keeps the layer blind."""

import re
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from PySide6.QtCore import Qt

from annotator.core.errors import AnnotatorError
from annotator.store.location import ServerLocation
from annotator.store.project import Project
from annotator.store.roles import add_user
from annotator.ui.app.launch import login_annotator
from annotator.ui.app.main_window import MainWindow
from tests.ui.helpers import open_doc, shown

EN = "004_8ff92d06c738168c"


def as_login(location: ServerLocation, name: str, password: str) -> ServerLocation:
    parts = urlsplit(location.url)
    return ServerLocation(urlunsplit((parts.scheme, f"{name}:{password}@{parts.hostname}:{parts.port}",
                                      parts.path, "", "")))


@pytest.fixture
def login(pg_databases):
    location = pg_databases.copy_of("seeded")
    add_user(location, "gui_ana", "annotator", "pw-ana")
    add_user(location, "gui_bob", "annotator", "pw-bob")
    with Project.open(as_login(location, "gui_ana", "pw-ana")) as project:
        yield location, project


def label_nato_as_org(win, qtbot) -> None:
    """The English seed opened, its first "NATO" selected and labelled ORG with the key."""
    open_doc(win, qtbot, EN)
    start = win.workspace.text.index("NATO")
    d = win.workspace.omap.to_display
    win.view.select(d(start), d(start + 4))
    qtbot.keyClick(win.view, "2")  # ORG
    qtbot.waitUntil(lambda: win.workspace.selected is not None)


def test_an_annotator_labels_as_the_login_and_another_login_cannot_see_it(login, qtbot):
    location, project = login
    name = login_annotator(project, None)
    assert name == "gui_ana"
    win = shown(qtbot, MainWindow(project, name), activate=True)
    assert win.windowTitle().startswith(location.database)
    label_nato_as_org(win, qtbot)
    with psycopg.connect(location.url) as owner:
        assert owner.execute("SELECT a.name, s.label FROM spans s JOIN annotators a ON a.id = s.annotator_id"
                             ).fetchall() == [("gui_ana", "ORG")]
    with psycopg.connect(as_login(location, "gui_bob", "pw-bob").url) as bob:
        assert bob.execute("SELECT count(*) FROM spans").fetchone() == (0,)


def test_asking_for_another_name_on_a_server_is_refused(login):
    _location, project = login
    with pytest.raises(AnnotatorError, match="you annotate as your login, gui_ana"):
        login_annotator(project, "someone_else")


def test_labelling_every_occurrence_in_the_corpus_on_the_server_is_one_step_that_undo_takes_back(login, qtbot):
    """Ctrl+Shift+E on a server project: the documents come from pg_trgm's search, each
    text is tested exactly, the spans get new time-ordered uids, and Ctrl+Z removes them all."""
    location, project = login
    win = shown(qtbot, MainWindow(project, "gui_ana"), activate=True)
    label_nato_as_org(win, qtbot)
    with psycopg.connect(location.url) as owner:
        texts = owner.execute("SELECT text FROM documents").fetchall()
    # whole words only: each seed's own count of "NATO" not inside a longer word
    expected = sum(len(re.findall(r"(?<!\w)NATO(?!\w)", t)) for (t,) in texts)
    assert expected > 2
    qtbot.keyClick(win.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: win.workspace.preview is not None and win.workspace.preview.isVisible())
    qtbot.keyClick(win.workspace.preview.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.workspace.preview is None)
    with psycopg.connect(location.url) as owner:
        uids = [u for (u,) in owner.execute("SELECT uid FROM spans ORDER BY id")]
    assert len(uids) == expected and uids[1:] == sorted(uids[1:])  # the step's uids in the order written
    qtbot.keyClick(win.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with psycopg.connect(location.url) as owner:
        assert owner.execute("SELECT uid FROM spans").fetchall() == [(uids[0],)]
