"""What the window's training process does for a training of the recommenders
(ui/annotate/recommenders.py asks, suggest/worker_process.py runs it): all of it, from
reading the project to the trained models, so that the window's process does no Python
work for a training but unpickle what comes back.

Why: read by the window's pool thread, a training at 100,000 documents and 2,000,000
spans cost that thread 10+ s of Python holding the interpreter's lock (the layers'
spans fetched row by row, the documents, 200 MB of texts, the examples, all pickled
again to the child): each navigator step the window took meanwhile waited for the lock
(20-40 ms of CPU instead of 8-13 ms, and a pause over 50 ms in one run in ten), and the
window's memory grew by what it read only to send on.

The child opens the project itself (second_reader.py: its own read-only connection, or
its own engine with the same login), reads the examples and, when the CRF learns or the
documents are scored, the corpus (training_data.py), in one read transaction ended
before it trains; it trains the string matchers and trains the CRF (crf_job.train) or updates the one it
keeps (crf_job.update), and scores the documents when asked. What comes back is the
matchers, the CRF (trained: the whole model; updated: its LinearWire, the window has the
rest), the counts and the confidences.

Whether the CRF in use is kept (updated) or trained anew is decided here as it was in
the window: not when the layers asked for differ, the CRF is due (retrain.crf_due), a
language it has a model for has new documents, "Retrain now" (`full`), or this process
is not the one that has it (it was restarted).

The functions here are plain and run in any process: tests call them directly too.
"""

from __future__ import annotations

import os
import pickle
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.store.location import Location

if TYPE_CHECKING:
    from annotator.store.training_data import TrainingData
    from annotator.suggest.base import Example
    from annotator.suggest.crf import CrfModel
    from annotator.suggest.crf_update import LinearWire
    from annotator.suggest.matcher import MatcherModel

# The models (numpy, crfsuite, the corpus statistics) are imported by train(), in the
# training process: the window imports this module to make its request, and would
# otherwise import them in its first seconds, while its navigator paints the list (the
# window imports them when the trained models arrive, to unpickle them).


@dataclass(frozen=True)
class InUse:
    """What the window knows of the CRF in use: its last training's."""

    only: list[str] | None  # the layers it learnt from (None: every layer and gold)
    examples: int  # the examples it was trained on from scratch
    corpus: dict[str, str]  # queries.corpus_keys then
    languages: frozenset[str]  # those it has a model for
    pid: int | None  # the process that has it
    serial: int  # what that process calls it (crf_job.update)
    known: dict[str, tuple[str, int]]  # {language: (vocabulary uid, attributes)} the window has of it


@dataclass(frozen=True)
class TrainingRequest:
    location: Location  # the project's
    with_confidences: bool  # score every document too
    only: list[str] | None = None  # these layers (those that exist), else every layer and gold
    full: bool = False  # train the CRF from scratch even if not due
    in_use: InUse | None = None  # the CRF in use, if any


@dataclass(frozen=True)
class TrainingDone:
    matchers: list[MatcherModel | CrfModel]  # trained on the examples (none without spans)
    crf: CrfModel | None  # the CRF trained from scratch, or None
    linear: dict[str, LinearWire] | None  # or the CRF in use, updated (LinearCrf.wire)
    spans: int
    layers: int
    confidences: dict[int, float | None]  # document id: its confidence, when asked
    crf_examples: int | None  # the examples the CRF in use was trained on (None: no CRF)
    corpus: dict[str, str]  # corpus_keys when the CRF in use was trained
    pid: int  # this process
    serial: int  # what this process calls the CRF in use (0: none)
    cpu_seconds: float  # this process's CPU time for the training
    peak_rss_mb: float | None  # this process's peak resident memory so far


