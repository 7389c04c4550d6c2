"""The dashboard's background jobs: the statistics stages run in order on a worker thread,
each result (or failure) delivered on the GUI thread with the generation it belongs to,
so that the window can drop the results of an older refresh.
"""

from __future__ import annotations

import gc
import threading
import time
from contextlib import contextmanager

from PySide6.QtCore import QObject, QRunnable, Signal

# Make hundreds of thousands of objects (a row per document, spans, records): after the
# cheap figures, without cyclic GC.
EXPENSIVE = ("documents", "agreement", "groups")


class JobSignals(QObject):
    """What a StatisticsJob reports, queued to the GUI thread."""

    result = Signal(int, str, object)  # generation, stage, value
    failed = Signal(int, str, str)
    note = Signal(int, str, str)  # generation, stage, how far it is ("8,100 of 20,000 documents")


_gc_lock = threading.Lock()
_gc_state = {"holds": 0, "was_enabled": True}


@contextmanager
def _cyclic_gc_paused():
    """No cyclic garbage collection while the expensive figures are computed: they make
    hundreds of thousands of short-lived objects, and a full collection in the worker holds
    the GIL for 300 ms on the 10,000-document corpus, freezing the window (measured by
    bench/bench_dashboard.py). Reference counting still frees them; collection resumes
    after."""
    with _gc_lock:
        _gc_state["holds"] += 1
        if _gc_state["holds"] == 1:
            _gc_state["was_enabled"] = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["holds"] -= 1
            if _gc_state["holds"] == 0 and _gc_state["was_enabled"]:
                gc.enable()


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
                if name in EXPENSIVE:
                    with _cyclic_gc_paused():
                        value = fn()
                else:
                    value = fn()
                # Wall and this thread's CPU seconds: on a loaded machine the two differ.
                value = (value, time.perf_counter() - t0, time.thread_time() - cpu0)
            except Exception as exc:
                self.signals.failed.emit(self.generation, name, _describe(exc))
            else:
                self.signals.result.emit(self.generation, name, value)


def job_kind(stage: str) -> str:
    """Which generation counter a stage belongs to: "labels" (one layer's label counts) or "all"."""
    return "labels" if stage == "labels" else "all"


def _describe(exc: Exception) -> str:
    return f"Could not compute this: {exc}"
