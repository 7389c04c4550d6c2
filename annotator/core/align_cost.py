"""What the default sentence aligner pays for a block: length (Gale-Church) and what
the anchors of its two sides say. Vectorised with numpy over the candidate target
positions of one row of the dynamic programme (core.align_dp).

Length (Gale & Church 1993): the target side of a translation block is about `ratio`
times as long as its source side, with a variance proportional to the length:
delta = (lb - ratio * la) / sqrt(variance * (la + lb / ratio) / 2), and the block costs
-log(2 * P(Z > |delta|)). `ratio` defaults to the two texts' length ratio, `variance` to
the paper's 6.8; both can be learned from alignments a user confirmed
(estimate_length_model).

Anchors: each sentence gets a bag of keys that survive translation: numbers and dates
(core.anchors), names in a phonetic key (so Bengali জিওনা meets Geoană), "cognates"
(words of four letters or more compared on their first four ASCII letters, Simard,
Foster & Isabelle 1992), punctuation marks and how the sentence ends. key_weights turns
them into log-likelihood ratios.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeAlias

import numpy as np
import regex

from annotator.core.anchors import find_anchors, nfc_length
from annotator.core.graphemes import WORD
from annotator.core.sentences import CONTENT
from annotator.core.translit import to_ascii

GC_VARIANCE = 6.8  # Gale & Church's s^2, from their English-German-French data
MIN_CONFIRMED = 5  # blocks needed before a learned ratio/variance replaces the defaults
COGNATE_PREFIX = 4  # Simard et al. 1992: words sharing their first four letters are cognates
# Kinds whose absence from the other side counts against a pair. Cognates and inner
# punctuation only count for it: most words have no cognate, and commas and brackets
# move freely in translation.
LOSS_KINDS = {"number", "date", "name", "end"}
# Languages that capitalise every noun: there a capitalised word is no sign of a name, and
# as "name" keys their nouns made every sentence lose weight for keys a translation never
# keeps (docs/BENCHMARKS.md, the alignment benchmark). Acronyms stay names; other names count as cognates.
NOUNS_CAPITALISED = {"de", "lb"}
MIN_RATE, MAX_RATE = 0.05, 0.95  # carry rates are kept off 0 and 1, where the logs diverge
_LOG2 = math.log(2)
_CASELESS = regex.compile(r"^[^\p{Lu}\p{Ll}\p{Lt}]*$")

Key: TypeAlias = tuple[str, str]  # (kind, key), e.g. ("number", "42")
Bag: TypeAlias = Counter[Key]
# (counts of a source run's keys, their gains, running counts over the targets, first target)
SourceTable: TypeAlias = tuple[np.ndarray, np.ndarray, np.ndarray, int]


@dataclass(frozen=True)
class LengthModel:
    """Target characters per source character (None: the two texts' own ratio) and
    Gale-Church's variance per character."""
    ratio: float | None = None
    variance: float = GC_VARIANCE


def estimate_length_model(pairs: list[tuple[int, int]]) -> LengthModel:
    """The ratio and variance of a language pair from confirmed blocks, given as (source
    characters, target characters) of their two sides; blocks with an empty side are
    ignored. Fewer than MIN_CONFIRMED usable blocks give the defaults. The estimators
    are Gale & Church's: ratio = sum(lb) / sum(la), variance = mean((lb - ratio la)^2 / la)."""
    usable = [(la, lb) for la, lb in pairs if la > 0 and lb > 0]
    if len(usable) < MIN_CONFIRMED:
        return LengthModel()
    ratio = sum(lb for _, lb in usable) / sum(la for la, _ in usable)
    variance = sum((lb - ratio * la) ** 2 / la for la, lb in usable) / len(usable)
    return LengthModel(ratio, max(variance, 0.5))


def log_sf(z: np.ndarray) -> np.ndarray:
    """log P(Z > z) for a standard normal and z >= 0, in log space so that the far
    tail does not underflow (Numerical Recipes' erfc, relative error < 1.2e-7)."""
    x = z / math.sqrt(2)
    t = 1.0 / (1.0 + 0.5 * x)
    poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (
        0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    return np.log(t) - x * x + poly - _LOG2  # log(erfc(x) / 2)


_Z_STEP = 0.01
_Z_GRID = np.arange(0.0, 60.0, _Z_STEP)
_TAIL_COST = -(_LOG2 + log_sf(_Z_GRID))  # -log(2 P(Z > z)), tabulated once


def length_cost(la: float, lb: np.ndarray, ratio: float, variance: float) -> np.ndarray:
    """Gale-Church's -log(2 P(Z > |delta|)) for a source side of `la` characters against
    target sides of `lb` characters (both sides non-empty); read from a table (linear
    between steps of 0.01, exact to 1e-4 nats) since it is asked for millions of times."""
    mean = (la + lb / ratio) / 2
    delta = np.abs(la * ratio - lb) / np.sqrt(np.maximum(mean, 1e-9) * variance)
    return np.interp(delta, _Z_GRID, _TAIL_COST)  # beyond 60 the cost is capped, as any such block loses anyway


# ---------------------------------------------------------------- anchor keys

_FOLD = [("ph", "f"), ("ck", "k"), ("sch", "s"), ("sh", "s"), ("ch", "k"), ("th", "t"), ("kh", "k"), ("gh", "g"),
         ("bh", "b"), ("dh", "d"), ("jh", "j"), ("x", "ks"), ("q", "k"), ("c", "k"), ("g", "j"), ("w", "v"),
         ("z", "s"), ("y", "i")]
_VOWELS = regex.compile(r"[aeiou]+")
_SOFT_C = regex.compile(r"c(?=[eiy])")
_REPEAT = regex.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def phonetic_key(ascii_word: str) -> str:
    """A spelling-tolerant key of a transliterated name: consonant classes folded (c/k/q,
    g/j, w/v, s/z, a soft c as s, aspirates), every run of vowels one "a", doubled letters
    single. The Bengali জিওনা (anyascii "jiona") and Geoană ("geoana") both give "jana",
    মিরসিয়া and Mircea "marsa"."""
    w = _SOFT_C.sub("s", ascii_word.lower())  # "Mircea", Bengali মিরসিয়া "mirsiya"
    for a, b in _FOLD:
        w = w.replace(a, b)
    w = w.replace("h", "")
    w = _VOWELS.sub("a", w)
    return _REPEAT.sub(r"\1", w)


_PUNCT_FOLD = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "？": "?",
                             "！": "!", "：": ":", "（": "(", "）": ")", "％": "%", "।": ".", "。": "."})
