"""Training the project's recommenders off the GUI thread, all of it in a child process.

`train_recommenders` runs on a pool thread of its own (`Retrainer`), one training at a
time, and hands the whole training to the Retrainer's child process
(store/training_job.py, run by suggest/worker_process.py): the child reads the layers,
the rejections and the texts from the project itself, trains the string matchers and
the CRF (corpus features, feature generation, crfsuite: seconds of Python holding the
interpreter's lock) and scores the documents, and sends back only the models, the counts
and the confidences. The pool thread waits for it without that lock, so the window is
not slowed by it, and the window's process never holds the corpus (at 100,000
documents, reading it on the pool thread cost 10+ s of Python with the lock: navigator
steps of 20-40 ms of CPU instead of 8-13 ms). What a training gives back is handed to
the GUI thread through a queued signal: the trained models are then used only there (a
crfsuite tagger is not to be shared between threads), and a new training builds new
ones. The child is started on the first training and kept; one that dies fails that
training (`failed`) and the next starts a fresh one; closing terminates it.

Uncertainty: a sentence's confidence is the CRF's marginal probability of its least sure
token (suggest.training.Suggester.confidence); a document's is the mean over its
sentences, so a long document is not sent first for its length alone. A document in a
language the CRF has no model for has none (None): the navigator lists it last.

After a commit the CRF in use is updated in the child (crf_job.update: one warm-started
pass over every annotated sentence, a fraction of a second at 10,000 sentences; only the
models' new parts come back) and the string matchers retrained there too; crfsuite's
L-BFGS training from scratch (seconds) runs when the annotated examples have grown by
half (suggest/retrain.py), when the child no longer has the CRF in use (it was
restarted), or on "Retrain now".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from annotator.store.project import Project
from annotator.suggest.base import Suggestion
from annotator.suggest.worker_process import WorkerProcess
from annotator.ui.widgets.worker_threads import cyclic_gc_paused, quick_lock_handoff

if TYPE_CHECKING:
    from annotator.store import training_job
    from annotator.suggest.training import Suggester

# The models (suggest.training, .crf, .corpus_stats: numpy, crfsuite, regex tables) are
# imported where a training or a tagging first needs them, on the pool's thread after
# the window is shown, not at start-up (tests/ui/test_startup_imports.py).

__all__ = ["Retrainer", "Trained", "document_confidence", "languages_of", "sentence_confidences",
           "train_recommenders"]


def document_confidence(suggester: Suggester, text: str, lang: str) -> float | None:
    from annotator.suggest.training import document_confidence as confidence

    return confidence(suggester, text, lang)


def languages_of(suggester: Suggester | None) -> set[str]:
    from annotator.suggest.training import languages_of as languages

    return languages(suggester)


def sentence_confidences(suggester: Suggester, text: str, lang: str) -> list[tuple[int, int, float]]:
    from annotator.suggest.training import sentence_confidences as confidences

    return confidences(suggester, text, lang)


@dataclass
class Trained:
    """What one training gave: the models (None: nothing labelled yet to learn from)."""

    suggester: Suggester | None
    spans: int  # labelled spans trained on
    layers: int
    seconds: float  # wall time of reading and training
    thread: int  # the thread it ran on (threading.get_ident)
    confidences: dict[int, float | None] = field(default_factory=dict)  # document id: its confidence
    crf_examples: int | None = None  # the examples the CRF in use was trained on (None: no CRF)
    crf_retrained: bool = False  # whether this training trained the CRF (else only the matchers)
    only: list[str] | None = None  # the layers it learnt from (None: every layer and gold)
    corpus: dict[str, str] = field(default_factory=dict)  # queries.corpus_keys when the CRF in use was trained
    crf_pid: int | None = None  # the process that trained the CRF in use (the Retrainer's child)
    crf_serial: int = 0  # what that process calls the CRF in use (crf_job.update)
    crf_updated: bool = False  # whether this training updated the CRF (crf_job.update) rather than trained it


def train_recommenders(project: Project, with_confidences: bool, process: WorkerProcess,
                       only: list[str] | None = None, previous: Trained | None = None,
                       full: bool = False) -> Trained:
    """Train on every layer and gold (gold wins where a document has it), or on the layers
    of `only` that exist; rejections are negative evidence. With `with_confidences`, score
    every document too. Given the `previous` training, the CRF in use is updated rather
    than trained unless the CRF is due (retrain.crf_due), `only` changed, its languages'
    documents changed, or `full`. All of it runs in `process`, which reads the project
    itself (store/training_job.py); this thread waits for it without Python's lock and
    then only puts the models it sends back together."""
    from annotator.store import training_job

    t0 = time.perf_counter()
    in_use = _in_use(previous)
    done = process.run(training_job.train, training_job.TrainingRequest(project.path, with_confidences, only, full,
                                                                      in_use))
    suggester = None
    if done.spans:
        with cyclic_gc_paused():
            suggester = _suggester(done, previous)
    return Trained(suggester, done.spans, done.layers, time.perf_counter() - t0, threading.get_ident(),
                   done.confidences, done.crf_examples, done.crf is not None, only, done.corpus,
                   done.pid if suggester is not None else None, done.serial, done.linear is not None)


def _in_use(previous: Trained | None) -> training_job.InUse | None:
    """What the training process needs to know of the CRF in use to keep and update it."""
    if previous is None or previous.suggester is None or previous.crf_examples is None:
        return None  # and nothing of the models imported: the first training of a window
    from annotator.store import training_job
    from annotator.suggest.crf import CrfModel

    base = next(m for m in previous.suggester.models if isinstance(m, CrfModel))
    return training_job.InUse(previous.only, previous.crf_examples, previous.corpus,
                              frozenset(languages_of(previous.suggester)), previous.crf_pid, previous.crf_serial,
                              {lang: (m.vocabulary.uid, len(m.vocabulary.attrs)) for lang, m in base.linear.items()})


def _suggester(done: training_job.TrainingDone, previous: Trained | None) -> Suggester:
    """The trained models as one Suggester: the CRF trained in the process, or the one in
    use (`previous`'s) with the languages' models it updated."""
    from annotator.suggest.crf import CrfModel
    from annotator.suggest.training import Suggester

    crf = done.crf
    if crf is None:
        assert done.linear is not None and previous is not None and previous.suggester is not None
        base = next(m for m in previous.suggester.models if isinstance(m, CrfModel))
        linear = {lang: wire.model(base.linear[lang].vocabulary if lang in base.linear else None)
                  for lang, wire in done.linear.items()}
        crf = CrfModel(base.name, base.model_bytes, base._gazetteer, base.min_score, base.corpus, linear)
    return Suggester([*done.matchers, crf], crf_first=True)


def for_another_thread(suggester: Suggester) -> Suggester:
    """The same models with crfsuite taggers of their own: a tagger must never be used by
    two threads at once. A CRF model is rebuilt from its model bytes (cheap); the matchers
    are read-only dictionaries and shared."""
    from annotator.suggest.crf import CrfModel
    from annotator.suggest.training import Suggester

    return Suggester([CrfModel(m.name, m.model_bytes, m._gazetteer, m.min_score, m.corpus, m.linear)
                      if isinstance(m, CrfModel) else m
                      for m in suggester.models], crf_first=suggester.crf_first)


class _Relay(QObject):
    done = Signal(int, object)  # generation, Trained
    error = Signal(int, str)
    predicted = Signal(object, object)  # key, the suggestions


class _Run(QRunnable):
    def __init__(self, generation: int, fn: Callable[[], object], relay: _Relay, key: object = None) -> None:
        super().__init__()
        self.generation, self.fn, self.relay, self.key = generation, fn, relay, key
        self.setAutoDelete(True)

    def run(self) -> None:  # on the pool's thread
        try:
            # Tagging (and putting a training's models together) makes objects in Python: the
            # window must get the lock back at once (each pauses cyclic GC itself where it
            # makes them).
            with quick_lock_handoff():
                result = self.fn()
        except Exception as exc:  # reported on the GUI thread, not lost in a pool thread
            self.relay.error.emit(self.generation, str(exc) or type(exc).__name__)
        else:
            if self.key is None:
                self.relay.done.emit(self.generation, result)
            else:
                self.relay.predicted.emit(self.key, result)


class Retrainer(QObject):
    """Runs `train_recommenders` on its own one-thread pool, the training in its own child
    process (`process`): one training at a time; a request while one runs is kept (only
    the latest) and started when it ends.

    finished(Trained) and failed(message) are emitted on the GUI thread."""

    finished = Signal(object)
    failed = Signal(str)
    predicted = Signal(object, object)  # the key given to predict(), the suggestions

    def __init__(self, project: Project, parent: QObject | None = None, process: WorkerProcess | None = None) -> None:
        super().__init__(parent)
        self.project = project
        # the training process: started on the first training, ended by close()
        self.process = process or WorkerProcess("the training process")
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._relay = _Relay()  # lives on the GUI thread: the worker's signals reach us queued
        self._relay.done.connect(self._done)
        self._relay.error.connect(self._error)
        self._relay.predicted.connect(lambda key, found: self.closed or self.predicted.emit(key, found))
        self._generation = 0
        self._running = False
        self._wanted: tuple[bool, list[str] | None, bool] | None = None  # the request waiting for the running one
        self.last: Trained | None = None  # the latest training delivered (its CRF is kept until due)
        self.closed = False

    @property
    def running(self) -> bool:
        return self._running

    def request(self, with_confidences: bool, only: list[str] | None = None, full: bool = False) -> None:
        """Train (see train_recommenders; `full` retrains the CRF even if not due); while
        one runs, the latest request waits for it."""
        if self.closed:
            return
        if self._running:
            w = self._wanted
            self._wanted = (bool(w and w[0]) or with_confidences, only, bool(w and w[2]) or full)
            return
        self._running = True
        self._generation += 1
        project, previous, process = self.project, self.last, self.process
        self.pool.start(_Run(self._generation,
                             lambda: train_recommenders(project, with_confidences, process, only, previous, full),
                             self._relay))

    def predict(self, key: object, suggester: Suggester, text: str, lang: str, rejected: set[tuple[int, int, str]],
                extra: list[Suggestion]) -> None:
        """A long document's suggestions (none dropped for the layer's spans: the caller
        filters those), computed on the pool's thread with taggers of its own;
        `predicted(key, suggestions)` follows."""
        if self.closed:
            return
        private = for_another_thread(suggester)

        def tag() -> list[Suggestion]:
            with cyclic_gc_paused():
                return private.suggest(text, lang, (), rejected, extra)

        self.pool.start(_Run(0, tag, self._relay, key))

    def close(self) -> None:
        """No more trainings: the training process is terminated (a CRF training in it
        is abandoned at once), then the pool thread is waited for (it may be reading the
        project being closed)."""
        self.closed = True
        self._wanted = None
        self.process.close()
        self.pool.waitForDone()

    @Slot(int, object)
    def _done(self, generation: int, result: Trained) -> None:
        self.last = result
        self._next()
        if not self.closed:
            self.finished.emit(result)

    @Slot(int, str)
    def _error(self, generation: int, message: str) -> None:
        if generation:  # a training, not a prediction
            self._next()
        if not self.closed:
            self.failed.emit(message)

    def _next(self) -> None:
        self._running = False
        wanted, self._wanted = self._wanted, None
        if wanted is not None:
            self.request(*wanted)
