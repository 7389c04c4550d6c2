"""The window shown while no project is open (after File > Close project): New, Open,
and the recent projects, with the File menu of the action registry's START area."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMainWindow, QPushButton, QVBoxLayout, QWidget

from annotator.ui.app.recent_dialog import entry_text
from annotator.ui.app.recent_projects import RecentProjects
from annotator.ui.widgets.actions import START, build, show_overview
from annotator.ui.widgets.plain import plain_label


class StartWindow(QMainWindow):
    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("No project open — Annotator")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        new, open_ = QPushButton("&New project…"), QPushButton("&Open project…")
        new.clicked.connect(lambda: session.new_project(self))
        open_.clicked.connect(lambda: session.open_dialog(self))
        self.recent = QListWidget()
        for entry in RecentProjects().entries():
            item = QListWidgetItem(entry_text(entry.path, entry.missing))
            item.setData(Qt.ItemDataRole.UserRole, str(entry.path))
            if entry.missing:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(item)
        self.recent.itemActivated.connect(lambda item: session.open_path(Path(item.data(Qt.ItemDataRole.UserRole)),
                                                                         self))
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.addWidget(plain_label("No project is open. Create one, open one, or pick a recent one:"))
        layout.addWidget(new)
        layout.addWidget(open_)
        layout.addWidget(self.recent, 1)
        self.setCentralWidget(centre)
        self.actions_by_name = build(self, START, {
            "new_project": lambda: session.new_project(self), "open_project": lambda: session.open_dialog(self),
            "open_recent": lambda: session.open_recent(self), "quit": self.close,
            "shortcuts": lambda: show_overview(self, START, []),
        })
        self.resize(640, 420)
