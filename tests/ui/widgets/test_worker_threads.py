"""worker_threads: the short switch interval and the paused cyclic GC last while any
holder is inside, and come back as they were when the last one leaves, whatever the order
the threads leave in."""

from __future__ import annotations

import gc
import sys
import threading

from annotator.ui.widgets.worker_threads import SWITCH_INTERVAL, cyclic_gc_paused, quick_lock_handoff


def test_nested_holders_on_two_threads_restore_the_setting_when_the_last_leaves():
    before = sys.getswitchinterval()
    inside, leave = threading.Event(), threading.Event()

    def worker():
        with quick_lock_handoff(), cyclic_gc_paused():
            inside.set()
            leave.wait(30)

    t = threading.Thread(target=worker)
    with quick_lock_handoff(), cyclic_gc_paused():
        t.start()
        assert inside.wait(30)
        assert sys.getswitchinterval() == SWITCH_INTERVAL and not gc.isenabled()
    # This thread left first: the worker still holds both.
    assert sys.getswitchinterval() == SWITCH_INTERVAL and not gc.isenabled()
    leave.set()
    t.join(30)
    assert sys.getswitchinterval() == before and gc.isenabled()


def test_an_exception_inside_restores_the_setting():
    before = sys.getswitchinterval()
    try:
        with quick_lock_handoff(), cyclic_gc_paused():
            raise ValueError("fails")
    except ValueError:
        pass
    assert sys.getswitchinterval() == before and gc.isenabled()
