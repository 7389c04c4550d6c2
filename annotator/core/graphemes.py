"""Grapheme-cluster and word boundaries (UAX #29 via the `regex` module).

`re`'s \\w splits Bengali words at vowel signs and viramas; `regex`'s \\X and word
boundaries do not. A span may never start or end inside a grapheme cluster: a colour
edge there breaks shaping, and the offsets would mean nothing to a reader.
"""

from __future__ import annotations

from functools import lru_cache

import regex

_CLUSTER = regex.compile(r"\X", regex.DOTALL)
# A cluster rarely spans more than a few code points; a window of this many before the
# position lets \X resynchronise on a real boundary before it reaches the position.
_WINDOW = 64


# Fast path of is_boundary, from the rules of UAX #29 (the ones `regex` implements): a
# break between `before` and `after` depends on context only through GB9c (Indic
# conjuncts: `before` is an InCB Linker or Extend), GB11 (emoji ZWJ: `before` is ZWJ) and
# GB12/13 (regional indicators: `before` is one). When `after` has
# Grapheme_Cluster_Break=Other (so it neither extends the cluster before it nor is LF,
# Hangul or a regional indicator), there is a break before it if
#  - `before` is also GCB=Other and not an InCB Linker/Extend (no rule can join them), or
#  - `after` is neither an InCB Consonant (GB9c) nor Extended_Pictographic (GB11), and
#    `before` is not Prepend (GB9b).
# No cluster match can then cross `pos`, so the window scan below would answer True too;
# bench/verify_grapheme_fastpath.py checks this against the scan for every code point.
_OTHER, _PLAIN_BEFORE, _SIMPLE_AFTER, _PREPEND = 1, 2, 4, 8
_CLASS_PATTERNS = (
    (_OTHER, regex.compile(r"\p{GCB=Other}")),
    (_PLAIN_BEFORE, regex.compile(r"[\p{GCB=Other}--[\p{InCB=Linker}\p{InCB=Extend}]]", regex.V1)),
    (_SIMPLE_AFTER, regex.compile(r"[\p{GCB=Other}--[\p{InCB=Consonant}\p{Extended_Pictographic}]]", regex.V1)),
    (_PREPEND, regex.compile(r"\p{GCB=Prepend}")),
)


@lru_cache(maxsize=4096)
def _classes(ch: str) -> int:
    bits = 0
    for bit, pattern in _CLASS_PATTERNS:
        if pattern.match(ch):
            bits |= bit
    return bits


def boundaries(text: str) -> list[int]:
    """Every grapheme boundary of `text`, 0 and len(text) included."""
    out = [0]
    out.extend(m.end() for m in _CLUSTER.finditer(text))
    return out


def is_boundary(text: str, pos: int) -> bool:
    """Whether `pos` is a grapheme boundary, looking only at a window around it."""
    if pos <= 0 or pos >= len(text):
        return pos in (0, len(text))
    before, after = text[pos - 1], text[pos]
    if before < "\x7f" and after < "\x7f" and " " <= after:
        # Printable ASCII after any ASCII (CR LF is excluded: after is a control).
        return True
    a = _classes(after)
    if a & _OTHER:
        b = _classes(before)
        if b & _PLAIN_BEFORE or (a & _SIMPLE_AFTER and not b & _PREPEND):
            return True
    start = max(0, pos - _WINDOW)
    for m in _CLUSTER.finditer(text, start, min(len(text), pos + _WINDOW)):
        if m.end() == pos:
            return True
        if m.end() > pos:
            return False
    return False


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole grapheme clusters."""
    lo = max(0, start - _WINDOW)
    s, e = start, end
    for m in _CLUSTER.finditer(text, lo, min(len(text), end + _WINDOW)):
        if m.start() <= start < m.end():
            s = m.start()
        if m.start() < end <= m.end():
            e = m.end()
            break
    return s, e


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past white space and punctuation at either edge."""
    while start < end and _is_edge_junk(text[start]):
        start += 1
    while end > start and _is_edge_junk(text[end - 1]):
        end -= 1
    return start, end


_JUNK = regex.compile(r"[\p{Z}\s\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Po}\p{Pd}]")


def _is_edge_junk(ch: str) -> bool:
    return bool(_JUNK.match(ch))


