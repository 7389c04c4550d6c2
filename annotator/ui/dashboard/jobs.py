"""The dashboard's background jobs: the statistics stages run in order on a worker thread,
each result (or failure) delivered on the GUI thread with the generation it belongs to,
so that the window can drop the results of an older refresh.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QRunnable, Signal

from annotator.suggest.worker_process import WorkerProcessFailed
from annotator.ui.widgets.worker_threads import cyclic_gc_paused, quick_lock_handoff

# Make hundreds of thousands of objects (a row per document, spans, records): after the
# cheap figures, without cyclic GC.
EXPENSIVE = ("documents", "agreement", "groups")


class JobSignals(QObject):
    """What a StatisticsJob reports, queued to the GUI thread."""

    result = Signal(int, str, object)  # generation, stage, value
    failed = Signal(int, str, str)
    note = Signal(int, str, str)  # generation, stage, how far it is ("8,100 of 20,000 documents")


class StatisticsJob(QRunnable):
    """Runs (stage, function) pairs in order; each result is delivered on the GUI thread."""

    def __init__(self, generation: int, stages, signals: JobSignals, cancelled) -> None:
        super().__init__()
        self.generation, self.stages, self.signals, self.cancelled = generation, stages, signals, cancelled

    def run(self) -> None:
        for name, fn in self.stages:
            if self.cancelled(self.generation):
                return
            try:
                t0, cpu0 = time.perf_counter(), time.thread_time()
                with quick_lock_handoff():
                    if name in EXPENSIVE:
                        with cyclic_gc_paused():
                            value = fn()
                    else:
                        value = fn()
                # Wall and this thread's CPU seconds: on a loaded machine the two differ.
                value = (value, time.perf_counter() - t0, time.thread_time() - cpu0)
            except Exception as exc:
                if not self.cancelled(self.generation):  # else its child was ended on purpose
                    self.signals.failed.emit(self.generation, name, _describe(exc))
            else:
                self.signals.result.emit(self.generation, name, value)


def job_kind(stage: str) -> str:
    """Which generation counter a stage belongs to: "labels" (one layer's label counts) or "all"."""
    return "labels" if stage == "labels" else "all"


def _describe(exc: Exception) -> str:
    if isinstance(exc, WorkerProcessFailed):  # the child died, or failed: a refresh starts a fresh one
        return f"Could not compute this: {exc}. Refresh (F5) to compute it again."
    return f"Could not compute this: {exc}"
