"""Sentence alignment of two translations: Gale-Church's length-based dynamic
programme, strengthened by anchors the two sentences share.

Gale & Church (1993): the length of a translation is about c times the length of its
source, with a variance proportional to the length; a block's cost is
-log P(match type) - log P(|delta|) with delta the normalised length difference. We use
the prior probabilities of the paper (and of NLTK's implementation) for 1-1, 1-0, 0-1,
2-1, 1-2 and 2-2 blocks, and estimate c from the two texts (Vietnamese and French run
longer than English) instead of assuming 1.

Two departures from the paper, for news translations that add and drop whole
sentences (captions, "Related posts"): a sentence left without counterpart costs its
prior plus a flat INDEL_COST instead of a cost growing with its length; and anchors
(numbers, dates, names: annotator.core.anchors) enter each two-sided block's cost, lower
when its sides share more of them than an ordinary translation pair does, higher when
they share less (_anchor_cost). A key found in many sentences (NATO in every one) weighs
little: inverse sentence frequency. Lengths are counted in NFC characters, so NFD text
is not "longer". The four constants below were chosen on the seed gold
(bench/bench_parallel.py) from a broad plateau of equally good values, not its peak:
three sentence pairs are too few to fit them finely.
"""

from __future__ import annotations

import math
from collections import Counter

from annotator.core.anchors import Anchor, find_anchors, nfc_length
from annotator.core.records import Block
from annotator.core.sentences import split_sentences

_Key = tuple[str, str]  # an anchor's (kind, key)
_Run = tuple[int, Counter[_Key], float]  # length, anchors and anchor weight of consecutive sentences

PRIORS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089, (1, 2): 0.089, (2, 2): 0.011}
VARIANCE = 6.8  # Gale & Church's s^2
KIND_WEIGHT = {"number": 1.0, "date": 1.0, "name": 0.6}
ANCHOR_BONUS = 3.0  # nats per unit of anchor weight (a rare name weighs about 1.5)
ANCHOR_EXPECTED = 0.35  # share of anchors an ordinary translation pair has in common
INDEL_COST = 1.0  # nats, besides the prior, for a sentence with no counterpart
BAND = 40  # sentences off the diagonal the search may stray, beyond the length difference
_LOG2 = math.log(2)


def _log_sf(z: float) -> float:
    """log P(Z > z) for a standard normal Z, accurate far in the tail."""
    if z < 8:
        return math.log(0.5 * math.erfc(z / math.sqrt(2)))
    return -z * z / 2 - math.log(z * math.sqrt(2 * math.pi))


def _length_cost(la: int, lb: int, ratio: float) -> float:
    if not la or not lb:
        # Gale-Church's cost of leaving a sentence out grows with its length without
        # bound, which forces loose translations (whole sentences added or dropped)
        # into wrong pairs; a flat cost lets anchors decide.
        return INDEL_COST
    mean = (la + lb / ratio) / 2
    if mean == 0:
        return 0.0
    delta = (la * ratio - lb) / math.sqrt(mean * VARIANCE)
    return -(_LOG2 + _log_sf(abs(delta)))


def _sentence_anchors(anchors: list[Anchor], sents: list[tuple[int, int]]) -> list[Counter[_Key]]:
    out: list[Counter[_Key]] = [Counter() for _ in sents]
    i = 0
    for a in anchors:  # both sorted by start
        while i < len(sents) and sents[i][1] <= a.start:
            i += 1
        if i < len(sents) and sents[i][0] <= a.start and a.end <= sents[i][1]:
            out[i][(a.kind, a.key)] += 1
    return out


def _weights(per_a: list[Counter[_Key]], per_b: list[Counter[_Key]]) -> dict[_Key, float]:
    """Inverse sentence frequency: a key in every sentence tells nothing."""
    df: Counter[_Key] = Counter()
    for c in per_a + per_b:
        df.update(c.keys())
    total = len(per_a) + len(per_b)
    return {k: KIND_WEIGHT[k[0]] * math.log((total + 1) / df[k]) for k in df}


def _anchor_cost(ca: Counter[_Key], wa: float, cb: Counter[_Key], wb: float, weights: dict[_Key, float]) -> float:
    """ANCHOR_BONUS * (ANCHOR_EXPECTED * mean weight of the two sides' anchors - weight
    of the anchors they share); wa and wb are the sides' total weights. Linear in the
    weights, so that splitting a block in two changes it only by the anchors shared
    across the split (merging sentences to collect more matches does not pay by itself);
    pairs that share less than an ordinary translation pair does (ANCHOR_EXPECTED) cost
    more, pairs that share more cost less."""
    if len(ca) > len(cb):
        ca, cb = cb, ca
    shared = sum(weights[k] * min(n, cb[k]) for k, n in ca.items() if k in cb)
    return ANCHOR_BONUS * (ANCHOR_EXPECTED * (wa + wb) / 2 - shared)


