"""Offline language identification over every language py3langid knows, preferring the
project's languages when the text fits one of them nearly as well.

py3langid ships its model inside the wheel; nothing is downloaded. Loading the model
takes about a second, so it happens on first use only.

Why a preference at all: the model separates close standards of one language by faint
cues (the Serbian seed, Latin script, scores as Bosnian), and short texts drift to
neighbours (English headlines to Nigerian Pidgin). Why only a narrow one: a Spanish or
Dutch text must not become the French or English of the project's list, as it did when
only the project's languages were candidates.

The margin is in the model's own unit, log-likelihood per byte of text (naive Bayes
scores grow with length; per byte they compare across lengths). A project language wins
when it is at most PREFERENCE_MARGIN nats per byte behind the most likely language.
bench/langid_margin.py measures accuracy against the margin on WikiANN sentences (en, fr,
de, nl; five project language lists, texts of 1 and 5 sentences): the mean is flat from
0.15 to 0.3 (0.751-0.756, against 0.699 with no preference and 0.676 at 0.7); 0.2 is taken,
below the top (0.25), to favour languages outside the list. (The Serbian seed is 0.17
behind Bosnian.) Different languages are far apart on this scale: the Spanish and Dutch
sentences of tests/core/test_langid.py, French and English are 1.6 and 2.0 nats per byte
behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy and the model load on first use
    import numpy as np
    from py3langid.langid import LanguageIdentifier

PREFERENCE_MARGIN = 0.2  # nats per byte; see the module's docstring
# The start of a long text decides, so a long text stays fast. Not lower:
# bench/langid_length.py finds 1,000 characters enough on WikiANN documents of 40
# sentences (en, fr, de, nl: mean accuracy 0.9997 at 1,000, 0.9993 reading everything,
# 0.985 at 400), but close standards need more: the Serbian seed (3,246 characters)
# scores as Bosnian from its first 1,500 and is within the margin only from 2,000 on.
MAX_CHARS = 20000
_BATCH = 256  # texts decided by one set of array operations


@dataclass(frozen=True)
class Guess:
    lang: str
    confidence: float  # the model's probability of `lang`, 0..1 (calibrated as py3langid does)
    likeliest: str  # the model's first choice; differs from `lang` when a project language was preferred


@dataclass(frozen=True)
class _Model:
    """py3langid's identifier (exact pin, 0.4.0) and its columns folded to one per label."""

    identifier: LanguageIdentifier
    labels: tuple[str, ...]  # one per distinct label, in the model's column order
    columns: np.ndarray  # the first column of each label
    aliases: tuple[tuple[int, int], ...]  # (first, duplicate) columns of one label: it scores the larger


@lru_cache(maxsize=1)
def _model() -> _Model:
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # Raw scores (log-likelihoods): the margin and the probabilities are computed below.
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    # The table ships as float16 and every product casts the rows it needs to float32
    # (most of the scoring time); cast once, the same numbers (57 MB instead of 28 MB).
    ident.nb_ptc = ident.nb_ptc.astype(np.float32)
    ident._full_model = (ident.nb_ptc, *ident._full_model[1:])
    first: dict[str, int] = {}
    for i, label in enumerate(ident.nb_classes):
        first.setdefault(label, i)
    aliases = tuple((first[label], i) for i, label in enumerate(ident.nb_classes) if first[label] != i)
    return _Model(ident, tuple(first), np.fromiter(first.values(), dtype=np.intp), aliases)


def _identifier() -> LanguageIdentifier:
    return _model().identifier


def _scores(samples: list[str]) -> np.ndarray:
    """py3langid's raw scores (its byte walk and product per text), a row per sample and a
    column per label as _Model.labels; duplicate columns folded as its rank() does."""
    import numpy as np
    from py3langid.langid import RAW_FLOOR, visit_counts

    model = _model()
    ident = model.identifier
    out = np.full((len(samples), len(ident.nb_classes)), RAW_FLOOR, dtype=np.float32)  # featureless: the floor
    for row, sample in enumerate(samples):
        visits = visit_counts(ident.tk_nextmove, ident._rowbase, ident.tk_output, ident._encode(sample))
        if visits:
            out[row] = ident._sparse_score(visits, ident.nb_ptc)
    for first, dupe in model.aliases:
        np.maximum(out[:, first], out[:, dupe], out=out[:, first])
    return out[:, model.columns]


def identify(text: str, languages: Iterable[str] = ()) -> Guess:
    """The language of `text` among all the model knows; one of `languages` (ISO 639-1
    codes, the project's) when it is within the margin of the most likely."""
    return identify_many([text], languages)[0]


def identify_many(texts: Iterable[str], languages: Iterable[str] = ()) -> list[Guess]:
    """`identify` for each text; the decisions of a batch of texts made together."""
    import numpy as np

    model = _model()
    wanted = set(languages)
    preferred = np.fromiter((la in wanted for la in model.labels), dtype=bool, count=len(model.labels))
    samples = [t[:MAX_CHARS] for t in texts]
    guesses: list[Guess] = []
    for start in range(0, len(samples), _BATCH):
        batch = samples[start:start + _BATCH]
        scores = _scores(batch)
        rows = np.arange(len(batch))
        sizes = np.fromiter((max(1, len(s.encode("utf-8", "surrogatepass"))) for s in batch), dtype=np.float64,
                            count=len(batch))
        top = scores.argmax(axis=1)  # the first of equal scores, as py3langid's stable ranking
        best = scores[rows, top].astype(np.float64)
        chosen = top
        if preferred.any():
            own = np.where(preferred, scores, -np.inf).argmax(axis=1)
            near = (best - scores[rows, own].astype(np.float64)) / sizes <= PREFERENCE_MARGIN
            chosen = np.where(near, own, top)
        # py3langid's calibration (norm_probs): a softmax at temperature sqrt(bytes).
        weights = np.exp((scores.astype(np.float64) - best[:, None]) / np.sqrt(sizes)[:, None])
        confidence = weights[rows, chosen] / weights.sum(axis=1)
        guesses.extend(Guess(model.labels[c], float(p), model.labels[t])
                       for c, p, t in zip(chosen.tolist(), confidence.tolist(), top.tolist(), strict=True))
    return guesses


def guess_language(text: str, languages: tuple[str, ...]) -> str:
    """The language code `identify` decides for `text`."""
    return identify(text, languages).lang


def summary(guesses: Iterable[Guess]) -> str:
    """One line for an import's summary: per language decided, how many documents and the
    lowest confidence, and how many were preferred over a likelier language."""
    by_lang: dict[str, list[Guess]] = {}
    for g in guesses:
        by_lang.setdefault(g.lang, []).append(g)
    parts = []
    for lang, group in sorted(by_lang.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        part = f"{lang} {len(group)} (lowest confidence {min(g.confidence for g in group):.2f}"
        over = sorted({g.likeliest for g in group if g.likeliest != g.lang})
        if over:
            count = sum(g.likeliest != g.lang for g in group)
            part += f"; {count} preferred over {', '.join(over)}, as a project language close behind"
        parts.append(part + ")")
    count = sum(len(group) for group in by_lang.values())
    return f"language identified for {count} document(s): {', '.join(parts)}"
