"""A function run off the GUI thread, on Qt's thread pool, whose outcome arrives on the
GUI thread: the import and export dialogs' file jobs (ui/app/file_job.py) and the
alignment suggestions' jobs (ui/parallel/align_worker.py) are both this.

The function gets `cancelled` (a callable: True once cancel() was called) and `progress`
(done, total, what="": total 0 when unknown) keywords besides its own arguments. The job
re-emits, on the GUI thread:

- progress(done, total, what) while it runs (a slot may take only done and total);
- then exactly one of finished(result), failed(message) or cancelled(), once.

The function stops by raising one of the job's `stops` exceptions once it sees
`cancelled()`. An AnnotatorError's message is the user's message; any other exception is
named with its type, since it is a fault the user should be able to report. The worker
thread only emits the signals of a relay object that lives on the GUI thread, so they
reach the job queued and slots connected to the job always run there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance, Slot

from annotator.core.errors import AnnotatorError
from annotator.ui.widgets.worker_threads import quick_lock_handoff


class _Relay(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    error = Signal(str)
    stopped = Signal()


class _Run(QRunnable):
    def __init__(self, job: PoolJob) -> None:
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:  # on a pool thread
        job, relay = self.job, self.job._relay
        try:
            with quick_lock_handoff():  # the window takes Python's lock back at once (worker_threads.py)
                result = job._fn(*job._args, cancelled=job._stop.is_set,
                                 progress=lambda done, total, what="": relay.progress.emit(done, total, str(what)),
                                 **job._kwargs)
        except job.stops:
            relay.stopped.emit()
        except AnnotatorError as exc:
            relay.error.emit(str(exc))
        except Exception as exc:  # reported to the user, not lost in a pool thread
            relay.error.emit(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        else:
            if job._stop.is_set() and not job.result_after_cancel:
                relay.stopped.emit()
            else:
                relay.done.emit(result)
        finally:
            job._ended.set()


class PoolJob(QObject):
    """`stops`: the exceptions that mean "cancelled, nothing written".
    `result_after_cancel`: a result that comes although cancel() was called is delivered
    (True: what it did is done, e.g. an import that committed) or dropped as cancelled."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, fn: Callable[..., Any], *args: Any, stops: tuple[type[BaseException], ...],
                 result_after_cancel: bool, parent: QObject | None = None, **kwargs: Any) -> None:
        super().__init__(parent)
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self.stops, self.result_after_cancel = stops, result_after_cancel
        self._stop = threading.Event()
        self._ended = threading.Event()
        self._relay = _Relay()  # lives on this (the GUI) thread too: its signals reach us queued
        self._relay.progress.connect(self._on_progress)
        self._relay.done.connect(self._on_done)
        self._relay.error.connect(self._on_error)
        self._relay.stopped.connect(self._on_stopped)
        self._over = False
        self._started = False

    def start(self, pool: QThreadPool | None = None) -> None:
        self._started = True
        (pool or QThreadPool.globalInstance()).start(_Run(self))

    def cancel(self) -> None:
        """Ask the function to stop at its next check; cancelled() follows unless it had
        already finished."""
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

    @Slot(object)
    def _on_done(self, result: object) -> None:
        self._end(self.finished, result)

    @Slot(str)
    def _on_error(self, message: str) -> None:
        self._end(self.failed, message)

    @Slot()
    def _on_stopped(self) -> None:
        self._end(self.cancelled)

    def _end(self, signal: SignalInstance, *args: object) -> None:
        if not self._over:
            self._over = True
            signal.emit(*args)
