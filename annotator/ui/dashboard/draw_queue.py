"""The dashboard's figures drawn one per turn of the event loop.

Drawing a figure (pyqtgraph's items made in Python) and its first paint (each axis laying
out its ticks in Python) take 5-30 ms of the GUI thread each; the counts bring four
figures at once, and drawn in one go with their paint they held the window 60-130 ms at
100,000 documents. Queued here instead, each step runs from a zero timer: between two
steps the window paints what the last one drew and takes the user's input. A step whose
refresh is no longer the current one is dropped when its turn comes, so an older
refresh's figures never land after a newer one's. A closed dashboard draws nothing: its
steps wait until it is shown again (drawn while hidden, pyqtgraph's items kept the event
loop busy for whichever window was in use, and relaid out its text).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer


@dataclass
class Step:
    current: Callable[[], bool]  # False once a newer refresh (or layer) makes the step stale
    draw: Callable[[], None]
    spent: Callable[[float, float], None]  # told the step's wall and CPU seconds on the GUI thread


class DrawQueue(QObject):
    """Steps run in the order added, one per turn of the event loop."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._steps: deque[Step] = deque()
        self._paused = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run_next)

    def add(self, steps: list[Step]) -> None:
        self._steps.extend(steps)
        self._start()

    def pause(self) -> None:
        self._paused = True
        self._timer.stop()

    def resume(self) -> None:
        self._paused = False
        self._start()

    def _start(self) -> None:
        if self._steps and not self._paused and not self._timer.isActive():
            self._timer.start()

    @property
    def pending(self) -> int:
        return len(self._steps)

    def _run_next(self) -> None:
        while self._steps and not self._paused:
            step = self._steps.popleft()
            if not step.current():
                continue  # stale: costs nothing, so the next one runs in this turn
            t0, cpu0 = time.perf_counter(), time.thread_time()
            try:
                step.draw()
            finally:
                step.spent(time.perf_counter() - t0, time.thread_time() - cpu0)
                self._start()
            return
