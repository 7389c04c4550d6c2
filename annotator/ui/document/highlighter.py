"""Span highlighting, painted by the view from the marks, never laid out.

Spans stay in code points, sorted. The view asks, while it paints a block, for the
runs of span characters on the lines it repaints (`block_ranges`: start, end and a
`SpanStyle`, made once per combination of labels) and draws their fills under the line's
text (view.py): colours and underlines change no glyph, so no block is ever laid out
again for a span. (A
QSyntaxHighlighter's char formats did: every new format made Qt shape the whole paragraph
again, 5-14 ms for the 3,600-10,500 characters of a paragraph of the 1 MB document.) So
opening a document highlights nothing, and an edit changes the marks and repaints the
lines of its span only. Finding a block's marks is a bisection over the sorted starts.

Overlap and nesting: for every character, the spans covering it are ordered by
(start, longest first); the first paints the background in its label's colour, the
second a solid underline in its colour, any further one a wavy underline. So a nested
span is an underline inside its parent's background, and two crossing spans show where
they overlap; a span nested in one of the same label also darkens the background. The
text on a fill takes `theme.text_on` (dark on the pale label colours in a dark theme).

A discontinuous span ("the EU … mission") is painted on its fragments only: its mark
keeps the outer bounds (for ordering and finding), and the text between its fragments
shows as if the span were not there.

Marks are grapheme-snapped (the workspace snaps every edge), so no range edge falls inside
a cluster: a selection edge there would split the cluster's shaping (Bengali conjuncts).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from itertools import repeat
from operator import itemgetter, sub
from typing import NamedTuple

from PySide6.QtGui import QColor, QTextBlock, QTextCharFormat

from annotator.core.offsets import OffsetMap
from annotator.ui.document.view import DocumentView, SpanRun, SpanStyle
from annotator.ui.widgets.theme import text_on


class Mark(NamedTuple):  # a tuple: sorting 50,000 of them stays in C
    start: int  # code points
    end: int
    label: str
    uid: str


def marks_of(starts: Iterable[int], ends: Iterable[int], labels: Iterable[str], uids: Iterable[str]) -> list[Mark]:
    """Marks from a layer's columns, made in C (Mark._make is a Python call per mark:
    12 ms of the 50,000-span document's open)."""
    return list(map(tuple.__new__, repeat(Mark), zip(starts, ends, labels, uids, strict=True)))


_START, _END, _LABEL, _UID = (itemgetter(i) for i in range(4))