_MARKS = set('?!:;()"%')


def punctuation_keys(sentence: str) -> Bag:
    """Punctuation that survives translation: question and exclamation marks, colons,
    brackets, quotes, per cent signs (each counted), and how the sentence ends (a full
    stop, a question mark, no mark at all as titles and captions do)."""
    folded = sentence.translate(_PUNCT_FOLD)
    keys: Bag = Counter(("punct", ch) for ch in folded if ch in _MARKS)
    last = folded.rstrip(" \u00a0\u202f\"')")[-1:]
    keys[("end", "end" + (last if last in ".?!:;…" else ("-" if not last.isalnum() else "")))] += 1
    return keys


def sentence_keys(text: str, lang: str, sents: list[tuple[int, int]]) -> list[Bag]:
    """Per sentence, a bag of (kind, key): numbers and dates as the anchors module reads
    them, names by phonetic key, cognates by their first COGNATE_PREFIX ASCII letters.
    In a script without case (Bengali) every word long enough may be a name; in a
    language that capitalises its nouns (NOUNS_CAPITALISED) only acronyms are."""
    out: list[Bag] = [Counter() for _ in sents]
    starts = [s for s, _ in sents]

    def at(pos: int) -> int | None:
        k = bisect_right(starts, pos) - 1
        return k if k >= 0 and pos < sents[k][1] else None

    nouns_capitalised = lang.split("-")[0].lower() in NOUNS_CAPITALISED
    for a in find_anchors(text, lang):
        k = at(a.start)
        if k is None:
            continue
        if a.kind == "name" and nouns_capitalised and not text[a.start:a.end].isupper():
            continue  # "Erkundungen": a noun; real names still meet theirs as cognates
        if a.kind == "name":
            key = phonetic_key(a.key.replace(" ", ""))
            if len(key) >= 3:
                out[k][("name", key)] += 1
        else:
            out[k][(a.kind, a.key)] += 1
    for k, (s, e) in enumerate(sents):
        out[k].update(punctuation_keys(text[s:e]))
        for m in WORD.finditer(text, s, e):
            word = m.group()
            if word[0].isdigit():
                continue
            ascii_word = to_ascii(word).replace(" ", "")
            if len(ascii_word) >= COGNATE_PREFIX and ascii_word.isalpha():
                out[k][("cognate", ascii_word[:COGNATE_PREFIX])] += 1
                if _CASELESS.match(word):
                    key = phonetic_key(ascii_word)
                    if len(key) >= 4:
                        out[k][("name", key)] += 1
    return out


def carry_rates_anywhere(keys_a: list[Bag], keys_b: list[Bag]) -> dict[str, float]:
    """Per kind, how often a key of one text is found anywhere in the other: a first,
    generous estimate of the chance p that a translation keeps a key of that kind."""
    in_a: set[Key] = set().union(*keys_a) if keys_a else set()
    in_b: set[Key] = set().union(*keys_b) if keys_b else set()
    kept: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for bags, other in ((keys_a, in_b), (keys_b, in_a)):
        for c in bags:
            for k in c:
                seen[k[0]] += 1
                kept[k[0]] += k in other
    return _clip(kept, seen)


