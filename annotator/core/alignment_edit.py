"""Editing a sentence alignment: merge two adjacent blocks, split a block between two
sentences, give one sentence its own block with nothing on the other side (untranslated).

Pure functions over a list of Blocks (ranges in code points, in text order on both
sides) and each document's sentence ranges; they return a new list and never touch the
input. A block's side is cut into "units": the sentences overlapping it, clipped to it,
the first widened to the block's start and the last to its end, so that splitting a block
and merging the parts again gives back exactly the ranges it had, even when the stored
alignment came from another segmenter. An empty side is (x, x) at the position where
the missing sentence would be.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from annotator.core.errors import AnnotatorError
from annotator.core.records import Block

Range = tuple[int, int]


def swapped(blocks: Sequence[Block]) -> list[Block]:
    """The same alignment seen from the other document (side b becomes side a)."""
    return [Block(b.b_start, b.b_end, b.a_start, b.a_end) for b in blocks]


def side_range(block: Block, side: str) -> Range:
    return (block.a_start, block.a_end) if side == "a" else (block.b_start, block.b_end)


def units(start: int, end: int, sentences: Sequence[Range]) -> list[Range]:
    """The pieces of [start, end) that count as sentences (see the module docstring)."""
    if start >= end:
        return []
    cut = [(max(s, start), min(e, end)) for s, e in sentences if s < end and e > start]
    if not cut:
        return [(start, end)]
    cut[0] = (start, cut[0][1])
    cut[-1] = (cut[-1][0], end)
    return cut


def block_at(blocks: Sequence[Block], side: str, cp: int) -> int | None:
    """Index of the block whose `side` holds code point `cp`; between blocks, the one
    before (the caret in the space after a sentence still belongs to it)."""
    best = None
    for i, block in enumerate(blocks):
        start, end = side_range(block, side)
        if start == end:
            continue
        if start <= cp:
            best = i
        if cp < end:
            break
    if best is None and blocks:
        return next((i for i, b in enumerate(blocks) if side_range(b, side)[0] != side_range(b, side)[1]), None)
    return best


def merge(blocks: Sequence[Block], i: int) -> list[Block]:
    """Blocks i and i + 1 become one block."""
    if not 0 <= i < len(blocks) - 1:
        raise AnnotatorError("there is no next block to merge with" if blocks else "there are no blocks")
    first, second = blocks[i], blocks[i + 1]
    a = _join(first.a_start, first.a_end, second.a_start, second.a_end)
    b = _join(first.b_start, first.b_end, second.b_start, second.b_end)
    return [*blocks[:i], Block(*a, *b), *blocks[i + 2:]]


def _join(s1: int, e1: int, s2: int, e2: int) -> Range:
    if s1 == e1:
        return (s2, e2) if s2 != e2 else (s1, e1)
    return (s1, e2) if s2 != e2 else (s1, e1)


def split(blocks: Sequence[Block], i: int, k_a: int, k_b: int,
          sents_a: Sequence[Range], sents_b: Sequence[Range]) -> list[Block]:
    """Block i becomes two: its first `k_a` sentences on side a with its first `k_b` on
    side b, then the rest. Each new block keeps at least one sentence."""
    block = blocks[i]
    ua, ub = units(block.a_start, block.a_end, sents_a), units(block.b_start, block.b_end, sents_b)
    if not (0 <= k_a <= len(ua) and 0 <= k_b <= len(ub)) or (k_a, k_b) in ((0, 0), (len(ua), len(ub))):
        raise AnnotatorError("a block can only be split between two of its sentences")
    parts = [(ua[:k_a], ub[:k_b]), (ua[k_a:], ub[k_b:])]
    return [*blocks[:i], *_build(block, parts), *blocks[i + 1:]]


def proportional(block: Block, k_a: int, sents_a: Sequence[Range], sents_b: Sequence[Range],
                 at: int | None = None) -> int:
    """How many of the block's side-b sentences go with its first `k_a` side-a sentences
    (or with side a up to code point `at`): the boundary nearest in share of characters."""
    ua, ub = units(block.a_start, block.a_end, sents_a), units(block.b_start, block.b_end, sents_b)
    if not ub:
        return 0
    if at is None:
        at = ua[k_a - 1][1] if k_a > 0 else block.a_start
    share = (at - block.a_start) / max(1, block.a_end - block.a_start)
    length = block.b_end - block.b_start
    cum = [0.0] + [(e - block.b_start) / length for _s, e in ub]
    return min(range(len(cum)), key=lambda k: (abs(cum[k] - share), k))


def untranslated(blocks: Sequence[Block], i: int, k: int, sents_a: Sequence[Range],
                 sents_b: Sequence[Range]) -> list[Block]:
    """Sentence `k` (of block i's side a) gets a block of its own with an empty side b;
    the block's other side-a sentences keep the side-b sentences, shared in proportion
    when they lie on both sides of it."""
    block = blocks[i]
    ua, ub = units(block.a_start, block.a_end, sents_a), units(block.b_start, block.b_end, sents_b)
    if not 0 <= k < len(ua):
        raise AnnotatorError("no such sentence in this block")
    if len(ua) == 1 and not ub:
        raise AnnotatorError("this sentence is already marked untranslated")
    before, alone, after = ua[:k], [ua[k]], ua[k + 1:]
    if before and after:
        n_b = proportional(block, k, sents_a, sents_b, at=(ua[k][0] + ua[k][1]) // 2)
    else:
        n_b = len(ub) if before else 0
    parts = [(before, ub[:n_b]), (alone, []), (after, ub[n_b:])]
    if not before and not after:  # the other side stays, aligned with nothing
        parts = [(alone, []), ([], ub)]
    return [*blocks[:i], *_build(block, [p for p in parts if p[0] or p[1]]), *blocks[i + 1:]]


def _build(block: Block, parts: list[tuple[list[Range], list[Range]]]) -> list[Block]:
    out = []
    pos_a, pos_b = block.a_start, block.b_start
    for ua, ub in parts:
        a = (ua[0][0], ua[-1][1]) if ua else (pos_a, pos_a)
        b = (ub[0][0], ub[-1][1]) if ub else (pos_b, pos_b)
        pos_a, pos_b = a[1], b[1]
        out.append(Block(*a, *b))
    return out


def unit_at(block: Block, side: str, cp: int, sentences: Sequence[Range]) -> int | None:
    """Index, among block's sentences on `side`, of the one holding code point `cp` (in
    the space after a sentence: that sentence); None if the side is empty."""
    pieces = units(*side_range(block, side), sentences)
    if not pieces:
        return None
    return max(0, min(len(pieces) - 1, bisect_right([s for s, _e in pieces], cp) - 1))


def _alone(blocks: Sequence[Block], side: str, cp: int, sentences: Sequence[Range],
           others: Sequence[Range]) -> tuple[list[Block], Range]:
    """The alignment with the sentence at code point `cp` of `side` in a block of its own
    with nothing on the other side (as untranslated makes it), and that sentence's range."""
    oriented = list(blocks) if side == "a" else swapped(blocks)
    i = block_at(oriented, "a", cp)
    if i is None:
        raise AnnotatorError(f"no sentence of side {side} is aligned")
    block = oriented[i]
    ua = units(block.a_start, block.a_end, sentences)
    k = unit_at(block, "a", cp, sentences)
    assert k is not None  # block_at only returns blocks with text on side a
    if not (len(ua) == 1 and block.b_start == block.b_end):
        oriented = untranslated(oriented, i, k, sentences, others)
    return (oriented if side == "a" else swapped(oriented)), ua[k]