def train(request: TrainingRequest) -> TrainingDone:
    """The training `request` asks for, on the project at its location."""
    from annotator.store.second_reader import project_at
    from annotator.store.training_data import corpus_texts, read_training
    from annotator.suggest import crf_job
    from annotator.suggest.retrain import crf_due, sentences
    from annotator.suggest.training import Suggester

    c0 = time.process_time()
    project = project_at(request.location)
    # One read transaction for what the training needs, ended before it trains (minutes
    # at 100,000 documents): a reader left open would keep the window's commits from
    # being checkpointed out of the write-ahead log all that time.
    with project.read() as conn:
        data = read_training(conn, request.only, missing_ok=True)
        prev = request.in_use
        n = sentences(data.examples)
        kept = prev is not None and prev.only == request.only and not request.full \
            and not crf_due(n, prev.examples) \
            and all(prev.corpus.get(lang) == k for lang, k in data.keys.items() if lang in prev.languages)
        updating = kept and prev is not None and prev.pid == os.getpid()
        wanted = data.documents if request.with_confidences else {}
        # The CRF learns from the corpus (its word clusters, capitalisation): every text;
        # an update needs the texts only to score them.
        corpus = corpus_texts(conn, data) if data.spans and (wanted or not updating) else {}
    if not data.spans:
        return _done(data, c0, [], corpus=prev.corpus if kept and prev is not None else data.keys)
    if updating and prev is not None:
        with _matchers_beside(data.examples) as matchers:
            up = crf_job.update(crf_job.CrfUpdate(data.examples, prev.serial, prev.known))
        if up.linear is not None:
            confidences = _scored(up.linear, corpus, wanted) if wanted else {}
            return _done(data, c0, matchers(), linear=up.linear, confidences=confidences,
                         crf_examples=prev.examples, corpus=prev.corpus, serial=up.serial)
        if not corpus:  # this process no longer has the CRF in use (it trained another since): train one
            with project.read() as conn:
                corpus = corpus_texts(conn, data)
    trained = crf_job.train(crf_job.CrfJob(data.examples, corpus, score=wanted))
    return _done(data, c0, Suggester.matchers(data.examples), crf=trained.crf, confidences=trained.confidences,
                 crf_examples=n, corpus=data.keys, serial=trained.serial)


@contextmanager
def _matchers_beside(examples: Mapping[str, Sequence[Example]]) -> Iterator[Callable[[], list[MatcherModel | CrfModel]]]:
    """The string matchers of `examples` (Suggester.matchers) trained by a forked copy of
    this process while the block updates the CRF here: the two ran side by side on two
    cores when the window trained the matchers, and one after the other (1.0 s instead
    of 0.66 s after a commit at 10,000 sentences) once the training process did both.
    Forked only in the training process, whose other thread (its parent watch) waits in
    a system call and holds nothing the copy needs; elsewhere, or if the copy fails, they
    are trained here after the block. Gives a function that returns them."""
    from annotator.suggest.training import Suggester
    from annotator.suggest.worker_process import in_child

    if not (hasattr(os, "fork") and in_child() and threading.active_count() <= 2 and _threads() <= 2):
        yield lambda: Suggester.matchers(examples)
        return
    out, into = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: train, hand them over, go without running the parent's exit code
        status = 1
        try:
            os.close(out)
            with os.fdopen(into, "wb") as pipe:
                pickle.dump(Suggester.matchers(examples), pipe, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(into)
    got: list[list[MatcherModel | CrfModel]] = []
    try:
        yield lambda: got[0] if got else Suggester.matchers(examples)
    finally:
        with os.fdopen(out, "rb") as pipe:  # the copy blocks on a full pipe until read
            data = pipe.read()
        _pid, status = os.waitpid(pid, 0)
        if status == 0 and data:
            got.append(pickle.loads(data))


def _threads() -> int:
    """The threads of this process as the system counts them (numpy's included)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1 if threading.active_count() == 1 else 99


def _scored(linear: dict[str, LinearWire], texts: dict[str, list[str]],
            ids: dict[str, list[int]]) -> dict[int, float | None]:
    """The documents' confidences under the updated CRF as the window will have it: the
    kept CRF (crf_job's) with each language's model as the window rebuilds it from its
    wire (float32 weights), so the figures are those the window's own scoring gives."""
    from annotator.suggest import crf_job
    from annotator.suggest.crf import CrfModel

    crf = crf_job.kept_crf()
    assert crf is not None
    rebuilt = {lang: crf.linear[lang].wire(None).model(None) for lang in linear}
    return crf_job.score(CrfModel(crf.name, crf.model_bytes, crf._gazetteer, crf.min_score, crf.corpus, rebuilt),
                         texts, ids).confidences


def _done(data: TrainingData, c0: float, matchers: list[MatcherModel | CrfModel], crf: CrfModel | None = None,
          linear: dict[str, LinearWire] | None = None, confidences: dict[int, float | None] | None = None,
          crf_examples: int | None = None, corpus: dict[str, str] | None = None, serial: int = 0) -> TrainingDone:
    from annotator.suggest import crf_job

    return TrainingDone(matchers, crf, linear, data.spans, data.layers, confidences or {}, crf_examples, corpus or {},
                        os.getpid(), serial, time.process_time() - c0, crf_job.peak_rss_mb())
