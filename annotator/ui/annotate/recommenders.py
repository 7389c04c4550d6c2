"""Training the project's recommenders off the GUI thread, the CRF in a child process.

`train_recommenders` reads the layers and the rejections (store) and trains the suggest
package's Suggester; it runs on a pool thread of its own (`Retrainer`), one training at a
time. The CRF's training (its corpus features, feature generation and crfsuite: seconds
of Python holding the interpreter's lock) and the documents' uncertainty run in the
Retrainer's child process (suggest/worker_process.py, suggest/crf_job.py), which the pool
thread waits for without that lock, so the window is not slowed by it; the string
matchers train on the pool thread (a fraction of a second). What a training gives back
is handed to the GUI thread through a queued signal: the trained models are then used
only there (a crfsuite tagger is not to be shared between threads), and a new training
builds new ones. The child is started on the first CRF training and kept; one that dies
fails that training (`failed`) and the next starts a fresh one; closing terminates it.

Uncertainty: a sentence's confidence is the CRF's marginal probability of its least sure
token (suggest.training.Suggester.confidence); a document's is the mean over its
sentences, so a long document is not sent first for its length alone. A document in a
language the CRF has no model for has none (None): the navigator lists it last.

After a commit the CRF in use is updated in the child (crf_job.update: one warm-started
pass over every annotated sentence, a fraction of a second at 10,000 sentences) and the
string matchers retrained beside it; crfsuite's L-BFGS training from scratch (seconds)
runs when the annotated examples have grown by half (suggest/retrain.py), when the
child no longer has the CRF in use (it was restarted), or on "Retrain now".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from annotator.store.layers import layer_annotators, training_layers
from annotator.store.project import Project
from annotator.store.queries import corpus_keys, document_texts, list_documents
from annotator.store.suggestions import rejections
from annotator.suggest.base import Suggestion
from annotator.suggest.worker_process import WorkerProcess
from annotator.ui.widgets.worker_threads import cyclic_gc_paused, quick_lock_handoff

if TYPE_CHECKING:
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
    every document too. Given the `previous` training of the same layers, only the
    matchers are retrained unless the CRF is due (retrain.crf_due) or `full`. The CRF and
    the scoring run in `process` (crf_job.py)."""
    from annotator.suggest import crf_job
    from annotator.suggest.crf import CrfModel
    from annotator.suggest.retrain import crf_due, sentences
    from annotator.suggest.training import Suggester, examples_by_language

    t0 = time.perf_counter()
    # Cyclic GC waits while this thread makes objects in Python (see _Run), not while it
    # waits for the child: the window collects its own garbage meanwhile.
    with cyclic_gc_paused(), project.read() as conn:
        if only is None:
            layers = training_layers(conn)
        else:
            present = set(layer_annotators(conn))
            names = [a for a in only if a in present]
            layers = training_layers(conn, names) if names else []
        refused = rejections(conn)
        docs = list_documents(conn)
        keys = corpus_keys(conn)
        uids = {d.id: d.uid for d in docs}
        examples = examples_by_language(layers, {uids[d]: r for d, r in refused.items() if d in uids})
        spans = sum(len(ex.spans) for exs in examples.values() for ex in exs)
        n = sentences(examples)
        # The CRF's corpus features expect the text they tag to be in the corpus they were
        # learnt from: a language whose documents changed (an import) retrains it.
        crf_langs = languages_of(previous.suggester) if previous is not None else set()
        kept = None if previous is None or previous.suggester is None or previous.only != only or full \
            or crf_due(n, previous.crf_examples) \
            or any(previous.corpus.get(lang) != key for lang, key in keys.items() if lang in crf_langs) \
            else previous
        # Every text (the CRF's corpus) is read only when the CRF learns or scores documents.
        texts = document_texts(conn, [d.id for d in docs]) if with_confidences or (spans and kept is None) else {}
    ids: dict[str, list[int]] = {}  # {language: its documents}, the order of `corpus`
    for d in docs:
        ids.setdefault(d.lang, []).append(d.id)
    corpus = {lang: [texts[i] for i in docs_of] for lang, docs_of in ids.items()} if texts else {}
    wanted = ids if with_confidences else {}
    confidences: dict[int, float | None] = {}
    crf_pid, crf_serial, updated = None, 0, None
    if spans and kept is not None and kept.suggester is not None and kept.crf_pid == process.pid:
        # the CRF in use, updated where it was trained (its own tagger here)
        base = next(m for m in kept.suggester.models if isinstance(m, CrfModel))
        known = {lang: (m.vocabulary.uid, len(m.vocabulary.attrs)) for lang, m in base.linear.items()}
        # The matchers train here while the child updates the CRF: two cores, and this thread
        # waits for the child without Python's lock.
        with ThreadPoolExecutor(1, thread_name_prefix="crf update") as waiter:
            pending = waiter.submit(process.run, crf_job.update, crf_job.CrfUpdate(examples, kept.crf_serial, known))
            with cyclic_gc_paused():
                matchers = Suggester.matchers(examples)
            up = pending.result()
        if up.linear is not None:
            with cyclic_gc_paused():
                linear = {lang: wire.model(base.linear[lang].vocabulary if lang in base.linear else None)
                          for lang, wire in up.linear.items()}
                updated = CrfModel(base.name, base.model_bytes, base._gazetteer, base.min_score, base.corpus, linear)
                suggester = Suggester([*matchers, updated], crf_first=True)
            crf_examples, crf_pid, crf_serial = kept.crf_examples, up.pid, up.serial
            if wanted:
                confidences = process.run(crf_job.score, updated, corpus, wanted).confidences
    if not spans:
        suggester, crf_examples = None, None
    elif updated is None:
        if kept is not None:  # the child lost the CRF in use: train one, with the texts it needs
            with project.read() as conn:
                texts = document_texts(conn, [d.id for d in docs])
            corpus = {lang: [texts[i] for i in docs_of] for lang, docs_of in ids.items()}
            kept = None
        done = process.run(crf_job.train, crf_job.CrfJob(examples, corpus, score=wanted))
        assert done.crf is not None
        with cyclic_gc_paused():
            suggester = Suggester.of(examples, done.crf)
        crf_examples, crf_pid, crf_serial = n, done.pid, done.serial
        confidences = done.confidences
    return Trained(suggester, spans, len(layers), time.perf_counter() - t0, threading.get_ident(), confidences,
                   crf_examples, suggester is not None and kept is None, only,
                   keys if kept is None else kept.corpus, crf_pid, crf_serial, updated is not None)


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
            # Training and tagging make many objects in Python: the window must get the
            # lock back at once (each pauses cyclic GC itself where it makes them).
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
    """Runs `train_recommenders` on its own one-thread pool, the CRF in its own child
    process (`process`): one training at a time; a request while one runs is kept (only
    the latest) and started when it ends.

    finished(Trained) and failed(message) are emitted on the GUI thread."""

    finished = Signal(object)
    failed = Signal(str)
    predicted = Signal(object, object)  # the key given to predict(), the suggestions

    def __init__(self, project: Project, parent: QObject | None = None, process: WorkerProcess | None = None) -> None:
        super().__init__(parent)
        self.project = project
        # the CRF's training process: started on the first CRF training, ended by close()
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
