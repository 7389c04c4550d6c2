"""Generated translations with an unusual length ratio (the target three times as long as
the source) in two invented languages that share no letters, so only lengths can align
them: the data the learning tests teach the aligner with."""

from __future__ import annotations

import random

from annotator.core.records import Block
from annotator.core.sentences import split_sentences

RATIO = 3.0
SOURCE, TARGET = "bdgkmnpaiou", "fhlrstvey"  # disjoint: no cognate, name or number anchors


def sentence(rng: random.Random, letters: str, words: int) -> str:
    short = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 3))) for _ in range(words - 1)]
    return " ".join([*short, "".join(rng.choice(letters) for _ in range(5))]).capitalize() + "."


def joined(sentences: list[str]) -> tuple[str, list[tuple[int, int]]]:
    text = " ".join(sentences)
    return text, split_sentences(text, "en")


def confirmed_pair(rng: random.Random, n: int = 15) -> tuple[str, str, list[Block]]:
    """A complete translation and its 1-1 alignment, as a user would have kept it."""
    lens = [rng.randint(3, 12) for _ in range(n)]
    (ta, sa), (tb, sb) = (joined([sentence(rng, SOURCE, k) for k in lens]),
                          joined([sentence(rng, TARGET, round(k * RATIO)) for k in lens]))
    assert len(sa) == len(sb) == n
    return ta, tb, [Block(*x, *y) for x, y in zip(sa, sb)]


def pair_with_untranslated(rng: random.Random, n: int = 12, untranslated: int = 2):
    """A translation of n sentences whose source also has `untranslated` long sentences
    the target leaves out, which makes the pair's own length ratio wrong. Returns (source
    text, its sentences, target text, its sentences, the true alignment as sentence
    index lists)."""
    lens = [rng.randint(3, 12) for _ in range(n)]
    src = [sentence(rng, SOURCE, k) for k in lens]
    tgt = [sentence(rng, TARGET, round(k * RATIO)) for k in lens]
    gold: list[tuple[list[int], list[int]]] = [([k], [k]) for k in range(n)]
    for k in sorted(rng.sample(range(n), untranslated), reverse=True):
        src.insert(k, sentence(rng, SOURCE, 14))
        gold = [([i + 1 if i >= k else i], t) for (i,), t in gold] + [([k], [])]
    gold.sort(key=lambda g: g[0][0])
    (ta, sa), (tb, sb) = joined(src), joined(tgt)
    return ta, sa, tb, sb, gold
