"""Keeping the window responsive while a worker thread computes in Python.

A worker thread (the dashboard's statistics, the recommenders' training) shares Python's
lock with the window's thread. The window's thread lets go of the lock in every Qt call
it makes and must then take it back from the worker; at Python's default switch interval
(5 ms) each of those hand-backs waited up to 5 ms. Measured: drawing the dashboard's
documents figure took 157 ms for 18 ms of its own CPU (bench_dashboard.py, 100,000
documents), and labelling a word in a news text took 167 ms instead of 7.5 ms while the
recommenders trained (bench_workspace.py). And a full cyclic garbage collection in a
worker that makes hundreds of thousands of objects holds the lock for 300 ms at once.

Both context managers nest across threads: the setting is restored when the last holder
leaves.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# While a worker computes, a thread waiting for Python's lock gets it after this long at
# most. The interval only matters to a thread that is waiting (the worker runs as fast
# when the window is idle).
SWITCH_INTERVAL = 0.0005

_lock = threading.Lock()
_gc_state = {"holds": 0, "was_enabled": True}
_switch_state: dict[str, float] = {"holds": 0, "was": 0.005}


@contextmanager
def quick_lock_handoff() -> Iterator[None]:
    """A shorter switch interval while the block runs (see the module's docstring)."""
    with _lock:
        _switch_state["holds"] += 1
        if _switch_state["holds"] == 1:
            _switch_state["was"] = sys.getswitchinterval()
            sys.setswitchinterval(min(SWITCH_INTERVAL, _switch_state["was"]))
    try:
        yield
    finally:
        with _lock:
            _switch_state["holds"] -= 1
            if _switch_state["holds"] == 0:
                sys.setswitchinterval(_switch_state["was"])


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while the block runs: reference counting still frees
    the short-lived objects; collection resumes after."""
    with _lock:
        _gc_state["holds"] += 1
        if _gc_state["holds"] == 1:
            _gc_state["was_enabled"] = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _lock:
            _gc_state["holds"] -= 1
            if _gc_state["holds"] == 0 and _gc_state["was_enabled"]:
                gc.enable()
