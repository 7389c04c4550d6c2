"""What the GUI's training process does (worker_process.py runs it): the CRF's training
and the documents' uncertainty, from plain values, back as plain values.

The job carries the examples, every document text by language (the corpus the CRF's
word clusters and capitalisation are learnt from) and the settings; the result carries
the trained CrfModel (pickled without taggers: its model bytes per language and its
corpus models) and, when asked, each document's confidence. The window's process then
trains only the string matchers beside it (Suggester.of), a fraction of a second.

The functions here are plain and run in any process: tests call them directly too.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from annotator.suggest.base import Example
from annotator.suggest.crf import CrfModel, CrfSettings
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


def train(job: CrfJob) -> CrfTrained:
    """Train the CRF of `job` and score the documents it names."""
    c0 = time.process_time()
    crf = train_crf(job.examples, job.gazetteer, job.settings, job.texts)
    confidences = _confidences(crf, job.texts, job.score)
    return CrfTrained(crf, confidences, os.getpid(), time.process_time() - c0, peak_rss_mb())


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
