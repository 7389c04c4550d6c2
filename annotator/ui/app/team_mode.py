"""The main window on a project on a server (team mode): live updates and what the status
bar says of the server, an annotator's queue in the navigator, taking the next document
from the pool, and a manager's assignment dialog.

An annotator whose project has assignment places sees only the documents they took
(finished or not); "Take the next document" (Ctrl+Alt+N) takes one from the pool with
`SELECT ... FOR UPDATE SKIP LOCKED` (store/assignment.py). Curators and managers see
every document. A manager opens places for N annotators per document, with a timeout
and a quota, from File ▸ Assign documents to annotators.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMainWindow,
    QSpinBox,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.store import assignment, roles, versions
from annotator.ui.edits import REMOTE
from annotator.ui.widgets.plain import plain_label


class TeamMode(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.project, self.annotator = window.project, window.annotator
        with self.project.read() as conn:
            self.role = roles.login_role(conn)
        self.state = plain_label()
        window.statusBar().addPermanentWidget(self.state)
        from annotator.ui.live import LiveUpdates  # psycopg is the `team` extra: imported on a server only

        self.live = LiveUpdates(window.edits, self)
        self.live.connection.connect(self._connection)
        self.live.resumed.connect(self._resumed)
        self.live.arrived.connect(self._tell)
        window.edits.changed.connect(self._on_change)
        self.state.setText("○ connecting")
        self.apply_queue()
        self.live.start()

    def stop(self) -> None:
        self.live.stop()

    # -- the queue -------------------------------------------------------------------------
    def queue(self) -> list[int] | None:
        """An annotator's documents when the project assigns work; None: every document."""
        if self.role != "annotator":
            return None
        with self.project.read() as conn:
            return assignment.held(conn, self.annotator) if assignment.in_use(conn) else None

    def apply_queue(self) -> None:
        queue = self.queue()
        self.window.navigator.set_queue(queue)
        if queue is not None and self.window.workspace.doc_id not in queue:
            self.window.open_document(queue[0] if queue else None)

    def take_next(self) -> int | None:
        """The next document of this login (its unfinished one, else one from the pool), opened."""
        try:
            doc = assignment.next_document(self.project, self.annotator)
        except AnnotatorError as exc:
            self.window.statusBar().showMessage(str(exc), 10000)
            return None
        if doc is None:
            self.window.statusBar().showMessage("The pool has no document for you now (every place is taken, "
                                                "or your quota is reached)", 10000)
            return None
        self.apply_queue()
        self.window.navigator.select_document(doc)
        self.window.open_document(doc)
        self.window.statusBar().showMessage("Your next document is open", 5000)
        return doc

    def assign(self) -> None:
        if self.role != "manager":
            self.window.statusBar().showMessage(f"Only a manager assigns documents; you are {self.role} "
                                                f"{self.annotator}", 10000)
            return
        AssignDialog(self.project, self.window).exec()

    # -- live updates ------------------------------------------------------------------------
    def _connection(self, up: bool, message: str) -> None:
        self.state.setText("● live" if up else "✕ server away")
        self.state.setToolTip(message)
        self.window.statusBar().showMessage(message, 8000 if up else 0)  # an outage stays said until it ends

    def _tell(self, logged: list) -> None:
        last = logged[-1]
        self.window.statusBar().showMessage(f"{last.changed_by}: {last.change.description} "
                                            f"({last.changed_at:%H:%M:%S} UTC)", 8000)

    def _on_change(self, change, initiator) -> None:
        if initiator == REMOTE and change.touches("assignments"):
            self.apply_queue()

    def _resumed(self) -> None:
        """Back after an outage: what changed meanwhile was not told; read it all again."""
        with self.project.read() as conn:
            self.project.seen_versions = versions.read_all(conn)
        self.apply_queue()
        self.window.navigator.refresh()
        self.window.reload_document()


class AssignDialog(QDialog):
    """A manager opens places on every document for N annotators (with a timeout after
    which untouched work goes back to the pool, and a quota per annotator)."""

    def __init__(self, project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle("Assign documents to annotators")
        with project.read() as conn:
            rules = assignment.settings(conn)
        self.copies = QSpinBox(minimum=1, maximum=50, value=2)
        self.copies.setToolTip("How many annotators label each document (places already open are kept)")
        self.timeout = QSpinBox(minimum=1, maximum=100000, value=int(rules.timeout.total_seconds() // 60),
                                suffix=" min")
        self.timeout.setToolTip("A document taken and untouched this long goes back to the pool")
        self.quota = QSpinBox(minimum=0, maximum=100000, value=rules.quota or 0, specialValueText="no limit")
        self.quota.setToolTip("How many documents one annotator may take in all")
        self.result_label = QLabel()
        form = QFormLayout(self)
        form.addRow("Annotators per document:", self.copies)
        form.addRow("Back to the pool after:", self.timeout)
        form.addRow("Documents per annotator:", self.quota)
        form.addRow(self.result_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Assign")
        buttons.accepted.connect(self.run)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def run(self) -> int | None:
        try:
            # A quota of 0 is stored as such and read as no limit (None would keep the old one).
            added = assignment.assign(self.project, self.copies.value(), self.timeout.value(), self.quota.value())
        except AnnotatorError as exc:
            self.result_label.setText(str(exc))
            return None
        self.result_label.setText(f"✓ Saved: {added} new place{'' if added == 1 else 's'} opened "
                                  f"({self.copies.value()} per document)")
        return added
