"""The string matcher: what the annotators labelled, matched again as whole words.

Each labelled surface (a sequence of tokens, NFC, case kept) remembers how often it got
each label and how often it occurred in the annotated texts at all; its score for a label
is the share of its occurrences that carried that label, with one unseen occurrence
added: "May" labelled once in a hundred occurrences scores 1/101, and a surface labelled
the only time it was seen scores 1/2, not certainty (so the CRF's surer reading of a
longer or different span wins in the combiner). A rejected suggestion counts as an
occurrence without the label. Gazetteer entries the user imports add one labelled
occurrence each (a prior the project's own evidence can outweigh).

Matching is over tokens (tokens.py), so it starts and ends only at word edges of every
script; the longest entry wins and matches never overlap.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from annotator.suggest.base import Example, Suggestion
from annotator.suggest.gazetteer_file import GazetteerEntry
from annotator.suggest.tokens import key, tokenize

Surface = tuple[str, ...]
ANY_LANGUAGE = ""


def _surface(text: str, start: int, end: int) -> Surface:
    return tuple(key(text[a:b]) for a, b in tokenize(text, start, end))


class _Table:
    """One language's entries: surface -> (label, score); for each first token, the
    lengths of the entries that start with it, longest first (so a token that starts no
    entry costs one look-up)."""

    def __init__(self, entries: dict[Surface, tuple[str, float]]) -> None:
        self.entries = entries
        lengths: dict[str, set[int]] = defaultdict(set)
        for surf in entries:
            lengths[surf[0]].add(len(surf))
        self._lengths = {first: sorted(ns, reverse=True) for first, ns in lengths.items()}

    def match(self, text: str, source: str) -> list[Suggestion]:
        toks = tokenize(text)
        keys = [key(text[a:b]) for a, b in toks]
        out, i = [], 0
        while i < len(toks):
            for n in self._lengths.get(keys[i], ()):
                hit = self.entries.get(tuple(keys[i:i + n])) if i + n <= len(toks) else None
                if hit is not None:
                    out.append(Suggestion(toks[i][0], toks[i + n - 1][1], hit[0], hit[1], source))
                    i += n
                    break
            else:
                i += 1
        return out


def _occurrences(texts: Iterable[str], surfaces: set[Surface]) -> Counter[Surface]:
    """How often each surface occurs (longest match first, no overlaps) in `texts`."""
    probe = _Table({s: ("", 0.0) for s in surfaces})
    seen: Counter[Surface] = Counter()
    for text in texts:
        for s in probe.match(text, ""):
            seen[_surface(text, s.start, s.end)] += 1
    return seen


class MatcherModel:
    def __init__(self, name: str, tables: dict[str, _Table], min_score: float) -> None:
        self.name = name
        self._tables = tables
        self.min_score = min_score

    def predict(self, text: str, lang: str) -> list[Suggestion]:
        table = self._tables.get(lang) or self._tables.get(ANY_LANGUAGE)
        if table is None:
            return []
        return [s for s in table.match(text, self.name) if s.score >= self.min_score]

    def surfaces(self, lang: str) -> dict[Surface, tuple[str, float]]:
        """The entries of `lang` (for features of other recommenders)."""
        table = self._tables.get(lang) or self._tables.get(ANY_LANGUAGE)
        return table.entries if table else {}


class StringMatcher:
    """Recommender: labelled surfaces of the examples plus imported gazetteer entries.
    `min_score` drops surfaces labelled in too small a share of their occurrences."""

    def __init__(self, name: str = "matcher", gazetteer: Sequence[GazetteerEntry] = (),
                 min_score: float = 0.0) -> None:
        self.name = name
        self.gazetteer = list(gazetteer)
        self.min_score = min_score

    def train(self, examples: Mapping[str, Sequence[Example]]) -> MatcherModel:
        tables: dict[str, _Table] = {}
        langs = set(examples) | {e.lang for e in self.gazetteer}
        for lang in langs:
            labelled: dict[Surface, Counter[str]] = defaultdict(Counter)
            imported: dict[Surface, Counter[str]] = defaultdict(Counter)
            refused: Counter[tuple[Surface, str]] = Counter()
            exs = examples.get(lang, ())
            for ex in exs:
                for a, b, label in ex.spans:
                    labelled[_surface(ex.text, a, b)][label] += 1
                for a, b, label in ex.rejected:
                    refused[_surface(ex.text, a, b), label] += 1
            for entry in self.gazetteer:
                if entry.lang in (lang, ANY_LANGUAGE):
                    imported[_surface(entry.term, 0, len(entry.term))][entry.label] += 1
            labelled.pop((), None)
            imported.pop((), None)
            seen = _occurrences((ex.text for ex in exs), set(labelled) | set(imported))
            entries: dict[Surface, tuple[str, float]] = {}
            for surf in set(labelled) | set(imported):
                counts = labelled[surf] + imported[surf]
                label, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
                # Occurrences in the texts (at least the labelled ones), plus one per imported
                # entry (not in the texts), plus the rejections of this label, plus one unseen.
                occurrences = (max(seen[surf], sum(labelled[surf].values())) + sum(imported[surf].values())
                               + refused[surf, label] + 1)
                entries[surf] = (label, n / occurrences)
            tables[lang] = _Table(entries)
        return MatcherModel(self.name, tables, self.min_score)
