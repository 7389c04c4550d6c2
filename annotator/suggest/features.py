"""Token features for the tagger that work in every script: the lower-cased word, its
shape (case, digits, caseless letters, punctuation), prefixes and suffixes, its ASCII
transliteration (anyascii: Cyrillic and Bengali names share features with their Latin
spellings), gazetteer hits, the neighbouring words, and the run of capitalised words a
word is in (its first and last word: "River" at the end of "St. Lawrence River" tells the
label of every word of the run, beyond the two-word window); and, given the project's corpus model
(corpus_stats.py), the word clusters of the word and its neighbours, the word's
embedding (real-valued, with_vectors) and its capitalisation across the corpus. A word's features depend on its sentence, the corpus
model and the gazetteer only."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from annotator.suggest.corpus_stats import CorpusModel


@dataclass(frozen=True)
class FeatureSet:
    """Which optional feature groups the tagger uses (bench_suggest.py --tune compares them
    on the dev split; FEATURES is what was kept)."""

    clusters: bool = True  # cluster paths of the word (three granularities) and its neighbours'
    cluster_window: int = 1  # neighbours each side whose cluster paths are features
    capitals: bool = True  # the word's capitalisation across the corpus
    char_ngrams: bool = False  # the word's character 3- and 4-grams
    run_clusters: bool = False  # in a capitalised run, the cluster paths of its first and last word
    # > 0: the word's corpus embedding (the SVD the clusters cut, unit length) as real-valued
    # features, scaled by this; clusters alone keep only which cell a word fell in
    vectors: float = 1.0
    vector_window: int = 0  # neighbours each side whose embeddings are features too
    vector_dims: int = 32  # its first (strongest) dimensions: 64 cost more for no more F1 on dev
    # with the `embeddings` extra (corpus.pretrained, pretrained_words.py): the pretrained
    # model's cluster paths of the word and of this many neighbours each side (-1: none),
    # and its first PCA dimensions as real-valued features (0: none), scaled by pretrained_scale
    pretrained_window: int = 1
    pretrained_dims: int = 16
    pretrained_scale: float = 1.0


FEATURES = FeatureSet()

_SHAPE_CLASS = {"Lu": "X", "Lt": "X", "Ll": "x", "Lo": "a", "Lm": "a", "Nd": "d", "Mn": "", "Mc": "", "Me": ""}


@lru_cache(maxsize=200_000)
def shape(word: str) -> str:
    """Xxxx -> "Xx", "R.H." -> "X.X.", "২০১৯" -> "d", "ঢাকা" -> "a": runs collapsed."""
    out: list[str] = []
    for ch in word:
        c = _SHAPE_CLASS.get(unicodedata.category(ch), ch)
        if c and (not out or out[-1] != c):
            out.append(c)
    return "".join(out)


@lru_cache(maxsize=200_000)
def word_features(word: str) -> tuple[str, ...]:
    """The features of one word on its own (cached: words repeat)."""
    low = word.lower()
    feats = ["w=" + low, "s=" + shape(word), "p1=" + low[:1], "p2=" + low[:2], "p3=" + low[:3], "p4=" + low[:4],
             "x1=" + low[-1:], "x2=" + low[-2:], "x3=" + low[-3:], "x4=" + low[-4:], "n=" + str(min(len(word), 8))]
    if word != low:
        feats.append("W=" + word)
    ascii_form = anyascii(low)
    if ascii_form != low:
        feats.append("t=" + ascii_form)
    if word[:1].isupper():
        feats.append("cap")
    if word.isupper() and len(word) > 1:
        feats.append("upper")
    if any(ch.isdigit() for ch in word):
        feats.append("digit")
    return tuple(feats)


def capital_runs(words: list[str]) -> list[tuple[int, int]]:
    """(first, last) word index of each run of capitalised words (shape starting "X");
    caseless scripts have none, and their words get no run features."""
    runs: list[tuple[int, int]] = []
    for i, w in enumerate(words):
        if not shape(w).startswith("X"):
            continue
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def run_features(words: list[str]) -> list[list[str]]:
    """Per word: in a run of capitalised words, the run's first and last word, the last
    one's suffix, the word's place in the run (B/I/E, S alone) and the run's length."""
    out: list[list[str]] = [[] for _ in words]
    for a, b in capital_runs(words):
        first, last = words[a].lower(), words[b].lower()
        for k in range(a, b + 1):
            place = "S" if a == b else "B" if k == a else "E" if k == b else "I"
            out[k] += ["rf=" + first, "rl=" + last, "rl3=" + last[-3:], "rp=" + place, "rn=" + str(min(b - a + 1, 5))]
    return out


def char_ngrams(low: str) -> list[str]:
    padded = "<" + low + ">"
    return [f"g{k}=" + padded[i:i + k] for k in (3, 4) for i in range(len(padded) - k + 1)]


def _path_prefixes(paths: list[tuple[int, ...] | None]) -> list[list[str]]:
    """Each word's cluster path as its prefixes ("3", "3.1", "3.1.2"); none for a word with no path."""
    return [[".".join(map(str, p[:k])) for k in range(1, len(p) + 1)] if p else [] for p in paths]


def _add_path_features(out: list[list[str]], prefixes: list[list[str]], tag: str, window: int) -> None:
    """A word's path prefixes as `tag`<k>= features, and its neighbours' within `window`
    each side as -<d>`tag`<k>= and +<d>`tag`<k>= (the corpus clusters "c", the pretrained "P")."""
    for i in range(len(prefixes)):
        out[i] += [f"{tag}{k}=" + pre for k, pre in enumerate(prefixes[i], start=1)]
        for d in range(1, window + 1):
            for j, side in ((i - d, "-"), (i + d, "+")):
                if 0 <= j < len(prefixes):
                    out[i] += [f"{side}{d}{tag}{k}=" + pre for k, pre in enumerate(prefixes[j], start=1)]