def cross(blocks: Sequence[Block], cp_a: int, cp_b: int, sents_a: Sequence[Range],
          sents_b: Sequence[Range]) -> tuple[list[Block], Block]:
    """The sentence at `cp_a` (side a) and the one at `cp_b` (side b) translate each other
    out of order: each leaves the monotone alignment (untranslated in its place, so the
    blocks around it stay as they were) and the crossing link between them is returned
    with the new blocks. Sentences of one block are in order: that is a split, not this."""
    i, j = block_at(blocks, "a", cp_a), block_at(swapped(blocks), "a", cp_b)
    if i is not None and i == j:
        raise AnnotatorError("these two sentences are in the same block, so in order: split the block instead")
    new, ra = _alone(blocks, "a", cp_a, sents_a, sents_b)
    new, rb = _alone(new, "b", cp_b, sents_b, sents_a)
    return new, Block(*ra, *rb)


def crossing_at(crossings: Sequence[Block], side: str, cp: int) -> int | None:
    """Index of the crossing link whose `side` sentence holds code point `cp`."""
    for n, c in enumerate(crossings):
        start, end = side_range(c, side)
        if start <= cp < end:
            return n
    return None


def kept_crossings(blocks: Sequence[Block], crossings: Sequence[Block]) -> list[Block]:
    """The crossing links that still join two sentences the alignment leaves untranslated
    (an edit that merged one back into a block ends its crossing link)."""
    alone_a = {(b.a_start, b.a_end) for b in blocks if b.b_start == b.b_end and b.a_start < b.a_end}
    alone_b = {(b.b_start, b.b_end) for b in blocks if b.a_start == b.a_end and b.b_start < b.b_end}
    return [c for c in crossings if (c.a_start, c.a_end) in alone_a and (c.b_start, c.b_end) in alone_b]
