"""Issue 18, launch: when `annotator gui` has shown its window, the suggestions' models
(numpy, crfsuite), the formats, the dashboard's plots, Alembic and jsonschema are not
imported yet, and no other thread runs: the damage check and the recommenders' training
start from the event loop once the window is up. Both still happen then.

A fresh process each time (what a module imported at start-up costs is only seen there);
`Session.show_project` is wrapped to look at the moment it has shown the window, before
the event loop has run anything."""

from __future__ import annotations

import os
import subprocess
import sys

from annotator.importer import seed
from annotator.store.project import Project

NOT_YET = ("numpy", "pycrfsuite", "annotator.suggest.training", "annotator.suggest.crf",
           "annotator.suggest.word_clusters", "pyqtgraph", "alembic", "jsonschema", "annotator.formats",
           "annotator.exporter", "annotator.importer")

PROBE = f"""
import os, sys, threading
from PySide6.QtCore import QTimer
from annotator.ui.app import session

NOT_YET = {NOT_YET!r}
made = session.Session.show_project


def show_project(self, project, annotator=None):
    window = made(self, project, annotator)
    print("SHOWN", sorted(m for m in NOT_YET if m in sys.modules), [t.name for t in threading.enumerate()],
          project.integrity is not None and project.integrity.done, flush=True)

    def after():
        if project.integrity.done and window.suggestions.trainings:
            print("AFTER", project.integrity.problem, "numpy" in sys.modules, flush=True)
            os._exit(0)

    poll = QTimer(window, interval=50)
    poll.timeout.connect(after)
    poll.start()
    return window


session.Session.show_project = show_project
from annotator.cli import main
main(["gui", sys.argv[1], "--annotator", "ana"])
"""


def launched(project, tmp_path) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ANNOTATOR_DATA_DIR=str(tmp_path / "data"))
    env.pop("ANNOTATOR_EXIT_WHEN_SHOWN", None)
    out = subprocess.run([sys.executable, "-c", PROBE, str(project)], capture_output=True, text=True, env=env,
                         timeout=600).stdout
    return out.splitlines()


def test_the_window_is_shown_before_the_models_the_check_and_the_training(tmp_path):
    path = tmp_path / "p.annotator"
    with Project.create(path) as project:
        seed(project)  # gold spans: the recommenders have something to train on
    lines = launched(path, tmp_path)
    shown = next(line for line in lines if line.startswith("SHOWN"))
    assert shown == "SHOWN [] ['MainThread'] False"
    # Once the window is up, the check passes and the training runs (it imports the models).
    assert "AFTER None True" in lines
