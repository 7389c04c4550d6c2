"""Live updates of a project on a server: changes other people commit reach this
project's windows within a second, as changes through the one edit runner (Edits.remote:
every view refreshes as for an edit; nothing enters this user's undo history).

A thread of its own holds a psycopg connection that LISTENs (store/live_listener.py) and
posts what arrives to the GUI thread through a Qt signal. When the server goes away (a
restart, the network) the thread says so through `connection`, tries again every few
seconds, and once back says so again and emits `resumed`: what changed meanwhile was not
told, so the windows read what they show again.
"""

from __future__ import annotations

import threading

import psycopg
from PySide6.QtCore import QObject, Signal

from annotator.core.errors import AnnotatorError
from annotator.store.live_listener import Listener
from annotator.store.location import ServerLocation
from annotator.ui.edits import Edits

WAIT_S = 0.2  # longest wait for a notification before looking whether to stop
RETRY_S = 2.0  # between attempts to reach a server that went away


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class LiveUpdates(QObject):
    arrived = Signal(object)  # list of live_listener.Logged, from the thread
    connection = Signal(bool, str)  # connected?, what to tell the user
    resumed = Signal()  # back after an outage: read again what is shown

    def __init__(self, edits: Edits, parent: QObject | None = None) -> None:
        super().__init__(parent)
        location = edits.project.path
        assert isinstance(location, ServerLocation)  # only a server has other people
        self.edits, self.location = edits, location
        self.connected = False
        self._stop = threading.Event()
        self._listener = Listener(location, edits.project.session)
        self.arrived.connect(self._deliver)  # queued: the signal is emitted on the thread
        self.connection.connect(self._note_connection)
        self._thread = threading.Thread(target=self._run, name="annotator live updates", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    # -- on the thread -----------------------------------------------------------------
    def _run(self) -> None:
        lost = False
        while not self._stop.is_set():
            try:
                self._listener.connect()
            except (psycopg.Error, AnnotatorError) as exc:
                if not lost:
                    lost = True
                    self.connection.emit(False, f"Live updates: cannot reach the server {self.location} "
                                                f"({_reason(exc)}); trying again every {RETRY_S:.0f} s. "
                                                "Other people's changes are not shown meanwhile")
                self._stop.wait(RETRY_S)
                continue
            if lost:
                lost = False
                self.connection.emit(True, f"Live updates: the server {self.location} is back; "
                                           "what is shown was read again")
                self.resumed.emit()
            else:
                self.connection.emit(True, "Live updates on: other people's changes are shown as they are saved")
            try:
                while not self._stop.is_set():
                    got = self._listener.wait(WAIT_S)
                    if got:
                        self.arrived.emit(got)
            except psycopg.Error as exc:
                if self._stop.is_set():
                    break
                lost = True
                self.connection.emit(False, f"Live updates: lost the server {self.location} ({_reason(exc)}); "
                                            f"reconnecting every {RETRY_S:.0f} s. Other people's changes are "
                                            "not shown meanwhile; your edits say whether they were saved")
        self._listener.close()

    # -- on the GUI thread ---------------------------------------------------------------
    def _deliver(self, logged: list) -> None:
        for entry in logged:
            self.edits.remote(entry.change, entry.versions)

    def _note_connection(self, up: bool, _message: str) -> None:
        self.connected = up
