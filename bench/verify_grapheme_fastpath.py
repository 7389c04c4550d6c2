"""Checks the fast path of `graphemes.is_boundary` against the grapheme scan it short-cuts.

    python bench/verify_grapheme_fastpath.py     # a few minutes

Whenever the fast path answers (it only ever answers True), the position must be a
boundary of the \\X scan. Every code point is tried as the character after the position
against representatives of every property class before it, and every code point as the
character before against representatives of every class after (with and without an
Indic consonant + virama in front); then every pair of representatives in the contexts
that the context-dependent rules GB9c, GB11 and GB12/13 look at. Not part of the test
suite because of its run time; run it after upgrading the `regex` module.
"""

from __future__ import annotations

import sys
import time

import regex
from _common import ROOT  # noqa: F401  (puts the checkout on sys.path)

from annotator.core import graphemes
from annotator.core.graphemes import _CLASS_PATTERNS, _OTHER, _PLAIN_BEFORE, _PREPEND, _SIMPLE_AFTER, _classes

CODE_POINTS = [chr(c) for c in range(0x110000)]
GCB = ("Other", "CR", "LF", "Control", "Extend", "ZWJ", "Regional_Indicator", "Prepend", "SpacingMark",
       "L", "V", "T", "LV", "LVT")
INCB = ("None", "Linker", "Consonant", "Extend")
CONTEXTS = ("", "\u0995\u09cd", "\u0915\u094d\u200d", "\U0001f469\u200d", "\U0001f1eb", "\U0001f1eb\U0001f1f7",
            "\u1100", "\r", "\u0600", "a\u0301")
EXHAUSTIVE_CONTEXTS = ("", "\u0995\u09cd")
PER_CLASS = 3


def fast(b: int, a: int) -> bool:
    """The fast path's decision from the class bits of the characters before and after."""
    if not a & _OTHER:
        return False
    return bool(b & _PLAIN_BEFORE or (a & _SIMPLE_AFTER and not b & _PREPEND))


def all_classes() -> list[int]:
    bits = [0] * len(CODE_POINTS)
    for bit, pattern in _CLASS_PATTERNS:
        for i, ch in enumerate(CODE_POINTS):
            if pattern.match(ch):
                bits[i] |= bit
    for ch in ("a", "\u09be", "\u0995", "\U0001f469", "\u0600", "\u200d"):
        assert bits[ord(ch)] == _classes(ch)
    return bits


def representatives() -> list[str]:
    props = [regex.compile(rf"\p{{GCB={g}}}") for g in GCB]
    incb = [regex.compile(rf"\p{{InCB={i}}}") for i in INCB]
    pict = regex.compile(r"\p{Extended_Pictographic}")
    seen: dict[tuple, list[str]] = {}
    for ch in CODE_POINTS:
        sig = (next((g for g, p in zip(GCB, props) if p.match(ch)), "?"),
               next((i for i, p in zip(INCB, incb) if p.match(ch)), "?"), bool(pict.match(ch)))
        reps = seen.setdefault(sig, [])
        if len(reps) < PER_CLASS:
            reps.append(ch)
    return [ch for reps in seen.values() for ch in reps]


def check(segments: list[tuple[str, str, str]]) -> int:
    """Segments (context, before, after) whose fast answer is True; returns how many are wrong."""
    text_parts, positions, pos = [], [], 0
    for ctx, b, a in segments:
        part = "\n" + ctx + b + a
        positions.append(pos + 1 + len(ctx) + 1)
        text_parts.append(part)
        pos += len(part)
    text = "".join(text_parts)
    ends = {m.end() for m in graphemes._CLUSTER.finditer(text)}
    bad = [p for p in positions if p not in ends]
    for p in bad[:5]:
        print(f"  WRONG at {text[p - 2:p]!r}|{text[p:p + 1]!r}", file=sys.stderr)
    return len(bad)


def main() -> int:
    t0 = time.perf_counter()
    reps = representatives()
    print(f"{len(reps)} representatives of {len(reps) // PER_CLASS}+ property classes", file=sys.stderr)
    bits = all_classes()
    wrong = checked = 0
    # Every code point on one side, every representative on the other, in a few contexts.
    for rep in reps:
        r = bits[ord(rep)]
        afters = [c for c, a in zip(CODE_POINTS, bits) if fast(r, a)]
        befores = [c for c, b in zip(CODE_POINTS, bits) if fast(b, r)]
        for ctx in EXHAUSTIVE_CONTEXTS:
            checked += len(afters) + len(befores)
            wrong += check([(ctx, rep, c) for c in afters]) + check([(ctx, c, rep) for c in befores])
    # Every pair of representatives in every context.
    pairs = [(ctx, b, a) for b in reps for a in reps if fast(bits[ord(b)], bits[ord(a)]) for ctx in CONTEXTS]
    checked += len(pairs)
    wrong += check(pairs)
    # And through the public function, on text it meets in practice.
    sample = "ক্ষমতা রাস্তার Tiê\u0301ng Viê\u0323t «\u00a0oui\u00a0» ЕU 👩\u200d💻 🇫🇷🇩🇪 x\r\ny"
    expected = set(graphemes.boundaries(sample))
    for pos in range(len(sample) + 1):
        if graphemes.is_boundary(sample, pos) != (pos in expected):
            wrong += 1
            print(f"  is_boundary wrong at {pos} in the sample", file=sys.stderr)
    print(f"{checked} fast-path answers checked, {wrong} wrong ({time.perf_counter() - t0:.0f} s)")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
