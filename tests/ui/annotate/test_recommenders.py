"""The recommenders' training off the GUI thread (ui/annotate/recommenders.py): one
training at a time, a request made meanwhile runs after it, results and failures arrive
on the GUI thread; the training (the project read, the matchers and the CRF trained) runs
in a child process, whose death fails one training only and which closing ends at once."""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading

from PySide6.QtWidgets import QApplication

from annotator.core.occurrences import find_occurrences
from annotator.core.records import DocumentRecord
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store import spans as ops
from annotator.store.queries import document_text, list_documents
from annotator.store.spans import SpanData
from annotator.suggest.crf import CrfModel
from annotator.suggest.worker_process import WorkerProcess
from annotator.ui.annotate import recommenders
from annotator.ui.annotate.recommenders import Retrainer, document_confidence, languages_of
from annotator.ui.widgets import worker_threads


def teach(project) -> dict[str, int]:
    with project.read() as conn:
        docs = {r.lang: (r.id, document_text(conn, r.id)) for r in list_documents(conn)}
    doc, text = docs["en"]
    ops.add_spans(project, [SpanData("", doc, "alice", s, e, "ORG") for s, e in find_occurrences(text, "NATO")])
    return {lang: d for lang, (d, _t) in docs.items()}


class FirstCallBlocks(WorkerProcess):
    """The training process, whose first job stands for a CRF training that has not ended:
    the child waits in signal.pause() until a signal ends it (what the tests send)."""

    def __init__(self) -> None:
        super().__init__("the training process")
        self.blocked = False

    def run(self, fn, *args):
        if not self.blocked:
            self.blocked = True
            return super().run(signal.pause)
        return super().run(fn, *args)


def first_training(qtbot, project, timeout: int):
    """A Retrainer on `project` and the list its trainings arrive in, the first one in it."""
    retrainer = Retrainer(project)
    got: list = []
    retrainer.finished.connect(got.append)
    retrainer.request(False)
    qtbot.waitUntil(lambda: len(got) == 1, timeout=timeout)
    return retrainer, got


def test_the_crf_is_trained_in_a_child_process_of_its_own_kept_for_the_next_training(qtbot, project):
    """The CRF's training holds Python's lock for seconds: in the window's process it
    slowed every key press (docs/BENCHMARKS.md, "The window while the recommenders train")."""
    teach(project)
    retrainer, got = first_training(qtbot, project, timeout=60000)
    child = got[0].crf_pid
    assert got[0].crf_retrained and child not in (None, os.getpid()) and retrainer.process.pid == child
    assert languages_of(got[0].suggester) == {"en"}
    fresh = "Delegates from NATO met in Brussels."
    assert (15, 19, "ORG", "crf") in {(sg.start, sg.end, sg.label, sg.source)
                                      for sg in got[0].suggester.models[-1].predict(fresh, "en")}
    retrainer.request(True, full=True)  # the same child trains again, and scores the documents
    qtbot.waitUntil(lambda: len(got) == 2, timeout=60000)
    assert got[1].crf_pid == child and got[1].confidences
    retrainer.close()
    assert retrainer.process.pid is None


def test_a_killed_training_process_fails_that_training_and_the_next_starts_a_fresh_one(qtbot, project):
    teach(project)
    process = FirstCallBlocks()
    retrainer = Retrainer(project, process=process)
    got = []
    retrainer.finished.connect(got.append)
    with qtbot.waitSignal(retrainer.failed, timeout=30000) as failed:
        retrainer.request(False)
        qtbot.waitUntil(lambda: process.busy, timeout=30000)
        killed = process.pid
        os.kill(killed, signal.SIGKILL)
    assert failed.args[0] == "the training process ended unexpectedly (killed by SIGKILL)"
    assert not retrainer.running and got == []
    retrainer.request(False)
    qtbot.waitUntil(lambda: len(got) == 1, timeout=60000)
    assert got[0].crf_retrained and got[0].crf_pid not in (None, killed, os.getpid())
    retrainer.close()


