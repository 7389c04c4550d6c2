"""What the GUI's training process does (worker_process.py runs it): the CRF's training
and the documents' uncertainty, from plain values, back as plain values.

The job carries the examples, every document text by language (the corpus the CRF's
word clusters and capitalisation are learnt from) and the settings; the result carries
the trained CrfModel (pickled without taggers: its model bytes per language and its
corpus models) and, when asked, each document's confidence. The window's process then
trains only the string matchers beside it (Suggester.of), a fraction of a second.

After a commit the CRF is not trained again from scratch but updated (`update`: one
pass of AdaGrad over every annotated sentence, warm-started from the CRF in use; crf.py's
CrfUpdater, crf_update.py), a fraction of a second at 10,000 sentences. The process keeps
what that needs between jobs: the CRF it trained or updated last (`serial` names it) and
the updater with each sentence's encoded features. The window sends only the examples
and what it has of the model's vocabulary; the model comes back as LinearWire, without
the crfsuite model and corpus models the window has already.

The functions here are plain and run in any process: tests call them directly too.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from annotator.suggest.base import Example
from annotator.suggest.crf import CrfModel, CrfSettings, CrfUpdater
from annotator.suggest.crf_update import LinearWire
from annotator.suggest.gazetteer_file import GazetteerEntry
from annotator.suggest.training import Suggester, document_confidence, train_crf


@dataclass(frozen=True)
class CrfJob:
    examples: dict[str, list[Example]]
    texts: dict[str, list[str]]  # {language: every document's text}: the corpus
    settings: CrfSettings = CrfSettings()
    gazetteer: tuple[GazetteerEntry, ...] = ()
    # {language: the document id of each text of texts[language]}: score these (uncertainty)
    score: dict[str, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class CrfTrained:
    crf: CrfModel | None  # None when the job only scored
    confidences: dict[int, float | None]  # document id: its confidence
    pid: int  # the process that ran the job
    cpu_seconds: float  # its CPU time for the job
    peak_rss_mb: float | None  # that process's peak resident memory so far (None: not known here)
    serial: int = 0  # names the CRF in this process, for `update`


@dataclass(frozen=True)
class CrfUpdate:
    examples: dict[str, list[Example]]
    serial: int  # the CRF to update: CrfTrained.serial or CrfUpdated.serial of this process
    known: dict[str, tuple[str, int]]  # {language: (vocabulary uid, attributes)} the caller has
    settings: CrfSettings = CrfSettings()


@dataclass(frozen=True)
class CrfUpdated:
    linear: dict[str, LinearWire] | None  # None: this process has not that CRF (train it instead)
    serial: int
    pid: int
    cpu_seconds: float


@dataclass
class _Kept:
    """What this process keeps between jobs (in the training process crf_job's functions
    run one at a time): the CRF trained or updated last, its serial, the updater."""

    crf: CrfModel | None = None
    serial: int = 0
    updater: CrfUpdater | None = None


_kept = _Kept()


def _keep(crf: CrfModel, settings: CrfSettings) -> CrfUpdater:
    if _kept.updater is None or _kept.updater.settings != settings:
        _kept.updater = CrfUpdater(settings)
    _kept.crf, _kept.serial = crf, _kept.serial + 1
    return _kept.updater


def train(job: CrfJob) -> CrfTrained:
    """Train the CRF of `job` and score the documents it names."""
    c0 = time.process_time()
    crf = train_crf(job.examples, job.gazetteer, job.settings, job.texts)
    _keep(crf, job.settings).prime(crf, job.examples)  # the first update then featurises only what changed
    confidences = _confidences(crf, job.texts, job.score)
    return CrfTrained(crf, confidences, os.getpid(), time.process_time() - c0, peak_rss_mb(), _kept.serial)


def update(job: CrfUpdate) -> CrfUpdated:
    """The CRF named by `job.serial` updated on `job.examples` (CrfUpdater), its
    languages' models as LinearWire; or nothing, when this process no longer has that CRF
    (it was restarted, or trained another since) or a language with spans has no model
    in it yet: the caller then trains one."""
    c0 = time.process_time()
    crf, updater = _kept.crf, _kept.updater
    wanted = {lang for lang, exs in job.examples.items() if any(ex.spans for ex in exs)}
    if crf is None or updater is None or _kept.serial != job.serial or updater.settings != job.settings \
            or not wanted <= set(crf.model_bytes):
        return CrfUpdated(None, job.serial, os.getpid(), time.process_time() - c0)
    updated = updater.update(crf, job.examples)
    _keep(updated, job.settings)
    wires = {lang: m.wire(job.known.get(lang)) for lang, m in updated.linear.items()}
    return CrfUpdated(wires, _kept.serial, os.getpid(), time.process_time() - c0)


def kept_crf() -> CrfModel | None:
    """The CRF this process trained or updated last (what `update` would update next)."""
    return _kept.crf


def score(crf: CrfModel, texts: Mapping[str, Sequence[str]], ids: Mapping[str, Sequence[int]]) -> CrfTrained:
    """The documents' confidences under a CRF trained before (its taggers opened here)."""
    c0 = time.process_time()
    confidences = _confidences(crf, texts, ids)
    return CrfTrained(None, confidences, os.getpid(), time.process_time() - c0, peak_rss_mb())


def _confidences(crf: CrfModel, texts: Mapping[str, Sequence[str]],
                 ids: Mapping[str, Sequence[int]]) -> dict[int, float | None]:
    scorer = Suggester([crf])
    return {doc: document_confidence(scorer, text, lang)
            for lang, docs in ids.items() for doc, text in zip(docs, texts[lang], strict=True)}


def peak_rss_mb() -> float | None:
    """This process's peak resident set size (ru_maxrss: KiB on Linux, bytes on macOS)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