def corpus_features(words: list[str], corpus: CorpusModel, features: FeatureSet) -> list[list[str]]:
    """Per word: its cluster path prefixes and its neighbours' (features.cluster_window
    each side), and its capitalisation bucket across the corpus (CapitalStats.bucket)."""
    out: list[list[str]] = [[] for _ in words]
    if features.clusters:
        prefixes = _path_prefixes([corpus.clusters.path(w) for w in words])
        _add_path_features(out, prefixes, "c", features.cluster_window)
        if features.run_clusters:
            for a, b in capital_runs(words):
                for i in range(a, b + 1):
                    out[i] += [f"r{end}c{k}=" + pre for end, j in (("f", a), ("l", b))
                               for k, pre in enumerate(prefixes[j], start=1)]
    if corpus.pretrained is not None and features.pretrained_window >= 0:
        _add_path_features(out, _path_prefixes([corpus.pretrained.path(w) for w in words]), "P",
                           features.pretrained_window)
    if features.capitals:
        for i, w in enumerate(words):
            bucket = corpus.capitals.bucket(w)
            if bucket is not None:
                out[i].append("cs=" + bucket)
                if w != w.lower():
                    out[i].append("lc" if w.lower() in corpus.capitals.lower_seen else "nolc")
    return out


def sequence_features(words: list[str], gazetteer_tags: list[str] | None = None, corpus: CorpusModel | None = None,
                      features: FeatureSet | None = None) -> list[list[str]]:
    """Features of every word of one sentence, with its neighbours' (two each side), its
    capitalised run's (run_features), the sentence's length (capped at 10) and, given the
    project's corpus model, the corpus features (corpus_features)."""
    features = features or FEATURES
    n = len(words)
    lows = [w.lower() for w in words]
    shapes = [shape(w) for w in words]
    runs = run_features(words)
    extra = corpus_features(words, corpus, features) if corpus is not None else [[] for _ in words]
    length = "len=" + str(min(n, 10))
    out = []
    for i, w in enumerate(words):
        feats = ["b", length, *word_features(w), *runs[i], *extra[i]]
        if features.char_ngrams:
            feats += char_ngrams(lows[i])
        if i == 0:
            feats.append("BOS")
        else:
            feats += ["-1w=" + lows[i - 1], "-1s=" + shapes[i - 1], "-1w|w=" + lows[i - 1] + "|" + lows[i],
                      "-1x3=" + lows[i - 1][-3:], "-1s|s=" + shapes[i - 1] + "|" + shapes[i]]
            if i > 1:
                feats += ["-2w=" + lows[i - 2], "-2s=" + shapes[i - 2], "-2x3=" + lows[i - 2][-3:]]
        if i == n - 1:
            feats.append("EOS")
        else:
            feats += ["+1w=" + lows[i + 1], "+1s=" + shapes[i + 1], "w|+1w=" + lows[i] + "|" + lows[i + 1],
                      "+1x3=" + lows[i + 1][-3:]]
            if i < n - 2:
                feats += ["+2w=" + lows[i + 2], "+2s=" + shapes[i + 2], "+2x3=" + lows[i + 2][-3:]]
        if gazetteer_tags is not None and gazetteer_tags[i] != "O":
            feats.append("g=" + gazetteer_tags[i])
            feats.append("gl=" + gazetteer_tags[i][2:])
        out.append(feats)
    return out


@lru_cache(maxsize=64)
def _vector_names(offset: int, dims: int, kind: str = "e") -> tuple[str, ...]:
    prefix = f"{offset:+d}{kind}" if offset else kind
    return tuple(prefix + str(k) for k in range(dims))


def with_vectors(words: list[str], feats: list[list[str]], corpus: CorpusModel | None,
                 features: FeatureSet | None = None) -> list[list[str]] | list[dict[str, float]]:
    """`feats` with the words' corpus embeddings added as real-valued features (crfsuite's
    {attribute: value} items), when features.vectors asks for them."""
    features = features or FEATURES
    if corpus is None:
        return feats
    own = features.vectors and corpus.clusters.vectors is not None
    pretrained = corpus.pretrained if features.pretrained_dims and corpus.pretrained is not None else None
    if not own and pretrained is None:
        return feats
    vecs = [corpus.clusters.vector(w) for w in words] if own else [None] * len(words)
    pre_vecs = [pretrained.vector(w) for w in words] if pretrained is not None else [None] * len(words)
    out: list[dict[str, float]] = []
    for i, f in enumerate(feats):
        item = dict.fromkeys(f, 1.0)
        pre = pre_vecs[i]
        if pre is not None:
            values = pre[:features.pretrained_dims].tolist()
            item.update(zip(_vector_names(0, len(values), "p"), [x * features.pretrained_scale for x in values]))
        if not own:
            out.append(item)
            continue
        for d in range(-features.vector_window, features.vector_window + 1):
            vec = vecs[i + d] if 0 <= i + d < len(words) else None
            if vec is not None:
                # tolist(): Python floats at once (iterating numpy scalars was a third of tagging a corpus)
                values = vec[:features.vector_dims].tolist()
                scale = features.vectors
                item.update(zip(_vector_names(d, len(values)), [x * scale for x in values] if scale != 1.0 else values))
        out.append(item)
    return out
