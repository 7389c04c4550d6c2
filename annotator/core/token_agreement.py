"""Chance-corrected agreement over word tokens: Cohen's kappa, Fleiss' kappa and
Krippendorff's nominal alpha, in pure Python (core may not depend on numpy).

Units are the words of UAX #29 as annotator.core.graphemes defines them (`regex`'s \\w
keeps Bengali vowel signs and viramas inside the word; `re`'s would split them), so
white space, punctuation and emoji are not units: a span's edge there means nothing.
Each annotator gives each word one category: the label of the innermost span that
overlaps it (the shortest; ties go to the earlier start, then the label that sorts
first), or "O". Innermost, because a nested span is the more specific statement about
that word (PERSON inside ORG); overlap rather than containment, because a span that
stops inside a word still says something about that word.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Protocol

# The one definition of a word, shared with the editor's double-click (word_at).
from annotator.core.graphemes import words
from annotator.core.records import SpanRecord

OUTSIDE = "O"


class SpanLike(Protocol):
    """What a category needs of a span: a SpanRecord, or a bare (start, end, label) row."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


def token_categories(tokens: Sequence[tuple[int, int]], spans: Iterable[SpanLike]) -> list[str]:
    """One category per token: the label of the innermost overlapping span, or OUTSIDE."""
    best: list[tuple[int, int, str] | None] = [None] * len(tokens)
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    for s in spans:
        key = (s.end - s.start, s.start, s.label)
        # Tokens overlapping [s.start, s.end): the first whose end is past s.start, up to
        # the last whose start is before s.end. Tokens do not overlap, so both lists are sorted.
        i = bisect_left(ends, s.start + 1)
        while i < len(tokens) and starts[i] < s.end:
            held = best[i]
            if held is None or key < held:
                best[i] = key
            i += 1
    return [b[2] if b is not None else OUTSIDE for b in best]


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's kappa of two raters over the same units; None when undefined (no units, or
    both raters used one and the same category throughout, so chance agreement is 1)."""
    if not a or len(a) != len(b):
        return None
    return _cohen(Counter(zip(a, b)))


def _cohen(units: Counter[tuple[str, ...]]) -> float | None:
    """Cohen's kappa from how many units got each (a's, b's) pair of categories."""
    n = sum(units.values())
    if n == 0:
        return None
    observed = sum(f for (x, y), f in units.items() if x == y) / n
    ca: Counter[str] = Counter()
    cb: Counter[str] = Counter()
    for (x, y), f in units.items():
        ca[x] += f
        cb[y] += f
    expected = sum(ca[c] * cb[c] for c in ca) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def fleiss_kappa(ratings: Sequence[Sequence[str]]) -> float | None:
    """Fleiss' kappa: `ratings[r][u]` is rater r's category for unit u; every rater rates
    every unit. None when undefined (fewer than two raters or units, one category)."""
    m = len(ratings)
    if m < 2 or not ratings[0]:
        return None
    # Most words look alike ("O" from everyone): count each pattern of ratings once.
    return _fleiss(Counter(tuple(sorted(unit)) for unit in zip(*ratings)), m)


def _fleiss(patterns: Counter[tuple[str, ...]], m: int) -> float | None:
    """Fleiss' kappa from how many units got each sorted pattern of `m` ratings."""
    n_units = sum(patterns.values())
    if m < 2 or not n_units:
        return None
    totals: Counter[str] = Counter()
    agreement = 0.0
    for unit, freq in patterns.items():
        counts = Counter(unit)
        for c, nc in counts.items():
            totals[c] += nc * freq
        agreement += freq * (sum(c * c for c in counts.values()) - m) / (m * (m - 1))
    p_bar = agreement / n_units
    p_e = sum((c / (n_units * m)) ** 2 for c in totals.values())
    if p_e >= 1.0:
        return None
    return (p_bar - p_e) / (1.0 - p_e)


def krippendorff_alpha(ratings: Sequence[Sequence[str | None]]) -> float | None:
    """Krippendorff's alpha, nominal: `ratings[r][u]` is rater r's category for unit u or
    None where r did not rate u. Units with fewer than two ratings are not pairable and
    drop out. None when undefined (no pairable unit, or one category only)."""
    # Most words look alike ("O" from everyone): count each pattern of ratings once.
    return _alpha(Counter(tuple(sorted(v for v in unit if v is not None)) for unit in zip(*ratings)))


def _alpha(patterns: Counter[tuple[str, ...]]) -> float | None:
    """Krippendorff's nominal alpha from how many units got each sorted pattern of ratings."""
    coincidence: defaultdict[tuple[str, str], float] = defaultdict(float)
    for values, freq in patterns.items():
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nc - 1) if c == k else nc * nk
                coincidence[c, k] += freq * pairs / (m - 1)
    marginals: defaultdict[str, float] = defaultdict(float)
    for (c, _k), o in coincidence.items():
        marginals[c] += o
    n = sum(marginals.values())
    if n <= 1 or len(marginals) < 2:
        return None
    observed = sum(o for (c, k), o in coincidence.items() if c != k)
    expected = (n * n - sum(v * v for v in marginals.values())) / (n - 1)
    return 1.0 - observed / expected


def token_agreement(layers: Sequence[Sequence[Sequence[SpanRecord]]],
                    texts: Sequence[str]) -> tuple[float | None, float | None]:
    """(kappa, alpha) over the words of `texts`; `layers[r][d]` are rater r's spans of
    document d. Kappa is Cohen's for two raters and Fleiss' for more."""
    ratings: list[list[str]] = [[] for _ in layers]
    for d, text in enumerate(texts):
        tokens = words(text)
        for r, layer in enumerate(layers):
            ratings[r].extend(token_categories(tokens, layer[d]))
    kappa = cohen_kappa(*ratings) if len(ratings) == 2 else fleiss_kappa(ratings)
    return kappa, krippendorff_alpha(ratings)


class TokenTally:
    """token_agreement over documents added one at a time: only the count of each unit's
    categories is kept (most words are "O" for every rater), never the ratings."""

    def __init__(self, raters: int) -> None:
        self.raters = raters
        self.units: Counter[tuple[str, ...]] = Counter()

    def add(self, text: str, layers: Sequence[Iterable[SpanLike]]) -> None:
        """One document: its text and each rater's spans there."""
        tokens = words(text)
        self.units.update(zip(*(token_categories(tokens, layer) for layer in layers)))

    def result(self) -> tuple[float | None, float | None]:
        """(kappa, alpha) as token_agreement gives them for the same documents."""
        if self.raters == 2:
            kappa = _cohen(self.units)
        else:
            sorted_units: Counter[tuple[str, ...]] = Counter()
            for unit, f in self.units.items():
                sorted_units[tuple(sorted(unit))] += f
            kappa = _fleiss(sorted_units, self.raters)
        patterns: Counter[tuple[str, ...]] = Counter()
        for unit, f in self.units.items():
            patterns[tuple(sorted(unit))] += f
        return kappa, _alpha(patterns)
