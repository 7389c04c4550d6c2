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
import math
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

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
class PairStats:
    """How strongly two neighbouring words stick together across the corpus (lower-cased:
    the counts of each word and of each adjacent pair): a name of several words ("New
    York", "Real Madrid") recurs as a unit, a name beside a common word does not, which
    speaks for a span's edges."""

    words: dict[str, int]
    pairs: dict[tuple[str, str], int]
    total: int

    def bucket(self, left: str, right: str) -> str:
        """The pair's count and pointwise mutual information, bucketed: "0" never seen
        together, else count tier "1" / "2" (2-3) / "4" (4 or more) and a PMI tier."""
        a, b = _pair_key(left), _pair_key(right)
        n = self.pairs.get((a, b), 0)
        if n == 0:
            return "0"
        pmi = math.log(n * self.total / (self.words.get(a, 1) * self.words.get(b, 1)))
        tier = "neg" if pmi < 0 else "lo" if pmi < 2 else "mid" if pmi < 4 else "hi" if pmi < 6 else "top"
        return ("1" if n == 1 else "2" if n < 4 else "4") + tier


@dataclass(frozen=True)
class RunStats:
    """Where a word stands in runs of capitalised words across the corpus: alone (S),
    first (B), inside (I) or last (E); "River" ends runs, "St." starts them, which speaks
    for a span's edges where the sentence alone does not."""

    places: dict[str, tuple[int, int, int, int]]  # lower-cased word -> counts of S, B, I, E

    def places_of(self, word: str) -> list[str]:
        """The places that take a third or more of the word's runs ("few" under 2 runs; []
        for a word never capitalised in the corpus)."""
        counts = self.places.get(_pair_key(word))
        if counts is None:
            return []
        n = sum(counts)
        if n < 2:
            return ["few"]
        return [place for place, k in zip("SBIE", counts) if 3 * k >= n]


@dataclass(frozen=True)
class CorpusModel:
    """The corpus facts the tagger's features read, for one language."""

    clusters: WordClusters
    capitals: CapitalStats
    sentences: int
    words: int
    digest: str  # of the texts it was learnt from (texts_digest)
    pairs: PairStats | None = None
    runs: RunStats | None = None


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


def _pair_key(word: str) -> str:
    """Lower case, NFC: Vietnamese arrives both composed and decomposed."""
    return unicodedata.normalize("NFC", word.lower())


def pair_stats(token_lists: Sequence[Sequence[str]]) -> PairStats:
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for toks in token_lists:
        low = [_pair_key(w) for w in toks]
        words.update(low)
        pairs.update(zip(low, low[1:]))
    return PairStats(dict(words), dict(pairs), max(1, sum(words.values())))


def run_stats(token_lists: Sequence[Sequence[str]]) -> RunStats:
    places: dict[str, list[int]] = {}
    for toks in token_lists:
        capital = [w[:1].isupper() for w in toks]
        for i, w in enumerate(toks):
            if not capital[i]:
                continue
            before = i > 0 and capital[i - 1]
            after = i + 1 < len(toks) and capital[i + 1]
            place = 2 if before and after else 1 if after else 3 if before else 0
            places.setdefault(_pair_key(w), [0, 0, 0, 0])[place] += 1
    return RunStats({w: (c[0], c[1], c[2], c[3]) for w, c in places.items()})


def texts_digest(texts: Sequence[str]) -> str:
    """What identifies a corpus: a hash of its texts in order."""
    digest = hashlib.sha256()
    for t in texts:
        digest.update(t.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def build(texts: Sequence[str], seed: int = 0, flat_sizes: tuple[int, ...] = (), pairs: bool = False,
          runs: bool = False) -> CorpusModel:
    """The corpus model of `texts` (one language's documents); `flat_sizes`, `pairs` and
    `runs` add what the feature set asks for (features.FeatureSet.flat_sizes, .pairs, .run_places)."""
    token_lists = [[t[a:b] for a, b in tokenize(t)] for t in texts]
    return CorpusModel(learn(token_lists, seed=seed, flat_sizes=flat_sizes), capital_stats(token_lists), len(texts),
                       sum(len(t) for t in token_lists), texts_digest(texts),
                       pair_stats(token_lists) if pairs else None, run_stats(token_lists) if runs else None)


_cache: OrderedDict[tuple[str, int, tuple[int, ...], bool, bool], CorpusModel] = OrderedDict()


def corpus_model(texts: Sequence[str], seed: int = 0, flat_sizes: tuple[int, ...] = (),
                 pairs: bool = False, runs: bool = False) -> CorpusModel:
    """build(texts, ...), kept for the next training while the texts are the same."""
    key = (texts_digest(texts), seed, tuple(flat_sizes), pairs, runs)
    hit = _cache.get(key)
    if hit is None:
        hit = build(texts, seed, tuple(flat_sizes), pairs, runs)
        _cache[key] = hit
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    _cache.move_to_end(key)
    return hit
