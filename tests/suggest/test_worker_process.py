"""The child process heavy suggestion work runs in (suggest/worker_process.py) and the CRF
job it runs for the GUI (suggest/crf_job.py)."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading

import pytest

from annotator.suggest import crf_job
from annotator.suggest.base import Example
from annotator.suggest.worker_process import NICENESS, WorkerProcess, WorkerProcessFailed, tell

TEXTS = ["Talks between NATO and the EU resumed in Brussels on Monday.",
         "NATO said the EU would send observers to Pristina.",
         "The EU and NATO met again in Brussels."]


def examples() -> dict[str, list[Example]]:
    out = []
    for text in TEXTS:
        spans = tuple((i, i + len(w), "ORG") for w in ("NATO", "EU") for i in [text.index(w)])
        out.append(Example(text, "en", tuple(sorted(spans))))
    return {"en": out}


def wait_until(condition, timeout: float = 60.0) -> None:
    """Poll `condition` (no Qt here for qtbot.waitUntil), failing after `timeout` seconds."""
    ticks = threading.Event()
    for _ in range(int(timeout * 100)):
        if condition():
            return
        ticks.wait(0.01)
    pytest.fail("the condition never held")


@pytest.fixture
def worker():
    w = WorkerProcess("the test worker")
    yield w
    w.close()


def test_a_call_runs_in_one_child_kept_for_the_next_call(worker):
    assert worker.pid is None  # nothing started before the first call
    child = worker.run(os.getpid)
    assert child not in (None, os.getpid()) and worker.pid == child
    assert worker.run(os.getpid) == child
    assert worker.run(divmod, 7, 2) == (3, 1)


def test_the_child_runs_niced_and_keeps_numpy_to_one_thread(worker):
    """One core for the training, the other for the window (worker_process.ONE_THREAD)."""
    assert worker.run(os.getenv, "OPENBLAS_NUM_THREADS") == "1"
    assert worker.run(os.nice, 0) == min(19, os.nice(0) + NICENESS)  # 19: the lowest priority


def test_an_exception_in_the_child_fails_the_call_with_its_message_and_keeps_the_child(worker):
    child = worker.run(os.getpid)
    with pytest.raises(WorkerProcessFailed, match=r"^the test worker failed: invalid literal for int\(\)"):
        worker.run(int, "not a number")
    assert worker.run(os.getpid) == child


def test_a_child_that_dies_fails_the_call_in_words_and_the_next_call_starts_a_fresh_one(worker):
    child = worker.run(os.getpid)
    with pytest.raises(WorkerProcessFailed, match=r"^the test worker ended unexpectedly \(exit status 3\)$"):
        worker.run(os._exit, 3)
    assert worker.pid is None
    fresh = worker.run(os.getpid)
    assert fresh not in (child, os.getpid())


def test_close_ends_a_call_in_progress_at_once_and_refuses_later_calls(worker):
    outcome = []

    def call() -> None:
        try:
            worker.run(signal.pause)  # only a signal ends it
        except WorkerProcessFailed as exc:
            outcome.append(str(exc))

    caller = threading.Thread(target=call)
    caller.start()
    wait_until(lambda: worker.busy and worker.pid is not None)  # handed to the child
    worker.close()
    caller.join(120)
    assert not caller.is_alive() and outcome == ["the test worker was closed"]
    assert worker.pid is None and not worker.busy
    with pytest.raises(WorkerProcessFailed, match="closed"):
        worker.run(os.getpid)


def test_the_crf_job_trains_in_the_child_and_its_model_tags_here_as_one_trained_here(worker):
    exs = examples()
    texts = {"en": TEXTS}
    job = crf_job.CrfJob(exs, texts, score={"en": [11, 12, 13]})
    there = worker.run(crf_job.train, job)
    here = crf_job.train(job)
    assert there.pid == worker.pid != here.pid == os.getpid()
    assert there.crf is not None and here.crf is not None
    assert there.crf.model_bytes == here.crf.model_bytes
    assert there.confidences == here.confidences and set(there.confidences) == {11, 12, 13}
    fresh = "Observers from NATO arrived in Brussels."
    assert there.crf.predict(fresh, "en") == here.crf.predict(fresh, "en")
    scored = worker.run(crf_job.score, there.crf, texts, {"en": [11, 12, 13]})
    assert scored.crf is None and scored.confidences == here.confidences


def test_a_crf_model_pickles_without_its_taggers_and_tags_the_same_after():
    crf = crf_job.train(crf_job.CrfJob(examples(), {"en": TEXTS})).crf
    assert crf is not None
    fresh = "Observers from NATO arrived in Brussels."
    before = crf.predict(fresh, "en")  # opens a tagger, which cannot be pickled
    again = pickle.loads(pickle.dumps(crf))
    assert again.predict(fresh, "en") == before and again.corpus.keys() == crf.corpus.keys()


def test_a_child_ends_itself_when_its_parent_dies_in_the_middle_of_a_job(tmp_path):
    """A window killed while the CRF trains leaves no training process behind."""
    code = ("import os, signal, sys, threading\n"
            "from annotator.suggest.worker_process import WorkerProcess\n"
            "if __name__ == '__main__':\n"
            "    w = WorkerProcess()\n"
            "    threading.Thread(target=w.run, args=(signal.pause,), daemon=True).start()\n"
            "    while not (w.busy and w.pid):\n"
            "        threading.Event().wait(0.01)\n"
            "    print(w.pid, flush=True)\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n")
    script = tmp_path / "parent.py"
    script.write_text(code, encoding="utf-8")
    parent = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert parent.returncode == -signal.SIGKILL, parent.stderr
    child = int(parent.stdout.split()[0])

    def gone() -> bool:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return True
        with open(f"/proc/{child}/stat", encoding="ascii") as f:  # a zombie awaiting init's reaping
            return f.read().split(") ")[1].startswith("Z")

    wait_until(gone)


def counted(n: int) -> str:
    """In the child: tells 0..n-1, then returns (a module-level function: the child imports it)."""
    for i in range(n):
        tell(i)
    return "done"


def test_what_the_child_tells_is_heard_in_order_before_the_result(worker):
    heard = []
    assert worker.run(counted, 3, heard=heard.append) == "done" and heard == [0, 1, 2]
    assert worker.run(counted, 2) == "done"  # nobody listening: the notes are dropped
    tell("here")  # outside a child: nothing happens


def test_a_stopped_child_takes_its_sigterm_on_close(worker):
    """A child stopped (job control, a debugger) gets SIGCONT after SIGTERM: it ends by that
    signal, not by the SIGKILL that would follow seconds later."""
    child = worker.run(os.getpid)
    process = worker._process
    os.kill(child, signal.SIGSTOP)
    worker.close()
    assert process.exitcode == -signal.SIGTERM


def test_a_child_in_a_session_of_its_own():
    """own_session: the child leads a new session (on Linux, a scheduling autogroup of its
    own: its CPU is not charged to the window's)."""
    worker = WorkerProcess("the test worker", own_session=True)
    try:
        child = worker.run(os.getpid)
        assert worker.run(os.getsid, 0) == child != os.getsid(0)
    finally:
        worker.close()
