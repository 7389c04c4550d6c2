"""The one job class behind the import/export dialogs and the alignment suggestions:
how a cancel that comes too late and a fault (not a user error) reach the GUI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication

from annotator.ui.app.file_job import FileJob
from annotator.ui.parallel.align_worker import AlignJob


def _outcomes(job) -> list:
    seen = []
    job.finished.connect(lambda result: seen.append(("finished", result)))
    job.failed.connect(lambda message: seen.append(("failed", message)))
    job.cancelled.connect(lambda: seen.append(("cancelled", None)))
    return seen


@pytest.mark.parametrize("make, expected", [
    # an import that committed before it saw Cancel: the user must hear it was imported
    (lambda fn: FileJob(fn), [("finished", 3)]),
    # an alignment suggestion the user no longer waits for: dropped, said as cancelled
    (lambda fn: AlignJob(fn), [("cancelled", None)]),
])
def test_a_result_that_arrives_after_cancel(qtbot, make, expected):
    cancel_pressed = threading.Event()

    def finishes_anyway(*, cancelled, progress):
        assert cancel_pressed.wait(20)  # the user presses Cancel while the work ends
        return 3

    job = make(finishes_anyway)
    seen = _outcomes(job)
    job.start()
    job.cancel()
    cancel_pressed.set()
    qtbot.waitUntil(lambda: not job.running, timeout=20000)
    assert seen == expected


def test_a_fault_is_named_by_its_type_and_a_cancel_is_one_signal(qtbot):
    def broken(*, cancelled, progress):
        progress(1, 2, "half")
        return {}["missing"]

    job = AlignJob(broken)
    seen = _outcomes(job)
    progress = []
    job.progress.connect(lambda done, total, what: progress.append((done, total, what,
                                                                      QApplication.instance().thread())))
    with qtbot.waitSignal(job.failed, timeout=20000):
        job.start()
    assert seen == [("failed", "KeyError: 'missing'")]
    assert [p[:3] for p in progress] == [(1, 2, "half")]
    job.cancel()  # after the end: nothing more is said
    job.wait()
    assert seen == [("failed", "KeyError: 'missing'")] and not job.running
