"""A file job (import, export) off the GUI thread, on Qt's thread pool, in the manner of
ui/parallel/align_worker.py: the function gets `cancelled` (a callable) and `progress`
(done, total, what: total 0 when unknown) keywords, and the job re-emits what happens on
the GUI thread:

- progress(done, total, what);
- finished(result), failed(message) or cancelled(): exactly one, once.

The function stops by raising Cancelled once it sees `cancelled()`; it must have written
nothing by then (an import reads everything before its one transaction).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from annotator.core.errors import AnnotatorError
from annotator.ui.widgets.worker_threads import quick_lock_handoff


class Cancelled(Exception):
    """The user cancelled; nothing was written."""


class _Relay(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    error = Signal(str)
    stopped = Signal()


class _Run(QRunnable):
    def __init__(self, job: FileJob) -> None:
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:  # on a pool thread
        job, relay = self.job, self.job._relay
        try:
            with quick_lock_handoff():  # the window takes Python's lock back at once (worker_threads.py)
                result = job._fn(cancelled=job._stop.is_set,
                                 progress=lambda done, total, what="": relay.progress.emit(done, total, str(what)))
        except Cancelled:
            relay.stopped.emit()
        except AnnotatorError as exc:
            relay.error.emit(str(exc))
        except Exception as exc:  # reported to the user, not lost in a pool thread
            relay.error.emit(f"{type(exc).__name__}: {exc}")
        else:
            relay.done.emit(result)
        finally:
            job._ended.set()


class FileJob(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, fn: Callable[..., Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._stop = threading.Event()
        self._ended = threading.Event()
        self._relay = _Relay()  # lives on the GUI thread: its signals reach us queued
        self._relay.progress.connect(self._on_progress)
        self._relay.done.connect(lambda result: self._end(self.finished, result))
        self._relay.error.connect(lambda message: self._end(self.failed, message))
        self._relay.stopped.connect(lambda: self._end(self.cancelled))
        self._over = False
        self._started = False

    def start(self) -> None:
        self._started = True
        QThreadPool.globalInstance().start(_Run(self))

    def cancel(self) -> None:
        """Ask the function to stop at its next check."""
        self._stop.set()

    def wait(self) -> None:
        """Until the function has returned (before the project it reads is closed)."""
        if self._started:
            self._ended.wait()

    @property
    def running(self) -> bool:
        return not self._over

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, what: str) -> None:
        if not self._over:
            self.progress.emit(done, total, what)

    def _end(self, signal, *args) -> None:
        if not self._over:
            self._over = True
            signal.emit(*args)
