"""Reads too long for the GUI thread (every title of 100,000 documents, a search that
matches half of them), run on Qt's thread pool with the result handed back on the GUI
thread. SQLite releases Python's lock while it reads, so the window keeps painting.

One job per key at a time: a newer job for the same key makes the older one's result
stale, and it is dropped on arrival (a search typed further, a sort clicked again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from annotator.ui.widgets.worker_threads import quick_lock_handoff


class _Signals(QObject):
    finished = Signal(object)  # the result, or the exception raised


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn, self.signals = fn, signals

    def run(self) -> None:
        try:
            with quick_lock_handoff():  # the window takes Python's lock back at once (worker_threads.py)
                result = self.fn()
        except Exception as exc:  # delivered, not lost: the GUI thread decides what to say
            result = exc
        try:
            self.signals.finished.emit(result)
        except RuntimeError:  # the receiver is gone (its window closed): nobody is waiting
            pass


class Background(QObject):
    """Runs `fn` off the GUI thread; `done(result)` runs on the GUI thread if no newer
    job for the same key was started meanwhile. `failed(exc)` gets an exception raised."""

    def __init__(self, failed: Callable[[Exception], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._failed = failed
        self._latest: dict[str, int] = {}
        self._live: dict[int, _Signals] = {}  # kept until their result arrives
        self._ticket = 0

    def run(self, key: str, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self._ticket += 1
        ticket = self._ticket
        self._latest[key] = ticket
        signals = _Signals()
        signals.finished.connect(lambda result: self._finished(key, ticket, result, done))
        self._live[ticket] = signals
        QThreadPool.globalInstance().start(_Job(fn, signals))

    def cancel(self, key: str) -> None:
        """Whatever job for `key` is running, its result will be dropped."""
        self._latest.pop(key, None)

    def busy(self, key: str) -> bool:
        """A job for `key` is running and its result is still wanted."""
        return self._latest.get(key) in self._live

    def _finished(self, key: str, ticket: int, result: Any, done: Callable[[Any], None]) -> None:
        self._live.pop(ticket, None)
        if self._latest.get(key) != ticket:
            return  # stale: a newer job for the same key runs, or it was cancelled
        del self._latest[key]
        if isinstance(result, Exception):
            self._failed(result)
        else:
            done(result)
