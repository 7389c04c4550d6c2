"""Suggesting translation groups: which documents are translations of one story.

Two documents can be translations of each other only if their languages differ. Their
score is the weighted Dice coefficient of their anchor keys (annotator.core.anchors:
numbers, dates, transliterated names; each key counted once per document), weighted by
rarity in the corpus (a key every document has, like "nato" in a NATO news corpus, says
nothing), times a length factor (a translation is rarely under half or over twice as
long). Small numbers (under 10) are left out: every text has them.

Pairs at or above THRESHOLD are joined greedily, best first, into groups in which no
language occurs twice (a group holds one version per language); a group's score is
the mean score of its pairs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from annotator.core.anchors import find_anchors, nfc_length

THRESHOLD = 0.1  # seeds: translations score 0.16-0.29, other pairs at most 0.05
MAX_POSTINGS = 200


@dataclass(frozen=True)
class GroupSuggestion:
    documents: tuple[str, ...]
    score: float


def anchor_keys(text: str, lang: str) -> frozenset[tuple[str, str]]:
    keys = set()
    for a in find_anchors(text, lang):
        if a.kind == "number":
            try:
                if abs(float(a.key)) < 10:
                    continue
            except ValueError:
                continue
        keys.add((a.kind, a.key))
    return frozenset(keys)


def _length_factor(la: int, lb: int) -> float:
    if not la or not lb:
        return 0.0
    ratio = min(la, lb) / max(la, lb)
    return min(1.0, ratio / 0.5)


def pair_scores(docs: Sequence[tuple[str, str, str]]) -> dict[tuple[str, str], float]:
    """Score of every pair of documents of different languages that share an anchor key,
    keyed by (id, id) in the order given. Pairs are found through an index of the keys,
    not by comparing every pair: a large corpus has few candidate pairs per document."""
    order = {doc_id: i for i, (doc_id, _l, _t) in enumerate(docs)}
    lang = {doc_id: lg for doc_id, lg, _t in docs}
    keys = {doc_id: anchor_keys(text, lg) for doc_id, lg, text in docs}
    lengths = {doc_id: nfc_length(text) for doc_id, _lang, text in docs}
    postings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for doc_id, ks in keys.items():
        for k in ks:
            postings[k].append(doc_id)
    n = len(docs)
    # Smoothed inverse document frequency: still positive for a key all documents share
    # (two documents only), near zero for one in every document of a large corpus.
    weight = {k: math.log((n + 1) / len(ds)) for k, ds in postings.items()}
    total = {doc_id: sum(weight[k] for k in ks) for doc_id, ks in keys.items()}
    shared: defaultdict[tuple[str, str], float] = defaultdict(float)
    for k, ds in postings.items():
        if len(ds) > MAX_POSTINGS:
            continue  # in so many documents that it weighs next to nothing
        for a, b in combinations(sorted(ds, key=order.__getitem__), 2):
            if lang[a] != lang[b]:
                shared[(a, b)] += weight[k]
    return {(a, b): 2 * w / (total[a] + total[b]) * _length_factor(lengths[a], lengths[b])
            for (a, b), w in shared.items() if total[a] + total[b]}


def suggest_groups(docs: Sequence[tuple[str, str, str]],
                   threshold: float = THRESHOLD) -> list[GroupSuggestion]:
    """Suggested groups of two or more documents, best score first (ties by ids)."""
    scores = pair_scores(docs)
    lang = {doc_id: lg for doc_id, lg, _t in docs}
    group_of = {doc_id: frozenset([doc_id]) for doc_id, _l, _t in docs}
    for (a, b), score in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
        if score < threshold or group_of[a] is group_of[b]:
            continue
        merged = group_of[a] | group_of[b]
        if len({lang[d] for d in merged}) < len(merged):
            continue  # two versions in one language: not one set of translations
        for d in merged:
            group_of[d] = merged
    out = []
    for group in {g for g in group_of.values() if len(g) > 1}:
        members = sorted(group)
        pairs = [scores.get((a, b), scores.get((b, a), 0.0)) for a, b in combinations(members, 2)]
        out.append(GroupSuggestion(tuple(members), round(sum(pairs) / len(pairs), 4)))
    return sorted(out, key=lambda g: (-g.score, g.documents))
