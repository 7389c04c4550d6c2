"""What the project's own texts of one language say about each word, for the tagger's
features: its word clusters (word_clusters.py) and its capitalisation across the corpus
(Mikheev 1999: a word capitalised wherever it is not the first of a sentence is a name
even where no annotator labelled it; a word also seen in lower case is often a common
word at the start of a title or sentence).

The texts are every document of the project in that language, annotated or not (the
command line and the GUI's training read them; the benchmark gives the whole WikiANN file
it simulates, its unannotated dev and test sentences included: that is the user's corpus,
used without its labels). A corpus model depends on the texts alone, so it is kept while
they stay the same (`corpus_model` caches the last few).
"""

from __future__ import annotations

import hashlib
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.suggest import pretrained_words
from annotator.suggest.tokens import tokenize
from annotator.suggest.word_clusters import WordClusters, learn

# tokens after which the next word starts a sentence (a cheap cut: the statistics only count)
SENTENCE_END = frozenset(".!?।॥。！？…;:")
_CACHE_SIZE = 4


@dataclass(frozen=True)
class CapitalStats:
    """Lower-cased word -> how often it was capitalised (first letter upper) where it was
    not the first word of a sentence, and whether it was ever written all in lower case."""

    capitalised: dict[str, int]
    mid_sentence: dict[str, int]
    lower_seen: frozenset[str]

    def bucket(self, word: str) -> str | None:
        """The share of mid-sentence occurrences capitalised, bucketed (None: a caseless
        word); "-" when the word was never seen mid-sentence."""
        if word.lower() == word.upper():
            return None
        low = word.lower()
        n = self.mid_sentence.get(low, 0)
        if n == 0:
            return "-"
        share = self.capitalised.get(low, 0) / n
        tier = "0" if share == 0 else "1" if share == 1 else "lo" if share < 0.5 else "hi"  # "hi": half or more
        return tier + ("+" if n >= 3 else "")


@dataclass(frozen=True)
class CorpusModel:
    """The corpus facts the tagger's features read, for one language."""

    clusters: WordClusters
    capitals: CapitalStats
    sentences: int
    words: int
    digest: str  # of the texts it was learnt from (texts_digest)
    # the pretrained model's word clusters and vectors (pretrained_words.py): only with the
    # optional `embeddings` extra installed, else None and the features are those without it
    pretrained: WordClusters | None = None


def capital_stats(token_lists: Sequence[Sequence[str]]) -> CapitalStats:
    capitalised: Counter[str] = Counter()
    mid: Counter[str] = Counter()
    lower: set[str] = set()
    for toks in token_lists:
        first = True
        for w in toks:
            if w in SENTENCE_END:
                first = True
                continue
            if not any(ch.isalpha() for ch in w):
                continue
            low = w.lower()
            if w == low and low != w.upper():
                lower.add(low)
            if not first:
                mid[low] += 1
                if w[:1].isupper():
                    capitalised[low] += 1
            first = False
    return CapitalStats(dict(capitalised), dict(mid), frozenset(lower))


def texts_digest(texts: Sequence[str]) -> str:
    """What identifies a corpus: a hash of its texts in order."""
    digest = hashlib.sha256()
    for t in texts:
        digest.update(t.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def build(texts: Sequence[str], seed: int = 0, pretrained: bool | None = None) -> CorpusModel:
    """The corpus model of `texts` (one language's documents); `pretrained` (default:
    whether the `embeddings` extra is installed) adds the pretrained word clusters."""
    token_lists = [[t[a:b] for a, b in tokenize(t)] for t in texts]
    if pretrained is None:
        pretrained = pretrained_words.available()
    return CorpusModel(learn(token_lists, seed=seed), capital_stats(token_lists), len(texts),
                       sum(len(t) for t in token_lists), texts_digest(texts),
                       pretrained_words.learn(token_lists, seed=seed) if pretrained else None)


_cache: OrderedDict[tuple[str, int, bool], CorpusModel] = OrderedDict()


def corpus_model(texts: Sequence[str], seed: int = 0) -> CorpusModel:
    """build(texts), kept for the next training while the texts are the same."""
    key = (texts_digest(texts), seed, pretrained_words.available())
    hit = _cache.get(key)
    if hit is None:
        hit = build(texts, seed, key[2])
        _cache[key] = hit
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    _cache.move_to_end(key)
    return hit
