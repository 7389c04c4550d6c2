"""Aligning on a worker: the result, an error and a cancel each reach the GUI thread as
one signal of the job, and the GUI thread is free while the alignment runs."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread, QThreadPool
from PySide6.QtWidgets import QApplication

from annotator.core.align_dp import AlignmentCancelled
from annotator.core.alignment import align_sentences
from annotator.core.errors import AnnotatorError
from annotator.ui.parallel.align_worker import AlignJob
from tests.core.test_sentences import seed


def _record(job: AlignJob) -> list:
    """Every signal of the job, with the thread its slot ran on."""
    seen = []
    job.progress.connect(lambda d, t: seen.append(("progress", (d, t), QThread.currentThread())))
    job.finished.connect(lambda r: seen.append(("finished", r, QThread.currentThread())))
    job.failed.connect(lambda m: seen.append(("failed", m, QThread.currentThread())))
    job.cancelled.connect(lambda: seen.append(("cancelled", None, QThread.currentThread())))
    return seen


def test_the_alignment_is_delivered_on_the_gui_thread(qtbot):
    (ta, la), (tb, lb) = seed("002"), seed("004")
    job = AlignJob(align_sentences, ta, la, tb, lb, method="length")
    seen = _record(job)
    with qtbot.waitSignal(job.finished, timeout=20000) as got:
        job.start()
    assert got.args[0] == align_sentences(ta, la, tb, lb, method="length")
    gui = QApplication.instance().thread()
    assert [s[0] for s in seen if s[0] != "progress"] == ["finished"]
    assert all(thread is gui for _kind, _value, thread in seen)
    progress = [v for k, v, _t in seen if k == "progress"]
    assert progress[0][0] == 0 and progress[-1][0] == progress[-1][1] > 0  # from nothing to all done
    assert not job.running


def test_an_error_is_reported_as_its_message_on_the_gui_thread(qtbot):
    def broken(*_args, cancelled, progress):
        raise AnnotatorError("doc.txt: the text cannot be aligned")

    job = AlignJob(broken)
    seen = _record(job)
    with qtbot.waitSignal(job.failed, timeout=20000) as got:
        job.start()
    assert got.args == ["doc.txt: the text cannot be aligned"]
    assert [(k, t is QApplication.instance().thread()) for k, _v, t in seen] == [("failed", True)]


def test_cancel_stops_the_aligner_between_rows_and_says_so(qtbot):
    # The job's function waits, inside the aligner's first row, until the test has
    # cancelled; the aligner must then stop at its next check instead of finishing.
    entered, release = threading.Event(), threading.Event()
    checks = []
    text_a = " ".join(f"Sentence number {i} is here." for i in range(300))

    def slow_align(*args, cancelled, progress, **kwargs):
        def check():
            checks.append(1)
            if len(checks) == 2:
                entered.set()
                release.wait(10)
            return cancelled()
        return align_sentences(*args, cancelled=check, progress=progress, **kwargs)

    job = AlignJob(slow_align, text_a, "en", text_a, "fr", method="length")
    seen = _record(job)
    pool = QThreadPool()
    job.start(pool)
    assert entered.wait(10)
    job.cancel()
    with qtbot.waitSignal(job.cancelled, timeout=20000):
        release.set()
    pool.waitForDone()
    assert [k for k, _v, _t in seen if k != "progress"] == ["cancelled"]
    assert len(checks) == 2  # stopped at the check that saw the cancel, not after 301 rows
    assert all(t is QApplication.instance().thread() for _k, _v, t in seen)


def test_the_core_aligner_raises_when_cancelled():
    with pytest.raises(AlignmentCancelled):
        align_sentences("One. Two.", "en", "Un. Deux.", "fr", method="length", cancelled=lambda: True)