def _runs(lengths: list[int], anchors: list[Counter[_Key]], weights: dict[_Key, float]) -> dict[int, list[_Run | None]]:
    """For k = 1, 2: per end index i, (length, anchors, anchor weight) of the k sentences
    ending before i; the DP reads these instead of summing in its inner loop."""
    out = {}
    for k in (1, 2):
        runs: list[_Run | None] = [None] * (len(lengths) + 1)
        for i in range(k, len(lengths) + 1):
            c = anchors[i - 1] if k == 1 else anchors[i - 2] + anchors[i - 1]
            runs[i] = (sum(lengths[i - k:i]), c, sum(weights[key] * n for key, n in c.items()))
        out[k] = runs
    return out


def align_sentences(text_a: str, lang_a: str, text_b: str, lang_b: str,
                    sents_a: list[tuple[int, int]] | None = None,
                    sents_b: list[tuple[int, int]] | None = None) -> list[Block]:
    """Blocks in order covering every sentence of both sides once (see the module
    docstring); default sentences are split_sentences'."""
    sa = split_sentences(text_a, lang_a) if sents_a is None else list(sents_a)
    sb = split_sentences(text_b, lang_b) if sents_b is None else list(sents_b)
    n, m = len(sa), len(sb)
    len_a = [nfc_length(text_a[s:e]) for s, e in sa]
    len_b = [nfc_length(text_b[s:e]) for s, e in sb]
    ratio = (sum(len_b) / sum(len_a)) if sum(len_a) and sum(len_b) else 1.0
    anc_a = _sentence_anchors(find_anchors(text_a, lang_a), sa)
    anc_b = _sentence_anchors(find_anchors(text_b, lang_b), sb)
    weights = _weights(anc_a, anc_b)
    runs_a, runs_b = _runs(len_a, anc_a, weights), _runs(len_b, anc_b, weights)
    moves_cost = [(di, dj, -math.log(prior)) for (di, dj), prior in PRIORS.items()]
    band = BAND + abs(n - m)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        centre = int(i * m / n) if n else 0
        for j in range(max(0, centre - band), min(m, centre + band) + 1):
            if i == j == 0:
                continue
            best, move = inf, None
            for di, dj, prior_cost in moves_cost:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or cost[pi][pj] == inf:
                    continue
                ra, rb = runs_a[di][i] if di else None, runs_b[dj][j] if dj else None
                c = cost[pi][pj] + prior_cost + _length_cost(ra[0] if ra else 0, rb[0] if rb else 0, ratio)
                if ra and rb:
                    c += _anchor_cost(ra[1], ra[2], rb[1], rb[2], weights)
                if c < best:
                    best, move = c, (di, dj)
            cost[i][j], back[i][j] = best, move
    if cost[n][m] == inf:  # cannot happen: the band always holds a path of 1-0 and 0-1 moves
        raise RuntimeError("no alignment path")
    moves = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None  # every cell on the path was reached by a move
        di, dj = step
        moves.append((i - di, i, j - dj, j))
        i, j = i - di, j - dj
    moves.reverse()
    return _blocks(moves, sa, sb)


def _blocks(moves: list[tuple[int, int, int, int]], sa: list[tuple[int, int]], sb: list[tuple[int, int]]) -> list[Block]:
    blocks: list[Block] = []
    prev_a = prev_b = None
    for i0, i1, j0, j1 in moves:
        a = (sa[i0][0], sa[i1 - 1][1]) if i1 > i0 else _empty(prev_a, sa, i0)
        b = (sb[j0][0], sb[j1 - 1][1]) if j1 > j0 else _empty(prev_b, sb, j0)
        blocks.append(Block(a[0], a[1], b[0], b[1]))
        prev_a, prev_b = a[1], b[1]
    return blocks


def _empty(prev_end: int | None, sents: list[tuple[int, int]], nxt: int) -> tuple[int, int]:
    """Where a side with no sentence in a block sits: after the previous block, or at
    the start of the next sentence for the first block."""
    if prev_end is not None:
        return prev_end, prev_end
    x = sents[nxt][0] if nxt < len(sents) else 0
    return x, x
