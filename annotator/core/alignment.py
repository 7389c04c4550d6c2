"""Sentence alignment of two translations: a dynamic programme over blocks of sentences
(core.align_dp: 1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1 and 1-3 moves, a band for long
documents) whose cost is Gale-Church's length model plus what the anchors of the two
sides say (core.align_cost); or, with the `embeddings` extra installed and asked for, the
same plus vecalign's embedding distance (core.align_embed), with 2-3, 3-2, 3-3, 1-4, 4-1,
1-5 and 5-1 moves besides (EMBED_PRIORS).

A two-sided block costs
    -log prior(move) + length cost
    + ANCHOR_BONUS * (loss of every key of either side - gain of the keys both share)
and a sentence left without counterpart -log prior(move) + INDEL_COST (a contentless one,
align_cost.contentless, 1-1's prior instead of 1-0's). The embedding aligner then joins a
sentence it left out to a neighbouring block when that brings the block's sides closer
(align_embed.join_unpaired). Gains and losses
are log-likelihood ratios (align_cost.key_weights) built from how often a translation
keeps a key of each kind; that carry rate is estimated on the document pair itself, first
from the keys the two texts share anywhere, then PASSES - 1 times again from the blocks
of the previous pass. So a kind the translation rarely keeps (German nouns, which the
anchors read as names, in a French translation) weighs little, and one it nearly always
keeps (numbers) weighs much. Keys are bags: a key twice on one side and once on the
other is shared once, so merging sentences to collect matches does not pay by itself.
Lengths are counted in NFC characters, so NFD text is not "longer".

Where each constant comes from is in docs/BENCHMARKS.md (the alignment benchmark): the moves'
priors are Gale & Church's (1-3/3-1 added at a tenth of 2-1, as 2-1 is of 1-1; the
embedding aligner's 2-3, 3-2 and 3-3 at 2-2's and 1-4, 4-1, 1-5, 5-1 at 1-3's, as vecalign
gives every block one cost);
ANCHOR_BONUS, PASSES and INDEL_COST were chosen on the Bleualign dev document and the
seed gold together (bench/bench_alignment.py, bench/bench_parallel.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from annotator.core import align_cost as ac
from annotator.core.align_cost import Bag, Key
from annotator.core.align_dp import AlignmentCancelled, MoveCost, align_path, diagonal
from annotator.core.anchors import nfc_length
from annotator.core.records import Block
from annotator.core.sentences import split_sentences

__all__ = ["AlignmentCancelled", "align_sentences", "aligner_in_use", "estimate_length_model", "LengthModel",
           "learned_length_model", "sentence_index_blocks", "sentence_indices", "vecalign_lines"]

LengthModel = ac.LengthModel
PRIORS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089, (1, 2): 0.089, (2, 2): 0.011,
          (3, 1): 0.0089, (1, 3): 0.0089}
ANCHOR_BONUS = 1.3  # weight of the anchors' log-likelihood ratios against the length model's
PASSES = 3  # alignments run, each re-estimating the carry rates from the one before
RATE_SENTENCES = 600  # source sentences the rate-estimating passes of a long document see (dev has 530)
INDEL_COST = 0.0  # nats, besides Gale & Church's prior, for a sentence with no counterpart
# The embedding aligner's moves: also 2-3, 3-2, 3-3 blocks at 2-2's prior, 1-4, 4-1, 1-5, 5-1 at 1-3's.
# vecalign gives every block up to its size limit one cost and lets the embeddings tell them
# apart; here each kind (many-to-many, one-to-many) keeps one prior. Lengths alone cannot tell
# them apart (the default aligner with these moves loses seed blocks); the embeddings can.
EMBED_PRIORS = {**PRIORS, (2, 3): PRIORS[(2, 2)], (3, 2): PRIORS[(2, 2)], (3, 3): PRIORS[(2, 2)],
                (1, 4): PRIORS[(1, 3)], (4, 1): PRIORS[(3, 1)], (1, 5): PRIORS[(1, 3)], (5, 1): PRIORS[(3, 1)]}
METHODS = ("auto", "length", "embeddings")


def estimate_length_model(text_a: str, text_b: str, blocks: list[Block]) -> LengthModel:
    """The length ratio and variance of a language pair learned from blocks a user
    confirmed (text_a's side against text_b's); see align_cost.estimate_length_model."""
    return learned_length_model([(text_a, text_b, blocks)])


def learned_length_model(alignments: Iterable[tuple[str, str, list[Block]]]) -> LengthModel:
    """One length model from several confirmed alignments of a language pair, each
    (text_a, text_b, blocks) oriented the same way: their blocks pooled, so a long
    document weighs by its blocks. Too few blocks give the defaults (ratio None)."""
    return ac.estimate_length_model([(nfc_length(ta[b.a_start:b.a_end]), nfc_length(tb[b.b_start:b.b_end]))
                                     for ta, tb, blocks in alignments for b in blocks])


def aligner_in_use(method: str = "auto") -> str:
    """"embeddings" or "length": what align_sentences(method=...) will run here."""
    if method not in METHODS:
        raise ValueError(f"unknown alignment method {method!r}: choose one of {', '.join(METHODS)}")
    if method == "length":
        return "length"
    from annotator.core import align_embed

    return "embeddings" if align_embed.available() else "length"


def align_sentences(text_a: str, lang_a: str, text_b: str, lang_b: str,
                    sents_a: list[tuple[int, int]] | None = None,
                    sents_b: list[tuple[int, int]] | None = None, *, method: str = "length",
                    model: LengthModel | None = None, cancelled: Callable[[], bool] | None = None,
                    progress: Callable[[int, int], None] | None = None) -> list[Block]:
    """Blocks in order covering every sentence of both sides once; default sentences are
    split_sentences'. `method`: "length" (the default aligner, the default), "embeddings"
    (the extra; the default aligner when it is not installed) or "auto" (the extra when
    installed: it takes seconds to minutes, so callers on a GUI thread ask for it on a
    worker, annotator.ui.parallel.align_worker).
    `model`: a learned length model (estimate_length_model). `cancelled` is asked between
    rows of the programme (True raises AlignmentCancelled); `progress(done, total)` hears
    how far it got."""
    sa = split_sentences(text_a, lang_a) if sents_a is None else list(sents_a)
    sb = split_sentences(text_b, lang_b) if sents_b is None else list(sents_b)
    path = sentence_index_blocks(text_a, lang_a, text_b, lang_b, sa, sb, method=method, model=model,
                                 cancelled=cancelled, progress=progress)
    return _blocks(path, sa, sb)


def sentence_index_blocks(text_a: str, lang_a: str, text_b: str, lang_b: str, sa: list[tuple[int, int]],
                          sb: list[tuple[int, int]], *, method: str = "length", model: LengthModel | None = None,
                          cancelled: Callable[[], bool] | None = None,
                          progress: Callable[[int, int], None] | None = None) -> list[tuple[int, int, int, int]]:
    """The alignment as (i0, i1, j0, j1) sentence index ranges, in order."""
    n, m = len(sa), len(sb)
    if not n or not m:
        return [(i, i + 1, 0, 0) for i in range(n)] + [(n, n, j, j + 1) for j in range(m)]
    if aligner_in_use(method) == "embeddings":
        from annotator.core import align_embed

        longest = max(d for move in EMBED_PRIORS for d in move)
        term = align_embed.block_distance(text_a, text_b, sa, sb, cancelled=cancelled, progress=progress,
                                          max_run=longest)
        path = _length_path(text_a, lang_a, text_b, lang_b, sa, sb, model or LengthModel(), cancelled, progress,
                            (term, EMBED_PRIORS))
        return align_embed.join_unpaired(path, term, EMBED_PRIORS)
    return _length_path(text_a, lang_a, text_b, lang_b, sa, sb, model or LengthModel(), cancelled, progress)


def sentence_indices(blocks: list[Block], sa: list[tuple[int, int]],
                     sb: list[tuple[int, int]]) -> list[tuple[list[int], list[int]]]:
    """Each block as the indices of the sentences it holds on each side (a sentence
    belongs to the block its start lies in); blocks with no sentence on either side are
    left out."""
    def held(sents: list[tuple[int, int]], lo: int, hi: int) -> list[int]:
        return [k for k, (s, _e) in enumerate(sents) if lo <= s < hi]

    out = [(held(sa, b.a_start, b.a_end), held(sb, b.b_start, b.b_end)) for b in blocks]
    return [(x, y) for x, y in out if x or y]


def vecalign_lines(blocks: list[Block], text_a: str, lang_a: str, text_b: str, lang_b: str,
                   crossings: Sequence[Block] = ()) -> list[str]:
    """The alignment as vecalign writes it, `[0]:[0, 1]` per block, over the documents'
    sentences as split_sentences cuts them (the numbering the field's scorers read). A
    crossing link is one `[i]:[j]` line where its side-a sentence is (vecalign's scorer
    reads blocks as a set, so an out-of-order pair scores as the pair it is), in place of
    the `[i]:[]` and `[]:[j]` of its two untranslated sentences."""
    sa, sb = split_sentences(text_a, lang_a), split_sentences(text_b, lang_b)
    pairs = {tuple(x): y for x, y in sentence_indices(list(crossings), sa, sb) if x and y}
    crossed_b = {j for y in pairs.values() for j in y}
    out = []
    for x, y in sentence_indices(blocks, sa, sb):
        if not y and tuple(x) in pairs:
            y = pairs[tuple(x)]
        elif not x and set(y) <= crossed_b:
            continue
        out.append(f"{x}:{y}")
    return out


def _runs(values: np.ndarray, k: int) -> np.ndarray:
    """runs[j] = sum of values[j - k:j] (0 where j < k, and everywhere if k > len(values))."""
    acc = np.concatenate([[0.0], np.cumsum(values)])
    out = np.zeros(len(values) + 1)
    if k <= len(values):
        out[k:] = acc[k:] - acc[:len(acc) - k]
    return out


Span = tuple[int, int]
Path = list[tuple[int, int, int, int]]
Progress = Callable[[int, int], None]


def _length_path(text_a: str, lang_a: str, text_b: str, lang_b: str, sa: list[Span], sb: list[Span],
                 model: LengthModel, cancelled: Callable[[], bool] | None, progress: Progress | None,
                 embedding: tuple[MoveCost, dict[tuple[int, int], float]] | None = None) -> Path:
    """PASSES passes (with `embedding`, its term added to every two-sided block's cost and
    its moves in place of PRIORS): the first weighs anchors by how often the two texts
    share keys of each kind at all; each next one by how often the blocks of the one before share them
    (the carry rates of align_cost.key_weights, re-estimated on the document pair). In a
    long document the passes that only estimate rates see its first RATE_SENTENCES
    sentences (and what the diagonal puts beside them): rates are a few numbers, and
    that many sentences estimate them as well as the whole book."""
    len_a, len_b = ac.nfc_lengths(text_a, sa), ac.nfc_lengths(text_b, sb)
    free_a, free_b = ac.contentless(text_a, sa), ac.contentless(text_b, sb)
    keys_a, keys_b = ac.sentence_keys(text_a, lang_a, sa), ac.sentence_keys(text_b, lang_b, sb)
    centre = diagonal(len_a, len_b)
    n, m = len(sa), len(sb)
    sub_n = min(n, RATE_SENTENCES)
    sub_m = m if sub_n == n else max(1, min(m, round(centre[sub_n])))
    sub = (len_a[:sub_n], len_b[:sub_m], keys_a[:sub_n], keys_b[:sub_m], free_a[:sub_n], free_b[:sub_m])
    sub_centre = centre if sub_n == n else diagonal(sub[0], sub[1])
    rates = ac.carry_rates_anywhere(keys_a, keys_b)
    path: Path = []
    extra, priors = embedding or (None, PRIORS)
    for rnd in range(PASSES):
        last = rnd == PASSES - 1
        if rnd:
            rates = ac.carry_rates_aligned(sub[2], sub[3], path)
        la, lb, ka, kb, fa, fb = (len_a, len_b, keys_a, keys_b, free_a, free_b) if last else sub
        gain, loss = ac.key_weights(ka, kb, rates)
        path = _length_pass(la, lb, ka, kb, fa, fb, gain, loss, centre if last else sub_centre, model, extra, priors, cancelled,
                            _part(progress, rnd, PASSES) if sub_n == n else progress if last else None)
    return path


def _part(progress: Progress | None, k: int, parts: int) -> Progress | None:
    """progress of pass k of `parts`, reported as a share of the whole."""
    if progress is None:
        return None
    report = progress

    def part(done: int, total: int) -> None:
        report(k * total + done, parts * total)

    return part


def _length_pass(len_a: np.ndarray, len_b: np.ndarray, keys_a: list[Bag], keys_b: list[Bag], free_a: np.ndarray,
                 free_b: np.ndarray, gain: dict[Key, float],
                 loss: dict[Key, float], centre: np.ndarray, model: LengthModel, extra: MoveCost | None,
                 priors: dict[tuple[int, int], float], cancelled: Callable[[], bool] | None, progress: Progress | None) -> Path:
    n, m = len(len_a), len(len_b)
    ratio = model.ratio or (float(len_b.sum() / len_a.sum()) if len_a.sum() and len_b.sum() else 1.0)
    wa, wb = ac.totals(keys_a, loss), ac.totals(keys_b, loss)
    ks = sorted({d for mv in priors for d in mv if d})
    run_la = {k: _runs(len_a, k) for k in ks}
    run_lb = {k: _runs(len_b, k) for k in ks}
    run_wa = {k: _runs(wa, k) for k in ks}
    run_wb = {k: _runs(wb, k) for k in ks}
    moves = [(di, dj, -math.log(p)) for (di, dj), p in priors.items()]
    bonus, indel = ANCHOR_BONUS, INDEL_COST
    windows = ac.KeyWindows(keys_b, gain)
    reach = max(ks)
    # A sentence with nothing to translate (align_cost.contentless: OCR debris, a row of
    # dots) is left out at 1-1's prior instead of 1-0's: Gale & Church's 1-0 prior is the
    # chance that a translator dropped a sentence, and such a line is more often on one
    # side only than not. Otherwise the cheaper 1-2 prior pulls it into a neighbour's block.
    rebate = math.log(priors[(1, 0)]) - math.log(priors[(1, 1)])
    out_a: np.ndarray = indel + rebate * free_a
    out_b: np.ndarray = indel + rebate * free_b

    def cost_for_bands(bands: list[tuple[int, int]]) -> MoveCost:
        tables: dict[tuple[int, int], ac.SourceTable | None] = {}

        def cost(i: int, di: int, dj: int, js: np.ndarray) -> np.ndarray:
            if not dj:
                return np.full(len(js), out_a[i - 1])
            if not di:
                left_out: np.ndarray = out_b[js - 1]
                return left_out
            c = ac.length_cost(run_la[di][i], run_lb[dj][js], ratio, model.variance)
            if (i, di) not in tables:  # one table per source run, read by every dj
                if len(tables) > 64:
                    tables.clear()
                lo, hi = bands[i]
                tables[(i, di)] = windows.source_table(keys_a[i - di:i], max(0, lo - reach), hi)
            common = windows.shared(tables[(i, di)], js, dj)
            c = c + bonus * (run_wa[di][i] + run_wb[dj][js] - common)
            total: np.ndarray = c if extra is None else c + extra(i, di, dj, js)
            return total

        return cost

    return align_path(n, m, moves, cost_for_bands, centre, cancelled, progress)


def _blocks(path: Path, sa: list[Span], sb: list[Span]) -> list[Block]:
    blocks: list[Block] = []
    prev_a: int | None = None
    prev_b: int | None = None
    for i0, i1, j0, j1 in path:
        a = (sa[i0][0], sa[i1 - 1][1]) if i1 > i0 else _empty(prev_a, sa, i0)
        b = (sb[j0][0], sb[j1 - 1][1]) if j1 > j0 else _empty(prev_b, sb, j0)
        blocks.append(Block(a[0], a[1], b[0], b[1]))
        prev_a, prev_b = a[1], b[1]
    return blocks


def _empty(prev_end: int | None, sents: list[Span], nxt: int) -> tuple[int, int]:
    """Where a side with no sentence in a block sits: after the previous block, or at
    the start of the next sentence for the first block."""
    if prev_end is not None:
        return prev_end, prev_end
    x = sents[nxt][0] if nxt < len(sents) else 0
    return x, x
