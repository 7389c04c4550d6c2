"""Aligning off the GUI thread: a job runs a pure function (core.alignment.align_sentences
or anything with the same `cancelled` / `progress` keywords) on Qt's thread pool and
delivers what happens on the GUI thread, as signals of the job:

- progress(done, total): as the function reports it;
- finished(result): the function's return value;
- failed(message): it raised (an AnnotatorError's message is the user's message);
- cancelled(): cancel() was called and the function stopped (AlignmentCancelled).

Exactly one of finished, failed and cancelled is emitted, once. The worker thread only
emits signals of a relay object; the job receives them on the thread it lives on (the
GUI thread) through queued connections and re-emits them there, so slots connected to
the job always run on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from annotator.core.align_dp import AlignmentCancelled
from annotator.ui.widgets.worker_threads import quick_lock_handoff


class _Relay(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    error = Signal(str)
    stopped = Signal()


class _Run(QRunnable):
    def __init__(self, job: AlignJob) -> None:
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:  # on a pool thread
        job, relay = self.job, self.job._relay
        try:
            with quick_lock_handoff():  # the window takes Python's lock back at once (worker_threads.py)
                result = job._fn(*job._args, cancelled=job._stop.is_set,
                                 progress=lambda done, total: relay.progress.emit(done, total), **job._kwargs)
        except AlignmentCancelled:
            relay.stopped.emit()
        except Exception as exc:  # reported to the user, not lost in a pool thread
            relay.error.emit(str(exc) or type(exc).__name__)
        else:
            if job._stop.is_set():
                relay.stopped.emit()
            else:
                relay.done.emit(result)


class AlignJob(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, fn: Callable[..., Any], *args: Any, parent: QObject | None = None, **kwargs: Any) -> None:
        super().__init__(parent)
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._stop = threading.Event()
        self._relay = _Relay()  # lives on this (the GUI) thread too: its signals reach us queued
        self._relay.progress.connect(self._on_progress)
        self._relay.done.connect(self._on_done)
        self._relay.error.connect(self._on_error)
        self._relay.stopped.connect(self._on_stopped)
        self._over = False

    def start(self, pool: QThreadPool | None = None) -> None:
        (pool or QThreadPool.globalInstance()).start(_Run(self))

    def cancel(self) -> None:
        """Ask the function to stop at its next check; cancelled() follows."""
        self._stop.set()

    @property
    def running(self) -> bool:
        return not self._over

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if not self._over:
            self.progress.emit(done, total)

    @Slot(object)
    def _on_done(self, result: object) -> None:
        self._end(self.finished, result)

    @Slot(str)
    def _on_error(self, message: str) -> None:
        self._end(self.failed, message)

    @Slot()
    def _on_stopped(self) -> None:
        self._end(self.cancelled)

    def _end(self, signal, *args) -> None:
        if not self._over:
            self._over = True
            signal.emit(*args)