def test_closing_while_the_crf_trains_ends_the_training_process_at_once(qtbot, project):
    """Closing the window closes the Retrainer: it must not wait for a CRF training (tens of
    seconds on a large project) to end. The watchdog stands in for the end of a training
    that would never come: it fires only if close() is still waiting after two minutes."""
    teach(project)
    process = FirstCallBlocks()
    retrainer = Retrainer(project, process=process)
    failures = []
    retrainer.failed.connect(failures.append)
    retrainer.request(False)
    qtbot.waitUntil(lambda: process.busy, timeout=30000)
    fired = []
    watchdog = threading.Timer(120, lambda pid=process.pid: (fired.append(pid), os.kill(pid, signal.SIGKILL)))
    watchdog.start()
    try:
        retrainer.close()
    finally:
        watchdog.cancel()
    assert fired == [] and process.pid is None and not process.busy
    QApplication.processEvents()  # the abandoned training's failure, queued to the GUI thread, is not reported
    assert failures == []
    retrainer.request(False)  # closed: nothing starts
    assert not retrainer.running


def test_a_request_while_training_runs_after_it_with_what_it_asked_for(qtbot, project):
    ids = teach(project)
    retrainer = Retrainer(project)
    got, on_thread = [], []
    retrainer.finished.connect(lambda trained: (got.append(trained), on_thread.append(threading.get_ident())))
    retrainer.request(False)
    assert retrainer.running
    retrainer.request(True)  # kept: it starts when the first ends
    qtbot.waitUntil(lambda: len(got) == 2, timeout=30000)
    first, second = got
    assert first.confidences == {} and set(second.confidences) == set(ids.values())
    assert languages_of(second.suggester) == {"en"}
    # Only the language with a model has a confidence; the others none (listed last).
    assert [lang for lang, d in ids.items() if second.confidences[d] is not None] == ["en"]
    with project.read() as conn:
        en_text = document_text(conn, ids["en"])
    assert second.confidences[ids["en"]] == document_confidence(second.suggester, en_text, "en")
    assert first.thread != threading.get_ident() and set(on_thread) == {threading.get_ident()}
    assert not retrainer.running
    retrainer.close()


def test_a_failed_training_is_reported_on_the_gui_thread(qtbot, project):
    """The training process reads the project itself: one it cannot open (the file moved
    away while the window had it open) fails that training, said with the file's name."""
    teach(project)
    where = project.path
    moved = where.with_name("moved.annotator")
    retrainer = Retrainer(project)
    where.rename(moved)
    try:
        with qtbot.waitSignal(retrainer.failed, timeout=30000) as failed:
            retrainer.request(False)
    finally:
        moved.rename(where)
    assert str(where) in failed.args[0]
    assert not retrainer.running
    retrainer.close()
    retrainer.request(False)  # closed: nothing starts
    assert not retrainer.running


def test_the_window_process_never_reads_the_layers_or_the_texts_to_train(qtbot, project, monkeypatch):
    """At 100,000 documents reading the layers' 2,000,000 spans and 200 MB of texts cost
    the window's process 10+ s of Python holding the interpreter's lock (navigator steps
    waited for it) and the memory of all of it: the training process reads the project
    itself. Here every store read a training needs fails in the window's process, and the
    training still arrives, learnt from the layer."""
    from annotator.store import layers, queries, suggestions

    def not_here(*_args, **_kwargs):
        raise AssertionError(f"read in the window's process ({os.getpid()})")

    teach(project)
    for module in (layers, queries, suggestions, recommenders):
        for name in ("training_layers", "document_texts", "list_documents", "rejections", "corpus_keys"):
            monkeypatch.setattr(module, name, not_here, raising=False)
    retrainer = Retrainer(project)
    got, failures = [], []
    retrainer.finished.connect(got.append)
    retrainer.failed.connect(failures.append)
    retrainer.request(True)
    qtbot.waitUntil(lambda: bool(got or failures), timeout=60000)
    assert failures == []
    trained = got[0]
    assert trained.crf_pid not in (None, os.getpid()) and trained.spans > 0 and trained.confidences
    fresh = "Delegates from NATO met in Brussels."
    assert (15, 19, "ORG") in {(sg.start, sg.end, sg.label) for sg in trained.suggester.suggest(fresh, "en")}
    retrainer.close()