# A number with group separators: groups of exactly three digits ("4,000", "4.000", "৪,০০০",
# Arabic "٤٬٠٠٠" with U+066C and its decimal separator U+066B;
# \d is any script's digit) or the Indian lakh grouping ("১,২০,০০০"), with an optional decimal
# part: one word, not "4" and "000". "2019, 300" and "1.5" stay apart.
def _grouped_number(separators: str) -> str:
    three = rf"\d{{1,3}}(?:[{separators}]\d{{3}}(?!\d))+"
    lakh = r"\d{1,2}(?:,\d{2})+,\d{3}(?!\d)"
    return rf"(?:{lakh}|{three})(?:[.,\u066b]\d+)?"


def _word(separators: str) -> regex.Pattern[str]:
    # Letters, marks and digits (\w in `regex` keeps Bengali vowel signs and viramas), or a
    # grouped number with any letters after it ("৪,০০০টি"), joined across ZWNJ/ZWJ.
    return regex.compile(rf"(?:{_grouped_number(separators)}\w*|\w+)(?:[\u200c\u200d]\w+)*")


# The one definition of a word for tokens (agreement, anchors, projection, CoNLL): no space
# inside, so a token never holds one.
WORD = _word(",.\u066c")
# Double-click also takes numbers grouped by a space, NBSP, narrow NBSP or thin space ("4 000",
# "4\u202f000"): the extent the user means, which the value normaliser then reads as one number.
_WORD_SPACED = _word(",.\u066c \u00a0\u202f\u2009\u2007")


def words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every word of text[start:end], in order: UAX #29-style words as
    `regex` sees them (Bengali vowel signs and viramas stay inside), joiners included."""
    return [m.span() for m in WORD.finditer(text, start, len(text) if end is None else end)]


def word_at(text: str, pos: int) -> tuple[int, int]:
    """The word (UAX #29) containing or starting at `pos`, as double-click takes it (a number
    grouped by spaces whole); (pos, pos) if none."""
    lo = max(0, pos - 256)
    for m in _WORD_SPACED.finditer(text[lo : pos + 256]):
        s, e = m.start() + lo, m.end() + lo
        if s <= pos < e or (pos == e and s < e and pos == len(text)):
            return s, e
        if s > pos:
            break
    return pos, pos


def next_boundary(text: str, pos: int) -> int:
    """The first grapheme boundary after `pos` (len(text) at the end)."""
    for m in _CLUSTER.finditer(text, max(0, pos - _WINDOW), min(len(text), pos + _WINDOW)):
        if m.end() > pos:
            return m.end()
    return len(text)


def previous_boundary(text: str, pos: int) -> int:
    """The last grapheme boundary before `pos` (0 at the start)."""
    before = 0
    for m in _CLUSTER.finditer(text, max(0, pos - _WINDOW), min(len(text), pos + _WINDOW)):
        if m.end() >= pos:
            return m.start() if m.start() < pos else before
        before = m.end()
    return before


# How far a word step looks: a span edge never jumps further than this in one key press.
_WORD_REACH = 4096


def word_edge(text: str, pos: int, forward: bool, starts: bool) -> int | None:
    """The nearest word start (`starts`) or word end after (`forward`) or before `pos`,
    as Ctrl+Right / Ctrl+Left find them; None if there is none within reach."""
    lo, hi = max(0, pos - _WORD_REACH), min(len(text), pos + _WORD_REACH)
    edges = [m.start() if starts else m.end() for m in WORD.finditer(text, lo, hi)
             if not (lo > 0 and m.start() == lo)]  # a word cut by the window has no edge there
    if forward:
        return next((e for e in edges if e > pos), None)
    return next((e for e in reversed(edges) if e < pos), None)


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) trimmed, then widened to the whole words its edges cut ("rcea Geoană
    met tod" -> "Mircea Geoană met today"), a grouped number being one word as double-click
    takes it; edges outside a word stay where they are. On grapheme edges."""
    start, end = trim(text, start, end)
    if start >= end:
        return start, end
    s, _e = word_at(text, start)
    if s < _e:
        start = min(start, s)
    _s, e = word_at(text, end - 1)
    if _s < e:
        end = max(end, e)
    return snap(text, start, end)
