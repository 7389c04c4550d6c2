"""Issue 18, launch: when `annotator gui` has shown its window, the suggestions' models
(numpy, crfsuite), the formats, the dashboard's plots, Alembic and jsonschema are not
imported yet, and no other thread runs: the damage check and the recommenders' training
start from the event loop once the window is up. Both still happen then. Cyclic garbage
collection waits until then too, and the modules without Qt are imported before Qt.

A fresh process each time (what a module imported at start-up costs is only seen there);
`Session.show_project` is wrapped to look at the moment it has shown the window, before
the event loop has run anything (and only once the launch has imported what it imports
before Qt, so that the probe itself imports Qt no earlier than the launch does)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from annotator.importer import seed
from annotator.store.project import Project

NOT_YET = ("numpy", "pycrfsuite", "annotator.suggest.training", "annotator.suggest.crf",
           "annotator.suggest.word_clusters", "pyqtgraph", "alembic", "jsonschema", "annotator.formats",
           "annotator.exporter", "annotator.importer")

PROBE = f"""
import gc, os, sys, threading
from annotator.cli import main
from annotator.ui.app import launch

NOT_YET = {NOT_YET!r}
before_qt = launch.import_before_qt


def import_before_qt():  # then Qt, as the launch imports it, and the probe on the session
    before_qt()
    from annotator.ui.app import session

    made = session.Session.show_project

    def show_project(self, project, annotator=None):
        from PySide6.QtCore import QTimer

        window = made(self, project, annotator)
        print("SHOWN", sorted(m for m in NOT_YET if m in sys.modules), [t.name for t in threading.enumerate()],
              project.integrity is not None and project.integrity.done, flush=True)
        print("GC", gc.isenabled(), gc.get_freeze_count() > 0, flush=True)
        names = list(sys.modules)
        print("AFTER_QT", sorted(n for n in names[names.index("PySide6"):]
                                 if n.startswith("annotator.") and not n.startswith("annotator.ui.")
                                 and is_code(sys.modules[n])), flush=True)

        def after():
            if project.integrity.done and window.suggestions.trainings:
                print("AFTER", project.integrity.problem, window.suggestions.retrainer.process.pid is not None,
                      flush=True)
                print("GC AFTER", gc.isenabled(), gc.get_freeze_count() > 0, flush=True)
                os._exit(0)

        poll = QTimer(window, interval=50)
        poll.timeout.connect(after)
        poll.start()
        return window

    session.Session.show_project = show_project


def is_code(module):  # not an empty package __init__
    path = getattr(module, "__file__", None) or ""
    with open(path, encoding="utf-8") as fh:
        return not (path.endswith("__init__.py") and not fh.read().strip())


launch.import_before_qt = import_before_qt
main(["gui", sys.argv[1], "--annotator", "ana"])
"""


def launched(project, tmp_path) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ANNOTATOR_DATA_DIR=str(tmp_path / "data"))
    env.pop("ANNOTATOR_EXIT_WHEN_SHOWN", None)
    out = subprocess.run([sys.executable, "-c", PROBE, str(project)], capture_output=True, text=True, env=env,
                         timeout=600).stdout
    return out.splitlines()


@pytest.fixture(scope="module")
def lines(tmp_path_factory) -> list[str]:
    tmp_path = tmp_path_factory.mktemp("launch")
    path = tmp_path / "p.annotator"
    with Project.create(path) as project:
        seed(project)  # gold spans: the recommenders have something to train on
    return launched(path, tmp_path)


def test_the_window_is_shown_before_the_models_the_check_and_the_training(lines):
    shown = next(line for line in lines if line.startswith("SHOWN"))
    assert shown == "SHOWN [] ['MainThread'] False"
    # Once the window is up, the check passes and the training runs (in its child process,
    # which the window started: the window imports the models only when trained ones come back).
    assert "AFTER None True" in lines


def test_no_cyclic_collection_until_the_window_is_shown_then_the_start_is_frozen(lines):
    assert "GC False False" in lines  # paused while the window was built
    assert "GC AFTER True True" in lines  # resumed, what the start made frozen out of its way


def test_modules_without_qt_are_imported_before_qt(lines):
    """PySide6 reads the source of each module imported after it: the launch imports the
    modules it needs outside annotator.ui (which has all the Qt) first (launch.BEFORE_QT)."""
    assert "AFTER_QT []" in lines