def test_after_a_commit_the_crf_is_updated_in_its_process_until_a_training_is_due(qtbot, project):
    """A name labelled after a training is suggested by the next one, whose CRF is the one
    in use updated in the training process (crf_job.update: a warm-started pass, not
    crfsuite's training from scratch, which costs seconds on a large project); "Retrain
    now" trains it from scratch."""
    ids = teach(project)
    retrainer, got = first_training(qtbot, project, timeout=30000)
    assert got[0].crf_retrained and not got[0].crf_updated
    crf_bytes = [m.model_bytes for m in got[0].suggester.models if isinstance(m, CrfModel)]
    with project.read() as conn:
        text = document_text(conn, ids["en"])
    name = "Pristina"
    assert name in text
    fresh = "Talks resumed in Pristina on Monday."
    assert (17, 25, "ORG") not in {(sg.start, sg.end, sg.label) for sg in got[0].suggester.suggest(fresh, "en")}
    ops.add_spans(project, [SpanData("", ids["en"], "alice", s, e, "ORG")
                            for s, e in find_occurrences(text, name)])
    retrainer.request(False)
    qtbot.waitUntil(lambda: len(got) == 2, timeout=30000)
    second = got[1]
    assert second.crf_updated and not second.crf_retrained and second.crf_examples == got[0].crf_examples
    assert second.crf_pid == got[0].crf_pid and second.crf_serial > got[0].crf_serial
    crf = [m for m in second.suggester.models if isinstance(m, CrfModel)]
    assert [m.model_bytes for m in crf] == crf_bytes and set(crf[0].linear) == {"en"}  # updated, not retrained
    assert (17, 25, "ORG") in {(sg.start, sg.end, sg.label) for sg in second.suggester.suggest(fresh, "en")}
    ops.add_spans(project, [SpanData("", ids["en"], "alice", s, e, "LOC")
                            for s, e in find_occurrences(text, "Brussels")])
    retrainer.request(False)  # a second commit updates the updated CRF, its vocabulary sent in part
    qtbot.waitUntil(lambda: len(got) == 3, timeout=30000)
    assert got[2].crf_updated and got[2].crf_serial > second.crf_serial
    assert (17, 25, "ORG") in {(sg.start, sg.end, sg.label) for sg in got[2].suggester.suggest(fresh, "en")}
    retrainer.request(False, full=True)
    qtbot.waitUntil(lambda: len(got) == 4, timeout=30000)
    assert got[3].crf_retrained and not got[3].crf_updated
    retrainer.close()


def test_a_restarted_training_process_trains_the_crf_instead_of_updating_it(qtbot, project):
    """The CRF to update lives in the training process; a fresh one (the old was killed)
    has none, so the training after a commit trains it from scratch."""
    ids = teach(project)
    retrainer, got = first_training(qtbot, project, timeout=30000)
    first = got[0].crf_pid
    os.kill(first, signal.SIGKILL)
    qtbot.waitUntil(lambda: retrainer.process.pid is None or not _alive(first), timeout=30000)
    with project.read() as conn:
        text = document_text(conn, ids["en"])
    ops.add_spans(project, [SpanData("", ids["en"], "alice", s, e, "LOC")
                            for s, e in find_occurrences(text, "Brussels")])
    failures: list[str] = []
    retrainer.failed.connect(failures.append)
    retrainer.request(False)
    qtbot.waitUntil(lambda: len(got) == 2 or bool(failures), timeout=30000)
    assert failures == []
    assert got[1].crf_retrained and not got[1].crf_updated and got[1].crf_pid not in (None, first)
    retrainer.close()


