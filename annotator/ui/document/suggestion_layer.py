"""Ghost spans: the recommenders' suggestions drawn over a document view.

A ghost is never mistaken for a span or for a projected suggestion of the side-by-side
window: a span is a solid fill (the highlighter's), a projected suggestion is hatched with
a dashed underline, a ghost is a pale, translucent wash of its label's colour with a
dotted underline. The current ghost (the one "next suggestion" went to, or the one under
the caret) is a little stronger and carries a tag above its line with its label and
confidence. Hovering a ghost says its label, confidence and source.

Ghosts are drawn as the view's extra selections (one named overlay), not by the
highlighter: they come and go with every retraining and every accept, and a document
has tens of them, not thousands. Offsets stay code points here; the layer converts them
to widget positions with the document's offset map.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtGui import QColor, QTextCharFormat

from annotator.core.offsets import OffsetMap
from annotator.ui.document.view import Box, DocumentView

OVERLAY = "suggestions"
# Translucent enough that the text stays black on every label colour, strong enough to see.
GHOST_ALPHA, CURRENT_ALPHA = 70, 140


class Ghost(NamedTuple):
    start: int  # code points
    end: int
    label: str
    score: float  # 0..1, higher is surer
    source: str  # matcher, gazetteer, crf, or an imported source's name


def describe(ghost: Ghost) -> str:
    """“ORG suggested · 93 % sure · crf”: what a tooltip and the status bar say."""
    return f"{ghost.label} suggested · {ghost.score:.0%} sure · {ghost.source}"


class SuggestionLayer:
    def __init__(self, view: DocumentView, colours: dict[str, str]) -> None:
        self.view = view
        self._colours = {label: QColor(c) for label, c in colours.items()}
        self._formats: dict[tuple[str, bool], QTextCharFormat] = {}
        self._omap = OffsetMap.for_text("")
        self.ghosts: list[Ghost] = []  # what is shown, sorted by start
        self.current: Ghost | None = None
        view.tooltip_at = self.tooltip_at

    def show(self, ghosts: Sequence[Ghost], omap: OffsetMap, current: Ghost | None = None) -> None:
        """Shows `ghosts` (replacing what was shown); `current` is drawn stronger if it is one of them."""
        self._omap = omap
        self.ghosts = sorted(ghosts)
        self.current = current if current in ghosts else None
        ranges = [(omap.to_display(g.start), omap.to_display(g.end)) for g in self.ghosts]
        self.view.set_overlay(OVERLAY, ranges, formats=[self._format(g.label, g == self.current) for g in self.ghosts])
        if self.current is not None:
            c = self.current
            self.view.set_boxes(OVERLAY, [Box(omap.to_display(c.start), omap.to_display(c.end),
                                              self._colour(c.label).darker(160).name(), dashed=True, width=1.5,
                                              tag=f"{c.label}? {c.score:.0%}")])
        else:
            self.view.set_boxes(OVERLAY, [])

    def clear(self) -> None:
        self.show([], self._omap)

    def at(self, cp: int) -> Ghost | None:
        """The ghost covering code point `cp`, or ending right at it (the caret just after it)."""
        inside = [g for g in self.ghosts if g.start <= cp < g.end]
        if inside:
            return inside[0]
        return next((g for g in self.ghosts if g.end == cp), None)

    def display_range(self, ghost: Ghost) -> tuple[int, int]:
        return self._omap.to_display(ghost.start), self._omap.to_display(ghost.end)

    def tooltip_at(self, pos: int) -> str:
        ghost = self.at(self._omap.from_display(pos)) if self.ghosts else None
        return describe(ghost) if ghost is not None else ""

    def _format(self, label: str, current: bool) -> QTextCharFormat:
        fmt = self._formats.get((label, current))
        if fmt is None:
            colour = self._colour(label)
            fill = QColor(colour)
            fill.setAlpha(CURRENT_ALPHA if current else GHOST_ALPHA)
            fmt = QTextCharFormat()
            fmt.setBackground(fill)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(colour.darker(200))
            self._formats[(label, current)] = fmt
        return fmt

    def _colour(self, label: str) -> QColor:
        return self._colours.get(label, QColor("#bbbbbb"))

