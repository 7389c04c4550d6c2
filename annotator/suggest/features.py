"""Token features for the tagger that work in every script: the lower-cased word, its
shape (case, digits, caseless letters, punctuation), prefixes and suffixes, its ASCII
transliteration (anyascii: Cyrillic and Bengali names share features with their Latin
spellings), gazetteer hits, the neighbouring words, and the run of capitalised words a
word is in (its first and last word: "River" at the end of "St. Lawrence River" tells the
label of every word of the run, beyond the two-word window)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from anyascii import anyascii

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


def sequence_features(words: list[str], gazetteer_tags: list[str] | None = None) -> list[list[str]]:
    """Features of every word of one sentence, with its neighbours' (two each side), its
    capitalised run's (run_features) and the sentence's length (capped at 10)."""
    n = len(words)
    lows = [w.lower() for w in words]
    shapes = [shape(w) for w in words]
    runs = run_features(words)
    length = "len=" + str(min(n, 10))
    out = []
    for i, w in enumerate(words):
        feats = ["b", length, *word_features(w), *runs[i]]
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