def _alive(pid: int) -> bool:
    """Whether our child `pid` has not ended yet, as its parent's wait sees it (without
    reaping it: WNOWAIT). Not /proc's state: a killed process's first thread shows "Z"
    while its other threads are still ending, and the parent cannot reap it before."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
    except ChildProcessError:  # reaped already
        return False


def test_a_document_imported_in_the_crfs_language_retrains_it_another_language_does_not(qtbot, project, tmp_path):
    """The CRF's corpus features expect the text it tags to be in the corpus it learnt
    from: after an import in its language the next training trains the CRF again; a
    document of a language it has no model for leaves it as it was (and its texts unread)."""
    teach(project)
    retrainer, got = first_training(qtbot, project, timeout=30000)
    assert got[0].crf_retrained and languages_of(got[0].suggester) == {"en"}

    def import_one(name: str, lang: str, text: str) -> None:
        path = tmp_path / f"{name}.jsonl"
        path.write_bytes(gold_jsonl.dumps(DocumentRecord(id=name, lang=lang, text=text)))
        import_paths(project, [path])

    import_one("de1", "de", "Die Gespräche in Pristina wurden am Montag fortgesetzt.")
    retrainer.request(False)
    qtbot.waitUntil(lambda: len(got) == 2, timeout=30000)
    assert not got[1].crf_retrained  # no CRF for German: nothing to redo
    import_one("en9", "en", "Delegates from NATO met in Brussels again on Friday.")
    retrainer.request(False)
    qtbot.waitUntil(lambda: len(got) == 3, timeout=30000)
    assert got[2].crf_retrained
    retrainer.request(False)
    qtbot.waitUntil(lambda: len(got) == 4, timeout=30000)
    assert not got[3].crf_retrained  # the corpus is as the CRF learnt it
    retrainer.close()


def test_while_it_trains_the_window_gets_pythons_lock_back_at_once(qtbot, project, monkeypatch):
    """Training competes with the window for Python's lock: at the default 5 ms switch
    interval a label key took 167 ms instead of 7.5 ms in a news text while the
    recommenders trained (bench_workspace.py). While the pool thread waits for the
    training process the interval is the short one (what comes back is unpickled on
    this thread) and GC runs (the window's garbage is collected); while it puts the
    models together cyclic GC waits; both are as they were once it ends."""
    teach(project)
    seen = {}
    putting = recommenders._suggester

    def put(*args, **kwargs):
        seen["putting together"] = (sys.getswitchinterval(), gc.isenabled())
        return putting(*args, **kwargs)

    class Recorded(WorkerProcess):
        def run(self, fn, *args):
            seen["waiting"] = (sys.getswitchinterval(), gc.isenabled())
            return super().run(fn, *args)

    monkeypatch.setattr(recommenders, "_suggester", put)
    before = sys.getswitchinterval()
    retrainer = Retrainer(project, process=Recorded("the training process"))
    with qtbot.waitSignal(retrainer.finished, timeout=60000):
        retrainer.request(False)
    assert seen == {"putting together": (worker_threads.SWITCH_INTERVAL, False),
                    "waiting": (worker_threads.SWITCH_INTERVAL, True)}
    assert sys.getswitchinterval() == before and gc.isenabled()
    retrainer.close()


def test_a_copy_for_another_thread_keeps_the_combination_rule():
    """The window's copy of the trained suggester (taggers of its own) suggests what the
    trained one does: the CRF first over the matcher, when they were trained together."""
    from annotator.suggest.base import Example
    from annotator.suggest.crf import CrfModel, CrfSettings
    from annotator.suggest.training import Suggester

    text = "Mr Pal met the Sox Bank people ."
    trained = Suggester.train({"en": [Example(text, "en", ((3, 6, "PERSON"), (15, 23, "ORG")))] * 3},
                              settings=CrfSettings(max_iterations=20))
    copy = recommenders.for_another_thread(trained)
    assert copy.crf_first and trained.crf_first
    assert [m for m in copy.models if isinstance(m, CrfModel)][0] is not [m for m in trained.models
                                                                         if isinstance(m, CrfModel)][0]
    assert copy.suggest(text, "en") == trained.suggest(text, "en")
