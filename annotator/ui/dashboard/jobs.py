"""The dashboard's background jobs: the statistics stages run in order on a worker thread,
each result (or failure) delivered on the GUI thread with the generation it belongs to,
so that the window can drop the results of an older refresh.
"""

from __future__ import annotations

import gc
import sys
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


# While a job computes, a thread waiting for Python's lock gets it after this long at most
# (Python's default is 5 ms). The window's thread lets go of the lock in every Qt call it
# makes, and then waited up to 5 ms to take it back from the worker, each time: drawing the
# documents' figure took 157 ms for 18 ms of its own CPU (bench_dashboard.py, 100,000
# documents). The interval only matters to a thread that is waiting.
SWITCH_INTERVAL = 0.0005
_switch_state = {"holds": 0, "was": 0.005}


@contextmanager
def _quick_lock_handoff():
    with _gc_lock:
        _switch_state["holds"] += 1
        if _switch_state["holds"] == 1:
            _switch_state["was"] = sys.getswitchinterval()
            sys.setswitchinterval(min(SWITCH_INTERVAL, _switch_state["was"]))
    try:
        yield
    finally:
        with _gc_lock:
            _switch_state["holds"] -= 1
            if _switch_state["holds"] == 0:
                sys.setswitchinterval(_switch_state["was"])


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
                with _quick_lock_handoff():
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
