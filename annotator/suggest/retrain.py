"""Retraining after commits without keeping the annotator waiting.

crfsuite's L-BFGS training from scratch costs seconds on a project of 10,000 sentences
(bench/bench_suggest.py --retrain: 38-53 s of CPU), too long to follow every commit. So:

- after every commit the CRF in use is updated (crf.CrfUpdater: one warm-started pass
  over every annotated sentence, 0.5-0.6 s of CPU at 10,000 sentences, in the window's
  training process: crf_job.update) and the string matchers are retrained beside it;
- the CRF is trained from scratch, in the background, once the annotated sentences have
  grown by GROWTH since its last training (and by at least MIN_NEW sentences): updates
  follow the optimum of the data they start from, a training from scratch finds it
  again (dev F1, docs/BENCHMARKS.md).

GROWTH is not tuned: at 0.5 the trainings from scratch of a project's whole life cost at
most 1 / (1 - 1/1.5) = 3 times its last one. MIN_NEW keeps the first commits from each
starting one. `with_new_matchers` is what followed a commit before updates (the CRF kept
as it was): the benchmark compares against it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from annotator.suggest.base import Example
from annotator.suggest.crf import CrfModel
from annotator.suggest.gazetteer_file import GazetteerEntry
from annotator.suggest.matcher import MatcherModel, StringMatcher
from annotator.suggest.training import Suggester

GROWTH = 0.5
MIN_NEW = 20


def sentences(examples: Mapping[str, Sequence[Example]]) -> int:
    """How much is annotated: the examples of every language (a WikiANN sentence is one)."""
    return sum(len(exs) for exs in examples.values())


def crf_due(annotated: int, at_last_crf: int | None) -> bool:
    """Whether the CRF should be retrained now: never trained, or the annotated examples
    grew by GROWTH (and MIN_NEW) since its last training."""
    if at_last_crf is None:
        return annotated > 0
    return annotated - at_last_crf >= max(MIN_NEW, GROWTH * at_last_crf)


def with_new_matchers(current: Suggester, examples: Mapping[str, Sequence[Example]],
                      gazetteer: Sequence[GazetteerEntry] = (), matcher_min_score: float = 0.5) -> Suggester:
    """`current`'s CRF with matchers trained on `examples`: what follows a commit."""
    matchers: list[MatcherModel | CrfModel] = [StringMatcher("matcher", min_score=matcher_min_score).train(examples)]
    if gazetteer:
        matchers.append(StringMatcher("gazetteer", gazetteer, min_score=matcher_min_score).train(examples))
    return Suggester([*matchers, *(m for m in current.models if isinstance(m, CrfModel))])