class SpanHighlighter:
    def __init__(self, view: DocumentView, colours: dict[str, str]) -> None:
        self._view = view
        self._colours = {label: QColor(c) for label, c in colours.items()}
        self._omap = OffsetMap.for_text("")
        self._marks: list[Mark] = []  # sorted
        self._starts: list[int] = []
        self._by_uid: dict[str, Mark] = {}
        self._max_len = 0
        self.counts: Counter[str] = Counter()  # marks per label
        self._styles: dict[tuple, SpanStyle] = {}  # by the labels over a character, outermost first
        self._fragments: dict[str, list[tuple[int, int]]] = {}  # discontinuous spans' pieces, by uid
        view.set_span_ranges(self.block_ranges)

    # -- the set of marks ----------------------------------------------------------
    def set_marks(self, marks: list[Mark], omap: OffsetMap, repaint: bool = True) -> None:
        self._omap = omap
        self._marks = sorted(marks)  # a layer read in order is one run: n - 1 comparisons
        # Each column in C (no Python frame per mark): 50,000 marks in a few milliseconds.
        self._starts = list(map(_START, self._marks))
        self._by_uid = dict(zip(map(_UID, self._marks), self._marks))
        self._max_len = max(map(sub, map(_END, self._marks), self._starts), default=0)
        self.counts = Counter(map(_LABEL, self._marks))
        if repaint:
            self._view.viewport().update()

    def set_fragments(self, fragments: dict[str, list[tuple[int, int]]], repaint: bool = True) -> set[str]:
        """The fragments (code points) of the layer's discontinuous spans, by uid; returns
        the uids whose fragments changed, whose lines are repainted with `repaint`."""
        changed = {uid for uid in fragments.keys() | self._fragments.keys()
                   if fragments.get(uid) != self._fragments.get(uid)}
        self._fragments = {uid: list(parts) for uid, parts in fragments.items()}
        if repaint:
            for uid in changed:
                if (mark := self._by_uid.get(uid)) is not None:
                    self._repaint(mark)
        return changed

    def fragments(self, uid: str | None) -> list[tuple[int, int]]:
        """The fragments of a discontinuous span; empty for a continuous one."""
        return list(self._fragments.get(uid, ())) if uid else []

    def add(self, mark: Mark) -> None:
        self._insert(mark)
        self._repaint(mark)

    def remove(self, uid: str) -> Mark | None:
        mark = self._take(uid)
        if mark is not None:
            self._repaint(mark)
        return mark

    def relabel(self, uid: str, label: str) -> None:
        """Mark `uid` in another label: its lines are repainted once, not twice."""
        mark = self._take(uid)
        if mark is not None:
            self._insert(mark._replace(label=label))
            self._repaint(mark)

    def move(self, uid: str, start: int, end: int) -> None:
        """Mark `uid` on [start, end) now: the lines it left and those it reached are repainted."""
        mark = self._take(uid)
        if mark is not None:
            moved = mark._replace(start=start, end=end)
            self._insert(moved)
            self._repaint(mark)
            self._repaint(moved)

    def _insert(self, mark: Mark) -> None:
        i = bisect_left(self._marks, mark)
        self._marks.insert(i, mark)
        self._starts.insert(i, mark.start)
        self._by_uid[mark.uid] = mark
        self._max_len = max(self._max_len, mark.end - mark.start)
        self.counts[mark.label] += 1

    def _take(self, uid: str) -> Mark | None:
        mark = self._by_uid.pop(uid, None)
        if mark is None:
            return None
        i = bisect_left(self._marks, mark)
        del self._marks[i]
        del self._starts[i]
        self.counts[mark.label] -= 1
        return mark

    def marks(self) -> list[Mark]:
        return self._marks

    def holds(self, starts: list[int], ends: list[int], labels: list[str], uids: list[str]) -> bool:
        """Whether these columns (sorted) are exactly its marks: compared column by column,
        without a mark made for each (50,000 of them cost more than the comparison)."""
        marks = self._marks
        return (self._starts == starts and list(map(_END, marks)) == ends and list(map(_LABEL, marks)) == labels
                and list(map(_UID, marks)) == uids)

    def mark(self, uid: str | None) -> Mark | None:
        return self._by_uid.get(uid) if uid else None

    def marks_at(self, cp: int) -> list[Mark]:
        """Marks covering code point `cp` (start <= cp < end), outermost first."""
        return sorted((m for m in self._candidates(cp, cp + 1) if m.start <= cp and self._covers(m, cp)),
                      key=lambda m: (m.start, -m.end, m.uid))

    def _covers(self, mark: Mark, cp: int) -> bool:
        """Whether `cp` is in one of the mark's fragments (a gap between them is not the span's)."""
        parts = self._fragments.get(mark.uid)
        return parts is None or any(s <= cp < e for s, e in parts)

    def marks_in(self, start: int, end: int) -> list[Mark]:
        return self._candidates(start, end)

    def display_range(self, mark: Mark) -> tuple[int, int]:
        return self._omap.to_display(mark.start), self._omap.to_display(mark.end)

    # -- painting ------------------------------------------------------------------
    def _candidates(self, lo: int, hi: int) -> list[Mark]:
        """Marks with start < hi and end > lo (code points), in order."""
        first = bisect_left(self._starts, lo - self._max_len)
        last = bisect_left(self._starts, hi)
        return [m for m in self._marks[first:last] if m.end > lo]

    def _repaint(self, mark: Mark) -> None:
        self._view.repaint_range(*self.display_range(mark))

    def block_ranges(self, block: QTextBlock, lo: int, hi: int) -> list[SpanRun]:
        """What the spans paint over characters lo..hi of `block` (positions in the
        block): (start, end, style) in the order to draw them, none overlapping another."""
        omap = self._omap
        b0 = block.position()
        b1 = min(b0 + hi, omap.display_length)
        b0 += lo
        if b1 <= b0 or not self._marks:
            return []
        marks = self._candidates(omap.from_display(b0), omap.from_display(b1))
        if not marks:
            return []
        frags = self._fragments
        spans = [(omap.to_display(s), omap.to_display(e), m) for m in marks
                 for s, e in (frags.get(m.uid) or ((m.start, m.end),))]
        if frags:  # a fragment may lie in another block, or start after a later mark's start
            spans = sorted((x for x in spans if x[1] > b0 and x[0] < b1), key=lambda x: x[0])
        out: list[SpanRun] = []
        base = block.position()
        # Most spans overlap nothing: one range each. Overlapping runs are swept.
        i, n = 0, len(spans)
        while i < n:
            j, reach = i + 1, spans[i][1]
            while j < n and spans[j][0] < reach:
                reach = max(reach, spans[j][1])
                j += 1
            if j == i + 1:
                s, e, m = spans[i]
                s = max(s, b0)
                out.append((s - base, min(e, b1) - base, self._style((m.label,))))
            else:
                self._sweep(spans[i:j], b0, b1, base, out)
            i = j
        return out

    def _sweep(self, spans: list[tuple[int, int, Mark]], b0: int, b1: int, base: int,
               out: list[SpanRun]) -> None:
        edges = sorted({max(b0, s) for s, _e, _m in spans} | {min(b1, e) for _s, e, _m in spans})
        for seg_start, seg_end in zip(edges, edges[1:]):
            active = [m for s, e, m in spans if s <= seg_start < e]
            if active:
                active.sort(key=lambda m: (m.start, -m.end, m.uid))
                out.append((seg_start - base, seg_end - base, self._style(tuple(m.label for m in active[:3]))))

    def _style(self, labels: tuple[str, ...]) -> SpanStyle:
        style = self._styles.get(labels)
        if style is None:
            fmt = QTextCharFormat()
            # A span inside another of the same label: a darker shade per level, so the inner
            # one stands apart from its parent (an underline alone is lost in the same colour).
            same = labels.count(labels[0])
            fill = self._colour(labels[0]).darker(100 + 22 * (same - 1))
            fmt.setBackground(fill)
            fmt.setForeground(text_on(fill))  # readable on the fill in a dark theme too
            if len(labels) > 1:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline if len(labels) == 2
                                      else QTextCharFormat.UnderlineStyle.WaveUnderline)
                fmt.setUnderlineColor(self._colour(labels[-1]).darker(170))
            style = self._styles[labels] = SpanStyle.of(fmt)
        return style

    def _colour(self, label: str) -> QColor:
        return self._colours.get(label, QColor("#dddddd"))