def carry_rates_aligned(keys_a: list[Bag], keys_b: list[Bag],
                        path: list[tuple[int, int, int, int]]) -> dict[str, float]:
    """Per kind, how often a key of one side of a two-sided block of `path` ((i0, i1, j0,
    j1) blocks) is found on its other side: p re-estimated from an alignment."""
    kept: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for i0, i1, j0, j1 in path:
        if i1 == i0 or j1 == j0:
            continue
        a: set[Key] = set().union(*keys_a[i0:i1])
        b: set[Key] = set().union(*keys_b[j0:j1])
        for side, other in ((a, b), (b, a)):
            for k in side:
                seen[k[0]] += 1
                kept[k[0]] += k in other
    return _clip(kept, seen)


def _clip(kept: Counter[str], seen: Counter[str]) -> dict[str, float]:
    return {kind: min(MAX_RATE, max(MIN_RATE, kept[kind] / seen[kind])) for kind in seen}


def key_weights(keys_a: list[Bag], keys_b: list[Bag],
                rates: dict[str, float]) -> tuple[dict[Key, float], dict[Key, float]]:
    """(gain, loss) per key, as log-likelihood ratios of "the two sentences translate each
    other" against "they are unrelated". With p the kind's carry rate and q the chance
    that an unrelated sentence has the key (its sentence frequency): a key both sides of
    a pair have gains log(p / q); a key of a LOSS_KINDS kind only one side has loses
    log((1 - q) / (1 - p)) when that is positive. The loss is charged for every key of a
    two-sided block, and the gain of a shared key adds back the two losses it was charged."""
    df: Bag = Counter()
    for c in keys_a + keys_b:
        df.update(c.keys())
    total = len(keys_a) + len(keys_b)
    gain: dict[Key, float] = {}
    loss: dict[Key, float] = {}
    for k, f in df.items():
        p, q = rates.get(k[0], MIN_RATE), min(MAX_RATE, f / total)
        loss[k] = max(0.0, math.log((1 - q) / (1 - p))) if k[0] in LOSS_KINDS else 0.0
        gain[k] = max(0.0, math.log(p / q)) + 2 * loss[k]
    return gain, loss


class KeyWindows:
    """The weight a run of source sentences shares with runs of target sentences, exactly
    as bags (a key twice on one side and once on the other is shared once): per key, the
    sorted target sentences that hold it. Only the keys with a target inside the row's
    band are looked at, so a long document's frequent keys cost nothing where they are
    absent."""

    def __init__(self, keys_b: list[Bag], gain: dict[Key, float]) -> None:
        where: defaultdict[Key, list[tuple[int, int]]] = defaultdict(list)
        for j, c in enumerate(keys_b):
            for k, cnt in c.items():
                if gain.get(k):
                    where[k].append((j, cnt))
        self.gain = gain
        self.index = {k: ([j for j, _ in v], np.array([j for j, _ in v]), np.array([c for _, c in v], dtype=float))
                      for k, v in where.items()}

    def source_table(self, bags: list[Bag], lo: int, hi: int) -> SourceTable | None:
        """For a run of source sentences and the targets lo..hi-1: (counts of its keys,
        their gains, running counts of each key over the targets), or None when no target
        there shares a key. shared() reads windows of it."""
        total: Bag = Counter()
        for c in bags:
            total.update(c)
        found = []
        for k, cnt in total.items():
            if k not in self.index:
                continue
            pos, pos_array, counts = self.index[k]
            a, b = bisect_left(pos, lo), bisect_left(pos, hi)
            if a < b:
                found.append((cnt, self.gain[k], pos_array[a:b], counts[a:b]))
        if not found:
            return None
        table = np.zeros((len(found), hi - lo + 1))
        for r, (_cnt, _gain, where, counts) in enumerate(found):
            table[r, where - lo + 1] = counts  # a key's targets are distinct
        cnts = np.array([f[0] for f in found], dtype=float)[:, None]
        return cnts, np.array([f[1] for f in found]), np.cumsum(table, axis=1), lo

    @staticmethod
    def shared(table: SourceTable | None, js: np.ndarray, dj: int) -> np.ndarray:
        """For each j in js, the gain the table's source run shares with targets
        j - dj .. j - 1 (all inside the table's range)."""
        if table is None:
            return np.zeros(len(js))
        cnts, gains, run, lo = table
        inside = run[:, js - lo] - run[:, js - dj - lo]
        out: np.ndarray = gains @ np.minimum(cnts, inside)
        return out


def totals(keys: list[Bag], weights: dict[Key, float]) -> np.ndarray:
    """Each sentence's total of `weights` over its keys."""
    return np.array([sum(weights.get(k, 0.0) * n for k, n in c.items()) for c in keys], dtype=float)


def nfc_lengths(text: str, sents: list[tuple[int, int]]) -> np.ndarray:
    return np.array([nfc_length(text[s:e]) for s, e in sents], dtype=float)


def contentless(text: str, sents: list[tuple[int, int]]) -> np.ndarray:
    """True for each sentence with no word of two letters, no number and no Han character
    (sentences.CONTENT): page furniture or OCR debris ("....." , "h * \"", ",r m"), nothing
    in it says where its counterpart is, if any."""
    return np.array([CONTENT.search(text, s, e) is None for s, e in sents], dtype=bool)

